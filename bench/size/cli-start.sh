#!/usr/bin/env bash
# aotgw's cold start against the hand-written floor (issue 28, item 2): both NativeAOT, both against the bench's fake
# gateway on loopback, a fresh process per run, in interleaved rounds. Each run's wall time and peak resident set
# come from the kernel's accounting of that child (wait4), not from the app. Prints medians and median ratios.
# Needs python3 (for wait4). RUNS=15 by default; AOTGW=path skips publishing aotgw (to compare a given binary).
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v python3 > /dev/null || { echo "cli-start.sh needs python3 (its wait4 gives each child's peak RSS)"; exit 2; }
work="${TMPDIR:-/tmp}/aotgw-cli-start"
runs="${RUNS:-15}"
mkdir -p "$work"

dotnet build bench/AotGateway.Bench -c Release -nologo -v q > /dev/null
dotnet publish bench/size/FloorApp -c Release -r linux-x64 -o "$work/floor" -nologo -v q > "$work/floor.log" 2>&1
aotgw="${AOTGW:-}"
if [ -z "$aotgw" ]; then
  dotnet publish runtime/AotGateway.Cli -c Release -r linux-x64 -o "$work/aotgw" -nologo -v q > "$work/aotgw.log" 2>&1
  aotgw="$work/aotgw/aotgw"
fi
echo "aotgw: $aotgw ($(stat -c %s "$aotgw") bytes); floor: $(stat -c %s "$work/floor/FloorApp") bytes"

coproc SERVER { dotnet bench/AotGateway.Bench/bin/Release/net10.0/AotGateway.Bench.dll serve; }
read -r port <&"${SERVER[0]}"
trap 'exec {SERVER[1]}>&-; wait "$SERVER_PID" 2>/dev/null || true' EXIT

GATEWAY_BASE_URL="http://127.0.0.1:$port/v1" BASETEN_BASE_URL="http://127.0.0.1:$port/v1" BASETEN_API_KEY=fake-gateway-key \
python3 - "$runs" "$work/floor/FloorApp" "$aotgw" <<'PY'
import os, statistics, subprocess, sys, time
runs, floor, aotgw = int(sys.argv[1]), sys.argv[2], sys.argv[3]
cases = {
    "floor (chat with one tool call)": ([floor], "result: The tool returned: 12:00"),
    "aotgw chat": ([aotgw, "chat", "What time is it?"], "What time is it?"),
    "aotgw chat --tools": ([aotgw, "chat", "--tools", "What time is it?"], None),
    "aotgw --version": ([aotgw, "--version"], None),
}
results = {name: [] for name in cases}
def run(argv):
    start = time.perf_counter_ns()
    p = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    out = p.stdout.read()
    _, status, usage = os.wait4(p.pid, 0)
    wall = (time.perf_counter_ns() - start) / 1e6
    p.returncode = os.waitstatus_to_exitcode(status)
    return wall, usage.ru_maxrss, p.returncode, out.decode(errors="replace")
for name, (argv, _) in cases.items():  # one unmeasured run each: the page cache, the server's JIT
    run(argv)
for _ in range(runs):
    for name, (argv, expect) in cases.items():
        wall, rss, code, out = run(argv)
        if code != 0 or (expect and expect not in out):
            sys.exit(f"{name} failed (exit {code}): {out[:300]}")
        results[name].append((wall, rss))
floor_wall = [w for w, _ in results["floor (chat with one tool call)"]]
floor_rss = [r for _, r in results["floor (chat with one tool call)"]]
print(f"{runs} interleaved rounds; ratios are medians of per-round ratios to the floor\n")
print("| run | median wall ms | wall ÷ floor | median peak RSS KiB | RSS ÷ floor |")
print("| --- | ---: | ---: | ---: | ---: |")
for name, rows in results.items():
    walls = [w for w, _ in rows]; rss = [r for _, r in rows]
    wr = statistics.median(w / f for w, f in zip(walls, floor_wall))
    rr = statistics.median(r / f for r, f in zip(rss, floor_rss))
    print(f"| {name} | {statistics.median(walls):.1f} | {wr:.2f} | {statistics.median(rss):.0f} | {rr:.2f} |")
PY

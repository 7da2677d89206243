#!/usr/bin/env bash
# aotgw's cold start against the hand-written floor (issue 28, item 2): both NativeAOT, both against the bench's fake
# gateway on loopback, a fresh process per run, in interleaved rounds. Each run's wall time and peak resident set
# are measured the same way for every app: wall time untraced, the peak resident set (VmHWM) read at the process's
# exit under ptrace. Prints medians and median ratios. Needs python3 (ctypes for ptrace). RUNS=15 by default; AOTGW=path skips publishing aotgw (to compare a given binary).
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v python3 > /dev/null || { echo "cli-start.sh needs python3 (it reads each run's peak RSS under ptrace)"; exit 2; }
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

GATEWAY_BASE_URL="http://127.0.0.1:$port/v1" BASETEN_BASE_URL="http://127.0.0.1:$port/v1" BASETEN_API_KEY=fake-gateway-key BASETEN_MODEL=fake/echo-1 \
python3 - "$runs" "$work/floor/FloorApp" "$aotgw" <<'PY'
import ctypes, os, signal, statistics, subprocess, sys, time
runs, floor, aotgw = int(sys.argv[1]), sys.argv[2], sys.argv[3]
cases = {
    "floor (chat with one tool call)": ([floor], "result: The tool returned: 12:00"),
    "aotgw chat": ([aotgw, "chat", "What time is it?"], "What time is it?"),
    "aotgw chat --tools": ([aotgw, "chat", "--tools", "What time is it?"], None),
    "aotgw --version": ([aotgw, "--version"], None),
}
libc = ctypes.CDLL(None, use_errno=True)
libc.ptrace.argtypes = [ctypes.c_long, ctypes.c_long, ctypes.c_void_p, ctypes.c_void_p]
PTRACE_TRACEME, PTRACE_CONT, PTRACE_SETOPTIONS, PTRACE_O_TRACEEXIT, PTRACE_EVENT_EXIT = 0, 7, 0x4200, 0x40, 6

def timed(argv):
    """Wall time of a run, untraced."""
    start = time.perf_counter_ns()
    p = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    return (time.perf_counter_ns() - start) / 1e6, p.returncode, p.stdout.decode(errors="replace")

def peak_rss(argv):
    """VmHWM of the process as it exits, read while ptrace holds it at its exit event: the peak of its own
    address space after exec. (A parent's ru_maxrss would include the forking parent's pages.)"""
    p = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, preexec_fn=lambda: libc.ptrace(PTRACE_TRACEME, 0, None, None))
    _, status = os.waitpid(p.pid, 0)  # stopped at exec
    libc.ptrace(PTRACE_SETOPTIONS, p.pid, None, ctypes.c_void_p(PTRACE_O_TRACEEXIT))
    libc.ptrace(PTRACE_CONT, p.pid, None, None)
    hwm = None
    while True:
        _, status = os.waitpid(p.pid, 0)
        if os.WIFEXITED(status) or os.WIFSIGNALED(status):
            break
        if os.WIFSTOPPED(status):
            sig = os.WSTOPSIG(status)
            if (status >> 8) == (signal.SIGTRAP | (PTRACE_EVENT_EXIT << 8)):
                with open(f"/proc/{p.pid}/status") as f:
                    hwm = next(int(line.split()[1]) for line in f if line.startswith("VmHWM:"))
                sig = 0
            elif sig == signal.SIGTRAP:
                sig = 0
            libc.ptrace(PTRACE_CONT, p.pid, None, ctypes.c_void_p(sig))
    return hwm

results = {name: [] for name in cases}
for name, (argv, _) in cases.items():  # one unmeasured run each: the page cache, the server's JIT
    timed(argv)
for _ in range(runs):
    for name, (argv, expect) in cases.items():
        wall, code, out = timed(argv)
        if code != 0 or (expect and expect not in out):
            sys.exit(f"{name} failed (exit {code}): {out[:300]}")
        results[name].append((wall, peak_rss(argv)))
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

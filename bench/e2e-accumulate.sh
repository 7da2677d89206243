#!/usr/bin/env bash
# End to end: `aotgw sse accumulate` against the same job written with SseParser + System.Text.Json,
# both published NativeAOT, on a ~100 MB capture. Prints each run's wall time, the medians and the ratio.
set -euo pipefail
cd "$(dirname "$0")/.."
work="${TMPDIR:-/tmp}/aotgw-e2e"
mkdir -p "$work"
runs="${RUNS:-5}"

dotnet publish runtime/AotGateway.Cli -c Release -r linux-x64 -o "$work/aotgw" -nologo -v q
dotnet publish bench/SseAccumulateBaseline -c Release -r linux-x64 -o "$work/baseline" -nologo -v q
dotnet run -c Release --project bench/AotGateway.Bench -- make-capture "$work/capture.sse" "${MEGABYTES:-100}"

"$work/aotgw/aotgw" sse accumulate "$work/capture.sse" > "$work/aotgw.json"
"$work/baseline/SseAccumulateBaseline" "$work/capture.sse" > "$work/baseline.json"
cmp "$work/aotgw.json" "$work/baseline.json" || { echo "outputs differ" >&2; exit 1; }

time_ms() {
  local start end
  start=$(date +%s%N)
  "$@" > /dev/null
  end=$(date +%s%N)
  echo $(( (end - start) / 1000000 ))
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

a=(); b=()
for _ in $(seq "$runs"); do
  a+=("$(time_ms "$work/aotgw/aotgw" sse accumulate "$work/capture.sse")")
  b+=("$(time_ms "$work/baseline/SseAccumulateBaseline" "$work/capture.sse")")
done
ma=$(printf '%s\n' "${a[@]}" | median)
mb=$(printf '%s\n' "${b[@]}" | median)
size=$(stat -c %s "$work/capture.sse")
echo "capture: $size bytes; runs: $runs"
echo "aotgw sse accumulate:     ${a[*]} ms (median $ma ms, $(awk -v s="$size" -v t="$ma" 'BEGIN{printf "%.0f", s/1e6/(t/1000)}') MB/s)"
echo "SseParser + STJ baseline: ${b[*]} ms (median $mb ms, $(awk -v s="$size" -v t="$mb" 'BEGIN{printf "%.0f", s/1e6/(t/1000)}') MB/s)"
echo "ratio (baseline / aotgw): $(awk -v a="$ma" -v b="$mb" 'BEGIN{printf "%.2f", b/a}')x"

#!/usr/bin/env bash
# Size and start-up against the peers: the same NativeAOT app (a streamed chat with one tool call) written
# with AotGateway, the OpenAI SDK, Microsoft.Extensions.AI over it, and by hand (the floor), published with
# the same size options, run against the fake gateway served over loopback by the bench. Prints a table.
set -euo pipefail
cd "$(dirname "$0")/../.."
work="${TMPDIR:-/tmp}/aotgw-size"
runs="${RUNS:-7}"
rm -rf "$work"; mkdir -p "$work"

dotnet build bench/AotGateway.Bench -c Release -nologo -v q > /dev/null
coproc SERVER { dotnet bench/AotGateway.Bench/bin/Release/net10.0/AotGateway.Bench.dll serve; }
read -r port <&"${SERVER[0]}"
export GATEWAY_BASE_URL="http://127.0.0.1:$port/v1"
trap 'exec {SERVER[1]}>&-; wait "$SERVER_PID" 2>/dev/null || true' EXIT

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

echo "| App | trim/AOT warnings | binary bytes | runs correctly | median wall ms | median peak RSS KiB |"
echo "| --- | ---: | ---: | --- | ---: | ---: |"
for app in AotGatewayApp OpenAiApp MeaiApp FloorApp; do
  log="$work/$app.publish.log"
  dotnet publish "bench/size/$app" -c Release -r linux-x64 -o "$work/$app" -nologo > "$log" 2>&1 || { echo "| $app | publish failed, see $log | | | | |"; continue; }
  warnings=$( { grep -oE "warning IL[23][0-9]{3}[^[]*" "$log" || true; } | sort -u | wc -l)
  size=$(stat -c %s "$work/$app/$app")
  ok=yes; times=(); rss=()
  for _ in $(seq "$runs"); do
    start=$(date +%s%N)
    out=$("$work/$app/$app" 2>&1) || ok="no (exit $?)"
    end=$(date +%s%N)
    times+=($(( (end - start) / 1000000 )))
    rss+=("$(printf '%s\n' "$out" | sed -n 's/^peak-rss-kb: //p')")
    printf '%s\n' "$out" | grep -qx "result: The tool returned: 12:00" || ok="no: $(printf '%s' "$out" | head -c 200 | tr '\n' ' ')"
  done
  echo "| $app | $warnings | $size | $ok | $(printf '%s\n' "${times[@]}" | median) | $(printf '%s\n' "${rss[@]}" | median) |"
done

# MCP stdio servers: aotgw's two sample tools served with AotGateway.Extensions.Mcp (generated schemas and
# dispatch) and with the MCP SDK's own McpServerTool.Create (AIFunctionFactory over delegates). Each gets the same
# conversation on stdin (initialize, tools/list, calculate 12345679 x 9) and must answer 111111111.
conversation='{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"size","version":"1"}}}
{"jsonrpc":"2.0","method":"notifications/initialized"}
{"jsonrpc":"2.0","id":2,"method":"tools/list"}
{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"calculate","arguments":{"a":12345679,"operation":"Multiply","b":9}}}'
echo
echo "| MCP stdio server | trim/AOT warnings | binary bytes | answers correctly | median peak RSS KiB |"
echo "| --- | ---: | ---: | --- | ---: |"
for app in McpServerApp McpSdkServerApp; do
  log="$work/$app.publish.log"
  dotnet publish "bench/size/$app" -c Release -r linux-x64 -o "$work/$app" -nologo > "$log" 2>&1 || { echo "| $app | publish failed, see $log | | | |"; continue; }
  warnings=$( { grep -oE "warning IL[23][0-9]{3}[^[]*" "$log" || true; } | sort -u | wc -l)
  size=$(stat -c %s "$work/$app/$app")
  ok=yes; rss=()
  for _ in $(seq "$runs"); do
    # stdin stays open a moment after the last request, so the server answers it before it sees the end.
    out=$( { printf '%s\n' "$conversation"; sleep 1; } | "$work/$app/$app" 2> "$work/$app.err") || ok="no (exit $?)"
    printf '%s\n' "$out" | grep -q '"text":"111111111"' || ok="no: $(head -c 200 "$work/$app.err" | tr '\n' ' ')"
    rss+=("$(sed -n 's/^peak-rss-kb: //p' "$work/$app.err")")
  done
  echo "| $app | $warnings | $size | $ok | $(printf '%s\n' "${rss[@]}" | median) |"
done

# The smoke app (every feature, built from packed packages) with and without the tool loop's feature switch.
version="0.1.0-size.$(date +%s)"
for project in runtime/AotGateway/AotGateway.csproj runtime/AotGateway.Testing/AotGateway.Testing.csproj runtime/AotGateway.Extensions.AI/AotGateway.Extensions.AI.csproj runtime/AotGateway.Extensions.DependencyInjection/AotGateway.Extensions.DependencyInjection.csproj runtime/AotGateway.Extensions.Mcp/AotGateway.Extensions.Mcp.csproj; do
  dotnet pack "$project" -c Release -o "$work/feed" -p:Version="$version" -nologo -v q > /dev/null
done
echo
echo "| Smoke app (feature switches) | binary bytes | runs correctly |"
echo "| --- | ---: | --- |"
for variant in "default" "tool loop off:-p:AotGatewayToolLoop=false" "telemetry off:-p:AotGatewayTelemetry=false"; do
  label="${variant%%:*}"; flag=""; [ "$label" != "$variant" ] && flag="${variant#*:}"
  out="$work/smoke-${label// /-}"
  dotnet publish tests/AotGateway.SmokeApp -c Release -r linux-x64 -o "$out" -nologo -v q \
    -p:AotGatewayPackageVersion="$version" -p:RestoreAdditionalProjectSources="$work/feed" \
    -p:BaseIntermediateOutputPath="$work/smoke-obj-${label// /-}/" $flag > "$out.log" 2>&1
  result=$("$out/AotGateway.SmokeApp" | tail -n 1)
  echo "| $label | $(stat -c %s "$out/AotGateway.SmokeApp") | $result |"
done

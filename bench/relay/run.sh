#!/usr/bin/env bash
# The NativeAOT relay (tests/AotGateway.Relay) against Portkey's AI gateway (issue 28, item 4): both relay the same
# loopback upstream (150 chunks a reply, one every 2 ms) to 10, 100 and 500 streams at once; CPU per stream and peak
# RSS, a fresh process per round. Portkey (npm @portkey-ai/gateway 1.15.2, with @hono/node-server pinned to 1.13.5,
# whose later versions break its streaming) is installed into a folder this script owns.
# Usage: bash bench/relay/run.sh [rounds=R] [N ...] [env:NAME=VALUE ...] [profile:COMMAND] [cpus:LOAD/TARGET]
# env: for the relay's process, after the settings README's "Service" section recommends (given first, so an env: of
# the same name wins); profile: runs COMMAND ({pid}, {target}, {round} replaced) over each server's measured streams,
# e.g. profile:'perf record -g -p {pid} -o /tmp/{target}-{round}.data'; cpus: pins the load and the servers apart.
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v node > /dev/null && command -v npm > /dev/null || { echo "bench/relay/run.sh needs Node.js and npm (Portkey runs on Node): apt-get install nodejs npm"; exit 2; }
work="${TMPDIR:-/tmp}/aotgw-relay-bench"
mkdir -p "$work/portkey"
if [ ! -f "$work/portkey/node_modules/@portkey-ai/gateway/build/start-server.js" ]; then
  cat > "$work/portkey/package.json" <<'JSON'
{ "private": true, "dependencies": { "@portkey-ai/gateway": "1.15.2", "@hono/node-server": "1.13.5" },
  "overrides": { "@hono/node-server": "1.13.5" } }
JSON
  (cd "$work/portkey" && npm install --no-audit --no-fund > "$work/npm.log" 2>&1) || { echo "npm install failed, see $work/npm.log"; exit 1; }
fi
dotnet publish tests/AotGateway.Relay -c Release -r linux-x64 -o "$work/relay" -nologo -v q > "$work/relay.log" 2>&1 || { echo "relay publish failed, see $work/relay.log"; exit 1; }
dotnet build bench/AotGateway.Bench -c Release -nologo -v q > /dev/null
dotnet bench/AotGateway.Bench/bin/Release/net10.0/AotGateway.Bench.dll relay-vs-portkey "$work/relay/AotGateway.Relay" \
  "$work/portkey/node_modules/@portkey-ai/gateway/build/start-server.js" \
  env:DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1 env:DOTNET_SYSTEM_NET_SOCKETS_THREAD_COUNT=1 "$@"

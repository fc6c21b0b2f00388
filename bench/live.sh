#!/usr/bin/env bash
# Live games (see bench/RESULTS.md): G games of P players each, every player its own SignalR connection
# to the game's endpoint, R questions each; question shown, answer acknowledged and board shown, timed
# from one client process; the stored answers counted against the acknowledged ones.
# Usage: bench/live.sh [games] [players] [rounds] [spread_ms]
set -euo pipefail
cd "$(dirname "$0")/.."
games="${1:-1}"
players="${2:-300}"
rounds="${3:-5}"
spread="${4:-0}"
out="bench/out"
app_dir="$out/app"
data="/tmp/eduloop-live"
port=5086
base="http://127.0.0.1:$port"
mkdir -p "$out"
source bench/lib.sh

publish_app
dotnet build bench/LiveGame -c Release -nologo -clp:ErrorsOnly >/dev/null
rm -rf "$data"
dotnet "$app_dir/EduLoop.App.dll" seed --questions 500 --mix demo --data-dir "$data" | tail -n 1
dotnet "$app_dir/EduLoop.App.dll" live-load --games "$games" --questions "$rounds" --seconds 60 --out "$data/live.tsv" --data-dir "$data"

trap 'kill $app_pid 2>/dev/null || true' EXIT
: >"$out/live-app.log"
start_app "$data" "$out/live-app.log"
dotnet bench/LiveGame/bin/Release/net10.0/LiveGame.dll "$base" "$data/live.tsv" "$players" "$rounds" "$spread"

#!/usr/bin/env bash
# Quiz-taking circuits (see bench/RESULTS.md): 100 students in headless Chromium on their quiz page at
# once; the server's memory per circuit (managed heap after a full collection, and resident set) and
# the time from a click to "Saved" when all of them answer at the same moment.
# Usage: bench/circuits.sh [students] [rounds] [all|one]  (all questions on one page, or one per page)
set -euo pipefail
cd "$(dirname "$0")/.."
students="${1:-100}"
rounds="${2:-5}"
paging="${3:-all}"
out="bench/out"
app_dir="$out/app"
data="/tmp/eduloop-circuits"
port=5085
base="http://127.0.0.1:$port"
mkdir -p "$out"
source bench/lib.sh

publish_app
dotnet build bench/QuizCircuits -c Release -nologo -clp:ErrorsOnly >/dev/null
[ -x "$out/tools/dotnet-gcdump" ] || dotnet tool install dotnet-gcdump --version 10.0.750501 --tool-path "$out/tools" >/dev/null
password="circuit students $RANDOM$RANDOM"
fresh_quiz_data "$data" 500 $((students + 1)) --password "$password" --one-per-page "$([ "$paging" = one ] && echo true || echo false)"

trap 'kill $app_pid 2>/dev/null || true' EXIT
: >"$out/circuits-app.log"
start_app "$data" "$out/circuits-app.log"

dotnet bench/QuizCircuits/bin/Release/net10.0/QuizCircuits.dll "$base" "$data/load.tsv" "$password" "$app_pid" "$out/tools/dotnet-gcdump" "$students" "$rounds"

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

dotnet publish EduLoop.App -c Release -o "$app_dir" -nologo -clp:ErrorsOnly >/dev/null
dotnet build bench/QuizCircuits -c Release -nologo -clp:ErrorsOnly >/dev/null
[ -x "$out/tools/dotnet-gcdump" ] || dotnet tool install dotnet-gcdump --version 10.0.750501 --tool-path "$out/tools" >/dev/null
rm -rf "$data"
password="circuit students $RANDOM$RANDOM"
dotnet "$app_dir/EduLoop.App.dll" seed --questions 500 --mix demo --data-dir "$data" | tail -n 1
dotnet "$app_dir/EduLoop.App.dll" quiz-load --students $((students + 1)) --questions 20 --password "$password" --one-per-page "$([ "$paging" = one ] && echo true || echo false)" --out "$data/load.tsv" --data-dir "$data"

(cd "$app_dir" && EduLoop__DataDirectory="$data" EduLoop__DemoData=false Logging__LogLevel__Default=Warning ASPNETCORE_URLS="$base" \
    exec dotnet EduLoop.App.dll >"../circuits-app.log" 2>&1) &
app_pid=$!
trap 'kill $app_pid 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do
    curl -sf "$base/health" >/dev/null 2>&1 && break
    sleep 0.5
done

dotnet bench/QuizCircuits/bin/Release/net10.0/QuizCircuits.dll "$base" "$data/load.tsv" "$password" "$app_pid" "$out/tools/dotnet-gcdump" "$students" "$rounds"

#!/usr/bin/env bash
# The question bank in the browser on a million questions (see bench/RESULTS.md):
# browser timings of opening the bank, changing a filter, searching and jumping to the last page
# (median of 5 each), the server's query time for the same views, and the app's memory while a
# teacher pages through 10,000 rows. Usage: bench/bank.sh [questions]
set -euo pipefail
cd "$(dirname "$0")/.."
questions="${1:-1000000}"
out="bench/out"
app_dir="$out/app"
data="/tmp/eduloop-bank-$questions"
port=5081
base="http://127.0.0.1:$port"
mkdir -p "$out"
source bench/lib.sh

publish_app
dotnet build bench/BankTimings -c Release -nologo -clp:ErrorsOnly >/dev/null
if [ ! -f "$data/eduloop.db" ]; then
    dotnet "$app_dir/EduLoop.App.dll" seed --questions "$questions" --data-dir "$data" | tail -n 1
fi

[ -f "$data/bench-password" ] || head -c 18 /dev/urandom | base64 >"$data/bench-password"
password=$(cat "$data/bench-password")
trap 'kill $app_pid 2>/dev/null || true' EXIT
: >"$out/bank-app.log"
start_app "$data" "$out/bank-app.log" EduLoop__Admin__Email=admin@bench.local EduLoop__Admin__Password="$password"

dotnet bench/BankTimings/bin/Release/net10.0/BankTimings.dll "$base" admin@bench.local "$password" "$app_pid" "$data"

#!/usr/bin/env bash
# The question bank as one scrolled list on a million demo questions (see bench/RESULTS.md): in
# Chromium the time to the first rows and to row 500,000 after a jump, the app's memory while a
# teacher scrolls through 20,000 rows; in process a window read after a key against the pager's
# offset read at the same depth, and the compiled keyset query against the same query not compiled.
# Usage: bench/one-list.sh [questions]   (BANK_DATA=DIR uses a database seeded before)
set -euo pipefail
cd "$(dirname "$0")/.."
questions="${1:-1000000}"
out="bench/out"
app_dir="$out/app"
data="${BANK_DATA:-/tmp/eduloop-one-list-$questions}"
port=5083
base="http://127.0.0.1:$port"
mkdir -p "$out"
source bench/lib.sh

publish_app
dotnet build bench/BankTimings -c Release -nologo -clp:ErrorsOnly >/dev/null
[ -x "$out/tools/dotnet-gcdump" ] || dotnet tool install dotnet-gcdump --version 10.0.750501 --tool-path "$out/tools" >/dev/null
if [ ! -f "$data/eduloop.db" ]; then
    dotnet "$app_dir/EduLoop.App.dll" seed --questions "$questions" --mix demo --data-dir "$data" | tail -n 1
fi

[ -f "$data/bench-password" ] || head -c 18 /dev/urandom | base64 >"$data/bench-password"
password=$(cat "$data/bench-password")
trap 'kill $app_pid 2>/dev/null || true' EXIT
: >"$out/one-list-app.log"
start_app "$data" "$out/one-list-app.log" EduLoop__Admin__Email=admin@bench.local EduLoop__Admin__Password="$password"

dotnet bench/BankTimings/bin/Release/net10.0/BankTimings.dll "$base" admin@bench.local "$password" "$app_pid" "$data" one-list "$out/tools/dotnet-gcdump"

#!/usr/bin/env bash
# The original's burst (10,000 connections cycling through the five lists, 15 s) against one EduLoop
# server on SQLite and one on PostgreSQL, in one run on the same machine, rounds alternating between
# the two; medians (see bench/RESULTS.md). Both banks hold the same 100,000 synthetic questions.
# PostgreSQL runs in a cluster started for the run with its durable defaults and 1 GB of shared buffers.
# Usage: bench/providers.sh [rounds]   (needs wrk)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="${1:-3}"
out="bench/out"
app_dir="$out/app"
port=5084
base="http://127.0.0.1:$port"
mkdir -p "$out"
source bench/lib.sh

sqlite_data=/tmp/eduloop-providers-sqlite
pg_data=/tmp/eduloop-providers-pg
password=$(head -c 18 /dev/urandom | base64)

publish_app
trap 'kill $app_pid 2>/dev/null || true; stop_postgres' EXIT
rm -rf "$sqlite_data" "$pg_data"
dotnet "$app_dir/EduLoop.App.dll" seed --questions 100000 --data-dir "$sqlite_data" | tail -n 1
start_postgres /tmp/eduloop-providers-pgcluster 55434
dotnet "$app_dir/EduLoop.App.dll" seed --questions 100000 --data-dir "$pg_data" | tail -n 1
pg_env=(EduLoop__Database__Provider=PostgreSQL "ConnectionStrings__EduLoop=$ConnectionStrings__EduLoop")
unset EduLoop__Database__Provider ConnectionStrings__EduLoop

# run NAME DATA [settings...]: one server, warmed up, one burst; prints "NAME rps p50 p99 errors".
run() {
    local name="$1" data="$2"
    shift 2
    : >"$out/providers-$name.log"
    start_app "$data" "$out/providers-$name.log" EduLoop__Admin__Email=admin@bench.local EduLoop__Admin__Password="$password" \
        EduLoop__Api__Throttling__Enabled=false "$@"
    EDULOOP_TOKEN=$(curl -sf -X POST "$base/api/api-token-auth/" -H 'content-type: application/json' \
        -d "{\"username\":\"admin@bench.local\",\"password\":\"$password\"}" | sed -E 's/.*"token":"([0-9a-f]+)".*/\1/')
    export EDULOOP_TOKEN
    wrk -t2 -c64 -d5s -s bench/cycle.lua "$base" >/dev/null
    local result
    result=$(wrk -t2 -c10000 -d15s --timeout 10s --latency -s bench/cycle.lua "$base")
    kill "$app_pid" && wait "$app_pid" 2>/dev/null || true
    local rps p50 p99 errors
    rps=$(awk '/Requests\/sec/ {print $2}' <<<"$result")
    p50=$(awk '/ 50%/ {print $2}' <<<"$result")
    p99=$(awk '/ 99%/ {print $2}' <<<"$result")
    errors=$(grep -oE 'Non-2xx or 3xx responses: [0-9]+|Socket errors: .*' <<<"$result" | tr '\n' ' ' || true)
    echo "$name $rps p50 $p50 p99 $p99 ${errors:-no errors}" | tee -a "$out/providers-runs.txt"
}

: >"$out/providers-runs.txt"
for round in $(seq 1 "$rounds"); do
    echo "== round $round"
    run sqlite "$sqlite_data"
    run postgresql "$pg_data" "${pg_env[@]}"
done

median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
for name in sqlite postgresql; do
    echo "$name: median of $rounds bursts $(grep "^$name " "$out/providers-runs.txt" | awk '{print $2}' | median) requests/s"
done

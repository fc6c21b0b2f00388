#!/usr/bin/env bash
# The compatible API under load, on one machine over loopback (see bench/RESULTS.md):
#   1. each list endpoint's page 1 against a static file of the same size from the same app (3 rounds, medians)
#   2. burst: 10,000 connections cycling through the five lists, no pause
#   3. paced: 10,000 connections, 5 s between a connection's requests
#   4. deep pages (page=last, filters) on a million questions
# Usage: bench/api.sh [ratio|burst|paced|deep|all]   (needs wrk: apt-get install wrk)
set -euo pipefail
cd "$(dirname "$0")/.."
what="${1:-all}"
out="bench/out"
app_dir="$out/app"
port=5080
base="http://127.0.0.1:$port"
mkdir -p "$out"

publish() {
    dotnet publish EduLoop.App -c Release -o "$app_dir" -nologo -clp:ErrorsOnly >/dev/null
}

seed() { # questions data_dir
    if [ ! -f "$2/eduloop.db" ]; then
        dotnet "$app_dir/EduLoop.App.dll" seed --questions "$1" --data-dir "$2" | tail -n 1
    fi
}

start() { # data_dir
    # The admin of a benchmark database gets a random password on its first start, kept beside it.
    [ -f "$1/bench-password" ] || head -c 18 /dev/urandom | base64 >"$1/bench-password"
    password=$(cat "$1/bench-password")
    EduLoop__DataDirectory="$1" EduLoop__DemoData=false EduLoop__Admin__Email=admin@bench.local \
    EduLoop__Admin__Password="$password" EduLoop__Api__Throttling__Enabled=false \
    Logging__LogLevel__Default=Warning ASPNETCORE_URLS="$base" DOTNET_gcServer=${DOTNET_gcServer:-0} \
        dotnet "$app_dir/EduLoop.App.dll" >"$out/app.log" 2>&1 &
    app_pid=$!
    trap stop EXIT
    for _ in $(seq 1 120); do
        curl -sf "$base/health" >/dev/null 2>&1 && break
        sleep 0.5
    done
    token=$(curl -sf -X POST "$base/api/api-token-auth/" -H 'content-type: application/json' \
        -d "{\"username\":\"admin@bench.local\",\"password\":\"$password\"}" | sed -E 's/.*"token":"([0-9a-f]+)".*/\1/')
    [ -n "$token" ] || { echo "could not sign in to the benchmark app (see $out/app.log)" >&2; exit 1; }
    export EDULOOP_TOKEN="$token"
}

stop() {
    kill "$app_pid" 2>/dev/null || true
    wait "$app_pid" 2>/dev/null || true
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

rps() { # url [header]
    local args=(-t2 -c64 -d5s --latency)
    [ -n "${2:-}" ] && args+=(-H "$2")
    wrk "${args[@]}" "$1" | awk '/Requests\/sec/ {print $2}'
}

ratio() {
    echo "== 1. list page 1 vs a static file of the same size (requests/s, median of 3 rounds)"
    mkdir -p "$app_dir/wwwroot-assets/bench"
    printf '%-40s %10s %10s %6s %8s\n' endpoint api static ratio bytes
    for path in /api/groups/ /api/subjects/ /api/categories/ /api/subcategories/ /api/dashboard/recent-questions/; do
        name=$(echo "$path" | tr '/' '_')
        curl -sf -H "Authorization: Token $EDULOOP_TOKEN" "$base$path" >"$app_dir/wwwroot-assets/bench/$name.json"
        bytes=$(stat -c %s "$app_dir/wwwroot-assets/bench/$name.json")
        api=(); static=()
        for _ in 1 2 3; do
            api+=("$(rps "$base$path" "Authorization: Token $EDULOOP_TOKEN")")
            static+=("$(rps "$base/assets/bench/$name.json")")
        done
        a=$(printf '%s\n' "${api[@]}" | median); s=$(printf '%s\n' "${static[@]}" | median)
        printf '%-40s %10s %10s %6.2f %8s\n' "$path" "$a" "$s" "$(echo "$a / $s" | bc -l)" "$bytes"
    done
}

warmup() {
    # JIT tiering and the caches settle before anything is measured.
    wrk -t2 -c64 -d5s -s bench/cycle.lua "$base" >/dev/null
}

burst() {
    echo "== 2. burst: 10,000 connections, no pause, 15 s, timeout 10 s"
    wrk -t2 -c10000 -d15s --timeout 10s --latency -s bench/cycle.lua "$base" | grep -E 'Requests/sec|Non-2xx|Socket errors|requests=|p50_ms'
}

paced() {
    echo "== 3. paced: 10,000 connections, 5 s between a connection's requests, 40 s"
    PAUSE_MS=5000 wrk -t2 -c10000 -d40s --timeout 10s --latency -s bench/cycle.lua "$base" | grep -E 'Requests/sec|Non-2xx|Socket errors|requests=|p50_ms'
}

deep() {
    echo "== 4. a million questions: last pages and filters, never from the cache (latency, 4 connections, 10 s each)"
    for query in "page=last" "page=last&page_size=100" "level=medium&page=last" "subject__id=7&page=last" "subcategory__id=500" \
                 "category__id=100&type=mcq&page=3" "search=Subcategory%2001.1.1.1"; do
        url="$base/api/dashboard/recent-questions/?$query"
        line=$(wrk -t2 -c4 -d10s --latency -s bench/uncached.lua "$url" | awk '/ 50%/ {p50=$2} / 99%/ {p99=$2} /Requests\/sec/ {r=$2} END {print p50, p99, r}')
        printf '%-45s p50 %-8s p99 %-8s req/s %s\n' "$query" $line
    done
}

publish
case "$what" in
    ratio|burst|paced|all)
        seed 100000 /tmp/eduloop-bench-100k
        start /tmp/eduloop-bench-100k
        warmup
        [ "$what" = ratio ] || [ "$what" = all ] && ratio
        [ "$what" = burst ] || [ "$what" = all ] && burst
        [ "$what" = paced ] || [ "$what" = all ] && paced
        stop
        ;;
esac
case "$what" in
    deep|all)
        seed 1000000 /tmp/eduloop-bench-1m
        start /tmp/eduloop-bench-1m
        warmup
        deep
        stop
        ;;
esac

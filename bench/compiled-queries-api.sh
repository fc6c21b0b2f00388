#!/usr/bin/env bash
# One API route whose every request runs a compiled query, before and after: GET
# /api/dashboard/question/{id}/ with a staff token (the token is checked once, then held by the
# credential cache, so each request is the question read by id and the JSON it becomes). Publishes
# BEFORE_REF (the commit before the compiled queries) and the work tree, seeds
# the seed verb's bank once, then alternates wrk rounds of the two builds on the same database.
# Usage: bench/compiled-queries-api.sh BEFORE_REF [questions] [rounds]   (needs wrk)
set -euo pipefail
cd "$(dirname "$0")/.."
before_ref="$1"
questions="${2:-100000}"
rounds="${3:-3}"
out="bench/out"
port=5082
base="http://127.0.0.1:$port"
data="/tmp/eduloop-api-compiled-$questions"
mkdir -p "$out"

before_src=$(mktemp -d /tmp/eduloop-before.XXXXXX)
git archive "$before_ref" | tar -x -C "$before_src"
dotnet publish "$before_src/EduLoop.App" -c Release -o "$out/app-before" -nologo -clp:ErrorsOnly >/dev/null
dotnet publish EduLoop.App -c Release -o "$out/app-after" -nologo -clp:ErrorsOnly >/dev/null
rm -rf "$before_src"

if [ ! -f "$data/eduloop.db" ]; then
    dotnet "$out/app-after/EduLoop.App.dll" seed --questions "$questions" --data-dir "$data" | tail -n 1
fi
[ -f "$data/bench-password" ] || head -c 18 /dev/urandom | base64 >"$data/bench-password"
password=$(cat "$data/bench-password")
id=$(( questions / 2 ))

app_pid=""
stop() { [ -n "$app_pid" ] && { kill "$app_pid" 2>/dev/null || true; wait "$app_pid" 2>/dev/null || true; }; app_pid=""; }
trap stop EXIT

round() { # build
    (cd "$out/app-$1" && exec env EduLoop__DataDirectory="$data" EduLoop__DemoData=false EduLoop__Admin__Email=admin@bench.local \
        EduLoop__Admin__Password="$password" EduLoop__Api__Throttling__Enabled=false Logging__LogLevel__Default=Warning \
        ASPNETCORE_URLS="$base" DOTNET_gcServer=0 dotnet EduLoop.App.dll >>"../compiled-queries-api-$1.log" 2>&1) &
    app_pid=$!
    for _ in $(seq 1 240); do curl -sf "$base/health" >/dev/null 2>&1 && break; sleep 0.25; done
    local token
    token=$(curl -sf -X POST "$base/api/api-token-auth/" -H 'content-type: application/json' \
        -d "{\"username\":\"admin@bench.local\",\"password\":\"$password\"}" | sed -E 's/.*"token":"([0-9a-f]+)".*/\1/')
    local url="$base/api/dashboard/question/$id/"
    [ "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Token $token" "$url")" = 200 ] || { echo "$1: $url did not answer 200" >&2; exit 1; }
    wrk -t2 -c32 -d5s -H "Authorization: Token $token" "$url" >/dev/null # warm-up
    wrk -t2 -c32 -d10s --latency -H "Authorization: Token $token" "$url" \
        | awk -v build="$1" '/Requests\/sec/ {rps=$2} / 50%/ {p50=$2} / 99%/ {p99=$2} /Non-2xx/ {bad=$NF} END {printf "%s\t%s\t%s\t%s\t%s\n", build, rps, p50, p99, bad+0}'
    stop
}

printf 'build\trequests/s\tp50\tp99\tnon-2xx\n'
for _ in $(seq 1 "$rounds"); do
    round before
    round after
done

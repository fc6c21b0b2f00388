#!/usr/bin/env bash
# A teacher's filtered list while a student practises: the measurement behind "invalidate by what
# changed" (see bench/RESULTS.md). On a million questions, wrk with 8 connections reads
# /api/dashboard/recent-questions/?type=mcq&level=easy with a staff token for 10 s, alone and while
# one client steps through practice (GET /api/questions/ with its session) at 2 steps per second.
# Three rounds of each, interleaved; prints requests/s and p99 per round.
# Usage: bench/reads-while-practising.sh [SOURCE_TREE] [LABEL]
#   SOURCE_TREE: the tree to publish (default: this one), e.g. a git worktree of an older commit.
set -euo pipefail
cd "$(dirname "$0")/.."
src="$(realpath "${1:-.}")"
label="${2:-current}"
out="$(realpath -m bench/out)"
app_dir="$out/app-$label"
data="$out/data-1m-$label"
port=5081
base="http://127.0.0.1:$port"
mkdir -p "$out"

(cd "$src" && dotnet publish EduLoop.App -c Release -o "$app_dir" -nologo -clp:ErrorsOnly >/dev/null)
if [ ! -f "$data/eduloop.db" ]; then
    dotnet "$app_dir/EduLoop.App.dll" seed --questions 1000000 --mix demo --data-dir "$data" | tail -n 1
fi

[ -f "$data/bench-password" ] || head -c 18 /dev/urandom | base64 >"$data/bench-password"
password=$(cat "$data/bench-password")
EduLoop__DataDirectory="$data" EduLoop__DemoData=false EduLoop__Admin__Email=admin@bench.local \
EduLoop__Admin__Password="$password" EduLoop__Api__Throttling__Enabled=false \
Logging__LogLevel__Default=Warning ASPNETCORE_URLS="$base" \
    dotnet "$app_dir/EduLoop.App.dll" >"$out/practising-$label.log" 2>&1 &
app_pid=$!
stepper_pid=""
stop() {
    [ -n "$stepper_pid" ] && kill "$stepper_pid" 2>/dev/null || true
    kill "$app_pid" 2>/dev/null || true
    wait "$app_pid" 2>/dev/null || true
}
trap stop EXIT
for _ in $(seq 1 240); do
    curl -sf "$base/health" >/dev/null 2>&1 && break
    sleep 0.5
done
token=$(curl -sf -X POST "$base/api/api-token-auth/" -H 'content-type: application/json' \
    -d "{\"username\":\"admin@bench.local\",\"password\":\"$password\"}" | sed -E 's/.*"token":"([0-9a-f]+)".*/\1/')
[ -n "$token" ] || { echo "could not sign in (see $out/practising-$label.log)" >&2; exit 1; }
group=$(curl -sf "$base/api/groups/" | sed -E 's/.*"results":\[\{"id":([0-9]+).*/\1/')
subject=$(curl -sf "$base/api/subjects/?group__id=$group" | sed -E 's/.*"results":\[\{"id":([0-9]+).*/\1/')
url="$base/api/dashboard/recent-questions/?type=mcq&level=easy"

read_list() { # prints "requests/s p99"
    wrk -t2 -c8 -d10s --latency -H "Authorization: Token $token" "$url" |
        awk '/Requests\/sec/ {r=$2} / 99%/ {p=$2} END {print r, p}'
}

practise() { # one session, a step every 0.5 s, until killed
    local session
    session=$(curl -sf -X POST "$base/api/questions/" -H "Authorization: Token $token" -H 'content-type: application/json' \
        -d "{\"group_id\":$group,\"subject_id\":$subject}" | sed -E 's/.*"session_id":"([^"]+)".*/\1/')
    while true; do
        curl -sf -o /dev/null "$base/api/questions/" -H "X-Session-Id: $session" || true
        sleep 0.5
    done
}

curl -sf -o /dev/null -H "Authorization: Token $token" "$url" # warm
wrk -t2 -c8 -d3s -H "Authorization: Token $token" "$url" >/dev/null
for round in 1 2 3; do
    echo "$label round $round alone: $(read_list)"
    practise &
    stepper_pid=$!
    sleep 1
    echo "$label round $round practising: $(read_list)"
    kill "$stepper_pid" 2>/dev/null || true
    wait "$stepper_pid" 2>/dev/null || true
    stepper_pid=""
done

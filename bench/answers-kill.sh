#!/usr/bin/env bash
# Durability of acknowledged answers (see bench/RESULTS.md): 32 clients save answers as fast as they
# can, the server is killed with SIGKILL at a random moment of the burst, restarted, and every save
# it acknowledged (the newest per answer) must be in the database. Usage: bench/answers-kill.sh [rounds]
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="${1:-20}"
out="bench/out"
app_dir="$out/app"
data="/tmp/eduloop-kill"
port=5084
base="http://127.0.0.1:$port"
mkdir -p "$out"
source bench/lib.sh

publish_app
fresh_quiz_data "$data" 500 1000

trap 'kill -9 $app_pid 2>/dev/null || true' EXIT

total_acknowledged=0
total_lost=0
for round in $(seq 1 "$rounds"); do
    start_app "$data" "$out/kill-app.log"
    python3 bench/answers_client.py "$data/load.tsv" "$base" "$out/kill-acks.json" 32 &
    client=$!
    sleep "$(awk -v r="$RANDOM" 'BEGIN { printf "%.2f", 1.5 + (r % 2000) / 1000 }')"
    kill -9 "$app_pid"
    wait "$app_pid" 2>/dev/null || true
    wait "$client"
    start_app "$data" "$out/kill-app.log"
    result=$(python3 - "$data/eduloop.db" "$out/kill-acks.json" <<'PY'
import json, sqlite3, sys
database, acks = sys.argv[1:3]
report = json.load(open(acks))
stored = {f"{a}/{p}": s for a, p, s in sqlite3.connect(database).execute("SELECT AttemptId, Position, Sequence FROM AttemptQuestions")}
lost = sum(1 for key, sequence in report["acknowledged"].items() if stored.get(key, 0) < sequence)
print(report["sent"], len(report["acknowledged"]), lost)
PY
)
    read -r sent acknowledged lost <<<"$result"
    echo "round $round: $sent saves sent before the kill, newest acknowledged of $acknowledged answers checked, $lost missing"
    total_acknowledged=$((total_acknowledged + acknowledged))
    total_lost=$((total_lost + lost))
    kill -TERM "$app_pid"
    wait "$app_pid" 2>/dev/null || true
done
echo "$rounds rounds of kill -9: $total_acknowledged acknowledged answers checked, $total_lost missing"

#!/usr/bin/env bash
# Answer saves (see bench/RESULTS.md): acknowledged saves per second and their latency through the
# quiz API, with SQLite synchronous=FULL and the group-commit writer. 2,000 students with an attempt of
# 20 questions each; wrk PUTs answers over 32 connections; five runs of 15 s after a warm-up, medians.
# With "postgresql" as the third argument, the same on a PostgreSQL cluster started for the run with
# PostgreSQL's durable defaults (fsync and synchronous_commit on).
# Usage: bench/answers.sh [runs] [connections] [sqlite|postgresql]
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-5}"
connections="${2:-32}"
provider="${3:-sqlite}"
out="bench/out"
app_dir="$out/app"
data="/tmp/eduloop-answers"
port=5083
base="http://127.0.0.1:$port"
mkdir -p "$out"
source bench/lib.sh

publish_app
trap 'stop_postgres' EXIT
if [ "$provider" = postgresql ]; then
    start_postgres /tmp/eduloop-answers-pg 55433
fi
fresh_quiz_data "$data" 2000 2000

: >"$out/answers-app.log"
trap 'kill $app_pid 2>/dev/null || true; stop_postgres' EXIT
start_app "$data" "$out/answers-app.log" "Logging__LogLevel__EduLoop.Domain.Quizzes.AnswerWriter=Information"

export LOAD_FILE="$data/load.tsv" THREADS=2
wrk -t2 -c"$connections" -d5s -s bench/answers.lua "$base" | grep RESULT | sed 's/^RESULT/warm-up:/'
: >"$out/answers-runs.txt"
for run in $(seq 1 "$runs"); do
    line=$(wrk -t2 -c"$connections" -d15s -s bench/answers.lua "$base" | grep RESULT)
    echo "run $run: ${line#RESULT }" | tee -a "$out/answers-runs.txt"
done

median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
field() { grep -o "$1=[0-9.]*" "$out/answers-runs.txt" | cut -d= -f2 | median; }
echo "median of $runs: $(field rps) saves/s, p50 $(field p50_ms) ms, p99 $(field p99_ms) ms, not 200: $(field not_200)"
# A graceful stop lets the writer report how many commits carried the saves.
kill -TERM $app_pid
wait $app_pid 2>/dev/null || true
grep -o "Answer writer stopped: .*" "$out/answers-app.log" || true
count_saved='SELECT COUNT(*) FROM "AttemptQuestions" WHERE "Response" IS NOT NULL;'
if [ "$provider" = postgresql ]; then
    saved=$(psql -h 127.0.0.1 -p "$pg_port" -U postgres -d eduloop -tAc "$count_saved")
else
    saved=$(sqlite3 "$data/eduloop.db" "$count_saved")
fi
echo "answers in the database: $saved of $(( $(wc -l <"$data/load.tsv") * 20 ))"

#!/usr/bin/env bash
# A school day at once (see bench/RESULTS.md): every kind of request at its own fixed arrival rate,
# sent on schedule whether or not earlier ones were answered (open loop), latency timed from each
# request's due time (bench/MixedLoad, HdrHistogram). On a bank of QUESTIONS demo questions, throttling off:
#   reads   the original's five lists, filtered staff lists (type, level) and bank pages (place, type,
#           level, page) with a staff token;
#   writers 2,000 students saving answers to their attempts (PUT /api/attempts/{id}/answers/{n}/),
#           400 students practising (POST /api/questions/ to start a session, GET /api/questions/
#           with X-Session-Id for its next question), a teacher saving a question's text every 2 s
#           (PATCH /api/dashboard/question/{id}/), each save followed by one read of every filtered
#           list ("first read after a bank write").
# Each round runs the mixed load for SECONDS, then the same reads alone at the same rates (the order
# alternates between rounds); the report gives each figure's median over the rounds and the ratio of
# the reads' throughput mixed/alone. Then 300 single edits, each followed at once by the first read
# of one list whose cache it made stale, alone on the server.
# With "postgresql" after ROUNDS, the same on a PostgreSQL cluster started for the run with
# PostgreSQL's durable defaults (bench/lib.sh start_postgres), seeded afresh each run.
# Usage: bench/mixed.sh [QUESTIONS] [SECONDS] [ROUNDS] [sqlite|postgresql] [MixedLoad options ...]
#   defaults: 1000000 questions, 60 s, 3 rounds, sqlite. Rates and modes: see bench/MixedLoad/Program.cs,
#   e.g. bench/mixed.sh 20000 10 1 --answers-rate 0   (no answer saves), --mode after-write.
set -euo pipefail
cd "$(dirname "$0")/.."
questions="${1:-1000000}"
seconds="${2:-60}"
rounds="${3:-3}"
shift $(( $# < 3 ? $# : 3 ))
provider=sqlite
if [ "${1:-}" = sqlite ] || [ "${1:-}" = postgresql ]; then
    provider="$1"
    shift
fi
out="$(realpath -m bench/out)"
app_dir="$out/app"
# The million-question bank is the one bench/reads-while-practising.sh seeds, kept between runs.
if [ "$questions" = 1000000 ]; then data="$out/data-1m-current"; else data="$out/data-$questions"; fi
report="$out/mixed-$questions.md"
# On PostgreSQL the cluster is new each run, so its data folder (keys, the students' lists) is too.
if [ "$provider" = postgresql ]; then
    data="$out/data-pg-$questions"
    report="$out/mixed-postgresql-$questions.md"
fi
port=5086
base="http://127.0.0.1:$port"
mkdir -p "$out"
source bench/lib.sh

publish_app
dotnet build bench/MixedLoad -c Release -nologo -clp:ErrorsOnly >/dev/null
trap 'stop_postgres' EXIT
if [ "$provider" = postgresql ]; then
    rm -rf "$data"
    start_postgres /tmp/eduloop-mixed-pg 55436
fi
if [ "$provider" = postgresql ] || [ ! -f "$data/eduloop.db" ]; then
    echo "seeding $questions questions into $data ($provider)"
    seed_start=$(date +%s)
    dotnet "$app_dir/EduLoop.App.dll" seed --questions "$questions" --mix demo --data-dir "$data" | tail -n 1
    echo "seeding took $(( $(date +%s) - seed_start )) s"
fi
# Students with an attempt in progress each (quiz-load), added once to the bank: 2,000 who answer,
# and 400 who practise (they hand their attempt in first, since practice waits while a quiz is open).
[ -f "$data/mixed-answers.tsv" ] ||
    dotnet "$app_dir/EduLoop.App.dll" quiz-load --students 2000 --questions 20 --out "$data/mixed-answers.tsv" --data-dir "$data"
[ -f "$data/mixed-practice.tsv" ] ||
    dotnet "$app_dir/EduLoop.App.dll" quiz-load --students 400 --questions 20 --out "$data/mixed-practice.tsv" --data-dir "$data"

# The admin of a benchmark database gets a random password on its first start, kept beside it.
[ -f "$data/bench-password" ] || head -c 18 /dev/urandom | base64 >"$data/bench-password"
log="$out/mixed-app.log"
: >"$log"
trap 'kill $app_pid 2>/dev/null || true; wait $app_pid 2>/dev/null || true; stop_postgres' EXIT
start_app "$data" "$log" EduLoop__Admin__Email=admin@bench.local EduLoop__Admin__Password="$(cat "$data/bench-password")" \
    EduLoop__Api__Throttling__Enabled=false

dotnet bench/MixedLoad/bin/Release/net10.0/MixedLoad.dll --base "$base" --email admin@bench.local --password-file "$data/bench-password" \
    --answers "$data/mixed-answers.tsv" --practice "$data/mixed-practice.tsv" --app-pid "$app_pid" \
    --seconds "$seconds" --rounds "$rounds" "$@" | tee "$report"
grep -c "Slow request" "$log" | sed 's/^/slow requests (over 1 s) in the app log: /' || true

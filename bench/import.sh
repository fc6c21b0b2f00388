#!/usr/bin/env bash
# Times the import of 10,000 GIFT questions (a mix of the types GIFT has) into a fresh database,
# three runs, with the median. On PostgreSQL each run gets a fresh database in a cluster started for
# the benchmark (durable defaults). Usage: bench/import.sh [questions] [runs] [sqlite|postgresql]
set -euo pipefail
cd "$(dirname "$0")/.."
questions="${1:-10000}"
runs="${2:-3}"
provider="${3:-sqlite}"
out="bench/out"
mkdir -p "$out"
source bench/lib.sh
if [ "$provider" = postgresql ]; then
    trap stop_postgres EXIT
    start_postgres /tmp/eduloop-import-pg 55436
fi
dotnet build EduLoop.App -c Release -nologo -clp:ErrorsOnly >/dev/null
app="EduLoop.App/bin/Release/net10.0/EduLoop.App.dll"

gift="$out/import-$questions.gift"
awk -v n="$questions" 'BEGIN {
    for (i = 1; i <= n; i++) {
        if (i % 500 == 1) printf "$CATEGORY: $course$/top/Imported/Subject %d/Category %d/Part %d\n\n", int(i / 5000), int(i / 1000), int(i / 500);
        k = i % 5;
        if (k == 0) printf "::Q%d::What is %d + %d?{=%d#Right. ~%d#Count again. ~%d}\n\n", i, i, i, 2 * i, 2 * i + 1, 2 * i - 1;
        else if (k == 1) printf "Is %d even?{%s}\n\n", i, (i % 2 == 0 ? "T" : "F");
        else if (k == 2) printf "Half of %d?{#%d:0.5}\n\n", 2 * i, i;
        else if (k == 3) printf "Name the number %d in words, or write it.{=%d =number %d}\n\n", i, i, i;
        else printf "Match the pairs for %d.{=one %d -> a =two %d -> b =three %d -> c}\n\n", i, i, i, i;
    }
}' >"$gift"

times=()
for run in $(seq 1 "$runs"); do
    dir=$(mktemp -d /tmp/eduloop-import.XXXXXX)
    if [ "$provider" = postgresql ]; then
        runuser -u postgres -- "$pg_bin/psql" -q -h 127.0.0.1 -p "$pg_port" -U postgres \
            -c "DROP DATABASE IF EXISTS eduloop WITH (FORCE)" -c "CREATE DATABASE eduloop"
    fi
    line=$(dotnet "$app" import --gift "$gift" --data-dir "$dir" | tail -n 1)
    echo "run $run: $line"
    times+=("$(sed -E 's/.* in ([0-9.]+) s[ .].*/\1/' <<<"$line")")
    rm -rf "$dir"
done
median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
echo "median of $runs runs on $provider: ${median} s for ${questions} questions"

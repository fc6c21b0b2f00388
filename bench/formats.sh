#!/usr/bin/env bash
# Import and export figures, each the median of several runs on fresh databases:
#   - preview and commit of 10,000 GIFT questions (the file bench/import.sh writes);
#   - export of 100,000 questions of all eight types (the demo mix of the seed verb) to every format;
#   - commit of that 100,000-row CSV (duplicates imported too, so every row is written), with the
#     process's peak memory (GNU time's maximum RSS).
# Usage: bench/formats.sh [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-3}"
out="bench/out"
mkdir -p "$out"
dotnet build EduLoop.App -c Release -nologo -clp:ErrorsOnly >/dev/null
app="EduLoop.App/bin/Release/net10.0/EduLoop.App.dll"

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
seconds() { sed -E 's/.* in ([0-9.]+) s.*/\1/'; }

# The 10,000-question GIFT file of bench/import.sh, written without importing it.
bash bench/import.sh 10000 0 >/dev/null
gift="$out/import-10000.gift"

for mode in preview commit; do
    times=()
    for run in $(seq 1 "$runs"); do
        dir=$(mktemp -d /tmp/eduloop-formats.XXXXXX)
        extra=()
        [[ $mode == preview ]] && extra=(--preview true)
        line=$(dotnet "$app" import --file "$gift" "${extra[@]}" --data-dir "$dir" | tail -n 1)
        echo "gift $mode, run $run: $line"
        times+=("$(seconds <<<"$line")")
        rm -rf "$dir"
    done
    echo "gift $mode 10,000: median $(printf '%s\n' "${times[@]}" | median) s"
done

bank=$(mktemp -d /tmp/eduloop-bank.XXXXXX)
dotnet "$app" seed --questions 100000 --mix demo --data-dir "$bank" >/dev/null
for format in csv gift moodlexml json aiken; do
    times=()
    for run in $(seq 1 "$runs"); do
        line=$(dotnet "$app" export --format "$format" --out "$out/export-100000.$format" --data-dir "$bank" | tail -n 1)
        times+=("$(seconds <<<"$line")")
    done
    echo "export 100,000 as $format: $line; median $(printf '%s\n' "${times[@]}" | median) s, $(du -h "$out/export-100000.$format" | cut -f1)"
done

times=()
peaks=()
for run in $(seq 1 "$runs"); do
    dir=$(mktemp -d /tmp/eduloop-formats.XXXXXX)
    line=$(/usr/bin/time -f 'peak %M KiB' -o "$out/time.txt" dotnet "$app" import --file "$out/export-100000.csv" --duplicates import --data-dir "$dir" | tail -n 1)
    peak=$(sed -E 's/peak ([0-9]+) KiB/\1/' "$out/time.txt")
    echo "csv commit, run $run: $line; peak memory $((peak / 1024)) MiB"
    times+=("$(seconds <<<"$line")")
    peaks+=("$((peak / 1024))")
    rm -rf "$dir"
done
echo "csv commit 100,000: median $(printf '%s\n' "${times[@]}" | median) s, peak memory median $(printf '%s\n' "${peaks[@]}" | median) MiB"
rm -rf "$bank"

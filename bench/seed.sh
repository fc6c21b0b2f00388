#!/usr/bin/env bash
# Times the seed verb: a fresh database filled with N synthetic questions (default 1,000,000),
# several runs, reporting each run and the median. Usage: bench/seed.sh [questions] [runs]
set -euo pipefail
cd "$(dirname "$0")/.."

questions="${1:-1000000}"
runs="${2:-3}"
out="bench/out"
mkdir -p "$out"

dotnet build EduLoop.App -c Release -nologo -clp:ErrorsOnly >/dev/null
app="EduLoop.App/bin/Release/net10.0/EduLoop.App.dll"

times=()
for run in $(seq 1 "$runs"); do
    dir=$(mktemp -d /tmp/eduloop-seed.XXXXXX)
    line=$(dotnet "$app" seed --questions "$questions" --data-dir "$dir" | tail -n 1)
    echo "run $run: $line"
    seconds=$(sed -E 's/.* in ([0-9.]+) s .*/\1/' <<<"$line")
    times+=("$seconds")
    size=$(du -m "$dir/eduloop.db" | cut -f1)
    rm -rf "$dir"
done

median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
echo "median of $runs runs: ${median} s for ${questions} questions; database ${size} MiB"

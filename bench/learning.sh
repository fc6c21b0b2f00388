#!/usr/bin/env bash
# The learning reads and the graded-answer writer (see bench/RESULTS.md, "The learning loop"): due today
# for a student with 50,000 memory states, their progress page, a class heatmap of 40 students × 200
# subcategories, the statistics of a quiz with 1,000 attempts × 50 slots (BenchmarkDotNet's short run,
# in process), then 64 students answering through the writer for 15 s, then question quality over the
# whole bank (every question with its sums, answers spread over all of them, "Needs review" read).
# The database is made once and kept.
# Usage: bench/learning.sh [questions] [-- BenchmarkDotNet options]
set -euo pipefail
cd "$(dirname "$0")/.."
questions=100000
if [ $# -gt 0 ] && [ "$1" != "--" ]; then
    questions="$1"
    shift
fi
data="/tmp/eduloop-learning-$questions"
mkdir -p bench/out "$data"

dotnet build bench/Learning -c Release -nologo -clp:ErrorsOnly >/dev/null
cd bench/out
dotnet ../Learning/bin/Release/net10.0/Learning.dll "$data" "$questions" "$@"
dotnet ../Learning/bin/Release/net10.0/Learning.dll "$data" "$questions" --recorder
dotnet ../Learning/bin/Release/net10.0/Learning.dll "$data" "$questions" --quality

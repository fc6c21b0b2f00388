#!/usr/bin/env bash
# The hot reads as LINQ against their compiled queries (see bench/RESULTS.md, "Compiled queries"):
# BenchmarkDotNet's short run in process, on a database with the seed verb's synthetic bank, a quiz
# taken by 200 students, a token, an access key and a practice session. The database is made once and
# kept. Usage: bench/compiled-queries.sh [questions] [--interleaved] [-- BenchmarkDotNet options]
set -euo pipefail
cd "$(dirname "$0")/.."
questions=100000
if [ $# -gt 0 ] && [ "$1" != "--" ]; then
    questions="$1"
    shift
fi
data="/tmp/eduloop-compiled-$questions"
mkdir -p bench/out

dotnet build bench/CompiledQueries -c Release -nologo -clp:ErrorsOnly >/dev/null
cd bench/out
dotnet ../CompiledQueries/bin/Release/net10.0/CompiledQueries.dll "$data" "$questions" "$@"

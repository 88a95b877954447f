#!/usr/bin/env bash
# Keep the benchmarks working: `unionhall bench tree` at a tiny scale on a temporary SQLite database,
# then on a throwaway PostgreSQL cluster. Checks that the commands run, not the figures (see docs/benchmarks.md).
set -euo pipefail
cd "$(dirname "$0")/.."
UNITS="${BENCH_SMOKE_UNITS:-2000}"
REPEAT="${BENCH_SMOKE_REPEAT:-5}"
BENCH=(.venv/bin/unionhall bench tree --units "$UNITS" --repeat "$REPEAT")

TMP="$(mktemp -d /tmp/unionhall-bench.XXXXXX)"
trap 'rm -rf "$TMP"' EXIT

echo "== bench tree on SQLite ($UNITS units)"
DATABASE_URL="sqlite:///$TMP/bench.sqlite3" bash -c '.venv/bin/unionhall migrate --no-input -v 0 && "$@"' _ "${BENCH[@]}"

echo "== bench tree on PostgreSQL ($UNITS units)"
scripts/with_postgres.sh bash -c '.venv/bin/unionhall migrate --no-input -v 0 && "$@"' _ "${BENCH[@]}"

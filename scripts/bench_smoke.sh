#!/usr/bin/env bash
# Keep the benchmarks working: every `unionhall bench` at a tiny scale on a temporary SQLite database,
# then on a throwaway PostgreSQL cluster. Checks that the commands run, not the figures (see docs/benchmarks.md).
set -euo pipefail
cd "$(dirname "$0")/.."
UNITS="${BENCH_SMOKE_UNITS:-2000}"
MEMBERS="${BENCH_SMOKE_MEMBERS:-5000}"
REPEAT="${BENCH_SMOKE_REPEAT:-3}"
UH=.venv/bin/unionhall
SMOKE=(
  "$UH migrate --no-input -v 0"
  "$UH generate --units $UNITS --members $MEMBERS"
  "$UH bench tree --units $UNITS --repeat $REPEAT"
  "$UH bench import --rows 2000 --xlsx-rows 500"
  "$UH bench search --repeat $REPEAT"
  "$UH bench eligibility --people 500 --years 2"
  "$UH bench attendance --checkins 300 --employers 200"
  "$UH bench report --tiny --repeat $REPEAT"
)
SCRIPT="$(printf '%s && ' "${SMOKE[@]}")true"

TMP="$(mktemp -d /tmp/unionhall-bench.XXXXXX)"
trap 'rm -rf "$TMP"' EXIT

echo "== benchmarks on SQLite ($UNITS units, $MEMBERS members)"
DATABASE_URL="sqlite:///$TMP/bench.sqlite3" bash -c "$SCRIPT"

echo "== benchmarks on PostgreSQL ($UNITS units, $MEMBERS members)"
scripts/with_postgres.sh bash -c "$SCRIPT"

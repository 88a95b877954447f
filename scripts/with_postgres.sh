#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL 15 cluster started here and stopped afterwards.
# As root, initdb and pg_ctl refuse to run, so they run as the postgres user.
# PG_OPTIONS adds server settings, e.g. a production-sized memory for benchmarks:
#   PG_OPTIONS="-c shared_buffers=4GB -c effective_cache_size=16GB -c maintenance_work_mem=2GB"
set -euo pipefail
PGBIN="${PGBIN:-/usr/lib/postgresql/15/bin}"
[ -x "$PGBIN/initdb" ] || { echo "PostgreSQL 15 is not installed ($PGBIN/initdb missing)." >&2; exit 1; }
PORT="${PGPORT_TEST:-$(( 54000 + RANDOM % 900 ))}"
DATA="$(mktemp -d /tmp/unionhall-pg.XXXXXX)"
as_postgres() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
[ "$(id -u)" -eq 0 ] && chown postgres: "$DATA"
cleanup() {
  as_postgres "$PGBIN/pg_ctl" -D "$DATA" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$DATA"
}
trap cleanup EXIT
as_postgres "$PGBIN/initdb" -D "$DATA" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 -N >/dev/null
as_postgres "$PGBIN/pg_ctl" -D "$DATA" -l "$DATA/log" -w start -o \
  "-p $PORT -k $DATA -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c jit=off ${PG_OPTIONS:-}" >/dev/null
"$PGBIN/createdb" -h 127.0.0.1 -p "$PORT" -U postgres unionhall  # for commands such as migrate; tests create their own
export DATABASE_URL="postgres://postgres@127.0.0.1:$PORT/unionhall"
"$@"

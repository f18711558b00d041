#!/usr/bin/env bash
# A private PostgreSQL cluster for a run: in a temporary folder, on a free loopback port only, stopped
# and removed however the run ends. Sourced by scripts/test.sh (start_cluster sets TEST_POSTGRES_URL);
# run directly, it starts a cluster, runs the command given with TEST_POSTGRES_URL set, then stops it:
#   bash scripts/postgres-cluster.sh COMMAND [ARGUMENTS…]     (npm run bench -- --scale does this)

cluster_dir=''
pg_bin=''
# Runs a PostgreSQL program as the cluster's owner: the postgres user when we are root (PostgreSQL
# refuses to run as root), ourselves otherwise. From / so that the postgres user may read the folder.
as_owner() {
  if [ "$(id -u)" = 0 ]; then
    (cd / && runuser -u postgres -- "$@")
  else
    (cd / && "$@")
  fi
}

stop_cluster() {
  if [ -n "$cluster_dir" ] && [ -d "$cluster_dir" ]; then
    [ -f "$cluster_dir/data/postmaster.pid" ] && as_owner "$pg_bin/pg_ctl" -D "$cluster_dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    rm -rf "$cluster_dir"
  fi
}

start_cluster() {
  pg_bin=$(find /usr/lib/postgresql -maxdepth 2 -name bin -type d 2>/dev/null | sort -V | tail -1)
  [ -n "$pg_bin" ] || pg_bin=$(dirname "$(command -v initdb || echo /missing/initdb)")
  if [ ! -x "$pg_bin/initdb" ]; then
    echo "PostgreSQL is not installed (initdb not found): run bash scripts/ensure-test-packages.sh as root, or sudo apt-get install -y postgresql" >&2
    return 1
  fi
  cluster_dir=$(mktemp -d "${TMPDIR:-/tmp}/helpdesk-pg.XXXXXX")
  trap stop_cluster EXIT
  trap 'exit 130' INT TERM
  [ "$(id -u)" = 0 ] && chown postgres "$cluster_dir"
  local port password
  port=$(node -e "const s = require('net').createServer(); s.listen(0, '127.0.0.1', () => { console.log(s.address().port); s.close(); })")
  password=$(head -c 18 /dev/urandom | od -An -tx1 | tr -d ' \n')
  as_owner "$pg_bin/initdb" -D "$cluster_dir/data" -U postgres -E UTF8 --locale=C.UTF-8 \
    --auth-local=trust --auth-host=scram-sha-256 --no-sync >"$cluster_dir/initdb.log" 2>&1 ||
    { cat "$cluster_dir/initdb.log" >&2; return 1; }
  # A throwaway cluster: durability settings off for speed; room for every test app's pool.
  if ! as_owner "$pg_bin/pg_ctl" -D "$cluster_dir/data" -l "$cluster_dir/data/server.log" -w -t 60 \
    -o "-p $port -k $cluster_dir -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >/dev/null; then
    cat "$cluster_dir/data/server.log" >&2
    return 1
  fi
  # pg_signal_backend: dropping a test's database WITH (FORCE) must be able to end an autovacuum
  # worker that happens to be in it, or the drop fails now and then.
  as_owner "$pg_bin/psql" -X -q -v ON_ERROR_STOP=1 -h "$cluster_dir" -p "$port" -U postgres -d postgres \
    -c "CREATE ROLE helpdesk_test LOGIN CREATEDB PASSWORD '$password'" \
    -c "GRANT pg_signal_backend TO helpdesk_test" \
    -c "CREATE DATABASE helpdesk_test OWNER helpdesk_test"
  export TEST_POSTGRES_URL="postgres://helpdesk_test:${password}@127.0.0.1:${port}/helpdesk_test"
  echo "PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') on 127.0.0.1:${port} (${cluster_dir})"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -euo pipefail
  [ $# -gt 0 ] || { echo "usage: bash scripts/postgres-cluster.sh COMMAND [ARGUMENTS…]" >&2; exit 2; }
  start_cluster >&2
  status=0
  "$@" || status=$?
  exit "$status"
fi

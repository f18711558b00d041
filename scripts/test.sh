#!/usr/bin/env bash
# The whole suite on SQLite, then again on PostgreSQL in a private cluster started for the run.
#   bash scripts/test.sh [--sqlite | --postgres] [mocha arguments…]
# --sqlite or --postgres runs one database only. With TEST_POSTGRES_URL already set (a role that may
# create databases), that cluster is used and none is started. The cluster lives in a temporary
# folder, listens on a free loopback port only, and is stopped and removed however the run ends.
set -euo pipefail
cd "$(dirname "$0")/.."

databases=(sqlite postgres)
case "${1:-}" in
  --sqlite) databases=(sqlite); shift ;;
  --postgres) databases=(postgres); shift ;;
esac

run_mocha() { # DATABASE [mocha arguments…]
  local database=$1
  shift
  echo "== Tests on ${database} =="
  local started=$SECONDS status=0
  TEST_DATABASE=$database npx mocha "$@" || status=$?
  echo "== ${database}: $((SECONDS - started)) s, $([ "$status" = 0 ] && echo passed || echo "FAILED (exit ${status})") =="
  return "$status"
}

# start_cluster and stop_cluster
source scripts/postgres-cluster.sh

failed=()
for database in "${databases[@]}"; do
  if [ "$database" = postgres ] && [ -z "${TEST_POSTGRES_URL:-}" ]; then
    start_cluster
  fi
  run_mocha "$database" "$@" || failed+=("$database")
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "Failed on: ${failed[*]}" >&2
  exit 1
fi

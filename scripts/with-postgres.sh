#!/usr/bin/env bash
# Runs a command with a throwaway PostgreSQL server on loopback and DATABASE_URL exported.
# The server lives in a temporary directory and is stopped when the command ends.
# initdb refuses to run as root, so as root the server runs as an unprivileged user.
set -euo pipefail

# Debian's postgresql package keeps its programs out of the PATH.
if ! command -v initdb >/dev/null; then
  for bin in /usr/lib/postgresql/*/bin; do if [ -x "$bin/initdb" ]; then PATH="$bin:$PATH"; fi; done
fi
if ! command -v initdb >/dev/null || ! command -v pg_ctl >/dev/null; then
  echo "with-postgres: initdb/pg_ctl not found on PATH (install PostgreSQL 15)" >&2
  exit 1
fi

pg_dir=$(mktemp -d /tmp/pgroup-pg.XXXXXX)
port=${PGROUP_TEST_PG_PORT:-$((20000 + RANDOM % 20000))}
as_user=()
if [ "$(id -u)" = 0 ]; then
  os_user=${PGROUP_TEST_PG_OSUSER:-nobody}
  chown "$os_user" "$pg_dir"
  as_user=(runuser -u "$os_user" --)
fi

"${as_user[@]}" initdb -D "$pg_dir/data" -U postgres --auth=trust -E UTF8 >"$pg_dir/initdb.log" 2>&1 \
  || { cat "$pg_dir/initdb.log" >&2; exit 1; }
"${as_user[@]}" pg_ctl -D "$pg_dir/data" -l "$pg_dir/server.log" -w \
  -o "-c listen_addresses=127.0.0.1 -p $port -k $pg_dir -c fsync=off -c max_connections=200" start >/dev/null \
  || { cat "$pg_dir/server.log" >&2; exit 1; }

stop_pg() {
  "${as_user[@]}" pg_ctl -D "$pg_dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$pg_dir"
}
trap stop_pg EXIT

export DATABASE_URL="postgres://postgres@127.0.0.1:$port/postgres"
# For tests that restart the server to simulate a dropped connection.
export PGROUP_TEST_PG_DATA="$pg_dir/data"
export PGROUP_TEST_PG_CTL="${as_user[*]} pg_ctl"
echo "with-postgres: PostgreSQL on 127.0.0.1:$port"
"$@"

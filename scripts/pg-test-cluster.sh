#!/usr/bin/env bash
# A throw-away PostgreSQL cluster for attend's tests and benches: initdb in a temporary directory,
# a free port on 127.0.0.1 and a unix socket in that directory, fsync off (nothing in it outlives
# the run). See docs/architecture.md, "PostgreSQL".
#
#   scripts/pg-test-cluster.sh install        installs Debian's postgresql when no initdb is found (root)
#   eval "$(scripts/pg-test-cluster.sh start)" starts a cluster; exports ATTEND_TEST_PG (its URL)
#                                             and ATTEND_TEST_PG_DIR (its directory)
#   scripts/pg-test-cluster.sh stop DIR       stops the cluster in DIR and removes DIR
#   scripts/pg-test-cluster.sh run CMD...     starts one, runs CMD with ATTEND_TEST_PG set, stops it
#
# As root (CI, this project's machines) the server runs as the `postgres` user: PostgreSQL refuses
# to run as root. Any other user runs it as themselves.
set -euo pipefail

# The file that marks a directory as ours: `stop` removes nothing else.
MARKER=attend-pg-test-cluster

say() { printf 'pg-test-cluster: %s\n' "$*" >&2; }

# The directory holding initdb and pg_ctl: $PG_BINDIR when set (a chosen installation), else
# initdb on PATH, else pg_config's bindir (Debian's pg_config comes with libpq-dev and names the
# server's directory), else Debian's newest /usr/lib/postgresql/N/bin. Prints nothing when there is
# none.
pg_bindir() {
  local found dir
  if [ -n "${PG_BINDIR:-}" ]; then
    if [ -x "$PG_BINDIR/initdb" ]; then echo "$PG_BINDIR"; fi
    return 0
  fi
  if found=$(command -v initdb 2>/dev/null); then
    dirname "$(readlink -f "$found")"
    return 0
  fi
  if dir=$(pg_config --bindir 2>/dev/null) && [ -x "$dir/initdb" ]; then
    echo "$dir"
    return 0
  fi
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [ -x "$dir/initdb" ]; then
      echo "$dir"
      return 0
    fi
  done
}

install_postgres() {
  if [ -n "$(pg_bindir)" ]; then
    say "PostgreSQL found in $(pg_bindir)"
    return 0
  fi
  if [ "$(id -u)" != 0 ]; then
    say "no initdb found; install PostgreSQL (Debian: apt-get install postgresql) or run this as root"
    return 1
  fi
  say "no initdb found: installing Debian's postgresql"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >/dev/null
  if [ -z "$(pg_bindir)" ]; then
    say "postgresql was installed but no initdb was found"
    return 1
  fi
  say "PostgreSQL installed in $(pg_bindir)"
}

# Runs a command as the cluster's owner: `postgres` when we are root, else ourselves.
as_owner() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

free_port() {
  node -e "const s = require('net').createServer(); s.listen(0, '127.0.0.1', () => { console.log(s.address().port); s.close() })"
}

start_cluster() {
  local bindir dir port attempt
  bindir=$(pg_bindir)
  if [ -z "$bindir" ]; then
    say "no initdb found (run: scripts/pg-test-cluster.sh install)"
    return 1
  fi
  # As root the server runs as postgres, which must reach the directory: /tmp, whatever TMPDIR says.
  if [ "$(id -u)" = 0 ]; then
    dir=$(mktemp -d /tmp/attend-pg.XXXXXX)
  else
    dir=$(mktemp -d "${TMPDIR:-/tmp}/attend-pg.XXXXXX")
  fi
  touch "$dir/$MARKER"
  if [ "$(id -u)" = 0 ]; then
    chown -R postgres: "$dir"
  fi
  # C collation: the same byte order on every machine, and no locale package needed.
  if ! as_owner "$bindir/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C --no-sync >"$dir/initdb.log" 2>&1; then
    cat "$dir/initdb.log" >&2
    rm -rf "$dir"
    return 1
  fi
  # A port taken between free_port and the server's bind makes the start fail: try another.
  for attempt in 1 2 3 4 5; do
    port=$(free_port)
    if as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 -s \
      -o "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories=$dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
      start >&2; then
      say "PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on 127.0.0.1:$port, data in $dir"
      printf 'export ATTEND_TEST_PG=%q\n' "postgres://postgres@127.0.0.1:$port/postgres"
      printf 'export ATTEND_TEST_PG_DIR=%q\n' "$dir"
      return 0
    fi
    say "start on port $port failed (attempt $attempt)"
  done
  tail -n 20 "$dir/server.log" >&2 || true
  rm -rf "$dir"
  return 1
}

stop_cluster() {
  local dir=${1:-} bindir
  if [ -z "$dir" ] || [ ! -e "$dir/$MARKER" ]; then
    say "$dir is not a cluster directory made by this script; nothing removed"
    return 1
  fi
  bindir=$(pg_bindir)
  if [ -n "$bindir" ] && [ -e "$dir/data/postmaster.pid" ]; then
    # immediate: the data is thrown away next, so there is nothing to flush.
    as_owner "$bindir/pg_ctl" -D "$dir/data" -m immediate -w -s stop >&2 || true
  fi
  rm -rf "$dir"
}

run_with_cluster() {
  local status=0
  eval "$(start_cluster)"
  # shellcheck disable=SC2064 # the directory is fixed now
  trap "stop_cluster '$ATTEND_TEST_PG_DIR'" EXIT
  "$@" || status=$?
  return "$status"
}

case "${1:-}" in
  install) install_postgres ;;
  start) start_cluster ;;
  stop) stop_cluster "${2:-}" ;;
  run)
    shift
    [ $# -gt 0 ] || { say "usage: $0 run CMD [ARGS...]"; exit 2; }
    run_with_cluster "$@"
    ;;
  bindir) pg_bindir ;;
  *)
    say "usage: $0 install | start | stop DIR | run CMD [ARGS...] | bindir"
    exit 2
    ;;
esac

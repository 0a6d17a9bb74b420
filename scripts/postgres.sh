#!/usr/bin/env bash
# A throw-away PostgreSQL cluster on loopback for the tests (Debian's postgresql package).
#
#   scripts/postgres.sh start DIR    # initdb in DIR, start on a free port, print the URL postgresql://...
#   scripts/postgres.sh stop DIR     # stop it and remove DIR
set -euo pipefail
action="${1:?start or stop}"; dir="${2:?a folder for the cluster}"
bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
[ -x "$bin/initdb" ] || { echo "PostgreSQL's server is not installed: apt-get install postgresql" >&2; exit 1; }
as_owner=()
# initdb refuses to run as root: run the cluster as Debian's postgres user then.
if [ "$(id -u)" = 0 ]; then as_owner=(runuser -u postgres --); fi
case "$action" in
  start)
    mkdir -p "$dir"; [ "$(id -u)" = 0 ] && chown postgres "$dir"
    port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
    "${as_owner[@]}" "$bin/initdb" -D "$dir/data" -U symstudy --auth=trust -E UTF8 >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; exit 1; }
    "${as_owner[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=off" start >/dev/null \
      || { cat "$dir/server.log" >&2; exit 1; }
    "${as_owner[@]}" "$bin/createdb" -h 127.0.0.1 -p "$port" -U symstudy symstudy_test
    echo "postgresql://symstudy@127.0.0.1:$port/symstudy_test"
    ;;
  stop)
    if [ -d "$dir/data" ]; then "${as_owner[@]}" "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true; fi
    rm -rf "$dir"
    ;;
  *) echo "unknown action '$action' (start, stop)" >&2; exit 2 ;;
esac

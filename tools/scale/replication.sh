#!/usr/bin/env bash
# A MariaDB primary and one replica on loopback, each with its own data folder, for trying
# and testing read replicas (docs/scale.md). Uses the installed MariaDB (10.11+:
# mariadb-install-db, mariadbd); nothing is installed and no system service is touched.
#
#   tools/scale/replication.sh start           create (first time) and start both, replication on
#   tools/scale/replication.sh stop            stop both (data folders kept)
#   tools/scale/replication.sh start-replica   start the replica server only (it resumes replicating)
#   tools/scale/replication.sh stop-replica    stop the replica server only
#   tools/scale/replication.sh delay SECONDS   MASTER_DELAY on the replica (0: none)
#   tools/scale/replication.sh status          SHOW REPLICA STATUS of the replica
#   tools/scale/replication.sh urls            DATABASE_URL and DATABASE_REPLICA_URLS to use
#   tools/scale/replication.sh destroy         stop both and delete the data folders
#
# Environment (defaults in brackets):
#   REPLICATION_DIR           data, sockets and logs [/tmp/oneroster-replication]
#   REPLICATION_PRIMARY_PORT  [3316]
#   REPLICATION_REPLICA_PORT  [3317]
#   REPLICATION_DATABASE      database named by `urls` [oneroster]
#
# Settings: both servers have a binary log (ROW format) and GTIDs; the primary is
# server_id 1, the replica server_id 2, read_only, replicating with MASTER_USE_GTID=slave_pos
# as user `repl`. `root@127.0.0.1` has an empty password on both (loopback only).
set -euo pipefail

DIR="${REPLICATION_DIR:-/tmp/oneroster-replication}"
PRIMARY_PORT="${REPLICATION_PRIMARY_PORT:-3316}"
REPLICA_PORT="${REPLICATION_REPLICA_PORT:-3317}"
DATABASE="${REPLICATION_DATABASE:-oneroster}"
RUN_AS="$(id -un)"

port_of() { [ "$1" = primary ] && echo "$PRIMARY_PORT" || echo "$REPLICA_PORT"; }
sock_of() { echo "$DIR/$1/mariadb.sock"; }
sql() { mariadb --no-defaults -uroot --socket="$(sock_of "$1")" -e "$2"; }
running() { [ -S "$(sock_of "$1")" ] && mariadb-admin --no-defaults -uroot --socket="$(sock_of "$1")" ping >/dev/null 2>&1; }

start_server() {
  local name="$1" id="$2" fresh=0
  shift 2
  local d="$DIR/$name"
  if running "$name"; then echo "$name already running on 127.0.0.1:$(port_of "$name")"; return 0; fi
  mkdir -p "$d"
  if [ ! -d "$d/data/mysql" ]; then
    fresh=1
    mariadb-install-db --no-defaults --datadir="$d/data" --user="$RUN_AS" \
      --auth-root-authentication-method=normal --skip-test-db >"$d/install.log" 2>&1
  fi
  setsid mariadbd --no-defaults --user="$RUN_AS" --datadir="$d/data" \
    --socket="$(sock_of "$name")" --pid-file="$d/mariadb.pid" --log-error="$d/error.log" \
    --port="$(port_of "$name")" --bind-address=127.0.0.1 --skip-name-resolve \
    --server-id="$id" --log-bin="$d/data/binlog" --binlog-format=ROW --log-slave-updates \
    --character-set-server=utf8mb4 --collation-server=utf8mb4_bin \
    --innodb-buffer-pool-size=64M --max-connections=200 "$@" </dev/null >/dev/null 2>&1 &
  for _ in $(seq 1 150); do
    running "$name" && break
    sleep 0.2
  done
  running "$name" || { echo "$name did not start; see $d/error.log" >&2; tail -20 "$d/error.log" >&2; exit 1; }
  echo "$name up on 127.0.0.1:$(port_of "$name") (data $d/data)"
  [ "$fresh" = 1 ] && return 10 || return 0
}

stop_server() {
  local name="$1" d="$DIR/$1"
  if ! running "$name"; then echo "$name not running"; return 0; fi
  local pid
  pid="$(cat "$d/mariadb.pid" 2>/dev/null || true)"
  mariadb-admin --no-defaults -uroot --socket="$(sock_of "$name")" shutdown
  for _ in $(seq 1 150); do
    { [ -z "$pid" ] || ! kill -0 "$pid" 2>/dev/null; } && break
    sleep 0.2
  done
  echo "$name stopped"
}

loopback_root="CREATE USER IF NOT EXISTS 'root'@'127.0.0.1' IDENTIFIED BY '';
  GRANT ALL PRIVILEGES ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION;"

start_primary() {
  local rc=0
  start_server primary 1 || rc=$?
  [ "$rc" = 0 ] || [ "$rc" = 10 ] || exit "$rc"
  if [ "$rc" = 10 ]; then
    sql primary "$loopback_root
      CREATE USER IF NOT EXISTS 'repl'@'127.0.0.1' IDENTIFIED BY 'repl';
      GRANT REPLICATION SLAVE ON *.* TO 'repl'@'127.0.0.1';"
  fi
}

start_replica() {
  local rc=0
  start_server replica 2 --read-only=1 --relay-log="$DIR/replica/data/relay" || rc=$?
  [ "$rc" = 0 ] || [ "$rc" = 10 ] || exit "$rc"
  if [ "$rc" = 10 ]; then
    # Local accounts stay out of the replica's binary log (no GTID of its own).
    sql replica "SET SESSION sql_log_bin = 0; $loopback_root
      CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=$PRIMARY_PORT,
        MASTER_USER='repl', MASTER_PASSWORD='repl', MASTER_USE_GTID=slave_pos,
        MASTER_CONNECT_RETRY=1;
      START SLAVE;"
  fi
}

case "${1:-}" in
  start) start_primary; start_replica ;;
  stop) stop_server replica; stop_server primary ;;
  start-replica) start_replica ;;
  stop-replica) stop_server replica ;;
  delay)
    sql replica "STOP SLAVE; CHANGE MASTER TO MASTER_DELAY=${2:?seconds}; START SLAVE;"
    echo "replica delayed by $2 s" ;;
  status) sql replica 'SHOW REPLICA STATUS\G' ;;
  urls)
    echo "DATABASE_URL=mariadb://root@127.0.0.1:$PRIMARY_PORT/$DATABASE"
    echo "DATABASE_REPLICA_URLS=mariadb://root@127.0.0.1:$REPLICA_PORT/$DATABASE" ;;
  destroy) stop_server replica; stop_server primary; rm -rf "$DIR" ;;
  *) sed -n '2,25p' "$0" >&2; exit 2 ;;
esac

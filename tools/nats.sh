#!/usr/bin/env bash
# taskinbox's own nats-server (operator mode, JetStream), apart from any other NATS on the machine.
#   tools/nats.sh install                 installs Debian's nats-server when /usr/sbin/nats-server is missing
#   tools/nats.sh start <dir> <port>      runs nats-server -c <dir>/nats-server.conf in the background
#                                         (pid in <dir>/server.pid, log in <dir>/server.log) unless it runs
#   tools/nats.sh stop <dir>              stops it (SIGTERM; JetStream flushes)
#   tools/nats.sh restart <dir> <port>
# The configuration and keys come from `npm run cli -- nats:init` (libs/nats-accounts).
set -euo pipefail

binary=${NATS_SERVER_BIN:-/usr/sbin/nats-server}

install() {
  [ -x "$binary" ] && return 0
  command -v apt-get >/dev/null || { echo "nats: $binary missing and no apt-get to install it" >&2; return 1; }
  [ -n "$(find /var/lib/apt/lists -maxdepth 1 -name '*Packages*' -print -quit 2>/dev/null)" ] || apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nats-server >/dev/null
}

running() { [ -f "$1/server.pid" ] && kill -0 "$(cat "$1/server.pid")" 2>/dev/null; }

start() {
  local dir=$1 port=$2
  install
  running "$dir" && return 0
  "$binary" -c "$dir/nats-server.conf" >>"$dir/server.log" 2>&1 &
  echo $! > "$dir/server.pid"
  for _ in $(seq 1 60); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return 0
    running "$dir" || break
    sleep 0.25
  done
  echo "nats: nats-server did not start on port $port; see $dir/server.log" >&2
  return 1
}

stop() {
  local dir=$1
  running "$dir" || return 0
  local pid; pid=$(cat "$dir/server.pid")
  kill -TERM "$pid"
  for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.25; done
  kill -KILL "$pid"
}

case "${1:-}" in
  install) install ;;
  start) start "$2" "$3" ;;
  stop) stop "$2" ;;
  restart) stop "$2"; start "$2" "$3" ;;
  *) sed -n '2,8p' "$0" >&2; exit 2 ;;
esac

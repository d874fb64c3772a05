#!/usr/bin/env bash
# Makes sure PostgreSQL, Redis and NATS (JetStream) answer on their usual local ports,
# installing (Debian packages) and starting whichever does not. Safe to run repeatedly.
set -euo pipefail

listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_for() {
  local name=$1 port=$2
  for _ in $(seq 1 60); do listening "$port" && return 0; sleep 0.5; done
  echo "services: $name did not start on port $port" >&2
  return 1
}

apt_install() {
  command -v apt-get >/dev/null || { echo "services: $* missing and no apt-get to install it" >&2; return 1; }
  [ -n "$(find /var/lib/apt/lists -maxdepth 1 -name '*Packages*' -print -quit 2>/dev/null)" ] || apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

ensure_postgres() {
  listening 5432 && return 0
  ls /etc/postgresql/*/main >/dev/null 2>&1 || apt_install postgresql
  local version; version=$(ls /etc/postgresql | sort -V | tail -1)
  pg_ctlcluster --skip-systemctl-redirect "$version" main start
  wait_for PostgreSQL 5432
}

ensure_redis() {
  listening 6379 && return 0
  command -v redis-server >/dev/null || apt_install redis-server
  mkdir -p /var/lib/redis /var/log/redis
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log
  wait_for Redis 6379
}

ensure_nats() {
  listening 4222 && return 0
  [ -x /usr/sbin/nats-server ] || apt_install nats-server
  mkdir -p /var/lib/nats-server
  start-stop-daemon --start --oknodo --background --exec /usr/sbin/nats-server -- \
    -a 127.0.0.1 -p 4222 -js -sd /var/lib/nats-server -l /var/log/nats-server.log
  wait_for NATS 4222
}

ensure_postgres
ensure_redis
ensure_nats
echo "services: PostgreSQL :5432, Redis :6379, NATS+JetStream :4222 are up"

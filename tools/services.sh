#!/usr/bin/env bash
# Makes sure PostgreSQL and Redis answer on their usual local ports, installing (Debian
# packages) and starting whichever does not, and that nats-server is installed: npm start and
# npm test run their own (tools/nats.sh), never the machine's. Safe to run repeatedly.
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

ensure_postgres
ensure_redis
bash "$(dirname "$0")/nats.sh" install
echo "services: PostgreSQL :5432 and Redis :6379 are up; nats-server is installed"

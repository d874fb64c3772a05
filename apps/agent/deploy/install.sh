#!/bin/sh
# Installs the taskinbox device agent on a Linux machine with systemd and enrols it, in one go:
#   curl -fsSL https://TASKINBOX/api/devices/agent-files/install.sh | sudo sh -s -- --server https://TASKINBOX --token tie_…
# Needs Node.js 20 or later (Debian 13 / Ubuntu 24.04: apt-get install nodejs). Idempotent: run it
# again to upgrade the agent; an enrolled device keeps its identity.
set -eu

server=""
token=""
name=""
labels=""
while [ $# -gt 0 ]; do
  case "$1" in
    --server) server=$2; shift 2 ;;
    --token) token=$2; shift 2 ;;
    --name) name=$2; shift 2 ;;
    --labels) labels=$2; shift 2 ;;
    *) echo "install.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
[ -n "$server" ] || { echo "usage: install.sh --server https://taskinbox.example.com --token tie_… [--name NAME] [--labels k=v,…]" >&2; exit 2; }
[ "$(id -u)" -eq 0 ] || { echo "install.sh: run as root (sudo)" >&2; exit 1; }
command -v systemctl >/dev/null || { echo "install.sh: systemd is needed" >&2; exit 1; }
command -v node >/dev/null || { echo "install.sh: Node.js 20 or later is needed (apt-get install nodejs)" >&2; exit 1; }
node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 20 ? 0 : 1)' ||
  { echo "install.sh: Node.js $(node --version) is too old: 20 or later is needed" >&2; exit 1; }

# The user jobs run as: no login, no home of value, no sudo.
id taskinbox-run >/dev/null 2>&1 || useradd --system --user-group --home-dir /nonexistent --shell /usr/sbin/nologin taskinbox-run

install -d -m 0755 /opt/taskinbox-agent
curl -fsSL "$server/api/devices/agent-files/taskinbox-agent.js" -o /opt/taskinbox-agent/taskinbox-agent.js.new
mv /opt/taskinbox-agent/taskinbox-agent.js.new /opt/taskinbox-agent/taskinbox-agent.js
chmod 0755 /opt/taskinbox-agent/taskinbox-agent.js
curl -fsSL "$server/api/devices/agent-files/taskinbox-agent.service" -o /etc/systemd/system/taskinbox-agent.service

install -d -m 0700 /etc/taskinbox-agent /var/lib/taskinbox-agent
if [ ! -f /etc/taskinbox-agent/agent.env ]; then
  umask 077
  {
    echo "TASKINBOX_AGENT_STATE_DIR=/var/lib/taskinbox-agent"
    echo "TASKINBOX_AGENT_RUN_AS=taskinbox-run"
    echo "# Users a job may name in runAs (comma-separated); root only if listed here."
    echo "TASKINBOX_AGENT_ALLOWED_USERS=taskinbox-run"
    echo "TASKINBOX_AGENT_LABELS=$labels"
  } > /etc/taskinbox-agent/agent.env
fi

if [ -n "$token" ] && [ ! -f /var/lib/taskinbox-agent/identity.json ]; then
  set -a; . /etc/taskinbox-agent/agent.env; set +a
  if [ -n "$name" ]; then
    node /opt/taskinbox-agent/taskinbox-agent.js enrol --server "$server" --token "$token" --name "$name"
  else
    node /opt/taskinbox-agent/taskinbox-agent.js enrol --server "$server" --token "$token"
  fi
fi

systemctl daemon-reload
systemctl enable taskinbox-agent >/dev/null
systemctl restart taskinbox-agent
echo "taskinbox agent installed and running: journalctl -u taskinbox-agent -f"

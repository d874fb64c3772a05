#!/usr/bin/env bash
# npm start: everything taskinbox needs on a fresh machine, then the one-process server.
set -euo pipefail
cd "$(dirname "$0")/.."

bash tools/services.sh
bash tools/install.sh
node tools/build.js && npm run --silent build:web

# Local secrets (session tokens; webhook secrets at rest), made once, owner-only, kept out of git.
bash tools/local-secrets.sh .taskinbox
set -a; . .taskinbox/env; set +a

# taskinbox's own nats-server (operator mode, JetStream) on a port of its own, unless NATS_URL
# names another. Its keys and creds stay in .taskinbox/nats (mode 700, files 600).
if [ -z "${NATS_URL:-}" ]; then
  nats_port=${TASKINBOX_NATS_PORT:-4322}
  export NATS_URL="nats://127.0.0.1:${nats_port}"
  node dist/apps/cli/src/main.js nats:init --dir .taskinbox/nats --port "$nats_port" >/dev/null
  bash tools/nats.sh start .taskinbox/nats "$nats_port"
  export NATS_CREDS=.taskinbox/nats/taskinbox.creds NATS_ISSUER=.taskinbox/nats/issuer.json
fi

bash tools/first-admin.sh .taskinbox
port=${HTTP_PORT:-3000}
echo
echo "taskinbox: http://localhost:${port}  (API docs: http://localhost:${port}/api/docs)"
if [ -f .taskinbox/first-admin.json ]; then
  node -e 'const a=require("./.taskinbox/first-admin.json");console.log(`sign in at http://localhost:'"${port}"' as ${a.email} with password ${a.password} (you will be asked to choose your own)`)'
fi
echo "more users and API keys: npm run cli -- help"
echo "NATS: ${NATS_URL} (operator mode; an outside service's creds: npm run cli -- nats:creds --for outside --name <service>)"
echo
# The server runs on the Node line the image ships (tools/node-lts.sh), not the machine's own.
exec bash tools/node-lts.sh --enable-source-maps dist/apps/taskinbox/src/main.js

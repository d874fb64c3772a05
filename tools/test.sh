#!/usr/bin/env bash
# npm test: every check and every test, against real PostgreSQL, NATS and Redis.
set -euo pipefail
cd "$(dirname "$0")/.."

bash tools/services.sh
bash tools/install.sh
echo "== type check";  npx tsc -p tsconfig.json
echo "== lint";        npx eslint --max-warnings 0 apps libs tools
echo "== build";       node tools/build.js
echo "== tests";       npx jest --ci --maxWorkers=2 "$@"

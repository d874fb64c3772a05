#!/usr/bin/env bash
# npm test: every check and every test, against real PostgreSQL, NATS and Redis.
set -euo pipefail
cd "$(dirname "$0")/.."

bash tools/services.sh
bash tools/install.sh
bash tools/browser.sh
echo "== type check";  npx tsc -p tsconfig.json; npx tsc -p apps/web/tsconfig.json
echo "== lint";        npx eslint --max-warnings 0 apps libs tools
echo "== openapi";     bash tools/openapi/lint.sh
echo "== build";       node tools/build.js && npm run --silent build:web
# On the Node line the image ships (tools/node-lts.sh), not the machine's own, which may be older.
echo "== tests on Node $(bash tools/node-lts.sh -v)"
bash tools/node-lts.sh node_modules/jest/bin/jest.js --ci --maxWorkers=2 "$@"
bash tools/unit-oldest.sh

#!/usr/bin/env bash
# The unit tests once more on the current LTS Node (tools/node-lts.sh), so nothing depends on
# behaviour only the Node that runs the rest of the suite has.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== unit tests on Node $(bash tools/node-lts.sh -v)"
bash tools/node-lts.sh node_modules/jest/bin/jest.js --ci --selectProjects unit --maxWorkers=2 "$@"

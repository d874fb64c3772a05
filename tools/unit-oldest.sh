#!/usr/bin/env bash
# The unit tests once more on the oldest Node line package.json's engines support (the rest of
# the suite runs on the line the image ships), so nothing depends on behaviour only one line has.
set -euo pipefail
cd "$(dirname "$0")/.."

export NODE_LTS_LINE=${NODE_OLDEST_LINE:-22}
echo "== unit tests on Node $(bash tools/node-lts.sh -v)"
bash tools/node-lts.sh node_modules/jest/bin/jest.js --ci --selectProjects unit --maxWorkers=2 "$@"

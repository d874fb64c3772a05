#!/usr/bin/env bash
# The unit tests once more on the current LTS Node (the registry's `node` package), so nothing
# depends on behaviour only the Node that runs the rest of the suite has.
set -euo pipefail
cd "$(dirname "$0")/.."

line=${NODE_LTS_LINE:-26}
dir=.cache/node-lts
bin=$dir/node_modules/node/bin/node
if [[ ! -x $bin ]] || [[ $("$bin" -v) != v$line.* ]]; then
  npm install --prefix "$dir" --no-save --no-package-lock --no-audit --no-fund --loglevel error "node@$line"
fi
[[ -x $bin ]] || { echo "node@$line installed no binary at $bin" >&2; exit 1; }
echo "== unit tests on Node $("$bin" -v)"
"$bin" node_modules/jest/bin/jest.js --ci --selectProjects unit --maxWorkers=2 "$@"

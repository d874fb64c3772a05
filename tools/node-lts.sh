#!/usr/bin/env bash
# Runs node on an LTS line from the npm registry's `node` package, installed once into
# .cache/node-<line>: 26 by default, the line the Docker image ships; NODE_LTS_LINE=22 for the
# oldest line package.json's engines support. The machine's own Node may be an older line.
set -euo pipefail
cd "$(dirname "$0")/.."

line=${NODE_LTS_LINE:-26}
dir=.cache/node-$line
bin=$dir/node_modules/node/bin/node
if [[ ! -x $bin ]] || [[ $("$bin" -v) != v$line.* ]]; then
  npm install --prefix "$dir" --no-save --no-package-lock --no-audit --no-fund --loglevel error "node@$line" >&2
fi
[[ -x $bin ]] || { echo "node@$line installed no binary at $bin" >&2; exit 1; }
exec "$bin" "$@"

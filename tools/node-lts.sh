#!/usr/bin/env bash
# Runs node on the current LTS line (the registry's `node` package, installed once into
# .cache/node-lts): the line the Docker image ships and package.json's engines name. The machine's
# own Node may be an older line.
set -euo pipefail
cd "$(dirname "$0")/.."

line=${NODE_LTS_LINE:-26}
dir=.cache/node-lts
bin=$dir/node_modules/node/bin/node
if [[ ! -x $bin ]] || [[ $("$bin" -v) != v$line.* ]]; then
  npm install --prefix "$dir" --no-save --no-package-lock --no-audit --no-fund --loglevel error "node@$line" >&2
fi
[[ -x $bin ]] || { echo "node@$line installed no binary at $bin" >&2; exit 1; }
exec "$bin" "$@"

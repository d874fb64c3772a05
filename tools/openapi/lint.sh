#!/usr/bin/env bash
# redocly lint, recommended rules (redocly.yaml), on docs/openapi.json: the served document, as
# apps/taskinbox/e2e/openapi-contract.e2e.spec.ts checks. Warnings fail too, which redocly's exit code alone does not say.
set -euo pipefail
cd "$(dirname "$0")/../.."
status=0
out=$(npx redocly lint docs/openapi.json --max-problems 1000 2>&1) || status=$?
if [ "$status" -ne 0 ] || grep -qE 'You have [0-9]+ warnings?' <<<"$out"; then
  echo "$out"
  exit 1
fi
echo "redocly lint: docs/openapi.json has no errors and no warnings"

#!/usr/bin/env bash
# npm start's first admin: on an empty database the CLI creates organisation 'default' and its
# admin with a generated password, kept in .taskinbox/first-admin.json (owner-only) so it can be
# shown at each start until the admin has chosen their own; then the file goes.
set -euo pipefail
dir=${1:-.taskinbox}
file="$dir/first-admin.json"
answer=$(node dist/apps/cli/src/main.js bootstrap)
if echo "$answer" | grep -q '"created":true'; then (umask 077; echo "$answer" > "$file"); fi
if echo "$answer" | grep -q '"firstAdminMustChangePassword":false'; then rm -f "$file"; fi

#!/usr/bin/env bash
# npm start's local secrets in .taskinbox/ (session signing, webhook secrets at rest, the Web Push
# (VAPID) key pair, the first admin's generated password): made once, kept out of git, readable
# by their owner only.
set -euo pipefail
dir=${1:-.taskinbox}
umask 077
mkdir -p "$dir"
chmod 700 "$dir"
[ -f "$dir/env" ] || echo "JWT_SECRET=$(head -c 48 /dev/urandom | base64 | tr -d '\n/+=')" > "$dir/env"
grep -q '^WEBHOOK_SECRET_KEY=' "$dir/env" || echo "WEBHOOK_SECRET_KEY=$(head -c 32 /dev/urandom | base64 | tr -d '\n')" >> "$dir/env"
if ! grep -q '^VAPID_PRIVATE_KEY=' "$dir/env"; then
  node -e "const k = require('web-push').generateVAPIDKeys(); console.log('VAPID_PUBLIC_KEY=' + k.publicKey + '\nVAPID_PRIVATE_KEY=' + k.privateKey)" >> "$dir/env"
fi
# Files made by earlier versions were readable by everyone on the machine.
chmod 600 "$dir/env"
[ ! -f "$dir/first-admin.json" ] || chmod 600 "$dir/first-admin.json"

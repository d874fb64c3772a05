#!/usr/bin/env bash
# Installs npm dependencies when package-lock.json changed since the last install.
# 'npm install', not 'npm ci': the registry mirror lacks some other platforms' optional
# binaries (e.g. @swc/core-darwin-arm64 at our version), which the lock then omits and
# 'npm ci' refuses; install honours the lock for everything that exists.
set -euo pipefail
cd "$(dirname "$0")/.."
stamp=node_modules/.taskinbox-lock
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  npm install --no-audit --no-fund --loglevel=error
  want=$(sha256sum package-lock.json | cut -d' ' -f1)
  echo "$want" > "$stamp"
fi
# PDF previews (libs/attachments) render the first page with Debian's poppler-utils; a fresh
# machine lacks it, so install it as tools/browser.sh does Chromium.
if ! command -v pdftoppm >/dev/null 2>&1; then
  if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils >/dev/null
    echo "install: $(pdftoppm -v 2>&1 | head -1)"
  else
    echo "note: pdftoppm is missing, so PDF attachments get an icon instead of a first-page preview (and their e2e test fails): apt-get install poppler-utils" >&2
  fi
fi

#!/usr/bin/env bash
# Headless Chromium for tests/test_report_browser.py. Idempotent: does nothing when a chromium
# binary is already on PATH. Needs root (or sudo) and Debian/Ubuntu apt; elsewhere install
# Chromium by hand (or set FRAMING_CHROMIUM to its path).
set -euo pipefail
for name in chromium chromium-browser google-chrome; do
  if command -v "$name" >/dev/null 2>&1; then exit 0; fi
done
if [ -n "${FRAMING_CHROMIUM:-}" ] && [ -x "$FRAMING_CHROMIUM" ]; then exit 0; fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-chromium: no apt-get here; install Chromium yourself for the browser test" >&2
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "install-chromium: not root and no sudo; install the 'chromium' package for the browser test" >&2
    exit 0
  fi
fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium

#!/bin/sh
# Makes sure a Chromium is there for the e2e tests: Playwright's own build
# if it is installed, else the system's; on Debian/Ubuntu as root, installs
# the `chromium` package. See "Which Chromium" in the README.
set -eu
if node -e "import('@playwright/test').then(({chromium})=>process.exit(require('fs').existsSync(chromium.executablePath())?0:1))" 2>/dev/null; then
  echo "Using Playwright's Chromium."; exit 0
fi
for path in "${CHROMIUM_PATH:-}" /usr/bin/chromium /usr/bin/chromium-browser /usr/bin/google-chrome; do
  if [ -n "$path" ] && [ -x "$path" ]; then echo "Using $path"; exit 0; fi
done
if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  echo "Installing Debian's chromium…"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  exit 0
fi
echo "No Chromium found. Run 'npx playwright install chromium', or install your system's chromium and set CHROMIUM_PATH." >&2
exit 1

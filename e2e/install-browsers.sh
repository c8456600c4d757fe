#!/bin/sh
# Makes sure the e2e browsers are there: Chromium and Firefox for the
# Playwright suite, WebKitGTK's MiniBrowser with WebKitWebDriver and Xvfb for
# the WebKit run. Playwright's own Chromium and Firefox are used when
# installed (`npx playwright install chromium firefox`); otherwise the
# system's. On Debian/Ubuntu as root, installs what is missing with apt.
# See "Browsers" in the README.
set -eu
missing=""
has_playwright() {
  node -e "import('@playwright/test').then((m)=>process.exit(require('fs').existsSync(m['$1'].executablePath())?0:1)).catch(()=>process.exit(1))" 2>/dev/null
}
first_executable() {
  for path in "$@"; do
    if [ -n "$path" ] && [ -x "$path" ]; then echo "$path"; return 0; fi
  done
  return 1
}
if has_playwright chromium; then echo "Chromium: Playwright's own build."
elif path=$(first_executable "${CHROMIUM_PATH:-}" /usr/bin/chromium /usr/bin/chromium-browser /usr/bin/google-chrome); then echo "Chromium: $path"
else missing="$missing chromium"; fi
if has_playwright firefox; then echo "Firefox: Playwright's own build."
elif path=$(first_executable "${FIREFOX_PATH:-}" /usr/bin/firefox-esr /usr/bin/firefox); then echo "Firefox: $path"
else missing="$missing firefox-esr"; fi
WEBKIT_DIR=/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1
if [ -x "${MINIBROWSER_PATH:-$WEBKIT_DIR/MiniBrowser}" ]; then echo "WebKitGTK: ${MINIBROWSER_PATH:-$WEBKIT_DIR/MiniBrowser}"
else missing="$missing libwebkit2gtk-4.1-0"; fi
if command -v WebKitWebDriver >/dev/null 2>&1; then echo "WebKitWebDriver: $(command -v WebKitWebDriver)"
else missing="$missing webkit2gtk-driver"; fi
if command -v Xvfb >/dev/null 2>&1; then echo "Xvfb: $(command -v Xvfb)"
else missing="$missing xvfb"; fi
[ -z "$missing" ] && exit 0
if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  echo "Installing with apt:$missing"
  apt-get update -qq
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
  exit 0
fi
echo "Missing:$missing. Run 'npx playwright install chromium firefox' for the Playwright suite, or install your system's packages (Debian:$missing) and set CHROMIUM_PATH / FIREFOX_PATH." >&2
exit 1

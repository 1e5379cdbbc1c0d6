#!/usr/bin/env bash
# Installs Debian's Chromium and Japanese fonts, for the test that opens the HTML revision report
# in headless Chromium and saves a screenshot (test/cli/diff.test.ts). Needs root and apt.
#
#   bash scripts/install-chromium.sh
#
# Also installs neovim, the second LSP client of test/lsp/neovim.test.ts. Never fails the caller:
# without root or apt, or when the install fails, it says so and exits 0,
# and the tests that need these skip themselves outside CI (in CI, with CI set, they fail instead).
set -uo pipefail

have_fonts() { command -v fc-list >/dev/null 2>&1 && fc-list 2>/dev/null | grep -qi 'Noto Sans CJK'; }

if [ -x /usr/bin/chromium ] && have_fonts && command -v nvim >/dev/null 2>&1; then
  echo "install-chromium.sh: /usr/bin/chromium, Noto CJK fonts and nvim are present."
  exit 0
fi
if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "install-chromium.sh: not root or no apt-get; not installing Chromium (the screenshot test will be skipped)."
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
# neovim: a second LSP client for test/lsp/neovim.test.ts (the server assumes nothing VS Code-only)
if apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium fonts-noto-cjk neovim >/dev/null; then
  echo "install-chromium.sh: installed $(/usr/bin/chromium --version 2>/dev/null || echo chromium), fonts-noto-cjk and neovim."
else
  echo "install-chromium.sh: apt-get could not install chromium fonts-noto-cjk neovim (their tests skip outside CI and fail in CI)."
fi
exit 0

#!/usr/bin/env bash
# Installs code-server (VS Code served to a browser), Debian's Chromium and Japanese fonts for the
# end-to-end test in a real VS Code workbench (test/e2e/, `npm run test:e2e`). Needs root and apt
# (Debian packages) and the npm registry; nothing else is downloaded.
#
#   bash scripts/install-code-server.sh        # prints the code-server executable on its last line
#
# Where: $KEIYAKU_CODE_SERVER_DIR, else /opt/keiyaku-lint/code-server-$VERSION (outside the checkout,
# so that CI's fresh clones on the same machine reuse it). When a previous run finished (its marker
# file is there) and the Debian packages are installed, it does nothing and takes well under a second.
#
# The steps (issue 5 §5): code-server 4.100.3, as later releases need Node 22 and this machine has 20. Its npm
# install scripts download prebuilt binaries (ripgrep from GitHub, …), which this machine cannot
# reach, so it is installed with --ignore-scripts and the native modules are built from source
# against Node's own headers, as code-server's postinstall would otherwise do. node-pty (terminals)
# is left unbuilt: the test needs no terminal.
set -euo pipefail

VERSION=4.100.3
DIR="${KEIYAKU_CODE_SERVER_DIR:-/opt/keiyaku-lint/code-server-$VERSION}"
MARKER="$DIR/.keiyaku-install-complete"
BIN="$DIR/node_modules/code-server/out/node/entry.js"
APT_PACKAGES=(libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev pkg-config ripgrep chromium fonts-noto-cjk
  python3 make g++)

log() { echo "install-code-server.sh: $*" >&2; }
die() { log "error: $*"; exit 1; }

missing_packages() {
  local p missing=()
  for p in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  echo "${missing[@]:-}"
}

missing="$(missing_packages)"
if [ -z "$missing" ] && [ -f "$MARKER" ] && [ "$(cat "$MARKER")" = "$VERSION" ] && [ -f "$BIN" ]; then
  log "code-server $VERSION is installed in $DIR."
  echo "$DIR/node_modules/.bin/code-server"
  exit 0
fi

start=$(date +%s)

# 1. Debian packages: headers for the native modules (kerberos, keytar/libsecret, native-keymap),
#    ripgrep (VS Code's search; @vscode/ripgrep would download it), Chromium and the CJK fonts.
if [ -n "$missing" ]; then
  [ "$(id -u)" = "0" ] || die "not root: cannot apt-get install $missing (run this script as root)."
  command -v apt-get >/dev/null 2>&1 || die "no apt-get: install these packages by hand: $missing"
  log "apt-get install $missing"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq || die "apt-get update failed."
  # shellcheck disable=SC2086
  apt-get install -y -qq --no-install-recommends $missing >/dev/null || die "apt-get install $missing failed."
fi
command -v node >/dev/null 2>&1 || die "node is not on PATH."
node -e 'process.exit(+process.versions.node.split(".")[0] >= 20 ? 0 : 1)' || die "code-server $VERSION needs Node 20 or later (found $(node -v))."

# node-gyp must build against the local Node's headers: it would otherwise download them.
if [ -z "${npm_config_nodedir:-}" ]; then
  node_prefix="$(dirname "$(dirname "$(readlink -f "$(command -v node)")")")"
  if [ -f "$node_prefix/include/node/node.h" ]; then export npm_config_nodedir="$node_prefix"; fi
fi
export npm_config_fund=false npm_config_audit=false npm_config_update_notifier=false npm_config_loglevel=error

# 2. code-server itself, in a folder of its own (not the project's node_modules). A folder of ours
#    without the marker is an install that stopped half-way: start it again from an empty folder.
if [ -f "$DIR/package.json" ] && grep -q '"keiyaku-lint-code-server"' "$DIR/package.json"; then
  log "removing the unfinished install in $DIR"
  rm -rf "$DIR"
elif [ -d "$DIR" ] && [ -n "$(ls -A "$DIR")" ]; then
  die "$DIR exists and is not an install of this script: choose another KEIYAKU_CODE_SERVER_DIR."
fi
mkdir -p "$DIR"
cd "$DIR"
echo '{ "name": "keiyaku-lint-code-server", "private": true }' > package.json
log "npm install --ignore-scripts code-server@$VERSION"
npm install --ignore-scripts --save-exact "code-server@$VERSION" >&2 || die "npm install code-server@$VERSION failed."
log "npm rebuild argon2 --build-from-source"
npm rebuild argon2 --build-from-source >&2 || die "building argon2 failed."

# 3. VS Code's own server dependencies (lib/vscode), and their native modules.
VS="$DIR/node_modules/code-server/lib/vscode"
[ -d "$VS" ] || die "$VS is missing: the code-server package is incomplete."
cd "$VS"
log "npm install --omit=dev --ignore-scripts in lib/vscode"
npm install --omit=dev --ignore-scripts >&2 || die "npm install in $VS failed."
log "npm rebuild kerberos @parcel/watcher @vscode/spdlog native-watchdog @vscode/deviceid"
npm rebuild kerberos @parcel/watcher @vscode/spdlog native-watchdog @vscode/deviceid >&2 || die "building VS Code's native modules failed."
mkdir -p node_modules/@vscode/ripgrep/bin
cp -f "$(command -v rg)" node_modules/@vscode/ripgrep/bin/rg
ln -sfn node_modules node_modules.asar

# 4. What code-server's postinstall does besides: the CLI and browser helper links.
ln -sfn code-linux.sh "$VS/bin/remote-cli/code-server"
ln -sfn browser-linux.sh "$VS/bin/helpers/browser.sh"

# 5. Check that it starts.
cd "$DIR"
# (With its config and logs in a temporary folder: it writes a default config file at every start.)
tmp="$(mktemp -d)"
got="$(XDG_CONFIG_HOME="$tmp" XDG_DATA_HOME="$tmp" node_modules/.bin/code-server --version 2>&1 | grep -v ' info ' | head -n 1)" || true
rm -rf "$tmp"
case "$got" in
  "$VERSION "*) ;;
  *) die "node_modules/.bin/code-server --version printed '$got', not $VERSION." ;;
esac
echo "$VERSION" > "$MARKER"
log "installed code-server $VERSION in $DIR in $(( $(date +%s) - start )) s."
echo "$DIR/node_modules/.bin/code-server"

#!/usr/bin/env bash
# Installs the Debian packages the test suite needs and nothing else:
# - gnome-keyring + dbus: a real Secret Service for @codex/login's keyring tests;
# - chromium: the headless browser of @codex/login's end-to-end login test;
# - util-linux (flock(1)) and python3: non-Node flock holders for the lock interoperability tests;
# - strace: conformance/ makes the real codex binary hold a credential lock for seconds
#   (strace -e inject=flock:delay_exit=...).
# Already-installed packages are left alone, so a second run costs nothing.
set -euo pipefail

packages=(gnome-keyring dbus dbus-x11 libsecret-tools chromium util-linux python3 strace)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "install-test-deps: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  sudo="sudo"
fi
echo "install-test-deps: installing ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null

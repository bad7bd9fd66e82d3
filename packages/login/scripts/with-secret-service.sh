#!/usr/bin/env bash
# Runs a command inside a private D-Bus session with an unlocked gnome-keyring (a real Secret
# Service), so @codex/login's keyring tests never touch the user's keychain.
# Without dbus-run-session or gnome-keyring-daemon on PATH (macOS, a container, no root to install
# them) the command runs directly: the suites that need the Secret Service then skip with a printed
# reason, or fail with it when CODEX_REQUIRE_SYSTEM_TESTS=1 (see test/support/system-services.ts).
# Usage: scripts/with-secret-service.sh <command> [args...]
set -euo pipefail

if [ "${CODEX_LOGIN_IN_SECRET_SERVICE:-}" != "1" ]; then
  missing=()
  command -v dbus-run-session >/dev/null 2>&1 || missing+=("dbus-run-session (Debian package dbus)")
  command -v gnome-keyring-daemon >/dev/null 2>&1 || missing+=("gnome-keyring-daemon (Debian package gnome-keyring)")
  if [ ${#missing[@]} -ne 0 ]; then
    echo "with-secret-service: no private Secret Service (missing ${missing[*]}): running without it; the keyring suites will say what they skip." >&2
    exec "$@"
  fi
  export CODEX_LOGIN_IN_SECRET_SERVICE=1
  exec dbus-run-session -- bash "$0" "$@"
fi

# Inside the private session bus: a throwaway keyring directory, unlocked with an empty password.
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
export XDG_DATA_HOME="$scratch/data"
export XDG_RUNTIME_DIR="$scratch/run"
mkdir -p "$XDG_DATA_HOME" "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"
if ! keyring_env="$(printf '\n' | gnome-keyring-daemon --unlock --components=secrets 2>/dev/null)"; then
  echo "with-secret-service: gnome-keyring-daemon did not start" >&2
  exit 1
fi
eval "$keyring_env"
export GNOME_KEYRING_CONTROL="${GNOME_KEYRING_CONTROL:-$XDG_RUNTIME_DIR/keyring}"
set +e
"$@"
status=$?
exit $status

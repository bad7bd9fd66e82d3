#!/usr/bin/env bash
# Runs a command inside a private D-Bus session with an unlocked gnome-keyring (a real Secret
# Service), so @codex/login's keyring tests never touch the user's keychain and never skip.
# Usage: scripts/with-secret-service.sh <command> [args...]
set -euo pipefail

if [ "${CODEX_LOGIN_IN_SECRET_SERVICE:-}" != "1" ]; then
  missing=()
  command -v dbus-run-session >/dev/null 2>&1 || missing+=("dbus-run-session (Debian package dbus)")
  command -v gnome-keyring-daemon >/dev/null 2>&1 || missing+=("gnome-keyring-daemon (Debian package gnome-keyring)")
  if [ ${#missing[@]} -ne 0 ]; then
    echo "with-secret-service: cannot run the keyring tests: missing ${missing[*]}." >&2
    echo "with-secret-service: install them with: bash scripts/install-test-deps.sh (from the repo root)" >&2
    exit 1
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

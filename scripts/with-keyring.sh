#!/usr/bin/env bash
# Runs a command inside a private D-Bus session with an unlocked gnome-keyring, so the keychain
# tests talk to a real Secret Service (the same API a Linux desktop offers), never a fake.
# On a machine without dbus-run-session (macOS, Windows) the command runs as is and the
# keychain tests use the OS keychain of the signed-in user.
set -euo pipefail
if [ "${PORTAL_ADMIN_IN_KEYRING_SESSION:-}" = "1" ]; then
  exec "$@"
fi
if ! command -v dbus-run-session >/dev/null 2>&1; then
  # On Linux the keychain tests need a Secret Service; without one they would skip, and a run that
  # skipped them must not look green.
  if [ "$(uname -s)" = "Linux" ]; then
    echo "with-keyring: dbus-run-session is not installed (Debian: apt-get install dbus-x11 gnome-keyring)." >&2
    exit 1
  fi
  exec "$@"
fi
if ! command -v gnome-keyring-daemon >/dev/null 2>&1; then
  echo "with-keyring: gnome-keyring-daemon is not installed (Debian: apt-get install gnome-keyring dbus-x11)." >&2
  exit 1
fi
mkdir -p "${HOME:-/root}"
export PORTAL_ADMIN_IN_KEYRING_SESSION=1
quoted=$(printf '%q ' "$@")
exec dbus-run-session -- bash -c "printf 'portal-admin-test' | gnome-keyring-daemon --unlock --components=secrets >/dev/null; export PORTAL_ADMIN_SECRET_SERVICE=1; $quoted"

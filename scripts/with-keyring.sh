#!/usr/bin/env bash
# Runs a command inside a private D-Bus session with an unlocked gnome-keyring, so the keychain
# tests talk to a real Secret Service (the same API a Linux desktop offers), never a fake.
# On a machine without dbus-run-session (macOS, Windows) the command runs as is and the
# keychain tests use the OS keychain of the signed-in user.
#
# The session's D-Bus starts the daemon through scripts/keyring-daemon.sh (a service file of its
# own, ahead of the system's), so a daemon that dies mid-run (gnome-keyring-daemon has crashed on a
# GLib assertion) is started again UNLOCKED at the next call, never as the system's locked one, and
# every start is written to $PORTAL_ADMIN_KEYRING_STARTS: a second line there means a daemon died,
# which the keychain tests then say in plain words.
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
scripts=$(cd "$(dirname "$0")" && pwd)
session=$(mktemp -d "${TMPDIR:-/tmp}/portal-admin-keyring-XXXXXX")
trap 'rm -rf "$session"' EXIT
mkdir "$session/services"
cat > "$session/services/org.freedesktop.secrets.service" <<SERVICE
[D-BUS Service]
Name=org.freedesktop.secrets
Exec=/bin/bash $scripts/keyring-daemon.sh
SERVICE
# The first <servicedir> wins for a name: this session's before the system's.
cat > "$session/session.conf" <<CONFIG
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN" "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <servicedir>$session/services</servicedir>
  <include>/usr/share/dbus-1/session.conf</include>
</busconfig>
CONFIG
export PORTAL_ADMIN_KEYRING_STARTS="$session/starts"
: > "$PORTAL_ADMIN_KEYRING_STARTS"
export PORTAL_ADMIN_IN_KEYRING_SESSION=1
quoted=$(printf '%q ' "$@")
# Started before the command, so the first keychain call finds it running and unlocked.
start='dbus-send --session --print-reply=literal --dest=org.freedesktop.DBus /org/freedesktop/DBus org.freedesktop.DBus.StartServiceByName string:org.freedesktop.secrets uint32:0 >/dev/null'
status=0
dbus-run-session --config-file="$session/session.conf" -- bash -c "$start; export PORTAL_ADMIN_SECRET_SERVICE=1; $quoted" || status=$?
exit "$status"

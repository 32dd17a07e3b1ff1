#!/usr/bin/env bash
# Started by D-Bus (the service file scripts/with-keyring.sh writes) whenever the session's Secret
# Service is asked for and no daemon runs: an UNLOCKED gnome-keyring (test password). A start after
# the first means the previous daemon died; that is said here, on the session's stderr, and in
# $PORTAL_ADMIN_KEYRING_STARTS, which the keychain tests read (test/support/secret-service.ts).
set -euo pipefail
starts="${PORTAL_ADMIN_KEYRING_STARTS:-/dev/null}"
earlier=$(grep -c . "$starts" 2>/dev/null || true)
if [ "${earlier:-0}" -gt 0 ]; then
  echo "with-keyring: the Secret Service daemon (gnome-keyring-daemon) died during the run; starting an unlocked one again (start $((earlier + 1)))." >&2
fi
echo "$(date -u +%Y-%m-%dT%H:%M:%SZ) pid $$" >> "$starts"
exec gnome-keyring-daemon --foreground --unlock --components=secrets >/dev/null < <(printf '%s' 'portal-admin-test')

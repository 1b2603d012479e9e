#!/usr/bin/env bash
# flatpak-sandbox.sh: run a test as if it were inside a Flatpak
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
#   flatpak-sandbox.sh [--failing-secret-portal FAKE_PORTAL] PROGRAM [ARGS...]
#
# Runs PROGRAM under bubblewrap in a root of its own that holds a /.flatpak-info, as a
# Flatpak sandbox does, and every folder of the real root, so that libsecret and the app
# see themselves inside a Flatpak while using this system's files. Meant to run inside
# keyring-session.sh --no-keyring: as in a real sandbox, no Secret Service is reachable.
#
# With --failing-secret-portal, FAKE_PORTAL (fake-secret-portal) first takes the Secret
# portal's name on the session bus, outside the sandbox, and fails every request;
# otherwise there is no Secret portal. PROGRAM sees IMPRINT_TEST_SECRET_PORTAL ("failing"
# or "none").

set -u

portal=
if [ "${1:-}" = --failing-secret-portal ]; then
  portal=$2
  shift 2
fi
if [ $# -lt 1 ]; then
  echo "usage: $0 [--failing-secret-portal FAKE_PORTAL] PROGRAM [ARGS...]" >&2
  exit 2
fi

if ! command -v bwrap >/dev/null 2>&1; then
  echo "1..0 # SKIP bwrap is not installed"
  exit 0
fi

# Every entry of the real root but /proc, which is mounted afresh, and /.flatpak-info.
# The new root is bubblewrap's own, so the marker never lands in the real one.
args=(--die-with-parent --proc /proc)
for entry in /*; do
  case $entry in
    /proc) ;;
    *)
      if [ -L "$entry" ]; then
        args+=(--symlink "$(readlink "$entry")" "$entry")
      elif [ -d "$entry" ]; then
        args+=(--dev-bind "$entry" "$entry")
      fi
      ;;
  esac
done

if ! bwrap "${args[@]}" true 2>/dev/null; then
  echo "1..0 # SKIP bwrap cannot make a sandbox here"
  exit 0
fi

info=$(mktemp "${TMPDIR:-/tmp}/imprint-flatpak-info-XXXXXX") || exit 1
portal_pid=
cleanup () {
  [ -n "$portal_pid" ] && kill "$portal_pid" 2>/dev/null
  rm -f "$info"
}
trap cleanup EXIT
printf '[Application]\nname=io.github.imprint.Imprint\n' >"$info"

export IMPRINT_TEST_SECRET_PORTAL=none
if [ -n "$portal" ]; then
  export IMPRINT_TEST_SECRET_PORTAL=failing
  "$portal" &
  portal_pid=$!
  i=0
  until dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
          org.freedesktop.DBus.NameHasOwner string:org.freedesktop.portal.Desktop 2>/dev/null |
        grep -q "boolean true"; do
    i=$((i + 1))
    if [ $i -gt 100 ]; then
      echo "Bail out! fake-secret-portal did not come on the session bus"
      exit 1
    fi
    sleep 0.1
  done
fi

bwrap "${args[@]}" --ro-bind "$info" /.flatpak-info "$@"

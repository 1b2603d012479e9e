#!/bin/sh
# keyring-session.sh: run a test in its own D-Bus session, HOME and keyring
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
#   keyring-session.sh [--with-display] [--no-keyring | --locked | --no-default-keyring] PROGRAM [ARGS...]
#
# Makes a fresh temporary HOME with XDG_* directories inside it, starts a private session
# bus that can activate nothing (so neither the user's keyring nor a password prompt can
# ever be reached), starts gnome-keyring-daemon on it with an unlocked login keyring, waits
# until org.freedesktop.secrets is on the bus, and runs PROGRAM. Everything is removed
# afterwards.
#
#   --no-keyring  no Secret Service at all;
#   --locked      the login keyring exists but the daemon was started without its password,
#                 as after a login that did not unlock it; no prompter can unlock it;
#   --no-default-keyring
#                 the daemon runs but there is no keyring yet, and no prompter to create one.
#
# PROGRAM sees IMPRINT_TEST_KEYRING ("session", "none", "locked" or "empty"),
# IMPRINT_TEST_ROOT (the temporary tree) and IMPRINT_TEST_KEYRING_PASSWORD.

set -u

mode=session
keep_display=false
if [ "${1:-}" = --with-display ]; then
  keep_display=true
  shift
fi
case "${1:-}" in
  --no-keyring) mode=none; shift ;;
  --locked) mode=locked; shift ;;
  --no-default-keyring) mode=empty; shift ;;
esac

if [ $# -lt 1 ]; then
  echo "usage: $0 [--no-keyring | --locked | --no-default-keyring] PROGRAM [ARGS...]" >&2
  exit 2
fi

for tool in dbus-daemon dbus-run-session dbus-send; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "1..0 # SKIP $tool is not installed"
    exit 0
  fi
done
if [ "$mode" != none ] && ! command -v gnome-keyring-daemon >/dev/null 2>&1; then
  echo "1..0 # SKIP gnome-keyring-daemon is not installed"
  exit 0
fi

root=$(mktemp -d "${TMPDIR:-/tmp}/imprint-keyring-XXXXXX") || exit 1
chmod 700 "$root"
trap 'rm -rf "$root"' EXIT
trap 'exit 130' HUP INT TERM

mkdir -p "$root/home" "$root/config" "$root/data" "$root/cache" "$root/state" "$root/runtime" \
         "$root/bus"
chmod 700 "$root/runtime"

# A bus with no service directories: nothing is ever auto-started on it.
cat >"$root/bus.conf" <<EOF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <keep_umask/>
  <listen>unix:dir=$root/bus</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
EOF

export HOME="$root/home"
export XDG_CONFIG_HOME="$root/config"
export XDG_DATA_HOME="$root/data"
export XDG_CACHE_HOME="$root/cache"
export XDG_STATE_HOME="$root/state"
export XDG_RUNTIME_DIR="$root/runtime"
export IMPRINT_TEST_ROOT="$root"
export IMPRINT_TEST_KEYRING="$mode"
export IMPRINT_TEST_KEYRING_PASSWORD="imprint-test-password"
unset DBUS_SESSION_BUS_ADDRESS GNOME_KEYRING_CONTROL SSH_AUTH_SOCK
# UI tests keep the X display (the private bus can activate no password prompter anyway).
if [ "$keep_display" != true ]; then
  unset DISPLAY WAYLAND_DISPLAY
fi

# Runs inside the private bus: start the keyring as asked, run the test, stop the keyring.
inner='
bus_call () {
  dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
    "org.freedesktop.DBus.$1" string:org.freedesktop.secrets 2>/dev/null
}

# Waits until the Secret Service is on the bus ($1 = true) or gone ($1 = false).
wait_for_keyring () {
  i=0
  until bus_call NameHasOwner | grep -q "boolean $1"; do
    i=$((i + 1))
    if [ $i -gt 100 ]; then
      echo "Bail out! gnome-keyring-daemon did not come or go on the session bus"
      cat "$IMPRINT_TEST_ROOT/keyring.log" >&2
      exit 1
    fi
    sleep 0.1
  done
}

stop_keyring () {
  pid=$(bus_call GetConnectionUnixProcessID | sed -n "s/.*uint32 \([0-9]*\).*/\1/p")
  if [ -n "$pid" ]; then
    kill "$pid" 2>/dev/null
  fi
}

# Without the test'"'"'s G_DEBUG=fatal-warnings: gnome-keyring 42 warns ("asked to register
# item …, but it'"'"'s already registered") when an item is replaced, and would abort.
start_keyring () {
  env -u G_DEBUG -u G_SLICE gnome-keyring-daemon "$@" --components=secrets \
    >>"$IMPRINT_TEST_ROOT/keyring.log" 2>&1
  wait_for_keyring true
}

case "$IMPRINT_TEST_KEYRING" in
  session)
    printf "%s" "$IMPRINT_TEST_KEYRING_PASSWORD" | start_keyring --unlock || exit 1
    ;;
  locked)
    # Create the login keyring, then start over without its password.
    printf "%s" "$IMPRINT_TEST_KEYRING_PASSWORD" | start_keyring --unlock || exit 1
    stop_keyring
    wait_for_keyring false
    start_keyring --start
    ;;
  empty)
    start_keyring --start
    ;;
esac

"$@"
status=$?

# The daemon would outlive the bus for a while; stop the one this script started.
if [ "$IMPRINT_TEST_KEYRING" != none ]; then
  stop_keyring
fi
exit $status
'

dbus-run-session --config-file="$root/bus.conf" -- sh -c "$inner" sh "$@"

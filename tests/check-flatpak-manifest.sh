#!/bin/sh
# Validates the Flatpak manifest offline (TAP):
#   1. flatpak-builder parses it without a single warning (skipped when flatpak-builder is absent);
#   2. its finish-args are exactly the sandbox holes SPEC.md allows, and no D-Bus or filesystem ones.
# Usage: check-flatpak-manifest.sh MANIFEST
set -u

manifest=${1:?usage: check-flatpak-manifest.sh MANIFEST}
case $manifest in /*) ;; *) manifest="$(pwd)/$manifest" ;; esac

echo "1..2"
status=0

if command -v flatpak-builder >/dev/null 2>&1; then
  # flatpak-builder leaves a state directory in the working directory: use a throw-away one.
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  if (cd "$work" && flatpak-builder --show-manifest "$manifest" >"$work/out" 2>"$work/err") && [ ! -s "$work/err" ]; then
    echo "ok 1 - flatpak-builder --show-manifest accepts the manifest without warnings"
  else
    echo "not ok 1 - flatpak-builder --show-manifest accepts the manifest without warnings"
    sed 's/^/# /' "$work/err"
    status=1
  fi
else
  echo "ok 1 # SKIP flatpak-builder is not installed"
fi

if "${PYTHON:-python3}" - "$manifest" <<'PY'
import json
import sys

ALLOWED = ["--share=network", "--share=ipc", "--socket=wayland", "--socket=fallback-x11", "--device=dri"]
FORBIDDEN = ("--talk-name", "--own-name", "--system-talk-name", "--system-own-name",
             "--filesystem", "--socket=session-bus", "--socket=system-bus")

with open(sys.argv[1], encoding="utf-8") as f:
    manifest = json.load(f)

args = manifest.get("finish-args", [])
problems = []
for arg in args:
    if arg.startswith(FORBIDDEN):
        problems.append(f"forbidden finish-arg {arg!r} (libsecret uses the Secret portal; no D-Bus or file holes)")
    elif arg not in ALLOWED:
        problems.append(f"finish-arg {arg!r} is not one of {ALLOWED}")
for arg in ALLOWED:
    if arg not in args:
        problems.append(f"finish-arg {arg!r} is missing")
if len(args) != len(set(args)):
    problems.append("finish-args has duplicates")

for problem in problems:
    print("#", problem)
sys.exit(1 if problems else 0)
PY
then
  echo "ok 2 - finish-args are exactly: --share=network --share=ipc --socket=wayland --socket=fallback-x11 --device=dri"
else
  echo "not ok 2 - finish-args are exactly: --share=network --share=ipc --socket=wayland --socket=fallback-x11 --device=dri"
  status=1
fi

exit $status

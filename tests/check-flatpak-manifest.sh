#!/bin/sh
# Checks offline that the Flatpak manifest and what it installs are what Flathub accepts (TAP):
#   1. flatpak-builder parses the manifest without a single warning (skipped without it);
#   2. its finish-args are exactly the sandbox holes SPEC.md allows: no D-Bus names (the
#      keyring is reached through the Secret portal), and read-only access to exactly the
#      two folders where tccli and the SDKs keep credentials;
#   3. the app is built from a git tag and its commit, never from a local folder;
#   4. the build installs one command into bindir, imprint (imprint-sim goes to libexecdir);
#   5. the desktop file has exactly one main category;
#   6. the metainfo summary has at most 35 characters;
#   7. the build is named after its profile: "Imprint", or "Imprint (Development)" for .Devel,
#      in both the desktop file and the metainfo.
# Usage: check-flatpak-manifest.sh MANIFEST SOURCE_ROOT BUILD_DIR
set -u

manifest=${1:?usage: check-flatpak-manifest.sh MANIFEST SOURCE_ROOT BUILD_DIR}
top=${2:?usage: check-flatpak-manifest.sh MANIFEST SOURCE_ROOT BUILD_DIR}
build=${3:?usage: check-flatpak-manifest.sh MANIFEST SOURCE_ROOT BUILD_DIR}
case $manifest in /*) ;; *) manifest="$(pwd)/$manifest" ;; esac

echo "1..7"
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

"${PYTHON:-python3}" - "$manifest" "$top" "$build" <<'PY' || status=1
import configparser
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

manifest_path, top, build = sys.argv[1:4]
with open(manifest_path, encoding="utf-8") as f:
    manifest = json.load(f)
failed = False


def report(number, description, problems):
    global failed
    if problems:
        failed = True
        print("not ok %d - %s" % (number, description))
        for problem in problems:
            print("#", problem)
    else:
        print("ok %d - %s" % (number, description))


# 2. The sandbox holes.
ALLOWED = ["--share=network", "--share=ipc", "--socket=wayland", "--socket=fallback-x11", "--device=dri",
           "--filesystem=~/.tccli:ro", "--filesystem=~/.tencentcloud:ro"]
args = manifest.get("finish-args", [])
problems = []
for arg in args:
    if arg not in ALLOWED:
        problems.append("finish-arg %r is not allowed (only %s)" % (arg, " ".join(ALLOWED)))
for arg in ALLOWED:
    if arg not in args:
        problems.append("finish-arg %r is missing" % arg)
if len(args) != len(set(args)):
    problems.append("finish-args has duplicates")
report(2, "finish-args are exactly: " + " ".join(ALLOWED), problems)

# 3. The source: a git tag and the commit it names.
problems = []
app = next((m for m in manifest.get("modules", []) if isinstance(m, dict) and m.get("name") == "imprint"), None)
sources = app.get("sources", []) if app else []
if len(sources) != 1:
    problems.append("the imprint module has %d sources, not one" % len(sources))
for source in sources:
    if source.get("type") != "git":
        problems.append("source type %r: Flathub builds from a git tag and commit" % source.get("type"))
        continue
    if not source.get("url", "").startswith("https://"):
        problems.append("source url %r is not https" % source.get("url"))
    if not re.fullmatch(r"v\d+\.\d+\.\d+", source.get("tag", "")):
        problems.append("source tag %r is not a release tag like v0.1.0" % source.get("tag"))
    if not re.fullmatch(r"[0-9a-f]{40}", source.get("commit", "")):
        problems.append("source commit %r is not a full commit hash" % source.get("commit"))
    # Where the tag exists in this checkout, it must name that commit.
    try:
        tagged = subprocess.run(["git", "-C", top, "rev-parse", "-q", "--verify", "refs/tags/%s^{commit}" %
                                 source.get("tag", "")], capture_output=True, text=True).stdout.strip()
    except FileNotFoundError:  # no git (the Flatpak SDK): no tags to compare with
        tagged = ""
    if tagged and tagged != source.get("commit"):
        problems.append("tag %s is commit %s here, the manifest says %s" % (source["tag"], tagged, source.get("commit")))
report(3, "the app is built from a git tag and its commit", problems)

# 4. Nothing but imprint lands in the user's PATH.
problems = []
with open(os.path.join(build, "meson-info", "intro-buildoptions.json"), encoding="utf-8") as f:
    options = {o["name"]: o["value"] for o in json.load(f)}
with open(os.path.join(build, "meson-info", "intro-installed.json"), encoding="utf-8") as f:
    installed = json.load(f).values()
bindir = os.path.join(options["prefix"], options["bindir"])
commands = sorted(os.path.basename(p) for p in installed if os.path.dirname(p) == bindir)
if commands != ["imprint"]:
    problems.append("%s gets %s" % (bindir, commands))
report(4, "the only command installed into bindir is imprint", problems)

# 5. One main category (the freedesktop.org Desktop Menu Specification's list).
MAIN = {"AudioVideo", "Audio", "Video", "Development", "Education", "Game", "Graphics", "Network",
        "Office", "Science", "Settings", "System", "Utility"}
desktop = configparser.RawConfigParser(interpolation=None, strict=False)
desktop.optionxform = str
desktop.read(os.path.join(top, "data", "io.github.imprint.Imprint.desktop.in"), encoding="utf-8")
categories = [c for c in desktop.get("Desktop Entry", "Categories", fallback="").split(";") if c]
main = [c for c in categories if c in MAIN]
report(5, "the desktop file has one main category",
       [] if len(main) == 1 else ["main categories: %s" % (main or "none")])

# 6. The summary Flathub shows under the name.
root = ET.parse(os.path.join(top, "data", "io.github.imprint.Imprint.metainfo.xml.in")).getroot()
summary = root.findtext("summary") or ""
report(6, "the metainfo summary has at most 35 characters",
       [] if 0 < len(summary) <= 35 else ["%r has %d characters" % (summary, len(summary))])

# 7. The built desktop file and metainfo say which build this is.
expected = "Imprint (Development)" if options.get("development") else "Imprint"
app_id = "io.github.imprint.Imprint" + (".Devel" if options.get("development") else "")
problems = []
built = configparser.RawConfigParser(interpolation=None, strict=False)
built.optionxform = str
built.read(os.path.join(build, "data", app_id + ".desktop"), encoding="utf-8")
if built.get("Desktop Entry", "Name", fallback=None) != expected:
    problems.append("the desktop file's Name is %r" % built.get("Desktop Entry", "Name", fallback=None))
built_root = ET.parse(os.path.join(build, "data", app_id + ".metainfo.xml")).getroot()
names = [n.text for n in built_root.findall("name") if not n.attrib]
if names != [expected]:
    problems.append("the metainfo's name is %r" % names)
report(7, "the %s build is named %r" % (app_id, expected), problems)

sys.exit(1 if failed else 0)
PY

exit $status

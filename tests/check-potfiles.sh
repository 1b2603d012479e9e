#!/bin/sh
# Checks po/POTFILES.in against the tree (TAP):
#   1. every file under src/ and data/ with translatable strings is listed;
#   2. every file listed exists.
# Usage: check-potfiles.sh [SOURCE_ROOT]   (defaults to the parent of this script's directory)
set -u

top=${1:-$(cd "$(dirname "$0")/.." && pwd)}
potfiles="$top/po/POTFILES.in"

echo "1..2"

if [ ! -f "$potfiles" ]; then
  echo "not ok 1 - po/POTFILES.in exists"
  echo "not ok 2 - po/POTFILES.in lists only existing files"
  exit 1
fi

listed=$(mktemp)
found=$(mktemp)
trap 'rm -f "$listed" "$found"' EXIT

# POTFILES.in: one path per line; '#' starts a comment; [encoding: …] lines are directives.
sed -e 's/#.*//' -e 's/^[[:space:]]*//' -e 's/[[:space:]]*$//' -e '/^\[/d' -e '/^$/d' "$potfiles" | sort -u > "$listed"

# Files that need translating. C: _(), N_(), C_(), NC_(), Q_(), and the *gettext family.
# GtkBuilder: translatable="yes". Desktop and metainfo files are always translatable;
# a GSettings schema is when it names a gettext domain.
cd "$top" || exit 1
{
  find src data -type f \( -name '*.c' -o -name '*.h' \) -print0 |
    xargs -0 grep -lE '(^|[^A-Za-z0-9_])(N|C|NC|Q)?_[[:space:]]*\([[:space:]]*"|(^|[^A-Za-z0-9_])(g_)?d?c?n?p?gettext2?[[:space:]]*\(' 2>/dev/null
  find src data -type f \( -name '*.ui' -o -name '*.blp' \) -print0 |
    xargs -0 grep -lE 'translatable[[:space:]]*=[[:space:]]*"(yes|true|1)"|_\("' 2>/dev/null
  find src data -type f \( -name '*.desktop.in' -o -name '*.desktop' -o -name '*.metainfo.xml.in' \
      -o -name '*.metainfo.xml' -o -name '*.appdata.xml.in' -o -name '*.appdata.xml' \) -print
  find src data -type f \( -name '*.gschema.xml.in' -o -name '*.gschema.xml' \) -print0 |
    xargs -0 grep -l 'gettext-domain' 2>/dev/null
} | sed 's|^\./||' | sort -u > "$found"

missing=$(comm -23 "$found" "$listed")
if [ -z "$missing" ]; then
  echo "ok 1 - every file with translatable strings is in po/POTFILES.in"
  status=0
else
  echo "not ok 1 - every file with translatable strings is in po/POTFILES.in"
  echo "# Add these to po/POTFILES.in:"
  printf '%s\n' "$missing" | sed 's/^/#   /'
  printf '%s\n' "$missing" | sed 's/^/missing from po\/POTFILES.in: /' >&2
  status=1
fi

gone=""
while IFS= read -r f; do
  [ -e "$top/$f" ] || gone="$gone$f
"
done < "$listed"
if [ -z "$gone" ]; then
  echo "ok 2 - po/POTFILES.in lists only existing files"
else
  echo "not ok 2 - po/POTFILES.in lists only existing files"
  echo "# Remove these from po/POTFILES.in (they do not exist):"
  printf '%s' "$gone" | sed 's/^/#   /'
  printf '%s' "$gone" | sed 's/^/listed in po\/POTFILES.in but missing: /' >&2
  status=1
fi

exit $status

#!/bin/sh
# Checks every translation named in po/LINGUAS (TAP), two tests each:
#   1. `msgfmt --check --check-format --check-accelerators=_`: the same placeholders, and the
#      mnemonic of each label kept;
#   2. `msgcmp` against the strings the sources have now (xgettext over po/POTFILES.in): each
#      one translated, none missing or fuzzy, so no new string reaches a Chinese UI in English.
# Usage: check-po.sh [SOURCE_ROOT]   (defaults to the parent of this script's directory)
set -u

top=${1:-$(cd "$(dirname "$0")/.." && pwd)}
po="$top/po"
msgfmt=${MSGFMT:-msgfmt}
xgettext=${XGETTEXT:-xgettext}
msgcmp=${MSGCMP:-msgcmp}

# LINGUAS: language codes separated by white space; '#' starts a comment.
langs=""
[ -f "$po/LINGUAS" ] && langs=$(sed 's/#.*//' "$po/LINGUAS" | tr -s ' \t' '\n\n' | sed '/^$/d')

if [ -z "$langs" ]; then
  echo "1..0 # SKIP no translations yet (po/LINGUAS is empty)"
  exit 0
fi

n=0
for lang in $langs; do n=$((n + 2)); done
echo "1..$n"

# The template, as po/meson.build's "glib" preset makes it (its keywords; the flags change no
# msgid).
pot=$(mktemp)
trap 'rm -f "$pot"' EXIT
pot_out=$(cd "$top" && "$xgettext" --from-code=UTF-8 --keyword=_ --keyword=N_ --keyword=C_:1c,2 \
  --keyword=NC_:1c,2 --keyword=g_dcgettext:2 --keyword=g_dngettext:2,3 --keyword=g_dpgettext2:2c,3 \
  --files-from=po/POTFILES.in --output="$pot" 2>&1) || pot=""

i=0
status=0
for lang in $langs; do
  i=$((i + 1))
  if [ ! -f "$po/$lang.po" ]; then
    echo "not ok $i - $lang: po/LINGUAS names it but po/$lang.po does not exist"
    status=1
  elif out=$("$msgfmt" --check --check-format --check-accelerators=_ --statistics -o /dev/null "$po/$lang.po" 2>&1); then
    echo "ok $i - $lang"
    printf '%s\n' "$out" | sed 's/^/# /'
  else
    echo "not ok $i - $lang"
    printf '%s\n' "$out" | sed 's/^/# /'
    status=1
  fi
  i=$((i + 1))
  if [ -z "$pot" ]; then
    echo "not ok $i - $lang: the sources' strings could not be extracted"
    printf '%s\n' "$pot_out" | sed 's/^/# /'
    status=1
  elif out=$("$msgcmp" "$po/$lang.po" "$pot" 2>&1); then
    echo "ok $i - $lang translates every string of the sources"
  else
    echo "not ok $i - $lang translates every string of the sources"
    echo "# Update it: meson compile -C _build imprint-pot imprint-update-po (po/README)"
    printf '%s\n' "$out" | sed "s|$pot|the sources|; s/^/# /"
    status=1
  fi
done

# A .po file that LINGUAS forgets is never built or installed: say so.
for f in "$po"/*.po; do
  [ -e "$f" ] || continue
  lang=$(basename "$f" .po)
  printf '%s\n' $langs | grep -qx "$lang" || echo "# warning: po/$lang.po is not listed in po/LINGUAS"
done

exit $status

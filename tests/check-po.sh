#!/bin/sh
# Runs `msgfmt --check --check-format --check-accelerators=_` on every translation named in
# po/LINGUAS (TAP): complete, the same placeholders, and the mnemonic of each label kept.
# Usage: check-po.sh [SOURCE_ROOT]   (defaults to the parent of this script's directory)
set -u

top=${1:-$(cd "$(dirname "$0")/.." && pwd)}
po="$top/po"
msgfmt=${MSGFMT:-msgfmt}

# LINGUAS: language codes separated by white space; '#' starts a comment.
langs=""
[ -f "$po/LINGUAS" ] && langs=$(sed 's/#.*//' "$po/LINGUAS" | tr -s ' \t' '\n\n' | sed '/^$/d')

if [ -z "$langs" ]; then
  echo "1..0 # SKIP no translations yet (po/LINGUAS is empty)"
  exit 0
fi

n=0
for lang in $langs; do n=$((n + 1)); done
echo "1..$n"

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
done

# A .po file that LINGUAS forgets is never built or installed: say so.
for f in "$po"/*.po; do
  [ -e "$f" ] || continue
  lang=$(basename "$f" .po)
  printf '%s\n' $langs | grep -qx "$lang" || echo "# warning: po/$lang.po is not listed in po/LINGUAS"
done

exit $status

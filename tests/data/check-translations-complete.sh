#!/bin/sh
# check-translations-complete.sh
#
# Copyright 2026 The Relay authors
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Extracts the strings of every file in po/POTFILES.in (with the same
# keywords as meson's glib preset), merges each translation in
# po/LINGUAS with them and fails when any string is untranslated or
# fuzzy, so that the translations stay at 100 %.
#
# Usage: check-translations-complete.sh SOURCE_ROOT

set -u

if [ $# -ne 1 ]; then
  echo "Usage: check-translations-complete.sh SOURCE_ROOT" >&2
  exit 2
fi

root="$1"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if ! xgettext --package-name=relay --from-code=UTF-8 --add-comments \
       --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 \
       --keyword=g_dcgettext:2 --keyword=g_dngettext:2,3 --keyword=g_dpgettext2:2c,3 \
       --flag=N_:1:pass-c-format --flag=C_:2:pass-c-format --flag=NC_:2:pass-c-format \
       -D "$root" -f "$root/po/POTFILES.in" -o "$tmp/relay.pot"; then
  echo "xgettext could not extract the strings listed in po/POTFILES.in." >&2
  exit 1
fi

total=$(msgattrib --no-obsolete "$tmp/relay.pot" | grep -c '^msgid ')
if [ "$total" -lt 2 ]; then
  echo "xgettext found no translatable strings; the extraction is broken." >&2
  exit 1
fi

status=0
for lang in $(grep -v '^#' "$root/po/LINGUAS"); do
  merged="$tmp/$lang.po"
  if ! msgmerge --quiet "$root/po/$lang.po" "$tmp/relay.pot" -o "$merged"; then
    echo "po/$lang.po cannot be merged with the current strings." >&2
    status=1
    continue
  fi
  missing=$(msgattrib --untranslated --no-obsolete "$merged" | grep '^msgid ' | grep -v '^msgid ""$')
  fuzzy=$(msgattrib --only-fuzzy --no-obsolete "$merged" | grep '^msgid ' | grep -v '^msgid ""$')
  if [ -n "$missing" ] || [ -n "$fuzzy" ]; then
    echo "po/$lang.po is incomplete; update it (meson compile relay-update-po) and translate:" >&2
    [ -n "$missing" ] && printf 'untranslated: %s\n' "$missing" >&2
    [ -n "$fuzzy" ] && printf 'fuzzy: %s\n' "$fuzzy" >&2
    status=1
  else
    echo "po/$lang.po translates all $((total - 1)) strings."
  fi
done

exit $status

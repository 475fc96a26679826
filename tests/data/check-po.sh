#!/bin/sh
# check-po.sh
#
# Copyright 2026 The Relay authors
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Runs `msgfmt --check` on every translation and checks that po/LINGUAS
# and the .po files agree.
#
# Usage: check-po.sh SOURCE_ROOT

set -u

if [ $# -ne 1 ]; then
  echo "Usage: check-po.sh SOURCE_ROOT" >&2
  exit 2
fi

po_dir="$1/po"
status=0
count=0

for po in "$po_dir"/*.po; do
  [ -e "$po" ] || continue
  count=$((count + 1))
  lang=$(basename "$po" .po)
  if ! msgfmt --check --check-format --check-header --check-domain -o /dev/null "$po"; then
    echo "$po does not pass msgfmt --check." >&2
    status=1
  fi
  if ! grep -qx "$lang" "$po_dir/LINGUAS"; then
    echo "$lang.po exists but $lang is missing from po/LINGUAS." >&2
    status=1
  fi
done

for lang in $(grep -v '^#' "$po_dir/LINGUAS"); do
  if [ ! -f "$po_dir/$lang.po" ]; then
    echo "po/LINGUAS names $lang but po/$lang.po does not exist." >&2
    status=1
  fi
done

if [ "$count" -eq 0 ]; then
  echo "No .po file found in $po_dir." >&2
  status=1
fi

[ $status -eq 0 ] && echo "$count translation(s) pass msgfmt --check."
exit $status

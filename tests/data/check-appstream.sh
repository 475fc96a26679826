#!/bin/sh
# check-appstream.sh
#
# Copyright 2026 The Relay authors
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# `appstreamcli validate --no-net` must report no error and no warning
# (infos and pedantic notes are allowed).
#
# Usage: check-appstream.sh METAINFO_FILE

set -u

if [ $# -ne 1 ]; then
  echo "Usage: check-appstream.sh METAINFO_FILE" >&2
  exit 2
fi

output=$(appstreamcli validate --no-net "$1" 2>&1)
status=$?
printf '%s\n' "$output"

if [ $status -ne 0 ]; then
  echo "appstreamcli validate failed for $1." >&2
  exit 1
fi

if printf '%s\n' "$output" | grep -q '^[EW]: '; then
  echo "appstreamcli validate reported errors or warnings for $1." >&2
  exit 1
fi

exit 0

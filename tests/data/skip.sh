#!/bin/sh
# skip.sh
#
# Copyright 2026 The Relay authors
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Stands in for a test whose tool is not installed: says which tool is
# missing and exits 77, which meson reports as SKIP (never as a pass).
#
# Usage: skip.sh TOOL

echo "Skipped: $1 is not installed." >&2
exit 77

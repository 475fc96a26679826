#!/bin/bash
# run-fuzzer.sh FUZZER CORPUS ARTIFACTS [LIBFUZZER OPTION]...
#
# Copyright 2026 The Relay authors
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Runs one libFuzzer target on a temporary copy of its seed corpus, so new
# inputs never land in the source tree. A crashing input is kept in
# ARTIFACTS (inside the build directory) for `FUZZER ARTIFACTS/crash-…`.

set -euo pipefail

if [ $# -lt 3 ]; then
  echo "usage: run-fuzzer.sh FUZZER CORPUS ARTIFACTS [OPTION]..." >&2
  exit 2
fi

fuzzer=$1
corpus=$2
artifacts=$3
shift 3

work=$(mktemp -d "${TMPDIR:-/tmp}/relay-fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$artifacts"
cp -R "$corpus/." "$work/"

export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

exec "$fuzzer" -artifact_prefix="$artifacts/" -print_final_stats=1 "$@" "$work"

#!/bin/sh
# check-german.sh
#
# Copyright 2026 The Relay authors
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Builds and installs this tree into a temporary prefix, so that the
# installed relay-cli finds its catalogue under PREFIX/share/locale, and
# checks that with LANGUAGE=de it speaks German (and English without).
# The C.UTF-8 locale always exists; with it glibc honours LANGUAGE.
#
# Usage: check-german.sh MESON SOURCE_ROOT

set -u

if [ $# -ne 2 ]; then
  echo "Usage: check-german.sh MESON SOURCE_ROOT" >&2
  exit 2
fi

meson="$1"
root="$2"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

fail ()
{
  echo "$1" >&2
  exit 1
}

# Only relay-cli and the catalogue are needed: build those two targets
# with a prefix of our own, and put the catalogue where that prefix's
# LOCALEDIR says (what "meson install" would do for them).
"$meson" setup "$tmp/build" "$root" --prefix="$tmp/prefix" -Dapp=false >"$tmp/setup.log" 2>&1 ||
  { cat "$tmp/setup.log" >&2; fail "The tree does not configure with a temporary prefix."; }
"$meson" compile -C "$tmp/build" relay-cli relay-gmo >"$tmp/build.log" 2>&1 ||
  { cat "$tmp/build.log" >&2; fail "relay-cli and the catalogues do not build."; }

cli="$tmp/build/src/cli/relay-cli"
[ -x "$cli" ] || fail "relay-cli was not built in $tmp/build/src/cli."
[ -f "$tmp/build/po/de/LC_MESSAGES/relay.mo" ] ||
  fail "The German catalogue was not built to po/de/LC_MESSAGES/relay.mo."
mkdir -p "$tmp/prefix/share/locale/de/LC_MESSAGES"
cp "$tmp/build/po/de/LC_MESSAGES/relay.mo" "$tmp/prefix/share/locale/de/LC_MESSAGES/relay.mo"

run_cli ()
{
  # $1: LANGUAGE value or "", the rest: arguments; stdout and stderr together
  language="$1"
  shift
  if [ -n "$language" ]; then
    env -u LANG -u LC_MESSAGES LC_ALL=C.UTF-8 LANGUAGE="$language" "$cli" "$@" 2>&1
  else
    env -u LANG -u LC_MESSAGES -u LANGUAGE LC_ALL=C.UTF-8 "$cli" "$@" 2>&1
  fi
}

expect ()
{
  # $1: output, $2: text that must be in it, $3: what is being checked
  case "$1" in
    *"$2"*) ;;
    *) printf '%s\n' "$1" >&2; fail "$3: “$2” is missing from the output above." ;;
  esac
}

reject ()
{
  case "$1" in
    *"$2"*) printf '%s\n' "$1" >&2; fail "$3: “$2” should not be in the output above." ;;
    *) ;;
  esac
}

english=$(run_cli "" --help) || fail "relay-cli --help fails without LANGUAGE."
expect "$english" "Commands:" "relay-cli --help in English"

german=$(run_cli de --help) || fail "relay-cli --help fails with LANGUAGE=de."
expect "$german" "Befehle:" "relay-cli --help with LANGUAGE=de"
expect "$german" "Aufruf: relay-cli BEFEHL" "relay-cli --help with LANGUAGE=de"
expect "$german" "Die OAuth-1.0a-Signatur einer Anfrage ausgeben" "relay-cli --help with LANGUAGE=de"
reject "$german" "Commands:" "relay-cli --help with LANGUAGE=de"

german=$(run_cli de sign --help) || fail "relay-cli sign --help fails with LANGUAGE=de."
expect "$german" "Ein JSON-Objekt ausgeben" "relay-cli sign --help with LANGUAGE=de"
expect "$german" "Consumer-Schlüssel" "relay-cli sign --help with LANGUAGE=de"

german=$(run_cli de frobnicate) && fail "relay-cli frobnicate succeeds but should fail."
expect "$german" "„frobnicate“ ist kein Befehl" "An error of relay-cli with LANGUAGE=de"

echo "relay-cli speaks German with LANGUAGE=de."
exit 0

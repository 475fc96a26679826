#!/bin/bash
# check-tls-strict.sh SRCDIR
#
# Copyright 2026 The Relay authors
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Issue 6, item 5: no option or environment variable may let Relay ignore
# certificate errors. Fails, naming the lines, if any program or library
# source under SRCDIR accepts a bad certificate, replaces or weakens the
# trust store, reads a TLS-related environment variable or offers an
# "insecure" style option.

set -u

if [ $# -ne 1 ] || [ ! -d "$1" ]; then
  echo "usage: check-tls-strict.sh SRCDIR" >&2
  exit 2
fi

patterns=(
  'accept-certificate'                       # SoupMessage signal that can accept a bad certificate
  'accept_certificate'
  'tls-database|set_tls_database'            # replacing the system trust store
  'validation-flags|set_validation_flags'    # weakening GTlsClientConnection checks
  'G_TLS_CERTIFICATE_NO_FLAGS'
  'ssl-strict|ssl_strict'                    # libsoup 2 era switch
  'getenv *\([^)]*(TLS|SSL|CERT|INSECURE|VERIFY)'
  '"(--)?(insecure|no-verify|ignore-cert[a-z-]*|skip-tls[a-z-]*)"'
)

found=0
for pattern in "${patterns[@]}"; do
  if hits=$(grep -rnEi --include='*.c' --include='*.h' --include='*.ui' -e "$pattern" "$1"); then
    echo "TLS bypass pattern /$pattern/ found:"
    echo "$hits"
    found=1
  fi
done

if [ $found -ne 0 ]; then
  echo "Relay must never accept an untrusted certificate; remove the lines above."
  exit 1
fi

echo "No certificate bypass in $1."

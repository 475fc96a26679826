#!/usr/bin/python3
# check-gschema-keys.py
#
# Copyright 2026 The Relay authors
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The application codes against a fixed set of GSettings keys. Reads the
# compiled schema back through `gsettings` and checks that it has exactly
# these keys, with their types, defaults, choices and ranges, and that
# no key looks like it could hold a secret.
#
# Usage: check-gschema-keys.py COMPILED_SCHEMA_DIR

import os
import subprocess
import sys

SCHEMA = 'io.github.relaysms.Relay'

# key: (range as printed by `gsettings range`, default as printed by `gsettings get`)
EXPECTED = {
    'window-width': ('type i', '800'),
    'window-height': ('type i', '720'),
    'window-maximized': ('type b', 'false'),
    'last-account': ('type s', "''"),
    'oauth-base': ('type s', "'https://dashboard.nexmo.com/oauth/'"),
    'rest-base': ('type s', "'https://rest.nexmo.com'"),
    'request-method': ("enum\n'POST'\n'GET'", "'POST'"),
    'signature-method': ("enum\n'HMAC-SHA1'\n'HMAC-SHA256'\n'HMAC-SHA512'\n'PLAINTEXT'", "'HMAC-SHA1'"),
    'authorize-endpoint': ("enum\n'authorize'\n'authenticate'", "'authorize'"),
    'authorization-mode': ("enum\n'callback'\n'oob'\n'legacy'", "'callback'"),
    'timeout': ('range u 5 300', 'uint32 30'),
    'provider-profiles': ('type a{sa{ss}}', '@a{sa{ss}} {}'),
    'sender-id': ('type s', "'Relay'"),
    'keep-history': ('type b', 'true'),
    'confirm-cost-above': ('type s', "'1.00'"),
    'check-delivery': ('type b', 'false'),
    'default-country': ('type s', "''"),
}
FORBIDDEN = ('secret', 'password', 'token', 'verifier')


def gsettings(env, *args):
    result = subprocess.run(['gsettings'] + list(args), stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, universal_newlines=True, env=env)
    if result.returncode != 0:
        raise RuntimeError('gsettings %s failed: %s' % (' '.join(args), result.stdout.strip()))
    return result.stdout.strip()


def main():
    if len(sys.argv) != 2:
        print('Usage: check-gschema-keys.py COMPILED_SCHEMA_DIR', file=sys.stderr)
        return 2

    env = dict(os.environ, GSETTINGS_SCHEMA_DIR=sys.argv[1], GSETTINGS_BACKEND='memory')
    failures = []
    try:
        keys = set(gsettings(env, 'list-keys', SCHEMA).split())
        if keys != set(EXPECTED):
            failures.append('The schema keys differ: missing %s, unexpected %s.'
                             % (sorted(set(EXPECTED) - keys) or 'none',
                                sorted(keys - set(EXPECTED)) or 'none'))
        for key in sorted(keys):
            if any(word in key for word in FORBIDDEN):
                failures.append('The key %s looks like it holds a secret; secrets belong in the keyring.'
                                % key)
        for key, (want_range, want_default) in sorted(EXPECTED.items()):
            if key not in keys:
                continue
            got_range = gsettings(env, 'range', SCHEMA, key)
            got_default = gsettings(env, 'get', SCHEMA, key)
            if got_range != want_range:
                failures.append('%s has range %r, expected %r.' % (key, got_range, want_range))
            if got_default != want_default:
                failures.append('%s defaults to %s, expected %s.' % (key, got_default, want_default))
        # The range on timeout is enforced, not just declared.
        result = subprocess.run(['gsettings', 'set', SCHEMA, 'timeout', '4'], env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if result.returncode == 0:
            failures.append('timeout accepts 4, below its range of 5–300.')
    except RuntimeError as e:
        failures.append(str(e))

    for failure in failures:
        print(failure, file=sys.stderr)
    if not failures:
        print('The schema has exactly the %d agreed keys.' % len(EXPECTED))
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())

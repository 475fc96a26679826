#!/usr/bin/python3
# check-potfiles.py
#
# Copyright 2026 The Relay authors
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Fails when a file with translatable strings is missing from
# po/POTFILES.in, when POTFILES.in names a file that does not exist,
# or when it is not in alphabetical order.
#
# Usage: check-potfiles.py SOURCE_ROOT

import os
import re
import sys

MARKERS = re.compile(r'(?<![A-Za-z0-9_])(?:N_|C_|NC_|_)\s*\(\s*"'
                     r'|ngettext\s*\('
                     r'|translatable="yes"')
SOURCE_SUFFIXES = ('.c', '.h', '.ui', '.blp')
DATA_SUFFIXES = ('.desktop.in', '.metainfo.xml.in', '.gschema.xml')


def main():
    if len(sys.argv) != 2:
        print('Usage: check-potfiles.py SOURCE_ROOT', file=sys.stderr)
        return 2

    root = sys.argv[1]
    potfiles_in = os.path.join(root, 'po', 'POTFILES.in')
    failures = []

    with open(potfiles_in, encoding='utf-8') as f:
        listed = [line.strip() for line in f
                  if line.strip() and not line.lstrip().startswith('#')]

    if listed != sorted(listed):
        failures.append('po/POTFILES.in is not in alphabetical order.')
    if len(listed) != len(set(listed)):
        failures.append('po/POTFILES.in lists a file more than once.')
    for path in listed:
        if not os.path.isfile(os.path.join(root, path)):
            failures.append('po/POTFILES.in lists %s, which does not exist.' % path)

    needed = []
    for top in ('src', 'data'):
        for dirpath, dirnames, filenames in os.walk(os.path.join(root, top)):
            dirnames.sort()
            for name in sorted(filenames):
                full = os.path.join(dirpath, name)
                rel = os.path.relpath(full, root)
                if name.endswith(DATA_SUFFIXES):
                    needed.append(rel)
                elif name.endswith(SOURCE_SUFFIXES):
                    with open(full, encoding='utf-8', errors='replace') as f:
                        if MARKERS.search(f.read()):
                            needed.append(rel)

    if not needed:
        failures.append('No file with translatable strings was found under %s; '
                        'the scan itself is broken.' % root)

    for rel in needed:
        if rel not in listed:
            failures.append('%s has translatable strings but is missing from po/POTFILES.in.' % rel)

    for failure in failures:
        print(failure, file=sys.stderr)
    if not failures:
        print('po/POTFILES.in lists all %d files with translatable strings.' % len(needed))
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())

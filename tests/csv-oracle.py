#!/usr/bin/python3
# csv-oracle.py — Python's csv module as the second CSV parser of
# test-csv-differential.
#
# Copyright 2026 The Relay authors
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Reads "PATH<TAB>DELIMITER-CODE" lines on stdin and writes one JSON line
# per file: {"rows": [[field, ...], ...]} or {"error": "..."}. The file
# is decoded as UTF-8 with an optional byte order mark (utf-8-sig) and
# opened with newline='' so that CRLF, LF and lone CR end records and
# line ends inside quoted fields are kept, as the csv module documents;
# strict=True makes a character after a closing quote and an
# unterminated quoted field errors, as in Relay's reader.

import csv
import json
import sys

for line in sys.stdin:
    path, code = line.rstrip("\n").split("\t")
    try:
        with open(path, encoding="utf-8-sig", newline="") as f:
            rows = list(csv.reader(f, delimiter=chr(int(code)), strict=True))
        result = {"rows": rows}
    except (csv.Error, UnicodeDecodeError) as e:
        result = {"error": str(e)}
    print(json.dumps(result), flush=True)

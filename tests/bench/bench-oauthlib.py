#!/usr/bin/python3
# bench-oauthlib.py
#
# Copyright 2026 The Relay authors
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Prints python3-oauthlib signatures per second for the request bench-sign
# passes in (Client.sign with HMAC-SHA1, a fresh nonce and timestamp each
# time, the Authorization header out), over one round of SECONDS of CPU
# time after a warm-up. bench-sign runs it once per round, between its own.
# Usage: bench-oauthlib.py SECONDS URL CONSUMER_KEY CONSUMER_SECRET TOKEN TOKEN_SECRET

import sys
import time

from oauthlib.oauth1 import Client


def main():
    seconds = float(sys.argv[1])
    url, ck, cs, tk, ts = sys.argv[2:7]
    client = Client(ck, client_secret=cs, resource_owner_key=tk, resource_owner_secret=ts)
    for _ in range(200):
        client.sign(url, 'GET')
    done = 0
    start = time.process_time()
    while True:
        for _ in range(100):
            client.sign(url, 'GET')
        done += 100
        elapsed = time.process_time() - start
        if elapsed >= seconds:
            break
    print('%.1f' % (done / elapsed))


if __name__ == '__main__':
    main()

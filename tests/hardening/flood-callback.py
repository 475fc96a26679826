#!/usr/bin/env python3
# flood-callback.py PORT COUNT
#
# Copyright 2026 The Relay authors
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Sends COUNT hostile requests to the sign-in listener on 127.0.0.1:PORT:
# wrong paths, methods, hosts and tokens, denials with a wrong token,
# oversized URLs and headers, request bodies (sized and chunked), slow
# partial requests, unfinished requests and garbage. Every request is
# bounded in time; a complete request must be answered (or the
# connection closed) within REQUEST_TIMEOUT.
# Every 250th request is a probe of a wrong path that must be answered
# with 404: the listener must stay responsive under the flood (how fast
# is reported, not asserted). Prints one JSON summary line; exits 1 if a
# request hung or a probe was not answered with 404.

import asyncio
import json
import os
import sys
import time

# Seconds before an unanswered request counts as hung: a hang guard, far
# above the listener's own 5 s stall timeout, not a speed requirement.
REQUEST_TIMEOUT = 30.0
SLOW_HOLD = 0.5          # seconds a slow request dribbles before giving up
PARTIAL_WAIT = 1.0       # seconds an unfinished request waits for an answer
WRONG = 'wrongtoken0000000000'


def request(port, target, method='GET', host=None, headers=(), body=b''):
    host = host if host is not None else f'127.0.0.1:{port}'
    lines = [f'{method} {target} HTTP/1.1']
    if host:
        lines.append(f'Host: {host}')
    lines.extend(headers)
    lines.append('Connection: close')
    return ('\r\n'.join(lines) + '\r\n\r\n').encode('latin-1') + body


def hostile(port, i):
    q = f'oauth_token={WRONG}&oauth_verifier=v{i}'
    kinds = [
        lambda: request(port, f'/callbackx?{q}'),
        lambda: request(port, f'/callback/x?{q}'),
        lambda: request(port, '/favicon.ico'),
        lambda: request(port, f'/%63allback?{q}'),
        lambda: request(port, f'/callback?{q}'),
        lambda: request(port, f'/callback?denied={WRONG}'),
        lambda: request(port, f'/callback?oauth_token={WRONG}&denied=1'),
        lambda: request(port, f'/callback?{q}&oauth_verifier=again'),
        lambda: request(port, f'/callback?oauth_token=%zz&oauth_verifier=%00'),
        lambda: request(port, f'/callback?{q}', method='POST',
                        headers=['Content-Length: 65536'], body=b'x' * 65536),
        lambda: request(port, f'/callback?{q}', headers=['Content-Length: 5'], body=b'hello'),
        lambda: request(port, f'/callback?{q}', headers=['Transfer-Encoding: chunked'],
                        body=b'5\r\nhello\r\n0\r\n\r\n'),
        lambda: request(port, f'/callback?{q}', method='PUT'),
        lambda: request(port, f'/callback?{q}', method='HEAD'),
        lambda: request(port, f'/callback?{q}', host='evil.example'),
        lambda: request(port, f'/callback?{q}', host=''),
        lambda: request(port, '/callback?oauth_token=' + 'A' * 65536),
        lambda: request(port, f'/callback?{q}', headers=['X-Junk: ' + 'B' * 65536]),
        lambda: request(port, f'/callback?{q}', headers=[f'X-H{n}: {n}' for n in range(2000)]),
        lambda: request(port, f'http://127.0.0.1:{port}/callback?{q}'),
        lambda: request(port, f'/callback?{q}%0D%0ASet-Cookie:%20a=b'),
        lambda: b'GET /callback HTTP/9.9\r\n\r\n',
    ]
    # Requests that never finish their headers: the listener may wait for
    # the rest, so these are dropped after PARTIAL_WAIT like slow ones.
    partial = [
        lambda: os.urandom(512),
        lambda: b'\r\n' * 1000,
        lambda: f'GET /callback?{q} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n'.encode(),
    ]
    everything = kinds + partial
    k = i % len(everything)
    return everything[k](), k >= len(kinds), k


async def exchange(port, payload, stats, slow=False, partial=False, kind=None):
    start = time.monotonic()
    try:
        reader, writer = await asyncio.wait_for(
            asyncio.open_connection('127.0.0.1', port), REQUEST_TIMEOUT)
    except (OSError, asyncio.TimeoutError):
        stats['refused'] += 1
        return None, 0.0
    status = None
    try:
        if slow:
            # A request that never ends: a few bytes at a time, then gone.
            steps = 5
            for n in range(steps):
                writer.write(payload[n * 4:(n + 1) * 4])
                await writer.drain()
                await asyncio.sleep(SLOW_HOLD / steps)
            stats['slow'] += 1
            return None, 0.0
        writer.write(payload)
        await writer.drain()
        if partial:
            try:
                line = await asyncio.wait_for(reader.readline(), PARTIAL_WAIT)
            except asyncio.TimeoutError:
                stats['partial_unanswered'] += 1
                return None, 0.0
        else:
            line = await asyncio.wait_for(reader.readline(), REQUEST_TIMEOUT)
        if line.startswith(b'HTTP/'):
            status = line.split()[1].decode('latin-1', 'replace') if len(line.split()) > 1 else '?'
            stats['status'][status] = stats['status'].get(status, 0) + 1
        else:
            stats['closed'] += 1
    except asyncio.TimeoutError:
        stats['hung'] += 1
        stats['hung_kinds'][str(kind)] = stats['hung_kinds'].get(str(kind), 0) + 1
    except (ConnectionError, OSError):
        stats['closed'] += 1
    finally:
        writer.close()
        try:
            await asyncio.wait_for(writer.wait_closed(), 1.0)
        except (ConnectionError, OSError, asyncio.TimeoutError):
            pass
    return status, time.monotonic() - start


async def main(port, count):
    stats = {'sent': 0, 'status': {}, 'closed': 0, 'hung': 0, 'hung_kinds': {}, 'refused': 0,
             'slow': 0, 'partial_unanswered': 0,
             'probes': 0, 'probe_failures': 0, 'max_probe_seconds': 0.0}
    busy = asyncio.Semaphore(48)
    slow_busy = asyncio.Semaphore(16)

    async def one(i):
        if i % 250 == 0:
            async with busy:
                status, took = await exchange(port, request(port, '/favicon.ico'), stats)
            stats['probes'] += 1
            stats['max_probe_seconds'] = max(stats['max_probe_seconds'], took)
            # Answered at all, and rightly; how fast is only reported
            # (max_probe_seconds), never asserted.
            if status != '404':
                stats['probe_failures'] += 1
        elif i % 50 == 1:
            async with slow_busy:
                await exchange(port, request(port, f'/callback?oauth_token={WRONG}'), stats, slow=True)
        else:
            payload, partial, kind = hostile(port, i)
            async with busy:
                await exchange(port, payload, stats, partial=partial, kind=kind)
        stats['sent'] += 1

    started = time.monotonic()
    await asyncio.gather(*(one(i) for i in range(count)))
    stats['seconds'] = round(time.monotonic() - started, 2)
    stats['max_probe_seconds'] = round(stats['max_probe_seconds'], 3)
    print(json.dumps(stats, sort_keys=True), flush=True)
    return 0 if stats['hung'] == 0 and stats['refused'] == 0 and stats['probe_failures'] == 0 else 1


if __name__ == '__main__':
    if len(sys.argv) != 3:
        print('usage: flood-callback.py PORT COUNT', file=sys.stderr)
        sys.exit(2)
    sys.exit(asyncio.run(main(int(sys.argv[1]), int(sys.argv[2]))))

#!/usr/bin/python3
# oauthlib-oracle.py
#
# Copyright 2026 The Relay authors
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Signs requests with Debian's python3-oauthlib, as an independent
# implementation for tests/test-oauth1-differential.c. Reads one JSON object
# per line on stdin and answers one JSON object per line on stdout, in order.
#
# Each request is computed twice:
#  - as a client would: the query and form body are collected by oauthlib, the
#    protocol parameters come from the raw inputs;
#  - as a server would: oauthlib collects every parameter from the query, the
#    form body and Relay's own Authorization header, which checks that header.
#
# Only the signature module is used (not Client), because Client adds
# oauth_version and, for non-form bodies, the non-RFC oauth_body_hash.

import io
import json
import sys
import types
from urllib.parse import urlparse

from oauthlib.oauth1.rfc5849 import signature as sig

FORM = 'application/x-www-form-urlencoded'

SIGNERS = {
    'HMAC-SHA1': sig.sign_hmac_sha1_with_client,
    'HMAC-SHA256': sig.sign_hmac_sha256_with_client,
    'HMAC-SHA512': sig.sign_hmac_sha512_with_client,
    'PLAINTEXT': sig.sign_plaintext_with_client,
}


def is_form(content_type):
    if content_type is None:
        return False
    return content_type.split(';', 1)[0].strip().lower() == FORM


def protocol_params(req):
    params = [('oauth_consumer_key', req['consumer_key'])]
    if req.get('token'):
        params.append(('oauth_token', req['token']))
    params.append(('oauth_signature_method', req['signature_method']))
    params.append(('oauth_timestamp', req['timestamp']))
    params.append(('oauth_nonce', req['nonce']))
    if req.get('version'):
        params.append(('oauth_version', '1.0'))
    if req.get('callback') is not None:
        params.append(('oauth_callback', req['callback']))
    if req.get('verifier') is not None:
        params.append(('oauth_verifier', req['verifier']))
    return params


def base_string(method, uri, params):
    normalized = sig.normalize_parameters(params)
    return sig.signature_base_string(method, sig.base_string_uri(uri), normalized)


def answer(req):
    uri = req['uri']
    query = urlparse(uri).query
    body = req.get('body') if is_form(req.get('content_type')) else None
    client = types.SimpleNamespace(client_secret=req.get('consumer_secret'),
                                   resource_owner_secret=req.get('token_secret'))
    signer = SIGNERS[req['signature_method']]

    collected = sig.collect_parameters(uri_query=query, body=body)
    client_bs = base_string(req['method'], uri, collected + protocol_params(req))
    signature = signer(client_bs, client)

    out = {'id': req['id'], 'base_string': client_bs, 'signature': signature}

    header = req.get('authorization')
    if header is not None:
        server = sig.collect_parameters(uri_query=query, body=body,
                                        headers={'Authorization': header},
                                        exclude_oauth_signature=False)
        sent = [v for k, v in server if k == 'oauth_signature']
        rest = [(k, v) for k, v in server if k != 'oauth_signature']
        out['header_base_string'] = base_string(req['method'], uri, rest)
        out['header_signature'] = sent[0] if len(sent) == 1 else None
    return out


def main():
    stdin = io.TextIOWrapper(sys.stdin.buffer, encoding='utf-8')
    stdout = io.TextIOWrapper(sys.stdout.buffer, encoding='utf-8', newline='\n')
    for line in stdin:
        if not line.strip():
            continue
        req = json.loads(line)
        try:
            out = answer(req)
        except Exception as e:  # report, never hide: the C side fails the case
            out = {'id': req.get('id'), 'error': '%s: %s' % (type(e).__name__, e)}
        stdout.write(json.dumps(out) + '\n')
    stdout.flush()


if __name__ == '__main__':
    main()

// vonage-sig-oracle.js
//
// Copyright 2026 The Relay authors
//
// SPDX-License-Identifier: GPL-3.0-or-later
//
// The independent side of test-nexmo-sig's differential test: npm's
// @vonage/sms verifySignature. Reads one JSON array of cases on stdin,
// each {params: {name: value}, secret, method, sigs: [hex, ...]}, and
// prints one JSON array with, per case, whether each sig verifies.
// Exits 77 (skip) when the package cannot be loaded.

'use strict';

let SMS;
try {
  ({ SMS } = require('@vonage/sms'));
} catch (e) {
  process.stderr.write('@vonage/sms is not installed: ' + e.message + '\n');
  process.exit(77);
}

const algorithms = {
  md5hash: 'MD5HASH',
  md5: 'MD5HMAC',
  sha1: 'SHA1HMAC',
  sha256: 'SHA256HMAC',
  sha512: 'SHA512HMAC',
};

const sms = new SMS({ apiKey: 'oracle', apiSecret: 'oracle' });
const chunks = [];

process.stdin.on('data', (chunk) => chunks.push(chunk));
process.stdin.on('end', () => {
  const cases = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  const answers = cases.map((c) =>
    c.sigs.map((sig) => sms.verifySignature(sig, c.params, c.secret, algorithms[c.method])));

  process.stdout.write(JSON.stringify(answers) + '\n');
});

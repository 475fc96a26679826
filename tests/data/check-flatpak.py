#!/usr/bin/python3
# check-flatpak.py
#
# Copyright 2026 The Relay authors
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The Flatpak runtimes cannot be downloaded where the tests run, so the
# manifest is checked statically: it parses, flatpak-builder accepts it,
# its finish-args stay within the allowed set, the libsecret module is
# new enough for the Secret portal and pinned by checksum, and the relay
# module's config-opts configure, build and install this tree outside
# Flatpak the way flatpak-builder would (prefix /app).
#
# Usage: check-flatpak.py MESON FLATPAK_BUILDER SOURCE_ROOT MANIFEST

import json
import os
import re
import subprocess
import sys
import tempfile

APP_ID = 'io.github.relaysms.Relay'
ALLOWED_FINISH_ARGS = {
    '--share=network',
    '--share=ipc',
    '--socket=fallback-x11',
    '--socket=wayland',
    '--device=dri',
}
MIN_LIBSECRET = (0, 21, 1)

failures = []


def fail(message):
    failures.append(message)
    print('FAIL: ' + message, file=sys.stderr)


def check_libsecret(module):
    sources = module.get('sources', [])
    archives = [s for s in sources if isinstance(s, dict) and s.get('type') == 'archive']
    if len(archives) != 1:
        fail('The libsecret module must be built from exactly one release archive.')
        return
    url = archives[0].get('url', '')
    match = re.fullmatch(r'https://download\.gnome\.org/sources/libsecret/(\d+)\.(\d+)/'
                         r'libsecret-(\d+)\.(\d+)\.(\d+)\.tar\.xz', url)
    if not match:
        fail('The libsecret archive is not a GNOME release tarball: %s' % url)
        return
    version = tuple(int(x) for x in match.group(3, 4, 5))
    if match.group(1, 2) != match.group(3, 4):
        fail('The libsecret URL directory does not match its version: %s' % url)
    if version < MIN_LIBSECRET:
        fail('libsecret %s is too old; the Secret portal backend needs 0.21.1 or newer.'
             % '.'.join(map(str, version)))
    if not re.fullmatch(r'[0-9a-f]{64}', archives[0].get('sha256', '')):
        fail('The libsecret archive has no sha256 checksum.')
    if module.get('buildsystem') != 'meson':
        fail('libsecret is built with meson.')


def build_relay(meson, source_root, module):
    opts = module.get('config-opts', [])
    if not all(isinstance(o, str) for o in opts):
        fail('The relay module config-opts must be strings.')
        return
    with tempfile.TemporaryDirectory(prefix='relay-flatpak-') as tmp:
        build = os.path.join(tmp, 'build')
        destdir = os.path.join(tmp, 'dest')
        # What flatpak-builder passes to meson, then the module's own options.
        setup = [meson, 'setup', build, source_root, '--prefix=/app', '--libdir=lib',
                 '--buildtype=release', '--wrap-mode=nodownload'] + opts
        for args, what in ((setup, 'configure'),
                           ([meson, 'compile', '-C', build], 'build'),
                           ([meson, 'install', '-C', build, '--no-rebuild', '--quiet',
                             '--destdir', destdir], 'install')):
            result = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                    universal_newlines=True)
            if result.returncode != 0:
                print(result.stdout[-6000:], file=sys.stderr)
                fail('The relay module config-opts %s do not %s this tree.' % (opts, what))
                return
        print('ok: config-opts %s configure, build and install this tree' % opts)

        app = os.path.join(destdir, 'app')
        for rel in ('bin/relay-cli',
                    'share/applications/%s.desktop' % APP_ID,
                    'share/metainfo/%s.metainfo.xml' % APP_ID,
                    'share/icons/hicolor/scalable/apps/%s.svg' % APP_ID,
                    'share/glib-2.0/schemas/%s.gschema.xml' % APP_ID):
            if not os.path.isfile(os.path.join(app, rel)):
                fail('The Flatpak build does not install /app/%s.' % rel)
        if os.path.isfile(os.path.join(source_root, 'src', 'app', 'meson.build')):
            if not os.path.isfile(os.path.join(app, 'bin', 'relay')):
                fail('The manifest command “relay” is not installed to /app/bin.')


def main():
    if len(sys.argv) != 5:
        print('Usage: check-flatpak.py MESON FLATPAK_BUILDER SOURCE_ROOT MANIFEST', file=sys.stderr)
        return 2
    meson, flatpak_builder, source_root, manifest_path = sys.argv[1:]

    try:
        with open(manifest_path, encoding='utf-8') as f:
            manifest = json.load(f)
    except (OSError, ValueError) as e:
        print('The Flatpak manifest cannot be read as JSON: %s' % e, file=sys.stderr)
        return 1

    if manifest.get('id', manifest.get('app-id')) != APP_ID:
        fail('The manifest id is not %s.' % APP_ID)
    if manifest.get('runtime') != 'org.gnome.Platform' or manifest.get('sdk') != 'org.gnome.Sdk':
        fail('The manifest must use org.gnome.Platform and org.gnome.Sdk.')
    if not re.fullmatch(r'[4-9][0-9]', str(manifest.get('runtime-version', ''))):
        fail('The runtime version %r is not a current GNOME release.' % manifest.get('runtime-version'))
    if manifest.get('command') != 'relay':
        fail('The manifest command is not relay.')

    finish_args = manifest.get('finish-args', [])
    extra = [a for a in finish_args if a not in ALLOWED_FINISH_ARGS]
    if extra:
        fail('finish-args go beyond the allowed set: %s' % ' '.join(extra))
    if len(finish_args) != len(set(finish_args)):
        fail('finish-args repeat an entry.')

    modules = manifest.get('modules', [])
    by_name = {m.get('name'): m for m in modules if isinstance(m, dict)}
    if 'libsecret' not in by_name:
        fail('The manifest has no libsecret module.')
    else:
        check_libsecret(by_name['libsecret'])

    relay = modules[-1] if modules and isinstance(modules[-1], dict) else {}
    if relay.get('name') != 'relay' or relay.get('buildsystem') != 'meson':
        fail('The last module must be “relay”, built with meson.')
    dirs = [s for s in relay.get('sources', []) if isinstance(s, dict) and s.get('type') == 'dir']
    if len(dirs) != 1 or os.path.realpath(os.path.join(os.path.dirname(manifest_path),
                                                       dirs[0].get('path', ''))) \
            != os.path.realpath(source_root):
        fail('The relay module must be built from this repository (a dir source at “..”).')

    # flatpak-builder leaves a .flatpak-builder state directory in its
    # working directory; keep that out of the tree.
    with tempfile.TemporaryDirectory(prefix='relay-flatpak-') as cwd:
        try:
            result = subprocess.run([flatpak_builder, '--show-manifest', os.path.abspath(manifest_path)],
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                    universal_newlines=True, cwd=cwd)
        except OSError as e:
            print('flatpak-builder cannot be run: %s' % e, file=sys.stderr)
            return 1
    if result.returncode != 0 or result.stderr.strip():
        print(result.stderr, file=sys.stderr)
        fail('flatpak-builder --show-manifest does not accept the manifest cleanly.')
    else:
        print('ok: flatpak-builder --show-manifest accepts the manifest')

    if relay:
        build_relay(meson, source_root, relay)

    if failures:
        print('%d Flatpak manifest check(s) failed.' % len(failures), file=sys.stderr)
        return 1
    print('The Flatpak manifest passes the static checks.')
    return 0


if __name__ == '__main__':
    sys.exit(main())

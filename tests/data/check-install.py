#!/usr/bin/python3
# check-install.py
#
# Copyright 2026 The Relay authors
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Runs `meson install --destdir` for the build under test and checks
# that everything lands where a distribution expects it: executables,
# desktop entry, metainfo, icons, GSettings schema (compiled and read
# back) and translations, and that the installed relay-cli runs.
#
# Usage: check-install.py MESON BUILD_ROOT SOURCE_ROOT PREFIX BINDIR DATADIR LOCALEDIR

import json
import os
import subprocess
import sys
import tempfile

APP_ID = 'io.github.relaysms.Relay'

failures = []


def fail(message):
    failures.append(message)
    print('FAIL: ' + message, file=sys.stderr)


def under(destdir, prefix, path):
    path = os.path.join(prefix, path)
    return os.path.join(destdir, os.path.relpath(path, '/'))


def expect_file(path, what):
    if os.path.isfile(path):
        print('ok: %s: %s' % (what, path))
        return True
    fail('%s is missing: %s' % (what, path))
    return False


def run(args, what, env=None):
    result = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            universal_newlines=True, env=env)
    if result.returncode != 0:
        print(result.stdout, file=sys.stderr)
        fail('%s failed (exit %d): %s' % (what, result.returncode, ' '.join(args)))
    return result


def main():
    if len(sys.argv) != 8:
        print('Usage: check-install.py MESON BUILD_ROOT SOURCE_ROOT PREFIX BINDIR DATADIR LOCALEDIR',
              file=sys.stderr)
        return 2

    meson, build_root, source_root, prefix, bindir, datadir, localedir = sys.argv[1:]

    with tempfile.TemporaryDirectory(prefix='relay-install-') as destdir:
        # Without --no-rebuild: `meson test --suite data` builds only what
        # these tests depend on, and install needs everything (e.g. the .mo
        # files); anything already built is left alone.
        result = run([meson, 'install', '-C', build_root, '--quiet',
                      '--destdir', destdir], 'meson install --destdir')
        if result.returncode != 0:
            return 1

        # Everything meson says it installs must be there.
        installed = json.loads(subprocess.check_output(
            [meson, 'introspect', '--installed', build_root], universal_newlines=True))
        for target in sorted(set(installed.values())):
            if not os.path.lexists(os.path.join(destdir, os.path.relpath(target, '/'))):
                fail('meson lists %s as installed but it is not in the destdir.' % target)

        # Executables: relay-cli always; relay and relay-sandbox once the
        # tree builds them.
        targets = json.loads(subprocess.check_output(
            [meson, 'introspect', '--targets', build_root], universal_newlines=True))
        built = {t['name'] for t in targets if t['type'] == 'executable'}
        wanted = ['relay-cli'] + [name for name in ('relay', 'relay-sandbox') if name in built]
        if os.path.isfile(os.path.join(source_root, 'src', 'app', 'meson.build')) and 'relay' not in built:
            fail('src/app exists but no executable “relay” is built.')
        for name in wanted:
            path = under(destdir, prefix, os.path.join(bindir, name))
            if expect_file(path, 'executable ' + name) and not os.access(path, os.X_OK):
                fail('%s is installed but not executable.' % path)

        cli = under(destdir, prefix, os.path.join(bindir, 'relay-cli'))
        if os.path.isfile(cli):
            result = run([cli, '--help'], 'the installed relay-cli --help')
            if 'relay-cli' not in result.stdout:
                fail('The installed relay-cli --help does not print its usage.')

        # Desktop entry and metainfo.
        desktop = under(destdir, prefix, os.path.join(datadir, 'applications', APP_ID + '.desktop'))
        if expect_file(desktop, 'desktop entry'):
            run(['desktop-file-validate', desktop], 'desktop-file-validate on the installed entry')
            with open(desktop, encoding='utf-8') as f:
                text = f.read()
            if 'Icon=%s\n' % APP_ID not in text:
                fail('The installed desktop entry does not name the icon %s.' % APP_ID)
            if 'Name[de]=' not in text:
                fail('The installed desktop entry carries no German translation.')

        metainfo = under(destdir, prefix, os.path.join(datadir, 'metainfo', APP_ID + '.metainfo.xml'))
        if expect_file(metainfo, 'metainfo'):
            run(['appstreamcli', 'validate', '--no-net', metainfo], 'appstreamcli on the installed metainfo')

        # Icons.
        hicolor = os.path.join(datadir, 'icons', 'hicolor')
        expect_file(under(destdir, prefix, os.path.join(hicolor, 'scalable', 'apps', APP_ID + '.svg')),
                    'scalable icon')
        expect_file(under(destdir, prefix, os.path.join(hicolor, 'symbolic', 'apps',
                                                        APP_ID + '-symbolic.svg')),
                    'symbolic icon')

        # The schema compiles where it was installed, and GSettings reads
        # the defaults back from it.
        schema_dir = under(destdir, prefix, os.path.join(datadir, 'glib-2.0', 'schemas'))
        if expect_file(os.path.join(schema_dir, APP_ID + '.gschema.xml'), 'GSettings schema'):
            run(['glib-compile-schemas', '--strict', schema_dir], 'glib-compile-schemas on the installed schemas')
            env = dict(os.environ, GSETTINGS_SCHEMA_DIR=schema_dir, GSETTINGS_BACKEND='memory')
            result = run(['gsettings', 'get', APP_ID, 'rest-base'], 'gsettings get', env=env)
            if result.stdout.strip() != "'https://rest.nexmo.com'":
                fail('The installed schema gives rest-base %s.' % result.stdout.strip())

        # Translations.
        linguas = os.path.join(source_root, 'po', 'LINGUAS')
        with open(linguas, encoding='utf-8') as f:
            langs = [line.strip() for line in f if line.strip() and not line.startswith('#')]
        if not langs:
            fail('po/LINGUAS names no language.')
        for lang in langs:
            expect_file(under(destdir, prefix, os.path.join(localedir, lang, 'LC_MESSAGES', 'relay.mo')),
                        'translation ' + lang)

    if failures:
        print('%d installation check(s) failed.' % len(failures), file=sys.stderr)
        return 1
    print('Everything is installed where a distribution expects it.')
    return 0


if __name__ == '__main__':
    sys.exit(main())

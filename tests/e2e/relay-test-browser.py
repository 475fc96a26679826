#!/usr/bin/python3
# relay-test-browser.py
#
# Copyright 2026 The Relay authors
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The "system browser" of the e2e tests.  A test-only desktop entry makes
# GIO launch this script with the authorize URL; it drives Debian's headless
# chromium through chromedriver (W3C WebDriver over plain HTTP, no selenium),
# clicks the button given by RELAY_TEST_BROWSER_CLICK (default "authorize")
# on the provider's page, waits until the browser lands on Relay's callback
# page, then quits chromium and the driver.
#
# Environment:
#   RELAY_TEST_BROWSER_LOG      file to append a log to (host and path only,
#                               never a query: it carries the request token)
#   RELAY_TEST_BROWSER_CLICK    id of the button to click (default authorize)
#   RELAY_TEST_BROWSER_TIMEOUT  seconds for the whole run (default 90)
#
# Exit status: 0 when the callback page was reached, 1 otherwise.

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

CHROMIUM = os.environ.get('RELAY_TEST_CHROMIUM', '/usr/bin/chromium')
CHROMEDRIVER = os.environ.get('RELAY_TEST_CHROMEDRIVER', '/usr/bin/chromedriver')
CALLBACK_TEXT = 'You can close this tab'
W3C_ELEMENT = 'element-6066-11e4-a52e-4f735466cecf'

_log_file = None


def log(message):
    line = '%s [%d] %s\n' % (time.strftime('%H:%M:%S'), os.getpid(), message)
    if _log_file is not None:
        _log_file.write(line)
        _log_file.flush()
    else:
        sys.stderr.write(line)


def safe_url(url):
    """Scheme, host and path only: the query holds tokens."""
    parts = urllib.parse.urlsplit(url)
    return '%s://%s%s' % (parts.scheme, parts.netloc, parts.path)


class Timeout(Exception):
    pass


def on_alarm(signum, frame):
    raise Timeout('the run took longer than its time limit')


class Driver:
    def __init__(self, port):
        self.base = 'http://127.0.0.1:%d' % port
        self.session = None

    def call(self, method, path, body=None, timeout=30):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.base + path, data=data, method=method,
                                         headers={'Content-Type': 'application/json'})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return json.loads(response.read() or b'{}').get('value')
        except urllib.error.HTTPError as error:
            try:
                value = json.loads(error.read()).get('value', {})
            except ValueError:
                value = {}
            raise RuntimeError('%s %s: %s' % (method, path.split('/')[-1],
                                              value.get('error', error.code)))

    def session_call(self, method, path, body=None):
        return self.call(method, '/session/%s%s' % (self.session, path), body)

    def wait_ready(self, deadline):
        while time.monotonic() < deadline:
            try:
                if self.call('GET', '/status', timeout=2).get('ready'):
                    return
            except (OSError, RuntimeError):
                pass
            time.sleep(0.1)
        raise Timeout('chromedriver did not become ready')

    def start_session(self, profile_dir):
        args = [
            '--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
            '--disable-background-networking', '--disable-component-update',
            '--disable-sync', '--disable-quic', '--disable-dev-shm-usage',
            # keep chromium's own secrets out of the test keyring
            '--password-store=basic',
            '--user-data-dir=' + profile_dir,
        ]
        caps = {'capabilities': {'alwaysMatch': {
            'browserName': 'chrome',
            'pageLoadStrategy': 'normal',
            'goog:chromeOptions': {'binary': CHROMIUM, 'args': args},
        }}}
        value = self.call('POST', '/session', caps, timeout=60)
        self.session = value['sessionId']

    def find(self, css):
        try:
            found = self.session_call('POST', '/element', {'using': 'css selector', 'value': css})
        except RuntimeError:
            return None
        return found.get(W3C_ELEMENT) if found else None

    def end_session(self):
        if self.session is not None:
            try:
                self.call('DELETE', '/session/' + self.session, timeout=20)
            except (OSError, RuntimeError) as error:
                log('closing the session failed: %s' % error)
            self.session = None


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def start_driver(deadline):
    """chromedriver on a free port; another port when that one was taken."""
    for attempt in range(3):
        port = free_port()
        proc = subprocess.Popen([CHROMEDRIVER, '--port=%d' % port, '--silent'],
                                stdin=subprocess.DEVNULL,
                                stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL,
                                start_new_session=True)
        log('chromedriver pid %d on port %d' % (proc.pid, port))
        driver = Driver(port)
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                if driver.call('GET', '/status', timeout=2).get('ready'):
                    return proc, driver
            except (OSError, RuntimeError):
                pass
            time.sleep(0.1)
        if proc.poll() is None:
            return proc, driver      # out of time: run() reports it
        log('chromedriver exited with status %d' % proc.returncode)
    raise RuntimeError('chromedriver did not start')


def run(url, click_id, deadline):
    driver_proc, driver = start_driver(deadline)
    profile_dir = tempfile.mkdtemp(prefix='relay-test-browser-')
    try:
        driver.wait_ready(deadline)
        driver.start_session(profile_dir)
        log('chromium session started')

        driver.session_call('POST', '/url', {'url': url})
        log('opened %s' % safe_url(url))

        button = None
        while button is None:
            if time.monotonic() > deadline:
                raise Timeout('no #%s button on %s' % (
                    click_id, safe_url(driver.session_call('GET', '/url'))))
            button = driver.find('#' + click_id)
            if button is None:
                time.sleep(0.1)
        driver.session_call('POST', '/element/%s/click' % button, {})
        log('clicked #%s' % click_id)

        # Authorize ends on Relay's "You can close this tab" page; any other
        # button (deny) ends on the callback with whatever Relay answers.
        while True:
            current = driver.session_call('GET', '/url')
            source = driver.session_call('GET', '/source') or ''
            state = driver.session_call('POST', '/execute/sync',
                                        {'script': 'return document.readyState', 'args': []})
            on_callback = urllib.parse.urlsplit(current).path == '/callback'
            if CALLBACK_TEXT in source or (click_id != 'authorize' and on_callback
                                           and state == 'complete'):
                log('landed on %s: callback page shown' % safe_url(current))
                return True
            if time.monotonic() > deadline:
                log('stuck on %s' % safe_url(current))
                return False
            time.sleep(0.1)
    finally:
        driver.end_session()
        try:
            os.killpg(driver_proc.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            driver_proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(driver_proc.pid, signal.SIGKILL)
            driver_proc.wait()
        # chromium may outlive the driver for a moment: end whatever is left
        # in the driver's process group
        for _ in range(50):
            try:
                os.killpg(driver_proc.pid, 0)
            except ProcessLookupError:
                break
            try:
                os.killpg(driver_proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                break
            time.sleep(0.1)
        shutil.rmtree(profile_dir, ignore_errors=True)
        log('chromium and chromedriver stopped')


def main():
    global _log_file

    log_path = os.environ.get('RELAY_TEST_BROWSER_LOG')
    if log_path:
        _log_file = open(log_path, 'a', encoding='utf-8')

    if len(sys.argv) != 2:
        log('usage: relay-test-browser URL')
        return 2

    url = sys.argv[1]
    if urllib.parse.urlsplit(url).scheme not in ('http', 'https'):
        log('refusing a URL that is not http or https')
        return 2

    click_id = os.environ.get('RELAY_TEST_BROWSER_CLICK', 'authorize')
    timeout = float(os.environ.get('RELAY_TEST_BROWSER_TIMEOUT', '90'))
    signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(int(timeout) + 15)
    deadline = time.monotonic() + timeout

    log('launched for %s' % safe_url(url))
    try:
        ok = run(url, click_id, deadline)
    except Exception as error:  # report every failure in one sentence
        log('failed: %s' % error)
        ok = False
    finally:
        signal.alarm(0)

    log('done: %s' % ('ok' if ok else 'failed'))
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())

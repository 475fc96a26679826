/* relay-e2e-util.h
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define RELAY_E2E_SANDBOX_KEY    "relay-sandbox-key"
#define RELAY_E2E_SANDBOX_SECRET "relay-sandbox-secret"

typedef struct
{
  char        *tmpdir;        /* removed by relay_e2e_fixture_free () */
  char        *browser_log;   /* what relay-test-browser.py did */
  char        *messages;      /* the sandbox's --messages file */
  GSubprocess *sandbox;       /* NULL until relay_e2e_fixture_start_sandbox () */
  char        *sandbox_url;   /* http://127.0.0.1:PORT/ */
  guint        browser_runs;  /* finished test-browser runs */
} RelayE2eFixture;

RelayE2eFixture *relay_e2e_fixture_new             (void);
void             relay_e2e_fixture_free            (RelayE2eFixture  *fixture,
                                                    gboolean          keep_files);
void             relay_e2e_fixture_start_sandbox   (RelayE2eFixture  *fixture,
                                                    const char * const *extra_args);
char            *relay_e2e_fixture_endpoint        (RelayE2eFixture  *fixture,
                                                    const char       *path);
gboolean         relay_e2e_run                     (const char * const *argv,
                                                    const char * const *extra_env,
                                                    const char       *input,
                                                    char            **out_stdout,
                                                    char            **out_stderr,
                                                    guint             timeout_seconds);
void             relay_e2e_wait_browser            (RelayE2eFixture  *fixture,
                                                    guint             timeout_seconds);
guint            relay_e2e_count_messages          (RelayE2eFixture  *fixture,
                                                    const char       *to,
                                                    const char       *text);
guint            relay_e2e_count_keyring_items     (const char       *consumer_key);
void             relay_e2e_clear_keyring           (void);
gboolean         relay_e2e_wait_until              (GSourceFunc       check,
                                                    gpointer          data,
                                                    guint             timeout_seconds);

G_END_DECLS

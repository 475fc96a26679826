/* relay-cli.h
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Exit statuses: 0 success, 1 the operation failed, 2 bad usage. */
#define RELAY_CLI_EXIT_FAILURE 1
#define RELAY_CLI_EXIT_USAGE   2

typedef int (*RelayCliCommandFunc) (int    argc,
                                    char **argv);

int  relay_cli_sign     (int          argc,
                         char       **argv);

int  relay_cli_fail     (int          status,
                         const char  *format,
                         ...) G_GNUC_PRINTF (2, 3);
int  relay_cli_parse    (GOptionContext *context,
                         int            *argc,
                         char         ***argv);

G_END_DECLS

/* relay-process.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "Relay"

#include <errno.h>
#include <string.h>
#include <sys/prctl.h>

#include "relay-process.h"

/**
 * relay_process_forbid_core_dumps:
 *
 * Relay holds API, consumer and token secrets in memory: a core of a
 * crash held api_secret three times, and a dumpable process lets any
 * process of the same user read its memory. This makes the process not
 * dumpable (no core, no ptrace or /proc/PID/mem for the same user without
 * privileges). Set RELAY_ALLOW_CORE_DUMPS=1 where cores are wanted (a
 * test or a debugging session that needs them).
 *
 * Returns: %TRUE when the process is not dumpable now
 */
gboolean
relay_process_forbid_core_dumps (void)
{
  if (g_strcmp0 (g_getenv ("RELAY_ALLOW_CORE_DUMPS"), "1") == 0)
    return FALSE;

  if (prctl (PR_SET_DUMPABLE, 0, 0, 0, 0) != 0)
    {
      int saved = errno;

      g_debug ("Could not make the process undumpable: %s", g_strerror (saved));
      return FALSE;
    }

  return prctl (PR_GET_DUMPABLE, 0, 0, 0, 0) == 0;
}

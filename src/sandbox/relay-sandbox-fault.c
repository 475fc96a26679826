/* relay-sandbox-fault.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Fault specifications for integration tests: PATH=KIND[:ARG][@COUNT].
 */

#define G_LOG_DOMAIN "Relay"

#include <string.h>

#include "relay-oauth1-error.h"
#include "relay-sandbox-private.h"

static const struct {
  const char            *name;
  RelaySandboxFaultKind  kind;
  gboolean               needs_arg;
  gboolean               takes_arg;
} kinds[] = {
  { "http-500", RELAY_SANDBOX_FAULT_HTTP_500, FALSE, FALSE },
  { "non-json", RELAY_SANDBOX_FAULT_NON_JSON, FALSE, FALSE },
  { "truncated", RELAY_SANDBOX_FAULT_TRUNCATED, FALSE, FALSE },
  { "slow", RELAY_SANDBOX_FAULT_SLOW, TRUE, TRUE },
  { "problem", RELAY_SANDBOX_FAULT_PROBLEM, TRUE, TRUE },
  { "unconfirmed", RELAY_SANDBOX_FAULT_UNCONFIRMED, FALSE, FALSE },
  { "http-429", RELAY_SANDBOX_FAULT_HTTP_429, TRUE, TRUE },
  { "http-429-date", RELAY_SANDBOX_FAULT_HTTP_429_DATE, TRUE, TRUE },
  { "http-429-bad", RELAY_SANDBOX_FAULT_HTTP_429_BAD, FALSE, FALSE },
  { "throttle", RELAY_SANDBOX_FAULT_THROTTLE, FALSE, TRUE },
  { "delivery-failed", RELAY_SANDBOX_FAULT_DELIVERY_FAILED, FALSE, FALSE },
  { "delivery-expired", RELAY_SANDBOX_FAULT_DELIVERY_EXPIRED, FALSE, FALSE },
  { "delivery-rejected", RELAY_SANDBOX_FAULT_DELIVERY_REJECTED, FALSE, FALSE },
};

void
relay_sandbox_fault_free (gpointer data)
{
  RelaySandboxFault *fault = data;

  if (fault == NULL)
    return;

  g_free (fault->path);
  g_free (fault->problem);
  g_free (fault);
}

static gboolean
parse_number (const char *text,
              guint64     max,
              guint      *out)
{
  guint64 value;

  if (text == NULL || !g_ascii_isdigit (*text))
    return FALSE;
  if (!g_ascii_string_to_unsigned (text, 10, 0, max, &value, NULL))
    return FALSE;

  *out = (guint) value;
  return TRUE;
}

static gboolean
fail (GError     **error,
      const char  *spec,
      const char  *reason)
{
  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
               "Fault “%s” is not valid: %s", spec, reason);
  return FALSE;
}

/**
 * relay_sandbox_fault_parse:
 * @spec: `PATH=KIND[:ARG][@COUNT]`
 * @error: a #GError
 *
 * KIND is one of http-500, non-json, truncated, slow:MS, problem:NAME,
 * unconfirmed, http-429:SECONDS, http-429-date:SECONDS (Retry-After as
 * an HTTP-date that many seconds ahead of the sandbox's clock),
 * http-429-bad (a Retry-After that is neither), throttle[:MS] and
 * delivery-failed, delivery-expired, delivery-rejected (on /sms/json:
 * the messages that request sends end so in /v2/reports/records). The
 * fault applies to the first COUNT requests of PATH, or to all of them.
 *
 * Returns: (transfer full) (nullable): the fault
 */
RelaySandboxFault *
relay_sandbox_fault_parse (const char  *spec,
                           GError     **error)
{
  g_autoptr(GString) kind_text = NULL;
  RelaySandboxFault *fault;
  const char *eq;
  const char *at;
  const char *colon;
  const char *kind_end;
  g_autofree char *arg = NULL;
  guint count = 0;
  guint i;

  g_return_val_if_fail (spec != NULL, NULL);

  eq = strchr (spec, '=');
  if (spec[0] != '/' || eq == NULL || eq == spec + 1)
    {
      fail (error, spec, "expected PATH=KIND[:ARG][@COUNT] with PATH starting with “/”.");
      return NULL;
    }

  at = strchr (eq + 1, '@');
  kind_end = at != NULL ? at : eq + strlen (eq);
  if (at != NULL && (!parse_number (at + 1, G_MAXINT, &count) || count == 0))
    {
      fail (error, spec, "COUNT after “@” must be a positive whole number.");
      return NULL;
    }

  colon = memchr (eq + 1, ':', kind_end - (eq + 1));
  kind_text = g_string_new_len (eq + 1, (colon != NULL ? colon : kind_end) - (eq + 1));
  if (colon != NULL)
    arg = g_strndup (colon + 1, kind_end - colon - 1);

  for (i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (strcmp (kinds[i].name, kind_text->str) == 0)
      break;

  if (i == G_N_ELEMENTS (kinds))
    {
      fail (error, spec, "KIND must be one of http-500, non-json, truncated, slow:MS, "
                         "problem:NAME, unconfirmed, http-429:SECONDS, http-429-date:SECONDS, "
                         "http-429-bad, throttle.");
      return NULL;
    }

  if (kinds[i].needs_arg && (arg == NULL || *arg == '\0'))
    {
      fail (error, spec, "this KIND needs an argument after “:”.");
      return NULL;
    }

  if (!kinds[i].takes_arg && arg != NULL)
    {
      fail (error, spec, "this KIND takes no argument.");
      return NULL;
    }

  fault = g_new0 (RelaySandboxFault, 1);
  fault->path = g_strndup (spec, eq - spec);
  fault->kind = kinds[i].kind;
  fault->remaining = at != NULL ? (int) count : -1;

  switch (fault->kind)
    {
    case RELAY_SANDBOX_FAULT_SLOW:
      if (!parse_number (arg, 600000, &fault->arg))
        {
          relay_sandbox_fault_free (fault);
          fail (error, spec, "slow needs a delay in milliseconds from 0 to 600000.");
          return NULL;
        }
      break;

    case RELAY_SANDBOX_FAULT_HTTP_429:
    case RELAY_SANDBOX_FAULT_HTTP_429_DATE:
      if (!parse_number (arg, 86400, &fault->arg))
        {
          relay_sandbox_fault_free (fault);
          fail (error, spec, "http-429 needs a Retry-After in seconds from 0 to 86400.");
          return NULL;
        }
      break;

    case RELAY_SANDBOX_FAULT_THROTTLE:
      fault->arg = 1000;
      if (arg != NULL && (!parse_number (arg, 600000, &fault->arg) || fault->arg == 0))
        {
          relay_sandbox_fault_free (fault);
          fail (error, spec, "throttle takes a wait in milliseconds from 1 to 600000.");
          return NULL;
        }
      break;

    case RELAY_SANDBOX_FAULT_PROBLEM:
      if (!relay_oauth1_problem_from_string (arg, NULL))
        {
          relay_sandbox_fault_free (fault);
          fail (error, spec, "problem needs an oauth_problem name such as token_rejected.");
          return NULL;
        }
      fault->problem = g_steal_pointer (&arg);
      break;

    case RELAY_SANDBOX_FAULT_HTTP_500:
    case RELAY_SANDBOX_FAULT_HTTP_429_BAD:
    case RELAY_SANDBOX_FAULT_NON_JSON:
    case RELAY_SANDBOX_FAULT_TRUNCATED:
    case RELAY_SANDBOX_FAULT_UNCONFIRMED:
    default:
      break;
    }

  return fault;
}

/* bench-sign.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Signatures per second for a typical Nexmo SMS request (GET /sms/json
 * with from, to and text in the query, HMAC-SHA1, consumer and token),
 * with relay-core, with liboauth (oauth_sign_url2) and with
 * python3-oauthlib (bench-oauthlib.py, run from here so all three are
 * measured in the same run). Each signature includes what a caller pays
 * for: a fresh nonce and timestamp, parsing the URL, and the output
 * (Authorization header or signed URL). A benchmark, not a test: it never
 * fails on timing.
 */

#include <gio/gio.h>
#include <oauth.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "relay-oauth1-params.h"
#include "relay-oauth1-request.h"

#define URL "https://rest.nexmo.com/sms/json?from=Relay&to=447700900000&text=Hello%20from%20Relay%21"
#define CONSUMER_KEY    "dpf43f3p2l4k3l03"
#define CONSUMER_SECRET "kd94hf93k423kf44"
#define TOKEN           "nnch734d00sl2jdk"
#define TOKEN_SECRET    "pfkkdhi9sl3r4s00"

typedef guint64 (*SignBatch) (guint n);

static volatile gsize sink;

static guint64
relay_batch (guint n)
{
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(RelayOAuth1Request) request = relay_oauth1_request_new ("GET", URL, NULL);

      relay_oauth1_request_set_consumer (request, CONSUMER_KEY, CONSUMER_SECRET);
      relay_oauth1_request_set_token (request, TOKEN, TOKEN_SECRET);
      if (!relay_oauth1_request_sign (request, NULL))
        g_error ("relay-core failed to sign");
      sink += strlen (relay_oauth1_request_get_authorization (request));
    }

  return n;
}

static guint64
liboauth_batch (guint n)
{
  for (guint i = 0; i < n; i++)
    {
      char *signed_url = oauth_sign_url2 (URL, NULL, OA_HMAC, "GET",
                                          CONSUMER_KEY, CONSUMER_SECRET, TOKEN, TOKEN_SECRET);

      if (signed_url == NULL)
        g_error ("liboauth failed to sign");
      sink += strlen (signed_url);
      free (signed_url);
    }

  return n;
}

/* Signatures per second over about @seconds. */
static double
measure (SignBatch batch,
         double    seconds)
{
  gint64 start = g_get_monotonic_time ();
  gint64 elapsed;
  guint64 done = 0;

  do
    {
      done += batch (100);
      elapsed = g_get_monotonic_time () - start;
    }
  while (elapsed < seconds * G_USEC_PER_SEC);

  return done * (double) G_USEC_PER_SEC / elapsed;
}

/* The same request, nonce and timestamp must give the same signature in
 * both C implementations, or the comparison would be meaningless. */
static void
check_agreement (void)
{
  g_autoptr(RelayOAuth1Request) request = relay_oauth1_request_new ("GET", URL, NULL);
  g_autofree char *expected = NULL;
  char *signed_url;
  const char *found;

  relay_oauth1_request_set_consumer (request, CONSUMER_KEY, CONSUMER_SECRET);
  relay_oauth1_request_set_token (request, TOKEN, TOKEN_SECRET);
  relay_oauth1_request_set_nonce (request, "benchnonce");
  relay_oauth1_request_set_timestamp (request, "1700000000");
  relay_oauth1_request_set_include_version (request, TRUE);
  relay_oauth1_request_set_placement (request, RELAY_OAUTH1_PLACEMENT_QUERY);
  g_assert_true (relay_oauth1_request_sign (request, NULL));
  expected = relay_percent_encode (relay_oauth1_request_get_signature (request));

  signed_url = oauth_sign_url2 (URL "&oauth_nonce=benchnonce&oauth_timestamp=1700000000",
                                NULL, OA_HMAC, "GET", CONSUMER_KEY, CONSUMER_SECRET, TOKEN, TOKEN_SECRET);
  found = strstr (signed_url, "oauth_signature=");
  if (found == NULL || strncmp (found + strlen ("oauth_signature="), expected, strlen (expected)) != 0)
    g_printerr ("warning: liboauth and relay-core disagree: %s vs oauth_signature=%s\n", signed_url, expected);
  else
    g_print ("check: relay-core and liboauth agree on the signature (%s)\n",
             relay_oauth1_request_get_signature (request));
  free (signed_url);
}

static double
measure_oauthlib (const char *script,
                  double      seconds)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *arg = g_strdup_printf ("%g", seconds);

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                              "/usr/bin/python3", script, arg, URL, CONSUMER_KEY, CONSUMER_SECRET,
                              TOKEN, TOKEN_SECRET, NULL);
  if (process == NULL ||
      !g_subprocess_communicate_utf8 (process, NULL, NULL, &out, NULL, &error) ||
      !g_subprocess_get_successful (process))
    {
      g_printerr ("oauthlib timing failed: %s\n", error != NULL ? error->message : "see above");
      return 0;
    }

  return g_ascii_strtod (out, NULL);
}

int
main (int   argc,
      char *argv[])
{
  double seconds = 3;
  guint rounds = 5;
  const char *oauthlib_script = NULL;
  double relay = 0, liboauth = 0, oauthlib = 0;

  for (int i = 1; i < argc; i++)
    {
      if (strcmp (argv[i], "--seconds") == 0 && i + 1 < argc)
        {
          seconds = g_ascii_strtod (argv[++i], NULL);
          seconds = MAX (seconds, 0.1);
        }
      else if (strcmp (argv[i], "--oauthlib") == 0 && i + 1 < argc)
        oauthlib_script = argv[++i];
      else
        {
          g_printerr ("usage: %s [--seconds S] [--oauthlib bench-oauthlib.py]\n", argv[0]);
          return 2;
        }
    }

  check_agreement ();

  /* Interleaved rounds, best of each: the machine may be shared, and a
   * busy spell then slows every implementation, not just one. */
  relay_batch (200);
  liboauth_batch (200);
  for (guint r = 0; r < rounds; r++)
    {
      double r_relay = measure (relay_batch, seconds / rounds);
      double r_liboauth = measure (liboauth_batch, seconds / rounds);
      double r_oauthlib = oauthlib_script != NULL ? measure_oauthlib (oauthlib_script, seconds / rounds) : 0;

      relay = MAX (relay, r_relay);
      liboauth = MAX (liboauth, r_liboauth);
      oauthlib = MAX (oauthlib, r_oauthlib);
    }

  g_print ("request: GET %s (HMAC-SHA1, consumer + token)\n", URL);
  g_print ("best of %u interleaved rounds of %.2f s each\n", rounds, seconds / rounds);
  g_print ("%-12s %12.0f signatures/s\n", "relay-core", relay);
  g_print ("%-12s %12.0f signatures/s\n", "liboauth", liboauth);
  if (oauthlib > 0)
    g_print ("%-12s %12.0f signatures/s\n", "oauthlib", oauthlib);
  g_print ("relay-core / liboauth: %.2fx (target >= 1.0x)\n", relay / liboauth);
  if (oauthlib > 0)
    g_print ("relay-core / oauthlib: %.1fx (target >= 30x)\n", relay / oauthlib);

  return sink == 0;
}

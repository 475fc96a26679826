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
 * measured in the same run), per second of CPU time. Each signature includes what a caller pays
 * for: a fresh nonce and timestamp, parsing the URL, and the output
 * (Authorization header or signed URL). A benchmark, not a test: it never
 * fails on timing.
 */

#include <gio/gio.h>
#include <oauth.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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

/* CPU time of this process: on a shared machine wall-clock time also
 * counts the time other processes ran. */
static double
cpu_seconds (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);

  return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Signatures per CPU second over about @seconds of CPU time. */
static double
measure (SignBatch batch,
         double    seconds)
{
  double start = cpu_seconds ();
  double elapsed;
  guint64 done = 0;

  do
    {
      done += batch (100);
      elapsed = cpu_seconds () - start;
    }
  while (elapsed < seconds);

  return done / elapsed;
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

/* Runs one round in a fresh process and reads the figure it prints. */
static double
measure_process (const char * const *argv)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;

  process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
  if (process == NULL ||
      !g_subprocess_communicate_utf8 (process, NULL, NULL, &out, NULL, &error) ||
      !g_subprocess_get_successful (process))
    {
      g_printerr ("%s: timing failed: %s\n", argv[0], error != NULL ? error->message : "see above");
      return 0;
    }

  return g_ascii_strtod (out, NULL);
}

static double
measure_self (const char *self,
              const char *impl,
              double      seconds)
{
  g_autofree char *arg = g_strdup_printf ("%g", seconds);
  const char *argv[] = { self, "--round", impl, arg, NULL };

  return measure_process (argv);
}

static double
measure_oauthlib (const char *script,
                  double      seconds)
{
  g_autofree char *arg = g_strdup_printf ("%g", seconds);
  const char *argv[] = {
    "/usr/bin/python3", script, arg, URL, CONSUMER_KEY, CONSUMER_SECRET, TOKEN, TOKEN_SECRET, NULL
  };

  return measure_process (argv);
}

int
main (int   argc,
      char *argv[])
{
  double seconds = 4;
  guint rounds = 8;
  const char *oauthlib_script = NULL;
  g_autofree char *self = NULL;
  double relay = 0, liboauth = 0, oauthlib = 0;

  /* one round of one implementation: print its figure */
  if (argc == 4 && strcmp (argv[1], "--round") == 0)
    {
      SignBatch batch = strcmp (argv[2], "relay") == 0 ? relay_batch : liboauth_batch;

      batch (200);
      g_print ("%.1f\n", measure (batch, g_ascii_strtod (argv[3], NULL)));
      return sink == 0;
    }

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

  /* Interleaved rounds, each in a fresh process, best of each: on a
   * shared machine a busy spell, or landing on a busy core, then slows
   * every implementation alike rather than one of them. */
  self = g_file_read_link ("/proc/self/exe", NULL);
  if (self == NULL)
    self = g_strdup (argv[0]);
  for (guint r = 0; r < rounds; r++)
    {
      double r_relay = measure_self (self, "relay", seconds / rounds);
      double r_liboauth = measure_self (self, "liboauth", seconds / rounds);
      double r_oauthlib = oauthlib_script != NULL ? measure_oauthlib (oauthlib_script, seconds / rounds) : 0;

      relay = MAX (relay, r_relay);
      liboauth = MAX (liboauth, r_liboauth);
      oauthlib = MAX (oauthlib, r_oauthlib);
    }

  g_print ("request: GET %s (HMAC-SHA1, consumer + token)\n", URL);
  g_print ("best of %u interleaved rounds of %.2f s of CPU time each, each in a fresh process\n",
           rounds, seconds / rounds);
  g_print ("%-12s %12.0f signatures/s\n", "relay-core", relay);
  g_print ("%-12s %12.0f signatures/s\n", "liboauth", liboauth);
  if (oauthlib > 0)
    g_print ("%-12s %12.0f signatures/s\n", "oauthlib", oauthlib);
  if (liboauth > 0)
    g_print ("relay-core / liboauth: %.2fx (target >= 1.0x)\n", relay / liboauth);
  if (oauthlib > 0)
    g_print ("relay-core / oauthlib: %.1fx (target >= 30x)\n", relay / oauthlib);

  return 0;
}

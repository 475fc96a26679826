/* relay-oauth1-signature.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "Relay"

#include <errno.h>
#include <string.h>
#include <sys/random.h>

#include "relay-oauth1-params.h"
#include "relay-oauth1-signature.h"

static const struct {
  RelayOAuth1SignatureMethod  method;
  const char                 *name;
  GChecksumType               checksum;
} methods[] = {
  { RELAY_OAUTH1_HMAC_SHA1, "HMAC-SHA1", G_CHECKSUM_SHA1 },
  { RELAY_OAUTH1_HMAC_SHA256, "HMAC-SHA256", G_CHECKSUM_SHA256 },
  { RELAY_OAUTH1_HMAC_SHA512, "HMAC-SHA512", G_CHECKSUM_SHA512 },
  { RELAY_OAUTH1_PLAINTEXT, "PLAINTEXT", 0 },
};

const char *
relay_oauth1_signature_method_to_string (RelayOAuth1SignatureMethod method)
{
  for (guint i = 0; i < G_N_ELEMENTS (methods); i++)
    if (methods[i].method == method)
      return methods[i].name;

  g_return_val_if_reached (NULL);
}

/**
 * relay_oauth1_signature_method_from_string:
 *
 * Method names are case-sensitive, as RFC 5849 §3.4 writes them.
 *
 * Returns: %TRUE when @name is a supported method
 */
gboolean
relay_oauth1_signature_method_from_string (const char                 *name,
                                           RelayOAuth1SignatureMethod *method)
{
  g_return_val_if_fail (name != NULL, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (methods); i++)
    if (strcmp (methods[i].name, name) == 0)
      {
        if (method != NULL)
          *method = methods[i].method;
        return TRUE;
      }

  return FALSE;
}

/**
 * relay_oauth1_signing_key:
 *
 * §3.4.2: enc(consumer secret) "&" enc(token secret); the '&' is always
 * present, even with no token secret. This is also the PLAINTEXT signature.
 *
 * Returns: (transfer full): the key; free it with relay_secure_free()-like
 *   care (it is a secret)
 */
char *
relay_oauth1_signing_key (const char *consumer_secret,
                          const char *token_secret)
{
  GString *key = g_string_new (NULL);

  if (consumer_secret != NULL)
    relay_percent_encode_append (key, consumer_secret, strlen (consumer_secret));
  g_string_append_c (key, '&');
  if (token_secret != NULL)
    relay_percent_encode_append (key, token_secret, strlen (token_secret));

  return g_string_free (key, FALSE);
}

static void
wipe_and_free (char *secret)
{
  if (secret != NULL)
    {
      explicit_bzero (secret, strlen (secret));
      g_free (secret);
    }
}

/**
 * relay_oauth1_sign:
 * @method: the signature method
 * @base_string: the §3.4.1 signature base string (ignored for PLAINTEXT)
 * @consumer_secret: (nullable): the consumer secret
 * @token_secret: (nullable): the token secret
 *
 * Returns: (transfer full): the signature, base64 for HMAC methods
 */
char *
relay_oauth1_sign (RelayOAuth1SignatureMethod  method,
                   const char                 *base_string,
                   const char                 *consumer_secret,
                   const char                 *token_secret)
{
  char *key;
  guint8 digest[64];
  gsize digest_len = sizeof digest;
  GHmac *hmac;

  g_return_val_if_fail (base_string != NULL || method == RELAY_OAUTH1_PLAINTEXT, NULL);

  key = relay_oauth1_signing_key (consumer_secret, token_secret);
  if (method == RELAY_OAUTH1_PLAINTEXT)
    return key;

  for (guint i = 0; i < G_N_ELEMENTS (methods); i++)
    if (methods[i].method == method)
      {
        hmac = g_hmac_new (methods[i].checksum, (const guchar *) key, strlen (key));
        g_hmac_update (hmac, (const guchar *) base_string, strlen (base_string));
        g_hmac_get_digest (hmac, digest, &digest_len);
        g_hmac_unref (hmac);
        wipe_and_free (key);
        return g_base64_encode (digest, digest_len);
      }

  wipe_and_free (key);
  g_return_val_if_reached (NULL);
}

/**
 * relay_constant_time_equal:
 *
 * Compares two strings in time that depends only on their lengths, for
 * signatures and tokens.
 */
gboolean
relay_constant_time_equal (const char *a,
                           const char *b)
{
  gsize la, lb;
  guint8 diff;

  if (a == NULL || b == NULL)
    return FALSE;

  la = strlen (a);
  lb = strlen (b);
  diff = la != lb;

  for (gsize i = 0; i < la; i++)
    diff |= (guint8) a[i] ^ (guint8) b[lb > 0 ? i % lb : 0];

  return diff == 0;
}

/**
 * relay_oauth1_make_nonce:
 *
 * 128 bits from the kernel CSPRNG (getrandom(2)), as 32 hex digits.
 *
 * Returns: (transfer full): a fresh nonce
 */
char *
relay_oauth1_make_nonce (void)
{
  guint8 bytes[16];
  gsize filled = 0;
  GString *out;

  while (filled < sizeof bytes)
    {
      ssize_t n = getrandom (bytes + filled, sizeof bytes - filled, 0);

      if (n < 0)
        {
          if (errno == EINTR)
            continue;
          g_error ("getrandom() failed: %s", g_strerror (errno));
        }
      filled += n;
    }

  out = g_string_sized_new (33);
  for (guint i = 0; i < sizeof bytes; i++)
    g_string_append_printf (out, "%02x", bytes[i]);

  return g_string_free (out, FALSE);
}

/**
 * relay_oauth1_now:
 *
 * Returns: seconds since the epoch, for oauth_timestamp
 */
gint64
relay_oauth1_now (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

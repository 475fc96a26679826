/* relay-nexmo-sig.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Nexmo's request signing with a signature secret (the `sig` parameter),
 * as the Java (RequestSigning), PHP (Signature), Python 3.x and Node
 * @vonage/sms (verifySignature) SDKs do it:
 *
 *   every parameter but `sig`, sorted by name (byte order); in the values,
 *   and only in the string that is hashed, `&` and `=` become `_`; joined
 *   as `&name=value&name=value…` with a leading `&`, nothing URL-encoded.
 *   md5hash is MD5 of that string with the secret appended; md5, sha1,
 *   sha256 and sha512 are HMACs of it keyed with the secret. Lowercase hex.
 *
 * Empty values: the Java SDK leaves parameters with an empty value out of
 * the string; PHP, Python 3.x and @vonage/sms verifySignature keep them
 * ("&name="). relay_nexmo_sig_string() keeps them, as the verifier Relay's
 * sandbox emulates (@vonage/sms) does; relay_nexmo_sig_sign() never sends
 * an empty parameter, so what Relay signs reads the same either way.
 */

#define G_LOG_DOMAIN "Relay"

#include <string.h>

#include "relay-nexmo-sig.h"
#include "relay-oauth1-params.h"
#include "relay-oauth1-signature.h"

static const char *const method_names[] = {
  [RELAY_NEXMO_SIG_NONE] = "none",
  [RELAY_NEXMO_SIG_MD5HASH] = "md5hash",
  [RELAY_NEXMO_SIG_MD5] = "md5",
  [RELAY_NEXMO_SIG_SHA1] = "sha1",
  [RELAY_NEXMO_SIG_SHA256] = "sha256",
  [RELAY_NEXMO_SIG_SHA512] = "sha512",
};

/**
 * relay_nexmo_sig_method_from_string:
 * @name: "md5hash", "md5", "sha1", "sha256" or "sha512" (the names the
 *   dashboard's methods have in the SDKs)
 * @method: (out) (optional): the method
 *
 * Returns: %TRUE when @name is one of them
 */
gboolean
relay_nexmo_sig_method_from_string (const char          *name,
                                    RelayNexmoSigMethod *method)
{
  if (name == NULL)
    return FALSE;

  for (guint i = RELAY_NEXMO_SIG_MD5HASH; i < G_N_ELEMENTS (method_names); i++)
    if (strcmp (name, method_names[i]) == 0)
      {
        if (method != NULL)
          *method = i;
        return TRUE;
      }

  return FALSE;
}

const char *
relay_nexmo_sig_method_to_string (RelayNexmoSigMethod method)
{
  g_return_val_if_fail (method < G_N_ELEMENTS (method_names), NULL);

  return method_names[method];
}

static int
compare_params (gconstpointer a,
                gconstpointer b)
{
  const RelayParam *pa = *(const RelayParam **) a;
  const RelayParam *pb = *(const RelayParam **) b;
  int cmp = strcmp (pa->name, pb->name);

  return cmp != 0 ? cmp : strcmp (pa->value, pb->value);
}

/**
 * relay_nexmo_sig_string:
 * @params: (element-type RelayParam): the request's parameters, decoded
 *
 * Returns: (transfer full): the string that is hashed, without the secret
 */
char *
relay_nexmo_sig_string (GPtrArray *params)
{
  g_autoptr(GPtrArray) sorted = g_ptr_array_new ();
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (params != NULL, NULL);

  for (guint i = 0; i < params->len; i++)
    {
      RelayParam *param = g_ptr_array_index (params, i);

      if (strcmp (param->name, "sig") != 0)
        g_ptr_array_add (sorted, param);
    }
  g_ptr_array_sort (sorted, compare_params);

  for (guint i = 0; i < sorted->len; i++)
    {
      const RelayParam *param = g_ptr_array_index (sorted, i);

      g_string_append_c (out, '&');
      g_string_append (out, param->name);
      g_string_append_c (out, '=');
      for (const char *p = param->value; *p != '\0'; p++)
        g_string_append_c (out, *p == '&' || *p == '=' ? '_' : *p);
    }

  return g_string_free (out, FALSE);
}

static char *
hmac_hex (GChecksumType  type,
          const char    *secret,
          const char    *text)
{
  g_autoptr(GHmac) hmac = g_hmac_new (type, (const guchar *) secret, strlen (secret));

  g_hmac_update (hmac, (const guchar *) text, strlen (text));

  return g_strdup (g_hmac_get_string (hmac));
}

/**
 * relay_nexmo_sig_compute:
 * @params: (element-type RelayParam): the request's parameters, with
 *   api_key and timestamp; a `sig` among them is ignored
 * @method: the account's method
 * @secret: the signature secret
 *
 * Returns: (transfer full): the signature, lowercase hex
 */
char *
relay_nexmo_sig_compute (GPtrArray           *params,
                         RelayNexmoSigMethod  method,
                         const char          *secret)
{
  g_autofree char *text = NULL;
  char *sig = NULL;

  g_return_val_if_fail (params != NULL, NULL);
  g_return_val_if_fail (method > RELAY_NEXMO_SIG_NONE && method <= RELAY_NEXMO_SIG_SHA512, NULL);
  g_return_val_if_fail (secret != NULL, NULL);

  text = relay_nexmo_sig_string (params);

  switch (method)
    {
    case RELAY_NEXMO_SIG_MD5HASH:
      {
        g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_MD5);

        g_checksum_update (checksum, (const guchar *) text, strlen (text));
        g_checksum_update (checksum, (const guchar *) secret, strlen (secret));
        sig = g_strdup (g_checksum_get_string (checksum));
      }
      break;

    case RELAY_NEXMO_SIG_MD5:
      sig = hmac_hex (G_CHECKSUM_MD5, secret, text);
      break;

    case RELAY_NEXMO_SIG_SHA1:
      sig = hmac_hex (G_CHECKSUM_SHA1, secret, text);
      break;

    case RELAY_NEXMO_SIG_SHA256:
      sig = hmac_hex (G_CHECKSUM_SHA256, secret, text);
      break;

    case RELAY_NEXMO_SIG_SHA512:
      sig = hmac_hex (G_CHECKSUM_SHA512, secret, text);
      break;

    case RELAY_NEXMO_SIG_NONE:
    default:
      g_assert_not_reached ();
    }

  /* The string holds the message text: do not leave it in freed memory. */
  explicit_bzero (text, strlen (text));

  return sig;
}

/**
 * relay_nexmo_sig_verify:
 * @sig: (nullable): the `sig` the request carried, hex in either case
 *
 * Compares in constant time. The timestamp is the caller's to check.
 *
 * Returns: %TRUE when @sig is the signature of @params
 */
gboolean
relay_nexmo_sig_verify (GPtrArray           *params,
                        RelayNexmoSigMethod  method,
                        const char          *secret,
                        const char          *sig)
{
  g_autofree char *expected = NULL;
  g_autofree char *given = NULL;

  g_return_val_if_fail (params != NULL, FALSE);
  g_return_val_if_fail (secret != NULL, FALSE);

  if (sig == NULL || method == RELAY_NEXMO_SIG_NONE || method > RELAY_NEXMO_SIG_SHA512)
    return FALSE;

  expected = relay_nexmo_sig_compute (params, method, secret);
  given = g_ascii_strdown (sig, -1);

  return relay_constant_time_equal (given, expected);
}

/**
 * relay_nexmo_sig_sign:
 * @params: (element-type RelayParam): the request's parameters, with
 *   api_key; changed in place
 * @timestamp: Unix seconds, already corrected for the provider's clock
 *
 * Makes @params a signed request: drops parameters with an empty value
 * (the SDKs disagree on whether they are signed, so none is sent) and
 * any api_secret, timestamp or sig; adds timestamp, then sig.
 */
void
relay_nexmo_sig_sign (GPtrArray           *params,
                      RelayNexmoSigMethod  method,
                      const char          *secret,
                      gint64               timestamp)
{
  char stamp[32];
  g_autofree char *sig = NULL;

  g_return_if_fail (params != NULL);
  g_return_if_fail (method > RELAY_NEXMO_SIG_NONE && method <= RELAY_NEXMO_SIG_SHA512);
  g_return_if_fail (secret != NULL);

  for (guint i = params->len; i > 0; i--)
    {
      RelayParam *param = g_ptr_array_index (params, i - 1);

      if (*param->value == '\0' ||
          strcmp (param->name, "api_secret") == 0 ||
          strcmp (param->name, "timestamp") == 0 ||
          strcmp (param->name, "sig") == 0)
        g_ptr_array_remove_index (params, i - 1);
    }

  g_snprintf (stamp, sizeof stamp, "%" G_GINT64_FORMAT, timestamp);
  relay_params_add (params, "timestamp", stamp);
  sig = relay_nexmo_sig_compute (params, method, secret);
  relay_params_add (params, "sig", sig);
}

/* relay-oauth1-params.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "Relay"

#include <string.h>

#include "relay-oauth1-error.h"
#include "relay-oauth1-params.h"

/* RFC 5849 §3.6: ALPHA, DIGIT, '-', '.', '_', '~' stay; every other byte
 * becomes %XX with uppercase hex digits. */
static const guint8 unreserved[256] = {
  ['-'] = 1, ['.'] = 1, ['_'] = 1, ['~'] = 1,
  ['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1,
  ['5'] = 1, ['6'] = 1, ['7'] = 1, ['8'] = 1, ['9'] = 1,
  ['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1, ['E'] = 1, ['F'] = 1, ['G'] = 1,
  ['H'] = 1, ['I'] = 1, ['J'] = 1, ['K'] = 1, ['L'] = 1, ['M'] = 1, ['N'] = 1,
  ['O'] = 1, ['P'] = 1, ['Q'] = 1, ['R'] = 1, ['S'] = 1, ['T'] = 1, ['U'] = 1,
  ['V'] = 1, ['W'] = 1, ['X'] = 1, ['Y'] = 1, ['Z'] = 1,
  ['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1, ['g'] = 1,
  ['h'] = 1, ['i'] = 1, ['j'] = 1, ['k'] = 1, ['l'] = 1, ['m'] = 1, ['n'] = 1,
  ['o'] = 1, ['p'] = 1, ['q'] = 1, ['r'] = 1, ['s'] = 1, ['t'] = 1, ['u'] = 1,
  ['v'] = 1, ['w'] = 1, ['x'] = 1, ['y'] = 1, ['z'] = 1,
};

static void
relay_param_free (gpointer data)
{
  RelayParam *param = data;

  /* Parameters carry api_secret and tokens: nothing of them stays in
   * freed memory. */
  if (param->value != NULL)
    explicit_bzero (param->value, strlen (param->value));
  g_free (param->name);
  g_free (param->value);
  g_free (param);
}

static int
hex_value (char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  return -1;
}

/* One parameter, §3.6-encoded, for normalization. */
typedef struct
{
  const char *name;
  const char *value;
  gsize       name_len;                         /* encoded lengths */
  gsize       value_len;
  gsize       raw_name_len;
  gsize       raw_value_len;
} EncodedPair;

/* By encoded name, then encoded value, in byte order; a name that is a
 * prefix of another sorts first ("a" < "a-"). */
static int
compare_pairs (const EncodedPair *a,
               const EncodedPair *b)
{
  int cmp = strcmp (a->name, b->name);

  return cmp != 0 ? cmp : strcmp (a->value, b->value);
}

static int
compare_pairs_qsort (gconstpointer a,
                     gconstpointer b)
{
  return compare_pairs (a, b);
}

/**
 * relay_params_new:
 *
 * Returns: (transfer full): an empty list of #RelayParam
 */
GPtrArray *
relay_params_new (void)
{
  return g_ptr_array_new_with_free_func (relay_param_free);
}

void
relay_params_add_len (GPtrArray  *params,
                      const char *name,
                      gsize       name_len,
                      const char *value,
                      gsize       value_len)
{
  RelayParam *param;

  g_return_if_fail (params != NULL);
  g_return_if_fail (name != NULL);

  param = g_new (RelayParam, 1);
  param->name = g_strndup (name, name_len);
  param->value = value != NULL ? g_strndup (value, value_len) : g_strdup ("");
  g_ptr_array_add (params, param);
}

void
relay_params_add (GPtrArray  *params,
                  const char *name,
                  const char *value)
{
  g_return_if_fail (name != NULL);

  relay_params_add_len (params, name, strlen (name),
                        value, value != NULL ? strlen (value) : 0);
}

/**
 * relay_params_get:
 *
 * Returns: (nullable): the value of the first parameter called @name
 */
const char *
relay_params_get (GPtrArray  *params,
                  const char *name)
{
  g_return_val_if_fail (params != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  for (guint i = 0; i < params->len; i++)
    {
      const RelayParam *param = g_ptr_array_index (params, i);

      if (strcmp (param->name, name) == 0)
        return param->value;
    }

  return NULL;
}

guint
relay_params_count (GPtrArray  *params,
                    const char *name)
{
  guint count = 0;

  g_return_val_if_fail (params != NULL, 0);
  g_return_val_if_fail (name != NULL, 0);

  for (guint i = 0; i < params->len; i++)
    {
      const RelayParam *param = g_ptr_array_index (params, i);

      if (strcmp (param->name, name) == 0)
        count++;
    }

  return count;
}

static int
compare_params_decoded (gconstpointer a,
                        gconstpointer b)
{
  const RelayParam *pa = *(const RelayParam *const *) a;
  const RelayParam *pb = *(const RelayParam *const *) b;
  int cmp = strcmp (pa->name, pb->name);

  return cmp != 0 ? cmp : strcmp (pa->value, pb->value);
}

/**
 * relay_params_sort:
 *
 * Sorts by name, then value, in byte order of the decoded text. Because
 * §3.6 encoding preserves the byte order of unreserved characters but not
 * of reserved ones, this is only a display order; signing uses
 * relay_params_normalize().
 */
void
relay_params_sort (GPtrArray *params)
{
  g_return_if_fail (params != NULL);

  g_ptr_array_sort (params, compare_params_decoded);
}

/* The one §3.6 encoder: writes the @len bytes of @text encoded at @p
 * (room for 3 * @len bytes) and returns the end, without a NUL. */
static char *
encode_bytes (char       *p,
              const char *text,
              gsize       len)
{
  static const char hex[] = "0123456789ABCDEF";

  for (gsize i = 0; i < len; i++)
    {
      guint8 c = (guint8) text[i];

      if (unreserved[c])
        {
          *p++ = (char) c;
        }
      else
        {
          *p++ = '%';
          *p++ = hex[c >> 4];
          *p++ = hex[c & 0xF];
        }
    }

  return p;
}

void
relay_percent_encode_append (GString    *out,
                             const char *text,
                             gsize       len)
{
  gsize start = out->len;
  char *p;

  /* Grow once for the worst case (every byte escaped), write in place,
   * then trim: this runs for every name and value of every signature. */
  g_string_set_size (out, start + len * 3);
  p = encode_bytes (out->str + start, text, len);

  g_string_truncate (out, p - out->str);
}

/**
 * relay_percent_encode:
 * @text: a string (any bytes; UTF-8 for text)
 *
 * Encodes @text as RFC 5849 §3.6 requires.
 *
 * Returns: (transfer full): the encoded string
 */
char *
relay_percent_encode (const char *text)
{
  GString *out;
  gsize len;

  g_return_val_if_fail (text != NULL, NULL);

  len = strlen (text);
  out = g_string_sized_new (len * 3 / 2 + 1);
  relay_percent_encode_append (out, text, len);

  return g_string_free (out, FALSE);
}

/**
 * relay_percent_decode:
 * @text: percent-encoded text
 * @len: length of @text, or -1 when nul-terminated
 * @plus_is_space: whether '+' means a space (form encoding)
 * @out_len: (out) (optional): length of the result
 * @error: a #GError
 *
 * Decodes @text once. A '%' not followed by two hex digits, or an escape
 * that yields a NUL byte, is an error.
 *
 * Returns: (transfer full) (nullable): the decoded bytes, nul-terminated
 */
char *
relay_percent_decode (const char  *text,
                      gssize       len,
                      gboolean     plus_is_space,
                      gsize       *out_len,
                      GError     **error)
{
  g_autofree char *out = NULL;
  gsize j = 0;

  g_return_val_if_fail (text != NULL, NULL);

  if (len < 0)
    len = strlen (text);

  out = g_malloc (len + 1);

  for (gssize i = 0; i < len; i++)
    {
      char c = text[i];

      if (c == '%')
        {
          int hi = i + 2 < len ? hex_value (text[i + 1]) : -1;
          int lo = i + 2 < len ? hex_value (text[i + 2]) : -1;

          if (hi < 0 || lo < 0)
            {
              g_set_error (error, RELAY_OAUTH1_ERROR, RELAY_OAUTH1_ERROR_MALFORMED,
                           "“%%” must be followed by two hexadecimal digits");
              return NULL;
            }

          c = (char) ((hi << 4) | lo);
          if (c == '\0')
            {
              g_set_error (error, RELAY_OAUTH1_ERROR, RELAY_OAUTH1_ERROR_MALFORMED,
                           "An encoded NUL byte (%%00) is not allowed");
              return NULL;
            }
          i += 2;
        }
      else if (c == '+' && plus_is_space)
        {
          c = ' ';
        }
      else if (c == '\0')
        {
          g_set_error (error, RELAY_OAUTH1_ERROR, RELAY_OAUTH1_ERROR_MALFORMED,
                       "A NUL byte is not allowed");
          return NULL;
        }

      out[j++] = c;
    }

  out[j] = '\0';
  if (out_len != NULL)
    *out_len = j;

  return g_steal_pointer (&out);
}

/**
 * relay_params_parse_form:
 * @params: the list to append to
 * @text: a query string or application/x-www-form-urlencoded body
 * @len: length of @text, or -1 when nul-terminated
 * @error: a #GError
 *
 * Splits @text on '&'. A name without '=' has an empty value, duplicates
 * are kept in order, '+' is a space, and each name and value is decoded
 * exactly once. Empty segments ("a=1&&b=2") carry no parameter. On error
 * @params is left as it was.
 *
 * Returns: %TRUE on success
 */
gboolean
relay_params_parse_form (GPtrArray   *params,
                         const char  *text,
                         gssize       len,
                         GError     **error)
{
  guint original_len;
  const char *end;
  const char *p;

  g_return_val_if_fail (params != NULL, FALSE);
  g_return_val_if_fail (text != NULL || len == 0, FALSE);

  if (text == NULL)
    return TRUE;

  if (len < 0)
    len = strlen (text);

  original_len = params->len;
  end = text + len;
  p = text;

  while (p < end)
    {
      const char *amp = memchr (p, '&', end - p);
      const char *seg_end = amp != NULL ? amp : end;
      const char *eq;
      g_autofree char *name = NULL;
      g_autofree char *value = NULL;

      if (seg_end == p)
        {
          p = seg_end + 1;
          continue;
        }

      eq = memchr (p, '=', seg_end - p);
      name = relay_percent_decode (p, (eq != NULL ? eq : seg_end) - p, TRUE, NULL, error);
      if (name != NULL && eq != NULL)
        value = relay_percent_decode (eq + 1, seg_end - eq - 1, TRUE, NULL, error);

      if (name == NULL || (eq != NULL && value == NULL))
        {
          g_ptr_array_set_size (params, original_len);
          return FALSE;
        }

      /* hand the decoded buffers over rather than copying them */
      {
        RelayParam *param = g_new (RelayParam, 1);

        param->name = g_steal_pointer (&name);
        param->value = value != NULL ? g_steal_pointer (&value) : g_strdup ("");
        g_ptr_array_add (params, param);
      }
      p = seg_end + 1;
    }

  return TRUE;
}

/**
 * relay_params_to_form:
 *
 * Serializes @params in their order as name=value pairs joined by '&',
 * each part §3.6-encoded (valid as a query and as a form body).
 *
 * Returns: (transfer full): the encoded string
 */
char *
relay_params_to_form (GPtrArray *params)
{
  GString *out;

  g_return_val_if_fail (params != NULL, NULL);

  out = g_string_new (NULL);
  for (guint i = 0; i < params->len; i++)
    {
      const RelayParam *param = g_ptr_array_index (params, i);

      if (i > 0)
        g_string_append_c (out, '&');
      relay_percent_encode_append (out, param->name, strlen (param->name));
      g_string_append_c (out, '=');
      relay_percent_encode_append (out, param->value, strlen (param->value));
    }

  return g_string_free (out, FALSE);
}

static gsize
encoded_length (const char *text,
                gsize      *len)
{
  gsize n = 0;
  gsize extra = 0;

  for (; text[n] != '\0'; n++)
    extra += !unreserved[(guint8) text[n]];

  *len = n;

  return n + 2 * extra;
}

static char *
encode_into (char       *p,
             const char *text,
             gsize       len)
{
  p = encode_bytes (p, text, len);
  *p++ = '\0';

  return p;
}

/* §3.4.1.3.2: encodes every name and value into one block (returned in
 * @storage) and returns the pairs sorted. Runs for every signature, so it
 * sizes everything once and sorts the usual dozen pairs by insertion. */
static EncodedPair *
sorted_encoded_pairs (GPtrArray  *params,
                      char      **storage)
{
  EncodedPair *pairs = g_new (EncodedPair, params->len + 1);
  gsize total = 0;
  char *p;

  for (guint i = 0; i < params->len; i++)
    {
      const RelayParam *param = g_ptr_array_index (params, i);

      pairs[i].name_len = encoded_length (param->name, &pairs[i].raw_name_len);
      pairs[i].value_len = encoded_length (param->value, &pairs[i].raw_value_len);
      total += pairs[i].name_len + pairs[i].value_len + 2;
    }

  p = *storage = g_malloc (total + 1);
  for (guint i = 0; i < params->len; i++)
    {
      const RelayParam *param = g_ptr_array_index (params, i);

      pairs[i].name = p;
      p = encode_into (p, param->name, pairs[i].raw_name_len);
      pairs[i].value = p;
      p = encode_into (p, param->value, pairs[i].raw_value_len);
    }

  if (params->len > 32)
    {
      qsort (pairs, params->len, sizeof (EncodedPair), compare_pairs_qsort);
    }
  else
    {
      for (guint i = 1; i < params->len; i++)
        {
          EncodedPair pair = pairs[i];
          guint j = i;

          for (; j > 0 && compare_pairs (&pairs[j - 1], &pair) > 0; j--)
            pairs[j] = pairs[j - 1];
          pairs[j] = pair;
        }
    }

  return pairs;
}

/**
 * relay_params_normalize:
 *
 * RFC 5849 §3.4.1.3.2: encode each name and value, sort by encoded name
 * and then encoded value (byte order), join name=value pairs with '&'.
 *
 * Returns: (transfer full): the normalized parameter string
 */
char *
relay_params_normalize (GPtrArray *params)
{
  g_autofree EncodedPair *pairs = NULL;
  g_autofree char *storage = NULL;
  gsize total = 1;
  char *out;
  char *p;

  g_return_val_if_fail (params != NULL, NULL);

  pairs = sorted_encoded_pairs (params, &storage);
  for (guint i = 0; i < params->len; i++)
    total += pairs[i].name_len + pairs[i].value_len + 2;

  p = out = g_malloc (total);
  for (guint i = 0; i < params->len; i++)
    {
      if (i > 0)
        *p++ = '&';
      memcpy (p, pairs[i].name, pairs[i].name_len);
      p += pairs[i].name_len;
      *p++ = '=';
      memcpy (p, pairs[i].value, pairs[i].value_len);
      p += pairs[i].value_len;
    }
  *p = '\0';

  return out;
}

/* Encodes text that is already §3.6-encoded once more: only '%' is not
 * unreserved in it. */
static char *
reencode_into (char       *p,
               const char *encoded,
               gsize       len)
{
  for (gsize i = 0; i < len; i++)
    {
      *p++ = encoded[i];
      if (encoded[i] == '%')
        {
          *p++ = '2';
          *p++ = '5';
        }
    }

  return p;
}

static gsize
count_percent (const char *text,
               gsize       len)
{
  gsize n = 0;

  for (gsize i = 0; i < len; i++)
    n += text[i] == '%';

  return n;
}

/**
 * relay_params_append_normalized_encoded:
 * @out: the string to append to
 * @params: every signed parameter
 *
 * Appends enc(relay_params_normalize (@params)), the third part of the
 * signature base string, without building the normalized string first.
 */
void
relay_params_append_normalized_encoded (GString   *out,
                                        GPtrArray *params)
{
  g_autofree EncodedPair *pairs = NULL;
  g_autofree char *storage = NULL;
  gsize start, total = 0;
  char *p;

  g_return_if_fail (out != NULL);
  g_return_if_fail (params != NULL);

  pairs = sorted_encoded_pairs (params, &storage);
  for (guint i = 0; i < params->len; i++)
    total += pairs[i].name_len + 2 * count_percent (pairs[i].name, pairs[i].name_len)
             + pairs[i].value_len + 2 * count_percent (pairs[i].value, pairs[i].value_len)
             + 6;                               /* "%3D" and "%26" */

  start = out->len;
  g_string_set_size (out, start + total);
  p = out->str + start;
  for (guint i = 0; i < params->len; i++)
    {
      if (i > 0)
        {
          memcpy (p, "%26", 3);
          p += 3;
        }
      p = reencode_into (p, pairs[i].name, pairs[i].name_len);
      memcpy (p, "%3D", 3);
      p += 3;
      p = reencode_into (p, pairs[i].value, pairs[i].value_len);
    }
  g_string_truncate (out, p - out->str);
}

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

/* Normalized pairs are stored as "encname\0encvalue". */
static int
compare_encoded (gconstpointer a,
                 gconstpointer b)
{
  const char *na = *(const char *const *) a;
  const char *nb = *(const char *const *) b;
  int cmp = strcmp (na, nb);

  if (cmp != 0)
    return cmp;

  return strcmp (na + strlen (na) + 1, nb + strlen (nb) + 1);
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

void
relay_percent_encode_append (GString    *out,
                             const char *text,
                             gsize       len)
{
  static const char hex[] = "0123456789ABCDEF";
  gsize start = out->len;
  char *p;

  /* Grow once for the worst case (every byte escaped), write in place,
   * then trim: this runs for every name and value of every signature. */
  g_string_set_size (out, start + len * 3);
  p = out->str + start;

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
      gsize name_len, value_len = 0;

      if (seg_end == p)
        {
          p = seg_end + 1;
          continue;
        }

      eq = memchr (p, '=', seg_end - p);
      name = relay_percent_decode (p, (eq != NULL ? eq : seg_end) - p, TRUE, &name_len, error);
      if (name != NULL && eq != NULL)
        value = relay_percent_decode (eq + 1, seg_end - eq - 1, TRUE, &value_len, error);

      if (name == NULL || (eq != NULL && value == NULL))
        {
          g_ptr_array_set_size (params, original_len);
          return FALSE;
        }

      relay_params_add_len (params, name, name_len, value != NULL ? value : "", value_len);
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
  g_autofree const char **pairs = NULL;
  GString *encoded;
  GString *out;
  const char *p;

  g_return_val_if_fail (params != NULL, NULL);

  /* Encode every pair into one buffer as "encname\0encvalue\0", so names
   * compare first and a name that is a prefix of another sorts before it
   * ("a" < "a-"); then sort pointers into it. */
  encoded = g_string_sized_new (256);
  for (guint i = 0; i < params->len; i++)
    {
      const RelayParam *param = g_ptr_array_index (params, i);

      relay_percent_encode_append (encoded, param->name, strlen (param->name));
      g_string_append_c (encoded, '\0');
      relay_percent_encode_append (encoded, param->value, strlen (param->value));
      g_string_append_c (encoded, '\0');
    }

  pairs = g_new (const char *, params->len + 1);
  p = encoded->str;
  for (guint i = 0; i < params->len; i++)
    {
      pairs[i] = p;
      p += strlen (p) + 1;                      /* name */
      p += strlen (p) + 1;                      /* value */
    }
  pairs[params->len] = NULL;

  qsort (pairs, params->len, sizeof (char *), compare_encoded);

  out = g_string_sized_new (encoded->len + 1);
  for (guint i = 0; i < params->len; i++)
    {
      const char *name = pairs[i];
      const char *value = name + strlen (name) + 1;

      if (i > 0)
        g_string_append_c (out, '&');
      g_string_append (out, name);
      g_string_append_c (out, '=');
      g_string_append (out, value);
    }

  g_string_free (encoded, TRUE);

  return g_string_free (out, FALSE);
}

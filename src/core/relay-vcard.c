/* relay-vcard.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The names and telephone numbers of vCards (RFC 2426 vCard 3.0, RFC
 * 6350 vCard 4.0, and the 2.1 cards old phones export).
 *
 * Lines end with CRLF, LF or CR; a line starting with a space or a tab
 * continues the one before (the line end and that one character go).
 * A property is [group.]NAME[;PARAM[=VALUE[,VALUE]]]*:VALUE; parameter
 * values may be quoted. FN's and N's values are text: "\n" (or "\N") is
 * a line end, "\,", "\;" and "\\" the character itself. A TEL is text,
 * or with VALUE=uri (or a value starting with "tel:") a URI whose "tel:"
 * and parameters (";ext=…") are left out. ENCODING=QUOTED-PRINTABLE
 * (2.1) values are decoded, a final '=' joining the next line.
 */

#define G_LOG_DOMAIN "Relay"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "relay-vcard.h"

G_DEFINE_QUARK (relay-vcard-error-quark, relay_vcard_error)

typedef struct
{
  char  *text;
  guint  line;
} Line;

static void
line_clear (gpointer data)
{
  g_free (((Line *) data)->text);
}

void
relay_vcard_entry_free (RelayVcardEntry *entry)
{
  if (entry == NULL)
    return;

  g_free (entry->name);
  g_free (entry->tel);
  g_free (entry->type);
  g_free (entry);
}

/* Where the name part of a logical line ends: the first ':' outside a
 * quoted parameter value, or NULL. */
static const char *
find_colon (const char *text)
{
  gboolean quoted = FALSE;

  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"')
        quoted = !quoted;
      else if (*p == ':' && !quoted)
        return p;
    }

  return NULL;
}

static gboolean is_quoted_printable (const char *text);

/* Physical lines to logical lines: unfolded, quoted-printable soft line
 * breaks joined. */
static GArray *
unfold (const char *data,
        gsize       length)
{
  GArray *lines = g_array_new (FALSE, FALSE, sizeof (Line));
  GString *current = NULL;
  guint current_line = 0;
  int current_qp = -1;   /* whether current is quoted-printable, -1 not known yet */
  guint line = 1;
  gsize pos = 0;

  g_array_set_clear_func (lines, line_clear);

  while (pos < length)
    {
      gsize end = pos;
      gboolean joined = FALSE;

      while (end < length && data[end] != '\r' && data[end] != '\n')
        end++;

      if (current != NULL && end > pos && (data[pos] == ' ' || data[pos] == '\t'))
        {
          g_string_append_len (current, data + pos + 1, end - pos - 1);
          joined = TRUE;
        }
      else if (current != NULL && current->len > 0 && current->str[current->len - 1] == '='
               && (current_qp == 1 || (current_qp == -1 && is_quoted_printable (current->str))))
        {
          /* Known once: asking again at every soft line break would
           * read a long value again and again. */
          current_qp = 1;
          g_string_truncate (current, current->len - 1);
          g_string_append_len (current, data + pos, end - pos);
          joined = TRUE;
        }

      if (!joined)
        {
          if (current != NULL)
            {
              Line l = { g_string_free (current, FALSE), current_line };
              g_array_append_val (lines, l);
            }
          current = g_string_new_len (data + pos, end - pos);
          current_line = line;
          current_qp = -1;
        }

      pos = end;
      if (pos < length)
        {
          if (data[pos] == '\r' && pos + 1 < length && data[pos + 1] == '\n')
            pos++;
          pos++;
          line++;
        }
    }

  if (current != NULL)
    {
      Line l = { g_string_free (current, FALSE), current_line };
      g_array_append_val (lines, l);
    }

  return lines;
}

/* Text value escapes; stops at an unescaped @stop (';' for N's parts)
 * when it is not '\0', leaving *text after it. */
static char *
unescape_text (const char **text,
               char         stop)
{
  GString *out = g_string_new (NULL);
  const char *p = *text;

  for (; *p != '\0'; p++)
    {
      if (*p == '\\' && p[1] != '\0')
        {
          p++;
          if (*p == 'n' || *p == 'N')
            g_string_append_c (out, '\n');
          else if (*p == ',' || *p == ';' || *p == '\\' || *p == ':')
            g_string_append_c (out, *p);
          else
            {
              g_string_append_c (out, '\\');
              g_string_append_c (out, *p);
            }
        }
      else if (stop != '\0' && *p == stop)
        {
          p++;
          break;
        }
      else
        g_string_append_c (out, *p);
    }

  *text = p;
  return g_strstrip (g_string_free (out, FALSE));
}

static char *
decode_quoted_printable (const char *value)
{
  GString *out = g_string_new (NULL);

  for (const char *p = value; *p != '\0'; p++)
    {
      if (*p == '=' && g_ascii_isxdigit (p[1]) && g_ascii_isxdigit (p[2]))
        {
          g_string_append_c (out, (char) (g_ascii_xdigit_value (p[1]) * 16 + g_ascii_xdigit_value (p[2])));
          p += 2;
        }
      else
        g_string_append_c (out, *p);
    }

  return g_string_free (out, FALSE);
}

typedef struct
{
  char     *name;      /* upper case, without group */
  char     *value;     /* raw, or decoded quoted-printable */
  GString  *types;     /* TYPE values, lower case, comma-joined */
  gboolean  uri;
  gboolean  qp;
} Property;

static void
property_clear (Property *prop)
{
  g_free (prop->name);
  g_free (prop->value);
  if (prop->types != NULL)
    g_string_free (prop->types, TRUE);
}

static void
add_types (GString    *types,
           const char *value)
{
  g_auto(GStrv) items = g_strsplit (value, ",", -1);

  for (guint i = 0; items[i] != NULL; i++)
    {
      g_autofree char *item = g_ascii_strdown (g_strstrip (items[i]), -1);

      if (*item == '\0')
        continue;
      if (types->len > 0)
        g_string_append_c (types, ',');
      g_string_append (types, item);
    }
}

static gboolean
parse_property (const char *text,
                Property   *prop)
{
  const char *colon = find_colon (text);
  g_autofree char *head = NULL;
  g_auto(GStrv) params = NULL;
  const char *name;
  gboolean qp = FALSE;

  memset (prop, 0, sizeof *prop);
  if (colon == NULL)
    return FALSE;

  head = g_strndup (text, colon - text);
  /* Split at ';' outside quotes. */
  {
    GPtrArray *parts = g_ptr_array_new ();
    gboolean quoted = FALSE;
    const char *start = head;

    for (const char *p = head; ; p++)
      {
        if (*p == '"')
          quoted = !quoted;
        if (*p == '\0' || (*p == ';' && !quoted))
          {
            g_ptr_array_add (parts, g_strndup (start, p - start));
            if (*p == '\0')
              break;
            start = p + 1;
          }
      }
    g_ptr_array_add (parts, NULL);
    params = (GStrv) g_ptr_array_free (parts, FALSE);
  }

  name = strrchr (params[0], '.');
  name = name != NULL ? name + 1 : params[0];
  prop->name = g_ascii_strup (g_strstrip ((char *) name), -1);
  prop->types = g_string_new (NULL);

  for (guint i = 1; params[i] != NULL; i++)
    {
      char *eq = strchr (params[i], '=');
      g_autofree char *key = NULL;
      g_autofree char *value = NULL;

      if (eq == NULL)
        {
          /* Quotes around a bare (2.1) parameter go too. */
          char *w = params[i];

          for (const char *r = params[i]; *r != '\0'; r++)
            if (*r != '"')
              *w++ = *r;
          *w = '\0';
        }

      if (eq == NULL)
        {
          g_autofree char *bare = g_ascii_strup (g_strstrip (params[i]), -1);

          if (strcmp (bare, "QUOTED-PRINTABLE") == 0)
            qp = TRUE;
          else if (strcmp (bare, "BASE64") != 0 && strcmp (bare, "8BIT") != 0)
            add_types (prop->types, params[i]);
          continue;
        }

      *eq = '\0';
      key = g_ascii_strup (g_strstrip (params[i]), -1);
      value = g_strdup (eq + 1);
      /* Quotes around (parts of) the value go. */
      {
        char *w = value;

        for (const char *r = value; *r != '\0'; r++)
          if (*r != '"')
            *w++ = *r;
        *w = '\0';
      }

      if (strcmp (key, "TYPE") == 0)
        add_types (prop->types, value);
      else if (strcmp (key, "VALUE") == 0)
        prop->uri = g_ascii_strcasecmp (g_strstrip (value), "uri") == 0;
      else if (strcmp (key, "ENCODING") == 0)
        qp = g_ascii_strcasecmp (g_strstrip (value), "QUOTED-PRINTABLE") == 0;
    }

  prop->qp = qp;
  prop->value = qp ? decode_quoted_printable (colon + 1) : g_strdup (colon + 1);
  if (qp && !g_utf8_validate (prop->value, -1, NULL))
    {
      /* Old phones wrote Latin-1 in quoted-printable. */
      char *latin1 = g_convert (prop->value, -1, "UTF-8", "ISO-8859-1", NULL, NULL, NULL);

      g_free (prop->value);
      prop->value = latin1 != NULL ? latin1 : g_strdup ("");
    }
  if (qp)
    {
      /* Decoded line ends (=0D=0A) are one LF, as "\n" is in text. */
      char *w = prop->value;

      for (const char *r = prop->value; *r != '\0'; r++)
        {
          if (*r == '\r')
            {
              *w++ = '\n';
              if (r[1] == '\n')
                r++;
            }
          else
            *w++ = *r;
        }
      *w = '\0';
    }

  return TRUE;
}

/* Whether a logical line's value is quoted-printable (a final '=' then
 * joins the next line). */
static gboolean
is_quoted_printable (const char *text)
{
  Property prop;
  gboolean qp = FALSE;

  if (parse_property (text, &prop))
    qp = prop.qp;
  property_clear (&prop);

  return qp;
}

static char *
name_from_n (const char *value)
{
  const char *p = value;
  char *parts[5] = { NULL };
  static const guint order[] = { 3, 1, 2, 0, 4 }; /* prefix given additional family suffix */
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < 5; i++)
    parts[i] = unescape_text (&p, ';');

  for (guint i = 0; i < 5; i++)
    {
      /* N's components may list several values with ','. */
      g_strdelimit (parts[order[i]], "\n", ' ');
      if (*parts[order[i]] == '\0')
        continue;
      if (out->len > 0)
        g_string_append_c (out, ' ');
      g_string_append (out, parts[order[i]]);
    }

  for (guint i = 0; i < 5; i++)
    g_free (parts[i]);

  if (out->len == 0)
    {
      g_string_free (out, TRUE);
      return NULL;
    }
  return g_string_free (out, FALSE);
}

static char *
tel_value (const Property *prop)
{
  const char *v = prop->value;

  if (prop->uri || g_ascii_strncasecmp (v, "tel:", 4) == 0)
    {
      const char *semi;

      if (g_ascii_strncasecmp (v, "tel:", 4) == 0)
        v += 4;
      semi = strchr (v, ';');
      return g_strstrip (semi != NULL ? g_strndup (v, semi - v) : g_strdup (v));
    }

  return unescape_text (&v, '\0');
}

typedef struct
{
  guint      begin_line;
  char      *fn;
  char      *n;
  GPtrArray *tels;   /* RelayVcardEntry without names */
} Card;

static void
card_finish (Card      *card,
             GPtrArray *entries)
{
  const char *name = card->fn != NULL && *card->fn != '\0' ? card->fn : card->n;

  if (card->tels->len == 0)
    {
      RelayVcardEntry *entry = g_new0 (RelayVcardEntry, 1);

      entry->name = g_strdup (name);
      entry->line = card->begin_line;
      g_ptr_array_add (entries, entry);
    }
  for (guint i = 0; i < card->tels->len; i++)
    {
      RelayVcardEntry *entry = g_ptr_array_steal_index (card->tels, i--);

      entry->name = g_strdup (name);
      g_ptr_array_add (entries, entry);
    }

  g_clear_pointer (&card->fn, g_free);
  g_clear_pointer (&card->n, g_free);
  g_clear_pointer (&card->tels, g_ptr_array_unref);
}

/**
 * relay_vcard_parse:
 * @data: the file's bytes (UTF-8; a byte order mark is skipped)
 * @length: their length
 * @error: a #GError
 *
 * Returns: (transfer container) (element-type RelayVcardEntry): the
 *   entries of every card in file order, or %NULL with @error set
 */
GPtrArray *
relay_vcard_parse (const char  *data,
                   gsize        length,
                   GError     **error)
{
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GArray) lines = NULL;
  const char *end = NULL;
  Card card = { 0 };
  gboolean in_card = FALSE;
  guint n_cards = 0;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (length >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0)
    {
      data += 3;
      length -= 3;
    }
  if (!g_utf8_validate_len (data, length, &end))
    {
      guint line = 1;

      for (const char *p = data; p < end; p++)
        if (*p == '\n' || (*p == '\r' && p[1] != '\n'))
          line++;
      g_set_error (error, RELAY_VCARD_ERROR, RELAY_VCARD_ERROR_ENCODING,
                   _("Line %u: the file is not UTF-8 text."), line);
      return NULL;
    }

  entries = g_ptr_array_new_with_free_func ((GDestroyNotify) relay_vcard_entry_free);
  lines = unfold (data, length);

  for (guint i = 0; i < lines->len; i++)
    {
      const Line *l = &g_array_index (lines, Line, i);
      Property prop;

      if (*l->text == '\0' || strspn (l->text, " \t") == strlen (l->text))
        continue;

      if (!parse_property (l->text, &prop))
        {
          property_clear (&prop);
          g_clear_pointer (&card.tels, g_ptr_array_unref);
          g_clear_pointer (&card.fn, g_free);
          g_clear_pointer (&card.n, g_free);
          g_set_error (error, RELAY_VCARD_ERROR, RELAY_VCARD_ERROR_SYNTAX,
                       _("Line %u: this is not a vCard property (NAME:value)."), l->line);
          return NULL;
        }

      if (strcmp (prop.name, "BEGIN") == 0 && g_ascii_strcasecmp (g_strstrip (prop.value), "VCARD") == 0)
        {
          if (in_card)
            {
              property_clear (&prop);
              g_clear_pointer (&card.tels, g_ptr_array_unref);
              g_clear_pointer (&card.fn, g_free);
              g_clear_pointer (&card.n, g_free);
              g_set_error (error, RELAY_VCARD_ERROR, RELAY_VCARD_ERROR_SYNTAX,
                           _("Line %u: a card begins inside the card of line %u, which has no END:VCARD."),
                           l->line, card.begin_line);
              return NULL;
            }
          in_card = TRUE;
          card.begin_line = l->line;
          card.tels = g_ptr_array_new_with_free_func ((GDestroyNotify) relay_vcard_entry_free);
        }
      else if (!in_card)
        {
          property_clear (&prop);
          g_set_error (error, RELAY_VCARD_ERROR, RELAY_VCARD_ERROR_SYNTAX,
                       _("Line %u: a property outside BEGIN:VCARD … END:VCARD."), l->line);
          return NULL;
        }
      else if (strcmp (prop.name, "END") == 0)
        {
          card_finish (&card, entries);
          in_card = FALSE;
          n_cards++;
        }
      else if (strcmp (prop.name, "FN") == 0 && card.fn == NULL)
        {
          const char *v = prop.value;

          card.fn = unescape_text (&v, '\0');
        }
      else if (strcmp (prop.name, "N") == 0 && card.n == NULL)
        {
          card.n = name_from_n (prop.value);
        }
      else if (strcmp (prop.name, "TEL") == 0)
        {
          RelayVcardEntry *entry = g_new0 (RelayVcardEntry, 1);

          entry->tel = tel_value (&prop);
          entry->type = prop.types->len > 0 ? g_strdup (prop.types->str) : NULL;
          entry->line = l->line;
          g_ptr_array_add (card.tels, entry);
        }

      property_clear (&prop);
    }

  if (in_card)
    {
      guint begin_line = card.begin_line;

      g_clear_pointer (&card.tels, g_ptr_array_unref);
      g_clear_pointer (&card.fn, g_free);
      g_clear_pointer (&card.n, g_free);
      g_set_error (error, RELAY_VCARD_ERROR, RELAY_VCARD_ERROR_SYNTAX,
                   _("Line %u: the card that begins here has no END:VCARD."), begin_line);
      return NULL;
    }
  if (n_cards == 0)
    {
      g_set_error (error, RELAY_VCARD_ERROR, RELAY_VCARD_ERROR_EMPTY,
                   _("The file holds no vCard (BEGIN:VCARD)."));
      return NULL;
    }

  return g_steal_pointer (&entries);
}

static void
append_escaped (GString    *out,
                const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '\n')
        g_string_append (out, "\\n");
      else if (*p == '\r')
        continue;
      else
        {
          if (*p == '\\' || *p == ',' || *p == ';' || *p == ':')
            g_string_append_c (out, '\\');
          g_string_append_c (out, *p);
        }
    }
}

/**
 * relay_vcard_write:
 * @entries: (element-type RelayVcardEntry): entries
 *
 * Writes one vCard 4.0 a entry, with FN when the entry has a name and
 * TEL when it has a number; parsing the result gives @entries again.
 *
 * Returns: (transfer full): the vCards, CRLF-ended lines
 */
char *
relay_vcard_write (GPtrArray *entries)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (entries != NULL, NULL);

  for (guint i = 0; i < entries->len; i++)
    {
      const RelayVcardEntry *entry = g_ptr_array_index (entries, i);

      g_string_append (out, "BEGIN:VCARD\r\nVERSION:4.0\r\n");
      if (entry->name != NULL)
        {
          g_string_append (out, "FN:");
          append_escaped (out, entry->name);
          g_string_append (out, "\r\n");
        }
      if (entry->tel != NULL)
        {
          g_string_append (out, "TEL");
          if (entry->type != NULL)
            g_string_append_printf (out, ";TYPE=\"%s\"", entry->type);
          /* A URI is never unescaped: any number without ';' or a line
           * end reads back as written. */
          if (strchr (entry->tel, ';') == NULL && strchr (entry->tel, '\n') == NULL)
            g_string_append_printf (out, ";VALUE=uri:tel:%s", entry->tel);
          else
            {
              g_string_append_c (out, ':');
              append_escaped (out, entry->tel);
            }
          g_string_append (out, "\r\n");
        }
      g_string_append (out, "END:VCARD\r\n");
    }

  return g_string_free (out, FALSE);
}

/* relay-bulk-item.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "Relay"

#include "relay-bulk-item.h"

/* One row of a bulk list as the column view shows it: made by
 * RelayBulkModel only when the view asks for it (a visible row), and
 * told its outcome when one comes while it lives. Everything is a
 * string so that the .ui factories bind labels to it directly. */
struct _RelayBulkItem
{
  GObject  parent_instance;

  /* state */
  guint    index;
  guint    line;
  char    *line_text;
  char    *number;
  char    *name;
  char    *state;
  char    *icon_name;
  char    *style_class;
  char    *parts;
  char    *price;
  char    *message_id;
  char    *detail;
};

G_DEFINE_FINAL_TYPE (RelayBulkItem, relay_bulk_item, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_LINE,
  PROP_NUMBER,
  PROP_NAME,
  PROP_STATE,
  PROP_ICON_NAME,
  PROP_STYLE_CLASS,
  PROP_PARTS,
  PROP_PRICE,
  PROP_MESSAGE_ID,
  PROP_DETAIL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
set_string (RelayBulkItem  *self,
            char          **field,
            const char     *value,
            guint           prop)
{
  if (g_strcmp0 (*field, value) == 0)
    return;

  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
relay_bulk_item_finalize (GObject *object)
{
  RelayBulkItem *self = (RelayBulkItem *)object;

  g_free (self->line_text);
  g_free (self->number);
  g_free (self->name);
  g_free (self->state);
  g_free (self->icon_name);
  g_free (self->style_class);
  g_free (self->parts);
  g_free (self->price);
  g_free (self->message_id);
  g_free (self->detail);

  G_OBJECT_CLASS (relay_bulk_item_parent_class)->finalize (object);
}

static void
relay_bulk_item_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  RelayBulkItem *self = RELAY_BULK_ITEM (object);

  switch (prop_id)
    {
    case PROP_LINE:
      g_value_set_string (value, self->line_text);
      break;
    case PROP_NUMBER:
      g_value_set_string (value, self->number);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_STATE:
      g_value_set_string (value, self->state);
      break;
    case PROP_ICON_NAME:
      g_value_set_string (value, self->icon_name);
      break;
    case PROP_STYLE_CLASS:
      g_value_set_string (value, self->style_class);
      break;
    case PROP_PARTS:
      g_value_set_string (value, self->parts);
      break;
    case PROP_PRICE:
      g_value_set_string (value, self->price);
      break;
    case PROP_MESSAGE_ID:
      g_value_set_string (value, self->message_id);
      break;
    case PROP_DETAIL:
      g_value_set_string (value, self->detail);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
relay_bulk_item_class_init (RelayBulkItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const char *names[N_PROPS] = { NULL, "line", "number", "name", "state", "icon-name",
                                 "style-class", "parts", "price", "message-id", "detail" };

  object_class->finalize = relay_bulk_item_finalize;
  object_class->get_property = relay_bulk_item_get_property;

  for (guint i = PROP_LINE; i < N_PROPS; i++)
    properties[i] = g_param_spec_string (names[i], NULL, NULL, NULL,
                                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
relay_bulk_item_init (RelayBulkItem *self)
{
}

/**
 * relay_bulk_item_new:
 * @index: the row's index in its model
 * @line: the source line of the row (header = 1)
 */
RelayBulkItem *
relay_bulk_item_new (guint index,
                     guint line)
{
  RelayBulkItem *self = g_object_new (RELAY_TYPE_BULK_ITEM, NULL);

  self->index = index;
  self->line = line;
  self->line_text = g_strdup_printf ("%u", line);

  return self;
}

guint
relay_bulk_item_get_index (RelayBulkItem *self)
{
  g_return_val_if_fail (RELAY_IS_BULK_ITEM (self), 0);

  return self->index;
}

guint
relay_bulk_item_get_line (RelayBulkItem *self)
{
  g_return_val_if_fail (RELAY_IS_BULK_ITEM (self), 0);

  return self->line;
}

const char *
relay_bulk_item_get_number (RelayBulkItem *self)
{
  g_return_val_if_fail (RELAY_IS_BULK_ITEM (self), NULL);

  return self->number;
}

const char *
relay_bulk_item_get_name (RelayBulkItem *self)
{
  g_return_val_if_fail (RELAY_IS_BULK_ITEM (self), NULL);

  return self->name;
}

const char *
relay_bulk_item_get_state (RelayBulkItem *self)
{
  g_return_val_if_fail (RELAY_IS_BULK_ITEM (self), NULL);

  return self->state;
}

const char *
relay_bulk_item_get_icon_name (RelayBulkItem *self)
{
  g_return_val_if_fail (RELAY_IS_BULK_ITEM (self), NULL);

  return self->icon_name;
}

/**
 * relay_bulk_item_get_style_class:
 *
 * Returns: (nullable): the style class of the state's icon
 */
const char *
relay_bulk_item_get_style_class (RelayBulkItem *self)
{
  g_return_val_if_fail (RELAY_IS_BULK_ITEM (self), NULL);

  return self->style_class;
}

const char *
relay_bulk_item_get_detail (RelayBulkItem *self)
{
  g_return_val_if_fail (RELAY_IS_BULK_ITEM (self), NULL);

  return self->detail;
}

const char *
relay_bulk_item_get_message_id (RelayBulkItem *self)
{
  g_return_val_if_fail (RELAY_IS_BULK_ITEM (self), NULL);

  return self->message_id;
}

const char *
relay_bulk_item_get_price (RelayBulkItem *self)
{
  g_return_val_if_fail (RELAY_IS_BULK_ITEM (self), NULL);

  return self->price;
}

/**
 * relay_bulk_item_set_row:
 * @number: (nullable): the number (or the cell, for a skipped row)
 * @name: (nullable): the name cell (or the reason, for a skipped row)
 */
void
relay_bulk_item_set_row (RelayBulkItem *self,
                         const char    *number,
                         const char    *name)
{
  g_return_if_fail (RELAY_IS_BULK_ITEM (self));

  set_string (self, &self->number, number, PROP_NUMBER);
  set_string (self, &self->name, name, PROP_NAME);
}

/**
 * relay_bulk_item_set_outcome:
 *
 * What happened to the row so far, each a string for its column
 * (%NULL shows nothing).
 */
void
relay_bulk_item_set_outcome (RelayBulkItem *self,
                             const char    *state,
                             const char    *icon_name,
                             const char    *style_class,
                             const char    *parts,
                             const char    *price,
                             const char    *message_id,
                             const char    *detail)
{
  g_return_if_fail (RELAY_IS_BULK_ITEM (self));

  set_string (self, &self->state, state, PROP_STATE);
  set_string (self, &self->icon_name, icon_name, PROP_ICON_NAME);
  set_string (self, &self->style_class, style_class, PROP_STYLE_CLASS);
  set_string (self, &self->parts, parts, PROP_PARTS);
  set_string (self, &self->price, price, PROP_PRICE);
  set_string (self, &self->message_id, message_id, PROP_MESSAGE_ID);
  set_string (self, &self->detail, detail, PROP_DETAIL);
}

/* relay-bulk-model.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "Relay"

#include <glib/gi18n.h>

#include "relay-bulk-item.h"
#include "relay-bulk-model.h"
#include "relay-message-state.h"

/* A GListModel over the arrays of a RelayImport: its recipients (with
 * what happened to each once sending starts) or its skipped rows. No
 * object exists per row: a RelayBulkItem is made when the view asks
 * for a position and lives while the view holds it, so 100,000 rows
 * cost the import's arrays plus one pointer each for the outcomes that
 * came. An outcome for a row the view shows updates its item at once,
 * without items-changed. */
struct _RelayBulkModel
{
  GObject            parent_instance;

  /* owned references */
  RelayImport       *import;
  GHashTable        *live;        /* index → RelayBulkItem (weak) */
  RelayBulkOutcome **outcomes;    /* n, NULL until the row has one */
  guint8            *problems;    /* n, RelayTemplateProblemKind per row */

  /* state */
  guint              n;
  int                name_column;
  guint              skipped : 1;
  guint              running : 1;
};

static void relay_bulk_model_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (RelayBulkModel, relay_bulk_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, relay_bulk_model_list_model_init))

static void
outcome_free (RelayBulkOutcome *outcome)
{
  if (outcome == NULL)
    return;

  g_free (outcome->price);
  g_free (outcome->currency);
  g_free (outcome->message_ids);
  g_free (outcome->error);
  g_free (outcome->client_ref);
  g_free (outcome);
}

static void
fill_item (RelayBulkModel *self,
           RelayBulkItem  *item)
{
  guint index = relay_bulk_item_get_index (item);
  const RelayBulkOutcome *outcome;
  g_autofree char *parts = NULL;
  g_autofree char *price = NULL;

  if (self->skipped)
    return;

  outcome = self->outcomes[index];
  if (outcome == NULL)
    {
      guint8 problem = self->problems != NULL ? self->problems[index] : 0;

      if (self->running && problem == 0)
        relay_bulk_item_set_outcome (item, relay_message_state_label (RELAY_MESSAGE_STATE_QUEUED),
                                     relay_message_state_icon_name (RELAY_MESSAGE_STATE_QUEUED),
                                     relay_message_state_style_class (RELAY_MESSAGE_STATE_QUEUED),
                                     NULL, NULL, NULL, NULL);
      else if (problem != 0)
        /* Translators: a row whose template placeholder has no value */
        relay_bulk_item_set_outcome (item, _("Missing value"), "dialog-warning-symbolic", "warning",
                                     NULL, NULL, NULL, NULL);
      else
        /* Translators: a row ready to be sent */
        relay_bulk_item_set_outcome (item, _("Ready"), NULL, NULL, NULL, NULL, NULL, NULL);
      return;
    }

  if (outcome->parts > 0)
    parts = g_strdup_printf ("%u", outcome->parts);
  price = relay_message_format_price_text (outcome->price, outcome->currency);
  relay_bulk_item_set_outcome (item, relay_message_state_label (outcome->state),
                               relay_message_state_icon_name (outcome->state),
                               relay_message_state_style_class (outcome->state),
                               parts, price, outcome->message_ids, outcome->error);
}

static void
item_gone_cb (gpointer  data,
              GObject  *where_the_object_was)
{
  RelayBulkModel *self = data;
  /* Weak references are notified in dispose: the item's fields are
   * still there, so its index finds its entry without a scan. */
  gpointer key = GUINT_TO_POINTER (relay_bulk_item_get_index (RELAY_BULK_ITEM (where_the_object_was)));

  if (g_hash_table_lookup (self->live, key) == (gpointer) where_the_object_was)
    g_hash_table_remove (self->live, key);
}

static GType
relay_bulk_model_get_item_type (GListModel *model)
{
  return RELAY_TYPE_BULK_ITEM;
}

static guint
relay_bulk_model_get_n_items (GListModel *model)
{
  return RELAY_BULK_MODEL (model)->n;
}

static gpointer
relay_bulk_model_get_item (GListModel *model,
                           guint       position)
{
  RelayBulkModel *self = RELAY_BULK_MODEL (model);
  RelayBulkItem *item;

  if (position >= self->n)
    return NULL;

  item = g_hash_table_lookup (self->live, GUINT_TO_POINTER (position));
  if (item != NULL)
    return g_object_ref (item);

  if (self->skipped)
    {
      const RelayImportSkipped *skipped = relay_import_get_skipped (self->import, position);
      g_autofree char *reason = relay_import_skipped_to_string (skipped);

      item = relay_bulk_item_new (position, skipped->line);
      relay_bulk_item_set_row (item, skipped->cell, reason);
    }
  else
    {
      const char *name = NULL;

      if (self->name_column >= 0)
        name = relay_import_get_field (self->import, position, (guint) self->name_column);
      item = relay_bulk_item_new (position, relay_import_get_line (self->import, position));
      relay_bulk_item_set_row (item, relay_import_get_number (self->import, position), name);
      fill_item (self, item);
    }

  g_hash_table_insert (self->live, GUINT_TO_POINTER (position), item);
  g_object_weak_ref (G_OBJECT (item), item_gone_cb, self);

  return item;
}

static void
relay_bulk_model_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = relay_bulk_model_get_item_type;
  iface->get_n_items = relay_bulk_model_get_n_items;
  iface->get_item = relay_bulk_model_get_item;
}

static void
relay_bulk_model_dispose (GObject *object)
{
  RelayBulkModel *self = (RelayBulkModel *)object;
  GHashTableIter iter;
  gpointer value;

  if (self->live != NULL)
    {
      g_hash_table_iter_init (&iter, self->live);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        g_object_weak_unref (value, item_gone_cb, self);
      g_hash_table_remove_all (self->live);
    }
  g_clear_object (&self->import);

  G_OBJECT_CLASS (relay_bulk_model_parent_class)->dispose (object);
}

static void
relay_bulk_model_finalize (GObject *object)
{
  RelayBulkModel *self = (RelayBulkModel *)object;

  if (self->outcomes != NULL)
    for (guint i = 0; i < self->n; i++)
      outcome_free (self->outcomes[i]);
  g_free (self->outcomes);
  g_free (self->problems);
  g_clear_pointer (&self->live, g_hash_table_unref);

  G_OBJECT_CLASS (relay_bulk_model_parent_class)->finalize (object);
}

static void
relay_bulk_model_class_init (RelayBulkModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = relay_bulk_model_dispose;
  object_class->finalize = relay_bulk_model_finalize;
}

static void
relay_bulk_model_init (RelayBulkModel *self)
{
  self->live = g_hash_table_new (NULL, NULL);
  self->name_column = -1;
}

/**
 * relay_bulk_model_new_recipients:
 * @import: the import whose rows are listed
 * @name_column: the column shown as the name, or -1
 */
RelayBulkModel *
relay_bulk_model_new_recipients (RelayImport *import,
                                 int          name_column)
{
  RelayBulkModel *self;

  g_return_val_if_fail (RELAY_IS_IMPORT (import), NULL);

  self = g_object_new (RELAY_TYPE_BULK_MODEL, NULL);
  self->import = g_object_ref (import);
  self->n = relay_import_get_n_rows (import);
  self->name_column = name_column;
  self->outcomes = g_new0 (RelayBulkOutcome *, MAX (self->n, 1));

  return self;
}

/**
 * relay_bulk_model_new_skipped:
 * @import: the import whose skipped rows are listed
 *
 * Items carry the cell as their number and the reason as their name.
 */
RelayBulkModel *
relay_bulk_model_new_skipped (RelayImport *import)
{
  RelayBulkModel *self;

  g_return_val_if_fail (RELAY_IS_IMPORT (import), NULL);

  self = g_object_new (RELAY_TYPE_BULK_MODEL, NULL);
  self->import = g_object_ref (import);
  self->n = relay_import_get_n_skipped (import);
  self->skipped = TRUE;

  return self;
}

RelayImport *
relay_bulk_model_get_import (RelayBulkModel *self)
{
  g_return_val_if_fail (RELAY_IS_BULK_MODEL (self), NULL);

  return self->import;
}

static void
refresh_live (RelayBulkModel *self)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->live);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    fill_item (self, value);
}

/**
 * relay_bulk_model_set_problems:
 * @problems: (array length=n) (nullable): a RelayTemplateProblemKind
 *   per row, 0 for none
 *
 * Marks the rows whose message misses a value.
 */
void
relay_bulk_model_set_problems (RelayBulkModel *self,
                               const guint8   *problems,
                               guint           n)
{
  g_return_if_fail (RELAY_IS_BULK_MODEL (self));
  g_return_if_fail (problems == NULL || n == self->n);

  g_clear_pointer (&self->problems, g_free);
  if (problems != NULL)
    self->problems = g_memdup2 (problems, n);
  refresh_live (self);
}

/**
 * relay_bulk_model_set_outcome:
 * @row: the recipient's index
 * @message: the row as the delivery reports it
 */
void
relay_bulk_model_set_outcome (RelayBulkModel    *self,
                              guint              row,
                              RelayStoreMessage *message)
{
  RelayBulkOutcome *outcome;
  RelayBulkItem *item;

  g_return_if_fail (RELAY_IS_BULK_MODEL (self));
  g_return_if_fail (!self->skipped);
  g_return_if_fail (row < self->n);
  g_return_if_fail (message != NULL);

  outcome = g_new0 (RelayBulkOutcome, 1);
  outcome->state = message->state;
  outcome->parts = message->state == RELAY_MESSAGE_STATE_SENT ? message->parts : 0;
  outcome->price = g_strdup (message->price);
  outcome->currency = g_strdup (message->currency);
  if (message->message_ids != NULL && message->message_ids[0] != NULL)
    outcome->message_ids = g_strjoinv (" ", message->message_ids);
  outcome->error = g_strdup (message->error);
  outcome->client_ref = g_strdup (message->client_ref);

  outcome_free (self->outcomes[row]);
  self->outcomes[row] = outcome;

  item = g_hash_table_lookup (self->live, GUINT_TO_POINTER (row));
  if (item != NULL)
    fill_item (self, item);
}

/**
 * relay_bulk_model_get_outcome:
 *
 * Returns: (nullable): what happened to @row, %NULL before it was queued
 */
const RelayBulkOutcome *
relay_bulk_model_get_outcome (RelayBulkModel *self,
                              guint           row)
{
  g_return_val_if_fail (RELAY_IS_BULK_MODEL (self), NULL);

  if (self->skipped || row >= self->n)
    return NULL;

  return self->outcomes[row];
}

void
relay_bulk_model_clear_outcomes (RelayBulkModel *self)
{
  g_return_if_fail (RELAY_IS_BULK_MODEL (self));

  if (self->skipped)
    return;

  for (guint i = 0; i < self->n; i++)
    g_clear_pointer (&self->outcomes[i], outcome_free);
  refresh_live (self);
}

/**
 * relay_bulk_model_get_n_live:
 *
 * Returns: how many items exist now (what the view holds)
 */
guint
relay_bulk_model_get_n_live (RelayBulkModel *self)
{
  g_return_val_if_fail (RELAY_IS_BULK_MODEL (self), 0);

  return g_hash_table_size (self->live);
}

/**
 * relay_bulk_model_set_running:
 * @running: whether the list is being sent
 *
 * While it is, rows without an outcome show as queued.
 */
void
relay_bulk_model_set_running (RelayBulkModel *self,
                              gboolean        running)
{
  g_return_if_fail (RELAY_IS_BULK_MODEL (self));

  if (self->running == !!running)
    return;

  self->running = !!running;
  refresh_live (self);
}

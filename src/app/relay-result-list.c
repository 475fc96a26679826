/* relay-result-list.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "Relay"

#include <glib/gi18n.h>
#include <string.h>

#include "relay-message-state.h"
#include "relay-result-list.h"
#include "relay-result-row.h"

/* The outcome of a send, one virtualised line per recipient over a
 * GListStore of RelayResultItem, and a total line: "3 sent · 1 not
 * sent · 0.10 EUR". An outcome finds its item through a table of the
 * recipients still waiting, and the counts and the sum follow each
 * change: O(1) per update, so it serves a bulk send of 10,000 rows as
 * well as one message. Knows nothing of the page around it. */
struct _RelayResultList
{
  GtkWidget     parent_instance;

  /* template widgets */
  GtkRevealer  *message_revealer;
  GtkLabel     *message_label;
  GtkWidget    *scroller;
  GtkListView  *view;
  GtkLabel     *total_label;

  /* owned references */
  GListStore   *store;
  /* recipient → GQueue of its items not yet final, in order */
  GHashTable   *waiting;
  char         *currency;
  char         *message;

  /* state */
  guint         remeasure_id;
  guint         counts[RELAY_SMS_STATE_UNCERTAIN + 1];
  guint         n_unknown;
  RelayAmount   total;
};

G_DEFINE_FINAL_TYPE (RelayResultList, relay_result_list, GTK_TYPE_WIDGET)

enum {
  COPIED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
row_copied_cb (RelayResultRow  *row,
               guint            n_ids,
               RelayResultList *self)
{
  g_signal_emit (self, signals[COPIED], 0, n_ids);
}

static void
setup_cb (GtkSignalListItemFactory *factory,
          GtkListItem              *list_item,
          RelayResultList          *self)
{
  GtkWidget *row = relay_result_row_new ();

  g_signal_connect_object (row, "copied", G_CALLBACK (row_copied_cb), self, 0);
  gtk_list_item_set_child (list_item, row);
  /* Enter on a row copies its ids, as its Copy button does: the arrow
   * keys move between rows, and Tab leaves the list. */
  gtk_list_item_set_activatable (list_item, TRUE);
  gtk_list_item_set_selectable (list_item, FALSE);
}

static void
activate_cb (GtkListView     *view,
             guint            position,
             RelayResultList *self)
{
  g_autoptr(RelayResultItem) item = g_list_model_get_item (G_LIST_MODEL (self->store), position);
  const char * const *ids = item != NULL ? relay_result_item_get_message_ids (item) : NULL;
  g_autofree char *joined = NULL;

  if (ids == NULL)
    return;

  joined = g_strjoinv ("\n", (char **) ids);
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), joined);
  g_signal_emit (self, signals[COPIED], 0, g_strv_length ((char **) ids));
}

static void
bind_cb (GtkSignalListItemFactory *factory,
         GtkListItem              *list_item,
         gpointer                  user_data)
{
  relay_result_row_set_item (RELAY_RESULT_ROW (gtk_list_item_get_child (list_item)),
                             gtk_list_item_get_item (list_item));
}

static void
unbind_cb (GtkSignalListItemFactory *factory,
           GtkListItem              *list_item,
           gpointer                  user_data)
{
  relay_result_row_set_item (RELAY_RESULT_ROW (gtk_list_item_get_child (list_item)), NULL);
}

/* What an item adds to the counts and the sum. */
static void
account (RelayResultList *self,
         RelayResultItem *item,
         int              sign)
{
  RelaySmsState state = relay_result_item_get_state (item);
  RelayAmount price = relay_result_item_get_price (item);
  gboolean final = relay_sms_state_is_final (state);

  self->counts[state] += sign;
  if (!final)
    return;

  if (price < 0)
    self->n_unknown += sign;
  else
    self->total += sign * price;
}

static void
update_total (RelayResultList *self)
{
  g_autoptr(GString) text = g_string_new (NULL);
  guint sending = self->counts[RELAY_SMS_STATE_QUEUED] + self->counts[RELAY_SMS_STATE_SENDING];
  g_autofree char *price = NULL;
  guint n;

  if (g_list_model_get_n_items (G_LIST_MODEL (self->store)) == 0)
    {
      gtk_label_set_label (self->total_label, "");
      return;
    }

  /* Translators: the first part of the results' total line */
  g_string_append_printf (text, ngettext ("%u sent", "%u sent", self->counts[RELAY_SMS_STATE_SENT]),
                          self->counts[RELAY_SMS_STATE_SENT]);
  if ((n = self->counts[RELAY_SMS_STATE_FAILED]) > 0)
    /* Translators: in the results' total line */
    g_string_append_printf (text, ngettext (" · %u failed", " · %u failed", n), n);
  if ((n = self->counts[RELAY_SMS_STATE_NOT_SENT]) > 0)
    /* Translators: in the results' total line */
    g_string_append_printf (text, ngettext (" · %u not sent", " · %u not sent", n), n);
  if ((n = self->counts[RELAY_SMS_STATE_UNCERTAIN]) > 0)
    /* Translators: in the results' total line */
    g_string_append_printf (text, ngettext (" · %u may have been sent", " · %u may have been sent", n), n);
  if (sending > 0)
    {
      g_string_append (text, " · ");
      /* Translators: in the results' total line, messages still on their way */
      g_string_append_printf (text, ngettext ("%u sending", "%u sending", sending), sending);
    }

  g_string_append (text, " · ");
  price = relay_message_format_price (self->total, self->currency);
  if (self->n_unknown > 0)
    /* Translators: the sum of the prices known, when some are not known */
    g_string_append_printf (text, _("%s + price unknown"), price);
  else
    g_string_append (text, price);

  gtk_label_set_label (self->total_label, text->str);
}

#define SPACING 12

/* A child's natural height at @width. A GtkListView (GTK 4.8) trades
 * no height for width: it measures its rows unwrapped, too short when
 * a reason wraps. So the rows it made are measured here at @width,
 * those it did not make (out of view) at their average, up to the
 * scroller's maximum. */
static int
child_height (RelayResultList *self,
              GtkWidget       *child,
              int              width)
{
  int nat, rows = 0, n_rows = 0, max, n_items;

  gtk_widget_measure (child, GTK_ORIENTATION_VERTICAL, width, NULL, &nat, NULL, NULL);
  if (child != self->scroller)
    return nat;

  /* Unwrapped rows are never taller than wrapped ones: when they fill
   * the scroller already, so do the real ones (a bulk send's thousands
   * of lines cost no measuring here). */
  max = gtk_scrolled_window_get_max_content_height (GTK_SCROLLED_WINDOW (self->scroller));
  if (max >= 0 && nat >= max)
    return nat;

  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->view));
       row != NULL;
       row = gtk_widget_get_next_sibling (row))
    {
      int row_nat;

      if (!gtk_widget_should_layout (row))
        continue;
      gtk_widget_measure (row, GTK_ORIENTATION_VERTICAL, width, NULL, &row_nat, NULL, NULL);
      rows += row_nat;
      n_rows++;
    }

  n_items = (int) g_list_model_get_n_items (G_LIST_MODEL (self->store));
  if (n_rows > 0 && n_items > n_rows)
    rows += rows / n_rows * (n_items - n_rows);

  if (max >= 0)
    rows = MIN (rows, max);

  return MAX (nat, rows);
}

static void
relay_result_list_measure (GtkWidget      *widget,
                           GtkOrientation  orientation,
                           int             for_size,
                           int            *minimum,
                           int            *natural,
                           int            *minimum_baseline,
                           int            *natural_baseline)
{
  gboolean first = TRUE;

  *minimum = *natural = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      int child_min, child_nat;

      if (!gtk_widget_should_layout (child))
        continue;

      gtk_widget_measure (child, orientation, for_size, &child_min, &child_nat, NULL, NULL);
      if (orientation == GTK_ORIENTATION_VERTICAL)
        child_nat = child_height (RELAY_RESULT_LIST (widget), child, for_size);
      if (orientation == GTK_ORIENTATION_HORIZONTAL)
        {
          *minimum = MAX (*minimum, child_min);
          *natural = MAX (*natural, child_nat);
        }
      else
        {
          /* A hidden banner (its revealer closed) takes no spacing. */
          int spacing = first || child_nat == 0 ? 0 : SPACING;

          *minimum += child_nat + spacing;
          *natural += child_nat + spacing;
          first = first && child_nat == 0;
        }
    }
}

static gboolean
remeasure_cb (GtkWidget     *widget,
              GdkFrameClock *clock,
              gpointer       user_data)
{
  RELAY_RESULT_LIST (widget)->remeasure_id = 0;
  gtk_widget_queue_resize (widget);
  return G_SOURCE_REMOVE;
}

static void
relay_result_list_size_allocate (GtkWidget *widget,
                                 int        width,
                                 int        height,
                                 int        baseline)
{
  RelayResultList *self = RELAY_RESULT_LIST (widget);
  int list_height = -1;
  int after;
  int y = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      int child_nat;

      if (!gtk_widget_should_layout (child))
        continue;

      child_nat = child_height (self, child, width);
      gtk_widget_size_allocate (child, &(GtkAllocation) { 0, y, width, child_nat }, -1);
      if (child == self->scroller)
        list_height = child_nat;
      if (child_nat > 0)
        y += child_nat + SPACING;
    }

  /* A list view learns its rows' heights at a new width only as it
   * allocates them: measure again the next frame when they changed. */
  if (list_height >= 0)
    {
      after = child_height (self, self->scroller, width);
      if (after != list_height && self->remeasure_id == 0)
        self->remeasure_id = gtk_widget_add_tick_callback (widget, remeasure_cb, NULL, NULL);
    }
}

static GtkSizeRequestMode
relay_result_list_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
relay_result_list_dispose (GObject *object)
{
  RelayResultList *self = (RelayResultList *)object;

  if (self->remeasure_id != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->remeasure_id);
  self->remeasure_id = 0;
  gtk_widget_dispose_template (GTK_WIDGET (self), RELAY_TYPE_RESULT_LIST);
  g_clear_object (&self->store);
  g_clear_pointer (&self->waiting, g_hash_table_unref);

  G_OBJECT_CLASS (relay_result_list_parent_class)->dispose (object);
}

static void
relay_result_list_finalize (GObject *object)
{
  RelayResultList *self = (RelayResultList *)object;

  g_clear_pointer (&self->currency, g_free);
  g_clear_pointer (&self->message, g_free);

  G_OBJECT_CLASS (relay_result_list_parent_class)->finalize (object);
}

static void
relay_result_list_class_init (RelayResultListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  object_class->dispose = relay_result_list_dispose;
  object_class->finalize = relay_result_list_finalize;

  /**
   * RelayResultList::copied:
   * @self: the list
   * @n_ids: how many message ids a row's Copy button put on the clipboard
   */
  signals[COPIED] =
    g_signal_new ("copied",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_UINT);

  g_type_ensure (RELAY_TYPE_RESULT_ROW);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/relaysms/Relay/relay-result-list.ui");
  gtk_widget_class_bind_template_child (widget_class, RelayResultList, message_revealer);
  gtk_widget_class_bind_template_child (widget_class, RelayResultList, message_label);
  gtk_widget_class_bind_template_child (widget_class, RelayResultList, scroller);
  gtk_widget_class_bind_template_child (widget_class, RelayResultList, view);
  gtk_widget_class_bind_template_child (widget_class, RelayResultList, total_label);

  widget_class->measure = relay_result_list_measure;
  widget_class->size_allocate = relay_result_list_size_allocate;
  widget_class->get_request_mode = relay_result_list_get_request_mode;
}

static void
free_queue (gpointer data)
{
  g_queue_free_full (data, g_object_unref);
}

static void
relay_result_list_init (RelayResultList *self)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkNoSelection) selection = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->store = g_list_store_new (RELAY_TYPE_RESULT_ITEM);
  self->waiting = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, free_queue);

  g_signal_connect_object (factory, "setup", G_CALLBACK (setup_cb), self, 0);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cb), NULL);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_cb), NULL);
  selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->store)));
  gtk_list_view_set_factory (self->view, factory);
  g_signal_connect_object (self->view, "activate", G_CALLBACK (activate_cb), self, 0);
  gtk_list_view_set_model (self->view, GTK_SELECTION_MODEL (selection));
}

GtkWidget *
relay_result_list_new (void)
{
  return g_object_new (RELAY_TYPE_RESULT_LIST, NULL);
}

/**
 * relay_result_list_get_model:
 *
 * Returns: (transfer none): the #RelayResultItem of each recipient
 */
GListModel *
relay_result_list_get_model (RelayResultList *self)
{
  g_return_val_if_fail (RELAY_IS_RESULT_LIST (self), NULL);

  return G_LIST_MODEL (self->store);
}

/**
 * relay_result_list_get_view:
 *
 * Returns: (transfer none): the list view
 */
GtkWidget *
relay_result_list_get_view (RelayResultList *self)
{
  g_return_val_if_fail (RELAY_IS_RESULT_LIST (self), NULL);

  return GTK_WIDGET (self->view);
}

void
relay_result_list_clear (RelayResultList *self)
{
  g_return_if_fail (RELAY_IS_RESULT_LIST (self));

  g_list_store_remove_all (self->store);
  g_hash_table_remove_all (self->waiting);
  memset (self->counts, 0, sizeof self->counts);
  self->n_unknown = 0;
  self->total = 0;
  g_clear_pointer (&self->currency, g_free);
  relay_result_list_set_message (self, NULL);
  update_total (self);
}

/**
 * relay_result_list_set_items:
 * @recipients: (array length=n_recipients): one per message
 * @n_recipients: their number, or -1 when @recipients ends with %NULL
 * @currency: (nullable): the account's currency, when known
 *
 * Replaces the results with one "Sending…" item per recipient, in one
 * change of the model.
 */
void
relay_result_list_set_items (RelayResultList    *self,
                             const char * const *recipients,
                             gssize              n_recipients,
                             const char         *currency)
{
  g_autoptr(GPtrArray) items = NULL;
  guint n;

  g_return_if_fail (RELAY_IS_RESULT_LIST (self));
  g_return_if_fail (recipients != NULL || n_recipients == 0);

  n = n_recipients >= 0 ? (guint) n_recipients : g_strv_length ((char **) recipients);
  relay_result_list_clear (self);
  self->currency = g_strdup (currency);

  items = g_ptr_array_new_full (n, g_object_unref);
  for (guint i = 0; i < n; i++)
    {
      RelayResultItem *item = relay_result_item_new (recipients[i], currency);
      GQueue *queue = g_hash_table_lookup (self->waiting, recipients[i]);

      if (queue == NULL)
        {
          queue = g_queue_new ();
          g_hash_table_insert (self->waiting, g_strdup (recipients[i]), queue);
        }
      g_queue_push_tail (queue, g_object_ref (item));
      account (self, item, 1);
      g_ptr_array_add (items, item);
    }

  g_list_store_splice (self->store, 0, 0, items->pdata, items->len);
  update_total (self);
}

/**
 * relay_result_list_update:
 * @result: the outcome of one recipient's message
 *
 * Shows @result on the first item of its recipient still waiting.
 *
 * Returns: (transfer none) (nullable): that item, %NULL when no item
 *   of that recipient waits
 */
RelayResultItem *
relay_result_list_update (RelayResultList      *self,
                          const RelaySmsResult *result)
{
  GQueue *queue;
  RelayResultItem *item;

  g_return_val_if_fail (RELAY_IS_RESULT_LIST (self), NULL);
  g_return_val_if_fail (result != NULL, NULL);

  if (result->to == NULL || (queue = g_hash_table_lookup (self->waiting, result->to)) == NULL)
    return NULL;

  item = g_queue_peek_head (queue);
  account (self, item, -1);
  relay_result_item_set_outcome (item, result);
  account (self, item, 1);

  /* Final: the next outcome of this number is its next message's. */
  if (relay_sms_state_is_final (result->state))
    {
      g_object_unref (g_queue_pop_head (queue));
      if (g_queue_is_empty (queue))
        g_hash_table_remove (self->waiting, result->to);
    }

  update_total (self);
  return item;
}

/**
 * relay_result_list_set_currency:
 * @currency: (nullable): the currency of the prices
 *
 * For a currency learnt after the send started (the price list came
 * late): every line and the total name it.
 */
void
relay_result_list_set_currency (RelayResultList *self,
                                const char      *currency)
{
  GListModel *model;

  g_return_if_fail (RELAY_IS_RESULT_LIST (self));

  if (g_strcmp0 (self->currency, currency) == 0)
    return;

  g_free (self->currency);
  self->currency = g_strdup (currency);
  model = G_LIST_MODEL (self->store);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(RelayResultItem) item = g_list_model_get_item (model, i);

      relay_result_item_set_currency (item, currency);
    }
  update_total (self);
}

guint
relay_result_list_count (RelayResultList *self,
                         RelaySmsState    state)
{
  g_return_val_if_fail (RELAY_IS_RESULT_LIST (self), 0);
  g_return_val_if_fail ((guint) state < G_N_ELEMENTS (self->counts), 0);

  return self->counts[state];
}

/**
 * relay_result_list_get_total:
 * @n_unknown: (out) (optional): outcomes whose price is not known
 *
 * Returns: the exact sum of the prices known
 */
RelayAmount
relay_result_list_get_total (RelayResultList *self,
                             guint           *n_unknown)
{
  g_return_val_if_fail (RELAY_IS_RESULT_LIST (self), 0);

  if (n_unknown != NULL)
    *n_unknown = self->n_unknown;

  return self->total;
}

const char *
relay_result_list_get_total_text (RelayResultList *self)
{
  g_return_val_if_fail (RELAY_IS_RESULT_LIST (self), NULL);

  return gtk_label_get_label (self->total_label);
}

/**
 * relay_result_list_set_message:
 * @message: (nullable): a lasting problem of the whole send, or %NULL
 *
 * Shows @message above the rows until the results are cleared: unlike
 * a toast it stays, and covers nothing.
 */
void
relay_result_list_set_message (RelayResultList *self,
                               const char      *message)
{
  g_return_if_fail (RELAY_IS_RESULT_LIST (self));

  g_free (self->message);
  self->message = g_strdup (message);
  if (message != NULL)
    gtk_label_set_label (self->message_label, message);
  gtk_revealer_set_reveal_child (self->message_revealer, message != NULL);
}

const char *
relay_result_list_get_message (RelayResultList *self)
{
  g_return_val_if_fail (RELAY_IS_RESULT_LIST (self), NULL);

  return self->message;
}

/* relay-bulk-page-private.h
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "relay-amount.h"
#include "relay-bulk-page.h"
#include "relay-delivery.h"
#include "relay-price-estimate.h"
#include "relay-pricing.h"
#include "relay-template.h"

G_BEGIN_DECLS

typedef enum
{
  RELAY_BULK_SOURCE_CSV,
  RELAY_BULK_SOURCE_VCARD,
  RELAY_BULK_SOURCE_TEXT,
} RelayBulkSource;

/* The "Send to List" page: import (relay-bulk-page.c), template,
 * preview and estimate (relay-bulk-template.c), sending and export
 * (relay-bulk-send.c). */
struct _RelayBulkPage
{
  GtkWidget           parent_instance;

  /* template widgets */
  GtkStack           *stack;
  AdwStatusPage      *empty_page;
  GtkLabel           *error_label;
  GtkSpinner         *spinner;
  GtkLabel           *summary_label;
  GtkDropDown        *column_dropdown;
  GtkEntry           *country_entry;
  GtkExpander        *skipped_expander;
  GtkLabel           *skipped_label;
  GtkColumnView      *skipped_view;
  GtkEntry           *from_entry;
  GtkMenuButton      *insert_button;
  GMenu              *insert_menu;
  GtkTextView        *template_view;
  GtkLabel           *problems_label;
  GtkSpinButton      *preview_spin;
  GtkAdjustment      *preview_adjustment;
  GtkLabel           *preview_label;
  GtkLabel           *preview_info;
  GtkLabel           *estimate_label;
  GtkWidget          *cancel_button;
  GtkWidget          *pause_button;
  GtkWidget          *resume_button;
  GtkWidget          *send_button;
  GtkProgressBar     *progress_bar;
  GtkLabel           *result_label;
  GtkColumnView      *recipients_view;
  GtkColumnViewColumn *name_column;

  /* owned references */
  GSettings          *settings;
  RelayAccount       *account;
  RelayNexmoClient   *client;
  RelayStore         *store;
  RelayPricing       *pricing;
  GCancellable       *cancellable;        /* the import or analysis running */
  GBytes             *source;
  char               *source_name;
  RelayImport        *import;
  RelayBulkModel     *model;
  RelayBulkModel     *skipped_model;
  GtkSliceListModel  *recipients_slice;
  GtkSliceListModel  *skipped_slice;
  RelayTemplate      *template;
  RelayPriceEstimate *estimate;
  guint8             *problems;
  RelayDelivery      *delivery;
  GCancellable       *send_cancellable;
  GPtrArray          *rows;               /* RelayStoreMessage being sent */
  GHashTable         *row_by_ref;         /* client-ref → index + 1 */
  RelayClock         *clock;              /* (nullable) the delivery's, for tests */

  /* state */
  RelayBulkSource     source_kind;
  guint               import_serial;
  guint               analysis_serial;
  int                 pending_column;     /* the phone column to parse with, -1 detect */
  guint               analysis_id;
  guint               reveal_tick;
  gboolean            list_pending;       /* imported: the list shows once checked */
  guint               n_problems;
  char               *problem_placeholder;
  RelayAmount         balance;            /* -1 while unknown */
  guint               done;
  guint               total;
  guint               counts[RELAY_MESSAGE_STATE_LAST + 1];
  RelayAmount         cost;
  char               *currency;
  gint64              started_us;
  guint               setting_column : 1;
  guint               skip_problems : 1;
  guint               problems_decided : 1;
  guint               confirmed : 1;
  guint               paused : 1;
  guint               finished : 1;
  guint               busy : 1;           /* the send page is sending */
};

/* relay-bulk-page.c */
void  _relay_bulk_page_update_actions  (RelayBulkPage *self);
void  _relay_bulk_page_toast           (RelayBulkPage *self,
                                        const char    *text);
char *_relay_bulk_page_format_count    (guint          n);
void  _relay_bulk_page_show_list       (RelayBulkPage *self);

/* relay-bulk-template.c */
void  _relay_bulk_page_template_init   (RelayBulkPage *self);
void  _relay_bulk_page_analyze         (RelayBulkPage *self);
void  _relay_bulk_page_analyze_at_once (RelayBulkPage *self);
void  _relay_bulk_page_update_preview  (RelayBulkPage *self);
void  _relay_bulk_page_update_columns  (RelayBulkPage *self);
void  _relay_bulk_page_insert_column   (RelayBulkPage *self,
                                        const char    *name);

/* relay-bulk-send.c */
void  _relay_bulk_page_send            (RelayBulkPage *self);
void  _relay_bulk_page_pause           (RelayBulkPage *self);
void  _relay_bulk_page_resume          (RelayBulkPage *self);
void  _relay_bulk_page_cancel          (RelayBulkPage *self);
void  _relay_bulk_page_reset_send      (RelayBulkPage *self);
void  _relay_bulk_page_export_dialog   (RelayBulkPage *self);

G_END_DECLS

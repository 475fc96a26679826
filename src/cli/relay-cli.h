/* relay-cli.h
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "relay-account.h"
#include "relay-price-estimate.h"

G_BEGIN_DECLS

/* Exit statuses: 0 success, 1 the operation failed, 2 bad usage. */
#define RELAY_CLI_EXIT_FAILURE 1
#define RELAY_CLI_EXIT_USAGE   2

typedef int (*RelayCliCommandFunc) (int    argc,
                                    char **argv);

int  relay_cli_sign     (int          argc,
                         char       **argv);

int  relay_cli_login    (int          argc,
                         char       **argv);
int  relay_cli_accounts (int          argc,
                         char       **argv);
int  relay_cli_logout   (int          argc,
                         char       **argv);
int  relay_cli_send     (int          argc,
                         char       **argv);
int  relay_cli_balance  (int          argc,
                         char       **argv);
int  relay_cli_history  (int          argc,
                         char       **argv);
int  relay_cli_outbox   (int          argc,
                         char       **argv);
int  relay_cli_resume   (int          argc,
                         char       **argv);
int  relay_cli_status   (int          argc,
                         char       **argv);
int  relay_cli_price    (int          argc,
                         char       **argv);
int  relay_cli_block    (int          argc,
                         char       **argv);
int  relay_cli_unblock  (int          argc,
                         char       **argv);
int  relay_cli_blocked  (int          argc,
                         char       **argv);

/* Bulk sends from a CSV file (relay-cli-bulk.c). */
int        relay_cli_send_csv          (const char    *account_id,
                                        const char    *rest_base,
                                        const char    *from,
                                        const char    *path,
                                        const char    *template_text,
                                        const char    *column,
                                        const char    *default_country,
                                        gboolean       json,
                                        gboolean       dry_run,
                                        const char    *max_cost,
                                        int            rate);
int        relay_cli_price_csv         (const char    *account_id,
                                        const char    *rest_base,
                                        const char    *path,
                                        const char    *template_text,
                                        const char    *column,
                                        const char    *default_country,
                                        gboolean       json);

/* Numbers as the user wrote them (relay-cli-block.c). */
char      *relay_cli_normalize_phone   (const char    *input,
                                        const char    *default_country,
                                        GError       **error);

/* The cost estimate (relay-cli-price.c). */
int        relay_cli_price_check       (RelayAccount  *account,
                                        GPtrArray     *numbers,
                                        const char    *text,
                                        gboolean       unicode,
                                        gboolean       json,
                                        gboolean       dry_run,
                                        const char    *max_cost,
                                        gboolean      *proceed);
RelayPriceList *relay_cli_price_list   (RelayAccount  *account,
                                        RelayAmount   *balance,
                                        gint64        *age_s,
                                        GError       **error);
int        relay_cli_price_decide      (const RelayPriceEstimate *result,
                                        const guint   *rows,
                                        RelayAmount    balance,
                                        gint64         age_s,
                                        gboolean       json,
                                        gboolean       dry_run,
                                        const char    *max_cost,
                                        gboolean      *proceed);
GPtrArray *relay_cli_normalize_numbers (char         **to,
                                        GError       **error);

gboolean      relay_cli_check_base      (const char  *option,
                                         const char  *value,
                                         GError     **error);
gboolean      relay_cli_check_key       (const char  *option,
                                         const char  *value,
                                         GError     **error);
gboolean      relay_cli_check_timestamp (const char  *value);
gboolean      relay_cli_check_rest_base (const char  *rest_base,
                                         GError     **error);
RelayAccount *relay_cli_load_account    (const char  *account_id,
                                         const char  *rest_base,
                                         GError     **error);

int  relay_cli_fail     (int          status,
                         const char  *format,
                         ...) G_GNUC_PRINTF (2, 3);
int  relay_cli_parse    (GOptionContext *context,
                         int            *argc,
                         char         ***argv);

/* Waiting for one async result in a GMainLoop. */
typedef struct
{
  GMainLoop    *loop;
  GAsyncResult *result;
} RelayCliWait;

void          relay_cli_wait_init  (RelayCliWait  *wait);
void          relay_cli_wait_clear (RelayCliWait  *wait);
void          relay_cli_wait_cb    (GObject       *object,
                                    GAsyncResult  *result,
                                    gpointer       user_data);
GAsyncResult *relay_cli_wait_run   (RelayCliWait  *wait);

char         *relay_cli_read_line  (const char    *prompt,
                                    gboolean       hidden,
                                    GError       **error);
GPtrArray    *relay_cli_list_accounts (void);

/* The history store (relay-cli-history.c). */
typedef struct _RelayStore RelayStore;
typedef struct _RelayStoreQuery RelayStoreQuery;
RelayStore   *relay_cli_open_store      (void);
RelayStore   *relay_cli_try_open_store  (GError                **error);
gboolean      relay_cli_keep_history    (void);
GPtrArray    *relay_cli_store_query     (RelayStore             *store,
                                         const RelayStoreQuery  *query,
                                         GError                **error);
void          relay_cli_print_rows      (GPtrArray              *rows);
void          relay_cli_print_rows_json (GPtrArray              *rows);

G_END_DECLS

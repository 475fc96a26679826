/* test-send-estimate.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The send page's cost estimate under a real display: the label from the
 * price list fetched once from the in-process sandbox (never a request
 * per keystroke), the warning above the balance, and the confirmation
 * dialog above the threshold, above the balance, or with an unknown
 * price: Cancel sends nothing, Send goes on.
 */

#include <adwaita.h>
#include <string.h>

#include "relay-sandbox-server.h"
#include "relay-send-estimate.h"
#include "../relay-test-env.h"
#include "relay-test-util.h"

#define WAIT_MS 10000

typedef struct
{
  RelaySandboxServer *sandbox;
  RelaySendEstimate  *estimate;
  GtkWindow          *window;
  GSettings          *settings;
  guint               confirmed;
} Fixture;

/* The list came, and the label shows an estimate from it. */
static gboolean
label_shown (gpointer data)
{
  Fixture *f = data;

  return relay_send_estimate_get_estimate (f->estimate) != NULL &&
         gtk_widget_get_visible (relay_test_need_widget (GTK_WIDGET (f->estimate), "estimate"));
}

static gboolean
dialog_shown (gpointer data)
{
  return relay_test_find_dialog ("confirm-cost") != NULL;
}

static void
confirmed_cb (gpointer data)
{
  Fixture *f = data;

  /* Called again from the dialog, the check lets the send go. */
  g_assert_true (relay_send_estimate_confirm (f->estimate, f->settings, confirmed_cb, f));
  f->confirmed++;
}

static void
set_recipients (Fixture           *f,
                const char *const *to,
                const char        *text)
{
  relay_send_estimate_update (f->estimate, to, text);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *base = NULL;
  g_autofree char *rest_base = NULL;
  g_autoptr(RelayProvider) provider = NULL;
  g_autoptr(RelayAccount) account = NULL;

  f->sandbox = relay_sandbox_server_new ();
  g_assert_true (relay_sandbox_server_listen (f->sandbox, 0, &error));
  g_assert_no_error (error);
  base = relay_sandbox_server_get_base_uri (f->sandbox);
  rest_base = g_strndup (base, strlen (base) - 1);
  provider = relay_provider_new (NULL, rest_base);
  account = relay_account_new_api_key (provider, RELAY_SANDBOX_DEFAULT_API_KEY);
  relay_account_set_secret (account, RELAY_SANDBOX_DEFAULT_API_SECRET);

  f->settings = g_settings_new ("io.github.relaysms.Relay");
  g_settings_reset (f->settings, "confirm-cost-above");
  f->window = g_object_ref (GTK_WINDOW (adw_window_new ()));
  f->estimate = g_object_new (RELAY_TYPE_SEND_ESTIMATE, NULL);
  adw_window_set_content (ADW_WINDOW (f->window), GTK_WIDGET (f->estimate));
  gtk_window_present (f->window);

  relay_send_estimate_set_account (f->estimate, account);
  relay_send_estimate_set_balance (f->estimate, "9.90");
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  AdwMessageDialog *dialog;

  while ((dialog = relay_test_find_dialog ("confirm-cost")) != NULL)
    gtk_window_destroy (GTK_WINDOW (dialog));
  gtk_window_destroy (f->window);
  relay_test_drain ();
  g_assert_finalize_object (f->window);
  g_clear_object (&f->settings);
  g_assert_finalize_object (f->sandbox);
}

static void
test_label (Fixture       *f,
            gconstpointer  data)
{
  const char *const three[] = { "447700900001", "447700900002", "447700900003", NULL };
  const char *const one[] = { "491511234567", NULL };
  const char *const unknown[] = { "447700900001", "99912345678", NULL };
  GtkWidget *label = relay_test_need_widget (GTK_WIDGET (f->estimate), "estimate");
  guint requests;

  set_recipients (f, three, "Hello");
  relay_test_assert_wait (label_shown, f, WAIT_MS);
  g_assert_cmpstr (relay_send_estimate_get_text (f->estimate), ==,
                   "About 0.10–0.11 EUR for 3 recipients · balance 9.90 EUR");
  g_assert_false (relay_send_estimate_get_warning (f->estimate));
  g_assert_true (gtk_widget_has_css_class (label, "dim-label"));
  requests = relay_sandbox_server_get_pricing_requests (f->sandbox);
  g_assert_cmpuint (requests, ==, 1);

  /* Typing estimates again from the list in memory: no request. */
  for (guint i = 1; i <= 200; i++)
    {
      g_autofree char *text = g_strnfill (i, 'a');

      set_recipients (f, one, text);
    }
  relay_test_iterate (50);
  g_assert_cmpuint (relay_sandbox_server_get_pricing_requests (f->sandbox), ==, requests);
  /* 200 characters: two parts on Telekom's range, 2 × 0.075. */
  g_assert_cmpstr (relay_send_estimate_get_text (f->estimate), ==,
                   "About 0.15 EUR for 1 recipient · balance 9.90 EUR");

  /* Above the balance: a warning. */
  relay_send_estimate_set_balance (f->estimate, "0.10");
  g_assert_cmpstr (relay_send_estimate_get_text (f->estimate), ==,
                   "About 0.15 EUR for 1 recipient · more than the balance of 0.10 EUR");
  g_assert_true (relay_send_estimate_get_warning (f->estimate));
  g_assert_true (gtk_widget_has_css_class (label, "warning"));
  g_assert_false (gtk_widget_has_css_class (label, "dim-label"));

  /* Unknown prices are said, not guessed. */
  relay_send_estimate_set_balance (f->estimate, NULL);
  set_recipients (f, unknown, "Hi");
  g_assert_cmpstr (relay_send_estimate_get_text (f->estimate), ==,
                   "At least 0.03 EUR; no price known for 1 of 2 recipients");

  /* Nothing to send, nothing to say. */
  set_recipients (f, NULL, "Hi");
  g_assert_false (gtk_widget_get_visible (label));
}

static void
test_confirm (Fixture       *f,
              gconstpointer  data)
{
  const char *const three[] = { "447700900001", "447700900002", "447700900003", NULL };
  const char *const unknown[] = { "447700900001", "99912345678", NULL };
  g_autofree char *question = NULL;
  AdwMessageDialog *dialog;

  set_recipients (f, three, "Hello");
  relay_test_assert_wait (label_shown, f, WAIT_MS);

  /* Up to 0.108 EUR: below the default 1.00 and the balance, no question. */
  g_assert_true (relay_send_estimate_confirm (f->estimate, f->settings, confirmed_cb, f));
  g_assert_null (relay_test_find_dialog ("confirm-cost"));

  /* Above the threshold: asked; Cancel sends nothing. */
  g_settings_set_string (f->settings, "confirm-cost-above", "0.10");
  g_assert_false (relay_send_estimate_confirm (f->estimate, f->settings, confirmed_cb, f));
  relay_test_assert_wait (dialog_shown, NULL, WAIT_MS);
  dialog = relay_test_find_dialog ("confirm-cost");
  g_assert_cmpstr (adw_message_dialog_get_body (dialog), ==,
                   "It may cost up to 0.108 EUR, above the 0.10 EUR set in Preferences.");
  /* As its Cancel button does. */
  adw_message_dialog_response (dialog, "cancel");
  gtk_window_destroy (GTK_WINDOW (dialog));
  relay_test_drain ();
  g_assert_cmpuint (f->confirmed, ==, 0);

  /* Send goes on, once. */
  g_assert_false (relay_send_estimate_confirm (f->estimate, f->settings, confirmed_cb, f));
  relay_test_assert_wait (dialog_shown, NULL, WAIT_MS);
  dialog = relay_test_find_dialog ("confirm-cost");
  adw_message_dialog_response (dialog, "send");
  gtk_window_destroy (GTK_WINDOW (dialog));
  relay_test_drain ();
  g_assert_cmpuint (f->confirmed, ==, 1);
  /* The next send asks again. */
  g_assert_false (relay_send_estimate_confirm (f->estimate, f->settings, confirmed_cb, f));
  dialog = relay_test_find_dialog ("confirm-cost");
  g_assert_nonnull (dialog);
  gtk_window_destroy (GTK_WINDOW (dialog));
  relay_test_drain ();

  /* A threshold that is no amount falls back to 1.00. */
  g_settings_set_string (f->settings, "confirm-cost-above", "1e-3");
  g_assert_cmpint (relay_send_estimate_get_threshold (f->settings), ==, RELAY_AMOUNT_SCALE);
  g_assert_null (relay_send_estimate_get_question (f->estimate, RELAY_AMOUNT_SCALE));

  /* Above the balance, whatever the threshold. */
  g_settings_set_string (f->settings, "confirm-cost-above", "100");
  relay_send_estimate_set_balance (f->estimate, "0.05");
  question = relay_send_estimate_get_question (f->estimate, relay_send_estimate_get_threshold (f->settings));
  g_assert_cmpstr (question, ==, "It may cost up to 0.108 EUR, more than the balance of 0.05 EUR.");
  g_clear_pointer (&question, g_free);

  /* An unknown price is a reason to ask. */
  relay_send_estimate_set_balance (f->estimate, "9.90");
  set_recipients (f, unknown, "Hi");
  question = relay_send_estimate_get_question (f->estimate, relay_send_estimate_get_threshold (f->settings));
  g_assert_cmpstr (question, ==, "The price of 1 recipient is not known.");
}

/* Without a list (the provider unreachable, nothing saved) the label
 * says there is no estimate, and nothing is asked: there is nothing to
 * ask about. */
static void
test_no_list (Fixture       *f,
              gconstpointer  data)
{
  const char *const one[] = { "447700900001", NULL };
  g_autoptr(RelayProvider) provider = relay_provider_new (NULL, "http://127.0.0.1:9");
  g_autoptr(RelayAccount) account = relay_account_new_api_key (provider, RELAY_SANDBOX_DEFAULT_API_KEY);
  GtkWidget *label = relay_test_need_widget (GTK_WIDGET (f->estimate), "estimate");

  relay_account_set_secret (account, RELAY_SANDBOX_DEFAULT_API_SECRET);
  relay_send_estimate_set_account (f->estimate, account);
  set_recipients (f, one, "Hello");
  g_assert_true (gtk_widget_get_visible (label));
  g_assert_cmpstr (relay_send_estimate_get_text (f->estimate), ==, "No price list yet, so no cost estimate");
  g_assert_null (relay_send_estimate_get_estimate (f->estimate));
  g_assert_true (relay_send_estimate_confirm (f->estimate, f->settings, confirmed_cb, f));
}

int
main (int   argc,
      char *argv[])
{
  relay_test_require_display ();
  relay_test_private_data_home ();
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  g_test_init (&argc, &argv, NULL);
  adw_init ();
  relay_test_disable_animations ();

#define ADD(name, func) \
  g_test_add ("/relay/send-estimate/" name, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("label", test_label);
  ADD ("confirm", test_confirm);
  ADD ("no-list", test_no_list);

#undef ADD

  return g_test_run ();
}

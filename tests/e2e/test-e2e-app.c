/* test-e2e-app.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The real window, in this process, against a relay-sandbox subprocess:
 * a person types the sandbox's endpoints and credentials on the welcome
 * page and clicks Sign in; the window opens the authorize URL in the
 * "system browser" (gtk_show_uri, so GIO's default http handler: the
 * test browser, headless chromium), which clicks Authorize; the callback
 * completes the sign-in, the credential lands in gnome-keyring, the person
 * writes a message and clicks Send, and the sandbox logs it exactly once.
 */

#define G_LOG_DOMAIN "Relay"

#include <adwaita.h>
#include <string.h>

#include "relay-application.h"
#include "relay-result-item.h"
#include "relay-window.h"
#include "relay-e2e-util.h"
#include "relay-test-util.h"
#include "../relay-test-env.h"

#define WAIT_S 60

static RelayE2eFixture *fixture;
static RelayApplication *app;

/* What a click does: GtkButton::clicked, and so the button's action. */
static void
click (GtkWidget  *root,
       const char *name)
{
  GtkWidget *button = relay_test_need_widget (root, name);

  g_assert_true (gtk_widget_get_mapped (button));
  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
}

typedef struct
{
  RelayWindow *window;
  const char  *page;
} PageWait;

static gboolean
on_page (gpointer data)
{
  PageWait *wait = data;

  return g_strcmp0 (relay_window_get_page (wait->window), wait->page) == 0;
}

static void
wait_page (RelayWindow *window,
           const char  *page)
{
  PageWait wait = { window, page };

  if (!relay_e2e_wait_until (on_page, &wait, WAIT_S))
    g_error ("the window shows page “%s”, not “%s”; last toast: %s",
             relay_window_get_page (window), page,
             relay_window_get_last_toast (window));
}

static gboolean
send_finished (gpointer data)
{
  GtkWidget *root = data;
  g_autoptr(RelayResultItem) item = g_list_model_get_item (relay_test_results (root), 0);
  GtkWidget *cancel = relay_test_find_widget (root, "cancel-send-button");

  return item != NULL &&
         relay_sms_state_is_final (relay_result_item_get_state (item)) &&
         (cancel == NULL || !gtk_widget_get_visible (cancel));
}

static void
test_sign_in_send (void)
{
  const char *to = "447700900456";
  g_autofree char *oauth_base = NULL;
  g_autofree char *rest_base = NULL;
  g_autofree char *text = NULL;
  RelayWindow *window;
  GtkWidget *root;
  g_autofree char *result = NULL;

  relay_e2e_clear_keyring ();
  relay_e2e_fixture_start_sandbox (fixture, NULL);
  oauth_base = relay_e2e_fixture_endpoint (fixture, "oauth/");
  rest_base = g_strndup (fixture->sandbox_url, strlen (fixture->sandbox_url) - 1);

  g_application_activate (G_APPLICATION (app));
  window = RELAY_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
  g_assert_true (RELAY_IS_WINDOW (window));
  root = GTK_WIDGET (window);
  wait_page (window, "welcome");

  /* the welcome page, as a person fills it in (Advanced holds endpoints) */
  relay_test_set_text (root, "consumer-key", RELAY_E2E_SANDBOX_KEY);
  relay_test_set_text (root, "consumer-secret", RELAY_E2E_SANDBOX_SECRET);
  relay_test_set_text (root, "oauth-base", oauth_base);
  relay_test_set_text (root, "rest-base", rest_base);
  click (root, "sign-in-button");

  /* gtk_show_uri → GIO → relay-test-browser → chromium clicks Authorize */
  wait_page (window, "waiting");
  g_assert_nonnull (relay_window_get_authorize_uri (window));
  relay_e2e_wait_browser (fixture, WAIT_S);
  wait_page (window, "send");
  g_assert_cmpuint (relay_e2e_count_keyring_items (RELAY_E2E_SANDBOX_KEY), ==, 1);

  /* the secret is in the keyring, not left in the window */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (relay_test_need_widget (root, "consumer-secret"))), ==, "");

  text = g_strdup_printf ("Hello from the Relay window e2e test %08x", g_test_rand_int ());
  relay_test_set_text (root, "from", "Relay");
  relay_test_set_text (root, "to", to);
  relay_test_set_text (root, "text", text);
  click (root, "send-button");

  if (!relay_e2e_wait_until (send_finished, root, WAIT_S))
    g_error ("the send did not finish; last toast: %s", relay_window_get_last_toast (window));
  result = relay_test_result_line (root, 0);
  g_test_message ("result: %s", result);
  g_assert_true (g_str_has_prefix (result, "Sent · "));
  g_assert_cmpuint (relay_e2e_count_messages (fixture, to, text), ==, 1);

  gtk_window_destroy (GTK_WINDOW (window));
  relay_e2e_clear_keyring ();
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int status;

  relay_test_require_display ();
  relay_test_private_data_home ();
  /* before GTK and GIO read the XDG folders */
  fixture = relay_e2e_fixture_new ();

  g_test_init (&argc, &argv, NULL);

  app = relay_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);
  relay_test_disable_animations ();

  g_test_add_func ("/relay/e2e-app/sign-in-send", test_sign_in_send);

  status = g_test_run ();

  g_clear_object (&app);
  relay_e2e_fixture_free (fixture, status != 0);

  return status;
}

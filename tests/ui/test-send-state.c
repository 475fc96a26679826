/* test-send-state.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <gio/gio.h>
#include <locale.h>
#include <string.h>

#include "relay-credential-store.h"
#include "relay-error-text.h"
#include "relay-http.h"
#include "relay-nexmo-client.h"
#include "relay-send-state.h"

static void
test_sender (void)
{
  const char *valid[] = { "Relay", "A", "ABCDEFGHIJK", "abc123", "123456789012345", "0", NULL };
  const struct { const char *from; const char *problem; } invalid[] = {
    { "", "Enter a sender ID: up to 11 letters and digits, or a phone number." },
    { NULL, "Enter a sender ID: up to 11 letters and digits, or a phone number." },
    { "ABCDEFGHIJKL", "An alphanumeric sender ID has at most 11 characters." },
    { "1234567890123456", "A numeric sender ID has at most 15 digits." },
    { "My Shop", "A sender ID may contain only the letters A to Z and digits." },
    { "Relay!", "A sender ID may contain only the letters A to Z and digits." },
    { "Café", "A sender ID may contain only the letters A to Z and digits." },
    { "+4477", "A sender ID may contain only the letters A to Z and digits." },
  };

  for (guint i = 0; valid[i] != NULL; i++)
    {
      g_autofree char *problem = relay_send_state_check_sender (valid[i]);

      g_assert_null (problem);
    }

  for (guint i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      g_autofree char *problem = relay_send_state_check_sender (invalid[i].from);

      g_assert_cmpstr (problem, ==, invalid[i].problem);
    }
}

/* A message of only blank space would be charged like any other: the
 * page keeps Send off and says why. */
static void
test_text (void)
{
  const char *valid[] = { "x", " Hi ", "\n.\n", "你好", NULL };
  const char *blank[] = { " ", "   ", "\t", " \n \r\n", "\u00A0\u2003", "\u3000", NULL };

  for (guint i = 0; valid[i] != NULL; i++)
    {
      g_autofree char *problem = relay_send_state_check_text (valid[i]);

      g_assert_null (problem);
    }

  for (guint i = 0; blank[i] != NULL; i++)
    {
      g_autofree char *problem = relay_send_state_check_text (blank[i]);

      g_assert_cmpstr (problem, ==, "The message is only blank space; write something to send.");
    }

  {
    g_autofree char *empty = relay_send_state_check_text ("");
    g_autofree char *null = relay_send_state_check_text (NULL);

    g_assert_cmpstr (empty, ==, "Write a message to send.");
    g_assert_cmpstr (null, ==, "Write a message to send.");
  }
}

static void
test_recipients (void)
{
  const struct { const char *text; const char *joined; } valid[] = {
    { "447700900001", "447700900001" },
    { "1234567", "1234567" },
    { "123456789012345", "123456789012345" },
    { "+44 7700 900001", "447700900001" },
    { "44-7700-900.001", "447700900001" },
    { "447700900001,447700900002", "447700900001|447700900002" },
    { "447700900001\n447700900002\r\n447700900003", "447700900001|447700900002|447700900003" },
    { " 447700900001 ; 447700900002 ,\n\n", "447700900001|447700900002" },
    { "447700900001, +447700900001, 447700900002", "447700900001|447700900002" },
    /* A column copied from a spreadsheet: CRLF, a trailing line end,
     * empty cells. */
    { "+44 7700 900001\r\n+44 7700 900002\r\n\r\n447700900003\r\n", "447700900001|447700900002|447700900003" },
    /* A row: cells separated by tabs, empty ones skipped. */
    { "447700900001\t447700900002\t\t447700900003\t", "447700900001|447700900002|447700900003" },
    /* Quoted cells, as a CSV file has them, with a quote-free inside. */
    { "\"+44 7700 900001\";\"447700900002\"\n\"447700900003\"", "447700900001|447700900002|447700900003" },
    /* Old Mac line ends, and a byte order mark. */
    { "\xEF\xBB\xBF" "447700900001\r447700900002", "447700900001|447700900002" },
  };
  const struct { const char *text; const char *problem; } invalid[] = {
    { "", "Enter at least one phone number." },
    { " , \n ", "Enter at least one phone number." },
    { "\t\"\"\t", "Enter at least one phone number." },
    { "123456", "“123456” is not a phone number: use 7 to 15 digits with the country code." },
    { "1234567890123456", "“1234567890123456” is not a phone number: use 7 to 15 digits with the country code." },
    { "447700900001, call me", "“call me” is not a phone number: use 7 to 15 digits with the country code." },
    { "44+7700900001", "“44+7700900001” is not a phone number: use 7 to 15 digits with the country code." },
    { "٤٤٧٧٠٠٩٠٠٠٠١", "“٤٤٧٧٠٠٩٠٠٠٠١” is not a phone number: use 7 to 15 digits with the country code." },
    /* Every invalid number, with its line when there are several. */
    { "447700900001\n12ab\n447700900002\n\n+\n",
      "2 numbers are not valid: “12ab” (line 2), “+” (line 5). Use 7 to 15 digits with the country code." },
    { "447700900001\n12ab", "“12ab” (line 2) is not a phone number: use 7 to 15 digits with the country code." },
    { "12, 34; 447700900001", "2 numbers are not valid: “12”, “34”. Use 7 to 15 digits with the country code." },
    /* Many: the first five, then how many more. */
    { "1\n2\n3\n4\n5\n6\n7\n447700900001",
      "7 numbers are not valid: “1” (line 1), “2” (line 2), “3” (line 3), “4” (line 4), “5” (line 5) and 2 more. "
      "Use 7 to 15 digits with the country code." },
    /* A long cell is cut, on a character. */
    { "Приветэтосовсемненомертелефона",
      "“Приветэтосовсемненомерт…” is not a phone number: use 7 to 15 digits with the country code." },
    /* A quoted cell with a line break in it counts its lines. */
    { "\"44\n77\"\n12", "2 numbers are not valid: “44 77” (line 1), “12” (line 3). Use 7 to 15 digits with the country code." },
    /* A row of headings is not a column heading: both are named. */
    { "Name\tPhone\nAlice\t447700900001",
      "3 numbers are not valid: “Name” (line 1), “Phone” (line 1), “Alice” (line 2). Use 7 to 15 digits with the country code." },
    /* Invalid UTF-8 is named as replacement characters, never read past. */
    { "447700900001\n12\xF0", "“12\xEF\xBF\xBD” (line 2) is not a phone number: use 7 to 15 digits with the country code." },
    { "\xF0\n447700900001", "“\xEF\xBF\xBD” (line 1) is not a phone number: use 7 to 15 digits with the country code." },
    /* A heading alone is just not a number. */
    { "Phone", "“Phone” is not a phone number: use 7 to 15 digits with the country code." },
  };

  for (guint i = 0; i < G_N_ELEMENTS (valid); i++)
    {
      g_autofree char *problem = NULL;
      g_auto(GStrv) numbers = relay_send_state_parse_recipients (valid[i].text, &problem);
      g_autofree char *joined = NULL;

      g_assert_null (problem);
      g_assert_nonnull (numbers);
      joined = g_strjoinv ("|", numbers);
      g_assert_cmpstr (joined, ==, valid[i].joined);
    }

  for (guint i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      g_autofree char *problem = NULL;
      g_auto(GStrv) numbers = relay_send_state_parse_recipients (invalid[i].text, &problem);

      g_assert_null (numbers);
      g_assert_cmpstr (problem, ==, invalid[i].problem);
    }

  /* The problem is optional. */
  g_assert_null (relay_send_state_parse_recipients ("12", NULL));
}

/* A column pasted with its heading: the heading is skipped, and the page
 * says so. */
static void
test_recipients_heading (void)
{
  const struct { const char *text; const char *joined; const char *note; } cases[] = {
    { "Phone\r\n+44 7700 900001\r\n447700900002\r\n", "447700900001|447700900002",
      "2 numbers; the column heading “Phone” was skipped." },
    { "\"Mobile number\"\n447700900001", "447700900001",
      "1 number; the column heading “Mobile number” was skipped." },
    { "Handynummer\n\n447700900001\n447700900001", "447700900001",
      "1 number; the column heading “Handynummer” was skipped." },
    { "447700900001\n447700900002", "447700900001|447700900002", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *problem = NULL;
      g_autofree char *note = NULL;
      g_auto(GStrv) numbers = relay_send_state_check_recipients (cases[i].text, &problem, &note);
      g_autofree char *joined = NULL;

      g_assert_null (problem);
      g_assert_nonnull (numbers);
      joined = g_strjoinv ("|", numbers);
      g_assert_cmpstr (joined, ==, cases[i].joined);
      g_assert_cmpstr (note, ==, cases[i].note);
    }

  /* A heading and then a mistake: the mistake is on line 3. */
  {
    g_autofree char *problem = NULL;
    g_autofree char *note = NULL;
    g_auto(GStrv) numbers = relay_send_state_check_recipients ("Phone\n447700900001\n12ab", &problem, &note);

    g_assert_null (numbers);
    g_assert_null (note);
    g_assert_cmpstr (problem, ==, "“12ab” (line 3) is not a phone number: use 7 to 15 digits with the country code.");
  }
}

static void
test_counter (void)
{
  g_autofree char *long_gsm = g_strnfill (161, 'a');
  g_autofree char *full_gsm = g_strnfill (160, 'a');
  g_autofree char *three_gsm = g_strnfill (307, 'a');
  g_autoptr(GString) full_ucs = g_string_new (NULL);
  g_autoptr(GString) long_ucs = g_string_new (NULL);
  g_autoptr(GString) euros = g_string_new (NULL);
  g_autoptr(GString) euros_over = g_string_new (NULL);
  const struct { const char *text; const char *counter; } cases[] = {
    /* Nothing to count: no "0 parts", a neutral hint. */
    { "", "Up to 160 characters per message" },
    { NULL, "Up to 160 characters per message" },
    { "Hello", "5 of 160 characters · 1 message" },
    { "447700900001 447700900002 and 3", "31 of 160 characters · 1 message" },
    /* € and [ are extension characters: two septets each. */
    { "Price: 5€", "10 of 160 characters · 1 message" },
    { "[x]", "5 of 160 characters · 1 message" },
    { full_gsm, "160 of 160 characters · 1 message" },
    { long_gsm, "161 of 306 characters · 2 messages" },
    { three_gsm, "307 of 459 characters · 3 messages" },
    /* ü and ß are in the default alphabet: no Unicode. */
    { "Grüße", "5 of 160 characters · 1 message" },
    { "Привет", "6 of 70 characters · 1 message\n“П” needs Unicode: 70 characters per message" },
    /* A surrogate pair: two units, and the whole emoji named. */
    { "Hi 😀", "5 of 70 characters · 1 message\n“😀” needs Unicode: 70 characters per message" },
    /* The first character that needs Unicode, with what joins it: a
     * variation selector, a skin tone, a zero-width joiner, a flag, an
     * accent typed as a combining mark (e plus U+0301). */
    { "I ❤️ it ✓", "9 of 70 characters · 1 message\n“❤️” needs Unicode: 70 characters per message" },
    { "👍🏽 ok", "7 of 70 characters · 1 message\n“👍🏽” needs Unicode: 70 characters per message" },
    { "👩‍💻", "5 of 70 characters · 1 message\n“👩‍💻” needs Unicode: 70 characters per message" },
    { "Go 🇩🇪!", "8 of 70 characters · 1 message\n“🇩🇪” needs Unicode: 70 characters per message" },
    { "Cafe\xCC\x81", "5 of 70 characters · 1 message\n“e\xCC\x81” needs Unicode: 70 characters per message" },
    /* An invisible character is named by its code point. */
    { "a\xC2\xA0" "b", "3 of 70 characters · 1 message\nThe invisible character U+00A0 needs Unicode: 70 characters per message" },
    { "a\tb", "3 of 70 characters · 1 message\nThe invisible character U+0009 needs Unicode: 70 characters per message" },
    /* Invalid UTF-8 never splits or reads past a sequence. */
    { "ab\xF0\x9F", "4 of 70 characters · 1 message\n“\xEF\xBF\xBD” needs Unicode: 70 characters per message" },
  };

  for (guint i = 0; i < 70; i++)
    g_string_append (full_ucs, "ж");
  for (guint i = 0; i < 71; i++)
    g_string_append (long_ucs, "ж");
  /* 80 euros are 160 septets: one message; one more is two. */
  for (guint i = 0; i < 80; i++)
    g_string_append (euros, "€");
  g_string_append (euros_over, euros->str);
  g_string_append (euros_over, "€");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *counter = relay_send_state_format_counter (cases[i].text);

      g_assert_cmpstr (counter, ==, cases[i].counter);
    }

  {
    g_autofree char *full = relay_send_state_format_counter (full_ucs->str);
    g_autofree char *over = relay_send_state_format_counter (long_ucs->str);
    g_autofree char *euro_full = relay_send_state_format_counter (euros->str);
    g_autofree char *euro_over = relay_send_state_format_counter (euros_over->str);

    g_assert_cmpstr (full, ==, "70 of 70 characters · 1 message\n“ж” needs Unicode: 70 characters per message");
    /* Concatenated parts hold 67 each. */
    g_assert_cmpstr (over, ==, "71 of 134 characters · 2 messages\n“ж” needs Unicode: 67 characters per message");
    g_assert_cmpstr (euro_full, ==, "160 of 160 characters · 1 message");
    g_assert_cmpstr (euro_over, ==, "162 of 306 characters · 2 messages");
  }
}

static void
test_summary (void)
{
  g_autoptr(GPtrArray) results = g_ptr_array_new ();
  RelaySmsResult ok = { .to = (char *)"447700900001", .parts = 1, .state = RELAY_SMS_STATE_SENT };
  RelaySmsResult bad = { .to = (char *)"447700900002", .state = RELAY_SMS_STATE_FAILED };
  RelaySmsResult not_sent = { .to = (char *)"447700900003", .state = RELAY_SMS_STATE_NOT_SENT };
  RelaySmsResult uncertain = { .to = (char *)"447700900004", .state = RELAY_SMS_STATE_UNCERTAIN };
  g_autofree char *one = NULL;
  g_autofree char *mixed = NULL;
  g_autofree char *none = NULL;
  g_autofree char *cancelled = NULL;
  g_autofree char *unknown = NULL;
  g_autofree char *pending = NULL;

  bad.error = g_error_new_literal (RELAY_NEXMO_ERROR, RELAY_NEXMO_ERROR_INVALID_PARAMS, "Bad number.");

  g_ptr_array_add (results, &ok);
  one = relay_send_state_format_summary (results, 1);
  g_assert_cmpstr (one, ==, "Message sent to 1 recipient");

  g_ptr_array_add (results, &bad);
  g_ptr_array_add (results, &ok);
  mixed = relay_send_state_format_summary (results, 3);
  g_assert_cmpstr (mixed, ==, "1 of 3 messages could not be sent");

  g_ptr_array_set_size (results, 0);
  g_ptr_array_add (results, &bad);
  g_ptr_array_add (results, &bad);
  none = relay_send_state_format_summary (results, 2);
  g_assert_cmpstr (none, ==, "No message could be sent");

  /* Cancelled half-way: what went out, and what may have. */
  g_ptr_array_set_size (results, 0);
  g_ptr_array_add (results, &ok);
  g_ptr_array_add (results, &ok);
  g_ptr_array_add (results, &uncertain);
  g_ptr_array_add (results, &not_sent);
  cancelled = relay_send_state_format_summary (results, 4);
  g_assert_cmpstr (cancelled, ==, "Sending cancelled: 2 of 4 messages sent · 1 may have been sent");

  g_ptr_array_set_size (results, 0);
  g_ptr_array_add (results, &ok);
  g_ptr_array_add (results, &uncertain);
  unknown = relay_send_state_format_summary (results, 2);
  g_assert_cmpstr (unknown, ==, "1 of 2 messages sent · 1 may have been sent");

  /* A recipient without an outcome was not sent. */
  g_ptr_array_set_size (results, 1);
  pending = relay_send_state_format_summary (results, 3);
  g_assert_cmpstr (pending, ==, "Sending cancelled: 1 of 3 messages sent");

  g_clear_error (&bad.error);
}

static void
test_balance (void)
{
  g_autofree char *a = relay_send_state_format_balance (3.14159);
  g_autofree char *b = relay_send_state_format_balance (0);

  g_assert_cmpstr (a, ==, "3.14");
  g_assert_cmpstr (b, ==, "0.00");
}

static void
test_error_text (void)
{
  const struct { GQuark domain; int code; const char *message; const char *sentence; } cases[] = {
    /* The engine's domains carry sentences already. */
    { 0, RELAY_NEXMO_ERROR_INVALID_CREDENTIALS, "The API key or secret was not accepted.",
      "The API key or secret was not accepted." },
    /* Library text never reaches the user. */
    { 1, G_IO_ERROR_CONNECTION_REFUSED, "Could not connect to 127.0.0.1: Connection refused",
      "Relay could not reach the provider. Check the provider address in Preferences." },
    { 1, G_IO_ERROR_TIMED_OUT, "Socket I/O timed out",
      "The provider did not answer in time. Try again, or allow more time in Preferences." },
    { 1, G_IO_ERROR_FAILED, "Cannot autolaunch D-Bus without X11 $DISPLAY",
      "Something went wrong while talking to the provider. Try again." },
    { 2, 0, "Error resolving “rest.nexmo.com”: Name or service not known",
      "The provider’s server could not be found. Check your internet connection." },
    { 3, G_DBUS_ERROR_SERVICE_UNKNOWN, "The name org.freedesktop.secrets was not provided by any .service files",
      "The keyring is not available, so Relay cannot store your credentials." },
    { 4, G_TLS_ERROR_BAD_CERTIFICATE, "Unacceptable TLS certificate",
      "The provider’s secure connection could not be verified." },
    { 5, RELAY_HTTP_ERROR_UNAUTHORIZED, "127.0.0.1 did not accept the credentials; sign in again.",
      "127.0.0.1 did not accept the credentials; sign in again." },
    { 5, RELAY_HTTP_ERROR_UNREACHABLE, "Could not reach 127.0.0.1:37701: Could not connect: Connection refused",
      "Relay could not reach 127.0.0.1:37701. Check that the server is running and that its address in Preferences is right." },
    { 5, RELAY_HTTP_ERROR_UNREACHABLE, "Could not connect: Connection refused",
      "Relay could not reach the provider. Check your internet connection and the provider address." },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      GQuark domains[] = { RELAY_NEXMO_ERROR, G_IO_ERROR, G_RESOLVER_ERROR, G_DBUS_ERROR, G_TLS_ERROR,
                           RELAY_HTTP_ERROR };
      g_autoptr(GError) error = g_error_new_literal (domains[cases[i].domain], cases[i].code,
                                                     cases[i].message);
      g_autofree char *sentence = relay_error_text (error);

      g_assert_cmpstr (sentence, ==, cases[i].sentence);
    }

  {
    g_autoptr(GError) cancelled = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "Operation was cancelled");
    g_autoptr(GError) missing = g_error_new_literal (RELAY_CREDENTIAL_ERROR, RELAY_CREDENTIAL_ERROR_UNAVAILABLE,
                                                     "No keyring.");

    g_assert_true (relay_error_is_cancelled (cancelled));
    g_assert_false (relay_error_is_cancelled (missing));
    g_assert_true (relay_error_is_storage_missing (missing));
    g_assert_false (relay_error_is_storage_missing (cancelled));
    g_assert_false (relay_error_is_storage_missing (NULL));
  }
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/relay/send-state/sender", test_sender);
  g_test_add_func ("/relay/send-state/text", test_text);
  g_test_add_func ("/relay/send-state/recipients", test_recipients);
  g_test_add_func ("/relay/send-state/recipients-heading", test_recipients_heading);
  g_test_add_func ("/relay/send-state/counter", test_counter);
  g_test_add_func ("/relay/send-state/summary", test_summary);
  g_test_add_func ("/relay/send-state/balance", test_balance);
  g_test_add_func ("/relay/send-state/error-text", test_error_text);

  return g_test_run ();
}

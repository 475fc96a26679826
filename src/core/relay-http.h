/* relay-http.h
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

#include "relay-account.h"
#include "relay-clock.h"
#include "relay-oauth1-request.h"

G_BEGIN_DECLS

#define RELAY_HTTP_ERROR (relay_http_error_quark ())

typedef enum
{
  RELAY_HTTP_ERROR_UNREACHABLE,   /* connection refused, no route, DNS: nothing was sent */
  RELAY_HTTP_ERROR_TIMEOUT,       /* no whole answer within the timeout (the message
                                   * says whether the request went out) */
  RELAY_HTTP_ERROR_TLS,           /* certificate not trusted */
  RELAY_HTTP_ERROR_REDIRECT,      /* 3xx: never followed with credentials */
  RELAY_HTTP_ERROR_UNAUTHORIZED,  /* 401 without an oauth_problem */
  RELAY_HTTP_ERROR_THROTTLED,     /* 429 */
  RELAY_HTTP_ERROR_STATUS,        /* any other non-2xx */
  RELAY_HTTP_ERROR_TOO_LARGE,     /* body past the limit */
  RELAY_HTTP_ERROR_INSECURE,      /* http:// to a non-loopback host */
  RELAY_HTTP_ERROR_NO_ANSWER,     /* the request was written, but no whole answer came:
                                   * the provider may have acted on it */
} RelayHttpError;

/* Answers larger than this are refused: Nexmo's are a few hundred bytes.
 * A message that expects more says so with relay_http_message_set_max_body(). */
#define RELAY_HTTP_MAX_BODY (1024 * 1024)

GQuark       relay_http_error_quark            (void);
void         relay_http_message_set_max_body   (SoupMessage          *message,
                                                gsize                 max_body);
SoupSession *relay_http_session_new            (guint                 timeout_seconds);
void         relay_http_session_set_clock      (SoupSession          *session,
                                                RelayClock           *clock);
RelayClock  *relay_http_session_get_clock      (SoupSession          *session);
SoupMessage *relay_http_message_new_signed     (RelayOAuth1Request   *request,
                                                GError              **error);
SoupMessage *relay_http_message_new_for_account (RelayAccount        *account,
                                                const char           *method,
                                                const char           *uri,
                                                GPtrArray            *params,
                                                GError              **error);
void         relay_http_send_async             (SoupSession          *session,
                                                SoupMessage          *message,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
GBytes      *relay_http_send_finish            (SoupSession          *session,
                                                GAsyncResult         *result,
                                                GError              **error);
gint64       relay_http_get_retry_after_at     (SoupMessage          *message,
                                                gint64                now);
gint64       relay_http_parse_retry_after      (const char           *value,
                                                gint64                now);

/**
 * RelayHttpBuildFunc:
 * @build_data: the data given to relay_http_send_signed_async()
 * @clock_offset: seconds to add to the local clock for oauth_timestamp
 * @error: a #GError
 *
 * Builds and signs a fresh message (a new nonce and timestamp each call).
 *
 * Returns: (transfer full) (nullable): the message
 */
typedef SoupMessage *(*RelayHttpBuildFunc) (gpointer   build_data,
                                            gint64     clock_offset,
                                            GError   **error);

gboolean     relay_http_clock_offset_for_refusal (gint64              local_now,
                                                  gint64              acceptable_from,
                                                  gint64              acceptable_to,
                                                  const char         *date_header,
                                                  gint64             *offset);
void         relay_http_send_signed_async      (SoupSession          *session,
                                                RelayAccount         *account,
                                                RelayHttpBuildFunc    build,
                                                gpointer              build_data,
                                                GDestroyNotify        build_data_free,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
GBytes      *relay_http_send_signed_finish     (SoupSession          *session,
                                                GAsyncResult         *result,
                                                SoupMessage         **message,
                                                GError              **error);

G_END_DECLS

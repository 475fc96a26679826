/* relay-template.h
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "relay-recipient-import.h"
#include "relay-sms-text.h"

G_BEGIN_DECLS

#define RELAY_TEMPLATE_ERROR (relay_template_error_quark ())

/**
 * RelayTemplateError:
 * @RELAY_TEMPLATE_ERROR_UNCLOSED: a '{' without its '}' (or with another
 *   '{' before it)
 * @RELAY_TEMPLATE_ERROR_EMPTY_PLACEHOLDER: "{}" or "{  }"
 * @RELAY_TEMPLATE_ERROR_LONE_CLOSE: a '}' that closes nothing (write "}}")
 * @RELAY_TEMPLATE_ERROR_ENCODING: the text is not UTF-8
 *
 * The message says where: "at character N" (1-based, in characters).
 */
typedef enum
{
  RELAY_TEMPLATE_ERROR_UNCLOSED,
  RELAY_TEMPLATE_ERROR_EMPTY_PLACEHOLDER,
  RELAY_TEMPLATE_ERROR_LONE_CLOSE,
  RELAY_TEMPLATE_ERROR_ENCODING,
} RelayTemplateError;

/**
 * RelayTemplateProblemKind:
 * @RELAY_TEMPLATE_PROBLEM_NONE: every placeholder has a value
 * @RELAY_TEMPLATE_PROBLEM_UNKNOWN_COLUMN: a placeholder names no column
 *   (it is left as written, braces and all)
 * @RELAY_TEMPLATE_PROBLEM_EMPTY_CELL: the row's cell is empty (blank)
 */
typedef enum
{
  RELAY_TEMPLATE_PROBLEM_NONE,
  RELAY_TEMPLATE_PROBLEM_UNKNOWN_COLUMN,
  RELAY_TEMPLATE_PROBLEM_EMPTY_CELL,
} RelayTemplateProblemKind;

/**
 * RelayTemplateProblem:
 * @kind: the first problem of the row
 * @placeholder: (nullable): the placeholder's name as written (trimmed),
 *   owned by the template
 */
typedef struct
{
  RelayTemplateProblemKind  kind;
  const char               *placeholder;
} RelayTemplateProblem;

/**
 * RelayTemplatePreview:
 * @text: the row's message
 * @info: its encoding, characters and parts
 * @problem: what is missing in it
 */
typedef struct
{
  char                 *text;
  RelaySmsInfo          info;
  RelayTemplateProblem  problem;
} RelayTemplatePreview;

typedef struct _RelayTemplate RelayTemplate;

GQuark              relay_template_error_quark       (void);

RelayTemplate      *relay_template_parse             (const char            *text,
                                                      GError               **error);
RelayTemplate      *relay_template_ref               (RelayTemplate         *self);
void                relay_template_unref             (RelayTemplate         *self);
const char * const *relay_template_get_placeholders  (RelayTemplate         *self);
gboolean            relay_template_has_placeholders  (RelayTemplate         *self);
char              **relay_template_check_columns     (RelayTemplate         *self,
                                                      RelayImport           *import);
void                relay_template_expand_into       (RelayTemplate         *self,
                                                      RelayImport           *import,
                                                      guint                  row,
                                                      GString               *out,
                                                      RelayTemplateProblem  *problem_out);
char               *relay_template_expand            (RelayTemplate         *self,
                                                      RelayImport           *import,
                                                      guint                  row,
                                                      RelayTemplateProblem  *problem_out);
void                relay_template_preview           (RelayTemplate         *self,
                                                      RelayImport           *import,
                                                      guint                  row,
                                                      RelayTemplatePreview  *preview);
void                relay_template_preview_clear     (RelayTemplatePreview  *preview);
const char         *relay_template_problem_to_string (RelayTemplateProblemKind kind);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelayTemplate, relay_template_unref)

G_END_DECLS

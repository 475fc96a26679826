/* relay-sms-text.h
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  RELAY_SMS_ENCODING_GSM7,
  RELAY_SMS_ENCODING_UCS2,
} RelaySmsEncoding;

/**
 * RelaySmsInfo:
 * @encoding: GSM-7 when every character is in the GSM 03.38 default
 *   alphabet or its extension table, UCS-2 otherwise
 * @characters: characters (Unicode code points) in the text
 * @units: encoded length: septets for GSM-7 (extension characters count
 *   two), UTF-16 code units for UCS-2
 * @parts: message parts needed (0 for empty text)
 * @per_part: units one part holds: 160/153 (GSM-7) or 70/67 (UCS-2)
 * @limit: units that fit in @parts parts, for a "42 / 160" counter
 *
 * What a text costs as SMS. Parts are counted the way a handset splits
 * them: an extension character's two septets, or a surrogate pair, never
 * straddle two parts.
 */
typedef struct
{
  RelaySmsEncoding encoding;
  guint            characters;
  guint            units;
  guint            parts;
  guint            per_part;
  guint            limit;
} RelaySmsInfo;

gboolean     relay_sms_text_is_gsm7        (gunichar          c,
                                            guint            *septets);
void         relay_sms_text_analyze        (const char       *text,
                                            RelaySmsInfo     *info);
char       **relay_sms_text_split          (const char       *text,
                                            RelaySmsInfo     *info);
const char  *relay_sms_encoding_to_string  (RelaySmsEncoding  encoding);

G_END_DECLS

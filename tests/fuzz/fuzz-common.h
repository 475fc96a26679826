/* fuzz-common.h
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <stddef.h>
#include <stdint.h>

#include <glib.h>

G_BEGIN_DECLS

/* The libFuzzer entry points, declared for -Werror=missing-prototypes. */
int    LLVMFuzzerInitialize   (int            *argc,
                               char         ***argv);
int    LLVMFuzzerTestOneInput (const uint8_t  *data,
                               size_t          size);

char  *fuzz_dup_string        (const uint8_t  *data,
                               size_t          size);
void   fuzz_assert_params_equal (GPtrArray    *a,
                                 GPtrArray    *b);

G_END_DECLS

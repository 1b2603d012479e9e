/* fuzz-util.h: what every libFuzzer harness shares
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <stdint.h>

#include "tc-tccli.h"

int   LLVMFuzzerInitialize   (int            *argc,
                              char         ***argv);
int   LLVMFuzzerTestOneInput (const uint8_t  *data,
                              size_t          size);

void  fuzz_init              (void);
void  fuzz_assert_text       (const char     *text);
char *fuzz_next_field        (const uint8_t **data,
                              size_t         *size);
void  fuzz_check_scan        (TcTccliScan    *scan);

/* tc-tccli-private.h: the parsing behind tc_tccli_scan_async(), on bytes already read
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * For the tests and the fuzzers (tests/fuzz), which feed the real parsing code without a
 * file system or a worker thread.
 */
#pragma once

#include "tc-tccli.h"

G_BEGIN_DECLS

TcTccliScan *tc_tccli_scan_new             (void);
void         tc_tccli_read_credential_data (TcTccliScan        *scan,
                                            const char         *path,
                                            const char         *credential,
                                            gsize               credential_len,
                                            const char         *configure,
                                            gsize               configure_len);
void         tc_tccli_read_sdk_data        (TcTccliScan        *scan,
                                            const char         *path,
                                            const char         *data,
                                            gsize               len);
void         tc_tccli_read_environment     (TcTccliScan        *scan,
                                            const char * const *envp);

G_END_DECLS

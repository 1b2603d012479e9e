/* tc-cvm-private.h: how each CVM answer becomes models, apart from sending the request
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tc-cvm.c sends and pages, tc-cvm-write.c sends the writes; these read what came back
 * (after the envelope). They are
 * separate so the unit tests and the fuzzers (tests/fuzz) run exactly the code the app
 * runs on a server's answer, without a server.
 */
#pragma once

#include "tc-answer.h"
#include "tc-cvm.h"

G_BEGIN_DECLS

typedef enum {
  TC_CVM_LIST_INSTANCES,
  TC_CVM_LIST_IMAGES,
} TcCvmList;

/* No region has more than this many of anything; a larger TotalCount is a broken answer. */
#define TC_CVM_MAX_PAGES 2000

/* A JSON array of @values (NULL-terminated; NULL for none), for the requests. */
JsonArray       *tc_cvm_string_array   (const char * const *values);

GPtrArray       *tc_cvm_parse_page     (TcCvmList    list,
                                        TcAnswer    *answer,
                                        guint       *total,
                                        GError     **error);
GListModel      *tc_cvm_parse_regions  (TcAnswer    *answer,
                                        GError     **error);
TcInstance      *tc_cvm_parse_instance (TcAnswer    *answer,
                                        GError     **error);
gboolean         tc_cvm_parse_quota    (TcAnswer    *answer,
                                        guint       *quota,
                                        GError     **error);
TcCreateResult  *tc_cvm_parse_create   (TcAnswer    *answer,
                                        GError     **error);
GPtrArray       *tc_cvm_parse_copies   (TcAnswer    *answer,
                                        GError     **error);

G_END_DECLS

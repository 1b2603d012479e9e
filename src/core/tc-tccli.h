/* tc-tccli.h: credentials found where tccli and the SDKs keep them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum {
  TC_TCCLI_SOURCE_PROFILE,      /* ~/.tccli/<name>.credential (+ .configure) */
  TC_TCCLI_SOURCE_ENVIRONMENT,  /* TENCENTCLOUD_* variables */
} TcTccliSource;

typedef struct {
  TcTccliSource  source;
  char          *name;        /* profile name, or "environment" */
  char          *secret_id;
  char          *secret_key;  /* wiped on free */
  char          *token;       /* nullable; wiped on free */
  gint64         expires_at;  /* when temporary keys expire, in Unix seconds; 0: not said */
  char          *region;      /* nullable */
  char          *endpoint;    /* nullable: cvm endpoint from .configure, as https:// URL */
} TcTccliProfile;

typedef struct {
  GPtrArray *profiles;        /* TcTccliProfile */
  GPtrArray *problems;        /* char*: translated, one per skipped file, naming it */
} TcTccliScan;

void          tc_tccli_profile_free (TcTccliProfile *profile);
void          tc_tccli_scan_free    (TcTccliScan    *scan);
char         *tc_tccli_profile_dup_validity (const TcTccliProfile *profile);

/* Scans @dir (NULL: ~/.tccli) and @environ (NULL: the process environment) in a worker
 * thread. Unreadable or malformed files are skipped and reported by name in problems. */
void          tc_tccli_scan_async   (const char          *dir,
                                     const char * const  *environ,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data);
TcTccliScan  *tc_tccli_scan_finish  (GAsyncResult        *result,
                                     GError             **error);

/* The same, naming the SDKs' INI file as well (~/.tencentcloud/credentials; NULL: not
 * read). tc_tccli_scan_async() reads it only when @dir is NULL, that is, from the user's
 * home. Its sections are offered as TC_TCCLI_SOURCE_PROFILE named "SDK: <section>". */
void          tc_tccli_scan_full_async (const char          *dir,
                                        const char          *sdk_credentials_file,
                                        const char * const  *environ,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TcTccliProfile, tc_tccli_profile_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TcTccliScan, tc_tccli_scan_free)

G_END_DECLS

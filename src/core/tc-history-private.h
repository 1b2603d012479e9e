/* tc-history-private.h: what the parts of the history share, and what the tests reach
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The history is five files: the entry (tc-history-entry.c, a GObject around EntryData),
 * the store (tc-history-store.c, the paged list model, its reading connection and the
 * worker thread that writes), the search text in memory (tc-history-search.c), the database (tc-history-db.c, SQLite: opening, the schema
 * and its migrations, damage, the rows) and the one-time import of the history.jsonl of
 * earlier builds (tc-history-import.c). EntryData is the plain form the threads read and
 * write; only the main thread touches the GObjects.
 */
#pragma once

#include <sqlite3.h>

#include "tc-history.h"

G_BEGIN_DECLS

/* Longest text kept in one field: far beyond any name, id or server message. */
#define TC_HISTORY_MAX_FIELD_BYTES (16 * 1024)
#define TC_HISTORY_MAX_LIST_ITEMS  256

typedef struct {
  gint64            time;            /* µs since 1970, UTC */
  gboolean          passed;
  char             *error_code;
  char             *error_message;
  char             *request_id;
} EntryCheck;

typedef struct {
  char             *id;
  TcHistoryKind     kind;
  gint64            created;         /* µs since 1970, UTC */
  char             *account_id;
  char             *account_name;
  TcProtocol        protocol;
  char             *region;
  char             *instance_id;
  char             *instance_name;
  char             *image_name;
  char             *image_description;
  gboolean          force_poweroff;
  gboolean          sysprep;
  GStrv             data_disk_ids;   /* NULL when none */
  GStrv             tags;            /* key, value, key, value…; NULL when none */
  TcHistoryOutcome  outcome;
  char             *error_code;
  char             *error_message;
  char             *image_id;
  char             *request_id;
  gint64            last_checked;    /* µs since 1970, UTC; 0 when never */
  GPtrArray        *checks;          /* EntryCheck, oldest first; NULL when none */
  char             *source_region;   /* a copy's source image: its region and ID */
  char             *source_image_id;
} EntryData;

void             entry_data_clear        (EntryData       *data);
void             entry_data_copy         (EntryData       *dest,
                                          const EntryData *src);
char            *entry_data_search_text  (const EntryData *data);
gboolean         tc_history_region_name_matches (const char *region,
                                                 const char *folded);
void             entry_check_free        (EntryCheck      *check);
char            *tc_history_normalize_text (const char    *text);
GStrv            tc_history_normalize_list (const char * const *items,
                                            guint          max_items);

/* A stored entry made from @data, which it takes (@data is left empty). */
TcHistoryEntry  *tc_history_entry_new_stored (EntryData   *data);
EntryData       *tc_history_entry_get_data   (TcHistoryEntry *self);
gboolean         tc_history_entry_is_sealed  (TcHistoryEntry *self);
void             tc_history_entry_seal       (TcHistoryEntry *self);
/* Takes every field of @changes but id and created; TRUE when something changed. */
gboolean         tc_history_entry_take_changes (TcHistoryEntry *self,
                                                TcHistoryEntry *changes);

/* The database (worker thread only). */
typedef struct _HistoryDb HistoryDb;

HistoryDb       *history_db_new          (const char  *path);
void             history_db_free         (HistoryDb   *db);
/* Opens (creating, migrating, importing history.jsonl, setting a damaged file aside) if
 * not open yet. */
gboolean         history_db_open         (HistoryDb   *db,
                                          GError     **error);
/* Checks the whole file; a damaged one is set aside and a fresh one started with the rows
 * that could still be read. */
gboolean         history_db_verify       (HistoryDb   *db,
                                          GError     **error);
/* A connection of its own that only reads (the view's, on the main thread). */
sqlite3         *history_db_open_reader  (const char  *path);
/* The columns history_db_read_row() reads, in its order. */
#define HISTORY_DB_COLUMNS \
  "id, kind, created, account_id, account_name, protocol, region, instance_id, " \
  "instance_name, image_name, image_description, force_poweroff, sysprep, data_disk_ids, " \
  "tags, outcome, error_code, error_message, image_id, request_id, last_checked, checks, " \
  "source_region, source_image_id"
EntryData       *history_db_read_row     (sqlite3_stmt *stmt);
gboolean         history_db_put          (HistoryDb   *db,
                                          const EntryData *data,
                                          GError     **error);
gboolean         history_db_delete       (HistoryDb   *db,
                                          const char  *id,
                                          GError     **error);
gboolean         history_db_clear        (HistoryDb   *db,
                                          GError     **error);
gboolean         history_db_expire       (HistoryDb   *db,
                                          gint64       cutoff,
                                          GError     **error);
/* What opening had to set aside, for the user; NULL when nothing. (transfer full) */
char            *history_db_steal_notice (HistoryDb   *db);
const char      *history_db_get_set_aside_path (HistoryDb *db);
guint            history_db_get_unreadable_count (HistoryDb *db);
gboolean         history_db_was_set_aside (HistoryDb  *db);
/* SQLITE_FULL at @max_pages pages, as on a full disk (tests) */
void             history_db_set_max_pages (HistoryDb  *db,
                                           guint       max_pages);

/* The search text of the reader's snapshot, in memory (tc-history-search.c; main thread). */
typedef struct _HistorySearch HistorySearch;

HistorySearch   *history_search_new      (sqlite3       *reader);
void             history_search_free     (HistorySearch *self);
gboolean         history_search_read     (HistorySearch *self,
                                          gint64         budget_us);
GArray          *history_search_find     (HistorySearch *self,
                                          const char    *folded,
                                          gint64         cutoff);
gint64           history_search_get_rowid   (HistorySearch *self,
                                             guint          position);
gint64           history_search_get_created (HistorySearch *self,
                                             guint          position);

/* The history.jsonl of earlier builds (tc-history-import.c): its live entries, oldest
 * first (EntryData, freed with entry_data_free()); damaged records are counted. */
GPtrArray       *history_import_jsonl    (const char  *jsonl_path,
                                          guint       *n_unreadable,
                                          GError     **error);
void             entry_data_free         (EntryData   *data);

/* Tests: the next writes fail with TC_HISTORY_ERROR_NO_SPACE once the database would
 * outgrow @max_pages pages (0: no limit), which is how SQLite reports a full disk. */
void             tc_history_set_max_pages (TcHistory  *self,
                                           guint       max_pages);

G_END_DECLS

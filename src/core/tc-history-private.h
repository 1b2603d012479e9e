/* tc-history-private.h: what the parts of the history share, and what the tests reach
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The history is five files: the entry (tc-history-entry.c, a GObject around EntryData),
 * the store (tc-history-store.c: the list model in memory and the worker thread that
 * writes), its search (tc-history-index.c), the database (tc-history-db.c: SQLite, opening, the schema and its
 * migrations, damage, the rows) and the one-time import of the history.jsonl of earlier
 * builds (tc-history-import.c). EntryData is the plain record the worker reads and writes
 * and the model keeps; only the main thread touches the GObjects.
 */
#pragma once

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
  const char       *region;          /* interned (g_intern_string()): the regions are few */
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
  char             *search;          /* entry_data_get_search(); NULL until asked for */
} EntryData;

void             entry_check_free        (EntryCheck      *check);
EntryData       *entry_data_dup          (const EntryData *src);
void             entry_data_free         (EntryData       *data);
gboolean         entry_data_equal        (const EntryData *a,
                                          const EntryData *b);
/* The folded text a search looks in (made once, kept in @data). */
const char      *entry_data_get_search   (EntryData       *data);
char            *entry_data_search_text  (const EntryData *data);
gboolean         tc_history_region_name_matches (const char *region,
                                                 const char *folded);
char            *tc_history_normalize_text (const char    *text);
GStrv            tc_history_normalize_list (const char * const *items,
                                            guint          max_items);

/* A stored entry with a copy of @data. */
TcHistoryEntry  *tc_history_entry_new_stored (const EntryData *data);
const EntryData *tc_history_entry_get_data   (TcHistoryEntry  *self);
gboolean         tc_history_entry_is_sealed  (TcHistoryEntry  *self);
void             tc_history_entry_seal       (TcHistoryEntry  *self);
/* Takes the fields of @data, the store's record of it; "changed" when one differs. */
void             tc_history_entry_take_data  (TcHistoryEntry  *self,
                                              const EntryData *data);

/* The database (worker thread only). */
typedef struct _HistoryDb HistoryDb;

HistoryDb       *history_db_new          (const char  *path);
void             history_db_free         (HistoryDb   *db);
/* Opens (creating, migrating, importing history.jsonl, setting a damaged file aside) if
 * not open yet. */
gboolean         history_db_open         (HistoryDb   *db,
                                          GError     **error);
/* Checks the whole file; a damaged one is set aside and a fresh one started with the rows
 * that could still be read (*replaced). */
gboolean         history_db_verify       (HistoryDb   *db,
                                          gboolean    *replaced,
                                          GError     **error);
void             history_db_begin_read   (HistoryDb   *db);
void             history_db_end_read     (HistoryDb   *db);
/* Rows created at @cutoff or later, newest first (of the same time, the later added
 * first), from @offset on, at most @limit (-1: all), with their search text. */
GPtrArray       *history_db_read         (HistoryDb   *db,
                                          gint64       cutoff,
                                          int          offset,
                                          int          limit);
gboolean         history_db_put          (HistoryDb   *db,
                                          const EntryData *data,
                                          GError     **error);
/* The entry @id, or (@id NULL) every entry created before @before. */
gboolean         history_db_delete       (HistoryDb   *db,
                                          const char  *id,
                                          gint64       before,
                                          GError     **error);
/* What opening set aside: a sentence for the user (transfer full, NULL when nothing),
 * where it went, and how many records were lost. */
char            *history_db_steal_notice (HistoryDb   *db,
                                          char       **set_aside,
                                          guint       *n_unreadable);
/* SQLITE_FULL at @max_pages pages, as on a full disk (tests) */
void             history_db_set_max_pages (HistoryDb  *db,
                                           guint       max_pages);

/* The history.jsonl of earlier builds (tc-history-import.c): its live entries, oldest
 * first (EntryData); damaged records are counted. */
GPtrArray       *history_import_jsonl    (const char  *jsonl_path,
                                          guint       *n_unreadable,
                                          GError     **error);

/* Tests: the next writes fail with TC_HISTORY_ERROR_NO_SPACE once the database would
 * outgrow @max_pages pages (0: no limit), which is how SQLite reports a full disk. */
void             tc_history_set_max_pages (TcHistory  *self,
                                           guint       max_pages);

/* The search index (tc-history-index.c): every record's folded search text in one buffer,
 * in the records' order, and the region of each. */
typedef struct _HistoryIndex HistoryIndex;

void             history_index_free      (HistoryIndex *index);
/* Record @at changes: its text goes (@remove), @record's comes (if any). */
void             history_index_splice    (HistoryIndex *index,
                                          guint         at,
                                          gboolean      remove,
                                          EntryData    *record);
guint            history_index_get_n_records (HistoryIndex *index);
/* The index of @records (@index NULL), or @records added at the end of @index. */
HistoryIndex    *history_index_add       (HistoryIndex *index,
                                          GPtrArray    *records);
/* The records of @records (the index's) that @folded is found in, or whose region's name
 * it finds; all of them when @folded is NULL. (transfer container) */
GPtrArray       *history_index_find      (HistoryIndex *index,
                                          GPtrArray    *records,
                                          const char   *folded);

G_END_DECLS

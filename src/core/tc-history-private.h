/* tc-history-private.h: what the parts of the history share, and what the tests reach
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The history is four files: the entry (tc-history-entry.c: TcHistoryRecord, its fields
 * described once in history_fields[], and the GObject around it), the store
 * (tc-history-store.c: the list model in memory, its search, and the worker thread that
 * writes), the database (tc-history-db.c: SQLite, opening, the schema and its migrations,
 * damage, the rows) and the one-time import of the history.jsonl of earlier builds
 * (tc-history-import.c). The worker makes the entries it reads and writes copies of
 * records; once an entry is posted to the main thread, only that thread touches it.
 */
#pragma once

#include "tc-history.h"

G_BEGIN_DECLS

/* Longest text kept in one field: far beyond any name, id or server message. */
#define TC_HISTORY_MAX_FIELD_BYTES (16 * 1024)
#define TC_HISTORY_MAX_LIST_ITEMS  256

/* The fields of a record, in the database's column order: the copy, the comparison and
 * the cleaning of a record, the database's statements and rows and the import's members
 * all follow this one table. */
typedef enum {
  FIELD_TEXT,
  FIELD_REGION,   /* text, interned */
  FIELD_ENUM,     /* stored as its number; in history.jsonl by its name in names */
  FIELD_BOOL,
  FIELD_TIME,     /* gint64 µs */
  FIELD_WHEN,     /* the same, 0 for never: NULL in the database */
  FIELD_LIST,     /* GStrv of at most max items */
  FIELD_CHECKS,
} FieldType;

typedef struct {
  const char         *column;
  const char         *member;   /* in history.jsonl; NULL: not there */
  FieldType           type;
  gsize               offset;
  guint               max;      /* ENUM: the number of names; LIST: the most items */
  const char * const *names;
} HistoryField;

extern const HistoryField history_fields[];
extern const guint        history_n_fields;

#define FIELD_AT(record, field, type) (*(type *) ((char *) (record) + (field)->offset))

void             history_check_free      (TcHistoryCheck  *check);
TcHistoryRecord *history_record_dup      (const TcHistoryRecord *src);
void             history_record_free     (TcHistoryRecord *record);
gboolean         history_record_equal    (const TcHistoryRecord *a,
                                          const TcHistoryRecord *b);
/* Makes every field as it is kept: text valid and not too long, enums in range. */
void             history_record_normalize (TcHistoryRecord *record);
/* The folded text a search looks in (made once, kept in @record): each part on a line. */
const char      *history_record_get_search (TcHistoryRecord *record);
/* (transfer full): @text folded as the search text folds each of its parts */
char            *history_fold_part         (const char      *text);
gboolean         tc_history_region_name_matches (const char *region,
                                                 const char *folded);

struct _TcHistoryEntry
{
  GObject          parent_instance;
  TcHistoryRecord  record;
  gboolean         sealed;   /* in a store (or was): only the store changes it */
};

/* The store gives a stored entry the fields of @record (taken; the same id and time), and
 * it says "changed". */
void             tc_history_entry_replace (TcHistoryEntry  *self,
                                           TcHistoryRecord *record);

/* The database (worker thread only). */
typedef struct _HistoryDb HistoryDb;

HistoryDb       *history_db_new          (const char  *path);
void             history_db_free         (HistoryDb   *db);
/* Opens (creating, migrating, importing history.jsonl, setting a damaged file aside) if
 * not open yet. */
gboolean         history_db_open         (HistoryDb   *db,
                                          GError     **error);
/* Checks the whole file; a damaged one is set aside and a fresh one started with the
 * entries that could still be read (*@rescued, NULL when the file was sound). */
gboolean         history_db_verify       (HistoryDb   *db,
                                          GPtrArray  **rescued,
                                          GError     **error);
void             history_db_read_transaction (HistoryDb *db,
                                              gboolean   begin);
/* The stored entries created at @cutoff or later, newest first (of the same time, the
 * later added first), from @offset on, at most @limit (-1: all), with their search text. */
GPtrArray       *history_db_read         (HistoryDb   *db,
                                          gint64       cutoff,
                                          int          offset,
                                          int          limit);
gboolean         history_db_put          (HistoryDb   *db,
                                          TcHistoryRecord *record,
                                          GError     **error);
/* The entry @id, or (@id NULL) every entry created before @before. */
gboolean         history_db_delete       (HistoryDb   *db,
                                          const char  *id,
                                          gint64       before,
                                          GError     **error);
/* What opening set aside: a sentence for the user (transfer full), "" when nothing. */
char            *history_db_steal_notice (HistoryDb   *db);
/* SQLITE_FULL at @max_pages pages, as on a full disk (tests) */
void             history_db_set_max_pages (HistoryDb  *db,
                                           guint       max_pages);

/* The history.jsonl of earlier builds (tc-history-import.c): its live entries, oldest
 * first (TcHistoryRecord); damaged records are counted. */
GPtrArray       *history_import_jsonl    (const char  *jsonl_path,
                                          guint       *n_unreadable,
                                          GError     **error);

/* Tests: the next writes fail with TC_HISTORY_ERROR_NO_SPACE once the database would
 * outgrow @max_pages pages (0: no limit), which is how SQLite reports a full disk. */
void             tc_history_set_max_pages (TcHistory  *self,
                                           guint       max_pages);

G_END_DECLS

/* tc-history-db.c: the history's SQLite database
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Only the store's worker thread calls these, on its one connection.
 *
 * Durability. WAL journal with synchronous=FULL: every commit syncs the WAL before
 * sqlite3_step() returns, so a change the store reported durable survives a SIGKILL or a
 * power cut. (With synchronous=NORMAL a WAL commit is synced only at checkpoints: a power
 * cut could undo commits the user was told about.)
 *
 * Sharing. The stable and the development build may have the database open at once: WAL
 * lets one write while the other reads, and a writer waits up to BUSY_TIMEOUT_MS for the
 * other's transaction before the write fails with a message (TC_HISTORY_ERROR_BUSY).
 *
 * Damage. A file that is not a database, or fails PRAGMA quick_check, is renamed aside as
 * history.db.damaged-YYYYmmdd-HHMMSS (its -wal too), and a fresh database is started; the
 * store tells the user where the old one went. Nothing is deleted.
 *
 * Schema. PRAGMA user_version is the schema version; migrate() takes a database from any
 * earlier version to SCHEMA_VERSION in one transaction. A newer version (a newer build
 * sharing the file) is used as it is: migrations only ever add columns with defaults.
 * Lists are stored as text joined by U+001F, the checks of an entry as records joined by
 * U+001E of fields joined by U+001F: tc_history_normalize_text() keeps both out of every
 * field. "search" holds the folded text a search looks in, read with the rows so that the
 * load folds nothing. Version 2's indexes (the time with the search text, the images being
 * made) served the paged store of earlier builds; this one reads the table once and does
 * not use them, but keeps them: an earlier build sharing the file names them in its
 * queries (INDEXED BY).
 *
 * Files 0600 and the folder 0700, also when they existed before: SQLite gives its -wal
 * and -shm files the database file's mode.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "tc-history-private.h"

#define SCHEMA_VERSION   3
#define BUSY_TIMEOUT_MS  5000

struct _HistoryDb
{
  char     *path;
  sqlite3  *conn;
  char     *notice;        /* for the user: what opening set aside, and where */
};

static const char schema_v1[] =
  "CREATE TABLE IF NOT EXISTS entries ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  kind INTEGER NOT NULL,"
  "  created INTEGER NOT NULL,"
  "  account_id TEXT, account_name TEXT,"
  "  protocol INTEGER NOT NULL DEFAULT 0,"
  "  region TEXT, instance_id TEXT, instance_name TEXT,"
  "  image_name TEXT, image_description TEXT,"
  "  force_poweroff INTEGER NOT NULL DEFAULT 0, sysprep INTEGER NOT NULL DEFAULT 0,"
  "  data_disk_ids TEXT, tags TEXT,"
  "  outcome INTEGER NOT NULL,"
  "  error_code TEXT, error_message TEXT, image_id TEXT, request_id TEXT,"
  "  last_checked INTEGER, checks TEXT,"
  "  search TEXT NOT NULL DEFAULT '');"
  "CREATE INDEX IF NOT EXISTS entries_by_created ON entries (created);";

/* Version 2: the view pages and searches the database. Version 1's index on the time is
 * the model's order (its rowid breaks ties: the later addition first); this one carries
 * the search text too, so a search and its count read an index alone. The images still
 * being made have one of their own, for the tracker. */
static const char schema_v2[] =
  "CREATE INDEX IF NOT EXISTS entries_by_time ON entries (created, search);"
  "CREATE INDEX IF NOT EXISTS entries_creating ON entries (created) WHERE outcome = 3;";

/* Version 3: copies of an image in other regions name their source. */
static const char schema_v3[] =
  "ALTER TABLE entries ADD COLUMN source_region TEXT;"
  "ALTER TABLE entries ADD COLUMN source_image_id TEXT;";

static const char * const migrations[SCHEMA_VERSION] = { schema_v1, schema_v2, schema_v3 };

/* The columns of history_fields[], then the search text; or (@values) "?N" for each. */
static char *
columns (gboolean values)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i <= history_n_fields; i++) {
    const char *name = i < history_n_fields ? history_fields[i].column : "search";

    if (values)
      g_string_append_printf (out, "%s?%u", i ? ", " : "", i + 1);
    else
      g_string_append_printf (out, "%s%s", i ? ", " : "", name);
  }
  return g_string_free (out, FALSE);
}

/* INSERT @or … of every column; an update of all but the id and the time with @upsert. */
static char *
insert_sql (const char *or,
            gboolean    upsert)
{
  g_autofree char *names = columns (FALSE);
  g_autofree char *values = columns (TRUE);
  GString *sql = g_string_new (NULL);

  g_string_printf (sql, "INSERT%s INTO entries (%s) VALUES (%s)", or, names, values);
  if (upsert)
    g_string_append (sql, " ON CONFLICT (id) DO UPDATE SET search = excluded.search");
  for (guint i = 0; upsert && i < history_n_fields; i++) {
    const char *name = history_fields[i].column;

    if (!g_str_equal (name, "id") && !g_str_equal (name, "created"))
      g_string_append_printf (sql, ", %s = excluded.%s", name, name);
  }
  return g_string_free (sql, FALSE);
}

HistoryDb *
history_db_new (const char *path)
{
  HistoryDb *db = g_new0 (HistoryDb, 1);

  db->path = g_strdup (path);
  return db;
}

void
history_db_free (HistoryDb *db)
{
  g_clear_pointer (&db->conn, sqlite3_close_v2);
  g_free (db->path);
  g_free (db->notice);
  g_free (db);
}

/* Errors */

static GError *
error_new (HistoryDb  *db,
           int         code,
           const char *details)
{
  g_autofree char *display = g_filename_display_name (db->path);

  switch (code & 0xff) {
  case SQLITE_FULL:
    return g_error_new_literal (TC_HISTORY_ERROR, TC_HISTORY_ERROR_NO_SPACE,
                                _("History could not be saved: the disk is full. Imprint "
                                  "keeps working; free some space."));
  case SQLITE_CANTOPEN:
  case SQLITE_READONLY:
  case SQLITE_PERM:
  case SQLITE_AUTH:
    return g_error_new (TC_HISTORY_ERROR, TC_HISTORY_ERROR_NOT_WRITABLE,
                        _("History could not be saved: “%s” cannot be written to. Imprint "
                          "keeps working; check that the folder exists and that you may "
                          "write to it."), display);
  case SQLITE_BUSY:
  case SQLITE_LOCKED:
    return g_error_new_literal (TC_HISTORY_ERROR, TC_HISTORY_ERROR_BUSY,
                                _("History could not be saved: another program kept it "
                                  "locked. Imprint keeps working and will try again."));
  default:
    /* TRANSLATORS: %s is the system's description of the failure */
    return g_error_new (TC_HISTORY_ERROR, TC_HISTORY_ERROR_FAILED,
                        _("History could not be saved: %s. Imprint keeps working."),
                        details ? details : sqlite3_errstr (code));
  }
}

static gboolean
fail (HistoryDb  *db,
      int         code,
      GError    **error)
{
  g_propagate_error (error, error_new (db, code, db->conn ? sqlite3_errmsg (db->conn) : NULL));
  return FALSE;
}

static int
exec (HistoryDb  *db,
      const char *sql)
{
  return sqlite3_exec (db->conn, sql, NULL, NULL, NULL);
}

/* Files */

static void
tighten (const char *path,
         mode_t      mode)
{
  struct stat st;

  if (g_stat (path, &st) == 0 && (st.st_mode & 07777) != mode)
    g_chmod (path, mode);
}

/* The folder 0700, the database 0600 (created so before SQLite opens it). */
static gboolean
prepare_files (HistoryDb  *db,
               GError    **error)
{
  g_autofree char *dir = g_path_get_dirname (db->path);
  const char *suffixes[] = { "-wal", "-shm" };
  int fd;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    return fail (db, SQLITE_CANTOPEN, error);
  tighten (dir, 0700);

  fd = g_open (db->path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0)
    return fail (db, errno == ENOSPC ? SQLITE_FULL : SQLITE_CANTOPEN, error);
  fchmod (fd, 0600);
  close (fd);
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++) {
    g_autofree char *extra = g_strconcat (db->path, suffixes[i], NULL);

    tighten (extra, 0600);
  }
  return TRUE;
}

/* Renames a damaged database (and its WAL) aside; the shared-memory index is only a
 * cache of the WAL and is removed. (transfer full): where it went, for the user; NULL when
 * it could not be moved. */
static char *
set_aside (HistoryDb *db)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
  g_autofree char *aside = g_strdup_printf ("%s.damaged-%s", db->path, stamp);
  g_autofree char *wal = g_strconcat (db->path, "-wal", NULL);
  g_autofree char *wal_aside = NULL;
  g_autofree char *shm = g_strconcat (db->path, "-shm", NULL);

  g_clear_pointer (&db->conn, sqlite3_close_v2);
  for (guint n = 2; g_file_test (aside, G_FILE_TEST_EXISTS); n++) {
    g_free (aside);
    aside = g_strdup_printf ("%s.damaged-%s-%u", db->path, stamp, n);
  }
  if (g_rename (db->path, aside) != 0)
    return NULL;
  wal_aside = g_strconcat (aside, "-wal", NULL);
  g_rename (wal, wal_aside);
  g_unlink (shm);
  return g_filename_display_name (aside);
}

/* The damaged database went to @aside; a new one holds @n_rescued entries of it. */
static void
tell_damaged (HistoryDb  *db,
              const char *aside,
              guint       n_rescued)
{
  g_free (db->notice);
  if (n_rescued > 0)
    db->notice = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                               "The history was damaged. The %u entry that "
                                               "could still be read was kept in a new "
                                               "history; the damaged file was kept as “%s”.",
                                               "The history was damaged. The %u entries that "
                                               "could still be read were kept in a new "
                                               "history; the damaged file was kept as “%s”.",
                                               n_rescued),
                                  n_rescued, aside);
  else
    db->notice = g_strdup_printf (_("The history was damaged and could not be read. It was "
                                    "kept as “%s”, and a new history was started."), aside);
}

static gboolean write_rows (HistoryDb        *db,
                            TcHistoryRecord **rows,
                            guint             n_rows,
                            gboolean          upsert,
                            GError          **error);

/* Ends the transaction begun: committed when @rc is SQLITE_OK, else rolled back. */
static gboolean
end_transaction (HistoryDb  *db,
                 int         rc,
                 GError    **error)
{
  if (rc == SQLITE_OK)
    rc = exec (db, "COMMIT");
  if (rc == SQLITE_OK)
    return TRUE;
  fail (db, rc, error);
  exec (db, "ROLLBACK");
  return FALSE;
}

/* Schema */

static gboolean
migrate (HistoryDb  *db,
         GError    **error)
{
  sqlite3_stmt *stmt = NULL;
  int version = 0;
  int rc;

  rc = exec (db, "BEGIN IMMEDIATE");
  if (rc != SQLITE_OK)
    return fail (db, rc, error);

  rc = sqlite3_prepare_v2 (db->conn, "PRAGMA user_version", -1, &stmt, NULL);
  if (rc == SQLITE_OK && sqlite3_step (stmt) == SQLITE_ROW)
    version = sqlite3_column_int (stmt, 0);
  rc = sqlite3_finalize (stmt);

  /* Version 0 is a new database; migrations[v] takes version v to v + 1. */
  for (int v = MAX (version, 0); rc == SQLITE_OK && v < SCHEMA_VERSION; v++)
    rc = exec (db, migrations[v]);
  if (rc == SQLITE_OK && version < SCHEMA_VERSION)
    rc = exec (db, "PRAGMA user_version = " G_STRINGIFY (SCHEMA_VERSION));
  return end_transaction (db, rc, error);
}

/* The history.jsonl of an earlier build, in the same folder: imported once, in one
 * transaction (INSERT OR IGNORE, so a crash before the rename, or the other build doing
 * the same at once, only imports it again), then renamed so that it is never read
 * again. */
static gboolean
import_old_history (HistoryDb  *db,
                    GError    **error)
{
  g_autofree char *dir = g_path_get_dirname (db->path);
  g_autofree char *jsonl = g_build_filename (dir, "history.jsonl", NULL);
  g_autofree char *done = g_build_filename (dir, "history.jsonl.imported", NULL);
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) local_error = NULL;
  guint n_unreadable = 0;

  if (g_str_equal (jsonl, db->path) || !g_file_test (jsonl, G_FILE_TEST_IS_REGULAR))
    return TRUE;

  rows = history_import_jsonl (jsonl, &n_unreadable, &local_error);
  /* The other build imported it meanwhile. */
  if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
    return TRUE;
  if (rows == NULL) {
    g_propagate_error (error, g_steal_pointer (&local_error));
    return FALSE;
  }
  if (!write_rows (db, (TcHistoryRecord **) rows->pdata, rows->len, FALSE, error))
    return FALSE;
  g_rename (jsonl, done);
  tighten (done, 0600);
  if (n_unreadable > 0) {
    g_autofree char *display = g_filename_display_name (done);

    g_free (db->notice);
    db->notice = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                               "%u history entry could not be read and was "
                                               "left out. The damaged file was kept as “%s”.",
                                               "%u history entries could not be read and were "
                                               "left out. The damaged file was kept as “%s”.",
                                               n_unreadable),
                                  n_unreadable, display);
  }
  return TRUE;
}

/* Opens the connection. SQLITE_NOTADB or SQLITE_CORRUPT means: set it aside. The whole
 * file is checked later (history_db_verify()), while the first rows are on screen. */
static int
open_conn (HistoryDb *db)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  rc = sqlite3_open_v2 (db->path, &db->conn,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        NULL);
  if (rc != SQLITE_OK)
    return rc;
  sqlite3_busy_timeout (db->conn, BUSY_TIMEOUT_MS);
  sqlite3_extended_result_codes (db->conn, 0);

  rc = exec (db, "PRAGMA journal_mode = WAL");
  if (rc == SQLITE_OK)
    rc = exec (db, "PRAGMA synchronous = FULL");
  if (rc != SQLITE_OK)
    return rc;

  /* Garbage that passes for a header fails here. */
  rc = sqlite3_prepare_v2 (db->conn, "SELECT count(*) FROM sqlite_schema", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_step (stmt) == SQLITE_ROW ? SQLITE_OK : sqlite3_errcode (db->conn);
  sqlite3_finalize (stmt);
  return rc;
}

gboolean
history_db_open (HistoryDb  *db,
                 GError    **error)
{
  int rc;

  if (db->conn != NULL)
    return TRUE;

  if (!prepare_files (db, error))
    return FALSE;

  rc = open_conn (db);
  if (rc == SQLITE_NOTADB || rc == SQLITE_CORRUPT) {
    g_autofree char *aside = set_aside (db);

    if (aside == NULL)
      return fail (db, rc, error);
    tell_damaged (db, aside, 0);
    if (!prepare_files (db, error))
      return FALSE;
    rc = open_conn (db);
  }
  if (rc != SQLITE_OK) {
    fail (db, rc, error);
    g_clear_pointer (&db->conn, sqlite3_close_v2);
    return FALSE;
  }

  if (!migrate (db, error) || !import_old_history (db, error)) {
    g_clear_pointer (&db->conn, sqlite3_close_v2);
    return FALSE;
  }
  return TRUE;
}

/* Rows */

static char *
join_list (GStrv list)
{
  return list != NULL ? g_strjoinv ("\x1f", list) : NULL;
}

static char *
join_checks (GPtrArray *checks)
{
  GString *out;

  if (checks == NULL || checks->len == 0)
    return NULL;
  out = g_string_new (NULL);
  for (guint i = 0; i < checks->len; i++) {
    const TcHistoryCheck *c = g_ptr_array_index (checks, i);

    g_string_append_printf (out, "%s%" G_GINT64_FORMAT "\x1f%d\x1f%s\x1f%s\x1f%s",
                            i > 0 ? "\x1e" : "", c->time, c->passed ? 1 : 0,
                            c->error_code ? c->error_code : "",
                            c->error_message ? c->error_message : "",
                            c->request_id ? c->request_id : "");
  }
  return g_string_free (out, FALSE);
}

static char *
nonempty (const char *text)
{
  return text != NULL && *text != '\0' ? g_strdup (text) : NULL;
}

static GPtrArray *
split_checks (const char *text)
{
  g_auto(GStrv) records = NULL;
  GPtrArray *checks;

  if (text == NULL || *text == '\0')
    return NULL;
  records = g_strsplit (text, "\x1e", -1);
  checks = g_ptr_array_new_with_free_func ((GDestroyNotify) history_check_free);
  for (guint i = 0; records[i] != NULL; i++) {
    g_auto(GStrv) f = g_strsplit (records[i], "\x1f", 5);
    TcHistoryCheck *c;

    if (g_strv_length (f) != 5)
      continue;
    c = g_new0 (TcHistoryCheck, 1);
    c->time = g_ascii_strtoll (f[0], NULL, 10);
    c->passed = g_str_equal (f[1], "1");
    c->error_code = nonempty (f[2]);
    c->error_message = nonempty (f[3]);
    c->request_id = nonempty (f[4]);
    g_ptr_array_add (checks, c);
  }
  return checks;
}

/* Rows come from files another build or a damaged disk may have written: enums out of
 * range are clamped. The columns are columns(), in order. */
static TcHistoryEntry *
read_row (sqlite3_stmt *stmt)
{
  TcHistoryEntry *entry = g_object_new (TC_TYPE_HISTORY_ENTRY, NULL);
  TcHistoryRecord *r = &entry->record;

  for (guint i = 0; i < history_n_fields; i++) {
    const HistoryField *f = &history_fields[i];
    /* Numbers are read as numbers: read as text, SQLite makes a string of each, and the
     * holes they leave between the entries' own strings cost the process 60 MB at
     * 100,000 entries (bench-history). */
    const char *text = f->type == FIELD_TEXT || f->type == FIELD_REGION ||
                       f->type == FIELD_LIST || f->type == FIELD_CHECKS
                       ? (const char *) sqlite3_column_text (stmt, i) : NULL;

    if (f->type == FIELD_TEXT)
      FIELD_AT (r, f, char *) = g_strdup (text);
    else if (f->type == FIELD_REGION)
      r->region = g_intern_string (text);
    else if (f->type == FIELD_ENUM)
      FIELD_AT (r, f, int) = CLAMP (sqlite3_column_int (stmt, i), 0, (int) f->max - 1);
    else if (f->type == FIELD_BOOL)
      FIELD_AT (r, f, int) = sqlite3_column_int (stmt, i) != 0;
    else if (f->type == FIELD_TIME || f->type == FIELD_WHEN)
      FIELD_AT (r, f, gint64) = sqlite3_column_int64 (stmt, i);
    else if (f->type == FIELD_LIST)
      FIELD_AT (r, f, GStrv) = text && *text ? g_strsplit (text, "\x1f", -1) : NULL;
    else
      r->checks = split_checks (text);
  }
  if (r->tags != NULL && g_strv_length (r->tags) % 2 != 0)
    g_clear_pointer (&r->tags, g_strfreev);
  r->search = g_strdup ((const char *) sqlite3_column_text (stmt, history_n_fields));
  entry->sealed = TRUE;
  return entry;
}

static void
bind_text (sqlite3_stmt *stmt,
           int           i,
           char         *text)   /* taken */
{
  if (text == NULL)
    sqlite3_bind_null (stmt, i);
  else
    sqlite3_bind_text (stmt, i, text, -1, g_free);
}

static void
bind_row (sqlite3_stmt    *stmt,
          TcHistoryRecord *r)
{
  for (guint i = 0; i < history_n_fields; i++) {
    const HistoryField *f = &history_fields[i];

    if (f->type == FIELD_TEXT)
      bind_text (stmt, i + 1, g_strdup (FIELD_AT (r, f, char *)));
    else if (f->type == FIELD_REGION)
      bind_text (stmt, i + 1, g_strdup (r->region));
    else if (f->type == FIELD_ENUM || f->type == FIELD_BOOL)
      sqlite3_bind_int (stmt, i + 1, FIELD_AT (r, f, int));
    else if (f->type == FIELD_TIME || (f->type == FIELD_WHEN && FIELD_AT (r, f, gint64) != 0))
      sqlite3_bind_int64 (stmt, i + 1, FIELD_AT (r, f, gint64));
    else if (f->type == FIELD_LIST)
      bind_text (stmt, i + 1, join_list (FIELD_AT (r, f, GStrv)));
    else if (f->type == FIELD_CHECKS)
      bind_text (stmt, i + 1, join_checks (r->checks));
  }
  bind_text (stmt, history_n_fields + 1, g_strdup (history_record_get_search (r)));
}

/* The entry @id, or (@id NULL) every entry created before @before: committed (and
 * synced) when it returns TRUE. */
gboolean
history_db_delete (HistoryDb   *db,
                   const char  *id,
                   gint64       before,
                   GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (!history_db_open (db, error))
    return FALSE;
  rc = sqlite3_prepare_v2 (db->conn, id ? "DELETE FROM entries WHERE id = ?1"
                                        : "DELETE FROM entries WHERE created < ?1",
                           -1, &stmt, NULL);
  if (id != NULL)
    bind_text (stmt, 1, g_strdup (id));
  else
    sqlite3_bind_int64 (stmt, 1, before);
  rc = rc == SQLITE_OK ? sqlite3_step (stmt) : rc;
  sqlite3_finalize (stmt);
  return rc == SQLITE_DONE || fail (db, rc, error);
}

/* @rows in one transaction: new ones only, or (@upsert) updating those there are. An
 * update keeps the row (and its rowid, so its place among entries of the same time). One
 * row is a statement in its own transaction, as the other build's writes are: with an
 * explicit one around it the other process got far fewer turns (test-history's
 * concurrency test). */
static gboolean
write_rows (HistoryDb        *db,
            TcHistoryRecord **rows,
            guint             n_rows,
            gboolean          upsert,
            GError          **error)
{
  g_autofree char *sql = insert_sql (upsert ? "" : " OR IGNORE", upsert);
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (!history_db_open (db, error))
    return FALSE;
  rc = n_rows > 1 ? exec (db, "BEGIN IMMEDIATE") : SQLITE_OK;
  if (rc == SQLITE_OK)
    rc = sqlite3_prepare_v2 (db->conn, sql, -1, &stmt, NULL);
  for (guint i = 0; rc == SQLITE_OK && i < n_rows; i++) {
    bind_row (stmt, rows[i]);
    rc = sqlite3_step (stmt);
    rc = rc == SQLITE_DONE ? sqlite3_reset (stmt) : rc;
    sqlite3_clear_bindings (stmt);
  }
  sqlite3_finalize (stmt);
  return n_rows > 1 ? end_transaction (db, rc, error) : rc == SQLITE_OK || fail (db, rc, error);
}

gboolean
history_db_put (HistoryDb        *db,
                TcHistoryRecord  *record,
                GError          **error)
{
  return write_rows (db, &record, 1, TRUE, error);
}

/* The entries of a damaged file that can still be read, oldest first: a scan stops at
 * the first damaged page, so the newest rows are read from one end and the oldest from
 * the other (an id seen twice is kept once). */
static GPtrArray *
rescue_rows (HistoryDb *db)
{
  g_autofree char *names = columns (FALSE);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  GPtrArray *rows = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < 2; i++) {
    g_autofree char *scan = g_strdup_printf ("SELECT %s FROM entries ORDER BY rowid%s",
                                             names, i ? "" : " DESC");
    sqlite3_stmt *stmt = NULL;

    if (sqlite3_prepare_v2 (db->conn, scan, -1, &stmt, NULL) != SQLITE_OK)
      continue;
    while (sqlite3_step (stmt) == SQLITE_ROW) {
      TcHistoryEntry *entry;

      if (sqlite3_column_type (stmt, 0) != SQLITE_TEXT ||
          g_hash_table_contains (seen, sqlite3_column_text (stmt, 0)))
        continue;
      entry = read_row (stmt);
      g_hash_table_add (seen, entry->record.id);
      g_ptr_array_add (rows, entry);
    }
    sqlite3_finalize (stmt);
  }
  return rows;
}

/* PRAGMA quick_check over the whole file (about 5 ms per MB), while the first rows are on
 * screen. A damaged file is set aside and a fresh one started with what could still be
 * read of it. FALSE only when no fresh one can be made. */
gboolean
history_db_verify (HistoryDb   *db,
                   GPtrArray  **rescued,
                   GError     **error)
{
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GPtrArray) records = NULL;
  g_autofree char *aside = NULL;
  sqlite3_stmt *stmt = NULL;
  gboolean damaged;
  int rc;

  *rescued = NULL;
  if (db->conn == NULL)
    return TRUE;
  rc = sqlite3_prepare_v2 (db->conn, "PRAGMA quick_check", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_step (stmt);
  /* A busy or unreadable file says nothing about damage: only a failed check does. */
  damaged = rc == SQLITE_ROW
            ? g_strcmp0 ((const char *) sqlite3_column_text (stmt, 0), "ok") != 0
            : (rc & 0xff) == SQLITE_CORRUPT || (rc & 0xff) == SQLITE_NOTADB;
  sqlite3_finalize (stmt);
  if (!damaged)
    return TRUE;

  rows = rescue_rows (db);
  aside = set_aside (db);
  if (aside == NULL)
    return fail (db, SQLITE_CORRUPT, error);
  records = g_ptr_array_new ();
  for (guint i = 0; i < rows->len; i++)
    g_ptr_array_add (records, &((TcHistoryEntry *) rows->pdata[i])->record);
  if (!write_rows (db, (TcHistoryRecord **) records->pdata, records->len, FALSE, error))
    return FALSE;
  tell_damaged (db, aside, rows->len);
  *rescued = history_db_read (db, G_MININT64, 0, -1);
  return TRUE;
}

/* A read transaction begins or ends: the reads between see one state of the file. */
void
history_db_read_transaction (HistoryDb *db,
                             gboolean   begin)
{
  if (db->conn != NULL)
    exec (db, begin ? "BEGIN" : "COMMIT");
}

GPtrArray *
history_db_read (HistoryDb *db,
                 gint64     cutoff,
                 int        offset,
                 int        limit)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *names = columns (FALSE);
  g_autofree char *sql = g_strdup_printf ("SELECT %s FROM entries INDEXED BY entries_by_created "
                                          "WHERE created >= ?1 ORDER BY created DESC, "
                                          "rowid DESC LIMIT ?2 OFFSET ?3", names);
  sqlite3_stmt *stmt = NULL;

  if (db->conn == NULL || sqlite3_prepare_v2 (db->conn, sql, -1, &stmt, NULL) != SQLITE_OK)
    return rows;
  sqlite3_bind_int64 (stmt, 1, cutoff);
  sqlite3_bind_int (stmt, 2, limit);
  sqlite3_bind_int (stmt, 3, offset);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (rows, read_row (stmt));
  sqlite3_finalize (stmt);
  return rows;
}

/* What the last open set aside, for the user; "" when nothing was. */
char *
history_db_steal_notice (HistoryDb *db)
{
  return db->notice ? g_steal_pointer (&db->notice) : g_strdup ("");
}

void
history_db_set_max_pages (HistoryDb *db,
                          guint      max_pages)
{
  g_autofree char *sql = g_strdup_printf ("PRAGMA max_page_count = %u", max_pages);

  if (db->conn != NULL)
    exec (db, sql);
}

/* bench-history.c: opening, searching and adding to a large history
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * SPEC.md's targets, with 100,000 records: the first rows on screen within 50 ms of
 * opening the view; a search keystroke answered within a frame (16.7 ms); a durable add
 * in a few milliseconds; the UI thread never waits for the disk.
 *
 *   open    tc_history_load_async() until the first rows are in the model (the newest
 *           page, which the view shows at once), median of 5; the whole load is printed too
 *   search  each keystroke of a few searches ("w", "we", "web", …, "广", "广州"): fold the
 *           text and test every record, as the view's filter does; the worst keystroke
 *   add     tc_history_add_async() until durable (committed and synced), median of N_ADDS
 *
 * The history is made as a user upgrading would have it: a history.jsonl of the previous
 * build, imported by the first load (timed and printed too).
 *
 * Usage: bench-history [N_RECORDS [N_ADDS [DIR]]]. The files go to a temporary folder in
 * DIR (default: the current folder, the build tree, so syncs meet a real disk rather than
 * a tmpfs /tmp). Closing line:
 *   history: open X ms, search worst Y ms, add median Z ms (N records)
 */
#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#include "tc-history.h"

typedef struct {
  gboolean      done;
  GAsyncResult *result;
} Wait;

static void
wait_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Wait *wait = user_data;

  wait->result = g_object_ref (result);
  wait->done = TRUE;
}

static void
wait_for (Wait *wait)
{
  while (!wait->done)
    g_main_context_iteration (NULL, TRUE);
}

static void
append_record (GString *out,
               guint    n,
               gint64   created)
{
  g_string_append_printf (out,
                          "{\"v\":1,\"op\":\"put\",\"id\":\"%08x-%04x-4%03x-8000-%012x\","
                          "\"kind\":\"%s\",\"created\":%" G_GINT64_FORMAT ","
                          "\"account\":\"%s\",\"protocol\":\"api3\","
                          "\"region\":\"%s\",\"instance_id\":\"ins-%08x\","
                          "\"instance_name\":\"web-%u\",\"image_name\":\"nightly-%u\","
                          "\"image_description\":\"每日构建 %u\","
                          "\"force_poweroff\":%s,\"sysprep\":false,",
                          g_random_int (), n & 0xffff, n & 0xfff, n,
                          n % 5 == 0 ? "check" : "create", created,
                          n % 3 ? "default" : "生产账号",
                          n % 4 ? "ap-guangzhou" : "ap-shanghai", n % 10000, n % 300, n, n,
                          n % 2 ? "true" : "false");
  if (n % 4 == 0)
    g_string_append (out, "\"data_disk_ids\":[\"disk-0a1b2c3d\",\"disk-4e5f6a7b\"],");
  if (n % 5 == 0)
    g_string_append (out, "\"tags\":[\"team\",\"运维\",\"env\",\"prod\"],");
  if (n % 10 == 3)
    g_string_append (out,
                     "\"outcome\":\"failed\",\"error_code\":\"InvalidImageName.Duplicate\","
                     "\"error_message\":\"The image name is already used in this region. "
                     "\\\"nightly\\\" 镜像名称已存在。\",");
  else
    g_string_append_printf (out, "\"outcome\":\"ready\",\"image_id\":\"img-%08x\",", n);
  g_string_append_printf (out,
                          "\"request_id\":\"%08x-1111-2222-3333-%012x\","
                          "\"last_checked\":%" G_GINT64_FORMAT "}\n",
                          g_random_int (), n, created + 90 * G_USEC_PER_SEC);
}

static double
ms_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / 1000.0;
}

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double da = *(const double *) a, db = *(const double *) b;

  return da < db ? -1 : da > db;
}

static double
median (double *values,
        guint   n)
{
  qsort (values, n, sizeof *values, compare_double);
  return values[n / 2];
}

static void
remove_dir (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL) {
    g_autofree char *child = g_build_filename (path, name, NULL);

    g_unlink (child);
  }
  g_rmdir (path);
}

typedef struct {
  gint64 start;
  double first_rows;
} Open;

static void
first_rows_cb (GListModel *model,
               guint       position,
               guint       removed,
               guint       added,
               Open       *open)
{
  if (open->first_rows < 0 && added > 0)
    open->first_rows = ms_since (open->start);
}

/* Opens the history; returns the whole load's time, and the first rows' in *first. */
static TcHistory *
open_history (const char *path,
              guint       expected,
              double     *first,
              double     *whole)
{
  TcHistory *history = tc_history_new (path);
  g_autoptr(GError) error = NULL;
  Open open = { g_get_monotonic_time (), -1 };
  Wait wait = { 0 };

  g_signal_connect (history, "items-changed", G_CALLBACK (first_rows_cb), &open);
  tc_history_load_async (history, NULL, wait_cb, &wait);
  wait_for (&wait);
  if (!tc_history_load_finish (history, wait.result, &error))
    g_error ("load failed: %s", error->message);
  *whole = ms_since (open.start);
  *first = open.first_rows;
  g_object_unref (wait.result);
  g_signal_handlers_disconnect_by_func (history, first_rows_cb, &open);

  if (g_list_model_get_n_items (G_LIST_MODEL (history)) != expected)
    g_error ("loaded %u records, expected %u",
             g_list_model_get_n_items (G_LIST_MODEL (history)), expected);
  return history;
}

/* The floor, in the same run: SQLite alone opening the file and reading the newest
 * page. On a loaded machine this moves as much as the rest. */
static double
floor_open (const char *path)
{
  gint64 start = g_get_monotonic_time ();
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  double ms;

  sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL);
  sqlite3_exec (db, "PRAGMA journal_mode = WAL", NULL, NULL, NULL);
  sqlite3_prepare_v2 (db, "SELECT * FROM entries ORDER BY created DESC, rowid DESC LIMIT 200",
                      -1, &stmt, NULL);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    ;
  sqlite3_finalize (stmt);
  ms = ms_since (start);
  sqlite3_close (db);
  return ms;
}

/* One keystroke: what the view's filter does over every record. */
static double
keystroke (GPtrArray  *entries,
           const char *text,
           guint      *matches)
{
  gint64 start = g_get_monotonic_time ();
  g_autofree char *folded = tc_history_fold_search (text);

  *matches = 0;
  for (guint i = 0; i < entries->len; i++)
    *matches += tc_history_entry_matches (entries->pdata[i], folded);
  return ms_since (start);
}

int
main (int   argc,
      char *argv[])
{
  guint n = argc > 1 ? (guint) g_ascii_strtoull (argv[1], NULL, 10) : 100000;
  guint n_adds = argc > 2 ? (guint) g_ascii_strtoull (argv[2], NULL, 10) : 200;
  const char *parent = argc > 3 ? argv[3] : ".";
  g_autofree char *template = g_build_filename (parent, "bench-history-XXXXXX", NULL);
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *jsonl = NULL;
  g_autoptr(GString) text = g_string_sized_new ((gsize) n * 520);
  g_autoptr(GError) error = NULL;
  g_autoptr(TcHistory) history = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autofree double *adds = g_new0 (double, MAX (n_adds, 1));
  const char * const searches[] = { "nightly-4242", "web-12", "img-0001", "广州", "生产账号", "ap-shanghai" };
  double firsts[5], wholes[5], floors[5], first, whole, worst_key = 0, add_median = 0;
  gint64 start;

  dir = g_mkdtemp (g_steal_pointer (&template));
  if (dir == NULL)
    g_error ("cannot make a folder in %s", parent);
  path = g_build_filename (dir, "history.db", NULL);
  jsonl = g_build_filename (dir, "history.jsonl", NULL);

  for (guint i = 0; i < n; i++)
    append_record (text, i, 1600000000000000 + (gint64) i * 60 * G_USEC_PER_SEC);
  if (!g_file_set_contents (jsonl, text->str, (gssize) text->len, &error))
    g_error ("%s", error->message);

  /* The upgrade: the first load imports the old file. */
  start = g_get_monotonic_time ();
  g_object_unref (open_history (path, n, &first, &whole));
  g_print ("history: %u records imported from history.jsonl (%.1f MB) in %.0f ms\n",
           n, text->len / 1e6, ms_since (start));

  for (guint i = 0; i < 5; i++) {
    g_object_unref (open_history (path, n, &firsts[i], &wholes[i]));
    floors[i] = floor_open (path);
  }
  first = median (firsts, 5);
  whole = median (wholes, 5);
  g_print ("open: first %u rows in the model after %.1f ms (median of 5), all %u after "
           "%.0f ms; the UI thread only splices them in\n", MIN (n, 200), first, n, whole);
  g_print ("open: floor, SQLite alone opening the file and reading those rows: %.1f ms\n",
           median (floors, 5));

  history = open_history (path, n, &first, &whole);
  entries = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (entries, g_list_model_get_item (G_LIST_MODEL (history), i));

  for (guint s = 0; s < G_N_ELEMENTS (searches); s++) {
    const char *query = searches[s];
    double worst = 0;
    guint matches = 0;

    /* Each prefix, as typed, one character at a time. */
    for (const char *p = g_utf8_next_char (query); ; p = g_utf8_next_char (p)) {
      g_autofree char *typed = g_strndup (query, (gsize) (p - query));

      worst = MAX (worst, keystroke (entries, typed, &matches));
      if (*p == '\0')
        break;
    }
    g_print ("search: “%s”, %u matches, worst keystroke %.2f ms\n", query, matches, worst);
    worst_key = MAX (worst_key, worst);
  }

  /* Adding, one after the other, each waited for until durable. */
  for (guint i = 0; i < n_adds; i++) {
    g_autoptr(TcImageRequest) request = tc_image_request_new ("ins-0000abcd", "nightly",
                                                              "每日构建");
    g_autoptr(TcHistoryEntry) entry =
      tc_history_entry_new_for_request (TC_HISTORY_KIND_CREATE, "acct-1", "default",
                                        TC_PROTOCOL_API3, "ap-guangzhou", "web-1", request);
    Wait added = { 0 };

    tc_history_entry_set_image_id (entry, "img-0000abcd");
    start = g_get_monotonic_time ();
    tc_history_add_async (history, entry, NULL, wait_cb, &added);
    wait_for (&added);
    adds[i] = ms_since (start);
    if (!tc_history_add_finish (history, added.result, &error))
      g_error ("add failed: %s", error->message);
    g_object_unref (added.result);
  }
  if (n_adds > 0) {
    add_median = median (adds, n_adds);
    g_print ("add: %u adds until durable (WAL, synchronous=FULL): median %.2f ms, max %.2f ms\n",
             n_adds, add_median, adds[n_adds - 1]);
  }

  g_print ("history: open %.1f ms, search worst %.1f ms, add median %.2f ms (%u records)\n",
           first, worst_key, add_median, n);

  g_clear_pointer (&entries, g_ptr_array_unref);
  g_clear_object (&history);
  remove_dir (dir);
  return 0;
}

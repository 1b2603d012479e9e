/* test-history.c: the history store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Run with --history-writer PATH ROUND, this program is instead the child of the crash
 * and two-process tests: it adds, updates and removes entries as fast as it can and
 * reports each step on stdout ("put ID N" once durable; "upd? ID" / "del? ID" before
 * asking, "upd ID" / "del ID" once durable) until it is killed.
 */
#include "config.h"

#include <errno.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <sqlite3.h>
#include <string.h>
#include <unistd.h>

#include "tc-account-store.h"
#include "tc-history.h"
#include "tc-history-private.h"
#include "test-util.h"

static const char *test_program;

/* Waiting for async calls */

static gboolean
load_sync (TcHistory  *history,
           GError    **error)
{
  TestWait wait = { 0 };
  g_autoptr(GAsyncResult) result = NULL;

  tc_history_load_async (history, NULL, test_wait_cb, &wait);
  result = test_wait_result (&wait);
  return tc_history_load_finish (history, result, error);
}

static gboolean
add_sync (TcHistory       *history,
          TcHistoryEntry  *entry,
          GError         **error)
{
  TestWait wait = { 0 };
  g_autoptr(GAsyncResult) result = NULL;

  tc_history_add_async (history, entry, NULL, test_wait_cb, &wait);
  result = test_wait_result (&wait);
  return tc_history_write_finish (history, result, error);
}

static gboolean
update_sync (TcHistory       *history,
             TcHistoryEntry  *changes,
             GError         **error)
{
  TestWait wait = { 0 };
  g_autoptr(GAsyncResult) result = NULL;

  tc_history_update_async (history, changes, NULL, test_wait_cb, &wait);
  result = test_wait_result (&wait);
  return tc_history_write_finish (history, result, error);
}

static gboolean
remove_sync (TcHistory       *history,
             TcHistoryEntry  *entry,
             GError         **error)
{
  TestWait wait = { 0 };
  g_autoptr(GAsyncResult) result = NULL;

  tc_history_remove_async (history, entry, NULL, test_wait_cb, &wait);
  result = test_wait_result (&wait);
  return tc_history_write_finish (history, result, error);
}

static gboolean
clear_sync (TcHistory  *history,
            GError    **error)
{
  TestWait wait = { 0 };
  g_autoptr(GAsyncResult) result = NULL;

  tc_history_clear_async (history, NULL, test_wait_cb, &wait);
  result = test_wait_result (&wait);
  return tc_history_write_finish (history, result, error);
}

static void
flush_sync (TcHistory *history)
{
  TestWait wait = { 0 };
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  tc_history_flush_async (history, NULL, test_wait_cb, &wait);
  result = test_wait_result (&wait);
  g_assert_true (tc_history_write_finish (history, result, &error));
  g_assert_no_error (error);
}

/* Entries and files */

/* An entry whose every field follows from @n, so any entry read back can be checked. */
static TcHistoryEntry *
make_entry (guint64 n)
{
  g_autoptr(TcImageRequest) request = NULL;
  g_autofree char *instance_id = g_strdup_printf ("ins-%08" G_GINT64_MODIFIER "x", n % 97);
  g_autofree char *image_name = g_strdup_printf ("image-%" G_GUINT64_FORMAT, n);
  g_autofree char *description = g_strdup_printf ("build %" G_GUINT64_FORMAT " 夜间 \"q\" \\",
                                                  n);
  g_autofree char *instance_name = g_strdup_printf ("web-%u", (guint) (n % 13));
  TcHistoryEntry *entry;

  request = tc_image_request_new (instance_id, image_name, description);
  request->force_poweroff = n % 2 == 0;
  request->sysprep = n % 3 == 0;
  if (n % 4 == 0) {
    const char *disks[] = { "disk-aaaa", "disk-bbbb", NULL };

    request->data_disk_ids = g_strdupv ((GStrv) disks);
  }
  if (n % 5 == 0)
    tc_image_request_add_tag (request, "team", "运维");

  entry = tc_history_entry_new_for_request (n % 7 == 0 ? TC_HISTORY_KIND_CHECK
                                                       : TC_HISTORY_KIND_CREATE,
                                            "6f1c0a52-0000-4000-8000-00000000000a", "default",
                                            n % 11 == 0 ? TC_PROTOCOL_LEGACY
                                                        : TC_PROTOCOL_API3,
                                            "ap-guangzhou", instance_name, request);
  tc_history_entry_edit (entry)->created = 1700000000000000 + (gint64) n * 1000;
  tc_history_set_str (&tc_history_entry_edit (entry)->request_id, "6c1b2f0e-0000-4000-8000-000000000000");
  return entry;
}

/* Checks that @entry is one make_entry() made (ignoring what updates change). */
static void
assert_well_formed (TcHistoryEntry *entry,
                    guint64        *n_out)
{
  g_autoptr(TcHistoryEntry) expected = NULL;
  const TcHistoryRecord *a = tc_history_entry_get_record (entry), *b;
  guint64 n;

  g_assert_nonnull (a->image_name);
  g_assert_true (g_str_has_prefix (a->image_name, "image-"));
  g_assert_true (g_ascii_string_to_unsigned (a->image_name + 6, 10, 0, G_MAXUINT64, &n, NULL));
  expected = make_entry (n);
  b = tc_history_entry_get_record (expected);

  g_assert_cmpint (a->kind, ==, b->kind);
  g_assert_cmpint (a->created, ==, b->created);
  g_assert_cmpstr (a->instance_id, ==, b->instance_id);
  g_assert_cmpstr (a->instance_name, ==, b->instance_name);
  g_assert_cmpstr (a->image_description, ==, b->image_description);
  g_assert_cmpint (a->protocol, ==, b->protocol);
  g_assert_cmpint (a->force_poweroff, ==, b->force_poweroff);
  g_assert_cmpint (a->sysprep, ==, b->sysprep);
  g_assert_cmpuint (a->tags ? g_strv_length (a->tags) : 0, ==,
                    b->tags ? g_strv_length (b->tags) : 0);
  if (n_out != NULL)
    *n_out = n;
}

static void
assert_strv_equal (GStrv a,
                   GStrv b)
{
  if (a == NULL)
    g_assert_null (b);
  else
    g_assert_true (b != NULL && g_strv_equal ((const char * const *) a, (const char * const *) b));
}

static void
assert_entries_equal (TcHistoryEntry *entry_a,
                      TcHistoryEntry *entry_b)
{
  const TcHistoryRecord *a = tc_history_entry_get_record (entry_a);
  const TcHistoryRecord *b = tc_history_entry_get_record (entry_b);

  g_assert_cmpstr (a->id, ==, b->id);
  g_assert_cmpint (a->kind, ==, b->kind);
  g_assert_cmpint (a->created, ==, b->created);
  g_assert_cmpstr (a->account_id, ==, b->account_id);
  g_assert_cmpstr (a->account_name, ==, b->account_name);
  g_assert_cmpuint (a->checks ? a->checks->len : 0, ==, b->checks ? b->checks->len : 0);
  for (guint i = 0; a->checks != NULL && i < a->checks->len; i++) {
    const TcHistoryCheck *ca = a->checks->pdata[i], *cb = b->checks->pdata[i];

    g_assert_cmpint (ca->time, ==, cb->time);
    g_assert_cmpint (ca->passed, ==, cb->passed);
    g_assert_cmpstr (ca->error_code, ==, cb->error_code);
    g_assert_cmpstr (ca->error_message, ==, cb->error_message);
    g_assert_cmpstr (ca->request_id, ==, cb->request_id);
  }
  g_assert_cmpint (a->protocol, ==, b->protocol);
  g_assert_cmpstr (a->region, ==, b->region);
  g_assert_cmpstr (a->instance_id, ==, b->instance_id);
  g_assert_cmpstr (a->instance_name, ==, b->instance_name);
  g_assert_cmpstr (a->source_region, ==, b->source_region);
  g_assert_cmpstr (a->source_image_id, ==, b->source_image_id);
  g_assert_cmpstr (a->image_name, ==, b->image_name);
  g_assert_cmpstr (a->image_description, ==, b->image_description);
  g_assert_cmpint (a->force_poweroff, ==, b->force_poweroff);
  g_assert_cmpint (a->sysprep, ==, b->sysprep);
  assert_strv_equal (a->data_disk_ids, b->data_disk_ids);
  assert_strv_equal (a->tags, b->tags);
  g_assert_cmpint (a->outcome, ==, b->outcome);
  g_assert_cmpstr (a->error_code, ==, b->error_code);
  g_assert_cmpstr (a->error_message, ==, b->error_message);
  g_assert_cmpstr (a->image_id, ==, b->image_id);
  g_assert_cmpstr (a->request_id, ==, b->request_id);
  g_assert_cmpint (a->last_checked, ==, b->last_checked);
}

static TcHistoryEntry *
item_at (TcHistory *history,
         guint      position)
{
  TcHistoryEntry *entry = g_list_model_get_item (G_LIST_MODEL (history), position);
  GPtrArray *held = g_object_get_data (G_OBJECT (history), "test-held");

  g_assert_nonnull (entry);
  /* The model makes an entry when it is asked for one and keeps no reference: the test
   * holds it for as long as the history lives, as a view holds the rows it shows. */
  if (held == NULL) {
    held = g_ptr_array_new_with_free_func (g_object_unref);
    g_object_set_data_full (G_OBJECT (history), "test-held", held,
                            (GDestroyNotify) g_ptr_array_unref);
  }
  g_ptr_array_add (held, entry);
  return entry;
}

static guint
n_items (TcHistory *history)
{
  return g_list_model_get_n_items (G_LIST_MODEL (history));
}

static char *
read_text (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *text = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, &error));
  g_assert_no_error (error);
  return text;
}

static void
write_text (const char *path,
            const char *text,
            gssize      len)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (path, text, len, &error));
  g_assert_no_error (error);
}

/* The entries in the database, read with SQLite itself rather than through the store. */
static int
count_rows (const char *path)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  int n = -1;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT COUNT(*) FROM entries", -1, &stmt, NULL), ==,
                   SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return n;
}

/* A record in the history.jsonl format of earlier builds. */
static void
append_record (GString *out,
               guint    n,
               gint64   created)
{
  g_string_append_printf (out,
                          "{\"v\":1,\"op\":\"put\",\"id\":\"%08x-0000-4000-8000-%012x\","
                          "\"kind\":\"create\",\"created\":%" G_GINT64_FORMAT ","
                          "\"account\":\"default\",\"protocol\":\"api3\","
                          "\"region\":\"ap-guangzhou\",\"instance_id\":\"ins-%08x\","
                          "\"instance_name\":\"web-%u\",\"image_name\":\"image-%u\","
                          "\"image_description\":\"nightly build %u\","
                          "\"force_poweroff\":%s,\"sysprep\":false,",
                          n, n, created, n % 5000, n % 13, n, n,
                          n % 2 ? "true" : "false");
  if (n % 4 == 0)
    g_string_append (out, "\"data_disk_ids\":[\"disk-aaaa\",\"disk-bbbb\"],");
  if (n % 5 == 0)
    g_string_append (out, "\"tags\":[\"team\",\"运维\",\"env\",\"prod\"],");
  if (n % 10 == 3)
    g_string_append (out,
                     "\"outcome\":\"failed\",\"error_code\":\"InvalidImageName.Duplicate\","
                     "\"error_message\":\"镜像名称已存在 (image name already used).\",");
  else
    g_string_append_printf (out, "\"outcome\":\"ready\",\"image_id\":\"img-%08x\",", n);
  g_string_append_printf (out,
                          "\"request_id\":\"%08x-1111-2222-3333-%012x\","
                          "\"last_checked\":%" G_GINT64_FORMAT "}\n",
                          n, n, created + 60 * G_USEC_PER_SEC);
}

static char *
record_id (guint n)
{
  return g_strdup_printf ("%08x-0000-4000-8000-%012x", n, n);
}

typedef struct {
  char *dir;
  char *path;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("imprint-history-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "imprint", "history.db", NULL);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL) {
    while ((name = g_dir_read_name (dir)) != NULL) {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) &&
          !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  }
  g_rmdir (path);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  remove_tree (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->dir);
}

static char *
history_dir (Fixture *fixture)
{
  return g_path_get_dirname (fixture->path);
}

static void
make_history_dir (Fixture *fixture)
{
  g_autofree char *dir = history_dir (fixture);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
}

/* A history.jsonl of an earlier build, next to the database: imported at the next load. */
static char *
write_old_history (Fixture    *fixture,
                   const char *text,
                   gssize      len)
{
  g_autofree char *dir = history_dir (fixture);
  char *path = g_build_filename (dir, "history.jsonl", NULL);

  make_history_dir (fixture);
  write_text (path, text, len);
  return path;
}

/* Files in the history folder whose name starts with @prefix. */
static guint
count_files (Fixture    *fixture,
             const char *prefix)
{
  g_autofree char *dir_path = history_dir (fixture);
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  const char *name;
  guint n = 0;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    n += g_str_has_prefix (name, prefix);
  return n;
}

/* Tests */

static void
test_entry_new_destroy (void)
{
  g_autoptr(TcImageRequest) request = tc_image_request_new ("ins-1", "name", NULL);
  TcHistoryEntry *entry;
  TcHistoryEntry *copy;
  g_autoptr(TcImageRequest) back = NULL;

  tc_image_request_add_tag (request, "k", "v");
  entry = tc_history_entry_new_for_request (TC_HISTORY_KIND_CHECK, "acct-1", "default",
                                            TC_PROTOCOL_API3, "ap-guangzhou", "web",
                                            request);
  g_assert_true (g_uuid_string_is_valid (tc_history_entry_get_record (entry)->id));
  g_assert_cmpint (tc_history_entry_get_record (entry)->outcome, ==, TC_HISTORY_OUTCOME_DRY_RUN_PASSED);
  g_assert_cmpint (tc_history_entry_get_record (entry)->last_checked, ==, 0);
  g_assert_cmpint (tc_history_entry_get_record (entry)->created, >, 0);

  copy = tc_history_entry_copy (entry);
  assert_entries_equal (entry, copy);

  back = tc_history_entry_to_request (copy);
  g_assert_cmpstr (back->instance_id, ==, "ins-1");
  g_assert_cmpstr (back->name, ==, "name");
  g_assert_null (back->description);
  g_assert_cmpuint (back->tags->len, ==, 1);

  g_assert_finalize_object (copy);
  g_assert_finalize_object (entry);
}

/* The search: names, IDs, instances, regions and accounts; case and width folded;
 * Chinese by any part, two characters included. */
static void
test_search (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(TcHistory) history = tc_history_new (fixture->path);
  g_autoptr(TcImageRequest) request = tc_image_request_new ("ins-7f3k2m9a", "广州-夜间构建", NULL);
  g_autoptr(TcHistoryEntry) entry = NULL;
  g_autoptr(TcHistoryEntry) other = make_entry (1);
  const struct {
    const char *query;
    gboolean    found;
  } cases[] = {
    { "广州", TRUE }, { "夜间", TRUE }, { "州", TRUE }, { "广州-夜间构建", TRUE },
    { "ＷＥＢ", TRUE }, { "web-01", TRUE }, { "INS-7F3K", TRUE }, { "ap-guangzhou", TRUE },
    { "  GUANGZHOU ", TRUE }, { "img-abc", TRUE }, { "生产", TRUE }, { "req-9", TRUE },
    { "上海", FALSE }, { "ap-shanghai", FALSE }, { "nightly", FALSE },
    /* The region by the name people read (the code is what is kept). */
    { "south china (GUANGZHOU)", TRUE }, { "East China", FALSE },
  };

  entry = tc_history_entry_new_for_request (TC_HISTORY_KIND_CREATE, "acct-1", "生产账号",
                                            TC_PROTOCOL_API3, "ap-guangzhou", "Web-01", request);
  tc_history_set_str (&tc_history_entry_edit (entry)->image_id, "img-abcdefgh");
  tc_history_set_str (&tc_history_entry_edit (entry)->request_id, "req-9999");
  /* Another entry, found by none of them. */
  tc_history_entry_edit (other)->region = g_intern_static_string ("na-ashburn");
  tc_history_set_str (&tc_history_entry_edit (other)->instance_name, "db-1");
  tc_history_add_async (history, entry, NULL, NULL, NULL);
  tc_history_add_async (history, other, NULL, NULL, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_test_message ("%s", cases[i].query);
    tc_history_set_search (history, cases[i].query);
    g_assert_cmpuint (n_items (history), ==, cases[i].found ? 1 : 0);
    if (cases[i].found)
      g_assert_true (item_at (history, 0) == entry);
  }
  g_assert_null (tc_history_fold_search ("   "));
  tc_history_set_search (history, "   ");
  g_assert_cmpuint (n_items (history), ==, 2);
  flush_sync (history);
}

/* Writes accounts.json with one account, @id named @name, and (re)loads @store from it. */
static void
load_accounts (TcAccountStore *store,
               const char     *id,
               const char     *name)
{
  g_autofree char *text = g_strdup_printf (
    "{\"version\":1,\"accounts\":[{\"id\":\"%s\",\"name\":\"%s\",\"secret_id\":\"AKIDtest\","
    "\"region\":\"ap-guangzhou\",\"protocol\":\"api3\"}]}", id, name);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  TestWait wait = { 0 };

  g_assert_true (g_file_set_contents (tc_account_store_get_path (store), text, -1, &error));
  tc_account_store_load_async (store, NULL, test_wait_cb, &wait);
  result = test_wait_result (&wait);
  g_assert_true (tc_account_store_load_finish (store, result, &error));
  g_assert_no_error (error);
}

/* An entry is keyed by its account's id and the row shows the account's name now: after a
 * rename the search finds it by the new name, not the old one, also while the search is
 * on. An account that is gone is found by the name recorded, which is what the row shows. */
static void
test_search_account_renamed (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autofree char *accounts = g_build_filename (fixture->dir, "accounts.json", NULL);
  g_autoptr(TcAccountStore) store = tc_account_store_new (accounts);
  g_autoptr(TcHistory) history = tc_history_new (fixture->path);
  g_autoptr(TcImageRequest) request = tc_image_request_new ("ins-1", "nightly", NULL);
  g_autoptr(TcHistoryEntry) kept = NULL;
  g_autoptr(TcHistoryEntry) gone = NULL;

  load_accounts (store, "acct-1", "Staging");
  kept = tc_history_entry_new_for_request (TC_HISTORY_KIND_CREATE, "acct-1", "Staging",
                                           TC_PROTOCOL_API3, "ap-guangzhou", "web", request);
  gone = tc_history_entry_new_for_request (TC_HISTORY_KIND_CREATE, "acct-2", "Retired 账号",
                                           TC_PROTOCOL_API3, "ap-guangzhou", "web", request);
  tc_history_add_async (history, kept, NULL, NULL, NULL);
  tc_history_add_async (history, gone, NULL, NULL, NULL);
  tc_history_set_account_store (history, store);

  tc_history_set_search (history, "staging");
  g_assert_cmpuint (n_items (history), ==, 1);
  g_assert_true (item_at (history, 0) == kept);

  /* Renamed while the search is on: the list follows at once. */
  load_accounts (store, "acct-1", "Production");
  g_assert_cmpuint (n_items (history), ==, 0);
  tc_history_set_search (history, "PRODUCTION");
  g_assert_cmpuint (n_items (history), ==, 1);
  g_assert_true (item_at (history, 0) == kept);
  tc_history_set_search (history, "duct");
  g_assert_cmpuint (n_items (history), ==, 1);
  tc_history_set_search (history, "Staging");
  g_assert_cmpuint (n_items (history), ==, 0);

  /* The rest of the entry is still found. */
  tc_history_set_search (history, "nightly");
  g_assert_cmpuint (n_items (history), ==, 2);

  /* A change to the entry while searching keeps to the name of now. */
  {
    g_autoptr(TcHistoryEntry) copy = tc_history_entry_copy (kept);

    tc_history_set_search (history, "staging");
    tc_history_set_str (&tc_history_entry_edit (copy)->image_id, "img-renamed");
    tc_history_update_async (history, copy, NULL, NULL, NULL);
    g_assert_cmpuint (n_items (history), ==, 0);
    tc_history_set_search (history, "production");
    g_assert_cmpuint (n_items (history), ==, 1);
  }

  /* The account that is gone: by the name recorded. */
  tc_history_set_search (history, "retired 账号");
  g_assert_cmpuint (n_items (history), ==, 1);
  g_assert_true (item_at (history, 0) == gone);

  /* Without the store, the names recorded are all there is. */
  tc_history_set_account_store (history, NULL);
  tc_history_set_search (history, "staging");
  g_assert_cmpuint (n_items (history), ==, 1);
  g_assert_true (item_at (history, 0) == kept);

  flush_sync (history);
  g_assert_finalize_object (g_steal_pointer (&history));
  g_assert_finalize_object (g_steal_pointer (&store));
  g_unlink (accounts);
}

static void
test_store_new_destroy (Fixture       *fixture,
                        gconstpointer  data)
{
  TcHistory *history = tc_history_new (fixture->path);
  g_autoptr(GError) error = NULL;
  g_autoptr(TcHistoryEntry) entry = make_entry (1);

  g_assert_cmpstr (tc_history_get_path (history), ==, fixture->path);
  g_assert_false (tc_history_is_loaded (history));
  g_assert_true (load_sync (history, &error));
  g_assert_no_error (error);
  g_assert_true (tc_history_is_loaded (history));
  g_assert_cmpuint (n_items (history), ==, 0);

  g_assert_true (add_sync (history, entry, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_test (fixture->path, G_FILE_TEST_IS_REGULAR));

  g_assert_finalize_object (history);
}

static void
test_default_path (void)
{
  TcHistory *history = tc_history_new (NULL);
  g_autofree char *expected = g_build_filename (g_get_user_data_dir (), "imprint",
                                                "history.db", NULL);

  g_assert_cmpstr (tc_history_get_path (history), ==, expected);
  g_assert_finalize_object (history);
}

static void
assert_mode (const char *path,
             guint       mode)
{
  GStatBuf st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, mode);
}

/* The folder 0700 and every file 0600: made so, and tightened when they were looser. */
static void
test_permissions (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *dir = history_dir (fixture);
  g_autofree char *wal = g_strconcat (fixture->path, "-wal", NULL);
  g_autoptr(GError) error = NULL;

  for (guint round = 0; round < 2; round++) {
    g_autoptr(TcHistory) history = tc_history_new (fixture->path);
    g_autoptr(TcHistoryEntry) entry = make_entry (round);

    g_assert_true (add_sync (history, entry, &error));
    g_assert_no_error (error);
    assert_mode (dir, 0700);
    assert_mode (fixture->path, 0600);
    assert_mode (wal, 0600);

    /* Loosened (an older build, a backup tool): the next start tightens them again. */
    g_assert_cmpint (g_chmod (dir, 0755), ==, 0);
    g_assert_cmpint (g_chmod (fixture->path, 0644), ==, 0);
  }
}

static void
test_roundtrip (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(TcHistory) history = tc_history_new (fixture->path);
  g_autoptr(TcHistory) reloaded = NULL;
  g_autoptr(TcHistoryEntry) entry = tc_history_entry_new (TC_HISTORY_KIND_CREATE);
  g_autoptr(TcHistoryEntry) check = tc_history_entry_new (TC_HISTORY_KIND_CHECK);
  g_autoptr(GError) error = NULL;
  const char *tags[] = { "a=b", "c=d", "标签", "", "quote\"", "back\\slash", NULL };
  TcHistoryRecord *r = tc_history_entry_edit (entry);
  const char *disks[] = { "disk-1", "disk-\"2\"", NULL };
  const char *messages[] = {
    "镜像名称已存在。请换一个名称。",
    "quotes \" and \\ backslashes \\\" and /slashes/",
    "line one\nline two\r\nwith\ttab",
    "control \x01\x02\x1b[31m\x1f\x7f chars",
    "emoji 😀 and U+2028 \u2028 and U+FEFF \ufeff",
    "",
  };

  r->created = 1712345678123456;
  tc_history_set_str (&r->account_id, "acct-\"1\"");
  tc_history_set_str (&r->account_name, "工作 \"work\"");
  r->protocol = TC_PROTOCOL_LEGACY;
  r->region = g_intern_string ("ap-shanghai");
  tc_history_set_str (&r->instance_id, "ins-12345678");
  tc_history_set_str (&r->instance_name, "数据库 \\ db\n");
  tc_history_set_str (&r->image_name, "nightly-镜像");
  tc_history_set_str (&r->image_description, messages[2]);
  r->force_poweroff = TRUE;
  r->sysprep = TRUE;
  r->data_disk_ids = g_strdupv ((GStrv) disks);
  r->tags = g_strdupv ((GStrv) tags);
  r->outcome = TC_HISTORY_OUTCOME_FAILED;
  tc_history_set_str (&r->error_code, "InvalidImageName.Duplicate");
  tc_history_set_str (&r->error_message, messages[0]);
  tc_history_set_str (&r->image_id, "img-abcdefgh");
  tc_history_set_str (&r->request_id, "req-\x01");
  r->last_checked = 1712345999000001;
  {
    g_autoptr(GError) refused = g_error_new_literal (TC_HISTORY_ERROR, TC_HISTORY_ERROR_FAILED,
                                                     "Refused: 镜像名称已存在");

    tc_history_entry_add_check (entry, FALSE, refused, NULL);
    tc_history_entry_add_check (entry, TRUE, NULL, "req-check-2");
    g_assert_nonnull (tc_history_entry_get_record (entry)->checks);
    g_assert_cmpuint (tc_history_entry_get_record (entry)->checks->len, ==, 2);
  }

  g_assert_true (add_sync (history, entry, &error));
  g_assert_no_error (error);
  /* Keys and values as they were, "=" and empty ones too. */
  g_assert_cmpstrv (tc_history_entry_get_record (entry)->tags, tags);

  /* Every tricky message, each as its own entry. */
  for (guint i = 0; i < G_N_ELEMENTS (messages); i++) {
    g_autoptr(TcHistoryEntry) other = make_entry (i);

    tc_history_entry_edit (other)->outcome = TC_HISTORY_OUTCOME_REQUEST_FAILED;
    tc_history_set_str (&tc_history_entry_edit (other)->error_message, messages[i]);
    tc_history_set_str (&tc_history_entry_edit (other)->image_description, messages[(i + 1) % G_N_ELEMENTS (messages)]);
    g_assert_true (add_sync (history, other, &error));
    g_assert_no_error (error);
  }

  /* The fewest fields an entry has. */
  g_assert_true (add_sync (history, check, &error));
  g_assert_no_error (error);

  reloaded = tc_history_new (fixture->path);
  g_assert_true (load_sync (reloaded, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_items (reloaded), ==, n_items (history));
  g_assert_null (tc_history_dup_unreadable_message (reloaded));

  for (guint i = 0; i < n_items (history); i++) {
    TcHistoryEntry *a = item_at (history, i);
    TcHistoryEntry *b = tc_history_find_by_id (reloaded, tc_history_entry_get_record (a)->id);

    g_assert_nonnull (b);
    g_assert_true (item_at (reloaded, i) == b);
    assert_entries_equal (a, b);
  }
}

static void
test_invalid_utf8 (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(TcHistory) history = tc_history_new (fixture->path);
  g_autoptr(TcHistory) reloaded = tc_history_new (fixture->path);
  g_autoptr(TcHistoryEntry) entry = make_entry (1);
  g_autoptr(GError) error = NULL;
  g_autofree char *longer = g_strnfill (40000, 'x');
  const char *message;

  tc_history_set_str (&tc_history_entry_edit (entry)->error_message, "bad \xff\xfe bytes");
  tc_history_set_str (&tc_history_entry_edit (entry)->image_description, longer);

  /* The store keeps text valid and of a bounded length from the add on. */
  g_assert_true (add_sync (history, entry, &error));
  g_assert_no_error (error);
  g_assert_true (g_utf8_validate (tc_history_entry_get_record (entry)->error_message, -1, NULL));
  g_assert_cmpuint (strlen (tc_history_entry_get_record (entry)->image_description), ==, 16 * 1024);
  g_assert_true (load_sync (reloaded, &error));
  g_assert_no_error (error);
  message = tc_history_entry_get_record (item_at (reloaded, 0))->error_message;
  g_assert_true (g_str_has_prefix (message, "bad "));
  g_assert_true (g_str_has_suffix (message, " bytes"));
  assert_entries_equal (entry, item_at (reloaded, 0));
}

typedef struct {
  guint position;
  guint removed;
  guint added;
} Change;

static void
items_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  GArray     *changes)
{
  Change change = { position, removed, added };

  g_array_append_val (changes, change);
}

static void
assert_change (GArray *changes,
               guint   position,
               guint   removed,
               guint   added)
{
  Change *change;

  g_assert_cmpuint (changes->len, ==, 1);
  change = &g_array_index (changes, Change, 0);
  g_assert_cmpuint (change->position, ==, position);
  g_assert_cmpuint (change->removed, ==, removed);
  g_assert_cmpuint (change->added, ==, added);
  g_array_set_size (changes, 0);
}

static void
count_changed_cb (TcHistoryEntry *entry,
                  guint          *count)
{
  (*count)++;
}

static void
test_order_and_live_updates (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(TcHistory) history = tc_history_new (fixture->path);
  g_autoptr(GArray) changes = g_array_new (FALSE, FALSE, sizeof (Change));
  g_autoptr(GError) error = NULL;
  g_autoptr(TcHistoryEntry) changed = NULL;
  g_autoptr(TcHistoryEntry) older = make_entry (15);
  g_autoptr(GDateTime) now = NULL;
  TcHistoryEntry *entries[5];
  guint changed_signals = 0;
  TestWait wait = { 0 };
  g_autoptr(GAsyncResult) result = NULL;

  g_assert_true (load_sync (history, &error));
  g_signal_connect (history, "items-changed", G_CALLBACK (items_changed_cb), changes);

  /* Created at 10, 20, 30, 40, 50 (make_entry's times are n ms apart). */
  for (guint i = 0; i < G_N_ELEMENTS (entries); i++) {
    entries[i] = make_entry (10 * (i + 1));
    tc_history_add_async (history, entries[i], NULL, NULL, NULL);
    /* In the model at once, as the same object, at the top. */
    assert_change (changes, 0, 0, 1);
    g_assert_true (item_at (history, 0) == entries[i]);
  }
  g_assert_cmpuint (n_items (history), ==, 5);

  /* An entry from the past goes where its time says: after 50, 40, 30, 20. */
  tc_history_add_async (history, older, NULL, NULL, NULL);
  assert_change (changes, 4, 0, 1);
  g_assert_true (item_at (history, 4) == older);
  g_assert_true (item_at (history, 5) == entries[0]);

  /* Ties: the later addition is newer. */
  {
    g_autoptr(TcHistoryEntry) twin = make_entry (30);

    tc_history_add_async (history, twin, NULL, NULL, NULL);
    assert_change (changes, 2, 0, 1);
    g_assert_true (item_at (history, 2) == twin);
    g_assert_true (item_at (history, 3) == entries[2]);
  }

  /* An update changes the stored object itself, and says so once. */
  g_signal_connect (entries[2], "changed", G_CALLBACK (count_changed_cb), &changed_signals);
  changed = tc_history_entry_copy (entries[2]);
  now = g_date_time_new_now_utc ();
  tc_history_entry_edit (changed)->outcome = TC_HISTORY_OUTCOME_READY;
  tc_history_set_str (&tc_history_entry_edit (changed)->image_id, "img-ready");
  tc_history_entry_edit (changed)->last_checked = g_date_time_to_unix (now) * G_USEC_PER_SEC;
  tc_history_update_async (history, changed, NULL, test_wait_cb, &wait);
  g_assert_cmpuint (changed_signals, ==, 1);
  g_assert_cmpint (tc_history_entry_get_record (entries[2])->outcome, ==, TC_HISTORY_OUTCOME_READY);
  g_assert_cmpstr (tc_history_entry_get_record (entries[2])->image_id, ==, "img-ready");
  assert_change (changes, 3, 1, 1);
  g_assert_true (item_at (history, 3) == entries[2]);
  result = test_wait_result (&wait);
  g_assert_true (tc_history_write_finish (history, result, &error));
  g_assert_no_error (error);

  /* The same values again change nothing. */
  tc_history_update_async (history, changed, NULL, NULL, NULL);
  g_assert_cmpuint (changed_signals, ==, 1);
  g_assert_cmpuint (changes->len, ==, 0);

  /* Removal. */
  tc_history_remove_async (history, entries[1], NULL, NULL, NULL);
  assert_change (changes, 4, 1, 0);
  g_assert_null (tc_history_find_by_id (history, tc_history_entry_get_record (entries[1])->id));
  g_assert_cmpuint (n_items (history), ==, 6);

  flush_sync (history);
  g_assert_cmpuint (changes->len, ==, 0);
  g_assert_null (tc_history_get_problem (history));

  for (guint i = 0; i < G_N_ELEMENTS (entries); i++)
    g_object_unref (entries[i]);
}

/* With a search, a change of one entry moves it in or out of the list at its place, as
 * searching again would list it: entries of the same time included (the later added
 * first). */
static void
set_image_id (TcHistory      *history,
              TcHistoryEntry *entry,
              const char     *image_id)
{
  g_autoptr(TcHistoryEntry) changes = tc_history_entry_copy (entry);

  tc_history_set_str (&tc_history_entry_edit (changes)->image_id, image_id);
  tc_history_update_async (history, changes, NULL, NULL, NULL);
}

static guint
matches_before (gboolean *matching,
                guint     k)
{
  guint n = 0;

  for (guint i = 0; i < k; i++)
    n += matching[i];
  return n;
}

static void
assert_found (TcHistory       *history,
              TcHistoryEntry **order,
              gboolean        *matching,
              guint            n)
{
  guint p = 0;

  for (guint k = 0; k < n; k++) {
    if (matching[k])
      g_assert_true (item_at (history, p++) == order[k]);
  }
  g_assert_cmpuint (n_items (history), ==, p);
}

static void
test_search_follows_changes (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(TcHistory) history = tc_history_new (fixture->path);
  g_autoptr(GArray) changes = g_array_new (FALSE, FALSE, sizeof (Change));
  g_autoptr(GError) error = NULL;
  g_autoptr(TcHistoryEntry) other = make_entry (100);
  TcHistoryEntry *order[9];
  gboolean matching[9];
  /* Positions in the whole list: in and out of the search, in each run of one time. */
  const guint toggles[] = { 1, 4, 0, 8, 7, 4, 3, 5, 2, 6, 0 };
  const guint n = G_N_ELEMENTS (order);

  g_assert_true (load_sync (history, &error));
  /* Three times, three entries each; the even ones match "match". */
  for (guint i = 0; i < n; i++) {
    g_autoptr(TcHistoryEntry) entry = make_entry (i);
    g_autofree char *image_id = g_strdup_printf ("img-%s-%u", i % 2 ? "other" : "match", i);

    tc_history_entry_edit (entry)->created = 1700000000000000 + (gint64) (i / 3) * 1000;
    tc_history_set_str (&tc_history_entry_edit (entry)->image_id, image_id);
    tc_history_add_async (history, entry, NULL, NULL, NULL);
  }
  for (guint k = 0; k < n; k++) {
    order[k] = item_at (history, k);
    matching[k] = g_str_has_prefix (tc_history_entry_get_record (order[k])->image_id, "img-match");
  }
  /* Newest first; of the same time, the later added first. */
  g_assert_cmpstr (tc_history_entry_get_record (order[0])->image_name, ==, "image-8");
  g_assert_cmpstr (tc_history_entry_get_record (order[2])->image_name, ==, "image-6");
  g_assert_cmpstr (tc_history_entry_get_record (order[8])->image_name, ==, "image-0");

  tc_history_set_search (history, "MATCH");
  assert_found (history, order, matching, n);
  g_signal_connect (history, "items-changed", G_CALLBACK (items_changed_cb), changes);

  for (guint t = 0; t < G_N_ELEMENTS (toggles); t++) {
    guint k = toggles[t];
    g_autofree char *image_id = g_strdup_printf ("img-%s-%u-%u", matching[k] ? "other" : "match",
                                                 k, t);

    set_image_id (history, order[k], image_id);
    assert_change (changes, matches_before (matching, k), matching[k], !matching[k]);
    matching[k] = !matching[k];
    assert_found (history, order, matching, n);
  }

  /* Still found: looked at again where it is. */
  for (guint k = 0; k < n; k++) {
    if (matching[k]) {
      set_image_id (history, order[k], "img-match-again");
      assert_change (changes, matches_before (matching, k), 1, 1);
      break;
    }
  }
  /* Not found before or after: nothing to tell. */
  for (guint k = 0; k < n; k++) {
    if (!matching[k]) {
      set_image_id (history, order[k], "img-other-again");
      g_assert_cmpuint (changes->len, ==, 0);
      break;
    }
  }
  /* An entry added that the search does not find, and one removed that it does. */
  tc_history_set_str (&tc_history_entry_edit (other)->image_id, "img-other-added");
  tc_history_add_async (history, other, NULL, NULL, NULL);
  g_assert_cmpuint (changes->len, ==, 0);
  for (guint k = n; k > 0; k--) {
    if (matching[k - 1]) {
      tc_history_remove_async (history, order[k - 1], NULL, NULL, NULL);
      assert_change (changes, matches_before (matching, k - 1), 1, 0);
      matching[k - 1] = FALSE;
      break;
    }
  }
  assert_found (history, order, matching, n);

  /* Searching again finds the same, in the same order: the search index followed too. */
  g_signal_handlers_disconnect_by_func (history, items_changed_cb, changes);
  tc_history_set_search (history, NULL);
  g_assert_cmpuint (n_items (history), ==, n);
  tc_history_set_search (history, "match");
  assert_found (history, order, matching, n);
  tc_history_set_search (history, "img-other");
  for (guint k = 0; k < n; k++) {
    const TcHistoryRecord *r = tc_history_entry_get_record (order[k]);

    matching[k] = g_str_has_prefix (r->image_id, "img-other") &&
                  tc_history_find_by_id (history, r->id) != NULL;
  }
  g_assert_cmpuint (n_items (history), ==, matches_before (matching, n) + 1);
  g_assert_true (item_at (history, 0) == other);
  flush_sync (history);
}

/* A view that applies each items-changed to its own copy must always agree with the
 * model, whatever mix of written and pending changes there is, with or without a search
 * (whose changes are told in parts: see show() in tc-history-store.c). */
static void
mirror_changed_cb (GListModel *model,
                   guint       position,
                   guint       removed,
                   guint       added,
                   GPtrArray  *mirror)
{
  g_ptr_array_remove_range (mirror, position, removed);
  for (guint i = 0; i < added; i++)
    g_ptr_array_insert (mirror, (int) (position + i), g_list_model_get_item (model, position + i));
}

static void
assert_mirror (TcHistory *history,
               GPtrArray *mirror)
{
  g_assert_cmpuint (n_items (history), ==, mirror->len);
  for (guint i = 0; i < mirror->len; i++) {
    TcHistoryEntry *entry = item_at (history, i);

    g_assert_true (entry == mirror->pdata[i]);
    if (i > 0)
      g_assert_cmpint (tc_history_entry_get_record (entry)->created, <=,
                       tc_history_entry_get_record (mirror->pdata[i - 1])->created);
  }
}

static void
test_mirror (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(TcHistory) history = tc_history_new (fixture->path);
  g_autoptr(TcHistory) reloaded = tc_history_new (fixture->path);
  g_autoptr(GPtrArray) mirror = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(TcHistoryEntry) newest = make_entry (1000);
  g_autoptr(TcHistoryEntry) middle = make_entry (250);
  g_autoptr(TcHistoryEntry) found = make_entry (2000);
  g_autoptr(TcHistoryEntry) changes = NULL;
  g_autoptr(GError) error = NULL;
  TcHistoryEntry *removed, *changed;
  const guint n = 500;

  {
    g_autoptr(TcHistory) writer = tc_history_new (fixture->path);

    g_assert_true (load_sync (writer, &error));
    for (guint i = 0; i < n; i++) {
      g_autoptr(TcHistoryEntry) entry = make_entry (i);

      tc_history_add_async (writer, entry, NULL, NULL, NULL);
    }
    flush_sync (writer);
  }

  g_assert_true (load_sync (history, &error));
  mirror_changed_cb (G_LIST_MODEL (history), 0, 0, n_items (history), mirror);
  g_signal_connect (history, "items-changed", G_CALLBACK (mirror_changed_cb), mirror);
  assert_mirror (history, mirror);
  g_assert_cmpstr (tc_history_entry_get_record (item_at (history, n - 1))->image_name, ==, "image-0");

  /* Not written yet: an entry on top, one between two of the file's, one removed deep in
   * the file, one changed deeper. */
  tc_history_add_async (history, newest, NULL, NULL, NULL);
  tc_history_entry_edit (middle)->created = 1700000000000000 + 250 * 1000 + 500;
  tc_history_add_async (history, middle, NULL, NULL, NULL);
  assert_mirror (history, mirror);
  g_assert_true (item_at (history, 0) == newest);
  g_assert_cmpstr (tc_history_entry_get_record (item_at (history, 1 + n - 1 - 250))->image_name, ==,
                   "image-250");
  g_assert_true (item_at (history, 1 + n - 1 - 250) == middle);

  removed = item_at (history, 130);
  tc_history_remove_async (history, removed, NULL, NULL, NULL);
  assert_mirror (history, mirror);
  g_assert_null (tc_history_find_by_id (history, tc_history_entry_get_record (removed)->id));

  changed = item_at (history, 400);
  changes = tc_history_entry_copy (changed);
  tc_history_set_str (&tc_history_entry_edit (changes)->image_id, "img-changed");
  tc_history_set_str (&tc_history_entry_edit (changes)->request_id, "req-changed");
  tc_history_update_async (history, changes, NULL, NULL, NULL);
  assert_mirror (history, mirror);
  g_assert_true (item_at (history, 400) == changed);
  g_assert_cmpuint (n_items (history), ==, n + 1);
  /* Found by what changed (its text begins and ends with it), and the others still by
   * what they have. */
  for (guint i = 0; i < 2; i++) {
    tc_history_set_search (history, i == 0 ? "img-changed" : "req-changed");
    assert_mirror (history, mirror);
    g_assert_cmpuint (n_items (history), ==, 1);
    g_assert_true (item_at (history, 0) == changed);
  }
  for (guint i = 0; i < n; i += 97) {
    g_autofree char *name = g_strdup_printf ("image-%u", i);
    g_autoptr(TcHistoryEntry) entry = make_entry (i);

    tc_history_set_search (history, name);
    assert_mirror (history, mirror);
    g_assert_cmpuint (n_items (history), >=, 1);
    g_assert_cmpstr (tc_history_entry_get_record (item_at (history, 0))->image_name, ==,
                     tc_history_entry_get_record (entry)->image_name);
  }
  tc_history_set_search (history, NULL);
  assert_mirror (history, mirror);

  /* A search over the same changes: "image-25" is image-25, image-250
   * (twice: the file's and the one added between) and image-251…259. */
  tc_history_set_search (history, "IMAGE-25");
  assert_mirror (history, mirror);
  g_assert_cmpuint (n_items (history), ==, 12);
  g_assert_cmpuint (tc_history_get_n_entries (history), ==, n + 1);
  tc_history_set_str (&tc_history_entry_edit (found)->image_name, "image-25 found while searching");
  tc_history_add_async (history, found, NULL, NULL, NULL);
  assert_mirror (history, mirror);
  g_assert_true (item_at (history, 0) == found);

  /* Written: nothing moves. */
  flush_sync (history);
  assert_mirror (history, mirror);
  tc_history_set_search (history, NULL);
  assert_mirror (history, mirror);
  g_assert_cmpuint (n_items (history), ==, n + 2);
  /* A region is found by the name people read too: every entry here is in ap-guangzhou,
   * and no image, instance or account is named after it. */
  tc_history_set_search (history, "South China (GUANGZHOU");
  assert_mirror (history, mirror);
  g_assert_cmpuint (n_items (history), ==, n + 2);
  tc_history_set_search (history, "East China");
  assert_mirror (history, mirror);
  g_assert_cmpuint (n_items (history), ==, 0);
  tc_history_set_search (history, NULL);
  assert_mirror (history, mirror);
  g_assert_cmpstr (tc_history_entry_get_record (item_at (history, 401))->image_id, ==, "img-changed");

  /* The file says the same. */
  g_assert_true (load_sync (reloaded, &error));
  g_assert_cmpuint (n_items (reloaded), ==, n + 2);
  for (guint i = 0; i < n + 2; i++)
    g_assert_cmpstr (tc_history_entry_get_record (item_at (reloaded, i))->id, ==,
                     tc_history_entry_get_record (mirror->pdata[i])->id);
  g_signal_handlers_disconnect_by_func (history, mirror_changed_cb, mirror);
}

static void
test_sealed (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(TcHistory) history = tc_history_new (fixture->path);
  g_autoptr(TcHistoryEntry) entry = make_entry (1);

  tc_history_add_async (history, entry, NULL, NULL, NULL);

  /* Only the store changes a stored entry. */
  g_test_expect_message ("Imprint-Core", G_LOG_LEVEL_CRITICAL, "*sealed*");
  g_assert_null (tc_history_entry_edit (entry));
  g_test_assert_expected_messages ();
  g_assert_cmpint (tc_history_entry_get_record (entry)->outcome, ==, TC_HISTORY_OUTCOME_CREATING);

  flush_sync (history);
}

static void
test_persist (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(TcHistory) history = tc_history_new (fixture->path);
  g_autoptr(TcHistory) second = NULL;
  g_autoptr(TcHistory) third = NULL;
  g_autoptr(TcHistory) fourth = NULL;
  g_autoptr(TcHistoryEntry) changes = NULL;
  g_autoptr(TcHistoryEntry) after_clear = make_entry (99);
  g_autoptr(GError) error = NULL;
  TcHistoryEntry *removed_entry;
  TcHistoryEntry *updated;

  g_assert_true (load_sync (history, &error));
  for (guint i = 1; i <= 5; i++) {
    g_autoptr(TcHistoryEntry) entry = make_entry (i);

    g_assert_true (add_sync (history, entry, &error));
    g_assert_no_error (error);
  }

  updated = item_at (history, 1);
  changes = tc_history_entry_copy (updated);
  tc_history_entry_edit (changes)->outcome = TC_HISTORY_OUTCOME_READY;
  tc_history_set_str (&tc_history_entry_edit (changes)->image_id, "img-00000004");
  tc_history_entry_edit (changes)->last_checked = 1700000100000000;
  g_assert_true (update_sync (history, changes, &error));
  g_assert_no_error (error);

  removed_entry = item_at (history, 3);
  g_assert_true (remove_sync (history, removed_entry, &error));
  g_assert_no_error (error);

  second = tc_history_new (fixture->path);
  g_assert_true (load_sync (second, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_items (second), ==, 4);
  for (guint i = 0; i < 4; i++)
    assert_entries_equal (item_at (history, i), item_at (second, i));
  g_assert_cmpint (tc_history_entry_get_record (item_at (second, 1))->outcome, ==,
                   TC_HISTORY_OUTCOME_READY);

  /* Clearing leaves nothing on disk, and the store goes on afterwards. */
  g_assert_true (clear_sync (second, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_items (second), ==, 0);
  flush_sync (second);
  g_assert_cmpint (count_rows (fixture->path), ==, 0);

  third = tc_history_new (fixture->path);
  g_assert_true (load_sync (third, &error));
  g_assert_cmpuint (n_items (third), ==, 0);
  g_assert_true (add_sync (third, after_clear, &error));
  g_assert_no_error (error);

  fourth = tc_history_new (fixture->path);
  g_assert_true (load_sync (fourth, &error));
  g_assert_cmpuint (n_items (fourth), ==, 1);
  assert_entries_equal (after_clear, item_at (fourth, 0));
}

/* A file of version 2 (the builds before copies) is migrated where it is: its entries stay,
 * and a copy's source is kept from then on. */
static void
test_migrate_v2 (Fixture       *fixture,
                 gconstpointer  data)
{
  static const char v2[] =
    "CREATE TABLE entries (id TEXT PRIMARY KEY NOT NULL, kind INTEGER NOT NULL,"
    " created INTEGER NOT NULL, account_id TEXT, account_name TEXT,"
    " protocol INTEGER NOT NULL DEFAULT 0, region TEXT, instance_id TEXT, instance_name TEXT,"
    " image_name TEXT, image_description TEXT, force_poweroff INTEGER NOT NULL DEFAULT 0,"
    " sysprep INTEGER NOT NULL DEFAULT 0, data_disk_ids TEXT, tags TEXT,"
    " outcome INTEGER NOT NULL, error_code TEXT, error_message TEXT, image_id TEXT,"
    " request_id TEXT, last_checked INTEGER, checks TEXT, search TEXT NOT NULL DEFAULT '');"
    "CREATE INDEX entries_by_created ON entries (created);"
    "CREATE INDEX entries_by_time ON entries (created, search);"
    "CREATE INDEX entries_creating ON entries (created) WHERE outcome = 3;"
    "INSERT INTO entries (id, kind, created, region, image_name, outcome, image_id, search)"
    " VALUES ('old-entry', 1, 1700000000000000, 'ap-guangzhou', 'from-v2', 4, 'img-00000001',"
    " 'from-v2' || char(10) || 'img-00000001' || char(10) || 'ap-guangzhou' || char(10));"
    "PRAGMA user_version = 2;";
  g_autoptr(TcHistory) history = tc_history_new (fixture->path);
  g_autoptr(TcHistory) again = NULL;
  g_autoptr(TcHistoryEntry) copy = tc_history_entry_new (TC_HISTORY_KIND_COPY);
  g_autoptr(GError) error = NULL;
  g_autofree char *folder = g_path_get_dirname (fixture->path);
  sqlite3 *db = NULL;

  g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);
  g_assert_cmpint (sqlite3_open (fixture->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, v2, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  g_assert_true (load_sync (history, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_items (history), ==, 1);
  g_assert_cmpstr (tc_history_entry_get_record (item_at (history, 0))->image_name, ==, "from-v2");
  g_assert_null (tc_history_entry_get_record (item_at (history, 0))->source_image_id);

  tc_history_entry_edit (copy)->region = g_intern_string ("ap-beijing");
  tc_history_set_str (&tc_history_entry_edit (copy)->image_name, "from-v2");
  tc_history_set_str (&tc_history_entry_edit (copy)->image_id, "img-00000002");
  tc_history_set_str (&tc_history_entry_edit (copy)->source_region, "ap-guangzhou");
  tc_history_set_str (&tc_history_entry_edit (copy)->source_image_id, "img-00000001");
  g_assert_true (add_sync (history, copy, &error));
  g_assert_no_error (error);

  again = tc_history_new (fixture->path);
  g_assert_true (load_sync (again, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_items (again), ==, 2);
  assert_entries_equal (copy, item_at (again, 0));
  g_assert_cmpint (tc_history_entry_get_record (item_at (again, 0))->kind, ==, TC_HISTORY_KIND_COPY);
  g_assert_cmpstr (tc_history_entry_get_record (item_at (again, 0))->source_region, ==, "ap-guangzhou");
  /* A copy is found by its source's ID too. */
  tc_history_set_search (again, "img-00000001");
  g_assert_cmpuint (n_items (again), ==, 2);
  tc_history_set_search (again, "img-00000002");
  g_assert_cmpuint (n_items (again), ==, 1);
}

static void
test_update_removed (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(TcHistory) history = tc_history_new (fixture->path);
  g_autoptr(TcHistoryEntry) entry = make_entry (1);
  g_autoptr(TcHistoryEntry) changes = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (add_sync (history, entry, &error));
  changes = tc_history_entry_copy (entry);
  tc_history_entry_edit (changes)->outcome = TC_HISTORY_OUTCOME_READY;
  g_assert_true (remove_sync (history, entry, &error));

  /* A tracker's update arriving after the user removed the entry writes nothing. */
  g_assert_false (update_sync (history, changes, &error));
  g_assert_error (error, TC_HISTORY_ERROR, TC_HISTORY_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (remove_sync (history, entry, &error));
  g_assert_error (error, TC_HISTORY_ERROR, TC_HISTORY_ERROR_NOT_FOUND);
  g_clear_error (&error);

  flush_sync (history);
  g_assert_cmpint (count_rows (fixture->path), ==, 0);
  g_assert_cmpuint (n_items (history), ==, 0);
}

static void
test_add_before_load (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(TcHistory) history = tc_history_new (fixture->path);
  g_autoptr(GArray) changes = g_array_new (FALSE, FALSE, sizeof (Change));
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(TcHistoryEntry) entry = tc_history_entry_new (TC_HISTORY_KIND_CREATE);
  g_autoptr(GError) error = NULL;
  TestWait wait = { 0 };
  g_autoptr(GAsyncResult) result = NULL;

  for (guint i = 0; i < 3; i++)
    append_record (text, i, 1600000000000000 + i);
  g_free (write_old_history (fixture, text->str, (gssize) text->len));

  g_signal_connect (history, "items-changed", G_CALLBACK (items_changed_cb), changes);
  tc_history_load_async (history, NULL, test_wait_cb, &wait);
  /* Added while the load is under way: it stays on top, untouched, and the file's entries
   * follow it, in one call. */
  tc_history_add_async (history, entry, NULL, NULL, NULL);
  assert_change (changes, 0, 0, 1);

  result = test_wait_result (&wait);
  g_assert_true (tc_history_load_finish (history, result, &error));
  g_assert_no_error (error);
  assert_change (changes, 1, 0, 3);
  g_assert_true (item_at (history, 0) == entry);
  g_assert_cmpuint (n_items (history), ==, 4);
  flush_sync (history);
}

static void
test_clear_during_load (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(TcHistory) history = tc_history_new (fixture->path);
  g_autoptr(TcHistory) reloaded = tc_history_new (fixture->path);
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  TestWait wait = { 0 };
  g_autoptr(GAsyncResult) result = NULL;

  for (guint i = 0; i < 3; i++)
    append_record (text, i, 1600000000000000 + i);
  g_free (write_old_history (fixture, text->str, (gssize) text->len));

  tc_history_load_async (history, NULL, test_wait_cb, &wait);
  tc_history_clear_async (history, NULL, NULL, NULL);
  result = test_wait_result (&wait);
  g_assert_true (tc_history_load_finish (history, result, &error));
  g_assert_cmpuint (n_items (history), ==, 0);

  flush_sync (history);
  g_assert_true (load_sync (reloaded, &error));
  g_assert_cmpuint (n_items (reloaded), ==, 0);
}

static void
test_cancelled_load (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(TcHistory) history = tc_history_new (fixture->path);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  TestWait wait = { 0 };
  g_autoptr(GAsyncResult) result = NULL;

  append_record (text, 1, 1600000000000000);
  g_free (write_old_history (fixture, text->str, (gssize) text->len));

  tc_history_load_async (history, cancellable, test_wait_cb, &wait);
  g_cancellable_cancel (cancellable);
  result = test_wait_result (&wait);
  g_assert_false (tc_history_load_finish (history, result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (n_items (history), ==, 0);
  g_assert_false (tc_history_is_loaded (history));
}

static void
test_many_records (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(TcHistory) history = tc_history_new (fixture->path);
  g_autoptr(GString) text = g_string_sized_new (100000 * 480);
  g_autoptr(GArray) changes = g_array_new (FALSE, FALSE, sizeof (Change));
  g_autoptr(GError) error = NULL;
  g_autofree char *newest = record_id (99999);
  g_autofree char *oldest = record_id (0);
  const guint n = 100000;

  for (guint i = 0; i < n; i++)
    append_record (text, i, 1600000000000000 + (gint64) i * G_USEC_PER_SEC);
  g_free (write_old_history (fixture, text->str, (gssize) text->len));

  /* The first load imports the old file; the next one is what a start costs. */
  {
    g_autoptr(TcHistory) importer = tc_history_new (fixture->path);

    g_assert_true (load_sync (importer, &error));
    g_assert_no_error (error);
  }

  /* The newest screenful (48) comes at once, so that the first frame makes only the rows
   * it shows, and the rest after it, added below in one call. */
  g_signal_connect (history, "items-changed", G_CALLBACK (items_changed_cb), changes);
  g_assert_true (load_sync (history, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (changes->len, ==, 2);
  g_assert_cmpuint (g_array_index (changes, Change, 0).position, ==, 0);
  g_assert_cmpuint (g_array_index (changes, Change, 0).removed, ==, 0);
  g_assert_cmpuint (g_array_index (changes, Change, 0).added, ==, 48);
  g_assert_cmpuint (g_array_index (changes, Change, 1).position, ==, 48);
  g_assert_cmpuint (g_array_index (changes, Change, 1).removed, ==, 0);
  g_assert_cmpuint (g_array_index (changes, Change, 1).added, ==, n - 48);
  g_signal_handlers_disconnect_by_func (history, items_changed_cb, changes);
  g_assert_cmpuint (n_items (history), ==, n);
  g_assert_null (tc_history_dup_unreadable_message (history));
  g_assert_cmpstr (tc_history_entry_get_record (item_at (history, 0))->id, ==, newest);
  g_assert_cmpstr (tc_history_entry_get_record (item_at (history, n - 1))->id, ==, oldest);
  g_assert_cmpstr (tc_history_entry_get_record (item_at (history, n - 4))->error_message, ==,
                   "镜像名称已存在 (image name already used).");
  g_assert_nonnull (tc_history_find_by_id (history, newest));

  /* Adding one is a row in the same database. */
  {
    g_autoptr(TcHistoryEntry) entry = tc_history_entry_new (TC_HISTORY_KIND_CREATE);
    GStatBuf before, after;

    g_assert_cmpint (g_stat (fixture->path, &before), ==, 0);
    g_assert_true (add_sync (history, entry, &error));
    g_assert_cmpint (g_stat (fixture->path, &after), ==, 0);
    g_assert_cmpint (before.st_ino, ==, after.st_ino);
    g_assert_cmpint (count_rows (fixture->path), ==, (int) n + 1);
  }
}

/* The history.jsonl of earlier builds */

static char *
data_file (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "data", name, NULL);
}

static char *
copy_old_history (Fixture    *fixture,
                  const char *name)
{
  g_autofree char *source = data_file (name);
  g_autofree char *text = read_text (source);

  return write_old_history (fixture, text, -1);
}

static const char *
tag_text (TcHistoryEntry *entry,
          guint           index)
{
  static char text[256];
  GStrv tags = tc_history_entry_get_record (entry)->tags;

  g_assert_cmpuint (tags ? g_strv_length (tags) : 0, >, 2 * index + 1);
  g_snprintf (text, sizeof text, "%s=%s", tags[2 * index], tags[2 * index + 1]);
  return text;
}

/* tests/data/history-v1.jsonl was written by the JSON-lines store itself (the last build
 * that had it): checks, creates, an update to READY, a removal, a failure, the legacy
 * protocol, Chinese text, tags with "=" in them. */
static void
test_import_real_files (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(TcHistory) history = tc_history_new (fixture->path);
  g_autoptr(TcHistory) reloaded = tc_history_new (fixture->path);
  g_autofree char *jsonl = copy_old_history (fixture, "history-v1.jsonl");
  g_autofree char *imported = g_strconcat (jsonl, ".imported", NULL);
  g_autofree char *kept = NULL;
  g_autoptr(GError) error = NULL;
  TcHistoryEntry *e;

  g_assert_true (load_sync (history, &error));
  g_assert_no_error (error);
  g_assert_null (tc_history_dup_unreadable_message (history));
  g_assert_null (tc_history_dup_unreadable_message (history));
  g_assert_cmpuint (n_items (history), ==, 6);

  /* Newest first; the removed entry stays removed. */
  e = item_at (history, 0);
  g_assert_cmpstr (tc_history_entry_get_record (e)->image_name, ==, "web-failed");
  g_assert_cmpint (tc_history_entry_get_record (e)->outcome, ==, TC_HISTORY_OUTCOME_FAILED);
  g_assert_cmpstr (tc_history_entry_get_record (e)->error_message, ==, "The image could not be created.");
  g_assert_cmpstr (tc_history_entry_get_record (e)->image_id, ==, "img-failed01");

  e = item_at (history, 1);
  g_assert_cmpstr (tc_history_entry_get_record (e)->image_name, ==, "应用镜像-2026");
  g_assert_cmpstr (tc_history_entry_get_record (e)->account_name, ==, "默认");
  g_assert_null (tc_history_entry_get_record (e)->account_id);
  g_assert_cmpstr (tc_history_entry_get_record (e)->region, ==, "ap-beijing");
  g_assert_cmpstr (tc_history_entry_get_record (e)->instance_name, ==, "广州-应用");
  g_assert_cmpint (tc_history_entry_get_record (e)->outcome, ==, TC_HISTORY_OUTCOME_CREATING);

  e = item_at (history, 2);
  g_assert_cmpstr (tc_history_entry_get_record (e)->image_name, ==, "win-base");
  g_assert_cmpint (tc_history_entry_get_record (e)->protocol, ==, TC_PROTOCOL_LEGACY);
  g_assert_true (tc_history_entry_get_record (e)->sysprep);
  g_assert_cmpint (tc_history_entry_get_record (e)->outcome, ==, TC_HISTORY_OUTCOME_REQUEST_FAILED);
  g_assert_cmpstr (tc_history_entry_get_record (e)->error_code, ==, "5100");

  e = item_at (history, 3);
  g_assert_cmpstr (tc_history_entry_get_record (e)->image_name, ==, "web-nightly");
  g_assert_cmpint (tc_history_entry_get_record (e)->kind, ==, TC_HISTORY_KIND_CREATE);
  g_assert_cmpint (tc_history_entry_get_record (e)->outcome, ==, TC_HISTORY_OUTCOME_READY);
  g_assert_true (tc_history_entry_get_record (e)->force_poweroff);
  g_assert_cmpuint (g_strv_length ((GStrv) tc_history_entry_get_record (e)->data_disk_ids), ==, 2);
  g_assert_cmpuint (g_strv_length (tc_history_entry_get_record (e)->tags), ==, 4);
  g_assert_cmpstr (tag_text (e, 0), ==, "team=运维");
  g_assert_cmpstr (tag_text (e, 1), ==, "a=b=c=d");
  g_assert_cmpint (tc_history_entry_get_record (e)->created / G_USEC_PER_SEC, ==, 1764000200);
  g_assert_cmpint (tc_history_entry_get_record (e)->last_checked / G_USEC_PER_SEC, ==, 1764000290);
  g_assert_cmpstr (tc_history_entry_get_record (e)->request_id, ==, "6b7f2c1e-1111-4a2b-8c3d-000000000003");

  e = item_at (history, 4);
  g_assert_cmpint (tc_history_entry_get_record (e)->kind, ==, TC_HISTORY_KIND_CHECK);
  g_assert_cmpint (tc_history_entry_get_record (e)->outcome, ==, TC_HISTORY_OUTCOME_DRY_RUN_FAILED);
  g_assert_cmpstr (tc_history_entry_get_record (e)->image_description, ==, "每日构建 \"quoted\"\n第二行");
  g_assert_cmpstr (tc_history_entry_get_record (e)->error_code, ==, "InvalidImageName.Duplicate");

  e = item_at (history, 5);
  g_assert_cmpint (tc_history_entry_get_record (e)->outcome, ==, TC_HISTORY_OUTCOME_DRY_RUN_PASSED);
  g_assert_cmpstr (tc_history_entry_get_record (e)->account_name, ==, "default");

  /* Imported once: the file is kept aside as it was, and never read again. */
  g_assert_false (g_file_test (jsonl, G_FILE_TEST_EXISTS));
  kept = read_text (imported);
  {
    g_autofree char *source = data_file ("history-v1.jsonl");
    g_autofree char *expected = read_text (source);

    g_assert_cmpstr (kept, ==, expected);
  }
  assert_mode (imported, 0600);

  g_assert_true (load_sync (reloaded, &error));
  g_assert_cmpuint (n_items (reloaded), ==, 6);
  for (guint i = 0; i < 6; i++)
    assert_entries_equal (item_at (history, i), item_at (reloaded, i));
  g_assert_cmpint (count_rows (fixture->path), ==, 6);
}

/* tests/data/history-v1-cleared.jsonl: what the old store left after Clear History and
 * one more image. */
static void
test_import_cleared_file (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(TcHistory) history = tc_history_new (fixture->path);
  g_autofree char *jsonl = copy_old_history (fixture, "history-v1-cleared.jsonl");
  g_autoptr(GError) error = NULL;

  g_assert_true (load_sync (history, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_items (history), ==, 1);
  g_assert_cmpstr (tc_history_entry_get_record (item_at (history, 0))->image_name, ==, "after-clear");
}

/* Damage in the old file: a line that cannot be read and one of a newer format are left
 * out and counted (the user is told, and the file is kept); a torn last line, which the
 * old store never acknowledged, is dropped silently. */
static void
test_import_damaged_lines (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(TcHistory) history = tc_history_new (fixture->path);
  g_autofree char *source = data_file ("history-v1.jsonl");
  g_autofree char *text = read_text (source);
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  g_autoptr(GString) damaged = g_string_new (NULL);
  g_autofree char *jsonl = NULL;
  g_autofree char *message = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; lines[i] != NULL && *lines[i] != '\0'; i++) {
    g_string_append_printf (damaged, "%s\n", lines[i]);
    if (i == 1)
      g_string_append (damaged, "{\"v\":1,\"op\":\"put\",\"id\":\"x\",\"kind\":\"cre\xff\n");
    if (i == 3)
      g_string_append (damaged, "{\"v\":2,\"op\":\"put\",\"id\":\"from-the-future\"}\n");
  }
  g_string_append (damaged, "{\"v\":1,\"op\":\"put\",\"id\":\"torn\",\"ki");
  jsonl = write_old_history (fixture, damaged->str, (gssize) damaged->len);

  g_assert_true (load_sync (history, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_items (history), ==, 6);
  message = tc_history_dup_unreadable_message (history);
  g_test_message ("%s", message);
  g_assert_nonnull (strstr (message, "2 history entries could not be read"));
  g_assert_nonnull (strstr (message, "history.jsonl.imported"));
}

/* A damaged database */

static void
assert_set_aside (Fixture    *fixture,
                  TcHistory  *history,
                  const char *original)
{
  g_autofree char *message = tc_history_dup_unreadable_message (history);
  g_autofree char *folder = history_dir (fixture);
  g_autoptr(GDir) dir = g_dir_open (folder, 0, NULL);
  g_autofree char *aside = NULL;
  g_autofree char *kept = NULL;
  const char *base;
  gsize len;

  /* history.db.damaged-YYYYmmdd-HHMMSS, kept as it was, and named by the message */
  while ((base = g_dir_read_name (dir)) != NULL && !(g_str_has_prefix (base, "history.db.damaged-") &&
                                                     !g_str_has_suffix (base, "-wal")))
    ;
  g_assert_nonnull (base);
  g_test_message ("%s", message);
  g_assert_cmpuint (strlen (base), ==, strlen ("history.db.damaged-20260101-000000"));
  aside = g_build_filename (folder, base, NULL);
  g_assert_true (g_file_get_contents (aside, &kept, &len, NULL));
  g_assert_cmpmem (kept, MIN (len, 64), original, MIN (len, 64));
  g_assert_nonnull (message);
  g_assert_nonnull (strstr (message, base));
}

static void
test_not_a_database (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(TcHistory) history = tc_history_new (fixture->path);
  g_autoptr(TcHistory) reloaded = tc_history_new (fixture->path);
  g_autoptr(TcHistoryEntry) entry = make_entry (1);
  g_autoptr(GError) error = NULL;
  static const char garbage[] = "This is not a database, and it is longer than a header. "
                                "0123456789012345678901234567890123456789012345678901234567";

  make_history_dir (fixture);
  write_text (fixture->path, garbage, -1);

  /* Set aside with a message; a fresh one takes its place and works. */
  g_assert_true (load_sync (history, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_items (history), ==, 0);
  assert_set_aside (fixture, history, garbage);
  g_assert_true (add_sync (history, entry, &error));
  g_assert_no_error (error);

  /* Said once. */
  g_assert_true (load_sync (reloaded, &error));
  g_assert_cmpuint (n_items (reloaded), ==, 1);
  g_assert_null (tc_history_dup_unreadable_message (reloaded));
  g_assert_null (tc_history_dup_unreadable_message (reloaded));
}

/* A database whose pages were overwritten (a disk error): it opens, but fails
 * PRAGMA quick_check. It is set aside as it was, with the date and a message, a fresh one
 * takes its place, and every entry that could still be read is in it, as it was written:
 * the damage costs only what it destroyed. */
static void
test_fails_check (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(TcHistory) reloaded = tc_history_new (fixture->path);
  g_autoptr(TcHistory) again = tc_history_new (fixture->path);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *message = NULL;
  g_autofree char *count = NULL;
  const guint n = 300;
  guint n_kept;
  gsize len;

  {
    g_autoptr(TcHistory) history = tc_history_new (fixture->path);

    for (guint i = 0; i < n; i++) {
      g_autoptr(TcHistoryEntry) entry = make_entry (i);

      tc_history_add_async (history, entry, NULL, NULL, NULL);
    }
    flush_sync (history);
  }
  /* Closed: the WAL is checkpointed into the file. Now damage the rows of one page of
   * the table (a leaf: its first byte is 0x0d) as a bad sector would, and page 3. */
  g_assert_true (g_file_get_contents (fixture->path, &text, &len, NULL));
  g_assert_cmpuint (len, >, 5 * 4096);
  for (gsize page = len / 4096 / 2; page < len / 4096; page++) {
    if (text[page * 4096] == 0x0d) {
      memset (text + page * 4096 + 100, 0xa5, 4096 - 200);
      break;
    }
  }
  memset (text + 2 * 4096 + 100, 0xa5, 4096 - 200);
  write_text (fixture->path, text, (gssize) len);

  g_assert_true (load_sync (reloaded, &error));
  g_assert_no_error (error);
  assert_set_aside (fixture, reloaded, text);

  /* Most rows live on pages the damage did not touch: those are kept, each as written. */
  n_kept = n_items (reloaded);
  g_test_message ("%u of %u entries rescued", n_kept, n);
  g_assert_cmpuint (n_kept, >, n / 2);
  g_assert_cmpuint (n_kept, <, n);
  for (guint i = 0; i < n_kept; i++) {
    TcHistoryEntry *entry = item_at (reloaded, i);
    const char *name = tc_history_entry_get_record (entry)->image_name;
    g_autoptr(TcHistoryEntry) original = NULL;

    g_assert_nonnull (name);
    original = make_entry (g_ascii_strtoull (name + strlen ("image-"), NULL, 10));
    g_assert_cmpstr (tc_history_entry_get_record (entry)->instance_id, ==,
                     tc_history_entry_get_record (original)->instance_id);
    g_assert_cmpstr (tc_history_entry_get_record (entry)->image_description, ==,
                     tc_history_entry_get_record (original)->image_description);
    g_assert_cmpint (tc_history_entry_get_record (entry)->created, ==,
                     tc_history_entry_get_record (original)->created);
    /* Still newest first. */
    if (i > 0)
      g_assert_cmpint (tc_history_entry_get_record (entry)->created, <,
                       tc_history_entry_get_record (item_at (reloaded, i - 1))->created);
  }
  /* The message says how many were kept, and where the damaged file is. */
  message = tc_history_dup_unreadable_message (reloaded);
  count = g_strdup_printf ("%u", n_kept);
  g_assert_nonnull (strstr (message, count));

  /* The fresh database holds them for good, and the damage is told only once. */
  g_assert_true (load_sync (again, &error));
  g_assert_cmpuint (n_items (again), ==, n_kept);
  g_assert_null (tc_history_dup_unreadable_message (again));
}

/* Faults */

static void
problem_notify_cb (GObject    *object,
                   GParamSpec *pspec,
                   guint      *count)
{
  (*count)++;
}

static void
test_unwritable_directory (Fixture       *fixture,
                           gconstpointer  data)
{
  /* Tests run as root in CI, so permissions cannot make this fail: a regular file where
   * the folder should be does. */
  g_autofree char *blocker = g_build_filename (fixture->dir, "not-a-folder", NULL);
  g_autofree char *path = g_build_filename (blocker, "imprint", "history.db", NULL);
  g_autoptr(TcHistory) history = tc_history_new (path);
  g_autoptr(TcHistoryEntry) first = make_entry (1);
  g_autoptr(TcHistoryEntry) second = make_entry (2);
  g_autoptr(GError) error = NULL;
  guint notifies = 0;

  write_text (blocker, "", 0);
  g_signal_connect (history, "notify::problem", G_CALLBACK (problem_notify_cb), &notifies);

  g_assert_false (load_sync (history, &error));
  g_assert_error (error, TC_HISTORY_ERROR, TC_HISTORY_ERROR_NOT_WRITABLE);
  g_clear_error (&error);

  g_assert_false (add_sync (history, first, &error));
  g_assert_error (error, TC_HISTORY_ERROR, TC_HISTORY_ERROR_NOT_WRITABLE);
  g_test_message ("%s", error->message);
  g_assert_cmpstr (tc_history_get_problem (history), ==, error->message);
  g_assert_true (g_str_has_prefix (error->message, "History could not be saved:"));
  g_assert_nonnull (strstr (error->message, "Imprint keeps working"));
  g_assert_cmpuint (notifies, ==, 1);
  g_clear_error (&error);

  /* The app keeps working: entries stay in memory. */
  g_assert_false (add_sync (history, second, &error));
  g_assert_error (error, TC_HISTORY_ERROR, TC_HISTORY_ERROR_NOT_WRITABLE);
  g_assert_cmpuint (n_items (history), ==, 2);
  g_assert_true (item_at (history, 0) == second);
  g_assert_cmpuint (notifies, ==, 1);
}

/* SQLite says SQLITE_FULL when the disk (or quota) is full, and also when the database
 * reaches its max_page_count: the latter is how this test fills "the disk". */
static void
test_disk_full (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(TcHistory) history = tc_history_new (fixture->path);
  g_autoptr(TcHistory) reloaded = NULL;
  g_autoptr(TcHistoryEntry) last = make_entry (999);
  g_autoptr(GError) error = NULL;
  g_autofree char *big = g_strnfill (12000, 'x');
  guint failed = 0;

  g_assert_true (load_sync (history, &error));
  tc_history_set_max_pages (history, 1);   /* no larger than it is now */

  for (guint i = 1; i <= 4; i++) {
    g_autoptr(TcHistoryEntry) entry = make_entry (i);

    tc_history_set_str (&tc_history_entry_edit (entry)->image_description, big);
    if (!add_sync (history, entry, &error)) {
      g_assert_error (error, TC_HISTORY_ERROR, TC_HISTORY_ERROR_NO_SPACE);
      g_clear_error (&error);
      failed++;
    }
  }
  g_assert_cmpuint (failed, ==, 4);
  g_assert_cmpstr (tc_history_get_problem (history), ==,
                   "History could not be saved: the disk is full. Imprint keeps working; "
                   "free some space.");
  /* Kept in memory meanwhile. */
  g_assert_cmpuint (n_items (history), ==, 4);

  /* Space again: the next write works and the problem goes away. */
  tc_history_set_max_pages (history, 1000000);
  g_assert_true (add_sync (history, last, &error));
  g_assert_no_error (error);
  g_assert_null (tc_history_get_problem (history));

  reloaded = tc_history_new (fixture->path);
  g_assert_true (load_sync (reloaded, &error));
  g_assert_cmpuint (n_items (reloaded), ==, 1);
  assert_entries_equal (last, item_at (reloaded, 0));
}

static void
test_not_a_file (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(TcHistory) history = tc_history_new (fixture->path);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (fixture->path, 0700), ==, 0);
  g_assert_false (load_sync (history, &error));
  g_assert_error (error, TC_HISTORY_ERROR, TC_HISTORY_ERROR_NOT_WRITABLE);
  g_assert_nonnull (strstr (error->message, "history.db"));
  g_assert_false (tc_history_is_loaded (history));
}

/* Another program holds the write lock longer than the store waits (5 s). */
static void
test_locked (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(TcHistory) history = tc_history_new (fixture->path);
  g_autoptr(TcHistoryEntry) first = make_entry (1);
  g_autoptr(TcHistoryEntry) second = make_entry (2);
  g_autoptr(GError) error = NULL;
  sqlite3 *other = NULL;

  g_assert_true (load_sync (history, &error));
  g_assert_cmpint (sqlite3_open (fixture->path, &other), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (other, "BEGIN IMMEDIATE", NULL, NULL, NULL), ==, SQLITE_OK);

  g_assert_false (add_sync (history, first, &error));
  g_assert_error (error, TC_HISTORY_ERROR, TC_HISTORY_ERROR_BUSY);
  g_test_message ("%s", error->message);
  g_assert_cmpstr (tc_history_get_problem (history), ==, error->message);
  g_clear_error (&error);
  g_assert_cmpuint (n_items (history), ==, 1);

  g_assert_cmpint (sqlite3_exec (other, "COMMIT", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (other);
  g_assert_true (add_sync (history, second, &error));
  g_assert_no_error (error);
  g_assert_null (tc_history_get_problem (history));
}

/* The demo's history: in memory, nothing on disk, gone with the object. */
static void
test_temporary (Fixture       *fixture,
                gconstpointer  data)
{
  TcHistory *history = tc_history_new_temporary ();
  g_autoptr(TcHistoryEntry) entry = make_entry (1);
  g_autoptr(TcHistoryEntry) changes = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_null (tc_history_get_path (history));
  g_assert_true (load_sync (history, &error));
  g_assert_no_error (error);
  g_assert_true (add_sync (history, entry, &error));
  g_assert_no_error (error);
  changes = tc_history_entry_copy (entry);
  tc_history_entry_edit (changes)->outcome = TC_HISTORY_OUTCOME_READY;
  g_assert_true (update_sync (history, changes, &error));
  g_assert_cmpuint (n_items (history), ==, 1);
  g_assert_cmpint (tc_history_entry_get_record (entry)->outcome, ==, TC_HISTORY_OUTCOME_READY);
  g_assert_cmpuint (count_files (fixture, ""), ==, 0);
  g_assert_finalize_object (history);
}

static void
test_retention (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(TcHistory) history = tc_history_new (fixture->path);
  g_autoptr(TcHistory) reloaded = NULL;
  g_autoptr(GArray) changes = g_array_new (FALSE, FALSE, sizeof (Change));
  g_autoptr(GString) file = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  gint64 now = g_get_real_time ();
  gint64 day = (gint64) 24 * 3600 * G_USEC_PER_SEC;

  append_record (file, 1, now - 40 * day);
  append_record (file, 2, now - 20 * day);
  append_record (file, 3, now - 5 * day);
  append_record (file, 4, now - 1 * day);
  g_free (write_old_history (fixture, file->str, (gssize) file->len));

  tc_history_set_retention_days (history, 30);
  g_assert_cmpuint (tc_history_get_retention_days (history), ==, 30);
  g_assert_true (load_sync (history, &error));
  g_assert_cmpuint (n_items (history), ==, 3);

  /* Shortened while running: the old entries leave the model (its end) and the file. */
  g_signal_connect (history, "items-changed", G_CALLBACK (items_changed_cb), changes);
  g_object_set (history, "retention-days", 10, NULL);
  assert_change (changes, 2, 1, 0);
  g_assert_cmpuint (n_items (history), ==, 2);
  flush_sync (history);
  g_assert_cmpint (count_rows (fixture->path), ==, 2);

  reloaded = tc_history_new (fixture->path);
  g_assert_true (load_sync (reloaded, &error));
  g_assert_cmpuint (n_items (reloaded), ==, 2);
  g_assert_cmpstr (tc_history_entry_get_record (item_at (reloaded, 1))->image_name, ==, "image-3");
}

/* Two Imprints on one database (the stable and the development build), each with its
 * own connection, writing at once. */
static void
test_two_writers (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(TcHistory) a = tc_history_new (fixture->path);
  g_autoptr(TcHistory) b = tc_history_new (fixture->path);
  g_autoptr(TcHistory) reloaded = tc_history_new (fixture->path);
  g_autoptr(GPtrArray) expected = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;

  g_assert_true (load_sync (a, &error));
  g_assert_true (load_sync (b, &error));

  for (guint i = 0; i < 40; i++) {
    TcHistoryEntry *entry = make_entry (i);
    TcHistory *writer = i % 2 ? a : b;

    g_ptr_array_add (expected, entry);
    tc_history_add_async (writer, entry, NULL, NULL, NULL);
    if (i % 2 && i > 4) {
      /* Updates in a, meanwhile. */
      TcHistoryEntry *mine = g_ptr_array_index (expected, i - 2);
      g_autoptr(TcHistoryEntry) changes = tc_history_entry_copy (mine);

      tc_history_entry_edit (changes)->outcome = TC_HISTORY_OUTCOME_READY;
      tc_history_update_async (a, changes, NULL, NULL, NULL);
      tc_history_update_async (a, changes, NULL, NULL, NULL);
    }
  }
  flush_sync (a);
  flush_sync (b);

  g_assert_true (load_sync (reloaded, &error));
  g_assert_null (tc_history_dup_unreadable_message (reloaded));
  g_assert_cmpuint (n_items (reloaded), ==, 40);
  for (guint i = 0; i < expected->len; i++) {
    TcHistoryEntry *entry = g_ptr_array_index (expected, i);

    g_assert_nonnull (tc_history_find_by_id (reloaded, tc_history_entry_get_record (entry)->id));
  }
}

/* The crash test */

typedef struct {
  TcHistory *history;
  guint64    next;
  guint      in_flight;
} Writer;

static void writer_add_next (Writer *writer);

static void
say (const char *format,
     ...) G_GNUC_PRINTF (1, 2);

static void
say (const char *format,
     ...)
{
  g_autofree char *line = NULL;
  va_list args;
  gsize len;
  const char *p;

  va_start (args, format);
  line = g_strdup_vprintf (format, args);
  va_end (args);

  /* One write() per line: the parent never sees half of one. */
  len = strlen (line);
  p = line;
  while (len > 0) {
    gssize n = write (STDOUT_FILENO, p, len);

    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      _exit (3);
    p += n;
    len -= (gsize) n;
  }
}

static void
writer_removed_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autofree char *id = user_data;

  if (tc_history_write_finish (TC_HISTORY (object), result, NULL))
    say ("del %s\n", id);
}

static void
writer_remove (Writer         *writer,
               TcHistoryEntry *entry)
{
  say ("del? %s\n", tc_history_entry_get_record (entry)->id);
  tc_history_remove_async (writer->history, entry, NULL, writer_removed_cb,
                           g_strdup (tc_history_entry_get_record (entry)->id));
}

typedef struct {
  Writer         *writer;
  TcHistoryEntry *entry;
  guint64         n;
  gboolean        final;
} Step;

static void
step_free (Step *step)
{
  g_object_unref (step->entry);
  g_free (step);
}

static void
writer_updated_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  Step *step = user_data;

  if (tc_history_write_finish (TC_HISTORY (object), result, NULL)) {
    if (step->final)
      say ("upd %s\n", tc_history_entry_get_record (step->entry)->id);
    if (step->final && step->n % 5 == 0)
      writer_remove (step->writer, step->entry);
  }
  step_free (step);
}

static void
writer_update (Writer         *writer,
               TcHistoryEntry *entry,
               guint64         n,
               gboolean        final)
{
  g_autoptr(TcHistoryEntry) changes = tc_history_entry_copy (entry);
  Step *step = g_new0 (Step, 1);

  step->writer = writer;
  step->entry = g_object_ref (entry);
  step->n = n;
  step->final = final;
  tc_history_entry_edit (changes)->last_checked = g_get_real_time ();
  if (final) {
    say ("upd? %s\n", tc_history_entry_get_record (entry)->id);
    tc_history_entry_edit (changes)->outcome = TC_HISTORY_OUTCOME_READY;
    tc_history_set_str (&tc_history_entry_edit (changes)->image_id, "img-ready");
  }
  tc_history_update_async (writer->history, changes, NULL, writer_updated_cb, step);
}

static void
writer_added_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Step *step = user_data;
  Writer *writer = step->writer;

  if (tc_history_write_finish (TC_HISTORY (object), result, NULL)) {
    say ("put %s %" G_GUINT64_FORMAT "\n", tc_history_entry_get_record (step->entry)->id, step->n);
    /* Every entry is checked once; a third become ready; a fifth are removed. */
    writer_update (writer, step->entry, step->n, FALSE);
    if (step->n % 3 == 0)
      writer_update (writer, step->entry, step->n, TRUE);
    else if (step->n % 5 == 0)
      writer_remove (writer, step->entry);
  }
  step_free (step);

  writer->in_flight--;
  writer_add_next (writer);
}

static void
writer_add_next (Writer *writer)
{
  while (writer->in_flight < 4) {
    Step *step = g_new0 (Step, 1);

    step->writer = writer;
    step->n = writer->next++;
    step->entry = make_entry (step->n);
    writer->in_flight++;
    tc_history_add_async (writer->history, step->entry, NULL, writer_added_cb, step);
  }
}

static int
run_writer (const char *path,
            const char *round_text)
{
  g_autoptr(GError) error = NULL;
  Writer writer = { 0 };
  guint64 round = 0;

  g_ascii_string_to_unsigned (round_text, 10, 0, 1000000, &round, NULL);
  writer.history = tc_history_new (path);
  writer.next = round * 1000000;

  if (!load_sync (writer.history, &error)) {
    g_printerr ("load failed: %s\n", error->message);
    return 2;
  }
  say ("ready\n");

  writer_add_next (&writer);
  for (;;)
    g_main_context_iteration (NULL, TRUE);
  return 0;
}

typedef struct {
  guint64  n;
  gboolean put;            /* durable */
  gboolean update_asked;
  gboolean updated;        /* durable */
  gboolean remove_asked;
  gboolean removed;        /* durable */
} Expected;

static void
read_reports (GDataInputStream *stream,
              GHashTable       *expected,
              guint            *n_reports)
{
  for (;;) {
    g_autoptr(GError) error = NULL;
    g_autofree char *line = g_data_input_stream_read_line (stream, NULL, NULL, &error);
    g_auto(GStrv) words = NULL;
    Expected *e;

    g_assert_no_error (error);
    if (line == NULL)
      break;
    words = g_strsplit (line, " ", 3);
    g_assert_nonnull (words[0]);
    if (g_str_equal (words[0], "ready"))
      continue;
    g_assert_nonnull (words[1]);
    (*n_reports)++;

    e = g_hash_table_lookup (expected, words[1]);
    if (e == NULL) {
      e = g_new0 (Expected, 1);
      g_hash_table_insert (expected, g_strdup (words[1]), e);
    }
    if (g_str_equal (words[0], "put")) {
      g_assert_nonnull (words[2]);
      e->put = TRUE;
      e->n = g_ascii_strtoull (words[2], NULL, 10);
    } else if (g_str_equal (words[0], "upd?")) {
      e->update_asked = TRUE;
    } else if (g_str_equal (words[0], "upd")) {
      e->updated = TRUE;
    } else if (g_str_equal (words[0], "del?")) {
      e->remove_asked = TRUE;
    } else if (g_str_equal (words[0], "del")) {
      e->removed = TRUE;
    } else {
      g_assert_not_reached ();
    }
  }
}

static void
verify_after_crash (Fixture    *fixture,
                    GHashTable *expected)
{
  g_autoptr(TcHistory) history = tc_history_new (fixture->path);
  g_autoptr(GError) error = NULL;
  GHashTableIter iter;
  const char *id;
  Expected *e;

  g_assert_true (load_sync (history, &error));
  g_assert_no_error (error);
  g_assert_null (tc_history_dup_unreadable_message (history));

  /* No garbage: everything there is an entry the writer made. */
  for (guint i = 0; i < n_items (history); i++) {
    TcHistoryEntry *entry = item_at (history, i);
    guint64 n;

    assert_well_formed (entry, &n);
    e = g_hash_table_lookup (expected, tc_history_entry_get_record (entry)->id);
    g_assert_true (e == NULL || !e->removed);
    if (e != NULL && e->put)
      g_assert_cmpuint (n, ==, e->n);
  }

  /* Everything acknowledged is there. */
  g_hash_table_iter_init (&iter, expected);
  while (g_hash_table_iter_next (&iter, (gpointer *) &id, (gpointer *) &e)) {
    TcHistoryEntry *entry = tc_history_find_by_id (history, id);

    if (e->removed || (e->remove_asked && entry == NULL))
      continue;
    if (e->put)
      g_assert_nonnull (entry);
    if (e->updated) {
      g_assert_nonnull (entry);
      g_assert_cmpint (tc_history_entry_get_record (entry)->outcome, ==, TC_HISTORY_OUTCOME_READY);
      g_assert_cmpstr (tc_history_entry_get_record (entry)->image_id, ==, "img-ready");
      g_assert_cmpint (tc_history_entry_get_record (entry)->last_checked, !=, 0);
    }
  }
}

static void
test_crash (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(GHashTable) expected = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                          g_free);
  const guint rounds = 50;
  gint64 deadline = g_get_monotonic_time () + 90 * G_USEC_PER_SEC;
  guint n_reports = 0, n_killed_early = 0, round;

  for (round = 1; round <= rounds && g_get_monotonic_time () < deadline; round++) {
    g_autoptr(GError) error = NULL;
    g_autofree char *round_text = g_strdup_printf ("%u", round);
    g_autoptr(GSubprocess) child = NULL;
    g_autoptr(GDataInputStream) stream = NULL;
    gboolean early = g_test_rand_int_range (0, 5) == 0;

    child = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, test_program,
                              "--history-writer", fixture->path, round_text, NULL);
    g_assert_no_error (error);
    stream = g_data_input_stream_new (g_subprocess_get_stdout_pipe (child));

    if (early) {
      /* Somewhere in starting up, opening, checking or loading. */
      g_usleep ((gulong) g_test_rand_int_range (0, 40000));
      n_killed_early++;
    } else {
      g_autofree char *ready = g_data_input_stream_read_line (stream, NULL, NULL, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (ready, ==, "ready");
      g_usleep ((gulong) g_test_rand_int_range (0, 120000));
    }
    g_subprocess_force_exit (child);
    read_reports (stream, expected, &n_reports);
    g_assert_true (g_subprocess_wait (child, NULL, &error));
    g_assert_no_error (error);
    g_assert_true (g_subprocess_get_if_signaled (child));
    g_assert_cmpint (g_subprocess_get_term_sig (child), ==, SIGKILL);

    /* Every few rounds, and at the end, check; in between, the next child is the one to
     * meet whatever this kill left behind. */
    if (round % 5 == 0 || round == rounds)
      verify_after_crash (fixture, expected);
  }

  g_test_message ("%u rounds (%u killed before ready), %u reports, "
                  "%u ids", round - 1, n_killed_early, n_reports,
                  g_hash_table_size (expected));
  verify_after_crash (fixture, expected);
  g_assert_cmpuint (n_reports, >, 0);
  /* A kill never damages the database. */
  g_assert_cmpuint (count_files (fixture, "history.db.damaged"), ==, 0);
}

/* The stable and the development build writing at once: a child process writes as fast
 * as it can while this one adds its own; neither fails, and everything both were told is
 * recorded is there. */
static void
test_two_processes (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GHashTable) expected = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                          g_free);
  g_autoptr(TcHistory) history = tc_history_new (fixture->path);
  g_autoptr(GPtrArray) mine = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GSubprocess) child = NULL;
  g_autoptr(GDataInputStream) stream = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *ready = NULL;
  guint n_reports = 0;

  g_assert_true (load_sync (history, &error));
  child = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, test_program,
                            "--history-writer", fixture->path, "7", NULL);
  g_assert_no_error (error);
  stream = g_data_input_stream_new (g_subprocess_get_stdout_pipe (child));
  ready = g_data_input_stream_read_line (stream, NULL, NULL, &error);
  g_assert_cmpstr (ready, ==, "ready");

  for (guint i = 0; i < 60; i++) {
    TcHistoryEntry *entry = make_entry (i);

    g_ptr_array_add (mine, entry);
    g_assert_true (add_sync (history, entry, &error));
    g_assert_no_error (error);
  }

  /* On a loaded machine the other's worker (at nice 10) may not have had a turn yet: it
   * goes on until it has said something, so that both did write at the same time. */
  g_assert_cmpint (g_buffered_input_stream_fill (G_BUFFERED_INPUT_STREAM (stream), 1, NULL, &error),
                   >, 0);
  g_assert_no_error (error);
  g_subprocess_force_exit (child);
  read_reports (stream, expected, &n_reports);
  g_assert_true (g_subprocess_wait (child, NULL, &error));
  g_test_message ("the other process reported %u steps meanwhile", n_reports);
  g_assert_cmpuint (n_reports, >, 0);

  verify_after_crash (fixture, expected);
  {
    g_autoptr(TcHistory) reloaded = tc_history_new (fixture->path);

    g_assert_true (load_sync (reloaded, &error));
    for (guint i = 0; i < mine->len; i++)
      g_assert_nonnull (tc_history_find_by_id (reloaded,
                                               tc_history_entry_get_record (mine->pdata[i])->id));
  }
}

int
main (int   argc,
      char *argv[])
{
  if (argc == 4 && g_str_equal (argv[1], "--history-writer"))
    return run_writer (argv[2], argv[3]);

  /* Under valgrind /proc/self/exe is valgrind: argv[0] is this program. */
  test_program = argv[0];

  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/imprint/history/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  g_test_add_func ("/imprint/history/entry/new-destroy", test_entry_new_destroy);
  g_test_add_func ("/imprint/history/store/default-path", test_default_path);
  ADD ("entry/search", test_search);
  ADD ("entry/search-account-renamed", test_search_account_renamed);
  ADD ("store/new-destroy", test_store_new_destroy);
  ADD ("store/permissions", test_permissions);
  ADD ("roundtrip/every-field", test_roundtrip);
  ADD ("roundtrip/invalid-utf8-and-long", test_invalid_utf8);
  ADD ("model/order-and-live-updates", test_order_and_live_updates);
  ADD ("model/sealed", test_sealed);
  ADD ("model/mirror", test_mirror);
  ADD ("model/search-follows-changes", test_search_follows_changes);
  ADD ("model/add-before-load", test_add_before_load);
  ADD ("model/clear-during-load", test_clear_during_load);
  ADD ("model/cancelled-load", test_cancelled_load);
  ADD ("persist/update-remove-clear", test_persist);
  ADD ("persist/migrate-v2", test_migrate_v2);
  ADD ("persist/update-removed", test_update_removed);
  ADD ("scale/100000-records", test_many_records);
  ADD ("crash/sigkill", test_crash);
  ADD ("import/real-files", test_import_real_files);
  ADD ("import/cleared-file", test_import_cleared_file);
  ADD ("import/damaged-lines", test_import_damaged_lines);
  ADD ("damaged/not-a-database", test_not_a_database);
  ADD ("damaged/fails-check", test_fails_check);
  ADD ("errors/unwritable-directory", test_unwritable_directory);
  ADD ("errors/disk-full", test_disk_full);
  ADD ("errors/not-a-file", test_not_a_file);
  ADD ("errors/locked", test_locked);
  ADD ("temporary/in-memory", test_temporary);
  ADD ("concurrency/two-processes", test_two_processes);
  ADD ("retention/days", test_retention);
  ADD ("concurrency/two-writers", test_two_writers);

#undef ADD

  return g_test_run ();
}

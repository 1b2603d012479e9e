/* tc-history-import.c: reading the history.jsonl of earlier builds, once
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Builds before the SQLite store kept the history as a log of JSON lines:
 *
 *   {"v":1,"op":"put","id":…,"kind":"check"|"create","created":<µs UTC>,"account":…,
 *    "protocol":"api3"|"legacy","region":…,"instance_id":…,"instance_name":…,
 *    "image_name":…,"image_description":…,"force_poweroff":bool,"sysprep":bool,
 *    "data_disk_ids":[…],"tags":[key,value,…],"outcome":…,"error_code":…,
 *    "error_message":…,"image_id":…,"request_id":…,"last_checked":<µs>}
 *   {"v":1,"op":"del","id":…}
 *   {"v":1,"op":"clear"}
 *
 * The last put of an id wins, a del removes it, a clear removes everything before it.
 * That is replayed here with json-glib, line by line; the database (tc-history-db.c)
 * inserts what is live and renames the file. A line that cannot be read is counted (the
 * user is told, and the file is kept); a last line without its newline was a write cut
 * short by a crash, never reported durable, and is dropped silently. Those old entries
 * have no account id: they keep the account's name.
 */
#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "tc-history-private.h"

/* Anything bigger is not a history file of ours. */
#define MAX_FILE_SIZE ((gsize) 1 << 30)

static const char * const kind_names[] = { "check", "create" };
static const char * const protocol_names[] = { "api3", "legacy" };
static const char * const outcome_names[] = {
  "dry-run-passed", "dry-run-failed", "request-failed", "creating", "ready", "failed",
};

/* The index of a member's string in @names, or -1. */
static int
member_name (JsonObject         *object,
             const char         *member,
             const char * const *names,
             guint               n_names)
{
  JsonNode *node = json_object_get_member (object, member);
  const char *value;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return -1;
  value = json_node_get_string (node);
  for (guint i = 0; i < n_names; i++) {
    if (g_str_equal (value, names[i]))
      return (int) i;
  }
  return -1;
}

/* A text member: NULL when missing or null; FALSE when of another type. */
static gboolean
member_text (JsonObject  *object,
             const char  *member,
             char       **out)
{
  JsonNode *node = json_object_get_member (object, member);

  *out = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return FALSE;
  *out = tc_history_normalize_text (json_node_get_string (node));
  return TRUE;
}

static gboolean
member_int (JsonObject *object,
            const char *member,
            gint64     *out)
{
  JsonNode *node = json_object_get_member (object, member);

  *out = 0;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;
  *out = json_node_get_int (node);
  return TRUE;
}

static gboolean
member_bool (JsonObject *object,
             const char *member,
             gboolean   *out)
{
  JsonNode *node = json_object_get_member (object, member);

  *out = FALSE;
  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return FALSE;
  *out = json_node_get_boolean (node);
  return TRUE;
}

static gboolean
member_list (JsonObject  *object,
             const char  *member,
             guint        max_items,
             GStrv       *out)
{
  JsonNode *node = json_object_get_member (object, member);
  g_autoptr(GStrvBuilder) builder = NULL;
  g_auto(GStrv) items = NULL;
  JsonArray *array;

  *out = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return FALSE;
  array = json_node_get_array (node);
  builder = g_strv_builder_new ();
  for (guint i = 0; i < json_array_get_length (array); i++) {
    JsonNode *item = json_array_get_element (array, i);

    if (!JSON_NODE_HOLDS_VALUE (item) || json_node_get_value_type (item) != G_TYPE_STRING)
      return FALSE;
    g_strv_builder_add (builder, json_node_get_string (item));
  }
  items = g_strv_builder_end (builder);
  *out = tc_history_normalize_list ((const char * const *) items, max_items);
  return TRUE;
}

/* A put record's entry, or NULL when it is not one. */
static EntryData *
read_put (JsonObject *o)
{
  EntryData *d = g_new0 (EntryData, 1);
  int kind = member_name (o, "kind", kind_names, G_N_ELEMENTS (kind_names));
  int protocol = member_name (o, "protocol", protocol_names, G_N_ELEMENTS (protocol_names));
  int outcome = member_name (o, "outcome", outcome_names, G_N_ELEMENTS (outcome_names));
  g_autofree char *region = NULL;
  gboolean ok;

  ok = kind >= 0 && outcome >= 0 && json_object_has_member (o, "created") &&
       member_text (o, "id", &d->id) && d->id != NULL &&
       member_int (o, "created", &d->created) &&
       member_text (o, "account", &d->account_name) &&
       member_text (o, "region", &region) &&
       member_text (o, "instance_id", &d->instance_id) &&
       member_text (o, "instance_name", &d->instance_name) &&
       member_text (o, "image_name", &d->image_name) &&
       member_text (o, "image_description", &d->image_description) &&
       member_bool (o, "force_poweroff", &d->force_poweroff) &&
       member_bool (o, "sysprep", &d->sysprep) &&
       member_list (o, "data_disk_ids", TC_HISTORY_MAX_LIST_ITEMS, &d->data_disk_ids) &&
       member_list (o, "tags", 2 * TC_HISTORY_MAX_LIST_ITEMS, &d->tags) &&
       (d->tags == NULL || g_strv_length (d->tags) % 2 == 0) &&
       member_text (o, "error_code", &d->error_code) &&
       member_text (o, "error_message", &d->error_message) &&
       member_text (o, "image_id", &d->image_id) &&
       member_text (o, "request_id", &d->request_id) &&
       member_int (o, "last_checked", &d->last_checked) &&
       (json_object_get_member (o, "protocol") == NULL || protocol >= 0);
  if (!ok) {
    entry_data_free (d);
    return NULL;
  }
  d->region = g_intern_string (region);
  d->kind = kind;
  d->protocol = MAX (protocol, 0);
  d->outcome = outcome;
  return d;
}

typedef struct {
  GHashTable *live;    /* id → EntryData */
  GPtrArray  *order;   /* ids, in the order first put (replay order) */
  guint       n_unreadable;
} Replay;

/* Applies one line; FALSE when it cannot be read. */
static gboolean
replay_line (Replay     *replay,
             JsonParser *parser,
             const char *line,
             gsize       len)
{
  static const char * const ops[] = { "put", "del", "clear" };
  JsonNode *root;
  JsonObject *o;
  gint64 version;
  char *id = NULL;
  int op;

  if (!json_parser_load_from_data (parser, line, (gssize) len, NULL))
    return FALSE;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return FALSE;
  o = json_node_get_object (root);
  /* A newer format ("v" above 1) is not ours to guess at. */
  if (!member_int (o, "v", &version) || version != 1)
    return FALSE;
  op = member_name (o, "op", ops, G_N_ELEMENTS (ops));

  switch (op) {
  case 0: {
    EntryData *d = read_put (o);

    if (d == NULL)
      return FALSE;
    if (!g_hash_table_contains (replay->live, d->id))
      g_ptr_array_add (replay->order, g_strdup (d->id));
    g_hash_table_replace (replay->live, d->id, d);
    return TRUE;
  }
  case 1:
    if (!member_text (o, "id", &id) || id == NULL)
      return FALSE;
    g_hash_table_remove (replay->live, id);
    g_free (id);
    return TRUE;
  case 2:
    g_hash_table_remove_all (replay->live);
    return TRUE;
  default:
    return FALSE;
  }
}

static int
compare_created (gconstpointer a,
                 gconstpointer b)
{
  const EntryData *x = *(EntryData * const *) a, *y = *(EntryData * const *) b;

  return x->created < y->created ? -1 : x->created > y->created;
}

GPtrArray *
history_import_jsonl (const char  *path,
                      guint       *n_unreadable,
                      GError     **error)
{
  g_autoptr(GMappedFile) file = NULL;
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GHashTable) live = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                      (GDestroyNotify) entry_data_free);
  g_autoptr(GPtrArray) order = g_ptr_array_new_with_free_func (g_free);
  Replay replay = { live, order, 0 };
  GPtrArray *rows;
  const char *data, *end;
  gsize size;

  file = g_mapped_file_new (path, FALSE, error);
  if (file == NULL)
    return NULL;
  size = g_mapped_file_get_length (file);
  data = g_mapped_file_get_contents (file);
  if (size > MAX_FILE_SIZE)
    size = 0, replay.n_unreadable = 1;
  end = data + size;

  for (const char *line = data; line < end; ) {
    const char *newline = memchr (line, '\n', (gsize) (end - line));
    const char *stop = newline != NULL ? newline : end;
    gboolean blank = TRUE;

    for (const char *p = line; p < stop && blank; p++)
      blank = g_ascii_isspace (*p);
    if (!blank && !replay_line (&replay, parser, line, (gsize) (stop - line)) &&
        newline != NULL)
      replay.n_unreadable++;   /* a torn last line was never acknowledged */
    line = newline != NULL ? newline + 1 : end;
  }

  /* In the order the log first put them, then by time (as the old store showed them). */
  rows = g_ptr_array_new_with_free_func ((GDestroyNotify) entry_data_free);
  for (guint i = 0; i < order->len; i++) {
    gpointer key, value;

    if (g_hash_table_steal_extended (live, order->pdata[i], &key, &value))
      g_ptr_array_add (rows, value);
  }
  g_ptr_array_sort (rows, compare_created);
  *n_unreadable = replay.n_unreadable;
  return rows;
}

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

/* For member(): an array of strings. */
#define TYPE_LIST G_TYPE_NONE

/* *@node: the member @name, NULL when it is missing or null. FALSE when it holds anything
 * but a value of @type (or, for TYPE_LIST, an array of strings). */
static gboolean
member (JsonObject  *object,
        const char  *name,
        GType        type,
        JsonNode   **node)
{
  JsonArray *array;

  *node = json_object_get_member (object, name);
  if (*node != NULL && JSON_NODE_HOLDS_NULL (*node))
    *node = NULL;
  if (*node == NULL || type != TYPE_LIST)
    return *node == NULL ||
           (JSON_NODE_HOLDS_VALUE (*node) && json_node_get_value_type (*node) == type);
  if (!JSON_NODE_HOLDS_ARRAY (*node))
    return FALSE;
  array = json_node_get_array (*node);
  for (guint i = 0; i < json_array_get_length (array); i++) {
    JsonNode *item = json_array_get_element (array, i);

    if (!JSON_NODE_HOLDS_VALUE (item) || json_node_get_value_type (item) != G_TYPE_STRING)
      return FALSE;
  }
  return TRUE;
}

/* One field of a put record; FALSE when it is not of the field's type. */
static gboolean
read_field (JsonObject         *o,
            const HistoryField *f,
            TcHistoryRecord    *r)
{
  static const GType types[] = {
    [FIELD_TEXT] = G_TYPE_STRING, [FIELD_REGION] = G_TYPE_STRING, [FIELD_ENUM] = G_TYPE_STRING,
    [FIELD_BOOL] = G_TYPE_BOOLEAN, [FIELD_TIME] = G_TYPE_INT64, [FIELD_WHEN] = G_TYPE_INT64,
    [FIELD_LIST] = TYPE_LIST,
  };
  JsonNode *node;
  guint i = 0;

  if (!member (o, f->member, types[f->type], &node))
    return FALSE;
  /* A put has its kind and outcome; the first builds wrote no protocol (API 3.0). */
  if (node == NULL)
    return f->type != FIELD_ENUM || g_str_equal (f->column, "protocol");
  if (f->type == FIELD_TEXT)
    FIELD_AT (r, f, char *) = g_strdup (json_node_get_string (node));
  else if (f->type == FIELD_REGION)
    r->region = g_intern_string (json_node_get_string (node));
  else if (f->type == FIELD_BOOL)
    FIELD_AT (r, f, int) = json_node_get_boolean (node);
  else if (f->type == FIELD_TIME || f->type == FIELD_WHEN)
    FIELD_AT (r, f, gint64) = json_node_get_int (node);
  else if (f->type == FIELD_LIST) {
    g_autoptr(GStrvBuilder) list = g_strv_builder_new ();

    for (guint k = 0; k < json_array_get_length (json_node_get_array (node)); k++)
      g_strv_builder_add (list, json_array_get_string_element (json_node_get_array (node), k));
    FIELD_AT (r, f, GStrv) = g_strv_builder_end (list);
  } else {
    while (i < f->max && !g_str_equal (f->names[i], json_node_get_string (node)))
      i++;
    FIELD_AT (r, f, int) = (int) i;
    return i < f->max;
  }
  return TRUE;
}

typedef struct {
  GHashTable *live;    /* id → TcHistoryRecord */
  GPtrArray  *order;   /* ids, in the order first put (the order of their rows) */
} Replay;

/* Applies one line; FALSE when it cannot be read. */
static gboolean
replay_line (Replay     *replay,
             JsonParser *parser,
             const char *line,
             gsize       len)
{
  JsonNode *root, *node;
  JsonObject *o;
  TcHistoryRecord *r;
  gboolean ok = TRUE;

  if (!json_parser_load_from_data (parser, line, (gssize) len, NULL) ||
      (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return FALSE;
  o = json_node_get_object (root);
  /* A newer format ("v" above 1) is not ours to guess at. */
  if (!member (o, "v", G_TYPE_INT64, &node) || node == NULL || json_node_get_int (node) != 1 ||
      !member (o, "op", G_TYPE_STRING, &node) || node == NULL)
    return FALSE;

  if (g_str_equal (json_node_get_string (node), "clear")) {
    g_hash_table_remove_all (replay->live);
    return TRUE;
  }
  if (g_str_equal (json_node_get_string (node), "del")) {
    if (!member (o, "id", G_TYPE_STRING, &node) || node == NULL)
      return FALSE;
    g_hash_table_remove (replay->live, json_node_get_string (node));
    return TRUE;
  }
  if (!g_str_equal (json_node_get_string (node), "put") || !json_object_has_member (o, "created"))
    return FALSE;
  r = g_new0 (TcHistoryRecord, 1);
  for (guint i = 0; ok && i < history_n_fields; i++)
    ok = history_fields[i].member == NULL || read_field (o, &history_fields[i], r);
  if (!ok || r->id == NULL || (r->tags != NULL && g_strv_length (r->tags) % 2 != 0)) {
    history_record_free (r);
    return FALSE;
  }
  history_record_normalize (r);
  if (!g_hash_table_contains (replay->live, r->id))
    g_ptr_array_add (replay->order, g_strdup (r->id));
  g_hash_table_replace (replay->live, r->id, r);
  return TRUE;
}

static int
compare_created (gconstpointer a,
                 gconstpointer b)
{
  const TcHistoryRecord *x = *(TcHistoryRecord * const *) a, *y = *(TcHistoryRecord * const *) b;

  return x->created < y->created ? -1 : x->created > y->created;
}

GPtrArray *
history_import_jsonl (const char  *path,
                      guint       *n_unreadable,
                      GError     **error)
{
  g_autoptr(GMappedFile) file = g_mapped_file_new (path, FALSE, error);
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GHashTable) live = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                      (GDestroyNotify) history_record_free);
  g_autoptr(GPtrArray) order = g_ptr_array_new_with_free_func (g_free);
  Replay replay = { live, order };
  GPtrArray *rows;
  const char *data, *end;
  gsize size;

  if (file == NULL)
    return NULL;
  size = g_mapped_file_get_length (file);
  data = g_mapped_file_get_contents (file);
  *n_unreadable = size > MAX_FILE_SIZE;
  end = data + (size > MAX_FILE_SIZE ? 0 : size);

  for (const char *line = data; line < end; ) {
    const char *newline = memchr (line, '\n', (gsize) (end - line));
    const char *stop = newline != NULL ? newline : end;
    gboolean blank = TRUE;

    for (const char *p = line; p < stop && blank; p++)
      blank = g_ascii_isspace (*p);
    /* A last line without its newline is a write cut short: never acknowledged. */
    if (!blank && !replay_line (&replay, parser, line, (gsize) (stop - line)) && newline)
      (*n_unreadable)++;
    line = newline != NULL ? newline + 1 : end;
  }

  /* In the order the log first put them, then by time (as the old store showed them). */
  rows = g_ptr_array_new_with_free_func ((GDestroyNotify) history_record_free);
  for (guint i = 0; i < order->len; i++) {
    gpointer key, value;

    if (g_hash_table_steal_extended (live, order->pdata[i], &key, &value))
      g_ptr_array_add (rows, value);
  }
  g_ptr_array_sort (rows, compare_created);
  return rows;
}

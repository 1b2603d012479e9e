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

/* *@node: the member @name, NULL when it is missing or null. FALSE when it holds
 * anything but a value of @type. */
static gboolean
member (JsonObject  *object,
        const char  *name,
        GType        type,
        JsonNode   **node)
{
  *node = json_object_get_member (object, name);
  if (*node != NULL && JSON_NODE_HOLDS_NULL (*node))
    *node = NULL;
  return *node == NULL ||
         (JSON_NODE_HOLDS_VALUE (*node) && json_node_get_value_type (*node) == type);
}

/* A list member: strings only. */
static gboolean
member_list (JsonObject *object,
             const char *name,
             GStrv      *out)
{
  JsonNode *node = json_object_get_member (object, name);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  JsonArray *array;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return FALSE;
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++) {
    JsonNode *item = json_array_get_element (array, i);

    if (!JSON_NODE_HOLDS_VALUE (item) || json_node_get_value_type (item) != G_TYPE_STRING)
      return FALSE;
    g_strv_builder_add (builder, json_node_get_string (item));
  }
  *out = g_strv_builder_end (builder);
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
  };
  JsonNode *node;
  guint i = 0;

  if (f->type == FIELD_LIST)
    return member_list (o, f->member, &FIELD_AT (r, f, GStrv));
  if (!member (o, f->member, types[f->type], &node))
    return FALSE;
  /* A put has its kind and outcome; the first builds wrote no protocol (API 3.0). */
  if (node == NULL)
    return f->type != FIELD_ENUM || g_str_equal (f->column, "protocol");
  switch (f->type) {
  case FIELD_TEXT:
    FIELD_AT (r, f, char *) = g_strdup (json_node_get_string (node));
    return TRUE;
  case FIELD_REGION:
    r->region = g_intern_string (json_node_get_string (node));
    return TRUE;
  case FIELD_ENUM:
    while (i < f->max && !g_str_equal (f->names[i], json_node_get_string (node)))
      i++;
    FIELD_AT (r, f, int) = (int) i;
    return i < f->max;
  case FIELD_BOOL:
    FIELD_AT (r, f, int) = json_node_get_boolean (node);
    return TRUE;
  case FIELD_TIME:
  case FIELD_WHEN:
  default:
    FIELD_AT (r, f, gint64) = json_node_get_int (node);
    return TRUE;
  }
}

/* A put record's entry, or NULL when it is not one. */
static TcHistoryRecord *
read_put (JsonObject *o)
{
  TcHistoryRecord *r = g_new0 (TcHistoryRecord, 1);
  gboolean ok = json_object_has_member (o, "created");

  for (guint i = 0; ok && i < history_n_fields; i++) {
    if (history_fields[i].member != NULL)
      ok = read_field (o, &history_fields[i], r);
  }
  ok = ok && r->id != NULL && (r->tags == NULL || g_strv_length (r->tags) % 2 == 0);
  if (!ok) {
    history_record_free (r);
    return NULL;
  }
  history_record_normalize (r);
  return r;
}

typedef struct {
  GHashTable *live;    /* id → TcHistoryRecord */
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
  JsonNode *node;
  int op = 0;

  if (!json_parser_load_from_data (parser, line, (gssize) len, NULL))
    return FALSE;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return FALSE;
  o = json_node_get_object (root);
  /* A newer format ("v" above 1) is not ours to guess at. */
  if (!member (o, "v", G_TYPE_INT64, &node) || node == NULL || json_node_get_int (node) != 1 ||
      !member (o, "op", G_TYPE_STRING, &node) || node == NULL)
    return FALSE;
  while (op < (int) G_N_ELEMENTS (ops) && !g_str_equal (ops[op], json_node_get_string (node)))
    op++;

  switch (op) {
  case 0: {
    TcHistoryRecord *d = read_put (o);

    if (d == NULL)
      return FALSE;
    if (!g_hash_table_contains (replay->live, d->id))
      g_ptr_array_add (replay->order, g_strdup (d->id));
    g_hash_table_replace (replay->live, d->id, d);
    return TRUE;
  }
  case 1:
    if (!member (o, "id", G_TYPE_STRING, &node) || node == NULL)
      return FALSE;
    g_hash_table_remove (replay->live, json_node_get_string (node));
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
  const TcHistoryRecord *x = *(TcHistoryRecord * const *) a, *y = *(TcHistoryRecord * const *) b;

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
                                                      (GDestroyNotify) history_record_free);
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
  rows = g_ptr_array_new_with_free_func ((GDestroyNotify) history_record_free);
  for (guint i = 0; i < order->len; i++) {
    gpointer key, value;

    if (g_hash_table_steal_extended (live, order->pdata[i], &key, &value))
      g_ptr_array_add (rows, value);
  }
  g_ptr_array_sort (rows, compare_created);
  *n_unreadable = replay.n_unreadable;
  return rows;
}

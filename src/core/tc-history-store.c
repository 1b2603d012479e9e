/* tc-history-store.c: TcHistory, the history in memory and the thread that writes it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Memory is the model's truth: every entry, newest first (of the same time, the later
 * added first), one object for each as long as the history lives. A search keystroke over
 * 100,000 entries must be answered within a frame, and a two-character query such as 广州
 * is common, which SQLite's trigram index cannot match: so the search is one memmem() over
 * the search text of every entry, kept in one buffer (Index, below).
 *
 * Loading. The worker reads the newest FIRST_ROWS entries and posts them at once (the first
 * rows are on screen while it reads on), then the rest with their index, then checks the
 * whole file: a damaged one is set aside and what could still be read of it replaces what
 * was shown. Another program writing the same database (the other build) is not followed.
 *
 * Writing. Every change is made in memory at once and handed to one worker thread (a
 * GThreadPool of one) that owns the connection and commits it, synced, before its callback
 * says it is durable (tc-history-db.c). A failed write keeps the change and sets "problem".
 */
#define _GNU_SOURCE   /* memmem(), gettid() */
#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "tc-history-private.h"

/* About a screenful: the first frame makes only the rows it shows. */
#define FIRST_ROWS 48

/* An account as entries recorded it: its id, and its name then (as the search text has
 * it, folded). A rename is not in the text: the search asks the account store. */
typedef struct {
  char *id;
  char *name;
  char *line;
} Owner;

static void
owner_free (Owner *owner)
{
  g_free (owner->id);
  g_free (owner->name);
  g_free (owner->line);
  g_free (owner);
}

/* The search index: the search text of every entry, oldest first (what changes most, the
 * newest, is at the end), each ended by a NUL so that a hit never spans two; and the region
 * and the account of each, by its place among the (few) regions and owners. Positions in
 * the calls are the entries'. */
typedef struct {
  GString    *text;
  GArray     *ends;      /* guint32: where each text ends, past its NUL */
  GArray     *places;    /* guint16: each one's region, as its place in regions */
  GPtrArray  *regions;   /* interned, each once */
  GArray     *owned;     /* guint32: each one's account, as its place in owners */
  GPtrArray  *owners;    /* Owner, each id and name once */
  GHashTable *owner_at;  /* "id\x1fname" → its place + 1 */
  guint32     last_owner;
} Index;

static void
index_free (Index *index)
{
  g_string_free (index->text, TRUE);
  g_array_unref (index->ends);
  g_array_unref (index->places);
  g_ptr_array_unref (index->regions);
  g_array_unref (index->owned);
  g_ptr_array_unref (index->owners);
  g_hash_table_unref (index->owner_at);
  g_free (index);
}

/* The place of the account @record names among the owners, added if new. */
static guint32
index_owner (Index                 *index,
             const TcHistoryRecord *record)
{
  g_autofree char *key = NULL;
  guint32 place;
  Owner *owner;

  /* Entries come in runs of one account: the last one added first, without a key. */
  if (index->owners->len > 0) {
    owner = index->owners->pdata[index->last_owner];
    if (g_strcmp0 (owner->id, record->account_id) == 0 &&
        g_strcmp0 (owner->name, record->account_name) == 0)
      return index->last_owner;
  }
  key = g_strconcat (record->account_id ? record->account_id : "", "\x1f",
                     record->account_name ? record->account_name : "", NULL);
  place = GPOINTER_TO_UINT (g_hash_table_lookup (index->owner_at, key));
  if (place > 0)
    return index->last_owner = place - 1;
  owner = g_new0 (Owner, 1);
  owner->id = g_strdup (record->account_id);
  owner->name = g_strdup (record->account_name);
  owner->line = owner->name ? history_fold_part (owner->name) : NULL;
  g_ptr_array_add (index->owners, owner);
  g_hash_table_insert (index->owner_at, g_steal_pointer (&key),
                       GUINT_TO_POINTER (index->owners->len));
  return index->last_owner = index->owners->len - 1;
}

/* Entry @at changes: its text goes (@remove), @entry's comes (if any). */
static void
index_splice (Index          *index,
              guint           at,
              gboolean        remove,
              TcHistoryEntry *entry)
{
  guint i = index->ends->len - (remove ? 1 : 0) - at;   /* in the buffer's order */
  guint32 start = i > 0 ? g_array_index (index->ends, guint32, i - 1) : 0;
  guint32 removed = remove ? g_array_index (index->ends, guint32, i) - start : 0;
  const char *text = entry ? history_record_get_search (&entry->record) : NULL;
  guint32 added = text ? (guint32) strlen (text) + 1 : 0;

  if (remove) {
    g_string_erase (index->text, start, removed);
    g_array_remove_index (index->ends, i);
    g_array_remove_index (index->places, i);
    g_array_remove_index (index->owned, i);
  }
  if (entry != NULL) {
    guint32 owner = index_owner (index, &entry->record);
    guint16 place = 0;

    while (place < index->regions->len && index->regions->pdata[place] != entry->record.region)
      place++;
    if (place == index->regions->len)
      g_ptr_array_add (index->regions, (gpointer) entry->record.region);
    g_string_insert_len (index->text, start, text, added);
    g_array_insert_val (index->ends, i, (guint32) { start + added });
    g_array_insert_val (index->places, i, place);
    g_array_insert_val (index->owned, i, owner);
  }
  /* The newer ones moved by the difference (modulo 2³², as guint32 does). */
  for (i += entry != NULL; i < index->ends->len; i++)
    g_array_index (index->ends, guint32, i) += added - removed;
}

static Index *
index_new (GPtrArray *entries)
{
  Index *index = g_new0 (Index, 1);

  index->text = g_string_new (NULL);
  index->ends = g_array_new (FALSE, FALSE, sizeof (guint32));
  index->places = g_array_new (FALSE, FALSE, sizeof (guint16));
  index->regions = g_ptr_array_new ();
  index->owned = g_array_new (FALSE, FALSE, sizeof (guint32));
  index->owners = g_ptr_array_new_with_free_func ((GDestroyNotify) owner_free);
  index->owner_at = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = entries->len; i > 0; i--)
    index_splice (index, 0, FALSE, entries->pdata[i - 1]);
  return index;
}

/* The name account @id has now in @store, when it differs from @recorded (the name the
 * entry's search text holds); else NULL: the account is gone, or the name is the same. */
static const char *
account_renamed (TcAccountStore *store,
                 const char     *id,
                 const char     *recorded)
{
  TcAccount *account = store != NULL && id != NULL ? tc_account_store_find_by_id (store, id)
                                                   : NULL;
  const char *name = account != NULL ? tc_account_get_name (account) : NULL;

  return name != NULL && g_strcmp0 (name, recorded) != 0 ? name : NULL;
}

static gboolean
name_matches (const char *name,
              const char *folded)
{
  g_autofree char *folded_name = history_fold_part (name);

  return strstr (folded_name, folded) != NULL;
}

/* Whether @folded is in @text (an entry's search text, @length bytes) outside the line
 * @skip (nullable): the old name of a renamed account, which the row no longer shows. */
static gboolean
text_matches (const char *text,
              gsize       length,
              const char *skip,
              const char *folded)
{
  gsize folded_length = strlen (folded);
  gsize skip_length = skip != NULL ? strlen (skip) : 0;
  const char *end = text + length;
  const char *line = text;

  while (skip != NULL && line < end) {
    const char *next = memchr (line, '\n', (gsize) (end - line));
    gsize line_length = next != NULL ? (gsize) (next - line) : (gsize) (end - line);

    if (line_length == skip_length && memcmp (line, skip, skip_length) == 0)
      return memmem (text, (gsize) (line - text), folded, folded_length) != NULL ||
             memmem (line + skip_length, (gsize) (end - line - skip_length), folded,
                     folded_length) != NULL;
    line = next != NULL ? next + 1 : end;
  }
  return memmem (text, length, folded, folded_length) != NULL;
}

/* Whether the search @folded finds @record: in its text, in its region's name, or in its
 * account's name now. */
static gboolean
record_matches (TcAccountStore  *store,
                TcHistoryRecord *record,
                const char      *folded)
{
  const char *text = history_record_get_search (record);
  const char *renamed = account_renamed (store, record->account_id, record->account_name);
  g_autofree char *skip = renamed && record->account_name
                          ? history_fold_part (record->account_name) : NULL;

  return text_matches (text, strlen (text), skip, folded) ||
         tc_history_region_name_matches (record->region, folded) ||
         (renamed != NULL && name_matches (renamed, folded));
}

/* The entries @folded is found in, in their order: in their search text, or in the name
 * of their region (广州 finds ap-guangzhou), or in the name their account has now in
 * @store (nullable; the name recorded when the account is gone). The names come once per
 * region and account, not once per entry. (transfer container) */
static GPtrArray *
index_find (Index          *index,
            GPtrArray      *entries,
            TcAccountStore *store,
            const char     *folded)
{
  g_autofree guint8 *hit = g_new0 (guint8, entries->len + 1);
  g_autofree gboolean *named = g_new0 (gboolean, index->regions->len);
  g_autofree gboolean *renamed = g_new0 (gboolean, index->owners->len);
  g_autofree gboolean *owner_named = g_new0 (gboolean, index->owners->len);
  const guint32 *ends = (const guint32 *) (gpointer) index->ends->data;
  const char *text = index->text->str, *start = text, *end = text + index->text->len;
  gsize length = strlen (folded);
  GPtrArray *found = g_ptr_array_new ();
  guint i = 0, n = entries->len;
  const char *at;

  while (start < end && (at = memmem (start, (gsize) (end - start), folded, length))) {
    while (ends[i] <= (guint32) (at - text))
      i++;
    hit[i] = TRUE;
    start = text + ends[i++];
  }
  for (guint r = 0; r < index->regions->len; r++)
    named[r] = tc_history_region_name_matches (index->regions->pdata[r], folded);
  for (guint o = 0; o < index->owners->len; o++) {
    Owner *owner = index->owners->pdata[o];
    const char *now = account_renamed (store, owner->id, owner->name);

    renamed[o] = now != NULL;
    owner_named[o] = now != NULL && name_matches (now, folded);
  }
  for (i = n; i > 0; i--) {
    guint32 o = g_array_index (index->owned, guint32, i - 1);

    /* A hit in the text of an entry whose account was renamed may be in the old name. */
    if (hit[i - 1] && renamed[o]) {
      guint32 from = i > 1 ? ends[i - 2] : 0;

      hit[i - 1] = text_matches (text + from, ends[i - 1] - from - 1,
                                 ((Owner *) index->owners->pdata[o])->line, folded);
    }
    if (hit[i - 1] || named[g_array_index (index->places, guint16, i - 1)] || owner_named[o])
      g_ptr_array_add (found, entries->pdata[n - i]);
  }
  return found;
}

/* Jobs for the worker */

typedef enum {
  JOB_FIRST,       /* opens the file and begins a read: the newest FIRST_ROWS entries */
  JOB_REST,        /* the others, with the index of all, and ends the read */
  JOB_VERIFY,      /* checks the whole file: the load's notice, and what a damaged one held */
  JOB_PUT,
  JOB_DELETE,
  JOB_FLUSH,
  JOB_MAX_PAGES,
} JobKind;

typedef struct {
  JobKind          kind;
  TcHistoryRecord *data;        /* PUT: a copy; DELETE: the id in data->id, or NULL */
  gint64           value;       /* reads, DELETE without an id: older entries go; MAX_PAGES */
  guint            generation;  /* the history's when the job was asked for */
  GTask           *task;        /* without a source object: see push_job(); the worker's */
  GTask           *outer;       /* the caller's task (not a reference: task holds one) */
  /* What a read found, for the main thread. */
  GPtrArray       *entries;
  Index           *index;
  gboolean         replace;     /* the entries are what the file holds now: a damaged one
                                 * was replaced */
  char            *notice;
} Job;

static void
job_free (Job *job)
{
  g_clear_pointer (&job->data, history_record_free);
  g_clear_object (&job->task);
  g_clear_pointer (&job->entries, g_ptr_array_unref);
  g_clear_pointer (&job->index, index_free);
  g_free (job->notice);
  g_free (job);
}

/* The three parts of a load, asked for at once: nothing comes between them. */
static gboolean
read_part (Job       *job,
           HistoryDb *db,
           GError   **error)
{
  if (job->kind == JOB_FIRST) {
    if (!history_db_open (db, error) ||
        (job->value != G_MININT64 && !history_db_delete (db, NULL, job->value, error)))
      return FALSE;
    history_db_read_transaction (db, TRUE);
    job->entries = history_db_read (db, job->value, 0, FIRST_ROWS);
  } else if (job->kind == JOB_REST) {
    /* The first part again, for the index: the main thread has its own. */
    job->entries = history_db_read (db, job->value, 0, -1);
    history_db_read_transaction (db, FALSE);
    job->index = index_new (job->entries);
    g_ptr_array_remove_range (job->entries, 0, MIN (FIRST_ROWS, job->entries->len));
  } else {
    if (!history_db_open (db, error) || !history_db_verify (db, &job->entries, error))
      return FALSE;
    job->replace = job->entries != NULL;
    job->notice = history_db_steal_notice (db);
  }
  return TRUE;
}

static void
run_job (gpointer data,
         gpointer user_data)
{
  static _Thread_local gboolean yields;
  Job *job = data;
  HistoryDb *db = user_data;
  GError *error = NULL;
  gboolean ok = TRUE;
  GTask *task;

  /* The worker's work (an import, a load of 100,000 records) is never in a hurry: on a
   * busy machine the UI thread gets the core first, and draws its frames on time. */
  if (!yields) {
    setpriority (PRIO_PROCESS, (id_t) gettid (), 10);
    yields = TRUE;
  }

  if (job->kind <= JOB_VERIFY)
    ok = read_part (job, db, &error);
  else if (job->kind == JOB_PUT)
    ok = history_db_put (db, job->data, &error);
  else if (job->kind == JOB_DELETE)
    ok = history_db_delete (db, job->data ? job->data->id : NULL, job->value, &error);
  else if (job->kind == JOB_MAX_PAGES && history_db_open (db, NULL))
    history_db_set_max_pages (db, (guint) job->value);

  /* The job goes back to the main thread in its task; the task lives until its callback
   * has run. */
  task = g_steal_pointer (&job->task);
  if (ok) {
    g_task_return_pointer (task, job, (GDestroyNotify) job_free);
  } else {
    g_task_return_error (task, error);
    job_free (job);
  }
  g_object_unref (task);
}

/* TcHistory */

struct _TcHistory
{
  GObject      parent_instance;
  char        *path;            /* NULL: temporary */
  char        *file;            /* the database (a private folder's, for a temporary one) */
  GThreadPool *pool;            /* one thread: the database's writes, in order */
  HistoryDb   *db;

  GPtrArray   *entries;         /* TcHistoryEntry, newest first */
  GPtrArray   *shown;           /* what the model lists: entries itself, or the search's */
  char        *search;          /* folded; NULL: every entry */
  Index       *index;           /* the search's; NULL: to be made */
  TcAccountStore *accounts;     /* nullable: the names the search finds accounts by */
  gboolean     changed;         /* since the load began, or there were entries before */
  GHashTable  *added;           /* while loading: ids added (the file's rows give way) */
  guint        generation;      /* a clear: the rows of a load begun before are not wanted */
  gint64       cutoff;          /* retention: entries created before are gone */

  char        *problem;
  char        *notice;          /* what the last load set aside; NULL: not loaded */
  guint        retention_days;
};

static void tc_history_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TcHistory, tc_history, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      tc_history_list_model_init))

enum {
  PROP_0,
  PROP_PROBLEM,
  PROP_RETENTION_DAYS,
  PROP_N_ENTRIES,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

enum {
  SIGNAL_RECORDED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* The first of @list (newest first) created at @created or before, by halves. */
static guint
first_at (GPtrArray *list,
          gint64     created)
{
  guint lo = 0, hi = list->len;

  while (lo < hi) {
    guint mid = lo + (hi - lo) / 2;

    if (((TcHistoryEntry *) list->pdata[mid])->record.created > created)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

/* Where the entry @id is: among those of the time @created, or (G_MININT64) anywhere. */
static TcHistoryEntry *
find (TcHistory  *self,
      const char *id,
      gint64      created,
      guint      *index)
{
  for (guint i = created != G_MININT64 ? first_at (self->entries, created) : 0;
       i < self->entries->len; i++) {
    TcHistoryEntry *entry = self->entries->pdata[i];

    if (created != G_MININT64 && entry->record.created != created)
      break;
    if (g_str_equal (entry->record.id, id)) {
      *index = i;
      return entry;
    }
  }
  return NULL;
}

/* Telling the view */

/* The model lists @shown (taken) from now on: one change, of those between the ones that
 * stay at both ends. (The History view's rows stay in place and show what their place
 * lists now: see imprint-list-places.c.) */
static void
show (TcHistory *self,
      GPtrArray *shown)
{
  g_autoptr(GPtrArray) old = g_steal_pointer (&self->shown);
  guint n_old = old->len, n_new = shown->len, p = 0, s = 0;

  while (p < MIN (n_old, n_new) && old->pdata[p] == shown->pdata[p])
    p++;
  while (s < MIN (n_old, n_new) - p && old->pdata[n_old - 1 - s] == shown->pdata[n_new - 1 - s])
    s++;
  self->shown = shown;
  if (n_old - p - s > 0 || n_new - p - s > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), p, n_old - p - s, n_new - p - s);
}

/* What the search finds, again. */
static void
refresh (TcHistory *self)
{
  if (self->search != NULL && self->index == NULL)
    self->index = index_new (self->entries);
  show (self, self->search ? index_find (self->index, self->entries, self->accounts, self->search)
                           : g_ptr_array_ref (self->entries));
}

/* Where entry @at is in the list a search shows (TRUE), or would be: by halves on the
 * time, then those of the same time before it. */
static gboolean
place (TcHistory *self,
       guint      at,
       guint     *position)
{
  TcHistoryEntry *entry = self->entries->pdata[at];
  guint p = first_at (self->shown, entry->record.created);

  for (guint i = first_at (self->entries, entry->record.created); i < at; i++)
    p += p < self->shown->len && self->shown->pdata[p] == self->entries->pdata[i];
  *position = p;
  return p < self->shown->len && self->shown->pdata[p] == entry;
}

/* Entry @at came (in the entries already), changed in place (@remove, @entry) or goes
 * (@remove, out of the entries here): the index and the list shown follow it, in one
 * items-changed at its place. */
static void
entry_changed (TcHistory      *self,
               guint           at,
               gboolean        remove,
               TcHistoryEntry *entry)
{
  g_autoptr(TcHistoryEntry) gone = g_object_ref (self->entries->pdata[at]);
  guint position = at;
  gboolean was = remove, now = entry != NULL;

  if (self->index != NULL)
    index_splice (self->index, at, remove, entry);
  if (self->search != NULL) {
    was = place (self, at, &position) && remove;
    now = now && record_matches (self->accounts, &entry->record, self->search);
    if (was && !now)
      g_ptr_array_remove_index (self->shown, position);
    else if (now && !was)
      g_ptr_array_insert (self->shown, (int) position, entry);
  }
  if (entry == NULL)
    g_ptr_array_remove_index (self->entries, at);
  self->changed = TRUE;
  if (was || now)
    g_list_model_items_changed (G_LIST_MODEL (self), position, was, now);
  if (!remove || entry == NULL)
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_N_ENTRIES]);
}

/* The entries from @n on (the oldest) go; the index is made again at the next search. */
static void
truncate_entries (TcHistory *self,
                  guint      n)
{
  guint removed = self->entries->len - n;

  if (n >= self->entries->len)
    return;
  g_clear_pointer (&self->index, index_free);
  g_ptr_array_set_size (self->entries, (int) n);
  if (self->search == NULL)
    g_list_model_items_changed (G_LIST_MODEL (self), n, removed, 0);
  else
    refresh (self);
  self->changed = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_N_ENTRIES]);
}

/* GObject */

static void
tc_history_finalize (GObject *object)
{
  TcHistory *self = TC_HISTORY (object);

  /* Every job's task holds a reference on the history until its callback ran, so the
   * queue is empty. */
  g_thread_pool_free (self->pool, FALSE, TRUE);
  history_db_free (self->db);
  if (self->path == NULL) {
    g_autofree char *dir = g_path_get_dirname (self->file);
    const char *suffixes[] = { "", "-wal", "-shm" };

    for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++) {
      g_autofree char *file = g_strconcat (self->file, suffixes[i], NULL);

      g_unlink (file);
    }
    g_rmdir (dir);
  }
  g_clear_pointer (&self->added, g_hash_table_unref);
  g_ptr_array_unref (self->shown);
  g_ptr_array_unref (self->entries);
  g_clear_pointer (&self->index, index_free);
  g_clear_object (&self->accounts);
  g_free (self->search);
  g_free (self->path);
  g_free (self->file);
  g_free (self->problem);
  g_free (self->notice);

  G_OBJECT_CLASS (tc_history_parent_class)->finalize (object);
}

static void
tc_history_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  TcHistory *self = TC_HISTORY (object);

  if (prop_id == PROP_PROBLEM)
    g_value_set_string (value, self->problem);
  else if (prop_id == PROP_RETENTION_DAYS)
    g_value_set_uint (value, self->retention_days);
  else if (prop_id == PROP_N_ENTRIES)
    g_value_set_uint (value, self->entries->len);
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
tc_history_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  if (prop_id == PROP_RETENTION_DAYS)
    tc_history_set_retention_days (TC_HISTORY (object), g_value_get_uint (value));
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
tc_history_class_init (TcHistoryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = tc_history_finalize;
  object_class->get_property = tc_history_get_property;
  object_class->set_property = tc_history_set_property;

  props[PROP_PROBLEM] =
    g_param_spec_string ("problem", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  props[PROP_RETENTION_DAYS] =
    g_param_spec_uint ("retention-days", NULL, NULL, 0, G_MAXUINT / 2, 0,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* Every entry, whatever the search: a load's entries come with it, listed or not. */
  props[PROP_N_ENTRIES] =
    g_param_spec_uint ("n-entries", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);

  /* An entry was added or changed, whether the search lists it or not. */
  signals[SIGNAL_RECORDED] =
    g_signal_new ("recorded", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, TC_TYPE_HISTORY_ENTRY);
}

static void
tc_history_init (TcHistory *self)
{
  self->cutoff = G_MININT64;
  self->entries = g_ptr_array_new_with_free_func (g_object_unref);
  self->shown = g_ptr_array_ref (self->entries);
}

static GType
tc_history_get_item_type (GListModel *model)
{
  return TC_TYPE_HISTORY_ENTRY;
}

static guint
tc_history_get_n_items (GListModel *model)
{
  return TC_HISTORY (model)->shown->len;
}

static gpointer
tc_history_get_item (GListModel *model,
                     guint       position)
{
  GPtrArray *shown = TC_HISTORY (model)->shown;

  return position < shown->len ? g_object_ref (shown->pdata[position]) : NULL;
}

static void
tc_history_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = tc_history_get_item_type;
  iface->get_n_items = tc_history_get_n_items;
  iface->get_item = tc_history_get_item;
}

TcHistory *
tc_history_new (const char *path)
{
  TcHistory *self = g_object_new (TC_TYPE_HISTORY, NULL);

  self->path = path ? g_strdup (path)
                    : g_build_filename (g_get_user_data_dir (), "imprint", "history.db", NULL);
  self->file = g_strdup (self->path);
  self->db = history_db_new (self->file);
  /* One thread of its own, started now: the writes stay in order, the connection on one
   * thread, and the load starts at once. */
  self->pool = g_thread_pool_new (run_job, self->db, 1, TRUE, NULL);
  return self;
}

/* In the user's runtime folder (a tmpfs, private to the user), gone with the object. */
TcHistory *
tc_history_new_temporary (void)
{
  g_autofree char *dir = g_build_filename (g_get_user_runtime_dir (), "imprint-demo-XXXXXX",
                                           NULL);
  g_autofree char *file = NULL;
  TcHistory *self;

  if (g_mkdtemp_full (dir, 0700) == NULL)
    g_warning ("Could not make a folder for the demo's history: %s", g_strerror (errno));
  file = g_build_filename (dir, "history.db", NULL);
  self = tc_history_new (file);
  g_clear_pointer (&self->path, g_free);   /* temporary: no path of its own */
  return self;
}

const char *
tc_history_get_path (TcHistory *self)
{
  g_return_val_if_fail (TC_IS_HISTORY (self), NULL);
  return self->path;
}

/* Jobs */

static void
set_problem (TcHistory  *self,
             const char *problem)
{
  if (g_strcmp0 (self->problem, problem) != 0) {
    g_free (self->problem);
    self->problem = g_strdup (problem);
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_PROBLEM]);
  }
}

/* A load's entries join those in memory, unless it was cancelled or the history cleared
 * since: by their time, but those added meanwhile stay as they are and, with @replace, the
 * file's replace every other. */
static void
take_entries (TcHistory *self,
              Job       *job)
{
  GPtrArray *old = self->entries, *rows = job->entries;
  guint i = 0, j = 0, n_added = g_hash_table_size (self->added);

  /* The entries move from the two lists to the new one, untouched: a reference taken and
   * dropped on each of 100,000 objects made this 10-22 ms of the UI thread, not 3-4. */
  g_ptr_array_set_free_func (old, NULL);
  g_ptr_array_set_free_func (rows, NULL);
  self->entries = g_ptr_array_new_full (old->len + rows->len, g_object_unref);
  while (i < old->len || j < rows->len) {
    TcHistoryEntry *a = i < old->len ? old->pdata[i] : NULL;
    TcHistoryEntry *b = j < rows->len ? rows->pdata[j] : NULL;

    if (a != NULL && job->replace && !g_hash_table_contains (self->added, a->record.id))
      g_object_unref (old->pdata[i++]);
    else if (b != NULL && n_added > 0 && g_hash_table_contains (self->added, b->record.id))
      g_object_unref (rows->pdata[j++]);
    else if (a != NULL && (b == NULL || a->record.created >= b->record.created))
      g_ptr_array_add (self->entries, old->pdata[i++]);
    else
      g_ptr_array_add (self->entries, rows->pdata[j++]);
  }
  g_ptr_array_unref (old);
  /* The worker's index is of what it read: good while nothing else came or changed. */
  g_clear_pointer (&self->index, index_free);
  if (job->index != NULL && !self->changed)
    self->index = g_steal_pointer (&job->index);
  refresh (self);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_N_ENTRIES]);
}

/* Back on the main thread. */
static void
job_done_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TcHistory *self = g_task_get_source_object (task);
  JobKind kind = GPOINTER_TO_INT (g_task_get_task_data (G_TASK (result)));
  GError *error = NULL;
  Job *job = g_task_propagate_pointer (G_TASK (result), &error);
  gboolean cancelled = g_cancellable_is_cancelled (g_task_get_cancellable (task));

  if (kind > JOB_VERIFY && (job == NULL || kind == JOB_PUT || kind == JOB_DELETE))
    set_problem (self, job ? NULL : error->message);
  if (job != NULL && job->entries != NULL && self->added != NULL && !cancelled &&
      job->generation == self->generation)
    take_entries (self, job);
  if (kind == JOB_VERIFY) {
    g_clear_pointer (&self->added, g_hash_table_unref);
    if (job != NULL && !cancelled) {
      g_free (self->notice);
      self->notice = g_steal_pointer (&job->notice);
    }
  }
  /* A cancelled task reports G_IO_ERROR_CANCELLED, whatever it returns. */
  if (job == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
  g_clear_pointer (&job, job_free);
}

/* Queues a job; @callback is called on this thread when it is done (a write: durable),
 * with a task tagged tc_history_load_async or tc_history_write_finish. The worker must
 * never drop the last reference to the history: finalizing it there would wait for the
 * worker itself. So the job's task has no source object; it carries the caller's task
 * (which has) back to this thread. */
static void
push_job (TcHistory             *self,
          JobKind                kind,
          const TcHistoryRecord *data,
          gint64                 value,
          GCancellable          *cancellable,
          GAsyncReadyCallback    callback,
          gpointer               user_data)
{
  Job *job = g_new0 (Job, 1);
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, kind <= JOB_VERIFY ? (gpointer) tc_history_load_async
                                                  : (gpointer) tc_history_write_finish);
  job->kind = kind;
  job->data = data ? history_record_dup (data) : NULL;
  job->value = value;
  job->generation = self->generation;
  job->task = g_task_new (NULL, NULL, job_done_cb, task);
  job->outer = task;
  g_task_set_source_tag (job->task, push_job);
  g_task_set_task_data (job->task, GINT_TO_POINTER (kind), NULL);
  g_thread_pool_push (self->pool, job, NULL);
}

static gboolean
task_finish (TcHistory     *self,
             GAsyncResult  *result,
             gpointer       tag,
             GError       **error)
{
  g_return_val_if_fail (TC_IS_HISTORY (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tag, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Loading */

void
tc_history_load_async (TcHistory           *self,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_return_if_fail (TC_IS_HISTORY (self));

  /* What is in memory now stays as it is. */
  self->changed = self->entries->len > 0;
  g_clear_pointer (&self->added, g_hash_table_unref);
  self->added = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < self->entries->len; i++)
    g_hash_table_add (self->added, g_strdup (((TcHistoryEntry *) self->entries->pdata[i])->record.id));
  push_job (self, JOB_FIRST, NULL, self->cutoff, cancellable, NULL, NULL);
  push_job (self, JOB_REST, NULL, self->cutoff, cancellable, NULL, NULL);
  push_job (self, JOB_VERIFY, NULL, self->cutoff, cancellable, callback, user_data);
}

/* Every write's task has this tag. */
gboolean
tc_history_write_finish (TcHistory     *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  return task_finish (self, result, tc_history_write_finish, error);
}

gboolean
tc_history_load_finish (TcHistory     *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  return task_finish (self, result, tc_history_load_async, error);
}

gboolean
tc_history_is_loaded (TcHistory *self)
{
  g_return_val_if_fail (TC_IS_HISTORY (self), FALSE);
  return self->notice != NULL;
}

/* Entries */

TcHistoryEntry *
tc_history_find_by_id (TcHistory  *self,
                       const char *id)
{
  guint index;

  g_return_val_if_fail (TC_IS_HISTORY (self), NULL);
  return id ? find (self, id, G_MININT64, &index) : NULL;
}

GPtrArray *
tc_history_list_unfinished (TcHistory *self)
{
  GPtrArray *list = g_ptr_array_new_with_free_func (g_object_unref);

  g_return_val_if_fail (TC_IS_HISTORY (self), list);

  for (guint i = 0; i < self->entries->len; i++) {
    TcHistoryEntry *entry = self->entries->pdata[i];

    if (entry->record.outcome == TC_HISTORY_OUTCOME_CREATING)
      g_ptr_array_add (list, g_object_ref (entry));
  }
  return list;
}

GHashTable *
tc_history_dup_image_sources (TcHistory  *self,
                              const char *region)
{
  GHashTable *sources = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  const char *interned = g_intern_string (region);

  g_return_val_if_fail (TC_IS_HISTORY (self), sources);

  for (guint i = 0; i < self->entries->len; i++) {
    const TcHistoryRecord *r = &((TcHistoryEntry *) self->entries->pdata[i])->record;
    const char *instance = r->instance_name && *r->instance_name ? r->instance_name
                                                                 : r->instance_id;

    if (r->region == interned && r->kind == TC_HISTORY_KIND_CREATE && r->image_id != NULL &&
        instance != NULL && !g_hash_table_contains (sources, r->image_id))
      g_hash_table_insert (sources, g_strdup (r->image_id), g_strdup (instance));
  }
  return sources;
}

void
tc_history_add_async (TcHistory           *self,
                      TcHistoryEntry      *entry,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  guint index;

  g_return_if_fail (TC_IS_HISTORY (self));
  g_return_if_fail (TC_IS_HISTORY_ENTRY (entry));
  g_return_if_fail (!entry->sealed);
  /* Not a copy of a stored one (the same id and time). */
  g_return_if_fail (!find (self, entry->record.id, entry->record.created, &index));

  history_record_normalize (&entry->record);
  entry->sealed = TRUE;
  /* Newest first; of the same time, the later addition first. */
  index = first_at (self->entries, entry->record.created);
  g_ptr_array_insert (self->entries, (int) index, g_object_ref (entry));
  if (self->added != NULL)
    g_hash_table_add (self->added, g_strdup (entry->record.id));
  /* "recorded" first: the count has grown by this one before the model says so. */
  g_signal_emit (self, signals[SIGNAL_RECORDED], 0, entry);
  entry_changed (self, index, FALSE, entry);
  push_job (self, JOB_PUT, &entry->record, 0, cancellable, callback, user_data);
}

static void
report_not_found (TcHistory           *self,
                  GAsyncReadyCallback  callback,
                  gpointer             user_data)
{
  g_task_report_new_error (self, callback, user_data, tc_history_write_finish, TC_HISTORY_ERROR,
                           TC_HISTORY_ERROR_NOT_FOUND, "%s",
                           _("This history entry has been removed."));
}

void
tc_history_update_async (TcHistory           *self,
                         TcHistoryEntry      *changes,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  const TcHistoryRecord *asked;
  TcHistoryEntry *stored;
  TcHistoryRecord *updated;
  guint index;

  g_return_if_fail (TC_IS_HISTORY (self));
  g_return_if_fail (TC_IS_HISTORY_ENTRY (changes));

  asked = &changes->record;
  stored = find (self, asked->id, asked->created, &index);
  if (stored == NULL && (stored = find (self, asked->id, G_MININT64, &index)) == NULL) {
    report_not_found (self, callback, user_data);
    return;
  }

  /* The entry takes every field but its time (it stays where it is). */
  updated = history_record_dup (asked);
  history_record_normalize (updated);
  updated->created = stored->record.created;
  if (!history_record_equal (&stored->record, updated)) {
    tc_history_entry_replace (stored, updated);
    /* Listed before and after, a view looks at it again; or it comes or goes. */
    entry_changed (self, index, TRUE, stored);
    g_signal_emit (self, signals[SIGNAL_RECORDED], 0, stored);
  } else {
    history_record_free (updated);
  }
  push_job (self, JOB_PUT, &stored->record, 0, cancellable, callback, user_data);
}

void
tc_history_remove_async (TcHistory           *self,
                         TcHistoryEntry      *entry,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autofree char *id = NULL;
  guint index;

  g_return_if_fail (TC_IS_HISTORY (self));
  g_return_if_fail (TC_IS_HISTORY_ENTRY (entry));

  id = g_strdup (entry->record.id);
  if (find (self, id, entry->record.created, &index) != entry) {
    report_not_found (self, callback, user_data);
    return;
  }
  entry_changed (self, index, TRUE, NULL);
  push_job (self, JOB_DELETE, &(TcHistoryRecord) { .id = id }, 0, cancellable, callback,
            user_data);
}

void
tc_history_clear_async (TcHistory           *self,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_return_if_fail (TC_IS_HISTORY (self));

  self->generation++;
  truncate_entries (self, 0);
  push_job (self, JOB_DELETE, NULL, G_MAXINT64, cancellable, callback, user_data);
}

void
tc_history_flush_async (TcHistory           *self,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_return_if_fail (TC_IS_HISTORY (self));

  push_job (self, JOB_FLUSH, NULL, 0, cancellable, callback, user_data);
}

void
tc_history_set_search (TcHistory  *self,
                       const char *text)
{
  g_autofree char *folded = tc_history_fold_search (text);

  g_return_if_fail (TC_IS_HISTORY (self));

  if (g_strcmp0 (folded, self->search) == 0)
    return;
  g_free (self->search);
  self->search = g_steal_pointer (&folded);
  refresh (self);
}

/* An account added, removed or renamed: what the search finds by its name, again. */
static void
accounts_changed_cb (TcHistory *self)
{
  if (self->search != NULL)
    refresh (self);
}

void
tc_history_set_account_store (TcHistory      *self,
                              TcAccountStore *store)
{
  g_return_if_fail (TC_IS_HISTORY (self));
  g_return_if_fail (store == NULL || TC_IS_ACCOUNT_STORE (store));

  if (self->accounts == store)
    return;
  if (self->accounts != NULL)
    g_signal_handlers_disconnect_by_func (self->accounts, accounts_changed_cb, self);
  g_set_object (&self->accounts, store);
  if (store != NULL)
    g_signal_connect_object (store, "items-changed", G_CALLBACK (accounts_changed_cb), self,
                             G_CONNECT_SWAPPED);
  accounts_changed_cb (self);
}

guint
tc_history_get_n_entries (TcHistory *self)
{
  g_return_val_if_fail (TC_IS_HISTORY (self), 0);
  return self->entries->len;
}

/* What the last load said */

char *
tc_history_dup_unreadable_message (TcHistory *self)
{
  g_return_val_if_fail (TC_IS_HISTORY (self), NULL);
  return self->notice && *self->notice ? g_strdup (self->notice) : NULL;
}

const char *
tc_history_get_problem (TcHistory *self)
{
  g_return_val_if_fail (TC_IS_HISTORY (self), NULL);
  return self->problem;
}

/* Retention */

guint
tc_history_get_retention_days (TcHistory *self)
{
  g_return_val_if_fail (TC_IS_HISTORY (self), 0);
  return self->retention_days;
}

void
tc_history_set_retention_days (TcHistory *self,
                               guint      days)
{
  g_return_if_fail (TC_IS_HISTORY (self));

  days = MIN (days, G_MAXUINT / 2);
  if (self->retention_days == days)
    return;
  self->retention_days = days;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_RETENTION_DAYS]);
  if (days == 0)
    return;   /* what is gone stays gone */

  /* The oldest entries leave the end of the model now, and the file soon. */
  self->cutoff = g_get_real_time () - (gint64) days * 24 * 3600 * G_USEC_PER_SEC;
  truncate_entries (self, first_at (self->entries, self->cutoff - 1));
  if (self->notice != NULL)
    push_job (self, JOB_DELETE, NULL, self->cutoff, NULL, NULL, NULL);
}

void
tc_history_set_max_pages (TcHistory *self,
                          guint      max_pages)
{
  g_return_if_fail (TC_IS_HISTORY (self));

  push_job (self, JOB_MAX_PAGES, NULL, max_pages, NULL, NULL, NULL);
}

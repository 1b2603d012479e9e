/* tc-history.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The file, history.jsonl, is a log of JSON lines, each a complete record ending in "\n":
 *
 *   {"v":1,"op":"put","id":"…","kind":"check"|"create","created":<µs since 1970, UTC>,
 *    "account":…,"protocol":"api3"|"legacy","region":…,"instance_id":…,
 *    "instance_name":…,"image_name":…,"image_description":…,"force_poweroff":bool,
 *    "sysprep":bool,"data_disk_ids":[…],"tags":[key,value,key,value,…],
 *    "outcome":"dry-run-passed"|"dry-run-failed"|"request-failed"|"creating"|"ready"|
 *              "failed","error_code":…,"error_message":…,"image_id":…,"request_id":…,
 *    "last_checked":<µs>}
 *   {"v":1,"op":"del","id":"…"}
 *   {"v":1,"op":"clear"}
 *
 * A put is a full snapshot of an entry: the last put of an id wins, a del removes it, a
 * clear removes everything before it. Members that are unset are left out; unknown
 * members are skipped (and kept by compaction, which copies lines verbatim). A record
 * with "v" above 1 was written by a newer Imprint: it is counted as unreadable.
 *
 * Durability. Every change is one line written with a single write() to a descriptor
 * opened with O_APPEND, then fdatasync(); only then is it reported durable. Writes run in
 * one worker (a GThreadPool of one thread), in the order they were asked for. A kill at any
 * instant leaves at most a partial last line, which the next load ignores and cuts off
 * (and the next append checks the last byte first, so a record always starts on a fresh
 * line). A write that fails is cut back off the file, so a record is never half-kept.
 *
 * Damage. A line that cannot be read (other than the last one) is skipped and counted.
 * Before anything rewrites such a file, it is copied aside as
 * history.jsonl.corrupt-YYYYmmdd-HHMMSS (a hard link when the file system allows, else a
 * copy); the load then compacts right away, so the damage is reported once.
 *
 * Compaction. When the file holds more than twice as many lines as live records (and more
 * than COMPACT_MIN_LINES), the live records are written to a temporary file in the same
 * folder, which is synced, renamed over the log, and the folder synced: a crash leaves the
 * old log or the new one. Clearing always compacts, so cleared entries leave the disk.
 *
 * Two Imprints (the stable and the development build) may share the file: every append,
 * repair and compaction holds flock(LOCK_EX), and an appender whose descriptor no longer
 * names the file (another process compacted it) reopens it before writing.
 *
 * Speed. Lines are read with a small strict parser of exactly this format (json-glib
 * costs several times more per line); records are turned into entries, sorted and indexed
 * in the worker, so the main thread only splices them into the model.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tc-history.h"
#include "tc-history-private.h"
#include "tc-error.h"

#define HISTORY_FORMAT_VERSION 1

/* Longest text kept in one field: far beyond any name, id or server message. */
#define MAX_FIELD_BYTES (16 * 1024)
#define MAX_LIST_ITEMS  256

/* A history file of this size would hold millions of records; anything bigger is not ours. */
#define MAX_FILE_SIZE ((goffset) 1 << 30)

#define COMPACT_MIN_LINES 1000

/* The times GDateTime can hold (years 1 to 9999), in µs since 1970: a record outside is
 * not one this file wrote. */
#define MIN_TIME_US (G_GINT64_CONSTANT (-62135596800) * G_USEC_PER_SEC)
#define MAX_TIME_US (G_GINT64_CONSTANT (253402300798) * G_USEC_PER_SEC)

/* Unknown members may nest (a newer format); the parser recurses this deep at most. */
#define MAX_SKIP_DEPTH 16

G_DEFINE_QUARK (tc-history-error-quark, tc_history_error)

G_DEFINE_ENUM_TYPE (TcHistoryKind, tc_history_kind,
  G_DEFINE_ENUM_VALUE (TC_HISTORY_KIND_CHECK, "check"),
  G_DEFINE_ENUM_VALUE (TC_HISTORY_KIND_CREATE, "create"))

G_DEFINE_ENUM_TYPE (TcHistoryOutcome, tc_history_outcome,
  G_DEFINE_ENUM_VALUE (TC_HISTORY_OUTCOME_DRY_RUN_PASSED, "dry-run-passed"),
  G_DEFINE_ENUM_VALUE (TC_HISTORY_OUTCOME_DRY_RUN_FAILED, "dry-run-failed"),
  G_DEFINE_ENUM_VALUE (TC_HISTORY_OUTCOME_REQUEST_FAILED, "request-failed"),
  G_DEFINE_ENUM_VALUE (TC_HISTORY_OUTCOME_CREATING, "creating"),
  G_DEFINE_ENUM_VALUE (TC_HISTORY_OUTCOME_READY, "ready"),
  G_DEFINE_ENUM_VALUE (TC_HISTORY_OUTCOME_FAILED, "failed"))

/* The names in the file; an enum's value is its index. */
static const char * const kind_names[] = { "check", "create" };
static const char * const protocol_names[] = { "api3", "legacy" };
static const char * const outcome_names[] = {
  "dry-run-passed", "dry-run-failed", "request-failed", "creating", "ready", "failed",
};
static const char * const op_names[] = { "put", "del", "clear" };

G_STATIC_ASSERT (G_N_ELEMENTS (kind_names) == TC_HISTORY_KIND_CREATE + 1);
G_STATIC_ASSERT (G_N_ELEMENTS (protocol_names) == TC_PROTOCOL_LEGACY + 1);
G_STATIC_ASSERT (G_N_ELEMENTS (outcome_names) == TC_HISTORY_OUTCOME_FAILED + 1);

gboolean
tc_history_outcome_is_final (TcHistoryOutcome outcome)
{
  return outcome != TC_HISTORY_OUTCOME_CREATING;
}

/**
 * tc_history_outcome_describe:
 *
 * Returns: (transfer none): a short translated label for @outcome
 */
const char *
tc_history_outcome_describe (TcHistoryOutcome outcome)
{
  switch (outcome) {
  case TC_HISTORY_OUTCOME_DRY_RUN_PASSED:
    /* TRANSLATORS: state of a history entry: a dry run said the request would work */
    return _("Check passed");
  case TC_HISTORY_OUTCOME_DRY_RUN_FAILED:
    /* TRANSLATORS: state of a history entry: a dry run was refused */
    return _("Check failed");
  case TC_HISTORY_OUTCOME_REQUEST_FAILED:
    /* TRANSLATORS: state of a history entry: the image request was refused or lost */
    return _("Request failed");
  case TC_HISTORY_OUTCOME_CREATING:
    /* TRANSLATORS: state of a history entry: the image is being made */
    return C_("history state", "Creating");
  case TC_HISTORY_OUTCOME_READY:
    /* TRANSLATORS: state of a history entry: the image is ready to use */
    return C_("history state", "Ready");
  case TC_HISTORY_OUTCOME_FAILED:
  default:
    /* TRANSLATORS: state of a history entry: making the image failed */
    return C_("history state", "Failed");
  }
}

/* Entry data
 *
 * The plain fields of an entry, shared by the GObject, the serializer and the parser
 * (which fills them in the worker thread). */

typedef struct {
  char             *id;
  TcHistoryKind     kind;
  gint64            created;         /* µs since 1970, UTC */
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
} EntryData;

static void
entry_data_clear (EntryData *data)
{
  g_clear_pointer (&data->id, g_free);
  g_clear_pointer (&data->account_name, g_free);
  g_clear_pointer (&data->region, g_free);
  g_clear_pointer (&data->instance_id, g_free);
  g_clear_pointer (&data->instance_name, g_free);
  g_clear_pointer (&data->image_name, g_free);
  g_clear_pointer (&data->image_description, g_free);
  g_clear_pointer (&data->data_disk_ids, g_strfreev);
  g_clear_pointer (&data->tags, g_strfreev);
  g_clear_pointer (&data->error_code, g_free);
  g_clear_pointer (&data->error_message, g_free);
  g_clear_pointer (&data->image_id, g_free);
  g_clear_pointer (&data->request_id, g_free);
}

static void
entry_data_copy (EntryData       *dest,
                 const EntryData *src)
{
  *dest = *src;
  dest->id = g_strdup (src->id);
  dest->account_name = g_strdup (src->account_name);
  dest->region = g_strdup (src->region);
  dest->instance_id = g_strdup (src->instance_id);
  dest->instance_name = g_strdup (src->instance_name);
  dest->image_name = g_strdup (src->image_name);
  dest->image_description = g_strdup (src->image_description);
  dest->data_disk_ids = g_strdupv (src->data_disk_ids);
  dest->tags = g_strdupv (src->tags);
  dest->error_code = g_strdup (src->error_code);
  dest->error_message = g_strdup (src->error_message);
  dest->image_id = g_strdup (src->image_id);
  dest->request_id = g_strdup (src->request_id);
}

/* Text as it is kept: valid UTF-8, at most MAX_FIELD_BYTES. */
static char *
normalize_text (const char *text)
{
  char *valid;
  gsize len;

  if (text == NULL)
    return NULL;

  valid = g_utf8_validate (text, -1, NULL) ? g_strdup (text) : g_utf8_make_valid (text, -1);
  len = strlen (valid);
  if (len > MAX_FIELD_BYTES) {
    const char *end = g_utf8_find_prev_char (valid, valid + MAX_FIELD_BYTES + 1);

    valid[end - valid] = '\0';
  }
  return valid;
}

/* A list as it is kept: NULL when empty, each item normalized, at most MAX_LIST_ITEMS. */
static GStrv
normalize_list (const char * const *items,
                guint               max_items)
{
  g_autoptr(GStrvBuilder) builder = NULL;
  guint n = 0;

  if (items == NULL || items[0] == NULL)
    return NULL;

  builder = g_strv_builder_new ();
  for (guint i = 0; items[i] != NULL && n < max_items; i++, n++) {
    g_autofree char *item = normalize_text (items[i]);

    g_strv_builder_add (builder, item);
  }
  return g_strv_builder_end (builder);
}

static gint64
datetime_to_us (GDateTime *datetime)
{
  return g_date_time_to_unix (datetime) * G_USEC_PER_SEC + g_date_time_get_microsecond (datetime);
}

static GDateTime *
datetime_from_us (gint64 us)
{
  gint64 seconds = us / G_USEC_PER_SEC;
  gint64 rest = us % G_USEC_PER_SEC;
  g_autoptr(GDateTime) whole = NULL;

  if (rest < 0) {
    seconds -= 1;
    rest += G_USEC_PER_SEC;
  }
  whole = g_date_time_new_from_unix_local (seconds);
  if (whole == NULL)
    return NULL;
  return g_date_time_add (whole, rest);
}

/* TcHistoryEntry */

struct _TcHistoryEntry
{
  GObject     parent_instance;
  EntryData   data;
  GDateTime  *created_cache;       /* made on demand from data.created */
  GDateTime  *last_checked_cache;  /* made on demand from data.last_checked */
  gboolean    sealed;              /* in a store (or was): only the store changes it */
};

G_DEFINE_FINAL_TYPE (TcHistoryEntry, tc_history_entry, G_TYPE_OBJECT)

enum {
  PROP_ENTRY_0,
  PROP_ID,
  PROP_KIND,
  PROP_CREATED,
  PROP_ACCOUNT_NAME,
  PROP_PROTOCOL,
  PROP_REGION,
  PROP_INSTANCE_ID,
  PROP_INSTANCE_NAME,
  PROP_IMAGE_NAME,
  PROP_IMAGE_DESCRIPTION,
  PROP_FORCE_POWEROFF,
  PROP_SYSPREP,
  PROP_DATA_DISK_IDS,
  PROP_TAGS,
  PROP_OUTCOME,
  PROP_ERROR_CODE,
  PROP_ERROR_MESSAGE,
  PROP_IMAGE_ID,
  PROP_REQUEST_ID,
  PROP_LAST_CHECKED,
  N_ENTRY_PROPS
};

static GParamSpec *entry_props[N_ENTRY_PROPS];

static void
notify_entry (TcHistoryEntry *self,
              guint           prop)
{
  g_object_notify_by_pspec (G_OBJECT (self), entry_props[prop]);
}

/* The change helpers set a field and notify, only when the value really differs. */

static gboolean
change_text (TcHistoryEntry  *self,
             char           **field,
             const char      *value,
             guint            prop)
{
  g_autofree char *normalized = normalize_text (value);

  if (g_strcmp0 (*field, normalized) == 0)
    return FALSE;

  g_free (*field);
  *field = g_steal_pointer (&normalized);
  notify_entry (self, prop);
  return TRUE;
}

static gboolean
strv_equal0 (const char * const *a,
             const char * const *b)
{
  if (a == NULL || b == NULL)
    return a == b;
  return g_strv_equal (a, b);
}

static gboolean
change_list (TcHistoryEntry      *self,
             GStrv               *field,
             const char * const  *value,
             guint                max_items,
             guint                prop)
{
  g_auto(GStrv) normalized = normalize_list (value, max_items);

  if (strv_equal0 ((const char * const *) *field, (const char * const *) normalized))
    return FALSE;

  g_strfreev (*field);
  *field = g_steal_pointer (&normalized);
  notify_entry (self, prop);
  return TRUE;
}

static gboolean
change_bool (TcHistoryEntry *self,
             gboolean       *field,
             gboolean        value,
             guint           prop)
{
  value = !!value;
  if (*field == value)
    return FALSE;
  *field = value;
  notify_entry (self, prop);
  return TRUE;
}

static gboolean
change_time (TcHistoryEntry  *self,
             gint64          *field,
             GDateTime      **cache,
             gint64           value,
             guint            prop)
{
  if (*field == value)
    return FALSE;
  *field = value;
  g_clear_pointer (cache, g_date_time_unref);
  notify_entry (self, prop);
  return TRUE;
}

static gboolean
change_protocol (TcHistoryEntry *self,
                 TcProtocol      protocol)
{
  if (self->data.protocol == protocol)
    return FALSE;
  self->data.protocol = protocol;
  notify_entry (self, PROP_PROTOCOL);
  return TRUE;
}

static gboolean
change_outcome (TcHistoryEntry   *self,
                TcHistoryOutcome  outcome)
{
  if (self->data.outcome == outcome)
    return FALSE;
  self->data.outcome = outcome;
  notify_entry (self, PROP_OUTCOME);
  return TRUE;
}

/* Takes every field of @changes but id, kind and created; the store calls this on its
 * own (sealed) entries. */
static gboolean
entry_take_changes (TcHistoryEntry *self,
                    TcHistoryEntry *changes)
{
  const EntryData *c = &changes->data;
  gboolean changed = FALSE;

  if (self == changes)
    return FALSE;

  g_object_freeze_notify (G_OBJECT (self));
  changed |= change_text (self, &self->data.account_name, c->account_name, PROP_ACCOUNT_NAME);
  changed |= change_protocol (self, c->protocol);
  changed |= change_text (self, &self->data.region, c->region, PROP_REGION);
  changed |= change_text (self, &self->data.instance_id, c->instance_id, PROP_INSTANCE_ID);
  changed |= change_text (self, &self->data.instance_name, c->instance_name,
                          PROP_INSTANCE_NAME);
  changed |= change_text (self, &self->data.image_name, c->image_name, PROP_IMAGE_NAME);
  changed |= change_text (self, &self->data.image_description, c->image_description,
                          PROP_IMAGE_DESCRIPTION);
  changed |= change_bool (self, &self->data.force_poweroff, c->force_poweroff,
                          PROP_FORCE_POWEROFF);
  changed |= change_bool (self, &self->data.sysprep, c->sysprep, PROP_SYSPREP);
  changed |= change_list (self, &self->data.data_disk_ids,
                          (const char * const *) c->data_disk_ids, MAX_LIST_ITEMS,
                          PROP_DATA_DISK_IDS);
  changed |= change_list (self, &self->data.tags, (const char * const *) c->tags,
                          2 * MAX_LIST_ITEMS, PROP_TAGS);
  changed |= change_outcome (self, c->outcome);
  changed |= change_text (self, &self->data.error_code, c->error_code, PROP_ERROR_CODE);
  changed |= change_text (self, &self->data.error_message, c->error_message,
                          PROP_ERROR_MESSAGE);
  changed |= change_text (self, &self->data.image_id, c->image_id, PROP_IMAGE_ID);
  changed |= change_text (self, &self->data.request_id, c->request_id, PROP_REQUEST_ID);
  changed |= change_time (self, &self->data.last_checked, &self->last_checked_cache,
                          c->last_checked, PROP_LAST_CHECKED);
  g_object_thaw_notify (G_OBJECT (self));

  return changed;
}

static GStrv
dup_tag_texts (TcHistoryEntry *self)
{
  g_autoptr(GStrvBuilder) builder = NULL;
  guint n = tc_history_entry_get_n_tags (self);

  if (n == 0)
    return NULL;

  builder = g_strv_builder_new ();
  for (guint i = 0; i < n; i++) {
    g_autofree char *text = g_strconcat (self->data.tags[2 * i], "=",
                                         self->data.tags[2 * i + 1], NULL);

    g_strv_builder_add (builder, text);
  }
  return g_strv_builder_end (builder);
}

static void
tc_history_entry_finalize (GObject *object)
{
  TcHistoryEntry *self = TC_HISTORY_ENTRY (object);

  entry_data_clear (&self->data);
  g_clear_pointer (&self->created_cache, g_date_time_unref);
  g_clear_pointer (&self->last_checked_cache, g_date_time_unref);

  G_OBJECT_CLASS (tc_history_entry_parent_class)->finalize (object);
}

static void
tc_history_entry_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  TcHistoryEntry *self = TC_HISTORY_ENTRY (object);

  switch (prop_id) {
  case PROP_ID:
    g_value_set_string (value, self->data.id);
    break;
  case PROP_KIND:
    g_value_set_enum (value, self->data.kind);
    break;
  case PROP_CREATED:
    g_value_set_boxed (value, tc_history_entry_get_created (self));
    break;
  case PROP_ACCOUNT_NAME:
    g_value_set_string (value, self->data.account_name);
    break;
  case PROP_PROTOCOL:
    g_value_set_uint (value, self->data.protocol);
    break;
  case PROP_REGION:
    g_value_set_string (value, self->data.region);
    break;
  case PROP_INSTANCE_ID:
    g_value_set_string (value, self->data.instance_id);
    break;
  case PROP_INSTANCE_NAME:
    g_value_set_string (value, self->data.instance_name);
    break;
  case PROP_IMAGE_NAME:
    g_value_set_string (value, self->data.image_name);
    break;
  case PROP_IMAGE_DESCRIPTION:
    g_value_set_string (value, self->data.image_description);
    break;
  case PROP_FORCE_POWEROFF:
    g_value_set_boolean (value, self->data.force_poweroff);
    break;
  case PROP_SYSPREP:
    g_value_set_boolean (value, self->data.sysprep);
    break;
  case PROP_DATA_DISK_IDS:
    g_value_set_boxed (value, self->data.data_disk_ids);
    break;
  case PROP_TAGS:
    g_value_take_boxed (value, dup_tag_texts (self));
    break;
  case PROP_OUTCOME:
    g_value_set_enum (value, self->data.outcome);
    break;
  case PROP_ERROR_CODE:
    g_value_set_string (value, self->data.error_code);
    break;
  case PROP_ERROR_MESSAGE:
    g_value_set_string (value, self->data.error_message);
    break;
  case PROP_IMAGE_ID:
    g_value_set_string (value, self->data.image_id);
    break;
  case PROP_REQUEST_ID:
    g_value_set_string (value, self->data.request_id);
    break;
  case PROP_LAST_CHECKED:
    g_value_set_boxed (value, tc_history_entry_get_last_checked (self));
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
tc_history_entry_class_init (TcHistoryEntryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = tc_history_entry_finalize;
  object_class->get_property = tc_history_entry_get_property;

  entry_props[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, ro);
  entry_props[PROP_KIND] =
    g_param_spec_enum ("kind", NULL, NULL, TC_TYPE_HISTORY_KIND, TC_HISTORY_KIND_CHECK, ro);
  entry_props[PROP_CREATED] =
    g_param_spec_boxed ("created", NULL, NULL, G_TYPE_DATE_TIME, ro);
  entry_props[PROP_ACCOUNT_NAME] = g_param_spec_string ("account-name", NULL, NULL, NULL, ro);
  entry_props[PROP_PROTOCOL] =
    g_param_spec_uint ("protocol", NULL, NULL, TC_PROTOCOL_API3, TC_PROTOCOL_LEGACY,
                       TC_PROTOCOL_API3, ro);
  entry_props[PROP_REGION] = g_param_spec_string ("region", NULL, NULL, NULL, ro);
  entry_props[PROP_INSTANCE_ID] = g_param_spec_string ("instance-id", NULL, NULL, NULL, ro);
  entry_props[PROP_INSTANCE_NAME] =
    g_param_spec_string ("instance-name", NULL, NULL, NULL, ro);
  entry_props[PROP_IMAGE_NAME] = g_param_spec_string ("image-name", NULL, NULL, NULL, ro);
  entry_props[PROP_IMAGE_DESCRIPTION] =
    g_param_spec_string ("image-description", NULL, NULL, NULL, ro);
  entry_props[PROP_FORCE_POWEROFF] =
    g_param_spec_boolean ("force-poweroff", NULL, NULL, FALSE, ro);
  entry_props[PROP_SYSPREP] = g_param_spec_boolean ("sysprep", NULL, NULL, FALSE, ro);
  entry_props[PROP_DATA_DISK_IDS] =
    g_param_spec_boxed ("data-disk-ids", NULL, NULL, G_TYPE_STRV, ro);
  entry_props[PROP_TAGS] = g_param_spec_boxed ("tags", NULL, NULL, G_TYPE_STRV, ro);
  entry_props[PROP_OUTCOME] =
    g_param_spec_enum ("outcome", NULL, NULL, TC_TYPE_HISTORY_OUTCOME,
                       TC_HISTORY_OUTCOME_DRY_RUN_PASSED, ro);
  entry_props[PROP_ERROR_CODE] = g_param_spec_string ("error-code", NULL, NULL, NULL, ro);
  entry_props[PROP_ERROR_MESSAGE] =
    g_param_spec_string ("error-message", NULL, NULL, NULL, ro);
  entry_props[PROP_IMAGE_ID] = g_param_spec_string ("image-id", NULL, NULL, NULL, ro);
  entry_props[PROP_REQUEST_ID] = g_param_spec_string ("request-id", NULL, NULL, NULL, ro);
  entry_props[PROP_LAST_CHECKED] =
    g_param_spec_boxed ("last-checked", NULL, NULL, G_TYPE_DATE_TIME, ro);

  g_object_class_install_properties (object_class, N_ENTRY_PROPS, entry_props);
}

static void
tc_history_entry_init (TcHistoryEntry *self)
{
}

/* A stored entry made from parsed fields, which it takes (@data is left empty). */
static TcHistoryEntry *
entry_new_from_data (EntryData *data)
{
  TcHistoryEntry *self = g_object_new (TC_TYPE_HISTORY_ENTRY, NULL);

  self->data = *data;
  memset (data, 0, sizeof *data);
  self->sealed = TRUE;
  return self;
}

/**
 * tc_history_entry_new:
 *
 * Returns: (transfer full): a new entry with a random id, created now
 */
TcHistoryEntry *
tc_history_entry_new (TcHistoryKind kind)
{
  TcHistoryEntry *self;

  g_return_val_if_fail (kind == TC_HISTORY_KIND_CHECK || kind == TC_HISTORY_KIND_CREATE, NULL);

  self = g_object_new (TC_TYPE_HISTORY_ENTRY, NULL);
  self->data.id = g_uuid_string_random ();
  self->data.kind = kind;
  self->data.created = g_get_real_time ();
  self->data.protocol = TC_PROTOCOL_API3;
  self->data.outcome = kind == TC_HISTORY_KIND_CHECK ? TC_HISTORY_OUTCOME_DRY_RUN_PASSED
                                                     : TC_HISTORY_OUTCOME_CREATING;
  return self;
}

/**
 * tc_history_entry_new_for_request:
 * @account_name: (nullable): the account's name (never its keys)
 * @region: (nullable): the region the request went to
 * @instance_name: (nullable): the instance's display name
 * @request: what the image form sent
 *
 * Returns: (transfer full): a new entry describing @request
 */
TcHistoryEntry *
tc_history_entry_new_for_request (TcHistoryKind         kind,
                                  const char           *account_name,
                                  TcProtocol            protocol,
                                  const char           *region,
                                  const char           *instance_name,
                                  const TcImageRequest *request)
{
  TcHistoryEntry *self;

  g_return_val_if_fail (request != NULL, NULL);

  self = tc_history_entry_new (kind);
  g_object_freeze_notify (G_OBJECT (self));
  tc_history_entry_set_account_name (self, account_name);
  tc_history_entry_set_protocol (self, protocol);
  tc_history_entry_set_region (self, region);
  tc_history_entry_set_instance_id (self, request->instance_id);
  tc_history_entry_set_instance_name (self, instance_name);
  tc_history_entry_set_image_name (self, request->name);
  tc_history_entry_set_image_description (self, request->description);
  tc_history_entry_set_force_poweroff (self, request->force_poweroff);
  tc_history_entry_set_sysprep (self, request->sysprep);
  tc_history_entry_set_data_disk_ids (self, (const char * const *) request->data_disk_ids);
  tc_history_entry_set_tags (self, request->tags);
  g_object_thaw_notify (G_OBJECT (self));
  return self;
}

/**
 * tc_history_entry_copy:
 *
 * Returns: (transfer full): a changeable copy of @self, with the same id
 */
TcHistoryEntry *
tc_history_entry_copy (TcHistoryEntry *self)
{
  TcHistoryEntry *copy;

  g_return_val_if_fail (TC_IS_HISTORY_ENTRY (self), NULL);

  copy = g_object_new (TC_TYPE_HISTORY_ENTRY, NULL);
  entry_data_copy (&copy->data, &self->data);
  return copy;
}

/**
 * tc_history_entry_to_request:
 *
 * Returns: (transfer full): the image request @self recorded
 */
TcImageRequest *
tc_history_entry_to_request (TcHistoryEntry *self)
{
  TcImageRequest *request;

  g_return_val_if_fail (TC_IS_HISTORY_ENTRY (self), NULL);

  request = tc_image_request_new (self->data.instance_id, self->data.image_name,
                                  self->data.image_description);
  request->force_poweroff = self->data.force_poweroff;
  request->sysprep = self->data.sysprep;
  request->data_disk_ids = g_strdupv (self->data.data_disk_ids);
  for (guint i = 0; i < tc_history_entry_get_n_tags (self); i++)
    tc_image_request_add_tag (request, self->data.tags[2 * i], self->data.tags[2 * i + 1]);
  return request;
}

const char *
tc_history_entry_get_id (TcHistoryEntry *self)
{
  g_return_val_if_fail (TC_IS_HISTORY_ENTRY (self), NULL);
  return self->data.id;
}

TcHistoryKind
tc_history_entry_get_kind (TcHistoryEntry *self)
{
  g_return_val_if_fail (TC_IS_HISTORY_ENTRY (self), TC_HISTORY_KIND_CHECK);
  return self->data.kind;
}

/**
 * tc_history_entry_get_created:
 *
 * Returns: (transfer none): when the request was sent, in local time
 */
GDateTime *
tc_history_entry_get_created (TcHistoryEntry *self)
{
  g_return_val_if_fail (TC_IS_HISTORY_ENTRY (self), NULL);

  if (self->created_cache == NULL)
    self->created_cache = datetime_from_us (self->data.created);
  return self->created_cache;
}

const char *
tc_history_entry_get_account_name (TcHistoryEntry *self)
{
  g_return_val_if_fail (TC_IS_HISTORY_ENTRY (self), NULL);
  return self->data.account_name;
}

TcProtocol
tc_history_entry_get_protocol (TcHistoryEntry *self)
{
  g_return_val_if_fail (TC_IS_HISTORY_ENTRY (self), TC_PROTOCOL_API3);
  return self->data.protocol;
}

const char *
tc_history_entry_get_region (TcHistoryEntry *self)
{
  g_return_val_if_fail (TC_IS_HISTORY_ENTRY (self), NULL);
  return self->data.region;
}

const char *
tc_history_entry_get_instance_id (TcHistoryEntry *self)
{
  g_return_val_if_fail (TC_IS_HISTORY_ENTRY (self), NULL);
  return self->data.instance_id;
}

const char *
tc_history_entry_get_instance_name (TcHistoryEntry *self)
{
  g_return_val_if_fail (TC_IS_HISTORY_ENTRY (self), NULL);
  return self->data.instance_name;
}

const char *
tc_history_entry_get_image_name (TcHistoryEntry *self)
{
  g_return_val_if_fail (TC_IS_HISTORY_ENTRY (self), NULL);
  return self->data.image_name;
}

const char *
tc_history_entry_get_image_description (TcHistoryEntry *self)
{
  g_return_val_if_fail (TC_IS_HISTORY_ENTRY (self), NULL);
  return self->data.image_description;
}

gboolean
tc_history_entry_get_force_poweroff (TcHistoryEntry *self)
{
  g_return_val_if_fail (TC_IS_HISTORY_ENTRY (self), FALSE);
  return self->data.force_poweroff;
}

gboolean
tc_history_entry_get_sysprep (TcHistoryEntry *self)
{
  g_return_val_if_fail (TC_IS_HISTORY_ENTRY (self), FALSE);
  return self->data.sysprep;
}

/**
 * tc_history_entry_get_data_disk_ids:
 *
 * Returns: (transfer none) (nullable): the data disks included in the image
 */
const char * const *
tc_history_entry_get_data_disk_ids (TcHistoryEntry *self)
{
  g_return_val_if_fail (TC_IS_HISTORY_ENTRY (self), NULL);
  return (const char * const *) self->data.data_disk_ids;
}

guint
tc_history_entry_get_n_tags (TcHistoryEntry *self)
{
  g_return_val_if_fail (TC_IS_HISTORY_ENTRY (self), 0);

  if (self->data.tags == NULL)
    return 0;
  return g_strv_length (self->data.tags) / 2;
}

/**
 * tc_history_entry_get_tag:
 * @key: (out) (optional) (transfer none)
 * @value: (out) (optional) (transfer none)
 *
 * Returns: %TRUE when there is a tag at @index
 */
gboolean
tc_history_entry_get_tag (TcHistoryEntry  *self,
                          guint            index,
                          const char     **key,
                          const char     **value)
{
  g_return_val_if_fail (TC_IS_HISTORY_ENTRY (self), FALSE);

  if (index >= tc_history_entry_get_n_tags (self))
    return FALSE;
  if (key != NULL)
    *key = self->data.tags[2 * index];
  if (value != NULL)
    *value = self->data.tags[2 * index + 1];
  return TRUE;
}

TcHistoryOutcome
tc_history_entry_get_outcome (TcHistoryEntry *self)
{
  g_return_val_if_fail (TC_IS_HISTORY_ENTRY (self), TC_HISTORY_OUTCOME_REQUEST_FAILED);
  return self->data.outcome;
}

const char *
tc_history_entry_get_error_code (TcHistoryEntry *self)
{
  g_return_val_if_fail (TC_IS_HISTORY_ENTRY (self), NULL);
  return self->data.error_code;
}

const char *
tc_history_entry_get_error_message (TcHistoryEntry *self)
{
  g_return_val_if_fail (TC_IS_HISTORY_ENTRY (self), NULL);
  return self->data.error_message;
}

const char *
tc_history_entry_get_image_id (TcHistoryEntry *self)
{
  g_return_val_if_fail (TC_IS_HISTORY_ENTRY (self), NULL);
  return self->data.image_id;
}

const char *
tc_history_entry_get_request_id (TcHistoryEntry *self)
{
  g_return_val_if_fail (TC_IS_HISTORY_ENTRY (self), NULL);
  return self->data.request_id;
}

/**
 * tc_history_entry_get_last_checked:
 *
 * Returns: (transfer none) (nullable): when the image was last looked at, in local time
 */
GDateTime *
tc_history_entry_get_last_checked (TcHistoryEntry *self)
{
  g_return_val_if_fail (TC_IS_HISTORY_ENTRY (self), NULL);

  if (self->data.last_checked == 0)
    return NULL;
  if (self->last_checked_cache == NULL)
    self->last_checked_cache = datetime_from_us (self->data.last_checked);
  return self->last_checked_cache;
}

#define RETURN_IF_SEALED(self) \
  G_STMT_START { \
    g_return_if_fail (TC_IS_HISTORY_ENTRY (self)); \
    g_return_if_fail (!(self)->sealed); \
  } G_STMT_END

void
tc_history_entry_set_created (TcHistoryEntry *self,
                              GDateTime      *created)
{
  RETURN_IF_SEALED (self);
  g_return_if_fail (created != NULL);

  change_time (self, &self->data.created, &self->created_cache, datetime_to_us (created),
               PROP_CREATED);
}

void
tc_history_entry_set_account_name (TcHistoryEntry *self,
                                   const char     *account_name)
{
  RETURN_IF_SEALED (self);
  change_text (self, &self->data.account_name, account_name, PROP_ACCOUNT_NAME);
}

void
tc_history_entry_set_protocol (TcHistoryEntry *self,
                               TcProtocol      protocol)
{
  RETURN_IF_SEALED (self);
  g_return_if_fail (protocol == TC_PROTOCOL_API3 || protocol == TC_PROTOCOL_LEGACY);
  change_protocol (self, protocol);
}

void
tc_history_entry_set_region (TcHistoryEntry *self,
                             const char     *region)
{
  RETURN_IF_SEALED (self);
  change_text (self, &self->data.region, region, PROP_REGION);
}

void
tc_history_entry_set_instance_id (TcHistoryEntry *self,
                                  const char     *instance_id)
{
  RETURN_IF_SEALED (self);
  change_text (self, &self->data.instance_id, instance_id, PROP_INSTANCE_ID);
}

void
tc_history_entry_set_instance_name (TcHistoryEntry *self,
                                    const char     *instance_name)
{
  RETURN_IF_SEALED (self);
  change_text (self, &self->data.instance_name, instance_name, PROP_INSTANCE_NAME);
}

void
tc_history_entry_set_image_name (TcHistoryEntry *self,
                                 const char     *image_name)
{
  RETURN_IF_SEALED (self);
  change_text (self, &self->data.image_name, image_name, PROP_IMAGE_NAME);
}

void
tc_history_entry_set_image_description (TcHistoryEntry *self,
                                        const char     *description)
{
  RETURN_IF_SEALED (self);
  change_text (self, &self->data.image_description, description, PROP_IMAGE_DESCRIPTION);
}

void
tc_history_entry_set_force_poweroff (TcHistoryEntry *self,
                                     gboolean        force_poweroff)
{
  RETURN_IF_SEALED (self);
  change_bool (self, &self->data.force_poweroff, force_poweroff, PROP_FORCE_POWEROFF);
}

void
tc_history_entry_set_sysprep (TcHistoryEntry *self,
                              gboolean        sysprep)
{
  RETURN_IF_SEALED (self);
  change_bool (self, &self->data.sysprep, sysprep, PROP_SYSPREP);
}

void
tc_history_entry_set_data_disk_ids (TcHistoryEntry     *self,
                                    const char * const *disk_ids)
{
  RETURN_IF_SEALED (self);
  change_list (self, &self->data.data_disk_ids, disk_ids, MAX_LIST_ITEMS, PROP_DATA_DISK_IDS);
}

void
tc_history_entry_set_tags (TcHistoryEntry  *self,
                           const GPtrArray *tags)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) pairs = NULL;

  RETURN_IF_SEALED (self);

  for (guint i = 0; tags != NULL && i < tags->len; i++) {
    const TcTag *tag = g_ptr_array_index ((GPtrArray *) tags, i);

    g_strv_builder_add (builder, tag->key ? tag->key : "");
    g_strv_builder_add (builder, tag->value ? tag->value : "");
  }
  pairs = g_strv_builder_end (builder);
  change_list (self, &self->data.tags, (const char * const *) pairs, 2 * MAX_LIST_ITEMS,
               PROP_TAGS);
}

void
tc_history_entry_set_outcome (TcHistoryEntry   *self,
                              TcHistoryOutcome  outcome)
{
  RETURN_IF_SEALED (self);
  g_return_if_fail (outcome <= TC_HISTORY_OUTCOME_FAILED);
  change_outcome (self, outcome);
}

void
tc_history_entry_set_error_code (TcHistoryEntry *self,
                                 const char     *error_code)
{
  RETURN_IF_SEALED (self);
  change_text (self, &self->data.error_code, error_code, PROP_ERROR_CODE);
}

void
tc_history_entry_set_error_message (TcHistoryEntry *self,
                                    const char     *error_message)
{
  RETURN_IF_SEALED (self);
  change_text (self, &self->data.error_message, error_message, PROP_ERROR_MESSAGE);
}

void
tc_history_entry_set_image_id (TcHistoryEntry *self,
                               const char     *image_id)
{
  RETURN_IF_SEALED (self);
  change_text (self, &self->data.image_id, image_id, PROP_IMAGE_ID);
}

void
tc_history_entry_set_request_id (TcHistoryEntry *self,
                                 const char     *request_id)
{
  RETURN_IF_SEALED (self);
  change_text (self, &self->data.request_id, request_id, PROP_REQUEST_ID);
}

/**
 * tc_history_entry_set_last_checked:
 * @last_checked: (nullable): when the image was last looked at; %NULL for never
 */
void
tc_history_entry_set_last_checked (TcHistoryEntry *self,
                                   GDateTime      *last_checked)
{
  RETURN_IF_SEALED (self);
  change_time (self, &self->data.last_checked, &self->last_checked_cache,
               last_checked ? datetime_to_us (last_checked) : 0, PROP_LAST_CHECKED);
}

void
tc_history_entry_set_error (TcHistoryEntry *self,
                            const GError   *error)
{
  const char *message;
  const char *request_id;

  RETURN_IF_SEALED (self);
  g_return_if_fail (error != NULL);

  message = tc_error_get_server_message (error);
  if (message == NULL || *message == '\0')
    message = error->message;
  request_id = tc_error_get_request_id (error);

  g_object_freeze_notify (G_OBJECT (self));
  tc_history_entry_set_error_code (self, tc_error_get_server_code (error));
  tc_history_entry_set_error_message (self, message);
  if (request_id != NULL && *request_id != '\0')
    tc_history_entry_set_request_id (self, request_id);
  g_object_thaw_notify (G_OBJECT (self));
}

#undef RETURN_IF_SEALED

/* Writing records */

static void
append_json_string (GString    *out,
                    const char *value)
{
  const char *run = value;
  const char *p;

  g_string_append_c (out, '"');
  for (p = value; *p != '\0'; p++) {
    guchar c = (guchar) *p;

    if (c >= 0x20 && c != '"' && c != '\\')
      continue;

    g_string_append_len (out, run, p - run);
    switch (c) {
    case '"':
      g_string_append (out, "\\\"");
      break;
    case '\\':
      g_string_append (out, "\\\\");
      break;
    case '\n':
      g_string_append (out, "\\n");
      break;
    case '\r':
      g_string_append (out, "\\r");
      break;
    case '\t':
      g_string_append (out, "\\t");
      break;
    case '\b':
      g_string_append (out, "\\b");
      break;
    case '\f':
      g_string_append (out, "\\f");
      break;
    default:
      g_string_append_printf (out, "\\u%04x", c);
      break;
    }
    run = p + 1;
  }
  g_string_append_len (out, run, p - run);
  g_string_append_c (out, '"');
}

static void
append_member (GString    *out,
               const char *name)
{
  g_string_append_c (out, ',');
  g_string_append_c (out, '"');
  g_string_append (out, name);
  g_string_append (out, "\":");
}

static void
append_text_member (GString    *out,
                    const char *name,
                    const char *value)
{
  if (value == NULL)
    return;
  append_member (out, name);
  append_json_string (out, value);
}

static void
append_list_member (GString            *out,
                    const char         *name,
                    const char * const *items)
{
  if (items == NULL || items[0] == NULL)
    return;
  append_member (out, name);
  g_string_append_c (out, '[');
  for (guint i = 0; items[i] != NULL; i++) {
    if (i > 0)
      g_string_append_c (out, ',');
    append_json_string (out, items[i]);
  }
  g_string_append_c (out, ']');
}

static void
append_int_member (GString    *out,
                   const char *name,
                   gint64      value)
{
  append_member (out, name);
  g_string_append_printf (out, "%" G_GINT64_FORMAT, value);
}

/* The put record of @data, as one line with its newline. The members come in the order
 * the parser expects first (any order is read). */
static GBytes *
serialize_put (const EntryData *data)
{
  GString *out = g_string_sized_new (512);

  g_string_append (out, "{\"v\":1,\"op\":\"put\"");
  append_text_member (out, "id", data->id);
  append_text_member (out, "kind", kind_names[data->kind]);
  append_int_member (out, "created", data->created);
  append_text_member (out, "account", data->account_name);
  append_text_member (out, "protocol", protocol_names[data->protocol]);
  append_text_member (out, "region", data->region);
  append_text_member (out, "instance_id", data->instance_id);
  append_text_member (out, "instance_name", data->instance_name);
  append_text_member (out, "image_name", data->image_name);
  append_text_member (out, "image_description", data->image_description);
  append_member (out, "force_poweroff");
  g_string_append (out, data->force_poweroff ? "true" : "false");
  append_member (out, "sysprep");
  g_string_append (out, data->sysprep ? "true" : "false");
  append_list_member (out, "data_disk_ids", (const char * const *) data->data_disk_ids);
  append_list_member (out, "tags", (const char * const *) data->tags);
  append_text_member (out, "outcome", outcome_names[data->outcome]);
  append_text_member (out, "error_code", data->error_code);
  append_text_member (out, "error_message", data->error_message);
  append_text_member (out, "image_id", data->image_id);
  append_text_member (out, "request_id", data->request_id);
  if (data->last_checked != 0)
    append_int_member (out, "last_checked", data->last_checked);
  g_string_append (out, "}\n");

  return g_string_free_to_bytes (out);
}

static GBytes *
serialize_del (const char *id)
{
  GString *out = g_string_sized_new (64);

  g_string_append (out, "{\"v\":1,\"op\":\"del\"");
  append_text_member (out, "id", id);
  g_string_append (out, "}\n");
  return g_string_free_to_bytes (out);
}

static GBytes *
serialize_clear (void)
{
  static const char line[] = "{\"v\":1,\"op\":\"clear\"}\n";

  return g_bytes_new_static (line, sizeof line - 1);
}

/* Reading records
 *
 * A strict reader of one line (without its newline) in the format above: a JSON object
 * whose members are strings (with every JSON escape; valid UTF-8; no NUL), integers,
 * booleans, null and arrays of strings. Unknown members may hold any JSON value and are
 * skipped. It never reads outside [p, end) and never recurses deeper than MAX_SKIP_DEPTH. */

typedef enum {
  PARSE_OK,
  PARSE_BAD,      /* not JSON, or cut short */
  PARSE_INVALID,  /* JSON, but not a record of this format */
  PARSE_NEWER,    /* a record of a later format version */
} ParseStatus;

typedef enum {
  OP_PUT,
  OP_DEL,
  OP_CLEAR,
} RecordOp;

typedef struct {
  RecordOp  op;
  EntryData data;
} Record;

typedef struct {
  const char *p;
  const char *end;
} Cursor;

static inline void
skip_space (Cursor *c)
{
  while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' || *c->p == '\r'))
    c->p++;
}

static inline gboolean
expect_char (Cursor *c,
             char    ch)
{
  skip_space (c);
  if (c->p >= c->end || *c->p != ch)
    return FALSE;
  c->p++;
  return TRUE;
}

static inline int
hex_value (char ch)
{
  if (ch >= '0' && ch <= '9')
    return ch - '0';
  if (ch >= 'a' && ch <= 'f')
    return ch - 'a' + 10;
  if (ch >= 'A' && ch <= 'F')
    return ch - 'A' + 10;
  return -1;
}

static gboolean
read_hex4 (const char *p,
           const char *end,
           gunichar   *value)
{
  gunichar v = 0;

  if (end - p < 4)
    return FALSE;
  for (int i = 0; i < 4; i++) {
    int h = hex_value (p[i]);

    if (h < 0)
      return FALSE;
    v = (v << 4) | (gunichar) h;
  }
  *value = v;
  return TRUE;
}

/* Finds the string at the cursor: [*start, *start + *len) between the quotes, still
 * escaped. Checks the escapes' syntax, the absence of raw control characters and that the
 * text is UTF-8. */
static gboolean
scan_string (Cursor      *c,
             const char **start,
             gsize       *len,
             gboolean    *escaped)
{
  gboolean non_ascii = FALSE;
  const char *p;

  skip_space (c);
  if (c->p >= c->end || *c->p != '"')
    return FALSE;

  *escaped = FALSE;
  p = ++c->p;
  for (;;) {
    guchar ch;

    /* Printable ASCII, the bulk of every record, in one test per byte. */
    while (p < c->end && (guchar) (*p - 0x20) < 0x60 && *p != '"' && *p != '\\')
      p++;
    if (p >= c->end)
      return FALSE;
    ch = (guchar) *p;
    if (ch == '"')
      break;
    if (ch >= 0x80) {
      non_ascii = TRUE;
      p++;
      continue;
    }
    if (ch < 0x20)
      return FALSE;
    if (ch == '\\') {
      gunichar unused;

      *escaped = TRUE;
      if (p + 1 >= c->end)
        return FALSE;
      switch (p[1]) {
      case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't':
        p += 2;
        break;
      case 'u':
        if (!read_hex4 (p + 2, c->end, &unused))
          return FALSE;
        p += 6;
        break;
      default:
        return FALSE;
      }
      continue;
    }
    p++;
  }

  *start = c->p;
  *len = (gsize) (p - c->p);
  c->p = p + 1;
  return !non_ascii || g_utf8_validate_len (*start, *len, NULL);
}

/* Decodes a string found by scan_string(). Surrogates must pair; \u0000 is refused. */
static char *
decode_string (const char *start,
               gsize       len)
{
  const char *end = start + len;
  const char *p = start;
  GString *out = g_string_sized_new (len);

  while (p < end) {
    const char *run = p;

    while (p < end && *p != '\\')
      p++;
    g_string_append_len (out, run, p - run);
    if (p >= end)
      break;

    switch (p[1]) {
    case '"': g_string_append_c (out, '"'); p += 2; break;
    case '\\': g_string_append_c (out, '\\'); p += 2; break;
    case '/': g_string_append_c (out, '/'); p += 2; break;
    case 'b': g_string_append_c (out, '\b'); p += 2; break;
    case 'f': g_string_append_c (out, '\f'); p += 2; break;
    case 'n': g_string_append_c (out, '\n'); p += 2; break;
    case 'r': g_string_append_c (out, '\r'); p += 2; break;
    case 't': g_string_append_c (out, '\t'); p += 2; break;
    case 'u': {
      gunichar cp = 0, low = 0;

      read_hex4 (p + 2, end, &cp);  /* checked by scan_string() */
      p += 6;
      if (cp >= 0xD800 && cp <= 0xDBFF) {
        if (end - p < 6 || p[0] != '\\' || p[1] != 'u' || !read_hex4 (p + 2, end, &low) ||
            low < 0xDC00 || low > 0xDFFF)
          goto fail;
        cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
        p += 6;
      } else if ((cp >= 0xDC00 && cp <= 0xDFFF) || cp == 0) {
        goto fail;
      }
      g_string_append_unichar (out, cp);
      break;
    }
    default:
      goto fail;
    }
  }
  return g_string_free (out, FALSE);

fail:
  g_string_free (out, TRUE);
  return NULL;
}

static gboolean
parse_literal (Cursor     *c,
               const char *word)
{
  gsize len = strlen (word);

  skip_space (c);
  if ((gsize) (c->end - c->p) < len || memcmp (c->p, word, len) != 0)
    return FALSE;
  c->p += len;
  return TRUE;
}

static inline gboolean
at_char (Cursor *c,
         char    ch)
{
  skip_space (c);
  return c->p < c->end && *c->p == ch;
}

/* A string member's value: a string, or null (*value stays NULL). */
static gboolean
parse_text (Cursor  *c,
            char   **value)
{
  const char *start;
  gsize len;
  gboolean escaped;

  if (at_char (c, 'n'))
    return parse_literal (c, "null");
  if (!scan_string (c, &start, &len, &escaped))
    return FALSE;
  *value = escaped ? decode_string (start, len) : g_strndup (start, len);
  return *value != NULL;
}

/* A name from a fixed table; *index is -1 when the string is not one of them. */
static gboolean
parse_name (Cursor             *c,
            const char * const *names,
            guint               n_names,
            int                *index)
{
  const char *start;
  gsize len;
  gboolean escaped;

  if (!scan_string (c, &start, &len, &escaped))
    return FALSE;

  *index = -1;
  if (escaped)
    return TRUE;
  for (guint i = 0; i < n_names; i++) {
    if (strlen (names[i]) == len && memcmp (names[i], start, len) == 0) {
      *index = (int) i;
      break;
    }
  }
  return TRUE;
}

static gboolean
parse_bool (Cursor   *c,
            gboolean *value)
{
  if (at_char (c, 't')) {
    *value = TRUE;
    return parse_literal (c, "true");
  }
  *value = FALSE;
  return parse_literal (c, "false");
}

/* An integer: -?(0|[1-9][0-9]*), within gint64, no fraction or exponent. */
static gboolean
parse_int (Cursor *c,
           gint64 *value)
{
  gboolean negative = FALSE;
  guint64 v = 0;
  guint64 limit;

  skip_space (c);
  if (c->p < c->end && *c->p == '-') {
    negative = TRUE;
    c->p++;
  }
  if (c->p >= c->end || !g_ascii_isdigit (*c->p))
    return FALSE;
  if (*c->p == '0' && c->p + 1 < c->end && g_ascii_isdigit (c->p[1]))
    return FALSE;

  limit = negative ? (guint64) G_MAXINT64 + 1 : (guint64) G_MAXINT64;
  while (c->p < c->end && g_ascii_isdigit (*c->p)) {
    guint digit = (guint) (*c->p - '0');

    if (v > (limit - digit) / 10)
      return FALSE;
    v = v * 10 + digit;
    c->p++;
  }
  if (c->p < c->end && (*c->p == '.' || *c->p == 'e' || *c->p == 'E'))
    return FALSE;

  *value = negative ? (gint64) (0 - v) : (gint64) v;
  return TRUE;
}

/* An array of strings, or null; *value is NULL when empty. */
static gboolean
parse_list (Cursor  *c,
            GStrv   *value,
            guint    max_items)
{
  g_autoptr(GPtrArray) items = NULL;

  if (at_char (c, 'n'))
    return parse_literal (c, "null");
  if (!expect_char (c, '['))
    return FALSE;

  items = g_ptr_array_new_with_free_func (g_free);
  if (!at_char (c, ']')) {
    do {
      char *item = NULL;

      if (!parse_text (c, &item) || item == NULL || items->len >= max_items) {
        g_free (item);
        return FALSE;
      }
      g_ptr_array_add (items, item);
    } while (expect_char (c, ','));
  }
  if (!expect_char (c, ']'))
    return FALSE;

  if (items->len > 0) {
    g_ptr_array_add (items, NULL);
    g_ptr_array_set_free_func (items, NULL);
    *value = (GStrv) g_ptr_array_free (g_steal_pointer (&items), FALSE);
  }
  return TRUE;
}

static gboolean skip_value (Cursor *c,
                            guint   depth);

/* A JSON number of any form, for unknown members. */
static gboolean
skip_number (Cursor *c)
{
  const char *p;

  skip_space (c);
  p = c->p;
  if (p < c->end && *p == '-')
    p++;
  if (p >= c->end || !g_ascii_isdigit (*p))
    return FALSE;
  if (*p == '0')
    p++;
  else
    while (p < c->end && g_ascii_isdigit (*p))
      p++;
  if (p < c->end && *p == '.') {
    p++;
    if (p >= c->end || !g_ascii_isdigit (*p))
      return FALSE;
    while (p < c->end && g_ascii_isdigit (*p))
      p++;
  }
  if (p < c->end && (*p == 'e' || *p == 'E')) {
    p++;
    if (p < c->end && (*p == '+' || *p == '-'))
      p++;
    if (p >= c->end || !g_ascii_isdigit (*p))
      return FALSE;
    while (p < c->end && g_ascii_isdigit (*p))
      p++;
  }
  c->p = p;
  return TRUE;
}

static gboolean
skip_value (Cursor *c,
            guint   depth)
{
  const char *start;
  gsize len;
  gboolean escaped;

  if (depth > MAX_SKIP_DEPTH)
    return FALSE;

  skip_space (c);
  if (c->p >= c->end)
    return FALSE;

  switch (*c->p) {
  case '"':
    return scan_string (c, &start, &len, &escaped);
  case 't':
    return parse_literal (c, "true");
  case 'f':
    return parse_literal (c, "false");
  case 'n':
    return parse_literal (c, "null");
  case '[':
    c->p++;
    if (at_char (c, ']'))
      return expect_char (c, ']');
    do {
      if (!skip_value (c, depth + 1))
        return FALSE;
    } while (expect_char (c, ','));
    return expect_char (c, ']');
  case '{':
    c->p++;
    if (at_char (c, '}'))
      return expect_char (c, '}');
    do {
      if (!scan_string (c, &start, &len, &escaped) || !expect_char (c, ':') ||
          !skip_value (c, depth + 1))
        return FALSE;
    } while (expect_char (c, ','));
    return expect_char (c, '}');
  default:
    return skip_number (c);
  }
}

typedef enum {
  KEY_V,
  KEY_OP,
  KEY_ID,
  KEY_KIND,
  KEY_CREATED,
  KEY_ACCOUNT,
  KEY_PROTOCOL,
  KEY_REGION,
  KEY_INSTANCE_ID,
  KEY_INSTANCE_NAME,
  KEY_IMAGE_NAME,
  KEY_IMAGE_DESCRIPTION,
  KEY_FORCE_POWEROFF,
  KEY_SYSPREP,
  KEY_DATA_DISK_IDS,
  KEY_TAGS,
  KEY_OUTCOME,
  KEY_ERROR_CODE,
  KEY_ERROR_MESSAGE,
  KEY_IMAGE_ID,
  KEY_REQUEST_ID,
  KEY_LAST_CHECKED,
  N_KEYS,
  KEY_UNKNOWN = N_KEYS,
} Key;

/* In the order serialize_put() writes them. */
static const char * const key_names[N_KEYS] = {
  "v", "op", "id", "kind", "created", "account", "protocol", "region", "instance_id",
  "instance_name", "image_name", "image_description", "force_poweroff", "sysprep",
  "data_disk_ids", "tags", "outcome", "error_code", "error_message", "image_id",
  "request_id", "last_checked",
};

G_STATIC_ASSERT (N_KEYS <= 32);

#define LEN(s) (sizeof s - 1)
static const guint8 key_lengths[N_KEYS] = {
  LEN ("v"), LEN ("op"), LEN ("id"), LEN ("kind"), LEN ("created"), LEN ("account"),
  LEN ("protocol"), LEN ("region"), LEN ("instance_id"), LEN ("instance_name"),
  LEN ("image_name"), LEN ("image_description"), LEN ("force_poweroff"), LEN ("sysprep"),
  LEN ("data_disk_ids"), LEN ("tags"), LEN ("outcome"), LEN ("error_code"),
  LEN ("error_message"), LEN ("image_id"), LEN ("request_id"), LEN ("last_checked"),
};
#undef LEN

/* The key at the cursor. @next is the key expected next: records written by this file
 * match it at the first try. */
static gboolean
parse_key (Cursor *c,
           guint  *next,
           Key    *key)
{
  const char *start;
  gsize len;
  gboolean escaped;

  if (!scan_string (c, &start, &len, &escaped))
    return FALSE;

  *key = KEY_UNKNOWN;
  if (escaped)
    return TRUE;

  for (guint i = 0; i < N_KEYS; i++) {
    guint k = (*next + i) % N_KEYS;

    if (key_lengths[k] == len && memcmp (key_names[k], start, len) == 0) {
      *key = (Key) k;
      *next = k + 1;
      break;
    }
  }
  return TRUE;
}

static void
record_clear (Record *record)
{
  entry_data_clear (&record->data);
}

static ParseStatus
parse_value (Cursor *c,
             Key     key,
             Record *record,
             gint64 *version)
{
  EntryData *d = &record->data;
  int index = -1;

  switch (key) {
  case KEY_V:
    if (!parse_int (c, version))
      return PARSE_BAD;
    if (*version > HISTORY_FORMAT_VERSION)
      return PARSE_NEWER;
    return *version == HISTORY_FORMAT_VERSION ? PARSE_OK : PARSE_INVALID;
  case KEY_OP:
    if (!parse_name (c, op_names, G_N_ELEMENTS (op_names), &index))
      return PARSE_BAD;
    record->op = (RecordOp) index;
    return index >= 0 ? PARSE_OK : PARSE_INVALID;
  case KEY_ID:
    return parse_text (c, &d->id) ? PARSE_OK : PARSE_BAD;
  case KEY_KIND:
    if (!parse_name (c, kind_names, G_N_ELEMENTS (kind_names), &index))
      return PARSE_BAD;
    d->kind = (TcHistoryKind) index;
    return index >= 0 ? PARSE_OK : PARSE_INVALID;
  case KEY_CREATED:
    if (!parse_int (c, &d->created))
      return PARSE_BAD;
    return d->created >= MIN_TIME_US && d->created <= MAX_TIME_US ? PARSE_OK : PARSE_INVALID;
  case KEY_ACCOUNT:
    return parse_text (c, &d->account_name) ? PARSE_OK : PARSE_BAD;
  case KEY_PROTOCOL:
    if (!parse_name (c, protocol_names, G_N_ELEMENTS (protocol_names), &index))
      return PARSE_BAD;
    d->protocol = (TcProtocol) index;
    return index >= 0 ? PARSE_OK : PARSE_INVALID;
  case KEY_REGION:
    return parse_text (c, &d->region) ? PARSE_OK : PARSE_BAD;
  case KEY_INSTANCE_ID:
    return parse_text (c, &d->instance_id) ? PARSE_OK : PARSE_BAD;
  case KEY_INSTANCE_NAME:
    return parse_text (c, &d->instance_name) ? PARSE_OK : PARSE_BAD;
  case KEY_IMAGE_NAME:
    return parse_text (c, &d->image_name) ? PARSE_OK : PARSE_BAD;
  case KEY_IMAGE_DESCRIPTION:
    return parse_text (c, &d->image_description) ? PARSE_OK : PARSE_BAD;
  case KEY_FORCE_POWEROFF:
    return parse_bool (c, &d->force_poweroff) ? PARSE_OK : PARSE_BAD;
  case KEY_SYSPREP:
    return parse_bool (c, &d->sysprep) ? PARSE_OK : PARSE_BAD;
  case KEY_DATA_DISK_IDS:
    return parse_list (c, &d->data_disk_ids, MAX_LIST_ITEMS) ? PARSE_OK : PARSE_BAD;
  case KEY_TAGS:
    if (!parse_list (c, &d->tags, 2 * MAX_LIST_ITEMS))
      return PARSE_BAD;
    return d->tags == NULL || g_strv_length (d->tags) % 2 == 0 ? PARSE_OK : PARSE_INVALID;
  case KEY_OUTCOME:
    if (!parse_name (c, outcome_names, G_N_ELEMENTS (outcome_names), &index))
      return PARSE_BAD;
    d->outcome = (TcHistoryOutcome) index;
    return index >= 0 ? PARSE_OK : PARSE_INVALID;
  case KEY_ERROR_CODE:
    return parse_text (c, &d->error_code) ? PARSE_OK : PARSE_BAD;
  case KEY_ERROR_MESSAGE:
    return parse_text (c, &d->error_message) ? PARSE_OK : PARSE_BAD;
  case KEY_IMAGE_ID:
    return parse_text (c, &d->image_id) ? PARSE_OK : PARSE_BAD;
  case KEY_REQUEST_ID:
    return parse_text (c, &d->request_id) ? PARSE_OK : PARSE_BAD;
  case KEY_LAST_CHECKED:
    if (at_char (c, 'n'))
      return parse_literal (c, "null") ? PARSE_OK : PARSE_BAD;
    if (!parse_int (c, &d->last_checked))
      return PARSE_BAD;
    return d->last_checked > 0 && d->last_checked <= MAX_TIME_US ? PARSE_OK : PARSE_INVALID;
  case KEY_UNKNOWN:
  default:
    return skip_value (c, 1) ? PARSE_OK : PARSE_BAD;
  }
}

/* Parses one line (without its newline) into @record (cleared first). On anything but
 * PARSE_OK, @record holds nothing. */
static ParseStatus
parse_record (const char *line,
              gsize       len,
              Record     *record)
{
  Cursor c = { line, line + len };
  guint32 seen = 0;
  guint next = 0;
  gint64 version = 0;
  ParseStatus status = PARSE_OK;
  guint32 required;

  memset (record, 0, sizeof *record);
  record->op = (RecordOp) -1;

  if (!expect_char (&c, '{'))
    return PARSE_BAD;

  if (!at_char (&c, '}')) {
    do {
      Key key;
      ParseStatus value_status;

      if (!parse_key (&c, &next, &key) || !expect_char (&c, ':')) {
        status = PARSE_BAD;
        goto out;
      }
      if (key != KEY_UNKNOWN && (seen & (1u << key))) {
        /* Duplicate members: not something this file writes. The first value stays (and
         * is freed with the record). */
        status = PARSE_INVALID;
        key = KEY_UNKNOWN;
      } else if (key != KEY_UNKNOWN) {
        seen |= 1u << key;
      }

      value_status = parse_value (&c, key, record, &version);
      if (value_status == PARSE_BAD || value_status == PARSE_NEWER) {
        status = value_status;
        goto out;
      }
      if (value_status == PARSE_INVALID)
        status = PARSE_INVALID;
    } while (expect_char (&c, ','));
  }

  if (!expect_char (&c, '}')) {
    status = PARSE_BAD;
    goto out;
  }
  skip_space (&c);
  if (c.p != c.end) {
    status = PARSE_BAD;
    goto out;
  }
  if (status != PARSE_OK)
    goto out;

  if (!(seen & (1u << KEY_V)) || !(seen & (1u << KEY_OP))) {
    status = PARSE_INVALID;
    goto out;
  }

  switch (record->op) {
  case OP_PUT:
    required = (1u << KEY_ID) | (1u << KEY_KIND) | (1u << KEY_CREATED) |
               (1u << KEY_PROTOCOL) | (1u << KEY_OUTCOME);
    break;
  case OP_DEL:
    required = 1u << KEY_ID;
    break;
  case OP_CLEAR:
  default:
    required = 0;
    break;
  }
  if ((seen & required) != required ||
      (required & (1u << KEY_ID) && (record->data.id == NULL || *record->data.id == '\0')))
    status = PARSE_INVALID;

out:
  if (status != PARSE_OK)
    record_clear (record);
  return status;
}

/* Ids are hashed a few times per record while loading 100,000 of them; this takes them
 * eight bytes at a time (g_str_hash() goes byte by byte). */
static guint
id_hash (gconstpointer key)
{
  const char *p = key;
  gsize len = strlen (p);
  guint64 h = G_GUINT64_CONSTANT (0x9e3779b97f4a7c15) ^ len;

  for (;;) {
    guint64 word = 0;
    gsize n = MIN (len, 8);

    if (n == 0)
      break;
    memcpy (&word, p, n);
    h = (h ^ word) * G_GUINT64_CONSTANT (0xff51afd7ed558ccd);
    h ^= h >> 32;
    p += n;
    len -= n;
  }
  h ^= h >> 29;
  h *= G_GUINT64_CONSTANT (0xc4ceb9fe1a85ec53);
  h ^= h >> 32;
  return (guint) h;
}

/* Scanning a file
 *
 * Replays the log in memory: which records are live, where their latest line is, how
 * many lines could not be read, and whether the end is torn. */

typedef struct {
  gsize     offset;  /* of the latest put line of this id */
  gsize     length;  /* with its newline */
  gboolean  live;
  EntryData data;    /* the latest put; only the id when not kept */
} Slot;

typedef struct {
  GArray     *slots;        /* Slot, in the order of each id's first put since a clear */
  GHashTable *by_id;        /* id (the slot's) → slot index + 1 */
  guint       n_lines;      /* lines in the kept part of the file */
  guint       n_unreadable;
  guint       n_live;
  goffset     good_size;    /* the file without its torn end */
  gboolean    torn;
} Scan;

static void
slot_clear (gpointer data)
{
  entry_data_clear (&((Slot *) data)->data);
}

static void
scan_init (Scan *scan)
{
  memset (scan, 0, sizeof *scan);
  scan->slots = g_array_new (FALSE, FALSE, sizeof (Slot));
  g_array_set_clear_func (scan->slots, slot_clear);
  scan->by_id = g_hash_table_new (id_hash, g_str_equal);
}

static void
scan_clear (Scan *scan)
{
  g_clear_pointer (&scan->by_id, g_hash_table_unref);
  g_clear_pointer (&scan->slots, g_array_unref);
}

static void
scan_apply (Scan       *scan,
            Record     *record,
            gsize       offset,
            gsize       length,
            gboolean    keep_data)
{
  guint index;
  Slot *slot;

  switch (record->op) {
  case OP_CLEAR:
    g_hash_table_remove_all (scan->by_id);
    g_array_set_size (scan->slots, 0);
    scan->n_live = 0;
    record_clear (record);
    return;

  case OP_DEL:
    index = GPOINTER_TO_UINT (g_hash_table_lookup (scan->by_id, record->data.id));
    if (index > 0) {
      slot = &g_array_index (scan->slots, Slot, index - 1);
      g_hash_table_remove (scan->by_id, record->data.id);
      slot->live = FALSE;
      entry_data_clear (&slot->data);
      scan->n_live--;
    }
    record_clear (record);
    return;

  case OP_PUT:
  default:
    break;
  }

  if (!keep_data) {
    char *id = g_steal_pointer (&record->data.id);
    gint64 created = record->data.created;

    record_clear (record);
    record->data.id = id;
    record->data.created = created;
  }

  index = GPOINTER_TO_UINT (g_hash_table_lookup (scan->by_id, record->data.id));
  if (index > 0) {
    /* The hash table's key is the slot's id string: keep that one. */
    slot = &g_array_index (scan->slots, Slot, index - 1);
    g_free (record->data.id);
    record->data.id = g_steal_pointer (&slot->data.id);
    entry_data_clear (&slot->data);
  } else {
    Slot empty = { 0 };

    g_array_append_val (scan->slots, empty);
    slot = &g_array_index (scan->slots, Slot, scan->slots->len - 1);
    scan->n_live++;
  }

  slot->offset = offset;
  slot->length = length;
  slot->live = TRUE;
  slot->data = record->data;
  memset (&record->data, 0, sizeof record->data);
  if (index == 0)
    g_hash_table_insert (scan->by_id, slot->data.id, GUINT_TO_POINTER (scan->slots->len));
}

static gboolean
is_blank (const char *line,
          gsize       len)
{
  for (gsize i = 0; i < len; i++) {
    if (line[i] != ' ' && line[i] != '\t' && line[i] != '\r')
      return FALSE;
  }
  return TRUE;
}

/* Replays @data. A record older than @cutoff (µs; G_MININT64 for none) is not live. With
 * @keep_data, the slots keep every field (for entries), else only ids (for compaction). */
static void
scan_buffer (Scan       *scan,
             const char *data,
             gsize       len,
             gint64      cutoff,
             gboolean    keep_data)
{
  const char *end = data + len;
  const char *last_newline = NULL;
  const char *p = data;

  for (const char *q = end; q > data; q--) {
    if (q[-1] == '\n') {
      last_newline = q - 1;
      break;
    }
  }

  scan_init (scan);
  scan->good_size = (goffset) len;

  if (last_newline == NULL) {
    /* Not one complete line: a first record cut short. */
    if (len > 0) {
      scan->torn = TRUE;
      scan->good_size = 0;
    }
    return;
  }

  if (last_newline + 1 != end) {
    scan->torn = TRUE;
    scan->good_size = last_newline + 1 - data;
  }

  while (p <= last_newline) {
    const char *newline = memchr (p, '\n', (gsize) (last_newline + 1 - p));
    gsize line_len = (gsize) (newline - p);
    Record record;
    ParseStatus status;

    if (is_blank (p, line_len)) {
      scan->n_lines++;
      p = newline + 1;
      continue;
    }

    status = parse_record (p, line_len, &record);
    if (status == PARSE_OK) {
      scan_apply (scan, &record, (gsize) (p - data), line_len + 1, keep_data);
      scan->n_lines++;
    } else if (status == PARSE_BAD && newline == last_newline && !scan->torn) {
      /* The last line, cut short and then ended (a crash while the file system was
       * extending the file can leave zeros): dropped like a torn end. */
      scan->torn = TRUE;
      scan->good_size = p - data;
    } else {
      scan->n_lines++;
      scan->n_unreadable++;
    }
    p = newline + 1;
  }

  if (cutoff != G_MININT64) {
    for (guint i = 0; i < scan->slots->len; i++) {
      Slot *slot = &g_array_index (scan->slots, Slot, i);

      if (slot->live && slot->data.created < cutoff) {
        slot->live = FALSE;
        scan->n_live--;
      }
    }
  }
}

/* The writer
 *
 * Everything here runs in the history's one worker thread, one job at a time in the order
 * the jobs were pushed; writer_new() and writer_free() run when no job can be running. */

typedef struct {
  char     *path;
  char     *dir;
  int       fd;            /* open for appending, or -1 */
  guint     n_lines;       /* lines in the file, as far as this process knows */
  guint     n_live;        /* live records among them */
  gboolean  counts_known;  /* a load counted them: compaction may be considered */
  guint     compact_min;   /* atomic: tests lower it */
} Writer;

static Writer *
writer_new (const char *path)
{
  Writer *w = g_new0 (Writer, 1);

  w->path = g_strdup (path);
  w->dir = g_path_get_dirname (path);
  w->fd = -1;
  w->compact_min = COMPACT_MIN_LINES;
  return w;
}

static void
writer_close (Writer *w)
{
  if (w->fd >= 0) {
    close (w->fd);
    w->fd = -1;
  }
}

static void
writer_free (Writer *w)
{
  writer_close (w);
  g_free (w->path);
  g_free (w->dir);
  g_free (w);
}

static GError *
write_error_new (int         saved_errno,
                 const char *path)
{
  g_autofree char *display = g_filename_display_name (path);

  switch (saved_errno) {
  case ENOSPC:
  case EDQUOT:
    return g_error_new_literal (TC_HISTORY_ERROR, TC_HISTORY_ERROR_NO_SPACE,
                                _("History could not be saved: the disk is full. Imprint "
                                  "keeps working; free some space."));
  case EACCES:
  case EPERM:
  case EROFS:
  case ENOTDIR:
  case EISDIR:
  case ELOOP:
  case ENAMETOOLONG:
  case ENOENT:
  case ETXTBSY:
    return g_error_new (TC_HISTORY_ERROR, TC_HISTORY_ERROR_NOT_WRITABLE,
                        _("History could not be saved: “%s” cannot be written to. Imprint "
                          "keeps working; check that the folder exists and that you may "
                          "write to it."), display);
  default:
    /* TRANSLATORS: %s is the system's description of the failure */
    return g_error_new (TC_HISTORY_ERROR, TC_HISTORY_ERROR_FAILED,
                        _("History could not be saved: %s. Imprint keeps working."),
                        g_strerror (saved_errno));
  }
}

static GError *
read_error_new (const char *path,
                const char *details)
{
  g_autofree char *display = g_filename_display_name (path);

  /* TRANSLATORS: the first %s is a file name, the second the system's description of
   * the failure */
  return g_error_new (TC_HISTORY_ERROR, TC_HISTORY_ERROR_NOT_READABLE,
                      _("The history file “%s” could not be read (%s). Imprint keeps "
                        "working without the earlier entries."), display, details);
}

static void
lock_fd (int fd,
         int operation)
{
  /* Where the file system has no locks (some network file systems), flock() fails and a
   * single Imprint still works. */
  while (flock (fd, operation) != 0 && errno == EINTR)
    ;
}

static void
sync_dir (const char *dir)
{
  int fd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

  if (fd >= 0) {
    if (fsync (fd) != 0)
      g_debug ("history: syncing %s: %s", dir, g_strerror (errno));
    close (fd);
  }
}

static gboolean
write_all (int         fd,
           const char *data,
           gsize       len,
           int        *saved_errno)
{
  while (len > 0) {
    gssize n = write (fd, data, len);

    if (n < 0) {
      if (errno == EINTR)
        continue;
      *saved_errno = errno;
      return FALSE;
    }
    if (n == 0) {
      *saved_errno = ENOSPC;
      return FALSE;
    }
    data += n;
    len -= (gsize) n;
  }
  return TRUE;
}

/* Reads @size bytes from the start of @fd. */
static char *
read_all (int      fd,
          goffset  size,
          gsize   *len,
          int     *saved_errno)
{
  char *data = g_malloc ((gsize) size + 1);
  gsize done = 0;

  while (done < (gsize) size) {
    gssize n = pread (fd, data + done, (gsize) size - done, (off_t) done);

    if (n < 0) {
      if (errno == EINTR)
        continue;
      *saved_errno = errno;
      g_free (data);
      return NULL;
    }
    if (n == 0)
      break;
    done += (gsize) n;
  }
  data[done] = '\0';
  *len = done;
  return data;
}

static gboolean
writer_open (Writer  *w,
             GError **error)
{
  int fd = open (w->path, O_RDWR | O_APPEND | O_CLOEXEC);

  if (fd < 0 && errno == EACCES)
    fd = open (w->path, O_WRONLY | O_APPEND | O_CLOEXEC);

  if (fd < 0 && errno == ENOENT) {
    gboolean had_dir = g_file_test (w->dir, G_FILE_TEST_IS_DIR);

    if (!had_dir && g_mkdir_with_parents (w->dir, 0700) != 0) {
      g_propagate_error (error, write_error_new (errno, w->dir));
      return FALSE;
    }
    fd = open (w->path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
    if (fd >= 0) {
      /* The file's name must be as durable as the records written into it. */
      sync_dir (w->dir);
      if (!had_dir) {
        g_autofree char *parent = g_path_get_dirname (w->dir);

        sync_dir (parent);
      }
    }
  }

  if (fd < 0) {
    g_propagate_error (error, write_error_new (errno, w->path));
    return FALSE;
  }

  w->fd = fd;
  return TRUE;
}

static gboolean
names_file (int         fd,
            const char *path)
{
  struct stat fd_st, path_st;

  return fstat (fd, &fd_st) == 0 && stat (path, &path_st) == 0 &&
         fd_st.st_dev == path_st.st_dev && fd_st.st_ino == path_st.st_ino;
}

/* Opens the file (creating it and its folder) and locks it. */
static gboolean
writer_lock (Writer  *w,
             GError **error)
{
  for (guint attempt = 0; attempt < 4; attempt++) {
    if (w->fd < 0 && !writer_open (w, error))
      return FALSE;

    lock_fd (w->fd, LOCK_EX);
    if (names_file (w->fd, w->path))
      return TRUE;

    /* Another Imprint compacted the file (or it was removed) while this descriptor was
     * open: a record appended to it now would be lost. */
    writer_close (w);
  }

  g_propagate_error (error, write_error_new (EAGAIN, w->path));
  return FALSE;
}

static void
writer_unlock (Writer *w)
{
  if (w->fd >= 0)
    lock_fd (w->fd, LOCK_UN);
}

/* The offset just after the last newline before @size, or 0. */
static goffset
last_line_end (int     fd,
               goffset size)
{
  char buffer[4096];
  goffset end = size;

  while (end > 0) {
    gsize chunk = (gsize) MIN (end, (goffset) sizeof buffer);
    gssize n = pread (fd, buffer, chunk, (off_t) (end - (goffset) chunk));

    if (n != (gssize) chunk)
      return -1;
    for (gsize i = chunk; i > 0; i--) {
      if (buffer[i - 1] == '\n')
        return end - (goffset) chunk + (goffset) i;
    }
    end -= (goffset) chunk;
  }
  return 0;
}

/* Cuts off a partial last line (left by a crash in mid-write), so the next record starts
 * on a fresh line. */
static gboolean
writer_repair_tail (Writer  *w,
                    GError **error)
{
  struct stat st;
  goffset end;
  char last;

  if (fstat (w->fd, &st) != 0 || !S_ISREG (st.st_mode) || st.st_size == 0)
    return TRUE;
  if (pread (w->fd, &last, 1, st.st_size - 1) != 1 || last == '\n')
    return TRUE;

  end = last_line_end (w->fd, st.st_size);
  if (end < 0)
    return TRUE;
  if (ftruncate (w->fd, (off_t) end) != 0 || fdatasync (w->fd) != 0) {
    g_propagate_error (error, write_error_new (errno, w->path));
    return FALSE;
  }
  g_debug ("history: cut %" G_GOFFSET_FORMAT " bytes of a torn record", st.st_size - end);
  return TRUE;
}

static gboolean
writer_append (Writer  *w,
               GBytes  *line,
               GError **error)
{
  gsize len = 0;
  const char *data = g_bytes_get_data (line, &len);
  struct stat st;
  goffset before = -1;
  int saved_errno = 0;
  gboolean ok;

  if (!writer_lock (w, error))
    return FALSE;
  if (!writer_repair_tail (w, error)) {
    writer_unlock (w);
    return FALSE;
  }
  if (fstat (w->fd, &st) == 0 && S_ISREG (st.st_mode))
    before = st.st_size;

  ok = write_all (w->fd, data, len, &saved_errno);
  if (ok && fdatasync (w->fd) != 0) {
    saved_errno = errno;
    /* Devices and pipes cannot be synced, and need not be. */
    ok = saved_errno == EINVAL && before < 0;
  }

  if (!ok) {
    /* Never leave part of a record, or one that was not made durable, behind. */
    if (before >= 0 && ftruncate (w->fd, (off_t) before) != 0)
      g_debug ("history: cutting a failed write: %s", g_strerror (errno));
    writer_unlock (w);
    g_propagate_error (error, write_error_new (saved_errno, w->path));
    return FALSE;
  }

  writer_unlock (w);
  return TRUE;
}

static gboolean
compaction_due (Writer *w,
                guint   n_lines,
                guint   n_live)
{
  guint min = (guint) g_atomic_int_get (&w->compact_min);

  return n_lines > min && n_lines / 2 > n_live;
}

/* Keeps the file as it was read, before anything rewrites it. A hard link costs nothing;
 * where the file system has none, the bytes read are written out. Returns the copy's path,
 * or NULL when no copy could be made. */
static char *
copy_aside (Writer     *w,
            const char *data,
            gsize       len)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");

  for (guint i = 0; i < 100; i++) {
    g_autofree char *name = NULL;
    g_autoptr(GError) error = NULL;

    if (i == 0)
      name = g_strdup_printf ("%s.corrupt-%s", w->path, stamp);
    else
      name = g_strdup_printf ("%s.corrupt-%s-%u", w->path, stamp, i);

    if (link (w->path, name) == 0)
      return g_steal_pointer (&name);
    if (errno == EEXIST)
      continue;

    if (g_file_set_contents_full (name, data, (gssize) len,
                                  G_FILE_SET_CONTENTS_CONSISTENT |
                                  G_FILE_SET_CONTENTS_DURABLE,
                                  0600, &error))
      return g_steal_pointer (&name);

    g_debug ("history: could not copy the damaged file aside: %s", error->message);
    return NULL;
  }
  return NULL;
}

/* Writes the live records of @scan (lines of @data) to a new file that replaces the log:
 * a crash at any point leaves either the old file or the new one. */
static gboolean
write_compacted (Writer      *w,
                 const char  *data,
                 Scan        *scan,
                 GError     **error)
{
  g_autofree char *tmp = g_strconcat (w->path, ".tmp-XXXXXX", NULL);
  g_autoptr(GString) out = NULL;
  gsize total = 0;
  int saved_errno = 0;
  gboolean ok;
  int fd;

  for (guint i = 0; i < scan->slots->len; i++) {
    const Slot *slot = &g_array_index (scan->slots, Slot, i);

    if (slot->live)
      total += slot->length;
  }
  out = g_string_sized_new (total + 1);
  for (guint i = 0; i < scan->slots->len; i++) {
    const Slot *slot = &g_array_index (scan->slots, Slot, i);

    if (slot->live)
      g_string_append_len (out, data + slot->offset, (gssize) slot->length);
  }

  fd = g_mkstemp_full (tmp, O_RDWR | O_CLOEXEC, 0600);
  if (fd < 0) {
    g_propagate_error (error, write_error_new (errno, tmp));
    return FALSE;
  }

  ok = write_all (fd, out->str, out->len, &saved_errno);
  if (ok && fsync (fd) != 0) {
    saved_errno = errno;
    ok = FALSE;
  }
  if (close (fd) != 0 && ok) {
    saved_errno = errno;
    ok = FALSE;
  }
  if (ok && rename (tmp, w->path) != 0) {
    saved_errno = errno;
    ok = FALSE;
  }
  if (!ok) {
    g_unlink (tmp);
    g_propagate_error (error, write_error_new (saved_errno, w->path));
    return FALSE;
  }

  sync_dir (w->dir);
  g_debug ("history: compacted %u lines to %u", scan->n_lines, scan->n_live);
  return TRUE;
}

/* Temporary files of a compaction a crash interrupted. Called with the lock held, so no
 * other Imprint is compacting. */
static void
remove_stale_temporaries (Writer *w)
{
  g_autoptr(GDir) dir = g_dir_open (w->dir, 0, NULL);
  g_autofree char *base = g_path_get_basename (w->path);
  g_autofree char *prefix = g_strconcat (base, ".tmp-", NULL);
  const char *name;

  if (dir == NULL)
    return;
  while ((name = g_dir_read_name (dir)) != NULL) {
    if (g_str_has_prefix (name, prefix) && strlen (name) == strlen (prefix) + 6) {
      g_autofree char *path = g_build_filename (w->dir, name, NULL);

      g_unlink (path);
    }
  }
}

/* Rewrites the file with its live records, read back from the file itself (so what
 * this process has in memory plays no part). Called with the lock held; closes the
 * descriptor when the file was replaced. */
static void
writer_compact (Writer *w,
                gint64  cutoff)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;
  struct stat st;
  int saved_errno = 0;
  gsize len = 0;
  Scan scan;

  if (fstat (w->fd, &st) != 0 || !S_ISREG (st.st_mode) || st.st_size > MAX_FILE_SIZE)
    return;
  data = read_all (w->fd, st.st_size, &len, &saved_errno);
  if (data == NULL)
    return;

  scan_buffer (&scan, data, len, cutoff, FALSE);
  if (scan.n_unreadable > 0) {
    g_autofree char *copy = copy_aside (w, data, len);

    if (copy == NULL) {
      /* Never drop what could not be read without keeping a copy. */
      scan_clear (&scan);
      return;
    }
  }

  if (write_compacted (w, data, &scan, &error)) {
    w->n_lines = scan.n_live;
    w->n_live = scan.n_live;
    w->counts_known = TRUE;
    writer_close (w);
  } else {
    g_debug ("history: compaction failed: %s", error->message);
  }
  scan_clear (&scan);
}

static void
writer_compact_now (Writer *w,
                    gint64  cutoff)
{
  g_autoptr(GError) error = NULL;

  if (!g_file_test (w->path, G_FILE_TEST_IS_REGULAR))
    return;
  if (!writer_lock (w, &error)) {
    g_debug ("history: compaction skipped: %s", error->message);
    return;
  }
  writer_compact (w, cutoff);
  writer_unlock (w);
}

typedef struct {
  GPtrArray  *entries;       /* TcHistoryEntry, oldest first */
  GHashTable *by_id;         /* id (the entry's) → entry */
  guint       n_unreadable;
  char       *corrupt_copy;
} LoadResult;

static void
load_result_free (LoadResult *result)
{
  g_clear_pointer (&result->by_id, g_hash_table_unref);
  g_clear_pointer (&result->entries, g_ptr_array_unref);
  g_free (result->corrupt_copy);
  g_free (result);
}

static int
compare_created_cb (gconstpointer a,
                    gconstpointer b)
{
  const TcHistoryEntry *ea = *(TcHistoryEntry * const *) a;
  const TcHistoryEntry *eb = *(TcHistoryEntry * const *) b;

  return ea->data.created < eb->data.created ? -1 : ea->data.created > eb->data.created;
}

/* The entries of the live slots, oldest first (in file order when created ties), with
 * their index by id: the scan's own table, whose keys are the very strings the entries
 * now own. */
static LoadResult *
load_result_new (Scan *scan)
{
  LoadResult *result = g_new0 (LoadResult, 1);
  g_autofree TcHistoryEntry **by_slot = g_new0 (TcHistoryEntry *, scan->slots->len + 1);
  GHashTableIter iter;
  gpointer index;
  gboolean sorted = TRUE;

  result->entries = g_ptr_array_new_full (scan->n_live, g_object_unref);

  for (guint i = 0; i < scan->slots->len; i++) {
    Slot *slot = &g_array_index (scan->slots, Slot, i);
    TcHistoryEntry *entry;

    if (!slot->live)
      continue;
    entry = entry_new_from_data (&slot->data);
    if (result->entries->len > 0) {
      TcHistoryEntry *previous = g_ptr_array_index (result->entries, result->entries->len - 1);

      sorted &= previous->data.created <= entry->data.created;
    }
    g_ptr_array_add (result->entries, entry);
    by_slot[i] = entry;
  }

  /* Stable, so records made in the same microsecond keep their order. */
  if (!sorted)
    g_ptr_array_sort (result->entries, compare_created_cb);

  /* Slots that expired (retention) are in the table but have no entry. */
  g_hash_table_iter_init (&iter, scan->by_id);
  while (g_hash_table_iter_next (&iter, NULL, &index)) {
    TcHistoryEntry *entry = by_slot[GPOINTER_TO_UINT (index) - 1];

    if (entry != NULL)
      g_hash_table_iter_replace (&iter, entry);
    else
      g_hash_table_iter_remove (&iter);
  }
  result->by_id = g_steal_pointer (&scan->by_id);
  return result;
}

static LoadResult *
writer_load (Writer  *w,
             gint64   cutoff,
             GError **error)
{
  g_autofree char *data = NULL;
  gboolean writable = TRUE;
  gboolean compacted = FALSE;
  char *corrupt_copy = NULL;
  LoadResult *result;
  int saved_errno = 0;
  struct stat st;
  gsize len = 0;
  Scan scan;
  int fd;

  for (guint attempt = 0; ; attempt++) {
    writable = TRUE;
    fd = open (w->path, O_RDWR | O_CLOEXEC);
    if (fd < 0 && (errno == EACCES || errno == EPERM || errno == EROFS || errno == ETXTBSY)) {
      writable = FALSE;
      fd = open (w->path, O_RDONLY | O_CLOEXEC);
    }
    if (fd < 0) {
      if (errno == ENOENT) {
        /* No history yet. */
        w->n_lines = 0;
        w->n_live = 0;
        w->counts_known = TRUE;
        scan_init (&scan);
        result = load_result_new (&scan);
        scan_clear (&scan);
        return result;
      }
      g_propagate_error (error, read_error_new (w->path, g_strerror (errno)));
      return NULL;
    }

    /* Appenders hold the lock while they write: what is read is whole records, and a
     * torn end is a crash's, never a write in progress. Another Imprint may have replaced
     * the file (compacting it) while this one waited for the lock: then read the new one,
     * or a repair here would undo what was appended there since. */
    lock_fd (fd, writable ? LOCK_EX : LOCK_SH);
    if (attempt >= 3 || names_file (fd, w->path))
      break;
    close (fd);
  }

  if (fstat (fd, &st) != 0) {
    g_propagate_error (error, read_error_new (w->path, g_strerror (errno)));
    close (fd);
    return NULL;
  }
  if (!S_ISREG (st.st_mode)) {
    g_propagate_error (error, read_error_new (w->path, _("not a regular file")));
    close (fd);
    return NULL;
  }
  if (st.st_size > MAX_FILE_SIZE) {
    g_propagate_error (error, read_error_new (w->path, _("the file is far too large")));
    close (fd);
    return NULL;
  }

  data = read_all (fd, st.st_size, &len, &saved_errno);
  if (data == NULL) {
    g_propagate_error (error, read_error_new (w->path, g_strerror (saved_errno)));
    close (fd);
    return NULL;
  }

  scan_buffer (&scan, data, len, cutoff, TRUE);

  if (writable) {
    g_autoptr(GError) local_error = NULL;

    remove_stale_temporaries (w);

    if (scan.n_unreadable > 0) {
      /* Copy first, then clean up: the damage is reported once, and nothing the user had
       * is lost (the copy keeps it). */
      corrupt_copy = copy_aside (w, data, len);
      if (corrupt_copy != NULL)
        compacted = write_compacted (w, data, &scan, &local_error);
    } else if (compaction_due (w, scan.n_lines, scan.n_live)) {
      compacted = write_compacted (w, data, &scan, &local_error);
    }
    if (local_error != NULL)
      g_debug ("history: compaction failed: %s", local_error->message);

    if (!compacted && scan.torn) {
      if (ftruncate (fd, (off_t) scan.good_size) != 0 || fdatasync (fd) != 0)
        g_debug ("history: cutting the torn end: %s", g_strerror (errno));
    }
  }
  close (fd);

  /* The descriptor for appending, if open, names the file that was replaced. */
  if (compacted)
    writer_close (w);

  w->n_lines = compacted ? scan.n_live : scan.n_lines;
  w->n_live = scan.n_live;
  w->counts_known = TRUE;

  result = load_result_new (&scan);
  result->n_unreadable = scan.n_unreadable;
  result->corrupt_copy = corrupt_copy;
  scan_clear (&scan);
  return result;
}

typedef enum {
  JOB_LOAD,
  JOB_APPEND,
  JOB_COMPACT,
  JOB_FLUSH,
} JobKind;

typedef struct {
  JobKind   kind;
  GBytes   *line;        /* APPEND */
  int       live_delta;  /* APPEND: +1 a new id, -1 a removal, 0 an update */
  gboolean  clear;       /* APPEND: the line is a clear */
  gint64    cutoff;      /* retention: records created before are dropped */
  GTask    *task;        /* without a source object: see push_job() */
} Job;

static void
job_free (Job *job)
{
  g_clear_pointer (&job->line, g_bytes_unref);
  g_clear_object (&job->task);
  g_free (job);
}

static void
run_job (gpointer data,
         gpointer user_data)
{
  Job *job = data;
  Writer *w = user_data;
  GError *error = NULL;

  switch (job->kind) {
  case JOB_LOAD: {
    LoadResult *result = writer_load (w, job->cutoff, &error);

    if (result != NULL)
      g_task_return_pointer (job->task, result, (GDestroyNotify) load_result_free);
    else
      g_task_return_error (job->task, error);
    break;
  }

  case JOB_APPEND:
    if (!writer_append (w, job->line, &error)) {
      g_task_return_error (job->task, error);
      break;
    }
    w->n_lines++;
    if (job->clear)
      w->n_live = 0;
    else if (job->live_delta > 0)
      w->n_live++;
    else if (job->live_delta < 0 && w->n_live > 0)
      w->n_live--;
    /* Durable now: say so before compacting, which may take a while. */
    g_task_return_boolean (job->task, TRUE);

    /* Cleared entries should leave the disk at once. */
    if (job->clear || (w->counts_known && compaction_due (w, w->n_lines, w->n_live)))
      writer_compact_now (w, job->cutoff);
    break;

  case JOB_COMPACT:
    writer_compact_now (w, job->cutoff);
    g_task_return_boolean (job->task, TRUE);
    break;

  case JOB_FLUSH:
  default:
    g_task_return_boolean (job->task, TRUE);
    break;
  }

  job_free (job);
}

/* TcHistory */

struct _TcHistory
{
  GObject      parent_instance;
  char        *path;
  GPtrArray   *entries;         /* TcHistoryEntry, oldest first: position p is len - 1 - p */
  GHashTable  *by_id;           /* id (the entry's own string) → entry */
  GThreadPool *pool;            /* one thread: the writer's jobs, in order */
  Writer      *writer;
  char        *problem;
  char        *corrupt_copy;
  guint        n_unreadable;
  guint        retention_days;
  guint        clear_epoch;     /* bumped by each clear: a load begun before drops its entries */
  gboolean     loaded;
};

static void tc_history_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TcHistory, tc_history, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      tc_history_list_model_init))

enum {
  PROP_0,
  PROP_PATH,
  PROP_PROBLEM,
  PROP_UNREADABLE_COUNT,
  PROP_LOADED,
  PROP_RETENTION_DAYS,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

static GType
tc_history_get_item_type (GListModel *model)
{
  return TC_TYPE_HISTORY_ENTRY;
}

static guint
tc_history_get_n_items (GListModel *model)
{
  return TC_HISTORY (model)->entries->len;
}

static gpointer
tc_history_get_item (GListModel *model,
                     guint       position)
{
  TcHistory *self = TC_HISTORY (model);

  if (position >= self->entries->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->entries, self->entries->len - 1 - position));
}

static void
tc_history_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = tc_history_get_item_type;
  iface->get_n_items = tc_history_get_n_items;
  iface->get_item = tc_history_get_item;
}

static void
tc_history_constructed (GObject *object)
{
  TcHistory *self = TC_HISTORY (object);

  G_OBJECT_CLASS (tc_history_parent_class)->constructed (object);

  if (self->path == NULL)
    self->path = g_build_filename (g_get_user_data_dir (), "imprint", "history.jsonl", NULL);

  self->writer = writer_new (self->path);
  /* Not exclusive: the thread comes from GLib's shared pool when there is work. One at a
   * time keeps the writes in order. */
  self->pool = g_thread_pool_new (run_job, self->writer, 1, FALSE, NULL);
}

static void
tc_history_finalize (GObject *object)
{
  TcHistory *self = TC_HISTORY (object);

  /* Every job's task holds a reference on the history until its callback ran, so the
   * queue is empty; the worker may still be finishing a compaction. */
  g_thread_pool_free (self->pool, FALSE, TRUE);
  writer_free (self->writer);

  g_hash_table_unref (self->by_id);
  g_ptr_array_unref (self->entries);
  g_free (self->path);
  g_free (self->problem);
  g_free (self->corrupt_copy);

  G_OBJECT_CLASS (tc_history_parent_class)->finalize (object);
}

static void
tc_history_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  TcHistory *self = TC_HISTORY (object);

  switch (prop_id) {
  case PROP_PATH:
    g_value_set_string (value, self->path);
    break;
  case PROP_PROBLEM:
    g_value_set_string (value, self->problem);
    break;
  case PROP_UNREADABLE_COUNT:
    g_value_set_uint (value, self->n_unreadable);
    break;
  case PROP_LOADED:
    g_value_set_boolean (value, self->loaded);
    break;
  case PROP_RETENTION_DAYS:
    g_value_set_uint (value, self->retention_days);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
tc_history_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  TcHistory *self = TC_HISTORY (object);

  switch (prop_id) {
  case PROP_PATH:
    self->path = g_value_dup_string (value);
    break;
  case PROP_RETENTION_DAYS:
    tc_history_set_retention_days (self, g_value_get_uint (value));
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
tc_history_class_init (TcHistoryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->constructed = tc_history_constructed;
  object_class->finalize = tc_history_finalize;
  object_class->get_property = tc_history_get_property;
  object_class->set_property = tc_history_set_property;

  props[PROP_PATH] =
    g_param_spec_string ("path", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  props[PROP_PROBLEM] = g_param_spec_string ("problem", NULL, NULL, NULL, ro);
  props[PROP_UNREADABLE_COUNT] =
    g_param_spec_uint ("unreadable-count", NULL, NULL, 0, G_MAXUINT, 0, ro);
  props[PROP_LOADED] = g_param_spec_boolean ("loaded", NULL, NULL, FALSE, ro);
  props[PROP_RETENTION_DAYS] =
    g_param_spec_uint ("retention-days", NULL, NULL, 0, G_MAXUINT / 2, 0,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
tc_history_init (TcHistory *self)
{
  self->entries = g_ptr_array_new_with_free_func (g_object_unref);
  self->by_id = g_hash_table_new (id_hash, g_str_equal);
}

/**
 * tc_history_new:
 * @path: (nullable): the history file, or %NULL for
 *   `$XDG_DATA_HOME/imprint/history.jsonl`
 *
 * Returns: (transfer full): an empty history; call tc_history_load_async() to read it
 */
TcHistory *
tc_history_new (const char *path)
{
  return g_object_new (TC_TYPE_HISTORY, "path", path, NULL);
}

/**
 * tc_history_get_path:
 *
 * Returns: (transfer none): the file this history reads and appends to
 */
const char *
tc_history_get_path (TcHistory *self)
{
  g_return_val_if_fail (TC_IS_HISTORY (self), NULL);
  return self->path;
}

void
tc_history_set_compact_min_lines (TcHistory *self,
                                  guint      min_lines)
{
  g_return_if_fail (TC_IS_HISTORY (self));
  g_atomic_int_set (&self->writer->compact_min, min_lines);
}

static gint64
retention_cutoff (TcHistory *self)
{
  if (self->retention_days == 0)
    return G_MININT64;
  return g_get_real_time () - (gint64) self->retention_days * 24 * 3600 * G_USEC_PER_SEC;
}

static void
set_problem (TcHistory  *self,
             const char *problem)
{
  if (g_strcmp0 (self->problem, problem) == 0)
    return;
  g_free (self->problem);
  self->problem = g_strdup (problem);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_PROBLEM]);
}

static TcHistoryEntry *
entry_at (TcHistory *self,
          guint      index)
{
  return g_ptr_array_index (self->entries, index);
}

/* Where an entry created at @created goes: after every entry created at or before it. */
static guint
insertion_index (TcHistory *self,
                 gint64     created)
{
  guint lo = 0, hi = self->entries->len;

  while (lo < hi) {
    guint mid = lo + (hi - lo) / 2;

    if (entry_at (self, mid)->data.created <= created)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

static gboolean
find_index (TcHistory      *self,
            TcHistoryEntry *entry,
            guint          *index)
{
  gint64 created = entry->data.created;
  guint lo = 0, hi = self->entries->len;

  if (g_hash_table_lookup (self->by_id, entry->data.id) != entry)
    return FALSE;

  while (lo < hi) {
    guint mid = lo + (hi - lo) / 2;

    if (entry_at (self, mid)->data.created < created)
      lo = mid + 1;
    else
      hi = mid;
  }
  for (guint i = lo; i < self->entries->len && entry_at (self, i)->data.created == created; i++) {
    if (entry_at (self, i) == entry) {
      *index = i;
      return TRUE;
    }
  }
  return FALSE;
}

static guint
position_of (TcHistory *self,
             guint      index)
{
  return self->entries->len - 1 - index;
}

/* The worker must never drop the last reference to the history: finalizing it there
 * would wait for the worker itself. So the job's task has no source object; it carries
 * the caller's task to @done, which runs on this thread. */
static void
push_job (TcHistory           *self,
          JobKind              kind,
          GTask               *task,
          GBytes              *line,
          int                  live_delta,
          gboolean             clear,
          GAsyncReadyCallback  done)
{
  Job *job = g_new0 (Job, 1);

  job->kind = kind;
  job->line = line;
  job->live_delta = live_delta;
  job->clear = clear;
  job->cutoff = retention_cutoff (self);
  job->task = g_task_new (NULL, NULL, done, task != NULL ? g_object_ref (task) : NULL);
  g_task_set_source_tag (job->task, push_job);
  g_thread_pool_push (self->pool, job, NULL);
}

static void
write_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TcHistory *self = g_task_get_source_object (task);
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error)) {
    set_problem (self, error->message);
    g_task_return_error (task, error);
    return;
  }

  if (g_task_get_source_tag (task) != tc_history_flush_async)
    set_problem (self, NULL);
  g_task_return_boolean (task, TRUE);
}

static void
compact_done_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_task_propagate_boolean (G_TASK (result), NULL);
}

/* Adds the loaded entries to those already in the model (added before the load
 * finished): those objects stay, and a loaded record with the same id is dropped. */
static void
merge_loaded (TcHistory  *self,
              LoadResult *loaded)
{
  g_autoptr(GPtrArray) incoming = g_steal_pointer (&loaded->entries);
  g_autoptr(GHashTable) by_id = g_steal_pointer (&loaded->by_id);
  g_autoptr(GPtrArray) old_entries = NULL;
  g_autoptr(GHashTable) dropped = NULL;
  GPtrArray *merged;
  guint n_old = self->entries->len;
  guint i = 0, j = 0;
  gboolean older = TRUE;

  if (n_old == 0) {
    g_ptr_array_unref (self->entries);
    self->entries = g_steal_pointer (&incoming);
    g_hash_table_unref (self->by_id);
    self->by_id = g_steal_pointer (&by_id);
    if (self->entries->len > 0)
      g_list_model_items_changed (G_LIST_MODEL (self), 0, 0, self->entries->len);
    return;
  }

  for (guint k = 0; k < n_old; k++) {
    TcHistoryEntry *entry = entry_at (self, k);
    TcHistoryEntry *twin = g_hash_table_lookup (by_id, entry->data.id);

    if (twin != NULL) {
      if (dropped == NULL)
        dropped = g_hash_table_new (NULL, NULL);
      g_hash_table_add (dropped, twin);
    }
    /* The key must be the string of the entry that stays. */
    g_hash_table_replace (by_id, entry->data.id, entry);
  }

  merged = g_ptr_array_new_full (n_old + incoming->len, g_object_unref);
  while (i < incoming->len || j < n_old) {
    TcHistoryEntry *in = i < incoming->len ? g_ptr_array_index (incoming, i) : NULL;
    TcHistoryEntry *cur = j < n_old ? entry_at (self, j) : NULL;

    if (in != NULL && dropped != NULL && g_hash_table_contains (dropped, in)) {
      i++;
      continue;
    }
    if (in != NULL && (cur == NULL || in->data.created <= cur->data.created)) {
      if (j > 0)
        older = FALSE;
      g_ptr_array_add (merged, g_object_ref (in));
      i++;
    } else {
      g_ptr_array_add (merged, g_object_ref (cur));
      j++;
    }
  }

  old_entries = g_steal_pointer (&self->entries);
  self->entries = merged;
  g_hash_table_unref (self->by_id);
  self->by_id = g_steal_pointer (&by_id);

  if (merged->len == n_old)
    return;
  if (older)
    g_list_model_items_changed (G_LIST_MODEL (self), n_old, 0, merged->len - n_old);
  else
    g_list_model_items_changed (G_LIST_MODEL (self), 0, n_old, merged->len);
}

static void
load_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TcHistory *self = g_task_get_source_object (task);
  guint epoch = GPOINTER_TO_UINT (g_task_get_task_data (task));
  LoadResult *loaded;
  GError *error = NULL;

  loaded = g_task_propagate_pointer (G_TASK (result), &error);
  if (loaded == NULL) {
    g_task_return_error (task, error);
    return;
  }
  if (g_task_return_error_if_cancelled (task)) {
    load_result_free (loaded);
    return;
  }

  /* A clear since the load began covers everything the load read. */
  if (epoch == self->clear_epoch)
    merge_loaded (self, loaded);

  g_free (self->corrupt_copy);
  self->corrupt_copy = g_steal_pointer (&loaded->corrupt_copy);
  if (self->n_unreadable != loaded->n_unreadable) {
    self->n_unreadable = loaded->n_unreadable;
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_UNREADABLE_COUNT]);
  }
  if (!self->loaded) {
    self->loaded = TRUE;
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_LOADED]);
  }

  load_result_free (loaded);
  g_task_return_boolean (task, TRUE);
}

void
tc_history_load_async (TcHistory           *self,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (TC_IS_HISTORY (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tc_history_load_async);
  g_task_set_task_data (task, GUINT_TO_POINTER (self->clear_epoch), NULL);
  push_job (self, JOB_LOAD, task, NULL, 0, FALSE, load_done_cb);
}

gboolean
tc_history_load_finish (TcHistory     *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (TC_IS_HISTORY (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tc_history_load_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
tc_history_is_loaded (TcHistory *self)
{
  g_return_val_if_fail (TC_IS_HISTORY (self), FALSE);
  return self->loaded;
}

/**
 * tc_history_find_by_id:
 *
 * Returns: (transfer none) (nullable): the stored entry with this id
 */
TcHistoryEntry *
tc_history_find_by_id (TcHistory  *self,
                       const char *id)
{
  g_return_val_if_fail (TC_IS_HISTORY (self), NULL);

  if (id == NULL)
    return NULL;
  return g_hash_table_lookup (self->by_id, id);
}

void
tc_history_add_async (TcHistory           *self,
                      TcHistoryEntry      *entry,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  guint index;

  g_return_if_fail (TC_IS_HISTORY (self));
  g_return_if_fail (TC_IS_HISTORY_ENTRY (entry));
  g_return_if_fail (!entry->sealed);
  g_return_if_fail (g_hash_table_lookup (self->by_id, entry->data.id) == NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tc_history_add_async);

  entry->sealed = TRUE;
  index = insertion_index (self, entry->data.created);
  g_ptr_array_insert (self->entries, (int) index, g_object_ref (entry));
  g_hash_table_insert (self->by_id, entry->data.id, entry);
  g_list_model_items_changed (G_LIST_MODEL (self), position_of (self, index), 0, 1);

  push_job (self, JOB_APPEND, task, serialize_put (&entry->data), 1, FALSE, write_done_cb);
}

gboolean
tc_history_add_finish (TcHistory     *self,
                       GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (TC_IS_HISTORY (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tc_history_add_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static GError *
not_found_error_new (void)
{
  return g_error_new_literal (TC_HISTORY_ERROR, TC_HISTORY_ERROR_NOT_FOUND,
                              _("This history entry has been removed."));
}

void
tc_history_update_async (TcHistory           *self,
                         TcHistoryEntry      *changes,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  TcHistoryEntry *stored;
  guint index;

  g_return_if_fail (TC_IS_HISTORY (self));
  g_return_if_fail (TC_IS_HISTORY_ENTRY (changes));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tc_history_update_async);

  stored = g_hash_table_lookup (self->by_id, changes->data.id);
  if (stored == NULL) {
    g_task_return_error (task, not_found_error_new ());
    return;
  }

  /* The same object, so rows bound to it follow; items-changed too, so filter and sort
   * models look at it again. */
  if (entry_take_changes (stored, changes) && find_index (self, stored, &index))
    g_list_model_items_changed (G_LIST_MODEL (self), position_of (self, index), 1, 1);

  push_job (self, JOB_APPEND, task, serialize_put (&stored->data), 0, FALSE, write_done_cb);
}

gboolean
tc_history_update_finish (TcHistory     *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (TC_IS_HISTORY (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tc_history_update_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
tc_history_remove_async (TcHistory           *self,
                         TcHistoryEntry      *entry,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GBytes *line;
  guint index, position;

  g_return_if_fail (TC_IS_HISTORY (self));
  g_return_if_fail (TC_IS_HISTORY_ENTRY (entry));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tc_history_remove_async);

  if (!find_index (self, entry, &index)) {
    g_task_return_error (task, not_found_error_new ());
    return;
  }

  line = serialize_del (entry->data.id);
  position = position_of (self, index);
  g_hash_table_remove (self->by_id, entry->data.id);
  g_ptr_array_remove_index (self->entries, index);
  g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 0);

  push_job (self, JOB_APPEND, task, line, -1, FALSE, write_done_cb);
}

gboolean
tc_history_remove_finish (TcHistory     *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (TC_IS_HISTORY (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tc_history_remove_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
tc_history_clear_async (TcHistory           *self,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GPtrArray) old_entries = NULL;

  g_return_if_fail (TC_IS_HISTORY (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tc_history_clear_async);

  self->clear_epoch++;
  old_entries = g_steal_pointer (&self->entries);
  self->entries = g_ptr_array_new_with_free_func (g_object_unref);
  g_hash_table_remove_all (self->by_id);
  if (old_entries->len > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, old_entries->len, 0);

  push_job (self, JOB_APPEND, task, serialize_clear (), 0, TRUE, write_done_cb);
}

gboolean
tc_history_clear_finish (TcHistory     *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (TC_IS_HISTORY (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tc_history_clear_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
tc_history_flush_async (TcHistory           *self,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (TC_IS_HISTORY (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tc_history_flush_async);
  push_job (self, JOB_FLUSH, task, NULL, 0, FALSE, write_done_cb);
}

gboolean
tc_history_flush_finish (TcHistory     *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (TC_IS_HISTORY (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tc_history_flush_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

guint
tc_history_get_unreadable_count (TcHistory *self)
{
  g_return_val_if_fail (TC_IS_HISTORY (self), 0);
  return self->n_unreadable;
}

/**
 * tc_history_get_corrupt_copy_path:
 *
 * Returns: (transfer none) (nullable): where the last load copied a damaged file
 */
const char *
tc_history_get_corrupt_copy_path (TcHistory *self)
{
  g_return_val_if_fail (TC_IS_HISTORY (self), NULL);
  return self->corrupt_copy;
}

/**
 * tc_history_dup_unreadable_message:
 *
 * Returns: (transfer full) (nullable): a translated sentence saying how many records
 *   could not be read, or %NULL when none
 */
char *
tc_history_dup_unreadable_message (TcHistory *self)
{
  guint n;

  g_return_val_if_fail (TC_IS_HISTORY (self), NULL);

  n = self->n_unreadable;
  if (n == 0)
    return NULL;

  if (self->corrupt_copy != NULL) {
    g_autofree char *display = g_filename_display_name (self->corrupt_copy);

    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "%u history entry could not be read and was left "
                                         "out. The damaged file was kept as “%s”.",
                                         "%u history entries could not be read and were "
                                         "left out. The damaged file was kept as “%s”.",
                                         n),
                            n, display);
  }
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "%u history entry could not be read and was left out.",
                                       "%u history entries could not be read and were left "
                                       "out.",
                                       n),
                          n);
}

/**
 * tc_history_get_problem:
 *
 * Returns: (transfer none) (nullable): why the last write failed, for the user
 */
const char *
tc_history_get_problem (TcHistory *self)
{
  g_return_val_if_fail (TC_IS_HISTORY (self), NULL);
  return self->problem;
}

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
  gint64 cutoff;
  guint n_expired = 0;

  g_return_if_fail (TC_IS_HISTORY (self));

  days = MIN (days, G_MAXUINT / 2);
  if (self->retention_days == days)
    return;
  self->retention_days = days;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_RETENTION_DAYS]);

  if (!self->loaded || days == 0)
    return;

  /* The oldest entries are at the start of the array, at the end of the model. */
  cutoff = retention_cutoff (self);
  while (n_expired < self->entries->len && entry_at (self, n_expired)->data.created < cutoff)
    n_expired++;
  if (n_expired == 0)
    return;

  for (guint i = 0; i < n_expired; i++)
    g_hash_table_remove (self->by_id, entry_at (self, i)->data.id);
  g_ptr_array_remove_range (self->entries, 0, n_expired);
  g_list_model_items_changed (G_LIST_MODEL (self), self->entries->len, n_expired, 0);

  push_job (self, JOB_COMPACT, NULL, NULL, 0, FALSE, compact_done_cb);
}

/* tc-history-entry.c: one history entry, a GObject around EntryData
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An entry is one image attempt: the checks (dry runs) sent for it, then the CreateImage
 * and the image it made. Rows bind to its properties, so every field notifies when it
 * changes. Text is kept as valid UTF-8 of at most TC_HISTORY_MAX_FIELD_BYTES, whatever a
 * server sent. Once in a store an entry is "sealed": only the store changes it (from a
 * copy passed to tc_history_update_async()), so the database and the screen agree.
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "tc-history-private.h"
#include "tc-places.h"
#include "tc-error.h"

G_DEFINE_QUARK (tc-history-error-quark, tc_history_error)

G_DEFINE_ENUM_TYPE (TcHistoryKind, tc_history_kind,
  G_DEFINE_ENUM_VALUE (TC_HISTORY_KIND_CHECK, "check"),
  G_DEFINE_ENUM_VALUE (TC_HISTORY_KIND_CREATE, "create"),
  G_DEFINE_ENUM_VALUE (TC_HISTORY_KIND_COPY, "copy"))

G_DEFINE_ENUM_TYPE (TcHistoryOutcome, tc_history_outcome,
  G_DEFINE_ENUM_VALUE (TC_HISTORY_OUTCOME_DRY_RUN_PASSED, "dry-run-passed"),
  G_DEFINE_ENUM_VALUE (TC_HISTORY_OUTCOME_DRY_RUN_FAILED, "dry-run-failed"),
  G_DEFINE_ENUM_VALUE (TC_HISTORY_OUTCOME_REQUEST_FAILED, "request-failed"),
  G_DEFINE_ENUM_VALUE (TC_HISTORY_OUTCOME_CREATING, "creating"),
  G_DEFINE_ENUM_VALUE (TC_HISTORY_OUTCOME_READY, "ready"),
  G_DEFINE_ENUM_VALUE (TC_HISTORY_OUTCOME_FAILED, "failed"))

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

/* Entry data */

void
entry_check_free (EntryCheck *check)
{
  g_free (check->error_code);
  g_free (check->error_message);
  g_free (check->request_id);
  g_free (check);
}

static EntryCheck *
entry_check_copy (const EntryCheck *src)
{
  EntryCheck *check = g_new0 (EntryCheck, 1);

  check->time = src->time;
  check->passed = src->passed;
  check->error_code = g_strdup (src->error_code);
  check->error_message = g_strdup (src->error_message);
  check->request_id = g_strdup (src->request_id);
  return check;
}

static GPtrArray *
checks_copy (GPtrArray *checks)
{
  if (checks == NULL || checks->len == 0)
    return NULL;
  return g_ptr_array_copy (checks, (GCopyFunc) entry_check_copy, NULL);
}

#define TEXT_FIELDS(X) \
  X (id) X (account_id) X (account_name) X (region) X (instance_id) X (instance_name) \
  X (image_name) X (image_description) X (error_code) X (error_message) X (image_id) \
  X (request_id) X (source_region) X (source_image_id)

void
entry_data_clear (EntryData *data)
{
#define CLEAR(f) g_clear_pointer (&data->f, g_free);
  TEXT_FIELDS (CLEAR)
#undef CLEAR
  g_clear_pointer (&data->data_disk_ids, g_strfreev);
  g_clear_pointer (&data->tags, g_strfreev);
  g_clear_pointer (&data->checks, g_ptr_array_unref);
}

void
entry_data_copy (EntryData       *dest,
                 const EntryData *src)
{
  *dest = *src;
#define COPY(f) dest->f = g_strdup (src->f);
  TEXT_FIELDS (COPY)
#undef COPY
  dest->data_disk_ids = g_strdupv (src->data_disk_ids);
  dest->tags = g_strdupv (src->tags);
  if (src->checks != NULL) {
    dest->checks = checks_copy (src->checks);
    if (dest->checks != NULL)
      g_ptr_array_set_free_func (dest->checks, (GDestroyNotify) entry_check_free);
  }
}

/* What a search looks in: the names, IDs, instance, region and account, folded (case,
 * width, compatibility forms) so that "WEB" finds "web" and "ｗｅｂ" too. */
char *
entry_data_search_text (const EntryData *data)
{
  const char *parts[] = {
    data->image_name, data->image_id, data->instance_name, data->instance_id,
    data->region, data->account_name, data->request_id, data->source_image_id,
  };
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *normalized = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (parts); i++) {
    if (parts[i] != NULL)
      g_string_append_printf (text, "%s\n", parts[i]);
  }
  normalized = g_utf8_normalize (text->str, -1, G_NORMALIZE_ALL_COMPOSE);
  return g_utf8_casefold (normalized ? normalized : "", -1);
}

/* Text as it is kept: valid UTF-8, at most TC_HISTORY_MAX_FIELD_BYTES, without the two
 * separator characters the database's lists use (U+001E, U+001F become spaces). */
char *
tc_history_normalize_text (const char *text)
{
  char *valid;

  if (text == NULL)
    return NULL;

  valid = g_utf8_validate (text, -1, NULL) ? g_strdup (text) : g_utf8_make_valid (text, -1);
  g_strdelimit (valid, "\x1e\x1f", ' ');
  if (strlen (valid) > TC_HISTORY_MAX_FIELD_BYTES) {
    const char *end = g_utf8_find_prev_char (valid, valid + TC_HISTORY_MAX_FIELD_BYTES + 1);

    valid[end - valid] = '\0';
  }
  return valid;
}

/* A list as it is kept: NULL when empty, each item normalized, at most @max_items. */
GStrv
tc_history_normalize_list (const char * const *items,
                           guint               max_items)
{
  g_autoptr(GStrvBuilder) builder = NULL;

  if (items == NULL || items[0] == NULL)
    return NULL;

  builder = g_strv_builder_new ();
  for (guint i = 0; items[i] != NULL && i < max_items; i++) {
    g_autofree char *item = tc_history_normalize_text (items[i]);

    g_strv_builder_add (builder, item);
  }
  return g_strv_builder_end (builder);
}

static GDateTime *
datetime_from_us (gint64 us)
{
  g_autoptr(GDateTime) whole = g_date_time_new_from_unix_local (us / G_USEC_PER_SEC);

  return whole != NULL ? g_date_time_add (whole, us % G_USEC_PER_SEC) : NULL;
}

static gint64
datetime_to_us (GDateTime *datetime)
{
  return g_date_time_to_unix (datetime) * G_USEC_PER_SEC + g_date_time_get_microsecond (datetime);
}

/* TcHistoryEntry */

struct _TcHistoryEntry
{
  GObject     parent_instance;
  EntryData   data;
  GDateTime  *created_cache;       /* made on demand from data.created */
  GDateTime  *last_checked_cache;  /* made on demand from data.last_checked */
  char       *search_cache;        /* entry_data_search_text(), made on demand */
  gboolean    sealed;              /* in a store (or was): only the store changes it */
};

G_DEFINE_FINAL_TYPE (TcHistoryEntry, tc_history_entry, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_KIND,
  PROP_CREATED,
  PROP_ACCOUNT_ID,
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
  PROP_N_CHECKS,
  PROP_SOURCE_REGION,
  PROP_SOURCE_IMAGE_ID,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

/* The change helpers set a field and notify, only when the value really differs. */

static gboolean
change_text (TcHistoryEntry  *self,
             char           **field,
             const char      *value,
             guint            prop)
{
  g_autofree char *normalized = tc_history_normalize_text (value);

  if (g_strcmp0 (*field, normalized) == 0)
    return FALSE;
  g_clear_pointer (&self->search_cache, g_free);
  g_free (*field);
  *field = g_steal_pointer (&normalized);
  g_object_notify_by_pspec (G_OBJECT (self), props[prop]);
  return TRUE;
}

static gboolean
change_list (TcHistoryEntry      *self,
             GStrv               *field,
             const char * const  *value,
             guint                max_items,
             guint                prop)
{
  g_auto(GStrv) normalized = tc_history_normalize_list (value, max_items);

  if (*field == NULL || normalized == NULL ? *field == normalized
                                           : g_strv_equal ((const char * const *) *field,
                                                           (const char * const *) normalized))
    return FALSE;
  g_strfreev (*field);
  *field = g_steal_pointer (&normalized);
  g_object_notify_by_pspec (G_OBJECT (self), props[prop]);
  return TRUE;
}

static gboolean
change_int (TcHistoryEntry *self,
            gint64         *field,
            gint64          value,
            guint           prop)
{
  if (*field == value)
    return FALSE;
  *field = value;
  if (prop == PROP_CREATED)
    g_clear_pointer (&self->created_cache, g_date_time_unref);
  if (prop == PROP_LAST_CHECKED)
    g_clear_pointer (&self->last_checked_cache, g_date_time_unref);
  g_object_notify_by_pspec (G_OBJECT (self), props[prop]);
  return TRUE;
}

#define CHANGE_ENUM(self, field, value, prop) \
  ((self)->data.field != (value) \
   ? ((self)->data.field = (value), \
      g_object_notify_by_pspec (G_OBJECT (self), props[prop]), TRUE) \
   : FALSE)

static gboolean
change_checks (TcHistoryEntry *self,
               GPtrArray      *checks)
{
  guint n_old = self->data.checks ? self->data.checks->len : 0;
  guint n_new = checks ? checks->len : 0;

  if (n_old == n_new)
    return FALSE;   /* checks are only ever added */
  g_clear_pointer (&self->data.checks, g_ptr_array_unref);
  self->data.checks = checks_copy (checks);
  if (self->data.checks != NULL)
    g_ptr_array_set_free_func (self->data.checks, (GDestroyNotify) entry_check_free);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_N_CHECKS]);
  return TRUE;
}

gboolean
tc_history_entry_take_changes (TcHistoryEntry *self,
                               TcHistoryEntry *changes)
{
  const EntryData *c = &changes->data;
  gboolean changed = FALSE;

  if (self == changes)
    return FALSE;

  g_object_freeze_notify (G_OBJECT (self));
  changed |= CHANGE_ENUM (self, kind, c->kind, PROP_KIND);
  changed |= change_text (self, &self->data.account_id, c->account_id, PROP_ACCOUNT_ID);
  changed |= change_text (self, &self->data.account_name, c->account_name, PROP_ACCOUNT_NAME);
  changed |= CHANGE_ENUM (self, protocol, c->protocol, PROP_PROTOCOL);
  changed |= change_text (self, &self->data.region, c->region, PROP_REGION);
  changed |= change_text (self, &self->data.instance_id, c->instance_id, PROP_INSTANCE_ID);
  changed |= change_text (self, &self->data.instance_name, c->instance_name, PROP_INSTANCE_NAME);
  changed |= change_text (self, &self->data.image_name, c->image_name, PROP_IMAGE_NAME);
  changed |= change_text (self, &self->data.image_description, c->image_description,
                          PROP_IMAGE_DESCRIPTION);
  changed |= CHANGE_ENUM (self, force_poweroff, c->force_poweroff, PROP_FORCE_POWEROFF);
  changed |= CHANGE_ENUM (self, sysprep, c->sysprep, PROP_SYSPREP);
  changed |= change_list (self, &self->data.data_disk_ids,
                          (const char * const *) c->data_disk_ids, TC_HISTORY_MAX_LIST_ITEMS,
                          PROP_DATA_DISK_IDS);
  changed |= change_list (self, &self->data.tags, (const char * const *) c->tags,
                          2 * TC_HISTORY_MAX_LIST_ITEMS, PROP_TAGS);
  changed |= CHANGE_ENUM (self, outcome, c->outcome, PROP_OUTCOME);
  changed |= change_text (self, &self->data.error_code, c->error_code, PROP_ERROR_CODE);
  changed |= change_text (self, &self->data.error_message, c->error_message, PROP_ERROR_MESSAGE);
  changed |= change_text (self, &self->data.image_id, c->image_id, PROP_IMAGE_ID);
  changed |= change_text (self, &self->data.request_id, c->request_id, PROP_REQUEST_ID);
  changed |= change_int (self, &self->data.last_checked, c->last_checked, PROP_LAST_CHECKED);
  changed |= change_checks (self, c->checks);
  changed |= change_text (self, &self->data.source_region, c->source_region, PROP_SOURCE_REGION);
  changed |= change_text (self, &self->data.source_image_id, c->source_image_id,
                          PROP_SOURCE_IMAGE_ID);
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
    g_autofree char *text = g_strconcat (self->data.tags[2 * i], "=", self->data.tags[2 * i + 1],
                                         NULL);

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
  g_free (self->search_cache);

  G_OBJECT_CLASS (tc_history_entry_parent_class)->finalize (object);
}

static void
tc_history_entry_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  TcHistoryEntry *self = TC_HISTORY_ENTRY (object);
  EntryData *d = &self->data;

  switch (prop_id) {
  case PROP_ID:                g_value_set_string (value, d->id); break;
  case PROP_KIND:              g_value_set_enum (value, d->kind); break;
  case PROP_CREATED:           g_value_set_boxed (value, tc_history_entry_get_created (self)); break;
  case PROP_ACCOUNT_ID:        g_value_set_string (value, d->account_id); break;
  case PROP_ACCOUNT_NAME:      g_value_set_string (value, d->account_name); break;
  case PROP_PROTOCOL:          g_value_set_uint (value, d->protocol); break;
  case PROP_REGION:            g_value_set_string (value, d->region); break;
  case PROP_INSTANCE_ID:       g_value_set_string (value, d->instance_id); break;
  case PROP_INSTANCE_NAME:     g_value_set_string (value, d->instance_name); break;
  case PROP_IMAGE_NAME:        g_value_set_string (value, d->image_name); break;
  case PROP_IMAGE_DESCRIPTION: g_value_set_string (value, d->image_description); break;
  case PROP_FORCE_POWEROFF:    g_value_set_boolean (value, d->force_poweroff); break;
  case PROP_SYSPREP:           g_value_set_boolean (value, d->sysprep); break;
  case PROP_DATA_DISK_IDS:     g_value_set_boxed (value, d->data_disk_ids); break;
  case PROP_TAGS:              g_value_take_boxed (value, dup_tag_texts (self)); break;
  case PROP_OUTCOME:           g_value_set_enum (value, d->outcome); break;
  case PROP_ERROR_CODE:        g_value_set_string (value, d->error_code); break;
  case PROP_ERROR_MESSAGE:     g_value_set_string (value, d->error_message); break;
  case PROP_IMAGE_ID:          g_value_set_string (value, d->image_id); break;
  case PROP_REQUEST_ID:        g_value_set_string (value, d->request_id); break;
  case PROP_LAST_CHECKED:      g_value_set_boxed (value, tc_history_entry_get_last_checked (self)); break;
  case PROP_N_CHECKS:          g_value_set_uint (value, tc_history_entry_get_n_checks (self)); break;
  case PROP_SOURCE_REGION:     g_value_set_string (value, d->source_region); break;
  case PROP_SOURCE_IMAGE_ID:   g_value_set_string (value, d->source_image_id); break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
tc_history_entry_class_init (TcHistoryEntryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  const struct { guint prop; const char *name; } strings[] = {
    { PROP_ID, "id" }, { PROP_ACCOUNT_ID, "account-id" }, { PROP_ACCOUNT_NAME, "account-name" },
    { PROP_REGION, "region" }, { PROP_INSTANCE_ID, "instance-id" },
    { PROP_INSTANCE_NAME, "instance-name" }, { PROP_IMAGE_NAME, "image-name" },
    { PROP_IMAGE_DESCRIPTION, "image-description" }, { PROP_ERROR_CODE, "error-code" },
    { PROP_ERROR_MESSAGE, "error-message" }, { PROP_IMAGE_ID, "image-id" },
    { PROP_REQUEST_ID, "request-id" }, { PROP_SOURCE_REGION, "source-region" },
    { PROP_SOURCE_IMAGE_ID, "source-image-id" },
  };

  object_class->finalize = tc_history_entry_finalize;
  object_class->get_property = tc_history_entry_get_property;

  for (guint i = 0; i < G_N_ELEMENTS (strings); i++)
    props[strings[i].prop] = g_param_spec_string (strings[i].name, NULL, NULL, NULL, ro);
  props[PROP_KIND] =
    g_param_spec_enum ("kind", NULL, NULL, TC_TYPE_HISTORY_KIND, TC_HISTORY_KIND_CHECK, ro);
  props[PROP_CREATED] = g_param_spec_boxed ("created", NULL, NULL, G_TYPE_DATE_TIME, ro);
  props[PROP_PROTOCOL] =
    g_param_spec_uint ("protocol", NULL, NULL, TC_PROTOCOL_API3, TC_PROTOCOL_LEGACY,
                       TC_PROTOCOL_API3, ro);
  props[PROP_FORCE_POWEROFF] = g_param_spec_boolean ("force-poweroff", NULL, NULL, FALSE, ro);
  props[PROP_SYSPREP] = g_param_spec_boolean ("sysprep", NULL, NULL, FALSE, ro);
  props[PROP_DATA_DISK_IDS] =
    g_param_spec_boxed ("data-disk-ids", NULL, NULL, G_TYPE_STRV, ro);
  props[PROP_TAGS] = g_param_spec_boxed ("tags", NULL, NULL, G_TYPE_STRV, ro);
  props[PROP_OUTCOME] =
    g_param_spec_enum ("outcome", NULL, NULL, TC_TYPE_HISTORY_OUTCOME,
                       TC_HISTORY_OUTCOME_DRY_RUN_PASSED, ro);
  props[PROP_LAST_CHECKED] =
    g_param_spec_boxed ("last-checked", NULL, NULL, G_TYPE_DATE_TIME, ro);
  props[PROP_N_CHECKS] = g_param_spec_uint ("n-checks", NULL, NULL, 0, G_MAXUINT, 0, ro);

  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
tc_history_entry_init (TcHistoryEntry *self)
{
}

TcHistoryEntry *
tc_history_entry_new_stored (EntryData *data)
{
  TcHistoryEntry *self = g_object_new (TC_TYPE_HISTORY_ENTRY, NULL);

  self->data = *data;
  memset (data, 0, sizeof *data);
  self->sealed = TRUE;
  return self;
}

EntryData *
tc_history_entry_get_data (TcHistoryEntry *self)
{
  return &self->data;
}

gboolean
tc_history_entry_is_sealed (TcHistoryEntry *self)
{
  return self->sealed;
}

void
tc_history_entry_seal (TcHistoryEntry *self)
{
  self->sealed = TRUE;
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

  g_return_val_if_fail (kind <= TC_HISTORY_KIND_COPY, NULL);

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
 * @account_id: (nullable): the account's id (TcAccount:id), which outlives renames
 * @account_name: (nullable): the account's name now, shown once the account is gone
 * @region: (nullable): the region the request went to
 * @instance_name: (nullable): the instance's display name
 * @request: what the image form sent
 *
 * Returns: (transfer full): a new entry describing @request
 */
TcHistoryEntry *
tc_history_entry_new_for_request (TcHistoryKind         kind,
                                  const char           *account_id,
                                  const char           *account_name,
                                  TcProtocol            protocol,
                                  const char           *region,
                                  const char           *instance_name,
                                  const TcImageRequest *request)
{
  TcHistoryEntry *self;

  g_return_val_if_fail (request != NULL, NULL);

  self = tc_history_entry_new (kind);
  tc_history_entry_set_account (self, account_id, account_name);
  tc_history_entry_set_protocol (self, protocol);
  tc_history_entry_set_region (self, region);
  tc_history_entry_set_instance_name (self, instance_name);
  tc_history_entry_set_request (self, request);
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

#define GETTER(type, name, field, fallback) \
  type \
  tc_history_entry_get_##name (TcHistoryEntry *self) \
  { \
    g_return_val_if_fail (TC_IS_HISTORY_ENTRY (self), fallback); \
    return self->data.field; \
  }

GETTER (const char *, id, id, NULL)
GETTER (TcHistoryKind, kind, kind, TC_HISTORY_KIND_CHECK)
GETTER (const char *, account_id, account_id, NULL)
GETTER (const char *, account_name, account_name, NULL)
GETTER (TcProtocol, protocol, protocol, TC_PROTOCOL_API3)
GETTER (const char *, region, region, NULL)
GETTER (const char *, instance_id, instance_id, NULL)
GETTER (const char *, instance_name, instance_name, NULL)
GETTER (const char *, source_region, source_region, NULL)
GETTER (const char *, source_image_id, source_image_id, NULL)
GETTER (const char *, image_name, image_name, NULL)
GETTER (const char *, image_description, image_description, NULL)
GETTER (gboolean, force_poweroff, force_poweroff, FALSE)
GETTER (gboolean, sysprep, sysprep, FALSE)
GETTER (TcHistoryOutcome, outcome, outcome, TC_HISTORY_OUTCOME_REQUEST_FAILED)
GETTER (const char *, error_code, error_code, NULL)
GETTER (const char *, error_message, error_message, NULL)
GETTER (const char *, image_id, image_id, NULL)
GETTER (const char *, request_id, request_id, NULL)

#undef GETTER

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

/**
 * tc_history_entry_get_created:
 *
 * Returns: (transfer none): when the attempt began, in local time
 */
GDateTime *
tc_history_entry_get_created (TcHistoryEntry *self)
{
  g_return_val_if_fail (TC_IS_HISTORY_ENTRY (self), NULL);

  if (self->created_cache == NULL)
    self->created_cache = datetime_from_us (self->data.created);
  return self->created_cache;
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

guint
tc_history_entry_get_n_tags (TcHistoryEntry *self)
{
  g_return_val_if_fail (TC_IS_HISTORY_ENTRY (self), 0);
  return self->data.tags != NULL ? g_strv_length (self->data.tags) / 2 : 0;
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

guint
tc_history_entry_get_n_checks (TcHistoryEntry *self)
{
  g_return_val_if_fail (TC_IS_HISTORY_ENTRY (self), 0);
  return self->data.checks != NULL ? self->data.checks->len : 0;
}

/**
 * tc_history_entry_get_check:
 * @time: (out) (optional) (transfer full): when the check was answered, in local time
 * @passed: (out) (optional): whether the dry run said the request would succeed
 * @error_code: (out) (optional) (transfer none) (nullable)
 * @error_message: (out) (optional) (transfer none) (nullable)
 * @request_id: (out) (optional) (transfer none) (nullable)
 *
 * Returns: %TRUE when there is a check at @index (oldest first)
 */
gboolean
tc_history_entry_get_check (TcHistoryEntry  *self,
                            guint            index,
                            GDateTime      **time,
                            gboolean        *passed,
                            const char     **error_code,
                            const char     **error_message,
                            const char     **request_id)
{
  const EntryCheck *check;

  g_return_val_if_fail (TC_IS_HISTORY_ENTRY (self), FALSE);

  if (index >= tc_history_entry_get_n_checks (self))
    return FALSE;
  check = g_ptr_array_index (self->data.checks, index);
  if (time != NULL)
    *time = datetime_from_us (check->time);
  if (passed != NULL)
    *passed = check->passed;
  if (error_code != NULL)
    *error_code = check->error_code;
  if (error_message != NULL)
    *error_message = check->error_message;
  if (request_id != NULL)
    *request_id = check->request_id;
  return TRUE;
}

gboolean
tc_history_entry_matches (TcHistoryEntry *self,
                          const char     *folded)
{
  g_return_val_if_fail (TC_IS_HISTORY_ENTRY (self), FALSE);

  if (folded == NULL)
    return TRUE;
  if (self->search_cache == NULL)
    self->search_cache = entry_data_search_text (&self->data);
  return strstr (self->search_cache, folded) != NULL ||
         tc_history_region_name_matches (self->data.region, folded);
}

/* TRUE when the name people read for @region (“South China (Guangzhou)”, 华南地区（广州）, in
 * the language of the moment) holds @folded: the entries keep the code, and a search for
 * 广州 finds them by the name. */
gboolean
tc_history_region_name_matches (const char *region,
                                const char *folded)
{
  const char *name = tc_places_region_name (region);
  g_autofree char *folded_name = NULL;

  if (region == NULL || name == region)
    return FALSE;
  folded_name = tc_history_fold_search (name);
  return folded_name != NULL && strstr (folded_name, folded) != NULL;
}

char *
tc_history_fold_search (const char *text)
{
  g_autofree char *stripped = g_strstrip (g_strdup (text ? text : ""));
  g_autofree char *normalized = NULL;

  if (*stripped == '\0' || !g_utf8_validate (stripped, -1, NULL))
    return NULL;
  normalized = g_utf8_normalize (stripped, -1, G_NORMALIZE_ALL_COMPOSE);
  return g_utf8_casefold (normalized, -1);
}

#define RETURN_IF_SEALED(self) \
  G_STMT_START { \
    g_return_if_fail (TC_IS_HISTORY_ENTRY (self)); \
    g_return_if_fail (!(self)->sealed); \
  } G_STMT_END

#define TEXT_SETTER(name, prop) \
  void \
  tc_history_entry_set_##name (TcHistoryEntry *self, \
                               const char     *value) \
  { \
    RETURN_IF_SEALED (self); \
    change_text (self, &self->data.name, value, prop); \
  }

TEXT_SETTER (region, PROP_REGION)
TEXT_SETTER (instance_id, PROP_INSTANCE_ID)
TEXT_SETTER (instance_name, PROP_INSTANCE_NAME)
TEXT_SETTER (image_name, PROP_IMAGE_NAME)
TEXT_SETTER (image_description, PROP_IMAGE_DESCRIPTION)
TEXT_SETTER (error_code, PROP_ERROR_CODE)
TEXT_SETTER (error_message, PROP_ERROR_MESSAGE)
TEXT_SETTER (image_id, PROP_IMAGE_ID)
TEXT_SETTER (request_id, PROP_REQUEST_ID)

#undef TEXT_SETTER

void
tc_history_entry_set_account (TcHistoryEntry *self,
                              const char     *account_id,
                              const char     *account_name)
{
  RETURN_IF_SEALED (self);
  change_text (self, &self->data.account_id, account_id, PROP_ACCOUNT_ID);
  change_text (self, &self->data.account_name, account_name, PROP_ACCOUNT_NAME);
}

/* A copy's source image, in its region. */
void
tc_history_entry_set_source (TcHistoryEntry *self,
                             const char     *region,
                             const char     *image_id)
{
  RETURN_IF_SEALED (self);
  change_text (self, &self->data.source_region, region, PROP_SOURCE_REGION);
  change_text (self, &self->data.source_image_id, image_id, PROP_SOURCE_IMAGE_ID);
}

void
tc_history_entry_set_created (TcHistoryEntry *self,
                              GDateTime      *created)
{
  RETURN_IF_SEALED (self);
  g_return_if_fail (created != NULL);
  change_int (self, &self->data.created, datetime_to_us (created), PROP_CREATED);
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
  change_int (self, &self->data.last_checked,
              last_checked ? datetime_to_us (last_checked) : 0, PROP_LAST_CHECKED);
}

void
tc_history_entry_set_kind (TcHistoryEntry *self,
                           TcHistoryKind   kind)
{
  RETURN_IF_SEALED (self);
  g_return_if_fail (kind <= TC_HISTORY_KIND_COPY);
  CHANGE_ENUM (self, kind, kind, PROP_KIND);
}

void
tc_history_entry_set_protocol (TcHistoryEntry *self,
                               TcProtocol      protocol)
{
  RETURN_IF_SEALED (self);
  g_return_if_fail (protocol == TC_PROTOCOL_API3 || protocol == TC_PROTOCOL_LEGACY);
  CHANGE_ENUM (self, protocol, protocol, PROP_PROTOCOL);
}

void
tc_history_entry_set_outcome (TcHistoryEntry   *self,
                              TcHistoryOutcome  outcome)
{
  RETURN_IF_SEALED (self);
  g_return_if_fail (outcome <= TC_HISTORY_OUTCOME_FAILED);
  CHANGE_ENUM (self, outcome, outcome, PROP_OUTCOME);
}

void
tc_history_entry_set_force_poweroff (TcHistoryEntry *self,
                                     gboolean        force_poweroff)
{
  RETURN_IF_SEALED (self);
  CHANGE_ENUM (self, force_poweroff, !!force_poweroff, PROP_FORCE_POWEROFF);
}

void
tc_history_entry_set_sysprep (TcHistoryEntry *self,
                              gboolean        sysprep)
{
  RETURN_IF_SEALED (self);
  CHANGE_ENUM (self, sysprep, !!sysprep, PROP_SYSPREP);
}

void
tc_history_entry_set_data_disk_ids (TcHistoryEntry     *self,
                                    const char * const *disk_ids)
{
  RETURN_IF_SEALED (self);
  change_list (self, &self->data.data_disk_ids, disk_ids, TC_HISTORY_MAX_LIST_ITEMS,
               PROP_DATA_DISK_IDS);
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
  change_list (self, &self->data.tags, (const char * const *) pairs,
               2 * TC_HISTORY_MAX_LIST_ITEMS, PROP_TAGS);
}

void
tc_history_entry_set_request (TcHistoryEntry       *self,
                              const TcImageRequest *request)
{
  RETURN_IF_SEALED (self);
  g_return_if_fail (request != NULL);

  g_object_freeze_notify (G_OBJECT (self));
  tc_history_entry_set_instance_id (self, request->instance_id);
  tc_history_entry_set_image_name (self, request->name);
  tc_history_entry_set_image_description (self, request->description);
  tc_history_entry_set_force_poweroff (self, request->force_poweroff);
  tc_history_entry_set_sysprep (self, request->sysprep);
  tc_history_entry_set_data_disk_ids (self, (const char * const *) request->data_disk_ids);
  tc_history_entry_set_tags (self, request->tags);
  g_object_thaw_notify (G_OBJECT (self));
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

void
tc_history_entry_add_check (TcHistoryEntry *self,
                            gboolean        passed,
                            const GError   *error,
                            const char     *request_id)
{
  EntryCheck *check;

  RETURN_IF_SEALED (self);

  check = g_new0 (EntryCheck, 1);
  check->time = g_get_real_time ();
  check->passed = !!passed;
  if (error != NULL) {
    const char *message = tc_error_get_server_message (error);

    check->error_code = tc_history_normalize_text (tc_error_get_server_code (error));
    check->error_message = tc_history_normalize_text (message != NULL && *message != '\0'
                                                      ? message : error->message);
    if (request_id == NULL)
      request_id = tc_error_get_request_id (error);
  }
  check->request_id = tc_history_normalize_text (request_id);

  if (self->data.checks == NULL)
    self->data.checks = g_ptr_array_new_with_free_func ((GDestroyNotify) entry_check_free);
  g_ptr_array_add (self->data.checks, check);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_N_CHECKS]);
}

#undef RETURN_IF_SEALED

/* tc-history-entry.c: one history entry, a GObject around EntryData
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An entry is one image attempt: the checks (dry runs) sent for it, then the CreateImage
 * and the image it made. Rows show it and follow its "changed" signal, which the store
 * emits once for whatever it changed (no view needs to know which field). Text is kept as
 * valid UTF-8 of at most TC_HISTORY_MAX_FIELD_BYTES, whatever a server sent. Once in a
 * store an entry is "sealed": only the store changes it (from a copy passed to
 * tc_history_update_async()), so the database and the screen agree.
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
entry_check_copy (const EntryCheck *src,
                  gpointer          unused)
{
  EntryCheck *check = g_memdup2 (src, sizeof *src);

  check->error_code = g_strdup (src->error_code);
  check->error_message = g_strdup (src->error_message);
  check->request_id = g_strdup (src->request_id);
  return check;
}

#define TEXT_FIELDS(X) \
  X (id) X (account_id) X (account_name) X (instance_id) X (instance_name) \
  X (image_name) X (image_description) X (error_code) X (error_message) X (image_id) \
  X (request_id) X (source_region) X (source_image_id)

static void
entry_data_clear (EntryData *data)
{
#define CLEAR(f) g_clear_pointer (&data->f, g_free);
  TEXT_FIELDS (CLEAR)
#undef CLEAR
  g_clear_pointer (&data->data_disk_ids, g_strfreev);
  g_clear_pointer (&data->tags, g_strfreev);
  g_clear_pointer (&data->checks, g_ptr_array_unref);
  g_clear_pointer (&data->search, g_free);
}

void
entry_data_free (EntryData *data)
{
  entry_data_clear (data);
  g_free (data);
}

static void
entry_data_copy (EntryData       *dest,
                 const EntryData *src)
{
  *dest = *src;
#define COPY(f) dest->f = g_strdup (src->f);
  TEXT_FIELDS (COPY)
#undef COPY
  dest->data_disk_ids = g_strdupv (src->data_disk_ids);
  dest->tags = g_strdupv (src->tags);
  dest->checks = src->checks ? g_ptr_array_copy (src->checks, (GCopyFunc) entry_check_copy, NULL)
                             : NULL;
  if (dest->checks != NULL)
    g_ptr_array_set_free_func (dest->checks, (GDestroyNotify) entry_check_free);
  dest->search = g_strdup (src->search);
}

EntryData *
entry_data_dup (const EntryData *src)
{
  EntryData *data = g_new (EntryData, 1);

  entry_data_copy (data, src);
  return data;
}

static gboolean
strv_equal0 (GStrv a,
             GStrv b)
{
  return a == NULL || b == NULL ? a == b
                                : g_strv_equal ((const char * const *) a, (const char * const *) b);
}

/* Every field but the search text, which follows from them; checks are only ever added. */
gboolean
entry_data_equal (const EntryData *a,
                  const EntryData *b)
{
#define SAME(f) g_strcmp0 (a->f, b->f) == 0 &&
  return TEXT_FIELDS (SAME)
         a->region == b->region && a->kind == b->kind && a->created == b->created && a->protocol == b->protocol &&
         a->force_poweroff == b->force_poweroff && a->sysprep == b->sysprep &&
         a->outcome == b->outcome && a->last_checked == b->last_checked &&
         strv_equal0 (a->data_disk_ids, b->data_disk_ids) && strv_equal0 (a->tags, b->tags) &&
         (a->checks ? a->checks->len : 0) == (b->checks ? b->checks->len : 0);
#undef SAME
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

const char *
entry_data_get_search (EntryData *data)
{
  if (data->search == NULL)
    data->search = entry_data_search_text (data);
  return data->search;
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
  gboolean    sealed;              /* in a store (or was): only the store changes it */
};

G_DEFINE_FINAL_TYPE (TcHistoryEntry, tc_history_entry, G_TYPE_OBJECT)

enum {
  SIGNAL_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

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
tc_history_entry_class_init (TcHistoryEntryClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tc_history_entry_finalize;

  /* The store gave a stored entry new values (one signal for any number of fields). */
  signals[SIGNAL_CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                          G_TYPE_NONE, 0);
}

static void
tc_history_entry_init (TcHistoryEntry *self)
{
}

TcHistoryEntry *
tc_history_entry_new_stored (const EntryData *data)
{
  TcHistoryEntry *self = g_object_new (TC_TYPE_HISTORY_ENTRY, NULL);

  entry_data_copy (&self->data, data);
  self->sealed = TRUE;
  return self;
}

const EntryData *
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

/* @data has the entry's id and time (the store's record of it). */
void
tc_history_entry_take_data (TcHistoryEntry  *self,
                            const EntryData *data)
{
  EntryData old = self->data;

  entry_data_copy (&self->data, data);
  /* The same id, and the same string: the store's table of entries is keyed on it. */
  g_free (self->data.id);
  self->data.id = old.id;
  if (!entry_data_equal (&old, &self->data)) {
    g_clear_pointer (&self->last_checked_cache, g_date_time_unref);
    g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
  }
  old.id = NULL;
  entry_data_clear (&old);
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

  return folded == NULL || strstr (entry_data_get_search (&self->data), folded) != NULL ||
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

/* The setters: only on entries not in a store. The search text follows the fields. */

#define RETURN_IF_SEALED(self) \
  G_STMT_START { \
    g_return_if_fail (TC_IS_HISTORY_ENTRY (self)); \
    g_return_if_fail (!(self)->sealed); \
    g_clear_pointer (&(self)->data.search, g_free); \
  } G_STMT_END

static void
set_text (char       **field,
          const char  *value)
{
  g_free (*field);
  *field = tc_history_normalize_text (value);
}

#define TEXT_SETTER(name) \
  void \
  tc_history_entry_set_##name (TcHistoryEntry *self, \
                               const char     *value) \
  { \
    RETURN_IF_SEALED (self); \
    set_text (&self->data.name, value); \
  }

TEXT_SETTER (instance_id)
TEXT_SETTER (instance_name)
TEXT_SETTER (image_name)
TEXT_SETTER (image_description)
TEXT_SETTER (error_code)
TEXT_SETTER (error_message)
TEXT_SETTER (image_id)
TEXT_SETTER (request_id)

#undef TEXT_SETTER

#define VALUE_SETTER(name, type, valid) \
  void \
  tc_history_entry_set_##name (TcHistoryEntry *self, \
                               type            name) \
  { \
    RETURN_IF_SEALED (self); \
    g_return_if_fail (valid); \
    self->data.name = name; \
  }

VALUE_SETTER (force_poweroff, gboolean, (force_poweroff = !!force_poweroff, TRUE))
VALUE_SETTER (sysprep, gboolean, (sysprep = !!sysprep, TRUE))
VALUE_SETTER (kind, TcHistoryKind, kind <= TC_HISTORY_KIND_COPY)
VALUE_SETTER (protocol, TcProtocol, protocol == TC_PROTOCOL_API3 || protocol == TC_PROTOCOL_LEGACY)
VALUE_SETTER (outcome, TcHistoryOutcome, outcome <= TC_HISTORY_OUTCOME_FAILED)

#undef VALUE_SETTER

void
tc_history_entry_set_region (TcHistoryEntry *self,
                             const char     *region)
{
  g_autofree char *text = tc_history_normalize_text (region);

  RETURN_IF_SEALED (self);
  self->data.region = g_intern_string (text);
}

/* A copy's source image, in its region. */
void
tc_history_entry_set_source (TcHistoryEntry *self,
                             const char     *region,
                             const char     *image_id)
{
  RETURN_IF_SEALED (self);
  set_text (&self->data.source_region, region);
  set_text (&self->data.source_image_id, image_id);
}

void
tc_history_entry_set_account (TcHistoryEntry *self,
                              const char     *account_id,
                              const char     *account_name)
{
  RETURN_IF_SEALED (self);
  set_text (&self->data.account_id, account_id);
  set_text (&self->data.account_name, account_name);
}

void
tc_history_entry_set_created (TcHistoryEntry *self,
                              GDateTime      *created)
{
  RETURN_IF_SEALED (self);
  g_return_if_fail (created != NULL);
  self->data.created = datetime_to_us (created);
  g_clear_pointer (&self->created_cache, g_date_time_unref);
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
  self->data.last_checked = last_checked ? datetime_to_us (last_checked) : 0;
  g_clear_pointer (&self->last_checked_cache, g_date_time_unref);
}

static void
set_list (GStrv              *field,
          const char * const *items,
          guint               max_items)
{
  g_strfreev (*field);
  *field = tc_history_normalize_list (items, max_items);
}

void
tc_history_entry_set_data_disk_ids (TcHistoryEntry     *self,
                                    const char * const *disk_ids)
{
  RETURN_IF_SEALED (self);
  set_list (&self->data.data_disk_ids, disk_ids, TC_HISTORY_MAX_LIST_ITEMS);
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
  set_list (&self->data.tags, (const char * const *) pairs, 2 * TC_HISTORY_MAX_LIST_ITEMS);
}

void
tc_history_entry_set_request (TcHistoryEntry       *self,
                              const TcImageRequest *request)
{
  RETURN_IF_SEALED (self);
  g_return_if_fail (request != NULL);

  tc_history_entry_set_instance_id (self, request->instance_id);
  tc_history_entry_set_image_name (self, request->name);
  tc_history_entry_set_image_description (self, request->description);
  tc_history_entry_set_force_poweroff (self, request->force_poweroff);
  tc_history_entry_set_sysprep (self, request->sysprep);
  tc_history_entry_set_data_disk_ids (self, (const char * const *) request->data_disk_ids);
  tc_history_entry_set_tags (self, request->tags);
}

/* The server's message, or else @error's own. */
static const char *
error_message (const GError *error)
{
  const char *message = tc_error_get_server_message (error);

  return message != NULL && *message != '\0' ? message : error->message;
}

void
tc_history_entry_set_error (TcHistoryEntry *self,
                            const GError   *error)
{
  const char *request_id;

  RETURN_IF_SEALED (self);
  g_return_if_fail (error != NULL);

  request_id = tc_error_get_request_id (error);
  tc_history_entry_set_error_code (self, tc_error_get_server_code (error));
  tc_history_entry_set_error_message (self, error_message (error));
  if (request_id != NULL && *request_id != '\0')
    tc_history_entry_set_request_id (self, request_id);
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
    check->error_code = tc_history_normalize_text (tc_error_get_server_code (error));
    check->error_message = tc_history_normalize_text (error_message (error));
    if (request_id == NULL)
      request_id = tc_error_get_request_id (error);
  }
  check->request_id = tc_history_normalize_text (request_id);

  if (self->data.checks == NULL)
    self->data.checks = g_ptr_array_new_with_free_func ((GDestroyNotify) entry_check_free);
  g_ptr_array_add (self->data.checks, check);
}

#undef RETURN_IF_SEALED

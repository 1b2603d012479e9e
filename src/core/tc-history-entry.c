/* tc-history-entry.c: one history entry: its record, and the GObject around it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An entry is one image attempt: the checks (dry runs) sent for it, then the CreateImage
 * and the image it made. Rows show it and follow its "changed" signal, which the store
 * emits once for whatever it changed (no view needs to know which field). Text is kept as
 * valid UTF-8 of at most TC_HISTORY_MAX_FIELD_BYTES, whatever a server sent. Once in a
 * store an entry is "sealed": only the store changes it (from a copy passed to
 * tc_history_update_async()), so the database and the screen agree. The fields are plain
 * members of TcHistoryRecord, described once in history_fields[] for everything that
 * goes over all of them: no getter or setter per field.
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "tc-history-private.h"
#include "tc-places.h"
#include "tc-error.h"

G_DEFINE_QUARK (tc-history-error-quark, tc_history_error)

gboolean
tc_history_outcome_is_final (TcHistoryOutcome outcome)
{
  return outcome != TC_HISTORY_OUTCOME_CREATING;
}

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

/* The record */

static const char * const kind_names[] = { "check", "create", "copy" };
static const char * const protocol_names[] = { "api3", "legacy" };
static const char * const outcome_names[] = {
  "dry-run-passed", "dry-run-failed", "request-failed", "creating", "ready", "failed",
};

#define TEXT(name, member) \
  { #name, member, FIELD_TEXT, G_STRUCT_OFFSET (TcHistoryRecord, name), 0, NULL }
#define VALUE(name, type, max, names) \
  { #name, #name, type, G_STRUCT_OFFSET (TcHistoryRecord, name), max, names }

/* Old entries have no account id: history.jsonl kept the account's name as "account". */
const HistoryField history_fields[] = {
  TEXT (id, "id"),
  VALUE (kind, FIELD_ENUM, G_N_ELEMENTS (kind_names), kind_names),
  VALUE (created, FIELD_TIME, 0, NULL),
  TEXT (account_id, NULL),
  TEXT (account_name, "account"),
  VALUE (protocol, FIELD_ENUM, G_N_ELEMENTS (protocol_names), protocol_names),
  VALUE (region, FIELD_REGION, 0, NULL),
  TEXT (instance_id, "instance_id"),
  TEXT (instance_name, "instance_name"),
  TEXT (image_name, "image_name"),
  TEXT (image_description, "image_description"),
  VALUE (force_poweroff, FIELD_BOOL, 0, NULL),
  VALUE (sysprep, FIELD_BOOL, 0, NULL),
  VALUE (data_disk_ids, FIELD_LIST, TC_HISTORY_MAX_LIST_ITEMS, NULL),
  VALUE (tags, FIELD_LIST, 2 * TC_HISTORY_MAX_LIST_ITEMS, NULL),
  VALUE (outcome, FIELD_ENUM, G_N_ELEMENTS (outcome_names), outcome_names),
  TEXT (error_code, "error_code"),
  TEXT (error_message, "error_message"),
  TEXT (image_id, "image_id"),
  TEXT (request_id, "request_id"),
  VALUE (last_checked, FIELD_WHEN, 0, NULL),
  { "checks", NULL, FIELD_CHECKS, G_STRUCT_OFFSET (TcHistoryRecord, checks), 0, NULL },
  TEXT (source_region, NULL),
  TEXT (source_image_id, NULL),
};
const guint history_n_fields = G_N_ELEMENTS (history_fields);

#undef TEXT
#undef VALUE

void
history_check_free (TcHistoryCheck *check)
{
  g_free (check->error_code);
  g_free (check->error_message);
  g_free (check->request_id);
  g_free (check);
}

static TcHistoryCheck *
check_copy (const TcHistoryCheck *src,
            gpointer              unused)
{
  TcHistoryCheck *check = g_memdup2 (src, sizeof *src);

  check->error_code = g_strdup (src->error_code);
  check->error_message = g_strdup (src->error_message);
  check->request_id = g_strdup (src->request_id);
  return check;
}

static void
record_clear (TcHistoryRecord *record)
{
  for (guint i = 0; i < history_n_fields; i++) {
    const HistoryField *f = &history_fields[i];

    if (f->type == FIELD_TEXT)
      g_clear_pointer (&FIELD_AT (record, f, char *), g_free);
    else if (f->type == FIELD_LIST)
      g_clear_pointer (&FIELD_AT (record, f, GStrv), g_strfreev);
  }
  g_clear_pointer (&record->checks, g_ptr_array_unref);
  g_clear_pointer (&record->search, g_free);
}

void
history_record_free (TcHistoryRecord *record)
{
  record_clear (record);
  g_free (record);
}

static void
record_copy (TcHistoryRecord       *dest,
             const TcHistoryRecord *src)
{
  *dest = *src;
  for (guint i = 0; i < history_n_fields; i++) {
    const HistoryField *f = &history_fields[i];

    if (f->type == FIELD_TEXT)
      FIELD_AT (dest, f, char *) = g_strdup (FIELD_AT (src, f, char *));
    else if (f->type == FIELD_LIST)
      FIELD_AT (dest, f, GStrv) = g_strdupv (FIELD_AT (src, f, GStrv));
  }
  if (src->checks != NULL) {
    dest->checks = g_ptr_array_copy (src->checks, (GCopyFunc) check_copy, NULL);
    g_ptr_array_set_free_func (dest->checks, (GDestroyNotify) history_check_free);
  }
  dest->search = g_strdup (src->search);
}

TcHistoryRecord *
history_record_dup (const TcHistoryRecord *src)
{
  TcHistoryRecord *record = g_new (TcHistoryRecord, 1);

  record_copy (record, src);
  return record;
}

/* Every field but the search text, which follows from them; checks are only ever added. */
gboolean
history_record_equal (const TcHistoryRecord *a,
                      const TcHistoryRecord *b)
{
  gboolean same = TRUE;

  for (guint i = 0; same && i < history_n_fields; i++) {
    const HistoryField *f = &history_fields[i];
    GStrv x = f->type == FIELD_LIST ? FIELD_AT (a, f, GStrv) : NULL;
    GStrv y = f->type == FIELD_LIST ? FIELD_AT (b, f, GStrv) : NULL;

    if (f->type == FIELD_TEXT || f->type == FIELD_REGION)
      same = g_strcmp0 (FIELD_AT (a, f, const char *), FIELD_AT (b, f, const char *)) == 0;
    else if (f->type == FIELD_ENUM || f->type == FIELD_BOOL)
      same = FIELD_AT (a, f, int) == FIELD_AT (b, f, int);
    else if (f->type == FIELD_TIME || f->type == FIELD_WHEN)
      same = FIELD_AT (a, f, gint64) == FIELD_AT (b, f, gint64);
    else if (f->type == FIELD_LIST)
      same = x && y ? g_strv_equal ((const char * const *) x, (const char * const *) y) : x == y;
    else
      same = (a->checks ? a->checks->len : 0) == (b->checks ? b->checks->len : 0);
  }
  return same;
}

/* Text as it is kept: valid UTF-8, at most TC_HISTORY_MAX_FIELD_BYTES, without the two
 * separator characters the database's lists use (U+001E, U+001F become spaces). */
static void
normalize_text (char **text)
{
  char *valid;

  if (*text == NULL)
    return;
  valid = g_utf8_validate (*text, -1, NULL) ? *text : g_utf8_make_valid (*text, -1);
  g_strdelimit (valid, "\x1e\x1f", ' ');
  if (strlen (valid) > TC_HISTORY_MAX_FIELD_BYTES)
    *g_utf8_find_prev_char (valid, valid + TC_HISTORY_MAX_FIELD_BYTES + 1) = '\0';
  if (valid != *text)
    g_free (*text);
  *text = valid;
}

/* A list as it is kept: NULL when empty, each item normalized, at most @max items. */
static void
normalize_list (GStrv *list,
                guint  max)
{
  guint n = *list ? g_strv_length (*list) : 0;

  for (guint i = max; i < n; i++)
    g_clear_pointer (&(*list)[i], g_free);
  for (guint i = 0; i < MIN (n, max); i++)
    normalize_text (&(*list)[i]);
  if (n == 0)
    g_clear_pointer (list, g_strfreev);
}

void
history_record_normalize (TcHistoryRecord *record)
{
  for (guint i = 0; i < history_n_fields; i++) {
    const HistoryField *f = &history_fields[i];
    g_autofree char *region = NULL;

    if (f->type == FIELD_TEXT) {
      normalize_text (&FIELD_AT (record, f, char *));
    } else if (f->type == FIELD_REGION) {
      region = g_strdup (record->region);
      normalize_text (&region);
      record->region = g_intern_string (region);
    } else if (f->type == FIELD_ENUM) {
      FIELD_AT (record, f, int) = CLAMP (FIELD_AT (record, f, int), 0, (int) f->max - 1);
    } else if (f->type == FIELD_BOOL) {
      FIELD_AT (record, f, int) = !!FIELD_AT (record, f, int);
    } else if (f->type == FIELD_LIST) {
      normalize_list (&FIELD_AT (record, f, GStrv), f->max);
    }
  }
  /* Tags come in pairs. */
  if (record->tags != NULL && g_strv_length (record->tags) % 2 != 0)
    g_clear_pointer (&record->tags, g_strfreev);
  for (guint i = 0; record->checks != NULL && i < record->checks->len; i++) {
    TcHistoryCheck *check = record->checks->pdata[i];

    normalize_text (&check->error_code);
    normalize_text (&check->error_message);
    normalize_text (&check->request_id);
  }
  g_clear_pointer (&record->search, g_free);
}

/* What a search looks in: the names, IDs, instance, region and account, folded (case,
 * width, compatibility forms) so that "WEB" finds "web" and "ｗｅｂ" too. The account's
 * name is the one recorded: the store passes over it once the account has another
 * (tc-history-store.c). It stays in the text, which the database keeps for earlier builds
 * that search it there. */
const char *
history_record_get_search (TcHistoryRecord *record)
{
  const char *parts[] = {
    record->image_name, record->image_id, record->instance_name, record->instance_id,
    record->region, record->account_name, record->request_id, record->source_image_id,
  };
  g_autoptr(GString) text = NULL;

  if (record->search != NULL)
    return record->search;
  text = g_string_new (NULL);
  for (guint i = 0; i < G_N_ELEMENTS (parts); i++) {
    if (parts[i] != NULL)
      g_string_append_printf (text, "%s\n", parts[i]);
  }
  record->search = history_fold_part (text->str);
  return record->search;
}

/* Folding goes character by character and a line break stays one, so a part folded alone
 * is the line it makes in the search text: a renamed account's old name is found there. */
char *
history_fold_part (const char *text)
{
  g_autofree char *normalized = g_utf8_normalize (text ? text : "", -1, G_NORMALIZE_ALL_COMPOSE);

  return g_utf8_casefold (normalized ? normalized : "", -1);
}

GDateTime *
tc_history_time_new (gint64 us)
{
  g_autoptr(GDateTime) whole = g_date_time_new_from_unix_local (us / G_USEC_PER_SEC);

  return whole != NULL ? g_date_time_add (whole, us % G_USEC_PER_SEC) : NULL;
}

void
tc_history_set_str (char       **field,
                    const char  *value)
{
  char *old = *field;

  *field = g_strdup (value);
  g_free (old);
}

/* TcHistoryEntry (its struct is in tc-history-private.h, for the store) */

G_DEFINE_FINAL_TYPE (TcHistoryEntry, tc_history_entry, G_TYPE_OBJECT)

static guint changed_signal;

static void
tc_history_entry_finalize (GObject *object)
{
  record_clear (&TC_HISTORY_ENTRY (object)->record);

  G_OBJECT_CLASS (tc_history_entry_parent_class)->finalize (object);
}

static void
tc_history_entry_class_init (TcHistoryEntryClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tc_history_entry_finalize;

  /* The store gave a stored entry new values (one signal for any number of fields). */
  changed_signal = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                 NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
tc_history_entry_init (TcHistoryEntry *self)
{
}

void
tc_history_entry_replace (TcHistoryEntry  *self,
                          TcHistoryRecord *record)
{
  record_clear (&self->record);
  self->record = *record;
  g_free (record);
  g_signal_emit (self, changed_signal, 0);
}

TcHistoryEntry *
tc_history_entry_new (TcHistoryKind kind)
{
  TcHistoryEntry *self;

  g_return_val_if_fail (kind <= TC_HISTORY_KIND_COPY, NULL);

  self = g_object_new (TC_TYPE_HISTORY_ENTRY, NULL);
  self->record.id = g_uuid_string_random ();
  self->record.kind = kind;
  self->record.created = g_get_real_time ();
  self->record.protocol = TC_PROTOCOL_API3;
  self->record.outcome = kind == TC_HISTORY_KIND_CHECK ? TC_HISTORY_OUTCOME_DRY_RUN_PASSED
                                                       : TC_HISTORY_OUTCOME_CREATING;
  return self;
}

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
  self->record.account_id = g_strdup (account_id);
  self->record.account_name = g_strdup (account_name);
  self->record.protocol = protocol;
  self->record.region = g_intern_string (region);
  self->record.instance_name = g_strdup (instance_name);
  tc_history_entry_set_request (self, request);
  return self;
}

TcHistoryEntry *
tc_history_entry_copy (TcHistoryEntry *self)
{
  TcHistoryEntry *copy;

  g_return_val_if_fail (TC_IS_HISTORY_ENTRY (self), NULL);

  copy = g_object_new (TC_TYPE_HISTORY_ENTRY, NULL);
  record_copy (&copy->record, &self->record);
  return copy;
}

TcImageRequest *
tc_history_entry_to_request (TcHistoryEntry *self)
{
  const TcHistoryRecord *r = tc_history_entry_get_record (self);
  TcImageRequest *request;

  g_return_val_if_fail (r != NULL, NULL);

  request = tc_image_request_new (r->instance_id, r->image_name, r->image_description);
  request->force_poweroff = r->force_poweroff;
  request->sysprep = r->sysprep;
  request->data_disk_ids = g_strdupv (r->data_disk_ids);
  for (guint i = 0; r->tags != NULL && r->tags[i] != NULL; i += 2)
    tc_image_request_add_tag (request, r->tags[i], r->tags[i + 1]);
  return request;
}

const TcHistoryRecord *
tc_history_entry_get_record (TcHistoryEntry *self)
{
  g_return_val_if_fail (TC_IS_HISTORY_ENTRY (self), NULL);
  return &self->record;
}

TcHistoryRecord *
tc_history_entry_edit (TcHistoryEntry *self)
{
  g_return_val_if_fail (TC_IS_HISTORY_ENTRY (self), NULL);
  g_return_val_if_fail (!self->sealed, NULL);

  g_clear_pointer (&self->record.search, g_free);
  return &self->record;
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

/* The helpers with more to them than a field. */

void
tc_history_entry_set_request (TcHistoryEntry       *self,
                              const TcImageRequest *request)
{
  TcHistoryRecord *r = tc_history_entry_edit (self);
  g_autoptr(GStrvBuilder) tags = g_strv_builder_new ();

  g_return_if_fail (r != NULL && request != NULL);

  tc_history_set_str (&r->instance_id, request->instance_id);
  tc_history_set_str (&r->image_name, request->name);
  tc_history_set_str (&r->image_description, request->description);
  r->force_poweroff = request->force_poweroff;
  r->sysprep = request->sysprep;
  g_strfreev (r->data_disk_ids);
  r->data_disk_ids = g_strdupv (request->data_disk_ids);
  for (guint i = 0; request->tags != NULL && i < request->tags->len; i++) {
    const TcTag *tag = g_ptr_array_index (request->tags, i);

    g_strv_builder_add (tags, tag->key ? tag->key : "");
    g_strv_builder_add (tags, tag->value ? tag->value : "");
  }
  g_strfreev (r->tags);
  r->tags = g_strv_builder_end (tags);
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
  TcHistoryRecord *r = tc_history_entry_edit (self);
  const char *request_id;

  g_return_if_fail (r != NULL && error != NULL);

  request_id = tc_error_get_request_id (error);
  tc_history_set_str (&r->error_code, tc_error_get_server_code (error));
  tc_history_set_str (&r->error_message, error_message (error));
  if (request_id != NULL && *request_id != '\0')
    tc_history_set_str (&r->request_id, request_id);
}

void
tc_history_entry_add_check (TcHistoryEntry *self,
                            gboolean        passed,
                            const GError   *error,
                            const char     *request_id)
{
  TcHistoryRecord *r = tc_history_entry_edit (self);
  TcHistoryCheck *check;

  g_return_if_fail (r != NULL);

  check = g_new0 (TcHistoryCheck, 1);
  check->time = g_get_real_time ();
  check->passed = !!passed;
  if (error != NULL) {
    check->error_code = g_strdup (tc_error_get_server_code (error));
    check->error_message = g_strdup (error_message (error));
    if (request_id == NULL)
      request_id = tc_error_get_request_id (error);
  }
  check->request_id = g_strdup (request_id);

  if (r->checks == NULL)
    r->checks = g_ptr_array_new_with_free_func ((GDestroyNotify) history_check_free);
  g_ptr_array_add (r->checks, check);
}

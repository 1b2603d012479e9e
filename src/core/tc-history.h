/* tc-history.h: a durable record of every image Imprint made or tried to make
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * TcHistory is a GListModel of TcHistoryEntry, newest first, kept in an SQLite database
 * ($XDG_DATA_HOME/imprint/history.db) that one worker thread writes; a change is reported
 * durable once its transaction is committed and synced. The model is held in memory,
 * read once by the load (the newest rows first); tc_history_set_search() narrows it to
 * what a search finds. Another program writing the same database (the stable and the
 * development build share it) is not followed: what it wrote appears at the next load.
 * Nothing secret has a field here: no SecretId, SecretKey or token can be recorded.
 *
 * One entry is one image attempt: the checks (dry runs) sent for an image, then the
 * CreateImage and the image it made; or one copy of an image in another region. The account is recorded by its id (TcAccount:id),
 * so an entry follows its account through renames; the name is kept too, for display once
 * the account is gone.
 *
 * How to use it (all calls on the main thread):
 *
 *   - tc_history_new (NULL), then tc_history_load_async() once, after the first frame.
 *     Entries added before the load completes stay in the model; the database's entries
 *     join them, its newest screenful first and the rest in one items-changed (the load
 *     completes once the whole file is checked). tc_history_new_temporary() is a history in a
 *     private folder of the user's runtime directory (the demo's), gone with the object.
 *   - An entry is one object for as long as anyone holds it: the model, the tracker and
 *     tc_history_find_by_id() hand out the same one.
 *   - A check or a request was answered: build an entry with
 *     tc_history_entry_new_for_request(), record the check (tc_history_entry_add_check())
 *     or the outcome, then tc_history_add_async(). The entry is in the model at once, as
 *     the same object; the callback says when it is on disk (or why it is not).
 *   - Anything changed (another check, the Create on the same attempt, tracking): copy the
 *     stored entry with tc_history_entry_copy(), change the copy with the setters, and pass
 *     it to tc_history_update_async(). The stored object takes the new values (one
 *     "changed" signal, and one items-changed at its position so filter models look again)
 *     and stays the same object. A stored entry cannot be changed directly.
 *   - tc_history_remove_async(), tc_history_clear_async() change the model at once too.
 *   - A write that fails keeps the change in memory, reports the error to its callback and
 *     sets #TcHistory:problem to a translated sentence for the user (cleared by the next
 *     write that succeeds). Imprint keeps working either way.
 *   - After loading, tc_history_dup_unreadable_message() says what could not be read: a
 *     damaged database is renamed aside (with the date) and a fresh one started.
 *   - Before quitting, tc_history_flush_async() completes once every earlier change is
 *     durable. (A change whose write has not finished when the process dies is lost, never
 *     half-kept: its callback had not reported success.)
 *
 * Cancelling an add, update, remove or clear does not undo it; the callback then reports
 * %G_IO_ERROR_CANCELLED, so a widget that went away is not called into.
 */
#pragma once

#include <gio/gio.h>

#include "tc-cvm.h"
#include "tc-types.h"

G_BEGIN_DECLS

#define TC_HISTORY_ERROR (tc_history_error_quark ())

typedef enum {
  TC_HISTORY_ERROR_FAILED,        /* any other input/output failure */
  TC_HISTORY_ERROR_NO_SPACE,      /* the disk (or the user's disk quota) is full */
  TC_HISTORY_ERROR_NOT_WRITABLE,  /* the folder or the file cannot be created or written */
  TC_HISTORY_ERROR_NOT_READABLE,  /* the file exists but cannot be read at all */
  TC_HISTORY_ERROR_NOT_FOUND,     /* update or remove of an entry that is no longer there */
  TC_HISTORY_ERROR_BUSY,          /* another program held the database locked too long */
} TcHistoryError;

typedef enum {
  TC_HISTORY_KIND_CHECK,   /* a dry run (API 3.0 DryRun) */
  TC_HISTORY_KIND_CREATE,  /* a real CreateImage */
  TC_HISTORY_KIND_COPY,    /* a copy of an image in another region (SyncImages) */
} TcHistoryKind;

typedef enum {
  TC_HISTORY_OUTCOME_DRY_RUN_PASSED,  /* the dry run says the request would succeed */
  TC_HISTORY_OUTCOME_DRY_RUN_FAILED,  /* the dry run was refused (error-code, -message) */
  TC_HISTORY_OUTCOME_REQUEST_FAILED,  /* CreateImage was refused or never answered */
  TC_HISTORY_OUTCOME_CREATING,        /* accepted; the image is being made (track it) */
  TC_HISTORY_OUTCOME_READY,           /* the image reached NORMAL */
  TC_HISTORY_OUTCOME_FAILED,          /* the image reached CREATEFAILED (or vanished) */
} TcHistoryOutcome;

#define TC_TYPE_HISTORY_KIND    (tc_history_kind_get_type ())
#define TC_TYPE_HISTORY_OUTCOME (tc_history_outcome_get_type ())

GType             tc_history_kind_get_type     (void) G_GNUC_CONST;
GType             tc_history_outcome_get_type  (void) G_GNUC_CONST;

/* TRUE for every outcome but CREATING: nothing more will happen to the entry. */
gboolean          tc_history_outcome_is_final  (TcHistoryOutcome outcome);
/* A short translated label for a state badge ("Creating", "Ready", "Check failed", …). */
const char       *tc_history_outcome_describe  (TcHistoryOutcome outcome);

/* TcHistoryEntry
 *
 * Fields are read with the getters; a stored entry emits "changed" (no arguments) when
 * the store gave it new values, once for any number of fields. Strings are %NULL when not
 * known; they are kept as valid UTF-8 (invalid bytes are replaced) and at most 16 KiB
 * each (longer text is cut at a character boundary). "created" and "last-checked" are
 * #GDateTime in local time, precise to the microsecond; "last-checked" is %NULL until the
 * image was first looked at. "data-disk-ids" is %NULL when there are none. Tags are
 * key/value pairs (a key may itself contain "="), from tc_history_entry_get_tag().
 *
 * The setters work on entries that are not in a store: a new entry before it is added,
 * or a copy of a stored one before it is passed to tc_history_update_async(). */

#define TC_TYPE_HISTORY_ENTRY (tc_history_entry_get_type ())

G_DECLARE_FINAL_TYPE (TcHistoryEntry, tc_history_entry, TC, HISTORY_ENTRY, GObject)

/* A new entry with a random id, created now, outcome DRY_RUN_PASSED for a check and
 * CREATING for a create, protocol API 3.0, everything else unset. */
TcHistoryEntry   *tc_history_entry_new                (TcHistoryKind          kind);
/* The same, filled from what the image form sent: instance id, image name and
 * description, options and tags from @request. */
TcHistoryEntry   *tc_history_entry_new_for_request    (TcHistoryKind          kind,
                                                       const char            *account_id,
                                                       const char            *account_name,
                                                       TcProtocol             protocol,
                                                       const char            *region,
                                                       const char            *instance_name,
                                                       const TcImageRequest  *request);
/* A changeable copy with the same id, for tc_history_update_async(). */
TcHistoryEntry   *tc_history_entry_copy               (TcHistoryEntry        *self);
/* The request this entry recorded, for "Use as template". */
TcImageRequest   *tc_history_entry_to_request         (TcHistoryEntry        *self);

const char       *tc_history_entry_get_id             (TcHistoryEntry        *self);
TcHistoryKind     tc_history_entry_get_kind           (TcHistoryEntry        *self);
GDateTime        *tc_history_entry_get_created        (TcHistoryEntry        *self);
const char       *tc_history_entry_get_account_id     (TcHistoryEntry        *self);
const char       *tc_history_entry_get_account_name   (TcHistoryEntry        *self);
TcProtocol        tc_history_entry_get_protocol       (TcHistoryEntry        *self);
const char       *tc_history_entry_get_region         (TcHistoryEntry        *self);
const char       *tc_history_entry_get_instance_id    (TcHistoryEntry        *self);
const char       *tc_history_entry_get_instance_name  (TcHistoryEntry        *self);
/* A copy's source: the region and ID of the image it copies (%NULL for the other kinds). */
const char       *tc_history_entry_get_source_region  (TcHistoryEntry        *self);
const char       *tc_history_entry_get_source_image_id (TcHistoryEntry       *self);
const char       *tc_history_entry_get_image_name     (TcHistoryEntry        *self);
const char       *tc_history_entry_get_image_description (TcHistoryEntry     *self);
gboolean          tc_history_entry_get_force_poweroff (TcHistoryEntry        *self);
gboolean          tc_history_entry_get_sysprep        (TcHistoryEntry        *self);
const char * const *tc_history_entry_get_data_disk_ids (TcHistoryEntry       *self);
guint             tc_history_entry_get_n_tags         (TcHistoryEntry        *self);
gboolean          tc_history_entry_get_tag            (TcHistoryEntry        *self,
                                                       guint                  index,
                                                       const char           **key,
                                                       const char           **value);
TcHistoryOutcome  tc_history_entry_get_outcome        (TcHistoryEntry        *self);
const char       *tc_history_entry_get_error_code     (TcHistoryEntry        *self);
const char       *tc_history_entry_get_error_message  (TcHistoryEntry        *self);
const char       *tc_history_entry_get_image_id       (TcHistoryEntry        *self);
const char       *tc_history_entry_get_request_id     (TcHistoryEntry        *self);
GDateTime        *tc_history_entry_get_last_checked   (TcHistoryEntry        *self);
/* The dry runs sent for this image, oldest first. */
guint             tc_history_entry_get_n_checks       (TcHistoryEntry        *self);
gboolean          tc_history_entry_get_check          (TcHistoryEntry        *self,
                                                       guint                  index,
                                                       GDateTime            **time,
                                                       gboolean              *passed,
                                                       const char           **error_code,
                                                       const char           **error_message,
                                                       const char           **request_id);

void              tc_history_entry_set_created        (TcHistoryEntry        *self,
                                                       GDateTime             *created);
void              tc_history_entry_set_kind           (TcHistoryEntry        *self,
                                                       TcHistoryKind          kind);
void              tc_history_entry_set_account        (TcHistoryEntry        *self,
                                                       const char            *account_id,
                                                       const char            *account_name);
void              tc_history_entry_set_protocol       (TcHistoryEntry        *self,
                                                       TcProtocol             protocol);
void              tc_history_entry_set_region         (TcHistoryEntry        *self,
                                                       const char            *region);
void              tc_history_entry_set_instance_id    (TcHistoryEntry        *self,
                                                       const char            *instance_id);
void              tc_history_entry_set_instance_name  (TcHistoryEntry        *self,
                                                       const char            *instance_name);
void              tc_history_entry_set_source         (TcHistoryEntry        *self,
                                                       const char            *region,
                                                       const char            *image_id);
void              tc_history_entry_set_image_name     (TcHistoryEntry        *self,
                                                       const char            *image_name);
void              tc_history_entry_set_image_description (TcHistoryEntry     *self,
                                                       const char            *description);
void              tc_history_entry_set_force_poweroff (TcHistoryEntry        *self,
                                                       gboolean               force_poweroff);
void              tc_history_entry_set_sysprep        (TcHistoryEntry        *self,
                                                       gboolean               sysprep);
void              tc_history_entry_set_data_disk_ids  (TcHistoryEntry        *self,
                                                       const char * const    *disk_ids);
/* @tags: (nullable) (element-type TcTag): replaces every tag */
void              tc_history_entry_set_tags           (TcHistoryEntry        *self,
                                                       const GPtrArray       *tags);
void              tc_history_entry_set_outcome        (TcHistoryEntry        *self,
                                                       TcHistoryOutcome       outcome);
void              tc_history_entry_set_error_code     (TcHistoryEntry        *self,
                                                       const char            *error_code);
void              tc_history_entry_set_error_message  (TcHistoryEntry        *self,
                                                       const char            *error_message);
void              tc_history_entry_set_image_id       (TcHistoryEntry        *self,
                                                       const char            *image_id);
void              tc_history_entry_set_request_id     (TcHistoryEntry        *self,
                                                       const char            *request_id);
void              tc_history_entry_set_last_checked   (TcHistoryEntry        *self,
                                                       GDateTime             *last_checked);
/* Instance, image name and description, options and tags from what the form sent. */
void              tc_history_entry_set_request        (TcHistoryEntry        *self,
                                                       const TcImageRequest  *request);
/* Records a dry run: passed, or refused with @error (code, message and RequestId are kept
 * for the details). @request_id: (nullable): the RequestId of a passed check. */
void              tc_history_entry_add_check          (TcHistoryEntry        *self,
                                                       gboolean               passed,
                                                       const GError          *error,
                                                       const char            *request_id);
/* TRUE when @folded (from tc_history_fold_search()) is found in the entry's image name or
 * ID, instance name or ID, region code or the region's name (as tc_places_region_name()
 * gives it now: 广州 finds ap-guangzhou), account name or RequestId. Chinese text matches
 * too, by any part of two characters or more (or one). */
gboolean          tc_history_entry_matches            (TcHistoryEntry        *self,
                                                       const char            *folded);
/* What the user typed, folded as entries are (case, width, compatibility forms);
 * NULL when it is only spaces. */
char             *tc_history_fold_search              (const char            *text);
/* Records a failure: the server's code (API 3.0 "InvalidImageName.Duplicate", or a
 * legacy number such as "5100") or %NULL when the server never answered; the server's
 * message, or else @error's own (translated) message; and the RequestId when the server
 * sent one. The outcome is left to the caller. */
void              tc_history_entry_set_error          (TcHistoryEntry        *self,
                                                       const GError          *error);

/* TcHistory */

#define TC_TYPE_HISTORY (tc_history_get_type ())

G_DECLARE_FINAL_TYPE (TcHistory, tc_history, TC, HISTORY, GObject)

GQuark            tc_history_error_quark            (void);

/* @path: (nullable): the database; NULL for $XDG_DATA_HOME/imprint/history.db. A
 * history.jsonl of an earlier build in the same folder is imported once, then renamed
 * history.jsonl.imported. */
TcHistory        *tc_history_new                    (const char           *path);
/* A history of its own, deleted when the object goes: the demo's. */
TcHistory        *tc_history_new_temporary          (void);
const char       *tc_history_get_path               (TcHistory            *self);

/* Opens the database in the worker thread and adds its entries to the model in one
 * items-changed (entries whose id is already in the model are kept as they are). A
 * database that is not one, or fails its check, is renamed aside and a fresh one started
 * with the entries that could still be read of it (see
 * tc_history_dup_unreadable_message()). Fails only when the database cannot be
 * opened at all (an unreadable folder, a locked file); the store keeps working in memory
 * and tries again at the next write. */
void              tc_history_load_async             (TcHistory            *self,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
gboolean          tc_history_load_finish            (TcHistory            *self,
                                                     GAsyncResult         *result,
                                                     GError              **error);
gboolean          tc_history_is_loaded              (TcHistory            *self);

TcHistoryEntry   *tc_history_find_by_id             (TcHistory            *self,
                                                     const char           *id);
/* ImageId → the name (or ID) of the instance each image of @region was made from, for the
 * images this history made. (transfer full) */
GHashTable       *tc_history_dup_image_sources      (TcHistory            *self,
                                                     const char           *region);
/* Every entry whose image is still being made (outcome CREATING), whatever the search. */
GPtrArray        *tc_history_list_unfinished        (TcHistory            *self);

/* The model lists only the entries @text is found in (tc_history_entry_matches()); NULL
 * for every entry. The search is one pass over the search text of every entry, kept in
 * memory in one buffer. */
void              tc_history_set_search             (TcHistory            *self,
                                                     const char           *text);
/* How many entries there are, whatever the search. */
guint             tc_history_get_n_entries          (TcHistory            *self);

/* @entry: a new entry (not a copy of a stored one): it becomes the stored object. */
void              tc_history_add_async              (TcHistory            *self,
                                                     TcHistoryEntry       *entry,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
gboolean          tc_history_add_finish             (TcHistory            *self,
                                                     GAsyncResult         *result,
                                                     GError              **error);

/* @changes: an entry with the id of a stored one (usually tc_history_entry_copy() of
 * it, then changed). The stored entry takes every field of @changes except id and
 * created. Fails with NOT_FOUND, writing nothing, when the entry was removed meanwhile. */
void              tc_history_update_async           (TcHistory            *self,
                                                     TcHistoryEntry       *changes,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
gboolean          tc_history_update_finish          (TcHistory            *self,
                                                     GAsyncResult         *result,
                                                     GError              **error);

void              tc_history_remove_async           (TcHistory            *self,
                                                     TcHistoryEntry       *entry,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
gboolean          tc_history_remove_finish          (TcHistory            *self,
                                                     GAsyncResult         *result,
                                                     GError              **error);

/* Removes every entry. */
void              tc_history_clear_async            (TcHistory            *self,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
gboolean          tc_history_clear_finish           (TcHistory            *self,
                                                     GAsyncResult         *result,
                                                     GError              **error);

/* Completes when every change asked for before it has been written (or has failed). */
void              tc_history_flush_async            (TcHistory            *self,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
gboolean          tc_history_flush_finish           (TcHistory            *self,
                                                     GAsyncResult         *result,
                                                     GError              **error);

/* Records the last load could not read: those of an imported history.jsonl that were
 * damaged, or 1 when the whole database was damaged and set aside. */
guint             tc_history_get_unreadable_count   (TcHistory            *self);
/* Where the damaged database (or history.jsonl) was kept; NULL when nothing was. */
const char       *tc_history_get_corrupt_copy_path  (TcHistory            *self);
/* A translated sentence for the user about what the last load set aside, or NULL. */
char             *tc_history_dup_unreadable_message (TcHistory            *self);

/* A translated sentence when the last write failed ("History could not be saved: the
 * disk is full. …"), else NULL. */
const char       *tc_history_get_problem            (TcHistory            *self);

/* Entries older than @days days are removed when loading and when set. 0 keeps
 * everything (the default). */
guint             tc_history_get_retention_days     (TcHistory            *self);
void              tc_history_set_retention_days     (TcHistory            *self,
                                                     guint                 days);

G_END_DECLS

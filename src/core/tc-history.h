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
 * CreateImage and the image it made; or one copy of an image in another region. The
 * account is recorded by its id (TcAccount:id), so an entry follows its account through
 * renames; the name is kept too, for display once the account is gone.
 *
 * How to use it (all calls on the main thread):
 *
 *   - tc_history_new (NULL), then tc_history_load_async() once, after the first frame.
 *     Entries added before the load completes stay in the model; the database's entries
 *     join them, its newest screenful first and the rest in one items-changed (the load
 *     completes once the whole file is checked). tc_history_new_temporary() is a history in
 *     a private folder of the user's runtime directory (the demo's), gone with the object.
 *   - Each entry is one object: the model, the tracker and tc_history_find_by_id() hand
 *     out the same one.
 *   - A check or a request was answered: build an entry with
 *     tc_history_entry_new_for_request(), record the check (tc_history_entry_add_check())
 *     or the outcome, then tc_history_add_async(). The entry is in the model at once, as
 *     the same object; the callback says when it is on disk (or why it is not).
 *   - Anything changed (another check, the Create on the same attempt, tracking): copy the
 *     stored entry with tc_history_entry_copy(), change the fields of its
 *     tc_history_entry_edit() and pass it to tc_history_update_async(). The stored object
 *     takes the new values (one "changed" signal, and one items-changed at its position if
 *     the search lists it)
 *     and stays the same object. A stored entry cannot be changed directly. Every add and
 *     every change is also said by "recorded" (the entry), whether the search lists it or
 *     not (an add before its items-changed, the entry already counted by
 *     tc_history_get_n_entries()): what follows images (TcImageTracker) listens to that.
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

#include "tc-account-store.h"
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

/* TRUE for every outcome but CREATING: nothing more will happen to the entry. */
gboolean          tc_history_outcome_is_final  (TcHistoryOutcome outcome);
/* (transfer none): a short translated label for a state badge ("Creating", "Ready", …) */
const char       *tc_history_outcome_describe  (TcHistoryOutcome outcome);

/* TcHistoryRecord: what an entry holds, as plain fields.
 *
 * Strings are %NULL when not known. Once stored they are valid UTF-8 (invalid bytes
 * replaced) of at most 16 KiB each (cut at a character boundary), lists have at most 256
 * items and are %NULL when empty: the store makes them so when an entry is added or
 * updated. Times are µs since 1970 (UTC); tc_history_time_new()
 * makes a #GDateTime in local time of one. */
typedef struct {
  gint64            time;            /* when the check was answered */
  gboolean          passed;          /* the dry run said the request would succeed */
  char             *error_code;
  char             *error_message;
  char             *request_id;
} TcHistoryCheck;

typedef struct {
  char             *id;
  TcHistoryKind     kind;
  gint64            created;         /* when the attempt began */
  char             *account_id;      /* TcAccount:id, which outlives renames */
  char             *account_name;    /* its name then, shown once the account is gone */
  TcProtocol        protocol;
  const char       *region;          /* interned: set it with g_intern_string() */
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
  gint64            last_checked;    /* 0 until the image was first looked at */
  GPtrArray        *checks;          /* TcHistoryCheck, oldest first; NULL when none */
  char             *source_region;   /* a copy's source image: its region and ID */
  char             *source_image_id;
  /*< private >*/
  char             *search;
} TcHistoryRecord;

/* (transfer full): @us (µs since 1970) in local time */
GDateTime        *tc_history_time_new                 (gint64                 us);
/* Replaces the string in *@field by a copy of @value. */
void              tc_history_set_str                  (char                 **field,
                                                       const char            *value);

/* TcHistoryEntry: one record as an object, for the list and the rows. A stored entry
 * emits "changed" (no arguments) when the store gave it new values, once for any number
 * of fields. Only an entry that is not in a store is changed, through
 * tc_history_entry_edit(): a new one before it is added, or a copy of a stored one before
 * it is passed to tc_history_update_async(). */

#define TC_TYPE_HISTORY_ENTRY (tc_history_entry_get_type ())

G_DECLARE_FINAL_TYPE (TcHistoryEntry, tc_history_entry, TC, HISTORY_ENTRY, GObject)

/* (transfer full): a new entry with a random id, created now, outcome DRY_RUN_PASSED for
 * a check and CREATING for a create, protocol API 3.0, everything else unset. */
TcHistoryEntry   *tc_history_entry_new                (TcHistoryKind          kind);
/* (transfer full): the same, filled from what the image form sent: instance id, image
 * name and description, options and tags from @request. Every string but @request's
 * (nullable). */
TcHistoryEntry   *tc_history_entry_new_for_request    (TcHistoryKind          kind,
                                                       const char            *account_id,
                                                       const char            *account_name,
                                                       TcProtocol             protocol,
                                                       const char            *region,
                                                       const char            *instance_name,
                                                       const TcImageRequest  *request);
/* (transfer full): a changeable copy with the same id, for tc_history_update_async(). */
TcHistoryEntry   *tc_history_entry_copy               (TcHistoryEntry        *self);
/* (transfer full): the request this entry recorded, for "Use as template". */
TcImageRequest   *tc_history_entry_to_request         (TcHistoryEntry        *self);
/* (transfer none): the entry's fields, as the store gave them */
const TcHistoryRecord *tc_history_entry_get_record    (TcHistoryEntry        *self);
/* (transfer none): the fields of an entry that is not in a store, to change them */
TcHistoryRecord  *tc_history_entry_edit               (TcHistoryEntry        *self);

/* Instance, image name and description, options and tags from what the form sent. */
void              tc_history_entry_set_request        (TcHistoryEntry        *self,
                                                       const TcImageRequest  *request);
/* Records a dry run: passed, or refused with @error (code, message and RequestId are kept
 * for the details). @request_id: (nullable): the RequestId of a passed check. */
void              tc_history_entry_add_check          (TcHistoryEntry        *self,
                                                       gboolean               passed,
                                                       const GError          *error,
                                                       const char            *request_id);
/* Records a failure: the server's code (API 3.0 "InvalidImageName.Duplicate", or a
 * legacy number such as "5100") or %NULL when the server never answered; the server's
 * message, or else @error's own (translated) message; and the RequestId when the server
 * sent one. The outcome is left to the caller. */
void              tc_history_entry_set_error          (TcHistoryEntry        *self,
                                                       const GError          *error);
/* What the user typed, folded as entries are (case, width, compatibility forms);
 * NULL when it is only spaces. */
char             *tc_history_fold_search              (const char            *text);

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

/* (transfer none) (nullable): the stored entry with this id; it stays with the history
 * until removed */
TcHistoryEntry   *tc_history_find_by_id             (TcHistory            *self,
                                                     const char           *id);
/* (transfer full): ImageId → the name (or ID) of the instance each image of @region was
 * made from, for the images this history made; one pass over the records (the Images view
 * asks once per listing, not once per image). */
GHashTable       *tc_history_dup_image_sources      (TcHistory            *self,
                                                     const char           *region);
/* (transfer container) (element-type TcHistoryEntry): every entry whose image is still
 * being made (outcome CREATING), whatever the search. */
GPtrArray        *tc_history_list_unfinished        (TcHistory            *self);

/* The model lists only the entries @text (nullable) is found in: in an image's name or ID,
 * an instance's name or ID, the region's code or its name (as tc_places_region_name()
 * gives it now: 广州 finds ap-guangzhou), the account's name (the one it has now: see
 * tc_history_set_account_store()) or a RequestId; folded
 * (tc_history_fold_search()), so that case and width do not matter. NULL or spaces: every
 * entry. */
void              tc_history_set_search             (TcHistory            *self,
                                                     const char           *text);
/* @store (nullable): where the search finds the accounts' names now. An entry keeps its
 * account's id and the name it had then; with the store, the search matches the name the
 * account has now (the name a row shows), and the recorded one only once the account is
 * gone. Without it, the recorded names. The list follows the store's changes. */
void              tc_history_set_account_store      (TcHistory            *self,
                                                     TcAccountStore       *store);
/* How many entries there are, whatever the search (the "n-entries" property, notified
 * when it changes: a load's entries come with it, listed or not). */
guint             tc_history_get_n_entries          (TcHistory            *self);

/* @entry: a new entry (not a copy of a stored one): it becomes the stored object. */
void              tc_history_add_async              (TcHistory            *self,
                                                     TcHistoryEntry       *entry,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);

/* @changes: an entry with the id of a stored one (usually tc_history_entry_copy() of
 * it, then changed). The stored entry takes every field of @changes except id and
 * created. Fails with NOT_FOUND, writing nothing, when the entry was removed meanwhile. */
void              tc_history_update_async           (TcHistory            *self,
                                                     TcHistoryEntry       *changes,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);

void              tc_history_remove_async           (TcHistory            *self,
                                                     TcHistoryEntry       *entry,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);

/* Removes every entry. */
void              tc_history_clear_async            (TcHistory            *self,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);

/* Completes when every change asked for before it has been written (or has failed). */
void              tc_history_flush_async            (TcHistory            *self,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
/* The end of an add, update, remove, clear or flush. */
gboolean          tc_history_write_finish           (TcHistory            *self,
                                                     GAsyncResult         *result,
                                                     GError              **error);

/* (transfer full) (nullable): a translated sentence for the user about what the last load
 * set aside. */
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

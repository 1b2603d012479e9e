/* tc-image-batch.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each item is one instance and its name. Sending it is a TcImageJob, the same as the form's
 * Create Image: the instance is looked at once more, CreateImage goes out, the answer is
 * recorded in the history. A job that was accepted leaves its entry CREATING, which the
 * tracker follows; the batch listens to that entry's outcome to know when the image is
 * ready or failed. At most SENDING_AT_ONCE jobs are out together: the client's pacer keeps
 * them under CreateImage's ten a second, and a batch of fifty does not open fifty requests.
 *
 * A retry is a new job for the item, recorded as a new entry: the history keeps the failed
 * attempt, as it does for the form. A failed image is deleted before it is made again, since
 * it still holds its name.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "tc-cvm.h"
#include "tc-error.h"
#include "tc-image-batch.h"
#include "tc-image-job.h"

#define SENDING_AT_ONCE 4

typedef struct {
  TcImageBatch   *batch;      /* not a reference: the batch owns its items */
  guint           index;
  TcInstance     *instance;
  char           *name;
  TcBatchState    state;
  char           *message;
  TcImageJob     *job;
  TcHistoryEntry *entry;
} Item;

struct _TcImageBatch
{
  GObject         parent_instance;

  TcClient       *client;
  char           *region;
  TcImageRequest *options;
  TcHistory      *history;
  guint           n_entries;  /* the history's, when last told */
  char           *account_id;
  char           *account_name;
  GPtrArray      *items;      /* Item */
  guint           sending;
  gboolean        finished;
  gboolean        cancelled;
  GCancellable   *cancellable;
};

G_DEFINE_FINAL_TYPE (TcImageBatch, tc_image_batch, G_TYPE_OBJECT)

enum {
  SIGNAL_ITEM_CHANGED,
  SIGNAL_FINISHED,
  SIGNAL_CANCELLED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void send_waiting (TcImageBatch *self);

static GQuark batched_quark (void);
G_DEFINE_QUARK (tc-image-batch-entry, batched)

static void
item_free (Item *item)
{
  if (item->entry != NULL)
    g_signal_handlers_disconnect_by_data (item->entry, item);
  g_clear_object (&item->entry);
  g_clear_object (&item->job);
  g_clear_object (&item->instance);
  g_free (item->name);
  g_free (item->message);
  g_free (item);
}

static Item *
item_at (TcImageBatch *self,
         guint         index)
{
  g_return_val_if_fail (index < self->items->len, NULL);
  return self->items->pdata[index];
}

static void
check_finished (TcImageBatch *self)
{
  gboolean finished = tc_image_batch_is_finished (self);

  if (finished && !self->finished) {
    self->finished = TRUE;
    g_signal_emit (self, signals[SIGNAL_FINISHED], 0);
  }
  self->finished = finished;
}

/* A handler of either signal may drop the last reference to the batch (a window closing
 * when the batch finishes); the batch, and so @item, lasts until both have run. */
static void
set_state (Item         *item,
           TcBatchState  state,
           const char   *message)
{
  g_autoptr(TcImageBatch) self = g_object_ref (item->batch);

  item->state = state;
  g_free (item->message);
  item->message = g_strdup (message);
  g_signal_emit (self, signals[SIGNAL_ITEM_CHANGED], 0, item->index);
  check_finished (self);
}

/* The tracker moved the entry: ready or failed is the item's end. */
static void
outcome_cb (TcHistoryEntry *entry,
            Item           *item)
{
  const TcHistoryRecord *r = tc_history_entry_get_record (entry);

  if (item->state != TC_BATCH_CREATING)
    return;
  switch (r->outcome) {
  case TC_HISTORY_OUTCOME_READY:
    set_state (item, TC_BATCH_READY, NULL);
    break;
  case TC_HISTORY_OUTCOME_FAILED:
    set_state (item, TC_BATCH_FAILED, r->error_message ? r->error_message
                                                       : _("The image could not be created."));
    break;
  default:
    break;
  }
}

static void
job_done_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  TcImageJob *job = TC_IMAGE_JOB (object);
  g_autoptr(TcImageBatch) self = user_data;
  g_autoptr(GError) error = NULL;
  Item *item = NULL;

  tc_image_job_run_finish (job, result, &error);
  for (guint i = 0; i < self->items->len && item == NULL; i++)
    if (item_at (self, i)->job == job)
      item = item_at (self, i);
  if (item == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->sending--;
  if (tc_image_job_get_entry (job) != NULL)
    g_object_set_qdata (G_OBJECT (tc_image_job_get_entry (job)), batched_quark (),
                        GINT_TO_POINTER (TRUE));
  if (tc_image_job_get_state (job) == TC_IMAGE_JOB_SUCCEEDED) {
    g_set_object (&item->entry, tc_image_job_get_entry (job));
    set_state (item, TC_BATCH_CREATING, NULL);
    if (item->entry != NULL) {
      g_signal_connect (item->entry, "changed", G_CALLBACK (outcome_cb), item);
      outcome_cb (item->entry, item);
    }
  } else {
    g_set_object (&item->entry, tc_image_job_get_entry (job));
    set_state (item, TC_BATCH_FAILED, tc_image_job_get_summary (job));
  }
  send_waiting (self);
}

static void
create_item (TcImageBatch *self,
             Item         *item)
{
  g_autoptr(TcImageRequest) request = tc_image_request_copy (self->options);

  g_free (request->instance_id);
  request->instance_id = g_strdup (tc_instance_get_id (item->instance));
  g_free (request->name);
  request->name = g_strdup (item->name);

  if (item->entry != NULL)
    g_signal_handlers_disconnect_by_data (item->entry, item);
  g_clear_object (&item->entry);
  g_clear_object (&item->job);
  item->job = tc_image_job_new (self->client, self->region, item->instance, request, FALSE);
  if (self->history != NULL)
    tc_image_job_set_history (item->job, self->history, self->account_id, self->account_name,
                              NULL);
  tc_image_job_run_async (item->job, self->cancellable, job_done_cb, g_object_ref (self));
}

typedef struct {
  TcImageBatch *batch;
  Item         *item;
} Removal;

static void
failed_image_deleted_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  Removal *removal = user_data;
  g_autoptr(TcImageBatch) self = removal->batch;
  Item *item = removal->item;
  g_autoptr(GError) error = NULL;

  g_free (removal);
  /* An image already gone (deleted in the Images view, or never made) frees its name too. */
  if (!tc_cvm_delete_images_finish (TC_CLIENT (object), result, NULL, &error) &&
      !g_error_matches (error, TC_ERROR, TC_ERROR_NOT_FOUND)) {
    if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
      return;
    self->sending--;
    set_state (item, TC_BATCH_FAILED, error->message);
    send_waiting (self);
    return;
  }
  create_item (self, item);
}

/* An image that failed keeps its name in the region until it is deleted (Tencent lists it
 * as CREATEFAILED): a retry deletes it first, so that the new image can have the name the
 * plan gave it. A request that was refused left nothing behind and is simply sent again. */
static void
send_item (TcImageBatch *self,
           Item         *item)
{
  const char *failed_image = NULL;

  if (item->entry != NULL &&
      tc_history_entry_get_record (item->entry)->outcome == TC_HISTORY_OUTCOME_FAILED)
    failed_image = tc_history_entry_get_record (item->entry)->image_id;

  self->sending++;
  set_state (item, TC_BATCH_SENDING, NULL);
  if (failed_image != NULL) {
    const char *ids[] = { failed_image, NULL };
    Removal *removal = g_new0 (Removal, 1);

    removal->batch = g_object_ref (self);
    removal->item = item;
    tc_cvm_delete_images_async (self->client, self->region, ids, FALSE, FALSE, self->cancellable,
                                failed_image_deleted_cb, removal);
    return;
  }
  create_item (self, item);
}

static void
send_waiting (TcImageBatch *self)
{
  for (guint i = 0; !self->cancelled && i < self->items->len && self->sending < SENDING_AT_ONCE; i++) {
    Item *item = item_at (self, i);

    if (item->state == TC_BATCH_WAITING)
      send_item (self, item);
  }
}

static void
tc_image_batch_dispose (GObject *object)
{
  TcImageBatch *self = TC_IMAGE_BATCH (object);

  g_cancellable_cancel (self->cancellable);
  if (self->history != NULL)
    g_signal_handlers_disconnect_by_data (self->history, self);
  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_clear_object (&self->client);
  g_clear_object (&self->history);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (tc_image_batch_parent_class)->dispose (object);
}

static void
tc_image_batch_finalize (GObject *object)
{
  TcImageBatch *self = TC_IMAGE_BATCH (object);

  g_free (self->region);
  g_free (self->account_id);
  g_free (self->account_name);
  tc_image_request_free (self->options);

  G_OBJECT_CLASS (tc_image_batch_parent_class)->finalize (object);
}

static void
tc_image_batch_class_init (TcImageBatchClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tc_image_batch_dispose;
  object_class->finalize = tc_image_batch_finalize;

  signals[SIGNAL_ITEM_CHANGED] =
    g_signal_new ("item-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);
  signals[SIGNAL_FINISHED] =
    g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_CANCELLED] =
    g_signal_new ("cancelled", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
tc_image_batch_init (TcImageBatch *self)
{
  self->items = g_ptr_array_new_with_free_func ((GDestroyNotify) item_free);
  self->cancellable = g_cancellable_new ();
}

TcImageBatch *
tc_image_batch_new (TcClient             *client,
                    const char           *region,
                    GPtrArray            *plan,
                    const TcImageRequest *options)
{
  TcImageBatch *self;

  g_return_val_if_fail (TC_IS_CLIENT (client), NULL);
  g_return_val_if_fail (region != NULL, NULL);
  g_return_val_if_fail (plan != NULL, NULL);
  g_return_val_if_fail (options != NULL, NULL);

  self = g_object_new (TC_TYPE_IMAGE_BATCH, NULL);
  self->client = g_object_ref (client);
  self->region = g_strdup (region);
  self->options = tc_image_request_copy (options);
  for (guint i = 0; i < plan->len; i++) {
    TcBatchItem *planned = plan->pdata[i];
    Item *item = g_new0 (Item, 1);

    g_return_val_if_fail (planned->problem == NULL, self);
    item->batch = self;
    item->index = self->items->len;
    item->instance = g_object_ref (planned->instance);
    item->name = g_strdup (planned->name);
    item->state = TC_BATCH_WAITING;
    g_ptr_array_add (self->items, item);
  }
  return self;
}

/* Entries went from the history (removed, or the history cleared): an image whose entry
 * went is no longer followed, so nothing will say how it ends. It ends the batch's wait
 * as failed, saying why, so that the batch finishes and its notification comes. */
static void
entries_changed_cb (TcImageBatch *self)
{
  g_autoptr(TcImageBatch) alive = g_object_ref (self);
  guint n_entries = tc_history_get_n_entries (self->history);
  gboolean fewer = n_entries < self->n_entries;

  self->n_entries = n_entries;
  for (guint i = 0; fewer && i < self->items->len; i++) {
    Item *item = item_at (self, i);

    if (item->state == TC_BATCH_CREATING && item->entry != NULL &&
        tc_history_find_by_id (self->history, tc_history_entry_get_record (item->entry)->id) != item->entry)
      set_state (item, TC_BATCH_FAILED,
                 _("Its History entry was removed, so the image is no longer followed."));
  }
}

void
tc_image_batch_set_history (TcImageBatch *self,
                            TcHistory    *history,
                            const char   *account_id,
                            const char   *account_name)
{
  g_return_if_fail (TC_IS_IMAGE_BATCH (self));

  if (self->history != NULL)
    g_signal_handlers_disconnect_by_data (self->history, self);
  g_set_object (&self->history, history);
  if (history != NULL) {
    self->n_entries = tc_history_get_n_entries (history);
    g_signal_connect_swapped (history, "notify::n-entries", G_CALLBACK (entries_changed_cb), self);
  }
  g_free (self->account_id);
  self->account_id = g_strdup (account_id);
  g_free (self->account_name);
  self->account_name = g_strdup (account_name);
}

void
tc_image_batch_start (TcImageBatch *self)
{
  g_return_if_fail (TC_IS_IMAGE_BATCH (self));

  send_waiting (self);
}

void
tc_image_batch_retry_failed (TcImageBatch *self)
{
  g_return_if_fail (TC_IS_IMAGE_BATCH (self));

  for (guint i = 0; i < self->items->len; i++) {
    Item *item = item_at (self, i);

    if (item->state == TC_BATCH_FAILED)
      set_state (item, TC_BATCH_WAITING, NULL);
  }
  send_waiting (self);
}

/* The item at @index, if it failed, is WAITING again, and sent. */
void
tc_image_batch_retry (TcImageBatch *self,
                      guint         index)
{
  g_return_if_fail (TC_IS_IMAGE_BATCH (self));
  g_return_if_fail (index < self->items->len);

  if (item_at (self, index)->state != TC_BATCH_FAILED)
    return;
  set_state (item_at (self, index), TC_BATCH_WAITING, NULL);
  send_waiting (self);
}

/* The jobs out end as cancelled, which their callbacks pass over; the entries and the
 * history are no longer listened to, so no item changes again. */
void
tc_image_batch_cancel (TcImageBatch *self)
{
  g_autoptr(TcImageBatch) alive = NULL;

  g_return_if_fail (TC_IS_IMAGE_BATCH (self));

  if (self->cancelled)
    return;
  alive = g_object_ref (self);
  self->cancelled = TRUE;
  g_cancellable_cancel (self->cancellable);
  if (self->history != NULL)
    g_signal_handlers_disconnect_by_data (self->history, self);
  for (guint i = 0; i < self->items->len; i++) {
    Item *item = item_at (self, i);

    if (item->entry != NULL)
      g_signal_handlers_disconnect_by_data (item->entry, item);
  }
  g_signal_emit (self, signals[SIGNAL_CANCELLED], 0);
}

gboolean
tc_image_batch_is_cancelled (TcImageBatch *self)
{
  g_return_val_if_fail (TC_IS_IMAGE_BATCH (self), FALSE);

  return self->cancelled;
}

/**
 * tc_image_batch_is_batched:
 *
 * Returns: whether a batch recorded @entry: the batch's own summary tells how it ended,
 *   rather than a notification of its own
 */
gboolean
tc_image_batch_is_batched (TcHistoryEntry *entry)
{
  return entry != NULL && g_object_get_qdata (G_OBJECT (entry), batched_quark ()) != NULL;
}

guint
tc_image_batch_get_n_items (TcImageBatch *self)
{
  g_return_val_if_fail (TC_IS_IMAGE_BATCH (self), 0);

  return self->items->len;
}

TcClient *
tc_image_batch_get_client (TcImageBatch *self)
{
  g_return_val_if_fail (TC_IS_IMAGE_BATCH (self), NULL);

  return self->client;
}

const char *
tc_image_batch_get_region (TcImageBatch *self)
{
  g_return_val_if_fail (TC_IS_IMAGE_BATCH (self), NULL);

  return self->region;
}

const char *
tc_image_batch_get_name (TcImageBatch *self,
                         guint         index)
{
  g_return_val_if_fail (TC_IS_IMAGE_BATCH (self), NULL);
  g_return_val_if_fail (index < self->items->len, NULL);

  return item_at (self, index)->name;
}

TcBatchState
tc_image_batch_get_state (TcImageBatch *self,
                          guint         index)
{
  g_return_val_if_fail (TC_IS_IMAGE_BATCH (self), TC_BATCH_WAITING);
  g_return_val_if_fail (index < self->items->len, TC_BATCH_WAITING);

  return item_at (self, index)->state;
}

TcInstance *
tc_image_batch_get_instance (TcImageBatch *self,
                             guint         index)
{
  g_return_val_if_fail (TC_IS_IMAGE_BATCH (self), NULL);
  g_return_val_if_fail (index < self->items->len, NULL);

  return item_at (self, index)->instance;
}

const char *
tc_image_batch_get_message (TcImageBatch *self,
                            guint         index)
{
  g_return_val_if_fail (TC_IS_IMAGE_BATCH (self), NULL);
  g_return_val_if_fail (index < self->items->len, NULL);

  return item_at (self, index)->message;
}

TcHistoryEntry *
tc_image_batch_get_entry (TcImageBatch *self,
                          guint         index)
{
  g_return_val_if_fail (TC_IS_IMAGE_BATCH (self), NULL);
  g_return_val_if_fail (index < self->items->len, NULL);

  return item_at (self, index)->entry;
}

guint
tc_image_batch_count (TcImageBatch *self,
                      TcBatchState  state)
{
  guint n = 0;

  g_return_val_if_fail (TC_IS_IMAGE_BATCH (self), 0);

  for (guint i = 0; i < self->items->len; i++)
    n += item_at (self, i)->state == state;
  return n;
}

gboolean
tc_image_batch_is_finished (TcImageBatch *self)
{
  g_return_val_if_fail (TC_IS_IMAGE_BATCH (self), FALSE);

  return self->items->len > 0 &&
         tc_image_batch_count (self, TC_BATCH_READY) + tc_image_batch_count (self, TC_BATCH_FAILED) ==
         self->items->len;
}

char *
tc_image_batch_dup_summary (TcImageBatch *self)
{
  guint n = self->items->len;
  guint ready = tc_image_batch_count (self, TC_BATCH_READY);
  guint failed = tc_image_batch_count (self, TC_BATCH_FAILED);
  g_autofree char *done = NULL;

  g_return_val_if_fail (TC_IS_IMAGE_BATCH (self), NULL);

  /* Translators: the first half of a batch's summary: how many images are ready, of how
   * many asked for (the plural form follows the second number). */
  done = g_strdup_printf (ngettext ("%u of %u image ready", "%u of %u images ready", n), ready, n);
  if (failed == 0)
    return g_steal_pointer (&done);
  /* Translators: a batch's summary, as in “7 of 8 images ready; 1 failed”. */
  return g_strdup_printf (ngettext ("%s; %u failed", "%s; %u failed", failed), done, failed);
}

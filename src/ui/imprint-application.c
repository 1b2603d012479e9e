/* imprint-application.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "imprint-application.h"
#include "imprint-a11y.h"
#include "tc-image-tracker.h"
#include "imprint-preferences.h"
#include "imprint-window.h"
#include "tc-account-store.h"
#include "tc-client.h"
#include "tc-error.h"
#include "tc-history.h"
#include "tc-image-batch.h"
#include "tc-places.h"

/* How long quitting may wait for the last history writes to reach the disk. */
#define FLUSH_TIMEOUT_MS 3000
/* How long the application runs on, its windows closed, to say how images ended. */
#define WATCH_LIMIT_S    (60 * 60)

struct _ImprintApplication
{
  AdwApplication   parent_instance;

  /* The services every window shares: one HTTP session and the pacer that keeps its
   * requests within Tencent's limits, one set of accounts. */
  SoupSession     *session;
  TcPacer         *pacer;     /* the rate limits every client of the app shares */
  TcAccountStore  *store;
  TcHistory       *history;
  TcImageTracker  *tracker;     /* follows the images being made, for every window */
  gboolean         history_load_started;
  GCancellable    *cancellable;
  GSettings       *settings;    /* created at startup: the preferences, bound to the above */
  GPtrArray       *batches;     /* TcImageBatch held until each ends, to sum it up */
  GHashTable      *sending;     /* those of them holding the application (batch_hold()) */
  GHashTable      *batch_ids;   /* TcImageBatch → its notification ID, kept over retries */
  guint            n_batches;   /* for each batch's notification ID */
  gint64           started;     /* when this run began (µs): its entries are newer */
  GHashTable       *watched;    /* ids of the images this run asked for, still being made */
  guint            watch_timeout_id;
  guint            n_entries;   /* the history's, when last told */
  gboolean         quitting;    /* watches nothing more until a window is asked for again */
};

G_DEFINE_FINAL_TYPE (ImprintApplication, imprint_application, ADW_TYPE_APPLICATION)

ImprintApplication *
imprint_application_new (const char *application_id)
{
  return g_object_new (IMPRINT_TYPE_APPLICATION,
                       "application-id", application_id,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", "/io/github/imprint/Imprint",
                       NULL);
}

static void
history_loaded_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(ImprintApplication) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  GtkWindow *window;

  if (!tc_history_load_finish (TC_HISTORY (object), result, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  window = gtk_application_get_active_window (GTK_APPLICATION (self));
  if (!IMPRINT_IS_WINDOW (window))
    return;

  /* The store keeps working when the file cannot be read at all; say why. */
  if (error != NULL) {
    imprint_window_show_toast (IMPRINT_WINDOW (window), error->message);
    return;
  }

  /* Said once: what could not be read was set aside (a damaged database is renamed). */
  text = tc_history_dup_unreadable_message (TC_HISTORY (object));
  if (text != NULL)
    imprint_window_show_toast (IMPRINT_WINDOW (window), text);
}

static void
load_history (ImprintApplication *self)
{
  if (self->history_load_started)
    return;
  self->history_load_started = TRUE;
  tc_history_load_async (self->history, self->cancellable, history_loaded_cb, g_object_ref (self));
}

/* Nothing slow before the first frame: the history is read once the window has painted. */
static void
after_paint_cb (GdkFrameClock      *clock,
                ImprintApplication *self)
{
  g_signal_handlers_disconnect_by_func (clock, after_paint_cb, self);
  load_history (self);
}

static void
imprint_application_activate (GApplication *app)
{
  ImprintApplication *self = IMPRINT_APPLICATION (app);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));
  GdkFrameClock *clock;

  self->quitting = FALSE;
  if (window == NULL)
    window = GTK_WINDOW (imprint_window_new_full (GTK_APPLICATION (app), self->store, self->session,
                                                  self->pacer, self->history, self->tracker));

  gtk_window_present (window);

  if (!self->history_load_started) {
    clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
    if (clock != NULL)
      g_signal_connect_object (clock, "after-paint", G_CALLBACK (after_paint_cb), self, 0);
    else
      load_history (self);
  }
}

/* The user is looking at the application: its windows say what happens in toasts, and the
 * desktop does not say it again. */
static GtkWindow *
find_active_window (ImprintApplication *self)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next) {
    if (gtk_widget_get_visible (l->data) && gtk_window_is_active (l->data))
      return l->data;
  }
  return NULL;
}

/* One notification per image, from its request to its end: each replaces the one before,
 * so that "Image Being Created" does not stay in the list once the image is ready. */
static char *
image_notification_id (TcHistoryEntry *entry)
{
  return g_strconcat ("image-", tc_history_entry_get_record (entry)->id, NULL);
}

/* A followed image reached its final state: the desktop says so with the windows in the
 * background or closed (an active one says it in a toast), and clicking it opens the
 * entry. */
static void
tracker_finished_cb (ImprintApplication *self,
                     TcHistoryEntry     *entry)
{
  const TcHistoryRecord *r = tc_history_entry_get_record (entry);
  g_autoptr(GNotification) notification = NULL;
  g_autofree char *id = image_notification_id (entry);
  g_autofree char *body = NULL;
  const char *instance = r->instance_name;
  gboolean ready = r->outcome == TC_HISTORY_OUTCOME_READY;
  /* The ImageId is what the console, tccli and every API call want next. */
  const char *image_id = r->image_id;
  const char *region = tc_places_region_name (r->region);

  if (self->settings != NULL && !g_settings_get_boolean (self->settings, "notifications"))
    return;
  /* An image of a batch: the batch's own notification sums them all up. */
  if (tc_image_batch_is_batched (entry))
    return;
  /* The copy dialog said that no answer came back for the copies of this image; this one
   * tells how a copy ended, and the other would only linger. */
  if (r->kind == TC_HISTORY_KIND_COPY && r->source_image_id != NULL) {
    g_autofree char *copy_id = g_strconcat ("copy-", r->source_image_id, NULL);

    g_application_withdraw_notification (G_APPLICATION (self), copy_id);
  }
  /* Seen in a toast: what the desktop said of it before ("Image Being Created") goes. */
  if (find_active_window (self) != NULL) {
    g_application_withdraw_notification (G_APPLICATION (self), id);
    return;
  }

  if (instance == NULL || *instance == '\0')
    instance = r->instance_id;

  if (r->kind == TC_HISTORY_KIND_COPY) {
    /* A copy came from an image in another region: that image and its region are named,
     * as r->region is the copy's own. */
    const char *source = r->source_image_id ? r->source_image_id : "";
    const char *source_region = r->source_region ? tc_places_region_name (r->source_region) : "";

    notification = g_notification_new (ready ? _("Copy Ready") : _("Copy Failed"));
    if (image_id != NULL)
      /* Translators: a notification about a copy of an image made in another region: the
       * image name, the copy's ID (as in “img-1a2b3c4d”), the ID of the image it was copied
       * from, then that image's region (as in “South China (Guangzhou)”). */
      body = g_strdup_printf (_("“%s” (%s), copied from %s in %s"), r->image_name, image_id,
                              source, source_region);
    else
      /* Translators: a notification about a copy of an image made in another region: the
       * image name, the ID of the image it was copied from (as in “img-1a2b3c4d”), then
       * that image's region (as in “South China (Guangzhou)”). */
      body = g_strdup_printf (_("“%s”, copied from %s in %s"), r->image_name, source,
                              source_region);
  } else {
    notification = g_notification_new (ready ? _("Image Ready") : _("Image Failed"));
    if (image_id != NULL)
      /* Translators: a notification: the image name, its ID (as in “img-1a2b3c4d”), the
       * instance it was made from, the region's name (as in “South China (Guangzhou)”). */
      body = g_strdup_printf (_("“%s” (%s) from %s in %s"), r->image_name,
                              image_id, instance ? instance : "", region);
    else
      /* Translators: a notification: the image name, the instance it was made from, the
       * region's name (as in “South China (Guangzhou)”). */
      body = g_strdup_printf (_("“%s” from %s in %s"), r->image_name,
                              instance ? instance : "", region);
  }
  g_notification_set_body (notification, body);
  g_notification_set_default_action_and_target (notification, "app.show-history-entry", "s",
                                                r->id);
  g_application_send_notification (G_APPLICATION (self), id, notification);
}

/* Watching. The images this run asked for (a Create, a copy, a batch's) are followed to
 * their end with the windows closed too, so that the desktop can say how each ended: the
 * application holds itself while any is still being made, for at most WATCH_LIMIT_S after
 * the last was asked for (the next start follows the rest, as it follows those of earlier
 * runs). Quitting lets them go. */

static void
watched_changed (ImprintApplication *self,
                 guint               before)
{
  guint now = g_hash_table_size (self->watched);

  if (before == 0 && now > 0) {
    g_application_hold (G_APPLICATION (self));
  } else if (before > 0 && now == 0) {
    g_clear_handle_id (&self->watch_timeout_id, g_source_remove);
    g_application_release (G_APPLICATION (self));
  }
}

static void
unwatch_all (ImprintApplication *self)
{
  guint before = g_hash_table_size (self->watched);

  g_hash_table_remove_all (self->watched);
  watched_changed (self, before);
}

static gboolean
watch_expired_cb (gpointer user_data)
{
  ImprintApplication *self = user_data;

  self->watch_timeout_id = 0;
  unwatch_all (self);
  return G_SOURCE_REMOVE;
}

/* An entry was added or changed: one of this run's being made is watched, one that ended
 * is not any more. */
static void
recorded_cb (ImprintApplication *self,
             TcHistoryEntry     *entry)
{
  const TcHistoryRecord *r = tc_history_entry_get_record (entry);
  guint before = g_hash_table_size (self->watched);

  if (r->outcome != TC_HISTORY_OUTCOME_CREATING) {
    g_hash_table_remove (self->watched, r->id);
  } else if (r->created >= self->started && self->tracker != NULL && !self->quitting &&
             g_hash_table_add (self->watched, g_strdup (r->id))) {
    g_clear_handle_id (&self->watch_timeout_id, g_source_remove);
    self->watch_timeout_id = g_timeout_add_seconds (WATCH_LIMIT_S, watch_expired_cb, self);
  }
  watched_changed (self, before);
}

/* Entries were removed (or the history cleared): those are not watched any more. */
static void
n_entries_cb (ImprintApplication *self)
{
  guint before = g_hash_table_size (self->watched);
  guint n = tc_history_get_n_entries (self->history);
  gboolean fewer = n < self->n_entries;
  GHashTableIter iter;
  gpointer id;

  self->n_entries = n;
  if (!fewer || before == 0)
    return;
  g_hash_table_iter_init (&iter, self->watched);
  while (g_hash_table_iter_next (&iter, &id, NULL)) {
    if (tc_history_find_by_id (self->history, id) == NULL)
      g_hash_table_iter_remove (&iter);
  }
  watched_changed (self, before);
}

/**
 * imprint_application_hold_request:
 *
 * A request whose answer is to be recorded (a Check, a Create, a copy) is out: until
 * imprint_application_release_request(), the application keeps running whatever its
 * windows do, so that closing the window or quitting does not lose the History entry of
 * an image the server may make. Does nothing without a running application (a test of one
 * widget).
 */
void
imprint_application_hold_request (void)
{
  GApplication *app = g_application_get_default ();

  if (app != NULL)
    g_application_hold (app);
}

void
imprint_application_release_request (void)
{
  GApplication *app = g_application_get_default ();

  if (app != NULL)
    g_application_release (app);
}

/**
 * imprint_application_notify_request:
 * @job: a Create (or a Check) that ended, recorded
 *
 * The desktop says how it ended, in the words of the toast the user could not see (the
 * window was in the background, or gone); clicking it opens its History entry. When a
 * window of the application is active after all (its form had gone with another
 * account's), that window shows the toast instead.
 */
void
imprint_application_notify_request (TcImageJob *job)
{
  GApplication *app = g_application_get_default ();
  TcHistoryEntry *entry = tc_image_job_get_entry (job);
  g_autoptr(GNotification) notification = NULL;
  g_autofree char *id = NULL;
  ImprintApplication *self;
  GtkWindow *window;

  if (!IMPRINT_IS_APPLICATION (app) || entry == NULL)
    return;
  self = IMPRINT_APPLICATION (app);
  /* A dialog's toast shows in the window it belongs to. */
  for (window = find_active_window (self); window != NULL; window = gtk_window_get_transient_for (window)) {
    if (IMPRINT_IS_WINDOW (window)) {
      imprint_window_show_toast (IMPRINT_WINDOW (window), tc_image_job_get_summary (job));
      return;
    }
  }
  if (self->settings != NULL && !g_settings_get_boolean (self->settings, "notifications"))
    return;

  if (g_error_matches (tc_image_job_get_error (job), TC_ERROR, TC_ERROR_NO_ANSWER))
    notification = g_notification_new (_("No Answer from Tencent Cloud"));
  else
    notification = g_notification_new (tc_image_job_get_state (job) == TC_IMAGE_JOB_FAILED
                                       ? _("Request Failed") : _("Image Being Created"));
  g_notification_set_body (notification, tc_image_job_get_summary (job));
  g_notification_set_default_action_and_target (notification, "app.show-history-entry", "s",
                                                tc_history_entry_get_record (entry)->id);
  /* The image's own: how it ends replaces this. */
  id = image_notification_id (entry);
  g_application_send_notification (app, id, notification);
}

/* A batch holds the application while any of its images is yet to be answered. */
static void
batch_hold (ImprintApplication *self,
            guint               index,
            TcImageBatch       *batch)
{
  gboolean sending = FALSE;

  for (guint i = 0; i < tc_image_batch_get_n_items (batch); i++) {
    TcBatchState state = tc_image_batch_get_state (batch, i);

    sending = sending || state == TC_BATCH_WAITING || state == TC_BATCH_SENDING;
  }
  if (sending == g_hash_table_contains (self->sending, batch))
    return;
  if (sending) {
    g_hash_table_add (self->sending, batch);
    g_application_hold (G_APPLICATION (self));
  } else {
    g_hash_table_remove (self->sending, batch);
    g_application_release (G_APPLICATION (self));
  }
}

static void batch_cancelled_cb (ImprintApplication *self,
                                TcImageBatch       *batch);

/* A batch ended (again, after a retry): one notification for all its images, which opens
 * the first that failed, or the first. After a retry it replaces the one before, which
 * said that some had failed. Not while the user looks at a window: the batch's dialog and
 * its row under Recent Images say how it ended. */
static void
batch_finished_cb (ImprintApplication *self,
                   TcImageBatch       *batch)
{
  g_autoptr(GNotification) notification = NULL;
  g_autofree char *summary = tc_image_batch_dup_summary (batch);
  const char *id = g_hash_table_lookup (self->batch_ids, batch);
  guint failed = tc_image_batch_count (batch, TC_BATCH_FAILED);
  TcHistoryEntry *shown = NULL;

  g_signal_handlers_disconnect_by_func (batch, batch_finished_cb, self);
  g_signal_handlers_disconnect_by_func (batch, batch_hold, self);
  g_signal_handlers_disconnect_by_func (batch, batch_cancelled_cb, self);
  batch_hold (self, 0, batch);
  for (guint i = 0; i < tc_image_batch_get_n_items (batch); i++) {
    TcHistoryEntry *entry = tc_image_batch_get_entry (batch, i);

    if (entry == NULL)
      continue;
    if (shown == NULL)
      shown = entry;
    if (tc_image_batch_get_state (batch, i) == TC_BATCH_FAILED) {
      shown = entry;
      break;
    }
  }

  /* Seen in a window: the notification of its last end, had some failed, goes. */
  if (id != NULL && find_active_window (self) != NULL) {
    g_application_withdraw_notification (G_APPLICATION (self), id);
  } else if (id != NULL &&
             (self->settings == NULL || g_settings_get_boolean (self->settings, "notifications"))) {
    notification = g_notification_new (failed == 0 ? _("Images Ready") : _("Some Images Failed"));
    g_notification_set_body (notification, summary);
    if (shown != NULL)
      g_notification_set_default_action_and_target (notification, "app.show-history-entry", "s",
                                                    tc_history_entry_get_record (shown)->id);
    g_application_send_notification (G_APPLICATION (self), id, notification);
  }
  g_ptr_array_remove (self->batches, batch);
}

/* Its notification ID goes with it. */
static void
batch_gone_cb (gpointer  user_data,
               GObject  *batch)
{
  ImprintApplication *self = user_data;

  g_hash_table_remove (self->batch_ids, batch);
}

/* A batch cancelled (its demo was left): it goes without a word, and holds nothing. */
static void
batch_cancelled_cb (ImprintApplication *self,
                    TcImageBatch       *batch)
{
  g_signal_handlers_disconnect_by_data (batch, self);
  if (g_hash_table_remove (self->sending, batch))
    g_application_release (G_APPLICATION (self));
  g_ptr_array_remove (self->batches, batch);
}

/**
 * imprint_application_cancel_batches:
 *
 * Cancels every batch followed that sends with @client (the demo's, when it is left),
 * quietly: no notification sums them up.
 */
void
imprint_application_cancel_batches (ImprintApplication *self,
                                    TcClient           *client)
{
  g_autoptr(GPtrArray) batches = NULL;

  g_return_if_fail (IMPRINT_IS_APPLICATION (self));
  g_return_if_fail (TC_IS_CLIENT (client));

  /* Each one cancelled leaves the list. */
  batches = g_ptr_array_copy (self->batches, (GCopyFunc) g_object_ref, NULL);
  g_ptr_array_set_free_func (batches, g_object_unref);
  for (guint i = 0; i < batches->len; i++)
    if (tc_image_batch_get_client (batches->pdata[i]) == client)
      tc_image_batch_cancel (batches->pdata[i]);
}

/**
 * imprint_application_follow_batch:
 *
 * Holds @batch until it ends, whatever its window does, then sends one notification that
 * sums it up; and the application runs on while any of its images is yet to be answered.
 * Call it again after a retry.
 */
void
imprint_application_follow_batch (ImprintApplication *self,
                                  TcImageBatch       *batch)
{
  g_return_if_fail (IMPRINT_IS_APPLICATION (self));
  g_return_if_fail (TC_IS_IMAGE_BATCH (batch));

  if (g_ptr_array_find (self->batches, batch, NULL) || tc_image_batch_is_finished (batch) ||
      tc_image_batch_is_cancelled (batch))
    return;
  g_ptr_array_add (self->batches, g_object_ref (batch));
  if (!g_hash_table_contains (self->batch_ids, batch)) {
    g_hash_table_insert (self->batch_ids, batch, g_strdup_printf ("batch-%u", ++self->n_batches));
    g_object_weak_ref (G_OBJECT (batch), batch_gone_cb, self);
  }
  g_signal_connect_object (batch, "finished", G_CALLBACK (batch_finished_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (batch, "item-changed", G_CALLBACK (batch_hold), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (batch, "cancelled", G_CALLBACK (batch_cancelled_cb), self,
                           G_CONNECT_SWAPPED);
  batch_hold (self, 0, batch);
}

/* The About window of @parent: one per main window, shown again rather than made twice. It
 * hides on close, so it stays among the toplevels until its parent goes. */
static GtkWidget *
find_about (GtkWindow *parent)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++) {
    g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

    if (ADW_IS_ABOUT_WINDOW (window) && gtk_window_get_transient_for (window) == parent)
      return GTK_WIDGET (window);
  }
  return NULL;
}

static void
about_action_cb (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  ImprintApplication *self = user_data;
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));
  const char *developers[] = { "The Imprint developers https://github.com/imprint/imprint", NULL };
  GtkWidget *about = find_about (window);

  if (about == NULL) {
    about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                          "transient-for", window,
                          "hide-on-close", TRUE,
                          "destroy-with-parent", TRUE,
                          /* The development build says so, as its desktop file does. */
                          "application-name", DEVELOPMENT ? _("Imprint (Development)") : _("Imprint"),
                          "application-icon", APPLICATION_ID,
                          "version", PACKAGE_VERSION,
                          "comments", _("Make custom images from Tencent Cloud CVM instances"),
                          "developer-name", _("The Imprint developers"),
                          "developers", developers,
                          "website", "https://github.com/imprint/imprint",
                          "issue-url", "https://github.com/imprint/imprint/issues",
                          "copyright", "© 2026 The Imprint developers",
                          "license-type", GTK_LICENSE_GPL_3_0,
                          /* Translators: Replace this with your names, one per line: "Name <email>". */
                          "translator-credits", _("translator-credits"),
                          NULL);
    imprint_a11y_name_buttons (about);
  }

  gtk_window_present (GTK_WINDOW (about));
}

static void
quit_action_cb (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  g_autoptr(GPtrArray) windows = g_ptr_array_new_with_free_func (g_object_unref);

  /* Quitting is not closing the window: the images being made are followed again at the
   * next start, not by a process left behind. */
  IMPRINT_APPLICATION (user_data)->quitting = TRUE;
  unwatch_all (user_data);
  /* Main windows first (their dialogs go with them), so that what they record as they
   * close (a demo that ends) is written before shutdown waits for the history; then the
   * rest. The application ends with its last window, or once the last request still out
   * is answered and recorded (imprint_application_hold_request()). */
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (user_data)); l != NULL; l = l->next)
    g_ptr_array_insert (windows, IMPRINT_IS_WINDOW (l->data) ? 0 : -1, g_object_ref (l->data));
  for (guint i = 0; i < windows->len; i++)
    gtk_window_destroy (windows->pdata[i]);
}

/* From a notification: the window may have been closed (the app then started again by
 * D-Bus activation), so it is made when needed. */
static void
show_history_entry_action_cb (GSimpleAction *action,
                              GVariant      *parameter,
                              gpointer       user_data)
{
  ImprintApplication *self = user_data;
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (window == NULL) {
    g_application_activate (G_APPLICATION (self));
    window = gtk_application_get_active_window (GTK_APPLICATION (self));
  }
  if (!IMPRINT_IS_WINDOW (window))
    return;

  gtk_window_present (window);
  imprint_window_show_history_entry (IMPRINT_WINDOW (window), g_variant_get_string (parameter, NULL));
}

static void
preferences_action_cb (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  ImprintApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));

  gtk_window_present (GTK_WINDOW (imprint_preferences_new (parent, self->settings)));
}

static const GActionEntry app_actions[] = {
  { "about", about_action_cb },
  { "preferences", preferences_action_cb },
  { "quit", quit_action_cb },
  { "show-history-entry", show_history_entry_action_cb, "s" },
};

static void
imprint_application_startup (GApplication *app)
{
  ImprintApplication *self = IMPRINT_APPLICATION (app);
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *preferences_accels[] = { "<Control>comma", NULL };
  static const char *shortcuts_accels[] = { "<Control>question", NULL };

  G_APPLICATION_CLASS (imprint_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions,
                                   G_N_ELEMENTS (app_actions), app);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.preferences", preferences_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.show-help-overlay", shortcuts_accels);

  /* Preferences take effect at once: the keys are bound where they are used. */
  self->settings = g_settings_new (APPLICATION_ID);
  g_settings_bind (self->settings, "history-retention-days", self->history, "retention-days", G_SETTINGS_BIND_GET);
}

static void
flushed_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  gboolean *done = user_data;

  tc_history_write_finish (TC_HISTORY (object), result, NULL);
  *done = TRUE;
}

static gboolean
flush_timeout_cb (gpointer user_data)
{
  gboolean *done = user_data;

  *done = TRUE;
  return G_SOURCE_REMOVE;
}

/* Waits (a little) for the history's last writes, so an entry recorded just before
 * quitting is on disk. */
static void
imprint_application_shutdown (GApplication *app)
{
  ImprintApplication *self = IMPRINT_APPLICATION (app);
  gboolean done = FALSE;
  guint timeout_id;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->tracker);
  unwatch_all (self);

  tc_history_flush_async (self->history, NULL, flushed_cb, &done);
  timeout_id = g_timeout_add (FLUSH_TIMEOUT_MS, flush_timeout_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (timeout_id);

  G_APPLICATION_CLASS (imprint_application_parent_class)->shutdown (app);
}

static void
imprint_application_finalize (GObject *object)
{
  ImprintApplication *self = IMPRINT_APPLICATION (object);

  g_clear_object (&self->session);
  g_clear_object (&self->pacer);
  g_clear_object (&self->store);
  g_clear_object (&self->tracker);
  g_clear_object (&self->history);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->batches, g_ptr_array_unref);
  g_clear_pointer (&self->sending, g_hash_table_unref);
  if (self->batch_ids != NULL) {
    GHashTableIter iter;
    gpointer batch;

    g_hash_table_iter_init (&iter, self->batch_ids);
    while (g_hash_table_iter_next (&iter, &batch, NULL))
      g_object_weak_unref (batch, batch_gone_cb, self);
  }
  g_clear_pointer (&self->batch_ids, g_hash_table_unref);
  g_clear_pointer (&self->watched, g_hash_table_unref);

  G_OBJECT_CLASS (imprint_application_parent_class)->finalize (object);
}

static void
imprint_application_class_init (ImprintApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = imprint_application_finalize;

  app_class->activate = imprint_application_activate;
  app_class->startup = imprint_application_startup;
  app_class->shutdown = imprint_application_shutdown;
}

static void
imprint_application_init (ImprintApplication *self)
{
  /* Both are cheap to create; neither touches the network, the disk or the keyring yet. */
  self->session = tc_client_new_session ();
  self->pacer = tc_pacer_new ();
  self->store = tc_account_store_new (NULL);
  /* Not read until the first window has painted. */
  self->history = tc_history_new (NULL);
  self->tracker = tc_image_tracker_new (self->history, self->store, self->session, self->pacer);
  self->cancellable = g_cancellable_new ();
  self->batches = g_ptr_array_new_with_free_func (g_object_unref);
  self->sending = g_hash_table_new (NULL, NULL);
  self->batch_ids = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  g_signal_connect_object (self->tracker, "finished", G_CALLBACK (tracker_finished_cb), self,
                           G_CONNECT_SWAPPED);
  self->started = g_get_real_time ();
  self->watched = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_signal_connect_object (self->history, "recorded", G_CALLBACK (recorded_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->history, "notify::n-entries", G_CALLBACK (n_entries_cb), self,
                           G_CONNECT_SWAPPED);
}

/**
 * imprint_application_get_history:
 *
 * Returns: (transfer none): the history every window shows
 */
TcHistory *
imprint_application_get_history (ImprintApplication *self)
{
  g_return_val_if_fail (IMPRINT_IS_APPLICATION (self), NULL);

  return self->history;
}

/**
 * imprint_application_get_tracker:
 *
 * Returns: (transfer none) (nullable): what follows the images being made; %NULL after
 *   shutdown
 */
TcImageTracker *
imprint_application_get_tracker (ImprintApplication *self)
{
  g_return_val_if_fail (IMPRINT_IS_APPLICATION (self), NULL);

  return self->tracker;
}

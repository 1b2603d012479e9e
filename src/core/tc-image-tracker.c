/* tc-image-tracker.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each entry in CREATING gets a Follow: a timer that looks at the image (DescribeImages by
 * ID for API 3.0; by exact name for the legacy API, which never answered an ID), backing
 * off from the follow interval, doubling up to a minute. The client for an entry's account
 * (found by the account's id, which outlives renames; by name only for entries imported
 * from builds that recorded no id) is one the window registered (the demo), or one made
 * from the account store and the keyring, made once per account and kept until the store's
 * accounts change or the keys stop working (new ones may be in the keyring by then). When
 * the account is not there (removed, or the store not loaded yet) or the keyring fails, the
 * entry stays CREATING and is looked at again later: nothing is known about the image, so
 * nothing is recorded.
 *
 * When is an image that cannot be found a failure? An image that was seen and is gone
 * was deleted (or its creation was rolled back): FAILED at once. An image never seen
 * after MAX_MISSES looks (about a minute and a half with the default interval) never
 * came to be: FAILED too. Every other failure to look (network, rate limits, the server)
 * just waits for the next look.
 *
 * The final state is written through tc_history_update_async(); the stored entry takes
 * the new values at once, and "finished" is emitted then, without waiting for the disk.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "tc-image-tracker.h"
#include "tc-cvm.h"
#include "tc-error.h"

#define FOLLOW_DEFAULT_INTERVAL 3.0
#define FOLLOW_MAX_INTERVAL     60.0
/* Looks that may find nothing before an image that was never seen counts as failed. */
#define MAX_MISSES              5

typedef struct {
  TcImageTracker *tracker;      /* not a reference: the tracker frees its follows */
  char           *entry_id;
  double          interval;
  guint           timeout_id;
  GCancellable   *cancellable;
  guint           misses;
  gboolean        seen;
  char           *image_id;     /* learnt from the server (legacy) */
} Follow;

struct _TcImageTracker
{
  GObject          parent_instance;

  TcHistory       *history;
  TcAccountStore  *store;
  SoupSession     *session;
  TcPacer         *pacer;
  double           follow_interval;

  GHashTable      *follows;     /* entry id → Follow */
  GHashTable      *clients;     /* account key → TcClient made from the store */
  GHashTable      *registered;  /* account id → TcClient the window gave (the demo's) */
  guint            n_entries;   /* the history's, when last told */
};

G_DEFINE_FINAL_TYPE (TcImageTracker, tc_image_tracker, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_HISTORY,
  PROP_STORE,
  PROP_SESSION,
  PROP_PACER,
  PROP_FOLLOW_INTERVAL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void follow_schedule (Follow *follow);

static void
follow_free (Follow *follow)
{
  g_clear_handle_id (&follow->timeout_id, g_source_remove);
  if (follow->cancellable != NULL)
    g_cancellable_cancel (follow->cancellable);
  g_clear_object (&follow->cancellable);
  g_free (follow->entry_id);
  g_free (follow->image_id);
  g_free (follow);
}

static gboolean
is_cancelled (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static GCancellable *
renew_cancellable (Follow *follow)
{
  if (follow->cancellable != NULL)
    g_cancellable_cancel (follow->cancellable);
  g_clear_object (&follow->cancellable);
  follow->cancellable = g_cancellable_new ();
  return follow->cancellable;
}

/* The stored entry, or NULL when it was removed or has reached a final state meanwhile;
 * then the follow is dropped (and freed). */
static TcHistoryEntry *
follow_entry (Follow *follow)
{
  TcImageTracker *self = follow->tracker;
  TcHistoryEntry *entry = tc_history_find_by_id (self->history, follow->entry_id);

  if (entry == NULL || tc_history_outcome_is_final (tc_history_entry_get_record (entry)->outcome)) {
    g_hash_table_remove (self->follows, follow->entry_id);
    return NULL;
  }
  return entry;
}

/* Records the final @outcome of @entry and drops its follow (which frees @follow). */
static void
follow_record (Follow           *follow,
               TcHistoryEntry   *entry,
               TcHistoryOutcome  outcome,
               const char       *message)
{
  TcImageTracker *self = follow->tracker;
  g_autoptr(TcHistoryEntry) changes = tc_history_entry_copy (entry);
  TcHistoryRecord *r = tc_history_entry_edit (changes);

  r->outcome = outcome;
  r->last_checked = g_get_real_time ();
  if (r->image_id == NULL)
    r->image_id = g_strdup (follow->image_id);
  if (r->error_message == NULL)
    r->error_message = g_strdup (message);

  /* Frees @follow. */
  g_hash_table_remove (self->follows, tc_history_entry_get_record (entry)->id);

  /* No callback: a write that fails is the history's "problem", which the window shows. */
  tc_history_update_async (self->history, changes, NULL, NULL, NULL);
}

/* The same, and tells (the application notifies the desktop). */
static void
follow_finish (Follow           *follow,
               TcHistoryEntry   *entry,
               TcHistoryOutcome  outcome,
               const char       *message)
{
  TcImageTracker *self = follow->tracker;
  g_autoptr(TcHistoryEntry) stored = g_object_ref (entry);

  follow_record (follow, entry, outcome, message);
  g_signal_emit (self, signals[SIGNAL_FINISHED], 0, stored);
}

static void
follow_saw (Follow  *follow,
            TcImage *image)
{
  TcHistoryEntry *entry = follow_entry (follow);
  TcImageState state;

  if (entry == NULL)
    return;

  if (image == NULL) {
    follow->misses++;
    if (follow->seen)
      follow_finish (follow, entry, TC_HISTORY_OUTCOME_FAILED,
                     _("The image disappeared before it was ready."));
    else if (follow->misses >= MAX_MISSES)
      follow_finish (follow, entry, TC_HISTORY_OUTCOME_FAILED,
                     _("The image never appeared in the region."));
    else
      follow_schedule (follow);
    return;
  }

  follow->seen = TRUE;
  follow->misses = 0;
  if (follow->image_id == NULL && tc_image_get_id (image) != NULL)
    follow->image_id = g_strdup (tc_image_get_id (image));

  state = tc_image_get_state (image);
  if (tc_image_state_is_final (state))
    follow_finish (follow, entry,
                   state == TC_IMAGE_STATE_NORMAL || state == TC_IMAGE_STATE_USING
                     ? TC_HISTORY_OUTCOME_READY : TC_HISTORY_OUTCOME_FAILED,
                   NULL);
  else
    follow_schedule (follow);
}

/* Entries are followed by their account's id; entries from before ids were recorded
 * (imported from an earlier build) by the name they kept. */
static const char *
account_key (TcHistoryEntry *entry)
{
  const TcHistoryRecord *r = tc_history_entry_get_record (entry);
  const char *id = r->account_id;

  return id != NULL ? id : r->account_name;
}

static TcClient *
cached_client (TcImageTracker *self,
               const char     *key)
{
  TcClient *client = key != NULL ? g_hash_table_lookup (self->registered, key) : NULL;

  return client != NULL || key == NULL ? client : g_hash_table_lookup (self->clients, key);
}

/* A look failed: the next one is later. Keys that no longer work may have been replaced in
 * the keyring (a new session token, rotated keys): the next look makes the client again. */
static void
look_failed (Follow       *follow,
             const GError *error)
{
  TcHistoryEntry *entry = follow_entry (follow);

  g_debug ("Could not look at the image of entry %s: %s", follow->entry_id, error->message);
  if (entry != NULL &&
      (g_error_matches (error, TC_ERROR, TC_ERROR_AUTH_SIGNATURE) ||
       g_error_matches (error, TC_ERROR, TC_ERROR_AUTH_SECRET_ID) ||
       g_error_matches (error, TC_ERROR, TC_ERROR_AUTH_TOKEN) ||
       g_error_matches (error, TC_ERROR, TC_ERROR_UNAUTHORIZED) ||
       g_error_matches (error, TC_ERROR, TC_ERROR_BAD_ENDPOINT)))
    g_hash_table_remove (follow->tracker->clients, account_key (entry));
  follow_schedule (follow);
}

static void
by_id_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  Follow *follow = user_data;
  g_autoptr(GListModel) images = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TcImage) image = NULL;
  const char *wanted;

  images = tc_cvm_get_images_finish (TC_CLIENT (object), result, &error);
  if (is_cancelled (error))
    return;

  if (images == NULL) {
    if (g_error_matches (error, TC_ERROR, TC_ERROR_NOT_FOUND)) {
      follow_saw (follow, NULL);
      return;
    }
    look_failed (follow, error);
    return;
  }

  wanted = follow->image_id;
  for (guint i = 0; i < g_list_model_get_n_items (images) && image == NULL; i++) {
    g_autoptr(TcImage) candidate = g_list_model_get_item (images, i);

    if (wanted == NULL || g_strcmp0 (tc_image_get_id (candidate), wanted) == 0)
      image = g_steal_pointer (&candidate);
  }
  follow_saw (follow, image);
}

static void
by_name_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Follow *follow = user_data;
  g_autoptr(TcImage) image = NULL;
  g_autoptr(GError) error = NULL;

  image = tc_cvm_find_image_by_name_finish (TC_CLIENT (object), result, &error);
  if (is_cancelled (error))
    return;

  if (error != NULL) {
    look_failed (follow, error);
    return;
  }
  follow_saw (follow, image);
}

static void
follow_look (Follow         *follow,
             TcHistoryEntry *entry,
             TcClient       *client)
{
  const TcHistoryRecord *r = tc_history_entry_get_record (entry);
  GCancellable *cancellable = renew_cancellable (follow);
  const char *region = r->region;

  if (follow->image_id == NULL && r->image_id != NULL)
    follow->image_id = g_strdup (r->image_id);

  /* API 3.0 answered the new image's ID; the legacy API did not, so follow it by name. */
  if (tc_client_get_protocol (client) == TC_PROTOCOL_API3 && follow->image_id != NULL) {
    const char * const ids[] = { follow->image_id, NULL };

    tc_cvm_get_images_async (client, region, ids, cancellable, by_id_cb, follow);
  } else {
    tc_cvm_find_image_by_name_async (client, region, r->image_name,
                                     cancellable, by_name_cb, follow);
  }
}


static TcAccount *
find_account (TcImageTracker *self,
              TcHistoryEntry *entry)
{
  const TcHistoryRecord *r = tc_history_entry_get_record (entry);
  const char *id = r->account_id;
  const char *name = r->account_name;

  if (self->store == NULL)
    return NULL;
  if (id != NULL)
    return tc_account_store_find_by_id (self->store, id);
  return name != NULL ? tc_account_store_find_by_name (self->store, name) : NULL;
}

static void
credentials_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  Follow *follow = user_data;
  TcImageTracker *self;
  g_autoptr(TcCredentials) credentials = NULL;
  g_autoptr(TcClient) client = NULL;
  g_autoptr(GError) error = NULL;
  TcHistoryEntry *entry;
  TcClient *cached;
  TcAccount *account;
  const char *name;

  credentials = tc_account_store_lookup_credentials_finish (TC_ACCOUNT_STORE (object), result, &error);
  if (is_cancelled (error))
    return;

  self = follow->tracker;
  if ((entry = follow_entry (follow)) == NULL)
    return;
  name = account_key (entry);

  if (credentials == NULL) {
    g_debug ("No keys for account “%s” yet: %s", name, error->message);
    follow_schedule (follow);
    return;
  }

  /* Another follow of the same account may have made one meanwhile. */
  cached = cached_client (self, name);
  if (cached != NULL) {
    follow_look (follow, entry, cached);
    return;
  }

  account = find_account (self, entry);
  if (account != NULL)
    client = tc_account_create_client (account, self->session, self->pacer, credentials, &error);
  if (client == NULL) {
    g_debug ("Cannot make a client for account “%s”: %s", name,
             error ? error->message : "it was removed");
    follow_schedule (follow);
    return;
  }

  g_hash_table_insert (self->clients, g_strdup (name), g_object_ref (client));
  follow_look (follow, entry, client);
}

static gboolean
follow_timeout_cb (gpointer user_data)
{
  Follow *follow = user_data;
  TcImageTracker *self = follow->tracker;
  TcHistoryEntry *entry;
  TcClient *client;
  TcAccount *account;
  const char *name;

  follow->timeout_id = 0;
  if ((entry = follow_entry (follow)) == NULL)
    return G_SOURCE_REMOVE;

  name = account_key (entry);
  client = cached_client (self, name);
  if (client != NULL) {
    follow_look (follow, entry, client);
    return G_SOURCE_REMOVE;
  }

  /* The account may come back (the store loads later, the demo starts again): the entry
   * stays CREATING and is looked at again after the next interval. */
  account = find_account (self, entry);
  if (account == NULL || self->session == NULL) {
    follow_schedule (follow);
    return G_SOURCE_REMOVE;
  }

  tc_account_store_lookup_credentials_async (self->store, account, renew_cancellable (follow),
                                             credentials_cb, follow);
  return G_SOURCE_REMOVE;
}

/* Looks again after the current interval, then doubles it up to a minute. */
static void
follow_schedule (Follow *follow)
{
  guint ms = (guint) (follow->interval * 1000);

  g_clear_handle_id (&follow->timeout_id, g_source_remove);
  follow->timeout_id = g_timeout_add (MAX (ms, 1), follow_timeout_cb, follow);
  follow->interval = MIN (follow->interval * 2, FOLLOW_MAX_INTERVAL);
}

static void
maybe_follow (TcImageTracker *self,
              TcHistoryEntry *entry)
{
  const TcHistoryRecord *r = tc_history_entry_get_record (entry);
  Follow *follow;

  if (r->outcome != TC_HISTORY_OUTCOME_CREATING ||
      g_hash_table_contains (self->follows, r->id))
    return;

  follow = g_new0 (Follow, 1);
  follow->tracker = self;
  follow->entry_id = g_strdup (r->id);
  follow->interval = self->follow_interval;
  g_hash_table_insert (self->follows, follow->entry_id, follow);
  follow_schedule (follow);
}

/* An entry added or changed, whether the History's search lists it or not. An add is
 * said before the count grows by it: that growth brings nothing new. */
static void
recorded_cb (TcImageTracker *self,
             TcHistoryEntry *entry)
{
  self->n_entries = tc_history_get_n_entries (self->history);
  maybe_follow (self, entry);
}

/* The history has more entries than it had, and not by an add: a load brought them,
 * listed by the History's search or not. The store says which are still being made.
 * Adds and changes are "recorded": those pay no pass over the history (with 100,000
 * entries a pass is 25 ms of the UI thread). */
static void
n_entries_cb (TcImageTracker *self)
{
  g_autoptr(GPtrArray) unfinished = NULL;
  guint n_entries = tc_history_get_n_entries (self->history);
  gboolean more = n_entries > self->n_entries;

  /* Removed entries are noticed at their next look. */
  self->n_entries = n_entries;
  if (!more)
    return;
  unfinished = tc_history_list_unfinished (self->history);
  for (guint i = 0; i < unfinished->len; i++)
    maybe_follow (self, unfinished->pdata[i]);
}

/* An account was added, removed or renamed: the clients are made again, from what the store
 * and the keyring hold now (a removed account's keys are not used any more). */
static void
accounts_changed_cb (TcImageTracker *self)
{
  g_hash_table_remove_all (self->clients);
}

/* GObject */

static void
tc_image_tracker_constructed (GObject *object)
{
  TcImageTracker *self = TC_IMAGE_TRACKER (object);
  G_OBJECT_CLASS (tc_image_tracker_parent_class)->constructed (object);

  g_signal_connect_object (self->history, "notify::n-entries", G_CALLBACK (n_entries_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->history, "recorded", G_CALLBACK (recorded_cb), self,
                           G_CONNECT_SWAPPED);
  if (self->store != NULL)
    g_signal_connect_object (self->store, "items-changed", G_CALLBACK (accounts_changed_cb), self,
                             G_CONNECT_SWAPPED);
  n_entries_cb (self);
}

static void
tc_image_tracker_dispose (GObject *object)
{
  TcImageTracker *self = TC_IMAGE_TRACKER (object);

  if (self->history != NULL)
    g_signal_handlers_disconnect_by_data (self->history, self);
  g_hash_table_remove_all (self->follows);
  g_hash_table_remove_all (self->clients);
  g_hash_table_remove_all (self->registered);
  g_clear_object (&self->history);
  g_clear_object (&self->store);
  g_clear_object (&self->session);
  g_clear_object (&self->pacer);

  G_OBJECT_CLASS (tc_image_tracker_parent_class)->dispose (object);
}

static void
tc_image_tracker_finalize (GObject *object)
{
  TcImageTracker *self = TC_IMAGE_TRACKER (object);

  g_hash_table_unref (self->follows);
  g_hash_table_unref (self->clients);
  g_hash_table_unref (self->registered);

  G_OBJECT_CLASS (tc_image_tracker_parent_class)->finalize (object);
}

static void
tc_image_tracker_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  TcImageTracker *self = TC_IMAGE_TRACKER (object);

  switch (prop_id) {
  case PROP_HISTORY:
    g_value_set_object (value, self->history);
    break;
  case PROP_STORE:
    g_value_set_object (value, self->store);
    break;
  case PROP_SESSION:
    g_value_set_object (value, self->session);
    break;
  case PROP_PACER:
    g_value_set_object (value, self->pacer);
    break;
  case PROP_FOLLOW_INTERVAL:
    g_value_set_double (value, self->follow_interval);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
tc_image_tracker_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  TcImageTracker *self = TC_IMAGE_TRACKER (object);

  switch (prop_id) {
  case PROP_HISTORY:
    self->history = g_value_dup_object (value);
    break;
  case PROP_STORE:
    self->store = g_value_dup_object (value);
    break;
  case PROP_SESSION:
    self->session = g_value_dup_object (value);
    break;
  case PROP_PACER:
    self->pacer = g_value_dup_object (value);
    break;
  case PROP_FOLLOW_INTERVAL:
    /* Images already followed keep their back-off; new ones start at this pace. */
    if (self->follow_interval != g_value_get_double (value)) {
      self->follow_interval = g_value_get_double (value);
      g_object_notify_by_pspec (object, pspec);
    }
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
tc_image_tracker_class_init (TcImageTrackerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = tc_image_tracker_constructed;
  object_class->dispose = tc_image_tracker_dispose;
  object_class->finalize = tc_image_tracker_finalize;
  object_class->get_property = tc_image_tracker_get_property;
  object_class->set_property = tc_image_tracker_set_property;

  properties[PROP_HISTORY] =
    g_param_spec_object ("history", NULL, NULL, TC_TYPE_HISTORY,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, TC_TYPE_ACCOUNT_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, SOUP_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PACER] =
    g_param_spec_object ("pacer", NULL, NULL, TC_TYPE_PACER,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FOLLOW_INTERVAL] =
    g_param_spec_double ("follow-interval", NULL, NULL,
                         0.01, FOLLOW_MAX_INTERVAL, FOLLOW_DEFAULT_INTERVAL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY |
                         G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * TcImageTracker::finished:
   * @entry: the stored entry, now READY or FAILED
   */
  signals[SIGNAL_FINISHED] =
    g_signal_new ("finished",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, TC_TYPE_HISTORY_ENTRY);
}

static void
tc_image_tracker_init (TcImageTracker *self)
{
  self->follow_interval = FOLLOW_DEFAULT_INTERVAL;
  self->follows = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) follow_free);
  self->clients = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->registered = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
}

/**
 * tc_image_tracker_new:
 * @history: the entries to follow
 * @store: (nullable): where accounts are looked up by name
 * @session: (nullable): the HTTP session for clients made from the store
 * @pacer: (nullable): the pacer those clients share with the application's others
 *
 * Returns: (transfer full): a new tracker, already following the entries in CREATING
 */
TcImageTracker *
tc_image_tracker_new (TcHistory      *history,
                      TcAccountStore *store,
                      SoupSession    *session,
                      TcPacer        *pacer)
{
  g_return_val_if_fail (TC_IS_HISTORY (history), NULL);

  return g_object_new (TC_TYPE_IMAGE_TRACKER,
                       "history", history,
                       "store", store,
                       "session", session,
                       "pacer", pacer,
                       NULL);
}

/**
 * tc_image_tracker_get_history:
 *
 * Returns: (transfer none): the history followed
 */
TcHistory *
tc_image_tracker_get_history (TcImageTracker *self)
{
  g_return_val_if_fail (TC_IS_IMAGE_TRACKER (self), NULL);

  return self->history;
}

double
tc_image_tracker_get_follow_interval (TcImageTracker *self)
{
  g_return_val_if_fail (TC_IS_IMAGE_TRACKER (self), FOLLOW_DEFAULT_INTERVAL);

  return self->follow_interval;
}

void
tc_image_tracker_set_client_for_account (TcImageTracker *self,
                                         const char     *account_id,
                                         TcClient       *client)
{
  g_return_if_fail (TC_IS_IMAGE_TRACKER (self));
  g_return_if_fail (account_id != NULL);
  g_return_if_fail (client == NULL || TC_IS_CLIENT (client));

  if (client != NULL)
    g_hash_table_insert (self->registered, g_strdup (account_id), g_object_ref (client));
  else
    g_hash_table_remove (self->registered, account_id);
}

guint
tc_image_tracker_get_n_following (TcImageTracker *self)
{
  g_return_val_if_fail (TC_IS_IMAGE_TRACKER (self), 0);

  return g_hash_table_size (self->follows);
}

gboolean
tc_image_tracker_is_following (TcImageTracker *self,
                               const char     *entry_id)
{
  g_return_val_if_fail (TC_IS_IMAGE_TRACKER (self), FALSE);

  return entry_id != NULL && g_hash_table_contains (self->follows, entry_id);
}

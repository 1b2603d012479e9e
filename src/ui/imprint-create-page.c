/* imprint-create-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The image form. Every field runs through tc-rules as the user types, and the pre-flight
 * facts (quota, whether the name is taken, the instance's state) are fetched in the
 * background by a TcPreflight (core/, tested without a display) whose properties the page
 * shows, so Create is only sensitive when nothing the app knows says the request will
 * fail. What the app does not know does not block: a fact that could not be fetched shows
 * its error and a Retry button, and the server has the last word when the request is sent.
 *
 * Every asynchronous call takes a cancellable owned by the page and cancelled in dispose.
 * Callbacks get the page as a plain pointer and return at once on G_IO_ERROR_CANCELLED,
 * before touching it: GTask reports a cancelled cancellable as an error even when the call
 * had already completed, so a callback that runs after dispose never sees a live result.
 * The one exception is the Check or Create the user sent: dispose does not cancel it, it
 * holds the application until it is answered, and it is recorded in the History even when
 * the window was closed meanwhile (its callback holds the page weakly). The Cancel button
 * frees the form at once; a Create already sent runs on all the same, and its answer,
 * recorded, is told when it comes (imprint-create-page-actions.c).
 */
#include "config.h"

#include <glib/gi18n.h>

#include "imprint-create-page-private.h"

G_DEFINE_FINAL_TYPE (ImprintCreatePage, imprint_create_page, GTK_TYPE_WIDGET)

GParamSpec *_imprint_create_page_properties[N_PROPS];

guint _imprint_create_page_signals[N_SIGNALS];

/* The region the user chose. */
static void
region_chosen_cb (ImprintCreatePage *self)
{
  const char *region = imprint_region_row_get_region (self->region_row);

  if (region != NULL)
    imprint_create_page_set_region (self, region);
}

/* Client and region. */

/* Everything fetched for a region starts again. */
static void
region_changed (ImprintCreatePage *self)
{
  /* Another account or region: the preflight starts over. */
  tc_preflight_set_client (self->preflight, self->client);
  tc_preflight_set_region (self->preflight, self->region);
  tc_image_draft_forget_refusal (self->draft, TC_FIELD_QUOTA);
  tc_image_draft_forget_refusal (self->draft, TC_FIELD_NAME);
  set_label_text (self->result_message, NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->result_message), FALSE);

  imprint_create_page_set_instance (self, NULL);
  if (self->client != NULL && self->region != NULL) {
    _imprint_create_page_start_quota_fetch (self);
    _imprint_create_page_schedule_name_lookup (self, 0);
  }
  _imprint_create_page_update_form (self);
}

static void
apply_protocol (ImprintCreatePage *self)
{
  gboolean api3 = is_api3 (self);

  gtk_widget_set_visible (GTK_WIDGET (self->options_group), api3);
  gtk_widget_set_visible (GTK_WIDGET (self->tags_group), api3);
  gtk_widget_set_visible (GTK_WIDGET (self->check_button), api3);
  if (!api3) {
    gtk_check_button_set_active (self->poweroff_check, FALSE);
    gtk_check_button_set_active (self->sysprep_check, FALSE);
    _imprint_create_page_clear_tags (self);
  }
}

/* Starts over with the current client: protocol, regions, then the region's facts. */
static void
apply_client (ImprintCreatePage *self)
{
  self->protocol = tc_client_get_protocol (self->client);
  apply_protocol (self);
  imprint_region_row_load (self->region_row, self->client);

  if (self->region == NULL) {
    GListModel *regions = adw_combo_row_get_model (ADW_COMBO_ROW (self->region_row));
    g_autoptr(TcRegion) first = g_list_model_get_item (regions, 0);

    self->region = g_strdup (first ? tc_region_get_region (first) : "ap-guangzhou");
    imprint_region_row_set_region (self->region_row, self->region);
    g_object_notify_by_pspec (G_OBJECT (self), _imprint_create_page_properties[PROP_REGION]);
  }
  region_changed (self);
  /* A template used while the keyring had not answered. */
  _imprint_create_page_fetch_template_instance (self);
}

/* Public API. */

/**
 * imprint_create_page_new:
 * @client: the account's client
 * @region: (nullable): the region to start in; %NULL picks the first known one
 *
 * Returns: (transfer floating): a new image form
 */
ImprintCreatePage *
imprint_create_page_new (TcClient   *client,
                         const char *region)
{
  g_return_val_if_fail (TC_IS_CLIENT (client), NULL);

  return g_object_new (IMPRINT_TYPE_CREATE_PAGE,
                       "client", client,
                       "region", region,
                       NULL);
}

/**
 * imprint_create_page_get_client:
 *
 * Returns: (transfer none): the client requests are made with
 */
TcClient *
imprint_create_page_get_client (ImprintCreatePage *self)
{
  g_return_val_if_fail (IMPRINT_IS_CREATE_PAGE (self), NULL);

  return self->client;
}

/**
 * imprint_create_page_set_client:
 * @client: the account's client
 *
 * Switches the form to another account: the regions, the instance and every fact are
 * fetched again. A request in flight is cancelled; images already being followed keep
 * being followed with the client that made them.
 */
void
imprint_create_page_set_client (ImprintCreatePage *self,
                                TcClient          *client)
{
  g_return_if_fail (IMPRINT_IS_CREATE_PAGE (self));
  g_return_if_fail (client == NULL || TC_IS_CLIENT (client));

  if (self->client == client)
    return;

  _imprint_create_page_cancel_operation (self);
  /* A form without a client keeps its template: it is fetched with the first client (the
   * keyring had not answered). */
  if (self->client != NULL)
    _imprint_create_page_drop_template (self);
  g_set_object (&self->client, client);
  if (self->constructed && client != NULL)
    apply_client (self);
  g_object_notify_by_pspec (G_OBJECT (self), _imprint_create_page_properties[PROP_CLIENT]);
}

const char *
imprint_create_page_get_region (ImprintCreatePage *self)
{
  g_return_val_if_fail (IMPRINT_IS_CREATE_PAGE (self), NULL);

  return self->region;
}

/**
 * imprint_create_page_refresh_quota:
 *
 * Counts the region's images and fetches its quota again, and asks again whether the
 * name is taken: images were deleted, or made several at once, elsewhere.
 */
void
imprint_create_page_refresh_quota (ImprintCreatePage *self)
{
  g_return_if_fail (IMPRINT_IS_CREATE_PAGE (self));

  tc_image_draft_forget_refusal (self->draft, TC_FIELD_QUOTA);
  tc_image_draft_forget_refusal (self->draft, TC_FIELD_NAME);
  if (self->client != NULL && self->region != NULL) {
    _imprint_create_page_start_quota_fetch (self);
    _imprint_create_page_schedule_name_lookup (self, 0);
  }
  _imprint_create_page_update_form (self);
}

/**
 * imprint_create_page_set_region:
 * @region: a region such as `ap-guangzhou`
 *
 * Changing the region clears the chosen instance and fetches the facts again.
 */
void
imprint_create_page_set_region (ImprintCreatePage *self,
                                const char        *region)
{
  g_return_if_fail (IMPRINT_IS_CREATE_PAGE (self));

  if (region != NULL && *region == '\0')
    region = NULL;
  if (g_strcmp0 (self->region, region) == 0 || (region == NULL && self->region != NULL))
    return;

  _imprint_create_page_cancel_operation (self);
  _imprint_create_page_drop_template (self);
  set_string (&self->region, region);
  /* The row shows it before there is a client too (the keyring has not answered): its
   * regions, loaded with the client, keep it chosen. */
  if (self->constructed)
    imprint_region_row_set_region (self->region_row, self->region);
  if (self->constructed && self->client != NULL)
    region_changed (self);
  g_object_notify_by_pspec (G_OBJECT (self), _imprint_create_page_properties[PROP_REGION]);
}

/**
 * imprint_create_page_set_protocol:
 *
 * The protocol of the account the form is for, so that it shows the right fields before
 * its client comes (the keyring has not answered); the client's own counts once it does.
 */
void
imprint_create_page_set_protocol (ImprintCreatePage *self,
                                  TcProtocol         protocol)
{
  g_return_if_fail (IMPRINT_IS_CREATE_PAGE (self));

  if (self->client != NULL || self->protocol == protocol)
    return;
  self->protocol = protocol;
  apply_protocol (self);
  _imprint_create_page_update_form (self);
}

/**
 * imprint_create_page_get_history:
 *
 * Returns: (transfer none) (nullable): where requests are recorded
 */
TcHistory *
imprint_create_page_get_history (ImprintCreatePage *self)
{
  g_return_val_if_fail (IMPRINT_IS_CREATE_PAGE (self), NULL);

  return self->history;
}

/**
 * imprint_create_page_set_history:
 * @history: (nullable): where every Check and Create is recorded
 */
void
imprint_create_page_set_history (ImprintCreatePage *self,
                                 TcHistory         *history)
{
  g_return_if_fail (IMPRINT_IS_CREATE_PAGE (self));
  g_return_if_fail (history == NULL || TC_IS_HISTORY (history));

  if (self->history == history)
    return;

  if (self->history != NULL)
    g_signal_handlers_disconnect_by_func (self->history, _imprint_create_page_history_changed_cb, self);
  g_set_object (&self->history, history);
  /* Also the count: with a search in the History view, the model lists only what it finds,
   * and an entry it does not list goes without an items-changed. */
  if (history != NULL) {
    g_signal_connect_object (history, "items-changed", G_CALLBACK (_imprint_create_page_history_changed_cb), self,
                             G_CONNECT_SWAPPED);
    g_signal_connect_object (history, "notify::n-entries", G_CALLBACK (_imprint_create_page_history_changed_cb),
                             self, G_CONNECT_SWAPPED);
  }
  g_object_notify_by_pspec (G_OBJECT (self), _imprint_create_page_properties[PROP_HISTORY]);
}

const char *
imprint_create_page_get_account_name (ImprintCreatePage *self)
{
  g_return_val_if_fail (IMPRINT_IS_CREATE_PAGE (self), NULL);

  return self->account_name;
}

/**
 * imprint_create_page_set_account_name:
 * @account_name: (nullable): the name recorded with each request (the client's account)
 */
void
imprint_create_page_set_account_name (ImprintCreatePage *self,
                                      const char        *account_name)
{
  g_return_if_fail (IMPRINT_IS_CREATE_PAGE (self));

  if (set_string (&self->account_name, account_name))
    g_object_notify_by_pspec (G_OBJECT (self), _imprint_create_page_properties[PROP_ACCOUNT_NAME]);
}
void
imprint_create_page_set_account_shown (ImprintCreatePage *self,
                                       gboolean           shown)
{
  g_return_if_fail (IMPRINT_IS_CREATE_PAGE (self));

  gtk_widget_set_visible (GTK_WIDGET (self->account_row), shown);
}

/**
 * imprint_create_page_add_toast:
 * @toast: (transfer full): a toast
 *
 * Shows @toast over the form, where it never covers Check and Create Image.
 */
void
imprint_create_page_add_toast (ImprintCreatePage *self,
                               AdwToast          *toast)
{
  g_return_if_fail (IMPRINT_IS_CREATE_PAGE (self));
  g_return_if_fail (ADW_IS_TOAST (toast));

  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/**
 * imprint_create_page_get_outcome:
 * @ok: (out) (optional): whether the request would succeed or was accepted
 *
 * Returns: (nullable): what the last Check or Create said, as shown above the buttons, or
 *   %NULL once the form asks for something else
 */
const char *
imprint_create_page_get_outcome (ImprintCreatePage *self,
                                 gboolean          *ok)
{
  g_return_val_if_fail (IMPRINT_IS_CREATE_PAGE (self), NULL);

  return _imprint_create_page_outcome_text (self, ok);
}

/**
 * imprint_create_page_get_instance:
 *
 * Returns: (transfer none) (nullable): the chosen instance, as last fetched
 */
TcInstance *
imprint_create_page_get_instance (ImprintCreatePage *self)
{
  g_return_val_if_fail (IMPRINT_IS_CREATE_PAGE (self), NULL);

  return chosen (self);
}

/**
 * imprint_create_page_set_instance:
 * @instance: (nullable): the instance to image, or %NULL to clear the choice
 *
 * What the instance picker calls. The instance's state is fetched again at once.
 */
void
imprint_create_page_set_instance (ImprintCreatePage *self,
                                  TcInstance        *instance)
{
  g_return_if_fail (IMPRINT_IS_CREATE_PAGE (self));
  g_return_if_fail (instance == NULL || TC_IS_INSTANCE (instance));

  if (self->job != NULL)
    return;

  tc_image_draft_forget_refusal (self->draft, TC_FIELD_INSTANCE);
  tc_preflight_set_instance (self->preflight, instance);
  _imprint_create_page_show_instance (self);
  _imprint_create_page_update_form (self);
}

const char *
imprint_create_page_get_image_name (ImprintCreatePage *self)
{
  g_return_val_if_fail (IMPRINT_IS_CREATE_PAGE (self), NULL);

  return _imprint_create_page_get_name (self);
}

void
imprint_create_page_set_image_name (ImprintCreatePage *self,
                                    const char        *name)
{
  g_return_if_fail (IMPRINT_IS_CREATE_PAGE (self));

  gtk_editable_set_text (GTK_EDITABLE (self->name_row), name ? name : "");
}

const char *
imprint_create_page_get_description (ImprintCreatePage *self)
{
  g_return_val_if_fail (IMPRINT_IS_CREATE_PAGE (self), NULL);

  return _imprint_create_page_get_description (self);
}

void
imprint_create_page_set_description (ImprintCreatePage *self,
                                     const char        *description)
{
  g_return_if_fail (IMPRINT_IS_CREATE_PAGE (self));

  gtk_editable_set_text (GTK_EDITABLE (self->description_row), description ? description : "");
}

gboolean
imprint_create_page_get_force_poweroff (ImprintCreatePage *self)
{
  g_return_val_if_fail (IMPRINT_IS_CREATE_PAGE (self), FALSE);

  return _imprint_create_page_force_poweroff (self);
}

/**
 * imprint_create_page_set_force_poweroff:
 *
 * Turns “Shut down before imaging” on or off (API 3.0 only; ignored for the legacy API).
 */
void
imprint_create_page_set_force_poweroff (ImprintCreatePage *self,
                                        gboolean           value)
{
  g_return_if_fail (IMPRINT_IS_CREATE_PAGE (self));

  if (is_api3 (self))
    gtk_check_button_set_active (self->poweroff_check, value);
}

void
imprint_create_page_add_tag (ImprintCreatePage *self,
                             const char        *key,
                             const char        *value)
{
  g_return_if_fail (IMPRINT_IS_CREATE_PAGE (self));

  if (!is_api3 (self))
    return;
  _imprint_create_page_append_tag (self, key, value);
  _imprint_create_page_update_form (self);
}

guint
imprint_create_page_get_n_tags (ImprintCreatePage *self)
{
  guint n = 0;

  g_return_val_if_fail (IMPRINT_IS_CREATE_PAGE (self), 0);

  while (gtk_list_box_get_row_at_index (self->tags_list, (int) n) != NULL)
    n++;
  return n;
}

/**
 * imprint_create_page_get_problem:
 *
 * Returns: (nullable): why Create is insensitive (what its tooltip says), or %NULL when
 *   the form may be sent
 */
const char *
imprint_create_page_get_problem (ImprintCreatePage *self)
{
  g_return_val_if_fail (IMPRINT_IS_CREATE_PAGE (self), NULL);

  return self->problem;
}

gboolean
imprint_create_page_is_busy (ImprintCreatePage *self)
{
  g_return_val_if_fail (IMPRINT_IS_CREATE_PAGE (self), FALSE);

  return self->job != NULL;
}

const char *
imprint_create_page_get_field_message (ImprintCreatePage *self,
                                       const char        *field)
{
  g_return_val_if_fail (IMPRINT_IS_CREATE_PAGE (self), NULL);
  g_return_val_if_fail (field != NULL, NULL);

  if (g_str_equal (field, "name"))
    return self->name_message;
  if (g_str_equal (field, "description"))
    return self->description_message_text;
  if (g_str_equal (field, "instance"))
    return self->instance_message_text;
  if (g_str_equal (field, "tags"))
    return self->tags_message_text;
  if (g_str_equal (field, "quota"))
    return self->quota_message;

  g_return_val_if_reached (NULL);
}

const char *
imprint_create_page_get_fact_text (ImprintCreatePage *self,
                                   const char        *fact)
{
  g_return_val_if_fail (IMPRINT_IS_CREATE_PAGE (self), NULL);
  g_return_val_if_fail (fact != NULL, NULL);

  if (g_str_equal (fact, "quota"))
    return imprint_fact_row_get_text (self->quota_fact);
  if (g_str_equal (fact, "name"))
    return imprint_fact_row_get_text (self->name_fact);
  if (g_str_equal (fact, "instance"))
    return imprint_fact_row_get_text (self->instance_fact);

  g_return_val_if_reached (NULL);
}

const char *
imprint_create_page_get_quota_text (ImprintCreatePage *self)
{
  g_return_val_if_fail (IMPRINT_IS_CREATE_PAGE (self), NULL);

  return self->quota_text;
}

guint
imprint_create_page_get_n_recent (ImprintCreatePage *self)
{
  guint n = 0;

  g_return_val_if_fail (IMPRINT_IS_CREATE_PAGE (self), 0);

  while (gtk_list_box_get_row_at_index (self->recent_list, (int) n) != NULL)
    n++;
  return n;
}

gboolean
imprint_create_page_shows_recent (ImprintCreatePage *self,
                                  const char        *entry_id)
{
  GtkListBoxRow *row;

  g_return_val_if_fail (IMPRINT_IS_CREATE_PAGE (self), FALSE);

  for (guint i = 0; (row = gtk_list_box_get_row_at_index (self->recent_list, (int) i)) != NULL; i++) {
    TcHistoryEntry *entry = imprint_recent_image_row_get_entry (IMPRINT_RECENT_IMAGE_ROW (row));

    if (g_strcmp0 (tc_history_entry_get_record (entry)->id, entry_id) == 0)
      return TRUE;
  }
  return FALSE;
}

TcImageState
imprint_create_page_get_recent_state (ImprintCreatePage *self,
                                      const char        *name)
{
  GtkListBoxRow *row;

  g_return_val_if_fail (IMPRINT_IS_CREATE_PAGE (self), TC_IMAGE_STATE_UNKNOWN);

  for (guint i = 0; (row = gtk_list_box_get_row_at_index (self->recent_list, (int) i)) != NULL; i++) {
    TcHistoryEntry *entry = imprint_recent_image_row_get_entry (IMPRINT_RECENT_IMAGE_ROW (row));

    if (g_strcmp0 (tc_history_entry_get_record (entry)->image_name, name) == 0) {
      switch (tc_history_entry_get_record (entry)->outcome) {
      case TC_HISTORY_OUTCOME_CREATING:
        return TC_IMAGE_STATE_CREATING;
      case TC_HISTORY_OUTCOME_READY:
        return TC_IMAGE_STATE_NORMAL;
      case TC_HISTORY_OUTCOME_FAILED:
        return TC_IMAGE_STATE_CREATEFAILED;
      case TC_HISTORY_OUTCOME_DRY_RUN_PASSED:
      case TC_HISTORY_OUTCOME_DRY_RUN_FAILED:
      case TC_HISTORY_OUTCOME_REQUEST_FAILED:
      default:
        return TC_IMAGE_STATE_UNKNOWN;
      }
    }
  }
  return TC_IMAGE_STATE_UNKNOWN;
}

/* GObject. */

static void
imprint_create_page_constructed (GObject *object)
{
  ImprintCreatePage *self = IMPRINT_CREATE_PAGE (object);

  G_OBJECT_CLASS (imprint_create_page_parent_class)->constructed (object);

  self->constructed = TRUE;
  if (self->client != NULL) {
    apply_client (self);
  } else {
    _imprint_create_page_show_instance (self);
    _imprint_create_page_update_form (self);
  }
}

static void
imprint_create_page_dispose (GObject *object)
{
  ImprintCreatePage *self = IMPRINT_CREATE_PAGE (object);
  GtkWidget *child;

  if (self->preflight != NULL)
    g_signal_handlers_disconnect_by_data (self->preflight, self);
  g_clear_object (&self->draft);
  g_clear_object (&self->preflight);
  /* A Check or Create in flight is not cancelled: it may already be on the server, and
   * only its end records it (job_done_cb() finds the page gone). */
  g_clear_object (&self->job_cancellable);
  g_clear_object (&self->job);
  g_clear_object (&self->outcome);
  g_clear_weak_pointer (&self->focus_before);
  cancel_and_clear (&self->template_cancellable);
  if (self->history != NULL)
    g_signal_handlers_disconnect_by_func (self->history, _imprint_create_page_history_changed_cb, self);

  gtk_widget_dispose_template (GTK_WIDGET (self), IMPRINT_TYPE_CREATE_PAGE);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  g_clear_object (&self->client);
  g_clear_object (&self->history);

  G_OBJECT_CLASS (imprint_create_page_parent_class)->dispose (object);
}

static void
imprint_create_page_finalize (GObject *object)
{
  ImprintCreatePage *self = IMPRINT_CREATE_PAGE (object);

  g_free (self->region);
  g_free (self->account_name);
  g_free (self->account_id);
  g_free (self->attempt_id);
  g_strfreev (self->template_disk_ids);
  g_free (self->template_instance);
  g_free (self->disk_ids);
  g_free (self->name_message);
  g_free (self->description_message_text);
  g_free (self->instance_message_text);
  g_free (self->tags_message_text);
  g_free (self->quota_message);
  g_free (self->quota_text);
  g_free (self->problem);

  G_OBJECT_CLASS (imprint_create_page_parent_class)->finalize (object);
}

static void
imprint_create_page_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  ImprintCreatePage *self = IMPRINT_CREATE_PAGE (object);

  switch (prop_id) {
  case PROP_CLIENT:
    g_value_set_object (value, self->client);
    break;
  case PROP_REGION:
    g_value_set_string (value, self->region);
    break;
  case PROP_HISTORY:
    g_value_set_object (value, self->history);
    break;
  case PROP_ACCOUNT_NAME:
    g_value_set_string (value, self->account_name);
    break;
  case PROP_ACCOUNT_ID:
    g_value_set_string (value, self->account_id);
    break;
  case PROP_BUSY:
    g_value_set_boolean (value, self->job != NULL);
    break;
  case PROP_PROBLEM:
    g_value_set_string (value, self->problem);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
imprint_create_page_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  ImprintCreatePage *self = IMPRINT_CREATE_PAGE (object);

  switch (prop_id) {
  case PROP_CLIENT:
    imprint_create_page_set_client (self, g_value_get_object (value));
    break;
  case PROP_REGION:
    imprint_create_page_set_region (self, g_value_get_string (value));
    break;
  case PROP_HISTORY:
    imprint_create_page_set_history (self, g_value_get_object (value));
    break;
  case PROP_ACCOUNT_NAME:
    imprint_create_page_set_account_name (self, g_value_get_string (value));
    break;
  case PROP_ACCOUNT_ID:
    if (set_string (&self->account_id, g_value_get_string (value))) {
      g_clear_pointer (&self->attempt_id, g_free);
      g_object_notify_by_pspec (G_OBJECT (self), _imprint_create_page_properties[PROP_ACCOUNT_ID]);
    }
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
imprint_create_page_class_init (ImprintCreatePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  g_type_ensure (IMPRINT_TYPE_FACT_ROW);
  g_type_ensure (IMPRINT_TYPE_REGION_ROW);
  g_type_ensure (IMPRINT_TYPE_STATE_BADGE);

  object_class->constructed = imprint_create_page_constructed;
  object_class->dispose = imprint_create_page_dispose;
  object_class->finalize = imprint_create_page_finalize;
  object_class->get_property = imprint_create_page_get_property;
  object_class->set_property = imprint_create_page_set_property;

  _imprint_create_page_properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL,
                         TC_TYPE_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  _imprint_create_page_properties[PROP_REGION] =
    g_param_spec_string ("region", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  _imprint_create_page_properties[PROP_HISTORY] =
    g_param_spec_object ("history", NULL, NULL,
                         TC_TYPE_HISTORY,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  _imprint_create_page_properties[PROP_ACCOUNT_NAME] =
    g_param_spec_string ("account-name", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* The account's id (TcAccount:id): history entries follow the account, not its name. */
  _imprint_create_page_properties[PROP_ACCOUNT_ID] =
    g_param_spec_string ("account-id", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  _imprint_create_page_properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  _imprint_create_page_properties[PROP_PROBLEM] =
    g_param_spec_string ("problem", NULL, NULL,
                         NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, _imprint_create_page_properties);

  /**
   * ImprintCreatePage::toast:
   * @text: plain text (not markup) saying what happened
   */
  _imprint_create_page_signals[SIGNAL_TOAST] =
    g_signal_new ("toast",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  /**
   * ImprintCreatePage::image-finished:
   * @name: the image's name
   * @image_id: (nullable): its ID, when known
   * @ok: %TRUE when the image is ready, %FALSE when it failed
   * @entry_id: its history entry
   */
  _imprint_create_page_signals[SIGNAL_IMAGE_FINISHED] =
    g_signal_new ("image-finished",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 4, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_BOOLEAN, G_TYPE_STRING);

  /**
   * ImprintCreatePage::job-finished:
   * @job: a Check or Create that ended (SUCCEEDED or FAILED, never CANCELLED)
   *
   * What the window tells the user: tc_image_job_get_summary() is the toast, and
   * tc_image_job_get_entry() (when one was recorded) the details it offers.
   */
  _imprint_create_page_signals[SIGNAL_JOB_FINISHED] =
    g_signal_new ("job-finished",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, TC_TYPE_IMAGE_JOB);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/imprint/Imprint/imprint-create-page.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "imprintcreatepage");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);

  gtk_widget_class_bind_template_child (widget_class, ImprintCreatePage, form_box);
  gtk_widget_class_bind_template_child (widget_class, ImprintCreatePage, account_row);
  gtk_widget_class_bind_template_child (widget_class, ImprintCreatePage, region_row);
  gtk_widget_class_bind_template_child (widget_class, ImprintCreatePage, region_caption);
  gtk_widget_class_bind_template_child (widget_class, ImprintCreatePage, instance_row);
  gtk_widget_class_bind_template_child (widget_class, ImprintCreatePage, instance_badge);
  gtk_widget_class_bind_template_child (widget_class, ImprintCreatePage, choose_button);
  gtk_widget_class_bind_template_child (widget_class, ImprintCreatePage, instance_message);
  gtk_widget_class_bind_template_child (widget_class, ImprintCreatePage, name_row);
  gtk_widget_class_bind_template_child_full (widget_class, "name_message", FALSE,
                                             G_STRUCT_OFFSET (ImprintCreatePage, name_message_label));
  gtk_widget_class_bind_template_child (widget_class, ImprintCreatePage, description_row);
  gtk_widget_class_bind_template_child (widget_class, ImprintCreatePage, description_counter);
  gtk_widget_class_bind_template_child (widget_class, ImprintCreatePage, description_message);
  gtk_widget_class_bind_template_child (widget_class, ImprintCreatePage, options_group);
  gtk_widget_class_bind_template_child (widget_class, ImprintCreatePage, poweroff_row);
  gtk_widget_class_bind_template_child (widget_class, ImprintCreatePage, poweroff_check);
  gtk_widget_class_bind_template_child (widget_class, ImprintCreatePage, sysprep_row);
  gtk_widget_class_bind_template_child (widget_class, ImprintCreatePage, sysprep_check);
  gtk_widget_class_bind_template_child (widget_class, ImprintCreatePage, disks_group);
  gtk_widget_class_bind_template_child (widget_class, ImprintCreatePage, disks_list);
  gtk_widget_class_bind_template_child (widget_class, ImprintCreatePage, tags_group);
  gtk_widget_class_bind_template_child (widget_class, ImprintCreatePage, tags_list);
  gtk_widget_class_bind_template_child (widget_class, ImprintCreatePage, add_tag_button);
  gtk_widget_class_bind_template_child (widget_class, ImprintCreatePage, tags_message);
  gtk_widget_class_bind_template_child (widget_class, ImprintCreatePage, free_quota_button);
  gtk_widget_class_bind_template_child_full (widget_class, "quota_row", FALSE,
                                             G_STRUCT_OFFSET (ImprintCreatePage, quota_fact));
  gtk_widget_class_bind_template_child_full (widget_class, "name_fact_row", FALSE,
                                             G_STRUCT_OFFSET (ImprintCreatePage, name_fact));
  gtk_widget_class_bind_template_child_full (widget_class, "instance_fact_row", FALSE,
                                             G_STRUCT_OFFSET (ImprintCreatePage, instance_fact));
  gtk_widget_class_bind_template_child (widget_class, ImprintCreatePage, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, ImprintCreatePage, outcome_box);
  gtk_widget_class_bind_template_child (widget_class, ImprintCreatePage, outcome_icon);
  gtk_widget_class_bind_template_child (widget_class, ImprintCreatePage, outcome_label);
  gtk_widget_class_bind_template_child (widget_class, ImprintCreatePage, result_message);
  gtk_widget_class_bind_template_child (widget_class, ImprintCreatePage, problem_label);
  gtk_widget_class_bind_template_child (widget_class, ImprintCreatePage, check_button);
  gtk_widget_class_bind_template_child (widget_class, ImprintCreatePage, check_stack);
  gtk_widget_class_bind_template_child (widget_class, ImprintCreatePage, check_spinner);
  gtk_widget_class_bind_template_child (widget_class, ImprintCreatePage, create_button);
  gtk_widget_class_bind_template_child (widget_class, ImprintCreatePage, create_stack);
  gtk_widget_class_bind_template_child (widget_class, ImprintCreatePage, create_spinner);
  gtk_widget_class_bind_template_child (widget_class, ImprintCreatePage, recent_group);
  gtk_widget_class_bind_template_child (widget_class, ImprintCreatePage, recent_list);
  gtk_widget_class_bind_template_child (widget_class, ImprintCreatePage, batch_list);

  gtk_widget_class_bind_template_callback_full (widget_class, "name_changed_cb",
                                                G_CALLBACK (_imprint_create_page_name_changed_cb));
  gtk_widget_class_bind_template_callback_full (widget_class, "name_left_cb",
                                                G_CALLBACK (_imprint_create_page_name_left_cb));
  gtk_widget_class_bind_template_callback_full (widget_class, "description_changed_cb",
                                                G_CALLBACK (_imprint_create_page_description_changed_cb));
  gtk_widget_class_bind_template_callback_full (widget_class, "option_changed_cb",
                                                G_CALLBACK (_imprint_create_page_option_changed_cb));
  gtk_widget_class_bind_template_callback_full (widget_class, "quota_retry_cb",
                                                G_CALLBACK (_imprint_create_page_quota_retry_cb));
  gtk_widget_class_bind_template_callback_full (widget_class, "name_retry_cb",
                                                G_CALLBACK (_imprint_create_page_name_retry_cb));
  gtk_widget_class_bind_template_callback_full (widget_class, "instance_retry_cb",
                                                G_CALLBACK (_imprint_create_page_instance_retry_cb));

  gtk_widget_class_install_action (widget_class, "create-page.create", NULL, _imprint_create_page_create_action);
  gtk_widget_class_install_action (widget_class, "create-page.check", NULL, _imprint_create_page_check_action);
  gtk_widget_class_install_action (widget_class, "create-page.cancel", NULL, _imprint_create_page_cancel_action);
  gtk_widget_class_install_action (widget_class, "create-page.choose-instance", NULL,
                                   _imprint_create_page_choose_instance_action);
  gtk_widget_class_install_action (widget_class, "create-page.add-tag", NULL, _imprint_create_page_add_tag_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK,
                                       "create-page.create", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, GDK_CONTROL_MASK,
                                       "create-page.create", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_ISO_Enter, GDK_CONTROL_MASK,
                                       "create-page.create", NULL);
}

static void
imprint_create_page_init (ImprintCreatePage *self)
{
  self->protocol = TC_PROTOCOL_API3;
  self->preflight = tc_preflight_new (NULL, NULL);
  self->draft = tc_image_draft_new (self->preflight);
  g_signal_connect_object (self->preflight, "notify", G_CALLBACK (_imprint_create_page_preflight_notify_cb), self,
                           G_CONNECT_SWAPPED);

  gtk_widget_init_template (GTK_WIDGET (self));
  imprint_a11y_name_buttons (GTK_WIDGET (self));
  imprint_a11y_watch_toasts (GTK_WIDGET (self->toast_overlay));

  /* Leaving the name field settles the name (a word in progress becomes the name). */
  {
    GtkEventController *focus = gtk_event_controller_focus_new ();

    g_signal_connect_object (focus, "leave", G_CALLBACK (_imprint_create_page_name_left_cb), self, G_CONNECT_SWAPPED);
    gtk_widget_add_controller (GTK_WIDGET (self->name_row), focus);
  }

  g_signal_connect_object (self->region_row, "notify::region", G_CALLBACK (region_chosen_cb), self,
                           G_CONNECT_SWAPPED);
  g_object_bind_property (self->region_row, "builtin", self->region_caption, "visible",
                          G_BINDING_SYNC_CREATE);

  /* The check buttons are named by their rows (libadwaita relates them) and Add Tag by its
   * label; the Choose button would be named "Choose… Instance" (its label and its row's
   * title run together in GTK 4.8): it is named as it reads, its row says what for. */
  gtk_accessible_reset_relation (GTK_ACCESSIBLE (self->choose_button),
                                 GTK_ACCESSIBLE_RELATION_LABELLED_BY);
  label_widget (GTK_WIDGET (self->choose_button), _("Choose…"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->choose_button),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  _("Choose the instance to make the image from"),
                                  -1);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (self->tags_list),
                                  GTK_ACCESSIBLE_RELATION_LABELLED_BY, self->tags_group, NULL,
                                  -1);
}

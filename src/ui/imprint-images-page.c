/* imprint-images-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The custom images of the current account in the current region: what fills the quota,
 * and what a person deletes to make room. A region holds at most a few hundred custom
 * images, so the page lists them all (every page of DescribeImages) in a GtkListBox, with
 * the quota beside them, and filters and sorts in memory.
 *
 * Copying a ready image to other regions is ImprintCopyDialog's; the copies are followed
 * in the History like any image.
 *
 * Deleting is destructive and cannot be undone, so it goes in three steps: the user ticks
 * images (an image being made, copied or imported cannot be ticked, and its row says why),
 * a dry run asks Tencent whether the deletion would succeed, and only then a dialog names
 * the images and asks, with an option to delete their snapshots too. What the server says
 * when it refuses stays under the list until the next attempt.
 *
 * A legacy (API 2.0) account sees its images and is told plainly that its protocol cannot
 * delete or copy them.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "imprint-a11y.h"
#include "imprint-copy-dialog.h"
#include "imprint-image-row.h"
#include "imprint-images-page-private.h"
#include "tc-cvm.h"
#include "tc-places.h"

/* The dialog names this many images, then says how many more. */
#define NAMES_SHOWN 5

/* The orders of the Sort menu, as its action names them. */
#define SORT_NEWEST  "newest"
#define SORT_OLDEST  "oldest"
#define SORT_NAME    "name"
#define SORT_LARGEST "largest"

struct _ImprintImagesPage
{
  GtkWidget           parent_instance;

  TcClient           *client;
  char               *region;
  TcHistory          *history;      /* where copies are recorded; nullable */
  char               *account_id;
  char               *account_name;
  gboolean            stale;        /* the client, the region or its images changed since
                                     * the last listing */
  GCancellable       *cancellable;  /* the listing and the quota */
  GCancellable       *deleting;     /* the dry run or the deletion */
  guint               pending;
  GError             *list_error;
  guint               quota;
  gboolean            quota_known;
  char               *quota_text;
  char               *problem;

  GListStore         *images;
  GtkCustomFilter    *filter;
  GtkCustomSorter    *sorter;
  GtkSortListModel   *shown;
  char               *needle;       /* the search, case-folded; NULL when empty */
  char               *sort_order;   /* one of the SORT_ names */
  GHashTable         *chosen;       /* image id → TcImage */
  GHashTable         *sources;      /* image id → its instance, as the history knows it */
  GPtrArray          *to_delete;    /* (element-type TcImage): what the dry run passed */
  GtkWidget          *confirmation; /* the question before deleting them, while it is open */

  GtkWidget          *box;
  GtkSearchEntry     *search_entry;
  GtkButton          *refresh_button;
  GtkLabel           *quota_label;
  GtkLabel           *legacy_label;
  AdwToastOverlay    *toast_overlay;
  GtkStack           *stack;
  GtkSpinner         *spinner;
  GtkListBox         *list_box;
  AdwStatusPage      *error_page;
  GtkLabel           *problem_label;
  GtkActionBar       *action_bar;
  GtkLabel           *chosen_label;
  GtkButton          *copy_button;
  GtkButton          *delete_button;
};

G_DEFINE_FINAL_TYPE (ImprintImagesPage, imprint_images_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_REGION,
  PROP_SORT_ORDER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_TOAST,
  SIGNAL_IMAGES_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void update (ImprintImagesPage *self);

static gboolean
can_change (ImprintImagesPage *self)
{
  return self->client != NULL && tc_client_get_protocol (self->client) == TC_PROTOCOL_API3;
}

static gboolean
is_cancelled (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
set_problem (ImprintImagesPage *self,
             const char        *problem)
{
  g_free (self->problem);
  self->problem = g_strdup (problem);
  gtk_label_set_text (self->problem_label, problem ? problem : "");
  gtk_widget_set_visible (GTK_WIDGET (self->problem_label), problem != NULL);
}

/* Search and sort */

static gboolean
contains_folded (const char *text,
                 const char *needle)
{
  g_autofree char *folded = NULL;

  if (text == NULL)
    return FALSE;
  folded = g_utf8_casefold (text, -1);
  return strstr (folded, needle) != NULL;
}

static gboolean
filter_func (gpointer item,
             gpointer user_data)
{
  ImprintImagesPage *self = user_data;
  TcImage *image = item;

  if (self->needle == NULL)
    return TRUE;
  return contains_folded (tc_image_get_name (image), self->needle) ||
         contains_folded (tc_image_get_id (image), self->needle) ||
         contains_folded (tc_image_get_os_name (image), self->needle);
}

static int
compare_created (TcImage *a,
                 TcImage *b)
{
  GDateTime *ta = tc_image_get_created (a);
  GDateTime *tb = tc_image_get_created (b);

  if (ta == NULL || tb == NULL)
    return (ta == NULL) - (tb == NULL);
  return g_date_time_compare (ta, tb);
}

static int
sort_func (gconstpointer a,
           gconstpointer b,
           gpointer      user_data)
{
  ImprintImagesPage *self = user_data;
  TcImage *ia = (TcImage *) a, *ib = (TcImage *) b;
  int order = 0;

  if (g_str_equal (self->sort_order, SORT_OLDEST))
    order = compare_created (ia, ib);
  else if (g_str_equal (self->sort_order, SORT_NAME))
    order = g_utf8_collate (tc_image_get_name (ia) ? tc_image_get_name (ia) : "",
                            tc_image_get_name (ib) ? tc_image_get_name (ib) : "");
  else if (g_str_equal (self->sort_order, SORT_LARGEST))
    order = (tc_image_get_size_gb (ia) < tc_image_get_size_gb (ib)) -
            (tc_image_get_size_gb (ia) > tc_image_get_size_gb (ib));
  else
    order = -compare_created (ia, ib);
  /* The same order every time, whatever the server's. */
  return order != 0 ? order : g_strcmp0 (tc_image_get_id (ia), tc_image_get_id (ib));
}

static void
search_changed_cb (ImprintImagesPage *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autofree char *stripped = g_strstrip (g_strdup (text));

  g_clear_pointer (&self->needle, g_free);
  if (*stripped != '\0')
    self->needle = g_utf8_casefold (stripped, -1);
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  update (self);
}

static void
stop_search_cb (ImprintImagesPage *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
}

static void
set_sort_order (ImprintImagesPage *self,
                const char        *order)
{
  if (order == NULL || g_strcmp0 (self->sort_order, order) == 0)
    return;
  if (!g_str_equal (order, SORT_NEWEST) && !g_str_equal (order, SORT_OLDEST) &&
      !g_str_equal (order, SORT_NAME) && !g_str_equal (order, SORT_LARGEST))
    return;
  g_free (self->sort_order);
  self->sort_order = g_strdup (order);
  if (self->sorter != NULL)
    gtk_sorter_changed (GTK_SORTER (self->sorter), GTK_SORTER_CHANGE_DIFFERENT);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SORT_ORDER]);
}

/* Rows */

static void
row_toggled_cb (ImprintImageRow *row,
                gboolean         chosen,
                gpointer         user_data)
{
  ImprintImagesPage *self = user_data;
  TcImage *image = imprint_image_row_get_image (row);

  if (chosen)
    g_hash_table_replace (self->chosen, g_strdup (tc_image_get_id (image)), g_object_ref (image));
  else
    g_hash_table_remove (self->chosen, tc_image_get_id (image));
  update (self);
}

static GtkWidget *
create_row (gpointer item,
            gpointer user_data)
{
  ImprintImagesPage *self = user_data;
  TcImage *image = item;
  const char *source = self->sources ? g_hash_table_lookup (self->sources, tc_image_get_id (image))
                                     : NULL;
  GtkWidget *row = imprint_image_row_new (image, source, can_change (self),
                                          g_hash_table_contains (self->chosen,
                                                                 tc_image_get_id (image)));

  g_signal_connect_object (row, "toggled", G_CALLBACK (row_toggled_cb), self, 0);
  return row;
}

/* What the page shows */

static void
update_quota (ImprintImagesPage *self)
{
  guint used = g_list_model_get_n_items (G_LIST_MODEL (self->images));
  const char *place = self->region ? tc_places_region_name (self->region) : NULL;

  g_clear_pointer (&self->quota_text, g_free);
  if (self->pending == 0 && self->list_error == NULL && self->quota_known)
    /* Translators: the custom-image quota of a region: images there, of how many
     * allowed, and the region's name. */
    self->quota_text = g_strdup_printf (ngettext ("%u of %u custom image used in %s",
                                                  "%u of %u custom images used in %s", used),
                                        used, self->quota, place ? place : self->region);
  else if (self->pending == 0 && self->list_error == NULL)
    self->quota_text = g_strdup_printf (ngettext ("%u custom image in %s",
                                                  "%u custom images in %s", used),
                                        used, place ? place : self->region);
  gtk_label_set_text (self->quota_label, self->quota_text ? self->quota_text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->quota_label), self->quota_text != NULL);
}

/* The one ticked image, when it can be copied: Tencent copies a ready image, one per
 * request. */
static TcImage *
copyable (ImprintImagesPage *self)
{
  GHashTableIter iter;
  gpointer value;

  if (g_hash_table_size (self->chosen) != 1)
    return NULL;
  g_hash_table_iter_init (&iter, self->chosen);
  g_hash_table_iter_next (&iter, NULL, &value);
  return tc_image_get_state (value) == TC_IMAGE_STATE_NORMAL ? value : NULL;
}

static void
update (ImprintImagesPage *self)
{
  guint n_chosen = g_hash_table_size (self->chosen);
  gboolean busy = self->deleting != NULL;
  g_autofree char *chosen_text = NULL;
  const char *view;

  /* Without a client the keyring has not answered yet: nothing is known, not "none". */
  if ((self->pending > 0 || self->client == NULL) &&
      g_list_model_get_n_items (G_LIST_MODEL (self->images)) == 0)
    view = "loading";
  else if (self->list_error != NULL)
    view = "error";
  else if (g_list_model_get_n_items (G_LIST_MODEL (self->images)) == 0)
    view = "empty";
  else if (g_list_model_get_n_items (G_LIST_MODEL (self->shown)) == 0)
    view = "no-results";
  else
    view = "list";
  gtk_stack_set_visible_child_name (self->stack, view);
  gtk_spinner_set_spinning (self->spinner, g_str_equal (view, "loading"));
  if (self->list_error != NULL) {
    /* A status page's description is markup; the server's words are shown as they are. */
    g_autofree char *escaped = g_markup_escape_text (self->list_error->message, -1);

    adw_status_page_set_description (self->error_page, escaped);
  }

  update_quota (self);
  gtk_widget_set_visible (GTK_WIDGET (self->legacy_label),
                          self->client != NULL && !can_change (self));
  gtk_widget_set_visible (GTK_WIDGET (self->action_bar), can_change (self));
  gtk_widget_set_sensitive (GTK_WIDGET (self->refresh_button), self->client != NULL && !busy);

  if (busy)
    chosen_text = g_strdup (_("Asking Tencent Cloud…"));
  else if (n_chosen > 0)
    chosen_text = g_strdup_printf (ngettext ("%u image chosen", "%u images chosen", n_chosen),
                                   n_chosen);
  else
    /* Ticked images are deleted, or one is copied to other regions. */
    chosen_text = g_strdup (_("Tick images to copy or delete"));
  gtk_label_set_text (self->chosen_label, chosen_text);
  gtk_widget_set_sensitive (GTK_WIDGET (self->delete_button), n_chosen > 0 && !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->copy_button), copyable (self) != NULL && !busy);
  imprint_set_tooltip (GTK_WIDGET (self->copy_button),
                       n_chosen > 1 ? _("Copy one image at a time") :
                       n_chosen == 1 && copyable (self) == NULL ?
                       _("Only a ready image can be copied") : NULL);
}

/* Listing */

static void
listing_done (ImprintImagesPage *self)
{
  if (--self->pending > 0)
    return;
  update (self);
}

static void
list_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(ImprintImagesPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) images = tc_cvm_list_custom_images_finish (TC_CLIENT (object), result, &error);
  g_autoptr(GHashTable) chosen = NULL;
  g_autoptr(GPtrArray) all = NULL;
  guint n;

  if (images == NULL && is_cancelled (error))
    return;

  if (images == NULL) {
    self->list_error = g_steal_pointer (&error);
    g_list_store_remove_all (self->images);
    listing_done (self);
    return;
  }

  /* What was ticked stays ticked while it is there and can still be deleted, with the
   * state it has now. */
  n = g_list_model_get_n_items (images);
  chosen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  all = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < n; i++) {
    TcImage *image = g_list_model_get_item (images, i);

    if (g_hash_table_contains (self->chosen, tc_image_get_id (image)) &&
        tc_image_state_blocks_delete (tc_image_get_state (image)) == NULL)
      g_hash_table_insert (chosen, g_strdup (tc_image_get_id (image)), g_object_ref (image));
    g_ptr_array_add (all, image);
  }
  g_hash_table_unref (self->chosen);
  self->chosen = g_steal_pointer (&chosen);

  /* The instance each image came from, when this history made it. */
  g_clear_pointer (&self->sources, g_hash_table_unref);
  if (self->history != NULL)
    self->sources = tc_history_dup_image_sources (self->history, self->region);
  /* One change for the whole listing: the list makes its rows once. */
  g_list_store_splice (self->images, 0, g_list_model_get_n_items (G_LIST_MODEL (self->images)),
                       all->pdata, all->len);
  listing_done (self);
}

static void
quota_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(ImprintImagesPage) self = user_data;
  g_autoptr(GError) error = NULL;
  guint quota = 0;

  if (!tc_cvm_get_image_quota_finish (TC_CLIENT (object), result, &quota, &error) &&
      is_cancelled (error))
    return;

  /* Without the quota the list is still worth showing: the count stands alone. */
  self->quota_known = error == NULL;
  self->quota = quota;
  listing_done (self);
}

/**
 * imprint_images_page_refresh:
 *
 * Lists the region's images and its quota again; what is shown stays until they arrive.
 */
void
imprint_images_page_refresh (ImprintImagesPage *self)
{
  g_return_if_fail (IMPRINT_IS_IMAGES_PAGE (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_error (&self->list_error);
  self->stale = FALSE;
  self->pending = 0;

  if (self->client == NULL || self->region == NULL) {
    g_list_store_remove_all (self->images);
    update (self);
    return;
  }

  self->cancellable = g_cancellable_new ();
  self->pending = 2;
  tc_cvm_list_custom_images_async (self->client, self->region, self->cancellable, list_cb,
                                   g_object_ref (self));
  tc_cvm_get_image_quota_async (self->client, self->region, self->cancellable, quota_cb,
                                g_object_ref (self));
  update (self);
}

static void
refresh_cb (ImprintImagesPage *self)
{
  imprint_images_page_refresh (self);
}

/* The question before deleting goes unanswered: what it asked about is gone. */
static void
close_confirmation (ImprintImagesPage *self)
{
  GtkWidget *dialog = g_steal_pointer (&self->confirmation);

  g_ptr_array_set_size (self->to_delete, 0);
  if (dialog == NULL)
    return;
  g_object_remove_weak_pointer (G_OBJECT (dialog), (gpointer *) &self->confirmation);
  gtk_window_destroy (GTK_WINDOW (dialog));
}

/* Another client or region: what is shown is of no use any more, and a confirmation open
 * for images of the other one must not send their IDs with this one. */
static void
forget (ImprintImagesPage *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_cancellable_cancel (self->deleting);
  g_clear_object (&self->deleting);
  close_confirmation (self);
  g_clear_error (&self->list_error);
  self->pending = 0;
  self->quota_known = FALSE;
  g_hash_table_remove_all (self->chosen);
  g_list_store_remove_all (self->images);
  set_problem (self, NULL);
  self->stale = TRUE;
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    imprint_images_page_refresh (self);
  else
    update (self);
}

static void
imprint_images_page_map (GtkWidget *widget)
{
  ImprintImagesPage *self = IMPRINT_IMAGES_PAGE (widget);

  GTK_WIDGET_CLASS (imprint_images_page_parent_class)->map (widget);
  if (self->stale)
    imprint_images_page_refresh (self);
}

/* Deleting */

static char *
join_names (GPtrArray *images)
{
  GString *names = g_string_new (NULL);
  guint shown = MIN (images->len, NAMES_SHOWN);

  for (guint i = 0; i < shown; i++) {
    TcImage *image = images->pdata[i];
    const char *name = tc_image_get_name (image);

    if (i > 0)
      /* Translators: between the names of images in a list. */
      g_string_append (names, _(", "));
    /* Translators: an image's name, quoted. */
    g_string_append_printf (names, _("“%s”"), name && *name ? name : tc_image_get_id (image));
  }
  if (images->len > shown) {
    guint more = images->len - shown;

    g_string_append (names, _(", "));
    g_string_append_printf (names, ngettext ("and %u more", "and %u more", more), more);
  }
  return g_string_free (names, FALSE);
}

static GStrv
ids_of (GPtrArray *images)
{
  g_autoptr(GStrvBuilder) ids = g_strv_builder_new ();

  for (guint i = 0; i < images->len; i++)
    g_strv_builder_add (ids, tc_image_get_id (images->pdata[i]));
  return g_strv_builder_end (ids);
}

/* A deletion sent: it is not cancelled when the page turns to another region or account
 * (the server may have done it already), and its outcome is told either way. */
typedef struct {
  ImprintImagesPage *self;
  TcClient          *client;
  char              *region;
  GCancellable      *cancellable;   /* the page's "deleting" while it was sent */
  guint              n;
} Deletion;

static void
deletion_free (Deletion *deletion)
{
  g_object_unref (deletion->self);
  g_object_unref (deletion->client);
  g_free (deletion->region);
  g_object_unref (deletion->cancellable);
  g_free (deletion);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Deletion, deletion_free)

static void
deleted_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(Deletion) deletion = user_data;
  ImprintImagesPage *self = deletion->self;
  gboolean shown = self->client == deletion->client &&
                   g_strcmp0 (self->region, deletion->region) == 0;
  const char *region = tc_places_region_name (deletion->region);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  guint n = deletion->n;

  if (!tc_cvm_delete_images_finish (TC_CLIENT (object), result, NULL, &error) &&
      is_cancelled (error))
    return;

  if (self->deleting == deletion->cancellable) {
    g_clear_object (&self->deleting);
    g_ptr_array_set_size (self->to_delete, 0);
  }
  /* The window went meanwhile: nobody is left to tell. */
  if (gtk_widget_get_root (GTK_WIDGET (self)) == NULL)
    return;
  if (error != NULL && shown) {
    set_problem (self, error->message);
    imprint_images_page_refresh (self);
    return;
  }

  if (error != NULL)
    /* Translators: %s is a region's name, then the server's reason. */
    text = g_strdup_printf (_("Images in %s were not deleted: %s"), region, error->message);
  else if (shown)
    text = g_strdup_printf (ngettext ("%u image deleted", "%u images deleted", n), n);
  else
    /* Translators: %s is a region's name; the page shows another region now. */
    text = g_strdup_printf (ngettext ("%u image deleted in %s", "%u images deleted in %s", n),
                            n, region);
  g_signal_emit (self, signals[SIGNAL_TOAST], 0, text);
  if (error != NULL)
    return;
  g_signal_emit (self, signals[SIGNAL_IMAGES_CHANGED], 0);
  if (shown) {
    g_hash_table_remove_all (self->chosen);
    imprint_images_page_refresh (self);
  }
}

static void
confirm_response_cb (AdwMessageDialog  *dialog,
                     const char        *response,
                     ImprintImagesPage *self)
{
  GtkCheckButton *snapshots = GTK_CHECK_BUTTON (adw_message_dialog_get_extra_child (dialog));
  g_auto(GStrv) ids = NULL;
  Deletion *deletion;

  if (self->deleting != NULL)
    return;
  if (!g_str_equal (response, "delete") || self->client == NULL || self->to_delete->len == 0) {
    g_ptr_array_set_size (self->to_delete, 0);
    update (self);
    return;
  }

  ids = ids_of (self->to_delete);
  self->deleting = g_cancellable_new ();
  deletion = g_new0 (Deletion, 1);
  deletion->self = g_object_ref (self);
  deletion->client = g_object_ref (self->client);
  deletion->region = g_strdup (self->region);
  deletion->cancellable = g_object_ref (self->deleting);
  deletion->n = self->to_delete->len;
  tc_cvm_delete_images_async (self->client, self->region, (const char * const *) ids,
                              gtk_check_button_get_active (snapshots), FALSE, NULL,
                              deleted_cb, deletion);
  update (self);
}

static void
confirm (ImprintImagesPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  guint n = self->to_delete->len;
  g_autofree char *heading = NULL;
  g_autofree char *names = join_names (self->to_delete);
  g_autofree char *body = NULL;
  GtkWidget *dialog, *snapshots;

  heading = g_strdup_printf (ngettext ("Delete %u Image?", "Delete %u Images?", n), n);
  /* Translators: %s is a list of image names. */
  body = g_strdup_printf (ngettext ("%s is deleted for good and frees its place in the quota. "
                                    "Instances already made from it keep running.",
                                    "%s are deleted for good and free their places in the "
                                    "quota. Instances already made from them keep running.", n),
                          names);
  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, heading, body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "delete", _("_Delete"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "delete",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  snapshots = gtk_check_button_new_with_label (ngettext ("Also delete its snapshots",
                                                            "Also delete their snapshots", n));
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), snapshots);
  g_signal_connect_object (dialog, "response", G_CALLBACK (confirm_response_cb), self, 0);
  self->confirmation = dialog;
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &self->confirmation);
  imprint_a11y_name_buttons (GTK_WIDGET (dialog));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
dry_run_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(ImprintImagesPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!tc_cvm_delete_images_finish (TC_CLIENT (object), result, NULL, &error) &&
      is_cancelled (error))
    return;

  g_clear_object (&self->deleting);
  if (error != NULL) {
    g_ptr_array_set_size (self->to_delete, 0);
    set_problem (self, error->message);
    update (self);
    return;
  }
  update (self);
  confirm (self);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  TcImage *ia = *(TcImage **) a, *ib = *(TcImage **) b;

  return g_utf8_collate (tc_image_get_name (ia) ? tc_image_get_name (ia) : "",
                         tc_image_get_name (ib) ? tc_image_get_name (ib) : "");
}

static void
delete_cb (ImprintImagesPage *self)
{
  g_auto(GStrv) ids = NULL;
  GHashTableIter iter;
  gpointer value;

  if (self->client == NULL || self->deleting != NULL || g_hash_table_size (self->chosen) == 0)
    return;

  g_ptr_array_set_size (self->to_delete, 0);
  g_hash_table_iter_init (&iter, self->chosen);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_ptr_array_add (self->to_delete, g_object_ref (value));
  g_ptr_array_sort (self->to_delete, compare_names);

  set_problem (self, NULL);
  ids = ids_of (self->to_delete);
  self->deleting = g_cancellable_new ();
  tc_cvm_delete_images_async (self->client, self->region, (const char * const *) ids, FALSE, TRUE,
                              self->deleting, dry_run_cb, g_object_ref (self));
  update (self);
}

/* Copying */

static void
copy_toast_cb (ImprintImagesPage *self,
               const char        *text)
{
  g_signal_emit (self, signals[SIGNAL_TOAST], 0, text);
}

static void
copy_cb (ImprintImagesPage *self)
{
  TcImage *image = copyable (self);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  ImprintCopyDialog *dialog;

  if (image == NULL || self->client == NULL)
    return;

  dialog = imprint_copy_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, self->client,
                                    self->history, self->account_id, self->account_name,
                                    self->region, tc_image_get_id (image),
                                    tc_image_get_name (image));
  g_signal_connect_object (dialog, "toast", G_CALLBACK (copy_toast_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* GObject */

static void
imprint_images_page_dispose (GObject *object)
{
  ImprintImagesPage *self = IMPRINT_IMAGES_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_cancellable_cancel (self->deleting);
  g_clear_object (&self->deleting);
  if (self->to_delete != NULL)
    close_confirmation (self);
  if (self->history != NULL)
    g_signal_handlers_disconnect_by_data (self->history, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), IMPRINT_TYPE_IMAGES_PAGE);
  g_clear_object (&self->client);
  g_clear_object (&self->history);
  g_clear_object (&self->shown);
  g_clear_object (&self->images);
  g_clear_pointer (&self->chosen, g_hash_table_unref);
  g_clear_pointer (&self->sources, g_hash_table_unref);
  g_clear_pointer (&self->to_delete, g_ptr_array_unref);

  G_OBJECT_CLASS (imprint_images_page_parent_class)->dispose (object);
}

static void
imprint_images_page_finalize (GObject *object)
{
  ImprintImagesPage *self = IMPRINT_IMAGES_PAGE (object);

  g_free (self->region);
  g_free (self->account_id);
  g_free (self->account_name);
  g_free (self->needle);
  g_free (self->sort_order);
  g_free (self->quota_text);
  g_free (self->problem);
  g_clear_error (&self->list_error);

  G_OBJECT_CLASS (imprint_images_page_parent_class)->finalize (object);
}

static void
imprint_images_page_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  ImprintImagesPage *self = IMPRINT_IMAGES_PAGE (object);

  switch (prop_id) {
  case PROP_CLIENT:
    g_value_set_object (value, self->client);
    break;
  case PROP_REGION:
    g_value_set_string (value, self->region);
    break;
  case PROP_SORT_ORDER:
    g_value_set_string (value, self->sort_order);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
imprint_images_page_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  ImprintImagesPage *self = IMPRINT_IMAGES_PAGE (object);

  switch (prop_id) {
  case PROP_CLIENT:
    imprint_images_page_set_client (self, g_value_get_object (value));
    break;
  case PROP_REGION:
    imprint_images_page_set_region (self, g_value_get_string (value));
    break;
  case PROP_SORT_ORDER:
    set_sort_order (self, g_value_get_string (value));
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
imprint_images_page_class_init (ImprintImagesPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = imprint_images_page_dispose;
  object_class->finalize = imprint_images_page_finalize;
  object_class->get_property = imprint_images_page_get_property;
  object_class->set_property = imprint_images_page_set_property;
  widget_class->map = imprint_images_page_map;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, TC_TYPE_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_REGION] =
    g_param_spec_string ("region", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* "newest", "oldest", "name" or "largest": the Sort menu's images.sort action. */
  properties[PROP_SORT_ORDER] =
    g_param_spec_string ("sort-order", NULL, NULL, SORT_NEWEST,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
  gtk_widget_class_install_property_action (widget_class, "images.sort", "sort-order");

  signals[SIGNAL_TOAST] = g_signal_new ("toast", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                        0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[SIGNAL_IMAGES_CHANGED] = g_signal_new ("images-changed", G_TYPE_FROM_CLASS (klass),
                                                 G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                                 G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/imprint/Imprint/imprint-images-page.ui");
  gtk_widget_class_bind_template_child (widget_class, ImprintImagesPage, box);
  gtk_widget_class_bind_template_child (widget_class, ImprintImagesPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, ImprintImagesPage, refresh_button);
  gtk_widget_class_bind_template_child (widget_class, ImprintImagesPage, quota_label);
  gtk_widget_class_bind_template_child (widget_class, ImprintImagesPage, legacy_label);
  gtk_widget_class_bind_template_child (widget_class, ImprintImagesPage, stack);
  gtk_widget_class_bind_template_child (widget_class, ImprintImagesPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, ImprintImagesPage, list_box);
  gtk_widget_class_bind_template_child (widget_class, ImprintImagesPage, error_page);
  gtk_widget_class_bind_template_child (widget_class, ImprintImagesPage, problem_label);
  gtk_widget_class_bind_template_child (widget_class, ImprintImagesPage, action_bar);
  gtk_widget_class_bind_template_child (widget_class, ImprintImagesPage, chosen_label);
  gtk_widget_class_bind_template_child (widget_class, ImprintImagesPage, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, ImprintImagesPage, copy_button);
  gtk_widget_class_bind_template_child (widget_class, ImprintImagesPage, delete_button);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, stop_search_cb);
  gtk_widget_class_bind_template_callback (widget_class, refresh_cb);
  gtk_widget_class_bind_template_callback (widget_class, delete_cb);
  gtk_widget_class_bind_template_callback (widget_class, copy_cb);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
imprint_images_page_init (ImprintImagesPage *self)
{
  GtkFilterListModel *filtered;

  /* Before the template: its Sort menu reads the order at once. */
  self->sort_order = g_strdup (SORT_NEWEST);
  gtk_widget_init_template (GTK_WIDGET (self));
  imprint_a11y_watch_toasts (GTK_WIDGET (self->toast_overlay));

  self->stale = TRUE;
  self->chosen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->to_delete = g_ptr_array_new_with_free_func (g_object_unref);
  self->images = g_list_store_new (TC_TYPE_IMAGE);
  self->filter = gtk_custom_filter_new (filter_func, self, NULL);
  self->sorter = gtk_custom_sorter_new (sort_func, self, NULL);
  filtered = gtk_filter_list_model_new (G_LIST_MODEL (g_object_ref (self->images)),
                                        GTK_FILTER (self->filter));
  self->shown = gtk_sort_list_model_new (G_LIST_MODEL (filtered), GTK_SORTER (self->sorter));
  gtk_list_box_bind_model (self->list_box, G_LIST_MODEL (self->shown), create_row, self, NULL);
  g_signal_connect_object (self->shown, "items-changed", G_CALLBACK (update), self,
                           G_CONNECT_SWAPPED);
  update (self);
}

/* Public API */

TcClient *
imprint_images_page_get_client (ImprintImagesPage *self)
{
  g_return_val_if_fail (IMPRINT_IS_IMAGES_PAGE (self), NULL);

  return self->client;
}

void
imprint_images_page_set_client (ImprintImagesPage *self,
                                TcClient          *client)
{
  g_return_if_fail (IMPRINT_IS_IMAGES_PAGE (self));
  g_return_if_fail (client == NULL || TC_IS_CLIENT (client));

  if (!g_set_object (&self->client, client))
    return;
  forget (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT]);
}

/**
 * imprint_images_page_set_account:
 * @history: (nullable): where copies are recorded
 *
 * The account the page's client speaks for, by id and name, as the history records it.
 */
/* An image of this region was made, copied here or has moved on (from the form, a batch,
 * the tracker): the listing is looked at again when the view is next shown. */
static void
recorded_cb (ImprintImagesPage *self,
             TcHistoryEntry    *entry)
{
  const TcHistoryRecord *r = tc_history_entry_get_record (entry);

  if (r->kind != TC_HISTORY_KIND_CHECK && g_strcmp0 (r->region, self->region) == 0 &&
      g_strcmp0 (r->account_id, self->account_id) == 0)
    self->stale = TRUE;
}

void
imprint_images_page_set_account (ImprintImagesPage *self,
                                 TcHistory         *history,
                                 const char        *account_id,
                                 const char        *account_name)
{
  g_return_if_fail (IMPRINT_IS_IMAGES_PAGE (self));

  if (self->history != NULL)
    g_signal_handlers_disconnect_by_data (self->history, self);
  g_set_object (&self->history, history);
  if (history != NULL)
    g_signal_connect_swapped (history, "recorded", G_CALLBACK (recorded_cb), self);
  g_free (self->account_id);
  self->account_id = g_strdup (account_id);
  g_free (self->account_name);
  self->account_name = g_strdup (account_name);
}

const char *
imprint_images_page_get_region (ImprintImagesPage *self)
{
  g_return_val_if_fail (IMPRINT_IS_IMAGES_PAGE (self), NULL);

  return self->region;
}

void
imprint_images_page_set_region (ImprintImagesPage *self,
                                const char        *region)
{
  g_return_if_fail (IMPRINT_IS_IMAGES_PAGE (self));

  if (g_strcmp0 (self->region, region) == 0)
    return;
  g_free (self->region);
  self->region = g_strdup (region);
  forget (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REGION]);
}

GListModel *
imprint_images_page_get_shown (ImprintImagesPage *self)
{
  g_return_val_if_fail (IMPRINT_IS_IMAGES_PAGE (self), NULL);

  return G_LIST_MODEL (self->shown);
}

const char *
imprint_images_page_get_view (ImprintImagesPage *self)
{
  g_return_val_if_fail (IMPRINT_IS_IMAGES_PAGE (self), NULL);

  return gtk_stack_get_visible_child_name (self->stack);
}

const char *
imprint_images_page_get_quota_text (ImprintImagesPage *self)
{
  g_return_val_if_fail (IMPRINT_IS_IMAGES_PAGE (self), NULL);

  return self->quota_text;
}

const char *
imprint_images_page_get_problem (ImprintImagesPage *self)
{
  g_return_val_if_fail (IMPRINT_IS_IMAGES_PAGE (self), NULL);

  return self->problem;
}

/**
 * imprint_images_page_choose:
 *
 * Ticks or unticks the image's row, as a click on it would.
 *
 * Returns: %FALSE when the image is not shown or cannot be ticked
 */
gboolean
imprint_images_page_choose (ImprintImagesPage *self,
                            const char        *image_id,
                            gboolean           chosen)
{
  g_return_val_if_fail (IMPRINT_IS_IMAGES_PAGE (self), FALSE);

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->list_box));
       child != NULL; child = gtk_widget_get_next_sibling (child)) {
    ImprintImageRow *row = IMPRINT_IMAGE_ROW (child);

    if (g_strcmp0 (tc_image_get_id (imprint_image_row_get_image (row)), image_id) != 0)
      continue;
    if (!gtk_list_box_row_get_activatable (GTK_LIST_BOX_ROW (row)))
      return FALSE;
    if (g_hash_table_contains (self->chosen, image_id) != chosen)
      gtk_widget_activate (GTK_WIDGET (row));
    return TRUE;
  }
  return FALSE;
}

/**
 * imprint_images_page_add_toast:
 * @toast: (transfer full): a toast
 *
 * Shows @toast over the list, where it never covers Delete… and Copy to Regions….
 */
void
imprint_images_page_add_toast (ImprintImagesPage *self,
                               AdwToast          *toast)
{
  g_return_if_fail (IMPRINT_IS_IMAGES_PAGE (self));
  g_return_if_fail (ADW_IS_TOAST (toast));

  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

void
imprint_images_page_focus_search (ImprintImagesPage *self)
{
  g_return_if_fail (IMPRINT_IS_IMAGES_PAGE (self));

  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

guint
imprint_images_page_get_n_chosen (ImprintImagesPage *self)
{
  g_return_val_if_fail (IMPRINT_IS_IMAGES_PAGE (self), 0);

  return g_hash_table_size (self->chosen);
}

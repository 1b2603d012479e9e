/* imprint-fact-row.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A fact the form fetched in the background (TcPreflight): what is known as the subtitle,
 * a spinner while it is being fetched, a mark once it is known, and Retry when it could
 * not be fetched. What the fact means is the form's to say; the row only shows it.
 */
#include "config.h"

#include "imprint-fact-row.h"

struct _ImprintFactRow
{
  AdwActionRow  parent_instance;

  char         *text;

  GtkSpinner   *spinner;
  GtkImage     *icon;
  GtkButton    *retry;
};

G_DEFINE_FINAL_TYPE (ImprintFactRow, imprint_fact_row, ADW_TYPE_ACTION_ROW)

enum {
  SIGNAL_RETRY,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
retry_cb (ImprintFactRow *self)
{
  g_signal_emit (self, signals[SIGNAL_RETRY], 0);
}

void
imprint_fact_row_show (ImprintFactRow  *self,
                       TcFactStatus     status,
                       const char      *text,
                       TcDraftMark      mark)
{
  GtkWidget *icon = GTK_WIDGET (self->icon);

  g_return_if_fail (IMPRINT_IS_FACT_ROW (self));

  if (g_strcmp0 (self->text, text) != 0) {
    g_free (self->text);
    self->text = g_strdup (text);
    adw_action_row_set_subtitle (ADW_ACTION_ROW (self), text != NULL ? text : "");
  }

  gtk_widget_set_visible (GTK_WIDGET (self->spinner), status == TC_FACT_LOADING);
  gtk_spinner_set_spinning (self->spinner, status == TC_FACT_LOADING);
  gtk_widget_set_visible (GTK_WIDGET (self->retry), status == TC_FACT_ERROR);
  gtk_widget_set_visible (icon, status != TC_FACT_LOADING && mark != TC_DRAFT_MARK_NONE);

  gtk_widget_remove_css_class (icon, "success");
  gtk_widget_remove_css_class (icon, "error");
  if (mark == TC_DRAFT_MARK_OK) {
    gtk_image_set_from_icon_name (self->icon, "emblem-ok-symbolic");
    gtk_widget_add_css_class (icon, "success");
  } else if (mark == TC_DRAFT_MARK_PROBLEM) {
    gtk_image_set_from_icon_name (self->icon, "dialog-warning-symbolic");
    gtk_widget_add_css_class (icon, "error");
  }
}

const char *
imprint_fact_row_get_text (ImprintFactRow *self)
{
  g_return_val_if_fail (IMPRINT_IS_FACT_ROW (self), NULL);

  return self->text;
}

static void
imprint_fact_row_finalize (GObject *object)
{
  ImprintFactRow *self = IMPRINT_FACT_ROW (object);

  g_free (self->text);

  G_OBJECT_CLASS (imprint_fact_row_parent_class)->finalize (object);
}

static void
imprint_fact_row_class_init (ImprintFactRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = imprint_fact_row_finalize;

  signals[SIGNAL_RETRY] =
    g_signal_new ("retry",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/imprint/Imprint/imprint-fact-row.ui");
  gtk_widget_class_bind_template_child (widget_class, ImprintFactRow, spinner);
  gtk_widget_class_bind_template_child (widget_class, ImprintFactRow, icon);
  gtk_widget_class_bind_template_child (widget_class, ImprintFactRow, retry);
  gtk_widget_class_bind_template_callback (widget_class, retry_cb);
}

static void
imprint_fact_row_init (ImprintFactRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

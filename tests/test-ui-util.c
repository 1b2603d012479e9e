/* test-ui-util.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "test-ui-util.h"
#include "test-util.h"

typedef struct {
  guint    remaining;
  gboolean done;
} FrameWait;

static gboolean
tick_cb (GtkWidget     *widget,
         GdkFrameClock *clock,
         gpointer       user_data)
{
  FrameWait *wait = user_data;

  if (wait->remaining > 0)
    wait->remaining--;
  if (wait->remaining == 0) {
    wait->done = TRUE;
    return G_SOURCE_REMOVE;
  }
  return G_SOURCE_CONTINUE;
}

void
test_wait_for_frames (GtkWidget *widget,
                      guint      n_frames)
{
  FrameWait wait = { MAX (n_frames, 1), FALSE };

  /* A widget that is not mapped yet has no frame clock ticking for it. */
  while (!gtk_widget_get_mapped (widget))
    g_main_context_iteration (NULL, TRUE);

  gtk_widget_add_tick_callback (widget, tick_cb, &wait, NULL);
  gtk_widget_queue_draw (widget);
  test_wait_until (&wait.done, 20);
}

char *
test_save_screenshot (GtkWidget  *widget,
                      const char *name)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *file = g_strconcat (name, ".png", NULL);
  char *path = g_test_build_filename (G_TEST_BUILT, file, NULL);
  GskRenderer *renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);

  g_assert_nonnull (renderer);
  g_assert_cmpint (width, >, 0);
  g_assert_cmpint (height, >, 0);

  /* A window the compositor has not drawn yet (a busy machine) has nothing to show: its
   * next frames will. */
  for (guint tries = 0; node == NULL && tries < 50; tries++) {
    if (tries > 0)
      test_wait_for_frames (widget, 1);
    snapshot = gtk_snapshot_new ();
    gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
    node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  }
  g_assert_nonnull (node);

  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s", path);
  return path;
}

GtkWidget *
test_find_widget (GtkWidget  *root,
                  GType       type,
                  gboolean  (*match) (GtkWidget *widget,
                                      gpointer   data),
                  gpointer    data)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type) && (match == NULL || match (root, data)))
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child)) {
    GtkWidget *found = test_find_widget (child, type, match, data);

    if (found != NULL)
      return found;
  }

  return NULL;
}

gboolean
test_button_labelled (GtkWidget *widget,
                      gpointer   label)
{
  return g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0;
}

gboolean
test_activate_shortcut (GtkWidget       *widget,
                        guint            keyval,
                        GdkModifierType  modifiers)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);
  g_autoptr(GtkShortcutTrigger) wanted = gtk_keyval_trigger_new (keyval, modifiers);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++) {
    g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

    if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
      continue;

    for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++) {
      g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);

      if (gtk_shortcut_trigger_equal (gtk_shortcut_get_trigger (shortcut), wanted))
        return gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut), 0, widget,
                                             gtk_shortcut_get_arguments (shortcut));
    }
  }

  return FALSE;
}

static gboolean
is_focus_out_warning (const char *log_domain,
                      const char *message)
{
  return g_strcmp0 (log_domain, "Gtk") == 0 && message != NULL &&
         strstr (message, "did not receive a focus-out event") != NULL;
}

/* GTK logs through the structured API, where G_DEBUG=fatal-warnings is applied by the
 * default writer: the one known message is written as a test message instead. */
static GLogWriterOutput
log_writer_cb (GLogLevelFlags   log_level,
               const GLogField *fields,
               gsize            n_fields,
               gpointer         user_data)
{
  const char *domain = NULL, *message = NULL;

  for (gsize i = 0; i < n_fields; i++) {
    if (g_str_equal (fields[i].key, "GLIB_DOMAIN") && fields[i].length < 0)
      domain = fields[i].value;
    else if (g_str_equal (fields[i].key, "MESSAGE") && fields[i].length < 0)
      message = fields[i].value;
  }

  if ((log_level & G_LOG_LEVEL_WARNING) && is_focus_out_warning (domain, message)) {
    g_test_message ("tolerated GTK warning: %s", message);
    return G_LOG_WRITER_HANDLED;
  }
  return g_log_writer_default (log_level, fields, n_fields, user_data);
}

static gboolean
fatal_log_cb (const char     *log_domain,
              GLogLevelFlags  log_level,
              const char     *message,
              gpointer        user_data)
{
  return !is_focus_out_warning (log_domain, message);
}

void
test_ui_tolerate_toolkit_warnings (void)
{
  g_log_set_writer_func (log_writer_cb, NULL, NULL);
  g_test_log_set_fatal_handler (fatal_log_cb, NULL);
}

void
test_ui_load_app_style (void)
{
  g_autoptr(GtkCssProvider) style = gtk_css_provider_new ();

  gtk_css_provider_load_from_resource (style, "/io/github/imprint/Imprint/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (style),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
}

void
test_wait_for_page (ImprintWindow *window,
                    const char    *page)
{
  for (guint i = 0; i < 2000 && g_strcmp0 (imprint_window_get_page (window), page) != 0; i++)
    test_run_main_loop_for (5);
  g_assert_cmpstr (imprint_window_get_page (window), ==, page);
}

void
test_wait_page_idle (ImprintCreatePage *page)
{
  gint64 deadline = g_get_monotonic_time () + test_timeout_seconds (30) * (gint64) G_USEC_PER_SEC;

  test_run_main_loop_for (100);
  while (imprint_create_page_is_busy (page)) {
    g_assert_cmpint (g_get_monotonic_time (), <, deadline);
    test_run_main_loop_for (20);
  }
  test_run_main_loop_for (600);
}

gpointer
test_find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();  /* owned by GTK */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++) {
    g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

    if (G_TYPE_CHECK_INSTANCE_TYPE (window, type))
      return window;
  }
  return NULL;
}

static void
collect_mnemonics (GtkWidget  *widget,
                   GtkWidget  *root,
                   GHashTable *seen,
                   GString    *clashes)
{
  /* GTK passes an Alt+letter over an insensitive or unmapped label (the shortcut
   * controller's check, gtk/gtkshortcutcontroller.c): only what can be activated clashes. */
  if (!gtk_widget_get_mapped (widget) || !gtk_widget_is_sensitive (widget))
    return;
  /* A popover is a surface of its own, with its own mnemonics. */
  if (GTK_IS_POPOVER (widget) && widget != root)
    return;
  if (GTK_IS_LABEL (widget) &&
      gtk_label_get_mnemonic_keyval (GTK_LABEL (widget)) != GDK_KEY_VoidSymbol) {
    guint key = gdk_keyval_to_lower (gtk_label_get_mnemonic_keyval (GTK_LABEL (widget)));
    const char *text = gtk_label_get_label (GTK_LABEL (widget));
    const char *other = g_hash_table_lookup (seen, GUINT_TO_POINTER (key));

    if (other != NULL)
      g_string_append_printf (clashes, " “%s” and “%s”;", other, text);
    else
      g_hash_table_insert (seen, GUINT_TO_POINTER (key), (gpointer) text);
  }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_mnemonics (child, root, seen, clashes);
}

void
test_assert_mnemonics_unique (GtkWidget *root)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (NULL, NULL);
  g_autoptr(GString) clashes = g_string_new (NULL);

  g_assert_true (gtk_widget_get_mapped (root));
  collect_mnemonics (root, root, seen, clashes);
  if (clashes->len > 0)
    g_test_fail_printf ("the same Alt+letter for%s in %s", clashes->str, G_OBJECT_TYPE_NAME (root));
}

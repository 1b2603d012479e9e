/* test-language.c: under a Chinese locale the window speaks Chinese, and so does the API
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The catalogs are the ones this build compiled (build/po), bound before anything is
 * translated, with LANGUAGE=zh_CN and a UTF-8 locale, as a user's session would set them.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>

#include "imprint-instance-name-cell.h"
#include "imprint-window.h"
#include "sim-server.h"
#include "tc-cvm.h"
#include "tc-rules.h"
#include "test-ui-util.h"
#include "test-util.h"

/* zh_CN by default; "--zh-TW" runs the same checks in Traditional Chinese. */
static const char *language = "zh_CN";

static gboolean
has_han (const char *text)
{
  for (const char *p = text; p && *p; p = g_utf8_next_char (p)) {
    if (g_unichar_get_script (g_utf8_get_char (p)) == G_UNICODE_SCRIPT_HAN)
      return TRUE;
  }
  return FALSE;
}

static GtkWidget *
find_status_page (GtkWidget *root)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child)) {
    GtkWidget *found;

    if (ADW_IS_STATUS_PAGE (child) && gtk_widget_is_drawable (child))
      return child;
    if ((found = find_status_page (child)) != NULL)
      return found;
  }
  return NULL;
}

static void
test_window_in_chinese (void)
{
  g_autofree char *dir = g_dir_make_tmp ("imprint-lang-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "accounts.json", NULL);
  g_autoptr(TcAccountStore) store = tc_account_store_new (path);
  g_autoptr(SoupSession) session = tc_client_new_session ();
  ImprintWindow *window = imprint_window_new (NULL, store, session);
  GtkWidget *welcome = NULL;
  g_autofree char *shot = NULL;

  gtk_window_present (GTK_WINDOW (window));
  for (guint i = 0; i < 400 && g_strcmp0 (imprint_window_get_page (window), "welcome") != 0; i++)
    test_run_main_loop_for (5);
  test_run_main_loop_for (400);

  welcome = find_status_page (GTK_WIDGET (window));
  g_assert_nonnull (welcome);
  g_test_message ("welcome title: %s", adw_status_page_get_title (ADW_STATUS_PAGE (welcome)));
  g_assert_true (has_han (adw_status_page_get_title (ADW_STATUS_PAGE (welcome))));
  g_assert_true (has_han (adw_status_page_get_description (ADW_STATUS_PAGE (welcome))));
  g_assert_true (has_han (gtk_window_get_title (GTK_WINDOW (window))) ||
                 g_str_equal (gtk_window_get_title (GTK_WINDOW (window)), "Imprint"));

  test_wait_for_frames (GTK_WIDGET (window), 2);
  {
    g_autofree char *name = g_strdup_printf ("language-%s-welcome", language);

    shot = test_save_screenshot (GTK_WIDGET (window), name);
  }
  g_test_message ("screenshot: %s", shot);

  gtk_window_destroy (GTK_WINDOW (window));
  g_rmdir (dir);
}

typedef struct {
  gboolean    done;
  GListModel *regions;
} Wait;

static void
regions_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Wait *wait = user_data;

  wait->regions = tc_cvm_describe_regions_finish (TC_CLIENT (object), result, NULL);
  wait->done = TRUE;
}

/* A client made under this locale sends X-TC-Language: zh-CN (the API has no zh-TW); the
 * simulator, like Tencent, then names the regions in Simplified Chinese, which a zh_CN UI
 * shows as they come and a zh_TW UI replaces with its own names. */
static void
test_api_in_chinese (void)
{
  g_autoptr(SimServer) sim = sim_server_new (1, 4);
  g_autoptr(TcCredentials) creds = tc_credentials_new (SIM_DEFAULT_SECRET_ID, SIM_DEFAULT_SECRET_KEY, NULL);
  g_autoptr(TcClient) client = tc_client_new (NULL, TC_PROTOCOL_API3, creds);
  g_autofree char *url = NULL;
  gboolean found = FALSE;
  Wait wait = { 0 };

  g_assert_cmpstr (tc_language_for_locale (), ==, "zh-CN");  /* zh_TW too: the API has no zh-TW */
  g_assert_cmpstr (tc_client_get_language (client), ==, "zh-CN");

  g_assert_true (sim_server_listen (sim, 0, NULL));
  url = sim_server_get_url (sim);
  g_assert_true (tc_client_set_endpoint (client, url, NULL));
  tc_cvm_describe_regions_async (client, NULL, regions_cb, &wait);
  test_wait_until (&wait.done, 30);
  g_assert_nonnull (wait.regions);

  for (guint i = 0; i < g_list_model_get_n_items (wait.regions); i++) {
    g_autoptr(TcRegion) region = g_list_model_get_item (wait.regions, i);

    if (g_str_equal (tc_region_get_region (region), "ap-guangzhou")) {
      g_test_message ("ap-guangzhou: %s", tc_region_get_name (region));
      g_assert_nonnull (strstr (tc_region_get_name (region),
                                g_str_equal (language, "zh_TW") ? "廣州" : "广州"));
      found = TRUE;
    }
  }
  g_assert_true (found);
  g_object_unref (wait.regions);
  sim_server_disconnect (sim);
}

/* The height @text needs in @widget's fonts, wrapped at @width px. */
static int
text_height (GtkWidget  *widget,
             const char *text,
             int         width)
{
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (widget, text);
  int height;

  pango_layout_set_width (layout, width * PANGO_SCALE);
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_get_pixel_size (layout, NULL, &height);
  return height;
}

/* Every reason the picker can give for an instance it cannot image is read whole, in a
 * narrow window and in a wide one, even in a name column the user narrowed as far as it
 * goes. The legacy API's are the longest (49 characters in Chinese): on a fixed two lines
 * a reason lost its end (and, measured in a C locale's fonts, a line its bottom). */
static void
test_picker_reasons_whole (void)
{
  const TcProtocol protocols[] = { TC_PROTOCOL_API3, TC_PROTOCOL_LEGACY };
  GtkWidget *window = gtk_window_new ();
  GtkWidget *cell = imprint_instance_name_cell_new ();
  GtkWidget *reason;
  guint n_checked = 0;

  gtk_window_set_child (GTK_WINDOW (window), cell);
  gtk_window_present (GTK_WINDOW (window));
  reason = gtk_widget_get_last_child (gtk_widget_get_first_child (cell));

  for (guint p = 0; p < G_N_ELEMENTS (protocols); p++) {
    for (TcInstanceState state = TC_INSTANCE_STATE_UNKNOWN; state <= TC_INSTANCE_STATE_BUSY; state++) {
      for (guint narrow = 0; narrow < 2; narrow++) {
        TcVerdict verdict = { 0 };
        int min_width, width, height;

        if (tc_rules_check_instance_state (protocols[p], state, FALSE, &verdict))
          continue;
        g_assert_true (has_han (verdict.message));
        imprint_instance_name_cell_set_narrow (IMPRINT_INSTANCE_NAME_CELL (cell), narrow);
        imprint_instance_name_cell_show (IMPRINT_INSTANCE_NAME_CELL (cell), "构建-01",
                                         "ins-z1btpo1d · 10.3.27.219", verdict.message);
        /* The narrowest the cell can be. */
        gtk_widget_measure (cell, GTK_ORIENTATION_HORIZONTAL, -1, &min_width, NULL, NULL, NULL);
        gtk_widget_set_size_request (window, min_width, -1);
        gtk_window_set_default_size (GTK_WINDOW (window), min_width, -1);
        test_run_main_loop_for (50);

        width = gtk_widget_get_width (reason);
        height = gtk_widget_get_height (reason);
        g_test_message ("%s, %s, %d px: %s", protocols[p] == TC_PROTOCOL_LEGACY ? "legacy" : "API 3.0",
                        narrow ? "narrow" : "wide", width, verdict.message);
        g_assert_cmpint (width, <=, min_width);
        g_assert_cmpint (height, >=, text_height (reason, verdict.message, width));
        tc_verdict_clear (&verdict);
        n_checked++;
      }
    }
  }
  g_assert_cmpuint (n_checked, >=, 2 * 2 * 10);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* One state has one word: the badge of a ready image says what the batch's summary and
 * the copy's notification say. And an instance's or image's ID is in the same brackets
 * wherever it follows a name. */
static void
test_words_agree (void)
{
  const char *ready[] = { C_("history state", "Ready"), C_("image state", "Ready") };
  const char *uses_ready[] = {
    g_dngettext (GETTEXT_PACKAGE, "%u of %u image ready", "%u of %u images ready", 3),
    _("Copy Ready"),
    _("Image Ready"),
    _("Images Ready"),
    _("Image “%s” is ready (%s)."),
    _("Only a ready image can be copied"),
  };
  const char *with_id[] = {
    _("%s (%s)"),
    _("from %s (%s)"),
    _("Image “%s” is being created (%s)."),
    _("Image “%s” is ready (%s)."),
  };

  g_assert_true (has_han (ready[0]));
  g_assert_cmpstr (ready[0], ==, ready[1]);
  for (guint i = 0; i < G_N_ELEMENTS (uses_ready); i++) {
    g_test_message ("%s", uses_ready[i]);
    g_assert_nonnull (strstr (uses_ready[i], ready[0]));
  }
  for (guint i = 0; i < G_N_ELEMENTS (with_id); i++) {
    g_test_message ("%s", with_id[i]);
    g_assert_nonnull (strstr (with_id[i], "（%s）"));
    g_assert_null (strchr (with_id[i], '('));
  }
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *po = NULL;
  g_autofree char *window_path = NULL;
  g_autofree char *api_path = NULL;
  g_autofree char *cells_path = NULL;
  g_autofree char *words_path = NULL;

  for (int i = 1; i < argc; i++) {
    if (g_str_equal (argv[i], "--zh-TW")) {
      language = "zh_TW";
      memmove (&argv[i], &argv[i + 1], (argc - i) * sizeof (char *));
      argc--;
    }
  }

  g_setenv ("LANGUAGE", language, TRUE);
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  setlocale (LC_ALL, "");

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  test_ui_tolerate_toolkit_warnings ();
  /* What GtkApplication does for its resource base path; this window has none. */
  gtk_icon_theme_add_resource_path (gtk_icon_theme_get_for_display (gdk_display_get_default ()),
                                    "/io/github/imprint/Imprint/icons");

  po = g_test_build_filename (G_TEST_BUILT, "..", "po", NULL);
  bindtextdomain (GETTEXT_PACKAGE, po);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  window_path = g_strdup_printf ("/imprint/language/%s/window", language);
  api_path = g_strdup_printf ("/imprint/language/%s/api", language);
  cells_path = g_strdup_printf ("/imprint/language/%s/picker-reasons-whole", language);
  g_test_add_func (window_path, test_window_in_chinese);
  g_test_add_func (api_path, test_api_in_chinese);
  g_test_add_func (cells_path, test_picker_reasons_whole);
  words_path = g_strdup_printf ("/imprint/language/%s/words-agree", language);
  g_test_add_func (words_path, test_words_agree);

  return g_test_run ();
}

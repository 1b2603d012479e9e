/* imprint-application.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "imprint-application.h"
#include "imprint-window.h"
#include "tc-account-store.h"
#include "tc-client.h"

struct _ImprintApplication
{
  AdwApplication   parent_instance;

  /* The services every window shares: one HTTP session, one set of accounts. */
  SoupSession     *session;
  TcAccountStore  *store;
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
imprint_application_activate (GApplication *app)
{
  ImprintApplication *self = IMPRINT_APPLICATION (app);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window == NULL)
    window = GTK_WINDOW (imprint_window_new (GTK_APPLICATION (app), self->store, self->session));

  gtk_window_present (window);
}

static void
about_action_cb (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  ImprintApplication *self = user_data;
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));
  const char *developers[] = { "The Imprint developers https://github.com/imprint/imprint", NULL };

  adw_show_about_window (window,
                         "application-name", _("Imprint"),
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
}

static void
quit_action_cb (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

static const GActionEntry app_actions[] = {
  { "about", about_action_cb },
  { "quit", quit_action_cb },
};

static void
imprint_application_startup (GApplication *app)
{
  static const char *quit_accels[] = { "<Control>q", NULL };

  G_APPLICATION_CLASS (imprint_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions,
                                   G_N_ELEMENTS (app_actions), app);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);
}

static void
imprint_application_finalize (GObject *object)
{
  ImprintApplication *self = IMPRINT_APPLICATION (object);

  g_clear_object (&self->session);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (imprint_application_parent_class)->finalize (object);
}

static void
imprint_application_class_init (ImprintApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = imprint_application_finalize;

  app_class->activate = imprint_application_activate;
  app_class->startup = imprint_application_startup;
}

static void
imprint_application_init (ImprintApplication *self)
{
  /* Both are cheap to create; neither touches the network, the disk or the keyring yet. */
  self->session = tc_client_new_session ();
  self->store = tc_account_store_new (NULL);
}

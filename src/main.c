/* main.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "imprint-application.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(ImprintApplication) app = NULL;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  /* What the desktop shows for us where it has no window title: notifications, say. */
  g_set_application_name (_("Imprint"));

  app = imprint_application_new (APPLICATION_ID);
  return g_application_run (G_APPLICATION (app), argc, argv);
}

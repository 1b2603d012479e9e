/* imprint-shutdown-dialog.c: asking before running instances are shut down to be imaged
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Tencent Cloud shuts a running instance down itself before making its image (ForcePoweroff),
 * which can lose what was not yet written to disk. The picker asks once, for the instance
 * chosen or for the running ones ticked (@instance NULL, @n_running of them), with
 * Tencent's warning; "shut-down" is the response that goes on.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "imprint-shutdown-dialog.h"

AdwMessageDialog *
imprint_shutdown_dialog_new (GtkWindow  *parent,
                             TcInstance *instance,
                             guint       n_running)
{
  AdwMessageDialog *dialog;
  g_autofree char *heading = NULL;

  if (instance != NULL)
    /* TRANSLATORS: %s is the instance's name. */
    heading = g_strdup_printf (_("Shut Down “%s” to Image It?"), tc_instance_get_name (instance));
  else
    /* TRANSLATORS: %u is how many of the instances ticked are running. */
    heading = g_strdup_printf (ngettext ("Shut Down %u Running Instance to Image It?",
                                         "Shut Down %u Running Instances to Image Them?",
                                         n_running), n_running);
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (parent, heading, NULL));
  adw_message_dialog_set_body (dialog,
                               _("Tencent Cloud shuts the instance down before making the "
                                 "image, and leaves it stopped. A forced shutdown is like "
                                 "pulling the plug: data not yet written to disk can be lost, "
                                 "or the file system damaged. If you can, stop it from "
                                 "inside first."));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("Cancel"),
                                    "shut-down", _("Shut Down and Image"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "shut-down",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  return dialog;
}

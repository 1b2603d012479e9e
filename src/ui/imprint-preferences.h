/* imprint-preferences.h: the Preferences window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define IMPRINT_TYPE_PREFERENCES (imprint_preferences_get_type ())

G_DECLARE_FINAL_TYPE (ImprintPreferences, imprint_preferences, IMPRINT, PREFERENCES, AdwPreferencesWindow)

ImprintPreferences *imprint_preferences_new (GtkWindow *parent,
                                             GSettings *settings);

G_END_DECLS

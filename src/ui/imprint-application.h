/* imprint-application.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define IMPRINT_TYPE_APPLICATION (imprint_application_get_type ())

G_DECLARE_FINAL_TYPE (ImprintApplication, imprint_application, IMPRINT, APPLICATION, AdwApplication)

ImprintApplication *imprint_application_new (const char *application_id);

G_END_DECLS

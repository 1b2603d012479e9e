/* imprint-fact-row.h: one pre-flight fact of the image form (the quota, whether the name
 * is taken, the instance's state)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tc-image-draft.h"

G_BEGIN_DECLS

#define IMPRINT_TYPE_FACT_ROW (imprint_fact_row_get_type ())

G_DECLARE_FINAL_TYPE (ImprintFactRow, imprint_fact_row, IMPRINT, FACT_ROW, AdwActionRow)

/*
 * Signals:
 *   "retry"  Retry was clicked (it is shown while the status is TC_FACT_ERROR)
 */

/* Shows @text (plain text) as the subtitle: a spinner while LOADING, Retry on ERROR, and
 * @mark otherwise. */
void        imprint_fact_row_show     (ImprintFactRow  *self,
                                       TcFactStatus     status,
                                       const char      *text,
                                       TcDraftMark      mark);
const char *imprint_fact_row_get_text (ImprintFactRow  *self);

G_END_DECLS

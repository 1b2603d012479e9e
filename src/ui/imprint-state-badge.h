/* imprint-state-badge.h: a word in a coloured pill, for the state of an instance or of an
 * image job
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "tc-history.h"
#include "tc-models.h"

G_BEGIN_DECLS

/**
 * ImprintBadgeTone:
 * @IMPRINT_BADGE_TONE_NEUTRAL: nothing to note (stopped, unknown)
 * @IMPRINT_BADGE_TONE_SUCCESS: as it should be (running, image ready, check passed)
 * @IMPRINT_BADGE_TONE_WARNING: on its way somewhere (starting, stopping, busy)
 * @IMPRINT_BADGE_TONE_ERROR: gone wrong or going away
 * @IMPRINT_BADGE_TONE_ACCENT: in progress, on the user's behalf
 *
 * The colour of a badge: style.css has one for each.
 */
typedef enum {
  IMPRINT_BADGE_TONE_NEUTRAL,
  IMPRINT_BADGE_TONE_SUCCESS,
  IMPRINT_BADGE_TONE_WARNING,
  IMPRINT_BADGE_TONE_ERROR,
  IMPRINT_BADGE_TONE_ACCENT,
} ImprintBadgeTone;

#define IMPRINT_TYPE_BADGE_TONE (imprint_badge_tone_get_type ())
GType imprint_badge_tone_get_type (void) G_GNUC_CONST;

#define IMPRINT_TYPE_STATE_BADGE (imprint_state_badge_get_type ())

G_DECLARE_FINAL_TYPE (ImprintStateBadge, imprint_state_badge, IMPRINT, STATE_BADGE, GtkWidget)

GtkWidget        *imprint_state_badge_new                (void);
const char       *imprint_state_badge_get_label          (ImprintStateBadge *self);
ImprintBadgeTone  imprint_state_badge_get_tone           (ImprintStateBadge *self);
void              imprint_state_badge_set                (ImprintStateBadge *self,
                                                          const char        *label,
                                                          ImprintBadgeTone   tone);
void              imprint_state_badge_set_instance_state (ImprintStateBadge *self,
                                                          TcInstanceState    state);
void              imprint_state_badge_set_image_state    (ImprintStateBadge *self,
                                                          TcImageState       state);
void              imprint_state_badge_set_outcome        (ImprintStateBadge *self,
                                                          TcHistoryOutcome   outcome);

G_END_DECLS

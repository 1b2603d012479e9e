/* tc-answer.h: what a CVM answer carries, read in one pass (private to the core)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tc-json-reader.h"
#include "tc-types.h"

G_BEGIN_DECLS

typedef enum {
  TC_ANSWER_INSTANCES,
  TC_ANSWER_IMAGES,
  TC_ANSWER_REGIONS,
  TC_ANSWER_N_SETS
} TcAnswerSet;

typedef struct _TcAnswer TcAnswer;

/* Each member as the last of its name in the answer had it; a member of the wrong type
 * is absent. A set is %NULL when absent; an item in it that is no item (an instance
 * without an ID, say) leaves the set's error, which the action reports if it wanted
 * that set. Regions without a code are left out instead. */
struct _TcAnswer {
  TcProtocol  protocol;
  char       *request_id;
  gboolean    has_total;
  gint64      total;
  gboolean    has_quota;
  gint64      quota;
  char       *image_id;
  GPtrArray  *sets[TC_ANSWER_N_SETS];
  GError     *set_errors[TC_ANSWER_N_SETS];
};

TcAnswer *tc_answer_new          (TcProtocol    protocol);
void      tc_answer_free         (TcAnswer     *answer);
void      tc_answer_read_member  (TcAnswer     *answer,
                                  const char   *name,
                                  TcJsonReader *reader);
char     *tc_answer_read_id      (TcJsonReader *reader);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TcAnswer, tc_answer_free)

G_END_DECLS

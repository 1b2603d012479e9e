/* tc-rules.h: the rules the form enforces, as pure functions
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One place for SPEC.md's "Rules the form enforces": the form, the simulator and the tests
 * all call these. Each returns a verdict; a refused verdict carries a translated message
 * that says what is wrong and how to fix it.
 */
#pragma once

#include <glib.h>

#include "tc-types.h"

G_BEGIN_DECLS

typedef enum {
  TC_RULE_OK,
  TC_RULE_EMPTY,              /* a required value is missing */
  TC_RULE_TOO_LONG,
  TC_RULE_BAD_CHARACTER,      /* outside the allowed set (legacy) */
  TC_RULE_CONTROL_CHARACTER,
  TC_RULE_EDGE_SPACE,         /* leading or trailing white space */
  TC_RULE_NAME_TAKEN,
  TC_RULE_QUOTA_REACHED,
  TC_RULE_INSTANCE_STATE,
} TcRuleResult;

typedef struct {
  TcRuleResult  result;
  char         *message;      /* translated; NULL when result is TC_RULE_OK */
} TcVerdict;

void       tc_verdict_clear              (TcVerdict       *verdict);

/* Limits, for counters in the UI ("12 / 64"). */
guint      tc_rules_name_max_length      (TcProtocol       protocol);
guint      tc_rules_description_max_length (TcProtocol     protocol);
guint      tc_rules_count_characters     (const char      *text);

gboolean   tc_rules_check_image_name     (TcProtocol       protocol,
                                          const char      *name,
                                          TcVerdict       *verdict);
/* The same, for a name still being typed: white space at its end (a word in progress) is
 * not held against it. A form shows this verdict while the user types, and the full one
 * once the field is left or the form submitted. */
gboolean   tc_rules_check_image_name_as_typed (TcProtocol  protocol,
                                          const char      *name,
                                          TcVerdict       *verdict);
gboolean   tc_rules_check_description    (TcProtocol       protocol,
                                          const char      *description,
                                          TcVerdict       *verdict);
gboolean   tc_rules_check_name_available (const char      *name,
                                          const char * const *existing_names,
                                          TcVerdict       *verdict);
gboolean   tc_rules_check_instance_state (TcProtocol       protocol,
                                          TcInstanceState  state,
                                          gboolean         force_poweroff,
                                          TcVerdict       *verdict);
gboolean   tc_rules_check_quota          (guint            used,
                                          guint            quota,
                                          TcVerdict       *verdict);

/* The part of the form a refusal is about: where its reason is shown. */
typedef enum {
  TC_FIELD_NONE,          /* no one field: the reason goes above the buttons */
  TC_FIELD_REGION,
  TC_FIELD_INSTANCE,      /* gone, in a state that forbids imaging, or not supported */
  TC_FIELD_NAME,          /* refused or taken */
  TC_FIELD_DESCRIPTION,
  TC_FIELD_DATA_DISKS,
  TC_FIELD_TAGS,
  TC_FIELD_QUOTA,         /* the region's custom-image quota is used up */
  TC_FIELD_CREDENTIALS,   /* the account's keys: wrong, expired or without permission */
} TcField;

/* Which field @error (a %TC_ERROR from either protocol) is about. */
TcField    tc_rules_field_for_error      (const GError    *error);

/* The legacy API's fixed custom-image quota per region. */
#define TC_LEGACY_IMAGE_QUOTA 10

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (TcVerdict, tc_verdict_clear)

G_END_DECLS

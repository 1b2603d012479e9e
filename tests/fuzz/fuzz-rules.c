/* fuzz-rules.c: the image name and description checks, on arbitrary bytes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Input: one byte whose lowest bit picks the protocol (0 API 3.0, 1 legacy), then the
 * name, the description and the region's existing image names, separated by NULs. What the
 * user types is not trusted to be UTF-8 (a paste from a broken file): every verdict's
 * message must be, and a refusal must come with one.
 */
#include "config.h"

#include "fuzz-util.h"
#include "tc-rules.h"

static void
check_verdict (gboolean         ok,
               const TcVerdict *verdict)
{
  if (ok != (verdict->result == TC_RULE_OK) || ok != (verdict->message == NULL))
    abort ();
  fuzz_assert_text (verdict->message);
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_init ();
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GPtrArray) existing = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *name = NULL;
  g_autofree char *description = NULL;
  g_auto(TcVerdict) verdict = { 0 };
  TcProtocol protocol;
  char *field;

  if (size == 0)
    return 0;
  protocol = (data[0] & 1) ? TC_PROTOCOL_LEGACY : TC_PROTOCOL_API3;
  data++;
  size--;

  name = fuzz_next_field (&data, &size);
  description = fuzz_next_field (&data, &size);
  while ((field = fuzz_next_field (&data, &size)) != NULL)
    g_ptr_array_add (existing, field);
  g_ptr_array_add (existing, NULL);

  (void) tc_rules_count_characters (name);
  (void) tc_rules_count_characters (description);
  check_verdict (tc_rules_check_image_name (protocol, name, &verdict), &verdict);
  check_verdict (tc_rules_check_description (protocol, description, &verdict), &verdict);
  check_verdict (tc_rules_check_name_available (name, (const char * const *) existing->pdata,
                                                &verdict), &verdict);
  return 0;
}

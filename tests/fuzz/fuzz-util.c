/* fuzz-util.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The harnesses check more than "does not crash": GLib criticals and warnings abort (as
 * G_DEBUG=fatal-warnings does in the unit tests), and every text the core hands on to a
 * model, a problem list or a message must be valid UTF-8, the promise widgets rely on.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "fuzz-util.h"
#include "tc-credentials.h"

void
fuzz_init (void)
{
  g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
  /* Only the answers' own text, never the translations, is under test. */
  g_setenv ("LANGUAGE", "en", TRUE);
}

/* Aborts (a finding for libFuzzer) when @text, which is about to be shown, is not UTF-8. */
void
fuzz_assert_text (const char *text)
{
  if (text != NULL && !g_utf8_validate (text, -1, NULL)) {
    g_printerr ("not valid UTF-8: %s\n", text);
    abort ();
  }
}

/* Splits inputs made of NUL-separated fields: returns the next field (NUL-terminated, to
 * be freed) and moves past it, or NULL when none is left. */
char *
fuzz_next_field (const uint8_t **data,
                 size_t         *size)
{
  const uint8_t *end;
  char *field;

  if (*data == NULL)
    return NULL;

  end = memchr (*data, '\0', *size);
  if (end == NULL) {
    field = g_strndup ((const char *) *data, *size);
    *data = NULL;
    *size = 0;
    return field;
  }

  field = g_strndup ((const char *) *data, (gsize) (end - *data));
  *size -= (size_t) (end - *data) + 1;
  *data = end + 1;
  return field;
}

/* What a credential scan hands to the account editor. */
void
fuzz_check_scan (TcTccliScan *scan)
{
  for (guint i = 0; i < scan->profiles->len; i++) {
    TcTccliProfile *profile = g_ptr_array_index (scan->profiles, i);
    g_autofree char *masked = tc_credentials_mask_secret_id (profile->secret_id);

    /* A profile is offered only with a SecretId and a SecretKey, all exact text. */
    if (profile->name == NULL || profile->secret_id == NULL || profile->secret_key == NULL)
      abort ();
    fuzz_assert_text (profile->name);
    fuzz_assert_text (profile->secret_id);
    fuzz_assert_text (profile->secret_key);
    fuzz_assert_text (profile->token);
    fuzz_assert_text (profile->region);
    fuzz_assert_text (profile->endpoint);
    fuzz_assert_text (masked);
  }
  for (guint i = 0; i < scan->problems->len; i++)
    fuzz_assert_text (g_ptr_array_index (scan->problems, i));
}

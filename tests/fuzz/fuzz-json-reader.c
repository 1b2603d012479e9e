/* fuzz-json-reader.c: the pull reader on its own, against json-glib as a second opinion
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each input is walked the way callers walk answers, with every way of reading a value
 * (exact string, text, number, integer literal, skip) and members left unread halfway,
 * chosen by a generator seeded from the input so a finding replays. What comes out must
 * be valid UTF-8, and no read may disturb the reader: with whatever choices, the same
 * text is valid or not. And the reader is strict: a text it takes as valid, json-glib
 * must take too. json-glib is the more lenient of the two, but for one thing: it
 * garbles an escaped surrogate that is not half of a pair, and then stumbles on the
 * text after it; texts with "\uD…" escapes are left out of the comparison.
 */
#include "config.h"

#include <json-glib/json-glib.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz-util.h"
#include "tc-json-reader.h"

static guint32 seed;

static guint
choose (guint n)
{
  seed = seed * 1103515245u + 12345u;
  return (seed >> 16) % n;
}

static void walk (TcJsonReader *reader);

static void
walk_string (TcJsonReader *reader)
{
  g_autofree char *text = NULL;
  const char *exact;
  gint64 value;

  switch (choose (4)) {
  case 0:
    exact = tc_json_reader_read_string (reader);
    if (exact != NULL && !g_utf8_validate (exact, -1, NULL))
      abort ();
    break;
  case 1:
    text = tc_json_reader_dup_text (reader);
    if (text == NULL && !tc_json_reader_failed (reader))
      abort ();   /* a string is always some text */
    fuzz_assert_text (text);
    break;
  case 2:
    tc_json_reader_read_int (reader, &value);
    break;
  default:
    tc_json_reader_skip (reader);
  }
}

static void
walk (TcJsonReader *reader)
{
  const char *name;
  guint level;
  gint64 value;

  switch (tc_json_reader_peek (reader)) {
  case TC_JSON_OBJECT:
    if (choose (6) == 0) {
      tc_json_reader_skip (reader);
    } else if (tc_json_reader_enter_object (reader, &level)) {
      while (tc_json_reader_next_member (reader, level, &name)) {
        fuzz_assert_text (name);
        if (choose (10) == 0)
          return;   /* the caller's next_member or finish skips the rest */
        walk (reader);
      }
    }
    break;
  case TC_JSON_ARRAY:
    if (choose (6) == 0) {
      tc_json_reader_skip (reader);
    } else if (tc_json_reader_enter_array (reader, &level)) {
      while (tc_json_reader_next_element (reader, level)) {
        if (choose (10) == 0)
          return;
        walk (reader);
      }
    }
    break;
  case TC_JSON_STRING:
    walk_string (reader);
    break;
  case TC_JSON_NUMBER:
    if (choose (2) == 0)
      tc_json_reader_read_int (reader, &value);
    else
      tc_json_reader_read_int_literal (reader, &value);
    break;
  case TC_JSON_BOOLEAN:
  case TC_JSON_NULL:
  case TC_JSON_INVALID:
  default:
    /* Asking for the wrong type reads as absent and moves on. */
    if (choose (2) == 0) {
      if (tc_json_reader_read_string (reader) != NULL)
        abort ();
    } else {
      tc_json_reader_skip (reader);
    }
  }
}

static gboolean
read_with (const uint8_t *data,
           size_t         size,
           guint32        start)
{
  TcJsonReader reader;
  gboolean ok;

  seed = start;
  tc_json_reader_init (&reader, (const char *) data, size);
  walk (&reader);
  ok = tc_json_reader_finish (&reader);
  if (ok == tc_json_reader_failed (&reader))
    abort ();
  tc_json_reader_clear (&reader);
  return ok;
}

static gboolean
has_surrogate_escape (const uint8_t *data,
                      size_t         size)
{
  for (size_t i = 0; i + 2 < size; i++) {
    if (data[i] == '\\' && data[i + 1] == 'u' && (data[i + 2] == 'd' || data[i + 2] == 'D'))
      return TRUE;
  }
  return FALSE;
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
  guint32 start = size > 0 ? data[0] * 31u + data[size - 1] : 1;
  gboolean ok = read_with (data, size, start);

  /* Other choices, the same verdict. */
  if (read_with (data, size, start ^ 0x5bd1e995u) != ok)
    abort ();

  if (ok && !has_surrogate_escape (data, size)) {
    g_autoptr(JsonParser) parser = json_parser_new ();
    g_autoptr(GError) error = NULL;

    if (!json_parser_load_from_data (parser, (const char *) data, (gssize) size, &error)) {
      g_printerr ("the reader took what json-glib refused: %s\n", error->message);
      abort ();
    }
  }
  return 0;
}

/* tc-json-reader.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A pull reader for JSON (RFC 8259), so that an answer is read straight into the models
 * instead of into a tree first: building json-glib's tree for one page of 100 instances
 * cost about three quarters of the core's CPU time per call. The caller asks for what it
 * expects where it expects it, and everything else is skipped, but never unchecked: the
 * whole text must be valid JSON, or nothing read from it counts (tc_json_reader_finish()).
 *
 * The rules, where RFC 8259 leaves a choice:
 * - A value of another type than the caller asked for reads as absent, and is skipped.
 * - The text must be UTF-8 (RFC 8259, section 8.1): bytes that are not are a syntax
 *   error, as they were for json-glib. What escapes can still say that is not a
 *   character, a lone surrogate ("\udc00") or U+0000, makes a string unfit for an exact
 *   value (tc_json_reader_read_string() gives %NULL); in text to show
 *   (tc_json_reader_dup_text()) each becomes U+FFFD. Raw control characters are a syntax
 *   error, as the RFC says.
 * - Numbers are read without undefined behaviour: an integer beyond gint64, or a
 *   fraction or exponent whose value is, reads as absent; a fraction is cut off.
 * - Nesting deeper than %TC_JSON_MAX_DEPTH is a syntax error.
 * - Duplicate member names are all handed to the caller in order; callers let the last
 *   one count, as JavaScript's JSON.parse (and so Tencent's Node SDK) and json-glib do.
 * - A member name that is not valid UTF-8 or holds U+0000 is handed over as "", so it
 *   can never pass for a name the caller knows.
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "tc-json-reader.h"

#define BIT(depth) (G_GUINT64_CONSTANT (1) << ((depth) - 1))

static gboolean
fail (TcJsonReader *r)
{
  r->failed = TRUE;
  r->pending = FALSE;
  return FALSE;
}

static void
skip_space (TcJsonReader *r)
{
  const char *p = r->pos;

  while (p < r->end && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t'))
    p++;
  r->pos = p;
}

/* Whether a value may be read here: one is pending and nothing failed. */
static gboolean
at_value (TcJsonReader *r)
{
  if (r->failed)
    return FALSE;
  g_return_val_if_fail (r->pending, FALSE);
  skip_space (r);
  return TRUE;
}

void
tc_json_reader_init (TcJsonReader *reader,
                     const char   *data,
                     gsize         len)
{
  memset (reader, 0, sizeof *reader);
  reader->pos = data ? data : "";
  reader->end = reader->pos + (data ? len : 0);
  reader->pending = TRUE;
  reader->key = g_string_sized_new (32);
  reader->text = g_string_sized_new (64);
}

void
tc_json_reader_clear (TcJsonReader *reader)
{
  if (reader->key != NULL)
    g_string_free (reader->key, TRUE);
  if (reader->text != NULL)
    g_string_free (reader->text, TRUE);
  reader->key = reader->text = NULL;
}

gboolean
tc_json_reader_failed (TcJsonReader *reader)
{
  return reader->failed;
}

TcJsonKind
tc_json_reader_peek (TcJsonReader *reader)
{
  if (reader->failed || !reader->pending)
    return TC_JSON_INVALID;
  skip_space (reader);
  if (reader->pos >= reader->end)
    return TC_JSON_INVALID;

  switch (*reader->pos) {
  case '{':
    return TC_JSON_OBJECT;
  case '[':
    return TC_JSON_ARRAY;
  case '"':
    return TC_JSON_STRING;
  case 't':
  case 'f':
    return TC_JSON_BOOLEAN;
  case 'n':
    return TC_JSON_NULL;
  case '-':
  case '0': case '1': case '2': case '3': case '4':
  case '5': case '6': case '7': case '8': case '9':
    return TC_JSON_NUMBER;
  default:
    return TC_JSON_INVALID;
  }
}

static gboolean
hex4 (const char *p,
      const char *end,
      guint      *value)
{
  guint v = 0;

  if (end - p < 4)
    return FALSE;
  for (int i = 0; i < 4; i++) {
    int digit = g_ascii_xdigit_value (p[i]);

    if (digit < 0)
      return FALSE;
    v = v << 4 | (guint) digit;
  }
  *value = v;
  return TRUE;
}

/* Reads the string at the cursor (a '"'), decoded into @out unless it is %NULL (when it is
 * only checked). *@valid says whether no escape stood for a lone surrogate or U+0000. */
static gboolean
scan_string (TcJsonReader *r,
             GString      *out,
             gboolean     *valid)
{
  const char *start = r->pos + 1;
  const char *p = start;
  const char *end = r->end;
  gboolean high = FALSE;

  *valid = TRUE;
  if (out != NULL)
    g_string_truncate (out, 0);

  for (;;) {
    const char *run = p;
    guint cp;

    while (p < end && (guchar) *p >= 0x20 && *p != '"' && *p != '\\') {
      high |= (guchar) *p >= 0x80;
      p++;
    }
    if (out != NULL && p > run)
      g_string_append_len (out, run, p - run);
    if (p >= end || (guchar) *p < 0x20)
      return fail (r);
    if (*p++ == '"')
      break;

    if (p >= end)
      return fail (r);
    switch (*p++) {
    case '"':  cp = '"'; break;
    case '\\': cp = '\\'; break;
    case '/':  cp = '/'; break;
    case 'b':  cp = '\b'; break;
    case 'f':  cp = '\f'; break;
    case 'n':  cp = '\n'; break;
    case 'r':  cp = '\r'; break;
    case 't':  cp = '\t'; break;
    case 'u':
      if (!hex4 (p, end, &cp))
        return fail (r);
      p += 4;
      if (cp >= 0xD800 && cp <= 0xDBFF) {
        guint low;

        if (end - p >= 6 && p[0] == '\\' && p[1] == 'u' && hex4 (p + 2, end, &low) &&
            low >= 0xDC00 && low <= 0xDFFF) {
          cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
          p += 6;
        } else {
          cp = 0xFFFD;
          *valid = FALSE;
        }
      } else if ((cp >= 0xDC00 && cp <= 0xDFFF) || cp == 0) {
        cp = 0xFFFD;
        *valid = FALSE;
      }
      break;
    default:
      return fail (r);
    }
    if (out != NULL)
      g_string_append_unichar (out, cp);
  }

  /* Escapes are ASCII, so the raw text is UTF-8 exactly when its bytes are. */
  if (high && !g_utf8_validate_len (start, (gsize) (p - 1 - start), NULL))
    return fail (r);
  r->pos = p;
  return TRUE;
}

/* Checks the number at the cursor and moves past it. */
static gboolean
scan_number (TcJsonReader *r,
             gboolean     *integer)
{
  const char *p = r->pos;
  const char *end = r->end;

  *integer = TRUE;
  if (p < end && *p == '-')
    p++;
  if (p < end && *p == '0') {
    p++;
  } else if (p < end && *p >= '1' && *p <= '9') {
    while (p < end && g_ascii_isdigit (*p))
      p++;
  } else {
    return fail (r);
  }

  if (p < end && *p == '.') {
    *integer = FALSE;
    if (++p >= end || !g_ascii_isdigit (*p))
      return fail (r);
    while (p < end && g_ascii_isdigit (*p))
      p++;
  }
  if (p < end && (*p == 'e' || *p == 'E')) {
    *integer = FALSE;
    p++;
    if (p < end && (*p == '+' || *p == '-'))
      p++;
    if (p >= end || !g_ascii_isdigit (*p))
      return fail (r);
    while (p < end && g_ascii_isdigit (*p))
      p++;
  }

  r->pos = p;
  return TRUE;
}

/* An optional minus and decimal digits, in range of gint64. */
static gboolean
parse_integer (const char *p,
               const char *end,
               gint64     *value)
{
  gboolean negative = p < end && *p == '-';
  guint64 magnitude = 0;

  if (negative)
    p++;
  if (p >= end)
    return FALSE;
  for (; p < end; p++) {
    guint digit;

    if (!g_ascii_isdigit (*p))
      return FALSE;
    digit = (guint) (*p - '0');
    if (magnitude > (G_MAXUINT64 - digit) / 10)
      return FALSE;
    magnitude = magnitude * 10 + digit;
  }

  if (negative) {
    if (magnitude > (guint64) G_MAXINT64 + 1)
      return FALSE;
    *value = magnitude == (guint64) G_MAXINT64 + 1 ? G_MININT64 : -(gint64) magnitude;
  } else {
    if (magnitude > (guint64) G_MAXINT64)
      return FALSE;
    *value = (gint64) magnitude;
  }
  return TRUE;
}

/* A number with a fraction or an exponent: 1e999 is infinite and 1e19 beyond gint64,
 * and casting either is undefined, so both read as absent. -2^63 and 2^63 are exact. */
/* With @whole, a real with a fraction is no whole number; without, the fraction is cut off. */
static gboolean
parse_real (const char *p,
            const char *end,
            gboolean    whole,
            gint64     *value)
{
  char small[64];
  g_autofree char *large = NULL;
  gsize len = (gsize) (end - p);
  char *copy = small;
  double d;

  if (len < sizeof small) {
    memcpy (small, p, len);
    small[len] = '\0';
  } else {
    copy = large = g_strndup (p, len);
  }

  d = g_ascii_strtod (copy, NULL);
  if (!isfinite (d) || d < -9223372036854775808.0 || d >= 9223372036854775808.0)
    return FALSE;
  if (whole && d != trunc (d))
    return FALSE;
  *value = (gint64) d;
  return TRUE;
}

static gboolean
scan_literal (TcJsonReader *r,
              const char   *word)
{
  gsize len = strlen (word);

  if ((gsize) (r->end - r->pos) < len || memcmp (r->pos, word, len) != 0)
    return fail (r);
  r->pos += len;
  return TRUE;
}

static gboolean
enter (TcJsonReader *r,
       char          open,
       guint        *level)
{
  if (!at_value (r))
    return FALSE;
  if (r->pos >= r->end || *r->pos != open) {
    tc_json_reader_skip (r);
    return FALSE;
  }
  if (r->depth >= TC_JSON_MAX_DEPTH)
    return fail (r);

  r->pos++;
  r->depth++;
  if (open == '[')
    r->in_array |= BIT (r->depth);
  else
    r->in_array &= ~BIT (r->depth);
  r->has_items &= ~BIT (r->depth);
  r->pending = FALSE;
  *level = r->depth;
  return TRUE;
}

/* Skips whatever the caller left unread in the container at @level: a pending value,
 * and any containers it entered below. */
static void
catch_up (TcJsonReader *r,
          guint         level)
{
  while (!r->failed && (r->pending || r->depth > level)) {
    if (r->pending) {
      tc_json_reader_skip (r);
    } else if (r->in_array & BIT (r->depth)) {
      while (tc_json_reader_next_element (r, r->depth))
        ;
    } else {
      const char *name;

      while (tc_json_reader_next_member (r, r->depth, &name))
        ;
    }
  }
}

/* Past the separator before the next item of the container at the reader's depth;
 * %FALSE when it closed (with @close) or the text is broken. */
static gboolean
next_item (TcJsonReader *r,
           char          close)
{
  skip_space (r);
  if (r->pos < r->end && *r->pos == close) {
    r->pos++;
    r->depth--;
    return FALSE;
  }
  if (r->has_items & BIT (r->depth)) {
    if (r->pos >= r->end || *r->pos != ',')
      return fail (r);
    r->pos++;
    skip_space (r);
  }
  r->has_items |= BIT (r->depth);
  return TRUE;
}

/**
 * tc_json_reader_enter_object:
 * @level: (out): the object's level, for tc_json_reader_next_member()
 *
 * Returns: whether the value at the cursor is an object; if not, it is skipped
 */
gboolean
tc_json_reader_enter_object (TcJsonReader *reader,
                             guint        *level)
{
  return enter (reader, '{', level);
}

/**
 * tc_json_reader_next_member:
 * @level: the object's level, from tc_json_reader_enter_object()
 * @name: (out) (transfer none): the member's name, valid until the next member
 *
 * Moves to the next member's value, skipping what is left of the one before. Once it
 * returns %FALSE the object is closed (or the text is broken).
 */
gboolean
tc_json_reader_next_member (TcJsonReader  *reader,
                            guint          level,
                            const char   **name)
{
  gboolean valid;

  catch_up (reader, level);
  if (reader->failed || reader->depth != level)
    return FALSE;
  g_return_val_if_fail (!(reader->in_array & BIT (level)), FALSE);

  if (!next_item (reader, '}'))
    return FALSE;
  if (reader->pos >= reader->end || *reader->pos != '"' ||
      !scan_string (reader, reader->key, &valid))
    return fail (reader);
  skip_space (reader);
  if (reader->pos >= reader->end || *reader->pos != ':')
    return fail (reader);
  reader->pos++;
  reader->pending = TRUE;
  *name = valid ? reader->key->str : "";
  return TRUE;
}

gboolean
tc_json_reader_enter_array (TcJsonReader *reader,
                            guint        *level)
{
  return enter (reader, '[', level);
}

/**
 * tc_json_reader_next_element:
 *
 * Moves to the next element, skipping what is left of the one before. Once it returns
 * %FALSE the array is closed (or the text is broken).
 */
gboolean
tc_json_reader_next_element (TcJsonReader *reader,
                             guint         level)
{
  catch_up (reader, level);
  if (reader->failed || reader->depth != level)
    return FALSE;
  g_return_val_if_fail (reader->in_array & BIT (level), FALSE);

  if (!next_item (reader, ']'))
    return FALSE;
  reader->pending = TRUE;
  return TRUE;
}

/**
 * tc_json_reader_skip:
 *
 * Moves past the value at the cursor, checking it as strictly as if it were read.
 */
void
tc_json_reader_skip (TcJsonReader *reader)
{
  gboolean flag;
  guint level;

  switch (tc_json_reader_peek (reader)) {
  case TC_JSON_OBJECT:
    if (tc_json_reader_enter_object (reader, &level))
      catch_up (reader, level - 1);
    return;
  case TC_JSON_ARRAY:
    if (tc_json_reader_enter_array (reader, &level))
      catch_up (reader, level - 1);
    return;
  case TC_JSON_STRING:
    if (scan_string (reader, NULL, &flag))
      reader->pending = FALSE;
    return;
  case TC_JSON_NUMBER:
    if (scan_number (reader, &flag))
      reader->pending = FALSE;
    return;
  case TC_JSON_BOOLEAN:
    if (scan_literal (reader, *reader->pos == 't' ? "true" : "false"))
      reader->pending = FALSE;
    return;
  case TC_JSON_NULL:
    if (scan_literal (reader, "null"))
      reader->pending = FALSE;
    return;
  case TC_JSON_INVALID:
  default:
    fail (reader);
  }
}

/* Decodes the string at the cursor into reader->text; %FALSE when the value is not a
 * string (it is skipped) or the text is broken. */
static gboolean
take_string (TcJsonReader *r)
{
  if (!at_value (r))
    return FALSE;
  if (tc_json_reader_peek (r) != TC_JSON_STRING) {
    tc_json_reader_skip (r);
    return FALSE;
  }
  if (!scan_string (r, r->text, &r->text_valid))
    return FALSE;
  r->pending = FALSE;
  return TRUE;
}

/**
 * tc_json_reader_read_string:
 *
 * For values that must be exact (IDs, codes, states, times).
 *
 * Returns: (transfer none) (nullable): the string at the cursor, valid until the next
 *   read; %NULL when the value is not a string, or not valid UTF-8 without U+0000
 */
const char *
tc_json_reader_read_string (TcJsonReader *reader)
{
  if (!take_string (reader) || !reader->text_valid)
    return NULL;
  return reader->text->str;
}

char *
tc_json_reader_dup_string (TcJsonReader *reader)
{
  return g_strdup (tc_json_reader_read_string (reader));
}

/**
 * tc_json_reader_dup_text:
 *
 * For text that is only shown (names, descriptions, messages): an escaped lone
 * surrogate or U+0000 is replaced by U+FFFD, so what reaches a model or a widget is
 * always valid UTF-8 and never cut short.
 *
 * Returns: (transfer full) (nullable): the string at the cursor, or %NULL when the value
 *   is not a string
 */
char *
tc_json_reader_dup_text (TcJsonReader *reader)
{
  if (!take_string (reader))
    return NULL;
  /* Lone surrogates and U+0000 were already written as U+FFFD. */
  return g_strndup (reader->text->str, reader->text->len);
}

/* How strictly a number is read: a string of digits or a fraction cut off (LENIENT), a
 * string of digits or a real without fraction (WHOLE), or an integer literal (LITERAL). */
typedef enum {
  NUMBER_LENIENT,
  NUMBER_WHOLE,
  NUMBER_LITERAL,
} NumberMode;

static gboolean
read_number (TcJsonReader *r,
             NumberMode    mode,
             gint64       *value)
{
  const char *start;
  gboolean integer;

  if (!at_value (r))
    return FALSE;

  switch (tc_json_reader_peek (r)) {
  case TC_JSON_NUMBER:
    start = r->pos;
    if (!scan_number (r, &integer))
      return FALSE;
    r->pending = FALSE;
    if (integer)
      return parse_integer (start, r->pos, value);
    return mode != NUMBER_LITERAL && parse_real (start, r->pos, mode == NUMBER_WHOLE, value);
  case TC_JSON_STRING:
    if (mode == NUMBER_LITERAL)
      break;
    return take_string (r) && r->text_valid &&
           parse_integer (r->text->str, r->text->str + r->text->len, value);
  default:
    break;
  }
  tc_json_reader_skip (r);
  return FALSE;
}

/**
 * tc_json_reader_read_int:
 *
 * Servers send numbers as strings now and then: a string of decimal digits (with an
 * optional minus) counts too, and a fraction is cut off.
 *
 * Returns: whether the value at the cursor is a whole number in range of gint64
 */
gboolean
tc_json_reader_read_int (TcJsonReader *reader,
                         gint64       *value)
{
  return read_number (reader, NUMBER_LENIENT, value);
}

/**
 * tc_json_reader_read_whole:
 *
 * Like tc_json_reader_read_int(), for counts the app acts on (a quota, the length of a
 * list): a fraction there means the answer is broken, so it is refused, not cut off.
 * `10.0` and `1e1` are still 10.
 *
 * Returns: whether the value at the cursor is a whole number in range of gint64
 */
gboolean
tc_json_reader_read_whole (TcJsonReader *reader,
                           gint64       *value)
{
  return read_number (reader, NUMBER_WHOLE, value);
}

/**
 * tc_json_reader_read_int_literal:
 *
 * Returns: whether the value at the cursor is written as an integer (no quotes, no
 *   fraction, no exponent) in range of gint64
 */
gboolean
tc_json_reader_read_int_literal (TcJsonReader *reader,
                                 gint64       *value)
{
  return read_number (reader, NUMBER_LITERAL, value);
}

/**
 * tc_json_reader_finish:
 *
 * Checks what the caller did not read, up to the end of the text.
 *
 * Returns: whether the whole text is one valid JSON value
 */
gboolean
tc_json_reader_finish (TcJsonReader *reader)
{
  catch_up (reader, 0);
  if (reader->failed)
    return FALSE;
  skip_space (reader);
  if (reader->pos != reader->end)
    return fail (reader);
  return TRUE;
}

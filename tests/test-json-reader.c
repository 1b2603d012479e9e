/* test-json-reader.c: the pull reader every answer goes through, at its edges
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "tc-json-reader.h"

/* Whether @text is one valid JSON value, read with nothing asked of it. */
static gboolean
valid (const char *text,
       gsize       len)
{
  TcJsonReader reader;
  gboolean ok;

  tc_json_reader_init (&reader, text, len);
  ok = tc_json_reader_finish (&reader);
  tc_json_reader_clear (&reader);
  return ok;
}

static void
test_syntax (void)
{
  static const char * const good[] = {
    "{}", "[]", " \t\r\n{ } ", "0", "-0", "1.5e+3", "-0.0E-0", "\"\"", "true", "false",
    "null", "[1,\"a\",{\"b\":[null,true]},-2]", "{\"a\":1,\"a\":2}", "\"\\u00e9\\n\\/\"",
    "\"\\ud83d\\ude00\"", "\"镜像\"", "{\"\":0}",
  };
  static const char * const bad[] = {
    "", " ", "{", "}", "[1,]", "{\"a\":1,}", "[,1]", "{,}", "{\"a\" 1}", "{\"a\":}",
    "{a:1}", "{'a':1}", "[01]", "[1.]", "[.5]", "[1e]", "[+1]", "[-]", "[0x10]",
    "[NaN]", "[Infinity]", "[-Infinity]", "[nul]", "[True]", "\"abc", "\"\\x41\"",
    "\"\\u12\"", "\"\\u12g4\"", "\"tab\there\"", "\"a\nb\"", "{} {}", "[1] x", "[1 2]",
    "{\"a\":1 \"b\":2}", "/* c */ {}", "[1]//", "\"\xff\"", "\"\xc3\"", "\"\xed\xa0\x80\"",
    "\"\xe9\x95\"", "[\"ok\",\"\xc0\xaf\"]",
  };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++) {
    g_test_message ("good: %s", good[i]);
    g_assert_true (valid (good[i], strlen (good[i])));
  }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++) {
    /* Escaped: the TAP stream itself must stay UTF-8. */
    g_autofree char *shown = g_strescape (bad[i], NULL);

    g_test_message ("bad: %s", shown);
    g_assert_false (valid (bad[i], strlen (bad[i])));
  }
}

/* Text stops where its length says, even with more bytes behind it in memory; a NUL
 * byte is not the end of the text but a control character, refused. */
static void
test_length_not_nul (void)
{
  static const char text[] = "[1]]]]";
  static const char with_nul[] = "[\"a\0b\"]";

  g_assert_true (valid (text, 3));
  g_assert_false (valid (text, 2));
  g_assert_false (valid (with_nul, sizeof with_nul - 1));
  g_assert_false (valid (NULL, 0));
}

/* Every truncation of a valid answer is invalid. */
static void
test_truncated (void)
{
  static const char text[] =
    "{\"Response\":{\"TotalCount\":12,\"InstanceSet\":[{\"InstanceId\":\"ins-1\","
    "\"InstanceName\":\"\\u955c\\u50cf \\ud83d\\ude00\",\"CPU\":2,\"Tags\":[],\"Ok\":true,"
    "\"No\":null,\"F\":-1.25e-2}],\"RequestId\":\"r\"}}";

  g_assert_true (valid (text, strlen (text)));
  for (gsize len = 0; len < strlen (text); len++)
    g_assert_false (valid (text, len));
}

static char *
read_one_string (const char *text,
                 gboolean    exact)
{
  TcJsonReader reader;
  char *value;

  tc_json_reader_init (&reader, text, strlen (text));
  value = exact ? tc_json_reader_dup_string (&reader) : tc_json_reader_dup_text (&reader);
  g_assert_true (tc_json_reader_finish (&reader));
  tc_json_reader_clear (&reader);
  return value;
}

/* Escapes, surrogate pairs, and what an exact value and a text make of escapes that are
 * no character: a lone surrogate (either half, or a pair in the wrong order) or U+0000. */
static void
test_strings (void)
{
  static const struct {
    const char *json;
    const char *exact;   /* NULL: refused as an exact value */
    const char *text;
  } cases[] = {
    { "\"plain\"", "plain", "plain" },
    { "\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"", "\"\\/\b\f\n\r\t", "\"\\/\b\f\n\r\t" },
    { "\"\\u0041\\u00e9\\u955C\"", "Aé镜", "Aé镜" },
    { "\"\\ud83d\\ude00\"", "😀", "😀" },
    { "\"\\uD83D\\uDE00x\"", "😀x", "😀x" },
    { "\"a\\ud83db\"", NULL, "a\xef\xbf\xbd" "b" },
    { "\"a\\ude00b\"", NULL, "a\xef\xbf\xbd" "b" },
    { "\"\\ude00\\ud83d\"", NULL, "\xef\xbf\xbd\xef\xbf\xbd" },
    { "\"\\ud83d\\u0041\"", NULL, "\xef\xbf\xbd" "A" },
    { "\"\\ud83d\\n\"", NULL, "\xef\xbf\xbd\n" },
    { "\"\\ud83d\"", NULL, "\xef\xbf\xbd" },
    { "\"ins-\\u0000x\"", NULL, "ins-\xef\xbf\xbdx" },
    { "\"镜像\"", "镜像", "镜像" },
    { "\"\"", "", "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autofree char *exact = read_one_string (cases[i].json, TRUE);
    g_autofree char *text = read_one_string (cases[i].json, FALSE);

    g_test_message ("%s", cases[i].json);
    g_assert_cmpstr (exact, ==, cases[i].exact);
    g_assert_cmpstr (text, ==, cases[i].text);
    g_assert_true (g_utf8_validate (text, -1, NULL));
  }
}

static gboolean
read_one_int (const char *json,
              gboolean    literal,
              gint64     *value)
{
  TcJsonReader reader;
  gboolean ok;

  tc_json_reader_init (&reader, json, strlen (json));
  ok = literal ? tc_json_reader_read_int_literal (&reader, value)
               : tc_json_reader_read_int (&reader, value);
  g_assert_true (tc_json_reader_finish (&reader));
  tc_json_reader_clear (&reader);
  return ok;
}

/* Whole numbers in range of gint64, exactly at its ends; nothing beyond is cast. Numbers
 * may come as strings of digits; a fraction is cut off. */
static void
test_numbers (void)
{
  static const struct {
    const char *json;
    gboolean    ok;
    gint64      value;
    gboolean    literal_ok;
  } cases[] = {
    { "0", TRUE, 0, TRUE },
    { "-0", TRUE, 0, TRUE },
    { "42", TRUE, 42, TRUE },
    { "9223372036854775807", TRUE, G_MAXINT64, TRUE },
    { "-9223372036854775808", TRUE, G_MININT64, TRUE },
    { "9223372036854775808", FALSE, 0, FALSE },
    { "-9223372036854775809", FALSE, 0, FALSE },
    { "18446744073709551616", FALSE, 0, FALSE },
    { "99999999999999999999999999999999999999", FALSE, 0, FALSE },
    { "2.9", TRUE, 2, FALSE },
    { "-2.9", TRUE, -2, FALSE },
    { "1e3", TRUE, 1000, FALSE },
    { "1E-400", TRUE, 0, FALSE },
    { "1e19", FALSE, 0, FALSE },
    { "-1e19", FALSE, 0, FALSE },
    { "9.3e18", FALSE, 0, FALSE },
    { "9223372036854775808.0", FALSE, 0, FALSE },
    { "-9223372036854775808.0", TRUE, G_MININT64, FALSE },
    { "1e999", FALSE, 0, FALSE },
    { "-1e999", FALSE, 0, FALSE },
    { "1.8e308", FALSE, 0, FALSE },
    { "\"25\"", TRUE, 25, FALSE },
    { "\"-7\"", TRUE, -7, FALSE },
    { "\"99999999999999999999\"", FALSE, 0, FALSE },
    { "\"\"", FALSE, 0, FALSE },
    { "\"-\"", FALSE, 0, FALSE },
    { "\" 5\"", FALSE, 0, FALSE },
    { "\"+5\"", FALSE, 0, FALSE },
    { "\"5x\"", FALSE, 0, FALSE },
    { "\"2.5\"", FALSE, 0, FALSE },
    { "\"NaN\"", FALSE, 0, FALSE },
    { "\"Infinity\"", FALSE, 0, FALSE },
    { "\"1e3\"", FALSE, 0, FALSE },
    { "\"\\u0035\"", TRUE, 5, FALSE },
    { "\"5\\u0000\"", FALSE, 0, FALSE },
    { "true", FALSE, 0, FALSE },
    { "null", FALSE, 0, FALSE },
    { "[1]", FALSE, 0, FALSE },
    { "{\"a\":1}", FALSE, 0, FALSE },
  };
  /* A number as long as an answer may be. */
  g_autofree char *long_number = g_strnfill (100000, '7');
  g_autofree char *long_real = g_strconcat ("0.", long_number, NULL);
  gint64 value;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    gint64 lenient = -1;
    gint64 literal = -1;

    g_test_message ("%s", cases[i].json);
    g_assert_cmpint (read_one_int (cases[i].json, FALSE, &lenient), ==, cases[i].ok);
    if (cases[i].ok)
      g_assert_cmpint (lenient, ==, cases[i].value);
    else
      g_assert_cmpint (lenient, ==, -1);   /* untouched */
    g_assert_cmpint (read_one_int (cases[i].json, TRUE, &literal), ==, cases[i].literal_ok);
    if (cases[i].literal_ok)
      g_assert_cmpint (literal, ==, cases[i].value);
  }

  g_assert_false (read_one_int (long_number, FALSE, &value));
  g_assert_true (read_one_int (long_real, FALSE, &value));
  g_assert_cmpint (value, ==, 0);
}

/* Counts the app acts on: a fraction is refused, not cut off; the number is left alone. */
static void
test_numbers_whole (void)
{
  static const struct {
    const char *json;
    gboolean    ok;
    gint64      value;
  } cases[] = {
    { "10", TRUE, 10 },
    { "\"10\"", TRUE, 10 },
    { "10.0", TRUE, 10 },
    { "1e1", TRUE, 10 },
    { "-0.0", TRUE, 0 },
    { "10.9", FALSE, 0 },
    { "-2.5", FALSE, 0 },
    { "0.5", FALSE, 0 },
    { "1.05e1", FALSE, 0 },
    { "\"10.9\"", FALSE, 0 },
    { "1e19", FALSE, 0 },
    { "null", FALSE, 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    TcJsonReader reader;
    gint64 value = -1;

    g_test_message ("%s", cases[i].json);
    tc_json_reader_init (&reader, cases[i].json, strlen (cases[i].json));
    g_assert_cmpint (tc_json_reader_read_whole (&reader, &value), ==, cases[i].ok);
    g_assert_true (tc_json_reader_finish (&reader));
    tc_json_reader_clear (&reader);
    g_assert_cmpint (value, ==, cases[i].ok ? cases[i].value : -1);
  }
}

static GString *
nested (guint       depth,
        const char *open,
        const char *close)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < depth; i++)
    g_string_append (text, open);
  for (guint i = 0; i < depth; i++)
    g_string_append (text, close);
  return text;
}

/* TC_JSON_MAX_DEPTH levels are read, one more is refused, and a hundred thousand are
 * refused without recursing into them; brackets in strings are not nesting. */
static void
test_depth (void)
{
  g_autoptr(GString) deepest = nested (TC_JSON_MAX_DEPTH, "[", "]");
  g_autoptr(GString) too_deep = nested (TC_JSON_MAX_DEPTH + 1, "[", "]");
  g_autoptr(GString) objects = nested (TC_JSON_MAX_DEPTH, "{\"a\":", "}");
  g_autoptr(GString) too_deep_objects = nested (TC_JSON_MAX_DEPTH + 1, "{\"a\":", "}");
  g_autoptr(GString) hostile = nested (100000, "[", "");
  g_autoptr(GString) in_string = g_string_new ("[\"");

  /* An object nested that deep holds a value at the bottom. */
  g_string_insert (objects, (gssize) (objects->len - TC_JSON_MAX_DEPTH), "1");
  g_string_insert (too_deep_objects, (gssize) (too_deep_objects->len - TC_JSON_MAX_DEPTH - 1), "1");
  for (guint i = 0; i < 100000; i++)
    g_string_append (in_string, "[{");
  g_string_append (in_string, "\"]");

  g_assert_true (valid (deepest->str, deepest->len));
  g_assert_false (valid (too_deep->str, too_deep->len));
  g_assert_true (valid (objects->str, objects->len));
  g_assert_false (valid (too_deep_objects->str, too_deep_objects->len));
  g_assert_false (valid (hostile->str, hostile->len));
  g_assert_true (valid (in_string->str, in_string->len));
}

/* A member of another type than asked for reads as absent and is skipped whole; what a
 * caller leaves unread (the rest of an object it entered, say) is skipped, but checked. */
static void
test_skipping (void)
{
  static const char text[] =
    "{\"id\":[1,{\"x\":\"y\"}],\"n\":\"no\",\"deep\":{\"a\":{\"b\":[1,2,3]},\"c\":4},"
    "\"tail\":\"t\"}";
  static const char broken_late[] = "{\"id\":\"i\",\"rest\":[1,2,}";
  TcJsonReader reader;
  const char *name;
  guint top, deep;
  gint64 n = -1;
  guint seen = 0;

  tc_json_reader_init (&reader, text, strlen (text));
  g_assert_true (tc_json_reader_enter_object (&reader, &top));
  while (tc_json_reader_next_member (&reader, top, &name)) {
    seen++;
    if (g_str_equal (name, "id")) {
      g_assert_null (tc_json_reader_read_string (&reader));   /* an array: absent */
    } else if (g_str_equal (name, "n")) {
      g_assert_false (tc_json_reader_read_int (&reader, &n));
      g_assert_cmpint (n, ==, -1);
    } else if (g_str_equal (name, "deep")) {
      g_assert_true (tc_json_reader_enter_object (&reader, &deep));
      g_assert_true (tc_json_reader_next_member (&reader, deep, &name));
      g_assert_cmpstr (name, ==, "a");
      g_assert_true (tc_json_reader_enter_object (&reader, &deep));
      /* …and leaves, two levels down: the next member is still "tail". */
    } else {
      g_assert_cmpstr (name, ==, "tail");
      g_assert_cmpstr (tc_json_reader_read_string (&reader), ==, "t");
    }
  }
  g_assert_cmpuint (seen, ==, 4);
  g_assert_true (tc_json_reader_finish (&reader));
  tc_json_reader_clear (&reader);

  /* What was read before the text broke does not make the text valid. */
  tc_json_reader_init (&reader, broken_late, strlen (broken_late));
  g_assert_true (tc_json_reader_enter_object (&reader, &top));
  g_assert_true (tc_json_reader_next_member (&reader, top, &name));
  g_assert_cmpstr (tc_json_reader_read_string (&reader), ==, "i");
  g_assert_false (tc_json_reader_finish (&reader));
  g_assert_true (tc_json_reader_failed (&reader));
  tc_json_reader_clear (&reader);
}

/* Every member is handed over in order, duplicates too (callers let the last count); a
 * name that is no valid string cannot pass for a known one. */
static void
test_member_names (void)
{
  static const char text[] =
    "{\"a\":1,\"a\":2,\"\\u0061\":3,\"a\\u0000\":4,\"\\udc00\":5,\"\":6}";
  static const char * const names[] = { "a", "a", "a", "", "", "" };
  TcJsonReader reader;
  const char *name;
  guint top;
  guint i = 0;

  tc_json_reader_init (&reader, text, strlen (text));
  g_assert_true (tc_json_reader_enter_object (&reader, &top));
  while (tc_json_reader_next_member (&reader, top, &name)) {
    gint64 value;

    g_assert_cmpuint (i, <, G_N_ELEMENTS (names));
    g_assert_cmpstr (name, ==, names[i]);
    g_assert_true (tc_json_reader_read_int (&reader, &value));
    g_assert_cmpint (value, ==, i + 1);
    i++;
  }
  g_assert_cmpuint (i, ==, G_N_ELEMENTS (names));
  g_assert_true (tc_json_reader_finish (&reader));
  tc_json_reader_clear (&reader);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/imprint/json-reader/syntax", test_syntax);
  g_test_add_func ("/imprint/json-reader/length-not-nul", test_length_not_nul);
  g_test_add_func ("/imprint/json-reader/truncated", test_truncated);
  g_test_add_func ("/imprint/json-reader/strings", test_strings);
  g_test_add_func ("/imprint/json-reader/numbers", test_numbers);
  g_test_add_func ("/imprint/json-reader/numbers/whole", test_numbers_whole);
  g_test_add_func ("/imprint/json-reader/depth", test_depth);
  g_test_add_func ("/imprint/json-reader/skipping", test_skipping);
  g_test_add_func ("/imprint/json-reader/member-names", test_member_names);

  return g_test_run ();
}

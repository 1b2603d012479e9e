/* test-rules.c: the rules the form enforces
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The messages are checked in English: the test never calls setlocale(), so gettext hands
 * back the source strings whatever the environment says.
 */
#include "config.h"

#include <string.h>

#include "tc-error.h"
#include "tc-rules.h"
#include "test-util.h"

#define LEGACY TC_PROTOCOL_LEGACY
#define API3   TC_PROTOCOL_API3

/* A text case: the input is prefix + unit × repeat + suffix, so boundaries such as
 * "60 emoji" stay readable in the table. A NULL prefix with repeat 0 and no suffix means the
 * input is NULL itself. Every needle must appear in the message of a refusal. */
typedef struct {
  const char   *id;
  TcProtocol    protocol;
  const char   *prefix;
  const char   *unit;
  guint         repeat;
  const char   *suffix;
  TcRuleResult  expected;
  const char   *needles[3];
} TextCase;

typedef gboolean (*TextCheck) (TcProtocol  protocol,
                               const char *text,
                               TcVerdict  *verdict);

static char *
build_input (const TextCase *tc)
{
  GString *s;

  if (tc->prefix == NULL && tc->unit == NULL && tc->suffix == NULL)
    return NULL;

  s = g_string_new (tc->prefix);
  for (guint i = 0; i < tc->repeat; i++)
    g_string_append (s, tc->unit);
  if (tc->suffix != NULL)
    g_string_append (s, tc->suffix);

  return g_string_free (s, FALSE);
}

/* Asserts that @ok and @verdict agree with each other and with @expected, and that a
 * refusal's message mentions every needle. */
static void
assert_verdict (gboolean            ok,
                const TcVerdict    *verdict,
                TcRuleResult        expected,
                const char * const *needles,
                gsize               n_needles)
{
  g_assert_cmpint (verdict->result, ==, expected);
  g_assert_cmpint (ok, ==, expected == TC_RULE_OK);

  if (expected == TC_RULE_OK) {
    g_assert_null (verdict->message);
    return;
  }

  g_assert_nonnull (verdict->message);
  g_test_message ("%s", verdict->message);
  g_assert_true (g_utf8_validate (verdict->message, -1, NULL));
  g_assert_cmpuint (strlen (verdict->message), >, 0);
  /* Every message says what is wrong and how to fix it: at least two clauses. */
  g_assert_true (strchr (verdict->message, '.') != NULL);

  for (gsize i = 0; i < n_needles && needles[i] != NULL; i++) {
    if (strstr (verdict->message, needles[i]) == NULL)
      g_error ("message “%s” does not mention “%s”", verdict->message, needles[i]);
  }
}

static void
run_text_case (const TextCase *tc,
               TextCheck       check)
{
  g_autofree char *input = build_input (tc);
  g_auto (TcVerdict) verdict = { 0 };
  gboolean ok;

  ok = check (tc->protocol, input, &verdict);
  assert_verdict (ok, &verdict, tc->expected, tc->needles, G_N_ELEMENTS (tc->needles));

  /* Without a verdict the answer is the same. */
  g_assert_cmpint (check (tc->protocol, input, NULL), ==, ok);
}

/* Image names. */

static const TextCase name_cases[] = {
  /* Empty, in both protocols. */
  { "legacy/null", LEGACY, NULL, NULL, 0, NULL, TC_RULE_EMPTY, { "Enter a name" } },
  { "legacy/empty", LEGACY, "", NULL, 0, NULL, TC_RULE_EMPTY, { "Enter a name" } },
  { "api3/null", API3, NULL, NULL, 0, NULL, TC_RULE_EMPTY, { "Enter a name" } },
  { "api3/empty", API3, "", NULL, 0, NULL, TC_RULE_EMPTY, { "Enter a name" } },

  /* Legacy: 1 to 16 ASCII letters, digits and “-”. */
  { "legacy/one", LEGACY, "a", NULL, 0, NULL, TC_RULE_OK, { NULL } },
  { "legacy/typical", LEGACY, "web-Server-01", NULL, 0, NULL, TC_RULE_OK, { NULL } },
  { "legacy/all-allowed", LEGACY, "azAZ09-", NULL, 0, NULL, TC_RULE_OK, { NULL } },
  { "legacy/dashes-only", LEGACY, "---", NULL, 0, NULL, TC_RULE_OK, { NULL } },
  { "legacy/16", LEGACY, "", "a", 16, NULL, TC_RULE_OK, { NULL } },
  { "legacy/too-long-17", LEGACY, "", "a", 17, NULL, TC_RULE_TOO_LONG,
    { "at most 16 characters", "now 17" } },
  { "legacy/too-long-19", LEGACY, "", "x", 19, NULL, TC_RULE_TOO_LONG, { "16", "19" } },
  { "legacy/space", LEGACY, "web server", NULL, 0, NULL, TC_RULE_BAD_CHARACTER,
    { "Spaces", "“-”" } },
  { "legacy/leading-space", LEGACY, " web", NULL, 0, NULL, TC_RULE_BAD_CHARACTER,
    { "Spaces" } },
  { "legacy/ideographic-space", LEGACY, "web\u3000server", NULL, 0, NULL,
    TC_RULE_BAD_CHARACTER, { "Spaces" } },
  { "legacy/underscore", LEGACY, "web_server", NULL, 0, NULL, TC_RULE_BAD_CHARACTER,
    { "“_”", "“-”" } },
  { "legacy/dot", LEGACY, "web.server", NULL, 0, NULL, TC_RULE_BAD_CHARACTER, { "“.”" } },
  { "legacy/cjk", LEGACY, "服务器", NULL, 0, NULL, TC_RULE_BAD_CHARACTER, { "“服”" } },
  { "legacy/accented", LEGACY, "café", NULL, 0, NULL, TC_RULE_BAD_CHARACTER, { "“é”" } },
  { "legacy/fullwidth-letter", LEGACY, "ｗｅｂ", NULL, 0, NULL, TC_RULE_BAD_CHARACTER,
    { "“ｗ”" } },
  /* A lone combining mark cannot be shown between quotation marks, so it is named by its
   * code point instead. */
  { "legacy/combining-mark", LEGACY, "e\u0301", NULL, 0, NULL, TC_RULE_BAD_CHARACTER,
    { "U+0301" } },
  { "legacy/zero-width-space", LEGACY, "a\u200Bb", NULL, 0, NULL, TC_RULE_BAD_CHARACTER,
    { "U+200B" } },
  /* A bad character is reported before the length. */
  { "legacy/bad-and-too-long", LEGACY, "", "a", 16, "_", TC_RULE_BAD_CHARACTER, { "“_”" } },
  /* A control character is reported as one even though the legacy set refuses it too. */
  { "legacy/control-newline", LEGACY, "web\n", NULL, 0, NULL, TC_RULE_CONTROL_CHARACTER,
    { "line break" } },
  { "legacy/control-tab", LEGACY, "a\tb", NULL, 0, NULL, TC_RULE_CONTROL_CHARACTER,
    { "tab" } },
  { "legacy/control-soh", LEGACY, "a\x01", NULL, 0, NULL, TC_RULE_CONTROL_CHARACTER,
    { "U+0001" } },
  { "legacy/invalid-utf8", LEGACY, "ab\xff", NULL, 0, NULL, TC_RULE_BAD_CHARACTER,
    { "UTF-8" } },

  /* API 3.0: 1 to 60 characters, counted as code points, not bytes. */
  { "api3/one", API3, "a", NULL, 0, NULL, TC_RULE_OK, { NULL } },
  { "api3/60", API3, "", "a", 60, NULL, TC_RULE_OK, { NULL } },
  { "api3/too-long-61", API3, "", "a", 61, NULL, TC_RULE_TOO_LONG,
    { "at most 60 characters", "now 61" } },
  /* 60 CJK characters are 180 bytes: still fine. */
  { "api3/cjk-60", API3, "", "镜", 60, NULL, TC_RULE_OK, { NULL } },
  { "api3/cjk-too-long-61", API3, "", "镜", 61, NULL, TC_RULE_TOO_LONG, { "60", "61" } },
  /* 60 emoji outside the BMP are 240 bytes: still fine. */
  { "api3/emoji-60", API3, "", "😀", 60, NULL, TC_RULE_OK, { NULL } },
  { "api3/emoji-too-long-61", API3, "", "😀", 61, NULL, TC_RULE_TOO_LONG, { "60", "61" } },
  /* Code points, not what the eye sees: "e" + U+0301 COMBINING ACUTE ACCENT looks like one
   * letter but counts as two, so 59 letters and one decomposed "é" are 61 characters. */
  { "api3/combining-60", API3, "", "a", 58, "e\u0301", TC_RULE_OK, { NULL } },
  { "api3/combining-too-long-61", API3, "", "a", 59, "e\u0301", TC_RULE_TOO_LONG,
    { "60", "61" } },
  { "api3/combining-only-30", API3, "", "e\u0301", 30, NULL, TC_RULE_OK, { NULL } },
  { "api3/combining-only-31", API3, "", "e\u0301", 31, NULL, TC_RULE_TOO_LONG,
    { "60", "62" } },
  { "api3/mixed", API3, "Web 服务器 (2024) — café ✓", NULL, 0, NULL, TC_RULE_OK, { NULL } },
  { "api3/inner-space", API3, "web server", NULL, 0, NULL, TC_RULE_OK, { NULL } },
  { "api3/inner-ideographic-space", API3, "服务器\u3000镜像", NULL, 0, NULL, TC_RULE_OK,
    { NULL } },
  { "api3/underscore-dot", API3, "web_server.v2", NULL, 0, NULL, TC_RULE_OK, { NULL } },

  /* API 3.0: no white space at either end. */
  { "api3/leading-space", API3, " web", NULL, 0, NULL, TC_RULE_EDGE_SPACE, { "starts" } },
  { "api3/trailing-space", API3, "web ", NULL, 0, NULL, TC_RULE_EDGE_SPACE, { "ends" } },
  { "api3/only-space", API3, " ", NULL, 0, NULL, TC_RULE_EDGE_SPACE, { "space" } },
  { "api3/leading-ideographic-space", API3, "\u3000镜像", NULL, 0, NULL, TC_RULE_EDGE_SPACE,
    { "starts" } },
  { "api3/trailing-ideographic-space", API3, "镜像\u3000", NULL, 0, NULL, TC_RULE_EDGE_SPACE,
    { "ends" } },
  { "api3/leading-no-break-space", API3, "\u00A0web", NULL, 0, NULL, TC_RULE_EDGE_SPACE,
    { "starts" } },
  /* An edge space is reported before the length. */
  { "api3/edge-space-and-too-long", API3, " ", "a", 60, NULL, TC_RULE_EDGE_SPACE,
    { "starts" } },

  /* API 3.0: no control characters, before anything else but validity. */
  { "api3/control-soh", API3, "web\x01", NULL, 0, NULL, TC_RULE_CONTROL_CHARACTER,
    { "U+0001" } },
  { "api3/control-newline", API3, "web\nserver", NULL, 0, NULL, TC_RULE_CONTROL_CHARACTER,
    { "line break" } },
  { "api3/control-carriage-return", API3, "web\rserver", NULL, 0, NULL,
    TC_RULE_CONTROL_CHARACTER, { "line break" } },
  { "api3/control-tab", API3, "web\tserver", NULL, 0, NULL, TC_RULE_CONTROL_CHARACTER,
    { "tab" } },
  { "api3/control-delete", API3, "web\x7Fserver", NULL, 0, NULL, TC_RULE_CONTROL_CHARACTER,
    { "U+007F" } },
  { "api3/control-next-line", API3, "web\xc2\x85server", NULL, 0, NULL,
    TC_RULE_CONTROL_CHARACTER, { "line break" } },
  { "api3/control-escape", API3, "\x1B[31mred", NULL, 0, NULL, TC_RULE_CONTROL_CHARACTER,
    { "U+001B" } },
  /* "\n" is white space too, but a trailing line break is reported as a control character. */
  { "api3/control-trailing-newline", API3, "web\n", NULL, 0, NULL, TC_RULE_CONTROL_CHARACTER,
    { "line break" } },
  { "api3/control-and-too-long", API3, "\x01", "a", 60, NULL, TC_RULE_CONTROL_CHARACTER,
    { "U+0001" } },

  /* Invalid UTF-8, whatever else is wrong. */
  { "api3/invalid-utf8-byte", API3, "web\xff", NULL, 0, NULL, TC_RULE_BAD_CHARACTER,
    { "UTF-8" } },
  { "api3/invalid-utf8-truncated", API3, "web\xe9\x95", NULL, 0, NULL, TC_RULE_BAD_CHARACTER,
    { "UTF-8" } },
  { "api3/invalid-utf8-overlong", API3, "\xc0\xaf", NULL, 0, NULL, TC_RULE_BAD_CHARACTER,
    { "UTF-8" } },
  { "api3/invalid-utf8-surrogate", API3, "\xed\xa0\x80", NULL, 0, NULL,
    TC_RULE_BAD_CHARACTER, { "UTF-8" } },
  { "api3/invalid-utf8-and-control", API3, "\x01\xff", NULL, 0, NULL, TC_RULE_BAD_CHARACTER,
    { "UTF-8" } },
};

static void
test_name_case (gconstpointer data)
{
  run_text_case (data, tc_rules_check_image_name);
}

/* Descriptions. */

static const TextCase description_cases[] = {
  /* Legacy: 0 to 64 Chinese characters, ASCII letters, digits, “-” and “_”. */
  { "legacy/null", LEGACY, NULL, NULL, 0, NULL, TC_RULE_OK, { NULL } },
  { "legacy/empty", LEGACY, "", NULL, 0, NULL, TC_RULE_OK, { NULL } },
  { "legacy/chinese", LEGACY, "网站服务器镜像", NULL, 0, NULL, TC_RULE_OK, { NULL } },
  { "legacy/traditional-chinese", LEGACY, "網站伺服器", NULL, 0, NULL, TC_RULE_OK, { NULL } },
  { "legacy/ascii", LEGACY, "azAZ09-_", NULL, 0, NULL, TC_RULE_OK, { NULL } },
  { "legacy/mixed", LEGACY, "镜像_v2-测试", NULL, 0, NULL, TC_RULE_OK, { NULL } },
  { "legacy/64", LEGACY, "", "a", 64, NULL, TC_RULE_OK, { NULL } },
  { "legacy/too-long-65", LEGACY, "", "a", 65, NULL, TC_RULE_TOO_LONG,
    { "at most 64 characters", "now 65" } },
  { "legacy/chinese-64", LEGACY, "", "中", 64, NULL, TC_RULE_OK, { NULL } },
  { "legacy/chinese-too-long-65", LEGACY, "", "中", 65, NULL, TC_RULE_TOO_LONG,
    { "64", "65" } },
  { "legacy/space", LEGACY, "web server", NULL, 0, NULL, TC_RULE_BAD_CHARACTER,
    { "Spaces", "“_”" } },
  { "legacy/ideographic-space", LEGACY, "网站\u3000镜像", NULL, 0, NULL,
    TC_RULE_BAD_CHARACTER, { "Spaces" } },
  { "legacy/dot", LEGACY, "v1.2", NULL, 0, NULL, TC_RULE_BAD_CHARACTER, { "“.”" } },
  { "legacy/hiragana", LEGACY, "かな", NULL, 0, NULL, TC_RULE_BAD_CHARACTER, { "“か”" } },
  { "legacy/katakana", LEGACY, "サーバー", NULL, 0, NULL, TC_RULE_BAD_CHARACTER, { "“サ”" } },
  { "legacy/hangul", LEGACY, "서버", NULL, 0, NULL, TC_RULE_BAD_CHARACTER, { "“서”" } },
  { "legacy/fullwidth-comma", LEGACY, "你好，世界", NULL, 0, NULL, TC_RULE_BAD_CHARACTER,
    { "“，”" } },
  { "legacy/ideographic-full-stop", LEGACY, "你好。", NULL, 0, NULL, TC_RULE_BAD_CHARACTER,
    { "“。”" } },
  /* Han script, but an iteration mark rather than a Chinese character. */
  { "legacy/iteration-mark", LEGACY, "人々", NULL, 0, NULL, TC_RULE_BAD_CHARACTER,
    { "“々”" } },
  { "legacy/emoji", LEGACY, "好😀", NULL, 0, NULL, TC_RULE_BAD_CHARACTER, { "“😀”" } },
  { "legacy/accented", LEGACY, "café", NULL, 0, NULL, TC_RULE_BAD_CHARACTER, { "“é”" } },
  { "legacy/bad-and-too-long", LEGACY, " ", "a", 64, NULL, TC_RULE_BAD_CHARACTER,
    { "Spaces" } },
  { "legacy/control-newline", LEGACY, "a\nb", NULL, 0, NULL, TC_RULE_CONTROL_CHARACTER,
    { "line break" } },
  { "legacy/control-tab", LEGACY, "a\tb", NULL, 0, NULL, TC_RULE_CONTROL_CHARACTER,
    { "tab" } },
  { "legacy/invalid-utf8", LEGACY, "\xff", NULL, 0, NULL, TC_RULE_BAD_CHARACTER,
    { "UTF-8" } },

  /* API 3.0: 0 to 256 characters of anything but control characters. */
  { "api3/null", API3, NULL, NULL, 0, NULL, TC_RULE_OK, { NULL } },
  { "api3/empty", API3, "", NULL, 0, NULL, TC_RULE_OK, { NULL } },
  { "api3/anything", API3, " Spaces, punctuation，かな, 서버 and emoji 😀. ", NULL, 0, NULL,
    TC_RULE_OK, { NULL } },
  { "api3/256", API3, "", "x", 256, NULL, TC_RULE_OK, { NULL } },
  { "api3/too-long-257", API3, "", "x", 257, NULL, TC_RULE_TOO_LONG,
    { "at most 256 characters", "now 257" } },
  { "api3/chinese-256", API3, "", "中", 256, NULL, TC_RULE_OK, { NULL } },
  { "api3/emoji-256", API3, "", "😀", 256, NULL, TC_RULE_OK, { NULL } },
  { "api3/emoji-too-long-257", API3, "", "😀", 257, NULL, TC_RULE_TOO_LONG,
    { "256", "257" } },
  { "api3/control-newline", API3, "line one\nline two", NULL, 0, NULL,
    TC_RULE_CONTROL_CHARACTER, { "line break" } },
  { "api3/control-tab", API3, "a\tb", NULL, 0, NULL, TC_RULE_CONTROL_CHARACTER, { "tab" } },
  { "api3/control-soh", API3, "\x01", NULL, 0, NULL, TC_RULE_CONTROL_CHARACTER,
    { "U+0001" } },
  { "api3/control-delete", API3, "a\x7F", NULL, 0, NULL, TC_RULE_CONTROL_CHARACTER,
    { "U+007F" } },
  { "api3/control-next-line", API3, "a\xc2\x85" "b", NULL, 0, NULL, TC_RULE_CONTROL_CHARACTER,
    { "line break" } },
  { "api3/control-and-too-long", API3, "\n", "x", 256, NULL, TC_RULE_CONTROL_CHARACTER,
    { "line break" } },
  { "api3/invalid-utf8", API3, "ok\xc3", NULL, 0, NULL, TC_RULE_BAD_CHARACTER, { "UTF-8" } },
};

static void
test_description_case (gconstpointer data)
{
  run_text_case (data, tc_rules_check_description);
}

/* The bytes behind "characters, not bytes". */
static void
test_name_bytes (void)
{
  const TextCase *cases[] = { NULL, NULL };

  for (gsize i = 0; i < G_N_ELEMENTS (name_cases); i++) {
    if (g_str_equal (name_cases[i].id, "api3/cjk-60"))
      cases[0] = &name_cases[i];
    else if (g_str_equal (name_cases[i].id, "api3/emoji-60"))
      cases[1] = &name_cases[i];
  }

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autofree char *input = NULL;

    g_assert_nonnull (cases[i]);
    input = build_input (cases[i]);
    g_assert_cmpuint (strlen (input), ==, i == 0 ? 180 : 240);
    g_assert_cmpuint (tc_rules_count_characters (input), ==, 60);
    g_assert_true (tc_rules_check_image_name (API3, input, NULL));
  }
}

/* Name availability. */

typedef struct {
  const char   *id;
  const char   *name;
  const char   *existing[4];
  gboolean      null_list;
  TcRuleResult  expected;
} AvailableCase;

static const AvailableCase available_cases[] = {
  { "null-list", "web", { NULL }, TRUE, TC_RULE_OK },
  { "empty-list", "web", { NULL }, FALSE, TC_RULE_OK },
  { "taken", "web", { "db", "web", "cache" }, FALSE, TC_RULE_NAME_TAKEN },
  { "taken-last", "cache", { "db", "web", "cache" }, FALSE, TC_RULE_NAME_TAKEN },
  { "taken-only", "镜像-1", { "镜像-1" }, FALSE, TC_RULE_NAME_TAKEN },
  { "case-sensitive", "Web", { "web" }, FALSE, TC_RULE_OK },
  { "case-sensitive-reverse", "web", { "WEB" }, FALSE, TC_RULE_OK },
  { "prefix-of-existing", "web", { "web-1" }, FALSE, TC_RULE_OK },
  { "existing-is-prefix", "web-1", { "web" }, FALSE, TC_RULE_OK },
  { "trailing-space", "web ", { "web" }, FALSE, TC_RULE_OK },
  /* Byte comparison: a decomposed "é" is not the precomposed one. */
  { "normalization", "cafe\u0301", { "caf\u00e9" }, FALSE, TC_RULE_OK },
  { "null-name", NULL, { "web" }, FALSE, TC_RULE_OK },
};

/* A name that is not UTF-8 (pasted from a broken file) that clashes: the message shows it
 * repaired, never the raw bytes. */
static void
test_available_invalid_utf8 (void)
{
  const char * const existing[] = { "db", "web\xff", NULL };
  g_auto (TcVerdict) verdict = { 0 };

  g_assert_false (tc_rules_check_name_available ("web\xff", existing, &verdict));
  g_assert_cmpint (verdict.result, ==, TC_RULE_NAME_TAKEN);
  g_assert_true (g_utf8_validate (verdict.message, -1, NULL));
  g_assert_nonnull (strstr (verdict.message, "“web\xef\xbf\xbd”"));
}

static void
test_available_case (gconstpointer data)
{
  const AvailableCase *tc = data;
  const char * const *existing = tc->null_list ? NULL : tc->existing;
  const char *needles[1];
  g_autofree char *quoted = NULL;
  g_auto (TcVerdict) verdict = { 0 };
  gboolean ok;

  quoted = g_strdup_printf ("“%s”", tc->name);
  needles[0] = quoted;

  ok = tc_rules_check_name_available (tc->name, existing, &verdict);
  assert_verdict (ok, &verdict, tc->expected, needles, G_N_ELEMENTS (needles));
  if (!ok)
    g_assert_nonnull (strstr (verdict.message, "Choose another name"));
  g_assert_cmpint (tc_rules_check_name_available (tc->name, existing, NULL), ==, ok);
}

/* Instance states: every state, both protocols, with and without force_poweroff. */

#define N_INSTANCE_STATES (TC_INSTANCE_STATE_BUSY + 1)

static const struct {
  TcInstanceState  state;
  const char      *id;
  gboolean         legacy_ok;
  gboolean         api3_ok;
  gboolean         api3_forced_ok;
  const char      *needle;     /* in every refusal of this state */
} state_cases[] = {
  { TC_INSTANCE_STATE_UNKNOWN,       "unknown",       FALSE, FALSE, FALSE, "unknown" },
  { TC_INSTANCE_STATE_PENDING,       "pending",       FALSE, FALSE, FALSE, "until" },
  { TC_INSTANCE_STATE_LAUNCH_FAILED, "launch-failed", FALSE, FALSE, FALSE, "cannot be imaged" },
  { TC_INSTANCE_STATE_RUNNING,       "running",       FALSE, FALSE, TRUE,  "stop it first" },
  { TC_INSTANCE_STATE_STOPPED,       "stopped",       TRUE,  TRUE,  TRUE,  NULL },
  { TC_INSTANCE_STATE_STARTING,      "starting",      FALSE, FALSE, FALSE, "until" },
  { TC_INSTANCE_STATE_STOPPING,      "stopping",      FALSE, FALSE, FALSE, "stopped" },
  { TC_INSTANCE_STATE_REBOOTING,     "rebooting",     FALSE, FALSE, FALSE, "until" },
  { TC_INSTANCE_STATE_SHUTDOWN,      "shutdown",      FALSE, FALSE, FALSE, "cannot be imaged" },
  { TC_INSTANCE_STATE_TERMINATING,   "terminating",   FALSE, FALSE, FALSE, "cannot be imaged" },
  { TC_INSTANCE_STATE_RESCUE,        "rescue",        FALSE, FALSE, FALSE, "rescue mode" },
  { TC_INSTANCE_STATE_MIGRATING,     "migrating",     FALSE, FALSE, FALSE, "until" },
  { TC_INSTANCE_STATE_BUSY,          "busy",          FALSE, FALSE, FALSE, "until" },
};

G_STATIC_ASSERT (G_N_ELEMENTS (state_cases) == N_INSTANCE_STATES);

typedef struct {
  TcProtocol  protocol;
  guint       index;
  gboolean    force_poweroff;
} StateCase;

static void
test_state_case (gconstpointer data)
{
  const StateCase *tc = data;
  TcInstanceState state = state_cases[tc->index].state;
  gboolean expected_ok;
  const char *needles[3] = { state_cases[tc->index].needle, NULL, NULL };
  g_auto (TcVerdict) verdict = { 0 };
  gboolean ok;

  if (tc->protocol == LEGACY)
    expected_ok = state_cases[tc->index].legacy_ok;
  else if (tc->force_poweroff)
    expected_ok = state_cases[tc->index].api3_forced_ok;
  else
    expected_ok = state_cases[tc->index].api3_ok;

  /* A legacy refusal says why: the legacy API only images stopped instances. Terminal
   * states are the exception, since stopping would not help. */
  if (tc->protocol == LEGACY && !expected_ok &&
      g_strcmp0 (needles[0], "cannot be imaged") != 0 &&
      state != TC_INSTANCE_STATE_UNKNOWN && state != TC_INSTANCE_STATE_STOPPING)
    needles[1] = "legacy API";

  /* The switch that would fix it is named only where it would. */
  if (tc->protocol == API3 && state == TC_INSTANCE_STATE_RUNNING)
    needles[1] = "“Shut down before imaging”";

  ok = tc_rules_check_instance_state (tc->protocol, state, tc->force_poweroff, &verdict);
  assert_verdict (ok, &verdict, expected_ok ? TC_RULE_OK : TC_RULE_INSTANCE_STATE,
                  needles, G_N_ELEMENTS (needles));

  if (!ok && tc->protocol == LEGACY)
    g_assert_null (strstr (verdict.message, "Shut down before imaging"));

  g_assert_cmpint (tc_rules_check_instance_state (tc->protocol, state, tc->force_poweroff,
                                                  NULL), ==, ok);
}

static void
test_state_running_messages (void)
{
  g_auto (TcVerdict) verdict = { 0 };

  g_assert_false (tc_rules_check_instance_state (LEGACY, TC_INSTANCE_STATE_RUNNING, TRUE,
                                                 &verdict));
  g_assert_cmpstr (verdict.message, ==,
                   "The instance is running. The legacy API can only image a stopped "
                   "instance: stop it first.");

  g_assert_false (tc_rules_check_instance_state (API3, TC_INSTANCE_STATE_RUNNING, FALSE,
                                                 &verdict));
  g_assert_cmpstr (verdict.message, ==,
                   "The instance is running. Select “Shut down before imaging” or stop it "
                   "first.");
}

/* Quota. */

typedef struct {
  const char   *id;
  guint         used;
  guint         quota;
  TcRuleResult  expected;
  const char   *needles[3];
} QuotaCase;

static const QuotaCase quota_cases[] = {
  { "empty", 0, TC_LEGACY_IMAGE_QUOTA, TC_RULE_OK, { NULL } },
  { "one-left-9-of-10", 9, 10, TC_RULE_OK, { NULL } },
  { "full-10-of-10", 10, 10, TC_RULE_QUOTA_REACHED, { "All 10 custom images", "Delete one" } },
  { "legacy-full", TC_LEGACY_IMAGE_QUOTA, TC_LEGACY_IMAGE_QUOTA, TC_RULE_QUOTA_REACHED,
    { "10" } },
  { "one-of-two", 1, 2, TC_RULE_OK, { NULL } },
  { "full-singular-1-of-1", 1, 1, TC_RULE_QUOTA_REACHED,
    { "The 1 custom image allowed", "is in use", "Delete it" } },
  { "full-plural-2-of-2", 2, 2, TC_RULE_QUOTA_REACHED, { "All 2 custom images", "are in use" } },
  { "none-allowed", 0, 0, TC_RULE_QUOTA_REACHED, { "No custom images", "raise the quota" } },
  { "over-12-of-10", 12, 10, TC_RULE_QUOTA_REACHED, { "(12)", "(10)", "Delete 3" } },
  { "large-499-of-500", 499, 500, TC_RULE_OK, { NULL } },
  { "large-500-of-500", 500, 500, TC_RULE_QUOTA_REACHED, { "500" } },
};

static void
test_quota_case (gconstpointer data)
{
  const QuotaCase *tc = data;
  g_auto (TcVerdict) verdict = { 0 };
  gboolean ok;

  ok = tc_rules_check_quota (tc->used, tc->quota, &verdict);
  assert_verdict (ok, &verdict, tc->expected, tc->needles, G_N_ELEMENTS (tc->needles));
  g_assert_cmpint (tc_rules_check_quota (tc->used, tc->quota, NULL), ==, ok);
}

/* Limits and counting. */

static void
test_limits (void)
{
  g_assert_cmpuint (tc_rules_name_max_length (LEGACY), ==, 16);
  g_assert_cmpuint (tc_rules_name_max_length (API3), ==, 60);
  g_assert_cmpuint (tc_rules_description_max_length (LEGACY), ==, 64);
  g_assert_cmpuint (tc_rules_description_max_length (API3), ==, 256);
  g_assert_cmpuint (TC_LEGACY_IMAGE_QUOTA, ==, 10);
}

static void
test_count_characters (void)
{
  static const struct {
    const char *text;
    guint       expected;
  } cases[] = {
    { NULL, 0 },
    { "", 0 },
    { "abc", 3 },
    { "caf\u00e9", 4 },
    /* Code points, not grapheme clusters: a decomposed "é" is two. */
    { "cafe\u0301", 5 },
    { "镜像", 2 },
    { "😀👍", 2 },
    /* A flag is two regional indicators; a family emoji is several joined code points. */
    { "🇨🇳", 2 },
    { "👨\u200D👩\u200D👧", 5 },
    { "a\nb\tc", 5 },
    /* Invalid UTF-8 is counted without reading past the end: each bad sequence is one. */
    { "ab\xff", 3 },
    { "ab\xf0", 3 },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    g_assert_cmpuint (tc_rules_count_characters (cases[i].text), ==, cases[i].expected);
}

/* Verdicts. */

static void
test_verdict_clear (void)
{
  TcVerdict verdict = { TC_RULE_TOO_LONG, g_strdup ("stale") };

  tc_verdict_clear (&verdict);
  g_assert_cmpint (verdict.result, ==, TC_RULE_OK);
  g_assert_null (verdict.message);

  /* Clearing twice, or clearing nothing, is harmless. */
  tc_verdict_clear (&verdict);
  tc_verdict_clear (NULL);
  g_assert_cmpint (verdict.result, ==, TC_RULE_OK);
  g_assert_null (verdict.message);
}

/* One verdict reused across checks: each check replaces the last answer, and an accepted
 * value leaves no stale message behind. */
static void
test_verdict_reuse (void)
{
  g_auto (TcVerdict) verdict = { 0 };

  g_assert_false (tc_rules_check_image_name (LEGACY, "web_server", &verdict));
  g_assert_cmpint (verdict.result, ==, TC_RULE_BAD_CHARACTER);

  g_assert_false (tc_rules_check_quota (10, 10, &verdict));
  g_assert_cmpint (verdict.result, ==, TC_RULE_QUOTA_REACHED);
  g_assert_nonnull (strstr (verdict.message, "10"));

  g_assert_true (tc_rules_check_image_name (LEGACY, "web-server", &verdict));
  g_assert_cmpint (verdict.result, ==, TC_RULE_OK);
  g_assert_null (verdict.message);

  g_assert_false (tc_rules_check_description (API3, "a\nb", &verdict));
  g_assert_true (tc_rules_check_instance_state (API3, TC_INSTANCE_STATE_RUNNING, TRUE,
                                                &verdict));
  g_assert_cmpint (verdict.result, ==, TC_RULE_OK);
  g_assert_null (verdict.message);
}

/* The two protocols really differ where SPEC.md says they do. */
static void
test_protocols_differ (void)
{
  g_autofree char *seventeen = g_strnfill (17, 'a');
  g_autofree char *sixty_five = g_strnfill (65, 'a');

  g_assert_false (tc_rules_check_image_name (LEGACY, seventeen, NULL));
  g_assert_true (tc_rules_check_image_name (API3, seventeen, NULL));
  g_assert_false (tc_rules_check_image_name (LEGACY, "镜像", NULL));
  g_assert_true (tc_rules_check_image_name (API3, "镜像", NULL));
  g_assert_false (tc_rules_check_description (LEGACY, sixty_five, NULL));
  g_assert_true (tc_rules_check_description (API3, sixty_five, NULL));
  g_assert_false (tc_rules_check_description (LEGACY, "a b", NULL));
  g_assert_true (tc_rules_check_description (API3, "a b", NULL));
}

/* While typing, a space at the end is a word in progress; every real mistake still shows. */
static void
test_name_as_typed (void)
{
  g_autofree char *sixty = g_strnfill (60, 'a');
  g_autofree char *sixty_space = g_strconcat (sixty, " ", NULL);
  g_autofree char *sixty_one_space = g_strconcat (sixty, "a ", NULL);
  static const struct {
    TcProtocol    protocol;
    const char   *name;
    TcRuleResult  as_typed;
    TcRuleResult  full;
  } cases[] = {
    { API3, "web ", TC_RULE_OK, TC_RULE_EDGE_SPACE },
    { API3, "web server", TC_RULE_OK, TC_RULE_OK },
    { API3, "web\u3000", TC_RULE_OK, TC_RULE_EDGE_SPACE },      /* an ideographic space */
    { API3, "web  \u00a0", TC_RULE_OK, TC_RULE_EDGE_SPACE },
    { API3, " web", TC_RULE_EDGE_SPACE, TC_RULE_EDGE_SPACE },   /* not a word in progress */
    { API3, " ", TC_RULE_EDGE_SPACE, TC_RULE_EDGE_SPACE },
    { API3, "", TC_RULE_EMPTY, TC_RULE_EMPTY },
    { API3, NULL, TC_RULE_EMPTY, TC_RULE_EMPTY },
    { API3, "web\t", TC_RULE_CONTROL_CHARACTER, TC_RULE_CONTROL_CHARACTER },
    { API3, "web\n ", TC_RULE_CONTROL_CHARACTER, TC_RULE_CONTROL_CHARACTER },
    { API3, "\xff ", TC_RULE_BAD_CHARACTER, TC_RULE_BAD_CHARACTER },
    { LEGACY, "web ", TC_RULE_BAD_CHARACTER, TC_RULE_BAD_CHARACTER },  /* never allowed there */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_auto(TcVerdict) as_typed = { 0 };
    g_auto(TcVerdict) full = { 0 };
    g_autofree char *shown = cases[i].name ? g_strescape (cases[i].name, NULL) : NULL;

    g_test_message ("case %u: “%s”", i, shown ? shown : "(null)");
    g_assert_cmpint (tc_rules_check_image_name_as_typed (cases[i].protocol, cases[i].name, &as_typed),
                     ==, cases[i].as_typed == TC_RULE_OK);
    g_assert_cmpint (as_typed.result, ==, cases[i].as_typed);
    g_assert_cmpint (tc_rules_check_image_name (cases[i].protocol, cases[i].name, &full),
                     ==, cases[i].full == TC_RULE_OK);
    g_assert_cmpint (full.result, ==, cases[i].full);
    /* A refusal while typing is the one the full check gives. */
    if (as_typed.result != TC_RULE_OK)
      g_assert_cmpstr (as_typed.message, ==, full.message);
  }

  /* Sixty characters and a space: fine while typing. Sixty-one: too long, said at once. */
  g_assert_true (tc_rules_check_image_name_as_typed (API3, sixty_space, NULL));
  {
    g_auto(TcVerdict) verdict = { 0 };

    g_assert_false (tc_rules_check_image_name_as_typed (API3, sixty_one_space, &verdict));
    g_assert_cmpint (verdict.result, ==, TC_RULE_TOO_LONG);
  }
}

/* A refusal, as each protocol's client builds it, and the field the form shows it under. */
typedef struct {
  const char *id;
  TcProtocol  protocol;
  const char *code;         /* API 3.0 Error.Code, or the legacy codeDesc */
  gint64      legacy_code;  /* the legacy envelope's numeric code */
  const char *message;
  TcField     field;
} FieldCase;

static const FieldCase field_cases[] = {
  /* API 3.0, the CreateImage codes of PROTOCOLS.md and the common ones. */
  { "api3/name-duplicate", API3, "InvalidImageName.Duplicate", 0, "The image name is taken.", TC_FIELD_NAME },
  { "api3/name-invalid", API3, "InvalidImageName.Malformed", 0, "Bad name.", TC_FIELD_NAME },
  { "api3/name-value", API3, "InvalidParameterValue", 0, "ImageName: The name is too long.", TC_FIELD_NAME },
  { "api3/description-value", API3, "InvalidParameterValue", 0, "ImageDescription: Too long.", TC_FIELD_DESCRIPTION },
  { "api3/value-too-large", API3, "InvalidParameter.ValueTooLarge", 0, "ImageDescription is too large.", TC_FIELD_DESCRIPTION },
  { "api3/quota", API3, "ImageQuotaLimitExceeded", 0, "Quota used up.", TC_FIELD_QUOTA },
  { "api3/limit-exceeded", API3, "LimitExceeded", 0, "Too many.", TC_FIELD_QUOTA },
  { "api3/instance-not-found", API3, "InvalidInstanceId.NotFound", 0, "No such instance.", TC_FIELD_INSTANCE },
  { "api3/instance-malformed", API3, "InvalidInstanceId.Malformed", 0, "Malformed.", TC_FIELD_INSTANCE },
  { "api3/instance-not-supported", API3, "InvalidInstance.NotSupported", 0, "Not supported.", TC_FIELD_INSTANCE },
  { "api3/instance-in-progress", API3, "OperationDenied.InstanceOperationInProgress", 0, "Busy.", TC_FIELD_INSTANCE },
  { "api3/mutex", API3, "MutexOperation.TaskRunning", 0, "Busy.", TC_FIELD_INSTANCE },
  { "api3/state-running", API3, "UnsupportedOperation.InstanceStateRunning", 0, "Running.", TC_FIELD_INSTANCE },
  { "api3/state-stopping", API3, "UnsupportedOperation.InstanceStateStopping", 0, "Stopping.", TC_FIELD_INSTANCE },
  { "api3/state-starting", API3, "UnsupportedOperation.InstanceStateStarting", 0, "Starting.", TC_FIELD_INSTANCE },
  { "api3/state-rebooting", API3, "UnsupportedOperation.InstanceStateRebooting", 0, "Rebooting.", TC_FIELD_INSTANCE },
  { "api3/state-terminating", API3, "UnsupportedOperation.InstanceStateTerminating", 0, "Terminating.", TC_FIELD_INSTANCE },
  { "api3/state-freezing", API3, "UnsupportedOperation.InstanceStateFreezing", 0, "Freezing.", TC_FIELD_INSTANCE },
  { "api3/state-rescue", API3, "UnsupportedOperation.InstanceStateRescueMode", 0, "Rescue.", TC_FIELD_INSTANCE },
  { "api3/encrypted", API3, "UnsupportedOperation.EncryptedImagesNotSupported", 0, "Encrypted.", TC_FIELD_INSTANCE },
  { "api3/disk-not-instance", API3, "InvalidParameter.DataDiskNotBelongSpecifiedInstance", 0, "Not its disk.", TC_FIELD_DATA_DISKS },
  { "api3/disk-root", API3, "InvalidParameter.DataDiskIdContainsRootDisk", 0, "Root disk.", TC_FIELD_DATA_DISKS },
  { "api3/disk-rollback", API3, "ResourceInUse.DiskRollbacking", 0, "Rolling back.", TC_FIELD_DATA_DISKS },
  { "api3/tag-key", API3, "InvalidParameterValue.TagKeyNotFound", 0, "No such key.", TC_FIELD_TAGS },
  { "api3/tag-quota", API3, "InvalidParameterValue.TagQuotaLimitExceeded", 0, "Too many tags.", TC_FIELD_TAGS },
  { "api3/tag-parameter", API3, "InvalidParameter", 0, "TagSpecification must be an array.", TC_FIELD_TAGS },
  { "api3/conflict", API3, "InvalidParameterConflict", 0, "InstanceId and SnapshotIds cannot be specified at the same time.", TC_FIELD_NONE },
  { "api3/region", API3, "UnsupportedRegion", 0, "Not here.", TC_FIELD_REGION },
  { "api3/signature", API3, "AuthFailure.SignatureFailure", 0, "Bad signature.", TC_FIELD_CREDENTIALS },
  { "api3/secret-id", API3, "AuthFailure.SecretIdNotFound", 0, "No such key.", TC_FIELD_CREDENTIALS },
  { "api3/invalid-secret-id", API3, "AuthFailure.InvalidSecretId", 0, "Bad key.", TC_FIELD_CREDENTIALS },
  { "api3/token", API3, "AuthFailure.TokenFailure", 0, "Expired.", TC_FIELD_CREDENTIALS },
  { "api3/unauthorized", API3, "AuthFailure.UnauthorizedOperation", 0, "No permission.", TC_FIELD_CREDENTIALS },
  { "api3/unauthorized-plain", API3, "UnauthorizedOperation", 0, "No permission.", TC_FIELD_CREDENTIALS },
  { "api3/clock", API3, "AuthFailure.SignatureExpire", 0, "Expired.", TC_FIELD_NONE },
  { "api3/balance", API3, "InvalidAccount.InsufficientBalance", 0, "No money.", TC_FIELD_NONE },
  { "api3/rate", API3, "RequestLimitExceeded", 0, "Slow down.", TC_FIELD_NONE },
  { "api3/internal", API3, "InternalError", 0, "Oops.", TC_FIELD_NONE },
  { "api3/unavailable", API3, "ServiceUnavailable", 0, "Later.", TC_FIELD_NONE },
  { "api3/invalid-action", API3, "InvalidAction", 0, "No such action.", TC_FIELD_NONE },
  { "api3/invalid-parameter", API3, "InvalidParameter", 0, "Something is wrong.", TC_FIELD_NONE },
  { "api3/resource-in-use", API3, "ResourceInUse", 0, "In use.", TC_FIELD_INSTANCE },
  /* Legacy: the codeDesc where it names the reason, else the parameter in the message. */
  { "legacy/name-invalid", LEGACY, "InvalidParameterValue", 4000, "(-20010)imageName: Use only letters.", TC_FIELD_NAME },
  { "legacy/description-invalid", LEGACY, "InvalidParameterValue", 4000, "(-20011)imageDescription: Too long.", TC_FIELD_DESCRIPTION },
  { "legacy/name-missing", LEGACY, NULL, 4000, "(-10000)缺少参数 imageName", TC_FIELD_NAME },
  { "legacy/instance-missing", LEGACY, NULL, 4000, "(-10000)缺少参数 instanceId", TC_FIELD_INSTANCE },
  { "legacy/name-duplicate", LEGACY, "InvalidImageName.Duplicate", 5100, "(-20001)镜像名称已存在", TC_FIELD_NAME },
  { "legacy/quota", LEGACY, "ImageQuotaLimitExceeded", 5100, "(-20002)镜像配额已满", TC_FIELD_QUOTA },
  { "legacy/state", LEGACY, "UnsupportedOperation.InstanceStateRunning", 5100, "(-20003)实例状态不允许制作镜像", TC_FIELD_INSTANCE },
  { "legacy/instance-not-found", LEGACY, "InvalidInstanceId.NotFound", 5000, "(-20004)实例不存在", TC_FIELD_INSTANCE },
  { "legacy/not-found-plain", LEGACY, NULL, 5000, "(-20004)实例不存在", TC_FIELD_INSTANCE },
  { "legacy/operation-failed", LEGACY, NULL, 5100, "(-20000)操作失败", TC_FIELD_NONE },
  { "legacy/auth", LEGACY, NULL, 4100, "(4100)鉴权失败", TC_FIELD_CREDENTIALS },
  { "legacy/sub-user", LEGACY, NULL, 4102, "(4102)未授权", TC_FIELD_CREDENTIALS },
  { "legacy/secret-id", LEGACY, NULL, 4104, "(4104)密钥不存在", TC_FIELD_CREDENTIALS },
  { "legacy/denied", LEGACY, NULL, 4300, "(4300)拒绝访问", TC_FIELD_CREDENTIALS },
  { "legacy/expired", LEGACY, NULL, 4200, "(4200)请求过期", TC_FIELD_NONE },
  { "legacy/replay", LEGACY, NULL, 4500, "(4500)重放", TC_FIELD_NONE },
  { "legacy/rate", LEGACY, NULL, 4400, "(4400)超过配额", TC_FIELD_NONE },
  { "legacy/internal", LEGACY, NULL, 6000, "(6000)内部错误", TC_FIELD_NONE },
  { "legacy/wrong-host", LEGACY, "UnsupportedOperation", 6100, "(6100)不支持", TC_FIELD_NONE },
  { "legacy/unavailable", LEGACY, NULL, 6200, "(6200)暂时不可用", TC_FIELD_NONE },
};

static void
test_field_case (gconstpointer data)
{
  const FieldCase *c = data;
  g_autoptr(GError) error = NULL;

  if (c->protocol == API3)
    error = tc_error_new_server (c->code, c->message, "req-1", 200);
  else
    error = tc_error_new_legacy (c->legacy_code, c->code, c->message, "1234", 200);
  g_assert_cmpint (tc_rules_field_for_error (error), ==, c->field);
}

/* Errors that are not the server's (no network, cancelled) are about no field. */
static void
test_field_not_server (void)
{
  g_autoptr(GError) network = g_error_new_literal (TC_ERROR, TC_ERROR_NETWORK, "offline");
  g_autoptr(GError) cancelled = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "stop");
  g_autoptr(GError) found = g_error_new_literal (TC_ERROR, TC_ERROR_NOT_FOUND, "gone");

  g_assert_cmpint (tc_rules_field_for_error (NULL), ==, TC_FIELD_NONE);
  g_assert_cmpint (tc_rules_field_for_error (network), ==, TC_FIELD_NONE);
  g_assert_cmpint (tc_rules_field_for_error (cancelled), ==, TC_FIELD_NONE);
  /* Made by the app (the instance vanished before sending): the code alone decides. */
  g_assert_cmpint (tc_rules_field_for_error (found), ==, TC_FIELD_INSTANCE);
}

int
main (int   argc,
      char *argv[])
{
  static StateCase state_runs[2 * 2 * N_INSTANCE_STATES];
  guint n_state_runs = 0;

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/imprint/rules/limits", test_limits);
  g_test_add_func ("/imprint/rules/count-characters", test_count_characters);
  g_test_add_func ("/imprint/rules/verdict/clear", test_verdict_clear);
  g_test_add_func ("/imprint/rules/verdict/reuse", test_verdict_reuse);
  g_test_add_func ("/imprint/rules/protocols-differ", test_protocols_differ);
  g_test_add_func ("/imprint/rules/name/characters-not-bytes", test_name_bytes);
  g_test_add_func ("/imprint/rules/name/as-typed", test_name_as_typed);
  g_test_add_func ("/imprint/rules/available/invalid-utf8", test_available_invalid_utf8);

  for (gsize i = 0; i < G_N_ELEMENTS (name_cases); i++) {
    g_autofree char *path = g_strconcat ("/imprint/rules/name/", name_cases[i].id, NULL);

    g_test_add_data_func (path, &name_cases[i], test_name_case);
  }

  for (gsize i = 0; i < G_N_ELEMENTS (description_cases); i++) {
    g_autofree char *path = g_strconcat ("/imprint/rules/description/",
                                         description_cases[i].id, NULL);

    g_test_add_data_func (path, &description_cases[i], test_description_case);
  }

  for (gsize i = 0; i < G_N_ELEMENTS (available_cases); i++) {
    g_autofree char *path = g_strconcat ("/imprint/rules/name-available/",
                                         available_cases[i].id, NULL);

    g_test_add_data_func (path, &available_cases[i], test_available_case);
  }

  for (guint p = 0; p < 2; p++) {
    TcProtocol protocol = p == 0 ? LEGACY : API3;

    for (guint i = 0; i < N_INSTANCE_STATES; i++) {
      g_assert_cmpint (state_cases[i].state, ==, i);

      for (guint f = 0; f < 2; f++) {
        StateCase *run = &state_runs[n_state_runs++];
        g_autofree char *path = NULL;

        run->protocol = protocol;
        run->index = i;
        run->force_poweroff = f == 1;
        path = g_strdup_printf ("/imprint/rules/instance-state/%s/%s/%s",
                                protocol == LEGACY ? "legacy" : "api3",
                                state_cases[i].id,
                                run->force_poweroff ? "force-poweroff" : "no-force");
        g_test_add_data_func (path, run, test_state_case);
      }
    }
  }
  g_test_add_func ("/imprint/rules/instance-state/running-messages",
                   test_state_running_messages);

  for (gsize i = 0; i < G_N_ELEMENTS (field_cases); i++) {
    g_autofree char *path = g_strconcat ("/imprint/rules/field-for-error/", field_cases[i].id, NULL);

    g_test_add_data_func (path, &field_cases[i], test_field_case);
  }
  g_test_add_func ("/imprint/rules/field-for-error/not-server", test_field_not_server);

  for (gsize i = 0; i < G_N_ELEMENTS (quota_cases); i++) {
    g_autofree char *path = g_strconcat ("/imprint/rules/quota/", quota_cases[i].id, NULL);

    g_test_add_data_func (path, &quota_cases[i], test_quota_case);
  }

  return g_test_run ();
}

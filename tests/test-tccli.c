/* test-tccli.c: finding credentials where tccli and the SDKs keep them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every case builds its own ~/.tccli in a temporary folder and passes its own environment,
 * so nothing of the machine running the tests is read.
 */
#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tc-tccli.h"
#include "test-util.h"

static const char * const no_environment[] = { NULL };

typedef struct {
  char *dir;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("imprint-tccli-XXXXXX", &error);
  g_assert_no_error (error);
}

static void
remove_tree (const char *path)
{
  GStatBuf st;

  if (g_lstat (path, &st) != 0)
    return;

  if (S_ISDIR (st.st_mode)) {
    g_autoptr(GDir) dir = NULL;
    const char *name;

    g_chmod (path, 0700);
    dir = g_dir_open (path, 0, NULL);
    while (dir != NULL && (name = g_dir_read_name (dir)) != NULL) {
      g_autofree char *child = g_build_filename (path, name, NULL);

      remove_tree (child);
    }
    g_rmdir (path);
  } else {
    g_unlink (path);
  }
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  remove_tree (fixture->dir);
  g_free (fixture->dir);
}

static void
write_file (Fixture    *fixture,
            const char *name,
            const char *contents)
{
  g_autofree char *path = g_build_filename (fixture->dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
}

static void
scan_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  TcTccliScan **scan = user_data;
  g_autoptr(GError) error = NULL;

  *scan = tc_tccli_scan_finish (result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (*scan);
}

static TcTccliScan *
scan_full (const char         *dir,
           const char         *sdk_file,
           const char * const *envp)
{
  TcTccliScan *result = NULL;

  tc_tccli_scan_full_async (dir, sdk_file, envp, NULL, scan_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return result;
}

static TcTccliScan *
scan (Fixture            *fixture,
      const char * const *envp)
{
  TcTccliScan *result = NULL;

  tc_tccli_scan_async (fixture->dir, envp, NULL, scan_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return result;
}

static TcTccliProfile *
profile_at (TcTccliScan *result,
            guint        index)
{
  g_assert_cmpuint (index, <, result->profiles->len);
  return g_ptr_array_index (result->profiles, index);
}

/* Asserts that exactly one problem names @file, and that it gives @reason. */
static void
assert_problem (TcTccliScan *result,
                const char  *file,
                const char  *reason)
{
  guint found = 0;

  for (guint i = 0; i < result->problems->len; i++) {
    const char *problem = g_ptr_array_index (result->problems, i);

    if (strstr (problem, file) != NULL) {
      found++;
      if (strstr (problem, reason) == NULL)
        g_error ("problem “%s” does not say “%s”", problem, reason);
    }
  }
  if (found != 1)
    g_error ("%u problems name “%s”", found, file);
}

static void
test_profile_with_configure (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(TcTccliScan) result = NULL;
  TcTccliProfile *profile;

  write_file (fixture, "default.credential",
              "{\"secretId\": \"AKIDdefault0001\", \"secretKey\": \"keyDefault0001\","
              " \"token\": \"tokenDefault\"}");
  write_file (fixture, "default.configure",
              "{\"_sys_param\": {\"region\": \"ap-shanghai\", \"language\": \"zh-CN\"},"
              " \"cvm\": {\"endpoint\": \"cvm.tencentcloudapi.com\", \"version\": \"2017-03-12\"}}");

  result = scan (fixture, no_environment);
  g_assert_cmpuint (result->problems->len, ==, 0);
  g_assert_cmpuint (result->profiles->len, ==, 1);

  profile = profile_at (result, 0);
  g_assert_cmpint (profile->source, ==, TC_TCCLI_SOURCE_PROFILE);
  g_assert_cmpstr (profile->name, ==, "default");
  g_assert_cmpstr (profile->secret_id, ==, "AKIDdefault0001");
  g_assert_cmpstr (profile->secret_key, ==, "keyDefault0001");
  g_assert_cmpstr (profile->token, ==, "tokenDefault");
  g_assert_cmpstr (profile->region, ==, "ap-shanghai");
  g_assert_cmpstr (profile->endpoint, ==, "https://cvm.tencentcloudapi.com/");
}

static void
test_profile_without_configure (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(TcTccliScan) result = NULL;
  TcTccliProfile *profile;

  write_file (fixture, "work.credential",
              "{\"secretId\": \"AKIDwork\", \"secretKey\": \"keyWork\"}");

  result = scan (fixture, no_environment);
  g_assert_cmpuint (result->problems->len, ==, 0);
  g_assert_cmpuint (result->profiles->len, ==, 1);

  profile = profile_at (result, 0);
  g_assert_cmpstr (profile->name, ==, "work");
  g_assert_cmpstr (profile->secret_id, ==, "AKIDwork");
  g_assert_cmpstr (profile->secret_key, ==, "keyWork");
  g_assert_null (profile->token);
  g_assert_null (profile->region);
  g_assert_null (profile->endpoint);
}

static void
test_configure_forms (Fixture       *fixture,
                      gconstpointer  data)
{
  static const struct {
    const char *configure;
    const char *region;
    const char *endpoint;
  } cases[] = {
    { "{\"_sys_param\": {\"region\": \"gz\"}}", "ap-guangzhou", NULL },
    { "{\"_sys_param\": {\"region\": \" ap-beijing \"}}", "ap-beijing", NULL },
    { "{\"cvm\": {\"endpoint\": \"cvm.intl.tencentcloudapi.com\"}}", NULL,
      "https://cvm.intl.tencentcloudapi.com/" },
    { "{\"cvm\": {\"endpoint\": \"cvm.internal.example.com/\"}}", NULL,
      "https://cvm.internal.example.com/" },
    { "{\"cvm\": {\"endpoint\": \"https://cvm.example.com\"}}", NULL, "https://cvm.example.com/" },
    { "{\"cvm\": {\"endpoint\": \"http://127.0.0.1:8080/\"}}", NULL, "http://127.0.0.1:8080/" },
    { "{\"cvm\": {\"endpoint\": \"\"}, \"_sys_param\": {\"region\": 3}}", NULL, NULL },
    { "{\"cvm\": \"cvm.tencentcloudapi.com\"}", NULL, NULL },
  };

  write_file (fixture, "p.credential", "{\"secretId\": \"AKIDp\", \"secretKey\": \"keyP\"}");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autoptr(TcTccliScan) result = NULL;
    TcTccliProfile *profile;

    write_file (fixture, "p.configure", cases[i].configure);
    result = scan (fixture, no_environment);
    g_assert_cmpuint (result->problems->len, ==, 0);
    profile = profile_at (result, 0);
    g_assert_cmpstr (profile->region, ==, cases[i].region);
    g_assert_cmpstr (profile->endpoint, ==, cases[i].endpoint);
  }
}

static void
test_configure_malformed (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(TcTccliScan) result = NULL;
  TcTccliProfile *profile;

  write_file (fixture, "dev.credential", "{\"secretId\": \"AKIDdev\", \"secretKey\": \"keyDev\"}");
  write_file (fixture, "dev.configure", "{\"_sys_param\": ");

  result = scan (fixture, no_environment);
  g_assert_cmpuint (result->profiles->len, ==, 1);
  profile = profile_at (result, 0);
  g_assert_cmpstr (profile->name, ==, "dev");
  g_assert_null (profile->region);
  g_assert_cmpuint (result->problems->len, ==, 1);
  assert_problem (result, "dev.configure", "was ignored: it is not valid JSON.");
}

static void
test_malformed (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(TcTccliScan) result = NULL;

  write_file (fixture, "good.credential", "{\"secretId\": \"AKIDgood\", \"secretKey\": \"keyGood\"}");
  write_file (fixture, "broken.credential", "{\"secretId\": \"AKIDbroken\", \"secretKey\": ");
  write_file (fixture, "list.credential", "[\"AKID\", \"key\"]");
  write_file (fixture, "text.credential", "secretId=AKID\nsecretKey=key\n");

  result = scan (fixture, no_environment);
  g_assert_cmpuint (result->profiles->len, ==, 1);
  g_assert_cmpstr (profile_at (result, 0)->name, ==, "good");

  g_assert_cmpuint (result->problems->len, ==, 3);
  assert_problem (result, "broken.credential", "was skipped: it is not valid JSON.");
  assert_problem (result, "list.credential", "was skipped: it does not contain a JSON object.");
  assert_problem (result, "text.credential", "was skipped: it is not valid JSON.");
}

static void
test_empty (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(TcTccliScan) result = NULL;

  write_file (fixture, "empty.credential", "");
  write_file (fixture, "blank.credential", "  \n\t\n");
  write_file (fixture, "hollow.credential", "{}");

  result = scan (fixture, no_environment);
  g_assert_cmpuint (result->profiles->len, ==, 0);
  g_assert_cmpuint (result->problems->len, ==, 3);
  assert_problem (result, "empty.credential", "was skipped: it is empty.");
  assert_problem (result, "blank.credential", "was skipped: it is empty.");
  assert_problem (result, "hollow.credential", "was skipped: it has no “secretId”.");
}

static void
test_missing_field (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(TcTccliScan) result = NULL;

  write_file (fixture, "nokey.credential", "{\"secretId\": \"AKIDnokey\"}");
  write_file (fixture, "blankkey.credential", "{\"secretId\": \"AKIDblank\", \"secretKey\": \"  \"}");
  write_file (fixture, "numkey.credential", "{\"secretId\": \"AKIDnum\", \"secretKey\": 12345}");
  write_file (fixture, "noid.credential", "{\"secretKey\": \"keyNoId\", \"token\": \"t\"}");

  result = scan (fixture, no_environment);
  g_assert_cmpuint (result->profiles->len, ==, 0);
  g_assert_cmpuint (result->problems->len, ==, 4);
  assert_problem (result, "nokey.credential", "was skipped: it has no “secretKey”.");
  assert_problem (result, "blankkey.credential", "was skipped: it has no “secretKey”.");
  assert_problem (result, "numkey.credential", "was skipped: it has no “secretKey”.");
  assert_problem (result, "noid.credential", "was skipped: it has no “secretId”.");
}

static void
test_unreadable (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(TcTccliScan) result = NULL;
  g_autofree char *secret = g_build_filename (fixture->dir, "secret.credential", NULL);
  g_autofree char *folder = g_build_filename (fixture->dir, "folder.credential", NULL);
  g_autofree char *dangling = g_build_filename (fixture->dir, "dangling.credential", NULL);
  g_autofree char *fifo = g_build_filename (fixture->dir, "fifo.credential", NULL);
  gboolean root = getuid () == 0;

  write_file (fixture, "good.credential", "{\"secretId\": \"AKIDgood\", \"secretKey\": \"keyGood\"}");

  /* chmod 000 stops anyone but root; as root (as in CI), the other unreadable kinds below
   * still have to be reported by name. */
  write_file (fixture, "secret.credential", "{\"secretId\": \"AKIDsecret\", \"secretKey\": \"k\"}");
  g_assert_cmpint (g_chmod (secret, 0), ==, 0);
  g_assert_cmpint (g_mkdir (folder, 0700), ==, 0);
  g_assert_cmpint (symlink ("does-not-exist.json", dangling), ==, 0);
  /* A FIFO would block a naive reader forever. */
  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);

  result = scan (fixture, no_environment);

  if (root) {
    g_test_message ("running as root: chmod 000 does not stop reading; checked the others");
    g_assert_cmpuint (result->profiles->len, ==, 2);
    g_assert_cmpuint (result->problems->len, ==, 3);
  } else {
    g_assert_cmpuint (result->profiles->len, ==, 1);
    g_assert_cmpuint (result->problems->len, ==, 4);
    assert_problem (result, "secret.credential",
                    "was skipped: you do not have permission to read it.");
  }
  g_assert_cmpstr (profile_at (result, 0)->name, ==, "good");
  assert_problem (result, "folder.credential", "was skipped: it is not a regular file.");
  assert_problem (result, "dangling.credential",
                  "was skipped: it is a link to a file that does not exist.");
  assert_problem (result, "fifo.credential", "was skipped: it is not a regular file.");
}

static void
test_too_large (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(TcTccliScan) result = NULL;
  g_autofree char *big = g_strnfill (100 * 1024, ' ');

  write_file (fixture, "big.credential", big);
  result = scan (fixture, no_environment);
  g_assert_cmpuint (result->profiles->len, ==, 0);
  assert_problem (result, "big.credential", "was skipped: it is too large to be a credential file.");
}

static void
test_missing_dir (void)
{
  g_autoptr(TcTccliScan) result = NULL;
  g_autofree char *dir = g_build_filename (g_get_tmp_dir (), "imprint-no-such-dir-XXXXXX", NULL);

  result = scan_full (dir, NULL, no_environment);
  g_assert_cmpuint (result->profiles->len, ==, 0);
  g_assert_cmpuint (result->problems->len, ==, 0);
}

static void
test_sorted (Fixture       *fixture,
             gconstpointer  data)
{
  const char * const envp[] = {
    "TENCENTCLOUD_SECRET_ID=AKIDenv",
    "TENCENTCLOUD_SECRET_KEY=keyEnv",
    NULL
  };
  g_autoptr(TcTccliScan) result = NULL;

  write_file (fixture, "zeta.credential", "{\"secretId\": \"AKIDz\", \"secretKey\": \"kz\"}");
  write_file (fixture, "alpha.credential", "{\"secretId\": \"AKIDa\", \"secretKey\": \"ka\"}");
  write_file (fixture, "default.credential", "{\"secretId\": \"AKIDd\", \"secretKey\": \"kd\"}");
  write_file (fixture, "beta.credential", "{\"secretId\": \"AKIDb\", \"secretKey\": \"kb\"}");
  write_file (fixture, "notes.txt", "not a credential");
  write_file (fixture, ".credential", "{\"secretId\": \"AKIDx\", \"secretKey\": \"kx\"}");

  result = scan (fixture, envp);
  g_assert_cmpuint (result->problems->len, ==, 0);
  g_assert_cmpuint (result->profiles->len, ==, 5);
  g_assert_cmpstr (profile_at (result, 0)->name, ==, "default");
  g_assert_cmpstr (profile_at (result, 1)->name, ==, "alpha");
  g_assert_cmpstr (profile_at (result, 2)->name, ==, "beta");
  g_assert_cmpstr (profile_at (result, 3)->name, ==, "zeta");
  g_assert_cmpstr (profile_at (result, 4)->name, ==, "environment");
  g_assert_cmpint (profile_at (result, 4)->source, ==, TC_TCCLI_SOURCE_ENVIRONMENT);
}

typedef struct {
  const char *name;
  const char *env[6];
  gboolean    offered;
  const char *token;
  const char *region;
  const char *problem;
} EnvCase;

static const EnvCase env_cases[] = {
  { "without-token",
    { "TENCENTCLOUD_SECRET_ID=AKIDenv", "TENCENTCLOUD_SECRET_KEY=keyEnv", NULL },
    TRUE, NULL, NULL, NULL },
  { "token-tccli",
    { "TENCENTCLOUD_SECRET_ID=AKIDenv", "TENCENTCLOUD_SECRET_KEY=keyEnv",
      "TENCENTCLOUD_TOKEN=tokTccli", NULL },
    TRUE, "tokTccli", NULL, NULL },
  { "token-session",
    { "TENCENTCLOUD_SECRET_ID=AKIDenv", "TENCENTCLOUD_SECRET_KEY=keyEnv",
      "TENCENTCLOUD_SESSION_TOKEN=tokNode", NULL },
    TRUE, "tokNode", NULL, NULL },
  { "token-security",
    { "TENCENTCLOUD_SECRET_ID=AKIDenv", "TENCENTCLOUD_SECRET_KEY=keyEnv",
      "TENCENTCLOUD_SECURITY_TOKEN=tokTerraform", NULL },
    TRUE, "tokTerraform", NULL, NULL },
  { "token-precedence",
    { "TENCENTCLOUD_SECRET_ID=AKIDenv", "TENCENTCLOUD_SECRET_KEY=keyEnv",
      "TENCENTCLOUD_SECURITY_TOKEN=tokTerraform", "TENCENTCLOUD_SESSION_TOKEN=tokNode",
      "TENCENTCLOUD_TOKEN=tokTccli", NULL },
    TRUE, "tokTccli", NULL, NULL },
  { "token-empty-falls-through",
    { "TENCENTCLOUD_SECRET_ID=AKIDenv", "TENCENTCLOUD_SECRET_KEY=keyEnv",
      "TENCENTCLOUD_TOKEN=", "TENCENTCLOUD_SESSION_TOKEN=tokNode", NULL },
    TRUE, "tokNode", NULL, NULL },
  { "region",
    { "TENCENTCLOUD_SECRET_ID=AKIDenv", "TENCENTCLOUD_SECRET_KEY=keyEnv",
      "TENCENTCLOUD_REGION=ap-singapore", NULL },
    TRUE, NULL, "ap-singapore", NULL },
  { "only-id",
    { "TENCENTCLOUD_SECRET_ID=AKIDenv", "TENCENTCLOUD_TOKEN=tok", NULL },
    FALSE, NULL, NULL, "TENCENTCLOUD_SECRET_KEY is not" },
  { "only-key",
    { "TENCENTCLOUD_SECRET_KEY=keyEnv", NULL },
    FALSE, NULL, NULL, "TENCENTCLOUD_SECRET_ID is not" },
  { "empty-key",
    { "TENCENTCLOUD_SECRET_ID=AKIDenv", "TENCENTCLOUD_SECRET_KEY=", NULL },
    FALSE, NULL, NULL, "TENCENTCLOUD_SECRET_KEY is not" },
  { "none",
    { "PATH=/usr/bin", "TENCENTCLOUD_REGION=ap-guangzhou", NULL },
    FALSE, NULL, NULL, NULL },
  /* Bytes that are not UTF-8: a key or token with them cannot be right; a region with
   * them is no region. */
  { "invalid-id",
    { "TENCENTCLOUD_SECRET_ID=AKIDenv\xe4", "TENCENTCLOUD_SECRET_KEY=keyEnv", NULL },
    FALSE, NULL, NULL, "TENCENTCLOUD_SECRET_ID is not valid UTF-8 text" },
  { "invalid-key",
    { "TENCENTCLOUD_SECRET_ID=AKIDenv", "TENCENTCLOUD_SECRET_KEY=\xffkeyEnv", NULL },
    FALSE, NULL, NULL, "TENCENTCLOUD_SECRET_KEY is not valid UTF-8 text" },
  { "invalid-token",
    { "TENCENTCLOUD_SECRET_ID=AKIDenv", "TENCENTCLOUD_SECRET_KEY=keyEnv",
      "TENCENTCLOUD_TOKEN=tok\xc3", "TENCENTCLOUD_SESSION_TOKEN=tokNode", NULL },
    FALSE, NULL, NULL, "TENCENTCLOUD_TOKEN is not valid UTF-8 text" },
  { "invalid-region",
    { "TENCENTCLOUD_SECRET_ID=AKIDenv", "TENCENTCLOUD_SECRET_KEY=keyEnv",
      "TENCENTCLOUD_REGION=ap-\xffsingapore", NULL },
    TRUE, NULL, NULL, NULL },
};

static void
test_environment (gconstpointer data)
{
  const EnvCase *c = data;
  g_autoptr(TcTccliScan) result = NULL;
  g_autofree char *dir = g_build_filename (g_get_tmp_dir (), "imprint-no-such-dir-XXXXXX", NULL);

  result = scan_full (dir, NULL, c->env);

  if (!c->offered) {
    g_assert_cmpuint (result->profiles->len, ==, 0);
  } else {
    TcTccliProfile *profile;

    g_assert_cmpuint (result->profiles->len, ==, 1);
    profile = profile_at (result, 0);
    g_assert_cmpint (profile->source, ==, TC_TCCLI_SOURCE_ENVIRONMENT);
    g_assert_cmpstr (profile->name, ==, "environment");
    g_assert_cmpstr (profile->secret_id, ==, "AKIDenv");
    g_assert_cmpstr (profile->secret_key, ==, "keyEnv");
    g_assert_cmpstr (profile->token, ==, c->token);
    g_assert_cmpstr (profile->region, ==, c->region);
    g_assert_null (profile->endpoint);
  }

  if (c->problem == NULL) {
    g_assert_cmpuint (result->problems->len, ==, 0);
  } else {
    g_assert_cmpuint (result->problems->len, ==, 1);
    g_assert_nonnull (strstr (g_ptr_array_index (result->problems, 0), c->problem));
  }
}

static void
test_sdk_file (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(TcTccliScan) result = NULL;
  g_autofree char *sdk = g_build_filename (fixture->dir, "credentials", NULL);
  g_autofree char *missing = g_build_filename (fixture->dir, "no-credentials", NULL);
  TcTccliProfile *profile;

  write_file (fixture, "credentials",
              "[default]\nsecret_id = AKIDsdk\nsecret_key = keySdk\n\n"
              "[half]\nsecret_id = AKIDhalf\n");

  result = scan_full (fixture->dir, sdk, no_environment);
  g_assert_cmpuint (result->profiles->len, ==, 1);
  profile = profile_at (result, 0);
  g_assert_cmpint (profile->source, ==, TC_TCCLI_SOURCE_PROFILE);
  g_assert_cmpstr (profile->name, ==, "SDK: default");
  g_assert_cmpstr (profile->secret_id, ==, "AKIDsdk");
  g_assert_cmpstr (profile->secret_key, ==, "keySdk");
  g_assert_null (profile->token);
  g_assert_cmpuint (result->problems->len, ==, 1);
  assert_problem (result, "credentials", "its section “half” has no “secret_key”.");
  g_clear_pointer (&result, tc_tccli_scan_free);

  write_file (fixture, "credentials", "secret_id = AKIDsdk\n");
  result = scan_full (fixture->dir, sdk, no_environment);
  g_assert_cmpuint (result->profiles->len, ==, 0);
  assert_problem (result, "credentials", "was skipped: it is not a valid INI file.");
  g_clear_pointer (&result, tc_tccli_scan_free);

  /* No SDK file at all is not a problem. */
  result = scan_full (fixture->dir, missing, no_environment);
  g_assert_cmpuint (result->profiles->len, ==, 0);
  g_assert_cmpuint (result->problems->len, ==, 0);
}

/* Hostile files: section names are shown, so they are repaired; keys and tokens with bytes
 * that are not UTF-8 skip their section with a reason, before anything can show them. */
static void
test_sdk_file_invalid_utf8 (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(TcTccliScan) result = NULL;
  g_autofree char *sdk = g_build_filename (fixture->dir, "credentials", NULL);
  TcTccliProfile *profile;

  write_file (fixture, "credentials",
              "[def\xff" "ault]\nsecret_id = AKIDsdk\nsecret_key = keySdk\nregion = ap-\xe4\n\n"
              "[badid]\nsecret_id = AKID\xe4\xb8\nsecret_key = keySdk\n\n"
              "[badkey]\nsecret_id = AKIDsdk\nsecret_key = key\xff\n\n"
              "[bad\xfetoken]\nsecret_id = AKIDsdk\nsecret_key = keySdk\ntoken = \xc0\n");

  result = scan_full (fixture->dir, sdk, no_environment);
  g_assert_cmpuint (result->profiles->len, ==, 1);
  profile = profile_at (result, 0);
  g_assert_cmpstr (profile->name, ==, "SDK: def\xef\xbf\xbd" "ault");
  g_assert_cmpstr (profile->secret_id, ==, "AKIDsdk");
  g_assert_null (profile->region);
  g_assert_cmpuint (result->problems->len, ==, 3);
  for (guint i = 0; i < result->problems->len; i++)
    g_assert_true (g_utf8_validate (g_ptr_array_index (result->problems, i), -1, NULL));
  g_assert_nonnull (strstr (g_ptr_array_index (result->problems, 0),
                            "its section “badid” has a “secret_id” that is not valid UTF-8 text."));
  g_assert_nonnull (strstr (g_ptr_array_index (result->problems, 1),
                            "its section “badkey” has a “secret_key” that is not valid UTF-8 text."));
  g_assert_nonnull (strstr (g_ptr_array_index (result->problems, 2),
                            "its section “bad\xef\xbf\xbdtoken” has a “token” that is not valid UTF-8 text."));
}

/* json-glib lets an escaped lone surrogate through as bytes that are not UTF-8. */
static void
test_credential_invalid_utf8 (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(TcTccliScan) result = NULL;
  TcTccliProfile *profile;

  write_file (fixture, "bad.credential", "{\"secretId\": \"AKID\\udc00x\", \"secretKey\": \"k\"}");
  write_file (fixture, "badkey.credential", "{\"secretId\": \"AKID\", \"secretKey\": \"k\\udfffx\"}");
  write_file (fixture, "good.credential", "{\"secretId\": \"AKIDgood\", \"secretKey\": \"k\"}");
  write_file (fixture, "good.configure",
              "{\"_sys_param\": {\"region\": \"ap-\\udc00x\"}, \"cvm\": {\"endpoint\": \"h\\udc00x\"}}");

  result = scan (fixture, no_environment);
  g_assert_cmpuint (result->profiles->len, ==, 1);
  profile = profile_at (result, 0);
  g_assert_cmpstr (profile->name, ==, "good");
  g_assert_null (profile->region);
  g_assert_null (profile->endpoint);
  assert_problem (result, "bad.credential", "was skipped: its “secretId” is not valid UTF-8 text.");
  assert_problem (result, "badkey.credential", "was skipped: its “secretKey” is not valid UTF-8 text.");
}

/* What `tccli auth login` (oauth) and `tccli sso login` write: temporary keys with a token
 * and when they expire (Unix seconds), which tccli itself renews before each call. */
#define OAUTH_CREDENTIAL(expires) \
  "{\n    \"type\": \"oauth\",\n    \"secretId\": \"AKIDoauth\",\n    \"secretKey\": \"keyOauth\",\n" \
  "    \"token\": \"tokOauth\",\n    \"expiresAt\": " expires ",\n    \"oauth\": {\n" \
  "        \"openId\": \"open\",\n        \"accessToken\": \"access\",\n" \
  "        \"expiresAt\": " expires ",\n        \"refreshToken\": \"refresh\",\n" \
  "        \"site\": \"cn\"\n    }\n}"
#define SSO_CREDENTIAL(expires) \
  "{\"type\": \"sso\", \"secretId\": \"AKIDsso\", \"secretKey\": \"keySso\", \"token\": \"tokSso\", " \
  "\"expiresAt\": " expires ", \"sso\": {\"token\": \"t\", \"uin\": \"100000000001\", " \
  "\"site\": \"cn\", \"expiresAt\": " expires "}}"
/* 2100-01-01 and 2023-11-14. */
#define FUTURE "4102444800"
#define PAST   "1700000000"

/* Temporary keys that are still valid are offered, saying when they expire; a token set by
 * hand (`tccli configure set token`) says nothing of it. */
static void
test_temporary (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(TcTccliScan) result = NULL;
  TcTccliProfile *profile;

  write_file (fixture, "login.credential", OAUTH_CREDENTIAL (FUTURE));
  write_file (fixture, "manual.credential",
              "{\"type\": \"default\", \"secretId\": \"AKIDm\", \"secretKey\": \"km\", \"token\": \"tm\"}");
  write_file (fixture, "sso.credential", SSO_CREDENTIAL (FUTURE));

  result = scan (fixture, no_environment);
  g_assert_cmpuint (result->problems->len, ==, 0);
  g_assert_cmpuint (result->profiles->len, ==, 3);
  profile = profile_at (result, 0);
  g_assert_cmpstr (profile->name, ==, "login");
  g_assert_cmpstr (profile->secret_id, ==, "AKIDoauth");
  g_assert_cmpstr (profile->token, ==, "tokOauth");
  g_assert_cmpint (profile->expires_at, ==, 4102444800);
  profile = profile_at (result, 1);
  g_assert_cmpstr (profile->name, ==, "manual");
  g_assert_cmpstr (profile->token, ==, "tm");
  g_assert_cmpint (profile->expires_at, ==, 0);
  profile = profile_at (result, 2);
  g_assert_cmpstr (profile->name, ==, "sso");
  g_assert_cmpstr (profile->token, ==, "tokSso");
  g_assert_cmpint (profile->expires_at, ==, 4102444800);

  /* What the row offering each says of its keys. */
  {
    g_autofree char *login = tc_tccli_profile_dup_validity (profile_at (result, 0));
    g_autofree char *manual = tc_tccli_profile_dup_validity (profile_at (result, 1));

    g_assert_true (g_str_has_prefix (login, "Temporary keys, valid until "));
    g_assert_nonnull (strstr (login, "2100"));
    g_assert_cmpstr (manual, ==, "Temporary keys");
  }
  g_clear_pointer (&result, tc_tccli_scan_free);
  write_file (fixture, "plain.credential", "{\"secretId\": \"AKIDp\", \"secretKey\": \"kp\"}");
  result = scan (fixture, no_environment);
  profile = profile_at (result, 2);
  g_assert_cmpstr (profile->name, ==, "plain");
  g_assert_null (tc_tccli_profile_dup_validity (profile));
}

/* Expired temporary keys would fail every call: skipped, saying how tccli gets new ones. */
static void
test_expired (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(TcTccliScan) result = NULL;

  write_file (fixture, "default.credential", OAUTH_CREDENTIAL (PAST));
  write_file (fixture, "work.credential", OAUTH_CREDENTIAL (PAST));
  write_file (fixture, "team.credential", SSO_CREDENTIAL (PAST));

  result = scan (fixture, no_environment);
  g_assert_cmpuint (result->profiles->len, ==, 0);
  g_assert_cmpuint (result->problems->len, ==, 3);
  assert_problem (result, "default.credential", "was skipped: its temporary keys expired on ");
  assert_problem (result, "default.credential", "Run “tccli auth login” for new ones.");
  assert_problem (result, "work.credential", "Run “tccli auth login --profile work” for new ones.");
  assert_problem (result, "team.credential", "Run “tccli sso login --profile team” for new ones.");
}

/* Profiles with which tccli calls as a role, not with the keys in the file: Imprint cannot,
 * and the keys alone would act as someone else. A role-arn without a session name is not
 * used by tccli either: its keys are. */
static void
test_roles (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(TcTccliScan) result = NULL;

  write_file (fixture, "instance.credential", "{\"type\": \"cvm-role\"}");
  write_file (fixture, "instancekeys.credential",
              "{\"type\": \"cvm-role\", \"secretId\": \"AKIDi\", \"secretKey\": \"ki\"}");
  write_file (fixture, "role.credential",
              "{\"secretId\": \"AKIDr\", \"secretKey\": \"kr\", "
              "\"role-arn\": \"qcs::cam::uin/100000000001:roleName/ops\", "
              "\"role-session-name\": \"imprint\"}");
  write_file (fixture, "halfrole.credential",
              "{\"secretId\": \"AKIDh\", \"secretKey\": \"kh\", "
              "\"role-arn\": \"qcs::cam::uin/100000000001:roleName/ops\"}");
  write_file (fixture, "plain.credential",
              "{\"type\": \"default\", \"secretId\": \"AKIDp\", \"secretKey\": \"kp\"}");

  result = scan (fixture, no_environment);
  g_assert_cmpuint (result->profiles->len, ==, 2);
  g_assert_cmpstr (profile_at (result, 0)->name, ==, "halfrole");
  g_assert_null (profile_at (result, 0)->token);
  g_assert_cmpint (profile_at (result, 0)->expires_at, ==, 0);
  g_assert_cmpstr (profile_at (result, 1)->name, ==, "plain");
  g_assert_cmpuint (result->problems->len, ==, 3);
  assert_problem (result, "instance.credential",
                  "was skipped: it uses the role of the CVM instance tccli runs on "
                  "(use-cvm-role), which Imprint cannot use.");
  assert_problem (result, "instancekeys.credential", "(use-cvm-role), which Imprint cannot use.");
  assert_problem (result, "role.credential",
                  "was skipped: it assumes the CAM role "
                  "“qcs::cam::uin/100000000001:roleName/ops” (role-arn), which Imprint cannot do.");
}

static void
cancelled_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  gboolean *done = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(TcTccliScan) scan_result = tc_tccli_scan_finish (result, &error);

  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (scan_result);
  *done = TRUE;
}

static void
test_cancelled (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  gboolean done = FALSE;

  write_file (fixture, "default.credential", "{\"secretId\": \"AKIDd\", \"secretKey\": \"kd\"}");
  g_cancellable_cancel (cancellable);
  tc_tccli_scan_async (fixture->dir, no_environment, cancellable, cancelled_cb, &done);
  test_wait_until (&done, 10);
}

static void
test_free_null (void)
{
  tc_tccli_profile_free (NULL);
  tc_tccli_scan_free (NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/imprint/tccli/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("profile/with-configure", test_profile_with_configure);
  ADD ("profile/without-configure", test_profile_without_configure);
  ADD ("profile/configure-forms", test_configure_forms);
  ADD ("profile/configure-malformed", test_configure_malformed);
  ADD ("profile/sorted", test_sorted);
  ADD ("problems/malformed", test_malformed);
  ADD ("problems/empty", test_empty);
  ADD ("problems/missing-field", test_missing_field);
  ADD ("problems/unreadable", test_unreadable);
  ADD ("problems/too-large", test_too_large);
  ADD ("sdk-file", test_sdk_file);
  ADD ("hostile/sdk-file-invalid-utf8", test_sdk_file_invalid_utf8);
  ADD ("hostile/credential-invalid-utf8", test_credential_invalid_utf8);
  ADD ("kind/temporary", test_temporary);
  ADD ("kind/expired", test_expired);
  ADD ("kind/roles", test_roles);
  ADD ("cancelled", test_cancelled);
#undef ADD

  g_test_add_func ("/imprint/tccli/missing-dir", test_missing_dir);
  g_test_add_func ("/imprint/tccli/free-null", test_free_null);
  for (guint i = 0; i < G_N_ELEMENTS (env_cases); i++) {
    g_autofree char *path = g_strdup_printf ("/imprint/tccli/environment/%s", env_cases[i].name);

    g_test_add_data_func (path, &env_cases[i], test_environment);
  }

  return g_test_run ();
}

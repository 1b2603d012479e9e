/* tc-tccli.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Finds the credentials a user already keeps for tccli and the SDKs, so the account editor
 * can offer them. Everything here runs in a worker thread: the files are small, but a home
 * directory can sit on a slow network share. Every copy of a SecretKey or token this code
 * makes is wiped before it is freed (json-glib's and GKeyFile's internal scratch copies are
 * out of reach).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tc-json.h"
#include "tc-models.h"
#include "tc-places.h"
#include "tc-tccli.h"
#include "tc-tccli-private.h"

/* tccli's files are a few hundred bytes; a bigger one is not a credential file. */
#define MAX_FILE_SIZE (64 * 1024)

#define ENVIRONMENT_PROFILE "environment"
#define DEFAULT_PROFILE     "default"

static void
wipe_free (char *str)
{
  if (str != NULL) {
    memset (str, 0, strlen (str));
    g_free (str);
  }
}

void
tc_tccli_profile_free (TcTccliProfile *profile)
{
  if (profile == NULL)
    return;

  g_free (profile->name);
  g_free (profile->secret_id);
  wipe_free (profile->secret_key);
  wipe_free (profile->token);
  g_free (profile->region);
  g_free (profile->endpoint);
  g_free (profile);
}

void
tc_tccli_scan_free (TcTccliScan *scan)
{
  if (scan == NULL)
    return;

  g_clear_pointer (&scan->profiles, g_ptr_array_unref);
  g_clear_pointer (&scan->problems, g_ptr_array_unref);
  g_free (scan);
}

TcTccliScan *
tc_tccli_scan_new (void)
{
  TcTccliScan *scan = g_new0 (TcTccliScan, 1);

  scan->profiles = g_ptr_array_new_with_free_func ((GDestroyNotify) tc_tccli_profile_free);
  scan->problems = g_ptr_array_new_with_free_func (g_free);
  return scan;
}

/* A moment in the user's time zone, for a sentence. */
static char *
format_time (gint64 unix_time)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_local (unix_time);

  if (time == NULL)
    return g_strdup_printf ("%" G_GINT64_FORMAT, unix_time);
  /* TRANSLATORS: when temporary keys expire, as in “3 May 2026, 14:05”; see
   * g_date_time_format(). */
  return g_date_time_format (time, _("%-d %B %Y, %H:%M"));
}

/**
 * tc_tccli_profile_dup_validity:
 *
 * Returns: (nullable): for temporary keys (those with a token), a phrase that says so and
 *   when they expire, if known; %NULL for permanent keys
 */
char *
tc_tccli_profile_dup_validity (const TcTccliProfile *profile)
{
  g_autofree char *when = NULL;

  g_return_val_if_fail (profile != NULL, NULL);

  if (profile->token == NULL)
    return NULL;
  if (profile->expires_at <= 0)
    return g_strdup (_("Temporary keys"));
  when = format_time (profile->expires_at);
  /* TRANSLATORS: a profile offered for import: %s is when its keys expire, as in “3 May
   * 2026, 14:05”. */
  return g_strdup_printf (_("Temporary keys, valid until %s"), when);
}

/* "~/.tccli/default.credential" rather than the full path, when it is in the home. */
static char *
display_path (const char *path)
{
  const char *home = g_get_home_dir ();
  g_autofree char *display = g_filename_display_name (path);
  g_autofree char *home_display = home ? g_filename_display_name (home) : NULL;

  if (home_display != NULL && g_str_has_prefix (display, home_display) &&
      display[strlen (home_display)] == G_DIR_SEPARATOR)
    return g_strconcat ("~", display + strlen (home_display), NULL);
  return g_steal_pointer (&display);
}

static void
add_problem (TcTccliScan *scan,
             const char  *path,
             gboolean     skipped,
             const char  *reason)
{
  g_autofree char *display = display_path (path);
  char *problem;

  if (skipped) {
    /* TRANSLATORS: %s is a file name, then the reason it was passed over, e.g. "it is
     * empty." */
    problem = g_strdup_printf (_("“%s” was skipped: %s"), display, reason);
  } else {
    /* TRANSLATORS: a .configure file whose region and endpoint could not be used (the
     * credentials next to it still are); %s is a file name, then the reason. */
    problem = g_strdup_printf (_("“%s” was ignored: %s"), display, reason);
  }
  g_ptr_array_add (scan->problems, problem);
}

/* Reading files */

typedef enum {
  READ_OK,
  READ_MISSING,
  READ_DENIED,
  READ_NOT_FILE,
  READ_TOO_LARGE,
  READ_FAILED,
} ReadResult;

static ReadResult
errno_to_result (int saved_errno)
{
  switch (saved_errno) {
  case ENOENT:
  case ENOTDIR:
  case ELOOP:
    return READ_MISSING;
  case EACCES:
  case EPERM:
    return READ_DENIED;
  case EISDIR:
    return READ_NOT_FILE;
  default:
    return READ_FAILED;
  }
}

/* Reads a small regular file. A FIFO or device with a credential's name would block or
 * never end, so only regular files are read, and only up to MAX_FILE_SIZE. The buffer may
 * hold secrets: free it with wipe_buffer(). */
static ReadResult
read_small_file (const char  *path,
                 char       **contents,
                 gsize       *length,
                 int         *error_number)
{
  g_autofree char *buffer = NULL;
  struct stat st;
  gsize len = 0;
  int fd;

  *error_number = 0;
  fd = g_open (path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK, 0);
  if (fd < 0) {
    *error_number = errno;
    return errno_to_result (*error_number);
  }

  if (fstat (fd, &st) != 0) {
    *error_number = errno;
    close (fd);
    return READ_FAILED;
  }
  if (!S_ISREG (st.st_mode)) {
    close (fd);
    return READ_NOT_FILE;
  }
  if (st.st_size > MAX_FILE_SIZE) {
    close (fd);
    return READ_TOO_LARGE;
  }

  buffer = g_malloc (MAX_FILE_SIZE + 1);
  for (;;) {
    gssize n = read (fd, buffer + len, MAX_FILE_SIZE + 1 - len);

    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0) {
      *error_number = errno;
      memset (buffer, 0, MAX_FILE_SIZE + 1);
      close (fd);
      return errno_to_result (*error_number) == READ_NOT_FILE ? READ_NOT_FILE : READ_FAILED;
    }
    if (n == 0)
      break;
    len += (gsize) n;
    if (len > MAX_FILE_SIZE) {
      memset (buffer, 0, MAX_FILE_SIZE + 1);
      close (fd);
      return READ_TOO_LARGE;
    }
  }
  close (fd);

  buffer[len] = '\0';
  *contents = g_steal_pointer (&buffer);
  *length = len;
  return READ_OK;
}

static void
wipe_buffer (char *buffer)
{
  if (buffer != NULL) {
    memset (buffer, 0, MAX_FILE_SIZE + 1);
    g_free (buffer);
  }
}

typedef char ReadBuffer;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ReadBuffer, wipe_buffer)

static char *
read_problem (ReadResult result,
              int        error_number)
{
  switch (result) {
  case READ_MISSING:
    return g_strdup (_("it is a link to a file that does not exist."));
  case READ_DENIED:
    return g_strdup (_("you do not have permission to read it."));
  case READ_NOT_FILE:
    return g_strdup (_("it is not a regular file."));
  case READ_TOO_LARGE:
    return g_strdup (_("it is too large to be a credential file."));
  case READ_FAILED:
  case READ_OK:
  default:
    /* TRANSLATORS: %s is the system's reason, e.g. "Input/output error". */
    return g_strdup_printf (_("it could not be read (%s)."), g_strerror (error_number));
  }
}

static gboolean
is_blank (const char *data,
          gsize       len)
{
  for (gsize i = 0; i < len; i++) {
    if (!g_ascii_isspace (data[i]))
      return FALSE;
  }
  return TRUE;
}

/* Parses @data as a JSON object. On failure, returns NULL and sets @problem. The parser's
 * strings are the caller's to wipe. */
static JsonParser *
parse_json_object (const char  *data,
                   gsize        len,
                   char       **problem)
{
  g_autoptr(JsonParser) parser = NULL;
  JsonNode *root;

  *problem = NULL;
  if (is_blank (data, len)) {
    *problem = g_strdup (_("it is empty."));
    return NULL;
  }

  parser = json_parser_new ();
  if (!tc_json_depth_ok (data, len) ||
      !json_parser_load_from_data (parser, data, (gssize) len, NULL)) {
    *problem = g_strdup (_("it is not valid JSON."));
    return NULL;
  }

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root)) {
    *problem = g_strdup (_("it does not contain a JSON object."));
    return NULL;
  }

  return g_steal_pointer (&parser);
}

/* Reads @path as a JSON object. On failure, returns NULL and sets @problem; a missing
 * file sets neither when @missing_ok. The parser's strings are the caller's to wipe. */
static JsonParser *
read_json_object (const char  *path,
                  gboolean     missing_ok,
                  char       **problem)
{
  g_autoptr(ReadBuffer) data = NULL;
  ReadResult result;
  int error_number;
  gsize len = 0;

  *problem = NULL;
  result = read_small_file (path, &data, &len, &error_number);
  if (result == READ_MISSING && missing_ok) {
    /* A dangling link is a problem worth naming; a file that is simply not there is not. */
    GStatBuf st;

    if (g_lstat (path, &st) != 0)
      return NULL;
  }
  if (result != READ_OK) {
    *problem = read_problem (result, error_number);
    return NULL;
  }

  return parse_json_object (data, len, problem);
}

static void
wipe_member (JsonObject *object,
             const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
      json_node_get_value_type (node) == G_TYPE_STRING) {
    char *value = (char *) json_node_get_string (node);

    memset (value, 0, strlen (value));
  }
}

static char *
dup_nonempty (const char *value)
{
  g_autofree char *copy = NULL;

  if (value == NULL)
    return NULL;
  copy = g_strstrip (g_strdup (value));
  if (*copy == '\0') {
    return NULL;
  }
  return g_steal_pointer (&copy);
}

/* A value that must be exact (a key, a token): NULL when absent or blank. Bytes that are
 * not UTF-8 cannot be part of a right one: then NULL, and @invalid names @field (the
 * first such field wins). */
static char *
exact_value (const char  *value,
             const char  *field,
             const char **invalid)
{
  if (value != NULL && !g_utf8_validate (value, -1, NULL)) {
    if (*invalid == NULL)
      *invalid = field;
    return NULL;
  }
  return dup_nonempty (value);
}

/* The same for a member of a tccli file; json-glib lets an escaped lone surrogate through
 * as bytes that are not UTF-8, which tc_json_get_string() refuses. */
static char *
json_exact_value (JsonObject  *object,
                  const char  *member,
                  const char **invalid)
{
  const char *value = tc_json_get_string (object, member);
  char *repaired;

  if (value != NULL)
    return dup_nonempty (value);

  repaired = tc_json_dup_text (object, member);
  if (repaired != NULL && *invalid == NULL)
    *invalid = member;
  wipe_free (repaired);
  return NULL;
}

/* tccli keeps the bare host ("cvm.tencentcloudapi.com"); the editor wants a URL. */
static char *
endpoint_to_url (const char *endpoint)
{
  g_autofree char *host = NULL;
  gsize len;

  if (endpoint == NULL || !g_utf8_validate (endpoint, -1, NULL))
    return NULL;
  host = dup_nonempty (endpoint);

  if (host == NULL)
    return NULL;

  if (strstr (host, "://") != NULL) {
    const char *path = strchr (strstr (host, "://") + 3, '/');

    return path != NULL ? g_steal_pointer (&host) : g_strconcat (host, "/", NULL);
  }

  len = strlen (host);
  while (len > 0 && host[len - 1] == '/')
    host[--len] = '\0';
  if (len == 0)
    return NULL;
  return g_strconcat ("https://", host, "/", NULL);
}

static char *
normalize_region (const char *region)
{
  g_autofree char *copy = NULL;
  const char *modern;

  /* A region that is not text is no region: the account editor asks for one. */
  if (region == NULL || !g_utf8_validate (region, -1, NULL))
    return NULL;
  copy = dup_nonempty (region);
  if (copy == NULL)
    return NULL;
  /* Old configurations may carry the legacy short codes ("gz", "sh"). */
  modern = tc_places_region_from_legacy_code (copy);
  return modern != NULL ? g_strdup (modern) : g_steal_pointer (&copy);
}

static void
apply_configure (TcTccliProfile *profile,
                 JsonParser     *parser)
{
  JsonObject *root = json_node_get_object (json_parser_get_root (parser));

  profile->region = normalize_region (tc_json_get_string (tc_json_get_object (root, "_sys_param"),
                                                          "region"));
  profile->endpoint = endpoint_to_url (tc_json_get_string (tc_json_get_object (root, "cvm"),
                                                           "endpoint"));
}

static void
read_configure (TcTccliScan    *scan,
                const char     *path,
                TcTccliProfile *profile)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autofree char *problem = NULL;

  parser = read_json_object (path, TRUE, &problem);
  if (parser == NULL) {
    if (problem != NULL)
      add_problem (scan, path, FALSE, problem);
    return;
  }
  apply_configure (profile, parser);
}

/* The command that gets new temporary keys for profile @name, as tccli's own messages
 * write it: `--profile` only for another profile than "default". */
static char *
login_command (const char *type,
               const char *name)
{
  const char *command = g_strcmp0 (type, "sso") == 0 ? "tccli sso login" : "tccli auth login";
  g_autofree char *quoted = NULL;

  if (g_str_equal (name, DEFAULT_PROFILE))
    return g_strdup (command);
  quoted = strspn (name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")
           == strlen (name) ? g_strdup (name) : g_shell_quote (name);
  return g_strconcat (command, " --profile ", quoted, NULL);
}

/* Why tccli does not call with the keys in the file, as tccli decides it (its
 * parse_global_arg()): a "cvm-role" type takes the instance role from the CVM metadata
 * service, and a role-arn with a role-session-name makes it AssumeRole with the keys.
 * Imprint can do neither, and the keys alone would act as another identity. NULL when
 * tccli uses the keys. */
static char *
role_problem (JsonObject *root)
{
  const char *role_arn = tc_json_get_string (root, "role-arn");
  const char *session = tc_json_get_string (root, "role-session-name");

  if (g_strcmp0 (tc_json_get_string (root, "type"), "cvm-role") == 0)
    return g_strdup (_("it uses the role of the CVM instance tccli runs on (use-cvm-role), "
                       "which Imprint cannot use."));
  if (role_arn != NULL && *role_arn != '\0' && session != NULL && *session != '\0') {
    g_autofree char *shown = g_utf8_make_valid (role_arn, -1);

    /* TRANSLATORS: %s is a role's ARN, as in “qcs::cam::uin/100000000001:roleName/ops”;
     * role-arn is tccli's name for it, left untranslated. */
    return g_strdup_printf (_("it assumes the CAM role “%s” (role-arn), which Imprint cannot "
                              "do."), shown);
  }
  return NULL;
}

/* The profile in a parsed .credential file, or NULL when it lacks a key, or tccli would
 * not call with its keys, or they expired (then the reason is added to @scan's problems). */
static TcTccliProfile *
profile_from_credential (TcTccliScan *scan,
                         const char  *path,
                         const char  *name,
                         JsonParser  *parser)
{
  JsonObject *root = json_node_get_object (json_parser_get_root (parser));
  g_autoptr(TcTccliProfile) profile = g_new0 (TcTccliProfile, 1);
  g_autofree char *role = NULL;
  const char *invalid = NULL;
  const char *missing = NULL;

  profile->source = TC_TCCLI_SOURCE_PROFILE;
  profile->secret_id = json_exact_value (root, "secretId", &invalid);
  profile->secret_key = json_exact_value (root, "secretKey", &invalid);
  profile->token = json_exact_value (root, "token", &invalid);
  wipe_member (root, "secretKey");
  wipe_member (root, "token");
  /* `tccli auth login` and `tccli sso login` write temporary keys and when they expire. */
  if (!tc_json_get_int (root, "expiresAt", &profile->expires_at) || profile->expires_at < 0)
    profile->expires_at = 0;

  role = role_problem (root);
  if (role != NULL) {
    add_problem (scan, path, TRUE, role);
    return NULL;
  }

  if (invalid != NULL) {
    /* TRANSLATORS: %s is a field name such as “secretKey”, left untranslated. */
    g_autofree char *reason = g_strdup_printf (_("its “%s” is not valid UTF-8 text."), invalid);

    add_problem (scan, path, TRUE, reason);
    return NULL;
  }

  if (profile->secret_id == NULL)
    missing = "secretId";
  else if (profile->secret_key == NULL)
    missing = "secretKey";
  if (missing != NULL) {
    /* TRANSLATORS: %s is a field name such as “secretKey”, left untranslated. */
    g_autofree char *reason = g_strdup_printf (_("it has no “%s”."), missing);

    add_problem (scan, path, TRUE, reason);
    return NULL;
  }

  /* tccli renews such keys itself before each call; Imprint cannot, and expired keys
   * would fail every call. */
  if (profile->expires_at > 0 && profile->expires_at <= g_get_real_time () / G_USEC_PER_SEC) {
    g_autofree char *when = format_time (profile->expires_at);
    g_autofree char *command = login_command (tc_json_get_string (root, "type"), name);
    /* TRANSLATORS: %s is when the keys expired, as in “3 May 2026, 14:05”, then a tccli
     * command, left untranslated, as in “tccli auth login --profile work”. */
    g_autofree char *reason = g_strdup_printf (_("its temporary keys expired on %s, and "
                                                 "Imprint cannot renew them. Run “%s” for "
                                                 "new ones."), when, command);

    add_problem (scan, path, TRUE, reason);
    return NULL;
  }

  profile->name = g_strdup (name);
  return g_steal_pointer (&profile);
}

static void
read_credential (TcTccliScan *scan,
                 const char  *dir,
                 const char  *filename)
{
  g_autofree char *path = g_build_filename (dir, filename, NULL);
  g_autofree char *problem = NULL;
  g_autofree char *configure = NULL;
  g_autofree char *name = NULL;
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(TcTccliProfile) profile = NULL;
  g_autofree char *base = NULL;

  parser = read_json_object (path, FALSE, &problem);
  if (parser == NULL) {
    add_problem (scan, path, TRUE, problem);
    return;
  }

  base = g_strndup (filename, strlen (filename) - strlen (".credential"));
  name = g_filename_display_name (base);
  profile = profile_from_credential (scan, path, name, parser);
  if (profile == NULL)
    return;

  configure = g_strconcat (base, ".configure", NULL);
  g_clear_pointer (&path, g_free);
  path = g_build_filename (dir, configure, NULL);
  read_configure (scan, path, profile);

  g_ptr_array_add (scan->profiles, g_steal_pointer (&profile));
}

/**
 * tc_tccli_read_credential_data:
 * @path: the .credential file's path, for the problems' text
 * @configure: (nullable): the text of the .configure file next to it, or %NULL
 *
 * What scanning does with one profile's files once they are read: adds the profile or
 * a problem to @scan. For the fuzzer, which feeds it bytes without a file system.
 */
void
tc_tccli_read_credential_data (TcTccliScan *scan,
                               const char  *path,
                               const char  *credential,
                               gsize        credential_len,
                               const char  *configure,
                               gsize        configure_len)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(JsonParser) configure_parser = NULL;
  g_autoptr(TcTccliProfile) profile = NULL;
  g_autofree char *problem = NULL;
  g_autofree char *name = g_path_get_basename (path);
  g_autofree char *base = g_str_has_suffix (path, ".credential")
    ? g_strndup (path, strlen (path) - strlen (".credential")) : g_strdup (path);
  g_autofree char *configure_path = g_strconcat (base, ".configure", NULL);

  if (g_str_has_suffix (name, ".credential"))
    name[strlen (name) - strlen (".credential")] = '\0';
  parser = parse_json_object (credential, credential_len, &problem);
  if (parser == NULL) {
    add_problem (scan, path, TRUE, problem);
    return;
  }

  profile = profile_from_credential (scan, path, name, parser);
  if (profile == NULL)
    return;

  if (configure != NULL) {
    g_clear_pointer (&problem, g_free);
    configure_parser = parse_json_object (configure, configure_len, &problem);
    if (configure_parser != NULL)
      apply_configure (profile, configure_parser);
    else
      add_problem (scan, configure_path, FALSE, problem);
  }

  g_ptr_array_add (scan->profiles, g_steal_pointer (&profile));
}

static int
compare_filenames (gconstpointer a,
                   gconstpointer b)
{
  return strcmp (*(const char **) a, *(const char **) b);
}

static void
scan_tccli_dir (TcTccliScan *scan,
                const char  *dir)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) gdir = NULL;
  const char *name;

  gdir = g_dir_open (dir, 0, &error);
  if (gdir == NULL) {
    if (!g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT) &&
        !g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOTDIR)) {
      g_autofree char *reason = NULL;

      if (g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_ACCES) ||
          g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_PERM))
        reason = read_problem (READ_DENIED, 0);
      else
        reason = read_problem (READ_FAILED, EIO);
      add_problem (scan, dir, TRUE, reason);
    }
    return;
  }

  while ((name = g_dir_read_name (gdir)) != NULL) {
    /* ".credential" alone would be a profile without a name. */
    if (g_str_has_suffix (name, ".credential") && strlen (name) > strlen (".credential"))
      g_ptr_array_add (names, g_strdup (name));
  }
  g_ptr_array_sort (names, compare_filenames);

  for (guint i = 0; i < names->len; i++)
    read_credential (scan, dir, g_ptr_array_index (names, i));
}

/**
 * tc_tccli_read_sdk_data:
 * @path: the file's path, for the problems' text
 *
 * Reads the text of the SDKs' INI file (`[section]` with `secret_id`, `secret_key`,
 * `token`, `region`) into @scan. Section names are shown, so they are repaired; keys and
 * tokens that are not UTF-8 cannot be right, and skip their section with a reason.
 */
void
tc_tccli_read_sdk_data (TcTccliScan *scan,
                        const char  *path,
                        const char  *data,
                        gsize        len)
{
  g_autoptr(GKeyFile) keyfile = NULL;
  g_auto(GStrv) groups = NULL;

  if (is_blank (data, len)) {
    add_problem (scan, path, TRUE, _("it is empty."));
    return;
  }

  keyfile = g_key_file_new ();
  if (!g_key_file_load_from_data (keyfile, data, len, G_KEY_FILE_NONE, NULL)) {
    add_problem (scan, path, TRUE, _("it is not a valid INI file."));
    return;
  }

  groups = g_key_file_get_groups (keyfile, NULL);
  for (guint i = 0; groups[i] != NULL; i++) {
    g_autoptr(TcTccliProfile) profile = g_new0 (TcTccliProfile, 1);
    g_autofree char *section = g_utf8_make_valid (groups[i], -1);
    g_autofree char *secret_id = g_key_file_get_value (keyfile, groups[i], "secret_id", NULL);
    g_autofree char *region = g_key_file_get_value (keyfile, groups[i], "region", NULL);
    char *key = g_key_file_get_value (keyfile, groups[i], "secret_key", NULL);
    char *token = g_key_file_get_value (keyfile, groups[i], "token", NULL);
    const char *invalid = NULL;
    const char *missing = NULL;

    profile->source = TC_TCCLI_SOURCE_PROFILE;
    /* TRANSLATORS: the name offered for a section of the Tencent Cloud SDKs'
     * credentials file; %s is the section's name, such as “default”. */
    profile->name = g_strdup_printf (_("SDK: %s"), section);
    profile->secret_id = exact_value (secret_id, "secret_id", &invalid);
    profile->secret_key = exact_value (key, "secret_key", &invalid);
    profile->token = exact_value (token, "token", &invalid);
    profile->region = normalize_region (region);
    wipe_free (key);
    wipe_free (token);

    if (invalid != NULL) {
      /* TRANSLATORS: the first %s is a section name such as “default”, the second a
       * field name such as “secret_key”, left untranslated. */
      g_autofree char *reason = g_strdup_printf (_("its section “%s” has a “%s” that is not "
                                                   "valid UTF-8 text."), section, invalid);

      add_problem (scan, path, TRUE, reason);
      continue;
    }

    if (profile->secret_id == NULL)
      missing = "secret_id";
    else if (profile->secret_key == NULL)
      missing = "secret_key";

    if (missing != NULL) {
      /* TRANSLATORS: the first %s is a section name such as “default”, the second a
       * field name such as “secret_key”, left untranslated. */
      g_autofree char *reason = g_strdup_printf (_("its section “%s” has no “%s”."),
                                                 section, missing);

      add_problem (scan, path, TRUE, reason);
      continue;
    }

    g_ptr_array_add (scan->profiles, g_steal_pointer (&profile));
  }
}

/* ~/.tencentcloud/credentials */
static void
scan_sdk_file (TcTccliScan *scan,
               const char  *path)
{
  g_autoptr(ReadBuffer) data = NULL;
  ReadResult result;
  int error_number;
  gsize len = 0;

  result = read_small_file (path, &data, &len, &error_number);
  if (result == READ_MISSING) {
    GStatBuf st;

    if (g_lstat (path, &st) != 0)
      return;
  }
  if (result != READ_OK) {
    g_autofree char *reason = read_problem (result, error_number);

    add_problem (scan, path, TRUE, reason);
    return;
  }

  tc_tccli_read_sdk_data (scan, path, data, len);
}

static const char *
getenv_nonempty (const char * const *envp,
                 const char         *variable)
{
  const char *value = g_environ_getenv ((char **) envp, variable);

  return value != NULL && *value != '\0' ? value : NULL;
}

/**
 * tc_tccli_read_environment:
 * @envp: (array zero-terminated=1): the environment to read
 *
 * Adds the profile the `TENCENTCLOUD_*` variables make, if any, to @scan. A key or token
 * that is not UTF-8 cannot be right: the environment is skipped with a reason.
 */
void
tc_tccli_read_environment (TcTccliScan        *scan,
                           const char * const *envp)
{
  static const char * const token_variables[] = {
    "TENCENTCLOUD_TOKEN",           /* tccli */
    "TENCENTCLOUD_SESSION_TOKEN",   /* the Node SDK */
    "TENCENTCLOUD_SECURITY_TOKEN",  /* Terraform */
  };
  const char *secret_id = getenv_nonempty (envp, "TENCENTCLOUD_SECRET_ID");
  const char *secret_key = getenv_nonempty (envp, "TENCENTCLOUD_SECRET_KEY");
  g_autoptr(TcTccliProfile) profile = NULL;
  const char *invalid = NULL;

  if (secret_id == NULL && secret_key == NULL)
    return;

  if (secret_id == NULL || secret_key == NULL) {
    /* TRANSLATORS: %s and %s are environment variable names, left untranslated. */
    g_ptr_array_add (scan->problems,
                     g_strdup_printf (_("The environment variable %s is set but %s is not, so "
                                        "the environment was skipped."),
                                      secret_id ? "TENCENTCLOUD_SECRET_ID" : "TENCENTCLOUD_SECRET_KEY",
                                      secret_id ? "TENCENTCLOUD_SECRET_KEY" : "TENCENTCLOUD_SECRET_ID"));
    return;
  }

  profile = g_new0 (TcTccliProfile, 1);
  profile->source = TC_TCCLI_SOURCE_ENVIRONMENT;
  profile->name = g_strdup (ENVIRONMENT_PROFILE);
  profile->secret_id = exact_value (secret_id, "TENCENTCLOUD_SECRET_ID", &invalid);
  profile->secret_key = exact_value (secret_key, "TENCENTCLOUD_SECRET_KEY", &invalid);
  for (guint i = 0; i < G_N_ELEMENTS (token_variables) && profile->token == NULL; i++)
    profile->token = exact_value (getenv_nonempty (envp, token_variables[i]), token_variables[i],
                                  &invalid);
  profile->region = normalize_region (getenv_nonempty (envp, "TENCENTCLOUD_REGION"));

  if (invalid != NULL) {
    /* TRANSLATORS: %s is an environment variable name, left untranslated. */
    g_ptr_array_add (scan->problems,
                     g_strdup_printf (_("The environment variable %s is not valid UTF-8 text, so "
                                        "the environment was skipped."), invalid));
    return;
  }

  /* A SecretId or SecretKey of only spaces is not set either. */
  if (profile->secret_id == NULL || profile->secret_key == NULL)
    return;

  g_ptr_array_add (scan->profiles, g_steal_pointer (&profile));
}

/* "default" first, then by name, the environment last. */
static int
profile_rank (const TcTccliProfile *profile)
{
  if (profile->source == TC_TCCLI_SOURCE_ENVIRONMENT)
    return 2;
  if (g_str_equal (profile->name, DEFAULT_PROFILE))
    return 0;
  return 1;
}

static int
compare_profiles (gconstpointer a,
                  gconstpointer b)
{
  const TcTccliProfile *pa = *(const TcTccliProfile **) a;
  const TcTccliProfile *pb = *(const TcTccliProfile **) b;
  int ra = profile_rank (pa);
  int rb = profile_rank (pb);

  if (ra != rb)
    return ra - rb;
  return g_utf8_collate (pa->name, pb->name);
}

typedef struct {
  char  *dir;
  char  *sdk_file;
  char **envp;
} ScanData;

static void
scan_data_free (ScanData *data)
{
  g_free (data->dir);
  g_free (data->sdk_file);
  /* The environment copy holds the SecretKey too. */
  for (guint i = 0; data->envp != NULL && data->envp[i] != NULL; i++)
    memset (data->envp[i], 0, strlen (data->envp[i]));
  g_strfreev (data->envp);
  g_free (data);
}

static void
scan_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  ScanData *data = task_data;
  TcTccliScan *scan;

  if (g_task_return_error_if_cancelled (task))
    return;

  scan = tc_tccli_scan_new ();
  scan_tccli_dir (scan, data->dir);
  if (data->sdk_file != NULL)
    scan_sdk_file (scan, data->sdk_file);
  tc_tccli_read_environment (scan, (const char * const *) data->envp);
  g_ptr_array_sort (scan->profiles, compare_profiles);

  g_task_return_pointer (task, scan, (GDestroyNotify) tc_tccli_scan_free);
}

/**
 * tc_tccli_scan_full_async:
 * @dir: (nullable): tccli's folder, or %NULL for `~/.tccli`
 * @sdk_credentials_file: (nullable): the SDKs' INI file, or %NULL to skip it
 * @environ: (nullable) (array zero-terminated=1): the environment to read, or %NULL for
 *   the process's own
 */
void
tc_tccli_scan_full_async (const char          *dir,
                          const char          *sdk_credentials_file,
                          const char * const  *envp,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ScanData *data;

  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, tc_tccli_scan_async);

  data = g_new0 (ScanData, 1);
  data->dir = dir ? g_strdup (dir) : g_build_filename (g_get_home_dir (), ".tccli", NULL);
  data->sdk_file = g_strdup (sdk_credentials_file);
  data->envp = envp ? g_strdupv ((char **) envp) : g_get_environ ();
  g_task_set_task_data (task, data, (GDestroyNotify) scan_data_free);
  g_task_run_in_thread (task, scan_thread);
}

/**
 * tc_tccli_scan_async:
 * @dir: (nullable): tccli's folder, or %NULL for `~/.tccli` (and then
 *   `~/.tencentcloud/credentials` too)
 * @environ: (nullable) (array zero-terminated=1): the environment to read, or %NULL for
 *   the process's own
 */
void
tc_tccli_scan_async (const char          *dir,
                     const char * const  *envp,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  g_autofree char *sdk_file = NULL;

  if (dir == NULL)
    sdk_file = g_build_filename (g_get_home_dir (), ".tencentcloud", "credentials", NULL);
  tc_tccli_scan_full_async (dir, sdk_file, envp, cancellable, callback, user_data);
}

/**
 * tc_tccli_scan_finish:
 *
 * Returns: (transfer full) (nullable): what was found; %NULL only when cancelled
 */
TcTccliScan *
tc_tccli_scan_finish (GAsyncResult  *result,
                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tc_tccli_scan_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

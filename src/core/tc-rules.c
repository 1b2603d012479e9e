/* tc-rules.c: the rules the form enforces
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every check runs its tests in the same order and reports the first that fails, so a value
 * always gets one stable message:
 *
 *   1. empty (image name only; a description may be empty),
 *   2. not valid UTF-8 (TC_RULE_BAD_CHARACTER),
 *   3. a control character (TC_RULE_CONTROL_CHARACTER, in both protocols, even where the
 *      legacy allowed set would also refuse it, because "remove the line break" is more
 *      useful than "use only letters"),
 *   4. a character outside the legacy allowed set (TC_RULE_BAD_CHARACTER), or, for an API 3.0
 *      name, white space at either end (TC_RULE_EDGE_SPACE),
 *   5. the length (TC_RULE_TOO_LONG), last, so the count in its message is the only thing
 *      left to fix.
 *
 * Lengths are counted in Unicode code points (what g_utf8_strlen() counts), never in bytes
 * and never in grapheme clusters: "e" followed by U+0301 COMBINING ACUTE ACCENT is two.
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "tc-error.h"
#include "tc-rules.h"

#define LEGACY_NAME_MAX_LENGTH         16
#define API3_NAME_MAX_LENGTH           60
#define LEGACY_DESCRIPTION_MAX_LENGTH  64
#define API3_DESCRIPTION_MAX_LENGTH    256

typedef enum {
  FIELD_NAME,
  FIELD_DESCRIPTION,
} Field;

/**
 * tc_verdict_clear:
 * @verdict: (nullable): a verdict
 *
 * Frees the message of @verdict and resets it to %TC_RULE_OK.
 */
void
tc_verdict_clear (TcVerdict *verdict)
{
  if (verdict == NULL)
    return;

  verdict->result = TC_RULE_OK;
  g_clear_pointer (&verdict->message, g_free);
}

/* Fills @verdict (when there is one) and returns FALSE, so callers can write
 * `return refuse (…);`. The message is only formatted when someone will read it. */
G_GNUC_PRINTF (3, 4)
static gboolean
refuse (TcVerdict    *verdict,
        TcRuleResult  result,
        const char   *format,
        ...)
{
  va_list args;

  if (verdict == NULL)
    return FALSE;

  va_start (args, format);
  g_free (verdict->message);
  verdict->result = result;
  verdict->message = g_strdup_vprintf (format, args);
  va_end (args);

  return FALSE;
}

/* Checks start from a clean verdict, so a verdict reused for several checks never keeps a
 * stale message; this is why a verdict passed in must be initialized (zeroed or cleared). */
static gboolean
accept (TcVerdict *verdict)
{
  tc_verdict_clear (verdict);
  return TRUE;
}

/**
 * tc_rules_name_max_length:
 *
 * Returns: the most characters an image name may have with @protocol
 */
guint
tc_rules_name_max_length (TcProtocol protocol)
{
  return protocol == TC_PROTOCOL_LEGACY ? LEGACY_NAME_MAX_LENGTH : API3_NAME_MAX_LENGTH;
}

/**
 * tc_rules_description_max_length:
 *
 * Returns: the most characters an image description may have with @protocol
 */
guint
tc_rules_description_max_length (TcProtocol protocol)
{
  return protocol == TC_PROTOCOL_LEGACY ? LEGACY_DESCRIPTION_MAX_LENGTH
                                        : API3_DESCRIPTION_MAX_LENGTH;
}

/**
 * tc_rules_count_characters:
 * @text: (nullable): UTF-8 text
 *
 * Counts characters the way the rules do: Unicode code points, not bytes. Invalid UTF-8 is
 * counted as if each bad sequence were one U+FFFD, so a counter never reads past the end.
 *
 * Returns: the number of code points in @text; 0 for %NULL
 */
guint
tc_rules_count_characters (const char *text)
{
  g_autofree char *valid = NULL;

  if (text == NULL)
    return 0;

  if (g_utf8_validate (text, -1, NULL))
    return (guint) g_utf8_strlen (text, -1);

  valid = g_utf8_make_valid (text, -1);
  return (guint) g_utf8_strlen (valid, -1);
}

/* Whether @c can be shown on its own between quotation marks and be recognized. */
static gboolean
is_showable (gunichar c)
{
  return g_unichar_isprint (c) &&
         !g_unichar_isspace (c) &&
         !g_unichar_ismark (c) &&
         !g_unichar_iszerowidth (c);
}

static gboolean
is_line_break (gunichar c)
{
  return c == '\n' || c == '\r' || c == 0x0085 /* NEXT LINE */;
}

static gboolean
refuse_invalid_utf8 (TcVerdict *verdict,
                     Field      field)
{
  if (field == FIELD_NAME)
    return refuse (verdict, TC_RULE_BAD_CHARACTER,
                   "%s", _("The name is not valid UTF-8 text. Type it again."));
  else
    return refuse (verdict, TC_RULE_BAD_CHARACTER,
                   "%s", _("The description is not valid UTF-8 text. Type it again."));
}

static gboolean
refuse_control (TcVerdict *verdict,
                Field      field,
                gunichar   c)
{
  if (field == FIELD_NAME) {
    if (is_line_break (c))
      return refuse (verdict, TC_RULE_CONTROL_CHARACTER,
                     "%s", _("The name contains a line break. Put the name on one line."));
    else if (c == '\t')
      return refuse (verdict, TC_RULE_CONTROL_CHARACTER,
                     "%s", _("The name contains a tab. Remove it."));
    else
      return refuse (verdict, TC_RULE_CONTROL_CHARACTER,
                     /* Translators: %04X is a Unicode code point in hexadecimal, as in
                      * “U+0001”. */
                     _("The name contains an invisible control character (U+%04X). Remove it."),
                     (guint) c);
  } else {
    if (is_line_break (c))
      return refuse (verdict, TC_RULE_CONTROL_CHARACTER,
                     "%s", _("The description contains a line break. "
                             "Put the description on one line."));
    else if (c == '\t')
      return refuse (verdict, TC_RULE_CONTROL_CHARACTER,
                     "%s", _("The description contains a tab. Remove it."));
    else
      return refuse (verdict, TC_RULE_CONTROL_CHARACTER,
                     /* Translators: %04X is a Unicode code point in hexadecimal, as in
                      * “U+0001”. */
                     _("The description contains an invisible control character (U+%04X). "
                       "Remove it."),
                     (guint) c);
  }
}

/* Refuses a character outside the legacy allowed set, naming it when it can be shown. */
static gboolean
refuse_legacy_character (TcVerdict *verdict,
                         Field      field,
                         gunichar   c)
{
  char shown[8] = { 0 };

  if (verdict == NULL)
    return FALSE;

  if (g_unichar_isspace (c)) {
    if (field == FIELD_NAME)
      return refuse (verdict, TC_RULE_BAD_CHARACTER,
                     "%s", _("Spaces are not allowed in the name: use “-” instead."));
    else
      return refuse (verdict, TC_RULE_BAD_CHARACTER,
                     "%s", _("Spaces are not allowed in the description: "
                             "use “_” or “-” instead."));
  }

  if (is_showable (c)) {
    g_unichar_to_utf8 (c, shown);
    if (field == FIELD_NAME)
      return refuse (verdict, TC_RULE_BAD_CHARACTER,
                     /* Translators: %s is the refused character. */
                     _("“%s” is not allowed in the name: use only the letters a–z and A–Z, "
                       "the digits 0–9 and “-”."),
                     shown);
    else
      return refuse (verdict, TC_RULE_BAD_CHARACTER,
                     /* Translators: %s is the refused character. */
                     _("“%s” is not allowed in the description: use only Chinese characters, "
                       "the letters a–z and A–Z, the digits 0–9, “-” and “_”."),
                     shown);
  }

  if (field == FIELD_NAME)
    return refuse (verdict, TC_RULE_BAD_CHARACTER,
                   /* Translators: %04X is a Unicode code point in hexadecimal, as in
                    * “U+200B”. */
                   _("The name contains a character that is not allowed (U+%04X): "
                     "use only the letters a–z and A–Z, the digits 0–9 and “-”."),
                   (guint) c);
  else
    return refuse (verdict, TC_RULE_BAD_CHARACTER,
                   /* Translators: %04X is a Unicode code point in hexadecimal, as in
                    * “U+200B”. */
                   _("The description contains a character that is not allowed (U+%04X): "
                     "use only Chinese characters, the letters a–z and A–Z, the digits 0–9, "
                     "“-” and “_”."),
                   (guint) c);
}

static gboolean
refuse_too_long (TcVerdict *verdict,
                 Field      field,
                 guint      max,
                 guint      length)
{
  if (field == FIELD_NAME)
    return refuse (verdict, TC_RULE_TOO_LONG,
                   /* Translators: the first %u is the limit, the second how many characters
                    * there are now. */
                   ngettext ("The name is too long. Use at most %u character (now %u).",
                             "The name is too long. Use at most %u characters (now %u).",
                             max),
                   max, length);
  else
    return refuse (verdict, TC_RULE_TOO_LONG,
                   /* Translators: the first %u is the limit, the second how many characters
                    * there are now. */
                   ngettext ("The description is too long. Use at most %u character (now %u).",
                             "The description is too long. Use at most %u characters (now %u).",
                             max),
                   max, length);
}

/* g_ascii_isalnum() takes a char: without the range check, U+FF57 FULLWIDTH LATIN SMALL
 * LETTER W would be truncated to 'W' and pass. */
static gboolean
is_legacy_name_character (gunichar c)
{
  return c < 0x80 && (g_ascii_isalnum (c) || c == '-');
}

static gboolean
is_legacy_description_character (gunichar c)
{
  if (c < 0x80)
    return g_ascii_isalnum (c) || c == '-' || c == '_';

  /* Chinese characters: Han ideographs, not the Han punctuation or iteration marks. */
  return g_unichar_get_script (c) == G_UNICODE_SCRIPT_HAN &&
         g_unichar_type (c) == G_UNICODE_OTHER_LETTER;
}

/* Steps 2 to 5 of the order above, shared by names and descriptions. @text is not NULL. */
static gboolean
check_text (TcProtocol  protocol,
            Field       field,
            const char *text,
            TcVerdict  *verdict)
{
  gboolean legacy = protocol == TC_PROTOCOL_LEGACY;
  guint max;
  guint length = 0;

  if (!g_utf8_validate (text, -1, NULL))
    return refuse_invalid_utf8 (verdict, field);

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p)) {
    gunichar c = g_utf8_get_char (p);

    if (g_unichar_iscntrl (c))
      return refuse_control (verdict, field, c);
  }

  if (legacy) {
    for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p)) {
      gunichar c = g_utf8_get_char (p);
      gboolean allowed = field == FIELD_NAME ? is_legacy_name_character (c)
                                             : is_legacy_description_character (c);

      if (!allowed)
        return refuse_legacy_character (verdict, field, c);
    }
  } else if (field == FIELD_NAME && *text != '\0') {
    const char *last = g_utf8_find_prev_char (text, text + strlen (text));

    if (g_unichar_isspace (g_utf8_get_char (text)))
      return refuse (verdict, TC_RULE_EDGE_SPACE,
                     "%s", _("The name starts with a space. Remove it."));
    if (g_unichar_isspace (g_utf8_get_char (last)))
      return refuse (verdict, TC_RULE_EDGE_SPACE,
                     "%s", _("The name ends with a space. Remove it."));
  }

  max = field == FIELD_NAME ? tc_rules_name_max_length (protocol)
                            : tc_rules_description_max_length (protocol);
  length = (guint) g_utf8_strlen (text, -1);
  if (length > max)
    return refuse_too_long (verdict, field, max, length);

  return accept (verdict);
}

/**
 * tc_rules_check_image_name:
 * @protocol: the protocol the image will be created with
 * @name: (nullable): the name the user typed
 * @verdict: (out caller-allocates) (optional): an initialized verdict, filled in
 *
 * Legacy: 1 to 16 characters, only ASCII letters, digits and “-”. API 3.0: 1 to 60
 * characters, no control characters, no white space at either end.
 *
 * Returns: %TRUE when @name is acceptable
 */
gboolean
tc_rules_check_image_name (TcProtocol  protocol,
                           const char *name,
                           TcVerdict  *verdict)
{
  tc_verdict_clear (verdict);

  if (name == NULL || *name == '\0')
    return refuse (verdict, TC_RULE_EMPTY, "%s", _("Enter a name for the image."));

  return check_text (protocol, FIELD_NAME, name, verdict);
}

/**
 * tc_rules_check_image_name_as_typed:
 * @protocol: the protocol the image will be created with
 * @name: (nullable): the name as it stands while the user is typing it
 * @verdict: (out caller-allocates) (optional): an initialized verdict, filled in
 *
 * What tc_rules_check_image_name() says about @name once white space at its end is set
 * aside: typing “web server” passes through “web ”, and that space is a word in progress,
 * not a mistake. Everything else still counts at once: a leading space, a character that is
 * never allowed (a space in a legacy name is one), a name too long without the space.
 *
 * Returns: %TRUE when nothing but trailing white space stands against @name
 */
gboolean
tc_rules_check_image_name_as_typed (TcProtocol  protocol,
                                    const char *name,
                                    TcVerdict  *verdict)
{
  g_autofree char *trimmed = NULL;
  const char *end;

  if (protocol != TC_PROTOCOL_API3 || name == NULL || *name == '\0' ||
      !g_utf8_validate (name, -1, NULL) || g_unichar_isspace (g_utf8_get_char (name)))
    return tc_rules_check_image_name (protocol, name, verdict);

  /* The first character is not white space, so something is left. */
  end = name + strlen (name);
  while (end > name) {
    const char *prev = g_utf8_find_prev_char (name, end);
    gunichar c = g_utf8_get_char (prev);

    /* A tab or a line break is a control character, a mistake wherever it is. */
    if (!g_unichar_isspace (c) || g_unichar_iscntrl (c))
      break;
    end = prev;
  }
  trimmed = g_strndup (name, end - name);
  return tc_rules_check_image_name (protocol, trimmed, verdict);
}

/**
 * tc_rules_check_description:
 * @protocol: the protocol the image will be created with
 * @description: (nullable): the description the user typed; %NULL is the same as empty
 * @verdict: (out caller-allocates) (optional): an initialized verdict, filled in
 *
 * Legacy: 0 to 64 characters, only Chinese characters, ASCII letters, digits, “-” and “_”.
 * API 3.0: 0 to 256 characters, no control characters (a line break or a tab is one).
 *
 * Returns: %TRUE when @description is acceptable
 */
gboolean
tc_rules_check_description (TcProtocol  protocol,
                            const char *description,
                            TcVerdict  *verdict)
{
  tc_verdict_clear (verdict);

  if (description == NULL)
    return accept (verdict);

  return check_text (protocol, FIELD_DESCRIPTION, description, verdict);
}

/**
 * tc_rules_check_name_available:
 * @name: (nullable): the name the user typed
 * @existing_names: (nullable) (array zero-terminated=1): the names of the custom images in
 *   the region
 * @verdict: (out caller-allocates) (optional): an initialized verdict, filled in
 *
 * Compares byte for byte: “Web” does not clash with “web”, nor a decomposed “é” with a
 * precomposed one. (DescribeImages' name filter is fuzzy; this is the exact check.)
 *
 * Returns: %TRUE when no existing image is called @name
 */
gboolean
tc_rules_check_name_available (const char         *name,
                               const char * const *existing_names,
                               TcVerdict          *verdict)
{
  tc_verdict_clear (verdict);

  if (existing_names == NULL)
    return accept (verdict);

  for (guint i = 0; existing_names[i] != NULL; i++) {
    if (g_strcmp0 (name, existing_names[i]) == 0) {
      /* The message is shown: bytes that are not UTF-8 show as U+FFFD. */
      g_autofree char *shown = g_utf8_make_valid (name, -1);

      return refuse (verdict, TC_RULE_NAME_TAKEN,
                     /* Translators: %s is the image name the user typed. */
                     _("A custom image called “%s” already exists in this region. "
                       "Choose another name."),
                     shown);
    }
  }

  return accept (verdict);
}

/* The first sentence of a refusal: what the instance is doing. Whole sentences, not the
 * badge words of tc_instance_state_describe() dropped into a frame, so translators can
 * write each one properly. */
static const char *
describe_state_sentence (TcInstanceState state)
{
  switch (state) {
  case TC_INSTANCE_STATE_PENDING:       return _("The instance is still being created.");
  case TC_INSTANCE_STATE_LAUNCH_FAILED: return _("The instance failed to launch.");
  case TC_INSTANCE_STATE_RUNNING:       return _("The instance is running.");
  case TC_INSTANCE_STATE_STOPPED:       return _("The instance is stopped.");
  case TC_INSTANCE_STATE_STARTING:      return _("The instance is starting.");
  case TC_INSTANCE_STATE_STOPPING:      return _("The instance is stopping.");
  case TC_INSTANCE_STATE_REBOOTING:     return _("The instance is restarting.");
  case TC_INSTANCE_STATE_SHUTDOWN:      return _("The instance is shut down and waiting "
                                                 "to be released.");
  case TC_INSTANCE_STATE_TERMINATING:   return _("The instance is being deleted.");
  case TC_INSTANCE_STATE_RESCUE:        return _("The instance is in rescue mode.");
  case TC_INSTANCE_STATE_MIGRATING:     return _("The instance is being migrated.");
  case TC_INSTANCE_STATE_BUSY:          return _("The instance is busy with another "
                                                 "operation.");
  case TC_INSTANCE_STATE_UNKNOWN:
  default:                              return _("The state of the instance is unknown.");
  }
}

/* The second sentence of a refusal: what to do about it. */
static const char *
advise_state (TcProtocol      protocol,
              TcInstanceState state)
{
  gboolean legacy = protocol == TC_PROTOCOL_LEGACY;

  switch (state) {
  case TC_INSTANCE_STATE_LAUNCH_FAILED:
  case TC_INSTANCE_STATE_SHUTDOWN:
  case TC_INSTANCE_STATE_TERMINATING:
    return _("It cannot be imaged: choose another instance.");

  case TC_INSTANCE_STATE_RUNNING:
    return legacy
      ? _("The legacy API can only image a stopped instance: stop it first.")
      : _("Select “Shut down before imaging” or stop it first.");

  case TC_INSTANCE_STATE_STOPPING:
    return _("Wait until it has stopped.");

  case TC_INSTANCE_STATE_RESCUE:
    return legacy
      ? _("The legacy API can only image a stopped instance: leave rescue mode and stop it "
          "first.")
      : _("Leave rescue mode first.");

  case TC_INSTANCE_STATE_PENDING:
  case TC_INSTANCE_STATE_STARTING:
  case TC_INSTANCE_STATE_REBOOTING:
  case TC_INSTANCE_STATE_MIGRATING:
  case TC_INSTANCE_STATE_BUSY:
    return legacy
      ? _("The legacy API can only image a stopped instance: wait until this has finished, "
          "then stop it.")
      : _("Wait until it is stopped or running.");

  case TC_INSTANCE_STATE_STOPPED:
  case TC_INSTANCE_STATE_UNKNOWN:
  default:
    return _("Refresh the list of instances and try again.");
  }
}

/**
 * tc_rules_check_instance_state:
 * @protocol: the protocol the image will be created with
 * @state: the instance's state
 * @force_poweroff: whether “Shut down before imaging” is on (API 3.0 only)
 * @verdict: (out caller-allocates) (optional): an initialized verdict, filled in
 *
 * Legacy: only a stopped instance. API 3.0: a stopped instance, or a running one when
 * @force_poweroff is set.
 *
 * Returns: %TRUE when an image can be made of an instance in @state
 */
gboolean
tc_rules_check_instance_state (TcProtocol      protocol,
                               TcInstanceState state,
                               gboolean        force_poweroff,
                               TcVerdict      *verdict)
{
  tc_verdict_clear (verdict);

  if (state == TC_INSTANCE_STATE_STOPPED)
    return accept (verdict);

  if (protocol != TC_PROTOCOL_LEGACY && state == TC_INSTANCE_STATE_RUNNING && force_poweroff)
    return accept (verdict);

  return refuse (verdict, TC_RULE_INSTANCE_STATE,
                 /* Translators: joins two sentences: what is wrong with the instance, then
                  * what to do. Languages that do not put a space between sentences can drop
                  * it. */
                 C_("two sentences", "%s %s"),
                 describe_state_sentence (state), advise_state (protocol, state));
}

/**
 * tc_rules_check_quota:
 * @used: how many custom images the region has
 * @quota: how many it allows (%TC_LEGACY_IMAGE_QUOTA with the legacy API)
 * @verdict: (out caller-allocates) (optional): an initialized verdict, filled in
 *
 * Returns: %TRUE when one more custom image fits
 */
gboolean
tc_rules_check_quota (guint      used,
                      guint      quota,
                      TcVerdict *verdict)
{
  guint excess;

  tc_verdict_clear (verdict);

  if (used < quota)
    return accept (verdict);

  if (quota == 0)
    return refuse (verdict, TC_RULE_QUOTA_REACHED,
                   "%s", _("No custom images are allowed in this region. "
                           "Ask Tencent Cloud to raise the quota, or choose another region."));

  if (used == quota)
    return refuse (verdict, TC_RULE_QUOTA_REACHED,
                   /* Translators: %u is the quota, at least 1. */
                   ngettext ("The %u custom image allowed in this region is in use. "
                             "Delete it before creating another.",
                             "All %u custom images allowed in this region are in use. "
                             "Delete one before creating another.",
                             quota),
                   quota);

  /* The quota was lowered below what the region already holds: deleting one is not enough. */
  excess = used - quota + 1;
  return refuse (verdict, TC_RULE_QUOTA_REACHED,
                 /* Translators: the first %u is how many custom images the region has, the
                  * second how many it allows, the third how many must be deleted (the plural
                  * form follows this one). */
                 ngettext ("This region has more custom images (%u) than it allows (%u). "
                           "Delete %u of them before creating another.",
                           "This region has more custom images (%u) than it allows (%u). "
                           "Delete %u of them before creating another.",
                           excess),
                 used, quota, excess);
}

/* The field at fault, from the API 3.0 code (exact, or a prefix ending in '*'). The legacy
 * API's numeric codes say too little (5100 covers a taken name, the quota and the state),
 * so for it the codeDesc decides (already in the error's TcErrorCode) or the parameter its
 * message names. */
static const struct {
  const char *code;
  TcField     field;
} field_codes[] = {
  { "UnsupportedRegion", TC_FIELD_REGION },
  { "InvalidParameterConflict", TC_FIELD_NONE },
  { "InvalidImageName*", TC_FIELD_NAME },
  { "InvalidInstanceId*", TC_FIELD_INSTANCE },
  { "InvalidInstance.*", TC_FIELD_INSTANCE },
  { "UnsupportedOperation.EncryptedImagesNotSupported", TC_FIELD_INSTANCE },
  { "InvalidParameter.DataDisk*", TC_FIELD_DATA_DISKS },
  { "ResourceInUse.Disk*", TC_FIELD_DATA_DISKS },
  { "InvalidParameterValue.Tag*", TC_FIELD_TAGS },
};

/* The parameters a refusal's message may name, as each protocol spells them. */
static const struct {
  const char *parameter;
  TcField     field;
} field_parameters[] = {
  { "ImageName", TC_FIELD_NAME },
  { "imageName", TC_FIELD_NAME },
  { "ImageDescription", TC_FIELD_DESCRIPTION },
  { "imageDescription", TC_FIELD_DESCRIPTION },
  { "DataDiskIds", TC_FIELD_DATA_DISKS },
  { "TagSpecification", TC_FIELD_TAGS },
  { "InstanceId", TC_FIELD_INSTANCE },
  { "instanceId", TC_FIELD_INSTANCE },
};

static gboolean
code_matches (const char *code,
              const char *pattern)
{
  gsize len = strlen (pattern);

  if (pattern[len - 1] == '*')
    return strncmp (code, pattern, len - 1) == 0;
  return strcmp (code, pattern) == 0;
}

/**
 * tc_rules_field_for_error:
 * @error: (nullable): what a Check or Create was refused with
 *
 * Where the form shows the reason of a refusal: under the field at fault, or above the
 * buttons (%TC_FIELD_NONE) when no one field is. Errors outside %TC_ERROR are about no
 * field.
 *
 * Returns: the field @error is about
 */
TcField
tc_rules_field_for_error (const GError *error)
{
  const char *code = tc_error_get_server_code (error);
  const char *message = tc_error_get_server_message (error);

  if (error == NULL || error->domain != TC_ERROR)
    return TC_FIELD_NONE;

  for (guint i = 0; code != NULL && i < G_N_ELEMENTS (field_codes); i++) {
    if (code_matches (code, field_codes[i].code))
      return field_codes[i].field;
  }

  switch ((TcErrorCode) error->code) {
  case TC_ERROR_NAME_TAKEN:
    return TC_FIELD_NAME;
  case TC_ERROR_QUOTA:
    return TC_FIELD_QUOTA;
  case TC_ERROR_INSTANCE_STATE:
  case TC_ERROR_NOT_FOUND:
  case TC_ERROR_BUSY:
    return TC_FIELD_INSTANCE;
  case TC_ERROR_AUTH_SIGNATURE:
  case TC_ERROR_AUTH_SECRET_ID:
  case TC_ERROR_AUTH_TOKEN:
  case TC_ERROR_UNAUTHORIZED:
    return TC_FIELD_CREDENTIALS;
  case TC_ERROR_INVALID_PARAMETER:
  case TC_ERROR_FAILED:
    break;
  default:
    return TC_FIELD_NONE;
  }

  /* A refused value: the parameter the message names, if it names one. */
  for (guint i = 0; message != NULL && i < G_N_ELEMENTS (field_parameters); i++) {
    if (strstr (message, field_parameters[i].parameter) != NULL)
      return field_parameters[i].field;
  }
  return TC_FIELD_NONE;
}

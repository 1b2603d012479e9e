/* tc-signer.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "tc-signer.h"

/**
 * tc3_hex_sha256:
 *
 * Returns: (transfer full): the lowercase hex SHA-256 of @data
 */
char *
tc3_hex_sha256 (const guint8 *data,
                gsize         len)
{
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, data ? data : (const guint8 *) "", len);
}

char *
tc3_canonical_request (const char   *method,
                       const char   *path,
                       const char   *canonical_query,
                       const char   *canonical_headers,
                       const char   *signed_headers,
                       const guint8 *payload,
                       gsize         payload_len)
{
  g_autofree char *hashed = tc3_hex_sha256 (payload, payload_len);

  return g_strdup_printf ("%s\n%s\n%s\n%s\n%s\n%s",
                          method, path, canonical_query ? canonical_query : "",
                          canonical_headers, signed_headers, hashed);
}

/**
 * tc3_date:
 *
 * Returns: (transfer full): the UTC date of @timestamp as `YYYY-MM-DD`, or %NULL when the
 *   timestamp is out of range
 */
char *
tc3_date (gint64 timestamp)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (timestamp);

  if (dt == NULL)
    return NULL;
  return g_date_time_format (dt, "%Y-%m-%d");
}

char *
tc3_credential_scope (const char *date,
                      const char *service)
{
  return g_strdup_printf ("%s/%s/tc3_request", date, service);
}

char *
tc3_string_to_sign (gint64      timestamp,
                    const char *credential_scope,
                    const char *canonical_request)
{
  g_autofree char *hashed = tc3_hex_sha256 ((const guint8 *) canonical_request,
                                            strlen (canonical_request));

  return g_strdup_printf ("TC3-HMAC-SHA256\n%" G_GINT64_FORMAT "\n%s\n%s",
                          timestamp, credential_scope, hashed);
}

/* One link of the HMAC-SHA256 chain: digest = HMAC(key, data). */
static void
hmac_sha256 (const guint8 *key,
             gsize         key_len,
             const char   *data,
             guint8        digest[32])
{
  g_autoptr(GHmac) hmac = g_hmac_new (G_CHECKSUM_SHA256, key, key_len);
  gsize digest_len = 32;

  g_hmac_update (hmac, (const guchar *) data, -1);
  g_hmac_get_digest (hmac, digest, &digest_len);
}

/**
 * tc3_signature:
 *
 * Derives the signing key from @secret_key through the date, the service and
 * `tc3_request`, then signs @string_to_sign with it. Intermediate keys are wiped.
 *
 * Returns: (transfer full): the lowercase hex signature
 */
char *
tc3_signature (const char *secret_key,
               const char *date,
               const char *service,
               const char *string_to_sign)
{
  g_autofree char *first_key = g_strconcat ("TC3", secret_key, NULL);
  guint8 k_date[32], k_service[32], k_signing[32], sig[32];
  g_autoptr(GString) hex = g_string_sized_new (64);

  hmac_sha256 ((const guint8 *) first_key, strlen (first_key), date, k_date);
  hmac_sha256 (k_date, sizeof k_date, service, k_service);
  hmac_sha256 (k_service, sizeof k_service, "tc3_request", k_signing);
  hmac_sha256 (k_signing, sizeof k_signing, string_to_sign, sig);

  for (guint i = 0; i < sizeof sig; i++)
    g_string_append_printf (hex, "%02x", sig[i]);

  memset (first_key, 0, strlen (first_key));
  memset (k_date, 0, sizeof k_date);
  memset (k_service, 0, sizeof k_service);
  memset (k_signing, 0, sizeof k_signing);

  return g_string_free (g_steal_pointer (&hex), FALSE);
}

/**
 * tc3_sign:
 *
 * Signs a request with `content-type` and `host` as the signed headers.
 *
 * Returns: (transfer full): the signature and every intermediate step, or %NULL when the
 *   timestamp is out of range
 */
Tc3Signed *
tc3_sign (const char   *secret_id,
          const char   *secret_key,
          const char   *service,
          const char   *method,
          const char   *host,
          const char   *path,
          const char   *canonical_query,
          const char   *content_type,
          const guint8 *payload,
          gsize         payload_len,
          gint64        timestamp)
{
  g_autofree char *date = tc3_date (timestamp);
  g_autofree char *headers = NULL;
  Tc3Signed *s;

  if (date == NULL)
    return NULL;

  headers = g_strdup_printf ("content-type:%s\nhost:%s\n", content_type, host);

  s = g_new0 (Tc3Signed, 1);
  s->canonical_request = tc3_canonical_request (method, path, canonical_query, headers,
                                                "content-type;host", payload, payload_len);
  s->credential_scope = tc3_credential_scope (date, service);
  s->string_to_sign = tc3_string_to_sign (timestamp, s->credential_scope, s->canonical_request);
  s->signature = tc3_signature (secret_key, date, service, s->string_to_sign);
  s->authorization = g_strdup_printf ("TC3-HMAC-SHA256 Credential=%s/%s, "
                                      "SignedHeaders=content-type;host, Signature=%s",
                                      secret_id, s->credential_scope, s->signature);
  return s;
}

void
tc3_signed_free (Tc3Signed *s)
{
  if (s == NULL)
    return;
  g_free (s->canonical_request);
  g_free (s->credential_scope);
  g_free (s->string_to_sign);
  g_free (s->signature);
  g_free (s->authorization);
  g_free (s);
}

static int
compare_names (gconstpointer a,
               gconstpointer b,
               gpointer      user_data)
{
  return strcmp (a, b);
}

/**
 * tc_query_params_new:
 *
 * Returns: (transfer full): an empty parameter map (name → value, both owned strings),
 *   kept sorted by name in byte order as the query signature requires
 */
GTree *
tc_query_params_new (void)
{
  return g_tree_new_full (compare_names, NULL, g_free, g_free);
}

typedef struct {
  GString *str;
  gsize    start;   /* where the first parameter goes */
} Query;

static gboolean
append_param (gpointer key,
              gpointer value,
              gpointer user_data)
{
  Query *query = user_data;
  GString *str = query->str;
  const char *name = key;

  if (strcmp (name, "Signature") == 0)
    return FALSE;

  /* Not by the last character: a value may end in "?". */
  if (str->len > query->start)
    g_string_append_c (str, '&');

  /* Tencent's rule: an underscore in a parameter name is signed as a dot. */
  for (const char *p = name; *p; p++)
    g_string_append_c (str, *p == '_' ? '.' : *p);
  g_string_append_c (str, '=');
  g_string_append (str, value);

  return FALSE;
}

/**
 * tc_query_string_to_sign:
 *
 * `METHOD + host + path + "?" + name=value&…` over every parameter but `Signature`, in
 * byte order, values raw (not URL-encoded).
 *
 * Returns: (transfer full): the string to sign
 */
char *
tc_query_string_to_sign (const char *method,
                         const char *host,
                         const char *path,
                         GTree      *params)
{
  Query query = { g_string_new (NULL), 0 };

  g_string_append_printf (query.str, "%s%s%s?", method, host, path);
  query.start = query.str->len;
  g_tree_foreach (params, append_param, &query);
  return g_string_free (query.str, FALSE);
}

/**
 * tc_query_signature:
 *
 * Returns: (transfer full): Base64 of HMAC-SHA1 or HMAC-SHA256 of @string_to_sign
 */
char *
tc_query_signature (TcHmacMethod  method,
                    const char   *secret_key,
                    const char   *string_to_sign)
{
  GChecksumType type = method == TC_HMAC_SHA256 ? G_CHECKSUM_SHA256 : G_CHECKSUM_SHA1;
  g_autoptr(GHmac) hmac = g_hmac_new (type, (const guchar *) secret_key, strlen (secret_key));
  guint8 digest[32];
  gsize digest_len = sizeof digest;

  g_hmac_update (hmac, (const guchar *) string_to_sign, -1);
  g_hmac_get_digest (hmac, digest, &digest_len);
  return g_base64_encode (digest, digest_len);
}

/**
 * tc_hmac_method_from_name:
 *
 * Reads a `SignatureMethod` value. As Tencent does, anything but `HmacSHA256` (including
 * no value at all) means HmacSHA1; %FALSE only for a value that is neither.
 */
gboolean
tc_hmac_method_from_name (const char   *name,
                          TcHmacMethod *method)
{
  if (name == NULL || strcmp (name, "HmacSHA1") == 0) {
    *method = TC_HMAC_SHA1;
    return TRUE;
  }
  if (strcmp (name, "HmacSHA256") == 0) {
    *method = TC_HMAC_SHA256;
    return TRUE;
  }
  return FALSE;
}

const char *
tc_hmac_method_to_name (TcHmacMethod method)
{
  return method == TC_HMAC_SHA256 ? "HmacSHA256" : "HmacSHA1";
}

/**
 * tc_signature_equal:
 *
 * Compares two signatures in time that does not depend on where they differ.
 */
gboolean
tc_signature_equal (const char *a,
                    const char *b)
{
  gsize la, lb;
  guint8 diff;

  if (a == NULL || b == NULL)
    return FALSE;

  la = strlen (a);
  lb = strlen (b);
  diff = la != lb;
  for (gsize i = 0; i < MIN (la, lb); i++)
    diff |= (guint8) (a[i] ^ b[i]);
  return diff == 0;
}

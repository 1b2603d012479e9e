/* test-signer.c: Tencent's published signing examples, reproduced byte for byte
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "tc-signer.h"
#include "test-util.h"

static JsonObject *
load_vector (const char *name)
{
  g_autofree char *path = test_data_path ("signing.json");
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonArray *vectors;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);

  vectors = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "vectors");
  for (guint i = 0; i < json_array_get_length (vectors); i++) {
    JsonObject *v = json_array_get_object_element (vectors, i);

    if (g_str_equal (json_object_get_string_member (v, "name"), name))
      return json_object_ref (v);
  }
  g_assert_not_reached ();
}

static GPtrArray *
vector_names (const char *kind)
{
  g_autofree char *path = test_data_path ("signing.json");
  g_autoptr(JsonParser) parser = json_parser_new ();
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  JsonArray *vectors;

  g_assert_true (json_parser_load_from_file (parser, path, NULL));
  vectors = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "vectors");
  for (guint i = 0; i < json_array_get_length (vectors); i++) {
    JsonObject *v = json_array_get_object_element (vectors, i);

    if (g_str_equal (json_object_get_string_member (v, "kind"), kind))
      g_ptr_array_add (names, g_strdup (json_object_get_string_member (v, "name")));
  }
  return names;
}

static void
test_hmac_query_vector (gconstpointer data)
{
  g_autoptr(JsonObject) v = load_vector (data);
  JsonObject *params = json_object_get_object_member (v, "params");
  g_autoptr(GTree) tree = tc_query_params_new ();
  g_autoptr(GList) members = json_object_get_members (params);
  g_autofree char *string_to_sign = NULL;
  g_autofree char *signature = NULL;
  TcHmacMethod method;

  for (GList *l = members; l != NULL; l = l->next)
    g_tree_insert (tree, g_strdup (l->data), g_strdup (json_object_get_string_member (params, l->data)));

  g_assert_true (tc_hmac_method_from_name (json_object_get_string_member (v, "algorithm"), &method));

  string_to_sign = tc_query_string_to_sign (json_object_get_string_member (v, "method"),
                                            json_object_get_string_member (v, "host"),
                                            json_object_get_string_member (v, "path"),
                                            tree);
  g_assert_cmpstr (string_to_sign, ==, json_object_get_string_member (v, "string_to_sign"));

  signature = tc_query_signature (method, json_object_get_string_member (v, "secret_key"), string_to_sign);
  g_assert_cmpstr (signature, ==, json_object_get_string_member (v, "signature"));
}

static void
test_tc3_vector (gconstpointer data)
{
  g_autoptr(JsonObject) v = load_vector (data);
  const char *payload = json_object_get_string_member (v, "payload");
  g_autoptr(Tc3Signed) sig = NULL;
  g_autofree char *hashed = tc3_hex_sha256 ((const guint8 *) payload, strlen (payload));

  g_assert_cmpstr (hashed, ==, json_object_get_string_member (v, "hashed_payload"));

  sig = tc3_sign (json_object_get_string_member (v, "secret_id"),
                  json_object_get_string_member (v, "secret_key"),
                  json_object_get_string_member (v, "service"),
                  json_object_get_string_member (v, "method"),
                  json_object_get_string_member (v, "host"),
                  json_object_get_string_member (v, "path"),
                  "",
                  json_object_get_string_member (v, "content_type"),
                  (const guint8 *) payload, strlen (payload),
                  json_object_get_int_member (v, "timestamp"));

  g_assert_cmpstr (sig->canonical_request, ==, json_object_get_string_member (v, "canonical_request"));
  g_assert_cmpstr (sig->credential_scope, ==, json_object_get_string_member (v, "credential_scope"));
  g_assert_cmpstr (sig->string_to_sign, ==, json_object_get_string_member (v, "string_to_sign"));
  g_assert_cmpstr (sig->signature, ==, json_object_get_string_member (v, "signature"));
  g_assert_cmpstr (sig->authorization, ==, json_object_get_string_member (v, "authorization"));
}

/* The date in the scope is the UTC date, even a second before midnight in Beijing. */
static void
test_tc3_utc_date (void)
{
  g_autofree char *before = tc3_date (1551113065);      /* 2019-02-25 16:44:25 UTC */
  g_autofree char *midnight = tc3_date (1551052800);    /* 2019-02-25 00:00:00 UTC */
  g_autofree char *last = tc3_date (1551052799);        /* 2019-02-24 23:59:59 UTC */

  g_assert_cmpstr (before, ==, "2019-02-25");
  g_assert_cmpstr (midnight, ==, "2019-02-25");
  g_assert_cmpstr (last, ==, "2019-02-24");
}

/* A different key, body or timestamp must change the signature. */
static void
test_tc3_sensitivity (void)
{
  const char *body = "{\"Limit\":1}";
  g_autoptr(Tc3Signed) a = tc3_sign ("id", "key", "cvm", "POST", "h", "/", "", "application/json", (const guint8 *) body, strlen (body), 1551113065);
  g_autoptr(Tc3Signed) b = tc3_sign ("id", "kez", "cvm", "POST", "h", "/", "", "application/json", (const guint8 *) body, strlen (body), 1551113065);
  g_autoptr(Tc3Signed) c = tc3_sign ("id", "key", "cvm", "POST", "h", "/", "", "application/json", (const guint8 *) "{\"Limit\":2}", strlen (body), 1551113065);
  g_autoptr(Tc3Signed) d = tc3_sign ("id", "key", "cvm", "POST", "h", "/", "", "application/json", (const guint8 *) body, strlen (body), 1551113066);

  g_assert_cmpstr (a->signature, !=, b->signature);
  g_assert_cmpstr (a->signature, !=, c->signature);
  g_assert_cmpstr (a->signature, !=, d->signature);
  g_assert_cmpuint (strlen (a->signature), ==, 64);
}

/* Byte order puts upper case before lower case and "12" before "2"; an underscore in a
 * name is signed as a dot; values are signed raw (one that ends in "?" too). */
static void
test_query_ordering (void)
{
  g_autoptr(GTree) params = tc_query_params_new ();
  g_autofree char *s = NULL;

  g_tree_insert (params, g_strdup ("instanceIds.2"), g_strdup ("b"));
  g_tree_insert (params, g_strdup ("instanceIds.12"), g_strdup ("a"));
  g_tree_insert (params, g_strdup ("Zeta"), g_strdup ("z"));
  g_tree_insert (params, g_strdup ("Signature"), g_strdup ("ignored"));
  g_tree_insert (params, g_strdup ("image_Name"), g_strdup ("镜像 a&b"));
  g_tree_insert (params, g_strdup ("imageDescription"), g_strdup ("why?"));

  s = tc_query_string_to_sign ("GET", "image.api.qcloud.com", "/v2/index.php", params);
  g_assert_cmpstr (s, ==, "GETimage.api.qcloud.com/v2/index.php?Zeta=z&imageDescription=why?&image.Name=镜像 a&b&instanceIds.12=a&instanceIds.2=b");
}

static void
test_hmac_method_names (void)
{
  TcHmacMethod m = TC_HMAC_SHA256;

  g_assert_true (tc_hmac_method_from_name (NULL, &m));
  g_assert_cmpint (m, ==, TC_HMAC_SHA1);
  g_assert_true (tc_hmac_method_from_name ("HmacSHA256", &m));
  g_assert_cmpint (m, ==, TC_HMAC_SHA256);
  g_assert_false (tc_hmac_method_from_name ("hmacsha256", &m));
  g_assert_cmpstr (tc_hmac_method_to_name (TC_HMAC_SHA1), ==, "HmacSHA1");
}

static void
test_signature_equal (void)
{
  g_assert_true (tc_signature_equal ("abc", "abc"));
  g_assert_false (tc_signature_equal ("abc", "abd"));
  g_assert_false (tc_signature_equal ("abc", "abcd"));
  g_assert_false (tc_signature_equal ("", "a"));
  g_assert_false (tc_signature_equal (NULL, "a"));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GPtrArray) query = NULL;
  g_autoptr(GPtrArray) tc3 = NULL;

  g_test_init (&argc, &argv, NULL);

  query = vector_names ("hmac-query");
  tc3 = vector_names ("tc3");
  /* Every published vector must be here; the file has six query and two TC3 examples. */
  g_assert_cmpuint (query->len, ==, 6);
  g_assert_cmpuint (tc3->len, ==, 2);

  for (guint i = 0; i < query->len; i++) {
    g_autofree char *path = g_strdup_printf ("/imprint/signer/vector/%s", (char *) query->pdata[i]);
    g_test_add_data_func (path, query->pdata[i], test_hmac_query_vector);
  }
  for (guint i = 0; i < tc3->len; i++) {
    g_autofree char *path = g_strdup_printf ("/imprint/signer/vector/%s", (char *) tc3->pdata[i]);
    g_test_add_data_func (path, tc3->pdata[i], test_tc3_vector);
  }

  g_test_add_func ("/imprint/signer/tc3/utc-date", test_tc3_utc_date);
  g_test_add_func ("/imprint/signer/tc3/sensitivity", test_tc3_sensitivity);
  g_test_add_func ("/imprint/signer/query/ordering", test_query_ordering);
  g_test_add_func ("/imprint/signer/query/method-names", test_hmac_method_names);
  g_test_add_func ("/imprint/signer/signature-equal", test_signature_equal);

  return g_test_run ();
}

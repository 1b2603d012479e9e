/* sim-request.c: one request to the simulator as a protocol sees it, and its answer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Both protocols read the same raw HTTP request (the signed host, form encoding) and fill
 * in the same answer (a reply or an error code); the server only renders it. Keeping the
 * request apart from the server is what lets a protocol depend on the request and the
 * cloud without depending on the server that calls it.
 */
#include "config.h"

#include <string.h>

#include "sim-request.h"

/* The host the client signed: the Host header as received, unless the request line carried
 * an absolute URI (a client using the simulator as an HTTP proxy) naming another host, in
 * which case the URI wins, as RFC 9112 says. libsoup builds the message URI from the Host
 * header for an origin-form request, so the two only differ for an absolute one. */
static char *
signed_host (SoupServerMessage *msg)
{
  const char *header = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                     "Host");
  GUri *uri = soup_server_message_get_uri (msg);
  const char *uri_host = uri != NULL ? g_uri_get_host (uri) : NULL;
  int uri_port = uri != NULL ? g_uri_get_port (uri) : -1;
  const char *scheme = uri != NULL ? g_uri_get_scheme (uri) : NULL;

  if (header != NULL) {
    g_autofree char *trimmed = g_strstrip (g_strdup (header));
    g_autofree char *bare = sim_host_without_port (trimmed);
    const char *bare_cmp = bare;
    g_autofree char *unbracketed = NULL;

    if (bare[0] == '[') {
      unbracketed = g_strndup (bare + 1, strlen (bare) - 2);
      bare_cmp = unbracketed;
    }
    if (uri_host == NULL || g_ascii_strcasecmp (bare_cmp, uri_host) == 0)
      return g_steal_pointer (&trimmed);
  }

  if (uri_host == NULL)
    return g_strdup ("");

  /* libsoup normalizes the scheme, so a URI without a port reports the default one. */
  if ((uri_port == 80 && g_strcmp0 (scheme, "http") == 0) ||
      (uri_port == 443 && g_strcmp0 (scheme, "https") == 0))
    uri_port = -1;

  if (strchr (uri_host, ':') != NULL)
    return uri_port > 0 ? g_strdup_printf ("[%s]:%d", uri_host, uri_port)
                        : g_strdup_printf ("[%s]", uri_host);
  return uri_port > 0 ? g_strdup_printf ("%s:%d", uri_host, uri_port) : g_strdup (uri_host);
}

SimRequest *
sim_request_new (SimCloud          *cloud,
                 SimLimits         *limits,
                 SoupServerMessage *msg)
{
  SimRequest *req = g_new0 (SimRequest, 1);

  req->cloud = cloud;
  req->limits = limits;
  req->msg = msg;
  req->request_id = g_uuid_string_random ();
  req->host = signed_host (msg);
  req->form = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return req;
}

void
sim_request_free (SimRequest *req)
{
  g_clear_pointer (&req->body, g_bytes_unref);
  g_clear_pointer (&req->form, g_hash_table_unref);
  g_clear_pointer (&req->params, json_object_unref);
  g_clear_pointer (&req->reply, json_object_unref);
  g_free (req->action);
  g_free (req->host);
  g_free (req->request_id);
  g_free (req->secret_id);
  g_free (req->error_code);
  g_free (req->error_message);
  g_free (req);
}

void
sim_request_fail (SimRequest *req,
                  const char *code,
                  gint        legacy_code,
                  const char *format,
                  ...)
{
  va_list args;

  g_free (req->error_code);
  g_free (req->error_message);
  req->error_code = g_strdup (code);
  req->legacy_code = legacy_code;
  va_start (args, format);
  req->error_message = g_strdup_vprintf (format, args);
  va_end (args);
}

gboolean
sim_request_failed (SimRequest *req)
{
  return req->error_code != NULL;
}

static int
hex_value (char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/* Form decoding of one name or value; NULL for a bad escape, a NUL or invalid UTF-8. */
static char *
form_decode (const char *s,
             gsize       len)
{
  GString *out = g_string_sized_new (len);

  for (gsize i = 0; i < len; i++) {
    if (s[i] == '+') {
      g_string_append_c (out, ' ');
    } else if (s[i] == '%') {
      int hi, lo;

      if (i + 2 >= len) {
        g_string_free (out, TRUE);
        return NULL;
      }
      hi = hex_value (s[i + 1]);
      lo = hex_value (s[i + 2]);
      if (hi < 0 || lo < 0 || (hi == 0 && lo == 0)) {
        g_string_free (out, TRUE);
        return NULL;
      }
      g_string_append_c (out, (char) (hi * 16 + lo));
      i += 2;
    } else if (s[i] == '\0') {
      g_string_free (out, TRUE);
      return NULL;
    } else {
      g_string_append_c (out, s[i]);
    }
  }

  if (!g_utf8_validate (out->str, (gssize) out->len, NULL)) {
    g_string_free (out, TRUE);
    return NULL;
  }
  return g_string_free (out, FALSE);
}

gboolean
sim_form_parse (const char *data,
                gsize       len,
                GHashTable *into)
{
  gsize start = 0;

  if (data == NULL)
    return TRUE;

  while (start < len) {
    const char *pair = data + start;
    const char *amp = memchr (pair, '&', len - start);
    gsize pair_len = amp != NULL ? (gsize) (amp - pair) : len - start;
    const char *eq = memchr (pair, '=', pair_len);
    char *name, *value;

    start += pair_len + 1;
    if (pair_len == 0)
      continue;

    if (eq != NULL) {
      name = form_decode (pair, (gsize) (eq - pair));
      value = form_decode (eq + 1, pair_len - (gsize) (eq - pair) - 1);
    } else {
      name = form_decode (pair, pair_len);
      value = g_strdup ("");
    }

    if (name == NULL || value == NULL || *name == '\0') {
      g_free (name);
      g_free (value);
      return FALSE;
    }
    g_hash_table_replace (into, name, value);
  }
  return TRUE;
}

char *
sim_host_without_port (const char *host)
{
  const char *colon;

  if (host == NULL)
    return g_strdup ("");

  if (host[0] == '[') {
    const char *end = strchr (host, ']');

    return end != NULL ? g_strndup (host, (gsize) (end - host + 1)) : g_strdup (host);
  }

  colon = strchr (host, ':');
  /* Two colons: a bare IPv6 address, which has no port. */
  if (colon != NULL && strchr (colon + 1, ':') == NULL)
    return g_strndup (host, (gsize) (colon - host));
  return g_strdup (host);
}

void
sim_iso8601 (gint64  timestamp,
             char   *buf,
             gsize   buf_len)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (timestamp);
  g_autofree char *text = dt != NULL ? g_date_time_format (dt, "%Y-%m-%dT%H:%M:%SZ") : NULL;

  g_strlcpy (buf, text != NULL ? text : "1970-01-01T00:00:00Z", buf_len);
}

void
sim_request_fail_rate_limited (SimRequest *req)
{
  sim_request_fail (req, "RequestLimitExceeded", 4400,
                    req->zh ? "您当前每秒请求次数超过了频率限制，请降低调用频率。"
                            : "Your current request times exceeds the frequency limit. "
                              "Please reduce the frequency of calls.");
}

gboolean
sim_request_admit (SimRequest *req)
{
  if (req->limits == NULL ||
      sim_limits_admit (req->limits, req->action,
                        req->region != NULL ? req->region->info->id : NULL,
                        req->secret_id, g_get_monotonic_time ()))
    return TRUE;

  sim_request_fail_rate_limited (req);
  return FALSE;
}

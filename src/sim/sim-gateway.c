/* sim-gateway.c: what the gateway and the network do to the simulator's answers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Between Tencent's API and a client sit a gateway and a network, and they fail in their
 * own ways: answers arrive late, cut short, never, or as an error page that is not the
 * API's JSON. The server decides which fault a request meets (sim-faults.c); this file
 * carries it out, by pausing the message and finishing it from a timeout (nothing blocks
 * the main loop) or by taking the connection away from libsoup to write raw bytes.
 */
#include "config.h"

#include <string.h>

#include "sim-gateway.h"

#define OVERSIZED_BODY  (9 * 1024 * 1024 + 512 * 1024)

struct _SimGateway {
  GList *pending;              /* SimPending*: answers waiting for latency, stalls */
};

typedef struct {
  SimGateway        *gateway;
  SoupServerMessage *msg;
  SimFaultKind       kind;     /* NONE (answer after a delay), TRUNCATED, DROP or STALL */
  GBytes            *raw;      /* TRUNCATED: the whole HTTP response, of which half is sent */
  GSource           *source;
  gulong             disconnected_id;
  gboolean           dead;     /* libsoup dropped the connection meanwhile */
} SimPending;

static void
pending_free (SimPending *pending)
{
  if (pending->source != NULL) {
    g_source_destroy (pending->source);
    g_source_unref (pending->source);
  }
  if (pending->disconnected_id != 0)
    g_signal_handler_disconnect (pending->msg, pending->disconnected_id);
  g_clear_pointer (&pending->raw, g_bytes_unref);
  g_object_unref (pending->msg);
  g_free (pending);
}

static void
pending_disconnected_cb (SoupServerMessage *msg,
                         SimPending        *pending)
{
  pending->dead = TRUE;
}

typedef struct {
  GIOStream *stream;
  GBytes    *bytes;
} SimRawWrite;

static void
raw_close_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_io_stream_close_finish (G_IO_STREAM (object), result, NULL);
}

static void
raw_written_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  SimRawWrite *write = user_data;

  g_output_stream_write_all_finish (G_OUTPUT_STREAM (object), result, NULL, NULL);
  g_io_stream_close_async (write->stream, G_PRIORITY_DEFAULT, NULL, raw_close_cb, NULL);
  g_object_unref (write->stream);
  g_bytes_unref (write->bytes);
  g_free (write);
}

/* Takes the connection away from libsoup; with @raw, writes those bytes first, then closes. */
static void
steal_and_close (SoupServerMessage *msg,
                 GBytes            *raw)
{
  g_autoptr(GIOStream) stream = soup_server_message_steal_connection (msg);
  SimRawWrite *write;

  if (stream == NULL)
    return;

  if (raw == NULL || g_bytes_get_size (raw) == 0) {
    g_io_stream_close (stream, NULL, NULL);
    return;
  }

  write = g_new0 (SimRawWrite, 1);
  write->stream = g_object_ref (stream);
  write->bytes = g_bytes_ref (raw);
  g_output_stream_write_all_async (g_io_stream_get_output_stream (stream),
                                   g_bytes_get_data (raw, NULL), g_bytes_get_size (raw),
                                   G_PRIORITY_DEFAULT, NULL, raw_written_cb, write);
}


/* The raw bytes of an HTTP response whose Content-Length promises all of @body, of which only
 * the first half follows. */
static GBytes *
truncated_response (GBytes *body)
{
  gsize len;
  const char *data = g_bytes_get_data (body, &len);
  GString *raw = g_string_new (NULL);

  g_string_append_printf (raw, "HTTP/1.1 200 OK\r\n"
                               "Content-Type: application/json\r\n"
                               "Content-Length: %" G_GSIZE_FORMAT "\r\n"
                               "Connection: close\r\n\r\n",
                          len + 64);
  g_string_append_len (raw, data, (gssize) (len / 2));
  return g_string_free_to_bytes (raw);
}

static gboolean
pending_fire_cb (gpointer user_data)
{
  SimPending *pending = user_data;
  SimGateway *self = pending->gateway;

  self->pending = g_list_remove (self->pending, pending);

  if (!pending->dead) {
    g_signal_handler_disconnect (pending->msg, pending->disconnected_id);
    pending->disconnected_id = 0;

    switch (pending->kind) {
    case SIM_FAULT_TRUNCATED:
      steal_and_close (pending->msg, pending->raw);
      break;
    case SIM_FAULT_DROP:
      steal_and_close (pending->msg, NULL);
      break;
    default:
      soup_server_message_unpause (pending->msg);
      break;
    }
  }

  g_source_unref (pending->source);
  pending->source = NULL;
  pending_free (pending);
  return G_SOURCE_REMOVE;
}

SimGateway *
sim_gateway_new (void)
{
  return g_new0 (SimGateway, 1);
}

void
sim_gateway_free (SimGateway *self)
{
  if (self == NULL)
    return;
  sim_gateway_close_all (self);
  g_free (self);
}

/* STALL never fires: the connection is closed when the server goes away. */
void
sim_gateway_hold (SimGateway        *self,
                  GMainContext      *context,
                  SoupServerMessage *msg,
                  SimFaultKind       kind,
                  GBytes            *body,
                  guint              delay_ms)
{
  SimPending *pending = g_new0 (SimPending, 1);

  pending->gateway = self;
  pending->msg = g_object_ref (msg);
  pending->kind = kind;
  pending->raw = kind == SIM_FAULT_TRUNCATED ? truncated_response (body) : NULL;
  pending->disconnected_id = g_signal_connect (msg, "disconnected",
                                               G_CALLBACK (pending_disconnected_cb), pending);

  soup_server_message_pause (msg);

  if (kind != SIM_FAULT_STALL) {
    pending->source = g_timeout_source_new (delay_ms);
    g_source_set_callback (pending->source, pending_fire_cb, pending, NULL);
    g_source_set_name (pending->source, "[imprint-sim] answer");
    g_source_attach (pending->source, context);
  }

  self->pending = g_list_prepend (self->pending, pending);
}

void
sim_gateway_close_all (SimGateway *self)
{
  GList *list = g_steal_pointer (&self->pending);

  for (GList *l = list; l != NULL; l = l->next) {
    SimPending *pending = l->data;

    if (!pending->dead) {
      g_signal_handler_disconnect (pending->msg, pending->disconnected_id);
      pending->disconnected_id = 0;
      steal_and_close (pending->msg, NULL);
    }
    pending_free (pending);
  }
  g_list_free (list);
}

GBytes *
sim_gateway_fault_body (SimRequest   *req,
                        SimFaultKind  kind,
                        guint        *status,
                        const char  **content_type)
{
  *status = SOUP_STATUS_OK;
  *content_type = "application/json";

  switch (kind) {
  case SIM_FAULT_HTTP_500:
    *status = SOUP_STATUS_INTERNAL_SERVER_ERROR;
    *content_type = "text/plain";
    return g_bytes_new_static ("Internal Server Error\n", 22);

  case SIM_FAULT_HTTP_503:
    *status = SOUP_STATUS_SERVICE_UNAVAILABLE;
    *content_type = "text/plain";
    return g_bytes_new_static ("Service Temporarily Unavailable\n", 32);

  case SIM_FAULT_HTML:
    {
      static const char page[] =
        "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
        "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>stgw</center>\r\n"
        "</body>\r\n</html>\r\n";

      *status = SOUP_STATUS_BAD_GATEWAY;
      *content_type = "text/html";
      return g_bytes_new_static (page, sizeof page - 1);
    }

  case SIM_FAULT_MALFORMED_JSON:
    {
      g_autofree char *text = NULL;
      gsize len;

      if (req->protocol == TC_PROTOCOL_LEGACY)
        text = g_strdup ("{\"code\":0,\"message\":\"\",\"codeDesc\":\"Success\","
                         "\"totalCount\":1,\"instanceSet\":[{\"unInstanceId\":\"ins-");
      else
        text = g_strdup_printf ("{\"Response\": {\"TotalCount\": 1, \"InstanceSet\": "
                                "[{\"InstanceId\": \"ins-, ]}, \"RequestId\": \"%s\"",
                                req->request_id);
      len = strlen (text);
      return g_bytes_new_take (g_steal_pointer (&text), len);
    }

  case SIM_FAULT_OVERSIZED:
    {
      GString *text = g_string_sized_new (OVERSIZED_BODY + 256);

      if (req->protocol == TC_PROTOCOL_LEGACY)
        g_string_append (text, "{\"code\":0,\"message\":\"\",\"codeDesc\":\"Success\","
                               "\"totalCount\":0,\"instanceSet\":[],\"padding\":\"");
      else
        g_string_append (text, "{\"Response\": {\"TotalCount\": 0, \"InstanceSet\": [], "
                               "\"Padding\": \"");
      /* Real bytes, not a sparse trick: the client must read them to find the end. */
      g_string_set_size (text, text->len + OVERSIZED_BODY);
      memset (text->str + text->len - OVERSIZED_BODY, 'x', OVERSIZED_BODY);
      if (req->protocol == TC_PROTOCOL_LEGACY)
        g_string_append (text, "\"}");
      else
        g_string_append_printf (text, "\", \"RequestId\": \"%s\"}}", req->request_id);
      return g_string_free_to_bytes (text);
    }

  case SIM_FAULT_NONE:
  case SIM_FAULT_LATENCY:
  case SIM_FAULT_RATE_LIMIT:
  case SIM_FAULT_INTERNAL_ERROR:
  case SIM_FAULT_TRUNCATED:
  case SIM_FAULT_DROP:
  case SIM_FAULT_STALL:
  case SIM_FAULT_IMAGE_FAIL:
  default:
    g_assert_not_reached ();
  }
  return NULL;
}

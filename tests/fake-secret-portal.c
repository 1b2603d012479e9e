/* fake-secret-portal.c: a Secret portal that fails every request
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   fake-secret-portal
 *
 * Owns org.freedesktop.portal.Desktop on the session bus and answers RetrieveSecret as
 * xdg-desktop-portal does when its backend could not give the app its key (no login
 * keyring, or one left locked): with a request whose Response is 2, "failed". Used by
 * flatpak-sandbox.sh --failing-secret-portal.
 *
 * libsecret 0.20 listens for the Response only once it has handled the reply to
 * RetrieveSecret, and drops one that came sooner (see tests/flatpak/
 * libsecret-portal-response.patch). So the Response is sent again until the app leaves
 * the bus; libsecret stops listening after the first it gets.
 */
#include <gio/gio.h>

static const char introspection[] =
  "<node>"
  "  <interface name='org.freedesktop.portal.Secret'>"
  "    <method name='RetrieveSecret'>"
  "      <arg type='h' name='fd' direction='in'/>"
  "      <arg type='a{sv}' name='options' direction='in'/>"
  "      <arg type='o' name='handle' direction='out'/>"
  "    </method>"
  "    <property name='version' type='u' access='read'/>"
  "  </interface>"
  "</node>";

typedef struct {
  GDBusConnection *connection;
  char            *sender;
  char            *path;
  guint            watch_id;
  guint            timeout_id;
} Request;

static void
request_free (Request *request)
{
  g_clear_handle_id (&request->timeout_id, g_source_remove);
  g_object_unref (request->connection);
  g_free (request->sender);
  g_free (request->path);
  g_free (request);
}

static gboolean
send_response_cb (gpointer user_data)
{
  Request *request = user_data;

  g_dbus_connection_emit_signal (request->connection, request->sender, request->path,
                                 "org.freedesktop.portal.Request", "Response",
                                 g_variant_new ("(u@a{sv})", 2,
                                                g_variant_new_array (G_VARIANT_TYPE ("{sv}"),
                                                                     NULL, 0)),
                                 NULL);
  return G_SOURCE_CONTINUE;
}

static void
sender_vanished_cb (GDBusConnection *connection,
                    const char      *name,
                    gpointer         user_data)
{
  Request *request = user_data;

  g_bus_unwatch_name (request->watch_id);
}

static void
method_call_cb (GDBusConnection       *connection,
                const char            *sender,
                const char            *object_path,
                const char            *interface_name,
                const char            *method_name,
                GVariant              *parameters,
                GDBusMethodInvocation *invocation,
                gpointer               user_data)
{
  static guint counter;
  g_autofree char *escaped = g_strdup (sender + 1);
  Request *request = g_new0 (Request, 1);

  g_strdelimit (escaped, ".", '_');
  request->connection = g_object_ref (connection);
  request->sender = g_strdup (sender);
  request->path = g_strdup_printf ("/org/freedesktop/portal/desktop/request/%s/fake%u",
                                   escaped, ++counter);
  g_dbus_method_invocation_return_value (invocation, g_variant_new ("(o)", request->path));

  send_response_cb (request);
  request->timeout_id = g_timeout_add (50, send_response_cb, request);
  request->watch_id = g_bus_watch_name_on_connection (connection, sender,
                                                      G_BUS_NAME_WATCHER_FLAGS_NONE, NULL,
                                                      sender_vanished_cb, request,
                                                      (GDestroyNotify) request_free);
}

static GVariant *
get_property_cb (GDBusConnection  *connection,
                 const char       *sender,
                 const char       *object_path,
                 const char       *interface_name,
                 const char       *property_name,
                 GError          **error,
                 gpointer          user_data)
{
  return g_variant_new_uint32 (1);
}

static const GDBusInterfaceVTable vtable = { method_call_cb, get_property_cb, NULL };

static void
name_lost_cb (GDBusConnection *connection,
              const char      *name,
              gpointer         user_data)
{
  g_printerr ("fake-secret-portal: could not own %s\n", name);
  g_main_loop_quit (user_data);
}

int
main (void)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GDBusNodeInfo) info = g_dbus_node_info_new_for_xml (introspection, NULL);
  g_autoptr(GDBusConnection) connection = NULL;
  g_autoptr(GError) error = NULL;

  connection = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  if (connection == NULL ||
      g_dbus_connection_register_object (connection, "/org/freedesktop/portal/desktop",
                                         info->interfaces[0], &vtable, NULL, NULL,
                                         &error) == 0) {
    g_printerr ("fake-secret-portal: %s\n", error->message);
    return 1;
  }
  g_bus_own_name_on_connection (connection, "org.freedesktop.portal.Desktop",
                                G_BUS_NAME_OWNER_FLAGS_NONE, NULL, name_lost_cb,
                                loop, NULL);
  g_main_loop_run (loop);
  return 1;
}

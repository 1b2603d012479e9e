/* libsecret-locked-store.c: libsecret 0.20 itself leaks when it meets a locked collection
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Evidence for the libsecret suppressions in tests/valgrind.supp, not a test: the account
 * tests lose a few blocks whenever they store into a locked keyring, and none of the stacks
 * goes through our code. This program does nothing but store a password three times into
 * the locked default collection, and loses the same blocks (Debian 12, libsecret 0.20.5:
 * 32 bytes for the array of unlocked paths and 64 for the D-Bus reply, per store):
 *
 *   G_SLICE=always-malloc tests/keyring-session.sh --locked \
 *     valgrind --leak-check=full _build/tests/libsecret-locked-store
 */
#include <libsecret/secret.h>

static const SecretSchema schema = {
  "io.github.imprint.Evidence", SECRET_SCHEMA_NONE,
  { { "key", SECRET_SCHEMA_ATTRIBUTE_STRING }, { NULL, 0 } },
};

static void
stored_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  gboolean *finished = user_data;
  g_autoptr(GError) error = NULL;

  secret_password_store_finish (result, &error);
  g_print ("store: %s\n", error != NULL ? error->message : "stored");
  *finished = TRUE;
}

int
main (void)
{
  for (guint i = 0; i < 3; i++) {
    gboolean finished = FALSE;

    secret_password_store (&schema, SECRET_COLLECTION_DEFAULT, "evidence", "password", NULL,
                           stored_cb, &finished, "key", "value", NULL);
    while (!finished)
      g_main_context_iteration (NULL, TRUE);
  }
  secret_service_disconnect ();
  return 0;
}

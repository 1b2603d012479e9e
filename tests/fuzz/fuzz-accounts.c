/* fuzz-accounts.c: accounts.json, as the account store reads it at start-up
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Input: the file's bytes. A damaged file is an error with a translated message; what is
 * accepted are accounts whose every field is exact text.
 */
#include "config.h"

#include "fuzz-util.h"
#include "tc-account-file.h"
#include "tc-account-store.h"

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_init ();
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) accounts = NULL;

  accounts = tc_account_file_parse ("/home/user/.config/imprint/accounts.json",
                                          (const char *) data, size, &error);
  if ((accounts == NULL) == (error == NULL))
    abort ();
  if (error != NULL) {
    fuzz_assert_text (error->message);
    fuzz_assert_text (tc_account_store_error_get_details (error));
    return 0;
  }

  for (guint i = 0; i < accounts->len; i++) {
    TcAccount *account = g_ptr_array_index (accounts, i);

    fuzz_assert_text (tc_account_get_id (account));
    fuzz_assert_text (tc_account_get_name (account));
    fuzz_assert_text (tc_account_get_secret_id (account));
    fuzz_assert_text (tc_account_get_region (account));
    fuzz_assert_text (tc_account_get_endpoint (account));
    fuzz_assert_text (tc_account_get_legacy_cvm_endpoint (account));
    fuzz_assert_text (tc_account_get_legacy_image_endpoint (account));
  }
  return 0;
}

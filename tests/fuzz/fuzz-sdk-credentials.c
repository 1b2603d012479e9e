/* fuzz-sdk-credentials.c: the Tencent Cloud SDKs' INI file, ~/.tencentcloud/credentials
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Input: the file's bytes. Runs the parsing tc_tccli_scan_async() runs once it is read,
 * and then the environment variables built from the same bytes (NUL-separated
 * "TENCENTCLOUD_…=value" strings), the other place a scan takes credentials from.
 */
#include "config.h"

#include "fuzz-util.h"
#include "tc-tccli-private.h"

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
  g_autoptr(TcTccliScan) scan = tc_tccli_scan_new ();
  g_autoptr(TcTccliScan) env_scan = tc_tccli_scan_new ();
  g_autoptr(GPtrArray) envp = g_ptr_array_new_with_free_func (g_free);
  const uint8_t *rest = data;
  size_t rest_size = size;
  char *field;

  tc_tccli_read_sdk_data (scan, "/home/user/.tencentcloud/credentials", (const char *) data, size);
  fuzz_check_scan (scan);

  while ((field = fuzz_next_field (&rest, &rest_size)) != NULL)
    g_ptr_array_add (envp, field);
  g_ptr_array_add (envp, NULL);
  tc_tccli_read_environment (env_scan, (const char * const *) envp->pdata);
  fuzz_check_scan (env_scan);
  return 0;
}

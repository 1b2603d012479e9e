/* fuzz-tccli.c: a tccli profile, ~/.tccli/<name>.credential and its .configure
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Input: the .credential file's bytes, then optionally a NUL and the .configure file's.
 * Runs the parsing tc_tccli_scan_async() runs once the files are read.
 */
#include "config.h"

#include <string.h>

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
  const uint8_t *nul = memchr (data, '\0', size);
  gsize credential_len = nul ? (gsize) (nul - data) : size;
  g_autofree char *credential = g_strndup ((const char *) data, credential_len);
  g_autofree char *configure = nul ? g_strndup ((const char *) nul + 1, size - credential_len - 1) : NULL;

  /* The files are read whole, NULs and all: only the split is ours. */
  tc_tccli_read_credential_data (scan, "/home/user/.tccli/fuzz.credential",
                                 credential, credential_len,
                                 configure, configure ? size - credential_len - 1 : 0);
  fuzz_check_scan (scan);
  return 0;
}

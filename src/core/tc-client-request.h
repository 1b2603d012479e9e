/* tc-client-request.h: one signed request, framed as the protocol wants it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Used by tc-client.c only; the tests reach it through TcClient.
 */
#pragma once

#include <libsoup/soup.h>
#include <json-glib/json-glib.h>

#include "tc-credentials.h"
#include "tc-types.h"

G_BEGIN_DECLS

/* Where a request goes and with which keys. */
typedef struct {
  GUri          *endpoint;               /* API 3.0 */
  GUri          *legacy_cvm_endpoint;    /* the legacy API, for instances */
  GUri          *legacy_image_endpoint;  /* the legacy API, for images */
  TcCredentials *credentials;
  const char    *language;               /* API 3.0's X-TC-Language */
} TcRequestTarget;

SoupMessage *tc_client_request_build (TcProtocol             protocol,
                                      const TcRequestTarget *target,
                                      const char            *action,
                                      const char            *region,
                                      JsonObject            *params);

G_END_DECLS

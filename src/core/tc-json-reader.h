/* tc-json-reader.h: a strict pull reader for JSON (private to the core)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Deeper JSON than this is refused: no CVM request or answer nests past a handful of
 * levels, and skipping a value recurses once per level. */
#define TC_JSON_MAX_DEPTH 64

typedef enum {
  TC_JSON_INVALID,
  TC_JSON_OBJECT,
  TC_JSON_ARRAY,
  TC_JSON_STRING,
  TC_JSON_NUMBER,
  TC_JSON_BOOLEAN,
  TC_JSON_NULL,
} TcJsonKind;

typedef struct {
  /*< private >*/
  const char *pos;
  const char *end;
  guint       depth;
  guint64     in_array;   /* bit d-1: the container at depth d is an array */
  guint64     has_items;  /* bit d-1: the container at depth d has had a member */
  gboolean    pending;    /* a value is at the cursor, not read yet */
  gboolean    failed;
  GString    *key;
  GString    *text;
  gboolean    text_valid; /* text holds valid UTF-8 without U+0000 */
} TcJsonReader;

void        tc_json_reader_init             (TcJsonReader *reader,
                                             const char   *data,
                                             gsize         len);
void        tc_json_reader_clear            (TcJsonReader *reader);
gboolean    tc_json_reader_finish           (TcJsonReader *reader);
gboolean    tc_json_reader_failed           (TcJsonReader *reader);

TcJsonKind  tc_json_reader_peek             (TcJsonReader *reader);
gboolean    tc_json_reader_enter_object     (TcJsonReader *reader,
                                             guint        *level);
gboolean    tc_json_reader_next_member      (TcJsonReader *reader,
                                             guint         level,
                                             const char  **name);
gboolean    tc_json_reader_enter_array      (TcJsonReader *reader,
                                             guint        *level);
gboolean    tc_json_reader_next_element     (TcJsonReader *reader,
                                             guint         level);
void        tc_json_reader_skip             (TcJsonReader *reader);

const char *tc_json_reader_read_string      (TcJsonReader *reader);
char       *tc_json_reader_dup_string       (TcJsonReader *reader);
char       *tc_json_reader_dup_text         (TcJsonReader *reader);
gboolean    tc_json_reader_read_int         (TcJsonReader *reader,
                                             gint64       *value);
gboolean    tc_json_reader_read_whole       (TcJsonReader *reader,
                                             gint64       *value);
gboolean    tc_json_reader_read_int_literal (TcJsonReader *reader,
                                             gint64       *value);

G_END_DECLS

/* tc-answer.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every member a CVM action answers with, in either protocol, read straight into a
 * TcAnswer and its models while the envelope is read (tc-envelope.c): one pass over the
 * text, no tree. What each action makes of it is in tc-cvm-parse.c. Members nobody
 * asked for are skipped by the reader.
 */
#include "config.h"

#include "tc-answer.h"
#include "tc-error.h"
#include "tc-models.h"

TcAnswer *
tc_answer_new (TcProtocol protocol)
{
  TcAnswer *answer = g_new0 (TcAnswer, 1);

  answer->protocol = protocol;
  return answer;
}

void
tc_answer_free (TcAnswer *answer)
{
  if (answer == NULL)
    return;
  g_free (answer->request_id);
  g_free (answer->image_id);
  for (guint i = 0; i < TC_ANSWER_N_SETS; i++) {
    g_clear_pointer (&answer->sets[i], g_ptr_array_unref);
    g_clear_error (&answer->set_errors[i]);
  }
  g_free (answer);
}

/**
 * tc_answer_read_id:
 *
 * Request and task IDs: a string, or (legacy CreateImage) a number.
 *
 * Returns: (transfer full) (nullable): the ID at the cursor
 */
char *
tc_answer_read_id (TcJsonReader *reader)
{
  gint64 number;

  if (tc_json_reader_peek (reader) == TC_JSON_NUMBER)
    return tc_json_reader_read_int_literal (reader, &number)
      ? g_strdup_printf ("%" G_GINT64_FORMAT, number) : NULL;
  return tc_json_reader_dup_string (reader);
}

typedef gpointer (*ReadItemFunc) (TcJsonReader *reader, GError **error);

static void
read_set (TcAnswer     *answer,
          TcAnswerSet   set,
          ReadItemFunc  read_item,
          TcJsonReader *reader)
{
  guint level;

  g_clear_pointer (&answer->sets[set], g_ptr_array_unref);
  g_clear_error (&answer->set_errors[set]);
  if (!tc_json_reader_enter_array (reader, &level))
    return;

  answer->sets[set] = g_ptr_array_new_with_free_func (g_object_unref);
  while (tc_json_reader_next_element (reader, level)) {
    gpointer item;

    if (answer->set_errors[set] != NULL)
      continue;   /* the rest is only checked */
    item = read_item (reader, &answer->set_errors[set]);
    if (item != NULL)
      g_ptr_array_add (answer->sets[set], item);
  }
}

static gpointer
read_region (TcJsonReader  *reader,
             GError       **error)
{
  return tc_region_read_api3 (reader);
}

static const struct {
  const char   *name;
  TcAnswerSet   set;
  ReadItemFunc  read_item;
} set_members[2][2] = {
  [TC_PROTOCOL_API3] = {
    { "InstanceSet", TC_ANSWER_INSTANCES, (ReadItemFunc) tc_instance_read_api3 },
    { "ImageSet", TC_ANSWER_IMAGES, (ReadItemFunc) tc_image_read_api3 },
  },
  [TC_PROTOCOL_LEGACY] = {
    { "instanceSet", TC_ANSWER_INSTANCES, (ReadItemFunc) tc_instance_read_legacy },
    { "imageSet", TC_ANSWER_IMAGES, (ReadItemFunc) tc_image_read_legacy },
  },
};

/**
 * tc_answer_read_member:
 *
 * Reads the member @name, the value at the cursor, if an action answers with it. A
 * member of the same name read before is replaced.
 */
void
tc_answer_read_member (TcAnswer     *answer,
                       const char   *name,
                       TcJsonReader *reader)
{
  gboolean api3 = answer->protocol == TC_PROTOCOL_API3;

  for (guint i = 0; i < G_N_ELEMENTS (set_members[0]); i++) {
    if (g_str_equal (name, set_members[answer->protocol][i].name)) {
      read_set (answer, set_members[answer->protocol][i].set,
                set_members[answer->protocol][i].read_item, reader);
      return;
    }
  }

  if (g_str_equal (name, api3 ? "TotalCount" : "totalCount")) {
    answer->has_total = tc_json_reader_read_int (reader, &answer->total);
  } else if (api3 && g_str_equal (name, "RegionSet")) {
    read_set (answer, TC_ANSWER_REGIONS, read_region, reader);
  } else if (api3 && g_str_equal (name, "ImageNumQuota")) {
    answer->has_quota = tc_json_reader_read_int (reader, &answer->quota);
  } else if (api3 && g_str_equal (name, "ImageId")) {
    g_free (answer->image_id);
    answer->image_id = tc_json_reader_dup_string (reader);
  }
}

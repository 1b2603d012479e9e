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

typedef enum {
  MEMBER_TOTAL,
  MEMBER_INSTANCES,
  MEMBER_IMAGES,
  MEMBER_REGIONS,
  MEMBER_QUOTA,
  MEMBER_IMAGE_ID,
} Member;

/* The members each protocol answers with, across all actions. */
static const struct {
  const char *name;
  Member      member;
} members[2][6] = {
  [TC_PROTOCOL_API3] = {
    { "TotalCount", MEMBER_TOTAL },
    { "InstanceSet", MEMBER_INSTANCES },
    { "ImageSet", MEMBER_IMAGES },
    { "RegionSet", MEMBER_REGIONS },
    { "ImageNumQuota", MEMBER_QUOTA },
    { "ImageId", MEMBER_IMAGE_ID },
  },
  [TC_PROTOCOL_LEGACY] = {
    { "totalCount", MEMBER_TOTAL },
    { "instanceSet", MEMBER_INSTANCES },
    { "imageSet", MEMBER_IMAGES },
  },
};

/* How an item of each set reads, in each protocol (the legacy API lists no regions). */
static const ReadItemFunc read_items[2][TC_ANSWER_N_SETS] = {
  [TC_PROTOCOL_API3] = {
    [TC_ANSWER_INSTANCES] = (ReadItemFunc) tc_instance_read_api3,
    [TC_ANSWER_IMAGES] = (ReadItemFunc) tc_image_read_api3,
    [TC_ANSWER_REGIONS] = read_region,
  },
  [TC_PROTOCOL_LEGACY] = {
    [TC_ANSWER_INSTANCES] = (ReadItemFunc) tc_instance_read_legacy,
    [TC_ANSWER_IMAGES] = (ReadItemFunc) tc_image_read_legacy,
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
  TcAnswerSet set;

  for (guint i = 0; i < G_N_ELEMENTS (members[0]) && members[answer->protocol][i].name; i++) {
    if (!g_str_equal (name, members[answer->protocol][i].name))
      continue;

    switch (members[answer->protocol][i].member) {
    case MEMBER_TOTAL:
      answer->has_total = tc_json_reader_read_whole (reader, &answer->total);
      return;
    case MEMBER_QUOTA:
      answer->has_quota = tc_json_reader_read_whole (reader, &answer->quota);
      return;
    case MEMBER_IMAGE_ID:
      g_free (answer->image_id);
      answer->image_id = tc_json_reader_dup_string (reader);
      return;
    case MEMBER_INSTANCES:
      set = TC_ANSWER_INSTANCES;
      break;
    case MEMBER_IMAGES:
      set = TC_ANSWER_IMAGES;
      break;
    case MEMBER_REGIONS:
    default:
      set = TC_ANSWER_REGIONS;
      break;
    }
    read_set (answer, set, read_items[answer->protocol][set], reader);
    return;
  }
}

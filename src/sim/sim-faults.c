/* sim-faults.c: the faults a simulator injects, and when each one fires
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A fault models the gateway or the network failing, or an image that fails to build. The
 * same text describes one on the command line (`imprint-sim --fault SPEC`) and in tests,
 * so the parser is its own unit: the server only asks which fault fires for a request, and
 * the cloud only asks whether a new image fails. Faults are consulted in the order they
 * were added; a rate below 1 is drawn from a generator seeded from the fleet seed, so the
 * same run hits the same requests.
 */
#include "config.h"

#include <string.h>

#include <gio/gio.h>

#include "sim-faults.h"

typedef struct {
  SimFaultKind  kind;
  char         *action;     /* NULL: every action */
  double        rate;       /* 0 … 1 */
  gint64        count;      /* -1: no limit */
  guint64       skip;       /* the first matching requests that pass untouched */
  guint         ms;
  guint64       seen;
  guint64       fired;
} SimFault;

struct _SimFaults {
  GPtrArray *faults;        /* SimFault* */
  GRand     *rand;          /* decides rate=R */
};

static const struct {
  const char   *name;
  SimFaultKind  kind;
} fault_kinds[] = {
  { "latency", SIM_FAULT_LATENCY },
  { "rate-limit", SIM_FAULT_RATE_LIMIT },
  { "internal-error", SIM_FAULT_INTERNAL_ERROR },
  { "http-500", SIM_FAULT_HTTP_500 },
  { "http-503", SIM_FAULT_HTTP_503 },
  { "html", SIM_FAULT_HTML },
  { "malformed-json", SIM_FAULT_MALFORMED_JSON },
  { "truncated", SIM_FAULT_TRUNCATED },
  { "oversized", SIM_FAULT_OVERSIZED },
  { "drop", SIM_FAULT_DROP },
  { "stall", SIM_FAULT_STALL },
  { "image-fail", SIM_FAULT_IMAGE_FAIL },
};

static const char * const known_actions[] = {
  "DescribeRegions",
  "DescribeInstances",
  "DescribeImages",
  "DescribeImageQuota",
  "CreateImage",
  "DeleteImages",
  "SyncImages",
};

static void
fault_free (SimFault *fault)
{
  g_free (fault->action);
  g_free (fault);
}

static gboolean
parse_fault (const char  *spec,
             SimFault    *fault,
             GError     **error)
{
  g_autofree char *copy = g_strstrip (g_strdup (spec != NULL ? spec : ""));
  g_auto(GStrv) fields = NULL;
  char *sep = strpbrk (copy, ":,");
  const char *rest = NULL;
  gboolean found = FALSE;
  gboolean has_ms = FALSE;

  if (sep != NULL) {
    rest = sep + 1;
    *sep = '\0';
  }

  for (guint i = 0; i < G_N_ELEMENTS (fault_kinds); i++) {
    if (strcmp (copy, fault_kinds[i].name) == 0) {
      fault->kind = fault_kinds[i].kind;
      found = TRUE;
    }
  }
  if (!found) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                 "Unknown fault “%s” in “%s”: use latency, rate-limit, internal-error, "
                 "http-500, http-503, html, malformed-json, truncated, oversized, drop, "
                 "stall or image-fail", copy, spec);
    return FALSE;
  }

  fault->rate = 1.0;
  fault->count = -1;

  fields = g_strsplit_set (rest != NULL ? rest : "", ",:", -1);
  for (guint i = 0; fields[i] != NULL; i++) {
    char *field = g_strstrip (fields[i]);
    char *eq = strchr (field, '=');
    const char *value;
    char *end = NULL;

    if (*field == '\0')
      continue;
    if (eq == NULL) {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "“%s” in fault “%s” is not KEY=VALUE", field, spec);
      return FALSE;
    }
    *eq = '\0';
    value = eq + 1;

    if (strcmp (field, "action") == 0) {
      gboolean known = FALSE;

      for (guint a = 0; a < G_N_ELEMENTS (known_actions); a++)
        known |= strcmp (value, known_actions[a]) == 0;
      if (!known) {
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                     "Unknown action “%s” in fault “%s”", value, spec);
        return FALSE;
      }
      g_free (fault->action);
      fault->action = g_strdup (value);
    } else if (strcmp (field, "rate") == 0) {
      double rate = g_ascii_strtod (value, &end);

      if (*value == '\0' || end == NULL || *end != '\0' || !(rate >= 0.0 && rate <= 1.0)) {
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                     "rate must be a number from 0 to 1 in fault “%s”", spec);
        return FALSE;
      }
      fault->rate = rate;
    } else if (strcmp (field, "count") == 0) {
      guint64 count;

      if (!g_ascii_string_to_unsigned (value, 10, 0, G_MAXINT32, &count, NULL)) {
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                     "count must be a whole number in fault “%s”", spec);
        return FALSE;
      }
      fault->count = (gint64) count;
    } else if (strcmp (field, "skip") == 0) {
      if (!g_ascii_string_to_unsigned (value, 10, 0, G_MAXINT32, &fault->skip, NULL)) {
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                     "skip must be a whole number in fault “%s”", spec);
        return FALSE;
      }
    } else if (strcmp (field, "ms") == 0) {
      guint64 ms;

      if (!g_ascii_string_to_unsigned (value, 10, 0, 600000, &ms, NULL)) {
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                     "ms must be a whole number of milliseconds (at most 600000) in fault “%s”",
                     spec);
        return FALSE;
      }
      fault->ms = (guint) ms;
      has_ms = TRUE;
    } else {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "Unknown key “%s” in fault “%s”: use action, rate, count, skip or ms", field, spec);
      return FALSE;
    }
  }

  if (fault->kind == SIM_FAULT_LATENCY && !has_ms) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                 "The latency fault needs ms=M: “%s”", spec);
    return FALSE;
  }
  if (fault->kind == SIM_FAULT_IMAGE_FAIL && fault->action != NULL &&
      strcmp (fault->action, "CreateImage") != 0) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                 "image-fail only applies to CreateImage: “%s”", spec);
    return FALSE;
  }

  return TRUE;
}

SimFaults *
sim_faults_new (guint seed)
{
  SimFaults *self = g_new0 (SimFaults, 1);

  self->faults = g_ptr_array_new_with_free_func ((GDestroyNotify) fault_free);
  self->rand = g_rand_new_with_seed (seed ^ 0x5eed);
  return self;
}

void
sim_faults_free (SimFaults *self)
{
  if (self == NULL)
    return;
  g_ptr_array_unref (self->faults);
  g_rand_free (self->rand);
  g_free (self);
}

gboolean
sim_faults_add (SimFaults   *self,
                const char  *spec,
                GError     **error)
{
  SimFault *fault = g_new0 (SimFault, 1);

  if (!parse_fault (spec, fault, error)) {
    fault_free (fault);
    return FALSE;
  }
  g_ptr_array_add (self->faults, fault);
  return TRUE;
}

void
sim_faults_clear (SimFaults *self)
{
  g_ptr_array_set_size (self->faults, 0);
}

static gboolean
fault_fires (SimFaults  *self,
             SimFault   *fault,
             const char *action)
{
  if (fault->action != NULL && g_strcmp0 (fault->action, action) != 0)
    return FALSE;
  if (fault->seen++ < fault->skip)
    return FALSE;
  if (fault->count >= 0 && fault->fired >= (guint64) fault->count)
    return FALSE;
  if (fault->rate < 1.0 && g_rand_double (self->rand) >= fault->rate)
    return FALSE;

  fault->fired++;
  return TRUE;
}

/* Every matching latency fault adds its delay; the first other fault that fires decides the
 * answer, and the ones after it are not consulted (nor counted, nor drawn for). */
SimFaultKind
sim_faults_pick (SimFaults  *self,
                 const char *action,
                 guint      *extra_ms)
{
  SimFault *chosen = NULL;

  *extra_ms = 0;
  for (guint i = 0; i < self->faults->len; i++) {
    SimFault *fault = g_ptr_array_index (self->faults, i);

    if (fault->kind == SIM_FAULT_IMAGE_FAIL)
      continue;
    if (fault->kind != SIM_FAULT_LATENCY && chosen != NULL)
      continue;
    if (!fault_fires (self, fault, action))
      continue;

    *extra_ms += fault->ms;
    if (fault->kind != SIM_FAULT_LATENCY)
      chosen = fault;
  }
  return chosen != NULL ? chosen->kind : SIM_FAULT_NONE;
}

gboolean
sim_faults_take_image_fail (SimFaults *self)
{
  for (guint i = 0; i < self->faults->len; i++) {
    SimFault *fault = g_ptr_array_index (self->faults, i);

    if (fault->kind == SIM_FAULT_IMAGE_FAIL && fault_fires (self, fault, "CreateImage"))
      return TRUE;
  }
  return FALSE;
}

const char *
sim_fault_kind_name (SimFaultKind kind)
{
  for (gsize i = 0; i < G_N_ELEMENTS (fault_kinds); i++)
    if (fault_kinds[i].kind == kind)
      return fault_kinds[i].name;
  return NULL;
}

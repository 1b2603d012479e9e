/* imprint-instance-cell-context.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The instance picker keeps a screenful of rows of seven cells bound and a part more (see
 * imprint-list-pager.c), and a keystroke in the search rebinds most of them. What every cell would otherwise work out again lives here,
 * once per picker: the sentence that says why an instance in a given state cannot be
 * imaged (it depends only on the state and the protocol, fixed for the picker's life), the
 * names of the region's handful of zones, and whether the window is narrow, which the name
 * cells follow.
 *
 * And the cells that wait. Of those rows a dozen are on screen; the others are the reserve
 * for scrolling. Each new text costs, the more so with an accessibility bus (GTK
 * 4.8 tells it of every GtkInscription's new text). So a cell off screen when its row
 * changes instance waits here, and the cells that wait catch up a few milliseconds a
 * frame, before its layout, those on screen by then first (a list that shrank or grew may
 * have moved rows since they were judged), or all at once when the list scrolls.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "imprint-instance-cell.h"
#include "imprint-instance-cell-context.h"
#include "tc-places.h"
#include "tc-rules.h"

struct _ImprintInstanceCellContext
{
  GObject      parent_instance;

  TcProtocol   protocol;
  char        *refusals[32];     /* by state; see imprint_instance_cell_context_refusal() */
  guint32      refusals_known;
  char        *refusal_other;    /* for a state beyond the array: not cached */
  GHashTable  *zone_names;       /* zone code → its name, as shown */
  const char  *separator;
  gboolean     narrow;
  GHashTable  *waiting;          /* ImprintInstanceCell (not references): cells to catch up */
  GtkWidget   *pace;             /* weak: the cells catch up in its frames */
  guint        pace_tick;
  gint64       waiting_since;    /* the frame counter when the last began to wait */
  gboolean     screened;         /* the waiting were looked for on screen since */
  gboolean     scrolled;         /* all catch up in the next update phase */
};

/* How long catching up may take in a frame, for the cells still off screen: the frames
 * between two keystrokes have little else to do. */
#define CATCH_UP_USEC 6000

G_DEFINE_FINAL_TYPE (ImprintInstanceCellContext, imprint_instance_cell_context, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_NARROW,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
imprint_instance_cell_context_finalize (GObject *object)
{
  ImprintInstanceCellContext *self = IMPRINT_INSTANCE_CELL_CONTEXT (object);

  for (guint i = 0; i < G_N_ELEMENTS (self->refusals); i++)
    g_free (self->refusals[i]);
  g_free (self->refusal_other);
  g_hash_table_unref (self->zone_names);
  imprint_instance_cell_context_set_pace (self, NULL);
  g_hash_table_unref (self->waiting);

  G_OBJECT_CLASS (imprint_instance_cell_context_parent_class)->finalize (object);
}

static void
imprint_instance_cell_context_get_property (GObject    *object,
                                            guint       prop_id,
                                            GValue     *value,
                                            GParamSpec *pspec)
{
  ImprintInstanceCellContext *self = IMPRINT_INSTANCE_CELL_CONTEXT (object);

  switch (prop_id) {
  case PROP_NARROW:
    g_value_set_boolean (value, self->narrow);
    break;

  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
imprint_instance_cell_context_set_property (GObject      *object,
                                            guint         prop_id,
                                            const GValue *value,
                                            GParamSpec   *pspec)
{
  ImprintInstanceCellContext *self = IMPRINT_INSTANCE_CELL_CONTEXT (object);

  switch (prop_id) {
  case PROP_NARROW:
    imprint_instance_cell_context_set_narrow (self, g_value_get_boolean (value));
    break;

  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
imprint_instance_cell_context_class_init (ImprintInstanceCellContextClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = imprint_instance_cell_context_finalize;
  object_class->get_property = imprint_instance_cell_context_get_property;
  object_class->set_property = imprint_instance_cell_context_set_property;

  properties[PROP_NARROW] =
    g_param_spec_boolean ("narrow", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
imprint_instance_cell_context_init (ImprintInstanceCellContext *self)
{
  self->zone_names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->waiting = g_hash_table_new (NULL, NULL);
  /* Translators: between an instance's ID and its private IP address, under its name in a
   * narrow window. */
  self->separator = C_("between an instance id and its address", " · ");
}

/**
 * imprint_instance_cell_context_new:
 * @protocol: the protocol of the client the picker lists with
 */
ImprintInstanceCellContext *
imprint_instance_cell_context_new (TcProtocol protocol)
{
  ImprintInstanceCellContext *self = g_object_new (IMPRINT_TYPE_INSTANCE_CELL_CONTEXT, NULL);

  self->protocol = protocol;
  return self;
}

/**
 * imprint_instance_cell_context_refusal:
 *
 * Why an instance in @state cannot be chosen, or %NULL when it can: whole sentences from
 * tc_rules_check_instance_state(). A running instance can be shut down to be imaged (API
 * 3.0), so it is not refused here; the picker asks.
 *
 * Returns: (nullable): the sentence, valid as long as @self
 */
const char *
imprint_instance_cell_context_refusal (ImprintInstanceCellContext *self,
                                       TcInstanceState             state)
{
  g_auto(TcVerdict) verdict = { 0 };
  gboolean cached = (guint) state < G_N_ELEMENTS (self->refusals);
  char **slot;

  g_return_val_if_fail (IMPRINT_IS_INSTANCE_CELL_CONTEXT (self), NULL);

  slot = cached ? &self->refusals[state] : &self->refusal_other;
  if (cached && self->refusals_known & (1u << state))
    return *slot;

  g_clear_pointer (slot, g_free);
  if (!tc_rules_check_instance_state (self->protocol, state, TRUE, &verdict))
    *slot = g_steal_pointer (&verdict.message);
  if (cached)
    self->refusals_known |= 1u << state;
  return *slot;
}

/**
 * imprint_instance_cell_context_zone_name:
 * @zone: (nullable): a zone code, e.g. ap-guangzhou-3
 *
 * Returns: (nullable): “Guangzhou Zone 3” for ap-guangzhou-3, valid as long as @self
 */
const char *
imprint_instance_cell_context_zone_name (ImprintInstanceCellContext *self,
                                         const char                 *zone)
{
  const char *name;

  g_return_val_if_fail (IMPRINT_IS_INSTANCE_CELL_CONTEXT (self), NULL);

  if (zone == NULL)
    return NULL;
  name = g_hash_table_lookup (self->zone_names, zone);
  if (name == NULL) {
    name = tc_places_zone_name (zone);
    g_hash_table_insert (self->zone_names, g_strdup (zone), (gpointer) name);
  }
  return name;
}

/**
 * imprint_instance_cell_context_get_separator:
 *
 * Returns: what goes between an instance's ID and its address under its name, translated
 *   once rather than at each of hundreds of rebinds
 */
const char *
imprint_instance_cell_context_get_separator (ImprintInstanceCellContext *self)
{
  g_return_val_if_fail (IMPRINT_IS_INSTANCE_CELL_CONTEXT (self), NULL);

  return self->separator;
}

gboolean
imprint_instance_cell_context_get_narrow (ImprintInstanceCellContext *self)
{
  g_return_val_if_fail (IMPRINT_IS_INSTANCE_CELL_CONTEXT (self), FALSE);

  return self->narrow;
}

/**
 * imprint_instance_cell_context_set_narrow:
 *
 * Whether the picker's window is narrow: the ID and address then move under the name.
 */
void
imprint_instance_cell_context_set_narrow (ImprintInstanceCellContext *self,
                                          gboolean                    narrow)
{
  g_return_if_fail (IMPRINT_IS_INSTANCE_CELL_CONTEXT (self));

  narrow = !!narrow;
  if (self->narrow == narrow)
    return;
  self->narrow = narrow;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NARROW]);
}

/* Catches up the cells on screen (once after each change: the layout since may have moved
 * them), then others until @deadline (g_get_monotonic_time()), or all of them when 0.
 * Returns whether none waits any more. */
static gboolean
catch_up (ImprintInstanceCellContext *self,
          gint64                      deadline)
{
  GHashTableIter iter;
  gpointer cell;

  g_hash_table_iter_init (&iter, self->waiting);
  while (deadline != 0 && !self->screened && g_hash_table_iter_next (&iter, &cell, NULL)) {
    if (imprint_instance_cell_is_on_screen (cell)) {
      g_hash_table_iter_remove (&iter);
      imprint_instance_cell_catch_up (cell);
    }
  }
  self->screened = TRUE;

  g_hash_table_iter_init (&iter, self->waiting);
  while (g_hash_table_iter_next (&iter, &cell, NULL)) {
    g_hash_table_iter_remove (&iter);
    imprint_instance_cell_catch_up (cell);
    if (deadline != 0 && g_get_monotonic_time () >= deadline)
      break;
  }
  return g_hash_table_size (self->waiting) == 0;
}

static gboolean
catch_up_tick_cb (GtkWidget     *widget,
                  GdkFrameClock *frame_clock,
                  gpointer       user_data)
{
  ImprintInstanceCellContext *self = user_data;

  if (self->scrolled) {
    self->scrolled = FALSE;
    catch_up (self, 0);
  }
  /* Not in the frame that shows the change itself: that one is for the cells on screen. */
  if (gdk_frame_clock_get_frame_counter (frame_clock) <= self->waiting_since + 1)
    return G_SOURCE_CONTINUE;

  if (!catch_up (self, g_get_monotonic_time () + CATCH_UP_USEC))
    return G_SOURCE_CONTINUE;
  self->pace_tick = 0;
  return G_SOURCE_REMOVE;
}

/**
 * imprint_instance_cell_context_set_pace:
 * @widget: (nullable): the widget in whose frames waiting cells catch up, the cells' view;
 *   %NULL: no cell waits
 */
void
imprint_instance_cell_context_set_pace (ImprintInstanceCellContext *self,
                                        GtkWidget                  *widget)
{
  g_return_if_fail (IMPRINT_IS_INSTANCE_CELL_CONTEXT (self));
  g_return_if_fail (widget == NULL || GTK_IS_WIDGET (widget));

  catch_up (self, 0);
  if (self->pace != NULL) {
    if (self->pace_tick != 0)
      gtk_widget_remove_tick_callback (self->pace, self->pace_tick);
    g_object_remove_weak_pointer (G_OBJECT (self->pace), (gpointer *) &self->pace);
  }
  self->pace_tick = 0;
  self->pace = widget;
  if (widget != NULL)
    g_object_add_weak_pointer (G_OBJECT (widget), (gpointer *) &self->pace);
}

/**
 * imprint_instance_cell_context_wait:
 * @cell: an #ImprintInstanceCell off screen, to show its row's instance later
 *
 * The cell catches up in a coming frame (imprint_instance_cell_catch_up()), unless
 * imprint_instance_cell_context_forget() was called for it first; at once when there is no
 * widget to pace with.
 */
void
imprint_instance_cell_context_wait (ImprintInstanceCellContext *self,
                                    gpointer                    cell)
{
  GdkFrameClock *frame_clock;

  g_return_if_fail (IMPRINT_IS_INSTANCE_CELL_CONTEXT (self));

  frame_clock = self->pace != NULL ? gtk_widget_get_frame_clock (self->pace) : NULL;
  if (frame_clock == NULL) {
    imprint_instance_cell_catch_up (cell);
    return;
  }

  g_hash_table_add (self->waiting, cell);
  self->waiting_since = gdk_frame_clock_get_frame_counter (frame_clock);
  self->screened = FALSE;
  if (self->pace_tick == 0)
    self->pace_tick = gtk_widget_add_tick_callback (self->pace, catch_up_tick_cb, self, NULL);
}

/**
 * imprint_instance_cell_context_forget:
 *
 * @cell no longer waits: it was bound to another row, or is gone.
 */
void
imprint_instance_cell_context_forget (ImprintInstanceCellContext *self,
                                      gpointer                    cell)
{
  g_return_if_fail (IMPRINT_IS_INSTANCE_CELL_CONTEXT (self));

  g_hash_table_remove (self->waiting, cell);
}

/**
 * imprint_instance_cell_context_catch_up:
 *
 * Every waiting cell shows its row's instance before the next frame's layout: the list
 * scrolled, and some may come on screen.
 */
void
imprint_instance_cell_context_catch_up (ImprintInstanceCellContext *self)
{
  g_return_if_fail (IMPRINT_IS_INSTANCE_CELL_CONTEXT (self));

  /* In the update phase, not now: GTK 4.8 sets the adjustment right while it allocates the
   * rows (after a search far down a list listed whole), and a cell given new text then asks
   * for an allocation the frame's paint does not wait for, a critical warning. A scroll by
   * the user comes before the update phase of the frame that shows it. */
  if (self->pace_tick != 0)
    self->scrolled = TRUE;
  else
    catch_up (self, 0);
}

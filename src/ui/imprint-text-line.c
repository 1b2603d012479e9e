/* imprint-text-line.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GtkInscription (GTK 4.8) makes each line as tall as its font's ascent and descent. Those
 * are the Latin font's (DejaVu Sans, Cantarell): the font list has no Chinese font, and the
 * metrics follow the locale's language, English or C even under LANGUAGE=zh_CN. A line that
 * holds Chinese takes the ascent and descent of the font Pango falls back to, which are
 * larger (Noto Sans CJK: 20 px where DejaVu Sans takes 16). The inscription then draws its
 * text from its top and clips it to its height, and the bottom rows of every Chinese glyph
 * were lost: 主 read as 丰, 三 as 二 (under GL, which places the glyphs a pixel lower than
 * cairo does; under cairo the descenders).
 *
 * So an inscription that may show Chinese is made as tall as a line of Latin and Chinese in
 * its font, measured with Pango as the inscription will lay its text out. Its size still
 * does not depend on its text: nothing is measured again when the text changes.
 */
#include "config.h"

#include "imprint-text-line.h"

/* Latin with a descender, and Chinese: each part in the font it is drawn in. */
#define SAMPLE "Ag国"

/* Heights by font: the picker has a few fonts and hundreds of cells. */
static GHashTable *heights;
static guint heights_serial;

static int
line_height (PangoContext *context)
{
  const PangoFontDescription *font = pango_context_get_font_description (context);
  guint serial = pango_font_map_get_serial (pango_context_get_font_map (context));
  g_autoptr(PangoLayout) layout = NULL;
  gpointer known;
  int height;

  /* Fonts installed or removed change what falls back to what. */
  if (heights == NULL || serial != heights_serial) {
    g_clear_pointer (&heights, g_hash_table_unref);
    heights = g_hash_table_new_full ((GHashFunc) pango_font_description_hash,
                                     (GEqualFunc) pango_font_description_equal,
                                     (GDestroyNotify) pango_font_description_free, NULL);
    heights_serial = serial;
  }
  if (g_hash_table_lookup_extended (heights, font, NULL, &known))
    return GPOINTER_TO_INT (known);

  layout = pango_layout_new (context);
  pango_layout_set_text (layout, SAMPLE, -1);
  pango_layout_get_pixel_size (layout, NULL, &height);
  g_hash_table_insert (heights, pango_font_description_copy (font), GINT_TO_POINTER (height));
  return height;
}

/**
 * imprint_text_line_fit:
 * @host: the widget that holds @text, in the same font
 * @text: a one-line #GtkInscription
 * @serial: where @host keeps the serial of the font it last fitted @text to
 *
 * Makes @text at least as tall as a line of Latin and Chinese in @host's font. For @host's
 * GtkWidgetClass.css_changed() and system_setting_changed(): cheap when the font has not
 * changed, as on most calls (a row's hover changes its cells' style).
 */
void
imprint_text_line_fit (GtkWidget *host,
                       GtkWidget *text,
                       guint     *serial)
{
  /* The host's own context: GTK updates a widget's context on its own style change, and
   * the host's style changes before its child's. */
  PangoContext *context = gtk_widget_get_pango_context (host);
  guint now = pango_context_get_serial (context);
  g_autoptr(PangoAttrList) attrs = NULL;
  int height;

  if (now == *serial)
    return;
  *serial = now;
  height = line_height (context);
  gtk_widget_set_size_request (text, -1, height);

  /* Each line as tall as the inscription, Latin or Chinese: the inscription puts it at its
   * top when it ends in "…", and centres it otherwise, so its baseline depended on both.
   * This way every text in a row stands on the same baseline. */
  attrs = pango_attr_list_new ();
  pango_attr_list_insert (attrs, pango_attr_line_height_new_absolute (height * PANGO_SCALE));
  gtk_inscription_set_attributes (GTK_INSCRIPTION (text), attrs);
}

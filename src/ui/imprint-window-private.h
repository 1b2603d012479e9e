/* imprint-window-private.h: what the files of ImprintWindow share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The window is one class over two files, as ImprintCreatePage is: imprint-window.c (the
 * object, its pages, toasts, the workspace and the History and Images views) and
 * imprint-window-accounts.c (its accounts: which one is in use, its secret from the
 * keyring, the editor, removal, the demo).
 */
#pragma once

#include "imprint-demo.h"
#include "imprint-history-page.h"
#include "imprint-images-page.h"
#include "imprint-window.h"
#include "tc-region-cache.h"

G_BEGIN_DECLS

struct _ImprintWindow
{
  AdwApplicationWindow  parent_instance;

  TcAccountStore       *store;
  SoupSession          *session;
  TcPacer              *pacer;        /* the app's, or NULL: each client paces itself */
  TcRegionCache        *regions;      /* the region lists each account was given, kept
                                       * while the window lives: back to an account, no
                                       * new DescribeRegions */
  TcHistory            *history;       /* nullable */
  TcImageTracker       *tracker;       /* nullable */
  GSettings            *settings;
  GCancellable         *cancellable;   /* loading the store, looking up a secret */
  GCancellable         *reloading;     /* Retry's reading of a damaged file: not cut short
                                        * by what ends the account shown (the demo) */

  TcAccount            *account;       /* in use; the demo's own while in the demo */
  TcClient             *client;
  char                 *client_settings; /* the account's connection settings the client was
                                          * asked for with: another build may change them */
  char                 *account_region;  /* the account's Default Region the form opened with */
  ImprintDemo          *demo;          /* while in the demo: its simulator, history, tracker */
  TcAccount            *removing;      /* the account the Remove dialog asks about */

  char                 *pending_entry_id;  /* to show once the history has it */
  char                 *shown_problem;   /* the history problem already toasted */
  GPtrArray            *window_toasts;   /* shown over the whole window, until dismissed */

  AdwToastOverlay      *toast_overlay;
  GtkRevealer          *demo_banner;
  AdwViewSwitcherTitle *switcher_title;
  AdwViewSwitcherBar   *switcher_bar;
  AdwViewStack         *view_stack;
  ImprintHistoryPage   *history_page;
  ImprintImagesPage    *images_page;
  AdwSqueezer          *account_squeezer;
  GtkMenuButton        *account_button;       /* with the account's name */
  GtkMenuButton        *account_icon_button;  /* its icon only, where the name does not fit */
  GtkLabel             *account_label;
  GtkStack             *main_stack;
  AdwStatusPage        *welcome_page;
  GtkLabel             *welcome_problem;
  AdwStatusPage        *problem_page;
  AdwBin               *workspace;
};

/* imprint-window.c */

void _imprint_window_toast (ImprintWindow *self,
                            const char    *text);

void _imprint_window_show_page (ImprintWindow *self,
                                const char    *page);

void _imprint_window_update_title (ImprintWindow *self);
/* The account menu is in the header wherever there are accounts to choose from. */
void _imprint_window_update_account_button (ImprintWindow *self);

void _imprint_window_show_workspace (ImprintWindow *self);

void _imprint_window_image_finished_cb (ImprintWindow  *self,
                                        TcHistoryEntry *entry);

/* imprint-window-accounts.c */

void _imprint_window_clear_account (ImprintWindow *self);

void _imprint_window_store_changed_cb (ImprintWindow *self);

void _imprint_window_loaded_cb (GObject      *object,
                                GAsyncResult *result,
                                gpointer      user_data);

/* Installs win.add-account, win.edit-account, win.remove-account, win.switch-account,
 * win.retry-account, win.reload-accounts, win.demo and win.leave-demo, in that order,
 * where class_init always installed them: after win.show-help-overlay, before
 * win.show-history-entry. */
void _imprint_window_install_account_actions (GtkWidgetClass *widget_class);

G_END_DECLS

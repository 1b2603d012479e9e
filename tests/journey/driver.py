# driver.py: uses the installed Imprint the way a person does, through the accessibility tree
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Runs inside tests/keyring-session.sh --with-display: a fresh HOME, a private session bus
# and an unlocked gnome-keyring-daemon are already there. The Session below adds the
# accessibility bus, a notification daemon (python3-dbusmock) and imprint-sim, installs the
# build into its own prefix and launches the installed `imprint` with GTK_A11Y=atspi.
#
# Everything the tests do to the app goes through AT-SPI: actions ("click", "toggle"),
# editable text, and pointer and key events synthesised by the registry (what a user's
# pointer and keyboard would do) where GTK 4.8 offers no action (list rows, combo rows).
# Nothing in the app knows it is being tested.
#
# GTK 4.8 quirks: no SHOWING state, so "on screen" is judged from extents; extents inside a
# popover are not in screen coordinates, so popovers are used with actions and keys only;
# grabFocus() does nothing; getText(0, -1) returns nothing.

import ctypes
import gettext
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

import pyatspi
from gi.repository import GLib

TIMEOUT_MULTIPLIER = float(os.environ.get('IMPRINT_TEST_TIMEOUT_MULTIPLIER', '1'))

# The sweep (Session.sweep): the main window at the narrowest width it allows, at its default
# and wider, each as high as it is by default.
SWEEP_WIDTHS = (360, 900, 1280)
DEFAULT_SIZE = (900, 640)

KEY_DOWN = 0xff54
KEY_UP = 0xff52
KEY_RETURN = 0xff0d
KEY_ESCAPE = 0xff1b

# Roles a user operates (as opposed to containers and text they read).
CONTROL_ROLES = {
    'push button', 'toggle button', 'check box', 'radio button', 'combo box', 'text',
    'password text', 'entry', 'spin button', 'slider', 'page tab', 'link', 'menu item',
    'check menu item', 'radio menu item', 'list item', 'table row', 'switch',
}
# Controls whose insides belong to them (an entry's labels, a combo's current value).
OPAQUE_ROLES = {'combo box', 'text', 'password text', 'entry', 'spin button'}
# GTK names an unnamed accessible after its type ("GtkLabel", "AdwBin"): no name at all.
TYPE_NAME = re.compile(r'^(Gtk|Adw|Imprint)[A-Z]\w*$')


class Failure(Exception):
    pass


# Subtrees that never hold a toast overlay (toasts() does not look inside them).
LEAF_ROLES = ('scroll pane', 'list', 'list box', 'table', 'tree table', 'menu', 'menu bar', 'label',
              'push button', 'toggle button', 'text', 'entry', 'combo box', 'check box',
              'page tab list', 'image', 'separator')


def log(message, file=None):
    for line in str(message).splitlines():
        print('# ' + line, file=file or sys.stdout, flush=True)


def role(acc):
    try:
        return acc.getRoleName()
    except Exception:
        return ''


def children(acc):
    # A child count can be stale by a window that just closed: a failing index costs only
    # itself, not its siblings (the main window must not seem gone because a dialog went).
    found = []
    try:
        count = acc.childCount
    except Exception:
        return found
    for i in range(count):
        try:
            child = acc.getChildAtIndex(i)
        except Exception:
            continue
        if child is not None:
            found.append(child)
    return found


def descendants(acc, predicate):
    found = []
    stack = children(acc)
    while stack:
        node = stack.pop(0)
        try:
            if predicate(node):
                found.append(node)
        except Exception:
            continue
        stack[0:0] = children(node)
    return found


def extents(acc):
    try:
        return acc.queryComponent().getExtents(pyatspi.WINDOW_COORDS)
    except Exception:
        return (0, 0, 0, 0)


def name_of(acc):
    try:
        return acc.name or ''
    except Exception:  # gone meanwhile
        return ''


def text_of(acc):
    try:
        t = acc.queryText()
        return t.getText(0, t.characterCount)
    except NotImplementedError:
        return name_of(acc)
    except Exception:  # gone meanwhile
        return ''


def state(acc, s):
    try:
        return acc.getState().contains(s)
    except Exception:
        return False


def window_of(acc):
    node = acc
    while node is not None and role(node.parent) != 'application':
        node = node.parent
    return node


def present(acc):
    """Laid out in a window: visible and with a size (pages of a stack not shown have none),
    though perhaps scrolled out of view."""
    if not state(acc, pyatspi.STATE_VISIBLE):
        return False
    x, y, w, h = extents(acc)
    return w > 0 and h > 0


def on_screen(acc):
    """Visible and inside its window and every scrolled view around it."""
    if not state(acc, pyatspi.STATE_VISIBLE):
        return False
    x, y, w, h = extents(acc)
    if w <= 0 or h <= 0:
        return False
    cx, cy = x + w // 2, y + h // 2
    node = acc.parent
    while node is not None and role(node) != 'application':
        if role(node) in ('scroll pane', 'frame', 'dialog', 'window', 'filler') and node.parent is not None \
                and (role(node) == 'scroll pane' or role(node.parent) == 'application'):
            px, py, pw, ph = extents(node)
            if not (px <= cx < px + pw and py <= cy < py + ph):
                return False
        node = node.parent
    return True


def actions(acc):
    # Asked one by one until there is none, not counted first: GTK 4.8 leaks a list each
    # time its NActions property is read (gtk/a11y/gtkatspiaction.c), and the asan setup
    # would find that in the app.
    try:
        a = acc.queryAction()
    except NotImplementedError:
        return []
    names = []
    while len(names) < 32:
        try:
            names.append(a.getName(len(names)))
        except GLib.GError:
            break
    return names


def labels_in(acc):
    """The texts of the labels a sighted user sees inside @acc, in reading order."""
    return [text_of(l) for l in descendants(acc, lambda n: role(n) == 'label' and on_screen(n))]


class Shown(str):
    """A translation, filled in with % as the app's printf() fills it: a translator may
    reorder the arguments ("%3$s已用 %1$u / %2$u"), which Python's % does not know."""

    def __mod__(self, args):
        args = args if isinstance(args, tuple) else (args,)
        rest = iter(args)

        def one(m):
            if m.group(0) == '%%':
                return '%'
            arg = args[int(m.group(1)) - 1] if m.group(1) else next(rest)
            return ('%' + m.group(2) + ('d' if m.group(3) == 'u' else m.group(3))) % arg
        return re.sub(r'%%|%(?:(\d+)\$)?([-0-9.]*)(?:z|l|ll|h)?([sudxXf])', one, self)


def norm(s):
    # What a person sees: runs of white space as one, and no WORD JOINER (U+2060), which
    # the form puts after hyphens to keep IDs whole.
    return ' '.join((s or '').replace('\u2060', '').split())


class Session:
    """The desktop session around the app: a11y bus, notifications, simulator, the app."""

    def __init__(self, case, build_root, language=None, renderer='cairo'):
        self.case = case
        self.build_root = build_root
        self.language = language
        self.renderer = renderer
        self.root = os.environ.get('IMPRINT_TEST_ROOT') or tempfile.mkdtemp()
        self.shots = os.path.join(build_root, 'journey-screenshots',
                                  case if renderer == 'cairo' else '%s-%s' % (case, renderer))
        shutil.rmtree(self.shots, ignore_errors=True)
        os.makedirs(self.shots)
        self.shot_count = 0
        self.processes = []
        self.app_process = None
        self.app_log = os.path.join(self.root, 'imprint.log')
        self.sim = None
        self.sim_lines = []
        self.secret_id = 'AKIDjourney' + os.urandom(8).hex()
        self.secret_key = os.urandom(16).hex()
        self.prefix = None
        self.translation = gettext.NullTranslations()
        self.english = set()        # msgids shown untranslated would be one of these
        self.english_left = set()

    # Set-up.

    def install(self):
        """Installs the build into its own prefix; returns None or why it cannot."""
        with open(os.path.join(self.build_root, 'meson-info', 'intro-buildoptions.json')) as f:
            prefix = next(o['value'] for o in json.load(f) if o['name'] == 'prefix')
        real_root = os.path.realpath(self.build_root)
        if not os.path.realpath(prefix).startswith(real_root + os.sep):
            return ('the build installs into %s, outside the build directory; '
                    'tools/setup configures --prefix=BUILD/root' % prefix)
        subprocess.run(['meson', 'install', '-C', self.build_root, '--no-rebuild', '--quiet',
                        '--only-changed'], check=True, stdout=subprocess.DEVNULL)
        self.prefix = prefix
        if self.language:
            self.translation = gettext.translation('imprint', os.path.join(prefix, 'share', 'locale'),
                                                   languages=[self.language])
            for msgid, msgstr in self.translation._catalog.items():
                if isinstance(msgid, str) and msgid and msgstr != msgid:
                    english = msgid.split('\x04')[-1].replace('_', '')
                    if re.search('[A-Za-z]{3}', english) and '%' not in english:
                        self.english.add(norm(english))
        return None

    def bus_has(self, name):
        out = subprocess.run(['dbus-send', '--session', '--print-reply', '--dest=org.freedesktop.DBus',
                              '/org/freedesktop/DBus', 'org.freedesktop.DBus.NameHasOwner',
                              'string:' + name], capture_output=True, text=True).stdout
        return 'boolean true' in out

    def spawn(self, argv, **kwargs):
        env = dict(os.environ)
        env.pop('G_DEBUG', None)
        env.update(kwargs.pop('env', {}))
        p = subprocess.Popen(argv, env=env, **kwargs)
        self.processes.append(p)
        return p

    def start_desktop(self):
        # An X server resets when its last client leaves, and refuses connections meanwhile:
        # one client stays for the whole session, as a desktop's own do, so that quitting
        # and starting Imprint again cannot fall into such a moment.
        self.spawn(['xprop', '-root', '-spy', '_NET_ACTIVE_WINDOW'],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.spawn(['/usr/libexec/at-spi-bus-launcher', '--launch-immediately'],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.notifications_log = os.path.join(self.root, 'notifications.log')
        self.spawn(['/usr/bin/python3', '-m', 'dbusmock', '--template', 'notification_daemon',
                    '-l', self.notifications_log], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.wait(lambda: self.bus_has('org.a11y.Bus') and self.bus_has('org.freedesktop.Notifications'),
                  'the accessibility bus and the notification daemon to start')

    def start_sim(self, *options, port=0):
        argv = [os.path.join(self.build_root, 'src', 'sim', 'imprint-sim'), '--log',
                '--port', str(port), '--secret-id', self.secret_id, '--secrets-stdin',
                '--image-delay', '2'] + list(options)
        # The SecretKey goes on standard input: on no command line, in no log.
        self.sim = self.spawn(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True)
        self.sim.stdin.write(self.secret_key + '\n')
        self.sim.stdin.close()
        first = []

        def read():
            for line in self.sim.stdout:
                line = line.rstrip('\n')
                if line.startswith('Listening on '):
                    first.append(line[len('Listening on '):])
                self.sim_lines.append(line)

        threading.Thread(target=read, daemon=True).start()
        self.wait(lambda: first, 'imprint-sim to listen')
        self.endpoint = first[0] + '/'
        self.port = int(first[0].rsplit(':', 1)[1])
        log('simulator at %s' % self.endpoint)

    def stop_sim(self):
        self.sim.send_signal(signal.SIGTERM)
        self.sim.wait(10)

    def launch(self):
        env = {
            'GTK_A11Y': 'atspi',
            'GSETTINGS_BACKEND': 'keyfile',
            'XDG_DATA_DIRS': os.path.join(self.prefix, 'share') + ':/usr/share',
        }
        if self.renderer == 'cairo':
            env.update({'GSK_RENDERER': 'cairo', 'GDK_DEBUG': 'gl-disable'})
        else:
            # GTK's own choice, as on a desktop: GL (llvmpipe under Xvfb when there is no GPU).
            for name in ('GSK_RENDERER', 'GDK_DEBUG'):
                os.environ.pop(name, None)
        if self.language:
            env.update({'LANGUAGE': self.language, 'LC_ALL': 'C.UTF-8'})
        else:
            env.update({'LANGUAGE': 'en', 'LC_ALL': 'C.UTF-8'})
        for name in ('NO_AT_BRIDGE', 'GSETTINGS_SCHEMA_DIR'):
            os.environ.pop(name, None)
        self.app_stderr = open(self.app_log, 'a')
        self.app_process = self.spawn([os.path.join(self.prefix, 'bin', 'imprint')], env=env,
                                      stdout=self.app_stderr, stderr=self.app_stderr)
        self.wait(lambda: self.app_process.poll() is not None or
                  (self.app() is not None and self.main_window() is not None),
                  'Imprint to show its window', timeout=30)
        if self.app_process.poll() is not None:
            raise Failure('Imprint exited at once, with status %d (its log is below)' % self.app_process.returncode)

    def quit(self):
        """Quits as a user does, from the main menu; the process must end by itself."""
        try:
            self.menu(self.t('Main Menu'), self.t('_Quit'))
        except GLib.GError as e:
            # The app may be gone before it answers the click; what counts is that it ends.
            log('the Quit click got no answer: %s' % e.message)
        try:
            status = self.app_process.wait(15 * TIMEOUT_MULTIPLIER)
        except subprocess.TimeoutExpired:
            raise Failure('Imprint did not quit when asked from its menu')
        if status != 0:
            raise Failure('Imprint exited with status %d' % status)
        self.app_process = None

    def close(self):
        for p in reversed(self.processes):
            if p.poll() is None:
                p.terminate()
                try:
                    p.wait(5)
                except subprocess.TimeoutExpired:
                    p.kill()

    def check_main_window(self, waiting_for=None):
        """While Imprint runs, its main window stays on screen, whatever dialog came and went."""
        if self.app_process is not None and self.app_process.poll() is None and self.main_window() is None:
            # Seen now and then under heavy load only: say what AT-SPI sees, and whether the
            # window comes back, so that the next time tells a lost window from a slow bus.
            seen = self.describe_apps()
            back = self.wait_quietly(self.main_window, 20)
            raise Failure('the main window vanished%s; AT-SPI listed:\n%s\nIt %s.' %
                          (' while waiting for %s' % waiting_for if waiting_for else '', seen,
                           'came back after %.1f s' % back if back is not None
                           else 'did not come back within 20 s'))

    def describe_apps(self):
        """What AT-SPI lists: each application, its windows, and the state of our process."""
        lines = []
        for a in children(pyatspi.Registry.getDesktop(0)):
            try:
                lines.append('application %r, pid %r' % (a.name, self.app_pid(a)))
            except Exception as e:
                lines.append('application: %s' % e)
                continue
            for w in children(a):
                lines.append('  window %r (%s) at %r' % (w.name, role(w), tuple(extents(w))))
        try:
            with open('/proc/%d/status' % self.app_process.pid) as f:
                lines.append('process %d: %s' % (self.app_process.pid,
                                                 next(l for l in f if l.startswith('State')).strip()))
        except (OSError, StopIteration) as e:
            lines.append('process: %s' % e)
        return '\n'.join(lines)

    @staticmethod
    def wait_quietly(predicate, seconds):
        """Seconds until @predicate holds, or None."""
        start = time.monotonic()
        while time.monotonic() - start < seconds:
            try:
                if predicate():
                    return time.monotonic() - start
            except (GLib.GError, NotImplementedError):  # a node vanished while we looked
                pass
            time.sleep(0.2)
        return None

    def check_app_log(self):
        """GTK and GLib criticals mean a bug; the app's own log must have none."""
        with open(self.app_log) as f:
            bad = [l for l in f if '-CRITICAL **' in l or '-ERROR **' in l]
        if bad:
            raise Failure('Imprint logged criticals:\n' + ''.join(bad[:10]))

    # Finding things.

    def t(self, msgid, context=None):
        """The text the app shows for @msgid in the session's language, mnemonics removed."""
        if context is not None:
            text = self.translation.pgettext(context, msgid)
        else:
            text = self.translation.gettext(msgid)
        # GTK shows "_Save" as "Save" and "保存(_S)" as "保存(S)".
        return Shown(text.replace('_', ''))

    def tn(self, singular, plural, n):
        """t() for a message with plural forms."""
        return Shown(self.translation.ngettext(singular, plural, n).replace('_', ''))

    def app(self):
        desktop = pyatspi.Registry.getDesktop(0)
        for a in children(desktop):
            if a.name == 'imprint' and (self.app_process is None or
                                        self.app_pid(a) == self.app_process.pid):
                return a
        return None

    @staticmethod
    def app_pid(a):
        try:
            return a.get_process_id()
        except Exception:
            return None

    def windows(self):
        a = self.app()
        return [w for w in children(a) if extents(w)[2] > 0] if a else []

    def main_window(self):
        return next((w for w in self.windows() if role(w) == 'frame' and w.name == self.t('Imprint')), None)

    def window(self, title, timeout=10):
        return self.wait(lambda: next((w for w in self.windows() if w.name == title), None),
                         'the window “%s”' % title, timeout)

    def wait(self, predicate, what, timeout=10):
        deadline = time.monotonic() + timeout * TIMEOUT_MULTIPLIER
        while True:
            try:
                value = predicate()
            except (GLib.GError, NotImplementedError):  # a node vanished while we looked
                value = None
            if value:
                return value
            if time.monotonic() > deadline:
                self.check_main_window(what)
                raise Failure('timed out waiting for %s' % what)
            time.sleep(0.1)

    def find(self, name, roles, root=None, timeout=10, sensitive=None):
        """Waits for an on-screen accessible with this name and one of these roles."""
        if isinstance(roles, str):
            roles = (roles,)

        def look():
            scope = root if root is not None else self.app()
            for n in descendants(scope, lambda n: role(n) in roles and n.name == name):
                if present(n) and (sensitive is None or state(n, pyatspi.STATE_SENSITIVE) == sensitive):
                    return n
            return None
        return self.wait(look, '%s “%s”%s' % ('/'.join(roles), name,
                                             '' if sensitive is None else
                                             ' to be %s' % ('sensitive' if sensitive else 'insensitive')),
                         timeout)

    def find_text(self, text, root=None, timeout=10, exact=True):
        """Waits for a label on screen showing @text (or containing it)."""
        def look():
            scope = root if root is not None else self.app()
            for n in descendants(scope, lambda n: role(n) == 'label'):
                shown = norm(text_of(n))
                if (shown == norm(text) if exact else norm(text) in shown) and present(n):
                    return n
            return None
        return self.wait(look, 'the text “%s” on screen' % text, timeout)

    def gone(self, name, roles, timeout=10):
        if isinstance(roles, str):
            roles = (roles,)
        self.wait(lambda: not descendants(self.app(), lambda n: role(n) in roles and n.name == name
                                          and present(n)),
                  '%s “%s” to go away' % ('/'.join(roles), name), timeout)

    # Doing things.

    def click(self, acc):
        # Whatever a user clicks, they first bring into view.
        self.scroll_into_view(acc)
        names = actions(acc)
        for wanted in ('click', 'toggle', 'activate'):
            if wanted in names:
                acc.queryAction().doAction(names.index(wanted))
                return
        # A row: GTK 4.8 gives it no action; the pointer does what a user's would.
        x, y, w, h = extents(acc)
        x, y = x + min(w // 2, 40), y + h // 2
        # Moved there first, then pressed and released a moment apart, as a hand does.
        pyatspi.Registry.generateMouseEvent(x, y, 'abs')
        time.sleep(0.1)
        pyatspi.Registry.generateMouseEvent(x, y, 'b1p')
        time.sleep(0.05)
        pyatspi.Registry.generateMouseEvent(x, y, 'b1r')

    def scroll_into_view(self, acc):
        pane = acc.parent
        while pane is not None and role(pane) != 'scroll pane':
            pane = pane.parent
        if pane is None:
            return
        for _ in range(60):
            if on_screen(acc):
                return
            px, py, pw, ph = extents(pane)
            x, y, w, h = extents(acc)
            button = 'b4c' if y + h // 2 < py else 'b5c'
            pyatspi.Registry.generateMouseEvent(px + pw // 2, py + ph // 2, button)
            time.sleep(0.05)
        raise Failure('could not scroll “%s” into view' % acc.name)

    def press(self, *keysyms):
        for k in keysyms:
            pyatspi.Registry.generateKeyboardEvent(k, None, pyatspi.KEY_SYM)
            time.sleep(0.15)

    def type_into(self, name, text, root=None):
        entry = self.find(name, ('text', 'password text', 'entry'), root)
        entry.queryEditableText().setTextContents(text)
        self.wait(lambda: text_of(entry) == text or role(entry) == 'password text',
                  'the field “%s” to take the text' % name)
        return entry

    def field(self, name, root=None):
        return text_of(self.find(name, ('text', 'password text', 'entry'), root))

    def button(self, name, root=None, timeout=10):
        return self.find(name, ('push button', 'toggle button'), root, timeout, sensitive=True)

    def press_button(self, name, root=None, timeout=10):
        self.click(self.button(name, root, timeout))

    def menu(self, button_name, item_name):
        button = self.wait(lambda: next((b for b in descendants(self.app(), lambda n: role(n) in
                                         ('push button', 'toggle button') and n.name == button_name
                                         and 'click' in actions(n)) if on_screen(b)), None),
                           'the menu button “%s”' % button_name)
        self.click(button)
        item = self.wait(lambda: next((m for m in descendants(self.app(), lambda n: role(n).endswith('menu item')
                                       and norm(n.name) == norm(item_name)) if extents(m)[2] > 0), None),
                         'the menu item “%s”' % item_name)
        self.click(item)

    def choose(self, combo_name, option_text, root=None):
        """Opens a combo row with the pointer and picks @option_text with the keyboard."""
        combo = self.find(combo_name, 'combo box', root)
        self.click(combo)

        def options():
            items = [i for i in descendants(combo, lambda n: role(n) == 'list item') if extents(i)[2] > 0]
            return items if any(state(i, pyatspi.STATE_FOCUSED) for i in items) else None

        items = self.wait(options, 'the choices of “%s”' % combo_name)
        texts = [norm(' '.join(labels_in_any(i))) for i in items]
        target = next((k for k, s in enumerate(texts) if option_text in s), None)
        if target is None:
            self.press(KEY_ESCAPE)
            raise Failure('“%s” offers no “%s” (it offers: %s)' % (combo_name, option_text, '; '.join(texts)))
        def focused():
            return next((k for k, i in enumerate(items) if state(i, pyatspi.STATE_FOCUSED)), None)

        # The popover takes the keyboard a moment after GTK focuses its item: each key is
        # sent once the previous one has been seen to move the focus, and Return only onto
        # the option itself, so that no key can land in the window underneath.
        time.sleep(0.3)
        while focused() != target:
            now = focused()
            self.press(KEY_DOWN if target > now else KEY_UP)
            self.wait(lambda: focused() != now, 'the focus to move in the choices of “%s”' % combo_name,
                      timeout=3)
        self.press(KEY_RETURN)
        self.wait(lambda: any(option_text in s for s in labels_in(combo)),
                  '“%s” to show “%s”' % (combo_name, option_text))

    def toasts(self):
        # A toast lives for a few seconds, as a child of a toast overlay: the window's, or the
        # image form's (over the scrolled form, above its actions). Looking only among the
        # containers, never inside scrolled views, lists or controls, keeps each look short
        # enough not to miss it when the app answers slowly (a software GL renderer, a
        # sanitizer, a loaded machine).
        overlay_toasts = []
        level = self.windows()
        for depth in range(14):
            overlay_toasts += [n for n in level if name_of(n) == 'AdwToastWidget']
            level = [c for n in level if name_of(n) != 'AdwToastWidget' and role(n) not in LEAF_ROLES
                     for c in children(n)]
        return [norm(' '.join(labels_in_any(t))) for t in overlay_toasts]

    def wait_toast(self, text):
        return self.wait(lambda: next((t for t in self.toasts() if norm(text) in t), None),
                         'a toast saying “%s”' % text)

    def wait_toast_like(self, fmt):
        """Waits for a toast matching a translated format (each %s any text); returns the match."""
        pattern = re.compile('(.+?)'.join(re.escape(norm(part)) for part in fmt.split('%s')))
        return self.wait(lambda: next((m for m in (pattern.search(t) for t in self.toasts()) if m), None),
                         'a toast like “%s”' % fmt)

    def notifications(self):
        try:
            with open(self.notifications_log) as f:
                return [l for l in f if ' Notify ' in l]
        except FileNotFoundError:
            return []

    def click_notification(self, text):
        """Clicks the desktop notification that mentions @text, as the user would in the shell."""
        sent = [n for n in self.notifications() if re.search(r' Notify "[^"]*" 0 ', n)]
        number = next((i + 1 for i, n in enumerate(sent) if text in n), None)
        if number is None:
            raise Failure('no notification mentions “%s”' % text)
        # The daemon numbers new notifications from 1; the server says which was clicked.
        subprocess.run(['gdbus', 'call', '--session', '--dest', 'org.freedesktop.Notifications',
                        '--object-path', '/org/freedesktop/Notifications',
                        '--method', 'org.freedesktop.DBus.Mock.EmitSignal',
                        'org.freedesktop.Notifications', 'ActionInvoked', 'us',
                        '[<uint32 %d>, <"default">]' % number],
                       check=True, stdout=subprocess.DEVNULL)

    def sim_requests(self):
        """(protocol, action, language, outcome) of each request the simulator served."""
        out = []
        for line in self.sim_lines:
            m = re.match(r'^\d\d:\d\d:\d\d  (API 3\.0|legacy )\s+(\S+)\s+(\S+)\s+(.*)$', line)
            if m:
                out.append((m.group(1).strip(), m.group(2), m.group(3), m.group(4)))
        return out

    # Looking.

    def screenshot(self, name):
        self.shot_count += 1
        path = os.path.join(self.shots, '%02d-%s.png' % (self.shot_count, name))
        subprocess.run(['import', '-window', 'root', path], check=False,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return path

    def x11_main_window(self):
        """The X window id of the app's largest window: the main window while no dialog is
        open. (GDK's hidden leader window has its title and class too, at 1×1; titles are
        not compared, xwininfo does not print every language's.)"""
        out = subprocess.run(['xwininfo', '-root', '-tree'], capture_output=True, text=True).stdout
        found = [(int(w) * int(h), int(wid, 16)) for wid, w, h in
                 re.findall(r'^\s*(0x[0-9a-f]+) .*\("imprint" "imprint"\)\s+(\d+)x(\d+)[+-]', out, re.M)]
        return max(found)[1] if found else None

    def resize(self, window_id, width, height):
        """Resizes a window as a window manager would; Xvfb has none, and X lets any client
        configure any window."""
        x11 = ctypes.CDLL('libX11.so.6')
        x11.XOpenDisplay.restype = ctypes.c_void_p
        x11.XOpenDisplay.argtypes = [ctypes.c_char_p]
        x11.XResizeWindow.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_uint, ctypes.c_uint]
        x11.XCloseDisplay.argtypes = [ctypes.c_void_p]
        display = x11.XOpenDisplay(None)
        if not display:
            raise Failure('cannot open the X display to resize the window')
        x11.XResizeWindow(display, window_id, width, height)
        x11.XCloseDisplay(display)  # flushes the request

    def laid_out_at(self, width):
        """Whether the main window is laid out at @width, give or take the frame GTK draws
        around it (its extents leave that out)."""
        return abs(extents(self.main_window())[2] - width) <= 20

    def sweep(self, name):
        """Screenshots of the main window alone at each of SWEEP_WIDTHS (NN-NAME-WIDTH.png),
        then back at its default size; the app must log nothing critical meanwhile."""
        window_id = self.x11_main_window()
        if window_id is None:
            raise Failure('Imprint has no X window')
        for width in SWEEP_WIDTHS:
            self.resize(window_id, width, DEFAULT_SIZE[1])
            self.wait(lambda: self.laid_out_at(width), 'the window to be %d px wide' % width)
            time.sleep(0.4)  # the frame laid out at that width reaches the screen
            self.shot_count += 1
            path = os.path.join(self.shots, '%02d-%s-%d.png' % (self.shot_count, name, width))
            subprocess.run(['import', '-window', hex(window_id), path], check=False,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.resize(window_id, *DEFAULT_SIZE)
        self.wait(lambda: self.laid_out_at(DEFAULT_SIZE[0]), 'the window to be back to its size')
        self.check_main_window()
        self.check_app_log()
        log('sweep: %s at %s px' % (name, ', '.join(map(str, SWEEP_WIDTHS))))

    def step(self, name):
        """Marks a step: a screenshot of it, and an accessibility audit of every window."""
        time.sleep(0.3)  # let the frame with the last change reach the screen
        self.screenshot(name)
        self.check_main_window()
        self.check_app_log()
        problems = self.audit()
        if self.english:
            for w in self.windows():
                for n in descendants(w, lambda n: role(n) == 'label' or role(n) in CONTROL_ROLES):
                    # A node may go while it is read (a toast replaced by the next): it
                    # then shows nothing, rather than failing the step.
                    shown = norm(text_of(n) if role(n) == 'label' else name_of(n))
                    if shown in self.english and on_screen(n):
                        self.english_left.add('“%s” at %s' % (shown, name))
        if problems:
            raise Failure('accessibility audit at “%s”:\n  %s' % (name, '\n  '.join(problems)))
        log('step: %s' % name)

    def audit(self):
        """Every focusable control on screen has a name, and the name is its visible label."""
        problems = []
        for w in self.windows():
            if not w.name or TYPE_NAME.match(w.name):
                problems.append('a %s has no title (named “%s”)' % (role(w), w.name))
            audit_tree(w, problems)
        return sorted(set(problems))


def labels_in_any(acc):
    return [text_of(l) for l in descendants(acc, lambda n: role(n) == 'label')]


def visible_label(acc):
    """What a sighted user reads as the control's label: its first label on screen. Read
    once, and not through text_of(): a label that goes while it is read raises (see
    audit_tree()) rather than reading as empty."""
    for l in descendants(acc, lambda n: role(n) == 'label'):
        if on_screen(l):
            t = l.queryText()
            shown = norm(t.getText(0, t.characterCount))
            if shown:
                return shown
    return None


def context_of(acc):
    """Where @acc is, for a person reading the audit: its nearest named ancestor."""
    node = acc.parent
    while node is not None and role(node) != 'application':
        if norm(node.name) and not TYPE_NAME.match(node.name) and role(node) not in ('frame', 'dialog'):
            return ' (inside %s “%s”)' % (role(node), norm(node.name))
        node = node.parent
    return ''


def audit_tree(acc, problems):
    """Adds to @problems what is wrong below @acc. A node that goes away while it is looked
    at (a toast timing out) is no problem: reading it fails with GLib.GError, or, asked for
    an interface it had (a label's text), with NotImplementedError."""
    for child in children(acc):
        try:
            audit_node(child, problems)
        except (GLib.GError, NotImplementedError):
            pass


def naming_problem(node):
    """What is wrong with a control's name, or None."""
    name = norm(node.name)
    label = visible_label(node)
    if not name or TYPE_NAME.match(name):
        return 'showing “%s” has no accessible name' % (label or '(no text)')
    if label is not None and name != label:
        return 'is named “%s” but shows “%s”' % (name, label)
    return None


def audit_node(node, problems):
    r = role(node)
    # The header row of a GTK 4.8 column view is a private widget that cannot be named;
    # a screen reader reads its column titles.
    header_row = r == 'table row' and not any(role(c) == 'table cell' for c in children(node))
    if r in CONTROL_ROLES and not header_row and state(node, pyatspi.STATE_FOCUSABLE) and on_screen(node):
        problem = naming_problem(node)
        if problem:
            # Read again what was read in the middle of a change (a view being switched,
            # toasts coming and going): only what stays wrong is a problem.
            time.sleep(0.3)
            problem = naming_problem(node)
        if problem:
            problems.append('%s in “%s”%s %s' % (r, name_of(window_of(node)), context_of(node), problem))
        if r in OPAQUE_ROLES:
            return
    elif r == 'label' and state(node, pyatspi.STATE_FOCUSABLE) and on_screen(node) \
            and not norm(text_of(node)):
        problems.append('an empty label in “%s” takes keyboard focus' % name_of(window_of(node)))
    audit_tree(node, problems)


class Runner:
    """TAP output: one test per journey step group; a failure ends the journey."""

    def __init__(self):
        self.n = 0
        self.failed = 0

    def plan(self, n):
        print('1..%d' % n, flush=True)

    def ok(self, description):
        self.n += 1
        print('ok %d - %s' % (self.n, description), flush=True)

    def not_ok(self, description, why):
        self.n += 1
        self.failed += 1
        print('not ok %d - %s' % (self.n, description), flush=True)
        # On stderr too: meson shows a failing TAP test's stderr, not its stdout, and CI's
        # log is all there is to tell why a run failed elsewhere.
        log(why)
        log(why, file=sys.stderr)

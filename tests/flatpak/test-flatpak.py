#!/usr/bin/python3
# test-flatpak.py: the Flatpak, built from its manifest and used inside a real sandbox
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
#   keyring-session.sh --with-display /usr/bin/python3 test-flatpak.py SOURCE_ROOT BUILD_ROOT
#
# Flathub's GNOME runtime cannot be fetched here, so make-runtime.sh makes a stand-in from
# Debian 12's packages. In a private Flatpak installation (FLATPAK_USER_DIR in the private
# HOME keyring-session.sh made), this test
#   1. installs the stand-in Platform and SDK;
#   2. builds the app with flatpak-builder from a manifest generated from the shipped one
#      (only runtime, runtime-version, sdk and the source differ: the source is this working
#      tree) and installs it;
#   3. uses the sandboxed app through AT-SPI as the journeys do (tests/journey): adds an
#      account, whose SecretKey goes through the Secret portal (xdg-desktop-portal and
#      gnome-keyring's portal backend on the session bus); imports a second one from a
#      ~/.tccli the test wrote; creates an image against an imprint-sim running outside the
#      sandbox; sees the notification arrive through the Notification portal
#      (xdg-desktop-portal-gtk hands it to the notification daemon);
#   4. quits it and starts it again: the account comes back with its SecretKey (read through
#      the Secret portal from the app's keyring file) and the image is in its history;
#   5. finds the secrets in the app's own keyring file under ~/.var/app/ID/data/keyrings/,
#      and in plain text nowhere in the private HOME but the tccli file the test wrote.
# It prints how long the runtime and the app took to build and the journey to run.

import hashlib
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import time
import traceback

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, '..', 'journey'))

try:
    import pyatspi  # noqa: F401
    import driver
    from driver import Failure, log
except ImportError as e:
    print('1..0 # SKIP python3-pyatspi is missing (%s)' % e)
    sys.exit(0)

spec = importlib.util.spec_from_file_location('journey', os.path.join(here, '..', 'journey', 'test-journey.py'))
journey = importlib.util.module_from_spec(spec)
spec.loader.exec_module(journey)

APP_ID = 'io.github.imprint.Imprint'
KEY_TAB = 0xff09
PLATFORM = 'io.github.imprint.StandInPlatform'
SDK = 'io.github.imprint.StandInSdk'
PORTAL_PROGRAMS = ('/usr/libexec/xdg-desktop-portal', '/usr/libexec/xdg-desktop-portal-gtk',
                   '/usr/libexec/xdg-permission-store')


def run(argv, **kwargs):
    """Runs a set-up command; its output goes to the log only if it fails."""
    p = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, **kwargs)
    if p.returncode != 0:
        raise Failure('%s failed with status %d:\n%s' % (' '.join(argv), p.returncode, p.stdout[-6000:]))
    return p.stdout


def test_manifest(source_root, path):
    """The shipped manifest with the stand-in runtime and this working tree as the source."""
    with open(os.path.join(source_root, 'flatpak', APP_ID + '.json'), encoding='utf-8') as f:
        manifest = json.load(f)
    manifest.update({'runtime': PLATFORM, 'runtime-version': '1', 'sdk': SDK})
    app = next(m for m in manifest['modules'] if isinstance(m, dict) and m.get('name') == 'imprint')
    # Build directories and the git metadata are no part of the source.
    skip = sorted(n for n in os.listdir(source_root) if n.startswith(('.', '_')))
    app['sources'] = [{'type': 'dir', 'path': os.path.realpath(source_root), 'skip': skip}]
    with open(path, 'w', encoding='utf-8') as f:
        json.dump(manifest, f, indent=2)


class SandboxSession(driver.Session):
    """The journey's session, with the app run by `flatpak run` and the portals around it."""

    def install(self):
        return None

    def app(self):
        # Through the sandbox's D-Bus proxy the registry sees the proxy's process, not the
        # app's: the one application named imprint is it.
        desktop = pyatspi.Registry.getDesktop(0)
        return next((a for a in driver.children(desktop) if a.name == 'imprint'), None)

    def start_portals(self):
        env = {'XDG_CURRENT_DESKTOP': 'GNOME'}
        self.portal_log = open(os.path.join(self.root, 'portals.log'), 'a')
        for program in reversed(PORTAL_PROGRAMS):
            self.spawn([program], env=env, stdout=self.portal_log, stderr=self.portal_log)
            time.sleep(0.5)
        self.wait(lambda: self.bus_has('org.freedesktop.portal.Desktop') and
                  self.bus_has('org.freedesktop.impl.portal.desktop.gtk'),
                  'xdg-desktop-portal and its GTK backend on the session bus')

    def launch(self):
        env = {
            'GTK_A11Y': 'atspi',
            'GSK_RENDERER': 'cairo',
            'GDK_DEBUG': 'gl-disable',
            'LANGUAGE': 'en',
            'LC_ALL': 'C.UTF-8',
        }
        for name in ('NO_AT_BRIDGE', 'GSETTINGS_SCHEMA_DIR', 'GSETTINGS_BACKEND'):
            os.environ.pop(name, None)
        self.app_stderr = open(self.app_log, 'a')
        self.app_process = self.spawn(['flatpak', 'run', '--user', APP_ID], env=env,
                                      stdout=self.app_stderr, stderr=self.app_stderr)
        self.wait(lambda: self.app_process.poll() is not None or
                  (self.app() is not None and self.main_window() is not None),
                  'Imprint to show its window', timeout=60)
        if self.app_process.poll() is not None:
            raise Failure('Imprint exited at once, with status %d' % self.app_process.returncode)

    def check_app_log(self):
        # Flatpak's own complaints (no document portal here) are not the app's.
        with open(self.app_log) as f:
            bad = [l for l in f if ('-CRITICAL **' in l or '-ERROR **' in l) and 'flatpak' not in l.lower()]
        if bad:
            raise Failure('Imprint logged criticals:\n' + ''.join(bad[:10]))


class SandboxJourney(journey.Journey):

    def import_from_tccli(self, profile, secret_id):
        """Opens the account editor, imports @profile from ~/.tccli, points it at the
        simulator (which does not know its keys) and saves it."""
        s, t = self.s, self.t
        s.menu(self.account, t('_Add Account…'))
        editor = s.window(t('Add Account'))
        # With the pointer, as a hand would: a popover opened by the button's accessible
        # action does not take the keyboard.
        x, y, w, h = driver.extents(s.find(t('_Import from tccli'), ('push button', 'toggle button'), editor))
        pyatspi.Registry.generateMouseEvent(x + w // 2, y + h // 2, 'abs')
        time.sleep(0.1)
        pyatspi.Registry.generateMouseEvent(x + w // 2, y + h // 2, 'b1c')
        row = s.wait(lambda: next((r for r in driver.descendants(editor, lambda n: driver.role(n) == 'list item'
                                                                  and n.name == profile)
                                   if driver.extents(r)[2] > 0), None),
                     'the tccli profile “%s” in the import list' % profile, timeout=20)
        s.step('tccli-profiles')
        # Rows in a popover are used with the keyboard (the driver's note on popovers): the
        # button keeps the focus, Tab takes it into the list.
        for _ in range(4):
            if driver.state(row, pyatspi.STATE_FOCUSED):
                break
            s.press(KEY_TAB)
        s.wait(lambda: driver.state(row, pyatspi.STATE_FOCUSED), 'the profile “%s” to take the focus' % profile)
        s.press(driver.KEY_RETURN)
        s.wait(lambda: s.field(t('SecretId'), editor) == secret_id,
               'the SecretId of “%s” in the editor' % profile)
        if s.field(t('Account Name'), editor) != profile:
            raise Failure('the imported account is called “%s”' % s.field(t('Account Name'), editor))
        s.click(s.find(t('Advanced'), 'list item', editor))
        s.type_into(t('API 3.0 Endpoint'), s.endpoint, editor)
        s.step('tccli-imported')
        s.press_button(t('_Save'), editor)
        s.wait(lambda: editor not in s.windows(), 'the account editor to close')
        s.find(profile, ('push button', 'toggle button'), s.main_window(), timeout=20)

    def wait_notification(self, name):
        """Through the portal the notification names the app by its desktop file, from which
        the shell shows “Imprint”, rather than by the name the app gave itself."""
        s, t = self.s, self.t
        found = s.wait(lambda: next((n for n in s.notifications() if t('Image Ready') in n and name in n), None),
                       'the desktop notification that “%s” is ready' % name, timeout=60)
        log('notification: %s' % found.strip())
        if '"desktop-entry": "%s"' % APP_ID not in found:
            raise Failure('the notification does not name the desktop file %s.desktop' % APP_ID)

    def sandbox(self):
        s, t = self.s, self.t
        s.start_sim()
        s.launch()
        self.account = 'Sandboxed'
        editor = self.add_account(self.account)
        self.test_connection(editor, t('Connected. These keys work.'))
        self.save_account(editor, self.account)
        self.import_from_tccli('ops', self.tccli_id)
        # Back to the account the simulator knows.
        s.menu('ops', self.account)
        self.workspace(self.account)
        self.pick_instance('Shanghai')
        name = 'sandboxed-%d' % (os.getpid() % 100000)
        s.type_into(t('Image Name'), name, s.main_window())
        s.find_text(t('“%s” is available') % name, s.main_window(), timeout=20)
        # The toasts are the unsandboxed journeys' business: here, what crosses the wall.
        s.press_button(t('Create Image'), s.main_window(), timeout=20)
        self.wait_notification(name)
        image_id = self.history_has(name, None, t('Ready', 'history state'))
        log('created %s (%s) from the sandbox' % (name, image_id))
        s.check_app_log()
        return name, image_id

    def restart(self, name, image_id):
        """Quits from the menu and starts the sandboxed app again. The account in use comes
        back with its SecretKey, read through the Secret portal from the app's keyring file:
        without it, the quota of its region could not be asked for."""
        s, t = self.s, self.t
        s.quit()
        s.launch()
        self.workspace(self.account)
        quota_row = s.find(t('Custom Image Quota'), 'list item', s.main_window())
        s.wait(lambda: any(re.search(r'\d+', x) for x in driver.labels_in_any(quota_row)),
               'the quota of the last region, asked for with the SecretKey', timeout=30)
        s.step('relaunched')
        self.history_has(name, image_id, t('Ready', 'history state'))
        s.check_app_log()


def secrets_in_place(home, secrets, allowed):
    """Problems with where the secrets are: the app's keyring file must exist, and no file in
    @home but those in @allowed may hold a secret in plain text."""
    problems = []
    keyrings = os.path.join(home, '.var', 'app', APP_ID, 'data', 'keyrings')
    files = os.listdir(keyrings) if os.path.isdir(keyrings) else []
    if not any(f.endswith('.keyring') for f in files):
        problems.append('no keyring file in %s (it holds: %s)' % (keyrings, files))
    for f in files:
        mode = os.stat(os.path.join(keyrings, f)).st_mode & 0o777
        if mode & 0o077:
            problems.append('%s is readable by others (mode %o)' % (f, mode))
    root = os.path.dirname(home)
    for dirpath, dirnames, filenames in os.walk(root):
        for filename in filenames:
            path = os.path.join(dirpath, filename)
            if os.path.islink(path) or not os.path.isfile(path) or path in allowed:
                continue
            try:
                with open(path, 'rb') as f:
                    data = f.read()
            except OSError:
                continue
            for secret in secrets:
                if secret.encode() in data:
                    problems.append('%s holds a SecretKey in plain text' % os.path.relpath(path, root))
    return problems


def main():
    if len(sys.argv) != 3:
        print('usage: test-flatpak.py SOURCE_ROOT BUILD_ROOT', file=sys.stderr)
        return 2
    source_root, build_root = sys.argv[1:3]
    for tool in ('flatpak', 'flatpak-builder', 'bwrap', 'apt-get', 'dpkg-deb') + PORTAL_PROGRAMS + \
            ('/usr/libexec/at-spi-bus-launcher', '/usr/bin/import'):
        if not shutil.which(tool):
            print('1..0 # SKIP %s is missing' % tool)
            return 0

    # The unit tests' settings (memory GSettings, no accessibility) are not for the sandboxed
    # app, which keeps its settings as a user's would.
    for name in ('GSETTINGS_BACKEND', 'GSETTINGS_SCHEMA_DIR', 'NO_AT_BRIDGE', 'GTK_A11Y'):
        os.environ.pop(name, None)
    session = SandboxSession('flatpak', build_root)
    root = session.root
    home = os.environ['HOME']
    os.environ['FLATPAK_USER_DIR'] = os.path.join(root, 'flatpak')
    flatpak = ['flatpak', '--user']
    runner = driver.Runner()
    runner.plan(5)
    steps = iter([
        'the stand-in Platform and SDK, made from Debian 12 packages, install in a private installation',
        'flatpak-builder builds the app from the test manifest and installs it',
        'in the sandbox: an account through the Secret portal, one imported from ~/.tccli, an image '
        'against imprint-sim outside, its notification through the Notification portal',
        'quit from the menu and started again, the sandboxed app has the account, its SecretKey '
        'and the image in its history',
        'the SecretKeys are in the app\'s own keyring file, in plain text nowhere',
    ])
    step = next(steps)
    try:
        started = time.monotonic()
        repo = run([os.path.join(here, 'make-runtime.sh')]).strip().splitlines()[-1]
        log('stand-in runtime ready in %.0f s: %s' % (time.monotonic() - started, repo))
        run(flatpak + ['remote-add', '--no-gpg-verify', 'stand-in', repo])
        run(flatpak + ['install', '-y', '--noninteractive', 'stand-in', PLATFORM + '//1', SDK + '//1'])
        runner.ok(step)

        step = next(steps)
        started = time.monotonic()
        manifest = os.path.join(root, APP_ID + '.json')
        test_manifest(source_root, manifest)
        # flatpak-builder's cache (by the sources' checksums) is kept with the runtime, one
        # per working tree; those of trees not built for three days go.
        cache_root = os.path.dirname(os.path.dirname(repo))
        state = os.path.join(cache_root, 'builder-state-' +
                             hashlib.sha256(os.path.realpath(source_root).encode()).hexdigest()[:16])
        for old in os.listdir(cache_root):
            path = os.path.join(cache_root, old)
            if old.startswith('builder-state-') and path != state and \
                    time.time() - os.stat(path).st_mtime > 3 * 24 * 3600:
                shutil.rmtree(path, ignore_errors=True)
        if os.path.isdir(state):
            os.utime(state)
        run(['flatpak-builder', '--user', '--install', '--force-clean', '--disable-rofiles-fuse',
             '--state-dir', state, os.path.join(root, 'flatpak-build'), manifest], cwd=root)
        info = run(flatpak + ['info', APP_ID])
        log('built and installed in %.0f s' % (time.monotonic() - started))
        if PLATFORM + '/' not in info:
            raise Failure('the installed app does not use the stand-in runtime:\n' + info)
        runner.ok(step)

        step = next(steps)
        started = time.monotonic()
        session.tccli_id = 'AKIDtccli' + os.urandom(8).hex()
        tccli_key = os.urandom(16).hex()
        tccli = os.path.join(home, '.tccli')
        os.makedirs(tccli, mode=0o700)
        with open(os.path.join(tccli, 'ops.credential'), 'w') as f:
            json.dump({'secretId': session.tccli_id, 'secretKey': tccli_key}, f)
        with open(os.path.join(tccli, 'ops.configure'), 'w') as f:
            json.dump({'_sys_param': {'region': 'ap-guangzhou'}}, f)
        session.start_desktop()
        session.start_portals()
        j = SandboxJourney(session)
        j.tccli_id = session.tccli_id
        name, image_id = j.sandbox()
        runner.ok(step)

        step = next(steps)
        j.restart(name, image_id)
        runner.ok(step)

        step = next(steps)
        session.quit()
        problems = secrets_in_place(home, [session.secret_key, tccli_key],
                                    {os.path.join(tccli, 'ops.credential')})
        if problems:
            raise Failure('\n'.join(problems))
        log('the journey took %.0f s' % (time.monotonic() - started))
        runner.ok(step)
    except Exception as e:
        session.screenshot('failed')
        detail = e if isinstance(e, Failure) else traceback.format_exc()
        runner.not_ok(step, '%s\nsimulator:\n  %s' % (detail, '\n  '.join(session.sim_lines[-10:])))
        for path in (session.app_log, os.path.join(root, 'portals.log'), os.path.join(root, 'notifications.log')):
            try:
                with open(path) as f:
                    log('%s:\n%s' % (os.path.basename(path), f.read()[-3000:]))
            except OSError:
                pass
        for rest in steps:
            runner.not_ok(rest, 'not reached')
    finally:
        session.close()
    return 1 if runner.failed else 0


if __name__ == '__main__':
    sys.exit(main())

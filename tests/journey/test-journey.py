#!/usr/bin/python3
# test-journey.py: the whole product, used as a person uses it, through the accessibility tree
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
#   keyring-session.sh --with-display /usr/bin/python3 test-journey.py BUILD_ROOT CASE [gl]
#
# The app draws with the cairo renderer, unless `gl` asks for GTK's default renderer (GL;
# llvmpipe under Xvfb, as on a desktop without a GPU), which changes the timing of windows
# and surfaces enough to have hidden bugs the cairo runs never saw.
#
# CASE is one of:
#   api3      add an account against the simulator (testing the connection), pick a region
#             and a stopped instance, type an invalid name and read why, fix it, Check,
#             Create Image, read the toast, get the desktop notification, find the image in
#             the history, click the notification and get its details; quit, start again,
#             and find the account and the entry still there
#   legacy    the core of that journey with the legacy API 2.0
#   failures  a wrong SecretKey, the simulator stopped mid-flow, the quota reached: each
#             with the message the user reads and their input still in the form
#   zh_CN     the api3 journey under LANGUAGE=zh_CN: Chinese labels, no English left in
#             the main flow, and X-TC-Language: zh-CN on the wire
#   demo      Try the Demo, Create Image, find it in the demo's History; leave the demo from
#             its banner, quit, try the Demo again: its History is empty, and the same
#             request gets another ImageId
#   audit     the windows the journeys do not pass through: Preferences, Keyboard
#             Shortcuts, About, Edit Account, Remove Account
#   images    a region whose quota is used up: the form offers Manage Images; an image is
#             ticked and deleted (a dry run, then the confirmation), and the form counts the
#             place it freed; then another is copied to two regions, and both copies are
#             followed until the notifications say they are ready
#   images_zh_CN  the images journey under LANGUAGE=zh_CN, with no English left
#   batch     several at once: three stopped instances ticked in the picker, a name pattern
#             whose names are shown first, Create; the first image fails, the other two are
#             ready; Retry Failed makes it again, and one notification sums the batch up
#   batch_zh_CN  the batch journey under LANGUAGE=zh_CN, with no English left
#
# Every step saves a screenshot under BUILD_ROOT/journey-screenshots/CASE/ (CASE-gl/), audits
# the accessible names of every window on screen, and fails if the app logged a critical or
# its main window is gone (driver.Session.step). The api3, zh_CN and demo journeys also sweep
# their main screens (welcome, form, history; the demo's form and history under its banner):
# the main window alone at 360, 900 and 1280 px wide, saved as NN-SCREEN-WIDTH.png
# (driver.Session.sweep); the images journeys sweep the Images view.

import os
import re
import sys
import traceback

# G_DEBUG=fatal-warnings is for our programs (the driver keeps it away from the app, whose log
# it reads for criticals instead). In the driver's own libatspi it would turn a race of the
# toolkit's into a crash of the test: GTK 4.8 exports its AT-SPI cache only once the registry
# has answered its Embed call, and libatspi, told of the new application first, may ask
# for the cache too early and warns ("Error in GetItems … /org/a11y/atspi/cache").
# Set before GLib is loaded, which reads it once.
os.environ['G_DEBUG'] = ','.join(f for f in os.environ.get('G_DEBUG', '').split(',')
                                 if f and f != 'fatal-warnings')

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

try:
    import pyatspi  # noqa: F401  (Debian's python3-pyatspi, for /usr/bin/python3)
    import driver
    from driver import Failure, log
except ImportError as e:
    print('1..0 # SKIP python3-pyatspi is missing (%s)' % e)
    sys.exit(0)

CASES = ('api3', 'legacy', 'failures', 'zh_CN', 'demo', 'audit', 'images', 'images_zh_CN', 'batch',
         'batch_zh_CN')


class Journey:
    def __init__(self, session, sweeping=False):
        self.s = session
        self.t = session.t
        self.sweeping = sweeping

    def sweep(self, name):
        if self.sweeping:
            self.s.sweep(name)

    # Pieces the journeys share.

    def add_account(self, name, secret_key=None, protocol=None):
        """From the welcome page: fills in the editor, tests the connection, saves."""
        s, t = self.s, self.t
        s.find(t('Welcome to Imprint'), 'label')
        s.step('welcome')
        self.sweep('welcome')
        s.press_button(t('_Add Account'))
        editor = s.window(t('Add Account'))
        self.fill_account(editor, name, secret_key or s.secret_key, protocol)
        return editor

    def fill_account(self, editor, name, secret_key, protocol):
        s, t = self.s, self.t
        s.type_into(t('Account Name'), name, editor)
        s.type_into(t('SecretId'), s.secret_id, editor)
        s.type_into(t('SecretKey'), secret_key, editor)
        if protocol == 'legacy':
            s.choose(t('Protocol'), t('Legacy API 2.0'), editor)
        # The endpoints are under Advanced, folded away.
        s.click(s.find(t('Advanced'), 'list item', editor))
        if protocol == 'legacy':
            s.type_into(t('Legacy Instance Endpoint'), s.endpoint + 'v2/index.php', editor)
            s.type_into(t('Legacy Image Endpoint'), s.endpoint + 'v2/index.php', editor)
        else:
            s.type_into(t('API 3.0 Endpoint'), s.endpoint, editor)
        s.step('account-filled')

    def test_connection(self, editor, expect):
        s, t = self.s, self.t
        s.press_button(t('_Test'), editor)
        s.find_text(expect, editor, timeout=20, exact=False)
        s.step('connection-tested')

    def save_account(self, editor, name):
        s, t = self.s, self.t
        s.press_button(t('_Save'), editor)
        s.wait(lambda: editor not in s.windows(), 'the account editor to close')
        self.workspace(name)

    def workspace(self, account):
        s, t = self.s, self.t
        # The account menu shows (and is named after) the account in use.
        s.find(account, ('push button', 'toggle button'), s.main_window(), timeout=20)
        s.find(t('Region'), 'combo box', s.main_window(), timeout=20)

    def pick_instance(self, region_label):
        """Picks a region in the form, then a stopped instance in the picker."""
        s, t = self.s, self.t
        win = s.main_window()
        s.choose(t('Region'), region_label, win)
        # Waits for the quota of that region, so the picker opens on it.
        s.find_text(t('Custom Image Quota'), win)
        s.press_button(t('Choose…'), win)
        picker = s.window(t('Choose an Instance'))
        s.find(t('Search instances'), 'entry', picker)
        stopped = t('Stopped', 'instance state')

        def stopped_row():
            for row in driver.descendants(picker, lambda n: driver.role(n) == 'table row'):
                cells = [c for c in driver.children(row) if driver.role(c) == 'table cell']
                if len(cells) > 2 and stopped in driver.labels_in_any(cells[2]) and driver.present(row):
                    return row, driver.labels_in_any(cells[0])[0], driver.labels_in_any(cells[1])[0]
            return None

        row, name, instance_id = s.wait(stopped_row, 'a stopped instance in the list', timeout=30)
        s.click(row)
        s.step('instance-picked')
        s.press_button(t('_Select'), picker)
        s.wait(lambda: picker not in s.windows(), 'the picker to close')
        s.find_text(t('%s (%s)') % (name, instance_id), win, exact=False)
        return name, instance_id

    def name_image(self, invalid, message, valid):
        """Types an invalid name, reads why it is refused, then fixes it."""
        s, t = self.s, self.t
        win = s.main_window()
        s.type_into(t('Image Name'), invalid, win)
        s.find_text(message, win)
        s.find(t('Create Image'), 'push button', win, sensitive=False)
        s.step('invalid-name')
        s.type_into(t('Image Name'), valid, win)
        s.gone(message, 'label')
        s.find_text(t('“%s” is available') % valid, win, timeout=20)

    def check_and_create(self, name, check=True):
        s, t = self.s, self.t
        win = s.main_window()
        if check:
            s.press_button(t('Check'), win, timeout=20)
            s.wait_toast(t('The request would succeed.'))
            s.step('checked')
        s.press_button(t('Create Image'), win, timeout=20)
        if check:
            m = s.wait_toast_like(t('Image “%s” is being created (%s).'))
            if m.group(1) != name or not re.fullmatch(r'img-[a-z0-9]{8}', m.group(2)):
                raise Failure('the toast after Create Image says “%s”' % m.group(0))
            image_id = m.group(2)
        else:
            # The legacy CreateImage answers with no image ID: the history learns it later.
            m = s.wait_toast_like(t('Image “%s” is being created.'))
            if m.group(1) != name:
                raise Failure('the toast after Create Image says “%s”' % m.group(0))
            image_id = None
        s.step('created')
        return image_id

    def wait_notification(self, name, image_id=None):
        s, t = self.s, self.t
        summary = t('Image Ready')
        found = s.wait(lambda: next((n for n in s.notifications() if summary in n and name in n), None),
                       'the desktop notification that “%s” is ready' % name, timeout=60)
        log('notification: %s' % found.strip())
        if image_id and image_id not in found:
            raise Failure('the notification that “%s” is ready does not give its ImageId %s' % (name, image_id))
        # It comes from "Imprint" (the name the user knows), not from the binary's name.
        if ' Notify "%s" ' % t('Imprint') not in found:
            raise Failure('the notification does not say it comes from “%s”' % t('Imprint'))

    def history_has(self, name, image_id, status, sweep=False):
        """Finds the entry of @name in the History view, with @image_id (any image ID if None)
        and @status; returns the image ID it shows."""
        s, t = self.s, self.t
        win = s.main_window()
        s.click(s.find(t('History'), 'page tab', win))
        wanted = re.compile(re.escape(image_id) if image_id else r'img-[a-z0-9]{8}')

        def entry():
            for r in driver.descendants(win, lambda n: driver.role(n) == 'list item' and n.name == name):
                texts = driver.labels_in_any(r)
                found = next((m.group(0) for m in map(wanted.search, texts) if m), None)
                if found and status in texts:
                    return found
            return None

        shown_id = s.wait(entry, 'the history entry of “%s” with %s, “%s”' % (name, image_id or 'its image ID',
                                                                              status), timeout=30)
        s.step('history')
        if sweep:
            self.sweep('history')
        s.click(s.find(t('Create', 'view'), 'page tab', win))
        return shown_id

    def languages_on_wire(self):
        return {lang for protocol, action, lang, outcome in self.s.sim_requests() if protocol == 'API 3.0'}

    # The journeys.

    def api3(self, region_label='Shanghai', account='Journey'):
        s, t = self.s, self.t
        s.start_sim()
        s.launch()
        editor = self.add_account(account)
        self.test_connection(editor, t('Connected. These keys work.'))
        self.save_account(editor, account)
        s.step('workspace')
        self.pick_instance(region_label)
        name = 'journey-%d' % (os.getpid() % 100000)
        self.name_image(' ' + name, t('The name starts with a space. Remove it.'), name)
        self.sweep('create')
        image_id = self.check_and_create(name)
        self.wait_notification(name, image_id)
        self.history_has(name, image_id, t('Ready', 'history state'), sweep=True)

        # Clicking the notification opens the image's entry.
        s.click_notification(name)
        details = s.window(t('Request Details'))
        s.find_text(image_id, details, exact=False)
        s.step('notification-clicked')
        s.press(driver.KEY_ESCAPE)
        s.wait(lambda: details not in s.windows(), 'the details to close')

        s.quit()
        s.launch()
        self.workspace(account)
        # The form opens in the region last used with the account.
        s.find_text(region_label, s.main_window(), exact=False)
        s.step('relaunched')
        self.history_has(name, image_id, t('Ready', 'history state'))
        s.check_app_log()
        return name, image_id

    def legacy(self):
        s, t = self.s, self.t
        s.start_sim()
        s.launch()
        editor = self.add_account('Legacy', protocol='legacy')
        self.test_connection(editor, t('Connected. These keys work.'))
        self.save_account(editor, 'Legacy')
        self.pick_instance('Shanghai')
        name = 'legacy-%d' % (os.getpid() % 10000)
        # Legacy names are ASCII letters, digits and "-" only.
        self.name_image(name.replace('-', '_'),
                        t('“%s” is not allowed in the name: use only the letters a–z and A–Z, '
                          'the digits 0–9 and “-”.') % '_', name)
        # The legacy API has no dry run: Check is for API 3.0 only.
        image_id = self.check_and_create(name, check=False)
        self.wait_notification(name)
        self.history_has(name, image_id, t('Ready', 'history state'))
        if any(p != 'legacy' for p, _, _, _ in s.sim_requests()):
            raise Failure('a legacy account sent API 3.0 requests: %s' % s.sim_requests())
        s.check_app_log()

    def failures(self):
        s, t = self.s, self.t
        s.start_sim()
        s.launch()

        # A wrong SecretKey: the test says so, and everything typed stays.
        editor = self.add_account('Failing', secret_key='0' * 32)
        self.test_connection(editor, t('The SecretKey does not match the SecretId. '
                                       'Check the SecretKey in the account settings.'))
        if s.field(t('Account Name'), editor) != 'Failing' or s.field(t('SecretId'), editor) != s.secret_id:
            raise Failure('the account editor lost what was typed after a failed test')
        s.type_into(t('SecretKey'), s.secret_key, editor)
        self.test_connection(editor, t('Connected. These keys work.'))
        self.save_account(editor, 'Failing')

        # The simulator stops mid-flow: Create Image says it cannot reach the server.
        win = s.main_window()
        self.pick_instance('Shanghai')
        name = 'stopped-sim'
        s.type_into(t('Image Name'), name, win)
        s.type_into(t('Description (Optional)'), 'Made by the failure journey', win)
        s.find_text(t('“%s” is available') % name, win, timeout=20)
        quota_row = s.find(t('Custom Image Quota'), 'list item', win)
        used = s.wait(lambda: next((int(m.group(0)) for m in (re.search(r'\d+', x) for x in
                                                                driver.labels_in_any(quota_row)) if m), None),
                      'the quota to be known')
        port = s.port
        s.stop_sim()
        s.press_button(t('Create Image'), win, timeout=20)
        s.find_text(t('Could not reach Tencent Cloud. Check your internet connection and the endpoint, '
                      'then try again.'), win, timeout=30, exact=False)
        s.step('server-gone')
        if s.field(t('Image Name'), win) != name or \
                s.field(t('Description (Optional)'), win) != 'Made by the failure journey':
            raise Failure('the form lost what was typed after the request failed')

        # It comes back with the region's quota used up: the server refuses, the form says why.
        s.start_sim('--quota', str(used), port=port)
        s.press_button(t('Create Image'), win, timeout=20)
        s.find_text(t('The custom image quota for this region is used up. Delete an unused custom image first.'),
                    win, timeout=30, exact=False)
        s.step('quota-reached')
        if s.field(t('Image Name'), win) != name:
            raise Failure('the form lost the image name after the quota refusal')
        s.check_app_log()

    def zh_CN(self):
        s, t = self.s, self.t
        if t('Add Account') == 'Add Account':
            raise Failure('the installed catalog has no Chinese for “Add Account”')
        self.api3(region_label='上海', account='旅程')
        english = s.english_left
        if english:
            raise Failure('English left in the Chinese UI: %s' % '; '.join(sorted(english)))
        languages = self.languages_on_wire()
        if languages != {'zh-CN'}:
            raise Failure('API 3.0 requests carried X-TC-Language %s, not only zh-CN' % sorted(languages))

    def demo_create(self, name, start=True, sweep=False):
        """Tries the Demo (unless it runs), asks for an image named @name, and finds it in the
        demo's History, still being made; returns the ImageId it shows."""
        s, t = self.s, self.t
        if start:
            s.press_button(t('Try the _Demo'))
            s.find(t('Demo'), ('push button', 'toggle button'), s.main_window(), timeout=20)
        self.pick_instance('Shanghai')
        win = s.main_window()
        s.type_into(t('Image Name'), name, win)
        s.find_text(t('“%s” is available') % name, win, timeout=20)
        if sweep:
            self.sweep('demo-create')
        s.press_button(t('Create Image'), win, timeout=20)
        s.wait_toast_like(t('Image “%s” is being created (%s).'))
        return self.history_has(name, None, t('Creating', 'history state'), sweep=sweep)

    def demo(self):
        """Try the Demo, ask for an image: it is in the demo's History. Quit, try the Demo
        again: its History starts empty (the demo keeps its entries apart and forgets them
        when it ends), and the same request makes an image with another ImageId."""
        s, t = self.s, self.t
        s.launch()
        first = self.demo_create('demo-image', sweep=True)
        # Leave Demo, from the banner: back to the welcome page, nothing of the demo left.
        s.press_button(t('Leave Demo'), s.main_window())
        s.find(t('Welcome to Imprint'), 'label', s.main_window(), timeout=20)
        s.step('demo-left')
        s.quit()
        s.launch()
        s.press_button(t('Try the _Demo'))
        win = s.main_window()
        s.find(t('Demo'), ('push button', 'toggle button'), win, timeout=20)
        s.click(s.find(t('History'), 'page tab', win))
        s.find_text(t('No Requests Yet'), win, timeout=20)
        s.step('demo-history-empty')
        s.click(s.find(t('Create', 'view'), 'page tab', win))
        second = self.demo_create('demo-image', start=False)
        if second == first:
            raise Failure('two demo sessions made the same ImageId %s' % first)
        s.check_app_log()

    def images(self, region_label='Guangzhou', account='Images'):
        s, t, tn = self.s, self.t, self.s.tn
        # Guangzhou starts with three custom images: a quota of three is used up.
        s.start_sim('--quota', '3')
        s.launch()
        editor = self.add_account(account)
        self.save_account(editor, account)
        win = s.main_window()
        s.choose(t('Region'), region_label, win)
        s.find_text(tn('%u of %u used', '%u of %u used', 3) % (3, 3), win, timeout=20, exact=False)
        s.press_button(t('_Manage Images…'), win, timeout=20)
        s.step('quota-used-up')

        # The Images view lists the region's images with its quota; one is ticked.
        s.find_text(tn('%u of %u custom image used in %s', '%u of %u custom images used in %s', 3)
                    % (3, 3, ''), win, timeout=20, exact=False)
        # A click on the row ticks it, as its check box would.
        s.click(s.find('web-golden-2023', 'list item', win, timeout=20))
        s.find_text(tn('%u image chosen', '%u images chosen', 1) % 1, win)
        s.step('image-ticked')
        self.sweep('images')

        # Delete…: a dry run, then the confirmation names the image.
        before = set(w.name for w in s.windows())
        s.press_button(t('_Delete…'), win)
        dialog = s.wait(lambda: next((w for w in s.windows() if w.name not in before), None),
                        'the confirmation to delete the image', timeout=20)
        s.find_text('web-golden-2023', dialog, exact=False)
        s.step('delete-confirm')
        s.press_button(t('_Delete'), dialog)
        s.wait(lambda: dialog not in s.windows(), 'the confirmation to close')
        s.wait_toast(tn('%u image deleted', '%u images deleted', 1) % 1)
        s.gone('web-golden-2023', 'list item', timeout=20)
        s.step('image-deleted')

        # The form counts the freed place, and no longer offers to free one.
        s.click(s.find(t('Create', 'view'), 'page tab', win))
        s.find_text(tn('%u of %u used', '%u of %u used', 3) % (2, 3), win, timeout=20)
        s.gone(t('_Manage Images…'), 'push button')
        s.step('quota-freed')
        deleted = [r for r in s.sim_requests() if r[1] == 'DeleteImages']
        if len(deleted) != 2:
            raise Failure('Delete sent %d DeleteImages requests, not a dry run and the deletion: %s'
                          % (len(deleted), deleted))

        # A ready image is copied to two regions; each copy is followed until it is ready.
        s.click(s.find(t('Images', 'view'), 'page tab', win))
        s.click(s.find('base-image', 'list item', win, timeout=20))
        s.press_button(t('_Copy to Regions…'), win)
        dialog = s.window(t('Copy to Regions'))
        for region in (t('North China (Beijing)'), t('Southwest China (Chengdu)')):
            s.click(s.find(region, 'list item', dialog, timeout=20))
        s.step('copy-regions')
        s.press_button(t('C_opy'), dialog)
        s.wait(lambda: dialog not in s.windows(), 'the copy dialog to close', timeout=20)
        s.wait_toast(tn('Copying “%s” to %u region.', 'Copying “%s” to %u regions.', 2) % ('base-image', 2))
        ready = t('Copy Ready')
        s.wait(lambda: len([n for n in s.notifications() if ready in n and 'base-image' in n]) >= 2,
               'the notifications that both copies are ready', timeout=60)
        self.history_has('base-image', None, t('Ready', 'history state'))
        s.step('copies-ready')
        synced = [r for r in s.sim_requests() if r[1] == 'SyncImages']
        if len(synced) != 2:
            raise Failure('Copy sent %d SyncImages requests, not a dry run and the copy: %s'
                          % (len(synced), synced))
        s.check_app_log()

    def images_zh_CN(self):
        s, t = self.s, self.t
        if t('_Manage Images…') == 'Manage Images…':
            raise Failure('the installed catalog has no Chinese for “Manage Images…”')
        self.images(region_label='广州', account='镜像')
        if s.english_left:
            raise Failure('English left in the Chinese UI: %s' % '; '.join(sorted(s.english_left)))

    def batch(self, region_label='Shanghai', account='Batch'):
        s, t, tn = self.s, self.t, self.s.tn
        # The first image the simulator makes fails.
        s.start_sim('--fault', 'image-fail:action=CreateImage,count=1')
        s.launch()
        editor = self.add_account(account)
        self.save_account(editor, account)
        win = s.main_window()
        s.choose(t('Region'), region_label, win)
        s.find_text(t('Custom Image Quota'), win, timeout=20)
        s.press_button(t('Choose…'), win)
        picker = s.window(t('Choose an Instance'))
        s.find(t('Search instances'), 'entry', picker)

        # Several: the toggle gives the rows check boxes; three stopped instances are ticked.
        s.press_button(t('Choose Several Instances'), picker)
        s.find_text(t('Tick the instances to image'), picker)
        stopped = t('Stopped', 'instance state')

        def stopped_boxes():
            boxes = []
            for row in driver.descendants(picker, lambda n: driver.role(n) == 'table row'):
                box = next((b for b in driver.descendants(row, lambda n: driver.role(n) == 'check box')), None)
                if box is not None and stopped in driver.labels_in_any(row) and driver.present(row):
                    boxes.append(box)
            return boxes[:3] if len(boxes) >= 3 else None

        for box in s.wait(stopped_boxes, 'three stopped instances with check boxes', timeout=30):
            s.click(box)
        s.find_text(tn('%u instance chosen', '%u instances chosen', 3) % 3, picker)
        s.step('several-ticked')
        s.press_button(t('C_ontinue'), picker)
        s.wait(lambda: picker not in s.windows(), 'the picker to close')

        # The names come first, checked against the rules, each other and the region.
        dialog = s.window(t('Image Several Instances'))
        s.find_text(tn('%u of %u custom images used in %s; this batch adds %u.',
                       '%u of %u custom images used in %s; this batch adds %u.', 3) % (1, 10, t('East China (Shanghai)'), 3),
                    dialog, timeout=20)
        s.type_into(t('Name Pattern'), 'golden', dialog)
        s.find_text(tn('%u name cannot be used. Change the pattern.',
                       '%u names cannot be used. Change the pattern.', 3) % 3, dialog)
        s.find(tn('C_reate %u Image', 'C_reate %u Images', 3) % 3, 'push button', dialog, sensitive=False)
        s.step('batch-names-clash')
        s.type_into(t('Name Pattern'), 'golden-{n}', dialog)
        s.find_text('golden-3', dialog)
        s.step('batch-names')
        s.press_button(tn('C_reate %u Image', 'C_reate %u Images', 3) % 3, dialog, timeout=20)

        # Each image on its own: one fails, with the reason and a retry.
        done = tn('%u of %u image ready', '%u of %u images ready', 3) % (2, 3)
        s.find_text(tn('%s; %u failed', '%s; %u failed', 1) % (done, 1), dialog, timeout=60)
        s.step('batch-one-failed')
        s.press_button(t('_Retry Failed'), dialog)
        # Closed while the image is made again: the batch is a row of Recent Images, which
        # follows it, and shows its dialog again.
        s.press_button(t('_Close'), dialog)
        s.wait(lambda: dialog not in s.windows(), 'the batch dialog to close')
        summary = tn('%u of %u image ready', '%u of %u images ready', 3) % (3, 3)
        s.find_text(summary, s.main_window(), timeout=60)
        s.step('batch-ready')

        # One notification for the batch, none for its images.
        s.wait(lambda: next((n for n in s.notifications() if t('Images Ready') in n and summary in n), None),
               'the notification that sums the batch up', timeout=30)
        one = [n for n in s.notifications() if ' "%s" ' % t('Image Ready') in n or ' "%s" ' % t('Image Failed') in n]
        if one:
            raise Failure('images of the batch were notified one by one: %s' % one)
        s.press_button(t('_Show'), s.main_window())
        dialog = s.window(t('Image Several Instances'))
        s.find_text(summary, dialog)
        s.step('batch-shown-again')
        s.press_button(t('_Close'), dialog)
        s.wait(lambda: dialog not in s.windows(), 'the batch dialog to close again')
        created = [r for r in s.sim_requests() if r[1] == 'CreateImage']
        deleted = [r for r in s.sim_requests() if r[1] == 'DeleteImages']
        if len(created) != 4 or len(deleted) != 1:
            raise Failure('the batch sent %d CreateImage and %d DeleteImages, not 3 and a retry after '
                          'deleting the failed image' % (len(created), len(deleted)))
        self.history_has('golden-1', None, t('Ready', 'history state'))
        s.check_app_log()

    def batch_zh_CN(self):
        s, t = self.s, self.t
        if t('Choose Several Instances') == 'Choose Several Instances':
            raise Failure('the installed catalog has no Chinese for “Choose Several Instances”')
        self.batch(region_label='上海', account='批量')
        if s.english_left:
            raise Failure('English left in the Chinese UI: %s' % '; '.join(sorted(s.english_left)))

    def audit(self):
        s, t = self.s, self.t
        s.start_sim()
        s.launch()
        editor = self.add_account('Audit')
        self.save_account(editor, 'Audit')

        def opened(button, item, step):
            before = set(w.name for w in s.windows())
            s.menu(button, item)
            window = s.wait(lambda: next((w for w in s.windows() if w.name not in before), None),
                            'a window from “%s”' % item)
            s.step(step)
            # Escape closes every dialog, as users expect.
            s.press(driver.KEY_ESCAPE)
            s.wait(lambda: window not in s.windows(), 'the window from “%s” to close' % item)

        opened(t('Main Menu'), t('_Preferences'), 'preferences')
        opened(t('Main Menu'), t('_Keyboard Shortcuts'), 'shortcuts')
        opened(t('Main Menu'), t('_About Imprint'), 'about')
        opened('Audit', t('_Edit Account…'), 'edit-account')

        before = set(w.name for w in s.windows())
        s.menu('Audit', t('_Remove Account…'))
        dialog = s.wait(lambda: next((w for w in s.windows() if w.name not in before), None),
                        'the confirmation to remove the account')
        s.step('remove-account')
        s.press_button(t('_Cancel'), dialog)
        s.wait(lambda: dialog not in s.windows(), 'the confirmation to close')
        # Nothing was removed.
        self.workspace('Audit')
        s.check_app_log()


def main():
    if len(sys.argv) not in (3, 4) or sys.argv[2] not in CASES or sys.argv[3:] not in ([], ['gl']):
        print('usage: test-journey.py BUILD_ROOT {%s} [gl]' % '|'.join(CASES), file=sys.stderr)
        return 2
    build_root, case = sys.argv[1], sys.argv[2]
    renderer = 'gl' if sys.argv[3:] else 'cairo'
    for tool in ('/usr/libexec/at-spi-bus-launcher', '/usr/bin/import'):
        if not os.path.exists(tool):
            print('1..0 # SKIP %s is missing' % tool)
            return 0

    session = driver.Session(case, build_root, language='zh_CN' if case.endswith('zh_CN') else None,
                             renderer=renderer)
    why = session.install()
    if why:
        print('1..0 # SKIP %s' % why)
        return 0

    runner = driver.Runner()
    runner.plan(1)
    try:
        session.start_desktop()
        getattr(Journey(session, sweeping=renderer == 'cairo' and case in ('api3', 'zh_CN', 'demo', 'images',
                                                                             'images_zh_CN')), case)()
        runner.ok('%s journey (screenshots in %s)' % (case, session.shots))
    except Exception as e:
        session.screenshot('failed')
        detail = e if isinstance(e, Failure) else traceback.format_exc()
        runner.not_ok('%s journey' % case, '%s\nscreenshots: %s\nsimulator:\n  %s' %
                      (detail, session.shots, '\n  '.join(session.sim_lines[-15:])))
        try:
            with open(session.app_log) as f:
                log('imprint said:\n' + f.read()[-3000:], file=sys.stderr)
        except OSError:
            pass
    finally:
        session.close()
    return 1 if runner.failed else 0


if __name__ == '__main__':
    sys.exit(main())

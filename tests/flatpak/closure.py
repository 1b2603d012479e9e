#!/usr/bin/python3
# closure.py: the Debian packages a stand-in Flatpak runtime needs, from their dependencies
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
#   closure.py [--exclude PKG]... PACKAGE...
#
# Prints "name=version" for every package in the Depends/Pre-Depends closure of PACKAGE...
# (Recommends left out), one a line, sorted, as apt would choose them: the first alternative
# that is a real package, a virtual package's first provider. The walk does not enter the
# excluded packages: they run a booted system (systemd, the system bus, dpkg, perl, debconf),
# which a runtime mounted at /usr in a sandbox never does. apt's own resolver cannot be told
# to leave them out, hence this walk over `apt-cache depends`, one call per level.

import subprocess
import sys


def parse(text):
    """{package: [[alternative, ...], ...]} from `apt-cache depends` output; a virtual
    alternative is given as ('<virtual>', [providers])."""
    graph = {}
    current = None
    group = []
    groups = None
    last = None
    for line in text.splitlines():
        if not line.startswith(' '):
            current = line.strip()
            groups = graph.setdefault(current, [])
            group = []
            continue
        stripped = line.strip()
        if line.startswith('    '):          # a provider of the virtual package above
            if isinstance(last, tuple):
                last[1].append(stripped)
            continue
        last = None
        alternative = line[1] == '|'
        kind, _, target = stripped.lstrip('|').partition(': ')
        if kind not in ('Depends', 'PreDepends'):
            continue
        last = (target, []) if target.startswith('<') else target
        group.append(last)
        if not alternative:
            groups.append(group)
            group = []
    return graph


def depends(packages):
    out = subprocess.run(['apt-cache', 'depends', '--no-recommends', '--no-suggests', '--no-conflicts',
                          '--no-breaks', '--no-replaces', '--no-enhances'] + sorted(packages),
                         capture_output=True, text=True, check=True).stdout
    return parse(out)


def main(argv):
    exclude = set()
    wanted = []
    args = iter(argv)
    for arg in args:
        if arg == '--exclude':
            exclude.add(next(args))
        else:
            wanted.append(arg)
    seen = set(wanted)
    level = set(wanted)
    while level:
        graph = depends(level)
        missing = level - set(graph)
        if missing:
            sys.exit('closure.py: unknown packages: %s' % ' '.join(sorted(missing)))
        level = set()
        for groups in graph.values():
            for group in groups:
                choice = None
                for alternative in group:
                    if isinstance(alternative, tuple):
                        providers = [p for p in alternative[1] if p not in exclude]
                        if providers:
                            choice = providers[0]
                    elif alternative not in exclude:
                        choice = alternative
                    if choice or any(a in exclude for a in ([alternative] if isinstance(alternative, str)
                                                              else alternative[1])):
                        break
                if choice and choice not in seen:
                    seen.add(choice)
                    level.add(choice)
    # Architecture-qualified names ("libfoo:amd64") and versions, as apt-get download takes them.
    out = subprocess.run(['apt-cache', 'show', '--no-all-versions'] + sorted(seen),
                         capture_output=True, text=True, check=True).stdout
    versions = {}
    name = None
    for line in out.splitlines():
        if line.startswith('Package: '):
            name = line.split(': ', 1)[1]
        elif line.startswith('Version: ') and name:
            versions.setdefault(name, line.split(': ', 1)[1])
    for package in sorted(seen):
        print('%s=%s' % (package, versions[package]))


if __name__ == '__main__':
    main(sys.argv[1:])

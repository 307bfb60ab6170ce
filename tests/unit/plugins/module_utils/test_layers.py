# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.twilio contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""docs/design.md's picture of the layers (its ```layers block) holds for the real imports of plugins/: every file
stands on one line, and a file imports only files on lines below its own, of its own column where lines have them."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ast
import fnmatch
import os

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))))
PACKAGE = 'ansible_collections.community.twilio.plugins.'
FOLDERS = ('modules', 'action', 'module_utils')
TRANSPORT_LIBRARIES = ('requests', 'urllib3', 'twilio')


def plugin_files():
    """'plugins/<folder>/<name>.py' of every Python file of the folders the picture covers."""
    found = []
    for folder in FOLDERS:
        for name in sorted(os.listdir(os.path.join(ROOT, 'plugins', folder))):
            if name.endswith('.py') and name != '__init__.py':
                found.append('plugins/%s/%s' % (folder, name))
    return found


def picture():
    """[(line number, label, [[pattern, ...] per column])] from the ```layers block, top line first."""
    with open(os.path.join(ROOT, 'docs', 'design.md')) as handle:
        text = handle.read()
    start = text.index('```layers\n') + len('```layers\n')
    lines = []
    for number, line in enumerate(text[start:text.index('```', start)].splitlines()):
        if not line.strip():
            continue
        label, names = line.split(':', 1)
        columns = [[name if '/' in name else 'plugins/module_utils/%s.py' % name for name in column.split()]
                   for column in names.split('|')]
        lines.append((number, label.strip(), columns))
    return lines


def places():
    """{file: (line index, column index or None)}; each file must match exactly one name of the picture."""
    layers = picture()
    found = {}
    for path in plugin_files():
        where = [(index, column if len(columns) > 1 else None)
                 for index, (dummy, label, columns) in enumerate(layers)
                 for column, patterns in enumerate(columns)
                 if any(fnmatch.fnmatch(path, pattern) for pattern in patterns)]
        assert len(where) == 1, '%s stands on %d lines of the layers block in docs/design.md, not one' % (
            path, len(where))
        found[path] = where[0]
    return found


def imports(path):
    """(the collection's plugin files it imports, the top-level names of other packages it imports)."""
    with open(os.path.join(ROOT, path)) as handle:
        tree = ast.parse(handle.read(), path)
    modules = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            modules.append(node.module)
            modules.extend('%s.%s' % (node.module, alias.name) for alias in node.names)
    own, other = set(), set()
    for module in modules:
        if module.startswith(PACKAGE):
            candidate = 'plugins/%s.py' % module[len(PACKAGE):].replace('.', '/')
            if os.path.exists(os.path.join(ROOT, candidate)):
                own.add(candidate)
        else:
            other.add(module.split('.')[0])
    return own, other


def test_every_name_of_the_picture_is_a_file():
    files = plugin_files()
    for dummy, label, columns in picture():
        for pattern in [p for column in columns for p in column]:
            assert fnmatch.filter(files, pattern), 'the layers block names %s (%s), which is no file' % (
                pattern, label)


@pytest.mark.parametrize('path', plugin_files())
def test_imports_go_down_the_picture(path):
    where = places()
    line, column = where[path]
    own, dummy = imports(path)
    for target in sorted(own):
        target_line, target_column = where[target]
        assert target_line > line, '%s imports %s, on %s line of the layers block' % (
            path, target, 'its own' if target_line == line else 'a higher')
        assert column is None or target_column is None or target_column == column, \
            '%s imports %s, in another column of the layers block' % (path, target)


@pytest.mark.parametrize('path', plugin_files())
def test_declarations_load_no_transport(path):
    """A file of the declarations' column, or of a line below without columns, loads no HTTP library."""
    layers = picture()
    line, column = places()[path]
    declarations = [index for index, (dummy, label, columns) in enumerate(layers) if len(columns) > 1]
    if not declarations or line < declarations[0] or (column is not None and column != len(layers[line][2]) - 1):
        return
    dummy, other = imports(path)
    transport = sorted(other & set(TRANSPORT_LIBRARIES))
    assert not transport, '%s imports %s, a transport library' % (path, ', '.join(transport))

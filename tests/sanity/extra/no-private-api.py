#!/usr/bin/env python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.twilio contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""No private API of the libraries the collection stands on: urllib3, requests, twilio, ansible.

Run from the repository root. With no arguments it checks every ``.py`` file under plugins/ and extensions/; with
arguments, those files. It prints ``path:line:col: message`` for each use found and exits 1 when there is one.

A use is found from the source alone (AST, nothing is imported):

- an import of a private name or module: ``from ansible.module_utils.basic import _load_params``,
  ``import urllib3._collections``;
- an attribute of such a library read through a name bound by an import: ``basic._load_params()``,
  ``requests.adapters._x``; also ``getattr``/``setattr``/``hasattr`` with a private name as a constant;
- in a class derived from a class of such a library: a private attribute reached through ``super()``
  (``super()._new_conn()``, what an override of a private hook calls), through ``self``/``cls`` when the class
  does not define it itself (``self._test_only_last_response``: the base's), or through an object the base holds
  (``self.poolmanager._pools``, where the class does not define ``poolmanager``).

Not found: a private hook overridden without calling the base's (nothing in the source says the base has it).

Private means a name with a leading underscore that is not a dunder (``__init__`` is fine). The collection's own
modules (``ansible_collections.community.twilio...._client``) are not a library's: they are fine.
"""

from __future__ import annotations

import ast
import os
import sys

LIBRARIES = frozenset(['urllib3', 'requests', 'twilio', 'ansible'])
ROOTS = ('plugins', 'extensions')
# The one exception, an interface with no public spelling: ansible-core hands an action plugin its task as
# ActionBase's ``self._task`` (every action plugin reads it). The task's own ``check_mode: true`` is found there
# only: the public ``ansible_check_mode`` variable reflects the play's --check, not the task's keyword.
INTERFACE = frozenset([('ansible.plugins.action.ActionBase', '_task')])


def is_private(name):
    return name.startswith('_') and not (name.startswith('__') and name.endswith('__'))


def library_of(module):
    """The library a dotted module name belongs to, or None (the collection itself, the standard library...)."""
    top = (module or '').split('.')[0]
    return top if top in LIBRARIES else None


class Checker(ast.NodeVisitor):
    def __init__(self):
        self.findings = []
        self.bound = {}  # a name an import from a library binds -> what it is (basic -> ansible.module_utils.basic)
        self.classes = []  # the classes being visited: (names it defines, its library bases), None if it has none

    def report(self, node, message):
        self.findings.append((node.lineno, node.col_offset + 1, message))

    # -- imports ---------------------------------------------------------------------------------------------------

    def visit_Import(self, node):
        for alias in node.names:
            if not library_of(alias.name):
                continue
            if any(is_private(part) for part in alias.name.split('.')):
                self.report(node, 'import of the private module %s' % alias.name)
            if alias.asname:  # import a.b as c: c is a.b
                self.bound[alias.asname] = alias.name
            else:  # import a.b: a is bound
                self.bound[alias.name.split('.')[0]] = alias.name.split('.')[0]

    def visit_ImportFrom(self, node):
        module = node.module or ''
        if node.level or not library_of(module):
            return
        if any(is_private(part) for part in module.split('.')):
            self.report(node, 'import from the private module %s' % module)
        for alias in node.names:
            if is_private(alias.name):
                self.report(node, 'import of the private name %s from %s' % (alias.name, module))
            self.bound[alias.asname or alias.name] = '%s.%s' % (module, alias.name)

    # -- attributes ------------------------------------------------------------------------------------------------

    def _root(self, node):
        """The name at the root of an attribute chain, or None."""
        while isinstance(node, ast.Attribute):
            node = node.value
        return node.id if isinstance(node, ast.Name) else None

    def visit_Attribute(self, node):
        if is_private(node.attr):
            root = self._root(node.value)
            if root in self.bound:
                self.report(node, 'private attribute %s of %s' % (node.attr, self.bound[root]))
            elif self._through_base(node.value, node.attr) and not self._interface(node.attr):
                self.report(node, 'private attribute %s of the base class %s' % (node.attr, self._bases()))
        self.generic_visit(node)

    def _through_base(self, value, attr):
        """In a class derived from a library's: ``super()._x``; ``self._x`` or ``cls._x`` that the class does not
        define itself; ``self.a._x`` where the class does not define ``a`` (an object the base holds)."""
        if not self.classes or self.classes[-1] is None:
            return False
        defined, dummy = self.classes[-1]
        if isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id == 'super':
            return True
        first = attr
        while isinstance(value, ast.Attribute):
            value, first = value.value, value.attr
        return isinstance(value, ast.Name) and value.id in ('self', 'cls') and first not in defined

    def _bases(self):
        return ', '.join(self.classes[-1][1])

    def _interface(self, attr):
        return all((base, attr) in INTERFACE for base in self.classes[-1][1])

    def visit_Call(self, node):
        func = node.func
        if (isinstance(func, ast.Name) and func.id in ('getattr', 'setattr', 'hasattr', 'delattr') and
                len(node.args) >= 2 and isinstance(node.args[1], ast.Constant) and
                isinstance(node.args[1].value, str) and is_private(node.args[1].value)):
            name, target = node.args[1].value, node.args[0]
            root = self._root(target)
            if root in self.bound:
                self.report(node, 'private attribute %s of %s (%s)' % (name, self.bound[root], func.id))
            elif self._through_base(target, name) and not self._interface(name):
                self.report(node, 'private attribute %s of the base class %s (%s)'
                            % (name, self._bases(), func.id))
        self.generic_visit(node)

    # -- classes derived from a library's ------------------------------------------------------------------------

    def visit_ClassDef(self, node):
        bases = [self.bound[root] for root in (self._root(base) for base in node.bases) if root in self.bound]
        if not bases:
            self.classes.append(None)
        else:
            # what the class defines itself: its methods and class attributes, and what its methods set on self
            defined = set()
            for item in node.body:
                if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                    defined.add(item.name)
                elif isinstance(item, (ast.Assign, ast.AnnAssign)):
                    targets = item.targets if isinstance(item, ast.Assign) else [item.target]
                    defined.update(t.id for t in targets if isinstance(t, ast.Name))
            for item in ast.walk(node):
                if (isinstance(item, ast.Attribute) and isinstance(item.ctx, ast.Store) and
                        isinstance(item.value, ast.Name) and item.value.id == 'self'):
                    defined.add(item.attr)
            self.classes.append((defined, tuple(bases)))
        self.generic_visit(node)
        self.classes.pop()


def check_file(path):
    with open(path, 'rb') as handle:
        source = handle.read()
    try:
        tree = ast.parse(source, path)
    except SyntaxError as exc:
        return [(exc.lineno or 1, exc.offset or 1, 'cannot be parsed: %s' % exc.msg)]
    checker = Checker()
    checker.visit(tree)
    return sorted(checker.findings)


def files_to_check(args):
    if args:
        return [path for path in args if path.endswith('.py')]
    found = []
    for root in ROOTS:
        for folder, dirs, files in os.walk(root):
            dirs[:] = sorted(d for d in dirs if d != '__pycache__')
            found.extend(os.path.join(folder, name) for name in sorted(files) if name.endswith('.py'))
    return found


def main(args):
    status = 0
    for path in files_to_check(args):
        for line, col, message in check_file(path):
            print('%s:%d:%d: %s' % (path, line, col, message))
            status = 1
    return status


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))

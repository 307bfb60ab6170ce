# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.twilio contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Finds every example a user copies: the EXAMPLES of every plugin of the installed collection (read with ``ast``
from the plugin files, never by importing them or Ansible's loader), every fenced YAML, console or shell block
of README.md, docs/guides/*.md and roles/*/README.md of the repository, and the playbooks of examples/.

A block's id names its file and place: ``plugins/modules/proxy_session.py`` for a plugin's EXAMPLES,
``docs/guides/quickstart.md#5-preview-apply-re-run`` for a Markdown block (the section's heading as GitHub anchors
it), with ``[2]``, ``[3]`` … after the second and later blocks of one section.
"""

import ast
import glob
import os
import re

import yaml

# Markdown fences whose language says a user would run the block; every other fence (json, text, ini …) is shown,
# not run.
RUNNABLE_LANGUAGES = {'yaml': 'yaml', 'yml': 'yaml', 'console': 'console', 'sh': 'console', 'shell': 'console',
                      'bash': 'console'}
FENCE_RE = re.compile(r'^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})\s*(?P<lang>[\w+-]*)')
HEADING_RE = re.compile(r'^(#{1,6})\s+(.*?)\s*#*\s*$')
# Plugin folders with no EXAMPLES of their own.
NO_EXAMPLES = {'module_utils', 'doc_fragments', 'plugin_utils'}


class Block:
    """One example: its id, where it is (file and first line), its kind and text."""

    def __init__(self, block_id, path, line, kind, text, language=None):
        self.id = block_id
        self.path = path
        self.line = line
        self.kind = kind          # tasks, playbook, rulebook, inventory, data, console, other
        self.text = text
        self.language = language

    @property
    def where(self):
        return '%s:%d' % (self.path, self.line)

    def __repr__(self):
        return 'Block(%s, %s)' % (self.id, self.kind)


def yaml_kind(text):
    """What a YAML example is: a list of plays, of tasks, a rulebook, an inventory source's configuration, data."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        return 'invalid'
    if isinstance(data, list) and data and all(isinstance(item, dict) for item in data):
        if all('hosts' in item and ('rules' in item or 'sources' in item) for item in data):
            return 'rulebook'
        if all('hosts' in item or 'import_playbook' in item or 'ansible.builtin.import_playbook' in item
               for item in data):
            return 'playbook'
        return 'tasks'
    if isinstance(data, dict) and 'plugin' in data:
        return 'inventory'
    return 'data'


def plugin_examples(collection_dir):
    """The EXAMPLES of every plugin of the installed collection, in a stable order: plugins/<type>/*.py and
    extensions/eda/plugins/event_source/*.py (the event sources of Event-Driven Ansible)."""
    files = sorted(glob.glob(os.path.join(collection_dir, 'plugins', '*', '*.py')))
    files += sorted(glob.glob(os.path.join(collection_dir, 'extensions', 'eda', 'plugins', '*', '*.py')))
    blocks = []
    for path in files:
        plugin_type = os.path.basename(os.path.dirname(path))
        if plugin_type in NO_EXAMPLES or os.path.basename(path) == '__init__.py':
            continue
        rel = os.path.relpath(path, collection_dir)
        with open(path) as source:
            tree = ast.parse(source.read(), path)
        found = None
        for node in tree.body:
            if (isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)
                    and node.targets[0].id == 'EXAMPLES'):
                found = node
        if found is None:
            # Every plugin has examples (sanity requires them of modules); one without is a finding.
            blocks.append(Block(rel, rel, 1, 'missing', ''))
            continue
        text = ast.literal_eval(found.value)
        kind = yaml_kind(text)
        if plugin_type == 'event_source' and kind in ('playbook', 'tasks'):
            kind = 'rulebook'
        blocks.append(Block(rel, rel, found.lineno, kind, text))
    return blocks


def anchor(title):
    """GitHub's anchor of a heading: lower case, punctuation but dashes and underscores dropped, spaces to dashes."""
    return re.sub(r'[^\w\- ]', '', title.strip().lower()).replace(' ', '-')


def markdown_blocks(root, rel):
    """The runnable fenced blocks of one Markdown file of the repository."""
    with open(os.path.join(root, rel)) as md:
        lines = md.read().splitlines()
    blocks, section, counts, i = [], '', {}, 0
    while i < len(lines):
        heading = HEADING_RE.match(lines[i])
        fence = FENCE_RE.match(lines[i])
        if heading and not lines[i].startswith(' '):
            section = anchor(heading.group(2))
        if not fence:
            i += 1
            continue
        indent, mark, lang = fence.group('indent'), fence.group('fence'), fence.group('lang').lower()
        body, j = [], i + 1
        while j < len(lines) and not lines[j].strip().startswith(mark):
            line = lines[j]
            body.append(line[len(indent):] if line.startswith(indent) else line.lstrip())
            j += 1
        if lang in RUNNABLE_LANGUAGES:
            counts[section] = counts.get(section, 0) + 1
            block_id = '%s#%s' % (rel, section) + ('[%d]' % counts[section] if counts[section] > 1 else '')
            text = '\n'.join(body) + '\n'
            if RUNNABLE_LANGUAGES[lang] == 'yaml':
                kind = yaml_kind(text)
            else:
                kind = 'console'
            blocks.append(Block(block_id, rel, i + 1, kind, text, lang))
        i = j + 1
    return blocks


def document_files(root):
    """README.md, docs/guides/*.md and roles/*/README.md, in a stable order."""
    files = ['README.md'] + sorted(glob.glob(os.path.join(root, 'docs', 'guides', '*.md')))
    files += sorted(glob.glob(os.path.join(root, 'roles', '*', 'README.md')))
    return [os.path.relpath(os.path.join(root, f), root) for f in files if os.path.isfile(os.path.join(root, f))]


def example_playbooks(root):
    """The playbooks of examples/ (README: "More in examples/"); its inventory and data files are not run."""
    found = []
    for path in sorted(glob.glob(os.path.join(root, 'examples', '*.yml'))):
        with open(path) as f:
            text = f.read()
        if yaml_kind(text) == 'playbook':
            rel = os.path.relpath(path, root)
            found.append(Block(rel, rel, 1, 'playbook', text))
    return found


def all_blocks(collection_dir, root):
    blocks = plugin_examples(collection_dir)
    for rel in document_files(root):
        blocks.extend(markdown_blocks(root, rel))
    return blocks + example_playbooks(root)

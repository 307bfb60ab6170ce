# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.twilio contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The estate file, read and written as data on the controller (documentation: plugins/modules/estate_file.py).

Nothing here is a template: the file is written from data, each value serialised by the YAML emitter (comments
too), and read by a YAML loader that never templates; what is read is returned marked unsafe, so that no core
(2.16 to 2.18 template variables; later cores template trusted strings only) ever evaluates a value from Twilio.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import re
import tempfile

import yaml

from ansible.errors import AnsibleActionFail
from ansible.module_utils.common.text.converters import to_text
from ansible.plugins.action import ActionBase
from ansible.utils.unsafe_proxy import wrap_var

from ansible_collections.community.twilio.plugins.module_utils._kinds import MASK, secret_parts

try:
    from yaml import CSafeLoader as SafeLoader
except ImportError:  # pragma: no cover - libyaml is optional
    from yaml import SafeLoader


# BEGIN generated: the export's field lists, by scripts/role_spec.py from the modules' options (make docs-generate)
SERVICE_FIELDS = ('chat_instance_sid', 'default_ttl', 'geo_match_level', 'number_selection_behavior')
URL_FIELDS = ('callback_url', 'intercept_callback_url', 'out_of_session_callback_url')
PARTICIPANT_FIELDS = ('friendly_name', 'proxy_identifier')
SESSION_FIELDS = ('date_expiry', 'mode', 'ttl')
# END generated

HEADER = u'''\
# Twilio Proxy estate, written by the community.twilio.estate role (export): {count} service(s).
# Converge it with:
#   ansible-playbook community.twilio.converge_estate -e estate_file=PATH
#
# This file is data: it is read without templating, so no value in it (or from Twilio) is ever run as Jinja.
# A callback URL with a password is given from a variable by name: callback_url: {{var: vault_NAME}}.
# Every key is an option of the module that converges it, with a value that module takes:
#   a service: community.twilio.proxy_service; its pool: community.twilio.proxy_pool;
#   its sessions: community.twilio.proxy_sessions (one run per service).
# A key left out is not managed: converging never changes it. An optional value not set on Twilio is left out.
# Nothing is removed unless this file says so: pool purge (false below), a service's purge_participants, or
# state: absent on a service (status: closed closes a session).
# Sessions are listed without their status, and missing_sessions: skip means that converging never creates again
# a session that has ended or was deleted since this export (the run lists those it skipped); "create" re-creates
# them. Closed sessions are not exported.
# No secret is written here: a callback URL that carries a secret is left out (a comment says where).
# Participants' identifiers are phone numbers, personal data: keep this file where such data may be kept.
'''


_ESCAPES = {u'\\': u'\\\\', u'"': u'\\"', u'\n': u'\\n', u'\t': u'\\t', u'\r': u'\\r', u'\x00': u'\\0'}


def _escape(char):
    """A character of a double-quoted YAML scalar: as itself when YAML calls it printable (UTF-8 text, emoji
    included), else an escape; the quote, the backslash and every line break are always escaped."""
    if char in _ESCAPES:
        return _ESCAPES[char]
    code = ord(char)
    if (code < 0x20 or 0x7F <= code <= 0x9F or code in (0x2028, 0x2029, 0xFEFF, 0xFFFE, 0xFFFF)
            or 0xD800 <= code <= 0xDFFF):
        return u'\\x%02X' % code if code < 0x100 else u'\\u%04X' % code
    return char


def scalar(value):
    """One YAML scalar on one line: a string double-quoted, so that no value can end a line, start a comment or
    carry a tag; booleans, integers and null as YAML writes them."""
    if value is None:
        return u'null'
    if value is True or value is False:
        return u'true' if value else u'false'
    if isinstance(value, int):
        return u'%d' % value
    return u'"%s"' % u''.join(_escape(char) for char in to_text(value))


def _secret_url(url):
    """A URL that carries a secret (user info, a credential-like parameter; as the _info modules read it, masked):
    the one definition of the modules' redaction."""
    return bool(secret_parts(url)) or MASK in url


def _var_name(service_name, field):
    return u'vault_%s_%s' % (re.sub(r'[^a-z0-9_]', u'_', to_text(service_name).lower()), field)


def _flow(pairs):
    return u'{' + u', '.join(u'%s: %s' % (key, scalar(value)) for key, value in pairs) + u'}'


def _sort_key(*values):
    return tuple(to_text(v) if v is not None else u'' for v in values)


def render(services, include_sessions):
    """The estate file's text from what the _info modules read: ``services`` is a list of
    ``{service, phone_numbers, short_codes, short_codes_status, sessions}`` (``short_codes`` None when Twilio
    did not answer for them, ``sessions`` each with its ``participants``)."""
    entries = sorted(services, key=lambda e: _sort_key(e['service'].get('unique_name'), e['service'].get('sid')))
    out = [HEADER.format(count=len(entries)), u'---\n']
    out.append(u'missing_sessions: skip  # or create: re-create a listed session that ended or was deleted\n')
    if not entries:
        out.append(u'services: []\n')
        return u''.join(out)
    out.append(u'services:\n')
    for entry in entries:
        service = entry['service']
        out.append(u'  - unique_name: %s\n' % scalar(service.get('unique_name')))
        out.append(u'    # sid: %s\n' % scalar(service.get('sid')))
        for field in SERVICE_FIELDS:
            if service.get(field) is not None:
                out.append(u'    %s: %s\n' % (field, scalar(service[field])))
        for field in URL_FIELDS:
            url = service.get(field)
            if url is None:
                continue
            if _secret_url(to_text(url)):
                out.append(u'    # %s is left out: the live URL carries a secret, which this file never holds.\n'
                           u'    # Converging this file leaves the live URL as it is. To manage it here, give it from\n'
                           u'    # a (vault) variable by name, for example:\n'
                           u'    # %s: {var: %s}\n' % (field, field, scalar(_var_name(service.get('unique_name'), field))))
            else:
                out.append(u'    %s: %s\n' % (field, scalar(url)))
        out.append(u'    pool:\n')
        out.append(u'      purge: false  # true removes from the pool the numbers and short codes not listed\n')
        numbers = sorted(entry.get('phone_numbers') or [], key=lambda n: _sort_key(n.get('phone_number'), n.get('sid')))
        if numbers:
            out.append(u'      phone_numbers:\n')
            for number in numbers:
                pairs = [('phone_number', number.get('phone_number')), ('is_reserved', bool(number.get('is_reserved')))]
                out.append(u'        - %s\n' % _flow(pairs))
        else:
            out.append(u'      phone_numbers: []\n')
        codes = entry.get('short_codes')
        if codes is None:
            out.append(u'      # short_codes are left out: Twilio answered %s for this service\'s ShortCodes (a resource\n'
                       u'      # Twilio removed from its API in 2025), so they are not managed.\n'
                       % scalar(entry.get('short_codes_status') or u'an error'))
        elif codes:
            out.append(u'      short_codes:\n')
            for code in sorted(codes, key=lambda c: _sort_key(c.get('sid'))):
                out.append(u'        - %s  # %s\n' % (_flow([('sid', code.get('sid')),
                                                            ('is_reserved', bool(code.get('is_reserved')))]),
                                                      scalar(code.get('short_code'))))
        else:
            out.append(u'      short_codes: []\n')
        if include_sessions:
            sessions = sorted(entry.get('sessions') or [],
                              key=lambda s: (not s.get('unique_name'), _sort_key(s.get('unique_name'), s.get('sid'))))
            out.append(u'    sessions:%s\n' % (u'' if sessions else u' []'))
            for session in sessions:
                if session.get('unique_name'):
                    out.append(u'      - unique_name: %s\n' % scalar(session['unique_name']))
                    out.append(u'        # sid: %s\n' % scalar(session.get('sid')))
                else:
                    out.append(u'      - sid: %s  # no unique name: this entry only fits this account\n'
                               % scalar(session.get('sid')))
                for field in SESSION_FIELDS:
                    if session.get(field) is not None:
                        out.append(u'        %s: %s\n' % (field, scalar(session[field])))
                participants = sorted(session.get('participants') or [],
                                      key=lambda p: _sort_key(p.get('identifier'), p.get('sid')))
                if participants:
                    out.append(u'        participants:\n')
                    for participant in participants:
                        out.append(u'          - identifier: %s\n' % scalar(participant.get('identifier')))
                        for field in PARTICIPANT_FIELDS:
                            if participant.get(field) is not None:
                                out.append(u'            %s: %s\n' % (field, scalar(participant[field])))
    return u''.join(out)


def resolve(path):
    """A relative path is relative to the directory the command ran from (ansible-playbook never changes its
    own working directory; only modules and some lookups run in the playbook's directory)."""
    path = os.path.expanduser(to_text(path))
    return os.path.normpath(os.path.join(os.getcwd(), path))


def read(path):
    try:
        with open(path, 'rb') as handle:
            text = handle.read().decode('utf-8')
    except (IOError, OSError) as exc:
        if not os.path.exists(path):
            raise AnsibleActionFail(u'estate_file: no such file on the controller: %s' % path)
        raise AnsibleActionFail(u'estate_file: cannot read %s: %s' % (path, to_text(exc)))
    except UnicodeDecodeError as exc:
        raise AnsibleActionFail(u'estate_file: %s is not UTF-8 text: %s' % (path, to_text(exc)))
    try:
        data = yaml.load(text, Loader=SafeLoader)  # nosec - a safe loader; never templated
    except yaml.YAMLError as exc:
        raise AnsibleActionFail(u'estate_file: %s is not valid YAML: %s' % (path, to_text(exc)))
    if not isinstance(data, dict):
        raise AnsibleActionFail(u'estate_file: %s does not hold an estate (a mapping with services)' % path)
    return data


def write(path, text, check_mode):
    """Writes ``text`` (mode 0600) unless the file already holds it; returns whether it changed."""
    data = text.encode('utf-8')
    try:
        with open(path, 'rb') as handle:
            if handle.read() == data:
                return False
    except (IOError, OSError):
        pass
    if check_mode:
        return True
    directory = os.path.dirname(path)
    if not os.path.isdir(directory):
        raise AnsibleActionFail(u'estate_file: the directory of %s does not exist' % path)
    handle, temp = tempfile.mkstemp(dir=directory, prefix='.estate-', suffix='.tmp')
    try:
        os.fchmod(handle, 0o600)
        with os.fdopen(handle, 'wb') as stream:
            stream.write(data)
        os.replace(temp, path)
    except Exception:
        if os.path.exists(temp):
            os.unlink(temp)
        raise
    return True


class ActionModule(ActionBase):

    TRANSFERS_FILES = False
    _VALID_ARGS = frozenset(('path', 'services', 'include_sessions'))
    _requires_connection = False

    def run(self, tmp=None, task_vars=None):
        result = super(ActionModule, self).run(tmp, task_vars)
        del tmp
        spec = dict(
            path=dict(type='path', required=True),
            services=dict(type='list', elements='dict'),
            include_sessions=dict(type='bool', default=False),
        )
        dummy, args = self.validate_argument_spec(argument_spec=spec)
        path = resolve(args['path'])
        result['path'] = path
        if args['services'] is None:
            result['estate'] = wrap_var(read(path))
            result['changed'] = False
            return result
        text = render(args['services'], args['include_sessions'])
        result['changed'] = write(path, text, self._task.check_mode)
        return result

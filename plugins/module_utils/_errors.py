# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.twilio contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

# PRIVATE: this module_utils file is internal to community.twilio. It may change or vanish in any release
# without notice; do not import it from other collections.

"""The errors of the collection, as values a module turns into ``fail_json``: :class:`ConfigError` (bad connection
options, before any request), :class:`TwilioApiError` (every way a request can fail) and :class:`EngineError` (a
failure the engine reports). A leaf: it imports nothing of the collection, nor any transport."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.module_utils.six.moves.urllib.parse import urlsplit


class ConfigError(Exception):
    """Bad connection options, found before any request. ``option`` names the culprit."""

    def __init__(self, option, message):
        super(ConfigError, self).__init__('%s: %s' % (option, message))
        self.option = option


class TwilioApiError(Exception):
    """Every way a request can fail, as one value.

    ``status`` is the HTTP status (None when no response came back), ``code`` Twilio's error code,
    ``outcome_unknown`` is true when a write may or may not have happened (timeout, dropped connection, 5xx): the
    retry policy's ``outcome_unknown(method, error)`` decides it.
    """

    def __init__(self, message, status=None, code=None, more_info=None, method=None, url=None,
                 outcome_unknown=False, attempts=1, kind=None):
        super(TwilioApiError, self).__init__(message)
        self.message = message
        self.status = status
        self.code = code
        self.more_info = more_info
        self.method = method
        self.url = url
        self.outcome_unknown = outcome_unknown
        self.attempts = attempts
        self.kind = kind  # the failure without a response (_retry.FAILURES), None when a status came back
        self.earlier_maybe_processed = False  # an earlier attempt of this request may have been acted on

    @property
    def path(self):
        return urlsplit(self.url or '').path or self.url

    def __str__(self):
        where = '%s %s' % (self.method or '', self.path or '')
        if self.status is None:
            head = 'Twilio request failed'
        elif self.code is not None and self.code != self.status:
            head = 'Twilio error %s (HTTP %s)' % (self.code, self.status)
        else:
            head = 'Twilio HTTP %s' % self.status
        text = '%s on %s: %s' % (head, where.strip(), self.message)
        if self.attempts > 1:
            text += ' (after %d attempts)' % self.attempts
        return text

    def as_dict(self):
        return dict(status=self.status, code=self.code, message=self.message, more_info=self.more_info,
                    method=self.method, url=self.path, attempts=self.attempts)


class EngineError(Exception):
    """A failure the engine reports to the user; ``extra`` goes into the result beside ``msg``."""

    def __init__(self, msg, **extra):
        super(EngineError, self).__init__(msg)
        self.extra = extra

# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.twilio contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

# PRIVATE: this module_utils file is internal to community.twilio. It may change or vanish in any release
# without notice; do not import it from other collections.

"""The Twilio Proxy v1 resources, described as data for the engine (one place, shared by every module).

Declarations only: what an attribute of a resource or a field means is in _model.py."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.community.twilio.plugins.module_utils._kinds import CHANNEL_RE, MAX_NAME_LENGTH
from ansible_collections.community.twilio.plugins.module_utils._model import Field, Items, Resource

GEO_MATCH_LEVELS = ['country', 'area-code', 'extended-area-code', 'overlay', 'radius']
NUMBER_SELECTION_BEHAVIORS = ['prefer-sticky', 'avoid-sticky']
SESSION_MODES = ['message-only', 'voice-only', 'voice-and-message']
SESSION_STATUSES = ['open', 'in-progress', 'closed', 'failed', 'unknown']
# Twilio moves a session from open to in-progress by itself on its first interaction: either satisfies the other.
ACTIVE_STATUSES = ('open', 'in-progress')
# Twilio accepts only in-progress (re-open) and closed in an update; open is sent as in-progress.
SETTABLE_STATUSES = ('open', 'in-progress', 'closed')
MAX_PARTICIPANTS = 2
DEFAULT_MODE = 'voice-and-message'  # Twilio's, when a session is created without one


def is_channel(identifier):
    """A channel address (messenger:123), not a phone number."""
    return bool(CHANNEL_RE.match(identifier or '')) and not identifier.startswith('+')


SERVICE = Resource(
    'service', 'Proxy Service', '/Services', 'services', 'KS', key='unique_name', fetch_by_key=True,
    conflict_codes=(80602,),
    fields=[
        Field('unique_name', 'UniqueName', max_length=MAX_NAME_LENGTH, clearable=False),
        Field('callback_url', 'CallbackUrl', kind='url'),
        Field('chat_instance_sid', 'ChatInstanceSid', kind='sid:IS'),
        Field('default_ttl', 'DefaultTtl', type='int', minimum=0),
        Field('geo_match_level', 'GeoMatchLevel', choices=GEO_MATCH_LEVELS),
        Field('intercept_callback_url', 'InterceptCallbackUrl', kind='url'),
        Field('number_selection_behavior', 'NumberSelectionBehavior', choices=NUMBER_SELECTION_BEHAVIORS),
        Field('out_of_session_callback_url', 'OutOfSessionCallbackUrl', kind='url'),
    ])

SERVICE_PARENT = (('service_sid', SERVICE),)

PHONE_NUMBER = Resource(
    'phone_number', 'Proxy phone number', '/Services/{service_sid}/PhoneNumbers', 'phone_numbers', 'PN',
    key='phone_number', parents=SERVICE_PARENT, create_by_sid=True, conflict_codes=(80104,),
    account_index=('IncomingPhoneNumbers.json', 'PhoneNumber', 'incoming_phone_numbers'),
    hint='; a number cannot be swapped in place: remove it (state=absent) and add the other one',
    error_hints={
        # Twilio's message says which cause: the hint follows it, and names both only when it does not.
        80601: [('another Proxy Service', ' (a number belongs to one service only, so remove it there first)'),
                ('not a phone number of this account', ' (this account does not own it)'),
                (None, ' (the number cannot be added to this service: either it is already in another Proxy '
                       'Service, and a number belongs to one service only, so remove it there first; or this '
                       'account does not own it)')],
        80104: ' (the number is already in this service; another run may have added it meanwhile)',
    },
    fields=[
        Field('phone_number', 'PhoneNumber', kind='e164', updatable=False, clearable=False),
        Field('is_reserved', 'IsReserved', type='bool'),
    ])

SHORT_CODE = Resource(
    'short_code', 'Proxy short code', '/Services/{service_sid}/ShortCodes', 'short_codes', 'SC',
    parents=SERVICE_PARENT, create_by_sid=True, conflict_codes=(80105,),
    error_hints={
        80601: ' (the short code is already in another Proxy Service; a short code belongs to one service only, '
               'so remove it there first)',
        80303: ' (this account does not own the short code)',
        80105: ' (the short code is already in this service; another run may have added it meanwhile)',
    },
    fields=[
        Field('is_reserved', 'IsReserved', type='bool'),
    ])

PARTICIPANT_FIELDS = [
    Field('identifier', 'Identifier', kind='identifier', max_length=MAX_NAME_LENGTH, updatable=False,
          clearable=False),
    Field('friendly_name', 'FriendlyName', max_length=255, updatable=False),
    # a pool number (E.164), or a channel's own address for a channel participant
    Field('proxy_identifier', 'ProxyIdentifier', kind='identifier', updatable=False),
    Field('proxy_identifier_sid', 'ProxyIdentifierSid', kind='sid:PN', updatable=False),
]
# What a participant has besides its identifier: what a diff shows and what cannot differ in place.
PARTICIPANT_DETAILS = tuple(field.name for field in PARTICIPANT_FIELDS if field.name != 'identifier')

SESSION = Resource(
    'session', 'Proxy Session', '/Services/{service_sid}/Sessions', 'sessions', 'KC', key='unique_name',
    fetch_by_key=True, parents=SERVICE_PARENT, conflict_codes=(80603,),
    hint='; set recreate=true to delete the session and create it again (its participants and interactions go '
         'with it)',
    fields=[
        Field('unique_name', 'UniqueName', max_length=MAX_NAME_LENGTH, updatable=False, clearable=False),
        Field('date_expiry', 'DateExpiry', kind='instant'),
        Field('ttl', 'Ttl', type='int', minimum=0),
        Field('mode', 'Mode', choices=SESSION_MODES, updatable=False),
        Field('status', 'Status', choices=SESSION_STATUSES, equivalent=[ACTIVE_STATUSES],
              settable=SETTABLE_STATUSES),
        Field('fail_on_participant_conflict', 'FailOnParticipantConflict', type='bool', compare=False),
        Items('participants', 'Participants', PARTICIPANT_FIELDS, key='identifier', maximum=MAX_PARTICIPANTS,
              too_many='a session has at most %d participants (Twilio error 80609), %d given'),
    ])

PARTICIPANT = Resource(
    'participant', 'Proxy Participant', '/Services/{service_sid}/Sessions/{session_sid}/Participants',
    'participants', 'KP', key='identifier', parents=SERVICE_PARENT + (('session_sid', SESSION),),
    conflict_codes=(80103,), soft_deleted=True,
    hint='; Twilio cannot update a participant, and one removed from a session can never be added to it again '
         '(error 80612)',
    fields=PARTICIPANT_FIELDS)

INTERACTION = Resource(
    'interaction', 'Proxy Interaction', '/Services/{service_sid}/Sessions/{session_sid}/Interactions',
    'interactions', 'KI', parents=SERVICE_PARENT + (('session_sid', SESSION),),
    fields=[
        Field('type', 'Type', choices=['message', 'voice', 'unknown'], updatable=False),
    ])

# The account's own numbers, in Twilio's 2010-04-01 API (below /2010-04-01/Accounts/{AccountSid}/, each path with
# ".json"): what incoming_phone_number buys, updates and releases (_numbers.py; the engine's URIs are Proxy's).
INCOMING_PHONE_NUMBER = Resource(
    'phone_number', 'phone number of the account', 'IncomingPhoneNumbers', 'incoming_phone_numbers', 'PN',
    key='phone_number',
    error_hints={
        21631: ' (a number of this country needs an address registered with Twilio: set address_sid)',
        21649: ' (a number of this country needs an approved regulatory bundle: set bundle_sid)',
        21422: ' (the number is not for sale, or someone bought it meanwhile: run the task again to search anew)',
        21452: ' (nothing is on offer with these criteria: widen area_code or contains)',
    },
    fields=[
        Field('phone_number', 'PhoneNumber', kind='e164', updatable=False, clearable=False),
        Field('friendly_name', 'FriendlyName', max_length=64, clearable=False),
        Field('address_sid', 'AddressSid', kind='sid:AD'),
        Field('bundle_sid', 'BundleSid', kind='sid:BU'),
    ])
NUMBER_TYPES = {'local': 'Local', 'mobile': 'Mobile', 'toll_free': 'TollFree'}
NUMBER_CAPABILITIES = {'sms': 'SmsEnabled', 'mms': 'MmsEnabled', 'voice': 'VoiceEnabled'}

"""The route table of the Twilio API the emulator serves: path template (the spec's own) -> method -> handler."""

from .handlers import account, interactions, participants, pool, purchases, services, sessions

_SVC = "/v1/Services/{ServiceSid}"
_SES = _SVC + "/Sessions/{SessionSid}"
_PART = _SES + "/Participants/{ParticipantSid}"
_ACC = "/2010-04-01/Accounts/{AccountSid}"

ROUTES = [
    ("/v1/Services", {"GET": services.list_services, "POST": services.create_service}),
    ("/v1/Services/{Sid}", {"GET": services.fetch_service, "POST": services.update_service,
                            "DELETE": services.delete_service}),
    (_SVC + "/PhoneNumbers", {"GET": pool.list_phone_numbers, "POST": pool.create_phone_number}),
    (_SVC + "/PhoneNumbers/{Sid}", {"GET": pool.fetch_phone_number, "POST": pool.update_phone_number,
                                    "DELETE": pool.delete_phone_number}),
    (_SVC + "/ShortCodes", {"GET": pool.list_short_codes, "POST": pool.create_short_code}),
    (_SVC + "/ShortCodes/{Sid}", {"GET": pool.fetch_short_code, "POST": pool.update_short_code,
                                  "DELETE": pool.delete_short_code}),
    (_SVC + "/Sessions", {"GET": sessions.list_sessions, "POST": sessions.create_session}),
    (_SVC + "/Sessions/{Sid}", {"GET": sessions.fetch_session, "POST": sessions.update_session,
                                "DELETE": sessions.delete_session}),
    (_SES + "/Participants", {"GET": participants.list_participants, "POST": participants.create_participant}),
    (_SES + "/Participants/{Sid}", {"GET": participants.fetch_participant,
                                    "DELETE": participants.delete_participant}),
    (_SES + "/Interactions", {"GET": interactions.list_interactions}),
    (_SES + "/Interactions/{Sid}", {"GET": interactions.fetch_interaction,
                                    "DELETE": interactions.delete_interaction}),
    (_PART + "/MessageInteractions", {"GET": interactions.list_message_interactions,
                                      "POST": interactions.create_message_interaction}),
    (_PART + "/MessageInteractions/{Sid}", {"GET": interactions.fetch_message_interaction}),
    (_ACC + "/IncomingPhoneNumbers.json", {"GET": account.list_incoming_numbers,
                                           "POST": purchases.create_incoming_number}),
    (_ACC + "/IncomingPhoneNumbers/{Sid}.json", {"GET": account.fetch_incoming_number,
                                                 "POST": purchases.update_incoming_number,
                                                 "DELETE": purchases.delete_incoming_number}),
    (_ACC + "/AvailablePhoneNumbers/{CountryCode}/Local.json", {"GET": purchases.available_local}),
    (_ACC + "/AvailablePhoneNumbers/{CountryCode}/Mobile.json", {"GET": purchases.available_mobile}),
    (_ACC + "/AvailablePhoneNumbers/{CountryCode}/TollFree.json", {"GET": purchases.available_toll_free}),
    (_ACC + "/SMS/ShortCodes.json", {"GET": account.list_account_short_codes}),
]

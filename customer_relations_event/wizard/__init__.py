from . import customer_event_invite

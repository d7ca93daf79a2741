from . import (
    customer_event_invitation,
    event_event,
    event_lead_rule,
    event_registration,
    res_partner,
)

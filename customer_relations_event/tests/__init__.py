from . import (
    test_customer_event_access,
    test_customer_event_invitation,
    test_customer_event_invite,
    test_customer_event_ui,
)

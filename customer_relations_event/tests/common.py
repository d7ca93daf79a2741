from datetime import datetime, timedelta

from odoo.tests import new_test_user

from odoo.addons.customer_relations.tests.common import CustomerRelationsCommon


class CustomerEventCommon(CustomerRelationsCommon):
    """The accounts of ``CustomerRelationsCommon`` with emails, a tier and a
    contact for events, an event user, and an event next week.

    =================  ============  ==============================  ==========
    account            tier          invitation goes to              mine for
    =================  ============  ==============================  ==========
    account_own_kam    Strategic     contact_own_kam (its contact)   user_own
    account_own_sales  Key Account   nobody: no email                user_own
    account_other_kam  Strategic     its own address, blacklisted    user_all
    account_individual  -            its own address                 user_own
    =================  ============  ==============================  ==========
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_event = new_test_user(
            cls.env,
            login="cr_event_user",
            name="Eve Event Organizer",
            groups="event.group_event_user",
        )
        cls.tier_strategic = cls.env.ref("customer_relations.customer_tier_strategic")
        cls.tier_key = cls.env.ref("customer_relations.customer_tier_key")
        cls.account_own_kam.email = "own.kam@example.com"
        cls.contact_own_kam.email = "olivia@own-kam.example.com"
        cls.account_own_kam.customer_event_contact_id = cls.contact_own_kam
        cls.account_other_kam.email = "other.kam@example.com"
        cls.env["mail.blacklist"].sudo()._add("other.kam@example.com")
        cls.account_individual.email = "ivan@example.com"
        for account, tier in (
            (cls.account_own_kam, cls.tier_strategic),
            (cls.account_own_sales, cls.tier_key),
            (cls.account_other_kam, cls.tier_strategic),
        ):
            account.write(
                {
                    "customer_tier_id": tier.id,
                    "customer_tier_locked": True,
                    "customer_tier_lock_reason": "Test",
                }
            )
        cls.category_fair = cls.env["res.partner.category"].create({"name": "Fairs"})
        cls.account_individual.category_id = cls.category_fair
        cls.event = cls._create_event("Design Fair", days=7)

    @classmethod
    def _create_event(cls, name, days, company=None):
        begin = datetime.now().replace(microsecond=0) + timedelta(days=days)
        return cls.env["event.event"].create(
            {
                "name": name,
                "date_begin": begin,
                "date_end": begin + timedelta(hours=8),
                "user_id": cls.user_manager.id,
                "company_id": (company or cls.env.company).id,
            }
        )

    def _invite(self, event=None, user=None, **criteria):
        """Run the invite wizard as ``user`` with ``criteria`` (ids)."""
        Wizard = self.env["customer.event.invite"]
        if user:
            Wizard = Wizard.with_user(user)
        wizard = Wizard.create(
            {
                "event_id": (event or self.event).id,
                **{
                    field: [(6, 0, ids)]
                    for field, ids in criteria.items()
                    if field.endswith("_ids")
                },
            }
        )
        wizard.action_invite()
        return wizard

    def _invitation(self, account, event=None):
        return self.env["customer.event.invitation"].search(
            [
                ("event_id", "=", (event or self.event).id),
                ("partner_id", "=", account.id),
            ]
        )

    def _register(self, email, event=None, state="open", **values):
        return (
            self.env["event.registration"]
            .with_user(self.user_event)
            .create(
                {
                    "event_id": (event or self.event).id,
                    "name": values.pop("name", email),
                    "email": email,
                    "state": state,
                    **values,
                }
            )
        )

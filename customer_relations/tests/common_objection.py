from datetime import datetime

from odoo import Command

from .common import CustomerRelationsCommon

# A Friday, 15:00 UTC: two working hours left before the weekend.
FRIDAY_3PM = datetime(2026, 11, 27, 15, 0)


class ObjectionCommon(CustomerRelationsCommon):
    """Objections on top of the accounts: a UTC 8-12 / 13-17 calendar in both
    companies, a 16 working hours default, a sales team led by user_all."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the database's own objections (its demo data) are archived: the
        # escalation cron sees only the tests' objections
        cls.env["customer.objection"].search([]).write({"active": False})
        cls.calendar = cls.env["resource.calendar"].create(
            {
                "name": "Objections 40h UTC",
                "tz": "UTC",
                "company_id": False,
                "attendance_ids": [
                    Command.create(
                        {
                            "name": f"Day {day} {start}",
                            "dayofweek": str(day),
                            "hour_from": start,
                            "hour_to": start + 4,
                            "day_period": "morning" if start < 12 else "afternoon",
                        }
                    )
                    for day in range(5)
                    for start in (8, 13)
                ],
            }
        )
        (cls.env.company | cls.company_2).write(
            {"resource_calendar_id": cls.calendar.id, "objection_sla_hours": 16.0}
        )
        cls.stage_new = cls.env.ref("customer_relations.customer_objection_stage_new")
        cls.stage_analysis = cls.env.ref(
            "customer_relations.customer_objection_stage_analysis"
        )
        cls.stage_resolved = cls.env.ref(
            "customer_relations.customer_objection_stage_resolved"
        )
        cls.category_price = cls.env.ref(
            "customer_relations.customer_objection_category_price"
        )
        cls.category_delivery = cls.env.ref(
            "customer_relations.customer_objection_category_delivery"
        )
        cls.team = cls.env["crm.team"].create(
            {
                "name": "Key Accounts Team",
                "user_id": cls.user_all.id,
                "member_ids": [Command.link(cls.user_own.id)],
            }
        )

    @classmethod
    def _objection(cls, partner, **values):
        return cls.env["customer.objection"].create(
            {"name": "Too expensive", "partner_id": partner.id, **values}
        )

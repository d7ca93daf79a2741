from odoo import Command
from odoo.tests import HttpCase, new_test_user

from .common import GROUP_CONTACTS, GROUP_OWN


class CustomerPortalCommon(HttpCase):
    """Two customers, each with a portal user: A's contract carries a referral
    clause and has a support plan; each has a complaint and A an objection
    (internal)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        env["loyalty.program"].search([]).write({"active": False})
        cls.manager = new_test_user(
            env,
            login="cr_portal_manager",
            name="Portal Account Manager",
            email="portal.manager@example.com",
            groups=f"{GROUP_OWN},{GROUP_CONTACTS}",
            tour_enabled=False,
        )
        program = env["loyalty.program"].create(
            {
                "name": "Portal referral coupons",
                "program_type": "coupons",
                "reward_ids": [
                    Command.clear(),
                    Command.create(
                        {
                            "reward_type": "discount",
                            "discount": 10,
                            "required_points": 1,
                        }
                    ),
                ],
            }
        )
        cls.clause = env["customer.referral.clause"].create(
            {
                "name": "Portal clause",
                "program_id": program.id,
                "text": "<p>10% off your next order for each new customer.</p>",
            }
        )
        Partner = env["res.partner"]
        cls.account_a, cls.account_b = Partner.create(
            [
                {
                    "name": "Portal Customer Alpha",
                    "is_company": True,
                    "customer_rank": 1,
                    "email": "info@alpha-portal.example.com",
                    "key_account_manager_id": cls.manager.id,
                },
                {
                    "name": "Portal Customer Beta",
                    "is_company": True,
                    "customer_rank": 1,
                    "email": "info@beta-portal.example.com",
                    "vat": "BE0477472701",
                    "key_account_manager_id": cls.manager.id,
                },
            ]
        )
        cls.user_a = new_test_user(
            env,
            login="cr_portal_a",
            password="cr_portal_a",
            name="Alice Alpha",
            email="alice@alpha-portal.example.com",
            groups="base.group_portal",
        )
        cls.user_b = new_test_user(
            env,
            login="cr_portal_b",
            password="cr_portal_b",
            name="Bob Beta",
            email="bob@beta-portal.example.com",
            groups="base.group_portal",
        )
        cls.user_a.partner_id.parent_id = cls.account_a
        cls.user_b.partner_id.parent_id = cls.account_b
        product = env["product.product"].create(
            {"name": "Portal Widget", "list_price": 100.0, "type": "consu"}
        )
        cls.order_a, cls.order_b = env["sale.order"].create(
            [
                {
                    "partner_id": cls.user_a.partner_id.id,
                    "user_id": cls.manager.id,
                    "referral_clause_id": cls.clause.id,
                    "date_order": "2024-06-01 09:00:00",
                    "order_line": [
                        Command.create({"product_id": product.id, "product_uom_qty": 2})
                    ],
                },
                {
                    "partner_id": cls.user_b.partner_id.id,
                    "user_id": cls.manager.id,
                    "order_line": [
                        Command.create({"product_id": product.id, "product_uom_qty": 1})
                    ],
                },
            ]
        )
        (cls.order_a | cls.order_b).action_confirm()
        cls.order_a.date_order = "2024-06-01 09:00:00"
        Objection = env["customer.objection"]
        cls.resolved = env.ref("customer_relations.customer_objection_stage_resolved")
        cls.complaint_a, cls.complaint_b, cls.objection_a = Objection.create(
            [
                {
                    "name": "Scratched widgets",
                    "kind": "complaint",
                    "partner_id": cls.account_a.id,
                    "order_id": cls.order_a.id,
                    "description": "<p>Two widgets arrived scratched.</p>",
                },
                {
                    "name": "Beta late delivery",
                    "kind": "complaint",
                    "partner_id": cls.account_b.id,
                    "order_id": cls.order_b.id,
                    "description": "<p>Beta secret description.</p>",
                },
                {
                    "name": "Alpha price objection",
                    "kind": "objection",
                    "partner_id": cls.account_a.id,
                },
            ]
        )
        cls.complaint_b.message_post(
            body="Beta internal note: discount them",
            subtype_xmlid="mail.mt_note",
            message_type="comment",
        )
        cls.complaint_b.message_post(
            body="Beta public answer: we are on it",
            subtype_xmlid="mail.mt_comment",
            message_type="comment",
        )

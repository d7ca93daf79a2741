from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import Form, tagged, users
from odoo.tools import mute_logger

from .common_objection import ObjectionCommon

MUTED = (
    "odoo.addons.base.models.ir_model",
    "odoo.addons.base.models.ir_rule",
    "odoo.models",
)


@tagged("post_install", "-at_install")
class TestCustomerObjectionAccess(ObjectionCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.objection_own = cls._objection(cls.account_own_kam)
        cls.objection_other = cls._objection(cls.account_other_kam)
        cls.objection_assigned = cls._objection(
            cls.account_unassigned, user_id=cls.user_own.id
        )
        cls.measure = cls.env["customer.objection.action"].create(
            {
                "objection_id": cls.objection_other.id,
                "name": "Check the invoice",
                "user_id": cls.user_none.id,
            }
        )
        cls.other_measure = cls.env["customer.objection.action"].create(
            {
                "objection_id": cls.objection_other.id,
                "name": "Call the customer",
                "user_id": cls.user_all.id,
            }
        )
        cls.objection_c2 = cls._objection(
            cls.account_own_kam, company_id=cls.company_2.id
        )
        cls.objections = (
            cls.objection_own
            | cls.objection_other
            | cls.objection_assigned
            | cls.objection_c2
        )

    def _visible(self):
        return self.env["customer.objection"].search(
            [("id", "in", self.objections.ids)]
        )

    @users("cr_own")
    def test_own_accounts(self):
        self.assertEqual(self._visible(), self.objection_own | self.objection_assigned)
        objection = self.env["customer.objection"].create(
            {"name": "Not now", "partner_id": self.account_own_sales.id}
        )
        self.assertEqual(objection.user_id, self.user_own)
        objection.write({"priority": "1", "description": "<p>Next year</p>"})
        self.env["customer.objection.action"].create(
            {"objection_id": objection.id, "name": "Send a reminder"}
        ).action_done()
        with mute_logger(*MUTED), self.assertRaises(AccessError):
            self.objection_other.with_env(self.env).check_access("read")
        with mute_logger(*MUTED), self.assertRaises(AccessError):
            self.env["customer.objection"].create(
                {"name": "Not mine", "partner_id": self.account_other_kam.id}
            )
        with mute_logger(*MUTED), self.assertRaises(AccessError):
            self.env["customer.objection.category"].create({"name": "Mine"})
        with mute_logger(*MUTED), self.assertRaises(AccessError):
            self.stage_new.with_env(self.env).name = "Renamed"

    @users("cr_all")
    def test_all_accounts(self):
        self.assertEqual(
            self._visible(),
            self.objection_own | self.objection_other | self.objection_assigned,
        )
        self.objection_own.with_env(self.env).stage_id = self.stage_analysis
        with mute_logger(*MUTED), self.assertRaises(AccessError):
            self.env["customer.objection.category"].create({"name": "Mine"})

    @users("cr_manager")
    def test_administrator_configures(self):
        category = self.env["customer.objection.category"].create(
            {"name": "Packaging", "kind": "complaint", "sla_hours": 4.0}
        )
        stage = self.env["customer.objection.stage"].create({"name": "Waiting"})
        self.assertTrue(category.active and stage.active)
        category.action_archive()

    @users("cr_none")
    def test_measure_taker_limited_access(self):
        """An employee of another department given a measure reads its objection
        and marks the measure done, and nothing more."""
        Objection = self.env["customer.objection"]
        self.assertEqual(self._visible(), self.objection_other)
        objection = self.objection_other.with_env(self.env)
        self.assertEqual(objection.name, "Too expensive")
        # the form opens, read-only, with the measures of the case
        form = Form(objection)
        self.assertEqual(form.name, "Too expensive")
        self.assertEqual(objection.action_ids, self.measure | self.other_measure)
        measure = self.measure.with_env(self.env)
        with mute_logger(*MUTED), self.assertRaises(AccessError):
            objection.write({"name": "Changed"})
        with mute_logger(*MUTED), self.assertRaises(AccessError):
            measure.write({"name": "Changed"})
        with mute_logger(*MUTED), self.assertRaises(AccessError):
            measure.write({"state": "done"})
        with mute_logger(*MUTED), self.assertRaises(AccessError):
            Objection.create({"name": "New", "partner_id": self.account_unassigned.id})
        with mute_logger(*MUTED), self.assertRaises(AccessError):
            self.other_measure.with_env(self.env).action_done()
        with mute_logger(*MUTED), self.assertRaises(AccessError):
            measure.unlink()
        measure.action_done()
        self.assertEqual(self.measure.state, "done")
        self.assertEqual(self.other_measure.state, "open")
        self.assertEqual(self.objection_other.name, "Too expensive")

    @users("cr_none")
    def test_employee_without_measure_sees_nothing(self):
        self.measure.sudo().user_id = self.user_all
        self.assertFalse(self._visible())
        # partners and orders open without our fields
        self.assertFalse(self.account_own_kam.with_env(self.env).display_name is False)

    @users("cr_portal")
    def test_portal_sees_nothing(self):
        """A portal user reads the complaints of its own account only (the
        portal's pages, see test_customer_portal), never other accounts'
        objections or complaints, and writes none; measures stay internal."""
        self.assertFalse(self._visible())
        objection = self.objection_own.with_env(self.env)
        with mute_logger(*MUTED), self.assertRaises(AccessError):
            objection.read(["name"])
        with mute_logger(*MUTED), self.assertRaises(AccessError):
            objection.write({"name": "Hacked"})
        with mute_logger(*MUTED), self.assertRaises(AccessError):
            self.env["customer.objection"].create(
                {"name": "Mine", "partner_id": self.env.user.partner_id.id}
            )
        with mute_logger(*MUTED), self.assertRaises(AccessError):
            self.env["customer.objection.action"].search([])

    @users("salesman")
    def test_salesman_forms_still_open(self):
        """Sales users without our groups open orders and partners as before."""
        order_form = Form(self.env["sale.order"])
        order_form.partner_id = self.account_unassigned
        order = order_form.save()
        self.assertTrue(order)
        self.assertNotIn(
            "objection_count",
            self.env["sale.order"].get_views([(False, "form")])["views"]["form"][
                "arch"
            ],
        )

    def test_multi_company(self):
        user = self.user_all
        user.write({"company_ids": [Command.link(self.company_2.id)]})
        Objection = self.env["customer.objection"].with_user(user)
        visible = Objection.with_context(
            allowed_company_ids=[self.env.company.id]
        ).search([("id", "in", self.objections.ids)])
        self.assertNotIn(self.objection_c2, visible)
        visible = Objection.with_context(
            allowed_company_ids=[self.env.company.id, self.company_2.id]
        ).search([("id", "in", self.objections.ids)])
        self.assertIn(self.objection_c2, visible)
        # the company's own default response time
        self.company_2.objection_sla_hours = 4.0
        objection = self._objection(
            self.account_unassigned, company_id=self.company_2.id
        )
        self.assertEqual(objection.sla_hours, 4.0)
        self.assertTrue(objection.reference)
        hidden = Objection.with_context(
            allowed_company_ids=[self.env.company.id]
        ).browse(self.objection_c2.id)
        with mute_logger(*MUTED), self.assertRaises(AccessError):
            hidden.check_access("read")

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common_support import SupportCommon


@tagged("post_install", "-at_install")
class TestCustomerSupportAccess(SupportCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_warehouse = new_test_user(
            cls.env,
            login="cr_warehouse",
            name="Walter Warehouse",
            groups="base.group_user",
        )
        cls.order_own = cls._order(cls.account_own_kam)
        cls.order_other = cls._order(cls.account_other_kam)
        (cls.order_own + cls.order_other).action_confirm()
        cls.plan_own = cls.order_own.support_plan_id
        cls.plan_other = cls.order_other.support_plan_id
        # the delivery check of the own account's plan is the warehouse's
        cls.step_warehouse = cls.plan_own.step_ids.filtered(
            lambda s: s.name == "Contractual rights review"
        )
        cls.step_warehouse.user_id = cls.user_warehouse

    def test_account_manager_own_plans(self):
        Plan = self.env["customer.support.plan"].with_user(self.user_own)
        self.assertEqual(Plan.search([]), self.plan_own)
        Step = self.env["customer.support.step"].with_user(self.user_own)
        self.assertEqual(Step.search([]), self.plan_own.step_ids)
        kickoff = self.plan_own.step_ids.filtered(lambda s: s.name == "Kick-off call")
        kickoff.with_user(self.user_own).action_done()
        self.assertEqual(kickoff.state, "done")
        # someone else's step of their account
        self.step_warehouse.with_user(self.user_own)._skip("Checked with Walter")
        self.assertEqual(self.step_warehouse.state, "skipped")
        other = self.plan_other.step_ids.filtered(lambda s: s.name == "Kick-off call")
        with mute_logger("odoo.models"), self.assertRaises(AccessError):
            other.with_user(self.user_own).action_done()
        with mute_logger("odoo.models"), self.assertRaises(AccessError):
            self.plan_other.with_user(self.user_own).read(["state"])
        # the sale order's button and the partner's count
        self.assertEqual(
            self.order_own.with_user(self.user_own).support_plan_id, self.plan_own
        )
        self.assertEqual(
            self.account_own_kam.with_user(self.user_own).support_plan_count, 1
        )

    def test_all_accounts_user(self):
        Plan = self.env["customer.support.plan"].with_user(self.user_all)
        mine = self.plan_own | self.plan_other
        self.assertEqual(Plan.search([("id", "in", mine.ids)]), mine)
        self.assertEqual(
            Plan.search_count([]),
            self.env["customer.support.plan"].sudo().search_count([]),
            "every plan",
        )
        with mute_logger("odoo.models"), self.assertRaises(AccessError):
            self.env["customer.support.workflow"].with_user(self.user_all).create(
                {"name": "Mine"}
            )

    def test_other_department_limited_access(self):
        Step = self.env["customer.support.step"].with_user(self.user_warehouse)
        # their step and, read only, the other steps of its plan
        self.assertEqual(Step.search([]), self.plan_own.step_ids)
        self.assertEqual(
            Step.search([("user_id", "=", self.user_warehouse.id)]), self.step_warehouse
        )
        Plan = self.env["customer.support.plan"].with_user(self.user_warehouse)
        self.assertEqual(Plan.search([]), self.plan_own)
        self.plan_own.with_user(self.user_warehouse).web_read(
            {"state": {}, "step_ids": {"fields": {"name": {}, "state": {}}}}
        )
        # may not change the plan nor steps directly, nor read the others
        with mute_logger("odoo.models"), self.assertRaises(AccessError):
            self.plan_own.with_user(self.user_warehouse).write({"user_id": False})
        with mute_logger("odoo.models"), self.assertRaises(AccessError):
            self.step_warehouse.with_user(self.user_warehouse).write({"note": "x"})
        with mute_logger("odoo.models"), self.assertRaises(AccessError):
            self.plan_other.with_user(self.user_warehouse).read(["state"])
        kickoff = self.plan_own.step_ids.filtered(lambda s: s.name == "Kick-off call")
        with mute_logger("odoo.models"), self.assertRaises(AccessError):
            kickoff.with_user(self.user_warehouse).action_done()
        # but completes their own step
        self.step_warehouse.with_user(self.user_warehouse).action_done(
            note="Prices and discounts applied"
        )
        self.assertEqual(self.step_warehouse.state, "done")
        self.assertEqual(self.step_warehouse.done_user_id, self.user_warehouse)

    def test_administrator_configures_workflows(self):
        Workflow = self.env["customer.support.workflow"].with_user(self.user_manager)
        workflow = Workflow.create({"name": "Premium"})
        workflow.step_ids = [(0, 0, {"name": "Visit", "deadline_days": 7})]
        self.assertEqual(workflow.step_count, 1)
        with mute_logger("odoo.models"), self.assertRaises(AccessError):
            self.env["customer.support.workflow"].with_user(self.user_own).create(
                {"name": "Mine"}
            )

    def test_no_group_and_portal_see_nothing(self):
        self.assertFalse(
            self.env["customer.support.plan"].with_user(self.user_none).search([])
        )
        for model in ("customer.support.plan", "customer.support.step"):
            with mute_logger("odoo.models"), self.assertRaises(AccessError):
                self.env[model].with_user(self.user_portal).search([])
        # the order form still reads for a salesman without our groups
        salesman = new_test_user(
            self.env,
            login="cr_salesman",
            groups="sales_team.group_sale_salesman_all_leads",
        )
        self.order_own.with_user(salesman).read(["name", "state"])

    def test_salesman_confirms_without_our_groups(self):
        salesman = new_test_user(
            self.env,
            login="cr_salesman2",
            groups="sales_team.group_sale_salesman_all_leads",
        )
        order = self._order(self.account_own_kam, user=salesman)
        order.with_user(salesman).action_confirm()
        self.assertEqual(order.support_plan_id.state, "in_progress")
        order.with_user(salesman)._action_cancel()
        self.assertEqual(order.support_plan_ids.state, "cancelled")

    def test_multi_company(self):
        order = self._order(self.account_own_kam, company_id=self.company_2.id)
        order.action_confirm()
        plan = order.support_plan_id
        self.assertEqual(plan.company_id, self.company_2)
        self.assertEqual(plan.step_ids.company_id, self.company_2)
        Plan = self.env["customer.support.plan"].with_user(self.user_all)
        self.assertNotIn(plan, Plan.search([]))
        self.user_all.company_ids |= self.company_2
        self.assertIn(
            plan,
            Plan.with_context(
                allowed_company_ids=[self.env.company.id, self.company_2.id]
            ).search([]),
        )
        # a workflow of company 2 does not apply in company 1
        self.workflow_standard.company_id = self.company_2
        other = self._order(self.account_own_kam)
        other.action_confirm()
        self.assertFalse(other.support_plan_id)

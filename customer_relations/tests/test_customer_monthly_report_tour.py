from dateutil.relativedelta import relativedelta

from odoo import Command, fields
from odoo.tests import HttpCase, new_test_user, tagged

from .common import GROUP_CONTACTS, GROUP_MANAGER, GROUP_OWN


@tagged("post_install", "-at_install")
class TestCustomerMonthlyReportTour(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.account_manager = new_test_user(
            cls.env,
            login="cr_tour_report",
            password="cr_tour_report",
            name="Tour Report Manager",
            groups=f"{GROUP_OWN},{GROUP_CONTACTS}",
            tour_enabled=False,
        )
        cls.reviewer = new_test_user(
            cls.env,
            login="cr_tour_report_reviewer",
            name="Tour Report Reviewer",
            groups=f"{GROUP_MANAGER},{GROUP_CONTACTS}",
        )
        cls.env["crm.team"].create(
            {
                "name": "Tour Report Team",
                "user_id": cls.reviewer.id,
                "member_ids": [Command.link(cls.account_manager.id)],
            }
        )
        account = cls.env["res.partner"].create(
            {
                "name": "Tour Report Company",
                "is_company": True,
                "customer_rank": 1,
                "key_account_manager_id": cls.account_manager.id,
            }
        )
        product = cls.env["product.product"].create(
            {"name": "Tour Report Product", "list_price": 100.0}
        )
        order = cls.env["sale.order"].create(
            {
                "partner_id": account.id,
                "order_line": [Command.create({"product_id": product.id})],
            }
        )
        order.action_confirm()
        # last month's order, and one this month
        today = fields.Date.today()
        month = today.replace(day=1)
        order.date_order = fields.Datetime.to_datetime(month - relativedelta(days=3))
        this_month = order.copy()
        this_month.order_line.product_uom_qty = 3
        this_month.action_confirm()
        cls.env["customer.manager.kpi"]._cron_refresh()
        cls.report = (
            cls.env["customer.monthly.report"]
            ._cron_create_monthly_reports(today=today)
            .filtered(lambda r: r.user_id == cls.account_manager)
        )

    def test_write_and_submit_tour(self):
        self.assertEqual(self.report.state, "draft")
        self.start_tour(
            "/odoo", "customer_relations_monthly_report_tour", login="cr_tour_report"
        )
        self.assertEqual(self.report.state, "submitted")
        self.assertIn("call the lost account", self.report.analysis)
        self.assertEqual(self.report.reviewer_ids, self.reviewer)

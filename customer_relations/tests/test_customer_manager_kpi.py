from datetime import date, datetime

import psycopg2

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged
from odoo.tools import SQL, mute_logger

from .access_coverage import covers
from .common import GROUP_CONTACTS, GROUP_OWN
from .common_support import SupportCommon

MUTED = ("odoo.models", "odoo.addons.base.models.ir_rule")
# The month of the hand-built data set, and its windows:
#   last 12 months     2023-07-01 .. 2024-06-30
#   previous 12 months 2022-07-01 .. 2023-06-30
MONTH = date(2024, 6, 1)
JULY_FIRST = date(2024, 7, 1)


class KpiCommon(SupportCommon):
    """A month of user_own's work built by hand, each figure with its expected
    value:

    ============================  ==============================  ============
    account (user_own's)          confirmed orders                counts as
    ============================  ==============================  ============
    account_own_kam (and contact) 2023-01-15, 2024-03-05,         repeat,
                                  2024-06-10, 2024-06-12 (contact) retained
    account_own_sales             2023-06-30 23:59 (last second    lost
                                  of the previous 12 months)
    account_individual            2024-06-20 (its first)          new customer
    account_boundary              2022-07-01 00:00, 2023-07-01    retained
                                  00:00 (first second of each)
    ============================  ==============================  ============

    account_other_kam (user_all's) orders 2024-06-15. account_own_kam moves to
    user_all after its orders: its past orders stay user_own's.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["customer.monthly.report"].search([]).unlink()
        cls.account_boundary = cls.env["res.partner"].create(
            {
                "name": "Boundary Ltd",
                "is_company": True,
                "customer_rank": 1,
                "key_account_manager_id": cls.user_own.id,
            }
        )
        plan_orders = [
            (cls.account_own_kam, datetime(2023, 1, 15, 10), 1),
            (cls.account_own_kam, datetime(2024, 3, 5, 10), 1),
            (cls.account_own_kam, datetime(2024, 6, 10, 10), 3),
            (cls.contact_own_kam, datetime(2024, 6, 12, 10), 2),
            (cls.account_own_sales, datetime(2023, 6, 30, 23, 59, 59), 1),
            (cls.account_individual, datetime(2024, 6, 20, 10), 4),
            (cls.account_boundary, datetime(2022, 7, 1, 0, 0), 1),
            (cls.account_boundary, datetime(2023, 7, 1, 0, 0), 1),
            (cls.account_other_kam, datetime(2024, 6, 15, 10), 5),
        ]
        Order = cls.env["sale.order"]
        cls.orders = Order
        for partner, _when, qty in plan_orders:
            order = cls._order(partner, qty=qty)
            cls.orders |= order
        cls.orders.action_confirm()
        for order, (_partner, when, _qty) in zip(cls.orders, plan_orders, strict=True):
            order.date_order = when
        cls.order_kam_june = cls.orders[2]
        # accounts change hands: the orders keep who sold them
        cls.account_own_kam.key_account_manager_id = cls.user_all

        # objections of user_own's accounts: two closed in June (one in time,
        # 10 and 30 working hours, the customer very satisfied then
        # dissatisfied), one still open
        Objection = cls.env["customer.objection"]
        cls.env["customer.objection"].search([]).write({"active": False})
        objections = Objection.create(
            [
                {"name": f"Objection {i}", "partner_id": cls.account_own_sales.id}
                for i in range(3)
            ]
        )
        resolved = cls.env.ref("customer_relations.customer_objection_stage_resolved")
        cls.env.flush_all()
        for objection, received, closed, in_time, hours, satisfaction in zip(
            objections,
            ("2024-06-03 09:00", "2024-06-10 09:00", "2024-06-25 09:00"),
            ("2024-06-05 09:00", "2024-06-20 09:00", None),
            (100, 0, 0),
            (10, 30, 0),
            ("4", "1", None),
            strict=True,
        ):
            cls.env.cr.execute(
                SQL(
                    "UPDATE customer_objection SET date_received = %s, "
                    "closed_date = %s, in_time_rate = %s, resolution_hours = %s, "
                    "stage_id = %s, is_closed = %s, satisfaction = %s WHERE id = %s",
                    received,
                    closed,
                    in_time,
                    hours,
                    resolved.id if closed else objection.stage_id.id,
                    bool(closed),
                    satisfaction,
                    objection.id,
                )
            )
        # follow-up steps of user_own's plans: three done in June, two by
        # their deadline
        steps = cls.orders[:3].support_plan_ids.step_ids[:3]
        for step, done, deadline in zip(
            steps,
            ("2024-06-04", "2024-06-10", "2024-06-20"),
            ("2024-06-05", "2024-06-10", "2024-06-15"),
            strict=True,
        ):
            cls.env.cr.execute(
                SQL(
                    "UPDATE customer_support_step SET state = 'done', done_date = %s, "
                    "deadline = %s, account_manager_id = %s WHERE id = %s",
                    done,
                    deadline,
                    cls.user_own.id,
                    step.id,
                )
            )
        # referrals: one registered in June by an account of user_own, rewarded
        # in June
        program = cls.env["loyalty.program"].create(
            {"name": "KPI coupons", "program_type": "coupons"}
        )
        card = cls.env["loyalty.card"].create(
            {"program_id": program.id, "partner_id": cls.account_own_sales.id}
        )
        cls.env["customer.referral"].create(
            {
                "referrer_id": cls.account_own_sales.id,
                "referred_id": cls.env["res.partner"]
                .create({"name": "Referred Prospect", "is_company": True})
                .id,
                "date": "2024-06-08",
                "state": "rewarded",
                "reward_card_id": card.id,
                "reward_value": 25.0,
            }
        )
        cls.env.flush_all()
        cls.env.cr.execute(
            SQL(
                "UPDATE loyalty_card SET create_date = '2024-06-18 10:00' "
                "WHERE id = %s",
                card.id,
            )
        )
        # opportunities of user_own: two won, one lost in June
        leads = cls.env["crm.lead"].create(
            [
                {
                    "name": f"Deal {i}",
                    "type": "opportunity",
                    "user_id": cls.user_own.id,
                    "partner_id": cls.account_own_sales.id,
                }
                for i in range(3)
            ]
        )
        leads[:2].action_set_won()
        leads[2].action_set_lost()
        cls.env.flush_all()
        cls.env.cr.execute(
            SQL(
                "UPDATE crm_lead SET date_closed = '2024-06-14 12:00' "
                "WHERE id = ANY(%s)",
                leads.ids,
            )
        )
        cls.env.invalidate_all()
        cls.Kpi = cls.env["customer.manager.kpi"]
        cls.Kpi._refresh_months([MONTH])
        cls.row = cls.Kpi.search(
            [("user_id", "=", cls.user_own.id), ("date", "=", MONTH)]
        )

    def _leader(self):
        leader = new_test_user(
            self.env,
            login="cr_kpi_leader",
            name="Lea Leader",
            groups=f"{GROUP_OWN},{GROUP_CONTACTS}",
        )
        self.env["crm.team"].create(
            {
                "name": "Leader's Team",
                "user_id": leader.id,
                "member_ids": [Command.link(self.user_own.id)],
            }
        )
        return leader


@tagged("post_install", "-at_install")
class TestCustomerManagerKpi(KpiCommon):
    def test_account_manager_frozen_on_orders(self):
        self.assertEqual(self.order_kam_june.account_manager_id, self.user_own)
        self.assertEqual(self.orders[-1].account_manager_id, self.user_all)
        # a new order of the account that changed hands is user_all's
        order = self._order(self.account_own_kam)
        order.action_confirm()
        self.assertEqual(order.account_manager_id, self.user_all)

    def test_backfill(self):
        self.env.cr.execute(
            SQL(
                "UPDATE sale_order SET account_manager_id = NULL WHERE id = ANY(%s)",
                self.orders.ids,
            )
        )
        self.env.invalidate_all()
        filled = self.env["sale.order"]._backfill_account_manager()
        self.assertGreaterEqual(filled, len(self.orders))
        # from the account's manager now
        self.assertEqual(self.order_kam_june.account_manager_id, self.user_all)
        self.assertEqual(self.orders[4].account_manager_id, self.user_own)

    def test_one_row_per_manager_company_month(self):
        self.assertEqual(len(self.row), 1)
        self.assertEqual(self.row.company_id, self.env.company)
        other = self.Kpi.search(
            [("user_id", "=", self.user_all.id), ("date", "=", MONTH)]
        )
        self.assertEqual(len(other), 1)
        self.assertEqual(other.revenue, 500.0)
        # recomputing replaces the rows
        self.Kpi._refresh_months([MONTH])
        self.assertEqual(
            self.Kpi.search_count(
                [("user_id", "=", self.user_own.id), ("date", "=", MONTH)]
            ),
            1,
        )

    def test_sales_figures(self):
        row = self.row
        # June: 300 + 200 (the contact's) + 400
        self.assertEqual(row.revenue, 900.0)
        # ordered in the last 12 months: own_kam, individual, boundary
        self.assertEqual(row.account_count, 3)
        # own_kam has three orders in the last 12 months
        self.assertEqual(row.repeat_account_count, 1)
        self.assertAlmostEqual(row.repeat_rate, 33.33)
        # own_kam and boundary (2022-07-01 00:00, then 2023-07-01 00:00)
        self.assertEqual(row.retained_count, 2)
        # own_sales: its order at 2023-06-30 23:59:59, none since
        self.assertEqual(row.lost_count, 1)
        self.assertEqual(row.new_customer_count, 1)

    def test_boundary_of_the_last_12_months(self):
        """One second later, the order of own_sales is in the last 12 months:
        retained, not lost."""
        self.orders[4].date_order = datetime(2023, 7, 1, 0, 0, 0)
        self.Kpi._refresh_months([MONTH])
        row = self.Kpi.search(
            [("user_id", "=", self.user_own.id), ("date", "=", MONTH)]
        )
        self.assertEqual(row.lost_count, 0)
        self.assertEqual(row.retained_count, 2)  # own_sales has nothing before
        self.assertEqual(row.account_count, 4)

    def test_other_figures(self):
        row = self.row
        self.assertEqual(row.objection_count, 3)
        self.assertEqual(row.objection_closed_count, 2)
        self.assertAlmostEqual(row.objection_in_time_rate, 50.0)
        self.assertAlmostEqual(row.objection_resolution_hours, 20.0)
        self.assertAlmostEqual(row.satisfied_rate, 50.0)
        self.assertEqual(row.step_done_count, 3)
        self.assertAlmostEqual(row.step_on_time_rate, 66.67)
        self.assertEqual(row.referral_registered_count, 1)
        self.assertEqual(row.referral_rewarded_count, 1)
        self.assertEqual(row.won_count, 2)
        self.assertEqual(row.lost_deal_count, 1)
        self.assertAlmostEqual(row.win_rate, 66.67)

    def test_overdue_plan_reviews(self):
        """Active plans whose next review had passed by the month's end."""
        Plan = self.env["customer.account.plan"]
        plans = Plan.create(
            [
                {"partner_id": account.id, "date_start": start, "date_end": end}
                for account, start, end in (
                    (self.account_boundary, "2024-01-01", "2024-12-31"),
                    (self.account_individual, "2024-01-01", "2024-12-31"),
                    (self.account_own_sales, "2024-01-01", "2024-12-31"),
                )
            ]
        )
        # the review dates only the code sets: overdue (the last day of the
        # month), due after the month, and overdue but archived
        for plan, review in zip(
            plans, ("2024-06-30", "2024-07-01", "2024-05-01"), strict=True
        ):
            self.env.cr.execute(
                SQL(
                    "UPDATE customer_account_plan SET next_review_date = %s "
                    "WHERE id = %s",
                    review,
                    plan.id,
                )
            )
        plans.invalidate_recordset(["next_review_date"])
        self.env.cr.execute(
            SQL(
                "UPDATE customer_account_plan SET active = FALSE WHERE id = %s",
                plans[2].id,
            )
        )
        plans.invalidate_recordset(["active"])
        self.Kpi._refresh_months([MONTH])
        row = self.Kpi.search(
            [("user_id", "=", self.user_own.id), ("date", "=", MONTH)]
        )
        self.assertEqual(row.overdue_review_count, 1)
        # frozen on the monthly report under the same name
        self.assertIn(
            "overdue_review_count", self.env["customer.monthly.report"]._fields
        )

    def test_revenue_equals_sales_analysis(self):
        for user in (self.user_own, self.user_all):
            [[expected]] = self.env["sale.report"]._read_group(
                [
                    ("account_manager_id", "=", user.id),
                    ("state", "=", "sale"),
                    ("company_id", "=", self.env.company.id),
                    ("date", ">=", "2024-06-01"),
                    ("date", "<", "2024-07-01"),
                ],
                aggregates=["price_subtotal:sum"],
            )
            [[revenue]] = self.Kpi._read_group(
                [("user_id", "=", user.id), ("date", "=", MONTH)],
                aggregates=["revenue:sum"],
            )
            self.assertAlmostEqual(revenue, expected, places=2)

    def test_trends(self):
        self.Kpi._refresh_months([date(2024, 7, 1)])
        july = self.Kpi.search(
            [("user_id", "=", self.user_own.id), ("date", "=", date(2024, 7, 1))]
        )
        self.assertEqual(self.row.revenue_trend, "up")  # nothing in May
        self.assertEqual(july.previous_revenue, 900.0)
        self.assertEqual(july.revenue_trend, "down")  # nothing in July
        self.assertEqual(july.repeat_trend, "up")  # 1 of 2 accounts, was 1 of 3

    # ------------------------------------------------------------------
    # Access
    # ------------------------------------------------------------------

    @mute_logger(*MUTED)
    def test_access(self):
        rows = self.Kpi.search([("date", "=", MONTH)])
        own = rows.filtered(lambda r: r.user_id == self.user_own)
        # the account manager reads their own rows only
        self.assertEqual(
            self.Kpi.with_user(self.user_own).search([("id", "in", rows.ids)]), own
        )
        with self.assertRaises(AccessError):
            (rows - own).with_user(self.user_own).read(["revenue"])
        # the team's leader reads the team's rows
        self.assertEqual(
            self.Kpi.with_user(self._leader()).search([("id", "in", rows.ids)]), own
        )
        # "All Accounts" and administrators read everyone's
        for user in (self.user_all, self.user_manager):
            self.assertEqual(
                self.Kpi.with_user(user).search([("id", "in", rows.ids)]), rows
            )
        # nobody writes, creates or deletes them
        for user in (self.user_own, self.user_all, self.user_manager):
            with self.assertRaises(AccessError):
                own.with_user(user).write({"revenue": 1.0})
            with self.assertRaises(AccessError):
                self.Kpi.with_user(user).create({"user_id": user.id})
            with self.assertRaises(AccessError):
                own.with_user(user).unlink()
        for user in (self.user_none, self.user_portal):
            with self.assertRaises(AccessError):
                self.Kpi.with_user(user).search([])

    @mute_logger(*MUTED)
    def test_multi_company(self):
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "UPDATE customer_manager_kpi SET company_id = %s WHERE user_id = %s",
                self.company_2.id,
                self.user_all.id,
            )
        )
        self.env.invalidate_all()
        rows = self.Kpi.search([("date", "=", MONTH)])
        seen = self.Kpi.with_user(self.user_all).search([("id", "in", rows.ids)])
        self.assertNotIn(self.user_all, seen.user_id)
        self.assertIn(self.user_own, seen.user_id)

    def _sees_menu(self, user, xmlid):
        visible = self.env["ir.ui.menu"].with_user(user)._visible_menu_ids()
        menu = self.env.ref(xmlid)
        return all(int(i) in visible for i in menu.parent_path.split("/")[:-1])

    def test_menus(self):
        my = "customer_relations.customer_manager_kpi_menu_my"
        report = "customer_relations.customer_manager_kpi_menu_report"
        self.assertTrue(self._sees_menu(self.user_own, my))
        self.assertFalse(self._sees_menu(self.user_own, report))
        self.assertTrue(self._sees_menu(self.user_all, report))
        self.assertFalse(self._sees_menu(self.user_none, my))

    def test_pivot_by_manager_and_month(self):
        groups = self.Kpi.with_user(self.user_all).read_group(
            [("date", ">=", "2024-01-01")],
            ["revenue:sum", "repeat_rate:avg"],
            ["user_id", "date:month"],
            lazy=False,
        )
        june = {
            g["user_id"][0]: g["revenue"]
            for g in groups
            if g["date:month"] == "June 2024"
        }
        self.assertEqual(june[self.user_own.id], 900.0)
        self.assertEqual(june[self.user_all.id], 500.0)


@tagged("post_install", "-at_install")
class TestCustomerMonthlyReport(KpiCommon):
    """The monthly cron over the same month, and the report's review."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Report = cls.env["customer.monthly.report"]
        cls.leader = new_test_user(
            cls.env,
            login="cr_report_leader",
            name="Rita Reviewer",
            groups=f"{GROUP_OWN},{GROUP_CONTACTS}",
        )
        cls.env["crm.team"].create(
            {
                "name": "Reviewed Team",
                "user_id": cls.leader.id,
                "member_ids": [Command.link(cls.user_own.id)],
            }
        )
        # a manager who joined on 2024-06-16: their first order then
        cls.newcomer = new_test_user(
            cls.env,
            login="cr_newcomer",
            name="Nick Newcomer",
            groups=f"{GROUP_OWN},{GROUP_CONTACTS}",
        )
        newcomer_account = cls.env["res.partner"].create(
            {
                "name": "Newcomer's Account",
                "is_company": True,
                "key_account_manager_id": cls.newcomer.id,
            }
        )
        order = cls._order(newcomer_account)
        order.action_confirm()
        order.date_order = datetime(2024, 6, 16, 9, 0)
        cls.reports = cls.Report._cron_create_monthly_reports(today=JULY_FIRST)
        cls.report = cls.reports.filtered(lambda r: r.user_id == cls.user_own)
        cls.report_other = cls.reports.filtered(lambda r: r.user_id == cls.user_all)

    def _submit(self, report, user):
        report.with_user(user).analysis = "<p>Repeat orders up, one account lost.</p>"
        report.with_user(user).action_submit()

    def test_cron_creates_frozen_drafts(self):
        report = self.report
        self.assertEqual(len(report), 1)
        self.assertEqual(report.state, "draft")
        self.assertEqual((report.date_from, report.date_to), (MONTH, date(2024, 6, 30)))
        self.assertEqual(report.revenue, 900.0)
        self.assertEqual(report.lost_count, 1)
        self.assertAlmostEqual(report.repeat_rate, 33.33)
        self.assertEqual(report.won_count, 2)
        top = report.snapshot["top"]
        self.assertEqual(
            [line["name"] for line in top], ["Own KAM Inc", "Ivan Individual"]
        )
        self.assertEqual(top[0]["revenue"], 500.0)
        self.assertEqual(
            [line["name"] for line in report.snapshot["lost"]], ["Own Salesperson Ltd"]
        )
        self.assertEqual(len(report.snapshot["referrals"]), 1)
        self.assertEqual(len(report.snapshot["history"]), 6)
        self.assertIn("Own KAM Inc", report.snapshot_html)
        # the newcomer's report starts on their first day
        newcomer = self.reports.filtered(lambda r: r.user_id == self.newcomer)
        self.assertEqual(newcomer.date_from, date(2024, 6, 16))

    def test_cron_idempotent(self):
        again = self.Report._cron_create_monthly_reports(today=JULY_FIRST)
        self.assertFalse(again)
        self.assertEqual(
            self.Report.search_count(
                [("user_id", "=", self.user_own.id), ("date_from", "=", MONTH)]
            ),
            1,
        )
        # the database refuses a second report of the same manager and month
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(psycopg2.errors.UniqueViolation),
            self.env.cr.savepoint(),
        ):
            self.Report.create(
                {
                    "user_id": self.user_own.id,
                    "company_id": self.env.company.id,
                    "date_from": MONTH,
                    "date_to": date(2024, 6, 30),
                }
            )

    def test_figures_stay_frozen(self):
        order = self._order(self.account_individual, qty=10)
        order.action_confirm()
        order.date_order = datetime(2024, 6, 28, 10)
        self.env["customer.manager.kpi"]._refresh_months([MONTH])
        row = self.env["customer.manager.kpi"].search(
            [("user_id", "=", self.user_own.id), ("date", "=", MONTH)]
        )
        self.assertEqual(row.revenue, 1900.0)
        self.assertEqual(self.report.revenue, 900.0)
        self.assertEqual(self.report.snapshot["top"][0]["name"], "Own KAM Inc")

    @mute_logger(*MUTED)
    def test_figures_refused_to_users(self):
        for user in (self.user_own, self.user_manager):
            for values in (
                {"revenue": 1.0},
                {"state": "approved"},
                {"user_id": self.user_all.id},
                {"snapshot": {}},
            ):
                with self.assertRaises(AccessError):
                    self.report.with_user(user).write(values)
        self.assertEqual(self.report.revenue, 900.0)
        self.assertEqual(self.report.state, "draft")
        for user in (self.user_own, self.user_all, self.user_manager):
            with self.assertRaises(AccessError):
                self.Report.with_user(user).create(
                    {
                        "user_id": user.id,
                        "company_id": self.env.company.id,
                        "date_from": date(2020, 1, 1),
                        "date_to": date(2020, 1, 31),
                    }
                )
            with self.assertRaises(AccessError):
                self.report.with_user(user).unlink()

    @mute_logger(*MUTED)
    def test_report_access(self):
        Report = self.Report
        own, other = self.report, self.report_other
        # the author reads and writes their draft, not another's
        own.with_user(self.user_own).analysis = "<p>Mine</p>"
        self.assertEqual(
            Report.with_user(self.user_own).search([("id", "in", self.reports.ids)]),
            own,
        )
        with self.assertRaises(AccessError):
            other.with_user(self.user_own).read(["revenue"])
        with self.assertRaises(AccessError):
            other.with_user(self.user_own).write({"analysis": "<p>Not mine</p>"})
        # the team's leader reads the team's, does not write them
        self.assertEqual(
            Report.with_user(self.leader).search([("id", "in", self.reports.ids)]), own
        )
        with self.assertRaises(AccessError):
            own.with_user(self.leader).write({"analysis": "<p>Leader</p>"})
        # "All Accounts" reads all, writes none but their own
        self.assertEqual(
            Report.with_user(self.user_all).search([("id", "in", self.reports.ids)]),
            self.reports,
        )
        with self.assertRaises(AccessError):
            own.with_user(self.user_all).write({"analysis": "<p>All</p>"})
        # administrators write every analysis
        own.with_user(self.user_manager).analysis = "<p>Administrator</p>"
        for user in (self.user_none, self.user_portal):
            with self.assertRaises(AccessError):
                Report.with_user(user).search([])
        # submitted: not written by its author any more
        self._submit(own, self.user_own)
        with self.assertRaises(AccessError):
            own.with_user(self.user_own).write({"analysis": "<p>Later</p>"})

    @mute_logger(*MUTED)
    def test_report_multi_company(self):
        self.report_other.sudo().company_id = self.company_2
        seen = self.Report.with_user(self.user_all).search(
            [("id", "in", self.reports.ids)]
        )
        self.assertNotIn(self.report_other, seen)

    @covers(
        "customer.monthly.report", "action_submit", "action_approve", "action_send_back"
    )
    @mute_logger(*MUTED)
    def test_submit_and_approve(self):
        report = self.report
        # an empty analysis is refused, nothing changes
        with self.assertRaises(UserError):
            report.with_user(self.user_own).action_submit()
        self.assertEqual(report.state, "draft")
        # nobody else submits it, reviews it before it is submitted
        report.sudo().analysis = "<p>Written</p>"
        for user in (self.user_all, self.leader, self.user_portal, self.user_none):
            with self.assertRaises(AccessError):
                report.with_user(user).action_submit()
        with self.assertRaises(UserError):
            report.with_user(self.leader).action_approve()
        self.assertEqual(report.state, "draft")

        mails = self.env["mail.mail"].search([])
        self._submit(report, self.user_own)
        self.assertEqual(report.state, "submitted")
        self.assertEqual(report.reviewer_ids, self.leader)
        mail = self.env["mail.mail"].search(
            [("id", "not in", mails.ids), ("model", "=", report._name)]
        )
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.state, "outgoing")  # in the mail queue
        self.assertEqual(mail.recipient_ids, self.leader.partner_id)
        attachment = self.env["ir.attachment"].search(
            [("res_model", "=", report._name), ("res_id", "=", report.id)]
        )
        self.assertEqual(len(attachment), 1)
        self.assertEqual(mail.attachment_ids, attachment)
        self.assertEqual(attachment.mimetype, "application/pdf")
        self.assertIn(self.leader.partner_id, report.message_partner_ids)

        # only the reviewer approves or sends back
        for user in (self.user_own, self.user_all, self.user_portal, self.newcomer):
            with self.assertRaises(AccessError):
                report.with_user(user).action_approve()
            with self.assertRaises(AccessError):
                report.with_user(user).action_send_back(comment="No")
        self.assertEqual(report.state, "submitted")
        report.with_user(self.leader).action_approve()
        self.assertEqual(report.state, "approved")
        self.assertEqual(report.approved_by_id, self.leader)
        with self.assertRaises(UserError):
            report.with_user(self.leader).action_approve()

    @covers("customer.monthly.report.send.back", "action_send_back")
    @mute_logger(*MUTED)
    def test_send_back(self):
        report = self.report
        self._submit(report, self.user_own)
        action = report.with_user(self.leader).action_send_back()
        self.assertEqual(action["res_model"], "customer.monthly.report.send.back")
        Wizard = self.env["customer.monthly.report.send.back"]
        # a wizard on the report by someone who is not its reviewer does nothing
        with self.assertRaises(AccessError):
            Wizard.with_user(self.user_own).with_context(active_ids=report.ids).create(
                {"comment": "Mine"}
            ).action_send_back()
        self.assertEqual(report.state, "submitted")
        Wizard.with_user(self.leader).with_context(active_ids=report.ids).create(
            {"comment": "Say more about the lost account."}
        ).action_send_back()
        self.assertEqual(report.state, "draft")
        self.assertIn("Say more about the lost account.", report.message_ids[0].body)
        self.assertIn(self.user_own.partner_id, report.message_ids[0].partner_ids)
        # written again and submitted again
        self._submit(report, self.user_own)
        self.assertEqual(report.state, "submitted")

    def test_reviewers_without_team(self):
        """The administrators review the reports of a manager without team."""
        report = self.report_other
        self._submit(report, self.user_all)
        self.assertIn(self.user_manager, report.reviewer_ids)
        self.assertNotIn(self.user_all, report.reviewer_ids)
        self.assertNotIn(self.env.ref("base.user_root"), report.reviewer_ids)

    def test_pdf(self):
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html(
                "customer_relations.action_report_customer_monthly_report",
                self.report.ids,
            )[0]
            .decode()
        )
        self.assertIn("Own KAM Inc", html)
        self.assertIn("Repeat Rate (%)", html)
        self.assertIn("width: 100%", html)  # the highest bar of the chart

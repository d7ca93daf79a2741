from datetime import date, timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .access_coverage import covers
from .common import GROUP_ALL, CustomerRelationsCommon

TODAY = date(2026, 3, 16)


@tagged("post_install", "-at_install")
class TestCustomerReliability(CustomerRelationsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Result = cls.env["customer.reliability.result"]
        cls.Flag = cls.env["customer.reliability.flag"]
        cls.flag_overdue = cls.env.ref("customer_relations.reliability_flag_overdue")
        cls.flag_trust = cls.env.ref("customer_relations.reliability_flag_trust")
        cls.flag_limit = cls.env.ref("customer_relations.reliability_flag_credit_limit")
        cls.flag_late = cls.env.ref("customer_relations.reliability_flag_late_payments")
        cls.flag_no_vat = cls.env.ref("customer_relations.reliability_flag_no_vat")
        cls.flag_no_registry = cls.env.ref(
            "customer_relations.reliability_flag_no_registry"
        )
        # a company with its registry data: only the flags of a test show
        cls.account = cls.account_own_kam
        cls.account.write({"vat": "BE0477472701", "company_registry": "0477472701"})
        cls.env.company.write(
            {
                "reliability_watch_score": 80,
                "reliability_risky_score": 50,
                "reliability_late_days": 15,
            }
        )
        cls.user_invoicing = new_test_user(
            cls.env,
            login="cr_invoicing",
            name="Ines Invoicing",
            groups=f"{GROUP_ALL},account.group_account_invoice",
        )

    def _invoice(self, partner, amount, due, invoice_date=None):
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": partner.id,
                "invoice_date": invoice_date or due - timedelta(days=30),
                "invoice_date_due": due,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": "Service",
                            "quantity": 1,
                            "price_unit": amount,
                            "tax_ids": [Command.clear()],
                        }
                    )
                ],
            }
        )
        invoice.action_post()
        return invoice

    def _pay(self, invoice, payment_date):
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create({"payment_date": payment_date})._create_payments()

    def _check(self, partner=None):
        self.Result._recompute_accounts((partner or self.account).ids, today=TODAY)

    def _flags(self, partner=None):
        partner = (partner or self.account).with_company(self.env.company)
        return partner.reliability_flag_ids

    # ------------------------------------------------------------------
    # Automatic flags at their boundaries
    # ------------------------------------------------------------------

    @freeze_time(TODAY)
    def test_overdue_due_today_is_not_overdue(self):
        self._invoice(self.contact_own_kam, 1000, TODAY)
        self._check()
        self.assertNotIn(self.flag_overdue, self._flags())
        self.assertEqual(self.account.reliability_score, 100)
        self.assertEqual(self.account.reliability_grade, "reliable")

    @freeze_time(TODAY)
    def test_overdue_due_yesterday(self):
        self._invoice(self.contact_own_kam, 1000, TODAY - timedelta(days=1))
        self._invoice(self.account, 500, TODAY - timedelta(days=45))
        self._check()
        self.assertIn(self.flag_overdue, self._flags())
        self.assertEqual(self.account.reliability_score, 100 - self.flag_overdue.weight)
        line = self.account.reliability_line_ids
        self.assertEqual(line.flag_id, self.flag_overdue)
        self.assertEqual((line.count, line.amount, line.days), (2, 1500.0, 45))
        self.assertIn("2 invoices overdue", line.evidence)
        self.assertIn("45 days", line.evidence)

    @freeze_time(TODAY)
    def test_trust(self):
        self.account.trust = "normal"
        self._check()
        self.assertNotIn(self.flag_trust, self._flags())
        self.account.trust = "bad"
        self._check()
        self.assertIn(self.flag_trust, self._flags())

    @freeze_time(TODAY)
    def test_credit_limit_exactly_reached(self):
        self.env.company.account_use_credit_limit = True
        self.account.credit_limit = 1000
        invoice = self._invoice(self.account, 1000, TODAY + timedelta(days=30))
        self._check()
        self.assertNotIn(self.flag_limit, self._flags(), "reached is not exceeded")
        self._invoice(self.account, 0.01, TODAY + timedelta(days=30))
        self._check()
        self.assertIn(self.flag_limit, self._flags())
        self.assertIn(
            "credit limit", self.account.reliability_line_ids.evidence.lower()
        )
        # credit limits not used in the company: no flag
        self.env.company.account_use_credit_limit = False
        self._check()
        self.assertNotIn(self.flag_limit, self._flags())
        self.assertTrue(invoice)

    @freeze_time(TODAY)
    def test_late_payments_average(self):
        due = TODAY - timedelta(days=60)
        self._pay(self._invoice(self.account, 100, due), due + timedelta(days=10))
        self._pay(self._invoice(self.account, 100, due), due + timedelta(days=20))
        self.env.company.reliability_late_days = 15  # average 15: not above
        self._check()
        self.assertNotIn(self.flag_late, self._flags())
        self.env.company.reliability_late_days = 14
        self._check()
        self.assertIn(self.flag_late, self._flags())
        self.assertEqual(self.account.reliability_line_ids.days, 15)

    def test_complaints_past_their_deadline(self):
        flag = self.env.ref("customer_relations.reliability_flag_complaints")
        category = self.env.ref(
            "customer_relations.customer_objection_category_delivery"
        )
        with freeze_time("2026-03-10 09:00:00"):
            complaint = self.env["customer.objection"].create(
                {
                    "name": "Late delivery",
                    "partner_id": self.contact_own_kam.id,
                    "kind": "complaint",
                    "category_id": category.id,
                }
            )
        with freeze_time("2026-03-16 12:00:00"):
            complaint.deadline = "2026-03-16 13:00:00"
            self._check()
            self.assertNotIn(flag, self._flags(), "not yet past its deadline")
            complaint.deadline = "2026-03-13 11:00:00"
            self._check()
            self.assertIn(flag, self._flags())
            self.assertEqual(self.account.reliability_line_ids.days, 3)

    @freeze_time(TODAY)
    def test_missing_vat_and_registry(self):
        self.account.write({"vat": False, "company_registry": False})
        self._check()
        self.assertEqual(self._flags(), self.flag_no_vat | self.flag_no_registry)
        # an individual has neither
        self._check(self.account_individual)
        self.assertFalse(self._flags(self.account_individual))

    # ------------------------------------------------------------------
    # Score, grades, history
    # ------------------------------------------------------------------

    def _manual(self, weight):
        return self.Flag.create({"name": f"Sign {weight}", "weight": weight})

    def test_grades_at_thresholds(self):
        partner = self.account_individual
        for weight, score, grade in (
            (20, 80, "reliable"),
            (21, 79, "watch"),
            (50, 50, "watch"),
            (51, 49, "risky"),
            (150, 0, "risky"),
        ):
            partner.reliability_manual_flag_ids = [
                Command.set(self._manual(weight).ids)
            ]
            self.assertEqual(
                (partner.reliability_score, partner.reliability_grade), (score, grade)
            )
        history = partner.reliability_history_ids.filtered(
            lambda row: row.company_id == self.env.company
        )
        self.assertEqual(history.sorted("id").mapped("new_grade"), ["watch", "risky"])
        self.assertEqual(history.sorted("id")[0].old_grade, "reliable")

    @freeze_time(TODAY)
    def test_search_by_grade(self):
        risky = self.account_individual
        risky.reliability_manual_flag_ids = [Command.set(self._manual(60).ids)]
        watched = self.account
        watched.reliability_manual_flag_ids = [Command.set(self._manual(30).ids)]
        Partner = self.env["res.partner"].with_user(self.user_own)
        ids = (risky | watched | self.account_other_kam).ids
        for domain, expected in (
            ([("reliability_grade", "=", "risky")], risky),
            ([("reliability_grade", "in", ["risky", "watch"])], risky | watched),
            # never checked: reliable
            ([("reliability_grade", "=", "reliable")], self.account_other_kam),
            ([("reliability_grade", "!=", "risky")], watched | self.account_other_kam),
        ):
            with self.subTest(domain=domain):
                self.assertEqual(
                    Partner.search([("id", "in", ids), *domain]),
                    expected.with_user(self.user_own),
                )
        # the opportunities of a risky customer
        lead = self.env["crm.lead"].create(
            {"name": "Risky deal", "type": "opportunity", "partner_id": risky.id}
        )
        self.assertEqual(
            self.env["crm.lead"].search(
                [("partner_id.reliability_grade", "=", "risky"), ("id", "=", lead.id)]
            ),
            lead,
        )
        with self.assertRaises(UserError):
            Partner.search([("reliability_grade", "ilike", "ris")])
        # without Sales, the grade is not searchable
        contacts_only = new_test_user(
            self.env, login="cr_grade_contacts", groups="base.group_user"
        )
        with self.assertRaises(AccessError):
            self.env["res.partner"].with_user(contacts_only).search(
                [("reliability_grade", "=", "risky")]
            )

    def test_bad_input(self):
        with self.assertRaisesRegex(ValidationError, "cannot be negative"):
            self._manual(-1)
        with self.assertRaisesRegex(ValidationError, "cannot be negative"):
            self.env.ref("customer_relations.reliability_flag_trust").weight = -5
        with self.assertRaisesRegex(ValidationError, "must be lower"):
            self.env.company.reliability_risky_score = 90
        with self.assertRaises(ValidationError):
            self.env.company.reliability_watch_score = 101
        with self.assertRaises(ValidationError):
            self.env.company.reliability_risky_score = -1

    # ------------------------------------------------------------------
    # Opportunities
    # ------------------------------------------------------------------

    def test_lead_scores(self):
        sign = self._manual(30)
        lead = self.env["crm.lead"].create(
            {
                "name": "Prospect",
                "type": "opportunity",
                "user_id": self.user_own.id,
                "reliability_manual_flag_ids": [Command.set(sign.ids)],
            }
        )
        self.assertEqual(
            (lead.reliability_score, lead.reliability_grade), (70, "watch")
        )
        self.account_individual.reliability_manual_flag_ids = [
            Command.set(self._manual(25).ids)
        ]
        lead.partner_id = self.account_individual
        self.assertEqual(lead.reliability_score, 45)
        self.assertEqual(lead.reliability_grade, "risky")
        self.assertEqual(len(lead.reliability_flag_ids), 2)
        # ticked on both: counted once
        lead.reliability_manual_flag_ids = [
            Command.set(self.account_individual.reliability_manual_flag_ids.ids)
        ]
        self.assertEqual(lead.reliability_score, 75)
        self.assertTrue(lead.with_user(self.user_own).action_reliability_check())

    # ------------------------------------------------------------------
    # Quotations: warning and approval
    # ------------------------------------------------------------------

    def _risky_quotation(self, approval=True):
        self.env.company.reliability_approval = approval
        self.account.reliability_manual_flag_ids = [Command.set(self._manual(60).ids)]
        self.assertEqual(self.account.reliability_grade, "risky")
        return self.env["sale.order"].create(
            {
                "partner_id": self.account.id,
                "user_id": self.user_own.id,
                "order_line": [Command.create({"product_id": self.product.id})],
            }
        )

    def test_warning_without_approval(self):
        order = self._risky_quotation(approval=False)
        self.assertIn("risky customer", order.reliability_warning)
        self.assertFalse(order.reliability_approval_needed)
        order.with_user(self.user_own).action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertFalse(order.reliability_warning)

    def test_approval_salesperson_refused(self):
        order = self._risky_quotation()
        self.assertTrue(order.reliability_approval_needed)
        with self.assertRaisesRegex(UserError, "needs the approval"):
            order.with_user(self.user_own).action_confirm()
        order.with_user(self.user_own).action_reliability_request_approval()
        activity = order.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertTrue(activity.user_id.has_group(GROUP_ALL))
        with self.assertRaises(AccessError):
            order.with_user(self.user_own).action_reliability_approve()
        with self.assertRaises(AccessError):
            order.with_user(self.user_own).write(
                {"reliability_approved_by_id": self.user_own.id}
            )
        order.with_user(self.user_all).action_reliability_approve()
        self.assertEqual(order.reliability_approved_by_id, self.user_all)
        self.assertTrue(order.reliability_approved_date)
        self.assertFalse(order.activity_ids)
        order.with_user(self.user_own).action_confirm()
        self.assertEqual(order.state, "sale")

    def test_approval_all_accounts_confirms(self):
        order = self._risky_quotation()
        order.with_user(self.user_all).action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.reliability_approved_by_id, self.user_all)

    def test_confirmation_without_salesperson_not_blocked(self):
        order = self._risky_quotation()
        # as the portal's signature and payment do
        order.with_user(self.user_portal).sudo().action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertFalse(order.reliability_approved_by_id)
        self.assertEqual(
            order.activity_ids.activity_type_id,
            self.env.ref("customer_relations.mail_activity_type_reliability_approval"),
        )

    # ------------------------------------------------------------------
    # Access and companies
    # ------------------------------------------------------------------

    @freeze_time(TODAY)
    def test_access(self):
        self._invoice(self.account, 1000, TODAY - timedelta(days=3))
        self._check()
        for user in (self.user_own, self.user_all, self.user_manager):
            account = self.account.with_user(user)
            self.assertEqual(account.reliability_grade, "watch")
            self.assertEqual(account.reliability_flag_ids, self.flag_overdue)
            line = account.reliability_line_ids
            self.assertEqual(line.flag_id.name, self.flag_overdue.name)
            with self.assertRaises(AccessError):
                line.read(["evidence"])  # for invoicing users
            if user != self.user_manager:
                with self.assertRaises(AccessError):
                    self.Flag.with_user(user).create({"name": "x", "weight": 1})
        self.assertIn(
            "invoices overdue",
            self.account.with_user(self.user_invoicing).reliability_line_ids.evidence,
        )
        self.Flag.with_user(self.user_manager).create({"name": "Ok", "weight": 1})
        for user in (self.user_none, self.user_portal):
            with self.assertRaises(AccessError):
                self.account.with_user(user).read(["reliability_grade"])
            with self.assertRaises(AccessError):
                self.Result.with_user(user).search([])
        with self.assertRaises(AccessError):
            self.account.with_user(self.user_none).action_reliability_check()
        with self.assertRaises(AccessError):
            self.Result.with_user(self.user_own).create(
                {"partner_id": self.account.id, "company_id": self.env.company.id}
            )

    def test_duplicating_an_account(self):
        """Ticked red flags judge one account: its duplicate starts without
        them, and a user without Sales can duplicate it (Odoo's own copy)."""
        ticked = self.env.ref("customer_relations.reliability_flag_payment_terms")
        self.account.reliability_manual_flag_ids = ticked
        contacts_user = new_test_user(
            self.env,
            login="cr_contacts_only",
            groups="base.group_user,base.group_partner_manager",
        )
        copy = self.account.with_user(contacts_user).copy()
        self.assertFalse(copy.sudo().reliability_manual_flag_ids)
        copy = self.account.with_user(self.user_own).copy()
        self.assertFalse(copy.reliability_manual_flag_ids)
        self.assertEqual(self.account.reliability_manual_flag_ids, ticked)

    @covers("res.partner", "action_reliability_check")
    @covers("crm.lead", "action_reliability_check")
    @covers(
        "sale.order",
        "action_reliability_request_approval",
        "action_reliability_approve",
    )
    def test_public_methods_refused(self):
        lead = self.env["crm.lead"].create(
            {
                "name": "Prospect",
                "partner_id": self.account.id,
                "user_id": self.user_own.id,
            }
        )
        order = self._risky_quotation()
        for records, method, users in (
            (
                self.account,
                "action_reliability_check",
                (self.user_none, self.user_portal),
            ),
            (lead, "action_reliability_check", (self.user_none, self.user_portal)),
            (
                order,
                "action_reliability_request_approval",
                (self.user_none, self.user_portal),
            ),
            (
                order,
                "action_reliability_approve",
                (self.user_none, self.user_portal, self.user_own),
            ),
        ):
            for user in users:
                with (
                    self.assertRaises(AccessError, msg=f"{method} as {user.login}"),
                    mute_logger("odoo.addons.base.models.ir_rule", "odoo.models"),
                ):
                    getattr(records.with_user(user), method)()
        self.assertFalse(order.reliability_approved_by_id)

    def test_multi_company(self):
        company_2 = self.company_2
        self.account.with_company(company_2).trust = "bad"
        self._check()
        self.assertNotIn(self.flag_trust, self._flags())
        in_2 = self.account.with_company(company_2)
        self.assertIn(self.flag_trust, in_2.reliability_flag_ids)
        self.assertEqual(in_2.reliability_score, 100 - self.flag_trust.weight)
        # a user of the first company only does not read the second's rows
        self.assertFalse(
            self.Result.with_user(self.user_own).search(
                [("company_id", "=", company_2.id)]
            )
        )

    def test_cron_same_queries_whatever_the_batch(self):
        Partner = self.env["res.partner"]
        many = Partner.create(
            [{"name": f"P{i}", "is_company": True} for i in range(20)]
        )

        def count(accounts):
            self.env.flush_all()
            before = self.env.cr.sql_log_count
            self.Result._recompute_accounts(accounts.ids, today=TODAY)
            return self.env.cr.sql_log_count - before

        count(many[:1])  # caches the companies' settings
        self.assertEqual(count(many[:2]), count(many))
        self.assertEqual(
            self.Result.search_count(
                [
                    ("partner_id", "in", many.ids),
                    ("company_id", "=", self.env.company.id),
                ]
            ),
            20,
        )
        self.env["ir.config_parameter"].set_param(
            "customer_relations.reliability_check_last_id", 0
        )
        Partner._cron_customer_reliability_check(batch_size=5)

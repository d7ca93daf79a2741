from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .access_coverage import covers
from .common import GROUP_CONTACTS, GROUP_OWN, CustomerRelationsCommon

MUTED = (
    "odoo.models",
    "odoo.addons.base.models.ir_rule",
    "odoo.addons.base.models.ir_model",
)
REVIEW_TYPE = "customer_relations.mail_activity_type_account_plan_review"
IN_2026 = "2026-04-15 09:00:00"


class AccountPlanCommon(CustomerRelationsCommon):
    """Plans of 2026 for account_own_kam (user_own's, tier reviewed every 3
    months) and account_other_kam (user_all's), with the orders and
    objections of account_own_kam around the period:

    ==========  ==========  ==============================  ==================
    date        kind        what                            counts in 2026
    ==========  ==========  ==============================  ==================
    2025-12-20  order       7 x 100 (before the plan)       no
    2026-02-10  order       2 x 100 by its contact          200, 1 order
    2026-03-05  order       1 garden chair (Outdoor/Chairs) 50, 1 order, family
    2026-03-20  quotation   5 x 100, not confirmed          no
    2025-11-02  objection   satisfaction 1                  no
    2026-02-01  objection   satisfaction 4                  yes
    2026-03-01  objection   satisfaction 2                  yes (average 3)
    ==========  ==========  ==============================  ==================
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.tier = cls.env["customer.tier"].create(
            {
                "name": "Quarterly reviews",
                "min_annual_revenue": 10**9 + 7,
                "review_interval_months": 3,
                "company_id": cls.company.id,
            }
        )
        cls.env["customer.tier.ranking"].sudo().create(
            [
                {
                    "partner_id": account.id,
                    "company_id": cls.company.id,
                    "tier_id": cls.tier.id,
                    "locked": True,
                    "lock_reason": "Chosen for the test",
                }
                for account in cls.account_own_kam + cls.account_other_kam
            ]
        )
        Category = cls.env["product.category"]
        cls.family = Category.create({"name": "Outdoor"})
        cls.chairs = Category.create({"name": "Chairs", "parent_id": cls.family.id})
        cls.software = Category.create({"name": "Plan Software"})
        cls.garden_chair = cls.env["product.product"].create(
            {"name": "Garden chair", "categ_id": cls.chairs.id, "list_price": 50.0}
        )
        cls._confirmed_order(cls.account_own_kam, 7, "2025-12-20 10:00:00")
        cls._confirmed_order(cls.contact_own_kam, 2, "2026-02-10 10:00:00")
        cls._confirmed_order(
            cls.account_own_kam, 1, "2026-03-05 10:00:00", cls.garden_chair, 50.0
        )
        cls._order(cls.account_own_kam, 5).date_order = "2026-03-20 10:00:00"
        for closed, satisfaction in (
            ("2025-11-02 10:00:00", "1"),
            ("2026-02-01 10:00:00", "4"),
            ("2026-03-01 10:00:00", "2"),
        ):
            objection = cls.env["customer.objection"].create(
                {"name": "Late delivery", "partner_id": cls.account_own_kam.id}
            )
            objection.sudo().write(
                {"satisfaction": satisfaction, "closed_date": closed}
            )

        Plan = cls.env["customer.account.plan"]
        cls.plan_own = Plan.create(
            {
                "partner_id": cls.account_own_kam.id,
                "date_start": "2026-01-01",
                "date_end": "2026-12-31",
                "objective_ids": [
                    Command.create({"kind": "revenue", "target": 1000.0}),
                    Command.create({"kind": "order_count", "target": 4.0}),
                    Command.create(
                        {"kind": "product_family", "product_category_id": cls.family.id}
                    ),
                    Command.create(
                        {
                            "kind": "product_family",
                            "product_category_id": cls.software.id,
                        }
                    ),
                    Command.create({"kind": "satisfaction", "target": 4.0}),
                ],
                "stakeholder_ids": [
                    Command.create(
                        {
                            "partner_id": cls.contact_own_kam.id,
                            "role": "decision_maker",
                            "attitude": "supporter",
                        }
                    )
                ],
            }
        )
        cls.plan_other = Plan.create(
            {
                "partner_id": cls.account_other_kam.id,
                "date_start": "2026-01-01",
                "date_end": "2026-12-31",
                "objective_ids": [
                    Command.create({"kind": "revenue", "target": 500.0}),
                ],
            }
        )
        cls.review_type = cls.env.ref(REVIEW_TYPE)

    @classmethod
    def _order(cls, partner, qty, product=None, price=100.0):
        return cls.env["sale.order"].create(
            {
                "partner_id": partner.id,
                "user_id": cls.user_own.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": (product or cls.product).id,
                            "product_uom_qty": qty,
                            "price_unit": price,
                        }
                    )
                ],
            }
        )

    @classmethod
    def _confirmed_order(cls, partner, qty, when, product=None, price=100.0):
        order = cls._order(partner, qty, product, price)
        order.action_confirm()
        order.date_order = when
        return order

    def _review_activities(self, plan):
        return plan.activity_ids.filtered(
            lambda a: a.activity_type_id == self.review_type
        )


@tagged("post_install", "-at_install")
class TestAccountPlan(AccountPlanCommon):
    def _objective(self, plan, kind, category=None):
        return plan.objective_ids.filtered(
            lambda o: (
                o.kind == kind and (not category or o.product_category_id == category)
            )
        )

    def test_actuals(self):
        plan = self.plan_own
        revenue = self._objective(plan, "revenue")
        orders = self._objective(plan, "order_count")
        family = self._objective(plan, "product_family", self.family)
        not_bought = self._objective(plan, "product_family", self.software)
        satisfaction = self._objective(plan, "satisfaction")
        self.env.invalidate_all()
        objectives = (plan | self.plan_other).objective_ids
        # every kind of every plan: one query per kind (and the reads of the
        # plans and objectives), not per objective
        with self.assertQueryCount(__system__=8):
            objectives.mapped("actual")
        self.assertEqual(revenue.actual, 250.0)
        self.assertEqual(revenue.progress, 25.0)
        self.assertEqual(orders.actual, 2)
        self.assertEqual(orders.progress, 50.0)
        self.assertEqual(family.actual, 1.0, "bought in a subcategory of the family")
        self.assertEqual(family.progress, 100.0)
        self.assertEqual(not_bought.actual, 0.0)
        self.assertEqual(not_bought.progress, 0.0)
        self.assertEqual(satisfaction.actual, 3.0)
        self.assertEqual(satisfaction.progress, 75.0)
        self.assertEqual(self._objective(self.plan_other, "revenue").actual, 0.0)
        # the period decides: the whole year 2025 sees the December order only
        plan.sudo().write({"active": False})
        plan_2025 = self.env["customer.account.plan"].create(
            {
                "partner_id": self.account_own_kam.id,
                "date_start": "2025-01-01",
                "date_end": "2025-12-31",
                "objective_ids": [
                    Command.create({"kind": "revenue", "target": 700.0}),
                    Command.create({"kind": "satisfaction", "target": 4.0}),
                ],
            }
        )
        self.assertEqual(
            plan_2025.objective_ids.mapped("actual"), [700.0, 1.0], "2025 only"
        )
        self.assertEqual(plan_2025.objective_ids[0].progress, 100.0)

    def test_family_objective_needs_a_family(self):
        with self.assertRaises(ValidationError):
            self.plan_own.objective_ids = [Command.create({"kind": "product_family"})]

    def test_review_scheduled_from_the_tier(self):
        plan = self.plan_own
        self.assertEqual(plan.next_review_date, date(2026, 4, 1), "start + 3 months")
        activity = self._review_activities(plan)
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.user_own)
        self.assertEqual(activity.date_deadline, date(2026, 4, 1))
        # independent of the partner's tier review date
        self.assertFalse(self.account_own_kam.next_review_date)
        # an account without a tier: reviewed at the end of its plan
        plan_sales = self.env["customer.account.plan"].create(
            {
                "partner_id": self.account_own_sales.id,
                "date_start": "2026-01-01",
                "date_end": "2026-12-31",
            }
        )
        self.assertEqual(plan_sales.next_review_date, date(2026, 12, 31))
        # a new start moves the review and its activity
        plan.date_start = "2026-02-01"
        self.assertEqual(plan.next_review_date, date(2026, 5, 1))
        self.assertEqual(activity.date_deadline, date(2026, 5, 1))
        # the account changes hands: so does the review
        self.account_own_kam.key_account_manager_id = self.user_manager
        self.env.flush_all()
        self.assertEqual(plan.account_manager_id, self.user_manager)
        self.assertEqual(self._review_activities(plan).user_id, self.user_manager)
        # archived: no review to hold
        plan.action_archive()
        self.assertFalse(plan.next_review_date)
        self.assertFalse(self._review_activities(plan.with_context(active_test=False)))

    @freeze_time(IN_2026)
    def test_record_review(self):
        plan = self.plan_own.with_user(self.user_own)
        Plan = self.env["customer.account.plan"].with_user(self.user_own)
        self.assertTrue(plan.review_overdue)
        self.assertEqual(Plan.search([("review_overdue", "=", True)]), plan)
        old_activity = self._review_activities(plan)
        review = (
            self.env["customer.account.review"]
            .with_user(self.user_own)
            .create(
                {
                    "plan_id": plan.id,
                    "date": "2026-04-15",
                    "attendee_partner_ids": [Command.link(self.contact_own_kam.id)],
                    "attendee_user_ids": [Command.link(self.user_own.id)],
                    "notes": "<p>Good quarter</p>",
                    "decisions": "<p>Offer the outdoor range</p>",
                }
            )
        )
        # the objectives as they stood
        self.assertEqual(len(review.line_ids), 5)
        revenue = review.line_ids.filtered(lambda line: line.kind == "revenue")
        self.assertEqual(
            (revenue.target, revenue.actual, revenue.progress), (1000.0, 250.0, 25.0)
        )
        # the next review, three months later, as a new activity
        self.assertEqual(plan.last_review_date, date(2026, 4, 15))
        self.assertEqual(plan.next_review_date, date(2026, 7, 15))
        self.assertFalse(old_activity.exists(), "done")
        self.assertTrue(
            any(
                "Review recorded" in (message.body or "")
                for message in plan.sudo().message_ids
            )
        )
        self.assertEqual(plan.review_ids, review, "closing its activity is no review")
        new_activity = self._review_activities(plan)
        self.assertEqual(new_activity.date_deadline, date(2026, 7, 15))
        self.assertEqual(new_activity.user_id, self.user_own)
        self.assertFalse(plan.review_overdue)
        self.assertFalse(Plan.search([("review_overdue", "=", True)]))
        self.assertEqual(Plan.search([("review_overdue", "=", False)]), plan)
        # frozen: later orders change the objective, not the review
        self._confirmed_order(self.account_own_kam, 3, "2026-04-15 08:00:00")
        self.env.invalidate_all()
        self.assertEqual(
            self.plan_own.objective_ids.filtered(lambda o: o.kind == "revenue").actual,
            550.0,
        )
        self.assertEqual(revenue.actual, 250.0)
        # the snapshot is the addon's, read only for users
        with mute_logger(*MUTED), self.assertRaises(AccessError):
            revenue.with_user(self.user_own).write({"actual": 1000.0})
        with mute_logger(*MUTED), self.assertRaises(AccessError):
            self.env["customer.account.review.line"].with_user(self.user_own).create(
                {"review_id": review.id, "name": "Invented", "actual": 1.0}
            )
        # a review held in the future cannot be recorded
        with self.assertRaises(ValidationError):
            self.env["customer.account.review"].with_user(self.user_own).create(
                {"plan_id": plan.id, "date": "2026-05-01"}
            )

    @freeze_time(IN_2026)
    def test_review_activity_marked_done(self):
        """Marking the review's activity done records the review held today."""
        plan = self.plan_own
        activity = self._review_activities(plan)
        activity.with_user(self.user_own).action_feedback(feedback="Met on site")
        review = plan.review_ids
        self.assertEqual(len(review), 1)
        self.assertEqual(review.date, date(2026, 4, 15))
        self.assertIn("Met on site", review.notes)
        self.assertEqual(review.attendee_user_ids, self.user_own)
        self.assertEqual(len(review.line_ids), 5)
        self.assertEqual(plan.next_review_date, date(2026, 7, 15))
        next_activity = self._review_activities(plan)
        self.assertEqual(next_activity.date_deadline, date(2026, 7, 15))
        self.assertNotEqual(next_activity, activity)
        # the plan's other activities are not reviews
        todo = plan.activity_schedule(
            "mail.mail_activity_data_todo", user_id=self.user_own.id, summary="Call"
        )
        todo.with_user(self.user_own).action_feedback(feedback="Called")
        self.assertEqual(plan.review_ids, review)
        self.assertEqual(self._review_activities(plan), next_activity)

    def test_reviews_until_the_end(self):
        plan = self.plan_own
        Review = self.env["customer.account.review"]
        with freeze_time("2026-11-20"):
            Review.create({"plan_id": plan.id, "date": "2026-11-15"})
            self.assertEqual(plan.next_review_date, date(2026, 12, 31), "plan's end")
        with freeze_time("2027-01-05"):
            self.assertTrue(plan.review_overdue)
            Review.create({"plan_id": plan.id, "date": "2027-01-05"})
            self.assertFalse(plan.next_review_date, "reviewed at its end")
            self.assertFalse(plan.review_overdue)
            self.assertFalse(self._review_activities(plan))

    def test_next_review_date_is_the_plans(self):
        for user in (self.user_own, self.user_manager):
            with mute_logger(*MUTED), self.assertRaises(AccessError):
                self.plan_own.with_user(user).write({"next_review_date": "2030-01-01"})
        self.assertEqual(self.plan_own.next_review_date, date(2026, 4, 1))

    def test_one_current_plan_per_account_and_company(self):
        Plan = self.env["customer.account.plan"].with_user(self.user_own)
        with (
            self.assertRaisesRegex(ValidationError, "may not overlap"),
            self.env.cr.savepoint(),
        ):
            Plan.create(
                {
                    "partner_id": self.account_own_kam.id,
                    "date_start": "2026-12-01",
                    "date_end": "2027-11-30",
                }
            )
        with (
            self.assertRaisesRegex(ValidationError, "may not overlap"),
            self.env.cr.savepoint(),
        ):
            self.plan_own.with_user(self.user_own).copy()
        # the next period
        next_plan = Plan.create(
            {
                "partner_id": self.account_own_kam.id,
                "date_start": "2027-01-01",
                "date_end": "2027-12-31",
            }
        )
        with (
            self.assertRaisesRegex(ValidationError, "may not overlap"),
            self.env.cr.savepoint(),
        ):
            next_plan.date_start = "2026-12-31"
        with (
            self.assertRaisesRegex(ValidationError, "ends before it starts"),
            self.env.cr.savepoint(),
        ):
            next_plan.date_end = "2026-06-30"
        # another company, or once the first plan is archived
        self.env["customer.account.plan"].create(
            {
                "partner_id": self.account_own_kam.id,
                "company_id": self.company_2.id,
                "date_start": "2026-01-01",
                "date_end": "2026-12-31",
            }
        )
        self.plan_own.action_archive()
        Plan.create(
            {
                "partner_id": self.account_own_kam.id,
                "date_start": "2026-06-01",
                "date_end": "2026-12-31",
            }
        )
        with (
            self.assertRaisesRegex(ValidationError, "may not overlap"),
            self.env.cr.savepoint(),
        ):
            self.plan_own.action_unarchive()

    def test_plan_of_an_account_and_its_contacts(self):
        Plan = self.env["customer.account.plan"].with_user(self.user_own)
        with self.assertRaisesRegex(ValidationError, "not for one of its contacts"):
            Plan.create(
                {
                    "partner_id": self.contact_own_kam.id,
                    "date_start": "2027-01-01",
                    "date_end": "2027-12-31",
                }
            )
        with self.assertRaisesRegex(ValidationError, "is not a contact of"):
            self.plan_own.with_user(self.user_own).stakeholder_ids = [
                Command.create({"partner_id": self.contact_own_sales.id})
            ]
        with self.assertRaisesRegex(ValidationError, "is not a contact of"):
            self.plan_own.with_user(self.user_own).partner_id = self.account_own_sales

    @freeze_time(IN_2026)
    @covers("res.partner", "action_view_customer_account_plans")
    def test_account_form_and_key_accounts(self):
        Partner = self.env["res.partner"].with_user(self.user_own)
        account = self.account_own_kam.with_user(self.user_own)
        self.assertEqual(account.customer_account_plan_id, self.plan_own)
        self.assertEqual(
            self.contact_own_kam.with_user(self.user_own).customer_account_plan_id,
            self.plan_own,
        )
        self.assertEqual(account.customer_account_plan_review_date, date(2026, 4, 1))
        self.assertTrue(account.has_current_account_plan)
        without = Partner.search(
            [
                ("id", "in", self.accounts.ids),
                ("has_current_account_plan", "=", False),
            ]
        )
        self.assertEqual(
            without,
            self.account_own_sales + self.account_unassigned + self.account_individual,
        )
        action = account.action_view_customer_account_plans()
        self.assertEqual(action["res_id"], self.plan_own.id)
        self.assertEqual(action["domain"], [("partner_id", "=", account.id)])
        action = self.account_own_sales.with_user(
            self.user_own
        ).action_view_customer_account_plans()
        self.assertFalse(action["res_id"])
        self.assertEqual(
            action["context"], {"default_partner_id": self.account_own_sales.id}
        )
        # another manager's account: a fact of the account, not the plan
        other = self.account_other_kam.with_user(self.user_own)
        self.assertTrue(other.has_current_account_plan)
        self.assertFalse(other.customer_account_plan_id)
        with mute_logger(*MUTED), self.assertRaises(AccessError):
            self.account_own_kam.with_user(
                self.user_portal
            ).action_view_customer_account_plans()
        # the filter of the Key Accounts kanban
        with freeze_time("2027-03-01"):
            self.assertTrue(
                Partner.search(
                    [
                        ("id", "=", account.id),
                        ("has_current_account_plan", "=", False),
                    ]
                )
            )


@tagged("post_install", "-at_install")
class TestAccountPlanAccess(AccountPlanCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_other_manager = new_test_user(
            cls.env,
            login="cr_other_manager",
            name="Otto Other Manager",
            groups=f"{GROUP_OWN},{GROUP_CONTACTS}",
        )
        cls.user_leader = new_test_user(
            cls.env,
            login="cr_leader",
            name="Lea Team Leader",
            groups=f"{GROUP_OWN},{GROUP_CONTACTS}",
        )
        cls.env["crm.team"].create(
            {
                "name": "Key Accounts Team",
                "user_id": cls.user_leader.id,
                "member_ids": [Command.link(cls.user_own.id)],
            }
        )
        cls.review_own = cls.env["customer.account.review"].create(
            {"plan_id": cls.plan_own.id, "date": "2026-02-01"}
        )
        cls.plans = cls.plan_own | cls.plan_other

    def _models(self, user):
        return {
            model: self.env[model].with_user(user)
            for model in (
                "customer.account.plan",
                "customer.account.plan.objective",
                "customer.account.stakeholder",
                "customer.account.review",
                "customer.account.review.line",
            )
        }

    def test_own_accounts(self):
        models = self._models(self.user_own)
        self.assertEqual(models["customer.account.plan"].search([]), self.plan_own)
        self.assertEqual(
            models["customer.account.plan.objective"].search([]),
            self.plan_own.objective_ids,
        )
        self.assertEqual(
            models["customer.account.review.line"].search([]), self.review_own.line_ids
        )
        plan = self.plan_own.with_user(self.user_own)
        plan.write(
            {
                "strengths": "<p>Loyal</p>",
                "objective_ids": [
                    Command.create({"kind": "order_count", "target": 6.0})
                ],
            }
        )
        models["customer.account.stakeholder"].create(
            {"plan_id": plan.id, "partner_id": self.contact_own_kam.id}
        )
        # another manager's plan: not read, not written, nothing added to it
        other = self.plan_other.with_user(self.user_own)
        with mute_logger(*MUTED), self.assertRaises(AccessError):
            other.read(["name"])
        with mute_logger(*MUTED), self.assertRaises(AccessError):
            other.write({"strengths": "<p>Mine</p>"})
        with mute_logger(*MUTED), self.assertRaises(AccessError):
            models["customer.account.plan.objective"].create(
                {"plan_id": other.id, "kind": "revenue", "target": 1.0}
            )
        with mute_logger(*MUTED), self.assertRaises(AccessError):
            models["customer.account.review"].create(
                {"plan_id": other.id, "date": "2026-02-01"}
            )
        with mute_logger(*MUTED), self.assertRaises(AccessError):
            models["customer.account.plan"].create(
                {
                    "partner_id": self.account_other_kam.id,
                    "date_start": "2027-01-01",
                    "date_end": "2027-12-31",
                }
            )
        # its objectives stay on its plan
        objective = plan.objective_ids[0]
        with mute_logger(*MUTED), self.assertRaises(AccessError):
            objective.write({"plan_id": self.plan_other.id})
        self.assertEqual(objective.plan_id, self.plan_own)
        # plans and reviews are archived or kept, not deleted
        with mute_logger(*MUTED), self.assertRaises(AccessError):
            plan.unlink()
        with mute_logger(*MUTED), self.assertRaises(AccessError):
            self.review_own.with_user(self.user_own).unlink()

    def test_other_account_manager_sees_nothing(self):
        for model in self._models(self.user_other_manager).values():
            self.assertFalse(model.search([]), model._name)
        with mute_logger(*MUTED), self.assertRaises(AccessError):
            self.plan_own.with_user(self.user_other_manager).read(["name"])

    def test_team_leader_reads_the_team(self):
        models = self._models(self.user_leader)
        self.assertEqual(models["customer.account.plan"].search([]), self.plan_own)
        self.assertEqual(models["customer.account.review"].search([]), self.review_own)
        plan = self.plan_own.with_user(self.user_leader)
        plan.read(["name", "objective_ids", "stakeholder_ids", "review_ids"])
        plan.objective_ids.mapped("actual")
        with mute_logger(*MUTED), self.assertRaises(AccessError):
            plan.write({"strengths": "<p>Leader</p>"})
        with mute_logger(*MUTED), self.assertRaises(AccessError):
            models["customer.account.review"].create(
                {"plan_id": plan.id, "date": "2026-02-01"}
            )

    def test_all_accounts_read_all(self):
        models = self._models(self.user_all)
        Plan = models["customer.account.plan"]
        self.assertEqual(Plan.search([("id", "in", self.plans.ids)]), self.plans)
        # writes its own accounts' plans only
        self.plan_other.with_user(self.user_all).write({"threats": "<p>Rival</p>"})
        with mute_logger(*MUTED), self.assertRaises(AccessError):
            self.plan_own.with_user(self.user_all).write({"threats": "<p>x</p>"})

    def test_administrator(self):
        Plan = self._models(self.user_manager)["customer.account.plan"]
        self.assertEqual(Plan.search([("id", "in", self.plans.ids)]), self.plans)
        self.plan_own.with_user(self.user_manager).write({"threats": "<p>x</p>"})
        self.review_own.with_user(self.user_manager).unlink()
        self.assertFalse(self.review_own.exists())
        # moves an objective to another plan
        objective = self.plan_own.objective_ids[0].with_user(self.user_manager)
        objective.write({"plan_id": self.plan_other.id})
        self.assertEqual(objective.plan_id, self.plan_other)

    def test_portal_and_no_group_see_nothing(self):
        for user in (self.user_portal, self.user_none):
            for model in self._models(user).values():
                with (
                    mute_logger(*MUTED),
                    self.assertRaises(AccessError, msg=f"{model._name} {user.login}"),
                ):
                    model.search([])

    def test_multi_company(self):
        plan_c2 = self.env["customer.account.plan"].create(
            {
                "partner_id": self.account_other_kam.id,
                "company_id": self.company_2.id,
                "date_start": "2026-01-01",
                "date_end": "2026-12-31",
                "objective_ids": [Command.create({"kind": "revenue", "target": 1.0})],
            }
        )
        self.assertEqual(plan_c2.objective_ids.company_id, self.company_2)
        # no tier in company 2: reviewed at the end
        self.assertEqual(plan_c2.next_review_date, date(2026, 12, 31))
        Plan = self.env["customer.account.plan"].with_user(self.user_all)
        self.assertNotIn(plan_c2, Plan.search([]))
        self.user_all.company_ids |= self.company_2
        both = Plan.with_context(
            allowed_company_ids=[self.company.id, self.company_2.id]
        )
        self.assertIn(plan_c2, both.search([]))
        # a plan is made in the company of its account
        account_c2 = self.env["res.partner"].create(
            {
                "name": "Company 2 Only",
                "is_company": True,
                "company_id": self.company_2.id,
            }
        )
        with self.assertRaises(UserError):
            self.env["customer.account.plan"].create(
                {
                    "partner_id": account_c2.id,
                    "date_start": "2026-01-01",
                    "date_end": "2026-12-31",
                }
            )

    @covers("customer.account.plan", "action_record_review")
    def test_record_review_form(self):
        action = self.plan_own.with_user(self.user_own).action_record_review()
        self.assertEqual(action["res_model"], "customer.account.review")
        self.assertEqual(action["context"], {"default_plan_id": self.plan_own.id})
        for user in (self.user_leader, self.user_all, self.user_portal, self.user_none):
            with mute_logger(*MUTED), self.assertRaises(AccessError):
                self.plan_own.with_user(user).action_record_review()

    @covers("customer.account.plan", "action_view_reviews")
    def test_view_reviews(self):
        action = self.plan_own.with_user(self.user_leader).action_view_reviews()
        self.assertEqual(action["res_model"], "customer.account.review")
        self.assertEqual(action["domain"], [("plan_id", "=", self.plan_own.id)])
        for user in (self.user_other_manager, self.user_portal, self.user_none):
            with mute_logger(*MUTED), self.assertRaises(AccessError):
                self.plan_own.with_user(user).action_view_reviews()

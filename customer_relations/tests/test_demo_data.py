"""The demo data tell one story through every capability of the addon.

These tests read the database's demo data (``make test`` installs the addon
with it): without the demo data they fail, they never skip. They change
nothing.
"""

from datetime import timedelta

from dateutil.relativedelta import relativedelta
from lxml import etree

from odoo import fields
from odoo.tests import TransactionCase, tagged
from odoo.tools.safe_eval import datetime, safe_eval, time

GROUP_OWN = "customer_relations.group_customer_relations_user"
MENU_ROOT = "customer_relations.customer_relations_menu_root"


@tagged("post_install", "-at_install")
class TestDemoData(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = cls.env.ref("base.user_admin")
        cls.demo = cls.env.ref("base.user_demo")

    def test_installed_with_demo_data(self):
        module = self.env["ir.module.module"].search(
            [("name", "=", "customer_relations")]
        )
        self.assertTrue(module.demo, "The test database must have the demo data.")
        # the story's people: account managers of each role, other departments
        for xmlid in (
            "customer_relations.res_users_demo_sophie",
            "customer_relations.res_users_demo_thomas",
            "customer_relations.res_users_demo_laura",
        ):
            self.assertTrue(self.env.ref(xmlid).active, xmlid)

    # ------------------------------------------------------------------
    # Objections
    # ------------------------------------------------------------------

    def test_objection_in_every_stage(self):
        Objection = self.env["customer.objection"]
        stages = self.env["customer.objection.stage"].search([])
        self.assertTrue(stages)
        for stage in stages:
            self.assertTrue(
                Objection.search_count([("stage_id", "=", stage.id)]),
                f"No demo objection in the stage {stage.name}",
            )
        self.assertEqual(
            set(Objection.search([]).mapped("kind")), {"objection", "complaint"}
        )

    def test_objection_overdue_and_escalated(self):
        escalated = self.env["customer.objection"].search(
            [("is_overdue", "=", True), ("escalated_date", "!=", False)]
        )
        self.assertTrue(escalated, "No overdue escalated objection")
        # escalated to a manager, who has a to-do
        self.assertTrue(
            escalated.activity_ids.filtered(lambda a: a.user_id != escalated.user_id)
        )
        # with measures given to other departments (users without our groups)
        other_departments = escalated.action_ids.user_id.filtered(
            lambda user: not user.has_group(GROUP_OWN)
        )
        self.assertTrue(other_departments)

    def test_objection_closed_with_resolution(self):
        closed = self.env["customer.objection"].search(
            [
                ("is_closed", "=", True),
                ("closed_date", "!=", False),
                ("resolution_hours", ">", 0),
            ]
        )
        self.assertTrue(closed, "No closed objection with its resolution time")
        self.assertTrue(any(closed.mapped("resolution")))
        self.assertTrue(
            closed.action_ids.filtered(lambda m: m.state == "done"),
            "The measures of the closed objections were carried out",
        )
        # answered in time and late: the in-time rate of the analysis
        rates = set(
            self.env["customer.objection"]
            .search([("is_closed", "=", True)])
            .mapped("in_time_rate")
        )
        self.assertEqual(rates, {0.0, 100.0})

    # ------------------------------------------------------------------
    # Referrals
    # ------------------------------------------------------------------

    def test_referral_in_every_state(self):
        Referral = self.env["customer.referral"]
        for state, label in Referral._fields["state"].selection:
            self.assertTrue(
                Referral.search_count([("state", "=", state)]),
                f"No demo referral in the state {label}",
            )
        rewarded = Referral.search([("state", "=", "rewarded")])
        self.assertTrue(rewarded.reward_card_id)
        rejected = Referral.search([("state", "=", "rejected")])
        self.assertTrue(all(rejected.mapped("reject_reason")))

    def test_referrals_of_admin_and_demo(self):
        Referral = self.env["customer.referral"]
        for user in (self.admin, self.demo):
            referrals = Referral.search(
                ["|", ("user_id", "=", user.id), ("referred_user_id", "=", user.id)]
            )
            self.assertGreaterEqual(len(referrals), 2, user.name)

    # ------------------------------------------------------------------
    # Support plans and tiers
    # ------------------------------------------------------------------

    def test_support_plans_late_and_done(self):
        Plan = self.env["customer.support.plan"]
        late = Plan.search(
            [("state", "=", "in_progress"), ("step_ids.is_overdue", "=", True)]
        )
        self.assertTrue(late, "No late support plan")
        done = Plan.search([("state", "=", "done")])
        self.assertTrue(done, "No completed support plan")
        self.assertTrue(done.filtered(lambda p: p.on_time_rate == 100.0))
        self.assertTrue(all(done.mapped("payment_done")))

    def test_tier_locked_by_hand(self):
        locked = self.env["res.partner"].search([("customer_tier_locked", "=", True)])
        self.assertTrue(locked, "No tier locked by hand")
        self.assertTrue(all(locked.mapped("customer_tier_lock_reason")))
        manual = locked.customer_tier_history_ids.filtered(lambda h: not h.automatic)
        self.assertTrue(manual.user_id, "The tier chosen by hand is in the history")
        # and the daily ranking moved other accounts over the year
        automatic = self.env["customer.tier.history"].search(
            [("automatic", "=", True), ("old_tier_id", "!=", False)]
        )
        self.assertGreaterEqual(len(automatic.partner_id), 2)

    def test_revenue_by_tier(self):
        """Revenue by Tier shows the tiers at work: the tier each order's
        customer had at confirmation, over the last twelve months."""
        groups = self.env["sale.report"]._read_group(
            [("state", "=", "sale"), ("customer_tier_id", "!=", False)],
            ["customer_tier_id"],
            ["price_subtotal:sum"],
        )
        tiers = {tier for tier, revenue in groups if revenue > 0}
        self.assertGreaterEqual(len(tiers), 3, "Revenue by Tier shows too few tiers")
        since = fields.Datetime.now() - timedelta(days=365)
        months = self.env["sale.order"]._read_group(
            [
                ("state", "=", "sale"),
                ("customer_tier_id", "!=", False),
                ("date_order", ">=", since),
            ],
            ["date_order:month"],
        )
        self.assertGreaterEqual(len(months), 6, "Tiered orders over the year")

    # ------------------------------------------------------------------
    # Menus
    # ------------------------------------------------------------------

    def _eval_context(self, user):
        today = fields.Date.context_today(self.env["res.partner"].with_user(user))
        return {
            "uid": user.id,
            "context_today": lambda: today,
            "relativedelta": relativedelta,
            "datetime": datetime,
            "time": time,
            "current_company_id": self.env.company.id,
            "allowed_company_ids": [self.env.company.id],
            "active_id": False,
            "active_ids": [],
            "active_model": False,
        }

    def _default_filters_domain(self, model, action, context, eval_context):
        """The domain of the filters an action turns on by default, combined as
        the search view does: within a group of filters (up to a separator)
        with OR, between groups with AND."""
        defaults = {
            key.removeprefix("search_default_")
            for key, value in context.items()
            if key.startswith("search_default_") and value
        }
        if not defaults:
            return []
        arch = model.get_views([(action.search_view_id.id, "search")])["views"][
            "search"
        ]["arch"]
        groups, current = [], []
        for node in etree.fromstring(arch).iter("filter", "separator", "group"):
            if node.tag != "filter":
                groups.append(current)
                current = []
            elif node.get("name") in defaults and node.get("domain"):
                current.append(safe_eval(node.get("domain"), eval_context))
                defaults.discard(node.get("name"))
        groups.append(current)
        self.assertFalse(
            defaults, f"{action.name}: default filters not found: {defaults}"
        )
        domain = []
        for group in filter(None, groups):
            ors = ["|"] * (len(group) - 1)
            for filter_domain in group:
                ors += filter_domain
            domain += ors
        return domain

    def test_menus_show_records(self):
        """Every menu of the app shows records under its default filters, to
        the administrator and to the demo account manager."""
        root = self.env.ref(MENU_ROOT)
        for user in (self.admin, self.demo):
            visible = (
                self.env["ir.ui.menu"]
                .with_user(user)
                .search([("id", "child_of", root.id)])
            )
            # the menus the user can reach: visible, and their parents too
            visible_ids = set(visible.ids)
            menus = visible.browse(
                menu.id
                for menu in visible
                if menu.action
                and {int(id_) for id_ in menu.parent_path.split("/")[:-1]}
                <= visible_ids
            )
            self.assertGreaterEqual(len(menus), 7, user.name)
            for menu in menus:
                action = menu.action.sudo()
                self.assertEqual(action._name, "ir.actions.act_window", menu.name)
                model = self.env[action.res_model].with_user(user)
                if model._transient:
                    continue  # the settings: a form, not a list of records
                eval_context = self._eval_context(user)
                context = safe_eval(action.context or "{}", eval_context)
                domain = safe_eval(action.domain or "[]", eval_context)
                domain += self._default_filters_domain(
                    model, action, context, eval_context
                )
                count = model.with_context(**context).search_count(domain)
                self.assertTrue(
                    count,
                    f"{menu.complete_name} shows nothing to {user.name} "
                    f"(domain {domain})",
                )

    # ------------------------------------------------------------------
    # Reliability
    # ------------------------------------------------------------------

    def test_risky_prospect_and_late_payer(self):
        lead = self.env.ref("customer_relations.crm_lead_demo_flashy")
        self.assertEqual(lead.reliability_grade, "risky")
        self.assertIn(
            self.env.ref("customer_relations.reliability_flag_trust"),
            lead.reliability_flag_ids,
        )
        payer = self.env.ref("customer_relations.res_partner_demo_slow_payer")
        self.assertEqual(
            payer.reliability_flag_ids,
            self.env.ref("customer_relations.reliability_flag_overdue"),
        )
        self.assertIn("45 days", payer.reliability_line_ids.evidence)

    # ------------------------------------------------------------------
    # Account plans
    # ------------------------------------------------------------------

    def test_account_plans(self):
        """Marc Demo's strategic account has a current plan, reviewed last
        month with its progress, the next review scheduled from its tier;
        the administrator's plan waits for its first review."""
        wood_corner = self.env.ref(
            "customer_relations.customer_account_plan_demo_wood_corner"
        )
        self.assertTrue(wood_corner.is_current)
        self.assertEqual(wood_corner.account_manager_id, self.demo)
        review = wood_corner.review_ids
        self.assertEqual(len(review), 1)
        self.assertEqual(len(review.line_ids), len(wood_corner.objective_ids))
        revenue = wood_corner.objective_ids.filtered(lambda o: o.kind == "revenue")
        self.assertGreater(revenue.actual, 0.0, "orders of the plan's period")
        self.assertGreater(wood_corner.next_review_date, review.date)
        self.assertTrue(
            wood_corner.activity_ids.filtered(
                lambda a: a.date_deadline == wood_corner.next_review_date
            )
        )
        self.assertTrue(wood_corner.partner_id.has_current_account_plan)
        ready_mat = self.env.ref(
            "customer_relations.customer_account_plan_demo_ready_mat"
        )
        self.assertFalse(ready_mat.review_ids)
        self.assertTrue(ready_mat.next_review_date)
        self.assertTrue(ready_mat.stakeholder_ids)
        deco_addict = self.env.ref(
            "customer_relations.customer_account_plan_demo_deco_addict"
        )
        self.assertEqual(
            self.env["customer.account.plan"].search([("review_overdue", "=", True)]),
            deco_addict,
        )

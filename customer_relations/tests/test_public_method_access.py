"""Every public method of the addon checks who calls it (section 5).

Over JSON-RPC anyone may call any public method (``action_*``, any name
without a leading ``_``) on any record ids. Each method is called here as
each role that may not use it, which must get an AccessError and change
nothing, and as the least privileged role that may, for which it works. A
test that attacks a method says so with ``@covers``: the first test fails
when a public method of the addon has no such test.
"""

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger

from .access_coverage import addon_public_methods, covered_methods, covers
from .test_security_attacks import MUTED, SecurityAttackCommon


@tagged("post_install", "-at_install")
class TestPublicMethodCoverage(TransactionCase):
    def test_every_public_method_is_attacked(self):
        public = addon_public_methods(self.env)
        covered = covered_methods()
        missing = [pair for pair in public if pair not in covered]
        self.assertFalse(
            missing,
            "public methods of customer_relations that no test decorated with "
            "@covers calls as an attacker:\n"
            + "\n".join(f"  {model}.{method}" for model, method in missing),
        )
        stale = sorted(
            (pair, tests)
            for pair, tests in covered.items()
            if pair[0] not in self.env.registry
            or not callable(getattr(self.env[pair[0]], pair[1], None))
        )
        self.assertFalse(
            stale,
            "@covers names methods that do not exist:\n"
            + "\n".join(
                f"  {model}.{method} ({', '.join(tests)})"
                for (model, method), tests in stale
            ),
        )

    def test_the_list_of_public_methods(self):
        """Methods of the addon's classes only, overrides of Odoo's excluded,
        those of abstract models on the models that inherit them."""
        public = set(addon_public_methods(self.env))
        for pair in (
            ("customer.support.plan", "action_check_now"),
            ("customer.objection.action", "action_done"),
            ("customer.tier.assign", "action_apply"),
            ("customer.support.step.skip", "action_skip"),
            ("res.partner", "action_view_objections"),
            ("sale.order", "action_view_objections"),
            ("crm.lead", "action_record_objection"),
        ):
            self.assertIn(pair, public)
        for pair in (
            ("res.partner", "write"),
            ("customer.objection", "create"),
            ("customer.objection", "message_new"),
            ("customer.tier.assign", "default_get"),
            ("account.move", "button_draft"),
            ("sale.order", "action_confirm"),
            ("res.config.settings", "set_values"),
            ("customer.objection.mixin", "action_view_objections"),
            ("res.partner", "name_create"),
        ):
            self.assertNotIn(pair, public)
        self.assertFalse([pair for pair in public if pair[1].startswith("_")])


@tagged("post_install", "-at_install")
class TestPublicMethodAccess(SecurityAttackCommon):
    def _assert_refused(self, records, method, users, *args, **kwargs):
        """``method`` of ``records`` raises AccessError for each of ``users``."""
        for user in users:
            with (
                mute_logger(*MUTED),
                self.assertRaises(AccessError, msg=f"{method} as {user.login}"),
            ):
                getattr(records.with_user(user), method)(*args, **kwargs)

    def _assert_action(self, action, res_model=None):
        self.assertIsInstance(action, dict)
        self.assertEqual(action["type"], "ir.actions.act_window")
        if res_model:
            self.assertEqual(action["res_model"], res_model)

    # ------------------------------------------------------------------
    # Objections
    # ------------------------------------------------------------------

    @covers("customer.objection", "action_view_actions")
    def test_objection_view_actions(self):
        self._assert_refused(
            self.objection_own, "action_view_actions", (self.user_portal,)
        )
        # no measure of theirs on it, or someone else's account
        self._assert_refused(
            self.objection_own, "action_view_actions", (self.user_none,)
        )
        self._assert_refused(
            self.objection_other, "action_view_actions", (self.user_own,)
        )
        # whoever carries out a measure reads the objection and its measures
        action = self.objection_other.with_user(self.user_none).action_view_actions()
        self._assert_action(action, "customer.objection.action")
        self.assertEqual(
            action["domain"], [("objection_id", "=", self.objection_other.id)]
        )

    @covers("customer.objection.action", "action_done")
    def test_measure_done(self):
        # not theirs: another department's employee who only reads it, an
        # account manager of another account, a portal user
        self._assert_refused(self.measure_other, "action_done", (self.user_none,))
        self._assert_refused(self.measure_other, "action_done", (self.user_own,))
        self._assert_refused(self.measure_taker, "action_done", (self.user_portal,))
        self.assertEqual(
            self._values(self.measure_other | self.measure_taker, "state"),
            [["open"], ["open"]],
        )
        # its responsible, who may not write the objection
        self.measure_taker.with_user(self.user_none).action_done()
        self.assertEqual(self._values(self.measure_taker, "state"), [["done"]])

    @covers("customer.objection.action", "action_cancel")
    def test_measure_cancel(self):
        # the responsible may mark it done, not cancel it
        self._assert_refused(self.measure_taker, "action_cancel", (self.user_none,))
        self._assert_refused(self.measure_other, "action_cancel", (self.user_own,))
        self._assert_refused(self.measure_own, "action_cancel", (self.user_portal,))
        self.assertEqual(
            self._values(
                self.measure_own | self.measure_other | self.measure_taker, "state"
            ),
            [["open"], ["open"], ["open"]],
        )
        self.assertTrue(self.measure_taker.activity_id.exists())
        self.measure_own.with_user(self.user_own).action_cancel()
        self.assertEqual(self._values(self.measure_own, "state"), [["cancel"]])

    @covers("customer.objection.action", "action_reopen")
    def test_measure_reopen(self):
        measures = self.measure_own | self.measure_other | self.measure_taker
        measures.sudo().action_done()
        self._assert_refused(self.measure_taker, "action_reopen", (self.user_none,))
        self._assert_refused(self.measure_other, "action_reopen", (self.user_own,))
        self._assert_refused(self.measure_own, "action_reopen", (self.user_portal,))
        self.assertEqual(
            self._values(measures, "state"), [["done"], ["done"], ["done"]]
        )
        self.measure_own.with_user(self.user_own).action_reopen()
        self.assertEqual(self._values(self.measure_own, "state"), [["open"]])

    @covers("customer.objection.category", "action_view_objections")
    def test_category_view_objections(self):
        self._assert_refused(
            self.category_price, "action_view_objections", (self.user_portal,)
        )
        action = self.category_price.with_user(self.user_own).action_view_objections()
        self._assert_action(action, "customer.objection")

    @covers(
        "customer.competitor",
        "action_view_won_leads",
        "action_view_lost_leads",
        "action_view_open_leads",
        "action_view_objections",
    )
    def test_competitor_buttons(self):
        competitor_c2 = self.env["customer.competitor"].create(
            {"name": "Rival of Company 2", "company_id": self.company_2.id}
        )
        methods = (
            "action_view_won_leads",
            "action_view_lost_leads",
            "action_view_open_leads",
            "action_view_objections",
        )
        for method in methods:
            with self.subTest(method=method):
                # without our groups, or in another company
                self._assert_refused(
                    self.competitor, method, (self.user_portal, self.user_none)
                )
                self._assert_refused(competitor_c2, method, (self.user_own,))
                action = getattr(self.competitor.with_user(self.user_own), method)()
                self._assert_action(
                    action,
                    "customer.objection"
                    if method == "action_view_objections"
                    else "crm.lead",
                )

    def _assert_document_buttons(self, attacks, allowed):
        """The objections buttons of accounts, orders and opportunities:
        ``attacks`` are (record, users) refused, ``allowed`` the (record,
        user) for whom they open."""
        for record, users in attacks:
            self._assert_refused(record, "action_view_objections", users)
        for record, users in attacks:
            # recording one also needs the right to create objections
            self._assert_refused(record, "action_record_objection", users)
        record, user = allowed
        action = record.with_user(user).action_view_objections()
        self._assert_action(action, "customer.objection")
        action = record.with_user(user).action_record_objection()
        self._assert_action(action, "customer.objection")

    @covers("res.partner", "action_view_objections", "action_record_objection")
    def test_partner_objections(self):
        self._assert_document_buttons(
            [(self.account_own_kam, (self.user_portal,))],
            (self.account_own_kam, self.user_own),
        )
        self._assert_refused(
            self.account_own_kam, "action_record_objection", (self.user_none,)
        )

    @covers("sale.order", "action_view_objections", "action_record_objection")
    def test_order_objections(self):
        self._assert_document_buttons(
            [
                (self.order_own, (self.user_portal, self.user_none)),
                (self.order_other, (self.user_own,)),
            ],
            (self.order_own, self.user_own),
        )

    @covers("crm.lead", "action_view_objections", "action_record_objection")
    def test_lead_objections(self):
        self._assert_document_buttons(
            [
                (self.lead_own, (self.user_portal, self.user_none)),
                (self.lead_other, (self.user_own,)),
            ],
            (self.lead_own, self.user_own),
        )

    # ------------------------------------------------------------------
    # Support plans
    # ------------------------------------------------------------------

    @covers("customer.support.plan", "action_check_now")
    def test_plan_check_now(self):
        plans = self.plan_own | self.plan_other
        plans.sudo().write({"last_check_date": False})
        # the responsible of one of its steps reads the plan, may not work it
        self._assert_refused(
            self.plan_own, "action_check_now", (self.user_portal, self.user_none)
        )
        self._assert_refused(
            self.plan_other, "action_check_now", (self.user_none, self.user_own)
        )
        self.assertEqual(self._values(plans, "last_check_date"), [[False], [False]])
        self.assertTrue(self.plan_own.with_user(self.user_own).action_check_now())
        self.assertTrue(self._values(self.plan_own, "last_check_date")[0][0])
        self.assertFalse(self._values(self.plan_other, "last_check_date")[0][0])

    @covers("customer.support.plan", "action_view_order")
    def test_plan_view_order(self):
        self._assert_refused(self.plan_own, "action_view_order", (self.user_portal,))
        self._assert_refused(
            self.plan_other, "action_view_order", (self.user_none, self.user_own)
        )
        # the responsible of a step reads its plan
        action = self.plan_own.with_user(self.user_none).action_view_order()
        self._assert_action(action, "sale.order")
        self.assertEqual(action["res_id"], self.order_own.id)

    @covers("customer.support.step", "action_done")
    def test_step_done(self):
        self._assert_refused(self.step_taker, "action_done", (self.user_portal,))
        # reads the kick-off step through their own step: not theirs
        self._assert_refused(self.step_kickoff, "action_done", (self.user_none,))
        self._assert_refused(self.step_other, "action_done", (self.user_own,))
        self.assertEqual(
            self._values(
                self.step_taker | self.step_kickoff | self.step_other, "state"
            ),
            [["todo"], ["todo"], ["todo"]],
        )
        self.step_taker.with_user(self.user_none).action_done(note="Reviewed")
        self.assertEqual(
            self._values(self.step_taker, "state", "done_user_id"),
            [["done", self.user_none]],
        )

    @covers("customer.support.step", "action_skip")
    def test_step_skip(self):
        self._assert_refused(self.step_taker, "action_skip", (self.user_portal,))
        self._assert_refused(self.step_kickoff, "action_skip", (self.user_none,))
        self._assert_refused(self.step_other, "action_skip", (self.user_own,))
        action = self.step_taker.with_user(self.user_none).action_skip()
        self._assert_action(action, "customer.support.step.skip")
        self.assertEqual(action["context"]["default_step_ids"], self.step_taker.ids)
        self.assertEqual(self._values(self.step_taker, "state"), [["todo"]])

    @covers("customer.support.step.skip", "action_skip")
    def test_step_skip_dialog(self):
        Skip = self.env["customer.support.step.skip"]
        for user, step in (
            (self.user_none, self.step_kickoff),
            (self.user_own, self.step_other),
        ):
            with (
                mute_logger(*MUTED),
                self.assertRaises(AccessError, msg=user.login),
            ):
                Skip.with_user(user).create(
                    {"step_ids": [Command.set(step.ids)], "reason": "Not needed"}
                ).action_skip()
        # no access to the dialog at all
        wizard = Skip.create(
            {"step_ids": [Command.set(self.step_taker.ids)], "reason": "Not needed"}
        )
        self._assert_refused(wizard, "action_skip", (self.user_portal,))
        self.assertEqual(
            self._values(
                self.step_taker | self.step_kickoff | self.step_other, "state"
            ),
            [["todo"], ["todo"], ["todo"]],
        )
        Skip.with_user(self.user_none).create(
            {"step_ids": [Command.set(self.step_taker.ids)], "reason": "Not needed"}
        ).action_skip()
        self.assertEqual(
            self._values(self.step_taker, "state", "note"),
            [["skipped", "Not needed"]],
        )

    @covers("customer.support.workflow", "action_view_plans")
    def test_workflow_view_plans(self):
        self._assert_refused(
            self.workflow_standard, "action_view_plans", (self.user_portal,)
        )
        action = self.workflow_standard.with_user(self.user_own).action_view_plans()
        self._assert_action(action, "customer.support.plan")

    @covers("res.partner", "action_view_support_plans")
    def test_partner_view_support_plans(self):
        self._assert_refused(
            self.account_own_kam, "action_view_support_plans", (self.user_portal,)
        )
        action = self.account_own_kam.with_user(
            self.user_own
        ).action_view_support_plans()
        self._assert_action(action, "customer.support.plan")

    @covers("sale.order", "action_view_support_plan")
    def test_order_view_support_plan(self):
        self._assert_refused(
            self.order_own,
            "action_view_support_plan",
            (self.user_portal, self.user_none),
        )
        self._assert_refused(
            self.order_other, "action_view_support_plan", (self.user_own,)
        )
        action = self.order_own.with_user(self.user_own).action_view_support_plan()
        self._assert_action(action, "customer.support.plan")
        self.assertEqual(action["res_id"], self.plan_own.id)

    # ------------------------------------------------------------------
    # Tiers
    # ------------------------------------------------------------------

    def _ranking(self, account):
        return (
            self.env["customer.tier.ranking"]
            .sudo()
            .search(
                [
                    ("partner_id", "=", account.id),
                    ("company_id", "=", self.env.company.id),
                ]
            )
        )

    @covers("res.partner", "action_customer_tier_recompute")
    def test_partner_tier_recompute(self):
        non_administrators = (
            self.user_portal,
            self.user_none,
            self.user_own,
            self.user_all,
        )
        self._assert_refused(
            self.account_own_kam, "action_customer_tier_recompute", non_administrators
        )
        self.assertFalse(self._ranking(self.account_own_kam).annual_revenue)
        self.account_own_kam.with_user(
            self.user_manager
        ).action_customer_tier_recompute()
        self.assertTrue(self._ranking(self.account_own_kam).annual_revenue)

    @covers("customer.tier", "action_recompute_tiers")
    def test_tier_recompute_all(self):
        non_administrators = (
            self.user_portal,
            self.user_none,
            self.user_own,
            self.user_all,
        )
        Tier = self.env["customer.tier"]
        self._assert_refused(Tier, "action_recompute_tiers", non_administrators)
        self._assert_refused(self.tier, "action_recompute_tiers", non_administrators)
        self.assertFalse(self._ranking(self.account_other_kam).annual_revenue)
        action = Tier.with_user(self.user_manager).action_recompute_tiers()
        self._assert_action(action, "res.partner")
        self.assertTrue(self._ranking(self.account_other_kam).annual_revenue)

    @covers("customer.tier", "action_view_partners")
    def test_tier_view_partners(self):
        self._assert_refused(self.tier, "action_view_partners", (self.user_portal,))
        action = self.tier.with_user(self.user_own).action_view_partners()
        self._assert_action(action, "res.partner")

    @covers("res.partner", "action_customer_tier_set")
    def test_partner_tier_set_dialog(self):
        self._assert_refused(
            self.account_own_kam, "action_customer_tier_set", (self.user_portal,)
        )
        action = self.contact_own_kam.with_user(
            self.user_manager
        ).action_customer_tier_set()
        self._assert_action(action, "customer.tier.assign")
        self.assertEqual(
            action["context"]["default_partner_id"], self.account_own_kam.id
        )

    @covers("customer.tier.assign", "action_apply")
    def test_tier_assign_dialog(self):
        history = self._count(
            "customer.tier.history", [("partner_id", "=", self.account_own_kam.id)]
        )
        values = {
            "partner_id": self.account_own_kam.id,
            "tier_id": self.tier.id,
            "reason": "My favourite customer",
        }
        wizard = self.env["customer.tier.assign"].create(values)
        self._assert_refused(
            wizard,
            "action_apply",
            (self.user_portal, self.user_none, self.user_own, self.user_all),
        )
        for user in (self.user_own, self.user_all):
            with mute_logger(*MUTED), self.assertRaises(AccessError):
                self.env["customer.tier.assign"].with_user(user).create(
                    values
                ).action_apply()
        self.assertEqual(
            self._values(
                self.account_own_kam, "customer_tier_id", "customer_tier_locked"
            ),
            [[self.env["customer.tier"], False]],
        )
        self.assertEqual(
            self._count(
                "customer.tier.history",
                [("partner_id", "=", self.account_own_kam.id)],
            ),
            history,
        )
        self.env["customer.tier.assign"].with_user(self.user_manager).create(
            values
        ).action_apply()
        self.assertEqual(
            self._values(
                self.account_own_kam, "customer_tier_id", "customer_tier_locked"
            ),
            [[self.tier, True]],
        )

    # ------------------------------------------------------------------
    # Referrals
    # ------------------------------------------------------------------

    NON_ADMINISTRATORS = ("user_portal", "user_none", "user_own", "user_all")

    def _non_administrators(self):
        return [getattr(self, name) for name in self.NON_ADMINISTRATORS]

    @covers("customer.referral", "action_approve")
    def test_referral_approve(self):
        self._assert_refused(
            self.referral_qualified, "action_approve", self._non_administrators()
        )
        self.assertEqual(
            self._values(self.referral_qualified, "state", "reward_card_id"),
            [["qualified", self.env["loyalty.card"]]],
        )
        self.referral_qualified.with_user(self.user_manager).action_approve()
        self.assertEqual(self._values(self.referral_qualified, "state"), [["rewarded"]])

    @covers("customer.referral", "action_reject")
    def test_referral_reject_button(self):
        self._assert_refused(
            self.referral_own, "action_reject", self._non_administrators()
        )
        action = self.referral_own.with_user(self.user_manager).action_reject()
        self._assert_action(action, "customer.referral.reject")
        self.assertEqual(self._values(self.referral_own, "state"), [["pending"]])

    @covers("customer.referral.reject", "action_reject")
    def test_referral_reject_dialog(self):
        Reject = self.env["customer.referral.reject"]
        wizard = Reject.create(
            {
                "referral_ids": [Command.set(self.referral_own.ids)],
                "reason": "Never heard of them",
            }
        )
        self._assert_refused(wizard, "action_reject", self._non_administrators())
        self.assertEqual(
            self._values(self.referral_own, "state", "reject_reason"),
            [["pending", False]],
        )
        Reject.with_user(self.user_manager).create(
            {
                "referral_ids": [Command.set(self.referral_own.ids)],
                "reason": "Never heard of them",
            }
        ).action_reject()
        self.assertEqual(
            self._values(self.referral_own, "state", "reject_reason"),
            [["rejected", "Never heard of them"]],
        )

    @covers("customer.referral", "action_reset_to_pending")
    def test_referral_reset_to_pending(self):
        self._assert_refused(
            self.referral_rejected,
            "action_reset_to_pending",
            self._non_administrators(),
        )
        self.assertEqual(self._values(self.referral_rejected, "state"), [["rejected"]])
        self.referral_rejected.with_user(self.user_manager).action_reset_to_pending()
        self.assertEqual(self._values(self.referral_rejected, "state"), [["pending"]])

    @covers("customer.referral", "action_view_reward_card")
    def test_referral_view_reward_card(self):
        self._assert_refused(
            self.referral_rewarded,
            "action_view_reward_card",
            (self.user_portal, self.user_none),
        )
        self._assert_refused(
            self.referral_other, "action_view_reward_card", (self.user_own,)
        )
        action = self.referral_rewarded.with_user(
            self.user_own
        ).action_view_reward_card()
        self._assert_action(action, "loyalty.card")
        self.assertEqual(action["res_id"], self.referral_rewarded.reward_card_id.id)

    @covers("customer.referral.clause", "action_view_referrals")
    def test_clause_view_referrals(self):
        self._assert_refused(self.clause, "action_view_referrals", (self.user_portal,))
        action = self.clause.with_user(self.user_own).action_view_referrals()
        self._assert_action(action, "customer.referral")

    @covers(
        "res.partner",
        "action_view_customer_referrals",
        "action_view_referred_by_referral",
    )
    def test_partner_view_referrals(self):
        referred = self.referral_own.referred_id
        for record, method in (
            (self.account_own_kam, "action_view_customer_referrals"),
            (referred, "action_view_referred_by_referral"),
        ):
            self._assert_refused(record, method, (self.user_portal,))
            action = getattr(record.with_user(self.user_own), method)()
            self._assert_action(action, "customer.referral")
        action = referred.with_user(self.user_own).action_view_referred_by_referral()
        self.assertEqual(action["res_id"], self.referral_own.id)

    @covers(
        "res.partner",
        "action_register_customer_referral",
        "action_register_referred_by",
    )
    def test_partner_register_referral_dialogs(self):
        for method, key in (
            ("action_register_customer_referral", "default_referrer_id"),
            ("action_register_referred_by", "default_referred_id"),
        ):
            # registering needs the right to create referrals
            self._assert_refused(
                self.account_own_kam, method, (self.user_portal, self.user_none)
            )
            action = getattr(self.contact_own_kam.with_user(self.user_own), method)()
            self._assert_action(action, "customer.referral.register")
            self.assertEqual(action["context"][key], self.account_own_kam.id)

    @covers(
        "sale.order",
        "action_register_customer_referral",
        "action_view_customer_referrals",
    )
    def test_order_referral_buttons(self):
        for method in (
            "action_register_customer_referral",
            "action_view_customer_referrals",
        ):
            self._assert_refused(
                self.source_order, method, (self.user_portal, self.user_none)
            )
            self._assert_refused(self.source_order_other, method, (self.user_own,))
        action = self.source_order.with_user(
            self.user_own
        ).action_register_customer_referral()
        self._assert_action(action, "customer.referral.register")
        self.assertEqual(
            action["context"]["default_source_order_id"], self.source_order.id
        )
        action = self.source_order.with_user(
            self.user_own
        ).action_view_customer_referrals()
        self._assert_action(action, "customer.referral")

    @covers("customer.referral.register", "action_register")
    def test_referral_register_dialog(self):
        Register = self.env["customer.referral.register"]
        before = self._count("customer.referral")
        values = {
            "referrer_id": self.account_own_kam.id,
            "referred_id": self.prospect.id,
        }
        wizard = Register.create(values)
        self._assert_refused(
            wizard, "action_register", (self.user_portal, self.user_none)
        )
        # an account manager registering a referral between accounts that are
        # not theirs
        with mute_logger(*MUTED), self.assertRaises(AccessError):
            Register.with_user(self.user_own).create(
                {
                    "referrer_id": self.account_other_kam.id,
                    "referred_id": self.account_unassigned.id,
                }
            ).action_register()
        self.assertEqual(self._count("customer.referral"), before)
        action = Register.with_user(self.user_own).create(values).action_register()
        referral = self.env["customer.referral"].browse(action["res_id"])
        self.assertRecordValues(
            referral,
            [
                {
                    "referrer_id": self.account_own_kam.id,
                    "referred_id": self.prospect.id,
                    "source_order_id": self.source_order.id,
                    "state": "pending",
                }
            ],
        )

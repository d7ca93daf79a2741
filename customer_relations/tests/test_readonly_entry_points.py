"""The addon's read-only buttons run on a read-only cursor.

Odoo 18 serves ``/web/dataset/call_kw`` and ``call_button`` on a read-only
cursor (on the read replica when ``db_replica_host`` is set) when the method
is marked ``@api.readonly``. Should such a method write, PostgreSQL refuses
the write, Odoo logs "<error>, retrying with a read/write cursor" and runs the
whole request again on the primary: slower, and on a replica deployment a
load that should not be there. Each read-only method of the addon is called
here over JSON-RPC as the web client calls it; the test fails when the call
was retried on a read/write cursor, and checks the action it returns.

``HttpCase`` simulates the read-only cursor (``SET TRANSACTION READ ONLY``
on the test transaction, ``registry.test_readonly_enabled``), so a hidden
write fails here as it would on a replica.
"""

import json
from unittest.mock import patch

from odoo import api
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from odoo.addons.web.controllers import dataset

from .access_coverage import addon_public_methods
from .test_security_attacks import SecurityAttackCommon

# The public methods of the addon that write, and so must not be read-only.
WRITING_METHODS = {
    ("customer.objection.action", "action_cancel"),
    ("customer.objection.action", "action_done"),
    ("customer.objection.action", "action_reopen"),
    ("customer.referral", "action_approve"),
    ("customer.referral", "action_reset_to_pending"),
    ("customer.referral.register", "action_register"),
    ("customer.referral.reject", "action_reject"),
    ("customer.support.plan", "action_check_now"),
    ("customer.support.step", "action_done"),
    ("customer.support.step.skip", "action_skip"),
    ("customer.tier", "action_recompute_tiers"),
    ("customer.tier.assign", "action_apply"),
    ("customer.segment", "action_recompute_segments"),
    ("customer.segment.assign", "action_apply"),
    ("res.partner", "action_customer_tier_recompute"),
    ("res.partner", "action_reliability_check"),
    ("crm.lead", "action_reliability_check"),
    ("sale.order", "action_reliability_approve"),
    ("sale.order", "action_reliability_request_approval"),
    ("customer.monthly.report", "action_submit"),
    ("customer.monthly.report", "action_approve"),
    ("customer.monthly.report", "action_send_back"),
    ("customer.monthly.report.send.back", "action_send_back"),
    ("customer.range.coverage", "action_offer"),
    ("customer.range.coverage", "action_recompute"),
    ("customer.range.white.space", "action_offer"),
}
RETRY_WARNING = "retrying with a read/write cursor"


def is_readonly(env, model, method):
    """Whether ``/web/dataset/call_kw`` serves ``model.method`` on a read-only
    cursor: the first ``_readonly`` marker along the class's MRO, as
    ``DataSet._call_kw_readonly`` looks it up."""
    for cls in type(env[model]).mro():
        function = getattr(cls, method, None)
        if function is not None and hasattr(function, "_readonly"):
            return function._readonly
    return False


def jsonable(value):
    """``value`` as it comes back over JSON-RPC (tuples become lists)."""
    return json.loads(json.dumps(value))


@tagged("post_install", "-at_install")
class TestReadonlyEntryPoints(HttpCase, SecurityAttackCommon):
    def _read_only_calls(self):
        """``{(model, method): (record, expected subset of the action)}``."""
        partner = self.account_own_kam
        referred = self.referral_own.referred_id
        order = self.order_own
        lead = self.lead_own
        objection = self.objection_own
        category = self.category_price
        plan = self.plan_own
        competitor_context = {
            "default_type": "opportunity",
            "default_competitor_ids": [self.competitor.id],
        }
        segment = self.segment
        return {
            ("customer.segment", "action_view_accounts"): (
                segment,
                {"res_model": "res.partner"},
            ),
            ("customer.segment", "action_send_promotion"): (
                segment,
                {"res_model": "mail.compose.message", "target": "new"},
            ),
            ("res.partner", "action_customer_segment_set"): (
                partner,
                {"res_model": "customer.segment.assign", "target": "new"},
            ),
            ("res.partner", "action_send_customer_promotion"): (
                partner,
                {"res_model": "mail.compose.message", "target": "new"},
            ),
            ("res.partner", "action_view_objections"): (
                partner,
                {
                    "res_model": "customer.objection",
                    "domain": [["commercial_partner_id", "=", partner.id]],
                },
            ),
            ("res.partner", "action_record_objection"): (
                partner,
                {"res_model": "customer.objection", "view_mode": "form"},
            ),
            ("res.partner", "action_customer_tier_set"): (
                partner,
                {"res_model": "customer.tier.assign", "target": "new"},
            ),
            ("res.partner", "action_view_customer_referrals"): (
                partner,
                {
                    "res_model": "customer.referral",
                    "domain": [["referrer_id", "=", partner.id]],
                },
            ),
            ("res.partner", "action_view_referred_by_referral"): (
                referred,
                {"res_model": "customer.referral", "res_id": self.referral_own.id},
            ),
            ("res.partner", "action_register_customer_referral"): (
                partner,
                {
                    "res_model": "customer.referral.register",
                    "context": {
                        "default_company_id": self.env.company.id,
                        "default_referrer_id": partner.id,
                    },
                },
            ),
            ("res.partner", "action_register_referred_by"): (
                referred,
                {
                    "res_model": "customer.referral.register",
                    "context": {
                        "default_company_id": self.env.company.id,
                        "default_referred_id": referred.id,
                    },
                },
            ),
            ("res.partner", "action_view_customer_account_plans"): (
                partner,
                {
                    "res_model": "customer.account.plan",
                    "res_id": self.account_plan_own.id,
                },
            ),
            ("customer.account.plan", "action_record_review"): (
                self.account_plan_own,
                {
                    "res_model": "customer.account.review",
                    "context": {"default_plan_id": self.account_plan_own.id},
                },
            ),
            ("customer.account.plan", "action_view_reviews"): (
                self.account_plan_own,
                {
                    "res_model": "customer.account.review",
                    "domain": [["plan_id", "=", self.account_plan_own.id]],
                },
            ),
            ("res.partner", "action_view_support_plans"): (
                partner,
                {
                    "res_model": "customer.support.plan",
                    "domain": [["partner_id", "=", partner.id]],
                },
            ),
            ("sale.order", "action_view_objections"): (
                order,
                {
                    "res_model": "customer.objection",
                    "domain": [["order_id", "=", order.id]],
                },
            ),
            ("sale.order", "action_record_objection"): (
                order,
                {"res_model": "customer.objection", "view_mode": "form"},
            ),
            ("sale.order", "action_register_customer_referral"): (
                self.source_order,
                {
                    "res_model": "customer.referral.register",
                    "context": {
                        "default_company_id": self.source_order.company_id.id,
                        "default_referrer_id": partner.id,
                        "default_source_order_id": self.source_order.id,
                    },
                },
            ),
            ("sale.order", "action_view_customer_referrals"): (
                self.source_order,
                {
                    "res_model": "customer.referral",
                    "domain": [["source_order_id", "=", self.source_order.id]],
                },
            ),
            ("sale.order", "action_view_support_plan"): (
                order,
                {"res_model": "customer.support.plan", "res_id": plan.id},
            ),
            ("crm.lead", "action_view_objections"): (
                lead,
                {
                    "res_model": "customer.objection",
                    "domain": [["lead_id", "=", lead.id]],
                },
            ),
            ("crm.lead", "action_record_objection"): (
                lead,
                {
                    "res_model": "customer.objection",
                    "context": {
                        "default_partner_id": partner.id,
                        "default_lead_id": lead.id,
                        "default_team_id": lead.team_id.id,
                        "default_company_id": lead.company_id.id or self.env.company.id,
                        "default_kind": "objection",
                    },
                },
            ),
            ("customer.objection", "action_view_actions"): (
                objection,
                {
                    "res_model": "customer.objection.action",
                    "domain": [["objection_id", "=", objection.id]],
                },
            ),
            ("customer.objection.category", "action_view_objections"): (
                category,
                {
                    "res_model": "customer.objection",
                    "domain": [["category_id", "=", category.id]],
                },
            ),
            ("customer.competitor", "action_view_won_leads"): (
                self.competitor,
                {"res_model": "crm.lead", "context": competitor_context},
            ),
            ("customer.competitor", "action_view_lost_leads"): (
                self.competitor,
                {
                    "res_model": "crm.lead",
                    "context": {**competitor_context, "active_test": False},
                },
            ),
            ("customer.competitor", "action_view_open_leads"): (
                self.competitor,
                {"res_model": "crm.lead", "context": competitor_context},
            ),
            ("customer.competitor", "action_view_objections"): (
                self.competitor,
                {
                    "res_model": "customer.objection",
                    "domain": [["competitor_id", "=", self.competitor.id]],
                },
            ),
            ("customer.referral", "action_reject"): (
                self.referral_own,
                {"res_model": "customer.referral.reject", "target": "new"},
            ),
            ("customer.referral", "action_view_reward_card"): (
                self.referral_rewarded,
                {
                    "res_model": "loyalty.card",
                    "res_id": self.referral_rewarded.reward_card_id.id,
                },
            ),
            ("customer.referral.clause", "action_view_referrals"): (
                self.clause,
                {
                    "res_model": "customer.referral",
                    "domain": [["clause_id", "=", self.clause.id]],
                },
            ),
            ("customer.support.plan", "action_view_order"): (
                plan,
                {"res_model": "sale.order", "res_id": order.id},
            ),
            ("customer.support.step", "action_skip"): (
                self.step_kickoff,
                {
                    "res_model": "customer.support.step.skip",
                    "context": {"default_step_ids": self.step_kickoff.ids},
                },
            ),
            ("customer.support.workflow", "action_view_plans"): (
                self.workflow_standard,
                {
                    "res_model": "customer.support.plan",
                    "domain": [["workflow_id", "=", self.workflow_standard.id]],
                },
            ),
            ("customer.tier", "action_view_partners"): (
                self.tier,
                {
                    "res_model": "res.partner",
                    "context": {"default_customer_tier_id": self.tier.id},
                },
            ),
        }

    def _call_kw(self, records, method):
        """Call ``method`` on ``records`` through ``/web/dataset/call_kw`` as
        the web client does; returns (result, [read-only flag of the cursor
        of each attempt])."""
        cursor_modes = []
        call_kw = dataset.call_kw

        def recording_call_kw(model, name, args, kwargs):
            cursor_modes.append(model.env.cr.readonly)
            return call_kw(model, name, args, kwargs)

        with patch.object(dataset, "call_kw", recording_call_kw):
            result = self.make_jsonrpc_request(
                f"/web/dataset/call_kw/{records._name}/{method}",
                {
                    "model": records._name,
                    "method": method,
                    "args": [records.ids],
                    "kwargs": {"context": {"lang": "en_US"}},
                },
            )
        return result, cursor_modes

    def test_read_only_methods_run_on_a_read_only_cursor(self):
        self.authenticate(self.user_manager.login, self.user_manager.login)
        for (model, method), (
            records,
            expected,
        ) in self._read_only_calls().items():
            with self.subTest(model=model, method=method):
                self.assertTrue(is_readonly(self.env, model, method))
                with self.assertNoLogs("odoo.http", level="WARNING"):
                    action, cursor_modes = self._call_kw(records, method)
                self.assertEqual(
                    cursor_modes,
                    [True],
                    f"{model}.{method} did not run on one read-only cursor",
                )
                self.assertEqual(action["type"], "ir.actions.act_window")
                self.assertEqual(
                    {key: action.get(key) for key in expected}, jsonable(expected)
                )

    def test_a_hidden_write_is_caught(self):
        """The check above sees a write: a read-only method that writes is
        retried on a read/write cursor, with Odoo's warning."""
        Tier = type(self.env["customer.tier"])
        view_partners = Tier.action_view_partners

        @api.readonly
        def writing_view_partners(self):
            self.sudo().write({"sequence": self.sequence + 1})
            return view_partners(self)

        self.authenticate(self.user_manager.login, self.user_manager.login)
        with (
            patch.object(Tier, "action_view_partners", writing_view_partners),
            mute_logger("odoo.sql_db"),  # the refused UPDATE
            self.assertLogs("odoo.http", level="WARNING") as logs,
        ):
            action, cursor_modes = self._call_kw(self.tier, "action_view_partners")
        self.assertEqual(cursor_modes, [True, False])
        self.assertIn(RETRY_WARNING, logs.output[0])
        self.assertEqual(action["res_model"], "res.partner")

    def test_every_public_method_is_read_only_or_writes(self):
        """A new button is either marked ``@api.readonly`` and called above, or
        listed in WRITING_METHODS: it cannot be forgotten."""
        public = set(addon_public_methods(self.env))
        readonly = {pair for pair in public if is_readonly(self.env, *pair)}
        self.assertEqual(
            sorted(public - readonly - WRITING_METHODS),
            [],
            "public methods neither @api.readonly nor listed in WRITING_METHODS",
        )
        self.assertEqual(
            sorted(readonly & WRITING_METHODS),
            [],
            "listed as writing but marked @api.readonly",
        )
        self.assertEqual(sorted(WRITING_METHODS - public), [], "stale entries")
        self.assertEqual(
            sorted(readonly ^ set(self._read_only_calls())),
            [],
            "read-only methods not called by the test above (or not read-only)",
        )

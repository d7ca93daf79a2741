"""One record that fails never stops a cron's batch: it is logged in its
chatter and skipped, the others are done, and the next call goes on past it
instead of failing on it again."""

from contextlib import contextmanager
from unittest.mock import patch

from freezegun import freeze_time

from odoo import fields
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common_objection import FRIDAY_3PM, ObjectionCommon
from .common_support import SupportCommon
from .test_customer_referral import CustomerReferralCommon

BATCH_LOGGER = "odoo.addons.customer_relations.models.batch"


@contextmanager
def failing_for(model, method, bad):
    """Make ``model.method`` raise whenever it is called on a recordset (or
    with ids) that holds ``bad``, and work as usual otherwise."""
    cls = type(model)
    original = getattr(cls, method)

    def fake(self, *args, **kwargs):
        ids = set(self.ids)
        for arg in args:
            ids |= set(getattr(arg, "ids", arg if isinstance(arg, list) else []))
        if bad.id in ids:
            raise ValueError(f"broken record {bad.id}")
        return original(self, *args, **kwargs)

    with patch.object(cls, method, fake), mute_logger(BATCH_LOGGER):
        yield


def failure_notes(record):
    record.invalidate_recordset(["message_ids"])
    return record.message_ids.filtered(lambda m: "was skipped" in (m.body or ""))


@tagged("post_install", "-at_install")
class TestObjectionCronResilience(ObjectionCommon):
    def test_escalation_skips_the_failing_objection(self):
        with freeze_time(FRIDAY_3PM):
            first, bad, last = self.env["customer.objection"].create(
                [
                    {"name": f"Late {i}", "partner_id": self.account_unassigned.id}
                    for i in range(3)
                ]
            )
        Objection = self.env["customer.objection"]
        with (
            freeze_time("2026-12-02 09:00:00"),
            failing_for(Objection, "_escalate", bad),
        ):
            done = Objection._cron_escalate_overdue(batch_size=2)
            self.assertEqual(done, first)
            self.assertTrue(first.escalated_date)
            self.assertFalse(bad.escalated_date)
            self.assertEqual(len(failure_notes(bad)), 1)
            self.assertIn("broken record", failure_notes(bad).body)
            # the next call goes on after the failing objection
            self.assertEqual(Objection._cron_escalate_overdue(batch_size=2), last)
            self.assertEqual(len(failure_notes(bad)), 1, "not tried again")
        # the next full pass tries it again, and escalates it once it works
        with freeze_time("2026-12-02 10:00:00"):
            self.assertEqual(Objection._cron_escalate_overdue(batch_size=2), bad)
            self.assertTrue(bad.escalated_date)


@tagged("post_install", "-at_install")
class TestReferralCronResilience(CustomerReferralCommon):
    def test_expiry_skips_the_failing_referral(self):
        with freeze_time("2025-01-01"):
            first = self._register(date=fields.Date.to_date("2025-01-01"))
            bad = self._register(
                referred=self.account_unassigned, date=fields.Date.to_date("2025-01-01")
            )
        Referral = self.env["customer.referral"]
        with freeze_time("2025-02-01"), failing_for(Referral, "_expire", bad):
            Referral._cron_expire_referrals()
            self.assertEqual(first.state, "expired")
            self.assertEqual(bad.state, "pending")
            self.assertEqual(len(failure_notes(bad)), 1)
        with freeze_time("2025-02-01"):
            Referral._cron_expire_referrals()
        self.assertEqual(bad.state, "expired")


@tagged("post_install", "-at_install")
class TestSupportCronResilience(SupportCommon):
    def test_pending_plans_skip_the_failing_order(self):
        orders = self.env["sale.order"].concat(
            *(self._order(self.account_own_kam) for _ in range(21))
        )
        orders.action_confirm()
        bad = orders[5]
        Plan = self.env["customer.support.plan"]
        with failing_for(Plan, "_create_for_orders", bad):
            done = Plan._cron_create_pending_plans(batch_size=10)
            self.assertEqual(done, orders[:10] - bad)
            self.assertFalse(bad.support_plan_ids)
            self.assertTrue(bad.support_plan_pending, "still to do")
            self.assertEqual(len(failure_notes(bad)), 1)
            # the next calls go on past it
            self.assertEqual(
                Plan._cron_create_pending_plans(batch_size=10), orders[10:20]
            )
            self.assertEqual(
                Plan._cron_create_pending_plans(batch_size=10), orders[20:]
            )
        self.assertEqual(len((orders - bad).support_plan_ids), 20)
        # the next pass makes its plan
        self.assertEqual(Plan._cron_create_pending_plans(batch_size=10), bad)
        self.assertTrue(bad.support_plan_ids)

    def test_plan_check_skips_the_failing_plan(self):
        orders = self._order(self.account_own_kam) | self._order(self.account_own_kam)
        orders.action_confirm()
        good, bad = orders.support_plan_id
        orders.order_line.qty_delivered = 2.0
        Plan = self.env["customer.support.plan"]
        (good | bad).sudo().last_check_date = False
        with failing_for(Plan, "_run_automatic_checks", bad):
            done = Plan._cron_check_plans()
        self.assertIn(good, done)
        self.assertNotIn(bad, done)
        self.assertEqual(len(failure_notes(bad)), 1)
        self.assertTrue(bad.last_check_date, "put at the back of the queue")
        self.assertEqual(self._step(good, "delivery").state, "done")


@tagged("post_install", "-at_install")
class TestTierCronResilience(SupportCommon):
    def test_ranking_skips_the_failing_account(self):
        Partner = self.env["res.partner"]
        customers = Partner.create(
            [{"name": f"Ranked {i}", "is_company": True} for i in range(3)]
        )
        tier = self.env["customer.tier"].create(
            {"name": "Resilient", "min_annual_revenue": 1.0, "sequence": 1}
        )
        for customer in customers:
            self._order(customer).action_confirm()
        bad = customers[1]
        self.env["ir.config_parameter"].sudo().set_param(
            "customer_relations.tier_recompute_last_id", customers[0].id - 1
        )
        with failing_for(self.env["customer.tier"], "_recompute_accounts", bad):
            Partner._cron_customer_tier_recompute(batch_size=3)
        self.assertEqual(customers[0].customer_tier_id, tier)
        self.assertEqual(customers[2].customer_tier_id, tier)
        self.assertFalse(bad.customer_tier_id)
        self.assertEqual(len(failure_notes(bad)), 1)
        self.assertIn("Ranking into tiers", failure_notes(bad).body)

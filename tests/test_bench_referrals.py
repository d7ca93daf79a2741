"""The referrals benchmark's generator makes what it promises."""

from odoo.tests import TransactionCase, tagged

from .benchmarks.referrals import create_referrals


@tagged("post_install", "-at_install", "customer_relations_tooling")
class TestBenchReferrals(TransactionCase):
    def test_create_referrals(self):
        referrals, quotations = create_referrals(self.env, 5, prefix="Gen Referral")
        self.assertEqual(len(referrals), 5)
        self.assertEqual(set(referrals.mapped("state")), {"pending"})
        self.assertEqual(len(referrals.referrer_id), 1)
        self.assertEqual(
            quotations.partner_id.commercial_partner_id, referrals.referred_id
        )
        self.assertEqual(set(quotations.mapped("state")), {"draft"})
        quotations.action_confirm()
        self.assertEqual(set(referrals.mapped("state")), {"rewarded"})
        self.assertEqual(len(referrals.reward_card_id), 5)

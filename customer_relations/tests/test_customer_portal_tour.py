from odoo.tests import tagged

from .common_portal import CustomerPortalCommon


@tagged("post_install", "-at_install")
class TestCustomerPortalTour(CustomerPortalCommon):
    def test_customer_portal_tour(self):
        self.start_tour("/my", "customer_relations_portal_tour", login="cr_portal_a")
        complaint = self.env["customer.objection"].search(
            [("name", "=", "Tour hinge broken")]
        )
        self.assertEqual(len(complaint), 1)
        self.assertEqual(complaint.partner_id, self.account_a)
        self.assertEqual(complaint.order_id, self.order_a)
        self.assertEqual(complaint.channel, "portal")
        self.assertEqual(
            complaint.message_ids.attachment_ids.mapped("name"), ["hinge.pdf"]
        )
        self.assertTrue(
            complaint.message_ids.filtered(
                lambda m: (
                    "Any news about the hinge?" in str(m.body)
                    and m.author_id == self.user_a.partner_id
                )
            )
        )
        referral = self.env["customer.referral"].search(
            [("referrer_id", "=", self.account_a.id)]
        )
        self.assertEqual(referral.referred_id.name, "Tour Newcomer Ltd")
        self.assertEqual(referral.state, "pending")

from datetime import datetime, timedelta

from odoo.tests import HttpCase, new_test_user, tagged

GROUPS = (
    "customer_relations.group_customer_relations_user,"
    "base.group_partner_manager,event.group_event_user"
)


@tagged("post_install", "-at_install")
class TestCustomerEventUi(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.account_manager = new_test_user(
            cls.env,
            login="cr_tour_events",
            password="cr_tour_events",
            name="Tour Event Account Manager",
            groups=GROUPS,
            tour_enabled=False,
        )
        Partner = cls.env["res.partner"]
        cls.account = Partner.create(
            {
                "name": "Tour Fair Account",
                "is_company": True,
                "customer_rank": 1,
                "email": "fair@tour-account.example.com",
                "key_account_manager_id": cls.account_manager.id,
            }
        )
        cls.account.write(
            {
                "customer_tier_id": cls.env.ref(
                    "customer_relations.customer_tier_strategic"
                ).id,
                "customer_tier_locked": True,
                "customer_tier_lock_reason": "Tour",
            }
        )
        begin = datetime.now().replace(microsecond=0) - timedelta(hours=1)
        cls.event = cls.env["event.event"].create(
            {
                "name": "Tour Fair",
                "date_begin": begin,
                "date_end": begin + timedelta(hours=8),
            }
        )

    def test_invite_and_attend_tour(self):
        self.start_tour(
            f"/odoo/event.event/{self.event.id}",
            "customer_relations_event_tour",
            login="cr_tour_events",
        )
        invitation = self.env["customer.event.invitation"].search(
            [("event_id", "=", self.event.id)]
        )
        self.assertEqual(invitation.partner_id, self.account)
        self.assertEqual(invitation.state, "attended")
        self.assertEqual(invitation.registration_id.state, "done")
        self.assertEqual(invitation.activity_id.user_id, self.account_manager)

    def test_answer_links(self):
        """The email's links: a page asks, its button answers; a wrong token
        is not found."""
        Invitation = self.env["customer.event.invitation"]
        invitation = Invitation.create(
            {
                "event_id": self.event.id,
                "partner_id": self.account.id,
                "contact_id": self.account.id,
            }
        )
        url = invitation._answer_url("accept")
        path = url[url.index("/customer_event") :]
        response = self.url_open(path)
        self.assertEqual(response.status_code, 200)
        self.assertIn("I will come", response.text)
        self.assertFalse(invitation.registration_id, "opening the link answers nothing")
        bad = path.replace("token=", "token=x")
        self.assertEqual(self.url_open(bad, data={"answer": "1"}).status_code, 404)
        self.assertFalse(invitation.registration_id)
        response = self.url_open(path, data={"answer": "1"})
        self.assertEqual(response.status_code, 200)
        self.assertIn("you are registered", response.text)
        self.assertEqual(invitation.registration_id.partner_id, self.account)
        self.assertEqual(invitation.state, "registered")
        decline = invitation._answer_url("decline")
        self.url_open(decline[decline.index("/customer_event") :], data={"answer": "1"})
        self.assertEqual(invitation.state, "declined")
        self.assertEqual(invitation.registration_id.state, "cancel")
        other = Invitation.create(
            {
                "event_id": self.event.id,
                "partner_id": self.env.ref("base.main_partner").id,
                "contact_id": self.env.ref("base.main_partner").id,
            }
        )
        wrong = path.replace(f"/{invitation.id}/", f"/{other.id}/")
        self.assertEqual(self.url_open(wrong, data={"answer": "1"}).status_code, 404)
        self.assertFalse(other.registration_id)

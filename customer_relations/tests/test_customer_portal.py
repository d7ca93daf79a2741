import importlib.util
from unittest.mock import patch

from odoo import http
from odoo.tests import tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import file_path, mute_logger

from .common_portal import CustomerPortalCommon

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00"
TOKEN_1 = "portal-submission-token-0001"
TOKEN_2 = "portal-submission-token-0002"


@tagged("post_install", "-at_install")
class TestCustomerPortal(CustomerPortalCommon):
    def _post(self, url, data, files=None):
        return self.url_open(
            url, data={**data, "csrf_token": http.Request.csrf_token(self)}, files=files
        )

    def _complaint_form(self, **values):
        return {
            "name": "Missing manual",
            "order_id": str(self.order_a.id),
            "category_id": str(
                self.env.ref(
                    "customer_relations.customer_objection_category_quality"
                ).id
            ),
            "description": "The manual was not in the box.",
            "submission_token": TOKEN_1,
            **values,
        }

    def _portal_complaints(self, account):
        return self.env["customer.objection"].search(
            [("commercial_partner_id", "=", account.id), ("channel", "=", "portal")]
        )

    # ------------------------------------------------------------------
    # Access
    # ------------------------------------------------------------------

    def test_public_user_gets_login(self):
        for url in (
            "/my/complaints",
            "/my/complaints/new",
            f"/my/complaints/{self.complaint_a.id}",
            (
                f"/my/complaints/{self.complaint_a.id}"
                f"?access_token={self.complaint_a._portal_ensure_token()}"
            ),
            "/my/referrals",
        ):
            response = self.url_open(url)
            self.assertIn("/web/login", response.url, url)
            self.assertNotIn("Scratched widgets", response.text, url)

    def test_complaint_list(self):
        self.authenticate("cr_portal_a", "cr_portal_a")
        response = self.url_open("/my/complaints")
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.complaint_a.reference, response.text)
        self.assertNotIn(self.complaint_b.reference, response.text)
        self.assertNotIn("Alpha price objection", response.text)
        # sorted, filtered, grouped, searched; unknown options fall back
        for query in (
            "sortby=deadline&groupby=stage",
            "sortby=reference&filterby=open",
            "search_in=order&search=" + self.order_a.name,
            "sortby=nope&filterby=nope&groupby=nope&search_in=nope",
        ):
            response = self.url_open(f"/my/complaints?{query}")
            self.assertEqual(response.status_code, 200, query)
            self.assertIn(self.complaint_a.reference, response.text, query)
        response = self.url_open("/my/complaints?filterby=closed")
        self.assertNotIn(self.complaint_a.reference, response.text)
        response = self.url_open("/my/complaints?search=" + self.complaint_b.name)
        self.assertNotIn(self.complaint_b.reference, response.text)
        counters = self.make_jsonrpc_request(
            "/my/counters", {"counters": ["complaint_count", "referral_count"]}
        )
        self.assertEqual(counters, {"complaint_count": 1, "referral_count": 0})

    def test_complaint_page_and_other_customer(self):
        self.authenticate("cr_portal_a", "cr_portal_a")
        response = self.url_open(self.complaint_a.get_portal_url())
        self.assertEqual(response.status_code, 200)
        self.assertIn("Two widgets arrived scratched.", response.text)
        self.assertIn(self.order_a.name, response.text)
        token_b = self.complaint_b._portal_ensure_token()
        for url in (
            f"/my/complaints/{self.complaint_b.id}",
            f"/my/complaints/{self.complaint_b.id}?access_token={token_b}",
            f"/my/complaints/{self.complaint_b.id}?access_token=wrong",
            f"/my/complaints/{self.objection_a.id}",
            "/my/complaints/999999999",
        ):
            response = self.url_open(url)
            self.assertTrue(response.url.endswith("/my/complaints"), url)
            self.assertNotIn("Beta secret description", response.text, url)
            self.assertNotIn(self.complaint_b.reference, response.text, url)
        # the ORM refuses too
        Objection = self.env["customer.objection"].with_user(self.user_a)
        self.assertEqual(Objection.search([]), self.complaint_a)

    def test_chatter_internal_notes_hidden(self):
        self.authenticate("cr_portal_b", "cr_portal_b")
        token = self.complaint_b._portal_ensure_token()
        response = self.url_open(f"/my/complaints/{self.complaint_b.id}")
        self.assertIn(f'data-token="{token}"', response.text)
        result = self.make_jsonrpc_request(
            "/mail/chatter_fetch",
            {
                "thread_model": "customer.objection",
                "thread_id": self.complaint_b.id,
                "token": token,
            },
        )
        bodies = " ".join(
            str(message["body"]) for message in result["data"]["mail.message"]
        )
        self.assertIn("we are on it", bodies)
        self.assertNotIn("discount them", bodies)
        self.make_jsonrpc_request(
            "/mail/message/post",
            {
                "thread_model": "customer.objection",
                "thread_id": self.complaint_b.id,
                "post_data": {"body": "Still waiting", "message_type": "comment"},
                "token": token,
            },
        )
        message = self.complaint_b.message_ids[:1]
        self.assertIn("Still waiting", str(message.body))
        self.assertEqual(message.author_id, self.user_b.partner_id)
        # the other customer posts nothing there, with or without a token
        self.authenticate("cr_portal_a", "cr_portal_a")
        for token_a in (None, "wrong", self.complaint_a._portal_ensure_token()):
            with mute_logger("odoo.http"), self.assertRaises(JsonRpcException):
                self.make_jsonrpc_request(
                    "/mail/message/post",
                    {
                        "thread_model": "customer.objection",
                        "thread_id": self.complaint_b.id,
                        "post_data": {"body": "Intruder", "message_type": "comment"},
                        "token": token_a,
                    },
                )
        self.assertNotIn("Intruder", str(self.complaint_b.message_ids.mapped("body")))

    # ------------------------------------------------------------------
    # New complaint
    # ------------------------------------------------------------------

    def test_new_complaint_form(self):
        self.authenticate("cr_portal_a", "cr_portal_a")
        response = self.url_open("/my/complaints/new")
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.order_a.name, response.text)
        self.assertNotIn(self.order_b.name, response.text)
        self.assertIn('name="submission_token"', response.text)
        self.assertNotIn(
            self.env.ref("customer_relations.customer_objection_category_price").name,
            response.text,
        )

    def test_new_complaint(self):
        self.authenticate("cr_portal_a", "cr_portal_a")
        response = self._post(
            "/my/complaints/new",
            self._complaint_form(),
            files={"attachment": ("photo.pdf", PDF, "application/pdf")},
        )
        complaint = self._portal_complaints(self.account_a)
        self.assertEqual(len(complaint), 1)
        self.assertTrue(
            response.url.endswith(f"/my/complaints/{complaint.id}?message=created")
        )
        self.assertRecordValues(
            complaint,
            [
                {
                    "kind": "complaint",
                    "name": "Missing manual",
                    "partner_id": self.account_a.id,
                    "contact_id": self.user_a.partner_id.id,
                    "order_id": self.order_a.id,
                    "user_id": self.manager.id,
                }
            ],
        )
        # as the email alias: deadline from the response time, responsible
        # notified, the customer follows it and gets the acknowledgment
        self.assertTrue(complaint.deadline)
        self.assertTrue(complaint.sla_hours)
        self.assertIn(self.manager.partner_id, complaint.message_partner_ids)
        self.assertIn(self.user_a.partner_id, complaint.message_partner_ids)
        acknowledgment = complaint.message_ids.filtered(
            lambda m: m.subject and "We received your complaint" in m.subject
        )
        self.assertEqual(len(acknowledgment), 1)
        self.assertIn(self.user_a.partner_id, acknowledgment.notified_partner_ids)
        attachment = self.env["ir.attachment"].search(
            [("res_model", "=", complaint._name), ("res_id", "=", complaint.id)]
        )
        self.assertTrue(
            complaint.message_ids.filtered(lambda m: attachment in m.attachment_ids)
        )
        self.assertEqual(attachment.name, "photo.pdf")
        self.assertEqual(attachment.mimetype, "application/pdf")
        # the second click of the same form creates nothing
        response = self._post("/my/complaints/new", self._complaint_form())
        self.assertEqual(self._portal_complaints(self.account_a), complaint)
        self.assertTrue(
            response.url.endswith(f"/my/complaints/{complaint.id}?message=created")
        )
        # a new form is a new complaint
        self._post("/my/complaints/new", self._complaint_form(submission_token=TOKEN_2))
        self.assertEqual(len(self._portal_complaints(self.account_a)), 2)

    @patch("odoo.addons.customer_relations.controllers.portal.ATTACHMENT_MAX_SIZE", 20)
    def test_new_complaint_refused(self):
        self.authenticate("cr_portal_a", "cr_portal_a")
        cases = [
            ({"name": ""}, None, "Give your complaint a subject."),
            ({"name": "x" * 121}, None, "Write at most 120 characters."),
            ({"description": ""}, None, "Describe what went wrong."),
            ({"description": "x" * 5001}, None, "Write at most 5000 characters."),
            (
                {"order_id": str(self.order_b.id)},
                None,
                "Choose one of your confirmed orders.",
            ),
            ({"order_id": "abc"}, None, "Choose one of your confirmed orders."),
            (
                {
                    "category_id": str(
                        self.env.ref(
                            "customer_relations.customer_objection_category_price"
                        ).id
                    )
                },
                None,
                "Choose one of the listed categories.",
            ),
            ({"submission_token": "short"}, None, "The form expired"),
            ({}, ("virus.exe", EXE, "application/pdf"), "cannot be attached"),
            ({}, ("big.pdf", PDF, "application/pdf"), "is too large"),
        ]
        for values, attachment, error in cases:
            form = self._complaint_form(**values)
            response = self._post(
                "/my/complaints/new",
                form,
                files={"attachment": attachment} if attachment else None,
            )
            self.assertEqual(response.status_code, 200, values)
            self.assertIn(error, response.text, values)
            # the form comes back with what was typed
            if form["description"] and len(form["description"]) < 100:
                self.assertIn(form["description"], response.text, values)
        self.assertFalse(self._portal_complaints(self.account_a))
        # no CSRF token, no complaint
        with mute_logger("odoo.http"):
            response = self.url_open("/my/complaints/new", data=self._complaint_form())
        self.assertEqual(response.status_code, 400)
        self.assertFalse(self._portal_complaints(self.account_a))

    def test_satisfaction(self):
        self.complaint_a.write(
            {"stage_id": self.resolved.id, "resolution": "<p>Replaced.</p>"}
        )
        self.authenticate("cr_portal_a", "cr_portal_a")
        url = f"/my/complaints/{self.complaint_a.id}/satisfaction"
        response = self._post(url, {"satisfied": "0", "comment": ""})
        self.assertIn("Tell us what is still wrong", response.text)
        self.assertTrue(self.complaint_a.is_closed)
        response = self._post(url, {"satisfied": "0", "comment": "Still scratched"})
        self.assertFalse(self.complaint_a.is_closed)
        self.assertEqual(self.complaint_a.satisfaction, "1")
        self.assertEqual(self.complaint_a.satisfaction_comment, "Still scratched")
        self.assertEqual(self.complaint_a.reopen_count, 1)
        self.assertTrue(
            self.complaint_a.message_ids.filtered(
                lambda m: (
                    "Still scratched" in str(m.body)
                    and m.author_id == self.user_a.partner_id
                )
            )
        )
        # an open complaint cannot be rated
        response = self._post(url, {"satisfied": "1"})
        self.assertIn("not answered yet", response.text)
        self.complaint_a.write({"stage_id": self.resolved.id})
        self._post(url, {"satisfied": "1"})
        self.assertEqual(self.complaint_a.satisfaction, "3")
        self.assertTrue(self.complaint_a.is_closed)
        # not on another customer's complaint
        self.complaint_b.write(
            {"stage_id": self.resolved.id, "resolution": "<p>Done.</p>"}
        )
        response = self._post(
            f"/my/complaints/{self.complaint_b.id}/satisfaction",
            {"satisfied": "0", "comment": "Intruder"},
        )
        self.assertTrue(response.url.endswith("/my/complaints"))
        self.assertTrue(self.complaint_b.is_closed)
        self.assertFalse(self.complaint_b.satisfaction)

    # ------------------------------------------------------------------
    # Follow-up of orders
    # ------------------------------------------------------------------

    def test_order_follow_up(self):
        plan = self.order_a.sudo().support_plan_id
        self.assertTrue(plan)
        internal = plan.step_ids.filtered(
            lambda s: not s.workflow_step_id.portal_visible
        )
        self.assertTrue(internal)
        self.authenticate("cr_portal_a", "cr_portal_a")
        response = self.url_open(self.order_a.get_portal_url())
        self.assertEqual(response.status_code, 200)
        self.assertIn("Follow-up of your order", response.text)
        self.assertIn("Kick-off call", response.text)
        self.assertIn("Delivery complete", response.text)
        for step in internal:
            self.assertNotIn(step.name, response.text)
        # another customer's order: no page, no follow-up
        response = self.url_open(f"/my/orders/{self.order_b.id}")
        self.assertNotIn("Follow-up of your order", response.text)
        self.assertFalse(response.url.endswith(f"/my/orders/{self.order_b.id}"))
        for token in ("wrong", self.order_b._portal_ensure_token()):
            response = self.url_open(
                f"/my/orders/{self.order_b.id}?access_token={token}"
            )
            self.assertNotIn("Follow-up of your order", response.text, token)
        # its own customer, from the link of an email, without logging in
        self.authenticate(None, None)
        response = self.url_open(self.order_b.get_portal_url())
        self.assertIn("Follow-up of your order", response.text)

    # ------------------------------------------------------------------
    # Recommendations
    # ------------------------------------------------------------------

    def _referral_form(self, **values):
        return {
            "company_name": "Gamma Prospects",
            "contact_name": "Gina Gamma",
            "email": "gina@gamma-prospects.example.com",
            "phone": "+39 02 1234567",
            "vat": "",
            "note": "They need widgets.",
            "submission_token": TOKEN_1,
            **values,
        }

    def test_referrals_page(self):
        self.authenticate("cr_portal_a", "cr_portal_a")
        home = self.url_open("/my").text
        self.assertIn('href="/my/complaints"', home)
        self.assertIn('href="/my/referrals"', home)
        self.authenticate("cr_portal_b", "cr_portal_b")
        home = self.url_open("/my").text
        self.assertIn('href="/my/complaints"', home)
        self.assertNotIn('href="/my/referrals"', home)
        self.authenticate("cr_portal_a", "cr_portal_a")
        response = self.url_open("/my/referrals")
        self.assertIn("10% off your next order for each new customer.", response.text)
        self.assertIn("o_customer_referral_form", response.text)
        self.authenticate("cr_portal_b", "cr_portal_b")
        response = self.url_open("/my/referrals")
        self.assertIn("Your contract carries no referral clause", response.text)
        self.assertNotIn("o_customer_referral_form", response.text)
        response = self._post("/my/referrals/new", self._referral_form())
        self.assertIn("Your contract carries no referral clause", response.text)
        self.assertFalse(
            self.env["customer.referral"].search(
                [("referrer_id", "=", self.account_b.id)]
            )
        )

    def test_recommend_new_company(self):
        self.authenticate("cr_portal_a", "cr_portal_a")
        response = self._post("/my/referrals/new", self._referral_form())
        self.assertTrue(response.url.endswith("/my/referrals?message=recommended"))
        referral = self.env["customer.referral"].search(
            [("referrer_id", "=", self.account_a.id)]
        )
        self.assertEqual(len(referral), 1)
        self.assertRecordValues(
            referral,
            [
                {
                    "state": "pending",
                    "clause_id": self.clause.id,
                    "source_order_id": self.order_a.id,
                    "user_id": self.manager.id,
                }
            ],
        )
        prospect = referral.referred_id
        self.assertEqual(prospect.name, "Gamma Prospects")
        self.assertEqual(prospect.child_ids.name, "Gina Gamma")
        lead = self.env["crm.lead"].search([("customer_referral_id", "=", referral.id)])
        self.assertEqual(lead.type, "opportunity")
        self.assertEqual(lead.user_id, self.manager)
        self.assertEqual(lead.activity_ids.user_id, self.manager)
        # the second click registers nothing more
        self._post("/my/referrals/new", self._referral_form())
        self.assertEqual(
            self.env["customer.referral"].search_count(
                [("referrer_id", "=", self.account_a.id)]
            ),
            1,
        )
        response = self.url_open("/my/referrals")
        self.assertIn("Gamma Prospects", response.text)
        # recommended once: refused, with the rule's message
        response = self._post(
            "/my/referrals/new",
            self._referral_form(company_name="Gamma", submission_token=TOKEN_2),
        )
        self.assertIn("has already been recommended", response.text)
        # the other customer does not see it
        self.authenticate("cr_portal_b", "cr_portal_b")
        self.assertNotIn("Gamma Prospects", self.url_open("/my/referrals").text)

    def test_recommend_existing_partners(self):
        self.authenticate("cr_portal_a", "cr_portal_a")
        # an existing customer, found by its email domain: refused
        response = self._post(
            "/my/referrals/new",
            self._referral_form(
                company_name="Someone", email="new.person@beta-portal.example.com"
            ),
        )
        self.assertIn("is already our customer", response.text)
        self.assertNotIn(self.order_b.name, response.text)
        # the form comes back with the values typed
        self.assertIn("new.person@beta-portal.example.com", response.text)
        # by its tax ID too
        response = self._post(
            "/my/referrals/new",
            self._referral_form(vat="BE0477472701", email="x@unknown.example.com"),
        )
        self.assertIn("is already our customer", response.text)
        # an existing prospect is reused
        prospect = self.env["res.partner"].create(
            {"name": "Delta Prospect", "is_company": True}
        )
        self._post(
            "/my/referrals/new",
            self._referral_form(company_name="delta prospect", email="d@gmail.com"),
        )
        referral = self.env["customer.referral"].search(
            [("referrer_id", "=", self.account_a.id)]
        )
        self.assertEqual(referral.referred_id, prospect)
        self.assertFalse(
            self.env["res.partner"].search([("name", "=", "Gamma Prospects")])
        )

    def test_recommend_refused_input(self):
        self.authenticate("cr_portal_a", "cr_portal_a")
        cases = [
            ({"company_name": ""}, "Give the name of the company."),
            ({"company_name": "x" * 129}, "Write at most 128 characters."),
            ({"email": ""}, "Give an email address to contact them."),
            ({"email": "not-an-email"}, "This email address is not valid."),
            ({"phone": "call me<script>"}, "This phone number is not valid."),
            ({"note": "x" * 5001}, "Write at most 5000 characters."),
            ({"submission_token": "x"}, "The form expired"),
            (
                {"company_name": self.account_a.name, "email": "me@gmail.com"},
                "You cannot recommend your own company.",
            ),
        ]
        for values, error in cases:
            response = self._post("/my/referrals/new", self._referral_form(**values))
            self.assertEqual(response.status_code, 200, values)
            self.assertIn(error, response.text, values)
        self.assertFalse(
            self.env["customer.referral"].search(
                [("referrer_id", "=", self.account_a.id)]
            )
        )
        self.assertFalse(
            self.env["res.partner"].search([("name", "=", "Gamma Prospects")])
        )

    # ------------------------------------------------------------------
    # Migration
    # ------------------------------------------------------------------

    def test_migration_shows_the_shipped_categories_and_steps(self):
        path = file_path("customer_relations/migrations/18.0.1.3.0/post-portal.py")
        spec = importlib.util.spec_from_file_location("cr_portal_migrate", path)
        migration = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(migration)
        quality = self.env.ref("customer_relations.customer_objection_category_quality")
        price = self.env.ref("customer_relations.customer_objection_category_price")
        kickoff = self.env.ref(
            "customer_relations.customer_support_workflow_step_kickoff"
        )
        rights = self.env.ref(
            "customer_relations.customer_support_workflow_step_rights"
        )
        (quality | price).portal_visible = False
        (kickoff | rights).portal_visible = False
        self.env.flush_all()
        migration.migrate(self.env.cr, "18.0.1.2.0")
        self.env.invalidate_all()
        self.assertTrue(quality.portal_visible)
        self.assertFalse(price.portal_visible)
        self.assertTrue(kickoff.portal_visible)
        self.assertFalse(rights.portal_visible)

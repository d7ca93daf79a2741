from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, tagged
from odoo.tools import SQL, mute_logger

from odoo.addons.mail.tests.common import MockEmail

from .access_coverage import covers
from .common import CustomerRelationsCommon

MUTED = (
    "odoo.models",
    "odoo.addons.base.models.ir_rule",
    "odoo.addons.base.models.ir_model",
    "odoo.addons.customer_relations.models.customer_segment",
)


class SegmentCommon(CustomerRelationsCommon):
    """Three segments of our own (the others archived), and the accounts of
    ``common.py`` in Italy, France and the US:

    ===================  =======  =====================
    account              country  first matching segment
    ===================  =======  =====================
    account_own_kam      IT       seg_italy
    account_own_sales    IT       seg_italy
    account_other_kam    FR       seg_europe
    account_unassigned   US       seg_companies
    account_individual   -        none
    ===================  =======  =====================
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Segment = cls.env["customer.segment"]
        Segment.search([]).active = False
        cls.seg_italy = Segment.create(
            {
                "name": "Italy",
                "sequence": 10,
                "rule_domain": "[('country_id.code', '=', 'IT')]",
            }
        )
        cls.seg_europe = Segment.create(
            {
                "name": "Europe",
                "sequence": 20,
                "rule_domain": "[('country_id.code', 'in', ['IT', 'FR'])]",
            }
        )
        cls.seg_companies = Segment.create(
            {
                "name": "Companies",
                "sequence": 30,
                "rule_domain": "[('is_company', '=', True)]",
            }
        )
        italy, france, usa = (
            cls.env.ref("base.it"),
            cls.env.ref("base.fr"),
            cls.env.ref("base.us"),
        )
        (cls.account_own_kam + cls.account_own_sales).country_id = italy
        cls.account_other_kam.country_id = france
        cls.account_unassigned.country_id = usa
        cls.contact_own_kam.email = "olivia@own-kam.example.com"
        cls.contact_own_sales.email = "sam@own-sales.example.com"
        cls.account_own_kam.email = "info@own-kam.example.com"
        cls.product.taxes_id = False

    def _recompute(self):
        return self.env["customer.segment"]._recompute_accounts(self.accounts.ids)

    def _segments(self):
        return [account.customer_segment_id for account in self.accounts]

    def _order(self, partner, amount, confirm=True):
        order = self.env["sale.order"].create(
            {
                "partner_id": partner.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": self.product.id,
                            "product_uom_qty": 1,
                            "price_unit": amount,
                            "tax_id": [Command.clear()],
                        }
                    )
                ],
            }
        )
        if confirm:
            order.action_confirm()
        return order


@tagged("post_install", "-at_install")
class TestSegmentMembership(SegmentCommon):
    def test_first_matching_segment(self):
        self._recompute()
        none = self.env["customer.segment"]
        self.assertEqual(
            self._segments(),
            [self.seg_italy, self.seg_italy, self.seg_europe, self.seg_companies, none],
        )
        # contacts show their account's
        self.assertEqual(self.contact_own_kam.customer_segment_id, self.seg_italy)
        Partner = self.env["res.partner"]
        self.assertEqual(
            Partner.search(
                [
                    ("customer_segment_id", "=", self.seg_italy.id),
                    ("id", "in", self.accounts.ids),
                ]
            ),
            self.account_own_kam + self.account_own_sales,
        )
        groups = dict(
            Partner._read_group(
                [("id", "in", self.accounts.ids)], ["customer_segment_id"], ["__count"]
            )
        )
        self.assertEqual(groups[self.seg_italy], 2)
        self.assertEqual(groups[none], 1)
        self.assertEqual(self.seg_italy.account_count, 2)

    def test_sequence_change(self):
        self._recompute()
        self.seg_europe.sequence = 5
        self._recompute()
        self.assertEqual(self.account_own_kam.customer_segment_id, self.seg_europe)
        self.assertEqual(self.account_other_kam.customer_segment_id, self.seg_europe)
        # an archived segment no longer takes accounts
        self.seg_europe.active = False
        self._recompute()
        self.assertEqual(self.account_own_kam.customer_segment_id, self.seg_italy)
        self.assertEqual(self.account_other_kam.customer_segment_id, self.seg_companies)

    def test_pinned_account(self):
        self._recompute()
        wizard = (
            self.env["customer.segment.assign"]
            .with_user(self.user_manager)
            .with_context(default_partner_id=self.contact_own_kam.id)
            .create(
                {"segment_id": self.seg_companies.id, "reason": "Buys as a company"}
            )
        )
        self.assertEqual(wizard.partner_id, self.account_own_kam)
        wizard.action_apply()
        self._recompute()
        self.assertEqual(self.account_own_kam.customer_segment_id, self.seg_companies)
        self.assertTrue(self.account_own_kam.customer_segment_locked)
        # unpinned, the recompute puts it back
        self.account_own_kam.with_user(
            self.user_manager
        ).customer_segment_locked = False
        self._recompute()
        self.assertEqual(self.account_own_kam.customer_segment_id, self.seg_italy)

    def test_pin_needs_administrator_and_reason(self):
        self._recompute()
        for user in (self.user_own, self.user_all):
            with mute_logger(*MUTED), self.assertRaises(AccessError):
                self.account_own_kam.with_user(user).write(
                    {
                        "customer_segment_id": self.seg_companies.id,
                        "customer_segment_locked": True,
                        "customer_segment_lock_reason": "mine",
                    }
                )
        manager = self.account_own_kam.with_user(self.user_manager)
        with self.assertRaises(UserError):
            manager.customer_segment_id = self.seg_companies
        with self.assertRaises(ValidationError):
            manager.write(
                {
                    "customer_segment_id": self.seg_companies.id,
                    "customer_segment_locked": True,
                }
            )
        self.assertEqual(self.account_own_kam.customer_segment_id, self.seg_italy)

    def test_invalid_rule_refused(self):
        Segment = self.env["customer.segment"]
        for rule, reason in (
            ("[('no_such_field', '=', 1)]", "no_such_field"),
            ("[('name', 'like', ", "not a valid condition"),
            ("42", "list of conditions"),
        ):
            with self.subTest(rule=rule), self.assertRaises(ValidationError) as caught:
                Segment.create({"name": "Bad", "rule_domain": rule})
            self.assertIn(reason, str(caught.exception))
        with self.assertRaises(ValidationError) as caught:
            self.seg_italy.rule_domain = "[('no_such_field', '=', 1)]"
        self.assertIn("no_such_field", str(caught.exception))
        self.assertFalse(Segment.search([("name", "=", "Bad")]))

    def test_failing_rule_reported_and_skipped(self):
        self._recompute()
        # a rule that became invalid after it was saved (a field removed...)
        self.env.cr.execute(
            SQL(
                "UPDATE customer_segment SET rule_domain = %s WHERE id = %s",
                "[('gone_field', '=', 1)]",
                self.seg_italy.id,
            )
        )
        self.seg_italy.invalidate_recordset(["rule_domain"])
        self.seg_europe.sequence = 15
        self.account_other_kam.country_id = self.env.ref("base.it")
        messages = len(self.seg_italy.message_ids)
        with mute_logger(*MUTED):
            failed = self._recompute()
        self.assertEqual(failed, self.seg_italy)
        # its accounts keep it, the other rules went on
        self.assertEqual(self.account_own_kam.customer_segment_id, self.seg_italy)
        self.assertEqual(self.account_other_kam.customer_segment_id, self.seg_europe)
        self.assertEqual(
            self.account_unassigned.customer_segment_id, self.seg_companies
        )
        self.assertEqual(len(self.seg_italy.message_ids), messages + 1)
        self.assertIn("gone_field", self.seg_italy.message_ids[0].body)
        with mute_logger(*MUTED):
            self._recompute()
        self.assertEqual(len(self.seg_italy.message_ids), messages + 1, "once a day")

    def test_cron_in_batches(self):
        Partner = self.env["res.partner"]
        self.env["ir.config_parameter"].set_param(
            "customer_relations.segment_recompute_last_id", 0
        )
        while Partner._cron_customer_segment_recompute(batch_size=2000):
            pass
        self.assertEqual(
            self.account_unassigned.customer_segment_id, self.seg_companies
        )
        self.assertEqual(self.account_other_kam.customer_segment_id, self.seg_europe)

    def test_frozen_segment_on_order(self):
        self._recompute()
        order = self._order(self.contact_own_kam, 100)
        self.assertEqual(order.customer_segment_id, self.seg_italy)
        draft = self._order(self.account_own_kam, 50, confirm=False)
        self.assertFalse(draft.customer_segment_id)
        self.seg_europe.sequence = 5
        self._recompute()
        self.assertEqual(order.customer_segment_id, self.seg_italy, "kept as sold")
        draft.action_confirm()
        self.assertEqual(draft.customer_segment_id, self.seg_europe)
        with mute_logger(*MUTED), self.assertRaises(AccessError):
            order.with_user(self.user_manager).write(
                {"customer_segment_id": self.seg_companies.id}
            )
        # orders confirmed before segments existed are filled from the account's
        # (the demo orders' first, to count this one alone)
        self.env["sale.order"]._backfill_customer_segment()
        self.env.cr.execute(
            SQL(
                "UPDATE sale_order SET customer_segment_id = NULL WHERE id = %s",
                order.id,
            )
        )
        order.invalidate_recordset(["customer_segment_id"])
        self.assertEqual(self.env["sale.order"]._backfill_customer_segment(), 1)
        self.assertEqual(order.customer_segment_id, self.seg_europe)

    def test_revenue_by_segment_adds_up(self):
        self._recompute()
        self._order(self.account_own_kam, 1000)
        self._order(self.contact_own_kam, 500)
        self._order(self.account_own_sales, 300)
        self._order(self.account_other_kam, 200)
        self._order(self.account_individual, 70)  # in no segment
        self.env.flush_all()
        Report = self.env["sale.report"].with_user(self.user_all)
        domain = [("state", "=", "sale"), ("partner_id", "child_of", self.accounts.ids)]
        total = Report._read_group(domain, [], ["price_subtotal:sum"])[0][0]
        self.assertAlmostEqual(total, 2070)
        rows = {
            segment: values
            for segment, *values in Report._read_group(
                domain,
                ["customer_segment_id"],
                [
                    "price_subtotal:sum",
                    "customer_account_count:count_distinct",
                    "customer_new_account_count:count_distinct",
                    "customer_revenue_per_account:avg",
                ],
            )
        }
        self.assertAlmostEqual(sum(values[0] for values in rows.values()), total)
        self.assertEqual(rows[self.seg_italy][:3], [1800, 2, 2])
        self.assertAlmostEqual(rows[self.seg_italy][3], 900)
        self.assertEqual(rows[self.env["customer.segment"]][:2], [70, 1])
        # the pivot asks with the fields' own aggregators
        pivot = Report.read_group(
            domain,
            ["customer_revenue_per_account", "customer_account_count"],
            ["customer_segment_id"],
        )
        italy = next(
            g
            for g in pivot
            if g["customer_segment_id"]
            and g["customer_segment_id"][0] == self.seg_italy.id
        )
        self.assertAlmostEqual(italy["customer_revenue_per_account"], 900)
        self.assertEqual(italy["customer_account_count"], 2)

    def test_prospects_by_segment(self):
        self._recompute()
        Lead = self.env["crm.lead"]
        Lead.create(
            [
                {
                    "name": "Italian deal",
                    "type": "opportunity",
                    "partner_id": self.contact_own_kam.id,
                    "expected_revenue": 5000,
                },
                {
                    "name": "French deal",
                    "type": "opportunity",
                    "partner_id": self.account_other_kam.id,
                    "expected_revenue": 700,
                },
            ]
        )
        groups = dict(
            Lead.with_user(self.user_all)._read_group(
                [("name", "in", ["Italian deal", "French deal"])],
                ["customer_segment_id"],
                ["expected_revenue:sum"],
            )
        )
        self.assertEqual(groups, {self.seg_italy: 5000, self.seg_europe: 700})
        self.assertEqual(
            Lead.search([("customer_segment_id", "=", self.seg_italy.id)]).name,
            "Italian deal",
        )

    def test_multi_company(self):
        seg_c2 = self.env["customer.segment"].create(
            {
                "name": "Company 2 Everyone",
                "sequence": 1,
                "company_id": self.company_2.id,
                "rule_domain": "[]",
            }
        )
        self._recompute()
        self.assertEqual(self.account_own_kam.customer_segment_id, self.seg_italy)
        self.assertEqual(
            self.account_own_kam.with_company(self.company_2).customer_segment_id,
            seg_c2,
        )
        self.assertEqual(
            self.account_individual.with_company(self.company_2).customer_segment_id,
            seg_c2,
        )
        Segment = self.env["customer.segment"].with_user(self.user_all)
        self.assertNotIn(seg_c2, Segment.search([]))
        with mute_logger(*MUTED), self.assertRaises(AccessError):
            seg_c2.with_user(self.user_all).read(["name"])


@tagged("post_install", "-at_install")
class TestSegmentAccess(SegmentCommon):
    def test_roles(self):
        self._recompute()
        for user in (self.user_own, self.user_all):
            Segment = self.env["customer.segment"].with_user(user)
            self.assertIn(self.seg_italy, Segment.search([]))
            self.assertEqual(
                self.account_own_kam.with_user(user).customer_segment_id, self.seg_italy
            )
            with mute_logger(*MUTED), self.assertRaises(AccessError):
                Segment.create({"name": "Mine"})
            with mute_logger(*MUTED), self.assertRaises(AccessError):
                self.seg_italy.with_user(user).write({"rule_domain": "[]"})
        for user in (self.user_portal, self.user_none):
            with mute_logger(*MUTED), self.assertRaises(AccessError):
                self.env["customer.segment"].with_user(user).search([])
            with mute_logger(*MUTED), self.assertRaises(AccessError):
                self.account_own_kam.with_user(user).read(["customer_segment_id"])
        segment = (
            self.env["customer.segment"]
            .with_user(self.user_manager)
            .create(
                {
                    "name": "Administrators' own",
                    "rule_domain": "[('is_company', '=', True)]",
                }
            )
        )
        segment.sequence = 1
        segment.active = False

    @covers("customer.segment", "action_recompute_segments")
    def test_recompute_now(self):
        for user in (self.user_portal, self.user_none, self.user_own, self.user_all):
            with mute_logger(*MUTED), self.assertRaises(AccessError):
                self.seg_italy.with_user(user).action_recompute_segments()
        self.assertFalse(self.account_unassigned.customer_segment_id)
        self.seg_italy.with_user(self.user_manager).action_recompute_segments()
        self.assertEqual(
            self.account_unassigned.customer_segment_id, self.seg_companies
        )

    @covers("customer.segment", "action_view_accounts")
    def test_view_accounts(self):
        self._recompute()
        with mute_logger(*MUTED), self.assertRaises(AccessError):
            self.seg_italy.with_user(self.user_portal).action_view_accounts()
        action = self.seg_italy.with_user(self.user_own).action_view_accounts()
        self.assertEqual(action["res_model"], "res.partner")
        found = (
            self.env["res.partner"].with_user(self.user_own).search(action["domain"])
        )
        self.assertEqual(found, self.account_own_kam + self.account_own_sales)

    @covers("res.partner", "action_customer_segment_set")
    def test_pin_dialog(self):
        with mute_logger(*MUTED), self.assertRaises(AccessError):
            self.account_own_kam.with_user(
                self.user_portal
            ).action_customer_segment_set()
        action = self.contact_own_kam.with_user(
            self.user_manager
        ).action_customer_segment_set()
        self.assertEqual(action["res_model"], "customer.segment.assign")
        self.assertEqual(
            action["context"]["default_partner_id"], self.account_own_kam.id
        )

    @covers("customer.segment.assign", "action_apply")
    def test_pin_wizard_refused(self):
        values = {
            "partner_id": self.account_own_kam.id,
            "segment_id": self.seg_companies.id,
            "reason": "Because",
        }
        wizard = self.env["customer.segment.assign"].create(values)
        for user in (self.user_portal, self.user_none, self.user_own, self.user_all):
            with mute_logger(*MUTED), self.assertRaises(AccessError):
                wizard.with_user(user).action_apply()
        self.assertFalse(self.account_own_kam.customer_segment_id)
        self.env["customer.segment.assign"].with_user(self.user_manager).create(
            values
        ).action_apply()
        self.assertEqual(self.account_own_kam.customer_segment_id, self.seg_companies)


@tagged("post_install", "-at_install")
class TestSegmentPromotion(MockEmail, SegmentCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.contact_blacklisted = cls.env["res.partner"].create(
            {
                "name": "Bianca Opted Out",
                "parent_id": cls.account_own_kam.id,
                "email": "bianca@own-kam.example.com",
            }
        )
        cls.env["mail.blacklist"]._add("bianca@own-kam.example.com")
        cls.env["customer.segment"]._recompute_accounts(cls.accounts.ids)

    def _composer(self, action, user):
        self.assertEqual(action["type"], "ir.actions.client")
        self.assertIn("1", action["params"]["message"])
        action = action["params"]["next"]
        self.assertEqual(action["res_model"], "mail.compose.message")
        return (
            self.env["mail.compose.message"]
            .with_user(user)
            .with_context(**action["context"])
            .create({})
        )

    @covers("customer.segment", "action_send_promotion")
    def test_segment_promotion(self):
        for user in (self.user_portal, self.user_none, self.user_own):
            with mute_logger(*MUTED), self.assertRaises(AccessError):
                self.seg_italy.with_user(user).action_send_promotion()
        action = self.seg_italy.with_user(self.user_all).action_send_promotion()
        composer = self._composer(action, self.user_all)
        self.assertEqual(composer.composition_mode, "mass_mail")
        self.assertEqual(
            composer.template_id,
            self.env.ref(
                "customer_relations.mail_template_customer_promotion_new_product"
            ),
        )
        self.assertFalse(composer.force_send)
        notes = len(self.account_own_kam.message_ids)
        with self.mock_mail_gateway():
            composer.action_send_mail()
        mails = self.env["mail.mail"].search(
            [
                ("model", "=", "res.partner"),
                ("mail_message_id.subject", "ilike", "discover"),
            ]
        )
        # the account and its contact with an email: through the queue, not sent
        self.assertEqual(
            sorted(mails.mapped("res_id")),
            sorted(
                (
                    self.account_own_kam + self.contact_own_kam + self.contact_own_sales
                ).ids
            ),
        )
        self.assertEqual(set(mails.mapped("state")), {"outgoing"})
        self.assertFalse(self._mails, "nothing sent before the queue runs")
        self.assertNotIn(self.contact_blacklisted.id, mails.mapped("res_id"))
        mail = mails.filtered(lambda m: m.res_id == self.contact_own_kam.id)
        self.assertIn(
            self.contact_own_kam._customer_promotion_optout_url(), mail.body_html
        )
        notes = self.account_own_kam.message_ids[
            : len(self.account_own_kam.message_ids) - notes
        ]
        note = notes.filtered(lambda m: "Promotion" in m.body)
        self.assertEqual(len(note), 1, "one note on the account")
        self.assertIn("2 contacts", note.body)
        self.assertIn("Italy", note.body)
        # the queue sends them
        with self.mock_mail_gateway():
            self.env["mail.mail"].process_email_queue(mails.ids)
        self.assertEqual(len(self._mails), 3)

    @covers("res.partner", "action_send_customer_promotion")
    def test_accounts_promotion(self):
        for user in (self.user_portal, self.user_none):
            with mute_logger(*MUTED), self.assertRaises(AccessError):
                self.account_own_kam.with_user(user).action_send_customer_promotion()
        action = (
            (self.account_own_kam + self.account_own_sales)
            .with_user(self.user_own)
            .action_send_customer_promotion()
        )
        composer = self._composer(action, self.user_own)
        composer.action_send_mail()
        mails = self.env["mail.mail"].search(
            [
                ("model", "=", "res.partner"),
                ("mail_message_id.subject", "ilike", "discover"),
            ]
        )
        self.assertEqual(len(mails), 3)
        note = self.account_own_sales.message_ids.filtered(
            lambda m: "Promotion" in (m.body or "")
        )
        self.assertIn("1 contacts", note.body)


@tagged("post_install", "-at_install")
class TestPromotionOptout(HttpCase, SegmentCommon):
    def test_optout_route(self):
        contact = self.contact_own_kam
        url = contact._customer_promotion_optout_url().replace(
            contact.get_base_url(), ""
        )
        Blacklist = self.env["mail.blacklist"]
        # a bad token is refused, nothing changes
        bad = url[:-4] + "0000"
        response = self.url_open(bad, data={"confirm": "1"})
        self.assertEqual(response.status_code, 403)
        self.assertFalse(Blacklist.search([("email", "=", contact.email_normalized)]))
        # another contact's token does not work either
        other = self.contact_own_sales._customer_promotion_optout_url().rsplit("/", 1)[
            1
        ]
        response = self.url_open(
            url.rsplit("/", 1)[0] + "/" + other, data={"confirm": "1"}
        )
        self.assertEqual(response.status_code, 403)
        # opening the link asks first
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        self.assertIn("Unsubscribe", response.text)
        self.assertFalse(Blacklist.search([("email", "=", contact.email_normalized)]))
        response = self.url_open(url, data={"confirm": "1"})
        self.assertEqual(response.status_code, 200)
        self.assertTrue(Blacklist.search([("email", "=", contact.email_normalized)]))
        self.assertTrue(contact.is_blacklisted)


@tagged("post_install", "-at_install")
class TestSegmentTour(HttpCase, SegmentCommon):
    def test_segment_tour(self):
        self.user_manager.tour_enabled = False
        self.seg_italy.name = "Tour Italian Customers"
        self._recompute()
        self.start_tour("/odoo", "customer_relations_segment_tour", login="cr_manager")

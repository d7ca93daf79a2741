import io
import logging
import re
import socket
from datetime import datetime, timedelta

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged, users
from odoo.tools import mute_logger
from odoo.tools.pdf import PdfReader

from .common import CustomerRelationsCommon, create_referral_program

REPORT_LOGGER = "odoo.addons.base.models.ir_actions_report"
MUTED_ACCESS_LOGGERS = (
    "odoo.addons.base.models.ir_model",
    "odoo.addons.base.models.ir_rule",
    "odoo.models",
)


class CustomerReferralCommon(CustomerRelationsCommon):
    """A coupon program "10% on the next order", a clause using it, a referrer
    (account_own_kam, managed by user_own) with a confirmed order carrying the
    clause, and a new customer (managed by user_own as salesperson)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product.write({"list_price": 100.0, "taxes_id": [Command.clear()]})
        cls.program = create_referral_program(cls.env)
        cls.clause = cls.env["customer.referral.clause"].create(
            {
                "name": "10% for each new customer",
                "program_id": cls.program.id,
                "min_first_order_amount": 1000.0,
                "validity_days": 30,
                "text": "<p>You get 10% off your next order.</p>",
            }
        )
        cls.referrer = cls.account_own_kam
        cls.source_order = cls._order(cls.referrer, 500.0, clause=cls.clause)
        # the contract was signed before the referrals the tests register
        cls.source_order.date_order = "2024-06-01 09:00:00"
        cls.new_customer = cls.env["res.partner"].create(
            {
                "name": "Newcomer Ltd",
                "is_company": True,
                "customer_rank": 1,
                "user_id": cls.user_own.id,
            }
        )
        cls.new_contact = cls.env["res.partner"].create(
            {"name": "Nina Newcomer", "parent_id": cls.new_customer.id}
        )
        cls.referrer.email = "referrer@example.com"

    @classmethod
    def _order(
        cls, partner, amount, clause=None, confirm=True, company=None, user=None
    ):
        order = cls.env["sale.order"].create(
            {
                "partner_id": partner.id,
                "user_id": (user or cls.user_own).id,
                "company_id": (company or cls.env.company).id,
                "referral_clause_id": clause.id if clause else False,
                "order_line": [
                    Command.create(
                        {
                            "product_id": cls.product.id,
                            "product_uom_qty": 1.0,
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

    def _assert_refused(self, message, **kwargs):
        """The rule refuses the referral with ``message``; nothing is saved."""
        Referral = self.env["customer.referral"].sudo()
        before = Referral.search_count([])
        with self.assertRaisesRegex(ValidationError, message), self.env.cr.savepoint():
            self._register(**kwargs)
        self.assertEqual(Referral.search_count([]), before)

    def _register(self, referred=None, referrer=None, **vals):
        return self.env["customer.referral"].create(
            {
                "referrer_id": (referrer or self.referrer).id,
                "referred_id": (referred or self.new_customer).id,
                **vals,
            }
        )

    def _cards(self):
        return self.env["loyalty.card"].search([("program_id", "=", self.program.id)])


@tagged("post_install", "-at_install")
class TestCustomerReferral(CustomerReferralCommon):
    # ------------------------------------------------------------------
    # Registration and the happy path
    # ------------------------------------------------------------------

    @users("cr_own")
    def test_register_from_referrer_and_reward(self):
        referrer = self.referrer.with_env(self.env)
        action = referrer.action_register_customer_referral()
        wizard_form = Form(
            self.env[action["res_model"]].with_context(**action["context"])
        )
        self.assertEqual(wizard_form.referrer_id, self.referrer)
        wizard_form.referred_id = self.new_contact  # a contact stands for its company
        self.assertEqual(wizard_form.source_order_id, self.source_order)
        self.assertEqual(wizard_form.clause_id, self.clause)
        result = wizard_form.save().action_register()
        referral = self.env["customer.referral"].browse(result["res_id"])
        self.assertRecordValues(
            referral,
            [
                {
                    "referrer_id": self.referrer.id,
                    "referred_id": self.new_customer.id,
                    "source_order_id": self.source_order.id,
                    "clause_id": self.clause.id,
                    "state": "pending",
                    "user_id": self.user_own.id,
                    "expiry_date": fields.Date.today() + timedelta(days=30),
                }
            ],
        )
        self.assertTrue(referral.name.startswith("REF/"))
        self.assertEqual(referrer.customer_referral_count, 1)
        new_customer = self.new_contact.with_env(self.env)
        self.assertEqual(new_customer.referred_by_id, self.referrer)
        self.assertEqual(new_customer.referred_by_referral_id, referral)

        # the new customer's first order, by a contact, confirmed by its salesperson
        order = self._order(self.new_contact, 1200.0)
        self.assertEqual(referral.state, "rewarded")
        self.assertEqual(referral.qualifying_order_id, order)
        card = referral.reward_card_id.sudo()
        self.assertRecordValues(
            card,
            [
                {
                    "program_id": self.program.id,
                    "partner_id": self.referrer.id,
                    "points": 1.0,
                    "customer_referral_id": referral.id,
                }
            ],
        )
        self.assertAlmostEqual(referral.reward_value, 120.0)
        self.assertEqual(referral.converted, 100.0)
        # the referrer got the email with the code, its manager a to-do
        mail = referral.message_ids.filtered(
            lambda m: (
                m.subtype_id == self.env.ref("mail.mt_comment")
                and card.code in (m.body or "")
            )
        )
        self.assertEqual(len(mail), 1)
        self.assertIn(self.referrer, mail.sudo().partner_ids)
        self.assertEqual(referral.activity_ids.user_id, self.user_own)
        self.assertIn("received its coupon", referral.activity_ids.note)

    @users("cr_own")
    def test_register_from_new_customer_side(self):
        action = self.new_customer.with_env(self.env).action_register_referred_by()
        wizard_form = Form(
            self.env[action["res_model"]].with_context(**action["context"])
        )
        self.assertEqual(wizard_form.referred_id, self.new_customer)
        wizard_form.referrer_id = self.referrer
        self.assertEqual(wizard_form.source_order_id, self.source_order)
        referral = self.env["customer.referral"].browse(
            wizard_form.save().action_register()["res_id"]
        )
        self.assertEqual(referral.referrer_id, self.referrer)

    @users("cr_own")
    def test_register_from_order(self):
        action = self.source_order.with_env(
            self.env
        ).action_register_customer_referral()
        self.assertEqual(
            action["context"]["default_source_order_id"], self.source_order.id
        )
        wizard = Form(self.env[action["res_model"]].with_context(**action["context"]))
        wizard.referred_id = self.new_customer
        wizard.save().action_register()
        self.assertEqual(
            self.source_order.with_env(self.env).customer_referral_count, 1
        )

    def test_register_from_opportunity(self):
        lead = (
            self.env["crm.lead"]
            .with_user(self.user_own)
            .create({"name": "Newcomer deal", "type": "opportunity"})
        )
        lead.referred_by_id = self.referrer
        self.assertFalse(lead.customer_referral_id)  # no customer yet
        lead.partner_id = self.new_contact
        referral = lead.customer_referral_id
        self.assertEqual(referral.referrer_id, self.referrer)
        self.assertEqual(referral.referred_id, self.new_customer)
        self.assertEqual(referral.state, "pending")
        # refused referrals refuse the change, nothing half-saved
        other_lead = self.env["crm.lead"].create(
            {
                "name": "Self",
                "type": "opportunity",
                "partner_id": self.contact_own_kam.id,
            }
        )
        with self.assertRaisesRegex(ValidationError, "by itself"):
            other_lead.referred_by_id = self.referrer
        self.assertFalse(other_lead.customer_referral_id)

    def test_tier_default_clause_on_new_quotations(self):
        tier = self.env["customer.tier"].create(
            {
                "name": "Referral Tier",
                "min_annual_revenue": 123456,
                "referral_clause_id": self.clause.id,
            }
        )
        self.account_unassigned.customer_tier_id = tier
        with Form(self.env["sale.order"]) as order_form:
            order_form.partner_id = self.account_unassigned
            self.assertEqual(order_form.referral_clause_id, self.clause)
            order_form.partner_id = self.account_other_kam
            self.assertFalse(order_form.referral_clause_id)
        # a shared tier gives the clause of a company to that company only
        self.account_unassigned.with_company(self.company_2).customer_tier_id = tier
        order_2 = (
            self.env["sale.order"]
            .with_company(self.company_2)
            .create(
                {
                    "partner_id": self.account_unassigned.id,
                    "company_id": self.company_2.id,
                }
            )
        )
        self.assertFalse(order_2.referral_clause_id)

    # ------------------------------------------------------------------
    # Rules
    # ------------------------------------------------------------------

    def test_rule_referrer_needs_a_clause_order(self):
        Referral = self.env["customer.referral"]
        existing = Referral.search([])
        self._assert_refused(
            "no confirmed order carrying", referrer=self.account_other_kam
        )
        # a draft order with a clause is no contract yet
        self._order(self.account_other_kam, 100.0, clause=self.clause, confirm=False)
        self._assert_refused(
            "no confirmed order carrying", referrer=self.account_other_kam
        )
        self.assertEqual(Referral.search([]), existing)

    def test_rule_not_the_same_account(self):
        self._assert_refused("by itself", referred=self.referrer)
        self._assert_refused("by itself", referred=self.contact_own_kam)
        self._assert_refused(
            "by itself", referrer=self.contact_own_kam, referred=self.referrer
        )

    def test_rule_referred_must_be_new(self):
        self._order(self.contact_own_sales, 10.0)
        self._assert_refused("not a new customer", referred=self.account_own_sales)
        # an order confirmed after the referral date does not count
        with freeze_time(datetime.now() + timedelta(days=2)):
            self._order(self.account_unassigned, 10.0)
        referral = self._register(
            referred=self.account_unassigned, date=fields.Date.today()
        )
        self.assertEqual(referral.state, "pending")

    def test_rule_referred_only_once(self):
        first = self._register()
        other_referrer = self.account_other_kam
        self._order(other_referrer, 100.0, clause=self.clause)
        self._assert_refused(
            "already been referred by Own KAM", referrer=other_referrer
        )
        # once rejected, someone else may register it
        first.sudo()._reject("Duplicate of a direct contact")
        second = self._register(referrer=other_referrer)
        self.assertEqual(second.state, "pending")
        # reopening the first one would refer it twice
        with self.assertRaisesRegex(ValidationError, "already been referred"):
            first.action_reset_to_pending()

    def test_rule_referred_only_once_in_database(self):
        first = self._register()
        self.env.flush_all()
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(IntegrityError),
            self.env.cr.savepoint(),
        ):
            self.env.cr.execute(
                """
                    INSERT INTO customer_referral (name, company_id, referrer_id,
                        referred_id, clause_id, date, state)
                    SELECT 'dup', company_id, referrer_id, referred_id, clause_id,
                           date, 'pending'
                      FROM customer_referral WHERE id = %s
                    """,
                [first.id],
            )

    def test_rule_max_referrals(self):
        self.clause.max_referrals = 1
        first = self._register()
        self._order(self.new_customer, 1000.0)
        self.assertEqual(first.state, "rewarded")
        self._assert_refused("its maximum", referred=self.account_unassigned)

    def test_rule_max_referrals_at_reward(self):
        """Two pending referrals, one reward left: the second is rejected."""
        self.clause.max_referrals = 1
        first = self._register()
        second = self._register(referred=self.account_unassigned)
        self._order(self.new_customer, 1000.0)
        self._order(self.account_unassigned, 1000.0)
        self.assertEqual(first.state, "rewarded")
        self.assertEqual(second.state, "rejected")
        self.assertIn("its maximum", second.reject_reason)
        self.assertFalse(second.reward_card_id)

    # ------------------------------------------------------------------
    # Qualification boundaries
    # ------------------------------------------------------------------

    def test_qualification_boundary_amount(self):
        at_minimum = self._register()
        self._order(self.new_customer, 1000.0)
        self.assertEqual(at_minimum.state, "rewarded")

        below = self._register(referred=self.account_unassigned)
        order = self._order(self.account_unassigned, 999.99)
        self.assertEqual(below.state, "rejected")
        self.assertEqual(below.qualifying_order_id, order)
        self.assertIn("below the minimum", below.reject_reason)
        self.assertFalse(below.reward_card_id)

    def test_qualification_amount_in_company_currency(self):
        """An order in another currency is converted at its own rate."""
        currency = self.env["res.currency"].create(
            {
                "name": "RFX",
                "symbol": "R",
                "rate_ids": [Command.create({"rate": 2.0, "name": "2000-01-01"})],
            }
        )
        pricelist = self.env["product.pricelist"].create(
            {"name": "RFX pricelist", "currency_id": currency.id}
        )
        referral = self._register()
        order = self._order(self.new_customer, 1999.0, confirm=False)
        order.pricelist_id = pricelist
        order.order_line.price_unit = 1999.0  # 999.50 in company currency
        order.action_confirm()
        self.assertEqual(referral.state, "rejected")

    def test_qualification_boundary_day(self):
        with freeze_time("2025-03-01 10:00:00"):
            on_time = self._register(date=fields.Date.to_date("2025-03-01"))
            late = self._register(
                referred=self.account_unassigned, date=fields.Date.to_date("2025-03-01")
            )
        self.assertEqual(on_time.expiry_date, fields.Date.to_date("2025-03-31"))
        with freeze_time("2025-03-31 10:00:00"):
            self._order(self.new_customer, 1500.0)
        with freeze_time("2025-04-01 10:00:00"):
            self._order(self.account_unassigned, 1500.0)
        self.assertEqual(on_time.state, "rewarded")
        self.assertEqual(late.state, "expired")
        self.assertFalse(late.reward_card_id)

    # ------------------------------------------------------------------
    # Approval
    # ------------------------------------------------------------------

    def test_approval(self):
        self.clause.reward_approval = True
        referral = self._register()
        self._order(self.new_customer, 1500.0)
        self.assertEqual(referral.state, "qualified")
        self.assertFalse(referral.reward_card_id)

        with mute_logger(*MUTED_ACCESS_LOGGERS), self.assertRaises(AccessError):
            referral.with_user(self.user_all).action_approve()
        with mute_logger(*MUTED_ACCESS_LOGGERS), self.assertRaises(AccessError):
            referral.with_user(self.user_own).write({"state": "rewarded"})

        referral.with_user(self.user_manager).action_approve()
        self.assertEqual(referral.state, "rewarded")
        self.assertEqual(len(self._cards()), 1)
        with self.assertRaisesRegex(UserError, "Only qualified"):
            referral.with_user(self.user_manager).action_approve()
        self.assertEqual(len(self._cards()), 1)

    def test_rejection(self):
        self.clause.reward_approval = True
        referral = self._register()
        self._order(self.new_customer, 1500.0)
        action = referral.with_user(self.user_manager).action_reject()
        wizard_form = Form(
            self.env[action["res_model"]]
            .with_user(self.user_manager)
            .with_context(**action["context"])
        )
        wizard_form.reason = "The customer came through our own campaign"
        wizard_form.save().action_reject()
        self.assertEqual(referral.state, "rejected")
        self.assertEqual(
            referral.reject_reason, "The customer came through our own campaign"
        )
        self.assertFalse(self._cards())
        with mute_logger(*MUTED_ACCESS_LOGGERS), self.assertRaises(AccessError):
            referral.with_user(self.user_own).action_reject()

    # ------------------------------------------------------------------
    # Exactly once
    # ------------------------------------------------------------------

    def test_exactly_once_two_orders_confirmed_together(self):
        referral = self._register()
        orders = self._order(self.new_customer, 1500.0, confirm=False) | self._order(
            self.new_contact, 2000.0, confirm=False
        )
        orders.action_confirm()
        self.assertEqual(referral.state, "rewarded")
        self.assertEqual(referral.qualifying_order_id, orders[0])
        self.assertEqual(len(self._cards()), 1)

    def test_exactly_once_later_orders_and_reconfirmation(self):
        referral = self._register()
        order = self._order(self.new_customer, 1500.0)
        card = referral.reward_card_id
        self._order(self.new_customer, 3000.0)
        order._action_cancel()
        order.action_draft()
        order.action_confirm()
        self.assertEqual(referral.state, "rewarded")
        self.assertEqual(referral.reward_card_id, card)
        referral._issue_rewards()
        self.assertEqual(self._cards(), card)

    def test_exactly_once_in_database(self):
        referral = self._register()
        self._order(self.new_customer, 1500.0)
        self.assertEqual(referral.state, "rewarded")
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(IntegrityError),
            self.env.cr.savepoint(),
        ):
            self.env["loyalty.card"].create(referral._get_reward_card_values())
            self.env.flush_all()
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(IntegrityError),
            self.env.cr.savepoint(),
        ):
            self.env.cr.execute(
                "UPDATE customer_referral SET reward_card_id = NULL WHERE id = %s",
                [referral.id],
            )

    # ------------------------------------------------------------------
    # Cancellation and expiry
    # ------------------------------------------------------------------

    def test_cancellation_before_reward(self):
        self.clause.reward_approval = True
        referral = self._register()
        order = self._order(self.new_customer, 1500.0)
        self.assertEqual(referral.state, "qualified")
        order._action_cancel()
        self.assertEqual(referral.state, "pending")
        self.assertFalse(referral.qualifying_order_id)
        second = self._order(self.new_customer, 1100.0)
        self.assertEqual(referral.state, "qualified")
        self.assertEqual(referral.qualifying_order_id, second)

    def test_cancellation_after_reward_keeps_coupon(self):
        referral = self._register()
        order = self._order(self.new_customer, 1500.0)
        order._action_cancel()
        self.assertEqual(referral.state, "rewarded")
        self.assertTrue(referral.reward_card_id)

    def test_expiry_cron(self):
        with freeze_time("2025-01-01"):
            old = self._register(date=fields.Date.to_date("2025-01-01"))
        with freeze_time("2025-01-20"):
            recent = self._register(
                referred=self.account_unassigned, date=fields.Date.to_date("2025-01-20")
            )
        cron = self.env.ref("customer_relations.ir_cron_referral_expire")
        self.assertEqual(cron.model_id.model, "customer.referral")
        with freeze_time("2025-02-01"):
            self.env["customer.referral"]._cron_expire_referrals()
            self.assertEqual(old.state, "expired")
            self.assertEqual(recent.state, "pending")
            # safe to run twice, in small batches
            self.env["customer.referral"]._cron_expire_referrals(batch_size=1)
        self.assertEqual(recent.state, "pending")
        self.assertEqual(old.state, "expired")

    # ------------------------------------------------------------------
    # The coupon, the document
    # ------------------------------------------------------------------

    def test_coupon_usable_on_referrers_next_order(self):
        referral = self._register()
        self._order(self.new_customer, 1500.0)
        code = referral.reward_code
        next_order = self._order(self.referrer, 400.0, confirm=False)
        coupon_wizard = (
            self.env["sale.loyalty.coupon.wizard"]
            .with_user(self.user_own)
            .with_context(active_id=next_order.id)
            .create({"coupon_code": code})
        )
        action = coupon_wizard.action_apply()
        reward_wizard = (
            self.env["sale.loyalty.reward.wizard"]
            .with_user(self.user_own)
            .with_context(**action["context"])
            .create({})
        )
        reward_wizard.selected_reward_id = self.program.reward_ids
        reward_wizard.action_apply()
        discount_line = next_order.order_line.filtered("is_reward_line")
        self.assertEqual(discount_line.coupon_id, referral.reward_card_id)
        self.assertAlmostEqual(discount_line.price_subtotal, -40.0)
        self.assertAlmostEqual(next_order.amount_untaxed, 360.0)
        next_order.action_confirm()
        self.assertEqual(referral.reward_card_id.points, 0)

    def test_clause_printed_in_customers_language(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.clause.update_field_translations(
            "text",
            {
                "fr_FR": {
                    "You get 10% off your next order.": (
                        "Vous recevez 10% sur votre prochaine commande."
                    )
                }
            },
        )
        quotation = self._order(self.referrer, 100.0, clause=self.clause, confirm=False)
        french = self.env["res.partner"].create(
            {"name": "Client Français", "lang": "fr_FR"}
        )
        french_quotation = self._order(french, 100.0, clause=self.clause, confirm=False)
        no_clause = self._order(self.referrer, 100.0, confirm=False)
        report = self.env["ir.actions.report"]
        html = report._render_qweb_html("sale.report_saleorder", quotation.ids)[
            0
        ].decode()
        self.assertIn("You get 10% off your next order.", html)
        self.assertIn('name="referral_clause"', html)
        html = report._render_qweb_html("sale.report_saleorder", french_quotation.ids)[
            0
        ].decode()
        self.assertIn("Vous recevez 10% sur votre prochaine commande.", html)
        self.assertNotIn("You get 10% off", html)
        html = report._render_qweb_html("sale.report_saleorder", no_clause.ids)[
            0
        ].decode()
        self.assertNotIn('name="referral_clause"', html)

    # ------------------------------------------------------------------
    # Data that people worked on
    # ------------------------------------------------------------------

    def test_delete_guards(self):
        referral = self._register()
        self._order(self.new_customer, 1500.0)
        with self.assertRaisesRegex(UserError, "cannot be deleted"):
            referral.unlink()
        with self.assertRaisesRegex(UserError, "archive it instead"):
            self.clause.unlink()
        self.clause.action_archive()
        self.assertFalse(self.clause.active)

    def test_clause_needs_a_coupon_program(self):
        promotion = self.env["loyalty.program"].create(
            {"name": "Promotion", "program_type": "promotion"}
        )
        with self.assertRaisesRegex(ValidationError, "must issue coupons"):
            self.clause.program_id = promotion


# What wkhtmltopdf may say on stderr, which Odoo logs as a warning: Debian's
# build (without Odoo's patched Qt) ignores the header and footer options, and
# the test's report assets are out of reach on purpose (see below).
WKHTMLTOPDF_EXPECTED_NOISE = re.compile(
    r"is not support using unpatched qt, and will be ignored"
    r"|XDG_RUNTIME_DIR|network error: ConnectionRefusedError"
)


@tagged("post_install", "-at_install")
class TestCustomerReferralPdf(CustomerReferralCommon):
    def test_clause_printed_in_pdf(self):
        """The quotation printed as a PDF by wkhtmltopdf carries its clause.

        The report's assets are out of reach (a port nobody listens on), so the
        PDF is printed in the system's fonts: Debian's wkhtmltopdf draws Odoo's
        web fonts (Lato...) as outlines, which leaves no text to read back."""
        quotation = self._order(self.referrer, 100.0, clause=self.clause, confirm=False)
        with socket.socket() as closed:
            closed.bind(("127.0.0.1", 0))  # bound, not listening: refused
            port = closed.getsockname()[1]
            self.env["ir.config_parameter"].set_param(
                "report.url", f"http://127.0.0.1:{port}"
            )
            report = (
                self.env["ir.actions.report"]
                .with_user(self.user_own)
                .with_context(force_report_rendering=True)
            )
            with self.assertLogs(REPORT_LOGGER, "INFO") as logs:
                pdf, report_type = report._render_qweb_pdf(
                    "sale.report_saleorder", quotation.ids
                )
        self.assertEqual(report_type, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF-"))
        for record in logs.records:
            if record.levelno >= logging.WARNING:
                message = record.getMessage().removeprefix("wkhtmltopdf: ")
                for line in filter(str.strip, message.splitlines()):
                    self.assertRegex(line, WKHTMLTOPDF_EXPECTED_NOISE)
        # wkhtmltopdf compresses the page streams: read the text as a reader does
        text = " ".join(
            " ".join(page.extract_text().split())
            for page in PdfReader(io.BytesIO(pdf)).pages
        )
        self.assertIn(quotation.name, text)
        self.assertIn("Referral Clause", text)
        self.assertIn("You get 10% off your next order.", text)


@tagged("post_install", "-at_install")
class TestCustomerReferralAccess(CustomerReferralCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.referral_own = cls.env["customer.referral"].create(
            {"referrer_id": cls.referrer.id, "referred_id": cls.new_customer.id}
        )
        cls._order(cls.account_other_kam, 100.0, clause=cls.clause)
        cls.referral_other = cls.env["customer.referral"].create(
            {
                "referrer_id": cls.account_other_kam.id,
                "referred_id": cls.account_unassigned.id,
            }
        )

    @users("cr_none", "cr_portal")
    @mute_logger(*MUTED_ACCESS_LOGGERS)
    def test_no_access_without_group(self):
        Referral = self.env["customer.referral"]
        with self.assertRaises(AccessError):
            Referral.search([])
        with self.assertRaises(AccessError):
            self.referral_own.with_env(self.env).read(["state"])
        with self.assertRaises(AccessError):
            Referral.create(
                {
                    "referrer_id": self.referrer.id,
                    "referred_id": self.account_individual.id,
                }
            )

    @users("cr_own")
    def test_own_accounts(self):
        Referral = self.env["customer.referral"]
        self.assertEqual(Referral.search([]), self.referral_own)
        # may register for its own accounts, with the salesperson's side too
        referral = Referral.create(
            {"referrer_id": self.referrer.id, "referred_id": self.account_individual.id}
        )
        referral.notes = "<p>Met at the fair</p>"
        with mute_logger(*MUTED_ACCESS_LOGGERS):
            with self.assertRaises(AccessError):
                self.referral_other.with_env(self.env).read(["state"])
            with self.assertRaises(AccessError):
                referral.write({"state": "rewarded"})
            with self.assertRaises(AccessError):
                Referral.create(
                    {
                        "referrer_id": self.referrer.id,
                        "referred_id": self.account_individual.id,
                        "state": "qualified",
                    }
                )
            with self.assertRaises(AccessError):
                referral.unlink()
            with self.assertRaises(AccessError):
                self.env["customer.referral.clause"].create(
                    {"name": "Mine", "program_id": self.program.id}
                )
            with self.assertRaises(AccessError):
                self.clause.with_env(self.env).write({"validity_days": 1})
        # reads clauses for its quotations
        self.assertEqual(
            self.clause.with_env(self.env).name, "10% for each new customer"
        )

    @users("cr_all")
    def test_all_accounts(self):
        # every referral of its companies, of any account (demo data included)
        referrals = self.env["customer.referral"].search([])
        self.assertEqual(
            referrals,
            self.env["customer.referral"]
            .sudo()
            .search([("company_id", "in", self.env.companies.ids)]),
        )
        self.assertLessEqual(self.referral_own | self.referral_other, referrals)
        with mute_logger(*MUTED_ACCESS_LOGGERS), self.assertRaises(AccessError):
            self.referral_other.with_env(self.env).action_reject()

    @users("cr_manager")
    def test_administrator(self):
        referral = self.referral_other.with_env(self.env)
        clause = self.env["customer.referral.clause"].create(
            {"name": "Admin clause", "program_id": self.program.id}
        )
        self.assertTrue(clause.company_id)
        action = referral.action_reject()
        self.env[action["res_model"]].with_context(**action["context"]).create(
            {"reason": "Not a real newcomer"}
        ).action_reject()
        self.assertEqual(referral.state, "rejected")
        referral.unlink()

    @users("salesman")
    def test_salesman_without_group_confirms_orders(self):
        """The reward follows a confirmation by someone who cannot see referrals."""
        order = self._order(self.new_customer, 1500.0)
        self.assertEqual(order.state, "sale")
        self.assertEqual(self.referral_own.sudo().state, "rewarded")
        with Form(order) as order_form:
            self.assertEqual(order_form.partner_id, self.new_customer)


@tagged("post_install", "-at_install")
class TestCustomerReferralMultiCompany(CustomerReferralCommon):
    def test_referrals_per_company(self):
        company_2 = self.company_2
        user = self.user_all
        user.write({"company_ids": [Command.link(company_2.id)]})
        program_2 = self.env["loyalty.program"].create(
            {
                "name": "C2 coupons",
                "program_type": "coupons",
                "company_id": company_2.id,
            }
        )
        clause_2 = self.env["customer.referral.clause"].create(
            {
                "name": "C2 clause",
                "program_id": program_2.id,
                "company_id": company_2.id,
            }
        )
        # a clause cannot use another company's program
        with self.assertRaises(UserError):
            self.env["customer.referral.clause"].create(
                {
                    "name": "Wrong",
                    "program_id": program_2.id,
                    "company_id": self.env.company.id,
                }
            )
        self._order(self.referrer, 100.0, clause=clause_2, company=company_2)
        referral_2 = self.env["customer.referral"].create(
            {
                "referrer_id": self.referrer.id,
                "referred_id": self.new_customer.id,
                "company_id": company_2.id,
            }
        )
        self.assertEqual(referral_2.clause_id, clause_2)
        # referred once per company
        referral_1 = self._register()
        Referral = self.env["customer.referral"].with_user(user)
        # (the referrals of new_customer: the database may hold others)
        of_new_customer = [("referred_id", "=", self.new_customer.id)]
        self.assertEqual(
            Referral.with_context(allowed_company_ids=self.env.company.ids).search(
                of_new_customer
            ),
            referral_1,
        )
        self.assertEqual(
            Referral.with_context(
                allowed_company_ids=(self.env.company | company_2).ids
            ).search(of_new_customer),
            referral_1 | referral_2,
        )
        clauses = (
            self.env["customer.referral.clause"]
            .with_user(user)
            .with_context(allowed_company_ids=self.env.company.ids)
            .search([])
        )
        self.assertNotIn(clause_2, clauses)
        # an order in company 1 qualifies the company 1 referral only
        self._order(self.new_customer, 1500.0)
        self.assertEqual(referral_1.state, "rewarded")
        self.assertEqual(referral_2.state, "pending")

import io
import logging
import socket

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, HttpCase, new_test_user, tagged
from odoo.tools import mute_logger
from odoo.tools.pdf import PdfReader

from .common import GROUP_CONTACTS, GROUP_OWN, CustomerRelationsCommon
from .test_customer_referral import REPORT_LOGGER, WKHTMLTOPDF_EXPECTED_NOISE

MUTED = ("odoo.addons.base.models.ir_model", "odoo.addons.base.models.ir_rule")


class CustomerCompetitorCommon(CustomerRelationsCommon):
    """``rival`` and ``other_rival`` in every company, ``rival_c2`` in the
    second one; ``user_sales``: a salesperson without our groups."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Competitor = cls.env["customer.competitor"]
        cls.rival = Competitor.create({"name": "Rival Furniture"})
        cls.other_rival = Competitor.create({"name": "Other Rival"})
        cls.rival_c2 = Competitor.create(
            {"name": "Rival of Company 2", "company_id": cls.company_2.id}
        )
        cls.user_sales = new_test_user(
            cls.env,
            login="cr_sales_only",
            name="Sam Sales Only",
            groups="sales_team.group_sale_salesman",
        )

    @classmethod
    def _lead(cls, name, revenue, competitors=(), user=None, **values):
        return cls.env["crm.lead"].create(
            {
                "name": name,
                "type": "opportunity",
                "partner_id": cls.account_own_kam.id,
                "user_id": (user or cls.user_own).id,
                "expected_revenue": revenue,
                "competitor_ids": [Command.set([c.id for c in competitors])],
                **values,
            }
        )

    def _mark_lost(self, leads, user, competitor=None, reason=None):
        """Through crm's own dialog, as ``user`` fills it in."""
        wizard_form = Form(
            self.env["crm.lead.lost"]
            .with_user(user)
            .with_context(active_ids=leads.ids, default_lead_ids=leads.ids)
        )
        if reason:
            wizard_form.lost_reason_id = reason
        if competitor:
            wizard_form.lost_to_competitor_id = competitor
        return wizard_form.save().action_lost_reason_apply()


@tagged("post_install", "-at_install")
class TestCustomerCompetitor(CustomerCompetitorCommon):
    def test_lost_to_a_competitor_through_the_lost_dialog(self):
        lead = self._lead("Chairs", 5000.0, [self.other_rival])
        reason = self.env["crm.lost.reason"].create({"name": "Too expensive"})
        self._mark_lost(lead, self.user_own, self.rival, reason)
        self.assertFalse(lead.active)
        self.assertEqual(lead.probability, 0)
        self.assertEqual(lead.lost_reason_id, reason)
        self.assertEqual(lead.lost_to_competitor_id, self.rival)
        # who won it was among the competitors of the deal
        self.assertEqual(lead.competitor_ids, self.rival | self.other_rival)
        self.assertEqual(self.rival.lost_count, 1)
        self.assertEqual(self.rival.lost_amount, 5000.0)
        self.assertEqual(self.other_rival.lost_count, 0)
        # restored, it is lost to nobody any more
        lead.action_unarchive()
        self.assertFalse(lead.lost_to_competitor_id)
        self.rival.invalidate_recordset()
        self.assertEqual(self.rival.lost_count, 0)
        self.assertEqual(self.rival.open_count, 1)

    def test_unique_names(self):
        Competitor = self.env["customer.competitor"]
        # shared by every company: once
        with self.assertRaisesRegex(ValidationError, "for all companies"):
            Competitor.create({"name": "Rival Furniture"})
        self.other_rival.active = False
        with self.assertRaisesRegex(ValidationError, "for all companies"):
            Competitor.create({"name": "Other Rival"})
        # the same name in one company is another competitor
        local = Competitor.create(
            {"name": "Rival Furniture", "company_id": self.company_2.id}
        )
        self.assertEqual(local.company_id, self.company_2)

    def test_lost_dialog_without_a_competitor(self):
        lead = self._lead("Desks", 1000.0, [self.rival])
        self._mark_lost(lead, self.user_own)
        self.assertFalse(lead.active)
        self.assertFalse(lead.lost_to_competitor_id)
        self.assertEqual(self.rival.lost_count, 0)

    def test_user_without_our_groups_marks_a_deal_lost(self):
        """Odoo's dialog works as before for a salesperson without Customer
        Relations: the question is not shown, and an answer sent over RPC
        anyway is refused."""
        lead = self._lead("Sofas", 2000.0, user=self.user_sales)
        wizard_form = Form(
            self.env["crm.lead.lost"]
            .with_user(self.user_sales)
            .with_context(default_lead_ids=lead.ids)
        )
        self.assertNotIn("lost_to_competitor_id", wizard_form._view["fields"])
        wizard_form.save().action_lost_reason_apply()
        self.assertFalse(lead.active)
        # the form of the opportunity opens for them
        lead.with_user(self.user_sales).action_unarchive()
        Form(lead.with_user(self.user_sales))
        wizard = (
            self.env["crm.lead.lost"]
            .with_user(self.user_sales)
            .create({"lead_ids": lead.ids, "lost_to_competitor_id": self.rival.id})
        )
        with mute_logger(*MUTED), self.assertRaises(AccessError):
            wizard.action_lost_reason_apply()
        self.assertTrue(lead.active)
        self.assertFalse(lead.sudo().lost_to_competitor_id)

    def test_duplicating_a_deal(self):
        """A salesperson without our groups duplicates an opportunity that
        names competitors (Odoo's own Duplicate); an account manager's
        duplicate keeps its competitors."""
        lead = self._lead(
            "Desks", 3000.0, competitors=[self.rival], user=self.user_sales
        )
        copy = lead.with_user(self.user_sales).copy({"name": "Desks again"})
        self.assertFalse(copy.sudo().competitor_ids)
        own = self._lead("Chairs", 1000.0, competitors=[self.rival, self.other_rival])
        own_copy = own.with_user(self.user_own).copy()
        self.assertEqual(own_copy.competitor_ids, self.rival + self.other_rival)
        emptied = own.with_user(self.user_own).copy({"competitor_ids": False})
        self.assertFalse(emptied.competitor_ids)

    def test_win_rate_figures(self):
        won = self._lead("Won 1", 1000.0, [self.rival, self.other_rival])
        won |= self._lead("Won 2", 3000.0, [self.rival])
        won.action_set_won()
        lost = self._lead("Lost to rival", 500.0, [self.rival])
        self._mark_lost(lost, self.user_own, self.rival)
        lost_other = self._lead("Lost to the other", 700.0, [self.rival])
        self._mark_lost(lost_other, self.user_own, self.other_rival)
        self._lead("Still open", 900.0, [self.rival])
        # a lead, not an opportunity, counts nowhere
        self._lead("A lead", 100.0, [self.rival], type="lead")
        competitors = self.rival | self.other_rival
        competitors.invalidate_recordset()
        with self.assertQueryCount(4):  # won, open, lost, currency
            competitors.mapped("win_rate")
        self.assertEqual(
            [
                (
                    c.won_count,
                    c.lost_count,
                    c.open_count,
                    c.won_amount,
                    c.lost_amount,
                    round(c.win_rate, 2),
                )
                for c in competitors
            ],
            [
                # won twice, lost once to them, once to the other
                (2, 1, 1, 4000.0, 500.0, 66.67),
                (1, 1, 0, 1000.0, 700.0, 50.0),
            ],
        )
        # the analysis says the same: the win rate is the average
        groups = self.env["customer.competitor.report"]._read_group(
            [("competitor_id", "in", competitors.ids)],
            ["competitor_id"],
            ["won_count:sum", "lost_count:sum", "win_rate:avg", "__count"],
        )
        self.assertEqual(
            {c: (w, lo, round(r, 2), n) for c, w, lo, r, n in groups},
            {
                self.rival: (2, 1, 66.67, 5),
                self.other_rival: (1, 1, 50.0, 2),
            },
        )
        outcomes = self.env["customer.competitor.report"]._read_group(
            [("competitor_id", "=", self.rival.id)], ["outcome"], ["__count"]
        )
        self.assertEqual(
            dict(outcomes), {"won": 2, "lost": 1, "lost_other": 1, "open": 1}
        )

    def test_buttons_list_the_deals(self):
        won = self._lead("Won", 1000.0, [self.rival])
        won.action_set_won()
        lost = self._lead("Lost", 500.0, [self.rival])
        self._mark_lost(lost, self.user_own, self.rival)
        still_open = self._lead("Open", 900.0, [self.rival])
        objection = self.env["customer.objection"].create(
            {
                "name": "Their price is lower",
                "partner_id": self.account_own_kam.id,
                "competitor_id": self.rival.id,
            }
        )
        rival = self.rival.with_user(self.user_own)
        self.assertEqual(rival.objection_count, 1)
        Lead = self.env["crm.lead"].with_user(self.user_own)
        for method, leads in (
            ("action_view_won_leads", won),
            ("action_view_lost_leads", lost),
            ("action_view_open_leads", still_open),
        ):
            action = getattr(rival, method)()
            self.assertEqual(
                Lead.with_context(**action["context"]).search(action["domain"]),
                leads,
                method,
            )
        action = rival.action_view_objections()
        self.assertEqual(
            self.env["customer.objection"].search(action["domain"]), objection
        )

    def test_swot_lines_by_account_managers(self):
        Swot = self.env["customer.competitor.swot"]
        line = Swot.with_user(self.user_own).create(
            {
                "competitor_id": self.rival.id,
                "kind": "weakness",
                "description": "Delivery in twelve weeks",
            }
        )
        self.assertEqual(line.author_id, self.user_own)
        self.assertTrue(line.date)
        self.assertEqual(self.rival.weakness_ids, line)
        self.assertFalse(self.rival.strength_ids)
        # its author corrects it; another account manager may not
        line.with_user(self.user_own).description = "Delivery in ten weeks"
        with mute_logger(*MUTED), self.assertRaises(AccessError):
            line.with_user(self.user_all).description = "Fast delivery"
        with mute_logger(*MUTED), self.assertRaises(AccessError):
            line.with_user(self.user_all).unlink()
        # nobody signs for someone else
        with mute_logger(*MUTED), self.assertRaises(AccessError):
            Swot.with_user(self.user_all).create(
                {
                    "competitor_id": self.rival.id,
                    "description": "Signed by another",
                    "author_id": self.user_own.id,
                }
            )
        # administrators edit every line
        line.with_user(self.user_manager).kind = "threat"
        self.assertEqual(self.rival.threat_ids, line)
        line.with_user(self.user_manager).unlink()
        self.assertFalse(self.rival.swot_ids)

    def test_battle_card(self):
        Swot = self.env["customer.competitor.swot"]
        for kind, text in (
            ("strength", "Cheapest chairs on the market"),
            ("weakness", "No assembly service"),
            ("opportunity", "Customers in a hurry"),
            ("threat", "Welcome discount of 20 percent"),
        ):
            Swot.with_user(self.user_own).create(
                {"competitor_id": self.rival.id, "kind": kind, "description": text}
            )
        won = self._lead("Won", 1000.0, [self.rival])
        won.action_set_won()
        self._mark_lost(
            self._lead("Lost", 500.0, [self.rival]), self.user_own, self.rival
        )
        html = (
            self.env["ir.actions.report"]
            .with_user(self.user_own)
            ._render_qweb_html(
                "customer_relations.report_competitor_battle_card", self.rival.ids
            )[0]
            .decode()
        )
        self.assertIn("Battle Card", html)
        self.assertIn("Rival Furniture", html)
        for text in (
            "Cheapest chairs on the market",
            "No assembly service",
            "Customers in a hurry",
            "Welcome discount of 20 percent",
            "50 %",
        ):
            self.assertIn(text, html)


@tagged("post_install", "-at_install")
class TestCustomerCompetitorAccess(CustomerCompetitorCommon):
    def test_account_managers_read_administrators_manage(self):
        for user in (self.user_own, self.user_all):
            with self.subTest(user=user.login):
                rival = self.rival.with_user(user)
                self.assertEqual(rival.name, "Rival Furniture")
                with mute_logger(*MUTED), self.assertRaises(AccessError):
                    rival.name = "Renamed"
                with mute_logger(*MUTED), self.assertRaises(AccessError):
                    rival.action_archive()
                with mute_logger(*MUTED), self.assertRaises(AccessError):
                    self.env["customer.competitor"].with_user(user).create(
                        {"name": "New rival"}
                    )
                # but they name competitors on their deals and objections
                lead = self._lead("Own deal", 10.0)
                lead.with_user(user).competitor_ids = [Command.link(self.rival.id)]
        Competitor = self.env["customer.competitor"].with_user(self.user_manager)
        newcomer = Competitor.create({"name": "Newcomer"})
        newcomer.action_archive()
        self.assertFalse(newcomer.active)

    def test_no_access_without_our_groups(self):
        for user in (self.user_none, self.user_sales, self.user_portal):
            with self.subTest(user=user.login):
                with mute_logger(*MUTED), self.assertRaises(AccessError):
                    self.rival.with_user(user).read(["name"])
                with mute_logger(*MUTED), self.assertRaises(AccessError):
                    self.env["customer.competitor.swot"].with_user(user).create(
                        {"competitor_id": self.rival.id, "description": "x"}
                    )
        # the salesperson's opportunities open without our fields
        lead = self._lead("Sales deal", 10.0, [self.rival], user=self.user_sales)
        Form(lead.with_user(self.user_sales))
        with mute_logger(*MUTED), self.assertRaises(AccessError):
            lead.with_user(self.user_sales).read(["competitor_ids"])

    def test_analysis_for_all_accounts_users(self):
        self._lead("Open", 10.0, [self.rival])
        Report = self.env["customer.competitor.report"]
        self.assertTrue(Report.with_user(self.user_all).search([]))
        with mute_logger(*MUTED), self.assertRaises(AccessError):
            Report.with_user(self.user_own).search([])

    def test_multi_company(self):
        Competitor = self.env["customer.competitor"]
        # user_own works in the first company only
        self.assertEqual(
            Competitor.with_user(self.user_own).search(
                [("id", "in", self.rival_c2.ids)]
            ),
            Competitor,
        )
        self.user_own.company_ids = [Command.link(self.company_2.id)]
        visible = Competitor.with_user(self.user_own).with_context(
            allowed_company_ids=[self.env.company.id, self.company_2.id]
        )
        self.assertEqual(
            visible.search([("id", "in", (self.rival | self.rival_c2).ids)]),
            self.rival_c2 | self.rival,
        )
        # a deal of the first company cannot name a competitor of the second
        lead = self._lead("Company 1 deal", 10.0, company_id=self.env.company.id)
        with self.assertRaises(UserError):
            lead.competitor_ids = [Command.link(self.rival_c2.id)]
        # nor lose to it
        with self.assertRaises(UserError):
            self._mark_lost(lead, self.user_manager, self.rival_c2)
        self.assertTrue(lead.active)
        # the analysis shows the deals of the user's companies
        lead_c1 = self._lead("Company 1 deal against rival", 10.0, [self.rival])
        lead_c2 = self._lead(
            "Company 2 deal", 10.0, [self.rival], company_id=self.company_2.id
        )
        Report = self.env["customer.competitor.report"]
        domain = [("competitor_id", "=", self.rival.id)]
        self.assertEqual(Report.search(domain).lead_id, lead_c1 | lead_c2)
        self.assertEqual(
            Report.with_user(self.user_all).search(domain).lead_id, lead_c1
        )


@tagged("post_install", "-at_install")
class TestCustomerCompetitorPdf(CustomerCompetitorCommon):
    def test_battle_card_printed_in_pdf(self):
        """As the referral clause's test: the report's assets out of reach, so
        that the PDF is printed in the system's fonts and its text readable."""
        self.env["customer.competitor.swot"].create(
            {
                "competitor_id": self.rival.id,
                "kind": "strength",
                "description": "Cheapest chairs on the market",
            }
        )
        with socket.socket() as closed:
            closed.bind(("127.0.0.1", 0))
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
                    "customer_relations.report_competitor_battle_card", self.rival.ids
                )
        self.assertEqual(report_type, "pdf")
        for record in logs.records:
            if record.levelno >= logging.WARNING:
                message = record.getMessage().removeprefix("wkhtmltopdf: ")
                for line in filter(str.strip, message.splitlines()):
                    self.assertRegex(line, WKHTMLTOPDF_EXPECTED_NOISE)
        text = " ".join(
            " ".join(page.extract_text().split())
            for page in PdfReader(io.BytesIO(pdf)).pages
        )
        self.assertIn("Rival Furniture", text)
        self.assertIn("Cheapest chairs on the market", text)


@tagged("post_install", "-at_install")
class TestCustomerCompetitorTour(HttpCase):
    def test_lose_a_deal_to_a_competitor_tour(self):
        user = new_test_user(
            self.env,
            login="cr_tour_competitor",
            password="cr_tour_competitor",
            name="Tour Competitor Manager",
            groups=f"{GROUP_OWN},{GROUP_CONTACTS}",
            tour_enabled=False,
        )
        rival = self.env["customer.competitor"].create({"name": "Tour Rival Furniture"})
        lead = self.env["crm.lead"].create(
            {
                "name": "Tour Competitor Deal",
                "type": "opportunity",
                "user_id": user.id,
                "expected_revenue": 1234.0,
            }
        )
        self.start_tour(
            f"/odoo/action-crm.crm_lead_opportunities/{lead.id}",
            "customer_relations_competitor_tour",
            login="cr_tour_competitor",
        )
        self.assertFalse(lead.active)
        self.assertEqual(lead.lost_to_competitor_id, rival)
        self.assertEqual(rival.lost_count, 1)

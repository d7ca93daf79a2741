import importlib.util
from ast import literal_eval
from datetime import datetime

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged
from odoo.tools.misc import file_path

from .common_objection import FRIDAY_3PM, ObjectionCommon


@tagged("post_install", "-at_install")
class TestCustomerObjection(ObjectionCommon):
    # ------------------------------------------------------------------
    # Deadlines
    # ------------------------------------------------------------------

    @freeze_time(FRIDAY_3PM)
    def test_deadline_company_default_over_weekend(self):
        objection = self._objection(self.account_unassigned)
        # 16 working hours: Fri 15-17 (2), Mon (8), Tue 8-12 (4), 13-15 (2)
        self.assertEqual(objection.sla_hours, 16.0)
        self.assertEqual(objection.deadline, datetime(2026, 12, 1, 15, 0))
        self.assertTrue(objection.reference.startswith("OBJ/2026/"))
        self.assertEqual(objection.stage_id, self.stage_new)

    @freeze_time(FRIDAY_3PM)
    def test_deadline_from_category(self):
        self.category_price.sla_hours = 4.0
        objection = self._objection(
            self.account_unassigned, category_id=self.category_price.id
        )
        # Fri 15-17, then Monday 8-10: the weekend does not count
        self.assertEqual(objection.sla_hours, 4.0)
        self.assertEqual(objection.deadline, datetime(2026, 11, 30, 10, 0))

    @freeze_time(FRIDAY_3PM)
    def test_deadline_from_tier_first(self):
        self.category_price.sla_hours = 4.0
        tier = self.env["customer.tier"].create(
            {
                "name": "Objection Test Tier",
                "min_annual_revenue": 987654.0,
                "objection_sla_hours": 2.0,
            }
        )
        self.account_own_kam.customer_tier_id = tier
        objection = self._objection(
            self.contact_own_kam, category_id=self.category_price.id
        )
        self.assertEqual(objection.customer_tier_id, tier)
        self.assertEqual(objection.commercial_partner_id, self.account_own_kam)
        self.assertEqual(objection.contact_id, self.contact_own_kam)
        self.assertEqual(objection.sla_hours, 2.0)
        self.assertEqual(objection.deadline, datetime(2026, 11, 27, 17, 0))
        # the tier of another company does not apply
        other = self._objection(
            self.account_own_kam.with_company(self.company_2),
            company_id=self.company_2.id,
        )
        self.assertFalse(other.customer_tier_id)
        self.assertEqual(other.sla_hours, 16.0)

    @freeze_time(FRIDAY_3PM)
    def test_deadline_urgent_halves(self):
        objection = self._objection(self.account_unassigned, priority="2")
        self.assertEqual(objection.sla_hours, 8.0)
        # Fri 15-17 (2), Mon 8-12 (4), 13-15 (2)
        self.assertEqual(objection.deadline, datetime(2026, 11, 30, 15, 0))

    @freeze_time(FRIDAY_3PM)
    def test_deadline_batch_in_few_queries(self):
        """The deadlines of a batch cost the same few queries for 7 or 70
        objections: one plan per (calendar, hours)."""
        Objection = self.env["customer.objection"]

        def queries(count):
            vals_list = [
                {
                    "name": f"Batch {i}",
                    "partner_id": self.test_partners[i % len(self.test_partners)].id,
                    "company_id": self.env.company.id,
                    "priority": "2" if i % 2 else "0",
                }
                for i in range(count)
            ]
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            Objection._prepare_deadlines(vals_list)
            self.assertTrue(all(vals["deadline"] for vals in vals_list))
            return self.env.cr.sql_log_count - before

        queries(7)  # warm the registry caches up
        self.assertEqual(queries(70), queries(7))

    def test_deadline_set_by_hand_is_kept(self):
        objection = self._objection(
            self.account_unassigned, deadline=datetime(2030, 1, 1, 12, 0)
        )
        self.assertEqual(objection.deadline, datetime(2030, 1, 1, 12, 0))

    # ------------------------------------------------------------------
    # Overdue and escalation
    # ------------------------------------------------------------------

    def test_overdue_search(self):
        with freeze_time(FRIDAY_3PM):
            late = self._objection(self.account_unassigned)
            closed = self._objection(
                self.account_unassigned, resolution="<p>Discount granted</p>"
            )
            closed.stage_id = self.stage_resolved
        Objection = self.env["customer.objection"]
        with freeze_time("2026-12-01 14:00:00"):
            self.assertFalse(late.is_overdue)
            self.assertNotIn(late, Objection.search([("is_overdue", "=", True)]))
        with freeze_time("2026-12-01 16:00:00"):
            late.invalidate_recordset(["is_overdue"])
            self.assertTrue(late.is_overdue)
            overdue = Objection.search([("is_overdue", "=", True)])
            self.assertIn(late, overdue)
            self.assertNotIn(closed, overdue)
            self.assertIn(closed, Objection.search([("is_overdue", "=", False)]))

    def test_escalation_exactly_once(self):
        with freeze_time(FRIDAY_3PM):
            in_team = self._objection(
                self.account_own_kam, team_id=self.team.id, user_id=self.user_own.id
            )
            no_team = self._objection(self.account_unassigned, user_id=self.user_all.id)
            on_time = self._objection(self.account_unassigned, deadline="2030-01-01")
        Objection = self.env["customer.objection"]
        with freeze_time("2026-12-02 09:00:00"):
            escalated = Objection._cron_escalate_overdue()
            self.assertEqual(escalated, in_team | no_team)
            self.assertFalse(on_time.escalated_date)
            # the sales team leader, else a Customer Relations administrator
            leader_activity = in_team.activity_ids.filtered(
                lambda a: a.user_id == self.user_all
            )
            self.assertEqual(len(leader_activity), 1)
            self.assertEqual(len(no_team.activity_ids), 1)
            self.assertTrue(
                no_team.activity_ids.user_id.has_group(
                    "customer_relations.group_customer_relations_manager"
                )
            )
            self.assertIn("escalated to", in_team.message_ids[0].body)
            self.assertEqual(in_team.escalated_date, datetime(2026, 12, 2, 9, 0))
        with freeze_time("2026-12-03 09:00:00"):
            self.assertFalse(Objection._cron_escalate_overdue())
            self.assertEqual(len(in_team.activity_ids), 1)

    def test_escalation_batches_report_progress(self):
        with freeze_time(FRIDAY_3PM):
            objections = self.env["customer.objection"].create(
                [
                    {"name": f"Late {i}", "partner_id": self.account_unassigned.id}
                    for i in range(3)
                ]
            )
        with freeze_time("2026-12-02 09:00:00"):
            first = self.env["customer.objection"]._cron_escalate_overdue(batch_size=2)
            self.assertEqual(len(first), 2)
            second = self.env["customer.objection"]._cron_escalate_overdue(batch_size=2)
            self.assertEqual(first | second, objections)

    # ------------------------------------------------------------------
    # Closing, reopening, deleting
    # ------------------------------------------------------------------

    def test_close_requires_resolution(self):
        objection = self._objection(self.account_unassigned)
        with self.assertRaisesRegex(UserError, "resolution"):
            objection.stage_id = self.stage_resolved
        self.assertEqual(objection.stage_id, self.stage_new)
        self.assertFalse(objection.closed_date)
        with self.assertRaises(ValidationError):
            self._objection(self.account_unassigned, stage_id=self.stage_resolved.id)

    def test_close_complaint_requires_corrective_measures_done(self):
        with freeze_time(FRIDAY_3PM):
            complaint = self._objection(
                self.account_own_kam,
                kind="complaint",
                category_id=self.category_delivery.id,
                resolution="<p>Delivered again</p>",
                action_ids=[
                    Command.create(
                        {"name": "Ship again", "user_id": self.user_none.id}
                    ),
                    Command.create(
                        {
                            "name": "Review the carrier",
                            "type": "preventive",
                            "user_id": self.user_none.id,
                        }
                    ),
                ],
            )
        corrective, preventive = complaint.action_ids.sorted("id")
        self.assertEqual(complaint.action_open_count, 2)
        self.assertEqual(len(complaint.activity_ids), 2)
        self.assertEqual(corrective.activity_id.user_id, self.user_none)
        with self.assertRaisesRegex(UserError, "Ship again"):
            complaint.stage_id = self.stage_resolved
        self.assertFalse(complaint.is_closed)

        corrective.action_done()
        self.assertEqual(corrective.state, "done")
        self.assertFalse(corrective.activity_id)
        with freeze_time("2026-11-30 10:00:00"):
            complaint.stage_id = self.stage_resolved  # preventive ones may stay open
        self.assertTrue(complaint.is_closed)
        self.assertEqual(complaint.closed_date, datetime(2026, 11, 30, 10, 0))
        # working hours only: Fri 15-17 and Mon 8-10
        self.assertEqual(complaint.resolution_hours, 4.0)
        self.assertEqual(complaint.in_time_rate, 100.0)
        self.assertEqual(preventive.state, "open")

    def test_reopen(self):
        objection = self._objection(
            self.account_unassigned, resolution="<p>Explained the offer</p>"
        )
        objection.stage_id = self.stage_resolved
        self.assertTrue(objection.closed_date)
        objection.stage_id = self.stage_analysis
        self.assertFalse(objection.is_closed)
        self.assertFalse(objection.closed_date)
        self.assertEqual(objection.reopen_count, 1)
        objection.stage_id = self.stage_resolved
        objection.stage_id = self.stage_new
        self.assertEqual(objection.reopen_count, 2)

    def test_delete_guard(self):
        draft = self._objection(self.account_unassigned)
        draft.unlink()
        answered = self._objection(
            self.account_unassigned, resolution="<p>Answered</p>"
        )
        with self.assertRaisesRegex(UserError, "archive it"):
            answered.unlink()
        answered.stage_id = self.stage_resolved
        answered.resolution = "<p>Answered again</p>"
        with self.assertRaisesRegex(UserError, "archive it"):
            answered.unlink()
        answered.action_archive()
        self.assertFalse(answered.active)
        measure = self.env["customer.objection.action"].create(
            {"objection_id": answered.id, "name": "Call back", "type": "preventive"}
        )
        measure.action_done()
        with self.assertRaises(UserError):
            measure.unlink()

    # ------------------------------------------------------------------
    # Mail alias
    # ------------------------------------------------------------------

    def test_mail_alias_creates_complaint(self):
        domain = self.env["mail.alias.domain"].create(
            {"name": "objections.example.com"}
        )
        self.env.company.alias_domain_id = domain
        settings = self.env["res.config.settings"].create(
            {"objection_alias_name": "complaints", "objection_sla_hours": 8.0}
        )
        settings.execute()
        other = self.env.ref("customer_relations.customer_objection_category_other")
        alias = other.alias_id
        self.assertEqual(alias.alias_full_name, "complaints@objections.example.com")
        self.assertEqual(other.alias_email, "complaints@objections.example.com")
        self.assertEqual(self.env.company.objection_sla_hours, 8.0)
        self.contact_own_kam.email = "olivia@own-kam.example.com"
        message = (
            "From: Olivia Contact <olivia@own-kam.example.com>\r\n"
            "To: complaints@objections.example.com\r\n"
            "Subject: Parcel arrived broken\r\n"
            "Message-ID: <objection-test-1@own-kam.example.com>\r\n"
            "Content-Type: text/plain; charset=utf-8\r\n"
            "\r\n"
            "The parcel of order 42 arrived broken.\r\n"
        )
        thread_id = self.env["mail.thread"].message_process(False, message)
        complaint = self.env["customer.objection"].browse(thread_id)
        self.assertEqual(complaint.name, "Parcel arrived broken")
        self.assertEqual(complaint.kind, "complaint")
        self.assertEqual(complaint.channel, "email")
        self.assertEqual(complaint.partner_id, self.account_own_kam)
        self.assertEqual(complaint.contact_id, self.contact_own_kam)
        self.assertEqual(complaint.user_id, self.user_own)
        # the responsible decided at creation is subscribed and notified
        self.assertIn(self.user_own.partner_id, complaint.message_partner_ids)
        self.assertEqual(complaint.company_id, self.env.company)
        self.assertEqual(complaint.category_id, other)
        self.assertTrue(complaint.deadline)
        self.assertIn("arrived broken", complaint.description)
        # renaming the alias in the settings keeps the same alias
        self.env["res.config.settings"].create(
            {"objection_alias_name": "claims"}
        ).execute()
        self.assertEqual(other.alias_id, alias)
        self.assertEqual(alias.alias_name, "claims")

    def test_category_address_files_complaints_of_its_category(self):
        domain = self.env["mail.alias.domain"].create({"name": "cat.example.com"})
        self.env.company.alias_domain_id = domain
        self.category_delivery.write(
            {"alias_name": "Late Deliveries", "alias_domain_id": domain.id}
        )
        self.assertEqual(
            self.category_delivery.alias_email, "late-deliveries@cat.example.com"
        )
        self.contact_own_kam.email = "olivia@own-kam.example.com"
        message = (
            "From: Olivia Contact <olivia@own-kam.example.com>\r\n"
            "To: late-deliveries@cat.example.com\r\n"
            "Subject: Still waiting\r\n"
            "Message-ID: <objection-test-2@own-kam.example.com>\r\n"
            "Content-Type: text/plain; charset=utf-8\r\n"
            "\r\n"
            "Our pallets are a week late.\r\n"
        )
        thread_id = self.env["mail.thread"].message_process(False, message)
        complaint = self.env["customer.objection"].browse(thread_id)
        self.assertEqual(complaint.category_id, self.category_delivery)
        self.assertEqual(complaint.kind, "complaint")
        self.assertEqual(complaint.partner_id, self.account_own_kam)

    def test_company_alias_moves_to_its_category(self):
        """Upgrading from the alias kept on the company: it becomes the
        address of the company's category of emailed complaints."""
        path = file_path("customer_relations/migrations/18.0.1.2.0/post-migrate.py")
        spec = importlib.util.spec_from_file_location("cr_alias_migrate", path)
        migration = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(migration)
        alias = self.env["mail.alias"].create(
            {
                "alias_name": "old-complaints",
                "alias_model_id": self.env["ir.model"]._get_id("customer.objection"),
                "alias_defaults": repr({"kind": "complaint"}),
            }
        )
        self.env.cr.execute(
            "ALTER TABLE res_company ADD COLUMN IF NOT EXISTS objection_alias_id int4;"
            "UPDATE res_company SET objection_alias_id = %s WHERE id = %s",
            [alias.id, self.env.company.id],
        )
        migration.migrate(self.env.cr, "18.0.1.1.0")
        other = self.env.ref("customer_relations.customer_objection_category_other")
        self.assertEqual(other.alias_id, alias)
        self.assertEqual(alias.alias_name, "old-complaints")
        self.assertEqual(literal_eval(alias.alias_defaults)["category_id"], other.id)
        self.assertEqual(self.env.company.objection_alias_category_id, other)

    # ------------------------------------------------------------------
    # Smart buttons and "Record objection"
    # ------------------------------------------------------------------

    def test_counts_on_partner_order_opportunity(self):
        order = self.env["sale.order"].create({"partner_id": self.contact_own_kam.id})
        lead = self.env["crm.lead"].create(
            {
                "name": "Big deal",
                "type": "opportunity",
                "partner_id": self.account_own_kam.id,
            }
        )
        self._objection(self.account_own_kam, order_id=order.id)
        self._objection(self.contact_own_kam, lead_id=lead.id)
        self._objection(
            self.account_own_kam,
            order_id=order.id,
            resolution="<p>OK</p>",
            stage_id=self.stage_resolved.id,
        )
        self._objection(self.account_other_kam)
        self.assertEqual(
            (
                self.account_own_kam.objection_count,
                self.account_own_kam.objection_open_count,
            ),
            (3, 2),
        )
        self.assertEqual(self.contact_own_kam.objection_count, 3)
        self.assertEqual((order.objection_count, order.objection_open_count), (2, 1))
        self.assertEqual((lead.objection_count, lead.objection_open_count), (1, 1))
        action = self.account_own_kam.action_view_objections()
        self.assertEqual(
            self.env["customer.objection"].search_count(action["domain"]), 3
        )

    def test_record_objection_from_order_and_opportunity(self):
        order = self.env["sale.order"].create(
            {
                "partner_id": self.contact_own_kam.id,
                "order_line": [Command.create({"product_id": self.product.id})],
            }
        )
        action = order.action_record_objection()
        form = Form(self.env["customer.objection"].with_context(**action["context"]))
        form.name = "Too expensive"
        objection = form.save()
        self.assertEqual(objection.order_id, order)
        self.assertEqual(objection.kind, "objection")
        self.assertEqual(objection.partner_id, self.contact_own_kam)
        order.action_confirm()
        self.assertEqual(
            order.action_record_objection()["context"]["default_kind"], "complaint"
        )

        lead = self.env["crm.lead"].create(
            {
                "name": "Deal",
                "type": "opportunity",
                "partner_id": self.account_own_kam.id,
            }
        )
        form = Form(
            self.env["customer.objection"].with_context(
                **lead.action_record_objection()["context"]
            )
        )
        form.name = "We already have a supplier"
        objection = form.save()
        self.assertEqual(objection.lead_id, lead)
        self.assertEqual(objection.user_id, self.user_own)

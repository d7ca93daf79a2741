from datetime import date, datetime

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo import Command, fields
from odoo.exceptions import UserError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .common_support import SupportCommon


@tagged("post_install", "-at_install")
class TestCustomerSupportPlan(SupportCommon):
    @freeze_time("2026-03-02 10:00:00")
    def test_confirm_creates_plan_from_standard_workflow(self):
        order = self._order(self.account_own_kam)
        order.action_confirm()
        plan = order.support_plan_id
        self.assertEqual(plan.workflow_id, self.workflow_standard)
        self.assertEqual(plan.state, "in_progress")
        self.assertEqual(plan.partner_id, self.account_own_kam)
        self.assertEqual(plan.user_id, self.user_own)
        self.assertEqual(plan.account_manager_id, self.user_own)
        self.assertEqual(len(plan.step_ids), 6)
        kickoff = plan.step_ids.filtered(lambda s: s.name == "Kick-off call")
        self.assertEqual(kickoff.user_id, self.user_own)
        self.assertEqual(kickoff.deadline, date(2026, 3, 4))
        self.assertEqual(kickoff.check_type, "manual")
        # salesperson steps go to the order's salesperson
        self.assertEqual(self._step(plan, "delivery").user_id, self.user_all)
        self.assertEqual(
            sorted(plan.step_ids.mapped("check_type")),
            sorted(["manual"] * 3 + ["delivery", "invoicing", "payment"]),
        )
        # each open step gives its owner an activity with its deadline
        self.assertEqual(len(plan.activity_ids), 6)
        self.assertEqual(kickoff.activity_id.user_id, self.user_own)
        self.assertEqual(kickoff.activity_id.date_deadline, date(2026, 3, 4))
        self.assertEqual(plan.progress, 0.0)

    @freeze_time("2026-03-02 10:00:00")
    def test_deadlines_from_commitment_date(self):
        order = self._order(
            self.account_own_kam, commitment_date=datetime(2026, 4, 10, 9, 0)
        )
        order.action_confirm()
        steps = order.support_plan_id.step_ids
        kickoff = steps.filtered(lambda s: s.name == "Kick-off call")
        self.assertEqual(kickoff.deadline, date(2026, 4, 12))
        satisfaction = steps.filtered(lambda s: s.name.startswith("Satisfaction"))
        self.assertEqual(satisfaction.deadline, date(2026, 5, 25))

    def test_workflow_choice(self):
        Workflow = self.env["customer.support.workflow"]
        tier = self.env["customer.tier"].create({"name": "Platinum Test"})
        category = self.env["product.category"].create({"name": "Machines"})
        subcategory = self.env["product.category"].create(
            {"name": "Presses", "parent_id": category.id}
        )
        step = [Command.create({"name": "Call", "deadline_days": 1})]
        by_tier = Workflow.create(
            {"name": "Tier", "sequence": 1, "tier_ids": [tier.id], "step_ids": step}
        )
        by_category = Workflow.create(
            {
                "name": "Machines",
                "sequence": 2,
                "product_category_ids": [category.id],
                "step_ids": step,
            }
        )
        by_amount = Workflow.create(
            {"name": "Big", "sequence": 3, "min_amount": 1000.0, "step_ids": step}
        )
        self.account_other_kam.customer_tier_id = tier
        press = self.env["product.product"].create(
            {"name": "Press", "categ_id": subcategory.id, "list_price": 10.0}
        )
        tiered = self._order(self.account_other_kam)
        machine = self._order(self.account_own_kam, product=press)
        big = self._order(self.account_own_kam, qty=20.0)
        small = self._order(self.account_own_kam, qty=1.0)
        orders = tiered + machine + big + small
        orders.action_confirm()
        self.assertEqual(tiered.support_plan_id.workflow_id, by_tier)
        self.assertEqual(machine.support_plan_id.workflow_id, by_category)
        self.assertEqual(big.support_plan_id.workflow_id, by_amount)
        self.assertEqual(small.support_plan_id.workflow_id, self.workflow_standard)
        # no workflow applies: no plan
        self.workflow_standard.action_archive()
        other = self._order(self.account_own_kam, qty=1.0)
        other.action_confirm()
        self.assertFalse(other.support_plan_id)

    def test_batch_confirmation_queries(self):
        """The plans of many orders cost the same queries as those of a few."""

        def count(number):
            orders = self.env["sale.order"].browse(
                [self._order(self.account_own_kam).id for _ in range(number)]
            )
            orders.action_confirm()
            self.env["customer.support.plan"].search(
                [("order_id", "in", orders.ids)]
            ).unlink()
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            orders._create_support_plans()
            self.env.flush_all()
            return self.env.cr.sql_log_count - before

        before = self.env["customer.support.plan"].search_count([])
        few, many = count(2), count(20)
        self.assertEqual(
            self.env["customer.support.plan"].search_count([]), before + 22
        )
        self.assertLessEqual(many, few + 6, f"{few} queries for 2, {many} for 20")

    def test_mass_confirmation_defers_plans_to_the_cron(self):
        orders = self.env["sale.order"].concat(
            *(self._order(self.account_own_kam) for _ in range(21))
        )
        cron = self.env.ref("customer_relations.ir_cron_support_plan_create")
        triggers = self.env["ir.cron.trigger"].search_count([("cron_id", "=", cron.id)])
        orders.action_confirm()
        self.assertFalse(orders.support_plan_ids, "no plan during the confirmation")
        self.assertTrue(all(orders.mapped("support_plan_pending")))
        self.assertEqual(
            self.env["ir.cron.trigger"].search_count([("cron_id", "=", cron.id)]),
            triggers + 1,
            "the cron is woken up",
        )
        Plan = self.env["customer.support.plan"]
        self.assertEqual(Plan._cron_create_pending_plans(batch_size=15), orders[:15])
        self.assertEqual(Plan._cron_create_pending_plans(batch_size=15), orders[15:])
        self.assertFalse(Plan._cron_create_pending_plans(batch_size=15))
        self.assertEqual(len(orders.support_plan_ids), 21)
        self.assertFalse(any(orders.mapped("support_plan_pending")))
        # one order confirmed by a user gets its plan at once
        order = self._order(self.account_own_kam)
        order.action_confirm()
        self.assertTrue(order.support_plan_id)
        self.assertFalse(order.support_plan_pending)

    def test_cancelled_before_its_deferred_plan(self):
        orders = self.env["sale.order"].concat(
            *(self._order(self.account_own_kam) for _ in range(21))
        )
        orders.action_confirm()
        orders[0]._action_cancel()
        self.assertFalse(orders[0].support_plan_pending)
        self.env["customer.support.plan"]._cron_create_pending_plans()
        self.assertFalse(orders[0].support_plan_ids)
        self.assertEqual(len(orders[1:].support_plan_ids), 20)

    def test_manual_done_and_skip_with_reason(self):
        order = self._order(self.account_own_kam)
        order.action_confirm()
        plan = order.support_plan_id
        kickoff = plan.step_ids.filtered(lambda s: s.name == "Kick-off call")
        kickoff.with_user(self.user_own).action_done(note="Customer called")
        self.assertEqual(kickoff.state, "done")
        self.assertEqual(kickoff.done_user_id, self.user_own)
        self.assertEqual(kickoff.done_date, fields.Date.today())
        self.assertFalse(kickoff.activity_id)
        self.assertEqual(len(plan.activity_ids), 5)
        with self.assertRaises(UserError):
            kickoff.with_user(self.user_own).action_done()
        rights = plan.step_ids.filtered(lambda s: s.name.startswith("Contractual"))
        with self.assertRaises(UserError):
            rights.with_user(self.user_own)._skip("  ")
        self.assertEqual(rights.state, "todo")
        action = rights.with_user(self.user_own).action_skip()
        wizard = Form(
            self.env[action["res_model"]]
            .with_user(self.user_own)
            .with_context(**action["context"])
        )
        wizard.reason = "Framework contract: reviewed yearly"
        wizard.save().action_skip()
        self.assertEqual(rights.state, "skipped")
        self.assertEqual(rights.note, "Framework contract: reviewed yearly")
        # automatic steps complete themselves
        with self.assertRaises(UserError):
            self._step(plan, "delivery").with_user(self.user_own).action_done()
        self.assertAlmostEqual(plan.progress, 100.0 * 2 / 6)

    def test_plan_done_and_on_time(self):
        order = self._order(self.account_own_kam)
        order.action_confirm()
        plan = order.support_plan_id
        manual = plan.step_ids.filtered(lambda s: s.check_type == "manual")
        manual.action_done()
        self.assertEqual(plan.state, "in_progress")
        (plan.step_ids - manual).with_user(self.user_own)._skip("Paid in advance")
        self.assertEqual(plan.state, "done")
        self.assertEqual(plan.progress, 100.0)
        self.assertEqual(plan.on_time_rate, 100.0)
        self.assertEqual(plan.date_done, fields.Date.today())
        self.assertFalse(plan.activity_ids)

    def test_plan_done_late(self):
        with freeze_time("2026-01-05"):
            order = self._order(self.account_own_kam)
            order.action_confirm()
        plan = order.support_plan_id
        with freeze_time("2026-01-10"):
            plan.step_ids.filtered(lambda s: s.check_type == "manual").action_done()
            (plan.step_ids.filtered(lambda s: s.check_type != "manual"))._skip("n/a")
        self.assertEqual(plan.state, "done")
        self.assertEqual(plan.on_time_rate, 0.0)

    def test_cancel_and_reconfirm(self):
        order = self._order(self.account_own_kam)
        order.action_confirm()
        first = order.support_plan_id
        order._action_cancel()
        self.assertEqual(first.state, "cancelled")
        self.assertFalse(first.activity_ids)
        with self.assertRaises(UserError):
            first.step_ids[0].action_done()
        order.action_draft()
        order.action_confirm()
        second = order.support_plan_id
        self.assertNotEqual(second, first)
        self.assertEqual(second.state, "in_progress")
        Plan = self.env["customer.support.plan"]
        self.assertEqual(
            Plan.search_count(
                [("order_id", "=", order.id), ("state", "!=", "cancelled")]
            ),
            1,
        )
        # confirming again does not add a plan
        Plan._create_for_orders(order)
        self.assertEqual(len(order.support_plan_ids), 2)
        # and the database refuses a second live plan
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(IntegrityError),
            self.env.cr.savepoint(),
        ):
            Plan.create({"order_id": order.id})
            self.env.flush_all()

    def test_delivery_check_completes_and_reopens(self):
        order = self._order(self.account_own_kam)
        order.action_confirm()
        plan = order.support_plan_id
        delivery = self._step(plan, "delivery")
        order.order_line.qty_delivered = 1.0
        self.assertEqual(self._state(delivery), "todo")
        order.order_line.qty_delivered = 2.0
        self.assertEqual(self._state(delivery), "done")
        self.assertFalse(delivery.done_user_id)
        self.assertFalse(delivery.activity_id)
        # a returned quantity reopens it
        order.order_line.qty_delivered = 1.0
        self.assertEqual(self._state(delivery), "todo")
        self.assertTrue(delivery.activity_id)
        order.order_line.qty_delivered = 2.0
        self.assertEqual(self._state(delivery), "done")
        # a new line reopens it
        order.order_line = [
            Command.create({"product_id": self.product.id, "product_uom_qty": 1.0})
        ]
        self.assertEqual(self._state(delivery), "todo")

    def test_invoicing_and_payment_checks(self):
        order = self._order(self.account_own_kam)
        order.action_confirm()
        plan = order.support_plan_id
        invoicing = self._step(plan, "invoicing")
        payment = self._step(plan, "payment")
        invoice = order._create_invoices()
        self.assertEqual(self._state(invoicing), "todo", "draft invoice")
        invoice.action_post()
        self.assertEqual(self._state(invoicing), "done")
        self.assertEqual(self._state(payment), "todo")
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create({})._create_payments()
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        self.assertEqual(self._state(payment), "done")

    def test_payment_undone_reopens_the_payment_step(self):
        order = self._order(self.account_own_kam)
        order.action_confirm()
        payment = self._step(order.support_plan_id, "payment")
        invoice = order._create_invoices()
        invoice.action_post()
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create({})._create_payments()
        self.assertEqual(self._state(payment), "done")
        # the payment is unreconciled from the invoice
        invoice.line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable"
        ).remove_move_reconcile()
        self.assertEqual(invoice.payment_state, "not_paid")
        self.assertEqual(self._state(payment), "todo")
        self.assertTrue(payment.activity_id)

    def test_reversed_invoice_reopens_invoicing(self):
        order = self._order(self.account_own_kam)
        order.action_confirm()
        plan = order.support_plan_id
        invoicing = self._step(plan, "invoicing")
        invoice = order._create_invoices()
        invoice.action_post()
        self.assertEqual(self._state(invoicing), "done")
        reversal = (
            self.env["account.move.reversal"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"journal_id": invoice.journal_id.id})
        )
        reversal.refund_moves()
        credit_note = invoice.reversal_move_ids
        # a new draft credit note reopens it at once
        self.assertEqual(self._state(invoicing), "todo", "draft credit note")
        credit_note.action_post()
        self.assertEqual(order.invoice_status, "to invoice")
        self.assertEqual(self._state(invoicing), "todo")
        self.assertTrue(invoicing.activity_id)
        self.assertEqual(self._state(self._step(plan, "payment")), "todo")

    def test_cron_checks_in_batches(self):
        orders = self._order(self.account_own_kam) + self._order(self.account_own_sales)
        orders.action_confirm()
        plans = orders.support_plan_id
        # data changed behind the ORM's back (e.g. by a SQL script)
        self.env.cr.execute(
            "UPDATE sale_order_line SET qty_delivered = product_uom_qty "
            "WHERE order_id = ANY(%s)",
            [orders.ids],
        )
        self.env.invalidate_all()
        Plan = self.env["customer.support.plan"]
        # plans of other orders (demo data, say) were checked a moment ago
        (
            Plan.search([("state", "=", "in_progress")]) - plans
        ).last_check_date = fields.Datetime.now()
        first = Plan._cron_check_plans(batch_size=1)
        self.assertEqual(len(first), 1)
        second = Plan._cron_check_plans(batch_size=1)
        self.assertEqual(first | second, plans)
        self.assertFalse(Plan._cron_check_plans(batch_size=1))
        self.assertEqual(
            plans.step_ids.filtered(lambda s: s.check_type == "delivery").mapped(
                "state"
            ),
            ["done", "done"],
        )
        self.assertTrue(all(plans.mapped("last_check_date")))

    def test_overdue_search(self):
        with freeze_time("2026-01-05"):
            order = self._order(self.account_own_kam)
            order.action_confirm()
        Step = self.env["customer.support.step"]
        with freeze_time("2026-01-08"):
            overdue = Step.search(
                [("order_id", "=", order.id), ("is_overdue", "=", True)]
            )
            self.assertEqual(overdue.mapped("name"), ["Kick-off call"])
            self.assertTrue(overdue.is_overdue)
            self.assertEqual(order.support_plan_id.overdue_step_count, 1)

"""A user who calls the server directly.

A ``readonly`` field or a hidden button is no boundary: over JSON-RPC anyone
calls ``create``, ``write``, ``copy``, ``read`` and every public method with
any values and any record ids. Each test here is such a call, made with
``with_user(...)`` exactly as RPC makes it, and checks that it is refused and
that nothing changed, or that the addon's code, not the user, sets the value.
"""

from contextlib import contextmanager
from datetime import timedelta

from psycopg2 import IntegrityError

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .access_coverage import covers
from .common import create_referral_program
from .common_objection import ObjectionCommon
from .common_support import SupportCommon

MUTED = (
    "odoo.models",
    "odoo.addons.base.models.ir_rule",
    "odoo.addons.base.models.ir_model",
)
PROTECTED = "set by Customer Relations"
NOT_MOVABLE = "cannot be moved"
TIER_BY_HAND = "Only Customer Relations administrators may choose or lock the tier"
# The table of fields that only the addon's code sets.
SPEC_PROTECTED_FIELDS = {
    "customer.objection": {
        "deadline",
        "escalated_date",
        "closed_date",
        "sla_hours",
        "in_time_rate",
        "resolution_hours",
        "reopen_count",
        "customer_tier_id",
        "portal_submission_token",
        "satisfaction_comment",
    },
    "customer.objection.action": {"state", "done_date", "activity_id"},
    "customer.competitor.swot": {"author_id", "date"},
    "customer.support.step": {
        "state",
        "done_date",
        "done_user_id",
        "check_type",
        "workflow_step_id",
        "activity_id",
    },
    "customer.support.plan": {
        "state",
        "on_time_rate",
        "date_start",
        "date_done",
        "last_check_date",
        "workflow_id",
        "delivery_done",
        "invoicing_done",
        "payment_done",
    },
    "customer.referral": {
        "state",
        "qualifying_order_id",
        "reward_card_id",
        "reward_value",
        "reward_rank",
        "reject_reason",
        "portal_submission_token",
    },
    "sale.order": {
        "customer_tier_id",
        "customer_tier_backfilled",
        "support_plan_pending",
        "reliability_approved_by_id",
        "reliability_approved_date",
        "customer_segment_id",
        "account_manager_id",
    },
    "loyalty.card": {"customer_referral_id"},
    "crm.lead": {"customer_referral_id"},
    "customer.account.plan": {"next_review_date", "last_review_date"},
    "customer.account.plan.objective": set(),
    "customer.account.stakeholder": set(),
    "customer.account.review": set(),
}
# Money and internal judgement on partners: Sales users only.
MONEY_FIELDS = (
    "annual_revenue",
    "annual_order_count",
    "year_revenue",
    "last_order_date",
    "customer_bonus_rate",
    "customer_bonus_accrued",
    "customer_tier_locked",
    "customer_tier_lock_reason",
    "next_review_date",
    "customer_tier_to_review",
    "customer_tier_history_ids",
)


class SecurityAttackCommon(ObjectionCommon, SupportCommon):
    """Something of every kind for the attacks, owned as in ``common.py``.

    - objections: ``objection_own`` and ``objection_own_2`` (user_own's),
      ``objection_other`` (user_all's), ``objection_c2`` (company 2);
      measures ``measure_own`` (user_own), ``measure_other`` (user_all) and
      ``measure_taker`` (user_none, another department) on objection_other;
    - support plans of confirmed orders: ``plan_own`` and ``plan_own_2``
      (user_own's), ``plan_other`` (user_all's); ``step_kickoff`` (user_own)
      and ``step_taker`` (user_none) of plan_own, ``step_other`` of
      plan_other; ``draft_order`` (user_own's) has no plan;
    - referrals under ``clause`` (approval required) of the referrers'
      contracts ``source_order`` (account_own_kam, 10 days ago) and
      ``source_order_other`` (account_other_kam): ``referral_own`` pending,
      ``referral_qualified``, ``referral_rewarded`` and ``referral_rejected``
      of account_own_kam, ``referral_other`` of account_other_kam; a coupon
      ``card`` of the program; ``prospect`` and ``prospect_2`` are new
      customers of user_own that nobody referred yet;
    - opportunities ``lead_own`` (user_own) and ``lead_other`` (user_all);
    - ``competitor`` (every company) and its SWOT line ``swot_own``, written
      by user_own;
    - ``foreign_activity``: a to-do on a partner, nothing to do with us;
    - ``admin``: Odoo's administrator (every group, not the superuser);
      ``user_contacts``: "Contact Creation" only.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.segment = cls.env["customer.segment"].create(
            {"name": "Attacked Segment", "rule_domain": "[('is_company', '=', True)]"}
        )
        cls.admin = cls.env.ref("base.user_admin")
        cls.user_contacts = new_test_user(
            cls.env,
            login="cr_contacts",
            name="Connie Contacts",
            groups="base.group_user,base.group_partner_manager",
        )
        cls.tier = cls.env["customer.tier"].create(
            {"name": "Hand-picked", "min_annual_revenue": 10**9}
        )
        # a workflow without steps applies to no order
        cls.workflow_spare = cls.env["customer.support.workflow"].create(
            {"name": "Spare workflow"}
        )
        cls._setup_objections()
        cls._setup_plans()
        cls._setup_referrals()
        cls._setup_account_plans()
        Lead = cls.env["crm.lead"]
        cls.lead_own = Lead.create(
            {
                "name": "Own deal",
                "type": "opportunity",
                "partner_id": cls.account_own_kam.id,
                "user_id": cls.user_own.id,
            }
        )
        cls.lead_other = Lead.create(
            {
                "name": "Other deal",
                "type": "opportunity",
                "partner_id": cls.account_other_kam.id,
                "user_id": cls.user_all.id,
            }
        )
        cls.competitor = cls.env["customer.competitor"].create(
            {"name": "Rival Furniture"}
        )
        cls.swot_own = (
            cls.env["customer.competitor.swot"]
            .with_user(cls.user_own)
            .create(
                {
                    "competitor_id": cls.competitor.id,
                    "kind": "strength",
                    "description": "Cheaper chairs",
                }
            )
        )
        cls.foreign_activity = cls.account_unassigned.activity_schedule(
            "mail.mail_activity_data_todo",
            summary="Call Unassigned GmbH",
            user_id=cls.user_all.id,
        )

    @classmethod
    def _setup_objections(cls):
        cls.objection_own = cls._objection(cls.account_own_kam)
        cls.objection_own_2 = cls._objection(cls.account_own_sales, name="Late")
        cls.objection_other = cls._objection(cls.account_other_kam)
        cls.objection_c2 = cls._objection(
            cls.account_unassigned, company_id=cls.company_2.id
        )
        Measure = cls.env["customer.objection.action"]
        cls.measure_own = Measure.create(
            {
                "objection_id": cls.objection_own.id,
                "name": "Send the new price list",
                "user_id": cls.user_own.id,
            }
        )
        cls.measure_other = Measure.create(
            {
                "objection_id": cls.objection_other.id,
                "name": "Call the customer",
                "user_id": cls.user_all.id,
            }
        )
        cls.measure_taker = Measure.create(
            {
                "objection_id": cls.objection_other.id,
                "name": "Check the invoice",
                "user_id": cls.user_none.id,
            }
        )

    @classmethod
    def _setup_plans(cls):
        cls.order_own = cls._order(cls.account_own_kam, user=cls.user_own)
        cls.order_own_2 = cls._order(cls.account_own_kam, user=cls.user_own)
        cls.order_other = cls._order(cls.account_other_kam, user=cls.user_all)
        (cls.order_own | cls.order_own_2 | cls.order_other).action_confirm()
        cls.draft_order = cls._order(cls.account_own_kam, user=cls.user_own)
        cls.plan_own = cls.order_own.support_plan_id
        cls.plan_own_2 = cls.order_own_2.support_plan_id
        cls.plan_other = cls.order_other.support_plan_id
        cls.step_kickoff = cls._named_step(cls.plan_own, "Kick-off call")
        cls.step_taker = cls._named_step(cls.plan_own, "Contractual rights review")
        cls.step_taker.user_id = cls.user_none
        cls.step_other = cls._named_step(cls.plan_other, "Kick-off call")

    @classmethod
    def _setup_account_plans(cls):
        today = fields.Date.today()
        cls.account_plan_own = cls.env["customer.account.plan"].create(
            {
                "partner_id": cls.account_own_kam.id,
                "date_start": today - timedelta(days=30),
                "date_end": today + timedelta(days=334),
                "objective_ids": [Command.create({"kind": "revenue", "target": 10.0})],
                "stakeholder_ids": [
                    Command.create({"partner_id": cls.contact_own_kam.id})
                ],
            }
        )
        cls.account_review_own = cls.env["customer.account.review"].create(
            {"plan_id": cls.account_plan_own.id, "date": today - timedelta(days=1)}
        )

    @classmethod
    def _named_step(cls, plan, name):
        step = plan.step_ids.filtered(lambda s: s.name == name)
        step.ensure_one()
        return step

    @classmethod
    def _setup_referrals(cls):
        cls.program = create_referral_program(cls.env)
        Clause = cls.env["customer.referral.clause"]
        cls.clause = Clause.create(
            {
                "name": "10% for each new customer",
                "program_id": cls.program.id,
                "min_first_order_amount": 100.0,
                "validity_days": 30,
                "reward_approval": True,
            }
        )
        cls.clause_b = Clause.create(
            {"name": "5% for each new customer", "program_id": cls.program.id}
        )
        cls.source_order = cls._order(
            cls.account_own_kam, user=cls.user_own, referral_clause_id=cls.clause.id
        )
        cls.source_order_other = cls._order(
            cls.account_other_kam, user=cls.user_all, referral_clause_id=cls.clause.id
        )
        sources = cls.source_order | cls.source_order_other
        sources.action_confirm()
        sources.date_order = fields.Datetime.now() - timedelta(days=10)

        cls.prospect = cls._company("Prospect One", cls.user_own)
        cls.prospect_2 = cls._company("Prospect Two", cls.user_own)
        newcomer_q = cls._company("Qualified Newcomer", cls.user_own)
        newcomer_r = cls._company("Rewarded Newcomer", cls.user_own)
        cls.referral_own = cls._referral(cls._company("Pending Newcomer", cls.user_own))
        cls.referral_qualified = cls._referral(newcomer_q)
        cls.referral_rewarded = cls._referral(newcomer_r)
        cls.referral_rejected = cls._referral(cls._company("Rejected", cls.user_own))
        cls.referral_other = cls._referral(
            cls._company("Stranger SA", cls.user_all), referrer=cls.account_other_kam
        )
        first_orders = cls._order(newcomer_q, user=cls.user_own) | cls._order(
            newcomer_r, user=cls.user_own
        )
        first_orders.action_confirm()
        cls.referral_rewarded.with_user(cls.user_manager).action_approve()
        cls.referral_rejected._reject("Not a real customer")
        cls.card = cls.env["loyalty.card"].create(
            {
                "program_id": cls.program.id,
                "partner_id": cls.account_own_kam.id,
                "points": 1,
            }
        )

    @classmethod
    def _company(cls, name, user):
        return cls.env["res.partner"].create(
            {
                "name": name,
                "is_company": True,
                "customer_rank": 1,
                "user_id": user.id,
            }
        )

    @classmethod
    def _referral(cls, referred, referrer=None):
        return cls.env["customer.referral"].create(
            {
                "referrer_id": (referrer or cls.account_own_kam).id,
                "referred_id": referred.id,
            }
        )

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    @contextmanager
    def _refused(self, exception=AccessError, message=None, rollback=False):
        """The block raises ``exception`` (with ``message``). ``rollback``
        wraps it in a savepoint, as the failed RPC call's transaction is rolled
        back: for constraints, which are checked once the values are written."""
        with mute_logger(*MUTED), self.assertRaises(exception) as caught:
            if rollback:
                with self.env.cr.savepoint():
                    yield
            else:
                yield
        if message:
            self.assertIn(message, str(caught.exception))

    def _values(self, records, *fnames):
        """The current values in the database, read as superuser."""
        records = records.sudo().with_context(active_test=False)
        records.invalidate_recordset()
        return [[record[fname] for fname in fnames] for record in records]

    def _count(self, model, domain=()):
        return (
            self.env[model].sudo().with_context(active_test=False).search_count(domain)
        )

    def _assert_activity_untouched(self, activity, values):
        activity.invalidate_recordset()
        self.assertTrue(activity.exists(), "the foreign activity was deleted")
        self.assertEqual(
            self._values(
                activity, "active", "res_model", "res_id", "user_id", "summary"
            ),
            [values],
        )


@tagged("post_install", "-at_install")
class TestProtectedFields(SecurityAttackCommon):
    """Section 1: the fields only the addon's code sets, for every model, as
    Odoo's administrator (every group, but not the superuser)."""

    def _protected_models(self):
        # not those of the bridge customer_relations_event: it tests its own
        Mixin = type(self.env["customer.protected.mixin"])
        return {
            name
            for name in self.env.registry
            if not self.env[name]._abstract
            and issubclass(type(self.env[name]), Mixin)
            and self.env[name]._original_module != "customer_relations_event"
        }

    def _cases(self):
        """{model: (record the attacker may write, values of a valid create,
        defaults of a valid copy)}"""
        return {
            "customer.objection": (
                self.objection_own,
                {"name": "Typed in", "partner_id": self.account_own_kam.id},
                {},
            ),
            "customer.objection.action": (
                self.measure_own,
                {"objection_id": self.objection_own.id, "name": "Typed in"},
                {},
            ),
            "customer.support.step": (
                self.step_kickoff,
                {"plan_id": self.plan_own.id, "name": "Typed in"},
                {},
            ),
            "customer.support.plan": (
                self.plan_own,
                {"order_id": self.draft_order.id},
                {"order_id": self.draft_order.id},
            ),
            "customer.referral": (
                self.referral_own,
                {
                    "referrer_id": self.account_own_kam.id,
                    "referred_id": self.prospect.id,
                },
                {"referred_id": self.prospect.id},
            ),
            "sale.order": (
                self.order_own,
                {"partner_id": self.account_own_kam.id},
                {},
            ),
            "loyalty.card": (
                self.card,
                {"program_id": self.program.id, "partner_id": self.prospect.id},
                {"code": "COPY-OF-THE-CARD"},
            ),
            "crm.lead": (self.lead_own, {"name": "Typed in"}, {}),
            "customer.competitor.swot": (
                self.swot_own,
                {"competitor_id": self.competitor.id, "description": "Typed in"},
                {},
            ),
            "customer.account.plan": (
                self.account_plan_own,
                {
                    "partner_id": self.account_own_sales.id,
                    "date_start": "2030-01-01",
                    "date_end": "2030-12-31",
                },
                {"date_start": "2031-01-01", "date_end": "2031-12-31"},
            ),
            "customer.account.plan.objective": (
                self.account_plan_own.objective_ids,
                {"plan_id": self.account_plan_own.id, "target": 1.0},
                {},
            ),
            "customer.account.stakeholder": (
                self.account_plan_own.stakeholder_ids,
                {
                    "plan_id": self.account_plan_own.id,
                    "partner_id": self.contact_own_kam.id,
                },
                {},
            ),
            "customer.account.review": (
                self.account_review_own,
                {"plan_id": self.account_plan_own.id},
                {},
            ),
        }

    def _other_value(self, record, fname):
        """A value of ``fname`` other than ``record``'s, as RPC sends it."""
        field = record._fields[fname]
        current = record.sudo()[fname]
        if field.type == "many2one":
            other = (
                self.env[field.comodel_name]
                .sudo()
                .with_context(active_test=False)
                .search([("id", "not in", current.ids)], order="id desc", limit=1)
            )
            self.assertTrue(other, f"no other {field.comodel_name} for {fname}")
            return other.id
        if field.type == "selection":
            return next(v for v in field.get_values(self.env) if v != current)
        if field.type == "boolean":
            return not current
        if field.type == "integer":
            return current + 1
        if field.type in ("float", "monetary"):
            return current + 1.5
        if field.type == "date":
            return fields.Date.to_string(
                (current or fields.Date.today()) + timedelta(days=3)
            )
        if field.type == "datetime":
            return fields.Datetime.to_string(
                (current or fields.Datetime.now()) + timedelta(days=3)
            )
        if field.type in ("char", "text"):
            return f"{current or ''} typed in"
        raise AssertionError(f"no test value for {record._name}.{fname}")

    def test_the_table_is_implemented(self):
        self.assertEqual(self._protected_models(), set(SPEC_PROTECTED_FIELDS))
        for model, fnames in SPEC_PROTECTED_FIELDS.items():
            self.assertEqual(set(self.env[model]._protected_fields), fnames, f"{model}")
        self.assertEqual(set(self._cases()), set(SPEC_PROTECTED_FIELDS))

    def test_write_refused_same_value_allowed(self):
        for model in sorted(self._protected_models()):
            record, __, __ = self._cases()[model]
            for fname in record._protected_fields:
                before = self._values(record, fname)
                value = self._other_value(record, fname)
                with self.subTest(model=model, field=fname):
                    with self._refused(message=PROTECTED):
                        record.with_user(self.admin).write({fname: value})
                    self.assertEqual(self._values(record, fname), before, fname)
                    # the same value, as a form sends back what it shows
                    current = record.sudo()[fname]
                    same = record._fields[fname].convert_to_write(current, record)
                    record.with_user(self.admin).write({fname: same})
                    self.assertEqual(self._values(record, fname), before, fname)

    def test_write_refused_for_the_account_manager(self):
        """The owner of the records, not only Odoo's administrator."""
        for record in (self.objection_own, self.measure_own, self.step_kickoff):
            for fname in record._protected_fields:
                before = self._values(record, fname)
                value = self._other_value(record, fname)
                with self.subTest(model=record._name, field=fname):
                    with self._refused(message=PROTECTED):
                        record.with_user(self.user_own).write({fname: value})
                    self.assertEqual(self._values(record, fname), before)

    def test_create_refused(self):
        for model in sorted(self._protected_models()):
            record, values, __ = self._cases()[model]
            for fname in record._protected_fields:
                value = self._other_value(record, fname)
                before = self._count(model)
                with self.subTest(model=model, field=fname):
                    with self._refused(message=PROTECTED):
                        self.env[model].with_user(self.admin).create(
                            {**values, fname: value}
                        )
                    self.assertEqual(self._count(model), before, f"{model}.{fname}")

    def test_default_context_keys_ignored(self):
        for model in sorted(self._protected_models()):
            record, values, __ = self._cases()[model]
            for fname in record._protected_fields:
                field = record._fields[fname]
                value = self._other_value(record, fname)
                Model = (
                    self.env[model]
                    .with_user(self.admin)
                    .with_context(**{f"default_{fname}": value})
                )
                with self.subTest(model=model, field=fname):
                    created = Model.create(dict(values)).sudo()
                    self.assertNotEqual(
                        field.convert_to_cache(created[fname], created, False),
                        field.convert_to_cache(value, created, False),
                        f"default_{fname} set {model}.{fname}",
                    )
                    created.unlink()

    def test_copy(self):
        for model in sorted(self._protected_models()):
            record, __, defaults = self._cases()[model]
            with self.subTest(model=model):
                copy = record.with_user(self.admin).copy(dict(defaults)).sudo()
                self.assertNotEqual(copy, record)
                for fname in record._protected_fields:
                    field = record._fields[fname]
                    if field.copy and fname not in defaults:
                        self.assertEqual(
                            copy[fname], record.sudo()[fname], f"{model}.{fname}"
                        )
                copy.unlink()

    def test_copy_without_default(self):
        """``copy()`` as the buttons call it, without ``default``: the copied
        protected values are the original's, not typed in."""
        for record in (self.objection_own, self.measure_own, self.step_kickoff):
            with self.subTest(model=record._name):
                copy = record.with_user(self.admin).copy().sudo()
                for fname in record._protected_fields:
                    if record._fields[fname].copy:
                        self.assertEqual(copy[fname], record.sudo()[fname], fname)
        # a step of an automatic check keeps its check and workflow step
        delivery = self.plan_own.step_ids.filtered(lambda s: s.check_type == "delivery")
        with self.subTest(model="customer.support.step", check_type="delivery"):
            copy = delivery.with_user(self.admin).copy().sudo()
            self.assertEqual(copy.check_type, "delivery")
            self.assertEqual(copy.workflow_step_id, delivery.workflow_step_id)

    def test_copy_default_refused(self):
        for model in sorted(self._protected_models()):
            record, __, defaults = self._cases()[model]
            for fname in record._protected_fields:
                value = self._other_value(record, fname)
                before = self._count(model)
                with self.subTest(model=model, field=fname):
                    with self._refused(message=PROTECTED):
                        record.with_user(self.admin).copy({**defaults, fname: value})
                    self.assertEqual(self._count(model), before, f"{model}.{fname}")

    def test_through_the_lines_of_the_parent(self):
        """A form saves its lines with x2many commands on the parent: they are
        the children's own create and write."""
        measures = self._count("customer.objection.action")
        steps = self._count("customer.support.step")
        for record, fname, values in (
            (self.objection_own, "action_ids", {"state": "done"}),
            (self.objection_own, "action_ids", {"done_date": "2030-01-01"}),
            (self.plan_own, "step_ids", {"state": "done"}),
            (self.plan_own, "step_ids", {"check_type": "delivery"}),
            (self.plan_own, "step_ids", {"done_user_id": self.user_own.id}),
        ):
            child = self.measure_own if fname == "action_ids" else self.step_kickoff
            before = self._values(child, *values)
            with self.subTest(model=record._name, values=values):
                with self._refused(message=PROTECTED):
                    record.with_user(self.user_own).write(
                        {fname: [Command.update(child.id, values)]}
                    )
                with self._refused(message=PROTECTED):
                    record.with_user(self.user_own).write(
                        {fname: [Command.create({"name": "Typed in", **values})]}
                    )
                self.assertEqual(self._values(child, *values), before)
        with self._refused(message=PROTECTED):
            self.env["customer.objection"].with_user(self.user_own).create(
                {
                    "name": "With a measure done",
                    "partner_id": self.account_own_kam.id,
                    "action_ids": [Command.create({"name": "x", "state": "done"})],
                }
            )
        self.assertEqual(self._count("customer.objection.action"), measures)
        self.assertEqual(self._count("customer.support.step"), steps)

    def test_superuser_sets_them(self):
        """The addon's code (sudo) is not restricted."""
        self.measure_own.sudo().write({"state": "cancel"})
        self.assertEqual(self.measure_own.state, "cancel")
        self.order_own.sudo().support_plan_pending = True
        self.assertTrue(self.order_own.support_plan_pending)


@tagged("post_install", "-at_install")
class TestActivityLinks(SecurityAttackCommon):
    """Section 1 and 5: a measure's or a step's ``activity_id`` is set by the
    addon only, and its sudo code only touches the activity scheduled on the
    record's own objection or plan."""

    def setUp(self):
        super().setUp()
        self.foreign_values = self._values(
            self.foreign_activity, "active", "res_model", "res_id", "user_id", "summary"
        )[0]

    def test_write_activity_refused(self):
        other_activity = self.measure_other.activity_id
        for record, activity in (
            (self.measure_own, self.foreign_activity),
            (self.measure_own, other_activity),
            (self.step_kickoff, self.foreign_activity),
            (self.step_kickoff, self.step_other.activity_id),
        ):
            before = record.activity_id
            self.assertTrue(before)
            with self.subTest(record=record, activity=activity):
                with self._refused(message=PROTECTED):
                    record.with_user(self.user_own).write({"activity_id": activity.id})
                self.assertEqual(self._values(record, "activity_id"), [[before]])
        self._assert_activity_untouched(self.foreign_activity, self.foreign_values)

    @covers("customer.objection.action", "action_done")
    def test_measure_done_leaves_foreign_activity(self):
        own_activity = self.measure_own.activity_id
        self.measure_own.sudo().activity_id = self.foreign_activity
        self.measure_own.with_user(self.user_own).action_done()
        self.assertEqual(self.measure_own.state, "done")
        self._assert_activity_untouched(self.foreign_activity, self.foreign_values)
        # the measure's own activity is not the one it points to any more
        self.assertTrue(own_activity.exists())

    @covers("customer.objection.action", "action_done")
    def test_measure_done_leaves_activity_of_another_objection(self):
        other = self.measure_other.activity_id
        values = self._values(
            other, "active", "res_model", "res_id", "user_id", "summary"
        )[0]
        self.measure_own.sudo().activity_id = other
        self.measure_own.with_user(self.user_own).action_done()
        self.assertEqual(self.measure_own.state, "done")
        self._assert_activity_untouched(other, values)
        self.assertEqual(self.measure_other.state, "open")

    @covers("customer.objection.action", "action_cancel")
    def test_measure_cancel_write_and_unlink_leave_foreign_activity(self):
        self.measure_own.sudo().activity_id = self.foreign_activity
        measure = self.measure_own.with_user(self.user_own)
        measure.write({"user_id": self.user_own.id, "date_deadline": "2030-01-31"})
        self._assert_activity_untouched(self.foreign_activity, self.foreign_values)
        measure.action_cancel()
        self.assertEqual(self.measure_own.state, "cancel")
        self._assert_activity_untouched(self.foreign_activity, self.foreign_values)
        second = self.env["customer.objection.action"].create(
            {"objection_id": self.objection_own.id, "name": "To delete"}
        )
        second.sudo().activity_id = self.foreign_activity
        second.with_user(self.user_own).unlink()
        self.assertFalse(second.exists())
        self._assert_activity_untouched(self.foreign_activity, self.foreign_values)

    @covers("customer.support.step", "action_done")
    def test_step_done_leaves_foreign_activity(self):
        self.step_kickoff.sudo().activity_id = self.foreign_activity
        self.step_kickoff.with_user(self.user_own).action_done(note="Called")
        self.assertEqual(self.step_kickoff.state, "done")
        self._assert_activity_untouched(self.foreign_activity, self.foreign_values)

    @covers("customer.support.step", "action_done")
    def test_step_done_leaves_activity_of_another_plan(self):
        other = self.step_other.activity_id
        values = self._values(
            other, "active", "res_model", "res_id", "user_id", "summary"
        )[0]
        self.step_taker.sudo().activity_id = other
        self.step_taker.with_user(self.user_none).action_done()
        self.assertEqual(self.step_taker.state, "done")
        self._assert_activity_untouched(other, values)
        self.assertEqual(self.step_other.state, "todo")

    @covers("customer.support.step.skip", "action_skip")
    def test_step_skip_write_and_unlink_leave_foreign_activity(self):
        self.step_taker.sudo().activity_id = self.foreign_activity
        self.step_taker.with_user(self.user_own).write({"deadline": "2030-01-31"})
        self._assert_activity_untouched(self.foreign_activity, self.foreign_values)
        wizard = (
            self.env["customer.support.step.skip"]
            .with_user(self.user_none)
            .create({"step_ids": [Command.set(self.step_taker.ids)], "reason": "N/A"})
        )
        wizard.action_skip()
        self.assertEqual(self.step_taker.state, "skipped")
        self._assert_activity_untouched(self.foreign_activity, self.foreign_values)
        extra = self.env["customer.support.step"].create(
            {"plan_id": self.plan_own.id, "name": "To delete"}
        )
        extra.sudo().activity_id = self.foreign_activity
        extra.with_user(self.user_manager).unlink()
        self.assertFalse(extra.exists())
        self._assert_activity_untouched(self.foreign_activity, self.foreign_values)

    def test_plan_cancel_leaves_foreign_activity(self):
        self.step_kickoff.sudo().activity_id = self.foreign_activity
        # as the cancel dialog confirms it
        self.order_own.with_user(self.user_own).with_context(
            disable_cancel_warning=True
        ).action_cancel()
        self.assertEqual(self.plan_own.state, "cancelled")
        self._assert_activity_untouched(self.foreign_activity, self.foreign_values)


@tagged("post_install", "-at_install")
class TestFixedParents(SecurityAttackCommon):
    """Section 2: a measure stays on its objection, a step on its plan, a plan
    on its order; administrators may move them to a parent they may write."""

    def test_account_manager_cannot_move(self):
        for record, fname, target in (
            (self.measure_own, "objection_id", self.objection_other),
            (self.measure_own, "objection_id", self.objection_own_2),
            (self.step_kickoff, "plan_id", self.plan_other),
            (self.step_kickoff, "plan_id", self.plan_own_2),
            (self.plan_own, "order_id", self.draft_order),
        ):
            before = self._values(record, fname)
            with self.subTest(record=record, target=target):
                with self._refused(message=NOT_MOVABLE):
                    record.with_user(self.user_own).write({fname: target.id})
                self.assertEqual(self._values(record, fname), before)

    def test_account_manager_cannot_move_through_the_new_parent(self):
        """Linking the child in the new parent's lines writes its parent."""
        for record, fname, target in (
            (self.measure_own, "action_ids", self.objection_own_2),
            (self.step_kickoff, "step_ids", self.plan_own_2),
        ):
            parent = record[record._fixed_parent_fields[0]]
            for command in (Command.link(record.id), Command.set(record.ids)):
                with self.subTest(record=record, command=command):
                    with self._refused(message=NOT_MOVABLE):
                        target.with_user(self.user_own).write({fname: [command]})
                    self.assertEqual(
                        self._values(record, record._fixed_parent_fields[0]),
                        [[parent]],
                    )

    def test_all_accounts_user_cannot_move(self):
        with self._refused(message=NOT_MOVABLE):
            self.measure_other.with_user(self.user_all).write(
                {"objection_id": self.objection_own.id}
            )
        self.assertEqual(self.measure_other.objection_id, self.objection_other)

    def test_administrator_moves_to_a_parent_they_may_write(self):
        self.measure_own.with_user(self.user_manager).write(
            {"objection_id": self.objection_own_2.id}
        )
        self.assertEqual(self.measure_own.objection_id, self.objection_own_2)
        self.step_kickoff.with_user(self.user_manager).write(
            {"plan_id": self.plan_own_2.id}
        )
        self.assertEqual(self.step_kickoff.plan_id, self.plan_own_2)
        # not to one of a company they may not work in
        with self._refused():
            self.measure_own.with_user(self.user_manager).write(
                {"objection_id": self.objection_c2.id}
            )
        self.assertEqual(
            self._values(self.measure_own, "objection_id"), [[self.objection_own_2]]
        )

    def test_create_on_a_parent_the_user_cannot_write(self):
        Measure = self.env["customer.objection.action"]
        Step = self.env["customer.support.step"]
        measures, steps = self._count(Measure._name), self._count(Step._name)
        # an account manager on someone else's objection or plan
        with self._refused():
            Measure.with_user(self.user_own).create(
                {"objection_id": self.objection_other.id, "name": "Sneaked in"}
            )
        with self._refused():
            Step.with_user(self.user_own).create(
                {"plan_id": self.plan_other.id, "name": "Sneaked in"}
            )
        # the responsible of a measure reads the objection, but may not add
        with self._refused():
            Measure.with_user(self.user_none).create(
                {"objection_id": self.objection_other.id, "name": "Sneaked in"}
            )
        # an administrator, on an order of a company they may not work in
        order_c2 = self._order(self.account_own_kam, company_id=self.company_2.id)
        plans = self._count("customer.support.plan")
        with self._refused():
            self.env["customer.support.plan"].with_user(self.user_manager).create(
                {"order_id": order_c2.id}
            )
        self.assertEqual(self._count("customer.support.plan"), plans)
        self.assertEqual(self._count(Measure._name), measures)
        self.assertEqual(self._count(Step._name), steps)
        # on their own objection and plan they may
        Measure.with_user(self.user_own).create(
            {"objection_id": self.objection_own.id, "name": "Follow-up"}
        )
        Step.with_user(self.user_own).create(
            {"plan_id": self.plan_own.id, "name": "Extra visit"}
        )
        self.assertEqual(self._count(Measure._name), measures + 1)
        self.assertEqual(self._count(Step._name), steps + 1)


@tagged("post_install", "-at_install")
class TestTierByHand(SecurityAttackCommon):
    """Section 3: only Customer Relations administrators choose, lock or
    review a tier by hand, and each of their changes is in the history."""

    def _ranking_count(self):
        return self._count(
            "customer.tier.ranking", [("partner_id", "=", self.account_own_kam.id)]
        )

    def _history_count(self):
        return self._count(
            "customer.tier.history", [("partner_id", "=", self.account_own_kam.id)]
        )

    def test_contact_creation_user_cannot_choose_tier(self):
        rankings, history = self._ranking_count(), self._history_count()
        partners = self._count("res.partner")
        Partner = self.env["res.partner"]
        for user in (self.user_contacts, self.user_own, self.user_all):
            for values in (
                {
                    "customer_tier_id": self.tier.id,
                    "customer_tier_locked": True,
                    "customer_tier_lock_reason": "My friend",
                },
                {"customer_tier_locked": True, "customer_tier_lock_reason": "x"},
                {"next_review_date": "2099-12-31"},
            ):
                with self.subTest(user=user.login, values=values):
                    with self._refused(message=TIER_BY_HAND):
                        Partner.with_user(user).create(
                            {
                                "name": "Sneaky Contact",
                                "parent_id": self.account_own_kam.id,
                                **values,
                            }
                        )
                    with self._refused(message=TIER_BY_HAND):
                        Partner.with_user(user).create(
                            {"name": "Sneaky Account", "is_company": True, **values}
                        )
        self.assertEqual(self._count("res.partner"), partners)
        self.assertEqual(self._ranking_count(), rankings)
        self.assertEqual(self._history_count(), history)
        self.assertFalse(self.account_own_kam.sudo().customer_tier_id)

    def test_context_defaults_choose_no_tier(self):
        """The Key Accounts kanban creates partners in a tier's column with
        ``default_customer_tier_id`` (and any RPC call may pass such keys):
        for anyone but administrators they choose nothing."""
        tier_fields = (
            "customer_tier_id",
            "customer_tier_locked",
            "customer_tier_lock_reason",
            "next_review_date",
        )
        history = self._count("customer.tier.history")
        for user in (self.user_contacts, self.user_own, self.user_all):
            for key, value in (
                ("default_customer_tier_id", self.tier.id),
                ("default_next_review_date", "2099-12-31"),
                ("default_customer_tier_locked", True),
            ):
                Partner = self.env["res.partner"].with_user(user)
                with self.subTest(user=user.login, key=key):
                    try:
                        with mute_logger(*MUTED), self.env.cr.savepoint():
                            partner = Partner.with_context(
                                **{key: value, "default_customer_tier_lock_reason": "x"}
                            ).create({"name": "Column Account", "is_company": True})
                    except AccessError as error:
                        self.assertIn(TIER_BY_HAND, str(error))
                    else:
                        self.assertEqual(
                            self._values(partner, *tier_fields),
                            [[self.env["customer.tier"], False, False, False]],
                        )
        self.assertEqual(self._count("customer.tier.history"), history)

    def test_nobody_but_administrators_writes_them(self):
        rankings, history = self._ranking_count(), self._history_count()
        for user in (self.user_contacts, self.user_own, self.user_all):
            for partner in (self.account_own_kam, self.contact_own_kam):
                for values in (
                    {"next_review_date": "2099-12-31"},
                    {"customer_tier_locked": True, "customer_tier_lock_reason": "x"},
                    {"customer_tier_lock_reason": "Because"},
                    {
                        "customer_tier_id": self.tier.id,
                        "customer_tier_locked": True,
                        "customer_tier_lock_reason": "Mine",
                    },
                ):
                    with (
                        self.subTest(user=user.login, partner=partner, vals=values),
                        self._refused(message=TIER_BY_HAND),
                    ):
                        partner.with_user(user).write(values)
        self.assertEqual(
            self._values(
                self.account_own_kam,
                "customer_tier_id",
                "customer_tier_locked",
                "customer_tier_lock_reason",
                "next_review_date",
            ),
            [[self.env["customer.tier"], False, False, False]],
        )
        self.assertEqual(self._ranking_count(), rankings)
        self.assertEqual(self._history_count(), history)

    def _last_history(self):
        return (
            self.env["customer.tier.history"]
            .sudo()
            .search([("partner_id", "=", self.account_own_kam.id)], limit=1)
        )

    def test_administrator_changes_are_in_the_history(self):
        partner = self.account_own_kam.with_user(self.user_manager)
        partner.write(
            {
                "customer_tier_id": self.tier.id,
                "customer_tier_locked": True,
                "customer_tier_lock_reason": "Board decision",
            }
        )
        self.assertEqual(self.account_own_kam.sudo().customer_tier_id, self.tier)
        history = self._last_history()
        self.assertRecordValues(
            history,
            [
                {
                    "new_tier_id": self.tier.id,
                    "automatic": False,
                    "user_id": self.user_manager.id,
                    "reason": "Board decision",
                }
            ],
        )
        # only the review date, through a contact: a row for the account
        count = self._history_count()
        self.contact_own_kam.with_user(self.user_manager).write(
            {"next_review_date": "2099-12-31"}
        )
        self.assertEqual(
            str(self.account_own_kam.sudo().next_review_date), "2099-12-31"
        )
        self.assertEqual(self._history_count(), count + 1)
        self.assertRecordValues(
            self._last_history(),
            [{"automatic": False, "user_id": self.user_manager.id}],
        )
        # only the reason
        partner.write({"customer_tier_lock_reason": "Board decision of March"})
        self.assertEqual(self._history_count(), count + 2)
        self.assertRecordValues(
            self._last_history(),
            [
                {
                    "automatic": False,
                    "user_id": self.user_manager.id,
                    "reason": "Board decision of March",
                }
            ],
        )
        # only the lock
        partner.write({"customer_tier_locked": False})
        self.assertEqual(self._history_count(), count + 3)

    def test_administrator_creating_a_contact_with_a_tier_logs_it(self):
        self.env["res.partner"].with_user(self.user_manager).create(
            {
                "name": "Chosen Contact",
                "parent_id": self.account_own_kam.id,
                "customer_tier_id": self.tier.id,
                "customer_tier_locked": True,
                "customer_tier_lock_reason": "Board decision",
            }
        )
        self.assertEqual(self.account_own_kam.sudo().customer_tier_id, self.tier)
        self.assertRecordValues(
            self._last_history(),
            [
                {
                    "new_tier_id": self.tier.id,
                    "automatic": False,
                    "user_id": self.user_manager.id,
                    "reason": "Board decision",
                }
            ],
        )

    def test_ranking_is_read_only_for_every_user(self):
        rankings = self._ranking_count()
        ranking = (
            self.env["customer.tier.ranking"]
            .sudo()
            .create({"partner_id": self.account_own_sales.id})
        )
        for user in (self.user_own, self.user_all, self.user_manager, self.admin):
            with self.subTest(user=user.login):
                with self._refused():
                    ranking.with_user(user).write({"tier_id": self.tier.id})
                with self._refused():
                    self.env["customer.tier.ranking"].with_user(user).create(
                        {
                            "partner_id": self.account_own_kam.id,
                            "tier_id": self.tier.id,
                        }
                    )
        self.assertFalse(self._values(ranking, "tier_id")[0][0])
        self.assertEqual(self._ranking_count(), rankings)


@tagged("post_install", "-at_install")
class TestReferralAttacks(SecurityAttackCommon):
    """Section 4: what a referral links is checked, and fixed once it is no
    longer pending."""

    FIXED = ("referrer_id", "referred_id", "clause_id", "source_order_id", "date")

    def _changes(self, referral):
        """A different value of each fixed field."""
        return {
            "referrer_id": self.account_other_kam.id,
            "referred_id": self.prospect_2.id,
            "clause_id": self.clause_b.id,
            "source_order_id": self.source_order_other.id,
            "date": fields.Date.to_string(referral.date - timedelta(days=1)),
        }

    def test_setup(self):
        self.assertRecordValues(
            self.referral_own | self.referral_qualified | self.referral_rewarded,
            [
                {"state": "pending", "source_order_id": self.source_order.id},
                {"state": "qualified", "source_order_id": self.source_order.id},
                {"state": "rewarded", "source_order_id": self.source_order.id},
            ],
        )
        self.assertEqual(self.referral_own.clause_id, self.clause)

    def test_clause_of_the_source_order_on_create(self):
        Referral = self.env["customer.referral"]
        before = self._count("customer.referral")
        for user in (self.user_own, self.user_manager):
            with self.subTest(user=user.login):
                with self._refused(ValidationError, "clause of", rollback=True):
                    Referral.with_user(user).create(
                        {
                            "referrer_id": self.account_own_kam.id,
                            "referred_id": self.prospect.id,
                            "clause_id": self.clause_b.id,
                        }
                    )
                with self._refused(ValidationError, "clause of", rollback=True):
                    Referral.with_user(user).create(
                        {
                            "referrer_id": self.account_own_kam.id,
                            "referred_id": self.prospect.id,
                            "source_order_id": self.source_order.id,
                            "clause_id": self.clause_b.id,
                        }
                    )
        self.assertEqual(self._count("customer.referral"), before)
        # the clause of the source order is accepted
        referral = Referral.with_user(self.user_own).create(
            {
                "referrer_id": self.account_own_kam.id,
                "referred_id": self.prospect.id,
                "source_order_id": self.source_order.id,
                "clause_id": self.clause.id,
            }
        )
        self.assertEqual(referral.clause_id, self.clause)

    def test_clause_of_the_source_order_on_write(self):
        with self._refused(ValidationError, "clause of", rollback=True):
            self.referral_own.with_user(self.user_manager).write(
                {"clause_id": self.clause_b.id}
            )
        self.assertEqual(self._values(self.referral_own, "clause_id"), [[self.clause]])

    def test_fixed_once_no_longer_pending_even_for_administrators(self):
        for referral in (
            self.referral_qualified,
            self.referral_rewarded,
            self.referral_rejected,
        ):
            before = self._values(referral, *self.FIXED)
            for fname, value in self._changes(referral).items():
                with self.subTest(referral=referral.state, field=fname):
                    with self._refused(UserError, "no longer pending"):
                        referral.with_user(self.user_manager).write({fname: value})
                    with self._refused(UserError, "no longer pending"):
                        referral.with_user(self.admin).write({fname: value})
                    with self._refused(UserError):  # AccessError is a UserError
                        referral.with_user(self.user_own).write({fname: value})
            self.assertEqual(self._values(referral, *self.FIXED), before)

    def test_pending_corrected_by_administrators_only(self):
        before = self._values(self.referral_own, *self.FIXED)
        for fname, value in self._changes(self.referral_own).items():
            with self.subTest(field=fname):
                with self._refused(message="Only administrators may correct"):
                    self.referral_own.with_user(self.user_own).write({fname: value})
                with self._refused(message="Only administrators may correct"):
                    self.referral_own.with_user(self.user_all).write({fname: value})
        self.assertEqual(self._values(self.referral_own, *self.FIXED), before)
        # writing what it already holds is no correction
        self.referral_own.with_user(self.user_own).write(
            {"referred_id": self.referral_own.referred_id.id, "notes": "<p>ok</p>"}
        )
        # an administrator corrects the date and the referred customer
        new_date = self.referral_own.date - timedelta(days=2)
        self.referral_own.with_user(self.user_manager).write(
            {"date": new_date, "referred_id": self.prospect_2.id}
        )
        self.assertRecordValues(
            self.referral_own,
            [{"date": new_date, "referred_id": self.prospect_2.id}],
        )

    def test_date_neither_in_the_future_nor_before_the_contract(self):
        Referral = self.env["customer.referral"].with_user(self.user_own)
        before = self._count("customer.referral")
        today = fields.Date.context_today(self.referral_own)
        source_day = fields.Date.context_today(
            self.source_order, self.source_order.date_order
        )
        with self._refused(ValidationError, "future", rollback=True):
            Referral.create(
                {
                    "referrer_id": self.account_own_kam.id,
                    "referred_id": self.prospect.id,
                    "date": today + timedelta(days=5),
                }
            )
        with self._refused(ValidationError, "before", rollback=True):
            Referral.create(
                {
                    "referrer_id": self.account_own_kam.id,
                    "referred_id": self.prospect.id,
                    "date": source_day - timedelta(days=3),
                }
            )
        self.assertEqual(self._count("customer.referral"), before)
        referral = self.referral_own.with_user(self.user_manager)
        with self._refused(ValidationError, "future", rollback=True):
            referral.write({"date": today + timedelta(days=1)})
        with self._refused(ValidationError, "before", rollback=True):
            referral.write({"date": source_day - timedelta(days=1)})
        self.assertEqual(self._values(self.referral_own, "date"), [[today]])

    def test_reward_card_link_is_protected(self):
        card = self.card.with_user(self.sale_user)
        self.assertTrue(card.has_access("write"))
        with self._refused(message=PROTECTED):
            card.write({"customer_referral_id": self.referral_own.id})
        self.assertFalse(self._values(self.card, "customer_referral_id")[0][0])
        cards = self._count("loyalty.card")
        with self._refused(message=PROTECTED):
            self.env["loyalty.card"].with_user(self.sale_manager).create(
                {
                    "program_id": self.program.id,
                    "partner_id": self.account_own_kam.id,
                    "customer_referral_id": self.referral_own.id,
                }
            )
        self.assertEqual(self._count("loyalty.card"), cards)
        # nor on an opportunity
        with self._refused(message=PROTECTED):
            self.lead_own.with_user(self.user_own).write(
                {"customer_referral_id": self.referral_own.id}
            )
        self.assertFalse(self._values(self.lead_own, "customer_referral_id")[0][0])

    @covers("customer.referral", "action_approve")
    def test_reward_ranks_are_unique_per_referrer_and_clause(self):
        self.assertEqual(self.referral_rewarded.reward_rank, 1)
        self.referral_qualified.with_user(self.user_manager).action_approve()
        self.assertRecordValues(
            self.referral_qualified, [{"state": "rewarded", "reward_rank": 2}]
        )
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(IntegrityError),
            self.env.cr.savepoint(),
        ):
            self.referral_qualified.sudo().write({"reward_rank": 1})
            self.env.flush_all()


@tagged("post_install", "-at_install")
class TestPlanCheckByPortal(SecurityAttackCommon):
    @covers("customer.support.plan", "action_check_now")
    def test_portal_cannot_check_plans(self):
        before = self._values(
            self.plan_own | self.plan_other, "last_check_date", "state"
        )
        steps = self._values(self.plan_own.step_ids, "state", "done_date")
        for plan in (self.plan_own, self.plan_other):
            with self._refused():
                plan.with_user(self.user_portal).action_check_now()
        self.assertEqual(
            self._values(self.plan_own | self.plan_other, "last_check_date", "state"),
            before,
        )
        self.assertEqual(
            self._values(self.plan_own.step_ids, "state", "done_date"), steps
        )


@tagged("post_install", "-at_install")
class TestMoneyFields(SecurityAttackCommon):
    """Section 6: money and internal judgement on partners need Sales rights."""

    def test_no_sales_rights_no_money(self):
        for user, partner in (
            (self.user_none, self.account_own_kam),
            (self.user_contacts, self.account_own_kam),
            (self.user_portal, self.user_portal.partner_id),
        ):
            Partner = self.env["res.partner"].with_user(user)
            for fname in MONEY_FIELDS:
                with self.subTest(user=user.login, field=fname):
                    with self._refused():
                        partner.with_user(user).read([fname])
                    with self._refused():
                        Partner.search_read([("id", "=", partner.id)], [fname])
                    with self._refused():
                        partner.with_user(user).web_read({fname: {}})
            # the rest of the partner reads as before
            self.assertEqual(
                partner.with_user(user).read(["name"])[0]["name"], partner.name
            )

    def test_no_sales_rights_no_search_on_money(self):
        """Searching, grouping or sorting on the figures tells them as well as
        reading them (``annual_revenue > x``, halved until one account is
        left)."""
        self.account_own_kam.sudo().write(
            {
                "customer_tier_id": self.tier.id,
                "customer_tier_locked": True,
                "customer_tier_lock_reason": "Board decision",
            }
        )
        Partner = self.env["res.partner"].with_user(self.user_none)
        for fname, operator, value in (
            ("annual_revenue", ">", 100.0),
            ("annual_order_count", ">", 1),
            ("year_revenue", ">", 100.0),
            ("last_order_date", "!=", False),
            ("customer_tier_locked", "=", True),
            ("customer_tier_lock_reason", "ilike", "Board"),
            ("next_review_date", "!=", False),
            ("customer_tier_to_review", "=", True),
        ):
            with self.subTest(field=fname), self._refused():
                Partner.search_count([(fname, operator, value)])
        with self._refused():
            Partner.read_group([], ["annual_revenue:sum"], ["customer_tier_id"])
        with self._refused():
            Partner.search([], order="annual_revenue desc", limit=1)

    def test_sales_users_read_them(self):
        self.account_own_kam.sudo().write(
            {
                "customer_tier_id": self.tier.id,
                "customer_tier_locked": True,
                "customer_tier_lock_reason": "Board decision",
            }
        )
        for user in (self.sale_user, self.user_own, self.user_all, self.user_manager):
            with self.subTest(user=user.login):
                [values] = self.account_own_kam.with_user(user).read(list(MONEY_FIELDS))
                self.assertEqual(values["customer_tier_lock_reason"], "Board decision")
                self.assertTrue(values["customer_tier_locked"])
                self.env["res.partner"].with_user(user).search_read(
                    [("id", "=", self.account_own_kam.id)], list(MONEY_FIELDS)
                )
                self.account_own_kam.with_user(user).web_read(
                    {fname: {} for fname in MONEY_FIELDS}
                )


@tagged("post_install", "-at_install")
class TestBadInput(SecurityAttackCommon):
    """Section 7."""

    def test_objection_received_in_the_future(self):
        Objection = self.env["customer.objection"].with_user(self.user_own)
        before = self._count("customer.objection")
        future = fields.Datetime.now() + timedelta(days=2)
        with self._refused(ValidationError, "future", rollback=True):
            Objection.create(
                {
                    "name": "From the future",
                    "partner_id": self.account_own_kam.id,
                    "date_received": fields.Datetime.to_string(future),
                }
            )
        self.assertEqual(self._count("customer.objection"), before)
        received = self._values(self.objection_own, "date_received")
        with self._refused(ValidationError, "future", rollback=True):
            self.objection_own.with_user(self.user_own).write(
                {"date_received": fields.Datetime.to_string(future)}
            )
        self.assertEqual(self._values(self.objection_own, "date_received"), received)

    def test_deadline_before_received_even_as_superuser(self):
        objection = self.objection_own.sudo()
        deadline = objection.deadline
        with self._refused(ValidationError, "before it was received", rollback=True):
            objection.write({"deadline": objection.date_received - timedelta(hours=1)})
        self.assertEqual(self._values(objection, "deadline"), [[deadline]])

    def test_closing_complaint_turned_objection_needs_corrective_measures(self):
        complaint = self._objection(
            self.account_own_kam, name="Broken parts", kind="complaint"
        )
        self.env["customer.objection.action"].create(
            {
                "objection_id": complaint.id,
                "name": "Replace the parts",
                "type": "corrective",
                "user_id": self.user_own.id,
            }
        )
        with self._refused(UserError, "Complete or cancel the corrective measures"):
            complaint.with_user(self.user_own).write(
                {
                    "stage_id": self.stage_resolved.id,
                    "resolution": "<p>Parts replaced</p>",
                    "kind": "objection",
                }
            )
        self.assertEqual(
            self._values(complaint, "stage_id", "kind", "closed_date"),
            [[self.stage_new, "complaint", False]],
        )

from datetime import timedelta

import psycopg2

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import (
    SQL,
    email_domain_extract,
    float_compare,
    mute_logger,
    plaintext2html,
)

from .batch import cron_batch

GROUP_MANAGER = "customer_relations.group_customer_relations_manager"
# A referred commercial entity has at most one referral in these states.
CLOSED_STATES = ("rejected", "expired")
EXPIRY_CURSOR = "customer_relations.referral_expiry_last_id"
# What the referral links: fixed once it is no longer pending, corrected
# before by administrators only.
FIXED_FIELDS = ("referrer_id", "referred_id", "clause_id", "source_order_id", "date")
# Email domains shared by unrelated people: an address there says nothing of
# the company behind it.
PUBLIC_EMAIL_DOMAINS = frozenset(
    {
        "aol.com",
        "alice.it",
        "email.it",
        "gmail.com",
        "gmx.com",
        "gmx.de",
        "gmx.net",
        "googlemail.com",
        "hotmail.com",
        "hotmail.it",
        "icloud.com",
        "libero.it",
        "live.com",
        "live.it",
        "mail.com",
        "me.com",
        "msn.com",
        "outlook.com",
        "outlook.it",
        "pec.it",
        "proton.me",
        "protonmail.com",
        "tim.it",
        "tin.it",
        "tiscali.it",
        "virgilio.it",
        "yahoo.com",
        "yahoo.it",
        "yandex.com",
    }
)


class CustomerReferral(models.Model):
    _name = "customer.referral"
    _description = "Customer Referral"
    _inherit = ["mail.thread", "mail.activity.mixin", "customer.protected.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True
    # The workflow sets these, following the referred customer's orders and
    # the administrators' approvals and rejections.
    _protected_fields = (
        "state",
        "qualifying_order_id",
        "reward_card_id",
        "reward_value",
        "reward_rank",
        "reject_reason",
        "portal_submission_token",
    )

    name = fields.Char(
        string="Reference",
        required=True,
        readonly=True,
        copy=False,
        default=lambda self: self.env._("New"),
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    referrer_id = fields.Many2one(
        "res.partner",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
        domain="['|', ('is_company', '=', True), ('parent_id', '=', False)]",
        help="The customer (commercial entity) who recommended the new customer.",
    )
    referred_id = fields.Many2one(
        "res.partner",
        string="Referred Customer",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
        domain="['|', ('is_company', '=', True), ('parent_id', '=', False)]",
        help="The new customer (commercial entity) the referrer recommended.",
    )
    source_order_id = fields.Many2one(
        "sale.order",
        string="Referrer's Contract",
        compute="_compute_source_order_id",
        store=True,
        readonly=False,
        precompute=True,
        index="btree_not_null",
        check_company=True,
        domain="[('state', '=', 'sale'), ('referral_clause_id', '!=', False), "
        "('partner_id', 'child_of', referrer_id)]",
        help="The referrer's confirmed order that carries the referral clause: by "
        "default its latest one.",
    )
    clause_id = fields.Many2one(
        "customer.referral.clause",
        string="Referral Clause",
        compute="_compute_clause_id",
        store=True,
        readonly=False,
        precompute=True,
        index=True,
        check_company=True,
        tracking=True,
        ondelete="restrict",
        help="The clause of the referrer's contract under which the referral is "
        "rewarded.",
    )
    date = fields.Date(
        required=True,
        default=fields.Date.context_today,
        tracking=True,
        help="When the referral was registered: the validity window starts here.",
    )
    expiry_date = fields.Date(
        string="Expires On",
        compute="_compute_expiry_date",
        store=True,
        index="btree_not_null",
        help="Last day on which the referred customer's first order may be "
        "confirmed. Empty: no limit.",
    )
    state = fields.Selection(
        [
            ("pending", "Pending"),
            ("qualified", "Qualified"),
            ("rewarded", "Rewarded"),
            ("rejected", "Rejected"),
            ("expired", "Expired"),
        ],
        required=True,
        default="pending",
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
        group_expand="_expand_states",
        help="Pending: waiting for the referred customer's first order. "
        "Qualified: the first order is confirmed and large enough; waiting for "
        "approval. Rewarded: the coupon is issued to the referrer.",
    )
    qualifying_order_id = fields.Many2one(
        "sale.order",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The referred customer's first confirmed order.",
    )
    reward_card_id = fields.Many2one(
        "loyalty.card",
        string="Reward Coupon",
        readonly=True,
        copy=False,
        ondelete="restrict",
        help="The coupon issued to the referrer.",
    )
    reward_code = fields.Char(
        related="reward_card_id.code", string="Coupon Code", readonly=True
    )
    reward_rank = fields.Integer(
        readonly=True,
        copy=False,
        help="Which reward of the referrer under the clause this is (1 for the "
        "first): the database accepts each rank once, so that the clause's "
        "maximum holds when two referrals are approved at the same moment.",
    )
    reward_value = fields.Monetary(
        readonly=True,
        copy=False,
        help="Value of the coupon in the company's currency: its fixed discount or "
        "product price, or its percentage of the qualifying order's untaxed amount.",
    )
    converted = fields.Float(
        string="Conversion (%)",
        compute="_compute_converted",
        store=True,
        aggregator="avg",
        help="100 when the referred customer placed a qualifying first order: "
        "averaged, the conversion rate of referred customers.",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Account Manager",
        compute="_compute_user_id",
        store=True,
        index=True,
        tracking=True,
        help="The referrer's key account manager, else its salesperson.",
    )
    referred_user_id = fields.Many2one(
        "res.users",
        string="Referred Customer's Manager",
        compute="_compute_referred_user_id",
        store=True,
        index="btree_not_null",
        help="The referred customer's key account manager, else its salesperson.",
    )
    reject_reason = fields.Text(string="Rejection Reason", readonly=True, copy=False)
    portal_submission_token = fields.Char(
        readonly=True,
        copy=False,
        help="Token of the portal form that registered the referral: one "
        "referral for one submission, even when the customer clicks twice.",
    )
    notes = fields.Html()

    _sql_constraints = [
        (
            "portal_submission_token_unique",
            "UNIQUE(portal_submission_token)",
            "This form was already submitted.",
        ),
        (
            "reward_card_unique",
            "UNIQUE(reward_card_id)",
            "A coupon rewards one referral only.",
        ),
        (
            "rewarded_has_card",
            "CHECK(state != 'rewarded' OR reward_card_id IS NOT NULL)",
            "A rewarded referral must have its coupon.",
        ),
        # A commercial entity is referred once per company: the database refuses
        # a second open referral even when two transactions register it together.
        (
            "referred_open_unique",
            (
                "EXCLUDE USING btree (company_id WITH =, referred_id WITH =) "
                "WHERE (state NOT IN ('rejected', 'expired'))"
            ),
            (
                "This customer has already been referred: a customer can be "
                "referred only once."
            ),
        ),
        # Rewards of a referrer under a clause are numbered 1, 2, … from the
        # rewarded ones: two transactions rewarding at once number theirs
        # alike, and the database refuses the second (each transaction reads
        # its own snapshot, so counting first is not enough).
        (
            "reward_rank_unique",
            (
                "EXCLUDE USING btree (referrer_id WITH =, clause_id WITH =, "
                "reward_rank WITH =) WHERE (reward_rank IS NOT NULL)"
            ),
            (
                "Another referral of this referrer was rewarded under the same "
                "clause at the same moment, up to the clause's maximum: reload "
                "the referrals and try again."
            ),
        ),
    ]

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------

    @api.depends("referrer_id", "company_id")
    def _compute_source_order_id(self):
        referrals = self.filtered(
            lambda r: (
                r.referrer_id
                and (
                    not r.source_order_id
                    or r.source_order_id.partner_id.commercial_partner_id
                    != r.referrer_id
                    or r.source_order_id.company_id != r.company_id
                )
            )
        )
        latest = self._latest_clause_orders(referrals.referrer_id, referrals.company_id)
        for referral in referrals:
            referral.source_order_id = latest.get(
                (referral.referrer_id.commercial_partner_id.id, referral.company_id.id)
            )

    @api.depends("source_order_id")
    def _compute_clause_id(self):
        for referral in self:
            if referral.source_order_id.referral_clause_id:
                referral.clause_id = referral.source_order_id.referral_clause_id

    @api.depends("date", "clause_id.validity_days")
    def _compute_expiry_date(self):
        for referral in self:
            days = referral.clause_id.validity_days
            referral.expiry_date = (
                referral.date + timedelta(days=days)
                if days and referral.date
                else False
            )

    @api.depends("state")
    def _compute_converted(self):
        for referral in self:
            referral.converted = (
                100.0 if referral.state in ("qualified", "rewarded") else 0.0
            )

    @api.depends("referrer_id.key_account_manager_id", "referrer_id.user_id")
    def _compute_user_id(self):
        for referral in self:
            referral.user_id = referral.referrer_id._get_account_manager()

    @api.depends("referred_id.key_account_manager_id", "referred_id.user_id")
    def _compute_referred_user_id(self):
        for referral in self:
            referral.referred_user_id = referral.referred_id._get_account_manager()

    def _expand_states(self, states, domain):
        return [key for key, __ in self._fields["state"].selection]

    @api.model
    def _latest_clause_orders(self, partners, companies):
        """Latest confirmed order carrying a referral clause of each account of
        ``partners`` in ``companies``, in one query:
        {(commercial partner id, company id): order}."""
        if not partners or not companies:
            return {}
        orders = (
            self.env["sale.order"]
            .sudo()
            .search(
                [
                    ("state", "=", "sale"),
                    ("referral_clause_id", "!=", False),
                    ("partner_id", "child_of", partners.commercial_partner_id.ids),
                    ("company_id", "in", companies.ids),
                ],
                order="date_order desc, id desc",
            )
        )
        latest = {}
        for order in orders:
            key = (order.partner_id.commercial_partner_id.id, order.company_id.id)
            latest.setdefault(key, order.with_env(self.env))
        return latest

    # ------------------------------------------------------------------
    # Rules
    # ------------------------------------------------------------------

    @api.constrains("referrer_id", "referred_id")
    def _check_not_same_account(self):
        for referral in self:
            if (
                referral.referrer_id.commercial_partner_id
                == referral.referred_id.commercial_partner_id
            ):
                raise ValidationError(
                    self.env._(
                        "%(partner)s cannot be referred by itself or by one of its "
                        "own contacts.",
                        partner=referral.referred_id.commercial_partner_id.display_name,
                    )
                )

    @api.constrains("referrer_id", "source_order_id", "clause_id", "state")
    def _check_source_order(self):
        for referral in self.filtered(lambda r: r.state == "pending"):
            order = referral.source_order_id.sudo()
            if (
                not order
                or order.state != "sale"
                or not order.referral_clause_id
                or order.partner_id.commercial_partner_id != referral.referrer_id
                or not referral.clause_id
            ):
                raise ValidationError(
                    self.env._(
                        "%(referrer)s has no confirmed order carrying a referral "
                        "clause: a customer is rewarded for its referrals under the "
                        "clause of its contract.",
                        referrer=referral.referrer_id.display_name,
                    )
                )

    @api.constrains("clause_id", "source_order_id")
    def _check_clause_of_contract(self):
        """A referral is rewarded under the clause of the referrer's contract,
        no other."""
        for referral in self:
            order = referral.source_order_id.sudo()
            if order and referral.clause_id != order.referral_clause_id:
                raise ValidationError(
                    self.env._(
                        "The referral clause of %(referral)s must be the clause of "
                        "the referrer's contract %(order)s (%(clause)s).",
                        referral=referral.display_name,
                        order=order.name,
                        clause=order.referral_clause_id.name or self.env._("none"),
                    )
                )

    @api.constrains("date", "source_order_id")
    def _check_date(self):
        today = fields.Date.context_today(self)
        for referral in self:
            if referral.date > today:
                raise ValidationError(
                    self.env._(
                        "The referral %(referral)s cannot be dated in the future "
                        "(%(date)s).",
                        referral=referral.display_name,
                        date=referral.date,
                    )
                )
            order = referral.source_order_id.sudo()
            order_day = order and fields.Date.context_today(referral, order.date_order)
            if order_day and referral.date < order_day:
                raise ValidationError(
                    self.env._(
                        "The referral %(referral)s cannot be dated before the "
                        "referrer's contract %(order)s (%(date)s).",
                        referral=referral.display_name,
                        order=order.name,
                        date=order_day,
                    )
                )

    @api.constrains("referred_id", "date", "company_id", "state")
    def _check_referred_is_new(self):
        pending = self.filtered(lambda r: r.state == "pending")
        if not pending:
            return
        orders = (
            self.env["sale.order"]
            .sudo()
            .search(
                [
                    ("state", "=", "sale"),
                    ("partner_id", "child_of", pending.referred_id.ids),
                    ("company_id", "in", pending.company_id.ids),
                ]
            )
        )
        for referral in pending:
            previous = orders.filtered(
                lambda o, r=referral: (
                    o.company_id == r.company_id
                    and o.partner_id.commercial_partner_id == r.referred_id
                    and fields.Date.context_today(r, o.date_order) <= r.date
                )
            )
            if previous:
                raise ValidationError(
                    self.env._(
                        "%(partner)s is not a new customer: its order %(order)s was "
                        "confirmed on or before the referral date.",
                        partner=referral.referred_id.display_name,
                        order=previous[0].name,
                    )
                )

    @api.model
    def _check_referred_once(self, keys, exclude=None):
        """Refuse a second open referral of an account in a company, before the
        database does: ``keys`` are the (referred id, company id) pairs of the
        open referrals being written, ``exclude`` those being written."""
        keys = [key for key in keys if all(key)]
        duplicates = {key for key in keys if keys.count(key) > 1}
        if duplicates:
            partner = self.env["res.partner"].browse(next(iter(duplicates))[0])
            raise ValidationError(
                self.env._(
                    "%(partner)s can be referred only once.",
                    partner=partner.display_name,
                )
            )
        if not keys:
            return
        others = self.sudo().search(
            [
                ("referred_id", "in", [key[0] for key in keys]),
                ("company_id", "in", [key[1] for key in keys]),
                ("state", "not in", CLOSED_STATES),
                ("id", "not in", (exclude or self.browse()).ids),
            ]
        )
        for other in others:
            if (other.referred_id.id, other.company_id.id) in keys:
                raise ValidationError(
                    self.env._(
                        "%(partner)s has already been referred by %(referrer)s "
                        "(%(reference)s): a customer can be referred only once.",
                        partner=other.referred_id.display_name,
                        referrer=other.referrer_id.display_name,
                        reference=other.name,
                    )
                )

    @api.constrains("referrer_id", "clause_id", "state")
    def _check_max_referrals(self):
        pending = self.filtered(
            lambda r: r.state == "pending" and r.clause_id.max_referrals
        )
        if not pending:
            return
        rewarded = pending._rewarded_counts()
        for referral in pending:
            key = (referral.referrer_id.id, referral.clause_id.id)
            if rewarded.get(key, 0) >= referral.clause_id.max_referrals:
                raise ValidationError(referral._max_referrals_message())

    def _rewarded_counts(self):
        """{(referrer id, clause id): rewarded referrals} for ``self``'s pairs."""
        groups = self.sudo()._read_group(
            [
                ("referrer_id", "in", self.referrer_id.ids),
                ("clause_id", "in", self.clause_id.ids),
                ("state", "=", "rewarded"),
            ],
            ["referrer_id", "clause_id"],
            ["__count"],
        )
        return {(referrer.id, clause.id): count for referrer, clause, count in groups}

    def _max_referrals_message(self):
        self.ensure_one()
        return self.env._(
            "%(referrer)s has already been rewarded for %(count)s referrals under "
            "the clause %(clause)s, its maximum.",
            referrer=self.referrer_id.display_name,
            count=self.clause_id.max_referrals,
            clause=self.clause_id.name,
        )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            # refuse what only the workflow sets before the other checks
            self._check_protected_create(vals_list)
        for vals in vals_list:
            self._normalize_accounts(vals)
        self._check_referred_once(
            [
                (vals.get("referred_id"), vals.get("company_id") or self.env.company.id)
                for vals in vals_list
                if vals.get("state", "pending") not in CLOSED_STATES
            ]
        )
        for vals in vals_list:
            if vals.get("name", self.env._("New")) == self.env._("New"):
                company = self.env["res.company"].browse(vals.get("company_id"))
                vals["name"] = self.env["ir.sequence"].with_company(
                    company or self.env.company
                ).next_by_code("customer.referral") or self.env._("New")
        return super().create(vals_list)

    def write(self, vals):
        self._normalize_accounts(vals)
        self._check_fixed_fields(vals)
        # a referral becomes open for another account, or again: the account
        # may not have another one open (moving between open states, as the
        # workflow does, changes nothing there)
        state = vals.get("state")
        if {"referred_id", "company_id"} & set(vals):
            checked = self
        elif state and state not in CLOSED_STATES:
            checked = self.filtered(lambda r: r.state in CLOSED_STATES)
        else:
            checked = self.browse()
        if checked:
            self._check_referred_once(
                [
                    (
                        vals.get("referred_id", referral.referred_id.id),
                        vals.get("company_id", referral.company_id.id),
                    )
                    for referral in checked
                    if (state or referral.state) not in CLOSED_STATES
                ],
                exclude=checked,
            )
        return super().write(vals)

    @api.model
    def _normalize_accounts(self, vals):
        """Referrals link accounts: a contact stands for its commercial entity."""
        for fname in ("referrer_id", "referred_id"):
            if vals.get(fname):
                partner = self.env["res.partner"].browse(vals[fname])
                vals[fname] = partner.commercial_partner_id.id

    def _check_fixed_fields(self, vals):
        """Who recommended whom, under which contract and clause, and when:
        fixed once the referral is no longer pending (its reward follows from
        them), corrected before by administrators only."""
        if self.env.su:
            return
        changed = self._changed_fields(vals, FIXED_FIELDS)
        if not changed:
            return
        labels = ", ".join(
            self._fields[fname]._description_string(self.env) for fname in changed
        )
        settled = self.filtered(lambda r: r.state != "pending")
        if settled:
            raise UserError(
                self.env._(
                    "%(fields)s of the referral %(referral)s cannot change: it is "
                    "no longer pending.",
                    fields=labels,
                    referral=settled[0].display_name,
                )
            )
        if not self.env.user.has_group(GROUP_MANAGER):
            raise AccessError(
                self.env._(
                    "Only administrators may correct %(fields)s of a registered "
                    "referral.",
                    fields=labels,
                )
            )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_qualified(self):
        if any(referral.state in ("qualified", "rewarded") for referral in self):
            raise UserError(
                self.env._(
                    "Qualified and rewarded referrals cannot be deleted: reject "
                    "qualified ones instead."
                )
            )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def _check_administrator(self):
        self.check_access("write")
        if not self.env.user.has_group(GROUP_MANAGER):
            raise AccessError(
                self.env._("Only administrators may approve or reject referrals.")
            )

    def action_approve(self):
        self._check_administrator()
        if any(referral.state != "qualified" for referral in self):
            raise UserError(self.env._("Only qualified referrals can be approved."))
        self.sudo()._issue_rewards()
        return True

    @api.readonly
    def action_reject(self):
        """Open the dialog asking why the referrals are rejected."""
        self._check_can_reject()
        return {
            "name": self.env._("Reject Referral"),
            "type": "ir.actions.act_window",
            "res_model": "customer.referral.reject",
            "view_mode": "form",
            "target": "new",
            "context": {"active_model": self._name, "active_ids": self.ids},
        }

    def action_reset_to_pending(self):
        self._check_administrator()
        if any(referral.state not in CLOSED_STATES for referral in self):
            raise UserError(
                self.env._("Only rejected and expired referrals can be reopened.")
            )
        self.sudo().write(
            {"state": "pending", "reject_reason": False, "qualifying_order_id": False}
        )
        return True

    @api.readonly
    def action_view_reward_card(self):
        self.ensure_one()
        self.check_access("read")
        return {
            "type": "ir.actions.act_window",
            "res_model": "loyalty.card",
            "res_id": self.reward_card_id.id,
            "view_mode": "form",
        }

    # ------------------------------------------------------------------
    # Business logic (run as superuser by the callers: the workflow follows
    # the orders of people who may not see referrals)
    # ------------------------------------------------------------------

    def _lock_for_update(self):
        """Lock the referrals' rows until the end of the transaction, and read
        them again: a concurrent transaction that changed them makes this one
        fail and retry, so a referral never moves twice."""
        if not self:
            return self
        self.flush_recordset()
        self.env.cr.execute(
            SQL(
                "SELECT id FROM customer_referral WHERE id IN %s "
                "ORDER BY id FOR UPDATE",
                tuple(self.ids),
            )
        )
        self.invalidate_recordset()
        return self

    def _check_can_reject(self):
        self._check_administrator()
        if any(referral.state not in ("pending", "qualified") for referral in self):
            raise UserError(
                self.env._("Only pending and qualified referrals can be rejected.")
            )

    def _reject_by_hand(self, reason):
        """An administrator rejects the referrals, giving the reason."""
        self._check_can_reject()
        if not (reason or "").strip():
            raise UserError(self.env._("Please give the reason of the rejection."))
        self.sudo()._lock_for_update()._reject(reason.strip())

    def _reject(self, reason):
        self.write({"state": "rejected", "reject_reason": reason})
        for referral in self:
            referral.message_post(
                body=self.env._("Referral rejected: %(reason)s", reason=reason)
            )

    @api.model
    def _qualify_from_orders(self, orders):
        """The referred customers' first orders were confirmed: qualify their
        pending referrals. Two orders of one customer confirmed together count
        once: the earliest qualifies."""
        orders = orders.filtered(lambda o: o.state == "sale")
        if not orders:
            return self
        referrals = self.search(
            [
                ("state", "=", "pending"),
                ("referred_id", "in", orders.partner_id.commercial_partner_id.ids),
                ("company_id", "in", orders.company_id.ids),
            ]
        )
        referrals = referrals._lock_for_update().filtered(
            lambda r: r.state == "pending"
        )
        if not referrals:
            return referrals
        first_orders = {}
        for order in orders.sorted(lambda o: (o.date_order, o.id)):
            key = (order.partner_id.commercial_partner_id.id, order.company_id.id)
            first_orders.setdefault(key, order)
        qualified = self.browse()
        for referral in referrals:
            order = first_orders[(referral.referred_id.id, referral.company_id.id)]
            clause = referral.clause_id
            order_day = fields.Date.context_today(referral, order.date_order)
            amount = order.amount_untaxed / (order.currency_rate or 1.0)
            if referral.expiry_date and order_day > referral.expiry_date:
                referral.write({"state": "expired", "qualifying_order_id": order.id})
                referral.message_post(
                    body=self.env._(
                        "The first order %(order)s was confirmed after the referral "
                        "expired on %(date)s.",
                        order=order.name,
                        date=referral.expiry_date,
                    )
                )
            elif (
                float_compare(
                    amount,
                    clause.min_first_order_amount,
                    precision_rounding=referral.currency_id.rounding,
                )
                < 0
            ):
                referral.write({"qualifying_order_id": order.id})
                referral._reject(
                    self.env._(
                        "The first order %(order)s is below the minimum of "
                        "%(minimum)s of the clause %(clause)s.",
                        order=order.name,
                        minimum=clause.min_first_order_amount,
                        clause=clause.name,
                    )
                )
            else:
                referral.write({"state": "qualified", "qualifying_order_id": order.id})
                qualified |= referral
        qualified.filtered(lambda r: not r.clause_id.reward_approval)._issue_rewards()
        for referral in qualified.filtered(lambda r: r.state == "qualified"):
            referral.message_post(
                body=self.env._(
                    "The first order %(order)s qualifies this referral: it waits "
                    "for an administrator's approval.",
                    order=referral.qualifying_order_id.name,
                )
            )
        return qualified

    @api.model
    def _requalify_cancelled_orders(self, orders):
        """The qualifying orders of referrals not rewarded yet were cancelled:
        the referrals wait again for a first order."""
        referrals = self.search(
            [("state", "=", "qualified"), ("qualifying_order_id", "in", orders.ids)]
        )
        referrals = referrals._lock_for_update().filtered(
            lambda r: r.state == "qualified"
        )
        for referral in referrals:
            referral.message_post(
                body=self.env._(
                    "The qualifying order %(order)s was cancelled: the referral "
                    "waits again for the first order.",
                    order=referral.qualifying_order_id.name,
                )
            )
        referrals.write({"state": "pending", "qualifying_order_id": False})
        return referrals

    def _issue_rewards(self):
        """Issue the coupon of each qualified referral of ``self``, exactly once:
        the rows are locked first, and the database accepts one coupon per
        referral (see ``loyalty.card.customer_referral_id``)."""
        referrals = self._lock_for_update().filtered(
            lambda r: r.state == "qualified" and not r.reward_card_id
        )
        if not referrals:
            return referrals
        rewarded_counts = referrals._rewarded_counts()
        to_reward, ranks = self.browse(), {}
        for referral in referrals:
            maximum = referral.clause_id.max_referrals
            key = (referral.referrer_id.id, referral.clause_id.id)
            if maximum and rewarded_counts.get(key, 0) >= maximum:
                referral._reject(referral._max_referrals_message())
                continue
            rewarded_counts[key] = rewarded_counts.get(key, 0) + 1
            ranks[referral] = rewarded_counts[key]
            to_reward |= referral
        if not to_reward:
            return to_reward
        cards = (
            self.env["loyalty.card"]
            .with_context(loyalty_no_mail=True)
            .create([referral._get_reward_card_values() for referral in to_reward])
        )
        self.env["loyalty.history"].create(
            [
                {
                    "card_id": card.id,
                    "description": self.env._(
                        "Referral %(reference)s",
                        reference=card.customer_referral_id.name,
                    ),
                    "issued": card.points,
                }
                for card in cards
            ]
        )
        card_by_referral = {card.customer_referral_id: card for card in cards}
        # the values first, then the writes one after the other: the database
        # gets them in one update at the next flush
        values = [
            {
                "reward_card_id": card_by_referral[referral].id,
                "reward_rank": ranks[referral],
                "reward_value": referral._get_reward_value(card_by_referral[referral]),
            }
            for referral in to_reward
        ]
        for referral, referral_values in zip(to_reward, values, strict=True):
            referral.write(referral_values)
        to_reward.write({"state": "rewarded"})
        to_reward._notify_reward()
        return to_reward

    def _get_reward_card_values(self):
        self.ensure_one()
        program = self.clause_id.program_id
        points = min(program.reward_ids.mapped("required_points") or [1.0]) or 1.0
        return {
            "program_id": program.id,
            "partner_id": self.referrer_id.id,
            "points": points,
            "customer_referral_id": self.id,
        }

    def _get_reward_value(self, card):
        """Value of the coupon in the company's currency (for reporting)."""
        self.ensure_one()
        reward = card.program_id.reward_ids[:1]
        company_currency = self.currency_id
        program_currency = card.program_id.currency_id or company_currency
        date = fields.Date.context_today(self)
        if reward.reward_type == "discount":
            if reward.discount_mode == "percent":
                order = self.qualifying_order_id
                base = order.amount_untaxed / (order.currency_rate or 1.0)
                return base * reward.discount / 100.0
            amount = reward.discount * (
                card.points if reward.discount_mode == "per_point" else 1.0
            )
        elif reward.reward_type == "product":
            amount = reward.reward_product_id.lst_price * reward.reward_product_qty
            program_currency = reward.reward_product_id.currency_id or program_currency
        else:
            return 0.0
        return program_currency._convert(
            amount, company_currency, self.company_id, date
        )

    def _notify_reward(self):
        """Mail the coupon to the referrers (the addon's template, posted in
        each referral's chatter), give their account managers a to-do: in
        batches, whatever the number of referrals."""
        template = self.env.ref(
            "customer_relations.mail_template_customer_referral_reward",
            raise_if_not_found=False,
        )
        mailed = self.filtered(lambda r: r.referrer_id.email) if template else self
        if template and mailed:
            # what the template reads, for all the referrals at once
            mailed.reward_card_id.program_id.mapped("name")
            # each new message answers the first message of its referral (a
            # flat thread) and the email's references read that message:
            # read them all at once rather than one per email
            Message = self.env["mail.message"].sudo()
            first_messages = Message._read_group(
                [
                    ("model", "=", self._name),
                    ("res_id", "in", mailed.ids),
                    ("message_type", "!=", "user_notification"),
                ],
                groupby=["res_id"],
                aggregates=["id:min"],
            )
            Message.browse([id_ for _res_id, id_ in first_messages]).fetch(
                ["message_id"]
            )
            # what message_post_with_source does for one record, for all: the
            # template rendered in one go, one composer
            composer = (
                self.env["mail.compose.message"]
                .with_context(
                    default_composition_mode="comment",
                    default_model=self._name,
                    default_res_ids=mailed.ids,
                    default_template_id=template.id,
                )
                .create(
                    {
                        "subtype_id": self.env.ref("mail.mt_comment").id,
                        "message_type": "notification",
                        "email_layout_xmlid": "mail.mail_notification_light",
                    }
                )
            )
            composer._action_send_mail()
        unmailed = self - mailed if template else self.browse()
        unmailed._message_log_batch(
            bodies={
                referral.id: self.env._(
                    "Coupon %(code)s issued to %(referrer)s, who has no email "
                    "address: tell them yourself.",
                    code=referral.reward_code,
                    referrer=referral.referrer_id.display_name,
                )
                for referral in unmailed
            }
        )
        # one batch of to-dos per account manager
        # (no assignment email per to-do: they are in the managers' activities)
        for user, referrals in self.filtered("user_id").grouped("user_id").items():
            referrals.with_context(mail_activity_quick_update=True).activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=user.id,
                summary=self.env._("Thank the referrer for the new customer"),
                note=self.env._(
                    "The referral is rewarded: the referrer received its coupon by "
                    "email and can use it on its next order."
                ),
            )

    # ------------------------------------------------------------------
    # Portal: a customer recommends someone
    # ------------------------------------------------------------------

    @api.model
    def _portal_clause_order(self, account):
        """The latest confirmed order of ``account`` carrying a referral
        clause, in any company: the contract its referrals are rewarded
        under."""
        return (
            self.env["sale.order"]
            .sudo()
            .search(
                [
                    ("state", "=", "sale"),
                    ("referral_clause_id", "!=", False),
                    ("partner_id", "child_of", account.commercial_partner_id.ids),
                ],
                order="date_order desc, id desc",
                limit=1,
            )
        )

    @api.model
    def _portal_find_partner(self, values, company):
        """The commercial entity already known for the company described in
        ``values`` (``email``, ``vat``, ``company_name``): by email, by tax
        ID, by email domain (not a public provider's), then by name."""
        Partner = self.env["res.partner"].sudo().with_context(active_test=False)
        company_domain = [("company_id", "in", [False, company.id])]
        searches = []
        email = values.get("email")
        if email:
            searches.append([("email", "=ilike", email)])
        if values.get("vat"):
            searches.append([("vat", "=ilike", values["vat"])])
        domain = email_domain_extract(email) if email else False
        if domain and domain not in PUBLIC_EMAIL_DOMAINS:
            searches.append([("email", "=ilike", f"%@{domain}")])
        if values.get("company_name"):
            searches.append(
                [("is_company", "=", True), ("name", "=ilike", values["company_name"])]
            )
        for search in searches:
            partner = Partner.search(search + company_domain, order="id", limit=1)
            if partner:
                return partner.commercial_partner_id
        return Partner.browse()

    @api.model
    def _portal_recommend(self, author, values, submission_token):
        """Register the referral that ``author`` (a portal user's partner)
        makes on the portal, under the clause of its account's contract.

        The recommended company is looked for among the partners; an existing
        prospect is reused, else a new one is created. An opportunity
        recommended by the account is created for the prospect, which
        registers the referral as the account managers' opportunities do
        (every referral rule applies), and the account manager gets an
        activity to contact the prospect. A rule that refuses the referral
        raises its message (``UserError`` or ``ValidationError``) and changes
        nothing. A second submission of the same form returns the referral
        of the first one.
        """
        existing = self.sudo().search(
            [("portal_submission_token", "=", submission_token)], limit=1
        )
        if existing:
            return existing
        account = author.commercial_partner_id
        order = self._portal_clause_order(account)
        if not order:
            raise UserError(
                self.env._(
                    "Your contract carries no referral clause: ask your account "
                    "manager how to recommend someone."
                )
            )
        company = order.company_id
        referred = self._portal_find_partner(values, company)
        if referred:
            # say no more about another account than the portal may know
            if referred == account:
                raise UserError(self.env._("You cannot recommend your own company."))
            if self._portal_is_customer(referred, company):
                raise UserError(
                    self.env._(
                        "%(company)s is already our customer: a referral rewards "
                        "only new customers.",
                        company=values.get("company_name") or referred.name,
                    )
                )
            if self.sudo().search_count(
                [
                    ("referred_id", "=", referred.id),
                    ("company_id", "=", company.id),
                    ("state", "not in", CLOSED_STATES),
                ],
                limit=1,
            ):
                raise UserError(
                    self.env._(
                        "%(company)s has already been recommended: a customer can "
                        "be referred only once.",
                        company=values.get("company_name") or referred.name,
                    )
                )
        try:
            with self.env.cr.savepoint(), mute_logger("odoo.sql_db"):
                referral = self._portal_register(
                    author, account, referred, order, values, submission_token
                )
        except psycopg2.errors.UniqueViolation:
            # the same form, submitted twice at once: the other one registers it
            return self.browse()
        return referral.with_env(self.env)

    @api.model
    def _portal_register(
        self, author, account, referred, order, values, submission_token
    ):
        """Create the prospect if needed and its opportunity recommended by
        ``account``, which registers the referral under ``order``'s clause;
        schedule the account manager's call."""
        company = order.company_id
        if not referred:
            referred = self._portal_create_prospect(values, company)
        manager = account.sudo()._get_account_manager()
        lead = (
            self.env["crm.lead"]
            .sudo()
            .with_company(company)
            .create(
                {
                    "name": self.env._(
                        "%(company)s, recommended by %(referrer)s",
                        company=referred.name,
                        referrer=account.name,
                    ),
                    "type": "opportunity",
                    "partner_id": referred.id,
                    "contact_name": values.get("contact_name"),
                    "email_from": values.get("email") or referred.email,
                    "phone": values.get("phone") or referred.phone,
                    "user_id": manager.id,
                    "company_id": company.id,
                    "referred_by_id": account.id,
                    "description": plaintext2html(values.get("note") or ""),
                }
            )
        )
        referral = lead.customer_referral_id
        referral.write(
            {
                "portal_submission_token": submission_token,
                "notes": plaintext2html(values.get("note") or ""),
            }
        )
        referral.message_post(
            body=self.env._(
                "Recommended on the portal by %(author)s.", author=author.name
            ),
            author_id=author.id,
        )
        if manager:
            lead.activity_schedule(
                "mail.mail_activity_data_call",
                user_id=manager.id,
                summary=self.env._("Contact the recommended prospect"),
                note=self.env._(
                    "%(referrer)s recommended %(company)s on the portal: contact them.",
                    referrer=account.name,
                    company=referred.name,
                ),
            )
        return referral

    @api.model
    def _portal_is_customer(self, partner, company):
        return bool(
            self.env["sale.order"]
            .sudo()
            .search_count(
                [
                    ("state", "=", "sale"),
                    ("partner_id", "child_of", partner.ids),
                    ("company_id", "=", company.id),
                ],
                limit=1,
            )
        )

    @api.model
    def _portal_create_prospect(self, values, company):
        """The recommended company as a new prospect, with its contact."""
        Partner = self.env["res.partner"].sudo()
        prospect = Partner.create(
            {
                "name": values["company_name"],
                "is_company": True,
                "email": values.get("email"),
                "phone": values.get("phone"),
                "vat": values.get("vat"),
            }
        )
        if values.get("contact_name"):
            Partner.create(
                {
                    "name": values["contact_name"],
                    "parent_id": prospect.id,
                    "type": "contact",
                    "email": values.get("email"),
                    "phone": values.get("phone"),
                }
            )
        return prospect

    @api.model
    def _cron_expire_referrals(self, batch_size=1000):
        """Expire the pending referrals whose validity window has passed; one
        that cannot be expired is logged and skipped."""
        domain = [
            ("state", "=", "pending"),
            ("expiry_date", "<", fields.Date.context_today(self)),
        ]
        return cron_batch(
            self,
            domain,
            batch_size,
            EXPIRY_CURSOR,
            lambda found: found._expire(),
            self.env._("Expiry of referrals"),
        )

    def _expire(self):
        referrals = self._lock_for_update().filtered(lambda r: r.state == "pending")
        referrals.sudo().write({"state": "expired"})

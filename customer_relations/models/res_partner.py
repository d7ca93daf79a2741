from odoo import api, fields, models, tools
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.osv import expression
from odoo.tools import SQL

from .batch import process_isolated
from .customer_reliability_result import GRADES
from .customer_tier_ranking import RANKING_FIELDS

GROUP_ALL_ACCOUNTS = "customer_relations.group_customer_relations_user_all"
GROUP_MANAGER = "customer_relations.group_customer_relations_manager"
# What an administrator chooses by hand on an account (on its ranking row):
# the daily ranking sets them otherwise.
TIER_MANUAL_FIELDS = (
    "customer_tier_id",
    "customer_tier_locked",
    "customer_tier_lock_reason",
    "next_review_date",
)
# Money and internal judgement on accounts: for Sales users (and so every
# Customer Relations user), as `account` restricts a partner's credit.
SALES_GROUPS = "sales_team.group_sale_salesman"
TIER_CRON_CURSOR = "customer_relations.tier_recompute_last_id"
# Accounts per ranking batch. A batch is one set-based statement; 25,000
# accounts take about a second on two cores.
TIER_BATCH_SIZE = 25000
RELIABILITY_CRON_CURSOR = "customer_relations.reliability_check_last_id"
SEGMENT_CRON_CURSOR = "customer_relations.segment_recompute_last_id"
# Accounts per segment batch: one statement per company for the whole batch,
# whose cost is mostly the sets the rules read (accounts of a tier, of a
# tag…), built once per statement: large batches share them.
SEGMENT_BATCH_SIZE = 100000
# What an administrator chooses by hand: the recompute sets the segment
# otherwise.
SEGMENT_MANUAL_FIELDS = (
    "customer_segment_id",
    "customer_segment_locked",
    "customer_segment_lock_reason",
)
GROUP_USER = "customer_relations.group_customer_relations_user"
# Accounts per reliability batch: one set-based statement each.
RELIABILITY_BATCH_SIZE = 25000


def _ranking_search(fname):
    """The search method of a partner field kept on the tier ranking."""

    def search(self, operator, value):
        return self._search_tier_ranking(fname, operator, value)

    return search


class ResPartner(models.Model):
    _name = "res.partner"
    _inherit = ["res.partner", "customer.objection.mixin"]
    _objection_link = "commercial_partner_id"

    # Contacts show their company's: computed from the parent (in one batch
    # for all the contacts of the accounts written), not copied to each
    # contact by a write of its own as Odoo's commercial fields are.
    key_account_manager_id = fields.Many2one(
        "res.users",
        compute="_compute_key_account_manager_id",
        store=True,
        readonly=False,
        precompute=True,
        recursive=True,
        tracking=True,
        index="btree_not_null",
        copy=False,
        domain=[("share", "=", False)],
        help="Internal user who owns the relationship with this account. Contacts "
        "follow the key account manager of their company. When an account has no "
        "key account manager, its salesperson looks after it.",
    )
    is_customer_account = fields.Boolean(
        string="Customer Account",
        compute="_compute_is_customer_account",
        search="_search_is_customer_account",
        help="A commercial entity (a company, or an individual without company) "
        "that is a customer or that someone looks after: it has a key account "
        "manager or a salesperson.",
    )
    is_my_account = fields.Boolean(
        string="My Account",
        compute="_compute_is_my_account",
        search="_search_is_my_account",
        help="The account is yours when you are its key account manager or, when it "
        "has none, its salesperson. Contacts are decided on their company.",
    )
    can_edit_key_account_manager = fields.Boolean(
        compute="_compute_can_edit_key_account_manager",
    )
    # Referrals, read on the commercial entity
    customer_referral_count = fields.Integer(
        string="Referrals Made",
        compute="_compute_customer_referrals",
        groups="customer_relations.group_customer_relations_user",
        help="New customers this account recommended.",
    )
    referred_by_referral_id = fields.Many2one(
        "customer.referral",
        string="Referral of this Customer",
        compute="_compute_customer_referrals",
        groups="customer_relations.group_customer_relations_user",
        help="The referral, not rejected nor expired, through which this account "
        "was recommended.",
    )
    referred_by_id = fields.Many2one(
        "res.partner",
        compute="_compute_customer_referrals",
        groups="customer_relations.group_customer_relations_user",
        help="The customer who recommended this account.",
    )

    # Key-account tier and the figures it is ranked on, per company: stored on
    # the account's narrow customer.tier.ranking row, read, searched, grouped
    # and sorted through it (see _field_to_sql); contacts show their company's.
    customer_tier_ranking_ids = fields.One2many(
        "customer.tier.ranking",
        "partner_id",
        string="Tier Rankings",
        groups="customer_relations.group_customer_relations_user",
        help="The account's tier and figures in each company.",
    )
    customer_tier_id = fields.Many2one(
        "customer.tier",
        compute="_compute_tier_ranking",
        inverse="_inverse_tier_ranking",
        search=_ranking_search("customer_tier_id"),
        tracking=True,
        group_expand="_read_group_customer_tier_ids",
        domain="[('company_id', 'in', [current_company_id, False])]",
        help="Key-account tier of this customer in the current company, ranked "
        "every day from its revenue and orders of the last 365 days.",
    )
    customer_tier_locked = fields.Boolean(
        groups=SALES_GROUPS,
        string="Tier Locked",
        compute="_compute_tier_ranking",
        inverse="_inverse_tier_ranking",
        search=_ranking_search("customer_tier_locked"),
        help="The tier was chosen by hand: the automatic ranking leaves it alone.",
    )
    customer_tier_lock_reason = fields.Char(
        groups=SALES_GROUPS,
        string="Lock Reason",
        compute="_compute_tier_ranking",
        inverse="_inverse_tier_ranking",
        search=_ranking_search("customer_tier_lock_reason"),
        help="Why the tier was chosen by hand.",
    )
    next_review_date = fields.Date(
        groups=SALES_GROUPS,
        string="Next Review",
        compute="_compute_tier_ranking",
        inverse="_inverse_tier_ranking",
        search=_ranking_search("next_review_date"),
        help="When the account is next reviewed. A downgrade to a lower tier "
        "waits until this date.",
    )
    annual_revenue = fields.Float(
        groups=SALES_GROUPS,
        compute="_compute_tier_ranking",
        search=_ranking_search("annual_revenue"),
        digits="Product Price",
        help="Untaxed amount of the confirmed sale orders of this customer and its "
        "contacts over the last 365 days, in the company's currency.",
    )
    annual_order_count = fields.Integer(
        groups=SALES_GROUPS,
        string="Orders (12 months)",
        compute="_compute_tier_ranking",
        search=_ranking_search("annual_order_count"),
        help="Confirmed sale orders of this customer and its contacts over the "
        "last 365 days.",
    )
    year_revenue = fields.Float(
        groups=SALES_GROUPS,
        string="Revenue This Year",
        compute="_compute_tier_ranking",
        search=_ranking_search("year_revenue"),
        digits="Product Price",
        help="Untaxed amount of the confirmed sale orders of this calendar year, "
        "in the company's currency: the base of the year-end bonus.",
    )
    last_order_date = fields.Date(
        groups=SALES_GROUPS,
        string="Last Order",
        compute="_compute_tier_ranking",
        search=_ranking_search("last_order_date"),
        help="Date of the customer's latest confirmed sale order.",
    )
    customer_segment_id = fields.Many2one(
        "customer.segment",
        string="Market Segment",
        groups=GROUP_USER,
        compute="_compute_tier_ranking",
        inverse="_inverse_segment_ranking",
        search=_ranking_search("customer_segment_id"),
        tracking=True,
        group_expand="_read_group_customer_segment_ids",
        domain="[('company_id', 'in', [current_company_id, False])]",
        help="Market segment of this customer in the current company: the first "
        "segment whose rule it matches, recomputed every night, unless an "
        "administrator pinned it.",
    )
    customer_segment_locked = fields.Boolean(
        groups=SALES_GROUPS,
        string="Segment Pinned",
        compute="_compute_tier_ranking",
        inverse="_inverse_segment_ranking",
        search=_ranking_search("customer_segment_locked"),
        help="The segment was chosen by hand: the recompute leaves it alone.",
    )
    customer_segment_lock_reason = fields.Char(
        groups=SALES_GROUPS,
        string="Pin Reason",
        compute="_compute_tier_ranking",
        inverse="_inverse_segment_ranking",
        search=_ranking_search("customer_segment_lock_reason"),
        help="Why the segment was chosen by hand.",
    )
    customer_bonus_rate = fields.Float(
        groups=SALES_GROUPS,
        related="customer_tier_id.bonus_rate",
        string="Bonus Rate (%)",
    )
    customer_bonus_accrued = fields.Float(
        groups=SALES_GROUPS,
        string="Bonus Accrued",
        compute="_compute_customer_bonus_accrued",
        digits="Product Price",
        help="Year-end bonus accrued so far this year: the tier's bonus rate "
        "applied to this calendar year's revenue, in the company's currency.",
    )
    customer_tier_history_ids = fields.One2many(
        "customer.tier.history",
        "partner_id",
        string="Tier History",
        groups=SALES_GROUPS,
    )
    customer_tier_to_review = fields.Boolean(
        groups=SALES_GROUPS,
        string="To Review",
        compute="_compute_customer_tier_to_review",
        search="_search_customer_tier_to_review",
        help="The account's review date has passed.",
    )
    company_currency_id = fields.Many2one(
        "res.currency",
        compute="_compute_company_currency_id",
    )

    @api.depends("is_company", "parent_id.key_account_manager_id")
    def _compute_key_account_manager_id(self):
        for partner in self:
            if partner.parent_id and not partner.is_company:
                partner.key_account_manager_id = (
                    partner.parent_id.key_account_manager_id
                )
            else:
                partner.key_account_manager_id = partner.key_account_manager_id

    @api.depends(
        "is_company", "parent_id", "customer_rank", "key_account_manager_id", "user_id"
    )
    def _compute_is_customer_account(self):
        for partner in self:
            partner.is_customer_account = bool(
                (partner.is_company or not partner.parent_id)
                and (
                    partner.customer_rank > 0
                    or partner.key_account_manager_id
                    or partner.user_id
                )
            )

    def _search_is_customer_account(self, operator, value):
        domain = [
            "|",
            ("is_company", "=", True),
            ("parent_id", "=", False),
            "|",
            "|",
            ("customer_rank", ">", 0),
            ("key_account_manager_id", "!=", False),
            ("user_id", "!=", False),
        ]
        return self._boolean_search_domain(domain, operator, value)

    @api.depends_context("uid")
    @api.depends(
        "commercial_partner_id.key_account_manager_id",
        "commercial_partner_id.user_id",
    )
    def _compute_is_my_account(self):
        user = self.env.user
        for partner in self:
            partner.is_my_account = partner._get_account_manager() == user

    def _get_account_manager(self):
        """Who looks after the account: its key account manager, else its
        salesperson, decided on the commercial entity. The one rule of "mine"
        for every model of the addon (their stored account managers and record
        rules, ``is_my_account``). Nobody for no partner."""
        if not self:
            return self.env["res.users"]
        self.ensure_one()
        account = self.commercial_partner_id
        return account.key_account_manager_id or account.user_id

    def _search_is_my_account(self, operator, value):
        uid = self.env.uid
        domain = [
            "|",
            ("commercial_partner_id.key_account_manager_id", "=", uid),
            "&",
            ("commercial_partner_id.key_account_manager_id", "=", False),
            ("commercial_partner_id.user_id", "=", uid),
        ]
        return self._boolean_search_domain(domain, operator, value)

    @api.depends_context("uid")
    def _compute_can_edit_key_account_manager(self):
        self.can_edit_key_account_manager = (
            self._can_set_key_account_manager() and self.browse().has_access("write")
        )

    @api.model
    def _read_group_customer_tier_ids(self, tiers, domain):
        """Every tier of the company is a column of the Key Accounts kanban."""
        return tiers.search([("company_id", "in", [self.env.company.id, False])])

    @api.depends_context("company")
    @api.depends("year_revenue", "customer_tier_id.bonus_rate")
    def _compute_customer_bonus_accrued(self):
        for partner in self:
            partner.customer_bonus_accrued = (
                partner.year_revenue * partner.customer_tier_id.bonus_rate / 100.0
            )

    @api.depends_context("company")
    @api.depends("next_review_date")
    def _compute_customer_tier_to_review(self):
        today = fields.Date.context_today(self)
        for partner in self:
            partner.customer_tier_to_review = bool(
                partner.next_review_date and partner.next_review_date <= today
            )

    def _search_customer_tier_to_review(self, operator, value):
        today = fields.Date.context_today(self)
        domain = [("next_review_date", "!=", False), ("next_review_date", "<=", today)]
        return self._boolean_search_domain(domain, operator, value)

    @api.depends_context("company")
    def _compute_company_currency_id(self):
        self.company_currency_id = self.env.company.currency_id

    @api.depends_context("company")
    @api.depends(
        "commercial_partner_id",
        *(
            f"commercial_partner_id.customer_tier_ranking_ids.{column}"
            for column in RANKING_FIELDS.values()
        ),
    )
    def _compute_tier_ranking(self):
        """The account's ranking in the current company, one query for all."""
        Ranking = self.env["customer.tier.ranking"].sudo()
        rankings = Ranking.search_fetch(
            [
                ("partner_id", "in", self.commercial_partner_id._origin.ids),
                ("company_id", "=", self.env.company.id),
            ],
            ["partner_id", *RANKING_FIELDS.values()],
        )
        by_account = {ranking.partner_id.id: ranking for ranking in rankings}
        for partner in self:
            ranking = by_account.get(
                partner.commercial_partner_id._origin.id, Ranking.browse()
            )
            for fname, column in RANKING_FIELDS.items():
                partner[fname] = ranking[column]

    def _inverse_tier_ranking(self):
        """Keep what was set by hand (tier, lock, reason, review date) on the
        account's ranking in the current company. ``write`` reads these fields
        first, so that those not written keep their values."""
        self._write_ranking(
            lambda partner: {
                "tier_id": partner.customer_tier_id.id,
                "locked": partner.customer_tier_locked,
                "lock_reason": partner.customer_tier_lock_reason,
                "next_review_date": partner.next_review_date,
            }
        )

    def _inverse_segment_ranking(self):
        """Keep the segment chosen by hand (segment, pin, reason) on the
        account's ranking in the current company."""
        self._write_ranking(
            lambda partner: {
                "segment_id": partner.customer_segment_id.id,
                "segment_locked": partner.customer_segment_locked,
                "segment_lock_reason": partner.customer_segment_lock_reason,
            }
        )

    def _write_ranking(self, values_of):
        """Write ``values_of(partner)`` on each partner's account's ranking in
        the current company, creating the rows missing."""
        Ranking = self.env["customer.tier.ranking"].sudo()
        company = self.env.company
        rankings = Ranking.search(
            [
                ("partner_id", "in", self.commercial_partner_id.ids),
                ("company_id", "=", company.id),
            ]
        )
        by_account = {ranking.partner_id: ranking for ranking in rankings}
        for partner in self:
            values = values_of(partner)
            account = partner.commercial_partner_id
            if account in by_account:
                by_account[account].write(values)
            else:
                by_account[account] = Ranking.create(
                    {"partner_id": account.id, "company_id": company.id, **values}
                )

    @api.model
    def _read_group_customer_segment_ids(self, segments, domain):
        """Every segment of the company is a column when grouped by segment."""
        return segments.search([("company_id", "in", [self.env.company.id, False])])

    def _search_tier_ranking(self, fname, operator, value):
        """Partners whose account's ranking in the current company matches.

        An account without a ranking row has the fields' empty values (no
        tier, 0 revenue…): it matches when the empty value does.
        """
        # the search runs as superuser: check the field's groups first, or
        # searching with thresholds would tell the figures
        self.check_field_access_rights("read", [fname])
        column = RANKING_FIELDS[fname]
        Ranking = self.env["customer.tier.ranking"].sudo()
        company = [("company_id", "=", self.env.company.id)]

        def accounts(ranking_domain):
            # the accounts of the matching rows, read on the ranking table
            # alone (no scan of the partners)
            query = Ranking._search(ranking_domain)
            return query.subselect(SQL.identifier(query.table, "partner_id"))

        domain = [
            (
                "commercial_partner_id",
                "in",
                accounts([*company, (column, operator, value)]),
            )
        ]
        if Ranking.new({}).filtered_domain([(column, operator, value)]):
            domain = expression.OR(
                [domain, [("commercial_partner_id", "not in", accounts(company))]]
            )
        return domain

    def _field_to_sql(self, alias, fname, query=None, flush=True):
        """Group, sort and sum the ranking's fields in SQL: join the account's
        ranking row of the current company."""
        column = RANKING_FIELDS.get(fname)
        if column is None or query is None:
            return super()._field_to_sql(alias, fname, query, flush)
        self.check_field_access_rights("read", [fname])
        Ranking = self.env["customer.tier.ranking"]
        ranking_alias = query.make_alias(alias, "customer_tier_ranking")
        query.add_join(
            "LEFT JOIN",
            ranking_alias,
            Ranking._table,
            SQL(
                "%s = %s AND %s = %s",
                SQL.identifier(ranking_alias, "partner_id"),
                super()._field_to_sql(alias, "commercial_partner_id", query, flush),
                SQL.identifier(ranking_alias, "company_id"),
                self.env.company.id,
            ),
        )
        field = Ranking._fields[column]
        sql = SQL.identifier(ranking_alias, column, to_flush=field if flush else None)
        if field.type == "boolean":
            return SQL("COALESCE(%s, FALSE)", sql)
        if field.type in ("integer", "float"):
            return SQL("COALESCE(%s, 0)", sql)
        return sql

    def _raise_missing_segment_lock_reason(self):
        raise ValidationError(
            self.env._(
                "The segment of %(partner)s is pinned: give the reason why it was "
                "chosen by hand.",
                partner=self.display_name,
            )
        )

    def _raise_missing_lock_reason(self):
        raise ValidationError(
            self.env._(
                "The tier of %(partner)s is locked: give the reason why it was "
                "chosen by hand.",
                partner=self.display_name,
            )
        )

    @api.model_create_multi
    def create(self, vals_list):
        if any(vals.get("key_account_manager_id") for vals in vals_list):
            self._check_can_set_key_account_manager()
        if self.env.su:
            return super().create(vals_list)
        # a tier chosen by hand, in the values or in the context's defaults
        defaults = {
            fname: self.env.context[f"default_{fname}"]
            for fname in TIER_MANUAL_FIELDS
            if self.env.context.get(f"default_{fname}")
        }
        manual = [
            any(vals.get(fname, defaults.get(fname)) for fname in TIER_MANUAL_FIELDS)
            for vals in vals_list
        ]
        if any(manual):
            self._check_can_choose_tier()
            for vals in vals_list:
                values = {**defaults, **vals}
                if values.get("customer_tier_id") and not values.get(
                    "customer_tier_locked"
                ):
                    raise UserError(
                        self.env._(
                            "A tier chosen by hand must be locked, with the reason, "
                            "so that the daily ranking leaves it alone "
                            "(%(partner)s).",
                            partner=vals.get("name") or "",
                        )
                    )
        if any(
            vals.get(fname) or self.env.context.get(f"default_{fname}")
            for vals in vals_list
            for fname in SEGMENT_MANUAL_FIELDS
        ):
            self._check_can_pin_segment()
        partners = super().create(vals_list)
        if any(vals.get("reliability_manual_flag_ids") for vals in vals_list):
            partners._reliability_recompute()
        if any(manual):
            chosen = self.browse().union(
                *(
                    partner
                    for partner, is_manual in zip(partners, manual, strict=True)
                    if is_manual
                )
            )
            chosen._log_manual_tier_change(
                {
                    partner.commercial_partner_id: (
                        self.env["customer.tier"],
                        partner.customer_tier_id,
                    )
                    for partner in chosen
                }
            )
        return partners

    def write(self, vals):
        if not vals:
            # Odoo's sync of commercial fields writes nothing to the contacts
            # when none of them changed: skip the chain (and its tracking,
            # which would read each contact's tier on its own)
            return True
        if "key_account_manager_id" in vals:
            manager_id = vals["key_account_manager_id"] or False
            if any(p.key_account_manager_id.id != manager_id for p in self):
                self._check_can_set_key_account_manager()
        tier_change = None
        if any(fname in vals for fname in RANKING_FIELDS):
            # Read the ranking's fields before writing: they are inversed
            # together, and a field being written reads as empty until then.
            self.mapped("customer_tier_id")
            if not self.env.su:
                tier_change = self._prepare_manual_tier_change(vals)
                self._check_manual_segment_change(vals)
        res = super().write(vals)
        if tier_change:
            self._log_manual_tier_change(tier_change)
        if "reliability_manual_flag_ids" in vals:
            self._reliability_recompute()
        return res

    def _check_can_choose_tier(self):
        """Only Customer Relations administrators choose tiers by hand."""
        if not self.env.user.has_group(GROUP_MANAGER):
            raise AccessError(
                self.env._(
                    "Only Customer Relations administrators may choose or lock the "
                    "tier of a customer."
                )
            )

    def _check_can_pin_segment(self):
        """Only Customer Relations administrators choose segments by hand."""
        if not self.env.user.has_group(GROUP_MANAGER):
            raise AccessError(
                self.env._(
                    "Only Customer Relations administrators may choose or pin the "
                    "segment of a customer."
                )
            )

    def _check_manual_segment_change(self, vals):
        """A segment chosen by hand (segment, pin or reason): administrators
        only, and pinned with a reason so that the recompute leaves it."""
        fnames = [fname for fname in SEGMENT_MANUAL_FIELDS if fname in vals]
        changed = self.filtered(
            lambda partner: any(
                self._fields[fname].convert_to_cache(vals[fname], partner, False)
                != self._fields[fname].convert_to_cache(partner[fname], partner)
                for fname in fnames
            )
        )
        if not changed:
            return
        self._check_can_pin_segment()
        if "customer_segment_id" not in vals:
            return
        for partner in changed:
            if not vals.get("customer_segment_locked", partner.customer_segment_locked):
                raise UserError(
                    self.env._(
                        "A segment chosen by hand must be pinned, with the reason, "
                        "so that the recompute leaves it alone (%(partner)s).",
                        partner=partner.display_name,
                    )
                )

    def _prepare_manual_tier_change(self, vals):
        """Check a tier chosen by hand (tier, lock, reason or review date);
        return ``{account: (old tier, new tier)}`` of the accounts it changes,
        whose history rows are written once the change is saved.

        Only Customer Relations administrators choose tiers by hand, on the
        account or through one of its contacts, and a tier chosen by hand is
        locked with a reason, so that the daily ranking leaves it alone. (The
        daily ranking itself runs as superuser.)
        """
        fnames = [fname for fname in TIER_MANUAL_FIELDS if fname in vals]
        changed = self.filtered(
            lambda partner: any(
                self._fields[fname].convert_to_cache(vals[fname], partner, False)
                != self._fields[fname].convert_to_cache(partner[fname], partner)
                for fname in fnames
            )
        )
        if not changed:
            return {}
        self._check_can_choose_tier()
        new_tier = (
            self.env["customer.tier"].browse(vals["customer_tier_id"] or [])
            if "customer_tier_id" in vals
            else None
        )
        for partner in changed:
            tier = partner.customer_tier_id if new_tier is None else new_tier
            if tier == partner.customer_tier_id and "customer_tier_id" not in vals:
                continue
            if not vals.get("customer_tier_locked", partner.customer_tier_locked):
                raise UserError(
                    self.env._(
                        "A tier chosen by hand must be locked, with the reason, so "
                        "that the daily ranking leaves it alone (%(partner)s).",
                        partner=partner.display_name,
                    )
                )
            reason = vals.get(
                "customer_tier_lock_reason", partner.customer_tier_lock_reason
            )
            if not (reason or "").strip():
                partner._raise_missing_lock_reason()
        return {
            partner.commercial_partner_id: (
                partner.customer_tier_id,
                partner.customer_tier_id if new_tier is None else new_tier,
            )
            for partner in changed
        }

    def _log_manual_tier_change(self, changes):
        """One history row per account whose tier, lock, reason or review
        date was chosen by hand: ``changes`` maps it to (old, new) tier."""
        self.env["customer.tier.history"].sudo().create(
            [
                {
                    "partner_id": account.id,
                    "company_id": self.env.company.id,
                    "old_tier_id": old_tier.id,
                    "new_tier_id": new_tier.id,
                    "annual_revenue": account.annual_revenue,
                    "annual_order_count": account.annual_order_count,
                    "automatic": False,
                    "user_id": self.env.uid,
                    "reason": account.customer_tier_lock_reason,
                }
                for account, (old_tier, new_tier) in changes.items()
            ]
        )

    @api.model
    def _cron_customer_tier_recompute(
        self, batch_size=TIER_BATCH_SIZE, all_batches=False
    ):
        """Rank customers into tiers, one batch of accounts per call.

        The cron reports its progress the 18.0 way: while accounts remain, it is
        called again (each batch in its own transaction), so users keep working
        meanwhile. ``all_batches`` ranks everything in one call ("Recompute now").
        """
        Tier = self.env["customer.tier"].sudo()
        while True:
            remaining = self._process_account_batch(
                TIER_CRON_CURSOR,
                batch_size,
                lambda accounts: Tier._recompute_accounts(accounts.ids),
                self.env._("Ranking into tiers"),
            )
            if not (all_batches and remaining):
                return remaining

    @api.model
    def _cron_customer_segment_recompute(
        self, batch_size=SEGMENT_BATCH_SIZE, all_batches=False
    ):
        """Put accounts into their market segment, one batch per call (the
        cron is called again while accounts remain); ``all_batches`` does all
        of them in one call ("Recompute Now")."""
        Segment = self.env["customer.segment"].sudo()
        while True:
            remaining = self._process_account_batch(
                SEGMENT_CRON_CURSOR,
                batch_size,
                lambda accounts: Segment._recompute_accounts(accounts.ids),
                self.env._("Market segments"),
            )
            if not (all_batches and remaining):
                return remaining

    @api.model
    def _process_account_batch(self, cursor_key, batch_size, process, label):
        """One batch of a cron over all accounts (commercial entities, by id
        from the cursor kept in the system parameter ``cursor_key``): runs
        ``process`` on the batch (an account it fails on is logged and
        skipped), moves the cursor (back to the start after the last batch),
        reports the progress to the cron and returns how many accounts remain.
        """
        params = self.env["ir.config_parameter"].sudo()
        self.flush_model(["commercial_partner_id"])
        last_id = int(params.get_param(cursor_key, 0) or 0)
        account_ids = [
            row[0]
            for row in self.env.execute_query(
                self.env["customer.tier"].sudo()._account_ids_query(last_id, batch_size)
            )
        ]
        process_isolated(self.sudo().browse(account_ids), process, label)
        remaining = 0
        if account_ids:
            remaining = self.env.execute_query(
                SQL(
                    "SELECT count(*) FROM res_partner "
                    "WHERE id = commercial_partner_id AND id > %s",
                    account_ids[-1],
                )
            )[0][0]
        params.set_param(cursor_key, account_ids[-1] if remaining else 0)
        self.env["ir.cron"]._notify_progress(done=len(account_ids), remaining=remaining)
        return remaining

    def action_customer_tier_recompute(self):
        """Rank these accounts now (administrators)."""
        self.check_access("read")
        if not self.env.user.has_group(GROUP_MANAGER):
            raise AccessError(
                self.env._("Only Customer Relations administrators may rank customers.")
            )
        self.env["customer.tier"].sudo()._recompute_accounts(
            self.commercial_partner_id.ids
        )
        return True

    @api.readonly
    def action_customer_tier_set(self):
        """Open the dialog that sets a tier by hand, with its reason."""
        self.ensure_one()
        self.check_access("read")
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Set Tier"),
            "res_model": "customer.tier.assign",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_partner_id": self.commercial_partner_id.id,
                "default_tier_id": self.env.context.get("default_tier_id")
                or self.customer_tier_id.id,
            },
        }

    @api.readonly
    def action_customer_segment_set(self):
        """Open the dialog that pins the account to a segment, with its
        reason."""
        self.ensure_one()
        self.check_access("read")
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Pin to Segment"),
            "res_model": "customer.segment.assign",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_partner_id": self.commercial_partner_id.id,
                "default_segment_id": self.sudo().customer_segment_id.id,
            },
        }

    # ------------------------------------------------------------------
    # Promotions
    # ------------------------------------------------------------------

    @api.readonly
    def action_send_customer_promotion(self):
        """Send a promotion to the contacts of the selected accounts."""
        self.check_access("read")
        if not self.env.user.has_group(GROUP_USER):
            raise AccessError(
                self.env._("Only Customer Relations users may send promotions.")
            )
        return self._action_customer_promotion(
            [("commercial_partner_id", "in", self.commercial_partner_id.ids)]
        )

    @api.model
    def _action_customer_promotion(self, accounts_domain, segment=None):
        """Odoo's mail composer in mass mode on the contacts matching
        ``accounts_domain`` that have an email and did not opt out, with the
        "New product" template; the number of contacts skipped because they
        opted out is told first."""
        contacts = expression.AND(
            [accounts_domain, [("email_normalized", "!=", False)]]
        )
        domain = expression.AND([contacts, [("is_blacklisted", "=", False)]])
        skipped = self.search_count(
            expression.AND([contacts, [("is_blacklisted", "=", True)]])
        )
        template = self.env.ref(
            "customer_relations.mail_template_customer_promotion_new_product",
            raise_if_not_found=False,
        )
        action = {
            "type": "ir.actions.act_window",
            "name": self.env._("Send a Promotion"),
            "res_model": "mail.compose.message",
            "view_mode": "form",
            "views": [[False, "form"]],
            "target": "new",
            "context": {
                "default_composition_mode": "mass_mail",
                "default_model": "res.partner",
                "default_res_domain": repr(domain),
                "default_template_id": template.id if template else False,
                "default_force_send": False,
                "default_customer_promotion": True,
                "default_customer_segment_id": segment.id if segment else False,
                "default_use_exclusion_list": True,
            },
        }
        if not skipped:
            return action
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "warning",
                "sticky": False,
                "message": self.env._(
                    "%(count)s contacts opted out of promotions: they are skipped.",
                    count=skipped,
                ),
                "next": action,
            },
        }

    def _customer_promotion_optout_token(self):
        self.ensure_one()
        return tools.hmac(
            self.env(su=True),
            "customer_relations-promotion-optout",
            (self.id, self.email_normalized or ""),
        )

    def _customer_promotion_optout_url(self):
        """The signed link by which this contact stops receiving promotions
        (its address is put on Odoo's blacklist)."""
        self.ensure_one()
        return (
            f"{self.get_base_url()}/customer_relations/optout/"
            f"{self.id}/{self._customer_promotion_optout_token()}"
        )

    def _customer_promotion_optout_footer(self):
        """The opt-out paragraph added to every promotion to this contact."""
        self.ensure_one()
        return self.env["mail.compose.message"]._customer_promotion_footer_html(
            self._customer_promotion_optout_url(),
            self.env._("You receive our news as a customer."),
            self.env._("Unsubscribe from promotions"),
        )

    @api.model
    def _boolean_search_domain(self, domain, operator, value):
        """Return ``domain`` or its negation for a search on a boolean field."""
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Operation not supported"))
        if (operator == "=") == value:
            return domain
        return ["!", *expression.normalize_domain(domain)]

    @api.model
    def _can_set_key_account_manager(self):
        return self.env.su or self.env.user.has_group(GROUP_ALL_ACCOUNTS)

    @api.model
    def _check_can_set_key_account_manager(self):
        """Only users who see all accounts may assign key account managers.

        The synchronisation of commercial fields from a company to its contacts runs
        as superuser, so contacts always follow their company.
        """
        if not self._can_set_key_account_manager():
            raise AccessError(
                self.env._(
                    "You may not change the key account manager of an account: this "
                    "needs the access right “%(group)s”.",
                    group=self.env.ref(GROUP_ALL_ACCOUNTS).sudo().full_name,
                )
            )

    # ------------------------------------------------------------------
    # Objections
    # ------------------------------------------------------------------

    def _objection_link_ids(self):
        """Objections belong to the account: a contact shows its company's."""
        return {partner: partner.commercial_partner_id.id for partner in self}

    def _objection_default_context(self):
        return {"default_partner_id": self.id, "search_default_open": 1}

    # ------------------------------------------------------------------
    # Referrals
    # ------------------------------------------------------------------

    @api.depends_context("company", "uid")
    def _compute_customer_referrals(self):
        Referral = self.env["customer.referral"]
        accounts = self.commercial_partner_id
        made = Referral._read_group(
            [("referrer_id", "in", accounts.ids)], ["referrer_id"], ["__count"]
        )
        made_counts = {account.id: count for account, count in made}
        referred = Referral.search(
            [
                ("referred_id", "in", accounts.ids),
                ("state", "not in", ("rejected", "expired")),
                ("company_id", "=", self.env.company.id),
            ]
        )
        referral_by_account = {
            referral.referred_id.id: referral for referral in referred
        }
        for partner in self:
            account = partner.commercial_partner_id
            referral = referral_by_account.get(account.id, Referral)
            partner.customer_referral_count = made_counts.get(account.id, 0)
            partner.referred_by_referral_id = referral
            partner.referred_by_id = referral.referrer_id

    @api.readonly
    def action_view_customer_referrals(self):
        self.ensure_one()
        self.check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "customer_relations.customer_referral_action"
        )
        action["domain"] = [("referrer_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"default_referrer_id": self.commercial_partner_id.id}
        return action

    @api.readonly
    def action_view_referred_by_referral(self):
        self.ensure_one()
        self.check_access("read")
        return {
            "type": "ir.actions.act_window",
            "res_model": "customer.referral",
            "res_id": self.referred_by_referral_id.id,
            "view_mode": "form",
        }

    @api.readonly
    def action_register_customer_referral(self):
        """This account recommends a new customer."""
        self.ensure_one()
        self.check_access("read")
        self.env["customer.referral"].check_access("create")
        return self.env["customer.referral.register"]._action_open(
            referrer=self.commercial_partner_id
        )

    @api.readonly
    def action_register_referred_by(self):
        """This account is a new customer: register who recommended it."""
        self.ensure_one()
        self.check_access("read")
        self.env["customer.referral"].check_access("create")
        return self.env["customer.referral.register"]._action_open(
            referred=self.commercial_partner_id
        )

    # ------------------------------------------------------------------
    # Support plans
    # ------------------------------------------------------------------

    support_plan_count = fields.Integer(
        string="Follow-ups",
        compute="_compute_support_plan_count",
        groups="customer_relations.group_customer_relations_user",
        help="Support plans of the account in progress.",
    )

    def _compute_support_plan_count(self):
        Plan = self.env["customer.support.plan"]
        counts = {}
        accounts = self.commercial_partner_id
        if accounts.ids and Plan.has_access("read"):
            counts = dict(
                Plan._read_group(
                    [
                        ("partner_id", "in", accounts.ids),
                        ("state", "=", "in_progress"),
                    ],
                    ["partner_id"],
                    ["__count"],
                )
            )
        for partner in self:
            partner.support_plan_count = counts.get(partner.commercial_partner_id, 0)

    @api.readonly
    def action_view_support_plans(self):
        self.ensure_one()
        self.check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "customer_relations.customer_support_plan_action"
        )
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"search_default_in_progress": 1}
        return action

    # ------------------------------------------------------------------
    # Reliability
    # ------------------------------------------------------------------

    # Ticked on the account; the score, the grade and the flags found are the
    # account's in the current company (its customer.reliability.result row).
    reliability_manual_flag_ids = fields.Many2many(
        "customer.reliability.flag",
        "customer_reliability_flag_res_partner_rel",
        "res_partner_id",
        "customer_reliability_flag_id",
        string="Red Flags Ticked",
        domain=[("kind", "=", "manual")],
        # a judgement of this account, not of its duplicate (and Odoo's own
        # duplication by a user without Sales must not read it)
        copy=False,
        groups=SALES_GROUPS,
        help="Red flags you noticed on this account yourself.",
    )
    reliability_score = fields.Integer(
        compute="_compute_reliability",
        groups=SALES_GROUPS,
        help="100 points less the weight of each red flag of the account.",
    )
    reliability_grade = fields.Selection(
        GRADES,
        string="Reliability",
        compute="_compute_reliability",
        search="_search_reliability_grade",
        groups=SALES_GROUPS,
        help="Reliable, to watch or risky, from the score and the thresholds of the "
        "Settings.",
    )
    reliability_flag_ids = fields.Many2many(
        "customer.reliability.flag",
        string="Red Flags",
        compute="_compute_reliability",
        groups=SALES_GROUPS,
        help="The red flags that made the score: found by the daily check and "
        "ticked by hand.",
    )
    reliability_line_ids = fields.One2many(
        "customer.reliability.line",
        string="Red Flags Found",
        compute="_compute_reliability",
        groups=SALES_GROUPS,
    )
    reliability_history_ids = fields.One2many(
        "customer.reliability.history",
        "partner_id",
        groups=SALES_GROUPS,
    )

    # Read from the account's rows at each read, as the tier ranking's: no
    # dependency that could invalidate the values while they are computed.
    @api.depends_context("company")
    def _compute_reliability(self):
        """The account's reliability in the current company, one query each
        for the rows and their lines."""
        company = self.env.company
        accounts = self.commercial_partner_id._origin
        domain = [("partner_id", "in", accounts.ids), ("company_id", "=", company.id)]
        results = {
            result.partner_id.id: result
            for result in self.env["customer.reliability.result"]
            .sudo()
            .search_fetch(domain, ["partner_id", "score", "grade"])
        }
        lines_by_account = (
            self.env["customer.reliability.line"]
            .sudo()
            .search_fetch(domain, ["partner_id", "flag_id"])
            .grouped("partner_id")
        )
        no_lines = self.env["customer.reliability.line"].sudo()
        for partner in self:
            account = partner.commercial_partner_id._origin
            result = results.get(account.id)
            own_lines = lines_by_account.get(account, no_lines)
            partner.reliability_score = result.score if result else 100
            partner.reliability_grade = result.grade if result else "reliable"
            partner.reliability_line_ids = own_lines.with_env(self.env)
            partner.reliability_flag_ids = (
                own_lines.flag_id | account.sudo().reliability_manual_flag_ids
            ).with_env(self.env)

    def _search_reliability_grade(self, operator, value):
        """Partners whose account has this grade in the current company; an
        account never checked is reliable."""
        if operator not in ("=", "!=", "in", "not in"):
            raise UserError(
                self.env._("The reliability can only be searched by its grade.")
            )
        # the search reads the results as superuser: check the field first
        self.check_field_access_rights("read", ["reliability_grade"])
        grades = [value] if isinstance(value, str | bool) else list(value)
        negative = operator in ("!=", "not in")
        Result = self.env["customer.reliability.result"].sudo()
        company = [("company_id", "=", self.env.company.id)]
        graded = Result._search([*company, ("grade", "in", grades)])
        domain = [("commercial_partner_id", "in", graded.subselect("partner_id"))]
        if "reliable" in grades:
            checked = Result._search(company)
            domain = expression.OR(
                [
                    domain,
                    [
                        (
                            "commercial_partner_id",
                            "not in",
                            checked.subselect("partner_id"),
                        )
                    ],
                ]
            )
        return ["!", *domain] if negative else domain

    def _reliability_recompute(self):
        self.env["customer.reliability.result"].sudo()._recompute_accounts(
            self.commercial_partner_id._origin.ids
        )

    @api.model
    def _cron_customer_reliability_check(self, batch_size=RELIABILITY_BATCH_SIZE):
        """Check the reliability of one batch of accounts per call; the cron
        is called again while accounts remain."""
        Result = self.env["customer.reliability.result"].sudo()
        return self._process_account_batch(
            RELIABILITY_CRON_CURSOR,
            batch_size,
            lambda accounts: Result._recompute_accounts(accounts.ids),
            self.env._("Reliability check"),
        )

    def action_reliability_check(self):
        """Check the reliability of these accounts now."""
        self.check_access("read")
        if not self.env.user.has_group(SALES_GROUPS):
            raise AccessError(
                self.env._("Only salespeople may check the reliability of customers.")
            )
        self._reliability_recompute()
        return True

    # ------------------------------------------------------------------
    # Account plans
    # ------------------------------------------------------------------

    customer_account_plan_id = fields.Many2one(
        "customer.account.plan",
        string="Current Account Plan",
        compute="_compute_customer_account_plan",
        groups="customer_relations.group_customer_relations_user",
        help="The account's plan whose period covers today, in the current company.",
    )
    customer_account_plan_review_date = fields.Date(
        string="Next Plan Review",
        compute="_compute_customer_account_plan",
        groups="customer_relations.group_customer_relations_user",
        help="When the current account plan is next reviewed.",
    )
    has_current_account_plan = fields.Boolean(
        string="Has an Account Plan",
        compute="_compute_has_current_account_plan",
        search="_search_has_current_account_plan",
        groups="customer_relations.group_customer_relations_user",
        help="The account has a plan whose period covers today, in the current "
        "company.",
    )

    def _current_account_plans(self, plan_model):
        """The current plans of the partners' accounts in the current company."""
        accounts = self.commercial_partner_id._origin
        if not accounts or not plan_model.has_access("read"):
            return plan_model.browse()
        return plan_model.search_fetch(
            [
                ("partner_id", "in", accounts.ids),
                ("company_id", "=", self.env.company.id),
                ("is_current", "=", True),
            ],
            ["partner_id", "next_review_date"],
        )

    @api.depends_context("company", "uid")
    @api.depends("commercial_partner_id")
    def _compute_customer_account_plan(self):
        # the plans the user may read
        plans = self._current_account_plans(self.env["customer.account.plan"])
        by_account = {plan.partner_id: plan for plan in plans}
        for partner in self:
            plan = by_account.get(partner.commercial_partner_id._origin, plans.browse())
            partner.customer_account_plan_id = plan
            partner.customer_account_plan_review_date = plan.next_review_date

    @api.depends_context("company")
    @api.depends("commercial_partner_id")
    def _compute_has_current_account_plan(self):
        # a fact of the account, whoever reads it
        plans = self._current_account_plans(self.env["customer.account.plan"].sudo())
        with_plan = set(plans.partner_id.ids)
        for partner in self:
            partner.has_current_account_plan = (
                partner.commercial_partner_id._origin.id in with_plan
            )

    def _search_has_current_account_plan(self, operator, value):
        self.check_field_access_rights("read", ["has_current_account_plan"])
        plans = (
            self.env["customer.account.plan"]
            .sudo()
            .search_fetch(
                [("company_id", "=", self.env.company.id), ("is_current", "=", True)],
                ["partner_id"],
            )
        )
        domain = [("commercial_partner_id", "in", plans.partner_id.ids)]
        return self._boolean_search_domain(domain, operator, value)

    @api.readonly
    def action_view_customer_account_plans(self):
        """The account's plans: its current one when it has one, else the list,
        ready to make one."""
        self.ensure_one()
        self.check_access("read")
        account = self.commercial_partner_id
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "customer_relations.customer_account_plan_action"
        )
        action["domain"] = [("partner_id", "=", account.id)]
        action["context"] = {"default_partner_id": account.id}
        plan = self.customer_account_plan_id
        if plan:
            action.update(res_id=plan.id, view_mode="form", views=[(False, "form")])
        return action

    # ------------------------------------------------------------------
    # Range: what the account buys of each product family
    # ------------------------------------------------------------------

    customer_range_coverage_ids = fields.One2many(
        "customer.range.coverage",
        string="Range",
        compute="_compute_customer_range",
        groups="customer_relations.group_customer_relations_user",
        help="What the account bought of each product family in the last 12 "
        "months, in the current company.",
    )
    customer_range_missing_count = fields.Integer(
        string="Missing Families",
        compute="_compute_customer_range",
        groups="customer_relations.group_customer_relations_user",
        help="Product families the account never bought, or not in the last 12 months.",
    )

    # Read from the account's rows at each read, as the tier ranking's.
    @api.depends_context("company")
    def _compute_customer_range(self):
        """The range of each partner's account in the current company, in one
        query for all the partners (as the user: the rows of accounts the user
        may not see stay hidden)."""
        accounts = self.commercial_partner_id._origin
        rows = self.env["customer.range.coverage"].search_fetch(
            [
                ("partner_id", "in", accounts.ids),
                ("company_id", "=", self.env.company.id),
            ],
            ["partner_id", "category_id", "revenue", "last_order_date", "is_missing"],
        )
        by_account = rows.grouped("partner_id")
        empty = rows.browse()
        for partner in self:
            own = by_account.get(partner.commercial_partner_id._origin, empty)
            partner.customer_range_coverage_ids = own
            partner.customer_range_missing_count = len(
                own.filtered(lambda row: row.is_missing)
            )

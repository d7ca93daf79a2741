from odoo import api, fields, models

# Partner fields kept on the account's customer.tier.ranking row, by column.
RANKING_FIELDS = {
    "customer_tier_id": "tier_id",
    "customer_tier_locked": "locked",
    "customer_tier_lock_reason": "lock_reason",
    "next_review_date": "next_review_date",
    "annual_revenue": "annual_revenue",
    "annual_order_count": "annual_order_count",
    "year_revenue": "year_revenue",
    "last_order_date": "last_order_date",
    "customer_segment_id": "segment_id",
    "customer_segment_locked": "segment_locked",
    "customer_segment_lock_reason": "segment_lock_reason",
}


class CustomerTierRanking(models.Model):
    """An account's standing in one company: its tier, the lock of a tier
    chosen by hand, and the figures the daily ranking decided on.

    One narrow row per commercial entity and company. The ranking of a large
    customer base writes these rows in set-based SQL, not the wide partner
    table; the partner shows them as its own fields (``res.partner``'s
    ``customer_tier_id``, ``annual_revenue``… read, searched, grouped and
    sorted through this table, contacts through their company's row).
    """

    _name = "customer.tier.ranking"
    _description = "Customer Tier Ranking"
    _rec_name = "partner_id"
    _order = "company_id, partner_id"
    _check_company_auto = True
    # Rewritten by the daily ranking; who changed a tier by hand, and when, is
    # in the history and the partner's chatter.
    _log_access = False

    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        ondelete="cascade",
        help="The commercial entity: a company, or an individual without company.",
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        ondelete="cascade",
        default=lambda self: self.env.company,
    )
    tier_id = fields.Many2one(
        "customer.tier",
        index="btree_not_null",
        ondelete="set null",
        check_company=True,
    )
    locked = fields.Boolean(
        string="Tier Locked",
        help="The tier was chosen by hand: the automatic ranking leaves it alone.",
    )
    lock_reason = fields.Char(help="Why the tier was chosen by hand.")
    annual_revenue = fields.Float(
        digits="Product Price",
        help="Untaxed amount of the confirmed sale orders of the customer and its "
        "contacts over the last 365 days, in the company's currency.",
    )
    annual_order_count = fields.Integer(string="Orders (12 months)")
    year_revenue = fields.Float(
        string="Revenue This Year",
        digits="Product Price",
        help="Untaxed amount of the confirmed sale orders of this calendar year, "
        "in the company's currency.",
    )
    last_order_date = fields.Date(string="Last Order")
    next_review_date = fields.Date(
        string="Next Review",
        help="A downgrade to a lower tier waits until this date.",
    )

    segment_id = fields.Many2one(
        "customer.segment",
        index="btree_not_null",
        ondelete="set null",
        check_company=True,
        help="The market segment of the account: the first one whose rule it "
        "matches, unless pinned by hand.",
    )
    segment_locked = fields.Boolean(
        string="Segment Pinned",
        help="The segment was chosen by hand: the recompute leaves it alone.",
    )
    segment_lock_reason = fields.Char(help="Why the segment was chosen by hand.")

    _sql_constraints = [
        (
            "partner_company_unique",
            "UNIQUE(partner_id, company_id)",
            "A customer has one tier ranking per company.",
        ),
    ]

    @api.constrains("locked", "lock_reason")
    def _check_lock_reason(self):
        for ranking in self:
            if ranking.locked and not (ranking.lock_reason or "").strip():
                ranking.partner_id._raise_missing_lock_reason()

    @api.constrains("segment_locked", "segment_lock_reason")
    def _check_segment_lock_reason(self):
        for ranking in self:
            if (
                ranking.segment_locked
                and not (ranking.segment_lock_reason or "").strip()
            ):
                ranking.partner_id._raise_missing_segment_lock_reason()

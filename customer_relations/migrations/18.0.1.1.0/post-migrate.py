"""Move tiers and ranking figures from the partner's company-dependent
columns to the narrow customer_tier_ranking table, then drop the columns."""

from odoo.tools import SQL, sql

COLUMNS = (
    "customer_tier_id",
    "customer_tier_locked",
    "customer_tier_lock_reason",
    "annual_revenue",
    "annual_order_count",
    "year_revenue",
    "last_order_date",
    "next_review_date",
)


def migrate(cr, version):
    if not version or not all(
        sql.column_exists(cr, "res_partner", column) for column in COLUMNS
    ):
        return
    # An account has a value in a company when any of its columns has that
    # company's key; contacts only had copies of their company's values.
    present = SQL(" OR ").join(
        SQL("%s ? c.id::text", SQL.identifier("p", column)) for column in COLUMNS
    )
    cr.execute(
        SQL(
            """
            INSERT INTO customer_tier_ranking (partner_id, company_id, tier_id,
                   locked, lock_reason, annual_revenue, annual_order_count,
                   year_revenue, last_order_date, next_review_date)
            SELECT p.id, c.id, t.id,
                   COALESCE((p.customer_tier_locked ->> c.id::text)::bool, FALSE),
                   p.customer_tier_lock_reason ->> c.id::text,
                   COALESCE((p.annual_revenue ->> c.id::text)::numeric, 0),
                   COALESCE((p.annual_order_count ->> c.id::text)::int, 0),
                   COALESCE((p.year_revenue ->> c.id::text)::numeric, 0),
                   (p.last_order_date ->> c.id::text)::date,
                   (p.next_review_date ->> c.id::text)::date
              FROM res_partner p
             CROSS JOIN res_company c
              LEFT JOIN customer_tier t
                     ON t.id = (p.customer_tier_id ->> c.id::text)::int
             WHERE p.id = p.commercial_partner_id AND (%s)
                ON CONFLICT (partner_id, company_id) DO NOTHING
            """,
            present,
        )
    )
    for column in COLUMNS:
        cr.execute(
            SQL("ALTER TABLE res_partner DROP COLUMN %s", SQL.identifier(column))
        )

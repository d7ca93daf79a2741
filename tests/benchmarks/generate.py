"""Fast generators of large data sets for the benchmarks.

Rows are written with one INSERT ... SELECT per table, copied from a template
record the ORM made (so every NOT NULL column and default is right), instead of
one ORM create per record: 100,000 partners take seconds, not hours.
"""

from odoo import Command, fields
from odoo.tools import SQL

# Columns set by the generators rather than copied from the template.
_OWN_COLUMNS = {
    "id",
    "name",
    "complete_name",
    "display_name",
    "is_company",
    "parent_id",
    "commercial_partner_id",
    "commercial_company_name",
    "key_account_manager_id",
    "user_id",
    "customer_rank",
    "ref",
    "email",
}


def create_managers(env, count, prefix="bench_kam"):
    """``count`` internal users in the account manager group (own accounts)."""
    group = env.ref("customer_relations.group_customer_relations_user")
    users = env["res.users"].with_context(
        no_reset_password=True, mail_create_nolog=True
    )
    return users.create(
        [
            {
                "name": f"Account Manager {i}",
                "login": f"{prefix}_{i}",
                "email": f"{prefix}_{i}@example.com",
                "groups_id": [Command.set(group.ids)],
            }
            for i in range(count)
        ]
    )


def _copied_columns(cr):
    cr.execute(
        "SELECT column_name FROM information_schema.columns "
        "WHERE table_schema = current_schema() AND table_name = 'res_partner'"
    )
    return [name for (name,) in cr.fetchall() if name not in _OWN_COLUMNS]


def create_accounts(env, companies, contacts_per_company, managers, prefix="Bench"):
    """Customer companies, each with contacts, owned in a round robin.

    Company ``i`` gets the key account manager ``managers[i % n]`` when ``i``
    is even; when odd, no key account manager but that user as salesperson;
    every tenth company has neither. Returns the ids of the companies.
    """
    cr = env.cr
    template = env["res.partner"].create(
        {"name": f"{prefix} template", "is_company": True}
    )
    env.flush_all()
    columns = _copied_columns(cr)
    manager_ids = managers.ids
    cols = SQL(", ").join(SQL.identifier(c) for c in columns)
    tcols = SQL(", ").join(SQL("t.%s", SQL.identifier(c)) for c in columns)
    cr.execute(
        SQL(
            """
            INSERT INTO res_partner (%(cols)s, name, complete_name, is_company,
                commercial_company_name, customer_rank, ref, email,
                key_account_manager_id, user_id)
            SELECT %(tcols)s,
                   %(prefix)s || ' Company ' || g, %(prefix)s || ' Company ' || g,
                   TRUE, %(prefix)s || ' Company ' || g, 1, 'BENCH-' || g,
                   'company' || g || '@bench.example.com',
                   CASE WHEN mod(g, 10) = 9 OR mod(g, 2) = 1 THEN NULL
                        ELSE (%(managers)s)[1 + mod(g, %(n)s)] END,
                   CASE WHEN mod(g, 10) = 9 THEN NULL
                        ELSE (%(managers)s)[1 + mod(g, %(n)s)] END
              FROM res_partner t, generate_series(0, %(count)s - 1) g
             WHERE t.id = %(template)s
             ORDER BY g
            RETURNING id
            """,
            cols=cols,
            tcols=tcols,
            prefix=prefix,
            managers=manager_ids,
            n=len(manager_ids),
            count=companies,
            template=template.id,
        )
    )
    company_ids = [row[0] for row in cr.fetchall()]
    cr.execute(
        SQL(
            "UPDATE res_partner SET commercial_partner_id = id WHERE id = ANY(%s)",
            company_ids,
        )
    )
    if contacts_per_company:
        cr.execute(
            SQL(
                """
                INSERT INTO res_partner (%(cols)s, name, complete_name, is_company,
                    parent_id, commercial_partner_id, commercial_company_name,
                    customer_rank, ref, email, key_account_manager_id, user_id)
                SELECT %(tcols)s,
                       'Contact ' || k, c.name || ', Contact ' || k, FALSE,
                       c.id, c.id, c.name, 0, NULL,
                       'contact' || k || '.' || c.id || '@bench.example.com',
                       c.key_account_manager_id, c.user_id
                  FROM res_partner t,
                       res_partner c,
                       generate_series(1, %(per)s) k
                 WHERE t.id = %(template)s AND c.id = ANY(%(companies)s)
                """,
                cols=cols,
                tcols=tcols,
                per=contacts_per_company,
                template=template.id,
                companies=company_ids,
            )
        )
    template.unlink()
    env.invalidate_all()
    return company_ids


def _sale_order_columns(cr, own):
    cr.execute(
        "SELECT column_name FROM information_schema.columns "
        "WHERE table_schema = current_schema() AND table_name = 'sale_order'"
    )
    return [name for (name,) in cr.fetchall() if name not in own]


def create_orders(env, partner_ids, count, months=24, currencies=None, seed=42):
    """``count`` confirmed sale orders spread over the last ``months`` months.

    Each order belongs to one of ``partner_ids`` (companies or contacts, chosen
    pseudo-randomly), has an untaxed amount between 100 and 5,100 and, when
    ``currencies`` is a list of (currency, rate) pairs, one of those currencies
    with its rate (orders alternate between them). Rows only: no order lines,
    which the tier ranking does not read. Returns the ids of the orders.
    """
    cr = env.cr
    partner = env["res.partner"].browse(partner_ids[0])
    template = env["sale.order"].create({"partner_id": partner.id})
    env.flush_all()
    currencies = currencies or [(env.company.currency_id, 1.0)]
    own = {
        "id",
        "name",
        "partner_id",
        "partner_invoice_id",
        "partner_shipping_id",
        "state",
        "date_order",
        "amount_untaxed",
        "amount_tax",
        "amount_total",
        "currency_id",
        "currency_rate",
        "access_token",
        "customer_tier_id",
    }
    columns = _sale_order_columns(cr, own)
    cols = SQL(", ").join(SQL.identifier(c) for c in columns)
    tcols = SQL(", ").join(SQL("t.%s", SQL.identifier(c)) for c in columns)
    currency_ids = [currency.id for currency, _rate in currencies]
    rates = [rate for _currency, rate in currencies]
    cr.execute(SQL("SELECT setseed(%s)", (seed % 1000) / 1000.0))
    cr.execute(
        SQL(
            """
            WITH src AS (
                SELECT g,
                       (%(partners)s)[1 + floor(random() * %(np)s)::int] AS partner,
                       round((100 + random() * 5000)::numeric, 2) AS amount,
                       now() - (random() * %(days)s) * interval '1 day' AS day,
                       1 + mod(g, %(nc)s) AS k
                  FROM generate_series(1, %(count)s) g
            )
            INSERT INTO sale_order (%(cols)s, name, partner_id, partner_invoice_id,
                partner_shipping_id, state, date_order, amount_untaxed, amount_tax,
                amount_total, currency_id, currency_rate)
            SELECT %(tcols)s, 'BENCH/' || src.g, src.partner, src.partner, src.partner,
                   'sale', src.day, src.amount, 0, src.amount,
                   (%(currencies)s)[src.k], (%(rates)s)[src.k]
              FROM sale_order t, src
             WHERE t.id = %(template)s
            RETURNING id
            """,
            partners=list(partner_ids),
            np=len(partner_ids),
            days=months * 30.4,
            nc=len(currency_ids),
            count=count,
            cols=cols,
            tcols=tcols,
            currencies=currency_ids,
            rates=rates,
            template=template.id,
        )
    )
    order_ids = [row[0] for row in cr.fetchall()]
    template.unlink()
    env.invalidate_all()
    return order_ids


# Columns of customer_objection set by create_objections.
_OBJECTION_COLUMNS = {
    "id",
    "name",
    "reference",
    "partner_id",
    "commercial_partner_id",
    "account_manager_id",
    "user_id",
    "stage_id",
    "is_closed",
    "date_received",
    "deadline",
    "escalated_date",
    "closed_date",
    "resolution",
    "in_time_rate",
}


def create_objections(env, count, company_ids, overdue=0, prefix="Bench"):
    """``count`` objections of the accounts ``company_ids`` (round robin).

    The first ``overdue`` are open, past their deadline and not escalated yet;
    the others cycle through: open and on time, closed, already escalated.
    Returns the ids.
    """
    cr = env.cr
    stage_open = env.ref("customer_relations.customer_objection_stage_new")
    stage_closed = env.ref("customer_relations.customer_objection_stage_resolved")
    template = env["customer.objection"].create(
        {"name": f"{prefix} template", "partner_id": company_ids[0]}
    )
    env.flush_all()
    cr.execute(
        "SELECT column_name FROM information_schema.columns "
        "WHERE table_schema = current_schema() AND table_name = 'customer_objection'"
    )
    columns = [c for (c,) in cr.fetchall() if c not in _OBJECTION_COLUMNS]
    cols = SQL(", ").join(SQL.identifier(c) for c in columns)
    tcols = SQL(", ").join(SQL("t.%s", SQL.identifier(c)) for c in columns)
    cr.execute(
        SQL(
            """
            INSERT INTO customer_objection (%(cols)s, name, reference, partner_id,
                commercial_partner_id, account_manager_id, user_id, stage_id,
                is_closed, date_received, deadline, escalated_date, closed_date,
                resolution, in_time_rate)
            SELECT %(tcols)s,
                   %(prefix)s || ' objection ' || g, 'BENCH/' || g, p.id, p.id,
                   COALESCE(p.key_account_manager_id, p.user_id),
                   COALESCE(p.key_account_manager_id, p.user_id),
                   CASE WHEN g >= %(overdue)s AND mod(g, 3) = 1
                        THEN %(closed)s ELSE %(open)s END,
                   g >= %(overdue)s AND mod(g, 3) = 1,
                   now() at time zone 'UTC' - interval '10 days',
                   CASE WHEN g >= %(overdue)s AND mod(g, 3) = 0
                        THEN now() at time zone 'UTC' + interval '3 days'
                        ELSE now() at time zone 'UTC' - interval '1 day' END,
                   CASE WHEN g >= %(overdue)s AND mod(g, 3) = 2
                        THEN now() at time zone 'UTC' - interval '12 hours' END,
                   CASE WHEN g >= %(overdue)s AND mod(g, 3) = 1
                        THEN now() at time zone 'UTC' - interval '2 days' END,
                   CASE WHEN g >= %(overdue)s AND mod(g, 3) = 1
                        THEN '<p>Answered</p>' END,
                   CASE WHEN g >= %(overdue)s AND mod(g, 3) = 1 THEN 100 ELSE 0 END
              FROM customer_objection t,
                   generate_series(0, %(count)s - 1) g
              JOIN res_partner p ON p.id = (%(companies)s)[1 + mod(g, %(n)s)]
             WHERE t.id = %(template)s
             ORDER BY g
            RETURNING id
            """,
            cols=cols,
            tcols=tcols,
            prefix=prefix,
            overdue=overdue,
            open=stage_open.id,
            closed=stage_closed.id,
            count=count,
            companies=company_ids,
            n=len(company_ids),
            template=template.id,
        )
    )
    ids = [row[0] for row in cr.fetchall()]
    template.unlink()
    env.invalidate_all()
    return ids


def create_invoice_lines(env, partner_ids, count, overdue_every=10, seed=42):
    """``count`` posted customer invoices of ``partner_ids`` (chosen
    pseudo-randomly), one open receivable line each, of 100 to 5,099 in the
    company's currency: every ``overdue_every``-th is past its due date (by
    1 to 60 days), the others due in 1 to 30 days. Rows only (no product
    lines, no taxes), which the reliability check reads. Returns the ids of
    the receivable lines."""
    company = env.company
    journal = env["account.journal"].search(
        [("type", "=", "sale"), ("company_id", "=", company.id)], limit=1
    )
    receivable = env["account.account"].search(
        [
            ("account_type", "=", "asset_receivable"),
            ("company_ids", "in", company.id),
        ],
        limit=1,
    )
    today = fields.Date.context_today(env["res.partner"])
    env.flush_all()
    rows = env.execute_query(
        SQL(
            """
            WITH src AS (
                SELECT g,
                       (%(partners)s::int[])[1 + mod(g::bigint * 7919 + %(seed)s,
                           array_length(%(partners)s::int[], 1))] AS partner_id,
                       100 + mod(g * 31 + %(seed)s, 5000) AS amount,
                       %(today)s::date - mod(g, 300) AS date,
                       CASE WHEN mod(g, %(every)s) = 0
                            THEN %(today)s::date - 1 - mod(g, 60)
                            ELSE %(today)s::date + 1 + mod(g, 30) END AS due
                  FROM generate_series(1, %(count)s) g
            ), moves AS (
                INSERT INTO account_move (name, move_type, state, date,
                       invoice_date, invoice_date_due, journal_id, company_id,
                       currency_id, partner_id, commercial_partner_id, auto_post,
                       payment_state, amount_total, amount_residual)
                SELECT 'BENCH/' || g, 'out_invoice', 'posted', date, date, due,
                       %(journal)s, %(company)s, %(currency)s, partner_id,
                       partner_id, 'no', 'not_paid', amount, amount
                  FROM src
                RETURNING id, partner_id, date, invoice_date_due, amount_total
            )
            INSERT INTO account_move_line (move_id, account_id, partner_id,
                   company_id, journal_id, currency_id, company_currency_id, date,
                   parent_state, display_type, balance, debit, credit,
                   amount_currency, amount_residual, amount_residual_currency,
                   reconciled, date_maturity, name)
            SELECT m.id, %(account)s, m.partner_id, %(company)s, %(journal)s,
                   %(currency)s, %(currency)s, m.date, 'posted', 'payment_term',
                   m.amount_total, m.amount_total, 0, m.amount_total,
                   m.amount_total, m.amount_total, FALSE, m.invoice_date_due, ''
              FROM moves m
            RETURNING id
            """,
            partners="{%s}" % ",".join(map(str, partner_ids)),
            seed=seed,
            today=today,
            every=overdue_every,
            count=count,
            journal=journal.id,
            company=company.id,
            currency=company.currency_id.id,
            account=receivable.id,
        )
    )
    env.invalidate_all()
    return [row[0] for row in rows]


def create_order_lines(env, order_ids, products_by_family, per_order, seed=42):
    """``per_order`` lines on each of the orders ``order_ids``, copied from a
    template line the ORM made. Each account buys three of the families of
    ``products_by_family`` (a list of lists of product ids): which three
    depends on the account, the product within the family on the line; the
    price is 10 to 509. Rows only (no taxes). Returns the number of lines."""
    cr = env.cr
    order = env["sale.order"].browse(order_ids[0])
    template = env["sale.order.line"].create(
        {"order_id": order.id, "product_id": products_by_family[0][0]}
    )
    env.flush_all()
    own = {
        "id",
        "order_id",
        "product_id",
        "name",
        "price_unit",
        "price_subtotal",
        "price_total",
        "price_tax",
        "price_reduce_taxexcl",
        "price_reduce_taxinc",
        "untaxed_amount_to_invoice",
        "order_partner_id",
        "state",
        "sequence",
    }
    cr.execute(
        "SELECT column_name FROM information_schema.columns "
        "WHERE table_schema = current_schema() AND table_name = 'sale_order_line'"
    )
    columns = [c for (c,) in cr.fetchall() if c not in own]
    cols = SQL(", ").join(SQL.identifier(c) for c in columns)
    tcols = SQL(", ").join(SQL("t.%s", SQL.identifier(c)) for c in columns)
    families = len(products_by_family)
    per_family = len(products_by_family[0])
    flat = [pid for family in products_by_family for pid in family]
    cr.execute(
        SQL(
            """
            INSERT INTO sale_order_line (%(cols)s, order_id, product_id, name,
                price_unit, price_subtotal, price_total, price_tax,
                price_reduce_taxexcl, price_reduce_taxinc,
                untaxed_amount_to_invoice, order_partner_id, state, sequence)
            SELECT %(tcols)s, so.id,
                   (%(products)s::int[])[1
                       + mod(so.partner_id + mod(k, 3), %(families)s) * %(per_family)s
                       + mod(k + so.id, %(per_family)s)],
                   'Bench line ' || k, x.price, x.price, x.price, 0, x.price,
                   x.price, 0, so.partner_id, so.state, k
              FROM sale_order_line t,
                   sale_order so
             CROSS JOIN generate_series(1, %(per)s) k
             CROSS JOIN LATERAL (
                 SELECT (10 + mod(so.id * 7 + k * 13 + %(seed)s, 500))::numeric
                        AS price) x
             WHERE t.id = %(template)s AND so.id = ANY(%(orders)s::int[])
            """,
            cols=cols,
            tcols=tcols,
            products="{%s}" % ",".join(map(str, flat)),
            families=families,
            per_family=per_family,
            per=per_order,
            seed=seed,
            template=template.id,
            orders="{%s}" % ",".join(map(str, order_ids)),
        )
    )
    count = cr.rowcount
    # a line of a confirmed order cannot be unlinked by the ORM
    cr.execute(SQL("DELETE FROM sale_order_line WHERE id = %s", template.id))
    env.invalidate_all()
    return count

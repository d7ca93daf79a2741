"""Fast generators of large data sets for the benchmarks.

Rows are written with one INSERT ... SELECT per table, copied from a template
record the ORM made (so every NOT NULL column and default is right), instead of
one ORM create per record: 100,000 partners take seconds, not hours.
"""

from odoo import Command
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

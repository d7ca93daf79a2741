"""The complaints address moves from the company (an alias managed by hand)
to an objection category (Odoo's optional alias mixin): each company's alias
becomes the address of its category of emailed complaints, the shipped
"Other" category unless one is set, and keeps its name and domain."""

from odoo import SUPERUSER_ID, api
from odoo.tools import SQL, sql


def migrate(cr, version):
    if not version or not sql.column_exists(cr, "res_company", "objection_alias_id"):
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    cr.execute(
        SQL(
            "SELECT id, objection_alias_id FROM res_company "
            "WHERE objection_alias_id IS NOT NULL ORDER BY id"
        )
    )
    Category = env["customer.objection.category"].with_context(active_test=False)
    for company_id, alias_id in cr.fetchall():
        company = env["res.company"].browse(company_id)
        category = Category._default_email_category(company)
        if not category or category.alias_id:
            continue  # one address per category: the first company keeps it
        alias = env["mail.alias"].browse(alias_id).exists()
        if not alias:
            continue
        category.alias_id = alias
        alias.write(category._alias_get_creation_values())
        company.objection_alias_category_id = category
    cr.execute(SQL("ALTER TABLE res_company DROP COLUMN objection_alias_id"))

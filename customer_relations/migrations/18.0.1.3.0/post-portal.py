"""The customer portal: the shipped complaint categories (and "Other") become
choosable on the portal, and the steps of the standard follow-up that a
customer may see (kick-off call, delivery, invoicing, payment) visible to
them. Their records are ``noupdate``: the upgrade does not touch them."""

from odoo.tools import SQL

VISIBLE_CATEGORIES = (
    "customer_objection_category_delivery",
    "customer_objection_category_quality",
    "customer_objection_category_invoicing",
    "customer_objection_category_service",
    "customer_objection_category_rights",
    "customer_objection_category_other",
)
VISIBLE_STEPS = (
    "customer_support_workflow_step_kickoff",
    "customer_support_workflow_step_delivery",
    "customer_support_workflow_step_invoicing",
    "customer_support_workflow_step_payment",
)


def _set_visible(cr, table, model, names):
    cr.execute(
        SQL(
            """
            UPDATE %(table)s AS record
               SET portal_visible = TRUE
              FROM ir_model_data AS xmlid
             WHERE xmlid.module = 'customer_relations'
               AND xmlid.model = %(model)s
               AND xmlid.name IN %(names)s
               AND xmlid.res_id = record.id
            """,
            table=SQL.identifier(table),
            model=model,
            names=tuple(names),
        )
    )


def migrate(cr, version):
    if not version:
        return
    _set_visible(
        cr,
        "customer_objection_category",
        "customer.objection.category",
        VISIBLE_CATEGORIES,
    )
    _set_visible(
        cr,
        "customer_support_workflow_step",
        "customer.support.workflow.step",
        VISIBLE_STEPS,
    )

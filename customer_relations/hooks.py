import logging

from odoo.tools import SQL

from .models.res_partner import TIER_CRON_CURSOR

_logger = logging.getLogger(__name__)

MODULE = "customer_relations"


def post_init_hook(env):
    """Installation into a database with history.

    Every account is ranked at once, by the daily ranking itself, rather than
    at the night's cron; then the confirmed orders of before the addon get
    the tier their account has in the order's company, marked as filled at
    installation (``sale.order.customer_tier_backfilled``), so that the
    reports show the history by tier from the first day.
    """
    env["ir.config_parameter"].sudo().set_param(TIER_CRON_CURSOR, 0)
    env["res.partner"].sudo()._cron_customer_tier_recompute(all_batches=True)
    # The ranking table was empty until now: statistics of its new rows give
    # the filling of the orders a plan of hash joins, not one lookup per row.
    env["customer.tier.ranking"].flush_model()
    env.cr.execute("ANALYZE customer_tier_ranking")
    filled = env["sale.order"].sudo()._backfill_customer_tier()
    _backfill_account_manager_results(env)
    _logger.info(
        "Customer Relations: accounts ranked, tier filled on %s confirmed orders",
        filled,
    )
    # the range of every account, after the ranking (its rows carry the tier)
    env["customer.range.coverage"].sudo()._recompute_accounts()
    return filled


def _backfill_account_manager_results(env):
    """The confirmed orders of before get the account manager their account
    has now (``sale.order.account_manager_id``), and the results of the
    account managers are computed for the last 24 months."""
    managed = env["sale.order"].sudo()._backfill_account_manager()
    env["customer.manager.kpi"].sudo()._refresh_history()
    _logger.info(
        "Customer Relations: account manager filled on %s confirmed orders, "
        "results of the last 24 months computed",
        managed,
    )


def uninstall_hook(env):
    """Clear the way for Odoo's uninstall (which then deletes the records the
    addon shipped, and drops its columns and tables), and remove what no XML
    id owns."""
    _release_shipped_records(env)
    # the batch cursors of the scheduled actions
    env["ir.config_parameter"].sudo().search([("key", "=like", f"{MODULE}.%")]).unlink()


def _release_shipped_records(env):
    """Records that people made may hold records the addon shipped through a
    link with ``ondelete="restrict"`` (an objection its stage, a support plan
    its workflow): Odoo could not delete those shipped records, and would log
    an error for each, although what holds them is about to go with the
    addon's tables and columns. So these links go first: the addon's columns
    on Odoo's tables are emptied, and the addon's own rows that hold a
    shipped record are deleted."""
    env.flush_all()
    tables = {
        model._table: name
        for name, model in env.registry.items()
        if model._original_module == MODULE and model._auto and not model._abstract
    }
    env.cr.execute(
        SQL(
            """
            SELECT src.relname, att.attname, dst.relname
              FROM pg_constraint con
              JOIN pg_class src ON src.oid = con.conrelid
              JOIN pg_class dst ON dst.oid = con.confrelid
              JOIN pg_attribute att
                ON att.attrelid = con.conrelid AND att.attnum = con.conkey[1]
              JOIN ir_model_constraint imc ON imc.name = con.conname
              JOIN ir_module_module mod ON mod.id = imc.module
             WHERE con.contype = 'f' AND con.confdeltype = 'r'
               AND mod.name = %s AND dst.relname IN %s
             ORDER BY src.relname, att.attname
            """,
            MODULE,
            tuple(tables),
        )
    )
    links = env.cr.fetchall()
    for table, column, _target in links:
        if table not in tables:
            env.cr.execute(
                SQL(
                    "UPDATE %(table)s SET %(column)s = NULL "
                    "WHERE %(column)s IS NOT NULL",
                    table=SQL.identifier(table),
                    column=SQL.identifier(column),
                )
            )
    for table, column, target in links:
        if table in tables:
            env.cr.execute(
                SQL(
                    "DELETE FROM %s WHERE %s IN (SELECT res_id FROM ir_model_data "
                    "WHERE module = %s AND model = %s)",
                    SQL.identifier(table),
                    SQL.identifier(column),
                    MODULE,
                    tables[target],
                )
            )
    env.invalidate_all()

import logging

from .models.res_partner import TIER_CRON_CURSOR

_logger = logging.getLogger(__name__)


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
    _logger.info(
        "Customer Relations: accounts ranked, tier filled on %s confirmed orders",
        filled,
    )
    return filled

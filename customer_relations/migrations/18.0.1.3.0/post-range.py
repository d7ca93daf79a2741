"""The range of every account (customer.range.coverage, new in 18.0.1.3.0),
computed at the upgrade rather than at the night's cron."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["customer.range.coverage"]._recompute_accounts()

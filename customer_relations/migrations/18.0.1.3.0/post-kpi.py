"""The account managers' results: the confirmed orders get the account
manager their account has now, as at a fresh installation, and the results
of the last 24 months are computed."""

from odoo import SUPERUSER_ID, api

from odoo.addons.customer_relations.hooks import _backfill_account_manager_results


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    _backfill_account_manager_results(env)

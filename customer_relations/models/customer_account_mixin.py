from odoo import api, fields, models


class CustomerAccountMixin(models.AbstractModel):
    """A record that belongs to an account: it stores the account's manager
    (its key account manager, else its salesperson, see
    ``res.partner._get_account_manager``), so that record rules and "mine"
    filters are short domains on the record's own columns."""

    _name = "customer.account.mixin"
    _description = "Record of a Customer Account"

    # The field that holds the account (a commercial entity).
    _account_field = "commercial_partner_id"

    account_manager_id = fields.Many2one(
        "res.users",
        compute="_compute_account_manager_id",
        store=True,
        precompute=True,
        index="btree_not_null",
        help="The account's key account manager, else its salesperson.",
    )

    @api.depends(
        lambda self: (
            f"{self._account_field}.key_account_manager_id",
            f"{self._account_field}.user_id",
        )
    )
    def _compute_account_manager_id(self):
        for record in self:
            record.account_manager_id = record[
                self._account_field
            ]._get_account_manager()

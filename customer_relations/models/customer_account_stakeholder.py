from odoo import api, fields, models
from odoo.exceptions import ValidationError


class CustomerAccountStakeholder(models.Model):
    """A contact of the account and its part in our deals: its role in the
    decision and its attitude towards us."""

    _name = "customer.account.stakeholder"
    _description = "Account Stakeholder"
    _inherit = ["customer.protected.mixin"]
    _order = "plan_id, sequence, id"
    _rec_name = "partner_id"
    _check_company_auto = True
    _fixed_parent_fields = ("plan_id",)

    plan_id = fields.Many2one(
        "customer.account.plan",
        string="Account Plan",
        required=True,
        index=True,
        ondelete="cascade",
    )
    sequence = fields.Integer(default=10)
    company_id = fields.Many2one(
        related="plan_id.company_id", store=True, precompute=True, index=True
    )
    account_id = fields.Many2one(related="plan_id.partner_id", string="Account")
    partner_id = fields.Many2one(
        "res.partner",
        string="Contact",
        required=True,
        index=True,
        domain="[('commercial_partner_id', '=', account_id)]",
        help="A contact of the account.",
    )
    function = fields.Char(related="partner_id.function", string="Job Position")
    role = fields.Selection(
        [
            ("decision_maker", "Decision Maker"),
            ("influencer", "Influencer"),
            ("user", "User"),
            ("blocker", "Blocker"),
        ],
        string="Role in the Decision",
        required=True,
        default="influencer",
    )
    attitude = fields.Selection(
        [
            ("supporter", "Supporter"),
            ("neutral", "Neutral"),
            ("opponent", "Opponent"),
        ],
        required=True,
        default="neutral",
        help="How the contact sees us.",
    )
    notes = fields.Text()

    @api.constrains("partner_id", "plan_id")
    def _check_contact_of_the_account(self):
        for stakeholder in self:
            account = stakeholder.plan_id.partner_id
            if stakeholder.partner_id.commercial_partner_id != account:
                raise ValidationError(
                    self.env._(
                        "%(contact)s is not a contact of %(account)s.",
                        contact=stakeholder.partner_id.name,
                        account=account.name,
                    )
                )

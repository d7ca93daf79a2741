from odoo import api, fields, models


class CustomerReferralRegister(models.TransientModel):
    _name = "customer.referral.register"
    _description = "Register a Customer Referral"

    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    referrer_id = fields.Many2one(
        "res.partner",
        required=True,
        domain="['|', ('is_company', '=', True), ('parent_id', '=', False)]",
        help="The customer who recommended the new customer.",
    )
    referred_id = fields.Many2one(
        "res.partner",
        string="New Customer",
        required=True,
        domain="['|', ('is_company', '=', True), ('parent_id', '=', False)]",
        help="The new customer the referrer recommended.",
    )
    source_order_id = fields.Many2one(
        "sale.order",
        string="Referrer's Contract",
        compute="_compute_source_order_id",
        store=True,
        readonly=False,
        domain="[('state', '=', 'sale'), ('referral_clause_id', '!=', False), "
        "('partner_id', 'child_of', referrer_id), ('company_id', '=', company_id)]",
        help="The referrer's confirmed order carrying the referral clause: by "
        "default its latest one.",
    )
    clause_id = fields.Many2one(
        related="source_order_id.referral_clause_id", string="Referral Clause"
    )
    date = fields.Date(required=True, default=fields.Date.context_today)
    notes = fields.Html()

    @api.depends("referrer_id", "company_id")
    def _compute_source_order_id(self):
        Referral = self.env["customer.referral"]
        for wizard in self:
            if wizard.source_order_id.partner_id.commercial_partner_id == (
                wizard.referrer_id.commercial_partner_id
            ):
                continue
            latest = Referral._latest_clause_orders(
                wizard.referrer_id, wizard.company_id
            )
            wizard.source_order_id = latest.get(
                (wizard.referrer_id.commercial_partner_id.id, wizard.company_id.id)
            )

    @api.model
    def _action_open(
        self, referrer=None, referred=None, source_order=None, company=None
    ):
        context = {"default_company_id": (company or self.env.company).id}
        if referrer:
            context["default_referrer_id"] = referrer.id
        if referred:
            context["default_referred_id"] = referred.id
        if source_order:
            context["default_source_order_id"] = source_order.id
        return {
            "name": self.env._("Register a Referral"),
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "view_mode": "form",
            "target": "new",
            "context": context,
        }

    def action_register(self):
        self.ensure_one()
        referral = self.env["customer.referral"].create(
            {
                "referrer_id": self.referrer_id.id,
                "referred_id": self.referred_id.id,
                "source_order_id": self.source_order_id.id,
                "company_id": self.company_id.id,
                "date": self.date,
                "notes": self.notes,
            }
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "customer.referral",
            "res_id": referral.id,
            "view_mode": "form",
            "target": "current",
        }

from odoo import api, models

SUPPORT_CHECKED_FIELDS = {"qty_delivered", "product_uom_qty", "product_id"}


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        self.env["customer.support.plan"]._run_checks_for_orders(
            lines.order_id.filtered(lambda o: o.state == "sale")
        )
        return lines

    def write(self, vals):
        res = super().write(vals)
        if SUPPORT_CHECKED_FIELDS.intersection(vals):
            self.env["customer.support.plan"]._run_checks_for_orders(
                self.order_id.filtered(lambda o: o.state == "sale")
            )
        return res

from odoo import models


class AccountMove(models.Model):
    _inherit = "account.move"

    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        posted._check_support_plans()
        return posted

    def button_draft(self):
        res = super().button_draft()
        self._check_support_plans()
        return res

    def button_cancel(self):
        res = super().button_cancel()
        self._check_support_plans()
        return res

    def _invoice_paid_hook(self):
        res = super()._invoice_paid_hook()
        self._check_support_plans()
        return res

    def _check_support_plans(self):
        """Check at once the support plans of the orders of these customer
        invoices and credit notes."""
        invoices = self.filtered(lambda m: m.move_type in ("out_invoice", "out_refund"))
        if invoices:
            self.env["customer.support.plan"]._run_checks_for_orders(
                invoices.sudo().line_ids.sale_line_ids.order_id
            )

from odoo import Command

from .common import CustomerRelationsCommon


class SupportCommon(CustomerRelationsCommon):
    """Support plans on top of the accounts: the shipped "Standard follow-up"
    workflow and a helper making orders of goods for an account."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.workflow_standard = cls.env.ref(
            "customer_relations.customer_support_workflow_standard"
        )
        cls.product.write({"invoice_policy": "order", "list_price": 100.0})
        cls.env["customer.support.workflow"].search(
            [("id", "!=", cls.workflow_standard.id)]
        ).action_archive()

    @classmethod
    def _order(cls, partner, user=None, qty=2.0, product=None, **values):
        return cls.env["sale.order"].create(
            {
                "partner_id": partner.id,
                "user_id": (user or cls.user_all).id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": (product or cls.product).id,
                            "product_uom_qty": qty,
                            "price_unit": 100.0,
                        }
                    )
                ],
                **values,
            }
        )

    def _state(self, step):
        """The step's state as the next request reads it: Odoo recomputes the
        plan's delivery, invoicing and payment when the request flushes its
        changes, and the steps follow in the same transaction."""
        self.env.flush_all()
        return step.state

    def _step(self, plan, check_type):
        return plan.step_ids.filtered(lambda s: s.check_type == check_type)

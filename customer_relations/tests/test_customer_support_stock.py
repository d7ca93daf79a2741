"""Support plans follow Odoo's own delivery, invoicing and payment state,
whatever module changes it: here Inventory's pickings and returns (``make
test`` installs ``sale_stock`` in its database, not as a dependency of the
addon) and Accounting's payments."""

from odoo.tests import Form, tagged

from .common_support import SupportCommon


@tagged("post_install", "-at_install")
class TestSupportPlanStock(SupportCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if "stock.picking" not in cls.env:
            raise AssertionError(
                "These tests need sale_stock in the database: make test installs it."
            )
        cls.goods = cls.env["product.product"].create(
            {
                "name": "Pallet Rack",
                "type": "consu",
                "is_storable": True,
                "invoice_policy": "order",
                "list_price": 100.0,
            }
        )
        cls.warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.env.company.id)], limit=1
        )
        cls.env["stock.quant"]._update_available_quantity(
            cls.goods, cls.warehouse.lot_stock_id, 100.0
        )

    def _confirmed_order(self, qty=2.0):
        order = self._order(
            self.account_own_kam,
            qty=qty,
            product=self.goods,
            warehouse_id=self.warehouse.id,
        )
        order.action_confirm()
        self.assertTrue(order.picking_ids, "sale_stock made the delivery")
        return order, self._step(order.support_plan_id, "delivery")

    def _deliver(self, picking, qty):
        picking.move_ids.write({"quantity": qty, "picked": True})
        result = picking.button_validate()
        if isinstance(result, dict) and result.get("res_model") == (
            "stock.backorder.confirmation"
        ):
            Form(
                self.env["stock.backorder.confirmation"].with_context(
                    **result["context"]
                )
            ).save().process()

    def test_validated_picking_completes_the_delivery_step(self):
        order, delivery = self._confirmed_order()
        self.assertEqual(self._state(delivery), "todo")
        self._deliver(order.picking_ids, 2.0)
        self.assertEqual(order.order_line.qty_delivered, 2.0)
        self.assertEqual(self._state(delivery), "done")
        self.assertFalse(delivery.activity_id)
        self.assertFalse(delivery.done_user_id, "completed by Odoo's data")

    def test_partial_delivery_leaves_it_to_do(self):
        order, delivery = self._confirmed_order(qty=3.0)
        self._deliver(order.picking_ids, 1.0)
        self.assertEqual(order.order_line.qty_delivered, 1.0)
        self.assertEqual(self._state(delivery), "todo")
        backorder = order.picking_ids.filtered(lambda p: p.state != "done")
        self._deliver(backorder, 2.0)
        self.assertEqual(self._state(delivery), "done")

    def test_return_reopens_the_delivery_step(self):
        order, delivery = self._confirmed_order()
        picking = order.picking_ids
        self._deliver(picking, 2.0)
        self.assertEqual(self._state(delivery), "done")
        wizard = Form(
            self.env["stock.return.picking"].with_context(
                active_ids=picking.ids,
                active_id=picking.id,
                active_model="stock.picking",
            )
        ).save()
        wizard.product_return_moves.write({"quantity": 1.0, "to_refund": True})
        result = wizard.action_create_returns()
        returned = self.env["stock.picking"].browse(result["res_id"])
        self._deliver(returned, 1.0)
        self.assertEqual(order.order_line.qty_delivered, 1.0)
        self.assertEqual(self._state(delivery), "todo")
        self.assertTrue(delivery.activity_id, "its responsible has it to do again")
        self.assertIn(
            "Reopened", order.support_plan_id.message_ids[:1].body or "", "logged"
        )

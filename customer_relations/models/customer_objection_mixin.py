from odoo import api, fields, models


class CustomerObjectionMixin(models.AbstractModel):
    """A document that objections are linked to (an account, an order, an
    opportunity): the open / total counts of its smart button, the button that
    lists them and the one that records a new one, prefilled."""

    _name = "customer.objection.mixin"
    _description = "Document with Objections"

    # The field of customer.objection that points to the document.
    _objection_link = None

    objection_count = fields.Integer(
        string="Objections",
        compute="_compute_objection_count",
        groups="customer_relations.group_customer_relations_user",
        help="Objections and complaints linked to this document, open or not.",
    )
    objection_open_count = fields.Integer(
        string="Open Objections",
        compute="_compute_objection_count",
        groups="customer_relations.group_customer_relations_user",
    )

    def _objection_link_ids(self):
        """``{record: id}``: the value of ``_objection_link`` for each record."""
        return {record: record.id for record in self}

    def _compute_objection_count(self):
        links = self._objection_link_ids()
        counts = self.env["customer.objection"]._count_by_field(
            self._objection_link, list(set(links.values()))
        )
        for record in self:
            total, opened = counts.get(links[record], (0, 0))
            record.objection_count = total
            record.objection_open_count = opened

    def _objection_default_context(self):
        """Defaults of an objection recorded from this document."""
        return {}

    @api.readonly
    def action_view_objections(self):
        self.ensure_one()
        self.check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "customer_relations.customer_objection_action"
        )
        action["domain"] = [
            (self._objection_link, "=", self._objection_link_ids()[self])
        ]
        action["context"] = self._objection_default_context()
        return action

    @api.readonly
    def action_record_objection(self):
        """Open a new objection prefilled from this document."""
        self.ensure_one()
        self.check_access("read")
        self.env["customer.objection"].check_access("create")
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Record Objection"),
            "res_model": "customer.objection",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
            "context": self._objection_default_context(),
        }

from odoo import fields, models


class CrmLead(models.Model):
    _inherit = "crm.lead"

    objection_count = fields.Integer(
        string="Objections",
        compute="_compute_objection_count",
        groups="customer_relations.group_customer_relations_user",
    )
    objection_open_count = fields.Integer(
        string="Open Objections",
        compute="_compute_objection_count",
        groups="customer_relations.group_customer_relations_user",
    )

    def _compute_objection_count(self):
        counts = self.env["customer.objection"]._count_by_field("lead_id", self.ids)
        for lead in self:
            lead.objection_count, lead.objection_open_count = counts.get(
                lead.id, (0, 0)
            )

    def action_view_objections(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "customer_relations.customer_objection_action"
        )
        action["domain"] = [("lead_id", "=", self.id)]
        action["context"] = self._objection_default_context()
        return action

    def action_record_objection(self):
        """Open a new objection raised during this negotiation, prefilled."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Record Objection"),
            "res_model": "customer.objection",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
            "context": self._objection_default_context(),
        }

    def _objection_default_context(self):
        self.ensure_one()
        return {
            "default_partner_id": self.partner_id.id,
            "default_lead_id": self.id,
            "default_team_id": self.team_id.id,
            "default_company_id": self.company_id.id or self.env.company.id,
            "default_kind": "objection",
        }

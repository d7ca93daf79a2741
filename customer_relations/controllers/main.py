from odoo import http
from odoo.http import request
from odoo.tools import consteq


class CustomerPromotionController(http.Controller):
    """The opt-out link of promotions: signed for one contact and address,
    it asks for a confirmation (a link opened by a mail scanner changes
    nothing), then puts the address on Odoo's blacklist."""

    def _optout_contact(self, partner_id, token):
        """The contact the link was signed for, or None."""
        contact = request.env["res.partner"].sudo().browse(partner_id).exists()
        if not contact or not contact.email_normalized:
            return None
        if not consteq(contact._customer_promotion_optout_token(), token or ""):
            return None
        return contact

    @http.route(
        "/customer_relations/optout/<int:partner_id>/<string:token>",
        type="http",
        auth="public",
        methods=["GET", "POST"],
        # the signed token is the protection: no session is needed
        csrf=False,
        sitemap=False,
    )
    def customer_promotion_optout(self, partner_id, token, **post):
        contact = self._optout_contact(partner_id, token)
        if contact is None:
            return request.render(
                "customer_relations.customer_promotion_optout_page",
                {"state": "invalid"},
                status=403,
            )
        done = request.httprequest.method == "POST"
        if done:
            request.env["mail.blacklist"].sudo()._add(
                contact.email_normalized,
                message=request.env._(
                    "Opted out of promotions through the link of a promotion."
                ),
            )
        return request.render(
            "customer_relations.customer_promotion_optout_page",
            {
                "state": "done" if done else "confirm",
                "email": contact.email_normalized,
                "action": request.httprequest.path,
            },
        )

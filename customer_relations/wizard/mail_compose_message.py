from markupsafe import Markup, escape

from odoo import api, fields, models


class MailComposeMessage(models.TransientModel):
    """Promotions are Odoo's mass mailing composer on contacts: each mail
    carries the addon's signed opt-out link, and each account's chatter
    records the sending."""

    _inherit = "mail.compose.message"

    customer_promotion = fields.Boolean(
        string="Promotion",
        help="A promotion to customers: every mail carries an opt-out link and "
        "the sending is recorded on each account.",
    )
    customer_segment_id = fields.Many2one(
        "customer.segment",
        string="Market Segment",
        help="The segment whose contacts receive the promotion.",
    )

    def _is_customer_promotion(self):
        return (
            self.customer_promotion
            and self.composition_mode == "mass_mail"
            and self.model == "res.partner"
        )

    def _prepare_mail_values_dynamic(self, res_ids):
        values = super()._prepare_mail_values_dynamic(res_ids)
        if not self._is_customer_promotion():
            return values
        contacts = self.env["res.partner"].sudo().browse(res_ids)
        for contact in contacts:
            mail_values = values.get(contact.id)
            if mail_values is None:
                continue
            footer = contact.with_context(
                lang=contact.lang or self.env.lang
            )._customer_promotion_optout_footer()
            for key in ("body", "body_html"):
                if key in mail_values:
                    mail_values[key] = Markup(mail_values[key] or "") + footer
        return values

    def _action_send_mail_mass_mail(self, res_ids, auto_commit=False):
        mails = super()._action_send_mail_mass_mail(res_ids, auto_commit=auto_commit)
        if self._is_customer_promotion() and res_ids:
            self._log_customer_promotion(mails)
        return mails

    def _log_customer_promotion(self, mails):
        """One note per account: the promotion and how many of its contacts
        it was sent to (those who opted out are not)."""
        sent = mails.filtered(lambda mail: mail.state != "cancel")
        contacts = self.env["res.partner"].sudo().browse(sent.mapped("res_id"))
        counts = {}
        for contact in contacts:
            account = contact.commercial_partner_id
            counts[account] = counts.get(account, 0) + 1
        if not counts:
            return
        subject = sent[:1].subject or self.subject or ""
        segment = self.customer_segment_id.sudo()
        bodies = {}
        for account, count in counts.items():
            if segment:
                text = self.env._(
                    "Promotion “%(subject)s” sent to %(count)s contacts of the "
                    "segment %(segment)s.",
                    subject=subject,
                    count=count,
                    segment=segment.display_name,
                )
            else:
                text = self.env._(
                    "Promotion “%(subject)s” sent to %(count)s contacts.",
                    subject=subject,
                    count=count,
                )
            bodies[account.id] = Markup("<p>%s</p>") % text
        accounts = self.env["res.partner"].sudo().browse([a.id for a in counts])
        accounts._message_log_batch(bodies, author_id=self.env.user.partner_id.id)

    @api.model
    def _customer_promotion_footer_html(self, url, text, link):
        return Markup(
            '<p style="font-size: 12px; color: #888888;">%s <a href="%s">%s</a></p>'
        ) % (escape(text), url, escape(link))

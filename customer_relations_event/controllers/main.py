from odoo import http
from odoo.exceptions import UserError
from odoo.http import request
from odoo.tools import consteq


class CustomerEventInvitationController(http.Controller):
    """The two links of an invitation email, "I will come" and "I cannot
    come", signed for the invitation: opening one shows the question, its
    button answers it (so that a mail scanner opening links answers
    nothing)."""

    def _invitation(self, invitation_id, token):
        invitation = (
            request.env["customer.event.invitation"].sudo().browse(invitation_id)
        )
        if (
            not token
            or not invitation.exists()
            or not consteq(invitation._answer_token(), token)
        ):
            raise request.not_found()
        # the page speaks the invited contact's language
        lang = invitation.contact_id.lang
        if lang:
            request.update_context(lang=lang)
            invitation = invitation.with_context(lang=lang)
        return invitation

    def _render(self, invitation, answer, token, done=False, error=False):
        env = invitation.env
        names = {
            "contact": invitation.contact_id.name,
            "account": invitation.partner_id.name,
        }
        if done and answer == "accept":
            message = env._(
                "Thank you, %(contact)s: you are registered. See you there!", **names
            )
        elif done:
            message = env._(
                "Thank you for letting us know, %(contact)s. We hope to see you at "
                "another event.",
                **names,
            )
        elif answer == "accept":
            message = env._(
                "Register %(contact)s of %(account)s to this event?", **names
            )
        else:
            message = env._(
                "Let us know that %(contact)s of %(account)s cannot come?", **names
            )
        return request.render(
            "customer_relations_event.invitation_answer_page",
            {
                "invitation": invitation,
                "event": invitation.event_id,
                "answer": answer,
                "token": token,
                "done": done,
                "error": error,
                "message": message,
            },
        )

    @http.route(
        "/customer_event/invitation/<int:invitation_id>/<any(accept,decline):answer>",
        type="http",
        auth="public",
        methods=["GET"],
    )
    def invitation_page(self, invitation_id, answer, token=None, **kwargs):
        invitation = self._invitation(invitation_id, token)
        return self._render(invitation, answer, token)

    # The signed token, not a session, authorizes the answer: no CSRF token
    # (the person answering has no session).
    @http.route(
        "/customer_event/invitation/<int:invitation_id>/<any(accept,decline):answer>",
        type="http",
        auth="public",
        methods=["POST"],
        csrf=False,
    )
    def invitation_answer(self, invitation_id, answer, token=None, **kwargs):
        invitation = self._invitation(invitation_id, token)
        error = False
        try:
            if answer == "accept":
                invitation._register_contact()
            else:
                invitation._decline()
        except UserError as exc:
            error = exc.args[0]
        return self._render(invitation, answer, token, done=not error, error=error)

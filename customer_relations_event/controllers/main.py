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
        return invitation

    @http.route(
        "/customer_event/invitation/<int:invitation_id>/<any(accept,decline):answer>",
        type="http",
        auth="public",
        methods=["GET"],
    )
    def invitation_page(self, invitation_id, answer, token=None, **kwargs):
        invitation = self._invitation(invitation_id, token)
        return request.render(
            "customer_relations_event.invitation_answer_page",
            {
                "invitation": invitation,
                "event": invitation.event_id,
                "answer": answer,
                "token": token,
                "done": False,
                "error": False,
            },
        )

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
        return request.render(
            "customer_relations_event.invitation_answer_page",
            {
                "invitation": invitation,
                "event": invitation.event_id,
                "answer": answer,
                "token": token,
                "done": not error,
                "error": error,
            },
        )

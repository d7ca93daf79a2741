import re
import secrets
from collections import OrderedDict

from odoo import http
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import request
from odoo.tools import email_normalize, plaintext2html
from odoo.tools import groupby as groupbyelem
from odoo.tools.mimetypes import guess_mimetype

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

# Limits of what a customer may type or send on the portal forms.
SUBJECT_MAX = 120
TEXT_MAX = 5000
NAME_MAX = 128
PHONE_MAX = 32
ATTACHMENT_MAX_COUNT = 5
ATTACHMENT_MAX_SIZE = 10 * 1024 * 1024  # 10 MB a file
ATTACHMENT_MIMETYPES = frozenset(
    {
        "application/pdf",
        "image/png",
        "image/jpeg",
        "image/gif",
        "image/webp",
        "text/plain",
        "text/csv",
        "application/msword",
        "application/vnd.ms-excel",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/vnd.oasis.opendocument.text",
        "application/vnd.oasis.opendocument.spreadsheet",
    }
)
SUBMISSION_TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{20,64}$")
PHONE_RE = re.compile(r"^[0-9+()./ -]*$")


def _new_submission_token():
    return secrets.token_urlsafe(24)


class CustomerRelationsPortal(CustomerPortal):
    # ------------------------------------------------------------------
    # Home
    # ------------------------------------------------------------------

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        partner = request.env.user.partner_id
        if "complaint_count" in counters:
            Objection = request.env["customer.objection"]
            values["complaint_count"] = (
                Objection.search_count(self._prepare_complaints_domain(partner))
                if Objection.has_access("read")
                else 0
            )
        if "referral_count" in counters:
            values["referral_count"] = (
                request.env["customer.referral"]
                .sudo()
                .search_count([("referrer_id", "=", partner.commercial_partner_id.id)])
            )
        return values

    def _prepare_portal_layout_values(self):
        values = super()._prepare_portal_layout_values()
        values["customer_referral_enabled"] = bool(
            request.env["customer.referral"]._portal_clause_order(
                request.env.user.partner_id
            )
        )
        return values

    # ------------------------------------------------------------------
    # Complaints: list
    # ------------------------------------------------------------------

    def _prepare_complaints_domain(self, partner):
        return [
            ("kind", "=", "complaint"),
            ("commercial_partner_id", "=", partner.commercial_partner_id.id),
        ]

    def _get_complaint_searchbar_sortings(self):
        return {
            "date": {
                "label": request.env._("Newest"),
                "order": "date_received desc, id desc",
            },
            "reference": {
                "label": request.env._("Reference"),
                "order": "reference desc, id desc",
            },
            "name": {"label": request.env._("Subject"), "order": "name, id"},
            "deadline": {
                "label": request.env._("Answer Expected By"),
                "order": "deadline, id",
            },
            "stage": {"label": request.env._("Stage"), "order": "stage_id, id"},
        }

    def _get_complaint_searchbar_filters(self):
        return {
            "all": {"label": request.env._("All"), "domain": []},
            "open": {
                "label": request.env._("Open"),
                "domain": [("is_closed", "=", False)],
            },
            "closed": {
                "label": request.env._("Answered"),
                "domain": [("is_closed", "=", True)],
            },
        }

    def _get_complaint_searchbar_groupby(self):
        return {
            "none": {"input": "none", "label": request.env._("None")},
            "stage": {"input": "stage", "label": request.env._("Stage")},
        }

    def _get_complaint_searchbar_inputs(self):
        return {
            "all": {"input": "all", "label": request.env._("Search in All")},
            "name": {"input": "name", "label": request.env._("Search in Subject")},
            "reference": {
                "input": "reference",
                "label": request.env._("Search in Reference"),
            },
            "order": {"input": "order", "label": request.env._("Search in Order")},
        }

    def _get_complaint_search_domain(self, search_in, search):
        if not search:
            return []
        by_input = {
            "name": [("name", "ilike", search)],
            "reference": [("reference", "ilike", search)],
            "order": [("order_id.name", "ilike", search)],
        }
        if search_in in by_input:
            return by_input[search_in]
        return [
            "|",
            "|",
            ("name", "ilike", search),
            ("reference", "ilike", search),
            ("order_id.name", "ilike", search),
        ]

    @http.route(
        ["/my/complaints", "/my/complaints/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_complaints(
        self,
        page=1,
        sortby=None,
        filterby=None,
        groupby=None,
        search=None,
        search_in="all",
        **kw,
    ):
        Objection = request.env["customer.objection"]
        partner = request.env.user.partner_id
        values = self._prepare_portal_layout_values()
        sortings = self._get_complaint_searchbar_sortings()
        filters = self._get_complaint_searchbar_filters()
        groupbys = self._get_complaint_searchbar_groupby()
        inputs = self._get_complaint_searchbar_inputs()
        sortby = sortby if sortby in sortings else "date"
        filterby = filterby if filterby in filters else "all"
        groupby = groupby if groupby in groupbys else "none"
        search_in = search_in if search_in in inputs else "all"
        search = (search or "")[:NAME_MAX]

        domain = (
            self._prepare_complaints_domain(partner)
            + filters[filterby]["domain"]
            + self._get_complaint_search_domain(search_in, search)
        )
        order = sortings[sortby]["order"]
        if groupby == "stage":
            order = f"stage_id, {order}"
        count = Objection.search_count(domain) if Objection.has_access("read") else 0
        pager = portal_pager(
            url="/my/complaints",
            url_args={
                "sortby": sortby,
                "filterby": filterby,
                "groupby": groupby,
                "search_in": search_in,
                "search": search,
            },
            total=count,
            page=page,
            step=self._items_per_page,
        )
        complaints = (
            Objection.search(
                domain, order=order, limit=self._items_per_page, offset=pager["offset"]
            )
            if count
            else Objection
        )
        request.session["my_complaints_history"] = complaints.ids[:100]
        if groupby == "stage":
            grouped = [
                Objection.concat(*group)
                for __, group in groupbyelem(complaints, lambda c: c.stage_id)
            ]
        else:
            grouped = [complaints] if complaints else []
        values.update(
            {
                "grouped_complaints": grouped,
                "page_name": "complaint",
                "default_url": "/my/complaints",
                "pager": pager,
                "searchbar_sortings": sortings,
                "sortby": sortby,
                "searchbar_filters": OrderedDict(sorted(filters.items())),
                "filterby": filterby,
                "searchbar_groupby": groupbys,
                "groupby": groupby,
                "searchbar_inputs": inputs,
                "search_in": search_in,
                "search": search,
            }
        )
        return request.render("customer_relations.portal_my_complaints", values)

    # ------------------------------------------------------------------
    # Complaints: one complaint
    # ------------------------------------------------------------------

    def _complaint_check_access(self, complaint_id, access_token=None):
        """The complaint, as superuser, if it is a complaint of the user's
        own account: the record rules decide, and even a valid access token
        never opens another account's complaint."""
        complaint_sudo = self._document_check_access(
            "customer.objection", complaint_id, access_token=access_token
        )
        account = request.env.user.partner_id.commercial_partner_id
        if (
            complaint_sudo.kind != "complaint"
            or complaint_sudo.commercial_partner_id != account
        ):
            raise AccessError(request.env._("This complaint is not yours."))
        return complaint_sudo

    @http.route(
        ["/my/complaints/<int:complaint_id>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_complaint(self, complaint_id, access_token=None, message=None, **kw):
        try:
            complaint_sudo = self._complaint_check_access(complaint_id, access_token)
        except (AccessError, MissingError):
            return request.redirect("/my/complaints")
        values = self._complaint_page_values(complaint_sudo, access_token, **kw)
        values["message"] = message
        return request.render("customer_relations.portal_my_complaint", values)

    def _complaint_page_values(self, complaint_sudo, access_token, **kw):
        values = {
            "complaint": complaint_sudo,
            "page_name": "complaint",
            "satisfaction_errors": kw.get("satisfaction_errors") or {},
        }
        values = self._get_page_view_values(
            complaint_sudo,
            access_token,
            values,
            "my_complaints_history",
            False,
            **kw,
        )
        # the customer writes on their own complaint: the chatter posts with
        # its token (checked above to be of the user's account)
        values["token"] = complaint_sudo._portal_ensure_token()
        return values

    @http.route(
        ["/my/complaints/<int:complaint_id>/satisfaction"],
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_complaint_satisfaction(
        self, complaint_id, satisfied=None, comment=None, **kw
    ):
        try:
            complaint_sudo = self._complaint_check_access(complaint_id)
        except (AccessError, MissingError):
            return request.redirect("/my/complaints")
        comment = (comment or "").strip()
        errors = {}
        if satisfied not in ("1", "0"):
            errors["satisfied"] = request.env._("Tell us whether you are satisfied.")
        if satisfied == "0" and not comment:
            errors["comment"] = request.env._(
                "Tell us what is still wrong, so that we can answer again."
            )
        if len(comment) > TEXT_MAX:
            errors["comment"] = request.env._(
                "Write at most %(max)s characters.", max=TEXT_MAX
            )
        if not complaint_sudo.is_closed:
            errors["satisfied"] = request.env._(
                "This complaint is not answered yet: you can rate its resolution "
                "once it is."
            )
        if errors:
            values = self._complaint_page_values(
                complaint_sudo, None, satisfaction_errors=errors
            )
            values["satisfaction_comment"] = comment
            return request.render("customer_relations.portal_my_complaint", values)
        complaint_sudo.with_user(request.env.user)._portal_set_satisfaction(
            satisfied == "1", comment
        )
        return request.redirect(
            f"/my/complaints/{complaint_sudo.id}?message="
            + ("satisfied" if satisfied == "1" else "reopened")
        )

    # ------------------------------------------------------------------
    # Complaints: new complaint
    # ------------------------------------------------------------------

    def _complaint_form_orders(self, partner):
        """The confirmed orders of the user's account, as superuser."""
        return (
            request.env["sale.order"]
            .sudo()
            .search(
                [
                    ("state", "=", "sale"),
                    ("partner_id", "child_of", partner.commercial_partner_id.ids),
                ],
                order="date_order desc, id desc",
                limit=200,
            )
        )

    def _complaint_form_categories(self):
        return (
            request.env["customer.objection.category"]
            .sudo()
            .search(
                [
                    ("portal_visible", "=", True),
                    ("kind", "in", ["complaint", False]),
                    ("company_id", "in", [False, *request.env.user.company_ids.ids]),
                ]
            )
        )

    def _complaint_form_values(self, form, errors):
        partner = request.env.user.partner_id
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "complaint_new",
                "orders": self._complaint_form_orders(partner),
                "categories": self._complaint_form_categories(),
                "form": form,
                "errors": errors,
            }
        )
        return values

    def _validate_attachments(self, files, errors):
        """``[(name, content, mimetype)]`` of the files sent, or errors."""
        files = [f for f in files if f and f.filename]
        attachments = []
        if len(files) > ATTACHMENT_MAX_COUNT:
            errors["attachment"] = request.env._(
                "Attach at most %(count)s files.", count=ATTACHMENT_MAX_COUNT
            )
            return attachments
        for file in files:
            content = file.read(ATTACHMENT_MAX_SIZE + 1)
            if len(content) > ATTACHMENT_MAX_SIZE:
                errors["attachment"] = request.env._(
                    "%(file)s is too large: files of at most %(size)s MB.",
                    file=file.filename,
                    size=ATTACHMENT_MAX_SIZE // (1024 * 1024),
                )
                return []
            if not content:
                errors["attachment"] = request.env._(
                    "%(file)s is empty.", file=file.filename
                )
                return []
            mimetype = guess_mimetype(content)
            if mimetype not in ATTACHMENT_MIMETYPES:
                errors["attachment"] = request.env._(
                    "%(file)s cannot be attached: send a PDF, an image, a text, "
                    "a spreadsheet or a word processing document.",
                    file=file.filename,
                )
                return []
            attachments.append((file.filename[:NAME_MAX], content, mimetype))
        return attachments

    def _validate_complaint_form(self, form, files):
        """The values of the new complaint, its attachments and the errors."""
        env = request.env
        errors = {}
        partner = env.user.partner_id
        name = form["name"]
        if not name:
            errors["name"] = env._("Give your complaint a subject.")
        elif len(name) > SUBJECT_MAX:
            errors["name"] = env._("Write at most %(max)s characters.", max=SUBJECT_MAX)
        description = form["description"]
        if not description:
            errors["description"] = env._("Describe what went wrong.")
        elif len(description) > TEXT_MAX:
            errors["description"] = env._(
                "Write at most %(max)s characters.", max=TEXT_MAX
            )
        order = env["sale.order"]
        if form["order_id"]:
            order_id = int(form["order_id"]) if form["order_id"].isdigit() else 0
            order = self._complaint_form_orders(partner).filtered(
                lambda o: o.id == order_id
            )
            if not order:
                errors["order_id"] = env._("Choose one of your confirmed orders.")
        category = env["customer.objection.category"]
        if form["category_id"]:
            category_id = (
                int(form["category_id"]) if form["category_id"].isdigit() else 0
            )
            category = self._complaint_form_categories().filtered(
                lambda c: c.id == category_id
            )
            if not category:
                errors["category_id"] = env._("Choose one of the listed categories.")
        if not SUBMISSION_TOKEN_RE.match(form["submission_token"]):
            errors["form"] = env._("The form expired: send it again.")
        attachments = self._validate_attachments(files, errors)
        company = (
            order.company_id
            or category.company_id
            or partner.commercial_partner_id.company_id
            or env.company
        )
        values = {
            "name": name,
            "description": plaintext2html(description),
            "order_id": order.id,
            "category_id": category.id,
            "company_id": company.id,
        }
        return values, attachments, errors

    @http.route(
        ["/my/complaints/new"],
        type="http",
        auth="user",
        website=True,
        methods=["GET", "POST"],
    )
    def portal_new_complaint(self, **post):
        form = {
            key: (post.get(key) or "").strip()
            for key in (
                "name",
                "order_id",
                "category_id",
                "description",
                "submission_token",
            )
        }
        if request.httprequest.method != "POST":
            form["order_id"] = form["order_id"] if form["order_id"].isdigit() else ""
            form["submission_token"] = _new_submission_token()
            return request.render(
                "customer_relations.portal_new_complaint",
                self._complaint_form_values(form, {}),
            )
        files = request.httprequest.files.getlist("attachment")
        values, attachments, errors = self._validate_complaint_form(form, files)
        if errors:
            if "form" in errors:
                form["submission_token"] = _new_submission_token()
            return request.render(
                "customer_relations.portal_new_complaint",
                self._complaint_form_values(form, errors),
            )
        complaint = request.env["customer.objection"]._portal_create_complaint(
            request.env.user.partner_id,
            values,
            form["submission_token"],
            attachments,
        )
        if not complaint:
            return request.redirect("/my/complaints")
        return request.redirect(f"/my/complaints/{complaint.id}?message=created")

    # ------------------------------------------------------------------
    # Referrals
    # ------------------------------------------------------------------

    def _portal_referrals(self, partner):
        """The referrals the user's account made, as superuser."""
        return (
            request.env["customer.referral"]
            .sudo()
            .search([("referrer_id", "=", partner.commercial_partner_id.id)])
        )

    def _referral_page_values(self, form=None, errors=None):
        partner = request.env.user.partner_id
        values = self._prepare_portal_layout_values()
        order = request.env["customer.referral"]._portal_clause_order(partner)
        values.update(
            {
                "page_name": "referral",
                "clause_order": order,
                "clause": order.referral_clause_id,
                "referrals": self._portal_referrals(partner),
                "form": form
                or {
                    "company_name": "",
                    "contact_name": "",
                    "email": "",
                    "phone": "",
                    "vat": "",
                    "note": "",
                    "submission_token": _new_submission_token(),
                },
                "errors": errors or {},
            }
        )
        return values

    @http.route(["/my/referrals"], type="http", auth="user", website=True)
    def portal_my_referrals(self, message=None, **kw):
        values = self._referral_page_values()
        values["message"] = message
        return request.render("customer_relations.portal_my_referrals", values)

    def _validate_referral_form(self, form):
        env = request.env
        errors = {}
        if not form["company_name"]:
            errors["company_name"] = env._("Give the name of the company.")
        for fname in ("company_name", "contact_name"):
            if len(form[fname]) > NAME_MAX:
                errors[fname] = env._("Write at most %(max)s characters.", max=NAME_MAX)
        if not form["email"]:
            errors["email"] = env._("Give an email address to contact them.")
        elif len(form["email"]) > NAME_MAX or not email_normalize(
            form["email"], strict=True
        ):
            errors["email"] = env._("This email address is not valid.")
        if len(form["phone"]) > PHONE_MAX or not PHONE_RE.match(form["phone"]):
            errors["phone"] = env._("This phone number is not valid.")
        if len(form["vat"]) > PHONE_MAX:
            errors["vat"] = env._("This tax ID is not valid.")
        if len(form["note"]) > TEXT_MAX:
            errors["note"] = env._("Write at most %(max)s characters.", max=TEXT_MAX)
        if not SUBMISSION_TOKEN_RE.match(form["submission_token"]):
            errors["form"] = env._("The form expired: send it again.")
        return errors

    @http.route(
        ["/my/referrals/new"],
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_new_referral(self, **post):
        form = {
            key: (post.get(key) or "").strip()
            for key in (
                "company_name",
                "contact_name",
                "email",
                "phone",
                "vat",
                "note",
                "submission_token",
            )
        }
        errors = self._validate_referral_form(form)
        if not errors:
            values = {key: form[key] for key in form if key != "submission_token"}
            values["email"] = email_normalize(form["email"], strict=True)
            try:
                request.env["customer.referral"]._portal_recommend(
                    request.env.user.partner_id, values, form["submission_token"]
                )
            except (UserError, ValidationError) as error:
                errors["form"] = error.args[0]
        if errors:
            if not SUBMISSION_TOKEN_RE.match(form["submission_token"]):
                form["submission_token"] = _new_submission_token()
            values = self._referral_page_values(form, errors)
            return request.render("customer_relations.portal_my_referrals", values)
        return request.redirect("/my/referrals?message=recommended")

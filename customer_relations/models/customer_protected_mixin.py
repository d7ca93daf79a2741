from odoo import api, models
from odoo.exceptions import AccessError

GROUP_MANAGER = "customer_relations.group_customer_relations_manager"

# Marks the environment of ``copy()`` once its ``default`` values were checked:
# the values it copies are the original's. A context value can come from RPC,
# but only as JSON: it can never be this object.
_COPYING = object()
_COPYING_KEY = "customer_relations_copying"


class SystemValues(dict):
    """Values for ``create`` or ``write`` in which the addon's own code set
    some protected fields (``system_fields``), e.g. an objection's deadline
    computed at creation, or its closing figures written with the stage that
    closes it. Values from RPC are plain dicts: they cannot be these."""

    def __init__(self, values, system_fields):
        super().__init__(values)
        self.system_fields = frozenset(system_fields)


class CustomerProtectedMixin(models.AbstractModel):
    """Fields that only the addon's code sets, and parents that stay fixed.

    A view's ``readonly`` is no boundary: anyone can call ``write`` and
    ``create`` over RPC with any values. A model lists in
    ``_protected_fields`` the fields its workflow sets (states, dates and
    figures it computes, links to activities and coupons): a user's ``write``
    that changes one of them, or ``create`` that sets one to anything but
    its default, is refused. The addon's code sets them as superuser
    (``sudo()``), after checking what the user may do.

    ``_fixed_parent_fields`` are the links to the record a child belongs to
    (a measure's objection, a step's plan): set at creation on a parent the
    user may write, moved afterwards by administrators only, to a parent they
    may write.
    """

    _name = "customer.protected.mixin"
    _description = "Fields Set by Customer Relations Only"

    _protected_fields = ()
    _fixed_parent_fields = ()

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        if self.env.su:
            return super().create(vals_list)
        model = self
        context = self.env.context
        if any(f"default_{fname}" in context for fname in self._protected_fields):
            # defaults from the context never set what only the addon sets:
            # removing keys needs a new dict
            # pylint: disable=context-overridden
            model = self.with_context(
                {
                    key: value
                    for key, value in context.items()
                    if not key.startswith("default_")
                    or key.removeprefix("default_") not in self._protected_fields
                }
            )
        model._check_protected_create(vals_list)
        model._check_parent_access(vals_list)
        records = super(CustomerProtectedMixin, model).create(vals_list)
        return records.with_env(self.env)

    def write(self, vals):
        if not self.env.su:
            self._check_protected_write(vals)
            self._check_fixed_parents(vals)
        return super().write(vals)

    def copy(self, default=None):
        if self.env.su:
            return super().copy(default)
        if default:
            self._check_protected_write(default)
        copies = super(
            CustomerProtectedMixin, self.with_context(**{_COPYING_KEY: _COPYING})
        ).copy(default)
        return copies.with_env(self.env)

    # ------------------------------------------------------------------
    # Checks
    # ------------------------------------------------------------------

    def _check_protected_create(self, vals_list):
        if self.env.su or self.env.context.get(_COPYING_KEY) is _COPYING:
            # copy() checked its defaults; the rest is the original's
            return
        fnames = {
            fname
            for vals in vals_list
            for fname in self._protected_fields
            if fname in vals
        }
        if not fnames:
            return
        defaults = self.default_get(list(fnames))
        empty = self.browse()
        refused = {
            fname
            for vals in vals_list
            for fname in fnames & vals.keys()
            if fname not in getattr(vals, "system_fields", ())
            and self._protected_value(fname, vals[fname], empty)
            != self._protected_value(fname, defaults.get(fname), empty)
        }
        if refused:
            self._raise_protected(refused)

    def _check_protected_write(self, vals):
        system = getattr(vals, "system_fields", ())
        refused = self._changed_fields(
            vals, [fname for fname in self._protected_fields if fname not in system]
        )
        if refused:
            self._raise_protected(refused)

    def _changed_fields(self, vals, fnames):
        """Those of ``fnames`` to which ``vals`` gives another value than the
        current one, on any of the records."""
        records = self.sudo()
        return [
            fname
            for fname in fnames
            if fname in vals
            and any(
                self._protected_value(fname, vals[fname], record)
                != self._protected_value(fname, record[fname], record)
                for record in records
            )
        ]

    def _protected_value(self, fname, value, record):
        """``value`` as the cache holds it, to compare a new value with the
        current one whatever its form (id or record, string or date)."""
        return self._fields[fname].convert_to_cache(value, record, validate=False)

    def _raise_protected(self, fnames):
        labels = sorted(
            self._fields[fname]._description_string(self.env) for fname in fnames
        )
        raise AccessError(
            self.env._(
                "%(fields)s of %(model)s are set by Customer Relations itself: "
                "they cannot be set by hand.",
                fields=", ".join(labels),
                model=self._description,
            )
        )

    def _check_parent_access(self, vals_list):
        """A child is created on a parent the user may write."""
        for fname in self._fixed_parent_fields:
            ids = {vals[fname] for vals in vals_list if vals.get(fname)}
            if ids:
                comodel = self.env[self._fields[fname].comodel_name]
                comodel.browse(ids).check_access("write")

    def _check_fixed_parents(self, vals):
        fnames = self._changed_fields(vals, self._fixed_parent_fields)
        if not fnames:
            return
        if not self.env.user.has_group(GROUP_MANAGER):
            raise AccessError(
                self.env._(
                    "%(model)s cannot be moved to another %(parent)s: it belongs "
                    "to the one it was created on.",
                    model=self._description,
                    parent=self._fields[fnames[0]]._description_string(self.env),
                )
            )
        self._check_parent_access([vals])

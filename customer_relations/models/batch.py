"""Batches of scheduled work that one bad record cannot stop.

A cron handles its records a batch at a time, in one transaction. When the
work of a batch fails, the batch is split in halves until the records that
fail are found: each of them is logged (in the server's log and in its own
chatter) and skipped, the others are done. A cursor kept in a system
parameter moves past every batch, done or not, so that the next call goes on
with the following records instead of failing on the same ones again; a
record that failed is tried again in the next full pass.
"""

import logging

from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY

_logger = logging.getLogger(__name__)


def process_isolated(records, process, label):
    """Call ``process(records)``; return the records it failed on, which are
    logged and left as they were (each attempt runs in a savepoint).

    Concurrency errors are not a record's fault: they are raised, so that the
    whole transaction is tried again as Odoo does.
    """
    if not records:
        return records
    try:
        with records.env.cr.savepoint():
            process(records)
        return records.browse()
    except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
        raise
    except Exception as error:  # noqa: BLE001 - any error of one record
        if len(records) == 1:
            _log_failure(records, label, error)
            return records
    half = len(records) // 2
    return process_isolated(records[:half], process, label) | process_isolated(
        records[half:], process, label
    )


def _log_failure(record, label, error):
    _logger.exception("%s: %s failed and was skipped", label, record)
    if not hasattr(record, "_message_log"):
        return
    try:
        with record.env.cr.savepoint():
            record.sudo()._message_log(
                body=record.env._(
                    "%(work)s could not be done for this record and was skipped: "
                    "%(error)s",
                    work=label,
                    error=str(error) or type(error).__name__,
                )
            )
    except Exception:  # the server log has it already
        _logger.exception("%s: could not log the failure on %s", label, record)


def cron_batch(model, domain, batch_size, cursor_key, process, label):
    """One batch of a cron: the next ``batch_size`` records of ``domain`` by
    id after the cursor ``cursor_key``, processed with ``process_isolated``.
    Reports the progress to the cron; returns the records done."""
    params = model.env["ir.config_parameter"].sudo()
    last_id = int(params.get_param(cursor_key, 0) or 0)
    records = model.search(
        [*domain, ("id", ">", last_id)], order="id", limit=batch_size
    )
    failed = process_isolated(records, process, label)
    remaining = 0
    if len(records) == batch_size:
        remaining = model.search_count([*domain, ("id", ">", records[-1].id)])
    params.set_param(cursor_key, records[-1].id if remaining else 0)
    model.env["ir.cron"]._notify_progress(done=len(records), remaining=remaining)
    return records - failed

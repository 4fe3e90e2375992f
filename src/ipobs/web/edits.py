"""Edits made in the web app, stored as import batches like every other change to the store."""

from __future__ import annotations

from ipobs.records.batch import RecordBatch
from ipobs.store.batch import BatchResult
from ipobs.web import i18n
from ipobs.web.errors import WebError


def save_edit(ctx, batch: RecordBatch) -> BatchResult:
    """Store ``batch`` as one strict batch (all rows or none) by the signed-in user. A store that refuses
    the writer gives a 403; a rejected row gives a 400 listing why."""
    try:
        with ctx.web.pool.writer() as store:
            result = store.import_batch(batch, user=ctx.user.name, strict=True)
    except PermissionError as e:
        raise WebError(403, str(e)) from None
    if result.status != "committed":
        raise WebError(400, i18n.gettext("The change was not saved."), [r.message for r in result.rejects])
    return result

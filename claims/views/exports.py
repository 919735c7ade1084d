"""Staff review area, the exports: the queue under its filters as CSV or JSON, for editors.

Editors only. An export carries every claim the filters match (unpublished ones, their
assignees and draft verdicts) out of the system at once, for the reports an editor answers for;
reviewers work in the queue itself, where the same claims are one page at a time. The rows are
streamed: read a chunk at a time and written as they are read.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from django.http import StreamingHttpResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from claims import exports, selectors
from claims.forms.review import QueueFilterForm
from claims.views.review import HtmxHttpRequest, editor_required


def _export(
    request: HtmxHttpRequest,
    render: Callable[[Iterable[dict[str, object]]], Iterator[str]],
    *,
    extension: str,
    content_type: str,
) -> StreamingHttpResponse:
    filters = QueueFilterForm(request.GET or None).to_filters()
    chunks = selectors.export_claim_chunks(filters, request.user)
    rows = exports.claim_rows(chunks, base_url=f"{request.scheme}://{request.get_host()}")
    response = StreamingHttpResponse(render(rows), content_type=content_type)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="claims-{stamp}.{extension}"'
    return response


@require_safe
@never_cache
@editor_required
def export_csv(request: HtmxHttpRequest) -> StreamingHttpResponse:
    return _export(
        request, exports.csv_lines, extension="csv", content_type="text/csv; charset=utf-8"
    )


@require_safe
@never_cache
@editor_required
def export_json(request: HtmxHttpRequest) -> StreamingHttpResponse:
    return _export(
        request,
        exports.json_lines,
        extension="json",
        content_type="application/json; charset=utf-8",
    )

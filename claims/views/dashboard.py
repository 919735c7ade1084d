"""Staff review area, the dashboard: claims by status, verdicts by rating, weekly throughput.

The chart is drawn server-side as SVG: no JavaScript library, nothing from a CDN.
"""

from __future__ import annotations

from django.template.response import TemplateResponse
from django.views.decorators.http import require_safe

from claims import selectors
from claims.extractor_quality import extractor_quality
from claims.views.review import HtmxHttpRequest, staff_required

CHART_HEIGHT = 180
BAR_WIDTH = 22
BAR_GAP = 14
LEFT_MARGIN = 40


@require_safe
@staff_required
def dashboard(request: HtmxHttpRequest) -> TemplateResponse:
    stats = selectors.dashboard_stats()
    peak = max([max(added, published) for _, added, published in stats.weeks] + [1])
    chart_height, bar_width, gap = CHART_HEIGHT, BAR_WIDTH, BAR_GAP
    bars = []
    for index, (week, added, published) in enumerate(stats.weeks):
        x = LEFT_MARGIN + index * (2 * bar_width + gap)
        added_h = round(chart_height * added / peak)
        published_h = round(chart_height * published / peak)
        bars.append(
            {
                "week": week,
                "added": added,
                "published": published,
                "x": x,
                "x2": x + bar_width,
                "added_y": 10 + chart_height - added_h,
                "added_h": added_h,
                "published_y": 10 + chart_height - published_h,
                "published_h": published_h,
                "label_x": x + bar_width,
            }
        )
    status_total = sum(n for _, _, n in stats.claims_by_status) or 1
    rating_peak = max([n for _, n in stats.verdicts_by_rating] + [1])
    extractor = extractor_quality(weeks=len(stats.weeks) or 12)
    return TemplateResponse(
        request,
        "review/dashboard.html",
        {
            "stats": stats,
            "bars": bars,
            "peak": peak,
            "chart_width": LEFT_MARGIN + len(bars) * (2 * bar_width + gap) + 10,
            "chart_height": chart_height,
            "axis_y": 10 + chart_height,
            "bar_width": bar_width,
            "status_rows": [
                (value, label, n, round(100 * n / status_total, 1))
                for value, label, n in stats.claims_by_status
            ],
            "extractor": extractor,
            "awaiting_approval": next(
                n for value, _, n in stats.claims_by_status if value == "awaiting_approval"
            ),
            "count_cap": selectors.QUEUE_COUNT_CAP,
            "rating_rows": [
                (rating, n, round(100 * n / rating_peak, 1))
                for rating, n in stats.verdicts_by_rating
            ],
        },
    )

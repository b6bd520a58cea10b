"""The usage chart's geometry: requests per hour as bars, errors as a darker part of each,
in SVG user units. Pure numbers, so the template only draws them (no style attribute and
no script: the CSP allows neither) and a unit test checks the picture's arithmetic."""

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

WIDTH, HEIGHT = 720, 220
LEFT, RIGHT, TOP, BOTTOM = 44, 8, 18, 26  # room for the axis figures and the hour labels
LABEL_EVERY = 6  # hours between labels: 00:00, 06:00, 12:00, 18:00 (UTC)


@dataclass(frozen=True)
class Bar:
    x: float
    width: float
    y: float  # top of the whole bar
    height: float
    error_y: float  # top of its error part, which sits at the bar's foot
    error_height: float
    title: str  # the exact figures, shown on hover (`<title>`) and read by screen readers
    label: str | None  # the hour under the bar, every LABEL_EVERY hours


def bar_chart(hours: list[dict[str, Any]]) -> dict[str, Any]:
    """`hours`: the gateway's 24 entries, oldest first ({hour, requests, errors})."""
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    base = TOP + plot_h
    peak = max((h["requests"] for h in hours), default=0)
    scale = plot_h / peak if peak else 0.0
    slot = plot_w / max(len(hours), 1)
    bars = []
    for n, entry in enumerate(hours):
        start = datetime.fromisoformat(entry["hour"].replace("Z", "+00:00"))
        height = entry["requests"] * scale
        errors = entry["errors"] * scale
        requests = f"{entry['requests']:,} request{'s' if entry['requests'] != 1 else ''}"
        bars.append(
            Bar(
                x=round(LEFT + n * slot + slot * 0.15, 2),
                width=round(slot * 0.7, 2),
                y=round(base - height, 2),
                height=round(height, 2),
                error_y=round(base - errors, 2),
                error_height=round(errors, 2),
                title=f"{start:%H:00} to {(start.hour + 1) % 24:02d}:00 UTC: {requests},"
                f" {entry['errors']:,} with an error",
                label=f"{start:%H:00}" if start.hour % LABEL_EVERY == 0 else None,
            )
        )
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "right": WIDTH - RIGHT,
        "top": TOP,
        "base": base,
        "labelY": base + 16,
        "peak": peak,
        "bars": [asdict(bar) for bar in bars],
    }

"""The usage chart's geometry: 24 bars on one baseline, heights in proportion to the busiest
hour, the error part inside its bar, labels every six hours, the exact figures in titles."""

from datetime import UTC, datetime, timedelta

from services.dashboard.domain.chart import BOTTOM, HEIGHT, TOP, bar_chart


def _hours(counts: list[tuple[int, int]], first: datetime) -> list[dict[str, object]]:
    return [
        {
            "hour": (first + timedelta(hours=n)).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "requests": r,
            "errors": e,
        }
        for n, (r, e) in enumerate(counts)
    ]


def test_bars_are_in_proportion_to_the_busiest_hour_with_errors_at_their_foot() -> None:
    counts = [(0, 0)] * 22 + [(50, 10), (100, 0)]
    chart = bar_chart(_hours(counts, datetime(2026, 12, 1, 0, tzinfo=UTC)))
    bars = chart["bars"]
    assert len(bars) == 24 and chart["peak"] == 100
    plot = HEIGHT - TOP - BOTTOM
    assert bars[-1]["height"] == plot and bars[-1]["y"] == TOP
    assert bars[-2]["height"] == plot / 2
    assert bars[-2]["error_height"] == plot / 10
    assert bars[-2]["error_y"] + bars[-2]["error_height"] == chart["base"]
    assert all(b["height"] == 0 and b["y"] == chart["base"] for b in bars[:22])
    xs = [b["x"] for b in bars]
    assert xs == sorted(xs) and all(b["x"] + b["width"] < chart["right"] for b in bars)
    assert bars[-2]["title"] == "22:00 to 23:00 UTC: 50 requests, 10 with an error"
    assert bars[-1]["title"] == "23:00 to 00:00 UTC: 100 requests, 0 with an error"


def test_hour_labels_every_six_hours_and_a_quiet_day_draws_flat_bars() -> None:
    chart = bar_chart(_hours([(0, 0)] * 24, datetime(2026, 12, 1, 5, tzinfo=UTC)))
    labels = [b["label"] for b in chart["bars"] if b["label"]]
    assert labels == ["06:00", "12:00", "18:00", "00:00"]
    assert chart["peak"] == 0 and all(b["height"] == 0 for b in chart["bars"])
    assert chart["bars"][0]["title"] == "05:00 to 06:00 UTC: 0 requests, 0 with an error"

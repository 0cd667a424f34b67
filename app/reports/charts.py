"""Charts for printed reports (reportlab.graphics): bars, pies and a trend line.

Every text in a chart uses the embedded CJK font, so Chinese labels print and copy as text.
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.charts.piecharts import Pie
from reportlab.graphics.shapes import Drawing, String
from reportlab.graphics.widgets.markers import makeMarker
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

# Calm office colours that stay apart on a grey-scale printer too (light → dark alternate).
PALETTE = [colors.HexColor(c) for c in (
    "#2F5597", "#ED7D31", "#70AD47", "#FFC000", "#5B9BD5", "#A5A5A5", "#9E480E", "#264478",
    "#43682B", "#997300", "#7F7F7F", "#C55A11",
)]
RECEIVED_COLOUR = PALETTE[0]
CLOSED_COLOUR = PALETTE[2]
TEXT_COLOUR = colors.HexColor("#333333")
GRID_COLOUR = colors.HexColor("#DDDDDD")

Items = Sequence[tuple[str, float]]


# Axis tops (times a power of ten) and how many equal steps each divides into neatly.
_TOPS = ((1.0, 5), (1.5, 3), (2.0, 4), (2.5, 5), (3.0, 6), (4.0, 4), (5.0, 5), (6.0, 6),
         (8.0, 4), (10.0, 5))


def nice_axis(value: float) -> tuple[float, float]:
    """(maximum, step) of a value axis a little above `value`, on round numbers."""
    if value <= 5:
        return 5.0, 1.0
    magnitude = float(10 ** (len(str(int(value))) - 1))
    for top, steps in _TOPS:
        if top * magnitude >= value * 1.08:
            return top * magnitude, top * magnitude / steps
    return 10 * magnitude, 2 * magnitude


def _thousands(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def _fit(text: str, font: str, size: float, width: float) -> str:
    """`text` shortened with an ellipsis so it fits `width` points."""
    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text + "…"


def bar_chart(items: Items, font: str, width: float = 250, height: float | None = None,
              colour: colors.Color = PALETTE[0]) -> Drawing:
    """Horizontal bars, largest first as given, the value printed at each bar's end."""
    size = 7.5
    height = height or max(60.0, 16.0 * len(items) + 24)
    d = Drawing(width, height)
    label_w = min(width * 0.42, max(stringWidth(name, font, size) for name, _ in items) + 6)
    chart = HorizontalBarChart()
    chart.x, chart.y = label_w + 2, 14
    chart.width, chart.height = width - label_w - 26, height - 20
    # The bar chart draws the first category at the bottom: reverse so the largest is on top.
    ordered = list(reversed(items))
    chart.data = [[v for _, v in ordered]]
    chart.categoryAxis.categoryNames = [_fit(n, font, size, label_w - 4) for n, _ in ordered]
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = size
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.categoryAxis.labels.dx = -3
    chart.categoryAxis.strokeColor = GRID_COLOUR
    chart.categoryAxis.tickLeft = 0
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax, chart.valueAxis.valueStep = nice_axis(
        max((v for _, v in items), default=0))
    chart.valueAxis.labels.fontName = font
    chart.valueAxis.labels.fontSize = 6.5
    chart.valueAxis.labelTextFormat = _thousands
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = GRID_COLOUR
    chart.valueAxis.strokeColor = GRID_COLOUR
    chart.bars[0].fillColor = colour
    chart.bars[0].strokeColor = None
    chart.barWidth = 6
    chart.groupSpacing = 4
    chart.barLabelFormat = _thousands
    chart.barLabels.fontName = font
    chart.barLabels.fontSize = 6.5
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 2
    chart.barLabels.fillColor = TEXT_COLOUR
    d.add(chart)
    return d


def pie_chart(items: Items, font: str, width: float = 250, height: float = 120) -> Drawing:
    """A pie with a legend on its right (label, count, share)."""
    size = 7.5
    d = Drawing(width, height)
    total = sum(v for _, v in items) or 1
    diameter = min(height - 10, width * 0.42)
    pie = Pie()
    pie.x, pie.y = 4, (height - diameter) / 2
    pie.width = pie.height = diameter
    pie.data = [v for _, v in items]
    pie.labels = None
    pie.simpleLabels = 1
    pie.startAngle = 90
    pie.direction = "clockwise"
    pie.slices.strokeColor = colors.white
    pie.slices.strokeWidth = 0.6
    for i in range(len(items)):
        pie.slices[i].fillColor = PALETTE[i % len(PALETTE)]
    d.add(pie)
    legend = Legend()
    legend.x, legend.y = diameter + 16, height - 6
    legend.alignment = "right"
    legend.fontName = font
    legend.fontSize = size
    legend.boxAnchor = "nw"
    legend.columnMaximum = 12
    legend.dy = 7
    legend.dx = 7
    legend.deltay = 10
    legend.strokeColor = None
    room = width - diameter - 30 - 60
    legend.colorNamePairs = [
        (PALETTE[i % len(PALETTE)],
         f"{_fit(name, font, size, room)}  {int(v)} ({100 * v / total:.0f}%)")
        for i, (name, v) in enumerate(items)
    ]
    d.add(legend)
    return d


def trend_chart(months: Sequence[str], series: Sequence[tuple[str, Sequence[float | None],
                                                             colors.Color]],
                font: str, width: float = 480, height: float = 170) -> Drawing:
    """Lines over months (e.g. received vs closed), with a legend above the plot."""
    d = Drawing(width, height)
    chart = HorizontalLineChart()
    chart.x, chart.y = 34, 22
    chart.width, chart.height = width - 44, height - 50
    chart.data = [[v if v is not None else None for v in values] for _, values, _ in series]
    chart.categoryAxis.categoryNames = list(months)
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = 6.5
    chart.categoryAxis.strokeColor = GRID_COLOUR
    chart.valueAxis.valueMin = 0
    top = max((v or 0 for _, values, _ in series for v in values), default=0)
    chart.valueAxis.valueMax, chart.valueAxis.valueStep = nice_axis(top)
    chart.valueAxis.labels.fontName = font
    chart.valueAxis.labels.fontSize = 6.5
    chart.valueAxis.labelTextFormat = _thousands
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = GRID_COLOUR
    chart.valueAxis.strokeColor = GRID_COLOUR
    chart.joinedLines = 1
    for i, (_, _, colour) in enumerate(series):
        chart.lines[i].strokeColor = colour
        chart.lines[i].strokeWidth = 1.6
        chart.lines[i].symbol = makeMarker("FilledCircle", size=3.2, fillColor=colour,
                                           strokeColor=colour)
    d.add(chart)
    legend = Legend()
    legend.x, legend.y = chart.x, height - 4
    legend.alignment = "right"
    legend.fontName = font
    legend.fontSize = 7.5
    legend.boxAnchor = "nw"
    legend.columnMaximum = 1
    legend.dx = legend.dy = 7
    legend.deltax = 90
    legend.strokeColor = None
    legend.colorNamePairs = [(colour, name) for name, _, colour in series]
    d.add(legend)
    return d


def note(text: str, font: str, width: float = 250, height: float = 30) -> Drawing:
    """A placeholder drawing with a short centred text (e.g. "no data")."""
    d = Drawing(width, height)
    d.add(String(width / 2, height / 2 - 3, text, fontName=font, fontSize=8,
                 fillColor=colors.grey, textAnchor="middle"))
    return d

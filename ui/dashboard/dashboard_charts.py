"""The dashboard's charts (QtCharts): open complaints by stage, this month against the last,
and average satisfaction over twelve months. Each chart is rebuilt from plain figures."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QLineSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, QPointF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import QApplication, QWidget

BLUE, GREY, GREEN = QColor("#2F5597"), QColor("#A5A5A5"), QColor("#70AD47")


def _nice_top(value: float) -> float:
    if value <= 5:
        return 5
    step = 10 ** (len(str(int(value))) - 1)
    for m in (1, 2, 2.5, 5, 10):
        if m * step >= value * 1.1:
            return float(m * step)
    return float(10 * step)


def _font(size_delta: int = 0) -> QFont:
    font = QFont(QApplication.font())
    font.setPointSize(max(7, font.pointSize() + size_delta))
    return font


class ChartBox(QChartView):
    """A chart view with a title, the application's (CJK) font and no animation."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumHeight(220)
        self.title = ""

    def _fresh(self, title: str) -> QChart:
        chart = QChart()
        chart.setTitle(title)
        chart.setTitleFont(_font(1))
        chart.setMargins(QMargins(4, 4, 4, 4))
        chart.legend().setFont(_font(-1))
        chart.setBackgroundRoundness(4)
        old = self.chart()
        self.setChart(chart)
        if old is not None:
            old.deleteLater()
        return chart

    @staticmethod
    def _axes(chart: QChart, series: QBarSeries | QLineSeries, categories: Sequence[str],
              top: float, integer: bool = True) -> None:
        x = QBarCategoryAxis()
        x.append(list(categories))
        x.setLabelsFont(_font(-1))
        x.setTruncateLabels(False)  # "Overdue at end" rather than "Overdue ..."
        y = QValueAxis()
        y.setRange(0, top)
        y.setLabelFormat("%d" if integer else "%.1f")
        y.setTickCount(6)
        y.setLabelsFont(_font(-1))
        chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(x)
        series.attachAxis(y)


class StageChart(ChartBox):
    """Open complaints per stage as horizontal bars (stage names stay readable); clicking a
    bar asks for that stage's queue."""

    stage_clicked = Signal(str)

    def show_counts(self, title: str, stages: Sequence[str], labels: Sequence[str],
                    counts: Sequence[int]) -> None:
        chart = self._fresh(title)
        # Bars are drawn bottom-up: reverse so the first stage is on top.
        order = list(reversed(range(len(stages))))
        bars = QBarSet(title)
        bars.append([float(counts[i]) for i in order])
        bars.setColor(BLUE)
        bars.setLabelColor(QColor("#222222"))
        bars.clicked.connect(lambda index: self.stage_clicked.emit(stages[order[index]]))
        series = QHorizontalBarSeries()
        series.append(bars)
        series.setLabelsVisible(True)
        series.setLabelsPosition(QHorizontalBarSeries.LabelsPosition.LabelsOutsideEnd)
        chart.addSeries(series)
        y = QBarCategoryAxis()
        y.append([labels[i] for i in order])
        y.setLabelsFont(_font(-1))
        x = QValueAxis()
        x.setRange(0, _nice_top(max(counts, default=0)))
        x.setLabelFormat("%d")
        x.setTickCount(6)
        x.setLabelsFont(_font(-1))
        chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
        chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(y)
        series.attachAxis(x)
        chart.legend().setVisible(False)


class MonthChart(ChartBox):
    """Figures of this month beside the month before (grouped bars)."""

    def show_months(self, title: str, labels: Sequence[str], names: tuple[str, str],
                    this: Sequence[int], before: Sequence[int]) -> None:
        chart = self._fresh(title)
        series = QBarSeries()
        for name, values, colour in ((names[1], before, GREY), (names[0], this, BLUE)):
            bars = QBarSet(name)
            bars.append([float(v) for v in values])
            bars.setColor(colour)
            series.append(bars)
        # No labels on the bars: the figures stand in the table beside the chart.
        chart.addSeries(series)
        self._axes(chart, series, labels, _nice_top(max([*this, *before, 0])))
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)


class TrendChart(ChartBox):
    """Average revisit satisfaction (1–5) per month; months without revisits leave a gap."""

    def show_trend(self, title: str, months: Sequence[str],
                   values: Sequence[float | None]) -> None:
        chart = self._fresh(title)
        line = QLineSeries()
        line.setName(title)
        line.setPen(QPen(QBrush(GREEN), 2.5))
        line.setPointsVisible(True)
        line.setPointLabelsVisible(True)
        line.setPointLabelsFormat("@yPoint")
        line.setPointLabelsFont(_font(-2))
        for i, v in enumerate(values):
            if v is not None:
                line.append(QPointF(i, v))
        chart.addSeries(line)
        # A category axis places the points at month i (0-based) under their label.
        self._axes(chart, line, months, 5, integer=True)
        chart.legend().setVisible(False)

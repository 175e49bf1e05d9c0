"""Exports: the interactive graph and timeline (self-contained HTML drawn with pyvis and
vis-network), the written report (Markdown or HTML with a static SVG timeline) and the
data formats (JSON, CSV, GraphML, GEXF, TimelineJS)."""

from kb.export.commands import write_all
from kb.export.formats import FORMATS, export_data, timelinejs_document
from kb.export.graph_html import write_graph_html
from kb.export.report import write_report
from kb.export.svg import timeline_svg
from kb.export.timeline_html import write_timeline_html

__all__ = [
    "FORMATS",
    "export_data",
    "timeline_svg",
    "timelinejs_document",
    "write_all",
    "write_graph_html",
    "write_report",
    "write_timeline_html",
]

"""Exports: the interactive graph and timeline (self-contained HTML drawn with pyvis and
vis-network), the written report (Markdown or HTML with a static SVG timeline) and the
data formats (JSON, CSV, GraphML, GEXF, TimelineJS)."""

from kb.lazy import lazy_exports

#: Where each name lives: importing the package (as the command line does to register
#: its export commands) loads no exporter until one is used.
_HOMES = {
    "FORMATS": "formats", "export_data": "formats", "timelinejs_document": "formats",
    "timeline_svg": "svg", "write_all": "commands", "write_graph_html": "graph_html",
    "write_report": "report", "write_timeline_html": "timeline_html",
}

__all__ = sorted(_HOMES)


__getattr__ = lazy_exports(__name__, _HOMES)

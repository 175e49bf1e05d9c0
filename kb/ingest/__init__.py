"""Reading source files into Articles."""

from kb.ingest.article import Article, article_id
from kb.ingest.discover import expand_paths
from kb.ingest.readers import ReadFailure, parse_plain_text, read_path

__all__ = ["Article", "ReadFailure", "article_id", "expand_paths", "parse_plain_text", "read_path"]

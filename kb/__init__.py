"""kb: a timeline and event-tracking knowledge base for the news.

>>> import kb
>>> parsed = kb.parse_article("Blinken said on Sunday that talks would go on.",
...                           published="2022-02-21")
>>> parsed.to_dict()["quotes"][0]["speaker"]["name"]
'Blinken'
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__all__ = ["__version__", "parse_article", "ParsedArticle"]
__version__ = "0.1.0"

if TYPE_CHECKING:
    from kb.extract.pipeline import parse_article
    from kb.extract.types import ParsedArticle


def __getattr__(name: str) -> Any:
    # Imported lazily so that `import kb` (and the CLI's --help) stays fast.
    if name == "parse_article":
        from kb.extract.pipeline import parse_article

        return parse_article
    if name == "ParsedArticle":
        from kb.extract.types import ParsedArticle

        return ParsedArticle
    raise AttributeError(name)

"""Read attribution annotations in brat standoff format (the PolNeAR layout).

An article is a ``.txt`` file plus an ``.ann`` file of text-bound annotations
(``T`` lines: ``Source``, ``Cue``, ``Content``, and an ``Attribution`` trigger) tied
together by ``E`` (event) lines, ``E1<TAB>Attribution:T4 Content:T3 Cue:T2 Source:T1``,
or by ``R`` (relation) lines whose two arguments belong to the same attribution.
Offsets are Python code-point offsets into the text, end exclusive; a discontinuous span
lists its fragments separated by ``;``.

Two folder layouts are read:

- the PolNeAR split layout, ``<split>/text/<article>.txt`` with
  ``<split>/attributions/<article>_<annotator>.ann`` (one or more annotators);
- a flat layout, ``<folder>/<article>.txt`` next to ``<folder>/<article>.ann``.

Publication dates come from a ``metadata.tsv`` (columns ``compartment``, ``filename``,
``publication_date``, ...) in the split folder or its parent. Malformed input raises
:class:`kb.errors.EvalError` naming the file and line, so a broken data set never
produces a silently wrong score.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from kb.errors import EvalError

__all__ = [
    "BratSpan",
    "GoldAttribution",
    "BratDocument",
    "read_ann",
    "read_document",
    "read_metadata",
    "read_split",
]

#: Labels of the trigger that an E line hangs the attribution on.
TRIGGER_LABELS = ("Attribution", "Attribution-no-source")
#: Labels that are not part of any attribution (annotators' flags).
IGNORED_LABELS = ("Discuss", "Discard")

_ID_LINE = re.compile(r"^[TERAMN#*]\d*\t")
_ANNOTATOR = re.compile(r"^(?P<article>.+)_(?P<annotator>[0-9a-f]{4})$")


@dataclass(frozen=True)
class BratSpan:
    """A text-bound annotation: label plus one or more (start, end) fragments."""

    id: str
    label: str
    fragments: tuple[tuple[int, int], ...]
    text: str

    @property
    def start(self) -> int:
        return self.fragments[0][0]

    @property
    def end(self) -> int:
        return self.fragments[-1][1]

    def chars(self) -> set[int]:
        """The character offsets covered (the union of the fragments)."""
        out: set[int] = set()
        for s, e in self.fragments:
            out.update(range(s, e))
        return out


@dataclass(frozen=True)
class GoldAttribution:
    """One gold attribution: content (always), source and cue (when annotated).

    ``content`` joins every ``Content``/``Content2`` fragment of the attribution.
    """

    id: str
    content: BratSpan
    source: BratSpan | None = None
    cue: BratSpan | None = None


@dataclass(frozen=True)
class BratDocument:
    """An annotated article: its text, gold attributions and publication date."""

    name: str
    text: str
    attributions: tuple[GoldAttribution, ...]
    published: str | None = None
    annotator: str | None = None
    path: str | None = None


def _parse_span(path: Path, lineno: int, fields: list[str], text: str) -> BratSpan:
    try:
        label, offsets = fields[1].split(" ", 1)
        frags = tuple((int(a), int(b)) for a, b in (f.split() for f in offsets.split(";")))
    except ValueError as exc:
        raise EvalError(
            f"{path}:{lineno}: malformed text-bound annotation {fields[1]!r}; expected "
            "'LABEL start end[;start end...]'"
        ) from exc
    for s, e in frags:
        if not 0 <= s <= e <= len(text):
            raise EvalError(
                f"{path}:{lineno}: span {s}-{e} of {fields[0]} lies outside the text "
                f"({len(text)} characters); is the .ann file paired with the right .txt?"
            )
    covered = " ".join(text[s:e] for s, e in frags)
    given = fields[2] if len(fields) > 2 else covered
    if " ".join(given.split()) != " ".join(covered.split()):
        raise EvalError(
            f"{path}:{lineno}: {fields[0]} says {given[:40]!r} but the text at "
            f"{frags} is {covered[:40]!r}; is the .ann file paired with the right .txt?"
        )
    return BratSpan(fields[0], label, frags, covered)


def _merge(spans: list[BratSpan]) -> BratSpan:
    frags = tuple(sorted(f for s in spans for f in s.fragments))
    return BratSpan(spans[0].id, spans[0].label, frags, " ".join(s.text for s in spans))


def _logical_lines(raw: str) -> list[tuple[int, str]]:
    """Lines of an .ann file, rejoining covered texts that contain a newline."""
    out: list[tuple[int, str]] = []
    for lineno, line in enumerate(raw.split("\n"), 1):
        if _ID_LINE.match(line) or not out:
            out.append((lineno, line))
        else:
            prev_no, prev = out[-1]
            out[-1] = (prev_no, prev + "\n" + line)
    return [(n, ln) for n, ln in out if ln.strip()]


def read_ann(path: Path, text: str) -> tuple[GoldAttribution, ...]:
    """Read the attributions of one ``.ann`` file annotating ``text``.

    Attributions without any content are skipped (nothing to match them against).
    """
    try:
        raw = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise EvalError(f"{path}: cannot read the annotation file: {exc}") from exc
    spans: dict[str, BratSpan] = {}
    groups: list[tuple[str, list[tuple[str, str]]]] = []
    links: list[tuple[str, str]] = []
    for lineno, line in _logical_lines(raw):
        fields = line.split("\t")
        kind = fields[0][0]
        if kind == "T":
            spans[fields[0]] = _parse_span(path, lineno, fields, text)
        elif kind == "E":
            roles = []
            for arg in fields[1].split() if len(fields) > 1 else []:
                role, _, ref = arg.partition(":")
                if not ref:
                    raise EvalError(f"{path}:{lineno}: malformed event argument {arg!r}")
                roles.append((role, ref))
            groups.append((fields[0], roles))
        elif kind == "R":
            args = [a.partition(":")[2] for a in fields[1].split()[1:]] if len(fields) > 1 else []
            if len(args) != 2 or not all(args):
                raise EvalError(f"{path}:{lineno}: malformed relation {fields[1:]!r}")
            links.append((args[0], args[1]))
    used: set[str] = set()
    out: list[GoldAttribution] = []
    for eid, roles in groups:
        by_role: dict[str, list[BratSpan]] = {}
        for role, ref in roles:
            if ref not in spans:
                raise EvalError(f"{path}: {eid} refers to {ref}, which is not defined")
            used.add(ref)
            key = "Content" if role.startswith("Content") else role.rstrip("0123456789")
            by_role.setdefault(key, []).append(spans[ref])
        if "Content" not in by_role:
            continue
        out.append(
            GoldAttribution(
                eid,
                _merge(by_role["Content"]),
                _merge(by_role["Source"]) if "Source" in by_role else None,
                _merge(by_role["Cue"]) if "Cue" in by_role else None,
            )
        )
    out.extend(_from_relations(path, spans, links, used))
    return tuple(sorted(out, key=lambda a: (a.content.start, a.content.end)))


def _from_relations(
    path: Path, spans: dict[str, BratSpan], links: list[tuple[str, str]], used: set[str]
) -> list[GoldAttribution]:
    """Attributions tied by relation lines: connected groups of linked spans."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            x = parent[x]
        return x

    for a, b in links:
        for ref in (a, b):
            if ref not in spans:
                raise EvalError(f"{path}: a relation refers to {ref}, which is not defined")
        if a in used or b in used:
            continue
        parent[find(a)] = find(b)
    comps: dict[str, list[BratSpan]] = {}
    for ref in parent:
        comps.setdefault(find(ref), []).append(spans[ref])
    out = []
    for members in comps.values():
        by = {
            lab: [s for s in members if s.label.startswith(lab)]
            for lab in ("Content", "Source", "Cue")
        }
        if by["Content"]:
            out.append(
                GoldAttribution(
                    by["Content"][0].id,
                    _merge(by["Content"]),
                    _merge(by["Source"]) if by["Source"] else None,
                    _merge(by["Cue"]) if by["Cue"] else None,
                )
            )
    return out


def read_metadata(path: Path) -> dict[str, dict[str, str]]:
    """Rows of a PolNeAR ``metadata.tsv`` keyed by article file name (no extension)."""
    try:
        with open(path, encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh, delimiter="\t"))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise EvalError(f"{path}: cannot read the metadata table: {exc}") from exc
    if rows and ("filename" not in rows[0] or "publication_date" not in rows[0]):
        raise EvalError(
            f"{path}: the metadata table needs the columns 'filename' and "
            f"'publication_date' (found {sorted(rows[0])})"
        )
    return {r["filename"]: r for r in rows}


def _published(meta: dict[str, dict[str, str]], name: str) -> str | None:
    row = meta.get(name)
    value = (row or {}).get("publication_date") or ""
    return value if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) else None


def read_document(txt_path: Path, ann_path: Path, published: str | None = None) -> BratDocument:
    """Read one article and its annotation file."""
    try:
        text = Path(txt_path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise EvalError(f"{txt_path}: cannot read the article text: {exc}") from exc
    stem = Path(ann_path).stem
    m = _ANNOTATOR.match(stem)
    return BratDocument(
        name=Path(txt_path).stem,
        text=text,
        attributions=read_ann(Path(ann_path), text),
        published=published,
        annotator=m.group("annotator") if m and m.group("article") == Path(txt_path).stem else None,
        path=str(txt_path),
    )


def read_split(folder: Path) -> list[BratDocument]:
    """Every annotated article of a split folder, sorted by name.

    Where an article has several annotators' files, the first (by annotator id) is
    used, so each article is scored once.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise EvalError(f"{folder}: not a folder; pass a split such as polnear/dev")
    text_dir = folder / "text" if (folder / "text").is_dir() else folder
    ann_dir = folder / "attributions" if (folder / "attributions").is_dir() else folder
    meta: dict[str, dict[str, str]] = {}
    for cand in (folder / "metadata.tsv", folder.parent / "metadata.tsv"):
        if cand.is_file():
            meta = read_metadata(cand)
            break
    anns: dict[str, Path] = {}
    for ann in sorted(ann_dir.glob("*.ann")):
        stem = ann.stem
        m = _ANNOTATOR.match(stem)
        article = (
            stem if (text_dir / f"{stem}.txt").is_file() else (m.group("article") if m else stem)
        )
        anns.setdefault(article, ann)
    if not anns:
        raise EvalError(f"{folder}: no .ann files found (looked in {ann_dir})")
    docs = []
    for article, ann in sorted(anns.items()):
        txt = text_dir / f"{article}.txt"
        if not txt.is_file():
            raise EvalError(f"{ann}: no article text {txt} to go with it")
        docs.append(read_document(txt, ann, _published(meta, article)))
    return docs

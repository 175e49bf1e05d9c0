"""Adding articles from the browser (``kb serve --allow-ingest``): upload, ingest, report.

An upload is a plain HTML form (multipart, no script) of article files in any format
``kb ingest`` reads. Its files are saved to a private temporary folder and handed to
one ingest thread, which runs :func:`kb.ingest.run.ingest` on each file in turn, off
the event loop, so pages stay responsive; then the folder is removed. Every file gets
the outcome ``kb ingest`` would report: stored (with what it added), duplicate (its
text is already stored) or skipped with the reason, by the name it was uploaded
under. Each article is stored in its own transaction, so a bad file costs only itself
and nothing stored before is lost. The job page refreshes itself (a ``<meta>``
refresh, no script) until the job is done; its JSON is at /api/ingest/ID.

Only the holder of the server's token may upload (:mod:`kb.serve.access`), the request
is bounded (:func:`upload_limit`) and so is every article in it (:mod:`kb.ingest.limits`).
"""

from __future__ import annotations

import queue
import re
import shutil
import tempfile
import threading
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from kb.errors import DatabaseError, KBError, NotFoundError
from kb.ingest.limits import Limits, megabytes
from kb.serve.access import CSRF_FIELD, Access, Session

__all__ = ["IngestOptions", "Jobs", "Job", "routes", "disabled_routes", "upload_limit",
           "UPLOAD_PATH", "MAX_FILES"]

UPLOAD_PATH = "/ingest"
#: Files in one upload.
MAX_FILES = 100
#: Jobs whose outcome is kept for their pages (the oldest finished ones are forgotten).
KEPT_JOBS = 50
_UNSAFE = re.compile(r"[^\w.\- ()+,@]+")


def upload_limit(limits: Limits) -> int:
    """The largest upload request accepted, in bytes: four of the largest article file
    (:attr:`Limits.max_bytes`), so an archive of a few articles fits; a larger one is
    for ``kb ingest``."""
    return 4 * limits.max_bytes


@dataclass(frozen=True)
class IngestOptions:
    """What ``--allow-ingest`` turns on: the token and the size limits."""

    token: str
    limits: Limits = field(default_factory=Limits)


@dataclass
class FileOutcome:
    """One uploaded file: its name as uploaded, and what ingesting it did."""

    name: str
    size: int
    status: str = "waiting"  # waiting, reading, stored, duplicate, skipped, not read
    detail: str = ""
    reasons: list[str] = field(default_factory=list)
    articles: int = 0
    events: int = 0
    statements: int = 0

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class Job:
    """One upload: its files in order, and where the ingest thread is."""

    id: str
    files: list[FileOutcome]
    folder: Path
    paths: list[Path]
    state: str = "queued"  # queued, running, done, failed
    error: str | None = None
    created: float = field(default_factory=time.time)
    finished: float | None = None

    @property
    def done(self) -> int:
        return sum(1 for f in self.files if f.status not in ("waiting", "reading"))

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "state": self.state,
            "error": self.error,
            "done": self.done,
            "total": len(self.files),
            "stored": sum(f.articles for f in self.files),
            "files": [f.to_dict() for f in self.files],
        }


class Jobs:
    """The upload jobs of one server and the one thread that ingests them, in order."""

    def __init__(self, store: Any, limits: Limits) -> None:
        self.store = store
        self.limits = limits
        self._jobs: dict[str, Job] = {}
        self._queue: queue.Queue[Job] = queue.Queue()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            return self._jobs.get(job_id)

    def recent(self) -> list[Job]:
        with self._lock:
            return sorted(self._jobs.values(), key=lambda j: j.created, reverse=True)

    def submit(self, job: Job) -> None:
        with self._lock:
            self._jobs[job.id] = job
            finished = [j for j in self._jobs.values() if j.state in ("done", "failed")]
            for old in sorted(finished, key=lambda j: j.created)[: max(0, len(self._jobs)
                                                                       - KEPT_JOBS)]:
                del self._jobs[old.id]
            if self._thread is None or not self._thread.is_alive():
                # a daemon: stopping the server mid-article loses only that article's
                # transaction, never what was stored before
                self._thread = threading.Thread(target=self._work, name="kb-ingest",
                                                daemon=True)
                self._thread.start()
        self._queue.put(job)

    def wait(self, job_id: str, timeout: float = 120.0) -> Job:
        """The job once it is done or failed (for tests and scripts)."""
        deadline = time.monotonic() + timeout
        while True:
            job = self.get(job_id)
            if job is None:
                raise NotFoundError(f"no ingest job {job_id!r}")
            if job.state in ("done", "failed") or time.monotonic() > deadline:
                return job
            time.sleep(0.05)

    def _work(self) -> None:
        while True:
            job = self._queue.get()
            try:
                run_job(self.store, job, self.limits)
            finally:
                shutil.rmtree(job.folder, ignore_errors=True)
                self._queue.task_done()


def run_job(store: Any, job: Job, limits: Limits) -> None:
    """Ingest the job's files one after the other, recording each one's outcome."""
    from kb.ingest.run import ingest

    job.state = "running"
    for outcome, path in zip(job.files, job.paths, strict=True):
        outcome.status = "reading"
        try:
            summary = ingest(store, [str(path)], limits=limits)
        except DatabaseError as exc:  # the database failed, not this file: stop here
            outcome.status, outcome.detail = "skipped", _named(str(exc), path, outcome.name)
            job.state, job.error = "failed", outcome.detail
            for rest in job.files:
                if rest.status == "waiting":
                    rest.status, rest.detail = "not read", "the job stopped before this file"
            break
        except KBError as exc:
            outcome.status, outcome.detail = "skipped", _named(str(exc), path, outcome.name)
            continue
        _record(outcome, summary, path)
    else:
        job.state = "done"
    job.finished = time.time()


def _record(outcome: FileOutcome, summary: Any, path: Path) -> None:
    """The outcome of one file from its ingest summary, as ``kb ingest`` reports it."""
    outcome.reasons = [_named(str(f), path, outcome.name) for f in summary.failed]
    stored = summary.new + summary.replaced
    outcome.articles, outcome.events, outcome.statements = (
        stored, summary.events, summary.statements)
    if stored:
        outcome.status = "stored"
        parts = [f"{stored} article{'s' if stored != 1 else ''} stored: {summary.events} "
                 f"events, {summary.statements} statements"]
        if summary.unchanged:
            parts.append(f"{summary.unchanged} already stored")
        if summary.failed:
            parts.append(f"{len(summary.failed)} skipped")
        outcome.detail = "; ".join(parts)
    elif summary.unchanged:
        outcome.status = "duplicate"
        outcome.detail = ("already stored (the same text)" if summary.unchanged == 1 else
                          f"all {summary.unchanged} articles already stored")
        if summary.failed:
            outcome.detail += f"; {len(summary.failed)} skipped"
    else:
        outcome.status = "skipped"
        if summary.failed:
            outcome.detail = "; ".join(outcome.reasons)
        elif summary.skipped:
            outcome.detail = f"no article in it ({summary.skipped} records that are not articles)"
        else:
            outcome.detail = "no article in it"


def _named(message: str, path: Path, name: str) -> str:
    """``message`` with the temporary path of the file replaced by its uploaded name."""
    return message.replace(str(path), name)


def safe_name(filename: str | None, number: int) -> str:
    """A file name to save an upload under: its last path part, without control or
    unusual characters, at most 120 characters, the suffix kept (it picks the reader)."""
    name = unicodedata.normalize("NFC", filename or "")
    name = re.split(r"[\\/]", name)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = _UNSAFE.sub("_", name).strip(" .")
    if not name:
        return f"upload-{number}.txt"
    stem, dot, suffix = name.rpartition(".")
    if dot and len(suffix) <= 10:
        return stem[: 120 - len(suffix) - 1] + "." + suffix if stem else name[:120]
    return name[:120]


# -- routes -----------------------------------------------------------------------------


def _access(request: Request) -> Access:
    return request.app.state.access


def _jobs(request: Request) -> Jobs:
    return request.app.state.jobs


def _refused(request: Request, message: str, status: int = 403) -> Response:
    from kb.serve.pages import render

    if request.url.path.startswith("/api"):
        return JSONResponse({"error": message, "status": status}, status_code=status)
    return render("error.html", status=status, message=message, code=status)


NO_SESSION = (
    "adding articles needs the token kb serve printed when it started: open the URL it "
    "printed (…/ingest?token=…) in this browser"
)


def _session(request: Request) -> tuple[Session | None, Response | None]:
    """The request's session, or the response that refuses it (or, for ``?token=``,
    trades the token for a session)."""
    access = _access(request)
    if "token" in request.query_params and request.method == "GET":
        traded = access.trade_token(request)
        if traded is not None:
            return None, traded
        return None, _refused(request, "this is not the token kb serve printed; " + NO_SESSION)
    session = access.session(request)
    if session is None:
        return None, _refused(request, NO_SESSION)
    return session, None


async def upload_page(request: Request) -> Response:
    from kb.serve.pages import render

    session, refused = _session(request)
    if refused is not None:
        return refused
    assert session is not None
    limits = request.app.state.jobs.limits
    return render(
        "ingest.html",
        csrf=session.csrf,
        csrf_field=CSRF_FIELD,
        jobs=_jobs(request).recent()[:10],
        most=megabytes(upload_limit(limits)),
        max_files=MAX_FILES,
        ingest_on=True,
    )


async def upload(request: Request) -> Response:
    """POST /ingest: save the files, queue the job, redirect to its page."""
    access = _access(request)
    session = access.session(request)
    if session is None:
        return _refused(request, NO_SESSION)
    if not access.same_origin(request):
        return _refused(request, "refused: this form was sent from another site")
    async with request.form(max_files=MAX_FILES, max_fields=MAX_FILES + 8) as form:
        if not access.csrf_ok(session, form.get(CSRF_FIELD)):
            return _refused(request, "refused: the form's CSRF token is missing or stale; "
                                     "reload the upload page and send it again")
        files = [f for f in form.getlist("files")
                 if isinstance(f, UploadFile) and (f.filename or f.size)]
        if not files:
            return _refused(request, "choose at least one article file to upload", 400)
        job = await _save(files)
    _jobs(request).submit(job)
    return RedirectResponse(f"{UPLOAD_PATH}/{job.id}", status_code=303)


async def _save(files: list[UploadFile]) -> Job:
    from kb.serve.access import new_token

    folder = Path(tempfile.mkdtemp(prefix="kb-serve-upload-"))
    outcomes, paths = [], []
    try:
        for n, upload_file in enumerate(files, start=1):
            name = safe_name(upload_file.filename, n)
            path = folder / str(n) / name
            path.parent.mkdir()
            size = 0
            with path.open("wb") as out:
                while chunk := await upload_file.read(1 << 20):
                    out.write(chunk)
                    size += len(chunk)
            outcomes.append(FileOutcome(name=name, size=size))
            paths.append(path)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return Job(id=new_token()[:16], files=outcomes, folder=folder, paths=paths)


def _job(request: Request) -> Job:
    job = _jobs(request).get(request.path_params["job_id"])
    if job is None:
        raise NotFoundError(f"no ingest job {request.path_params['job_id']!r} (jobs are "
                            "kept while the server runs)")
    return job


async def job_page(request: Request) -> Response:
    from kb.serve.pages import render

    session, refused = _session(request)
    if refused is not None:
        return refused
    job = _job(request)
    return render("ingest_job.html", job=job, ingest_on=True)


async def job_status(request: Request) -> Response:
    session, refused = _session(request)
    if refused is not None:
        return refused
    return JSONResponse(_job(request).to_dict())


def routes() -> list[Route]:
    return [
        Route(UPLOAD_PATH, upload_page, methods=["GET", "HEAD"]),
        Route(UPLOAD_PATH, upload, methods=["POST"]),
        Route(UPLOAD_PATH + "/{job_id}", job_page),
        Route("/api" + UPLOAD_PATH + "/{job_id}", job_status),
    ]


OFF = ("adding articles is off: this kb serve was started without --allow-ingest "
       "(the database is opened read-only); restart it with kb serve --allow-ingest")


async def _off(request: Request) -> Response:
    return _refused(request, OFF, 404)


def disabled_routes() -> list[Route]:
    """Without --allow-ingest: the upload addresses say why there is nothing there."""
    return [
        Route(UPLOAD_PATH, _off),
        Route(UPLOAD_PATH + "/{rest:path}", _off),
        Route("/api" + UPLOAD_PATH + "/{rest:path}", _off),
    ]

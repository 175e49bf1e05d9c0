"""Parsing on a Dask cluster: the spaCy parse and the extraction run on the cluster's
workers, the results come back here and are written to the store in this process.

``address`` is a scheduler address (``tcp://host:8786``) or ``local:N`` for a cluster
of N worker processes on this machine. Each worker loads the spaCy model once (the
module-level cache of :func:`kb.nlp.get_nlp`) and parses chunks of articles; only the
plain extracted records travel back. At most a few chunks per worker are in flight, so
memory stays bounded however large the archive.

Nothing is written by a worker, so a worker lost mid-run costs only its tasks, which
the scheduler runs again elsewhere; this process writes each article in its own
transaction, keyed by the article's content hash, so an article is stored exactly once
however often its chunk was computed.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import TYPE_CHECKING, Any

from kb.errors import ConfigError

if TYPE_CHECKING:
    from kb.extract.types import ParsedArticle

__all__ = ["parse_on_cluster", "connect"]

#: Chunks in flight per worker: one being parsed, one queued.
IN_FLIGHT = 2
#: How often a chunk is tried again when the task itself fails (not a lost worker,
#: which the scheduler handles by running the task elsewhere).
RETRIES = 2


@contextlib.contextmanager
def connect(address: str) -> Iterator[Any]:
    """A Dask client for ``address`` (``local:N`` starts a local cluster of N worker
    processes, one thread each, closed again at the end)."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:  # pragma: no cover - a dependency of kb
        raise ConfigError("--cluster needs Dask: pip install 'dask[distributed]'") from None
    cluster = None
    try:
        if address.startswith("local:"):
            try:
                n = int(address.removeprefix("local:"))
            except ValueError:
                raise ConfigError(f"--cluster {address!r}: write local:N, N the number of "
                                  "worker processes (e.g. local:2)") from None
            if n < 1:
                raise ConfigError(f"--cluster {address!r}: N must be at least 1")
            cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True,
                                   dashboard_address=None)
            client = Client(cluster)
        else:
            client = Client(address, timeout=30)
    except (OSError, TimeoutError) as exc:
        if cluster is not None:
            cluster.close()
        raise ConfigError(f"--cluster {address}: cannot reach the Dask scheduler ({exc}); "
                          "is it running, and is the address right?") from None
    try:
        yield client
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def parse_on_cluster(
    client: Any,
    items: Iterable[Any],
    chunk_size: int,
    max_length: int,
) -> Iterator[tuple[Any, ParsedArticle | str]]:
    """``(item, parsed or reason)`` for every item (with ``item.article``), parsed on
    the cluster's workers; results come back as chunks finish, not in input order."""
    from distributed import as_completed

    from kb.ingest.run import _parse_chunk

    workers = max(1, len(client.scheduler_info().get("workers", {})))
    stream = iter(items)
    pending: dict[Any, list[Any]] = {}
    done = as_completed()

    def submit() -> bool:
        chunk = list(islice(stream, chunk_size))
        if not chunk:
            return False
        tasks = [(i.article.text, i.article.published) for i in chunk]
        future = client.submit(_parse_chunk, tasks, chunk_size, max_length, pure=False,
                               retries=RETRIES)
        pending[future] = chunk
        done.add(future)
        return True

    while len(pending) < workers * IN_FLIGHT and submit():
        pass
    for future in done:
        chunk = pending.pop(future)
        results = future.result()
        future.release()
        yield from zip(chunk, results, strict=True)
        while len(pending) < workers * IN_FLIGHT and submit():
            pass

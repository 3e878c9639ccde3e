"""Per-document work on a running dask.distributed cluster (`python -m geo build --scheduler ADDR`).

The build is a pure function per document, so its geoparsing maps onto Dask tasks: one task per
partition of documents, submitted in order and gathered in order, so that the output is the one
the same build gives on one machine. What runs in a task is the caller's function; this module
knows nothing of gazetteers or claims. Values that every task needs (the curated places) are
scattered to the workers once rather than shipped with every task.

The workers must import this package at the same version as the client (`pip install` it where
they run): the caller's task checks that and fails with a clear message otherwise.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

CONNECT_TIMEOUT = "20s"


class ClusterError(RuntimeError):
    """The scheduler cannot be reached, or a task failed on a worker (the message says which)."""


def map_in_order(
    address: str,
    function: Callable[..., Any],
    partitions: Sequence[Any],
    shared: Any = None,
    on_result: Callable[[int], None] | None = None,
) -> list[Any]:
    """`[function(p, shared) for p in partitions]`, computed on the cluster at `address`.

    `shared` is scattered to every worker once. Results come back in the order of `partitions`;
    `on_result(k)` is called when the k-th is in (and those before it)."""
    if not partitions:
        return []
    try:
        from distributed import Client
    except ImportError as exc:  # pragma: no cover - a dependency of the project
        raise ClusterError(f"dask.distributed is not installed: {exc}") from exc
    try:
        client = Client(address, timeout=CONNECT_TIMEOUT, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        raise ClusterError(f"cannot reach the Dask scheduler at {address}: {exc}") from exc
    with client:
        shared_on_workers = client.scatter(shared, broadcast=True)
        futures = [
            client.submit(function, partition, shared_on_workers, pure=False)
            for partition in partitions
        ]
        results = []
        try:
            for k, future in enumerate(futures):
                results.append(future.result())
                futures[k] = None  # its result is here: the cluster can let it go
                if on_result is not None:
                    on_result(k)
        except Exception as exc:  # a task's exception, re-raised here by Dask
            raise ClusterError(f"a build task failed on the cluster: {exc}") from exc
        return results

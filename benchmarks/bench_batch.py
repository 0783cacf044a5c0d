"""Time a batch of attention explanations serially and on a Dask LocalCluster, in the same run.

Writes ``--items`` random float attention tensors (``--layers`` x ``--tokens``) to a temporary
``.npy`` file, runs :func:`symgame.batch.run_batch` on it in this process and then on a
``LocalCluster`` of ``--workers`` worker processes, prints both wall times (the cluster's start-up
separately), the speed-up, and whether every output file is byte-for-byte identical.  The load
average is printed before and after: on a shared machine the ratio depends on it.

Usage::

    python benchmarks/bench_batch.py                      # 8 tensors 2x10, 2 workers
    python benchmarks/bench_batch.py --items 16 --tokens 12 --workers 2
"""

import argparse
import os
import platform
import tempfile
import time

import numpy as np

from symgame.batch import BatchOptions, run_batch
from symgame.distributed import cluster_client

__all__ = ["main"]


def _load():
    try:
        return "load average " + ", ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:  # pragma: no cover
        return "load average unknown"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=8)
    parser.add_argument("--layers", type=int, default=2)
    parser.add_argument("--tokens", type=int, default=10)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    rng = np.random.default_rng(args.seed)
    A = rng.random((args.items, args.layers, args.tokens, args.tokens))
    A /= A.sum(axis=-1, keepdims=True)
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores; {args.items} tensors "
          f"{args.layers}x{args.tokens}, output token 0, explain() defaults; {_load()}")
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "tensors.npy")
        np.save(path, A)
        options = BatchOptions()
        start = time.perf_counter()
        run_batch(path, os.path.join(tmp, "serial"), options=options)
        serial = time.perf_counter() - start
        start = time.perf_counter()
        with cluster_client(workers=args.workers) as client:
            started = time.perf_counter() - start
            start = time.perf_counter()
            run_batch(path, os.path.join(tmp, "dask"), options=options, client=client)
            dask = time.perf_counter() - start
        names = sorted(os.listdir(os.path.join(tmp, "serial")))
        same = names == sorted(os.listdir(os.path.join(tmp, "dask"))) and all(
            open(os.path.join(tmp, "serial", f), "rb").read() == open(os.path.join(tmp, "dask", f), "rb").read()
            for f in names)
    print(f"serial (one process):            {serial:8.1f} s")
    print(f"LocalCluster, {args.workers} worker processes: {dask:8.1f} s  (+ {started:.1f} s cluster start-up)")
    print(f"speed-up: {serial / dask:.2f}x without start-up, {serial / (dask + started):.2f}x with it")
    print(f"output files identical: {same} ({len(names)} files); {_load()}")
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())

"""The SciPy max-flow engine: SciPy's compiled Dinic on ``int32`` capacities (exact while they fit)."""

import numpy as np

from ..errors import InvalidFlowError
from .inputs import INT32_SAFE

__all__ = ["scipy_max_flow"]


def scipy_max_flow(num_nodes, tails, heads, capacities, source, sink):
    """Exact maximum flow of an integer network by :func:`scipy.sparse.csgraph.maximum_flow`.

    Follows the integer-engine protocol of :mod:`symgame.flows.engines`.  SciPy stores
    capacities as ``int32`` (larger values would be silently truncated), so this engine
    refuses a network whose largest capacity or whose flow bound (the smaller of the
    capacity out of the source and into the sink) is above ``2**30``.  Parallel arcs are
    summed into one CSR entry and their flow is shared out again in arc order.

    Examples
    --------
    >>> scipy_max_flow(3, [0, 1, 0], [1, 2, 2], [2, 1, 1], 0, 2)
    (2, [1, 1, 1])
    >>> scipy_max_flow(2, [0], [1], [2**31], 0, 1)
    Traceback (most recent call last):
    ...
    symgame.errors.InvalidFlowError: engine 'scipy' needs scaled capacities up to 2**30, but the flow bound scales to 2147483648; use engine='dinic' or 'auto'
    """
    import scipy.sparse as sps
    from scipy.sparse.csgraph import maximum_flow

    tails = np.asarray(tails, dtype=np.int64)
    heads = np.asarray(heads, dtype=np.int64)
    caps = [int(c) for c in capacities]
    if not caps:
        return 0, []
    bound = max(caps)
    if bound <= INT32_SAFE:
        arr = np.asarray(caps, dtype=np.int64)
        bound = max(bound, min(int(arr[tails == source].sum()), int(arr[heads == sink].sum())))
    if bound > INT32_SAFE:
        raise InvalidFlowError(
            f"engine 'scipy' needs scaled capacities up to 2**30, but the flow bound scales to {bound}; "
            f"use engine='dinic' or 'auto'"
        )
    mat = sps.csr_array((arr.astype(np.int32), (tails.astype(np.int32), heads.astype(np.int32))),
                        shape=(num_nodes, num_nodes))
    res = maximum_flow(mat, int(source), int(sink))
    pair = np.maximum(np.asarray(res.flow[tails, heads]).ravel().astype(np.int64), 0)
    keys = tails * num_nodes + heads
    if len(np.unique(keys)) == len(keys):
        return int(res.flow_value), pair.tolist()
    # parallel arcs share one entry: hand its flow out in arc order, each up to its capacity
    left = {}
    flows = []
    for key, c, x in zip(keys.tolist(), caps, pair.tolist()):
        have = left.setdefault(key, x)
        take = min(c, have)
        left[key] = have - take
        flows.append(take)
    return int(res.flow_value), flows

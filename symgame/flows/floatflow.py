"""The float max-flow fast path for model-sized networks (SciPy rounds on a scaled grid, then repair)."""

import numpy as np

from ..errors import InvalidFlowError
from .inputs import INT32_SAFE, check_bounded

__all__ = ["ResidualPlan", "flow_bound", "float_max_flow", "contracted_value", "ortools_float_max_flow", "ortools_float_solver",
           "FLOAT_ROUND_SUM"]


class ResidualPlan:
    """CSR layout of a network's residual arcs (both directions of every edge), reused across max flows."""

    __slots__ = ("nn", "tails", "heads", "nnz", "indices", "indptr", "pos_fwd", "pos_rev", "partner", "rows",
                 "f_order", "f_indices", "f_indptr", "f_pos", "simple")

    def __init__(self, nn, tails, heads):
        import scipy.sparse as sps

        self.nn, self.tails, self.heads = nn, tails, heads
        m = len(tails)
        rt, rh = np.concatenate([tails, heads]), np.concatenate([heads, tails])
        both = sps.coo_array((np.arange(1, 2 * m + 1, dtype=np.int64), (rt, rh)), shape=(nn, nn)).tocsr()
        if both.nnz == 2 * m:  # no antiparallel edges: a counting sort (coo -> csr) gives the layout
            both.sort_indices()
            self.nnz = both.nnz
            self.indices = both.indices.astype(np.int32)
            self.indptr = both.indptr.astype(np.int32)
            pos = np.empty(2 * m, dtype=np.int64)
            pos[both.data - 1] = np.arange(2 * m)
            self.pos_fwd, self.pos_rev = pos[:m], pos[m:]
            self.partner = np.full(m, -1)
            self.rows = np.repeat(np.arange(nn, dtype=np.int32), np.diff(both.indptr))
            fwd = sps.coo_array((np.arange(1, m + 1, dtype=np.int64), (tails, heads)), shape=(nn, nn)).tocsr()
            fwd.sort_indices()
            self.f_order = fwd.data - 1
            self.f_indices = fwd.indices.astype(np.int32)
            self.f_indptr = fwd.indptr.astype(np.int32)
            self.f_pos = self.pos_fwd[self.f_order]
            self.simple = True
            return
        self.simple = False
        fwd_keys = tails * nn + heads
        keys = np.unique(np.concatenate([fwd_keys, heads * nn + tails]))
        self.nnz = len(keys)
        self.indices = (keys % nn).astype(np.int32)
        rows = keys // nn
        self.rows = rows
        self.indptr = np.searchsorted(rows, np.arange(nn + 1)).astype(np.int32)
        self.pos_fwd = np.searchsorted(keys, fwd_keys)
        self.pos_rev = np.searchsorted(keys, heads * nn + tails)
        order = np.argsort(fwd_keys)
        sorted_fwd = fwd_keys[order]
        rev = heads * nn + tails
        at = np.minimum(np.searchsorted(sorted_fwd, rev), len(sorted_fwd) - 1)
        self.partner = np.where(sorted_fwd[at] == rev, order[at], -1) if len(sorted_fwd) else np.zeros(0, int)
        # forward edges alone, in CSR order (SciPy adds the reverse arcs itself, faster than given ones)
        self.f_order = order
        self.f_indices = heads[order].astype(np.int32)
        self.f_indptr = np.searchsorted(tails[order], np.arange(nn + 1)).astype(np.int32)
        self.f_pos = self.pos_fwd[order]

    def residual(self, caps, flows):
        """Residual capacity of every CSR entry (parallel residual arcs added)."""
        if self.simple:  # no antiparallel edges: every CSR entry is one arc
            res = np.empty(self.nnz)
            res[self.pos_fwd] = caps - flows
            res[self.pos_rev] = flows
            return res
        return (np.bincount(self.pos_fwd, weights=caps - flows, minlength=self.nnz)
                + np.bincount(self.pos_rev, weights=flows, minlength=self.nnz))

    def masked(self, mask):
        """The CSR entries where ``mask`` holds, as a pattern matrix (for reachability and components)."""
        import scipy.sparse as sps

        indptr = np.zeros(self.nn + 1, dtype=np.int64)
        np.cumsum(np.bincount(self.rows[mask], minlength=self.nn), out=indptr[1:])
        return sps.csr_array((np.ones(int(indptr[-1]), dtype=np.int8), self.indices[mask], indptr),
                             shape=(self.nn, self.nn))


def flow_bound(nn, tails, heads, caps, s, t, nodes):
    """An upper bound on the ``s``-``t`` flow: the finite capacity in all, out of ``s`` and into ``t``.

    Unbounded arcs (``inf`` capacity) are allowed only where no unbounded ``s``-``t`` path runs
    through them (:func:`~symgame.flows.network.check_bounded` raises otherwise); the out-of-``s`` and
    into-``t`` sums count only when they hold no unbounded arc.

    Examples
    --------
    >>> import numpy as np
    >>> flow_bound(3, np.array([0, 1]), np.array([1, 2]), np.array([2.0, 5.0]), 0, 2, ["a", "b", "c"])
    2.0
    >>> flow_bound(3, np.array([0, 1]), np.array([1, 2]), np.array([np.inf, 5.0]), 0, 2, ["a", "b", "c"])
    5.0
    """
    inf = ~np.isfinite(caps)
    if inf.any():
        idx = np.flatnonzero(inf)
        check_bounded(nn, tails[idx], heads[idx], [None] * len(idx), s, t, nodes)
    bound = float(caps[~inf].sum())
    out_s, in_t = tails == s, heads == t
    if not inf[out_s].any():
        bound = min(bound, float(caps[out_s].sum()))
    if not inf[in_t].any():
        bound = min(bound, float(caps[in_t].sum()))
    return bound


def float_max_flow(nn, tails, heads, caps, s, t, nodes, plan=None, *, need_flow=True):
    """Float maximum flow: ``(value, per-edge flows)`` (flows ``None`` when ``need_flow`` is false).

    Round 1 runs SciPy's Dinic on the capacities rounded down to multiples of
    ``bound / 2**30``; the flow is feasible, and the residual capacity
    ``rem`` of the cut it saturates (in the rounded network) bounds the flow
    still missing.  Further rounds run on the residual network capped at
    ``rem`` (each gains about 30 bits) until ``rem <= 1e-12 * bound``.

    For the value alone (``need_flow=False``) the second round runs on a
    contracted residual network: an arc with residual capacity above ``rem``
    lies in no minimum cut of the residual network (any cut containing it
    has capacity above ``rem`` >= its maximum flow), so each strongly
    connected component of those arcs lies on one side of every minimum
    cut and can be one node; parallel arcs add up.  The maximum flow, hence
    the value, is unchanged, and the contracted network is small.
    """
    import scipy.sparse as sps
    from scipy.sparse.csgraph import breadth_first_order, maximum_flow

    if s == t:
        raise InvalidFlowError(f"source and sink are the same node {nodes[s]!r}; expected two different nodes")
    tails = np.asarray(tails, dtype=np.int64)
    heads = np.asarray(heads, dtype=np.int64)
    bound = flow_bound(nn, tails, heads, caps, s, t, nodes)
    out_s = tails == s
    caps = np.minimum(caps, bound)
    m = len(tails)
    flows = np.zeros(m)
    if bound <= 0 or m == 0:
        return 0.0, (flows if need_flow else None)
    if plan is None:
        plan = ResidualPlan(nn, tails, heads)
    has_partner = plan.partner >= 0
    remaining = bound
    first = True
    for _ in range(4):
        # round 1 sees the capacities, later rounds the residual network; capped at the remaining bound
        scale = INT32_SAFE / remaining
        if first and not has_partner.any():
            fwd = np.floor(np.minimum(caps, remaining)[plan.f_order] * scale).astype(np.int32)
            mat = sps.csr_array((fwd, plan.f_indices, plan.f_indptr), shape=(nn, nn))
            ints = np.zeros(plan.nnz, dtype=np.int32)
            ints[plan.f_pos] = fwd
        else:
            ints = np.floor(np.minimum(np.maximum(plan.residual(caps, flows), 0.0), remaining) * scale)
            ints = ints.astype(np.int32)
            mat = sps.csr_array((ints, plan.indices, plan.indptr), shape=(nn, nn))
        first = False
        result = maximum_flow(mat, s, t)
        fl = result.flow
        if fl.nnz == plan.nnz and np.array_equal(fl.indptr, plan.indptr) and np.array_equal(fl.indices, plan.indices):
            fdata = fl.data
        else:  # pragma: no cover - SciPy keeps the input layout; fall back to lookups
            fdata = np.asarray(fl[plan.rows, plan.indices]).ravel().astype(np.int32)
        g = fdata[plan.pos_fwd] / scale
        if has_partner.any():
            g = g - np.where(has_partner, flows[np.maximum(plan.partner, 0)], 0.0)
        flows = np.clip(flows + g, 0.0, caps)
        # remaining bound: the true residual capacity of the cut this round's flow saturates
        reach = np.zeros(nn, dtype=bool)
        reach[breadth_first_order(plan.masked(ints > fdata), s, directed=True, return_predecessors=False)] = True
        res = np.maximum(plan.residual(caps, flows), 0.0)
        remaining = float(res[reach[plan.rows] & ~reach[plan.indices]].sum())
        if remaining <= bound * 1e-12:  # the value is then within 1e-12 * bound of the maximum
            break
        if not need_flow:
            extra = contracted_value(plan, res, remaining, s, t)
            if extra is not None:
                return float(flows[out_s].sum() - flows[heads == s].sum()) + extra, None
    value = float(flows[out_s].sum() - flows[heads == s].sum())
    return value, (flows if need_flow else None)


def contracted_value(plan, res, rem, s, t):
    """Maximum-flow value of a residual network whose flow is at most ``rem`` (see :func:`float_max_flow`)."""
    from scipy.sparse.csgraph import connected_components

    ncomp, label = connected_components(plan.masked(res > rem), directed=True, connection="strong")
    if label[s] == label[t]:  # pragma: no cover - an arc path above rem from s to t contradicts the bound
        return None
    a, b = label[plan.rows], label[plan.indices]
    between = (a != b) & (res > 0)
    pairs = a[between].astype(np.int64) * ncomp + b[between]
    weights = np.minimum(res[between], rem)
    if ncomp * ncomp <= 4 * len(res):  # parallel arcs added up by counting (no sort)
        summed = np.bincount(pairs, weights=weights, minlength=ncomp * ncomp)
        keys = np.flatnonzero(summed)
        caps = np.minimum(summed[keys], rem)
    else:
        keys, inverse = np.unique(pairs, return_inverse=True)
        caps = np.minimum(np.bincount(inverse, weights=weights, minlength=len(keys)), rem)
    return float_max_flow(ncomp, keys // ncomp, keys % ncomp, caps, int(label[s]), int(label[t]),
                           range(ncomp))[0]




#: Sum of the scaled capacities of one OR-Tools float round (2**61: float rounding of the scaling can
#: push a few units up, never past ``INT64_SAFE``).
FLOAT_ROUND_SUM = 2**61


def ortools_float_max_flow(nn, tails, heads, caps, s, t, nodes, *, need_flow=True, solver=None):
    """Float maximum flow on OR-Tools ``int64`` rounds: ``(value, per-edge flows or None)``.

    The float path of :func:`float_max_flow` on OR-Tools' compiled push-relabel instead of SciPy's
    ``int32`` Dinic.  Round 1 scales the capacities (capped at the flow bound) so that they sum to
    ``2**61`` and rounds them down: the integer flow, divided back, is feasible for the float
    capacities, and the capacity lost to rounding on the minimum cut OR-Tools reports (under
    ``2**-61`` of the total per cut arc) bounds the flow still missing.  While that bound is above
    ``1e-12`` of the flow bound, another round runs on the residual network capped at it.  With
    about 2**50 units per unit of flow one round is usually enough.

    ``solver``: ``(solver, scale)`` or ``(solver, scale, sums)`` from :func:`ortools_float_solver` on
    these arcs and capacities (reused across sources and sinks; its round-1 scale is then that of the
    whole network; with ``sums`` a value-only call reads the flow bound from per-node sums).
    """
    from .ortools import OrToolsSolver

    if s == t:
        raise InvalidFlowError(f"source and sink are the same node {nodes[s]!r}; expected two different nodes")
    tails = np.asarray(tails, dtype=np.int64)
    heads = np.asarray(heads, dtype=np.int64)
    m = len(tails)
    if solver is not None and len(solver) > 2 and not need_flow:
        # shared solver: per-node sums computed once; unbounded arcs leave only the super-source, which is
        # not ``s`` and has no in-arcs, so no unbounded path starts at ``s``
        total, out_sum, in_sum, out_inf, in_inf = solver[2]
        bound = total
        if not out_inf[s]:
            bound = min(bound, float(out_sum[s]))
        if not in_inf[t]:
            bound = min(bound, float(in_sum[t]))
        if bound <= 0 or m == 0:
            return 0.0, None
        run, scale = solver[0], solver[1]
        value = run.value(s, t)
        side = np.zeros(nn, dtype=bool)
        side[np.asarray(run.solver.get_source_side_min_cut(), dtype=np.int64)] = True
        loss = (int(np.count_nonzero(side[tails] & ~side[heads])) + 1) / scale * (1 + 1e-9)
        if loss <= bound * 1e-12:
            return value / scale, None
        solver = solver[:2]  # the general rounds below
    bound = flow_bound(nn, tails, heads, caps, s, t, nodes)
    out_s = tails == s
    flows = np.zeros(m)
    if bound <= 0 or m == 0:
        return 0.0, (flows if need_flow else None)
    if solver is not None:
        solver = solver[:2]
    remaining = bound
    both_t, both_h = np.concatenate([tails, heads]), np.concatenate([heads, tails])
    for round_no in range(4):
        if round_no == 0:
            true_caps, r_t, r_h = caps, tails, heads
            if solver is not None:
                run, scale = solver
            else:
                capped = np.minimum(caps, bound)
                scale = FLOAT_ROUND_SUM / float(capped.sum())
                run = OrToolsSolver(nn, tails, heads, np.floor(capped * scale).astype(np.int64))
            total = run.value(s, t)
            if not need_flow:  # the value alone: each cut arc lost under 1 / scale to rounding down
                side = np.zeros(nn, dtype=bool)
                side[np.asarray(run.solver.get_source_side_min_cut(), dtype=np.int64)] = True
                loss = (int(np.count_nonzero(side[tails] & ~side[heads])) + 1) / scale * (1 + 1e-9)
                if loss <= bound * 1e-12:
                    return total / scale, None
            g = run.flow_array() / scale
            flows = np.minimum(g, caps)  # only float rounding of int / scale can exceed a capacity
        else:
            true_caps, r_t, r_h = np.concatenate([np.maximum(caps - flows, 0.0), flows]), both_t, both_h
            capped = np.minimum(true_caps, remaining)
            scale = FLOAT_ROUND_SUM / float(capped.sum())
            run = OrToolsSolver(nn, r_t, r_h, np.floor(capped * scale).astype(np.int64))
            run.value(s, t)
            g = run.flow_array() / scale
            flows = np.clip(flows + g[:m] - g[m:], 0.0, caps)
        # the flow still missing is at most the residual capacity left on this round's minimum cut
        side = np.zeros(nn, dtype=bool)
        side[np.asarray(run.solver.get_source_side_min_cut(), dtype=np.int64)] = True
        across = side[r_t] & ~side[r_h]
        remaining = min(remaining, float(np.maximum(true_caps[across] - g[across], 0.0).sum()))
        if remaining <= bound * 1e-12:
            break
    value = float(flows[out_s].sum() - flows[heads == s].sum())
    return value, (flows if need_flow else None)


def ortools_float_solver(nn, tails, heads, caps):
    """``(solver, scale, owner)``: one OR-Tools solver for round 1 of :func:`ortools_float_max_flow` from
    every source other than ``owner`` of one network, or ``None`` when the network cannot share one.

    Finite capacities are scaled so that they sum to ``2**61``.  Sharing needs every unbounded arc to
    leave one node without in-arcs (a super-source, ``owner``; ``-1`` if there is no unbounded arc):
    from any other source such arcs never carry flow (nothing reaches their tail), so they get capacity
    ``2**61`` without any sum inside the solver leaving ``int64``.  Abnar & Zuidema's per-pair flows are
    of this kind.

    Examples
    --------
    >>> caps = np.array([np.inf, 0.5, 0.25])
    >>> solver, scale, owner, sums = ortools_float_solver(4, np.array([0, 1, 2]), np.array([1, 2, 3]), caps)
    >>> owner, ortools_float_max_flow(4, [0, 1, 2], [1, 2, 3], caps, 1, 3, "sabt", solver=(solver, scale))[0]
    (0, 0.25)
    >>> ortools_float_max_flow(4, [0, 1, 2], [1, 2, 3], caps, 1, 3, "sabt", solver=(solver, scale, sums),
    ...                        need_flow=False)[0]
    0.25
    """
    from .ortools import OrToolsSolver

    inf = ~np.isfinite(caps)
    owner = -1
    if inf.any():
        owners = np.unique(tails[inf])
        if len(owners) != 1 or np.any(heads == owners[0]):
            return None
        owner = int(owners[0])
    total = float(caps[~inf].sum())
    if total <= 0:
        return None
    scale = FLOAT_ROUND_SUM / total
    ints = np.where(inf, FLOAT_ROUND_SUM, np.floor(np.where(inf, 0.0, caps) * scale)).astype(np.int64)
    finite = np.where(inf, 0.0, caps)
    sums = (total, np.bincount(tails, weights=finite, minlength=nn), np.bincount(heads, weights=finite, minlength=nn),
            np.bincount(tails, weights=inf, minlength=nn) > 0, np.bincount(heads, weights=inf, minlength=nn) > 0)
    return OrToolsSolver(nn, tails, heads, ints), scale, owner, sums

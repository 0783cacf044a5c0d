"""The big-integer Dinic max-flow engine: exact on Python integers of any size (pure Python)."""

from collections import deque

__all__ = ["dinic"]


def dinic(num_nodes, tails, heads, capacities, source, sink):
    """Dinic's algorithm on Python integers (or Fractions): ``(value, per-arc flows)``, exact at any size.

    Follows the integer-engine protocol of :mod:`symgame.flows.engines`; O(V^2 E).

    Examples
    --------
    >>> dinic(3, [0, 1, 0], [1, 2, 2], [2, 1, 2**70], 0, 2)
    (1180591620717411303425, [1, 1, 1180591620717411303424])
    """
    nn, s, t = int(num_nodes), int(source), int(sink)
    tails = [int(u) for u in tails]
    heads = [int(v) for v in heads]
    caps = list(capacities)
    m = len(tails)
    to = [0] * (2 * m)
    cap = [0] * (2 * m)
    adj = [[] for _ in range(nn)]
    for e in range(m):
        u, v = tails[e], heads[e]
        to[2 * e] = v
        cap[2 * e] = caps[e]
        to[2 * e + 1] = u
        adj[u].append(2 * e)
        adj[v].append(2 * e + 1)
    total = 0
    while True:
        level = [-1] * nn
        level[s] = 0
        queue = deque([s])
        while queue:
            u = queue.popleft()
            for e in adj[u]:
                if cap[e] > 0 and level[to[e]] < 0:
                    level[to[e]] = level[u] + 1
                    queue.append(to[e])
        if level[t] < 0:
            break
        it = [0] * nn
        while True:
            path = []
            u = s
            while u != t:
                lst = adj[u]
                i = it[u]
                while i < len(lst):
                    e = lst[i]
                    if cap[e] > 0 and level[to[e]] == level[u] + 1:
                        break
                    i += 1
                it[u] = i
                if i < len(lst):
                    path.append(lst[i])
                    u = to[lst[i]]
                else:
                    if u == s:
                        break
                    level[u] = -1
                    e = path.pop()
                    u = to[e ^ 1]
                    it[u] += 1
            if u != t:
                break
            b = min(cap[e] for e in path)
            for e in path:
                cap[e] -= b
                cap[e ^ 1] += b
            total += b
    return total, [cap[2 * e + 1] for e in range(m)]


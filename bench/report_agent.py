# SPDX-License-Identifier: GPL-3.0-or-later
"""The coding-agent part of the bench report (bench/lib/agent.sh's lines): agent-sized bodies
side by side with nginx, small calls beside big ones, and the throughput sweep. Used by
report.py; added latency is target minus direct within the same repetition, as there."""
from collections import defaultdict
import statistics


def _num(value):
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def _us(value):
    return "–" if value is None else f"{value:,.0f} µs"


class AgentResults:
    def __init__(self, rows):
        self.agent = {}
        for r in rows["agent"]:
            self.agent[(r["target"], int(r["size_kb"]), int(r["conns"]), int(r["rep"]))] = r
        self.sizes = sorted({k[1] for k in self.agent})
        self.conns = sorted({k[2] for k in self.agent})
        self.reps = sorted({k[3] for k in self.agent})
        self.mixed = defaultdict(list)
        for r in rows["mixed"]:
            self.mixed[r["target"]].append(r)
        self.sweep = defaultdict(list)
        for r in rows["sweep"]:
            self.sweep[(r["target"], int(r["conns"]))].append(r)

    def __bool__(self):
        return bool(self.agent or self.mixed or self.sweep)

    def added_p50(self, target, size, conns):
        out = []
        for rep in self.reps:
            t, d = self.agent.get((target, size, conns, rep)), self.agent.get(("direct", size, conns, rep))
            if t and d:
                out.append(_num(t["p50_us"]) - _num(d["p50_us"]))
        return _median(out)

    def mixed_p99(self, target, field):
        return _median([_num(r.get(field)) for r in self.mixed.get(target, [])])

    def best_rps_under(self, target, p99_limit_us):
        """The highest median requests/s among connection counts whose median p99 stays under the limit."""
        best = None
        for (t, conns), runs in self.sweep.items():
            if t != target:
                continue
            p99, rps = _median([_num(r["p99_us"]) for r in runs]), _median([_num(r["rps"]) for r in runs])
            if p99 is not None and p99 < p99_limit_us and (best is None or rps > best[0]):
                best = (rps, conns)
        return best


def agent_goals(ar):
    out = []
    for size in ar.sizes:
        for conns, factor in ((1, 2), (8, 3)):
            sw, ng = ar.added_p50("switchyard", size, conns), ar.added_p50("nginx", size, conns)
            if sw is None or not ng:
                continue
            out.append((f"~{size} KB agent body, {conns} conn.: passthrough added p50 ≤ {factor}× nginx's",
                        f"{_us(sw)} = {sw / ng:.1f}× ({_us(ng)})", sw <= factor * ng))
            tr = ar.added_p50("switchyard-translated", size, conns)
            if tr is not None:
                out.append((f"~{size} KB agent body, {conns} conn.: translated added p50 ≤ 4× nginx's passthrough",
                            f"{_us(tr)} = {tr / ng:.1f}×", tr <= 4 * ng))
    alone, beside = ar.mixed_p99("switchyard", "alone_p99_us"), ar.mixed_p99("switchyard", "beside_p99_us")
    if alone and beside is not None:
        out.append(("small calls beside two 400 KB senders: p99 ≤ 2× their p99 alone",
                    f"{_us(beside)} = {beside / alone:.1f}× ({_us(alone)} alone)", beside <= 2 * alone))
    return out


def agent_tables(ar):
    if not ar:
        return []
    out = ["## Coding-agent-sized calls", "",
           "Synthetic agent bodies (`bench/agent/make_bodies.py`: a ~25 KB system prompt, 20 tools with JSON "
           "schemas, a tool-calling conversation) POSTed by wrk; *passthrough* is the chat body to an OpenAI-kind "
           "target, *translated* the same conversation as a Messages body to `/v1/messages`, translated to chat and "
           "its answer back. Added p50 is the target's p50 minus the upstream's own in the same repetition.", "",
           "| body | conn. | nginx adds | Switchyard passthrough adds | ÷ nginx | Switchyard translated adds | ÷ nginx |",
           "|---|---|---|---|---|---|---|"]
    for size in ar.sizes:
        for conns in ar.conns:
            ng, sw = ar.added_p50("nginx", size, conns), ar.added_p50("switchyard", size, conns)
            tr = ar.added_p50("switchyard-translated", size, conns)
            ratio = lambda v: f"{v / ng:.1f}×" if v is not None and ng else "–"
            out.append(f"| ~{size} KB | {conns} | {_us(ng)} | {_us(sw)} | {ratio(sw)} | {_us(tr)} | {ratio(tr)} |")
    if ar.mixed:
        out += ["", "Small chat calls on one connection, alone and while two connections send ~400 KB bodies to the same target:", "",
                "| target | p50 alone | p99 alone | p50 beside | p99 beside | p99 beside ÷ alone |", "|---|---|---|---|---|---|"]
        for t in ("nginx", "switchyard"):
            a, b = ar.mixed_p99(t, "alone_p99_us"), ar.mixed_p99(t, "beside_p99_us")
            out.append(f"| {t} | {_us(ar.mixed_p99(t, 'alone_p50_us'))} | {_us(a)} | {_us(ar.mixed_p99(t, 'beside_p50_us'))} | "
                       f"{_us(b)} | {f'{b / a:.1f}×' if a and b is not None else '–'} |")
    if ar.sweep:
        out += ["", "Throughput of small chat calls while p99 stays under a bound (wrk at 1–64 connections; the best "
                "median requests/s among the connection counts that keep the bound):", "",
                "| target | p99 < 1 ms | p99 < 5 ms |", "|---|---|---|"]
        for t in ("nginx", "switchyard"):
            cells = []
            for limit in (1000, 5000):
                best = ar.best_rps_under(t, limit)
                cells.append(f"{best[0]:,.0f}/s ({best[1]} conn.)" if best else "none")
            out.append(f"| {t} | {cells[0]} | {cells[1]} |")
    return out + [""]

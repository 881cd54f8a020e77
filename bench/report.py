#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Turns the key=value lines bench/run.sh collected into bench/results/latest.md, and puts
the summary table into docs/performance.md between its bench:summary markers.

    report.py RAW LATEST_MD PERFORMANCE_MD

Every figure is the median of the repetitions with the lowest and highest in brackets.
Added latency is computed within each repetition (target minus direct, same connection
count, measured back to back) before taking the median."""
import statistics
import sys
from collections import defaultdict

from report_agent import AgentResults, agent_goals, agent_tables

START, END = "<!-- bench:summary:start -->", "<!-- bench:summary:end -->"
PEER = "portkey"


def parse(path):
    rows = defaultdict(list)
    meta, notes = {}, []
    for line in open(path, encoding="utf-8"):
        kind, _, rest = line.strip().partition(" ")
        fields = {}
        for item in rest.split(" "):
            if "=" in item:
                key, _, value = item.partition("=")
                fields[key] = value
        if kind == "meta":
            meta.update(fields)
        elif kind == "note":
            notes.append(fields.get("text", "").replace("_", " "))
        elif kind:
            rows[kind].append(fields)
    return rows, meta, notes


def num(value):
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


class Spread:
    """The median of some repetitions, with their minimum and maximum."""

    def __init__(self, values):
        self.values = [v for v in values if v is not None]

    def __bool__(self):
        return bool(self.values)

    @property
    def median(self):
        return statistics.median(self.values) if self.values else None

    def fmt(self, unit="", digits=0, scale=1.0):
        if not self.values:
            return "–"
        f = lambda v: f"{v * scale:,.{digits}f}"
        if len(self.values) == 1 or min(self.values) == max(self.values):
            return f"{f(self.median)}{unit}"
        return f"{f(self.median)}{unit} ({f(min(self.values))}–{f(max(self.values))})"


def ratio(a, b, digits=2):
    if a is None or b in (None, 0):
        return "–"
    return f"{a / b:.{digits}f}×"


class Results:
    def __init__(self, rows, meta):
        self.meta = meta
        self.targets = meta.get("targets", "direct,nginx,switchyard").split(",")
        self.peer = PEER if PEER in self.targets else None
        self.load = {}
        for r in rows["load"]:
            key = (r["target"], int(r["conns"]), int(r["rep"]))
            requests = num(r["requests"]) or 0
            cpu_s = (num(r["cpu_ticks"]) or 0) / (num(r["clk_tck"]) or 100)
            r["cpu_us_per_req"] = cpu_s * 1e6 / requests if requests else None
            self.load[key] = r
        self.conns = sorted({k[1] for k in self.load})
        self.reps = sorted({k[2] for k in self.load})
        self.streams = defaultdict(dict)
        for r in rows["stream"]:
            self.streams[r["target"]][int(r["rep"])] = r
        self.memory = {r["mode"]: r for r in rows["memory"]}
        self.logstore = rows["logstore"][-1] if rows["logstore"] else {}
        self.stats = rows["stats"]
        self.traces = rows["traces"][-1] if rows["traces"] else {}
        self.agentlog = rows["agentlog"][-1] if rows["agentlog"] else {}
        self.cappedlog = rows["cappedlog"][-1] if rows["cappedlog"] else {}
        self.manystreams = rows["manystreams"][-1] if rows["manystreams"] else {}
        self.agent = AgentResults(rows)

    def absolute(self, target, conns, field):
        return Spread([num(self.load.get((target, conns, rep), {}).get(field)) for rep in self.reps])

    def added(self, target, conns, field):
        out = []
        for rep in self.reps:
            t, d = self.load.get((target, conns, rep)), self.load.get(("direct", conns, rep))
            if t and d:
                out.append(num(t[field]) - num(d[field]))
        return Spread(out)

    def stream_added(self, target, field, base_field):
        out = []
        for rep, r in self.streams.get(target, {}).items():
            d = self.streams.get("direct", {}).get(rep)
            if d:
                out.append(num(r[field]) - num(d[base_field]))
        return Spread(out)

    def stream_abs(self, target, field):
        return Spread([num(r[field]) for r in self.streams.get(target, {}).values()])

    def stats_ms(self):
        """(query, requests counted, first ms, median of the rest ms, max of the rest ms)"""
        out = []
        for r in self.stats:
            ms = [float(s) * 1000 for s in r["seconds"].split(",") if s]
            rest = ms[1:] or ms
            out.append((r["query"], r.get("requests", "?"), ms[0], statistics.median(rest), max(rest)))
        return out

    def mb(self, mode, field):
        v = num(self.memory.get(mode, {}).get(field))
        return v * 1024 / 1e6 if v is not None else None


def goals(res):
    """(goal, measured, met) for every goal of the benchmark issue."""
    out = []
    sw = "switchyard"
    for c in (1, 8):
        if c not in res.conns:
            continue
        p50, p99 = res.added(sw, c, "p50_us"), res.added(sw, c, "p99_us")
        bound = 50 if c == 1 else 100
        out.append((f"added latency p50 ≤ {bound} µs at {c} connection(s)", p50.fmt(" µs"), p50.median is not None and p50.median <= bound))
        out.append((f"added latency p99 ≤ 1 ms at {c} connection(s)", p99.fmt(" µs"), p99.median is not None and p99.median <= 1000))
    top = max(res.conns) if res.conns else None
    if top:
        rps = {t: res.absolute(t, top, "rps").median for t in res.targets}
        cpu = {t: res.absolute(t, top, "cpu_us_per_req").median for t in res.targets}
        if rps.get("nginx"):
            out.append((f"requests/s at {top} connections ≥ 50 % of nginx's", ratio(rps[sw], rps["nginx"]),
                        rps[sw] >= 0.5 * rps["nginx"]))
        if res.peer and rps.get(res.peer):
            out.append((f"requests/s at {top} connections ≥ 10× the peer's", ratio(rps[sw], rps[res.peer], 1),
                        rps[sw] >= 10 * rps[res.peer]))
        if cpu.get("nginx"):
            out.append(("CPU per request ≤ 3× nginx's", f"{cpu[sw]:.1f} µs = {ratio(cpu[sw], cpu['nginx'])}",
                        cpu[sw] <= 3 * cpu["nginx"]))
    ttfb = res.stream_added(sw, "ttfb_p50_us", "ttfb_p50_us")
    if ttfb:
        out.append(("streaming TTFB overhead ≤ 1 ms", ttfb.fmt(" µs"), ttfb.median <= 1000))
        held = res.stream_added(sw, "delay_max_us", "delay_p50_us")
        out.append(("no chunk held > 1 ms (worst added delay)", held.fmt(" µs"), held.median <= 1000))
    many = res.manystreams
    if many.get("streams"):
        wanted, done, errors = int(num(many["wanted"])), int(num(many["streams"])), int(num(many["errors"]))
        out.append((f"{wanted:,} concurrent streams, none dropped",
                    f"{done:,} completed, {errors:,} failed; worst chunk delay {num(many['delay_max_us']) / 1000:.1f} ms",
                    errors == 0 and done >= wanted))
    for mode, limit in (("headless", 40), ("gui", 120)):
        idle = res.mb(mode, "idle_kib")
        if idle is not None:
            out.append((f"{mode} idle RSS ≤ {limit} MB", f"{idle:.1f} MB", idle <= limit))
            growth = res.mb(mode, "after_all_kib") - idle
            requests = int(num(res.memory[mode].get("requests")) or 0)
            out.append((f"{mode} RSS growth ≤ 10 MB over 100k requests", f"{growth:+.1f} MB over {requests:,}", growth <= 10))
    stats = res.stats_ms()
    if stats:
        worst = max(s[3] for s in stats)
        out.append(("/api/stats over 1M requests ≤ 200 ms", f"{worst:.0f} ms (slowest query, median)", worst <= 200))
    if res.traces.get("open_ms"):
        open_ms = num(res.traces["open_ms"])
        out.append(("Traces view open on 1M rows ≤ 300 ms", f"{open_ms:.0f} ms", 0 <= open_ms <= 300))
    if res.logstore.get("cpu_us_per_row"):
        cpu = num(res.logstore["cpu_us_per_row"])
        out.append(("log writer CPU per small row ≤ 19 µs", f"{cpu:.1f} µs", cpu <= 19))
    if res.agentlog.get("db_pct_of_raw"):
        pct = num(res.agentlog["db_pct_of_raw"])
        out.append(("200-turn agent session: log bytes ≤ 5 % of raw bodies", f"{pct:.2f} %", pct <= 5))
    if res.cappedlog.get("largest_file_mib"):
        c = res.cappedlog
        cap, largest = num(c["max_db_mib"]), num(c["largest_file_mib"])
        out.append((f"agent load, max_db_mib {cap:.0f}: file ≤ cap + 10 %",
                    f"{largest:.1f} MiB at most over {num(c['seconds']):.0f} s", largest <= cap * 1.1))
    return out + agent_goals(res.agent)


def summary_table(res):
    sw, lines = "switchyard", []
    peer = res.peer
    head = ["", "direct", "nginx", "Switchyard"] + (["Portkey"] if peer else []) + ["Switchyard ÷ nginx"] + (["Switchyard ÷ Portkey"] if peer else [])
    lines.append("| " + " | ".join(head) + " |")
    lines.append("|" + "---|" * len(head))

    def row(label, spreads, unit, digits=0, ratios=True, lower_better=True):
        cells = [label] + [s.fmt(unit, digits) if s else "–" for s in spreads]
        if ratios:
            values = dict(zip(["direct", "nginx", sw, peer], [s.median for s in spreads] + [None]))
            cells.append(ratio(values[sw], values["nginx"]))
            if peer:
                cells.append(ratio(values[sw], spreads[3].median))
        else:
            cells += ["–"] * (2 if peer else 1)
        lines.append("| " + " | ".join(cells) + " |")

    order = ["direct", "nginx", sw] + ([peer] if peer else [])
    for c in res.conns:
        row(f"added latency p50, {c} conn.", [Spread([0]) if t == "direct" else res.added(t, c, "p50_us") for t in order], " µs")
        row(f"added latency p99, {c} conn.", [Spread([0]) if t == "direct" else res.added(t, c, "p99_us") for t in order], " µs")
    top = max(res.conns) if res.conns else None
    if top:
        row(f"requests/s, {top} conn.", [res.absolute(t, top, "rps") for t in order], "")
        row(f"CPU per request, {top} conn.", [Spread([]) if t == "direct" else res.absolute(t, top, "cpu_us_per_req") for t in order], " µs", 1)
    row("stream TTFB overhead (p50)", [Spread([0]) if t == "direct" else res.stream_added(t, "ttfb_p50_us", "ttfb_p50_us") for t in order], " µs")
    row("worst delay added to a chunk", [Spread([]) if t == "direct" else res.stream_added(t, "delay_max_us", "delay_p50_us") for t in order], " µs")
    return "\n".join(lines)


def machine_lines(meta):
    m = lambda k: meta.get(k, "?").replace("_", " ")
    out = [f"- Date: {m('date')}; load average before the run: {m('load_before')}; whole run {m('wall_s')} s",
           f"- Machine: {m('cpu')}, {m('cores')} cores, {m('memory')}; Debian {m('debian')}, Linux {m('kernel')}",
           f"- Switchyard {m('switchyard')} at {m('commit')}, {m('build')}; Qt {m('qt')}, GCC {m('gcc')}",
           f"- nginx {m('nginx')}, wrk {m('wrk')}, Node {m('node')}"]
    if "portkey" in meta:
        out.append(f"- Portkey gateway {m('portkey')} with @hono/node-server {m('hono_node_server')} (pinned in bench/package-lock.json)")
    out.append(f"- {m('reps')} repetitions, {m('seconds')} s per measured point after 1 s of warm-up, connections {m('connections')}; "
               f"streams: {m('streams')} at once × {m('stream_rounds')} rounds, {m('chunks')} chunks {m('chunk_delay_ms')} ms apart")
    return out


def plain_tables(res):
    out = []
    for c in res.conns:
        out += [f"#### {c} connection(s)", "",
                "| target | p50 | p90 | p99 | max | added p50 | added p99 | requests/s | CPU per request | errors |",
                "|---|---|---|---|---|---|---|---|---|---|"]
        for t in res.targets:
            errors = sum(int(num(res.load.get((t, c, rep), {}).get(k)) or 0) for rep in res.reps
                         for k in ("errors_connect", "errors_read", "errors_write", "errors_status", "errors_timeout"))
            cpu = res.absolute(t, c, "cpu_us_per_req").fmt(" µs", 1) + (" (upstream's own)" if t == "direct" else "")
            added = lambda f: "–" if t == "direct" else res.added(t, c, f).fmt(" µs")
            out.append(f"| {t} | {res.absolute(t, c, 'p50_us').fmt(' µs')} | {res.absolute(t, c, 'p90_us').fmt(' µs')} | "
                       f"{res.absolute(t, c, 'p99_us').fmt(' µs')} | {res.absolute(t, c, 'max_us').fmt(' µs')} | {added('p50_us')} | "
                       f"{added('p99_us')} | {res.absolute(t, c, 'rps').fmt()} | {cpu} | {errors} |")
        out.append("")
    return out


def workers_table(res):
    """The small chat through Switchyard started with --workers 1 and 2 (BENCH_WORKERS)."""
    targets = sorted({k[0] for k in res.load if k[0].startswith("switchyard-w")})
    if not targets:
        return []
    out = ["| workers | connections | requests/s | added p50 | added p99 | CPU per request |", "|---|---|---|---|---|---|"]
    for c in res.conns:
        for t in targets:
            if not res.absolute(t, c, "rps"):
                continue
            out.append(f"| {t.removeprefix('switchyard-w')} | {c} | {res.absolute(t, c, 'rps').fmt()} | "
                       f"{res.added(t, c, 'p50_us').fmt(' µs')} | {res.added(t, c, 'p99_us').fmt(' µs')} | "
                       f"{res.absolute(t, c, 'cpu_us_per_req').fmt(' µs', 1)} |")
    return ["## Proxy workers", ""] + out + [""]


def stream_table(res):
    out = ["| target | TTFB p50 | TTFB p99 | TTFB overhead (p50) | chunk delay p50 | p99 | max | worst added | errors |",
           "|---|---|---|---|---|---|---|---|---|"]
    for t in res.targets:
        errors = sum(int(num(r.get("errors")) or 0) for r in res.streams.get(t, {}).values())
        over = "–" if t == "direct" else res.stream_added(t, "ttfb_p50_us", "ttfb_p50_us").fmt(" µs")
        worst = "–" if t == "direct" else res.stream_added(t, "delay_max_us", "delay_p50_us").fmt(" µs")
        out.append(f"| {t} | {res.stream_abs(t, 'ttfb_p50_us').fmt(' µs')} | {res.stream_abs(t, 'ttfb_p99_us').fmt(' µs')} | {over} | "
                   f"{res.stream_abs(t, 'delay_p50_us').fmt(' µs')} | {res.stream_abs(t, 'delay_p99_us').fmt(' µs')} | "
                   f"{res.stream_abs(t, 'delay_max_us').fmt(' µs')} | {worst} | {errors} |")
    return out


def memory_table(res):
    out = ["| Switchyard | idle | after the first tenth | after all | growth | requests | requests/s meanwhile |",
           "|---|---|---|---|---|---|---|"]
    for mode, label in (("headless", "headless"), ("gui", "window (Xvfb)")):
        r = res.memory.get(mode)
        if not r:
            continue
        idle, first, all_ = res.mb(mode, "idle_kib"), res.mb(mode, "after_first_kib"), res.mb(mode, "after_all_kib")
        out.append(f"| {label} | {idle:.1f} MB | {first:.1f} MB | {all_:.1f} MB | {all_ - idle:+.1f} MB | "
                   f"{int(num(r['requests'])):,} | {num(r.get('rps')) or 0:,.0f} |")
    return out


def logstore_lines(res):
    out = []
    ls = res.logstore
    if ls:
        out += [f"- Insert: {int(num(ls['rows'])):,} synthetic requests (with attempts, bodies and headers) through LogWriter in "
                f"{num(ls['insert_s']):.1f} s: **{num(ls['rows_per_s']):,.0f} rows/s**, {num(ls['cpu_us_per_row']):.1f} µs of CPU per row",
                f"- Size: {num(ls['db_bytes']) / 1e6:,.0f} MB, **{num(ls['bytes_per_row']):,.0f} bytes per request**"]
    if res.stats:
        out += ["", "| `/api/stats` over the whole log | requests counted | first call | median of the next 6 | slowest of them |",
                "|---|---|---|---|---|"]
        for q, n, first, median, worst in res.stats_ms():
            out.append(f"| `{q}` | {n} | {first:.0f} ms | {median:.0f} ms | {worst:.0f} ms |")
    if res.agentlog:
        a = res.agentlog
        out += [f"- Agent session: {a['turns']} turns (about 80 KB of fixed prefix, a tool call and its result per turn), "
                f"a commit per turn: **{num(a['db_pct_of_raw']):.2f} %** of the {num(a['raw_bytes']) / 1e6:,.1f} MB of raw bodies, "
                f"**{num(a['bytes_per_request']):,.0f} bytes per request** (raw {num(a['raw_per_request']):,.0f}), "
                f"{num(a['cpu_us_per_row']):,.0f} µs of writer CPU per row"]
    if res.cappedlog:
        c = res.cappedlog
        out += [f"- Agent load with `max_db_mib: {c['max_db_mib']}`: {int(num(c['calls'])):,} calls in {c['seconds']} s "
                f"({c['rate']}/s, bodies up to {c['largest_body_kb']} KB, {num(c['raw_mb']):,.0f} MB raw): the file and its WAL "
                f"were at most **{num(c['largest_file_mib']):.1f} MiB** ({num(c['over_cap_pct']):+.1f} % of the cap), "
                f"{int(num(c['bodies_shed'])):,} bodies shed, {int(num(c['rows_dropped'])):,} rows dropped, "
                f"{num(c['writer_cpu_us_per_row']):,.0f} µs of writer-thread CPU per row"]
    tr = res.traces
    if tr:
        logged = int(num((res.logstore or {}).get('rows')) or 0) if hasattr(res, 'logstore') else 0
        out += ["", f"Traces view (offscreen, on the log of {logged:,} requests, all time; times until the rows *and* their count are shown):", "",
                f"- open the view: **{tr.get('open_ms')} ms** (first rows after {tr.get('open_first_rows_ms')} ms)",
                f"- scroll on: the next page of 200 rows in {tr.get('next_page_p50_ms')} ms (median of 50; slowest {tr.get('next_page_max_ms')} ms)",
                f"- back to the newest rows: {tr.get('newest_ms')} ms; the oldest rows (a time range ending at the log's first day): "
                f"{tr.get('oldest_ms')} ms, and their next page {tr.get('oldest_next_page_ms')} ms",
                f"- errors only ({int(num(tr.get('rows')) or 0):,} of them): {tr.get('errors_filter_ms')} ms; the longest the GUI thread went without running a 5 ms timer: "
                f"{tr.get('gui_stall_max_ms')} ms"]
    return out


METHOD = """\
- **Fake upstreams.** Plain calls: nginx (1 worker) answering every POST with one fixed 938-byte
  `chat.completion` (`bench/data/chat-response.json`). Streams: `switchyard-bench-stream-upstream`
  (C++, one thread per connection) sending each chunk as its own HTTP chunk when due, stamped
  with the `CLOCK_MONOTONIC` time it was written.
- **Targets**, each in front of the same upstreams: *direct* (the upstream itself, the
  physical limit); *nginx* as a reverse proxy (`worker_processes auto`, keep-alive upstream,
  `proxy_buffering off`, no access log, the practical limit); *Switchyard* headless through an
  alias, logging every call to SQLite; *Portkey* (`@portkey-ai/gateway`, `NODE_ENV=production`,
  `--headless`) pointed at the same upstream with `x-portkey-custom-host`.
- **Load.** wrk with `bench/chat.lua` POSTs the same 899-byte chat request with the same headers
  to every target (Portkey's two routing headers included, which the others ignore), at each
  connection count for a fixed time after 1 s of warm-up. Targets are interleaved within every
  repetition; *added latency* is target minus direct within the same repetition.
- **CPU per request**: user + system time of the target's processes (nginx: master and
  workers; Switchyard and Node: every thread) over the measured run, divided by the requests
  wrk completed. For *direct* it is the fake upstream's own cost.
- **Streams**: `switchyard-bench-stream-client` (C++) opens K keep-alive connections and starts
  a stream on each at the same moment, for R rounds after one uncounted warm-up round. TTFB
  is from writing the request to the first SSE event; a chunk's delay is its arrival time
  minus its upstream stamp. *Worst added* = the largest chunk delay through the target minus
  the median chunk delay direct.
- **Memory**: VmRSS of a fresh Switchyard process (headless, and the window under Xvfb) 3 s
  after it starts listening, then after the first tenth of the requests and after all of them
  (wrk, 8 connections), each read once the process is idle again (under 2 CPU ticks in a
  second, at most 30 s), so work still queued from the load is done.
- **Log store**: `switchyard-bench-logstore` writes synthetic calls (`tests/support/SyntheticCalls`)
  over 28 days through `LogWriter` in batches of 10,000; `/api/stats` is timed with curl against
  a headless instance opened on that file; the Traces view is created offscreen on it.
- Everything runs on one 2-core machine at once: the load generator, the upstream and the
  target share the cores, so absolute figures are lower than on separate machines; ratios
  between targets measured the same way are the meaningful part."""


def write_latest(res, notes, path):
    goal_rows = goals(res)
    out = ["# Benchmark results", "", "Written by `make bench` (bench/run.sh, bench/report.py). Medians of the repetitions, "
           "lowest and highest in brackets.", ""]
    out += machine_lines(res.meta) + [""]
    if notes:
        out += ["Notes from this run:", ""] + [f"- {n}" for n in notes] + [""]
    out += ["## Goals", "", "| goal | measured | |", "|---|---|---|"]
    out += [f"| {g} | {m} | {'met' if ok else '**missed**'} |" for g, m, ok in goal_rows]
    out += ["", "## Summary", "", summary_table(res), "", "## Plain calls", ""] + plain_tables(res) + workers_table(res)
    out += agent_tables(res.agent)
    out += ["## Streams", ""] + stream_table(res) + ["", "## Memory", ""] + memory_table(res)
    out += ["", "## Request log at scale", ""] + logstore_lines(res) + ["", "## Method", "", METHOD, ""]
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(out))
    return goal_rows


def update_performance_page(res, goal_rows, path):
    block = [START, "", f"Measured by `make bench` on {res.meta.get('date', '?')} "
             f"({res.meta.get('cpu', '?').replace('_', ' ')}, {res.meta.get('cores', '?')} cores, everything on one machine); "
             "full figures in [bench/results/latest.md](../bench/results/latest.md).", "", summary_table(res), "",
             "| goal | measured | |", "|---|---|---|"]
    block += [f"| {g} | {m} | {'met' if ok else '**missed**'} |" for g, m, ok in goal_rows]
    block += ["", END]
    try:
        text = open(path, encoding="utf-8").read()
    except FileNotFoundError:
        text = "# Performance\n\n" + START + "\n" + END + "\n"
    if START in text and END in text:
        head, _, rest = text.partition(START)
        _, _, tail = rest.partition(END)
        text = head + "\n".join(block) + tail
    else:
        text = text.rstrip("\n") + "\n\n" + "\n".join(block) + "\n"
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def main():
    if len(sys.argv) != 4:
        sys.exit("usage: report.py RAW LATEST_MD PERFORMANCE_MD")
    rows, meta, notes = parse(sys.argv[1])
    res = Results(rows, meta)
    goal_rows = write_latest(res, notes, sys.argv[2])
    update_performance_page(res, goal_rows, sys.argv[3])
    missed = [g for g, _, ok in goal_rows if not ok]
    print(f"bench: {len(goal_rows) - len(missed)} of {len(goal_rows)} goals met" + (f"; missed: {'; '.join(missed)}" if missed else ""))


if __name__ == "__main__":
    main()

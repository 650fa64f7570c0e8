#!/usr/bin/env python3
"""Markdown summary of one bench run: `python3 bench/summarize.py bench/results/<stamp>`.

Reads runs.csv (written by bench/run.sh) and prints medians per tool and case, the Ferry/skopeo
ratios, the targets, the tune table and the memory case. Failed rows (rc != 0) are left out of
the medians and listed separately.
"""
import csv
import statistics
import sys
from pathlib import Path

out = Path(sys.argv[1])
rows = list(csv.DictReader(open(out / "runs.csv")))
ok = [r for r in rows if r["rc"] == "0"]
failed = [r for r in rows if r["rc"] != "0"]


def med(selection, column):
    values = [float(r[column]) for r in selection if r[column] not in ("", None)]
    return statistics.median(values) if values else None


def pick(tool, case, rounds=None, parallel=None):
    return [r for r in ok if r["tool"] == tool and r["case"] == case
            and (rounds is None or rounds(r["round"]))
            and (parallel is None or r["parallel"] == parallel)]


def fmt(value, digits=2):
    return "–" if value is None else f"{value:.{digits}f}"


def mb(value):
    return "–" if value is None else f"{value / 1e6:.1f}"


def ratio(a, b):
    return "–" if a is None or b in (None, 0) else f"{a / b:.2f}×"


main_round = lambda r: r.isdigit()
mem_round = lambda r: r.startswith("mem")
lines = []
say = lines.append

tools = [("ferry", "Ferry"), ("skopeo-sync", "skopeo sync"), ("skopeo-copy", "skopeo copy loop")]
stats = {}
if any(main_round(r["round"]) for r in rows):
    n = len({r["round"] for r in rows if main_round(r["round"])})
    say(f"### Bench set, medians of {n} rounds\n")
    say("| tool | run | wall s | client CPU s (user+sys) | peak RSS MB | dest blobs MB | MB/s | upstream reg. CPU s | dest reg. CPU s | n |")
    say("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for tool, label in tools:
        for case in ("cold", "noop"):
            sel = pick(tool, case, main_round)
            if not sel:
                continue
            s = {c: med(sel, c) for c in ("wall_s", "cpu_s", "max_rss_kb", "dest_blob_bytes",
                                          "src_registry_cpu_s", "dest_registry_cpu_s")}
            stats[(tool, case)] = s
            rate = s["dest_blob_bytes"] / s["wall_s"] / 1e6 if case == "cold" and s["wall_s"] else None
            say(f"| {label} | {case} | {fmt(s['wall_s'])} | {fmt(s['cpu_s'])} | {fmt(s['max_rss_kb'] / 1000, 1)} | "
                f"{mb(s['dest_blob_bytes'])} | {fmt(rate, 0) if rate else '–'} | {fmt(s['src_registry_cpu_s'])} | "
                f"{fmt(s['dest_registry_cpu_s'])} | {len(sel)} |")
    say("")
    say("### Ratios Ferry / skopeo (medians)\n")
    say("| run | measure | Ferry / skopeo sync | Ferry / skopeo copy loop |")
    say("| --- | --- | ---: | ---: |")
    for case in ("cold", "noop"):
        f = stats.get(("ferry", case))
        if not f:
            continue
        for column, label in (("wall_s", "wall time"), ("cpu_s", "client CPU"), ("max_rss_kb", "peak RSS"),
                              ("dest_registry_cpu_s", "dest registry CPU")):
            cells = [ratio(f[column], (stats.get((t, case)) or {}).get(column)) for t in ("skopeo-sync", "skopeo-copy")]
            say(f"| {case} | {label} | {cells[0]} | {cells[1]} |")
    say("")
    say("### Targets\n")
    def verdict(case, limit):
        f, s = stats.get(("ferry", case)), stats.get(("skopeo-sync", case))
        c = stats.get(("skopeo-copy", case))
        if not f or not s:
            return "not measured"
        parts = []
        for name, other in (("skopeo sync", s), ("skopeo copy loop", c)):
            if other:
                r = f["wall_s"] / other["wall_s"]
                parts.append(f"{r:.2f}× {name} ({'met' if r <= limit else f'MISSED: {r / limit:.2f}× the target'})")
        return "; ".join(parts)
    say(f"- cold copy ≤ 0.5× skopeo's wall time: {verdict('cold', 0.5)}")
    say(f"- no-op re-run ≤ 0.1× skopeo's wall time: {verdict('noop', 0.1)}")

tune = [r for r in ok if r["round"] == "tune"]
if tune:
    say("\n### Ferry cold copy by --parallel-images / --parallel-layers (one run each)\n")
    say("| images/layers | wall s | client CPU s | peak RSS MB | dest reg. CPU s | dest blobs MB |")
    say("| --- | ---: | ---: | ---: | ---: | ---: |")
    best = min(tune, key=lambda r: float(r["wall_s"]))
    for r in tune:
        mark = " **fastest**" if r is best else ""
        say(f"| {r['parallel']}{mark} | {r['wall_s']} | {r['cpu_s']} | {float(r['max_rss_kb']) / 1000:.1f} | "
            f"{r['dest_registry_cpu_s']} | {mb(float(r['dest_blob_bytes']))} |")

if any(mem_round(r["round"]) for r in rows):
    say("\n### Memory: one image with a single 1 GiB layer (medians)\n")
    say("| tool | wall s | client CPU s | peak RSS MB (max of runs) | peak RSS MB (median) | dest blobs MB | n |")
    say("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for tool, label in (("ferry", "Ferry"), ("skopeo-copy", "skopeo copy")):
        sel = pick(tool, "cold", mem_round)
        if sel:
            peak = max(float(r["max_rss_kb"]) for r in sel)
            say(f"| {label} | {fmt(med(sel, 'wall_s'))} | {fmt(med(sel, 'cpu_s'))} | {peak / 1000:.1f} | "
                f"{med(sel, 'max_rss_kb') / 1000:.1f} | {mb(med(sel, 'dest_blob_bytes'))} | {len(sel)} |")
    sel = pick("ferry", "cold", mem_round)
    if sel:
        peak = max(float(r["max_rss_kb"]) for r in sel) / 1000
        say(f"\n- peak RSS < 100 MB while a 1 GiB layer moves: Ferry {peak:.1f} MB "
            f"({'met' if peak < 100 else f'MISSED by {peak - 100:.1f} MB'})")

requests_file = out / "requests.csv"
if requests_file.exists():
    counts = list(csv.DictReader(open(requests_file)))
    if counts:
        say("\n### HTTP requests per run (one run each, access logs of the upstream and destination registries)\n")
        say("| tool | run | upstream | destination | upstream by kind | destination by kind |")
        say("| --- | --- | ---: | ---: | --- | --- |")
        order = ["ping", "manifest", "blob", "upload", "tags", "other"]
        for tool, label in (("ferry", "Ferry"), ("skopeo-sync", "skopeo sync")):
            for case in ("cold", "noop"):
                sel = [c for c in counts if c["tool"] == tool and c["case"] == case]
                if not sel:
                    continue
                def side(name):
                    rows_ = sorted((c for c in sel if c["side"] == name),
                                   key=lambda c: (order.index(c["kind"]) if c["kind"] in order else 99, c["method"]))
                    return sum(int(c["count"]) for c in rows_), ", ".join(f"{c['method']} {c['kind']} {c['count']}" for c in rows_)
                (ut, ub), (dt, db) = side("upstream"), side("dest")
                say(f"| {label} | {case} | {ut} | {dt} | {ub or '–'} | {db or '–'} |")

if failed:
    say("\n### Failed runs (left out of the medians)\n")
    for r in failed:
        say(f"- round {r['round']} {r['tool']} {r['case']} {r['parallel']}: rc={r['rc']} after {r['wall_s']} s {r['detail']}")

print("\n".join(lines))

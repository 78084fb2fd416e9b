"""Summaries of node-test results: console text, the docs' markdown table."""

from __future__ import annotations

import datetime
import os
import platform
import re
from collections import Counter, defaultdict

import onnx

STATUSES = ("passed", "failed", "skipped")


def counts(results) -> Counter:
    return Counter(r.status for r in results)


def summary(results, what: str) -> str:
    c, n = counts(results), len(results)
    pct = 100.0 * c["passed"] / n if n else 0.0
    return (f"{what}: {c['passed']} passed, {c['failed']} failed, {c['skipped']} skipped "
            f"of {n} ({pct:.1f}% passed)")


def total_line(results, backends: str) -> str:
    """The last line of the output; skips count as not passed."""
    return summary(results, f"conformance ({backends})")


def by_domain(results) -> list[tuple[str, list]]:
    """The default ONNX domain (the issue's 90% goal) apart from the others."""
    default = [r for r in results if r.domain == "default"]
    others = [r for r in results if r.domain != "default"]
    names = ", ".join(sorted({r.domain for r in others}))
    rows = [("default ONNX domain", default)]
    if others:
        rows.append((f"other domains ({names})", others))
    return rows


def by_op(results) -> dict[str, list]:
    ops = defaultdict(list)
    for r in results:
        ops[r.op].append(r)
    return dict(sorted(ops.items(), key=lambda kv: kv[0].lower()))


def reason_group(reason: str, keep_names: bool = False) -> str:
    """A reason without the details that differ from test to test (node names,
    numbers; with keep_names False also op and value names), so that equal
    causes group together."""
    # The engine's placement preamble repeats the node's op, which the per-op rows show.
    reason = re.sub(r"no backend can run node '[^']*' \([^)]*\): ", "", reason)
    reason = re.sub(r"(node )'[^']*'" if keep_names else r"()'[^']*'", r"\1'…'", reason)
    if not keep_names:  # "(and 3 more nodes)": the same cause, more often
        reason = re.sub(r" \(and \d+ more nodes?\)", "", reason)
    reason = re.sub(r"\[[-\d, ]*\]", "[…]", reason)
    return re.sub(r"(?<![\w.])-?\d[\d.e+-]*", "N", reason)


def grouped_reasons(results, keep_names: bool = False) -> list[tuple[str, int]]:
    return Counter(reason_group(r.reason, keep_names)
                   for r in results if r.status != "passed").most_common()


_MISSING_OP = re.compile(r"op '([^']+)' \(domain '([^']*)', opset \d+\) is not implemented")


def missing_ops(results) -> list[tuple[str, int]]:
    """Ops the engine reports as not implemented, by the tests they stop."""
    ops = Counter()
    for r in results:
        if r.status == "failed" and (m := _MISSING_OP.search(r.reason)):
            ops[m[1] if m[2] in ("", "ai.onnx") else f"{m[2]}:{m[1]}"] += 1
    return ops.most_common()


def text(results, backends: str, verbose: bool) -> str:
    lines = []
    for r in results:
        if verbose or r.status != "passed":
            tail = f": {r.reason}" if r.reason else ""
            lines.append(f"{r.status.upper():7} {r.name} [{r.op}]{tail}")
    lines.append("")
    lines.append(f"{'op':32} {'passed':>6} {'failed':>6} {'skipped':>7}")
    for op, rs in by_op(results).items():
        c = counts(rs)
        lines.append(f"{op:32} {c['passed']:6} {c['failed']:6} {c['skipped']:7}")
    lines.append("")
    lines.append("most common reasons:")
    lines += [f"  {n:5}  {reason}" for reason, n in grouped_reasons(results)[:15]]
    lines.append("")
    lines.append("missing ops (tests): " + ", ".join(f"{op} ({n})" for op, n in missing_ops(results)))
    lines.append("")
    lines += [summary(rs, what) for what, rs in by_domain(results)]
    return "\n".join(lines)


def metadata(engine_version: str) -> dict:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(line.split(":", 1)[1].strip() for line in f
                       if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return {
        "date": datetime.date.today().isoformat(),
        "machine": f"{platform.system()} {platform.machine()}, {cpu}, {os.cpu_count()} cores",
        "onnx": onnx.__version__,
        "engine": engine_version,
    }


BEGIN, END = "<!-- conformance table: begin -->", "<!-- conformance table: end -->"


def write_markdown(path, table: str) -> None:
    """Writes the table into `path` between the BEGIN/END markers, keeping
    the hand-written text around them; a file without markers is replaced."""
    old = path.read_text() if path.exists() else ""
    if BEGIN in old and END in old:
        head, rest = old.split(BEGIN, 1)
        table = f"{head}{BEGIN}\n{table}{END}{rest.split(END, 1)[1]}"
    path.write_text(table)


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def markdown(results, backends: str, meta: dict) -> str:
    out = [
        f"Backends `{backends}`; onnx {meta['onnx']} node tests; infer {meta['engine']}; "
        f"{meta['date']}; {meta['machine']}. Skips count as not passed.",
        "",
        "| tests | passed | failed | skipped | total | passed % |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for what, rs in by_domain(results) + [("all", results)]:
        c, n = counts(rs), len(rs)
        pct = 100.0 * c["passed"] / n if n else 0.0
        out.append(f"| {what} | {c['passed']} | {c['failed']} | {c['skipped']} | {n} | "
                   f"{pct:.1f} |")
    out += ["", "Most common reasons for a test not to pass:", "",
            "| tests | reason |", "| ---: | --- |"]
    out += [f"| {n} | {_cell(reason)} |" for reason, n in grouped_reasons(results)[:20]]
    missing = missing_ops(results)
    if missing:
        out += ["", "Operators reported as not implemented, with the number of tests each "
                "stops (the first one a test hits):", "",
                ", ".join(f"{_cell(op)} ({n})" for op, n in missing)]
    out += ["", "Per operator (tests named `*_expanded` count under the op they expand):", "",
            "| op | passed | failed | skipped | reasons |", "| --- | ---: | ---: | ---: | --- |"]
    for op, rs in by_op(results).items():
        c = counts(rs)
        reasons = "; ".join(f"{_cell(reason)} ({n})" for reason, n in grouped_reasons(rs, True))
        out.append(f"| {_cell(op)} | {c['passed']} | {c['failed']} | {c['skipped']} | "
                   f"{reasons} |")
    return "\n".join(out) + "\n"

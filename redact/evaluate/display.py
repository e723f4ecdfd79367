"""Rendering a :class:`redact.evaluate.Report` as rich tables."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from redact.evaluate.scoring import Report

if TYPE_CHECKING:
    from rich.console import Console

__all__ = ["print_report"]


def _pct(x: float | None) -> str:
    return "-" if x is None else f"{100 * x:.1f}%"


def print_report(report: Report, console: Console | None = None) -> None:
    """Render a report as rich tables: overall figures, per gold type, per predicted type."""
    from rich.console import Console
    from rich.table import Table

    con = console or Console(highlight=False)
    sysd, ds = report.system, report.dataset
    model = sysd.get("model") or {}
    if isinstance(model, Mapping):
        model = f"{model.get('package', '?')} {model.get('version', '?')}"
    con.print(f"dataset: {ds.get('name')} ({ds.get('format')}, {ds.get('documents')} documents, "
              f"{ds.get('chars')} chars)")
    con.print(f"system: {sysd.get('tool', '?')}; model: {model}; "
              f"policy: {', '.join(sysd.get('policy') or []) or '-'}")

    t = Table(title="Overall (letters and digits only)")
    t.add_column("metric")
    t.add_column("value", justify="right")
    o = report.overall
    rows = [("char recall (any type)", _pct(o.char_recall)),
            ("char recall (typed)", _pct(o.typed_char_recall)),
            ("span recall (any type)", _pct(o.span_recall)),
            ("span recall (typed)", _pct(o.typed_span_recall)),
            ("precision (any type)", _pct(report.precision)),
            ("precision (typed)", _pct(report.typed_precision)),
            ("F2", _pct(report.f2)),
            ("documents with a leak", f"{report.leaked_docs} / {report.documents}")]
    if report.chars_per_second:
        rows.append(("chars/s", f"{report.chars_per_second:,.0f}"))
    for k, v in rows:
        t.add_row(k, v)
    con.print(t)

    if report.leaks is not None:
        lk = report.leaks
        t2 = Table(title="Leak rule (protect strings found anywhere in the output, any case)")
        t2.add_column("kind")
        t2.add_column("strings", justify="right")
        t2.add_column("leaked", justify="right")
        for kind, (n, leaked) in sorted(lk.by_kind.items()):
            t2.add_row(kind, str(n), str(leaked))
        t2.add_row("all", str(lk.strings), str(lk.leaked))
        con.print(t2)
        con.print(f"statements with a leak: {lk.leaked_cases} / {lk.cases}; refused by "
                  f"verification: {lk.refused_cases}; public names lost: {lk.keep_lost} / "
                  f"{lk.keep}")

    g = Table(title="By gold type (recall)")
    for col in ("gold type", "spans", "missed", "char", "char typed", "span", "span typed"):
        g.add_column(col, justify="left" if col == "gold type" else "right")
    for name, c in sorted(report.by_type.items(), key=lambda kv: -kv[1].spans):
        label = name + (" *" if name in report.excluded_types else "")
        g.add_row(label, str(c.spans), str(c.spans - c.covered_spans), _pct(c.char_recall),
                  _pct(c.typed_char_recall), _pct(c.span_recall), _pct(c.typed_span_recall))
    con.print(g)
    if report.excluded_types:
        con.print(f"* not in the overall figures: {', '.join(report.excluded_types)} "
                  "(honorifics and job titles; no detector type matches them)")

    p = Table(title="By predicted type (precision)")
    for col in ("predicted type", "chars", "in any gold span", "in a matching gold span"):
        p.add_column(col, justify="left" if col == "predicted type" else "right")
    for name, pc in sorted(report.by_predicted_type.items(), key=lambda kv: -kv[1].chars):
        p.add_row(name, str(pc.chars), _pct(pc.precision), _pct(pc.typed_precision))
    con.print(p)

"""Benchmark: render every 様式 to PDF and DOCX, cold then warm.

    .venv/bin/python benchmarks/forms.py [--repeat 5] [--only bid,receipt]

The first render in a process is "cold" (fontconfig, the stylesheet and the font subsetter
warm up); the following N renders are "warm" and their median is what a user waits for.
Goal: a warm PDF well under 1 second (about 0.1 s a page), PDFs of tens of KB thanks to font
subsetting [000 表2: screen responses within about 1 second].
"""
from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:8.0f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=5, help="warm renders per form and format")
    parser.add_argument("--only", default="", help="comma-separated form codes")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    from pypdf import PdfReader

    import forms  # noqa: E402  (timed: WeasyPrint's import is part of a cold start)

    import_seconds = time.perf_counter() - started
    codes = [c for c in args.only.split(",") if c] or forms.codes()

    print(f"import forms: {import_seconds * 1000:.0f} ms; {args.repeat} warm renders per form (median)")
    header = f"{'form':24s} {'pages':>5s} {'PDF cold':>9s} {'PDF warm':>9s} {'ms/page':>8s} {'PDF KB':>7s} {'DOCX cold':>9s} {'DOCX warm':>9s} {'DOCX KB':>7s}"
    print(header)
    print("-" * len(header))
    worst_warm = 0.0
    for code in codes:
        t = time.perf_counter()
        pdf = forms.render_pdf(code)
        pdf_cold = time.perf_counter() - t
        pdf_warm = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            forms.render_pdf(code)
            pdf_warm.append(time.perf_counter() - t)
        t = time.perf_counter()
        docx = forms.render_docx(code)
        docx_cold = time.perf_counter() - t
        docx_warm = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            forms.render_docx(code)
            docx_warm.append(time.perf_counter() - t)
        pages = len(PdfReader(io.BytesIO(pdf)).pages)
        warm = statistics.median(pdf_warm)
        worst_warm = max(worst_warm, warm)
        print(
            f"{code:24s} {pages:5d} {_ms(pdf_cold):>9s} {_ms(warm):>9s} {_ms(warm / pages):>8s}"
            f" {len(pdf) / 1024:7.0f} {_ms(docx_cold):>9s} {_ms(statistics.median(docx_warm)):>9s}"
            f" {len(docx) / 1024:7.0f}"
        )
    print(f"slowest warm PDF: {worst_warm * 1000:.0f} ms ({'ok' if worst_warm < 1.0 else 'over 1 s'})")
    return 0 if worst_warm < 1.0 else 1


if __name__ == "__main__":
    raise SystemExit(main())

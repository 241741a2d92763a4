"""A 500-row decision to a signed PDF: the share of each step (Word, PDF, signature).

    .venv/bin/python bench/bench_decision_pdf.py                 # 500 rows, 3 runs
    BENCH_ROWS=1000 BENCH_RUNS=2 .venv/bin/python bench/bench_decision_pdf.py

Pure steps, no database: the Word builder (decisions.documents), LibreOffice headless
(decisions.pdf, a fresh profile each run, as in production), pyHanko PAdES with a
throw-away certificate (decisions.signing). Prints figures; nothing is asserted.
"""

import os
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

ROWS = int(os.environ.get("BENCH_ROWS", "500"))
RUNS = int(os.environ.get("BENCH_RUNS", "3"))


def main() -> None:
    import django

    django.setup()
    from bench_decision_docx import sample
    from cryptography.hazmat.primitives.asymmetric import rsa
    from pypdf import PdfReader

    from decisions.documents import build_decision
    from decisions.pdf import docx_to_pdf
    from decisions.signing import (
        Pkcs12Signer,
        _build_certificate,
        _name,
        make_demo_certificate,
        signature_box,
    )

    now = datetime.now(UTC)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    root = _build_certificate(
        subject=_name("Bench Root"),
        issuer=_name("Bench Root"),
        public_key=key.public_key(),
        signing_key=key,
        ca=True,
        not_before=now - timedelta(days=1),
        not_after=now + timedelta(days=30),
    )
    p12 = make_demo_certificate(
        "Ủy ban nhân dân tỉnh Lạng Sơn",
        root_key=key,
        root_certificate=root,
        not_before=now - timedelta(days=1),
        not_after=now + timedelta(days=30),
    )
    signer = Pkcs12Signer(p12, b"demo", organisation_name="Ủy ban nhân dân tỉnh Lạng Sơn")
    doc = sample(ROWS)
    timings: dict[str, list[float]] = {"word": [], "pdf": [], "signature": []}
    size = pages = 0
    for _ in range(RUNS):
        t0 = time.perf_counter()
        docx = build_decision(doc)
        t1 = time.perf_counter()
        pdf = docx_to_pdf(docx)
        t2 = time.perf_counter()
        signed = signer.sign(
            pdf,
            field_box=signature_box(pdf, signer_name=doc.signer_name),
            reason="bench",
            location="Lạng Sơn",
        )
        t3 = time.perf_counter()
        timings["word"].append(t1 - t0)
        timings["pdf"].append(t2 - t1)
        timings["signature"].append(t3 - t2)
        size = len(signed)
        pages = len(PdfReader(BytesIO(signed)).pages)
    total = sum(statistics.median(v) for v in timings.values())
    print(f"{ROWS} rows, {RUNS} runs, signed PDF {size / 1024:.0f} KiB ({pages} pages)")
    for step, values in timings.items():
        median = statistics.median(values)
        print(f"  {step:<10} median {median:6.2f} s  {100 * median / total:5.1f} %")
    print(f"  {'total':<10} median {total:6.2f} s")


if __name__ == "__main__":
    main()

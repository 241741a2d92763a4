"""How long building a 500-row decision (.docx, with its attached list) takes.

Run on demand (not a test; `make bench` runs every bench/bench_*.py):
    .venv/bin/python bench/bench_decision_docx.py            # 500 rows, 20 runs
    BENCH_ROWS=1000 BENCH_RUNS=10 .venv/bin/python bench/bench_decision_docx.py
    .venv/bin/python bench/bench_decision_docx.py --save /tmp/quyet-dinh.docx  # keep one

The builder is pure (no database), so this measures python-docx and our layout code only:
the same call the "download" page makes after reading the rows.
"""

import os
import statistics
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

ROWS = int(os.environ.get("BENCH_ROWS", "500"))
RUNS = int(os.environ.get("BENCH_RUNS", "20"))
SURNAMES = ["Nguyễn", "Hoàng", "Nông", "Lương", "Vi", "Hà", "Triệu", "Lý"]
GIVEN = ["Thị Thu Trang", "Văn Quyết", "Thị Mai Hương", "Đức Thắng", "Thị Ngọc Ánh", "Văn Lộc"]


def sample(rows: int):
    from decisions.documents import DecisionDoc, ListRow
    from dossiers.catalogue import RULE_SETS

    lines = []
    for i in range(rows):
        collective = i % 10 == 0
        lines.append(
            ListRow(
                kind="collective" if collective else "individual",
                full_name=f"Tổ chuyên môn số {i}"
                if collective
                else f"{SURNAMES[i % 8]} {GIVEN[i % 6]}",
                position="" if collective else "Giáo viên",
                organisation="Trường Tiểu học Hợp Thành, xã Hợp Thành",
                award="Bằng khen",
                achievement="Đã có thành tích xuất sắc trong thực hiện nhiệm vụ năm học 2025–2026",
            )
        )
    return DecisionDoc(
        issuer_lines=["ỦY BAN NHÂN DÂN", "TỈNH LẠNG SƠN"],
        number_line="Số: 05/QĐ-UBND",
        place="Lạng Sơn",
        day=date(2027, 2, 5),
        subject_line="Về việc tặng Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh",
        authority_line="CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH LẠNG SƠN",
        legal_bases=list(RULE_SETS["rs-2025"]["legal_bases"]),
        proposal_line="Theo đề nghị của Giám đốc Sở Nội vụ tại Tờ trình số 112/TTr-SNV "
        "ngày 28 tháng 01 năm 2027",
        award_name="Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh",
        prize_note="Tiền thưởng kèm theo thực hiện theo Nghị định số 152/2025/NĐ-CP.",
        implementers="Chánh Văn phòng Ủy ban nhân dân tỉnh, Giám đốc Sở Nội vụ",
        capacity_lines=["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"],
        signer_name="Đoàn Thu Hà",
        recipients=[
            "Như Điều 3;",
            "Các tập thể, cá nhân có tên tại Điều 1;",
            "Lưu: VT, SNV.",
        ],
        rows=lines,
        list_caption="(Kèm theo Quyết định số 05/QĐ-UBND ngày 05 tháng 02 năm 2027 "
        "của Chủ tịch UBND tỉnh)",
    )


def main() -> None:
    import django

    django.setup()
    from decisions.documents import build_decision

    doc = sample(ROWS)
    if "--save" in sys.argv:
        target = Path(sys.argv[sys.argv.index("--save") + 1])
        target.write_bytes(build_decision(doc))
        print(f"saved {target}")
        return
    build_decision(doc)  # warm-up: imports, templates
    times = []
    size = 0
    for _ in range(RUNS):
        start = time.perf_counter()
        size = len(build_decision(doc))
        times.append(time.perf_counter() - start)
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    print(f"decision .docx, {ROWS} rows, {RUNS} runs, {size / 1024:.0f} KiB")
    print(f"  median {statistics.median(times) * 1000:.0f} ms   p95 {p95 * 1000:.0f} ms")
    print(f"  min {times[0] * 1000:.0f} ms   max {times[-1] * 1000:.0f} ms")


if __name__ == "__main__":
    main()

"""Known inputs with hand-computed aggregates, shared by several report tests."""

from __future__ import annotations

from decimal import Decimal

from bot.app import App
from tests.helpers.clock import vn
from tests.reports.factories import filled

# CL 2025-Q3 (due 05/10/2025), by province and by the Press Department.
CL_Q3 = (
    ("QUANGTRI", "CL", "2025-Q3", {"ct1": "1.200.000/800.000", "ct2": "120.500/150.000"},
     {"provisional": ["ct2"], "notes": {"ct2": "Số liệu Bưu điện tỉnh"}, "comparisons": {"ct1": "Thái Lan 55%/45%"}}),
    ("HANOI", "CL", "2025-Q3", {"ct1": "300.000/700.000", "ct2": "100.000/120.000"},
     {"on_time": False, "at": vn(2025, 10, 9, 15, 0)}),
    ("HUE", "CL", "2025-Q3", {"ct1": "62%/38%", "ct2": "9.000/10.000"}, {"provisional": ["ct1"]}),
    ("LAICHAU", "CL", "2025-Q3", {"ct1": "10.000/10.000", "ct2": "1/2"}, {"sent": False}),  # a draft: not counted
    ("CBC", "CL", "2025-Q3", {"ct3": "1.150/1.000", "ct4": "30%", "ct5": "450/800", "ct6": "180/300", "ct7": "8",
                              "ct8": "7 (2,6%)", "ct9": "420/700", "trend": "1. Tăng đều.",
                              "difficulties": "=HYPERLINK(\"http://x\")", "proposals": "1. Hỗ trợ công cụ đo."}),
)
CL_Q2 = (
    ("QUANGTRI", "CL", "2025-Q2", {"ct1": "63%/37%", "ct2": "100.000/150.000"}),
    ("HANOI", "CL", "2025-Q2", {"ct1": "600.000/400.000", "ct2": "90.000/120.000"}),
    ("CBC", "CL", "2025-Q2", {"ct3": "1.100/1.000", "ct7": "7"}),
)
# ct1: urban Σ = 1.200.000 + 300.000 = 1.500.000, rural Σ = 800.000 + 700.000 = 1.500.000 → 50%/50%;
#      Huế gave only percentages (62%/38%): left out, named. Q2: Hà Nội 60% (counts), Quảng Trị 63% left out → 60%.
# ct2: (120.500 + 100.000 + 9.000) / (150.000 + 120.000 + 10.000) = 229.500 / 280.000 = 81,964…%
#      (the mean of the three percentages would be 83,44%). Q2: 190.000 / 270.000 = 70,37%.
CT2_Q3 = Decimal(229_500) * 100 / Decimal(280_000)
CT2_Q2 = Decimal(190_000) * 100 / Decimal(270_000)

# CDS 2025 (yearly), by press agencies of the Ministry of Finance and of Quảng Trị.
CDS_2025 = (
    ("BTC-TBTC", "CDS", "2025", {"nen_tang_so": "có", "tang_doanh_thu": "12.500/10.000", "doanh_thu_so": "3.200/12.500",
                                 "dao_tao": "45/45", "doc_gia": "5.900.000/5.000.000", "truong_thanh": "500"}),
    ("BTC-TCTC", "CDS", "2025", {"nen_tang_so": "có", "tang_doanh_thu": "1.100/1.000", "doanh_thu_so": "800/7.500",
                                 "dao_tao": "45/50", "doc_gia": "1.100.000/1.000.000", "truong_thanh": "520,5"},
     {"provisional": ["doanh_thu_so"]}),
    ("QT-BAO", "CDS", "2025", {"nen_tang_so": "không", "tang_doanh_thu": "20%", "doc_gia": "50%"}),
    ("QT-DAI", "CDS", "2025", {"nen_tang_so": "có", "tang_doanh_thu": "25%"}),
)
# nen_tang_so: 3 of 4 answered yes → 75%. tang_doanh_thu (meets: min 20): 25% ✓, 10% ✗, 20% ✓, 25% ✓ → 75%.
# doanh_thu_so: (3.200 + 800) / (12.500 + 7.500) = 20%. dao_tao (min 100%): 45/45 ✓, 45/50 ✗ → 50%.
# doc_gia: (6.000.000 + 1.100.000 … counts only) → (7.000.000 − 6.000.000) / 6.000.000 = 16,67%; QT-BAO's 50% left out.
# truong_thanh: (500 + 520,5) / 2 = 510,25.


def load(app: App, *groups: tuple) -> None:
    """Store every row of the given groups."""
    filled(app, *(row for group in groups for row in group))

"""Demo programmes, plans and projects for `manage.py seed_demo` (DEBUG only).

Thanh Hóa as the province reported it: in 2017 and the first half of 2018 the
centre ran 39 projects from the national (KCQG) and local (KCĐP) programmes,
five of them national in 2018 — one group project for forest-product
processing, four equipment investments. Then a plan a year to 2025, and the
current year 2026 (with the national proposals for 2027) holding a project in
every state.

Every project is written by `project_save_draft` and moved by the lifecycle
services; equipment, money, inspections and progress go through their model
methods, so every invariant the portal holds, the demo holds. The services pass
historical dates where they take one (submission day, decision, contract,
acceptance, settlement, disbursement dates); the timeline entries and
adjustment requests they stamp with the clock are set back to the day they
happened right after, so that a project's timeline reads as it went. Audit
stamps ("recorded at", the change history) keep the real moment of seeding;
on PostgreSQL a settled project's money rows could not be touched anyway
(migration 0053).

Deterministic: one random.Random(SEED), fixed dates (nothing reads today's
date); the current year is CURRENT_YEAR.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone

from enterprises.models import Establishment
from projects import services
from projects.lifecycle import decision_authority
from projects.models import (
    ActivityContent,
    Adjustment,
    CarryForward,
    Disbursement,
    DisbursementKind,
    DisbursementState,
    EquipmentInvestment,
    Inspection,
    Plan,
    Programme,
    ProgressUpdate,
    Project,
    ProjectFunding,
    Source,
    Status,
    Transition,
)

SEED = 2017
CURRENT_YEAR = 2026
# The demo's "now": nothing it records as done is dated later.
DEMO_TODAY = dt.date(CURRENT_YEAR, 11, 30)
CENTRE = "Trung tâm Khuyến công và Tiết kiệm năng lượng Thanh Hóa"
S = Status

# key: (source, name, first year, last year, decision no., decision date)
PROGRAMMES = {
    "kcqg-2016": (
        Source.NATIONAL,
        "Chương trình khuyến công quốc gia giai đoạn 2016–2020",
        2016,
        2020,
        "1288/QĐ-TTg",
        dt.date(2014, 8, 1),
    ),
    "kcqg-lam-san": (
        Source.NATIONAL,
        "Chương trình khuyến công quốc gia: phát triển chế biến lâm sản "
        "giai đoạn 2018–2020",
        2018,
        2020,
        "4750/QĐ-BCT",
        dt.date(2017, 12, 18),
    ),
    "kcqg-2021": (
        Source.NATIONAL,
        "Chương trình khuyến công quốc gia giai đoạn 2021–2025",
        2021,
        2025,
        "1881/QĐ-TTg",
        dt.date(2020, 11, 24),
    ),
    "kcqg-2026": (
        Source.NATIONAL,
        "Chương trình khuyến công quốc gia giai đoạn 2026–2030",
        2026,
        2030,
        "2646/QĐ-BCT",
        dt.date(2025, 10, 15),
    ),
    "kcdp-2016": (
        Source.LOCAL,
        "Chương trình khuyến công tỉnh Thanh Hóa giai đoạn 2016–2020",
        2016,
        2020,
        "2316/QĐ-UBND",
        dt.date(2016, 6, 24),
    ),
    "kcdp-2021": (
        Source.LOCAL,
        "Chương trình khuyến công tỉnh Thanh Hóa giai đoạn 2021–2025",
        2021,
        2025,
        "1005/QĐ-UBND",
        dt.date(2021, 3, 22),
    ),
    "kcdp-2026": (
        Source.LOCAL,
        "Chương trình khuyến công tỉnh Thanh Hóa giai đoạn 2026–2030",
        2026,
        2030,
        "1234/QĐ-UBND",
        dt.date(2025, 12, 20),
    ),
}

# Allocated budget per plan (đồng): DOMAIN.md's local ~1.47 and national
# ~1.35 billion a year, less in the year of the epidemic; 2021 exactly as
# reported (1.472 and 1.35 billion, fully committed).
LOCAL_ALLOCATION = {
    2017: 1_500_000_000,
    2018: 1_470_000_000,
    2019: 1_450_000_000,
    2020: 1_300_000_000,
    2021: 1_472_000_000,
    2022: 1_470_000_000,
    2023: 1_500_000_000,
    2024: 1_480_000_000,
    2025: 1_520_000_000,
    2026: 1_500_000_000,
    2027: 1_550_000_000,
}
NATIONAL_ALLOCATION = {
    2017: 1_400_000_000,
    2018: 1_350_000_000,
    2019: 1_300_000_000,
    2020: 1_200_000_000,
    2021: 1_350_000_000,
    2022: 1_350_000_000,
    2023: 1_350_000_000,
    2024: 1_400_000_000,
    2025: 1_350_000_000,
    2026: 1_350_000_000,
    2027: 1_400_000_000,
}
FOREST_ALLOCATION = {2018: 700_000_000, 2019: 600_000_000, 2020: 600_000_000}


def _programme_key(source: str, year: int) -> str:
    prefix = "kcqg" if source == Source.NATIONAL else "kcdp"
    start = 2016 if year <= 2020 else 2021 if year <= 2025 else 2026
    return f"{prefix}-{start}"


def _plan_decision(source: str, year: int) -> tuple[str, dt.date | None]:
    """Yearly plans: the ministry assigns the national plan in December of the
    year before, the provincial committee the local one in January. A plan
    whose decision would come after the demo's today is allocated but not
    decided yet (no decision is dated in the future, projects/models/dates.py)."""
    if source == Source.NATIONAL:
        number, day = f"{3800 + year % 100 * 7}/QĐ-BCT", dt.date(year - 1, 12, 20)
    else:
        number, day = f"{120 + year % 100 * 11}/QĐ-UBND", dt.date(year, 1, 12)
    if day > DEMO_TODAY:
        return "", None
    return number, day


# --- what each project is -------------------------------------------------------


@dataclass(frozen=True)
class Spec:
    """One demo project: plans and support per source, the content, the
    beneficiaries (devdata.establishments keys), and how far it has come."""

    fundings: tuple[tuple[str, int, int], ...]  # (programme key, year, support)
    content: int
    beneficiaries: tuple[str, ...] = ()
    status: str = S.SETTLED
    title: str = ""
    variant: str = ""
    group: bool = False
    # A detour before the decision: returned once, then resubmitted.
    returned: bool = False
    # Overrides of the generated timeline.
    submitted: dt.date | None = None
    decided: dt.date | None = None
    contract: dt.date | None = None
    months: int | None = None
    accepted: dt.date | None = None
    # "approved" (end date extended), "pending" (waiting for the Sở).
    adjustment: str = ""
    # Why it was returned / rejected / cancelled.
    reason: str = ""
    # Cancelled after the contract: the advance is refunded.
    paid_before_cancel: bool = False
    # The Sở approves less than requested (đồng less).
    cut: int = 0

    @property
    def year(self) -> int:
        return self.fundings[0][1]

    @property
    def national(self) -> bool:
        return any(key.startswith("kcqg") for key, _y, _a in self.fundings)

    @property
    def support(self) -> int:
        return sum(amount for _k, _y, amount in self.fundings)


def L(year: int, content: int, beneficiaries, support: int, **kw) -> Spec:
    """A local project."""
    return Spec(
        ((_programme_key(Source.LOCAL, year), year, support),),
        content,
        tuple(beneficiaries),
        **kw,
    )


def N(year: int, content: int, beneficiaries, support: int, **kw) -> Spec:
    """A national project."""
    return Spec(
        ((_programme_key(Source.NATIONAL, year), year, support),),
        content,
        tuple(beneficiaries),
        **kw,
    )


def F(year: int, beneficiaries, support: int, **kw) -> Spec:
    """A national group project of the forest-product programme."""
    return Spec(
        (("kcqg-lam-san", year, support),),
        4,
        tuple(beneficiaries),
        group=True,
        **kw,
    )


def B(year: int, content: int, beneficiaries, national: int, local: int, **kw) -> Spec:
    """A project drawing on both sources."""
    return Spec(
        (
            (_programme_key(Source.NATIONAL, year), year, national),
            (_programme_key(Source.LOCAL, year), year, local),
        ),
        content,
        tuple(beneficiaries),
        **kw,
    )


M = 1_000_000
CONTEST = "Tổ chức bình chọn sản phẩm công nghiệp nông thôn tiêu biểu cấp tỉnh năm {}"
FOREST_TITLE = (
    "Hỗ trợ các cơ sở CNNT trên địa bàn phát triển chế biến lâm sản giai đoạn 2018–2020"
)
_d = dt.date

# 2017 and the first half of 2018: the 39 projects of the province's report.
REPORTED: list[Spec] = [
    # Local plan 2017: 18 projects.
    L(2017, 4, ["ls-thanh-vinh"], 110 * M),
    L(2017, 4, ["coi-nga-son"], 95 * M),
    L(2017, 4, ["co-khi-thieu-hoa"], 110 * M),
    L(2017, 4, ["gach-yen-dinh"], 110 * M),
    L(2017, 4, ["nem-hac-thanh"], 80 * M, returned=True,
      reason="Bổ sung 03 báo giá thiết bị và bản sao giấy chứng nhận đăng ký "
      "kinh doanh."),
    L(2017, 4, ["luong-quan-son"], 100 * M),
    L(2017, 4, ["dong-tra-dong"], 90 * M),
    L(2017, 4, ["mam-ba-lang"], 85 * M),
    L(2017, 1, ["tho-cam-pu-luong"], 60 * M,
      title="Đào tạo nghề dệt thổ cẩm cho 30 lao động nữ người Thái tại xã Cổ Lũng"),
    L(2017, 1, ["may-tre-cam-thuy"], 55 * M, cut=3 * M,
      title="Đào tạo nghề mây tre đan xuất khẩu cho 35 lao động nông thôn tại Cẩm Tú"),
    L(2017, 1, ["coi-nga-an"], 50 * M,
      title="Truyền nghề dệt cói mỹ nghệ cho 30 lao động tại xã Nga An"),
    L(2017, 3, ["gach-dinh-tan"], 120 * M, variant="cơ sở đang hoạt động"),
    L(2017, 3, ["ls-ngoc-lac"], 110 * M, variant="cơ sở đang hoạt động",
      title="Xây dựng mô hình trình diễn kỹ thuật lò sấy gỗ bằng hơi nước "
      "tại Công ty TNHH Lâm sản Ngọc Lặc"),
    L(2017, 6, [], 70 * M, group=True,
      title=CONTEST.format(2017)),
    L(2017, 7, [], 40 * M, group=True,
      title="Tuyên truyền hoạt động khuyến công trên sóng Đài Phát thanh và "
      "Truyền hình Thanh Hóa năm 2017"),
    L(2017, 5, ["san-thuong-xuan"], 60 * M),
    L(2017, 4, ["co-khi-hoang-hoa"], 100 * M, status=S.ACCEPTED,
      decided=_d(2017, 11, 10), months=7),
    L(2017, 2, [], 45 * M, group=True,
      title="Tập huấn khởi sự doanh nghiệp, nâng cao năng lực quản lý cho các "
      "cơ sở CNNT năm 2017"),
    # National plan 2017: 4 projects. Proposed in 2016, machinery was held to
    # 200 million đ per establishment (TTLT 26/2014/TTLT-BTC-BCT art. 6 cl. 2 c).
    N(2017, 4, ["luong-dong-luong"], 200 * M),
    N(2017, 4, ["may-tre-hoang-son"], 190 * M),
    N(2017, 3, ["vat-lieu-cac-son"], 300 * M,
      title="Xây dựng mô hình trình diễn kỹ thuật sản xuất gạch không nung từ "
      "đá mạt tại Công ty CP Vật liệu xây dựng Các Sơn"),
    N(2017, 1, ["may-tre-hoang-son"], 180 * M,
      title="Đào tạo nghề mây tre đan cho 60 lao động nông thôn tại làng nghề "
      "Hoằng Thịnh"),
    # National 2018: the forest-product group project and four equipment ones,
    # proposed in May 2017 under the same 200 million đ cap.
    F(2018, ["ls-minh-son", "go-nhu-thanh", "go-ba-thuoc", "ls-thanh-vinh"],
      600 * M, title=FOREST_TITLE),
    N(2018, 4, ["co-khi-ha-trung"], 200 * M),
    N(2018, 4, ["coi-nga-son"], 195 * M,
      title="Hỗ trợ ứng dụng máy móc thiết bị tiên tiến vào sản xuất chiếu cói, "
      "thảm cói tại Hợp tác xã Chiếu cói Nga Sơn"),
    N(2018, 4, ["da-dong-son"], 200 * M, status=S.ACCEPTED),
    N(2018, 4, ["may-vinh-loc"], 185 * M),
    # Local plan 2018: 12 projects, decided by April, started by June.
    L(2018, 4, ["gach-nong-cong"], 120 * M),
    L(2018, 4, ["banh-gai-tho-xuan"], 75 * M),
    L(2018, 4, ["co-khi-trieu-son"], 110 * M, returned=True,
      reason="Thuyết minh chưa nêu rõ hiệu quả kinh tế; đề nghị bổ sung."),
    L(2018, 4, ["go-hau-loc"], 90 * M),
    L(2018, 4, ["hai-san-hoang-thanh"], 100 * M),
    L(2018, 4, ["tre-ham-rong"], 115 * M, status=S.ACCEPTED),
    L(2018, 1, ["dan-lat-yen-khuong"], 50 * M,
      title="Đào tạo nghề đan lát giang, nứa cho 30 lao động tại xã Yên Khương"),
    L(2018, 1, ["may-tien-trang"], 45 * M,
      title="Đào tạo nghề may túi cói xuất khẩu cho 25 lao động tại xã Tiên Trang"),
    L(2018, 3, ["co-khi-kim-tan"], 150 * M, variant="cơ sở đang hoạt động",
      title="Xây dựng mô hình trình diễn kỹ thuật chế tạo máy chế biến nông sản "
      "tại Công ty TNHH Cơ khí Kim Tân"),
    L(2018, 6, [], 80 * M, group=True,
      title="Hỗ trợ các cơ sở CNNT tham gia Hội chợ hàng công nghiệp nông thôn "
      "tiêu biểu khu vực phía Bắc năm 2018"),
    L(2018, 7, [], 35 * M, group=True,
      title="Xây dựng chuyên mục khuyến công trên Báo Thanh Hóa năm 2018"),
    L(2018, 5, ["che-xuan-thai"], 70 * M, status=S.ACCEPTED),
]  # fmt: skip

LATER: list[Spec] = [
    # 2019
    L(2019, 4, ["co-khi-bim-son"], 110 * M),
    L(2019, 4, ["mien-dong-cam-tan"], 60 * M),
    L(2019, 4, ["go-tay-do"], 80 * M),
    L(2019, 4, ["gao-tho-binh"], 95 * M),
    L(2019, 1, ["tho-cam-hien-kiet"], 55 * M,
      title="Đào tạo nghề dệt thổ cẩm cho 30 lao động tại xã Hiền Kiệt"),
    L(2019, 6, [], 70 * M, group=True,
      title=CONTEST.format(2019)),
    L(2019, 7, [], 40 * M, group=True,
      title="Tuyên truyền hoạt động khuyến công trên sóng Đài Phát thanh và "
      "Truyền hình Thanh Hóa năm 2019"),
    L(2019, 4, ["nem-sam-son"], 70 * M, status=S.REJECTED,
      reason="Cơ sở chưa chứng minh được vốn đối ứng; thiết bị đề nghị không "
      "thuộc loại tiên tiến."),
    N(2019, 4, ["hai-san-tinh-gia"], 260 * M),
    N(2019, 3, ["co-khi-nghi-son"], 320 * M,
      title="Xây dựng mô hình trình diễn kỹ thuật gia công vỏ tàu cá bằng máy "
      "cắt plasma CNC tại Công ty TNHH Cơ khí đóng tàu Nghi Sơn"),
    F(2019, ["ls-ngoc-lac", "luong-quan-son", "moc-hoa-loc"], 450 * M,
      title="Hỗ trợ các cơ sở CNNT phát triển chế biến lâm sản giai đoạn "
      "2018–2020 (năm 2019)"),
    # 2020: the epidemic year
    L(2020, 4, ["bao-bi-quang-trung"], 100 * M),
    L(2020, 4, ["coi-nga-thang"], 60 * M),
    L(2020, 4, ["que-thuong-xuan"], 90 * M),
    L(2020, 1, ["ruou-muong-lat"], 50 * M,
      title="Truyền nghề nấu rượu men lá truyền thống cho 25 lao động tại xã "
      "Mường Lát"),
    L(2020, 7, [], 40 * M, group=True,
      title="Tuyên truyền chính sách khuyến công trên Báo Thanh Hóa năm 2020"),
    L(2020, 4, ["nem-sam-son"], 80 * M, status=S.CANCELLED, paid_before_cancel=True,
      reason="Do ảnh hưởng của dịch COVID-19, cơ sở tạm dừng sản xuất và đề nghị "
      "dừng thực hiện đề án; hoàn trả kinh phí đã tạm ứng."),
    N(2020, 4, ["co-khi-tho-xuan"], 270 * M),
    F(2020, ["luong-dong-luong", "go-nhu-thanh", "ls-minh-son"], 480 * M,
      title="Hỗ trợ các cơ sở CNNT phát triển chế biến lâm sản giai đoạn "
      "2018–2020 (năm 2020)"),
    # 2021: 4 national projects (1.35 billion), 8 local ones (1.472 billion)
    N(2021, 4, ["co-khi-hoang-hoa", "co-khi-nghi-son"], 420 * M,
      title="Hỗ trợ ứng dụng máy móc thiết bị tiên tiến vào sửa chữa, đóng mới "
      "tàu cá cho 02 cơ sở cơ khí ven biển", group=True),
    N(2021, 3, ["gach-yen-dinh"], 400 * M,
      title="Xây dựng mô hình trình diễn kỹ thuật sản xuất gạch bê tông tự chèn "
      "tại Công ty CP Gạch không nung Yên Định"),
    N(2021, 4, ["mam-quang-ngoc"], 280 * M),
    N(2021, 1, ["ls-minh-son"], 250 * M,
      title="Đào tạo nghề chế biến gỗ cho 80 lao động các huyện miền núi"),
    L(2021, 4, ["may-lam-son"], 200 * M),
    L(2021, 4, ["gach-dinh-tan"], 240 * M),
    L(2021, 4, ["hai-san-hoang-thanh"], 180 * M),
    L(2021, 4, ["dong-hoang-duc"], 150 * M),
    L(2021, 4, ["banh-nong-cong"], 90 * M),
    L(2021, 3, ["nong-san-cam-thuy"], 200 * M, variant="cơ sở đang hoạt động"),
    L(2021, 1, ["coi-nga-son"], 122 * M,
      title="Đào tạo nghề dệt chiếu cói bằng máy cho 40 lao động tại làng nghề "
      "Nga Sơn"),
    L(2021, 4, ["co-khi-kim-tan"], 290 * M),
    # 2022
    L(2022, 4, ["luong-dong-luong"], 150 * M),
    L(2022, 4, ["chieu-ha-long"], 90 * M),
    L(2022, 5, ["gach-nong-cong"], 120 * M),
    L(2022, 1, ["tho-cam-pu-luong"], 70 * M,
      title="Đào tạo nghề dệt thổ cẩm nâng cao cho 30 lao động tại xã Pù Luông"),
    L(2022, 6, [], 90 * M, group=True,
      title=CONTEST.format(2022)),
    L(2022, 7, [], 45 * M, group=True,
      title="Tuyên truyền hoạt động khuyến công trên sóng Đài Phát thanh và "
      "Truyền hình Thanh Hóa năm 2022"),
    L(2022, 4, ["mia-nhu-xuan"], 70 * M, status=S.CANCELLED,
      reason="Hộ kinh doanh đề nghị dừng đề án trước khi ký hợp đồng do thay đổi "
      "kế hoạch sản xuất."),
    N(2022, 4, ["co-khi-trieu-son"], 280 * M),
    N(2022, 4, ["ls-thanh-vinh"], 300 * M),
    N(2022, 3, ["tre-ham-rong"], 350 * M, status=S.REJECTED,
      reason="Cục không phê duyệt: nội dung trùng với đề án đã hỗ trợ năm 2018."),
    # 2023
    L(2023, 4, ["go-tay-do"], 120 * M),
    L(2023, 4, ["bao-bi-quang-trung"], 150 * M),
    L(2023, 4, ["hai-san-tinh-gia"], 130 * M),
    L(2023, 1, ["dan-lat-yen-khuong"], 60 * M,
      title="Đào tạo nghề đan lát mỹ nghệ cho 30 lao động tại xã Yên Khương"),
    L(2023, 6, [], 100 * M, group=True,
      title="Hỗ trợ các cơ sở CNNT tham gia Hội chợ triển lãm hàng thủ công mỹ "
      "nghệ năm 2023"),
    L(2023, 4, ["ruou-muong-lat"], 60 * M, status=S.REJECTED,
      reason="Cơ sở chưa đăng ký hộ kinh doanh cho hoạt động sản xuất rượu."),
    L(2023, 5, ["gach-yen-dinh"], 150 * M),
    N(2023, 4, ["que-thuong-xuan"], 260 * M),
    N(2023, 4, ["co-khi-bim-son"], 290 * M),
    N(2023, 1, ["tho-cam-hien-kiet"], 200 * M,
      title="Đào tạo nghề dệt thổ cẩm cho 60 lao động dân tộc Thái huyện Quan Hóa cũ"),
    # 2024
    L(2024, 4, ["coi-nga-an"], 140 * M, returned=True,
      reason="Đề nghị làm rõ công suất máy dệt và phương án tiêu thụ sản phẩm."),
    L(2024, 4, ["nem-hac-thanh"], 120 * M),
    L(2024, 4, ["co-khi-thieu-hoa"], 200 * M),
    L(2024, 7, [], 50 * M, group=True,
      title="Xây dựng chuyên mục khuyến công trên Báo Thanh Hóa năm 2024"),
    L(2024, 1, ["may-tre-cam-thuy"], 70 * M,
      title="Đào tạo nghề mây tre đan cho 30 lao động tại xã Cẩm Tú"),
    L(2024, 4, ["mam-ba-lang"], 150 * M),
    B(2024, 3, ["da-dong-son"], 250 * M, 100 * M,
      title="Xây dựng mô hình trình diễn kỹ thuật chế tác đá mỹ nghệ bằng máy "
      "CNC tại Công ty TNHH Đá mỹ nghệ Nhồi"),
    N(2024, 4, ["moc-hoa-loc"], 240 * M),
    N(2024, 4, ["go-ba-thuoc"], 280 * M),
    # 2025
    L(2025, 4, ["banh-gai-tho-xuan"], 100 * M),
    L(2025, 4, ["go-hau-loc"], 130 * M),
    L(2025, 4, ["gao-tho-binh"], 150 * M),
    L(2025, 6, [], 100 * M, group=True,
      title=CONTEST.format(2025)),
    L(2025, 1, ["tho-cam-pu-luong"], 80 * M,
      title="Đào tạo nghề dệt thổ cẩm cho 30 lao động tại xã Pù Luông"),
    L(2025, 4, ["co-khi-tho-xuan"], 250 * M, status=S.ACCEPTED, adjustment="approved",
      reason="Nhà cung cấp chậm giao dây chuyền sấy do thiếu linh kiện nhập khẩu; "
      "đề nghị gia hạn thời gian thực hiện.", accepted=_d(2026, 11, 18)),
    N(2025, 4, ["san-thuong-xuan"], 290 * M),
    N(2025, 5, ["hai-san-hoang-thanh"], 250 * M),
    N(2025, 4, ["coi-nga-thang", "may-tien-trang"], 300 * M, group=True,
      title="Hỗ trợ ứng dụng máy dệt chiếu và máy may túi cói cho 02 cơ sở "
      "ven biển"),
]  # fmt: skip

# The current year: a project in every state, dated up to late November 2026.
CURRENT: list[Spec] = [
    L(2026, 1, ["tho-cam-pu-luong"], 70 * M, decided=_d(2026, 2, 24), months=3,
      title="Đào tạo nghề may sản phẩm thổ cẩm cho 30 lao động tại xã Pù Luông"),
    L(2026, 6, [], 90 * M, group=True, decided=_d(2026, 3, 10), months=6,
      title=CONTEST.format(2026)),
    L(2026, 4, ["coi-nga-an"], 150 * M, status=S.ACCEPTED, decided=_d(2026, 3, 18),
      months=7, accepted=_d(2026, 11, 20)),
    L(2026, 4, ["ls-thanh-vinh"], 180 * M, status=S.IN_PROGRESS,
      decided=_d(2026, 4, 8), months=8, adjustment="pending",
      reason="Nhà cung cấp lò sấy gỗ giao hàng chậm; đề nghị gia hạn đến 31/3/2027."),
    L(2026, 9, ["nem-hac-thanh"], 120 * M, status=S.IN_PROGRESS,
      decided=_d(2026, 5, 12), months=7,
      title="Hỗ trợ ứng dụng chuyển đổi số trong quản lý sản xuất, truy xuất "
      "nguồn gốc nem chua tại Công ty TNHH Nem chua Hạc Thành"),
    L(2026, 4, ["gach-nong-cong"], 200 * M, status=S.IN_PROGRESS,
      decided=_d(2026, 4, 20), months=6),
    L(2026, 10, ["dong-tra-dong"], 80 * M, status=S.APPROVED, decided=_d(2026, 11, 16),
      title="Hỗ trợ nghệ nhân Nguyễn Văn Hoàn truyền nghề đúc đồng Trà Đông cho "
      "20 lao động trẻ"),
    L(2026, 4, ["co-khi-trieu-son"], 150 * M, status=S.SUBMITTED,
      submitted=_d(2026, 11, 18)),
    L(2026, 3, ["mam-ba-lang"], 180 * M, status=S.RETURNED,
      variant="cơ sở đang hoạt động",
      submitted=_d(2026, 10, 28),
      reason="Đề nghị bổ sung 03 báo giá thiết bị và phương án xử lý nước thải.",
      title="Xây dựng mô hình trình diễn kỹ thuật chế biến nước mắm theo công nghệ "
      "lên men gia nhiệt tại Hợp tác xã Chế biến nước mắm Ba Làng"),
    L(2026, 4, ["hai-san-tinh-gia"], 250 * M, status=S.REJECTED,
      submitted=_d(2026, 9, 22),
      reason="Thiết bị đề nghị hỗ trợ đã được đầu tư bằng nguồn vốn khác."),
    L(2026, 4, ["co-khi-bim-son"], 120 * M, status=S.CANCELLED, decided=_d(2026, 4, 2),
      reason="Cơ sở không thu xếp được vốn đối ứng; đề nghị dừng trước khi ký "
      "hợp đồng."),
    L(2026, 1, ["may-tre-cam-thuy"], 60 * M, status=S.DRAFT,
      submitted=_d(2026, 12, 14),
      title="Đào tạo nghề mây tre đan cho 30 lao động tại xã Cẩm Tú năm 2026"),
    N(2026, 4, ["luong-quan-son"], 290 * M, status=S.IN_PROGRESS,
      decided=_d(2026, 2, 10), months=10),
    N(2026, 3, ["gach-dinh-tan"], 350 * M, status=S.ACCEPTED, decided=_d(2026, 1, 22),
      accepted=_d(2026, 11, 25),
      title="Xây dựng mô hình trình diễn kỹ thuật sản xuất gạch không nung từ tro "
      "xỉ tại Hợp tác xã Vật liệu xây dựng Định Tân"),
    # Next year's national proposals (sent by 20 May) and a local draft.
    N(2027, 4, ["co-khi-ha-trung"], 280 * M, status=S.PROPOSED,
      submitted=_d(2026, 5, 15)),
    N(2027, 1, ["tho-cam-hien-kiet"], 200 * M, status=S.APPRAISED,
      submitted=_d(2026, 5, 12),
      title="Đào tạo nghề dệt thổ cẩm cho 60 lao động tại xã Hiền Kiệt"),
    L(2027, 4, ["vat-lieu-cac-son"], 160 * M, status=S.DRAFT,
      submitted=_d(2026, 12, 18)),
    # Next year's local proposals on the local route: one received, one
    # scored by the appraisal council.
    L(2027, 3, ["mam-ba-lang"], 150 * M, status=S.RECEIVED,
      submitted=_d(2026, 11, 20)),
    L(2027, 4, ["che-xuan-thai"], 140 * M, status=S.SCORED,
      submitted=_d(2026, 11, 2)),
]  # fmt: skip

SPECS = REPORTED + LATER + CURRENT

# --- equipment ------------------------------------------------------------------

SUPPLIERS = {
    "go": ("Công ty TNHH Máy chế biến gỗ Hoàng Long", "0101548213"),
    "may": ("Công ty TNHH Thiết bị Minh Phát", "0106789123"),
    "ck": ("Công ty TNHH Cơ khí Duy Khanh", "0302345678"),
    "th": ("Công ty CP Thiết bị công nghiệp Thanh Hóa", "2801023456"),
    "vl": ("Công ty TNHH Máy xây dựng Trường Sơn", "2801456789"),
    "tp": ("Công ty CP Máy thực phẩm Hà Nội", "0104567812"),
    "det": ("Công ty TNHH Máy dệt may Việt Thành", "0309876543"),
    "ns": ("Công ty TNHH Kỹ thuật Nông nghiệp Lam Kinh", "2802345671"),
    "so": ("Công ty CP Giải pháp số Hạc Thành", "2801987654"),
}

# trade -> [(item, specification, maker/origin, typical price in million đ,
#            supplier key, serial prefix)]
CATALOGUE: dict[str, list[tuple[str, str, str, tuple[int, int], str, str]]] = {
    "go": [
        (
            "Máy bào 4 mặt",
            "Model MB-4023, 7 trục dao, 22 kW",
            "Đài Loan",
            (90, 180),
            "go",
            "MB",
        ),
        (
            "Máy cưa rong nhiều lưỡi",
            "Model CR-305, 18,5 kW",
            "Trung Quốc",
            (60, 120),
            "go",
            "CR",
        ),
        (
            "Máy chà nhám thùng",
            "Khổ 1.300 mm, 2 trục",
            "Đài Loan",
            (70, 140),
            "go",
            "CN",
        ),
        (
            "Máy ép ván ghép cao tần",
            "Công suất 20 kW, bàn ép 2.500 mm",
            "Trung Quốc",
            (120, 220),
            "go",
            "EV",
        ),
        (
            "Lò sấy gỗ hơi nước",
            "Dung tích 40 m³, điều khiển nhiệt tự động",
            "Việt Nam",
            (150, 260),
            "th",
            "LS",
        ),
    ],
    "luong": [
        ("Máy chẻ luồng", "Công suất 5,5 kW", "Việt Nam", (40, 80), "th", "CL"),
        (
            "Máy vót tăm, đũa tự động",
            "Năng suất 60 kg/giờ",
            "Trung Quốc",
            (50, 90),
            "th",
            "VT",
        ),
        ("Máy ép ván luồng", "Lực ép 400 tấn", "Trung Quốc", (160, 260), "go", "EL"),
        ("Lò sấy luồng", "Dung tích 30 m³", "Việt Nam", (90, 160), "th", "SL"),
    ],
    "may-tre": [
        ("Máy chẻ nan mây tre", "Công suất 3 kW", "Việt Nam", (30, 60), "th", "CT"),
        ("Máy chuốt nan", "Tốc độ 12 m/phút", "Trung Quốc", (35, 65), "th", "CU"),
        (
            "Lò sấy sản phẩm mây tre",
            "Sấy bằng hơi nóng, 15 m³",
            "Việt Nam",
            (80, 150),
            "th",
            "SM",
        ),
        ("Máy phun sơn tĩnh điện", "Buồng phun 2 m", "Nhật Bản", (60, 110), "ck", "PS"),
    ],
    "coi": [
        (
            "Máy dệt chiếu cói tự động",
            "Khổ 1,8 m, 1,1 kW",
            "Việt Nam",
            (40, 70),
            "det",
            "DC",
        ),
        ("Máy se sợi cói", "Năng suất 200 kg/ngày", "Việt Nam", (30, 55), "det", "SC"),
        (
            "Lò sấy cói",
            "Buồng sấy 20 m³, đốt sinh khối",
            "Việt Nam",
            (70, 130),
            "th",
            "SO",
        ),
        (
            "Máy may công nghiệp 1 kim điện tử",
            "Động cơ servo",
            "Nhật Bản",
            (12, 20),
            "det",
            "MK",
        ),
    ],
    "dong": [
        (
            "Lò nấu đồng trung tần",
            "Công suất 100 kg/mẻ",
            "Trung Quốc",
            (120, 200),
            "ck",
            "LN",
        ),
        (
            "Máy phun cát làm sạch",
            "Buồng phun 1,2 m",
            "Trung Quốc",
            (40, 80),
            "ck",
            "PC",
        ),
        ("Máy đánh bóng kim loại", "2 đầu, 4 kW", "Đài Loan", (30, 60), "ck", "DB"),
    ],
    "co-khi": [
        (
            "Máy tiện CNC",
            "Đường kính tiện 400 mm, hệ điều khiển Fanuc",
            "Đài Loan",
            (250, 420),
            "ck",
            "TC",
        ),
        ("Máy phay vạn năng", "Bàn 1.270 × 254 mm", "Đài Loan", (120, 220), "ck", "PV"),
        (
            "Máy cắt plasma CNC",
            "Khổ cắt 1.500 × 3.000 mm",
            "Trung Quốc",
            (180, 300),
            "ck",
            "PL",
        ),
        (
            "Máy chấn tôn thủy lực",
            "Lực chấn 100 tấn, dài 3.200 mm",
            "Trung Quốc",
            (200, 320),
            "ck",
            "CH",
        ),
        ("Máy hàn MIG", "Dòng hàn 350 A", "Hàn Quốc", (25, 45), "ck", "HM"),
    ],
    "gach": [
        (
            "Máy ép gạch không nung thủy lực",
            "Năng suất 10.000 viên/ca",
            "Việt Nam",
            (300, 480),
            "vl",
            "EG",
        ),
        (
            "Máy trộn bê tông cưỡng bức",
            "Dung tích 750 lít",
            "Việt Nam",
            (90, 160),
            "vl",
            "TB",
        ),
        ("Băng tải cấp liệu", "Dài 12 m, 3 kW", "Việt Nam", (40, 70), "vl", "BT"),
    ],
    "da": [
        ("Máy cắt đá CNC", "Lưỡi 600 mm, 3 trục", "Trung Quốc", (220, 380), "vl", "CD"),
        ("Máy mài đánh bóng đá", "6 đầu mài", "Trung Quốc", (120, 200), "vl", "MD"),
        ("Máy khắc đá laser", "Công suất 100 W", "Trung Quốc", (80, 150), "vl", "KL"),
    ],
    "thuc-pham": [
        ("Máy xay giò chả", "Cối 10 kg/mẻ, inox 304", "Việt Nam", (45, 90), "tp", "XG"),
        (
            "Máy đóng gói hút chân không",
            "2 buồng, 1,5 kW",
            "Trung Quốc",
            (40, 80),
            "tp",
            "CK",
        ),
        ("Nồi hấp tiệt trùng", "Dung tích 500 lít", "Việt Nam", (90, 160), "tp", "NH"),
        ("Tủ sấy công nghiệp", "24 khay, bơm nhiệt", "Việt Nam", (70, 130), "tp", "TS"),
    ],
    "mam": [
        ("Bồn ủ chượp inox", "Dung tích 10 m³", "Việt Nam", (60, 110), "tp", "BU"),
        (
            "Máy lọc nước mắm",
            "Lọc 3 cấp, 1.000 lít/giờ",
            "Việt Nam",
            (50, 90),
            "tp",
            "LM",
        ),
        (
            "Máy chiết rót, đóng nắp chai",
            "1.200 chai/giờ",
            "Trung Quốc",
            (80, 150),
            "tp",
            "CR",
        ),
    ],
    "may": [
        (
            "Máy may công nghiệp 1 kim điện tử",
            "Động cơ servo",
            "Nhật Bản",
            (12, 20),
            "det",
            "MK",
        ),
        (
            "Máy vắt sổ 4 chỉ",
            "Tốc độ 6.000 mũi/phút",
            "Nhật Bản",
            (14, 24),
            "det",
            "VS",
        ),
        (
            "Máy cắt vải tự động",
            "Chiều cao cắt 150 mm",
            "Trung Quốc",
            (60, 120),
            "det",
            "CV",
        ),
    ],
    "tho-cam": [
        (
            "Khung dệt thổ cẩm bán tự động",
            "Khổ 0,8 m",
            "Việt Nam",
            (15, 30),
            "det",
            "KD",
        ),
        (
            "Máy may công nghiệp 1 kim điện tử",
            "Động cơ servo",
            "Nhật Bản",
            (12, 20),
            "det",
            "MK",
        ),
        (
            "Máy vắt sổ 4 chỉ",
            "Tốc độ 6.000 mũi/phút",
            "Nhật Bản",
            (14, 24),
            "det",
            "VS",
        ),
    ],
    "nong-san": [
        (
            "Máy sấy nông sản bơm nhiệt",
            "Công suất 500 kg/mẻ",
            "Việt Nam",
            (150, 260),
            "ns",
            "SN",
        ),
        (
            "Máy bóc vỏ, phân loại",
            "Năng suất 1 tấn/giờ",
            "Việt Nam",
            (60, 120),
            "ns",
            "BV",
        ),
        (
            "Máy đóng gói tự động",
            "Định lượng 0,5–5 kg",
            "Trung Quốc",
            (90, 170),
            "ns",
            "DG",
        ),
        ("Kho cấp đông", "Công suất 2 tấn/mẻ", "Việt Nam", (180, 280), "ns", "KC"),
    ],
    "bao-bi": [
        (
            "Máy dệt bao PP dạng tròn",
            "6 thoi, khổ 60 cm",
            "Trung Quốc",
            (180, 280),
            "ck",
            "DT",
        ),
        ("Máy in flexo 4 màu", "Khổ in 800 mm", "Trung Quốc", (120, 200), "ck", "IF"),
    ],
}
# An establishment's trade from its demo key (devdata.establishments).
TRADES = [
    ("luong-", "luong"), ("ls-", "go"), ("go-", "go"), ("moc-", "go"),
    ("tre-", "go"), ("may-tre-", "may-tre"), ("dan-lat-", "may-tre"),
    ("chieu-", "may-tre"), ("coi-", "coi"), ("may-tien-", "coi"),
    ("dong-", "dong"), ("co-khi-", "co-khi"), ("gach-", "gach"),
    ("vat-lieu-", "gach"), ("da-", "da"), ("mam-", "mam"),
    ("may-", "may"), ("tho-cam-", "tho-cam"), ("bao-bi-", "bao-bi"),
    ("hai-san-", "nong-san"), ("san-", "nong-san"), ("que-", "nong-san"),
    ("che-", "nong-san"), ("gao-", "nong-san"), ("nong-san-", "nong-san"),
]  # fmt: skip


def trade_of(key: str) -> str:
    """The longest matching prefix wins ("may-tre-" before "may-")."""
    matches = [(len(p), t) for p, t in TRADES if key.startswith(p)]
    return max(matches)[1] if matches else "thuc-pham"


# Cleaner production and digital transformation buy their own kind of kit.
CLEANER = [
    (
        "Hệ thống xử lý nước thải sản xuất",
        "Công suất 20 m³/ngày",
        "Việt Nam",
        (120, 220),
        "th",
        "XL",
    ),
    (
        "Lò hơi đốt sinh khối tiết kiệm năng lượng",
        "1 tấn hơi/giờ",
        "Việt Nam",
        (150, 260),
        "th",
        "LH",
    ),
    (
        "Hệ thống thu hồi bụi",
        "Lưu lượng 8.000 m³/giờ",
        "Việt Nam",
        (60, 110),
        "th",
        "HB",
    ),
]
DIGITAL = [
    (
        "Phần mềm quản lý sản xuất và bán hàng",
        "Bản quyền 5 năm, 10 người dùng",
        "Việt Nam",
        (60, 110),
        "so",
        "PM",
    ),
    (
        "Hệ thống in và quét mã truy xuất nguồn gốc",
        "Máy in nhiệt, 4 đầu quét",
        "Hàn Quốc",
        (50, 90),
        "so",
        "QR",
    ),
    (
        "Máy chủ và thiết bị mạng",
        "Máy chủ 2 CPU, tủ mạng 24 cổng",
        "Mỹ",
        (70, 120),
        "so",
        "MC",
    ),
]

EQUIPMENT_CONTENTS = (3, 4, 5, 9)
# Support as a share of the equipment bought, within the seeded rules (50 %
# for machinery, 30 % for a new demonstration model).
SUPPORT_SHARE = {4: (0.42, 0.49), 5: (0.40, 0.48), 9: (0.40, 0.48)}

TRAINING_PARTNERS = [
    (
        "Trường Cao đẳng Nông Lâm Thanh Hóa",
        "Có giáo viên dạy nghề và xưởng thực hành; đã mở nhiều lớp đào tạo nghề "
        "cho lao động nông thôn trong tỉnh.",
    ),
    (
        "Trường Trung cấp nghề Thanh Hóa",
        "Được cấp phép đào tạo nghề trình độ sơ cấp; có đội ngũ nghệ nhân thỉnh giảng.",
    ),
    (
        "Hội Nông dân tỉnh Thanh Hóa",
        "Có mạng lưới cơ sở hội ở các xã, huy động học viên và theo dõi việc làm "
        "sau đào tạo.",
    ),
]
PARTNERS = {
    2: (
        "Hiệp hội Doanh nghiệp tỉnh Thanh Hóa",
        "Đã tổ chức nhiều khóa tập huấn khởi sự doanh nghiệp; có chuyên gia quản "
        "trị và tài chính.",
    ),
    6: (
        "Trung tâm Xúc tiến Đầu tư, Thương mại và Du lịch Thanh Hóa",
        "Tổ chức hội chợ hằng năm, kết nối các cơ sở với nhà phân phối và sàn "
        "thương mại điện tử — gắn khuyến công với xúc tiến thương mại.",
    ),
    7: (
        "Đài Phát thanh và Truyền hình Thanh Hóa",
        "Phủ sóng toàn tỉnh; có chuyên mục kinh tế phát sóng hằng tuần.",
    ),
    10: (
        "Hội Làng nghề tỉnh Thanh Hóa",
        "Phối hợp với nghệ nhân tổ chức truyền nghề tại làng nghề.",
    ),
}
INSPECTORS = [
    "Lê Thị Hoa (Trung tâm Khuyến công và TKNL); Nguyễn Văn Minh (Sở Công Thương)",
    "Lê Thị Hoa, Đỗ Minh Tuấn (Trung tâm Khuyến công và TKNL)",
    "Nguyễn Văn Minh (Sở Công Thương); đại diện UBND xã",
]
LESSONS = [
    "Lựa chọn nhà cung cấp có xưởng bảo hành trong tỉnh giúp thiết bị vận hành "
    "ổn định; cần hướng dẫn cơ sở lập hồ sơ thanh toán ngay từ khi ký hợp đồng.",
    "Gắn hỗ trợ thiết bị với xúc tiến thương mại: cơ sở tham gia hội chợ sau "
    "nghiệm thu đã có thêm đơn hàng xuất khẩu.",
    "Kiểm tra định kỳ giữa kỳ phát hiện sớm chậm trễ giao máy; nên ghi rõ thời "
    "hạn giao hàng và chế tài trong hợp đồng mua sắm.",
    "Đơn vị phối hợp có năng lực tổ chức lớp học giúp duy trì sĩ số; cần bố trí "
    "lớp vào thời điểm nông nhàn.",
    "Cơ sở ở vùng miền núi cần được hỗ trợ thêm về thủ tục; kinh phí khuyến công "
    "địa phương còn hạn chế nên ưu tiên cơ sở có thị trường đầu ra.",
]


# --- the builder ------------------------------------------------------------------


@dataclass
class Context:
    rng: random.Random
    staff: Any
    reviewer: Any
    establishments: dict[str, Establishment]
    plans: dict[tuple[str, int], Plan]
    contents: dict[int, ActivityContent]
    invoice_numbers: dict[str, int] = field(default_factory=dict)
    # (first beneficiary, content) -> projects titled so far
    titled: Counter = field(default_factory=Counter)
    serials: set[str] = field(default_factory=set)
    minutes: int = 0


def _aware(day: dt.date, rng: random.Random) -> dt.datetime:
    moment = dt.time(rng.randint(8, 16), rng.choice((0, 10, 15, 20, 30, 40, 45)))
    return timezone.make_aware(dt.datetime.combine(day, moment))


def _stamp(ctx: Context, project: Project, day: dt.date) -> None:
    """Date the timeline entry the last service call wrote."""
    last = project.transitions.order_by("-pk").values_list("pk", flat=True).first()
    Transition.objects.filter(pk=last).update(at=_aware(day, ctx.rng))


def _workday(day: dt.date) -> dt.date:
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


def _add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    return dt.date(year, month, min(day.day, 28))


def _round(amount: float, unit: int = M) -> int:
    return int(amount // unit) * unit


def _contributed(project: Project) -> dict[str, int]:
    """The beneficiary's own money put in, per source: as planned for about
    two projects in three, a little less for the others (a machine bought
    cheaper, a contribution in kind valued lower). Drawn from the project's
    code, so the rest of the demo data draws the same numbers as before."""
    rng = random.Random(f"contributed-{project.code}")  # noqa: S311
    below = rng.random() < 0.35
    return {
        name: _round(planned * rng.uniform(0.85, 0.97))
        if below and planned
        else planned
        for name, planned in (
            ("counterpart_contributed", project.counterpart),
            ("other_sources_contributed", project.other_sources),
        )
    }


@dataclass
class Timeline:
    drafted: dt.date
    submitted: dt.date
    appraised: dt.date | None
    decided: dt.date
    contract: dt.date
    start: dt.date
    end: dt.date
    accepted: dt.date
    settled: dt.date


def _timeline(spec: Spec, index: int, count: int, rng: random.Random) -> Timeline:
    """Dates of a project's life from its plan year and place in the plan.

    Local projects are decided by the provincial committee in the spring
    (2017's spread over the year, 2018's by April so that they start by June);
    national ones by the ministry from January to March after the Sở appraised
    them the summer before. Settlement within 15 days of acceptance.
    """
    year = spec.year
    share = index / max(count - 1, 1)
    if spec.decided:
        decided = spec.decided
    elif spec.submitted and not spec.national:
        # Not decided yet: when it would be, for the planned dates.
        decided = spec.submitted + dt.timedelta(days=40)
    elif spec.national:
        decided = _d(year, 1, 10) + dt.timedelta(days=int(share * 60))
    elif year == 2017:
        decided = _d(2017, 2, 10) + dt.timedelta(days=int(share * 200))
    elif year == 2018:
        decided = _d(2018, 1, 15) + dt.timedelta(days=int(share * 100))
    else:
        decided = _d(year, 2, 15) + dt.timedelta(days=int(share * 130))
    decided = _workday(decided + dt.timedelta(days=rng.randint(0, 4)))
    appraised = None
    if spec.submitted:
        submitted = spec.submitted
        if spec.national:
            appraised = submitted + dt.timedelta(days=rng.randint(45, 70))
    elif spec.national:
        # Proposals reach the Sở by 20 May of the year before; for 2019 the
        # second round in July, after the 2017–2018 report was closed.
        if year == 2019:
            submitted = _d(2018, 7, rng.randint(2, 20))
        else:
            submitted = _d(year - 1, 5, rng.randint(4, 20))
        appraised = submitted + dt.timedelta(days=rng.randint(40, 75))
    else:
        submitted = decided - dt.timedelta(days=rng.randint(35, 60))
        if spec.returned:
            submitted -= dt.timedelta(days=30)
        if year == 2019:
            submitted = max(submitted, _d(2018, 10, 1))
    submitted = _workday(submitted)
    if appraised:
        appraised = _workday(appraised)
    drafted = submitted - dt.timedelta(days=rng.randint(7, 21))
    if spec.status == S.DRAFT:
        # Still being written at the end of November.
        drafted = min(drafted, _d(CURRENT_YEAR, 11, 26))
    contract = spec.contract or _workday(
        decided + dt.timedelta(days=rng.randint(8, 25))
    )
    months = spec.months or rng.randint(4, 7)
    start = contract
    end = _add_months(start, months)
    if spec.national and not spec.months:
        # National money closes by 22 January of the next year.
        end = min(end, _d(year, 11, 20))
    accepted = spec.accepted or _workday(end - dt.timedelta(days=rng.randint(0, 10)))
    settled = _workday(accepted + dt.timedelta(days=rng.randint(5, 12)))
    return Timeline(
        drafted, submitted, appraised, decided, contract, start, end, accepted, settled
    )


def _product(establishment: Establishment, nth: int = 0) -> str:
    """The establishment's nth main product, in lower case."""
    products = [p.strip() for p in establishment.main_products.split(",")]
    chosen = products[nth % len(products)]
    return chosen[:1].lower() + chosen[1:]


def _title(spec: Spec, establishments: list[Establishment], nth: int = 0) -> str:
    """The title from the content and the first beneficiary; `nth` counts its
    earlier projects of the same content, so that a second one names another
    product (or its year) rather than repeating the first title."""
    if spec.title:
        return spec.title
    e = establishments[0]
    product, name = _product(e, nth), e.name
    products = len(e.main_products.split(","))
    if nth >= products:
        name = f"{name} (năm {spec.year})"
    if spec.content == 4:
        return (
            f"Hỗ trợ ứng dụng máy móc thiết bị tiên tiến vào sản xuất {product} "
            f"tại {name}"
        )
    if spec.content == 3:
        return f"Xây dựng mô hình trình diễn kỹ thuật sản xuất {product} tại {name}"
    if spec.content == 5:
        return f"Hỗ trợ áp dụng sản xuất sạch hơn trong sản xuất {product} tại {name}"
    if spec.content == 9:
        return f"Hỗ trợ ứng dụng chuyển đổi số trong sản xuất, kinh doanh tại {name}"
    return f"Hỗ trợ phát triển sản xuất {product} tại {name}"


@dataclass
class Machine:
    establishment: Establishment
    item: str
    specification: str
    maker: str
    supplier: tuple[str, str]
    prefix: str
    quantity: int
    unit_price: int
    supported: int = 0

    @property
    def total(self) -> int:
        return self.quantity * self.unit_price


def _machines(
    spec: Spec, establishments: list[Establishment], rng: random.Random
) -> list[Machine]:  # establishments in the order of spec.beneficiaries
    """Machines for each beneficiary, priced so that the support requested is
    within the rule's share of what is bought."""
    if spec.content == 3:
        low, high = (0.26, 0.29) if not spec.variant else (0.35, 0.45)
    else:
        low, high = SUPPORT_SHARE[spec.content]
    support = spec.support
    per_head = _round(support / len(establishments))
    machines: list[Machine] = []
    for i, establishment in enumerate(establishments):
        mine = per_head if i < len(establishments) - 1 else support - per_head * i
        if spec.content == 5:
            catalogue = CLEANER
        elif spec.content == 9:
            catalogue = DIGITAL
        else:
            catalogue = CATALOGUE[trade_of(spec.beneficiaries[i])]
        budget = mine / rng.uniform(low, high)
        picks = rng.sample(catalogue, k=min(len(catalogue), rng.randint(2, 3)))
        # The budget is shared in proportion to what each machine typically
        # costs; only small machines (sewing, weaving) come by the dozen.
        typicals = [rng.uniform(lo, hi) * M for _i, _s, _m, (lo, hi), _p, _x in picks]
        bought = []
        for (item, specification, maker, _range, supplier, prefix), typical in zip(
            picks, typicals, strict=True
        ):
            part = budget * typical / sum(typicals)
            most = 12 if typical < 40 * M else 2
            quantity = max(1, min(most, round(part / typical)))
            unit_price = _round(part / quantity, 100_000)
            bought.append(
                Machine(
                    establishment,
                    item,
                    specification,
                    maker,
                    SUPPLIERS[supplier],
                    prefix,
                    quantity,
                    unit_price,
                )
            )
        # Supported per machine in proportion, the rest on the last one.
        total = sum(m.total for m in bought)
        left = mine
        for m in bought[:-1]:
            m.supported = _round(mine * m.total / total, 1000)
            left -= m.supported
        bought[-1].supported = left
        machines += bought
    return machines


def _serial(ctx: Context, prefix: str, year: int) -> str:
    while True:
        serial = f"{prefix}{year % 100:02d}-{ctx.rng.randint(1_000_000, 9_999_999)}"
        if serial not in ctx.serials:
            ctx.serials.add(serial)
            return serial


def _invoice(ctx: Context, tax_code: str) -> str:
    number = ctx.invoice_numbers.get(tax_code) or ctx.rng.randint(120, 900)
    ctx.invoice_numbers[tax_code] = number + ctx.rng.randint(1, 40)
    return f"{number:08d}"


@contextmanager
def _quiet() -> Iterator[None]:
    """No notices: 2017's submissions must not fill today's inboxes nor send
    e-mail (the listeners are the reports app's notifications)."""
    saved = list(services.TRANSITION_LISTENERS)
    services.TRANSITION_LISTENERS.clear()
    try:
        yield
    finally:
        services.TRANSITION_LISTENERS[:] = saved


class Builder:
    """Drives one spec through the real services, in date order."""

    def __init__(self, ctx: Context, spec: Spec, index: int, count: int) -> None:
        self.ctx = ctx
        self.spec = spec
        self.rng = ctx.rng
        self.t = _timeline(spec, index, count, ctx.rng)
        self.establishments = [ctx.establishments[k] for k in spec.beneficiaries]
        self.content = ctx.contents[spec.content]
        self.machines = (
            _machines(spec, self.establishments, ctx.rng)
            if spec.content in EQUIPMENT_CONTENTS and self.establishments
            else []
        )
        self.project: Project | None = None
        self.last_day = self.t.drafted

    # --- helpers --------------------------------------------------------------

    def _decision(self, kind: str, day: dt.date) -> dict[str, Any]:
        """An adjustment's, cancellation's or settlement's decision (number
        marked demo, numbered without the random stream so the seed figures
        stay), by the authority that decides by default."""
        tag = {"adjustment": "ĐC", "cancellation": "HB", "settlement": "QT"}[kind]
        return {
            "decision_no": f"{self.project.pk}/QĐ-{tag} (demo)",
            "decision_date": day,
            "authority": decision_authority(self.project, kind),
        }

    def _act(self, service, when: dt.date, by: Any, **kwargs: Any) -> None:
        """Call a lifecycle service, then date its timeline entry `when`."""
        self.project = service(project=self.project, by=by, **kwargs)
        _stamp(self.ctx, self.project, when)
        self.last_day = max(self.last_day, when)

    def _carry_forward(self, funding: ProjectFunding, day: dt.date) -> None:
        """Money paid after the plan's budget year needs a carry-forward
        decision (chuyển nguồn): the demo records one per late project, for
        its approved support, dated early in the next year (or on the day)."""
        if day.year <= funding.plan.year or CarryForward.objects.filter(
            plan=funding.plan, project=self.project
        ):
            return
        services.carry_forward_record(
            plan=funding.plan,
            project=self.project,
            decision_no=f"{self.rng.randint(10, 99)}/QĐ-CN (demo)",
            decision_date=min(day, dt.date(funding.plan.year + 1, 1, 15)),
            amount=funding.approved,
            by=self.ctx.staff,
            note="Chuyển nguồn sang năm sau (dữ liệu mẫu)",
        )

    def _pay(self, kind: str, amount: int, day: dt.date, source: str) -> None:
        funding = self.project.fundings.get(source=source)
        self._carry_forward(funding, day)
        prefix = "UNC" if kind == DisbursementKind.ADVANCE else "PC"
        number = self.rng.randint(100, 999)
        # A voucher number is used once per project and source.
        while funding.disbursements.filter(
            voucher_no=f"{prefix}-{day.year}/{number}"
        ).exists():
            number += 1
        row = Disbursement(
            funding=funding,
            kind=kind,
            amount=amount,
            date=day,
            voucher_no=f"{prefix}-{day.year}/{number}",
            note=(
                "Tạm ứng theo hợp đồng"
                if kind == DisbursementKind.ADVANCE
                else "Thanh toán theo khối lượng hoàn thành"
            ),
            recorded_by=self.ctx.staff,
        )
        row._history_user = self.ctx.staff
        row.save()

    # --- the life ----------------------------------------------------------------

    def build(self) -> Project:
        spec, t = self.spec, self.t
        self._draft()
        if spec.status == S.DRAFT:
            return self._finish()
        self._act(services.project_submit, t.submitted, self.ctx.staff, day=t.submitted)
        if spec.returned or spec.status == S.RETURNED:
            returned = _workday(
                t.submitted + dt.timedelta(days=self.rng.randint(8, 14))
            )
            self._act(
                services.project_return,
                returned,
                self.ctx.reviewer,
                comment=spec.reason or "Đề nghị bổ sung hồ sơ.",
            )
            if spec.status == S.RETURNED:
                return self._finish()
            again = _workday(returned + dt.timedelta(days=self.rng.randint(7, 12)))
            self._act(
                services.project_resubmit,
                again,
                self.ctx.staff,
                day=again,
                comment="Đã bổ sung theo ý kiến của Sở Công Thương.",
            )
        if spec.status == S.SUBMITTED:
            return self._finish()
        if self._review():
            return self._finish()
        if spec.status == S.REJECTED:
            day = t.decided if spec.national else self.last_day + dt.timedelta(days=2)
            self._act(
                services.project_reject, _workday(day), self.ctx.reviewer,
                reason=spec.reason,
            )  # fmt: skip
            return self._finish()
        self._decide()
        if spec.status == S.APPROVED:
            return self._finish()
        if spec.status == S.CANCELLED and not spec.paid_before_cancel:
            day = _workday(t.decided + dt.timedelta(days=self.rng.randint(40, 90)))
            self._act(
                services.project_cancel, day, self.ctx.reviewer, reason=spec.reason,
                **self._decision("cancellation", day),
            )  # fmt: skip
            return self._finish()
        self._run()
        return self._finish()

    def _draft(self) -> None:
        spec, t, rng = self.spec, self.t, self.rng
        establishments = self.establishments
        if self.machines:
            total_cost = sum(m.total for m in self.machines)
        else:
            total_cost = spec.support + _round(spec.support * rng.uniform(0.15, 0.4))
        counterpart = total_cost - spec.support
        if spec.content in (3, 4, 5, 9) and self.machines:
            partner = self.machines[0].supplier[0]
            capacity = (
                "Nhà cung cấp có xưởng bảo hành tại Thanh Hóa, đã lắp đặt thiết bị "
                "cùng loại cho nhiều cơ sở trong tỉnh; cam kết chuyển giao, hướng "
                "dẫn vận hành."
            )
        elif spec.content == 1:
            partner, capacity = TRAINING_PARTNERS[rng.randrange(len(TRAINING_PARTNERS))]
        else:
            partner, capacity = PARTNERS.get(spec.content, ("", ""))
        trainees = {1: rng.randint(25, 40), 2: rng.randint(40, 60), 10: 20}.get(
            spec.content, 0
        )
        products = rng.randint(40, 90) if spec.content == 6 else 0
        jobs = sum(e.workers_total for e in establishments)
        revenue = sum(e.yearly_revenue or 0 for e in establishments)
        project = Project(
            title=_title(spec, establishments, self._nth()),
            content=self.content,
            support_variant=spec.variant,
            implementing_unit=CENTRE,
            partner_unit=partner,
            partner_capacity=capacity,
            is_group=spec.group or not establishments,
            commune=establishments[0].commune if establishments else None,
            objectives=self._objectives(),
            start_date=t.start,
            end_date=t.end,
            total_cost=total_cost,
            counterpart=counterpart,
            target_machines=sum(m.quantity for m in self.machines),
            target_trainees=trainees,
            target_products=products,
            baseline_jobs=jobs,
            baseline_revenue=revenue or None,
            baseline_productivity=(
                Decimal(rng.randint(80, 400)) if self.machines else None
            ),
            baseline_energy_kwh=(
                Decimal(rng.randint(20, 90) * 1000) if spec.content == 5 else None
            ),
        )
        fundings = [
            (self.ctx.plans[(key, year)], amount) for key, year, amount in spec.fundings
        ]
        self.project = services.project_save_draft(
            project=project,
            by=self.ctx.staff,
            fundings=fundings,
            beneficiaries=establishments,
        )

    def _nth(self) -> int:
        if self.spec.title or not self.spec.beneficiaries:
            return 0
        key = (self.spec.beneficiaries[0], self.spec.content)
        self.ctx.titled[key] += 1
        return self.ctx.titled[key] - 1

    def _objectives(self) -> str:
        texts = {
            1: "Đào tạo, truyền nghề cho lao động nông thôn; sau khóa học ít nhất "
            "80 % học viên có việc làm tại cơ sở.",
            2: "Nâng cao năng lực quản trị, lập kế hoạch kinh doanh cho chủ "
            "cơ sở CNNT.",
            3: "Trình diễn công nghệ mới để các cơ sở trong vùng tham quan, nhân rộng.",
            4: "Đầu tư máy móc thiết bị tiên tiến để tăng năng suất, chất lượng sản "
            "phẩm, tiết kiệm nguyên vật liệu và năng lượng, giảm ô nhiễm.",
            5: "Giảm tiêu hao năng lượng và chất thải; đáp ứng quy chuẩn môi trường.",
            6: "Quảng bá sản phẩm CNNT tiêu biểu, kết nối thị trường, tìm đầu ra cho "
            "sản phẩm.",
            7: "Tuyên truyền rộng rãi chính sách khuyến công đến cơ sở và người dân.",
            9: "Số hóa quản lý sản xuất, bán hàng và truy xuất nguồn gốc sản phẩm.",
            10: "Giữ gìn nghề truyền thống, truyền nghề cho thế hệ trẻ.",
        }
        return texts.get(self.spec.content, "")

    def _review(self) -> bool:
        """The review steps of the project's route up to the decision; True
        when the project stops in one of them (spec.status)."""
        # No draw from the seed's random stream here: the figures of every
        # other record stay as they were before the routes had these steps.
        spec, t, ctx = self.spec, self.t, self.ctx
        base = self.last_day  # the (re)submission
        number = self.project.pk
        if spec.national:
            self._act(
                services.project_propose,
                _workday(base + dt.timedelta(days=7)),
                ctx.reviewer,
                proposal_no=f"{number}/SCT-QLCN (demo)",
                proposal_date=_workday(base + dt.timedelta(days=5)),
                comment="Sở Công Thương đã rà soát hồ sơ, đề xuất Bộ Công Thương "
                "xem xét.",
            )
            if spec.status == S.PROPOSED:
                return True
            self._act(
                services.project_appraise_ministry,
                t.appraised,
                ctx.reviewer,
                opinion="Bộ Công Thương thẩm định: đề án phù hợp nội dung khuyến "
                "công quốc gia; cơ sở có năng lực đối ứng.",
            )
            return spec.status == S.APPRAISED
        self._act(
            services.project_receive,
            _workday(base + dt.timedelta(days=3)),
            ctx.reviewer,
            comment="Hồ sơ đầy đủ theo quy định.",
        )
        if spec.status == S.RECEIVED:
            return True
        recommended = spec.status != S.REJECTED
        self._act(
            services.project_record_council,
            _workday(base + dt.timedelta(days=12)),
            ctx.reviewer,
            total=Decimal(75 + number % 18) if recommended else Decimal(58),
            threshold=Decimal(70),
            recommended=recommended,
            minutes_no=f"{number}/BB-HĐTĐ (demo)",
        )
        if spec.status in (S.SCORED, S.REJECTED):
            return spec.status == S.SCORED
        self._act(
            services.project_appraise,
            _workday(base + dt.timedelta(days=18)),
            ctx.reviewer,
            opinion="Sở Công Thương thẩm định: đề án đạt yêu cầu, đề nghị UBND "
            "tỉnh phê duyệt.",
        )
        return spec.status == S.APPRAISED

    def _decide(self) -> None:
        spec, t = self.spec, self.t
        # The Sở may cut the request (from the first source).
        approved = {}
        for i, funding in enumerate(self.project.fundings.order_by("pk")):
            approved[funding.source] = funding.requested - (spec.cut if i == 0 else 0)
        self.ctx.minutes += 1
        if spec.national:
            # Clearly demo numbers: never a real decision's.
            number = f"{100 + self.ctx.minutes}/QĐ-BCT (demo)"
            service = services.project_record_decision
        else:
            number = f"{300 + self.ctx.minutes * 3}/QĐ-UBND (demo)"
            service = services.project_approve
        self._act(
            service,
            t.decided,
            self.ctx.reviewer,
            decision_no=number,
            decision_date=t.decided,
            approved=approved,
        )

    def _run(self) -> None:
        spec, t, rng, ctx = self.spec, self.t, self.rng, self.ctx
        p = self.project
        self._act(
            services.project_start,
            t.contract,
            ctx.staff,
            contract_no=f"{rng.randint(10, 99)}/{t.contract.year}/HĐ-KC",
            contract_date=t.contract,
        )
        p = self.project
        running = spec.status == S.IN_PROGRESS
        duration = (t.end - t.start).days
        # Equipment is bought and installed in the first third.
        for m in self.machines:
            invoice_day = t.start + dt.timedelta(
                days=rng.randint(10, max(11, duration // 3))
            )
            row = EquipmentInvestment(
                project=p,
                establishment=m.establishment,
                item=m.item,
                specification=m.specification,
                maker_origin=m.maker,
                supplier_name=m.supplier[0],
                supplier_tax_code=m.supplier[1],
                quantity=m.quantity,
                unit_price=m.unit_price,
                supported=m.supported,
                invoice_no=_invoice(ctx, m.supplier[1]),
                invoice_date=invoice_day,
                contract_no=f"{rng.randint(1, 60):02d}/{invoice_day.year}/HĐMB",
                installation_date=invoice_day + dt.timedelta(days=rng.randint(3, 12)),
                recorded_by=ctx.staff,
            )
            row.store(
                serials=[
                    _serial(ctx, m.prefix, invoice_day.year) for _ in range(m.quantity)
                ],
                by=ctx.staff,
            )
        # Money per source: the advance after the contract, a payment once the
        # machines are in, the rest at settlement.
        fundings = list(p.fundings.all())
        share = self.content.max_advance_share
        advance_day = _workday(t.contract + dt.timedelta(days=rng.randint(5, 15)))
        for funding in fundings:
            rate = Decimal("0.30") if share <= 30 else Decimal("0.50")
            self._pay(
                DisbursementKind.ADVANCE,
                _round(funding.approved * rate),
                advance_day,
                funding.source,
            )
        self._progress(t.start + dt.timedelta(days=duration // 5), rng.randint(15, 30))
        mid = _workday(t.start + dt.timedelta(days=duration * 11 // 20))
        if spec.status == S.CANCELLED:
            self._progress(mid - dt.timedelta(days=20), rng.randint(30, 40))
            cancel_day = _workday(mid)
            self._act(
                services.project_cancel, cancel_day, ctx.reviewer, reason=spec.reason,
                **self._decision("cancellation", cancel_day),
            )  # fmt: skip
            refund_day = _workday(cancel_day + dt.timedelta(days=rng.randint(15, 25)))
            for row in Disbursement.objects.filter(
                project=self.project, state=DisbursementState.DUE
            ):
                row.confirm_refund(
                    date=refund_day,
                    voucher_no=f"GNT-{refund_day.year}/{rng.randint(10, 99)}",
                    by=ctx.staff,
                )
            self.last_day = refund_day
            return
        self._inspect(mid, done=not running or mid <= _d(2026, 11, 20))
        if not running or mid < _d(2026, 10, 15):
            pay_day = _workday(mid + dt.timedelta(days=rng.randint(7, 20)))
            for funding in fundings:
                self._pay(
                    DisbursementKind.PAYMENT,
                    _round(funding.approved * Decimal("0.40")),
                    pay_day,
                    funding.source,
                )
        if spec.adjustment:
            self._adjust()
        if running:
            self._running_checks()
            return
        self._progress(t.end - dt.timedelta(days=25), rng.randint(75, 90))
        self._progress(self.t.accepted - dt.timedelta(days=2), 100)
        self._accept()
        if spec.status == S.SETTLED:
            settled = {}
            for funding in self.project.fundings.all():
                trimmed = (
                    funding.approved - _round(funding.approved * 0.03)
                    if not self.machines and rng.random() < 0.3
                    else funding.approved
                )
                settled[funding.source] = trimmed
                self._carry_forward(funding, self.t.settled)
            self._act(
                services.project_settle,
                self.t.settled,
                ctx.staff,
                settled_on=self.t.settled,
                voucher_no=f"PC-QT-{self.t.settled.year}/{self.ctx.minutes:02d}",
                settled=settled,
                **self._decision("settlement", self.t.settled),
            )

    def _progress(self, day: dt.date, percent: int) -> None:
        notes = {
            100: "Hoàn thành các hạng mục; chuẩn bị hồ sơ nghiệm thu.",
        }
        note = notes.get(percent) or (
            "Đã ký hợp đồng mua sắm, nhà cung cấp đang giao thiết bị."
            if self.machines and percent < 50
            else "Thiết bị đã lắp đặt, vận hành thử ổn định."
            if self.machines
            else "Đang triển khai theo kế hoạch."
        )
        ProgressUpdate(
            project=self.project,
            date=day,
            progress_percent=percent,
            note=note,
        ).store(by=self.ctx.staff)

    def _inspect(self, planned: dt.date, *, done: bool, percent: int | None = None):
        rng = self.rng
        percent = percent or rng.randint(45, 70)
        if self.machines:
            findings = (
                f"Cơ sở đã nhận và lắp đặt {len(self.machines)} hạng mục thiết bị, "
                "đúng chủng loại theo hợp đồng; hóa đơn, biên bản bàn giao đầy đủ."
            )
        elif self.spec.content in (1, 2, 10):
            findings = (
                "Lớp học duy trì sĩ số, giáo viên và nguyên liệu thực hành bảo đảm."
            )
        else:
            findings = "Các hoạt động triển khai đúng kế hoạch, chứng từ đầy đủ."
        Inspection(
            project=self.project,
            planned_date=planned,
            actual_date=planned + dt.timedelta(days=rng.randint(0, 3))
            if done
            else None,
            inspectors=INSPECTORS[rng.randrange(len(INSPECTORS))],
            findings=findings if done else "",
            progress_percent=percent if done else None,
            follow_up="Đôn đốc hoàn thiện hồ sơ thanh toán đợt 2." if done else "",
        ).store(by=self.ctx.staff)

    def _running_checks(self) -> None:
        """A running project of 2026: the next inspection, planned — one is
        already late (the warnings page shows it)."""
        end = self.t.end
        planned = _d(2026, 11, 20) if end <= _d(2026, 11, 30) else _d(2026, 12, 8)
        self._progress(_d(2026, 11, 10), self.rng.randint(55, 75))
        self._inspect(planned, done=False)

    def _adjust(self) -> None:
        spec, t, ctx = self.spec, self.t, self.ctx
        asked = _workday(t.end - dt.timedelta(days=30))
        if spec.status == S.IN_PROGRESS:
            asked = _d(CURRENT_YEAR, 11, 23)
            new_end = _d(CURRENT_YEAR + 1, 3, 31)
        elif spec.accepted:
            new_end = spec.accepted - dt.timedelta(days=5)
        else:
            new_end = _add_months(t.end, 6)
        self._act(
            services.project_request_adjustment,
            asked,
            ctx.staff,
            reason=spec.reason,
            changes={"end_date": new_end},
        )
        adjustment = Adjustment.objects.get(project=self.project, status="pending")
        Adjustment.objects.filter(pk=adjustment.pk).update(
            requested_at=_aware(asked, self.rng)
        )
        if spec.adjustment == "pending":
            return
        decided = _workday(asked + dt.timedelta(days=10))
        self._act(
            services.project_decide_adjustment,
            decided,
            ctx.reviewer,
            approve=True,
            comment="Đồng ý gia hạn; cơ sở cam kết hoàn thành trước thời hạn mới.",
            **self._decision("adjustment", decided),
        )
        Adjustment.objects.filter(pk=adjustment.pk).update(
            decided_at=_aware(decided, self.rng)
        )
        self.t.end = new_end
        if not spec.accepted:
            self.t.accepted = _workday(new_end - dt.timedelta(days=5))
        # The work late in the extension: a second inspection.
        self._inspect(_workday(new_end - dt.timedelta(days=40)), done=True, percent=90)

    def _accept(self) -> None:
        rng, ctx, p = self.rng, self.ctx, self.project
        ctx.minutes += 1
        jobs = p.baseline_jobs
        outputs = {
            "machines_achieved": p.target_machines,
            "trainees_achieved": max(0, p.target_trainees - rng.randint(0, 2))
            if p.target_trainees
            else 0,
            "products_achieved": p.target_products,
            "jobs_after": jobs + rng.randint(2, 12) if jobs else None,
            "revenue_after": _round(p.baseline_revenue * rng.uniform(1.1, 1.4))
            if p.baseline_revenue
            else None,
            "productivity_after": (
                (p.baseline_productivity * Decimal(rng.uniform(1.2, 1.8))).quantize(
                    Decimal("0.01")
                )
                if p.baseline_productivity
                else None
            ),
            "energy_after_kwh": (
                (p.baseline_energy_kwh * Decimal("0.78")).quantize(Decimal("0.01"))
                if p.baseline_energy_kwh
                else None
            ),
            "lessons_learned": LESSONS[rng.randrange(len(LESSONS))],
            **_contributed(p),
        }
        self._act(
            services.project_accept,
            self.t.accepted,
            ctx.staff,
            acceptance_date=self.t.accepted,
            minutes_no=f"{ctx.minutes:02d}/{self.t.accepted.year}/BB-NT",
            outputs=outputs,
        )

    def _finish(self) -> Project:
        Project.objects.filter(pk=self.project.pk).update(
            created_at=_aware(self.t.drafted, self.rng),
            updated_at=_aware(self.last_day, self.rng),
        )
        return self.project


# --- entry points ----------------------------------------------------------------


def demo_programmes() -> dict[tuple[str, int], Plan]:
    """The programmes and their yearly plans, created once; by (key, year)."""
    plans = {}
    for key, (source, name, first, last, number, date) in PROGRAMMES.items():
        programme, _created = Programme.objects.get_or_create(
            source=source,
            start_year=first,
            end_year=last,
            defaults={"name": name, "decision_no": number, "decision_date": date},
        )
        if key == "kcqg-lam-san":
            years, allocation = range(2018, 2021), FOREST_ALLOCATION
        else:
            years = range(max(first, 2017), min(last, 2027) + 1)
            allocation = (
                NATIONAL_ALLOCATION if source == Source.NATIONAL else LOCAL_ALLOCATION
            )
        for year in years:
            decision_no, decision_date = _plan_decision(source, year)
            plans[(key, year)], _created = Plan.objects.get_or_create(
                programme=programme,
                year=year,
                defaults={
                    "allocated": allocation[year],
                    "decision_no": decision_no,
                    "decision_date": decision_date,
                },
            )
    return plans


def demo_seeded() -> bool:
    """The demo projects exist: one is funded by a 2017 plan of the demo's
    2016–2020 programmes (nothing else makes those plans)."""
    return ProjectFunding.objects.filter(
        plan__year=2017,
        plan__programme__start_year=2016,
        plan__programme__end_year=2020,
        plan__programme__name__in=[
            PROGRAMMES["kcqg-2016"][1],
            PROGRAMMES["kcdp-2016"][1],
        ],
    ).exists()


def seed_projects(
    *, staff: Any, reviewer: Any, establishments: dict[str, Establishment]
) -> dict[str, int]:
    """Build every demo project; returns how many per status."""
    ctx = Context(
        rng=random.Random(SEED),  # noqa: S311 - demo data, not secrets
        staff=staff,
        reviewer=reviewer,
        establishments=establishments,
        plans=demo_programmes(),
        contents={c.code: c for c in ActivityContent.objects.all()},
    )
    # Specs of one plan spread over its year in the order listed.
    by_plan: dict[tuple[str, int], list[Spec]] = defaultdict(list)
    for spec in SPECS:
        key, year, _amount = spec.fundings[0]
        by_plan[(key, year)].append(spec)
    counts: dict[str, int] = defaultdict(int)
    with _quiet():
        for specs in by_plan.values():
            for index, spec in enumerate(specs):
                project = Builder(ctx, spec, index, len(specs)).build()
                counts[project.status] += 1
    return dict(counts)

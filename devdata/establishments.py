"""Demo establishments of Thanh Hóa for `manage.py seed_demo` (DEBUG only).

Real commune names from the official units the migrations load (province 38),
plausible rural-industry establishments spread over mountainous, lowland and
coastal communes, two craft villages. Deterministic: the same database gets the
same rows; nothing here reads today's date.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from django.conf import settings

from enterprises.models import (
    Commune,
    CraftVillage,
    Establishment,
    EstablishmentKind,
    Region,
    Sector,
)

K = EstablishmentKind

# Old district blocks of the official commune codes (the GSO numbered communes
# district by district, and the 2025 units kept the code of one old commune):
# the eleven mountainous districts, the coastal ones, the rest lowland.
_MOUNTAIN_CODES = [(14845, 15268), (15607, 15661), (16174, 16276)]
_COASTAL_CODES = [(15865, 16171), (16438, 16675)]
# Inland communes of coastal districts, and a city ward on the river.
_LOWLAND_NAMES = {
    "Phường Nguyệt Viên",
    "Xã Hoằng Sơn",
    "Xã Hoằng Giang",
    "Xã Hoằng Lộc",
    "Xã Lưu Vệ",
    "Xã Quảng Yên",
    "Xã Triệu Lộc",
    "Xã Đông Thành",
    "Xã Trường Lâm",
}


def region_of(commune: Commune) -> str:
    if commune.name in _LOWLAND_NAMES:
        return Region.LOWLAND
    if any(lo <= commune.code <= hi for lo, hi in _MOUNTAIN_CODES):
        return Region.MOUNTAIN
    if any(lo <= commune.code <= hi for lo, hi in _COASTAL_CODES):
        return Region.COASTAL
    return Region.LOWLAND


def demo_regions() -> int:
    """Give the home province's communes a region where none is set yet (an
    administrator's choice is kept). Returns how many were set."""
    changed = []
    for commune in Commune.objects.in_province(settings.HOME_PROVINCE_CODE).filter(
        region=""
    ):
        commune.region = region_of(commune)
        changed.append(commune)
    Commune.objects.bulk_update(changed, ["region"])
    return len(changed)


# (key, name, commune, recognition decision)
CRAFT_VILLAGES = [
    (
        "tra-dong",
        "Làng nghề đúc đồng Trà Đông",
        "Xã Thiệu Trung",
        "Quyết định số 2012/QĐ-UBND ngày 28/6/2013 của UBND tỉnh Thanh Hóa",
    ),
    (
        "coi-nga-son",
        "Làng nghề chiếu cói Nga Sơn",
        "Xã Nga Sơn",
        "Quyết định số 4336/QĐ-UBND ngày 30/12/2011 của UBND tỉnh Thanh Hóa",
    ),
    (
        "may-tre-hoang-thinh",
        "Làng nghề mây tre đan Hoằng Thịnh",
        "Xã Hoằng Sơn",
        "Quyết định số 1457/QĐ-UBND ngày 12/5/2012 của UBND tỉnh Thanh Hóa",
    ),
]


@dataclass(frozen=True)
class Demo:
    key: str
    name: str
    kind: str
    sectors: tuple[str, ...]
    commune: str
    street: str
    legacy: str
    representative: str
    position: str
    products: str
    women: bool = False
    ethnic: bool = False
    village: str = ""


def _d(*args, **kwargs) -> Demo:
    return Demo(*args, **kwargs)


# Sector codes from the enterprises 0003 migration.
LS, TC, CK, VL, TP, DM, NS = (
    "lam-san",
    "thu-cong-my-nghe",
    "co-khi",
    "vat-lieu-xay-dung",
    "thuc-pham",
    "det-may",
    "nong-thuy-san",
)

ESTABLISHMENTS: list[Demo] = [
    # --- mountainous communes: forest products, bamboo, brocade ---------------
    _d("ls-thanh-vinh", "Công ty TNHH Chế biến lâm sản Thành Vinh", K.SMALL_ENTERPRISE,
       (LS,), "Xã Thành Vinh", "Thôn Đồng Lách", "Xã Thành Vinh, huyện Thạch Thành",
       "Trịnh Văn Quang", "Giám đốc", "Ván ghép thanh, gỗ xẻ keo"),
    _d("ls-ngoc-lac", "Công ty TNHH Lâm sản Ngọc Lặc", K.SMALL_ENTERPRISE, (LS,),
       "Xã Ngọc Lặc", "Khu phố Lê Lai", "Thị trấn Ngọc Lặc, huyện Ngọc Lặc",
       "Bùi Văn Thắng", "Giám đốc", "Gỗ xẻ, pallet gỗ keo", ethnic=True),
    _d("luong-quan-son", "Hợp tác xã Chế biến luồng Quan Sơn", K.COOPERATIVE, (LS, TC),
       "Xã Quan Sơn", "Bản Na Hồ", "Xã Sơn Lư, huyện Quan Sơn",
       "Lương Văn Hùng", "Giám đốc HTX", "Đũa luồng, tăm luồng, ván ép luồng",
       ethnic=True),
    _d("luong-dong-luong", "Công ty TNHH Luồng Lang Chánh", K.SMALL_ENTERPRISE,
       (LS,), "Xã Đồng Lương", "Bản Cáy", "Xã Đồng Lương, huyện Lang Chánh",
       "Lò Văn Tiến", "Giám đốc", "Ván sàn luồng, nan luồng", ethnic=True),
    _d("tho-cam-pu-luong", "Tổ hợp tác dệt thổ cẩm Pù Luông", K.COOPERATIVE_GROUP,
       (DM, TC), "Xã Pù Luông", "Bản Hiêu", "Xã Cổ Lũng, huyện Bá Thước",
       "Hà Thị Mai", "Tổ trưởng", "Khăn, váy, túi thổ cẩm", women=True,
       ethnic=True),
    _d("tho-cam-hien-kiet", "Hợp tác xã Dệt thổ cẩm Hiền Kiệt", K.COOPERATIVE, (DM,),
       "Xã Hiền Kiệt", "Bản Sa Ná", "Xã Phú Thanh, huyện Quan Hóa",
       "Ngân Thị Lan", "Giám đốc HTX", "Thổ cẩm, chăn gối thổ cẩm", women=True,
       ethnic=True),
    _d("go-ba-thuoc", "Công ty TNHH Mộc Bá Thước", K.SMALL_ENTERPRISE, (LS,),
       "Xã Bá Thước", "Phố 1", "Thị trấn Cành Nàng, huyện Bá Thước",
       "Phạm Bá Dũng", "Giám đốc", "Đồ gỗ nội thất, cửa gỗ", ethnic=True),
    _d("may-tre-cam-thuy", "Hợp tác xã Mây tre đan Cẩm Tú", K.COOPERATIVE, (TC,),
       "Xã Cẩm Tú", "Thôn Thành Long", "Xã Cẩm Tú, huyện Cẩm Thủy",
       "Quách Thị Hằng", "Giám đốc HTX", "Giỏ, làn, khay mây tre đan xuất khẩu",
       women=True, ethnic=True),
    _d("nong-san-cam-thuy", "Công ty TNHH Nông sản sạch Cẩm Thủy", K.SMALL_ENTERPRISE,
       (NS,), "Xã Cẩm Thủy", "Khu phố Thành Công", "Thị trấn Phong Sơn, huyện Cẩm Thủy",
       "Trương Văn Lực", "Giám đốc", "Bưởi sấy, mứt bưởi, tinh dầu bưởi"),
    _d("san-thuong-xuan", "Công ty TNHH Tinh bột sắn Thường Xuân", K.SMALL_ENTERPRISE,
       (NS,), "Xã Thường Xuân", "Khu phố 3", "Thị trấn Thường Xuân, huyện Thường Xuân",
       "Lê Đình Cường", "Giám đốc", "Tinh bột sắn, bã sắn làm thức ăn chăn nuôi"),
    _d("que-thuong-xuan", "Hợp tác xã Quế Luận Thành", K.COOPERATIVE, (NS, LS),
       "Xã Luận Thành", "Thôn Thống Nhất", "Xã Luận Thành, huyện Thường Xuân",
       "Vi Văn Thảo", "Giám đốc HTX", "Quế thanh, tinh dầu quế", ethnic=True),
    _d("mia-nhu-xuan", "Hộ kinh doanh Lê Thị Thu (mật mía Như Xuân)", K.HOUSEHOLD,
       (TP,), "Xã Như Xuân", "Thôn Tân Thành", "Thị trấn Yên Cát, huyện Như Xuân",
       "Lê Thị Thu", "Chủ hộ", "Mật mía, đường phên", women=True),
    _d("go-nhu-thanh", "Công ty TNHH Gỗ ván bóc Như Thanh", K.SMALL_ENTERPRISE, (LS,),
       "Xã Như Thanh", "Khu phố Hải Tiến", "Thị trấn Bến Sung, huyện Như Thanh",
       "Đỗ Văn Hải", "Giám đốc", "Ván bóc, ván ép keo"),
    _d("che-xuan-thai", "Hợp tác xã Chè Xuân Thái", K.COOPERATIVE, (NS,),
       "Xã Xuân Thái", "Thôn Đồng Xướng", "Xã Xuân Thái, huyện Như Thanh",
       "Hoàng Văn Toàn", "Giám đốc HTX", "Chè xanh, chè búp khô", ethnic=True),
    _d("ruou-muong-lat", "Tổ hợp tác rượu men lá Mường Lát", K.COOPERATIVE_GROUP,
       (TP,), "Xã Mường Lát", "Bản Lát", "Thị trấn Mường Lát, huyện Mường Lát",
       "Lữ Thị Nhung", "Tổ trưởng", "Rượu men lá đóng chai", women=True,
       ethnic=True),
    _d("co-khi-kim-tan", "Công ty TNHH Cơ khí Kim Tân", K.SMALL_ENTERPRISE, (CK,),
       "Xã Kim Tân", "Phố Hà Nội", "Thị trấn Kim Tân, huyện Thạch Thành",
       "Nguyễn Văn Lâm", "Giám đốc", "Máy chế biến nông sản, khung nhà thép"),
    _d("mien-dong-cam-tan", "Hộ kinh doanh Bùi Thị Hoa (miến dong)", K.HOUSEHOLD,
       (TP,), "Xã Cẩm Tân", "Thôn Tân Thủy", "Xã Cẩm Tân, huyện Cẩm Thủy",
       "Bùi Thị Hoa", "Chủ hộ", "Miến dong, bột dong riềng", women=True,
       ethnic=True),
    _d("ls-minh-son", "Công ty TNHH Chế biến gỗ Minh Sơn", K.SMALL_ENTERPRISE, (LS,),
       "Xã Minh Sơn", "Thôn Minh Thủy", "Xã Minh Sơn, huyện Ngọc Lặc",
       "Phạm Văn Khánh", "Giám đốc", "Gỗ ghép thanh, đồ gỗ mỹ nghệ"),
    _d("dan-lat-yen-khuong", "Tổ hợp tác đan lát Yên Khương", K.COOPERATIVE_GROUP,
       (TC,), "Xã Yên Khương", "Bản Mỏ", "Xã Yên Khương, huyện Lang Chánh",
       "Lò Thị Hương", "Tổ trưởng", "Đồ đan lát giang, nứa", women=True, ethnic=True),
    # --- lowland communes: mechanics, building materials, food ----------------
    _d("dong-tra-dong", "Công ty TNHH Đúc đồng Trà Đông", K.SMALL_ENTERPRISE, (TC, CK),
       "Xã Thiệu Trung", "Thôn Trà Đông", "Xã Thiệu Trung, huyện Thiệu Hóa",
       "Nguyễn Văn Hoàn", "Giám đốc", "Trống đồng, chuông, tượng đồng",
       village="tra-dong"),
    _d("dong-hoang-duc", "Hộ kinh doanh Đúc đồng Nguyễn Hữu Đức", K.HOUSEHOLD, (TC,),
       "Xã Thiệu Trung", "Thôn Trà Đông", "Xã Thiệu Trung, huyện Thiệu Hóa",
       "Nguyễn Hữu Đức", "Chủ hộ", "Đồ thờ bằng đồng, lư hương", village="tra-dong"),
    _d("co-khi-thieu-hoa", "Công ty TNHH Cơ khí Thiệu Hóa", K.SMALL_ENTERPRISE, (CK,),
       "Xã Thiệu Hóa", "Tiểu khu 5", "Thị trấn Thiệu Hóa, huyện Thiệu Hóa",
       "Lê Văn Tuấn", "Giám đốc", "Cửa sắt, khung kèo thép, máy tuốt lúa"),
    _d("gach-yen-dinh", "Công ty CP Gạch không nung Yên Định", K.SMALL_ENTERPRISE,
       (VL,), "Xã Yên Định", "Khu phố Mới", "Thị trấn Quán Lào, huyện Yên Định",
       "Trịnh Xuân Hòa", "Giám đốc", "Gạch block, gạch lát tự chèn"),
    _d("gach-dinh-tan", "Hợp tác xã Vật liệu xây dựng Định Tân", K.COOPERATIVE, (VL,),
       "Xã Định Tân", "Thôn Tân Lập", "Xã Định Tân, huyện Yên Định",
       "Hoàng Văn Nam", "Giám đốc HTX", "Gạch không nung, cống bê tông"),
    _d("da-dong-son", "Công ty TNHH Đá mỹ nghệ Nhồi", K.SMALL_ENTERPRISE, (VL, TC),
       "Phường Đông Sơn", "Phố Nhồi", "Phường An Hưng, thành phố Thanh Hóa",
       "Lê Văn Nhân", "Giám đốc", "Đá mỹ nghệ, bia đá, lan can đá"),
    _d("nem-hac-thanh", "Công ty TNHH Nem chua Hạc Thành", K.SMALL_ENTERPRISE, (TP,),
       "Phường Hạc Thành", "Số 18 Lê Hoàn", "Phường Lam Sơn, thành phố Thanh Hóa",
       "Nguyễn Thị Thanh", "Giám đốc", "Nem chua, chả tôm", women=True),
    _d("banh-gai-tho-xuan", "Hợp tác xã Bánh gai Tứ Trụ", K.COOPERATIVE, (TP,),
       "Xã Thọ Long", "Làng Tứ Trụ", "Xã Thọ Diên, huyện Thọ Xuân",
       "Lê Thị Hiền", "Giám đốc HTX", "Bánh gai, bánh răng bừa", women=True),
    _d("co-khi-tho-xuan", "Công ty TNHH Cơ khí nông nghiệp Sao Vàng",
       K.SMALL_ENTERPRISE, (CK,), "Xã Sao Vàng", "Khu phố 2",
       "Thị trấn Sao Vàng, huyện Thọ Xuân",
       "Lê Xuân Trường", "Giám đốc", "Máy sấy lúa, máy gặt mini"),
    _d("may-lam-son", "Công ty TNHH May mặc Lam Sơn", K.SMALL_ENTERPRISE, (DM,),
       "Xã Lam Sơn", "Khu phố Mía Đường", "Thị trấn Lam Sơn, huyện Thọ Xuân",
       "Lê Thị Ngọc", "Giám đốc", "Quần áo bảo hộ lao động", women=True),
    _d("co-khi-trieu-son", "Công ty TNHH Cơ khí Triệu Sơn", K.SMALL_ENTERPRISE, (CK,),
       "Xã Triệu Sơn", "Tiểu khu Giắt", "Thị trấn Triệu Sơn, huyện Triệu Sơn",
       "Lê Đình Phong", "Giám đốc", "Kết cấu thép, máy nghiền thức ăn gia súc"),
    _d("gao-tho-binh", "Hợp tác xã Gạo sạch Thọ Bình", K.COOPERATIVE, (NS,),
       "Xã Thọ Bình", "Thôn 3", "Xã Thọ Bình, huyện Triệu Sơn",
       "Ngô Văn Bình", "Giám đốc HTX", "Gạo đóng túi, bún khô"),
    _d("may-vinh-loc", "Công ty TNHH Dệt may Vĩnh Lộc", K.SMALL_ENTERPRISE, (DM,),
       "Xã Vĩnh Lộc", "Khu phố 4", "Thị trấn Vĩnh Lộc, huyện Vĩnh Lộc",
       "Trần Thị Dung", "Giám đốc", "Áo sơ mi, đồng phục", women=True),
    _d("go-tay-do", "Hộ kinh doanh Mộc mỹ nghệ Tây Đô", K.HOUSEHOLD, (LS, TC),
       "Xã Tây Đô", "Thôn Xuân Giai", "Xã Vĩnh Tiến, huyện Vĩnh Lộc",
       "Phạm Văn Tài", "Chủ hộ", "Bàn ghế, sập gụ, tượng gỗ"),
    _d("co-khi-ha-trung", "Công ty TNHH Cơ khí chính xác Hà Trung", K.SMALL_ENTERPRISE,
       (CK,), "Xã Hà Trung", "Tiểu khu 3", "Thị trấn Hà Trung, huyện Hà Trung",
       "Đặng Văn Hưng", "Giám đốc", "Linh kiện cơ khí, khuôn mẫu"),
    _d("chieu-ha-long", "Hợp tác xã Thủ công mỹ nghệ Hà Long", K.COOPERATIVE, (TC,),
       "Xã Hà Long", "Thôn Tân Sơn", "Xã Hà Long, huyện Hà Trung",
       "Mai Thị Tuyết", "Giám đốc HTX", "Sản phẩm bèo bồng, mây đan", women=True),
    _d("gach-nong-cong", "Công ty TNHH Gạch ngói Nông Cống", K.SMALL_ENTERPRISE, (VL,),
       "Xã Trường Văn", "Thôn Cao Nhuệ", "Xã Trường Sơn, huyện Nông Cống",
       "Lê Văn Thành", "Giám đốc", "Gạch nung tuynel, ngói"),
    _d("banh-nong-cong", "Hộ kinh doanh Nguyễn Thị Lý (bánh đa)", K.HOUSEHOLD, (TP,),
       "Xã Nông Cống", "Tiểu khu Bắc Giang", "Thị trấn Nông Cống, huyện Nông Cống",
       "Nguyễn Thị Lý", "Chủ hộ", "Bánh đa nem, bánh đa vừng", women=True),
    _d("co-khi-bim-son", "Công ty TNHH Cơ khí Bỉm Sơn", K.SMALL_ENTERPRISE, (CK,),
       "Phường Bỉm Sơn", "Số 45 Trần Phú", "Phường Ba Đình, thị xã Bỉm Sơn",
       "Vũ Văn Toản", "Giám đốc", "Phụ tùng máy xi măng, gia công cơ khí"),
    _d("bao-bi-quang-trung", "Công ty TNHH Bao bì Quang Trung", K.SMALL_ENTERPRISE,
       (VL,), "Phường Quang Trung", "Khu phố 7", "Phường Bắc Sơn, thị xã Bỉm Sơn",
       "Phạm Thị Hạnh", "Giám đốc", "Vỏ bao xi măng", women=True),
    _d("tre-ham-rong", "Công ty TNHH Tre Việt Hàm Rồng", K.SMALL_ENTERPRISE, (LS, TC),
       "Phường Hàm Rồng", "Phố Đông Sơn 3", "Phường Hàm Rồng, thành phố Thanh Hóa",
       "Lê Quang Huy", "Giám đốc", "Đồ nội thất tre ép, thớt tre"),
    # --- coastal communes: sedge, rattan, fish sauce, seafood -----------------
    _d("coi-nga-son", "Hợp tác xã Chiếu cói Nga Sơn", K.COOPERATIVE, (TC,),
       "Xã Nga Sơn", "Thôn 5", "Xã Nga Văn, huyện Nga Sơn",
       "Mai Thị Liên", "Giám đốc HTX", "Chiếu cói, thảm cói, túi cói", women=True,
       village="coi-nga-son"),
    _d("coi-nga-an", "Công ty TNHH Cói mỹ nghệ Nga An", K.SMALL_ENTERPRISE, (TC,),
       "Xã Nga An", "Thôn 3", "Xã Nga An, huyện Nga Sơn",
       "Mai Văn Thịnh", "Giám đốc", "Hàng cói mỹ nghệ xuất khẩu"),
    _d("coi-nga-thang", "Hộ kinh doanh Mai Thị Hoa (dệt chiếu)", K.HOUSEHOLD, (TC,),
       "Xã Nga Thắng", "Thôn 2", "Xã Nga Thắng, huyện Nga Sơn",
       "Mai Thị Hoa", "Chủ hộ", "Chiếu cói dệt máy", women=True),
    _d("may-tre-hoang-son", "Hợp tác xã Mây tre đan Hoằng Thịnh", K.COOPERATIVE, (TC,),
       "Xã Hoằng Sơn", "Thôn Đạt Tài", "Xã Hoằng Thịnh, huyện Hoằng Hóa",
       "Lê Văn Sơn", "Giám đốc HTX", "Bàn ghế mây, đèn mây",
       village="may-tre-hoang-thinh"),
    _d("hai-san-hoang-thanh", "Công ty TNHH Chế biến hải sản Hoằng Thanh",
       K.SMALL_ENTERPRISE, (NS, TP), "Xã Hoằng Thanh", "Thôn Hải Giang",
       "Xã Hoằng Thanh, huyện Hoằng Hóa", "Lê Văn Biển", "Giám đốc",
       "Mực khô, cá thu một nắng, ruốc"),
    _d("co-khi-hoang-hoa", "Công ty TNHH MTV Cơ khí Hoằng Hóa", K.SMALL_ENTERPRISE,
       (CK,), "Xã Hoằng Hóa", "Khu phố 6", "Thị trấn Bút Sơn, huyện Hoằng Hóa",
       "Lê Hữu Phước", "Giám đốc", "Vỏ tàu composite, phụ tùng tàu cá"),
    _d("mam-ba-lang", "Hợp tác xã Chế biến nước mắm Ba Làng", K.COOPERATIVE, (TP,),
       "Phường Hải Bình", "Khu phố Ba Làng", "Xã Hải Thanh, thị xã Nghi Sơn",
       "Nguyễn Thị Tâm", "Giám đốc HTX", "Nước mắm cốt, mắm tôm", women=True),
    _d("hai-san-tinh-gia", "Công ty TNHH Thủy sản Tĩnh Gia", K.SMALL_ENTERPRISE, (NS,),
       "Phường Tĩnh Gia", "Khu phố 1", "Thị trấn Tĩnh Gia, huyện Tĩnh Gia",
       "Nguyễn Văn Hải", "Giám đốc", "Tôm nõn, cá khô, bột cá"),
    _d("co-khi-nghi-son", "Công ty TNHH Cơ khí đóng tàu Nghi Sơn", K.SMALL_ENTERPRISE,
       (CK,), "Phường Nghi Sơn", "Thôn Bắc Sơn", "Xã Nghi Sơn, thị xã Nghi Sơn",
       "Lê Thế Anh", "Giám đốc", "Sửa chữa, đóng mới tàu cá vỏ thép"),
    _d("nem-sam-son", "Hộ kinh doanh Trần Thị Nga (chả mực Sầm Sơn)", K.HOUSEHOLD,
       (TP,), "Phường Sầm Sơn", "Phố Hồ Xuân Hương", "Phường Trường Sơn, TP Sầm Sơn",
       "Trần Thị Nga", "Chủ hộ", "Chả mực, chả cá", women=True),
    _d("mam-quang-ngoc", "Hợp tác xã Dịch vụ nghề cá Quảng Ngọc", K.COOPERATIVE,
       (NS, TP), "Xã Quảng Ngọc", "Thôn Yên Trung", "Xã Quảng Nham, huyện Quảng Xương",
       "Đỗ Văn Mạnh", "Giám đốc HTX", "Nước mắm, cá khô"),
    _d("go-hau-loc", "Công ty TNHH Mộc dân dụng Hậu Lộc", K.SMALL_ENTERPRISE, (LS,),
       "Xã Hậu Lộc", "Khu phố 3", "Thị trấn Hậu Lộc, huyện Hậu Lộc",
       "Phạm Văn Lộc", "Giám đốc", "Cửa gỗ, tủ bếp"),
    _d("moc-hoa-loc", "Tổ hợp tác mộc Hoa Lộc", K.COOPERATIVE_GROUP, (LS,),
       "Xã Hoa Lộc", "Thôn Thọ Phú", "Xã Hoa Lộc, huyện Hậu Lộc",
       "Nguyễn Văn Chiến", "Tổ trưởng", "Bàn ghế gỗ, giường tủ"),
    _d("vat-lieu-cac-son", "Công ty CP Vật liệu xây dựng Các Sơn", K.SMALL_ENTERPRISE,
       (VL,), "Xã Các Sơn", "Thôn Liên Sơn", "Xã Các Sơn, thị xã Nghi Sơn",
       "Lê Văn Cường", "Giám đốc", "Đá xây dựng, gạch block"),
    _d("may-tien-trang", "Hộ kinh doanh Lê Thị Mận (may túi cói)", K.HOUSEHOLD,
       (DM, TC), "Xã Tiên Trang", "Thôn Tiên Phong", "Xã Quảng Lợi, huyện Quảng Xương",
       "Lê Thị Mận", "Chủ hộ", "Túi cói may sẵn, mũ cói", women=True),
]  # fmt: skip


def demo_craft_villages() -> dict[str, CraftVillage]:
    communes = _communes([c for _k, _n, c, _r in CRAFT_VILLAGES])
    villages = {}
    for key, name, commune, recognition in CRAFT_VILLAGES:
        villages[key], _created = CraftVillage.objects.get_or_create(
            commune=communes[commune],
            name=name,
            defaults={"recognition": recognition},
        )
    return villages


def _communes(names: list[str]) -> dict[str, Commune]:
    """The named communes of the home province; a name the units no longer
    carry falls back to a commune of the province, deterministically."""
    home = Commune.objects.in_province(settings.HOME_PROVINCE_CODE)
    found = {c.name: c for c in home.filter(name__in=set(names))}
    fallback = list(home.order_by("code")[:20])
    for i, name in enumerate(sorted(set(names) - set(found))):
        found[name] = fallback[i % len(fallback)]
    return found


def demo_establishments(rng: random.Random) -> dict[str, Establishment]:
    """The demo establishments by key, created once (matched by tax code or
    registration number, so a second run adds nothing)."""
    villages = demo_craft_villages()
    sectors = {s.code: s for s in Sector.objects.all()}
    communes = _communes([d.commune for d in ESTABLISHMENTS])
    made: dict[str, Establishment] = {}
    for number, demo in enumerate(ESTABLISHMENTS, start=1):
        household = demo.kind == K.HOUSEHOLD
        # Thanh Hóa tax codes begin with 28; a household here has only its
        # registration certificate.
        tax_code = "" if household else f"28{1_000_000 + number * 7919:08d}"
        registration = f"26H8{number:06d}" if household else tax_code
        lookup = (
            {"tax_code": tax_code}
            if tax_code
            else {"business_registration_no": registration}
        )
        workers = rng.randint(4, 12) if household else rng.randint(12, 85)
        women = (
            rng.randint(workers // 3, workers)
            if demo.women
            else rng.randint(0, workers // 2)
        )
        ethnic = rng.randint(workers // 2, workers) if demo.ethnic else 0
        establishment = Establishment.objects.filter(**lookup).first()
        if establishment is None:
            establishment = Establishment(
                name=demo.name,
                kind=demo.kind,
                tax_code=tax_code,
                business_registration_no=registration,
                representative_name=demo.representative,
                representative_position=demo.position,
                phone=f"0237{rng.randint(3_500_000, 3_999_999)}"
                if not household
                else f"09{rng.randint(10_000_000, 99_999_999)}",
                commune=communes[demo.commune],
                street=demo.street,
                legacy_address=f"{demo.street}, {demo.legacy}, tỉnh Thanh Hóa",
                craft_village=villages.get(demo.village),
                founded_year=rng.randint(1995, 2015),
                workers_total=workers,
                workers_women=women,
                workers_ethnic_minority=ethnic,
                women_owned=demo.women,
                ethnic_minority_owned=demo.ethnic,
                yearly_revenue=rng.randint(8, 160) * 100_000_000
                if not household
                else rng.randint(5, 30) * 100_000_000,
                main_products=demo.products,
            )
            establishment.full_clean()
            establishment.refresh_search_text()
            establishment.save()
            establishment.sectors.set([sectors[code] for code in demo.sectors])
        made[demo.key] = establishment
    return made

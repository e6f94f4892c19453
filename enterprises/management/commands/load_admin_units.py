from django.core.management.base import BaseCommand

from enterprises.admin_units import load_admin_units


class Command(BaseCommand):
    help = "Load or refresh official provinces and communes (vietnam-provinces)."

    def handle(self, *args, **options) -> None:
        r = load_admin_units()
        self.stdout.write(
            f"Tỉnh/thành: thêm {r.provinces_created}, cập nhật {r.provinces_updated}; "
            f"xã/phường: thêm {r.communes_created}, cập nhật {r.communes_updated}."
        )

"""manage.py export_exchange --period 2018-H1 [--output file.json] [--xlsx file]"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from api.exchange import exchange_export, exchange_json, exchange_xlsx
from reports.periods import Period


class Command(BaseCommand):
    help = "Write the national exchange file of a period (JSON, and XLSX if asked)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--period", required=True, help="2018, 2018-H1, 2018-Q3…")
        parser.add_argument("--output", "-o", help="JSON file (default: stdout)")
        parser.add_argument("--xlsx", help="also write the workbook here")

    def handle(self, *args, period: str, output: str | None, xlsx: str | None, **kw):
        try:
            parsed = Period.parse(period)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        data = exchange_export(period=parsed)
        text = exchange_json(data)
        if output:
            with open(output, "w", encoding="utf-8", newline="\n") as f:
                f.write(text)
        else:
            self.stdout.write(text, ending="")
        if xlsx:
            with open(xlsx, "wb") as f:
                f.write(exchange_xlsx(data))

# Vietnamese formats. Django's own `vi` module leaves NUMBER_GROUPING at 0 (so
# 1234567 would print without separators) and defines no *_INPUT_FORMATS (so
# 05/03/2025 would be read the US way, as 3 May). Both are fixed here.
DATE_FORMAT = r"\N\gà\y d \t\há\n\g n \nă\m Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "H:i d/m/Y"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "H:i d/m/Y"
FIRST_DAY_OF_WEEK = 1  # Monday

DATE_INPUT_FORMATS = [
    "%d/%m/%Y",  # 05/03/2025
    "%d/%m/%y",  # 05/03/25
    "%d-%m-%Y",  # 05-03-2025
    "%d.%m.%Y",  # 05.03.2025
    "%Y-%m-%d",  # 2025-03-05, what <input type="date"> sends
]
DATETIME_INPUT_FORMATS = [
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%d",
]
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
NUMBER_GROUPING = 3

"""Importing establishments from a workbook: columns, cells, checks, writes, jobs.

`establishment_import` is the one code path of every import (the page's
background job, the management command, the tests).
"""

from .columns import COLUMNS, Column
from .validate import ImportIssue, ImportResult, establishment_import

__all__ = ["COLUMNS", "Column", "ImportIssue", "ImportResult", "establishment_import"]

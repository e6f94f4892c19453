from rest_framework.pagination import CursorPagination


class IdCursorPagination(CursorPagination):
    """Pages keyed on the primary key, ascending: a row inserted while a
    client walks the pages lands after them, never shifting a page."""

    ordering = ("pk",)
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

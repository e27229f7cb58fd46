from rest_framework import pagination


class Pagination(pagination.PageNumberPagination):
    """Page numbers with a capped page size (API4: no unbounded lists)."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


def page_number(value: str | None) -> int:
    """The page asked for, as the paginator will read it (anything else: the
    first); a number past any list stays one SQL's OFFSET can take."""
    try:
        return min(max(int(value or 1), 1), 10**6)
    except ValueError:
        return 1

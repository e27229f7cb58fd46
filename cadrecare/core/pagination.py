from rest_framework import pagination


class Pagination(pagination.PageNumberPagination):
    """Page numbers with a capped page size (API4: no unbounded lists)."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

from rest_framework.pagination import PageNumberPagination


class PortalPagination(PageNumberPagination):
    """Every list is paginated; `page_size` may be asked for, up to a cap."""

    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 200

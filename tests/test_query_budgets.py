"""Pages cost a fixed number of queries, however many rows they show (no N+1)."""

import pytest
from django.test import Client

from conftest import establish

PAGES = [
    "/units/",
    "/units/DN-TB/",
    "/units/DN-TB/children/",
    "/units/DN-TB/children/?as_of=2024-06-01",
    "/units/search/?q=cong",
    "/units/DN-TB/history/",
    "/audit/",
    "/access/grants/",
]


def queries_for(client, url, django_assert_max_num_queries, budget):
    with django_assert_max_num_queries(budget) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("url", PAGES)
def test_page_queries_do_not_grow_with_rows(cast, url, django_assert_max_num_queries):
    client = Client()
    client.force_login(cast.parent)
    small = queries_for(client, url, django_assert_max_num_queries, 25)
    for i in range(30):
        establish(cast.admin, cast.commune, "grassroots_union", f"DN-TB-1{i:02d}", f"Công đoàn cơ sở số {i}")
    large = queries_for(client, url, django_assert_max_num_queries, 25)
    assert large == small, (url, small, large)

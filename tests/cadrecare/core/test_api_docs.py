"""The API documentation works on an intranet with no internet: every script,
stylesheet and icon of /api/docs/ (Swagger UI) and /api/redoc/ (Redoc) comes
from this service, and the schema groups operations by domain with Chinese
summaries."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
from django.conf import settings
from django.contrib.staticfiles.views import serve
from django.test import Client, RequestFactory

from cadrecare.core.schema import DOMAINS

CHINESE = re.compile(r"[\u4e00-\u9fff]")


class Assets(HTMLParser):
    """The addresses a page makes the browser load."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag in ("script", "img", "iframe") and attributes.get("src"):
            self.urls.append(attributes["src"] or "")
        if tag == "link" and attributes.get("href"):
            self.urls.append(attributes["href"] or "")


def fetch(client: Client, url: str) -> tuple[int, bytes]:
    """GET a same-site address: static files as the static file server gives
    them (collectstatic's files, here straight from the apps), others from the app."""
    path = urlsplit(url).path
    static_prefix = urljoin("/", settings.STATIC_URL)
    if path.startswith(static_prefix):
        response = serve(RequestFactory().get(path), path[len(static_prefix) :], insecure=True)
        return response.status_code, b"".join(response.streaming_content)
    response = client.get(url)
    return response.status_code, response.content


@pytest.mark.parametrize("page", ["/api/docs/", "/api/redoc/"])
def test_the_docs_load_everything_from_this_service(db: None, page: str) -> None:
    # given a browser with no way out of the intranet
    client = Client()
    # when it opens the docs page
    response = client.get(page)
    assert response.status_code == 200
    html = response.content.decode()
    parser = Assets()
    parser.feed(html)
    # then it names no other host, and each script and stylesheet it loads is served here
    assert not re.search(r"https?://|[\"']//", html), html
    assert parser.urls, html
    for url in parser.urls:
        parts = urlsplit(url)
        assert not parts.scheme and not parts.netloc, url
        status, body = fetch(client, urljoin(page, url))
        assert status == 200, url
        assert body, url


def test_swagger_ui_starts_from_a_script_of_this_service_with_no_inline_code(db: None) -> None:
    client = Client()
    html = client.get("/api/docs/").content.decode()
    assert "<script>" not in html  # a Content-Security-Policy of 'self' lets it run
    script = client.get("/api/docs/", {"script": ""})
    assert script.status_code == 200
    assert 'url: "/api/schema/"' in script.content.decode()
    assert not re.search(r"https?://", script.content.decode())


def test_every_operation_is_tagged_with_its_domain_and_summarised_in_chinese(db: None) -> None:
    # when a reader fetches the schema the docs show
    schema = Client().get("/api/schema/", {"format": "json"}).json()
    domains = [tag for tag, _ in DOMAINS.values()]
    operations = [
        (method.upper(), path, operation)
        for path, item in schema["paths"].items()
        for method, operation in item.items()
        if isinstance(operation, dict)
    ]
    # then every operation sits under one domain and says in Chinese what it does
    untagged = [
        f"{method} {path}"
        for method, path, operation in operations
        if len(operation.get("tags", [])) != 1 or operation["tags"][0] not in domains
    ]
    unsummarised = [
        f"{method} {path}" for method, path, operation in operations if not CHINESE.search(operation.get("summary", ""))
    ]
    assert not untagged
    assert not unsummarised
    # and the domains are listed in their order, each described
    assert [tag["name"] for tag in schema["tags"]] == domains
    assert all(CHINESE.search(tag["description"]) for tag in schema["tags"])
    # and the errors of the one error shape are documented on every operation
    for _, _, operation in operations:
        assert {"400", "401", "403", "404", "409", "412", "428", "429"} <= set(operation["responses"])


def test_the_verbs_name_the_resource(db: None) -> None:
    schema: Any = Client().get("/api/schema/", {"format": "json"}).json()
    assert schema["paths"]["/api/v1/health-checkups/"]["get"]["summary"] == "列出体检记录"
    assert schema["paths"]["/api/v1/health-checkups/"]["post"]["summary"] == "新增体检记录"
    assert schema["paths"]["/api/v1/health-checkups/{id}/"]["get"]["summary"] == "查看体检记录"
    assert schema["paths"]["/api/v1/offices/{id}/"]["delete"]["summary"] == "删除科室站所"
    assert schema["paths"]["/api/v1/checkup-due/"]["get"]["summary"] == "列出体检到期名单"
    assert schema["paths"]["/api/v1/due-items/"]["get"]["tags"] == ["提醒待办"]

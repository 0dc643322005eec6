"""A crawler for the fuzz tests: the pages a role can reach from the home page and the admin, and their forms."""

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from django.urls import Resolver404, resolve

SKIPPED = ("/static/", "/media/", "/i18n/", "/metrics", "/_allauth/", "/api/")


@dataclass
class Form:
    page: str
    action: str
    method: str
    fields: dict = field(default_factory=dict)  # name -> list of values seen (options, checkbox values, defaults)
    files: list = field(default_factory=list)

    @property
    def signature(self):
        return self.method, _route(self.action), tuple(sorted(self.fields)), tuple(self.files)


class _PageParser(HTMLParser):
    def __init__(self, url):
        super().__init__()
        self.url, self.links, self.forms, self._form, self._select = url, [], [], None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(urljoin(self.url, attrs["href"]))
        elif tag == "form":
            action = urljoin(self.url, attrs.get("action") or self.url)
            self._form = Form(page=self.url, action=action, method=(attrs.get("method") or "get").upper())
            self.forms.append(self._form)
        elif self._form is not None and attrs.get("name"):
            self._field(tag, attrs)
        elif tag == "option" and self._select is not None:
            self._select.append(attrs.get("value") or "")

    def _field(self, tag, attrs):
        name = attrs["name"]
        if tag == "input" and attrs.get("type") == "file":
            self._form.files.append(name)
            return
        values = self._form.fields.setdefault(name, [])
        if tag == "select":
            self._select = values
        elif tag in ("input", "button", "textarea"):
            values.append(attrs.get("value") or "")

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def _route(url):
    try:
        return resolve(urlsplit(url).path).route
    except Resolver404:
        return None


def crawl(client, seeds, *, limit=80):
    """Pages reachable from ``seeds`` by links (one page per URL pattern, at most ``limit``) and their forms,
    one form per (method, URL pattern of its action, field names)."""
    queue, seen_routes, forms = list(seeds), set(), {}
    while queue and len(seen_routes) < limit:
        url = queue.pop(0)
        parts = urlsplit(url)
        route = _route(url)
        if parts.netloc not in ("", "testserver") or route is None or route in seen_routes:
            continue
        if parts.path.startswith(SKIPPED) or "logout" in parts.path:
            continue
        seen_routes.add(route)
        response = client.get(parts.path + (f"?{parts.query}" if parts.query else ""))
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        parser = _PageParser("http://testserver" + parts.path)
        parser.feed(response.content.decode())
        queue.extend(parser.links)
        for form in parser.forms:
            forms.setdefault(form.signature, form)
    return list(forms.values())

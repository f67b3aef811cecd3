"""A stand-in for Ofsted's report site on 127.0.0.1: search pages (paginated), provider pages and
publication files, with the misbehaviours the fetch must survive (a 500 then success, a 404, a
response slower than the timeout, an HTML page served as a PDF; redirects, loops of them and to
other hosts, a body that dribbles, one shorter than its Content-Length, one that claims to be
huge) and ETag/Last-Modified support.

Pages link files as https://files.ofsted.gov.uk/v1/file/<n>, as the live site does: the fetch
must rewrite them to this server. Every request is logged with its conditional headers.
"""

from __future__ import annotations

import contextlib
import ctypes
import email.utils
import hashlib
import html
import io
import sys
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c


def tiny_pdf(lines: list[str]) -> bytes:
    """A one-page PDF with these lines of text (about 1 KB)."""
    pdf = pdfium.PdfDocument.new()
    page = pdf.new_page(595, 842)
    y = 800.0
    for line in lines:
        obj = pdfium_c.FPDFPageObj_NewTextObj(pdf.raw, b"Helvetica", ctypes.c_float(11))
        encoded = (line + "\0").encode("utf-16-le")
        text = (ctypes.c_ushort * (len(encoded) // 2)).from_buffer_copy(encoded)
        assert pdfium_c.FPDFText_SetText(obj, text)
        pdfium_c.FPDFPageObj_Transform(obj, 1, 0, 0, 1, 50, y)
        pdfium_c.FPDFPage_InsertObject(page.raw, obj)
        y -= 16
    assert pdfium_c.FPDFPage_GenerateContent(page.raw)
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


@dataclass
class File:
    body: bytes
    etag: bool = True
    last_modified: str | None = "Mon, 10 Dec 2018 09:00:00 GMT"
    fail_first: int = 0  # answer 500 to this many requests first
    status: int = 200  # e.g. 404
    delay: float = 0.0  # seconds before answering
    content_type: str = "application/pdf"
    requests: int = 0
    redirect: str | None = None  # answer 302 to here ("{path}": the path asked for, a loop)
    declared_length: int | None = None  # Content-Length to send instead of the body's
    no_length: bool = False  # no Content-Length: the body ends when the connection closes
    send: int | None = None  # send only this many bytes of the body, then close the connection
    dribble: float = 0.0  # seconds between bytes of the body

    def etag_value(self) -> str:
        return '"' + hashlib.sha256(self.body).hexdigest()[:16] + '"'


@dataclass
class Publication:
    file_no: int
    label: str  # the nonvisual text


@dataclass
class Provider:
    urn: int
    name: str
    publications: list[Publication] = field(default_factory=list)


@dataclass
class Logged:
    path: str
    status: int
    if_none_match: str | None
    if_modified_since: str | None

    @property
    def conditional(self) -> bool:
        return bool(self.if_none_match or self.if_modified_since)


class FakeOfsted:
    def __init__(self) -> None:
        self.providers: list[Provider] = []
        self.files: dict[int, File] = {}
        self.log: list[Logged] = []
        self.search_status = 200  # set to 503 to make the site unreachable
        self.page_status: dict[int, int] = {}  # URN -> status of its provider page, if not 200
        self._lock = threading.Lock()
        self._server = _Server(("127.0.0.1", 0), _handler(self))
        self._server.daemon_threads = True
        self._server.block_on_close = False  # do not wait for a slow answer nobody reads
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> FakeOfsted:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def add(self, urn: int, name: str, *pubs: tuple[str, File]) -> None:
        p = Provider(urn, name)
        for label, f in pubs:
            number = 50_000_000 + len(self.files)
            self.files[number] = f
            p.publications.append(Publication(number, label))
        self.providers.append(p)

    def file_url(self, number: int) -> str:
        return f"https://files.ofsted.gov.uk/v1/file/{number}"

    def file_requests(self, number: int | None = None) -> list[Logged]:
        prefix = "/v1/file/" + ("" if number is None else str(number))
        return [r for r in self.log if r.path == prefix or (number is None and r.path.startswith(prefix))]

    def clear_log(self) -> None:
        with self._lock:
            self.log.clear()

    # -- pages -----------------------------------------------------------------------------

    def search_page(self, start: int, rows: int) -> str:
        items = "".join(
            f'<li class="search-result"><h3><a href="/provider/44/{p.urn}">{html.escape(p.name)}</a></h3>'
            f"<p>Local authority children's services</p></li>"
            for p in self.providers[start : start + rows]
        )
        return (
            "<html><body><a href='/'>Home</a><a href='/provider/help'>Help</a>"
            f"<ul class='results-list'>{items}</ul></body></html>"
        )

    def provider_page(self, urn: int) -> str | None:
        p = next((p for p in self.providers if p.urn == urn), None)
        if p is None:
            return None
        items = "".join(
            f'<li><a class="publication-link" href="{self.file_url(pub.file_no)}">'
            f"{html.escape(pub.label.split(' - ')[0])}"
            f'<span class="nonvisual">{html.escape(pub.label)}</span></a><time>…</time></li>'
            for pub in p.publications
        )
        return (
            f"<html><body><h1>{html.escape(p.name)}</h1><p>URN: {p.urn}</p>"
            f'<ul class="publication-list">{items}</ul><a href="/">Back</a></body></html>'
        )


class _Server(ThreadingHTTPServer):
    def handle_error(self, request, client_address) -> None:
        """Quiet about a client that hung up (the fetch gives up on a dribbling body; the answer
        ends later, maybe during another test, whose captured output it would spoil)."""
        if isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            return
        super().handle_error(request, client_address)


def _handler(site: FakeOfsted) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args) -> None:  # quiet
            pass

        def do_GET(self) -> None:  # noqa: N802 (the stdlib's name)
            parts = urlsplit(self.path)
            self.served: File | None = None
            status, body, headers = self._route(parts.path, parse_qs(parts.query))
            f = self.served
            with site._lock:
                site.log.append(
                    Logged(
                        parts.path,
                        status,
                        self.headers.get("If-None-Match"),
                        self.headers.get("If-Modified-Since"),
                    )
                )
            self.send_response(status)
            for k, v in headers.items():
                self.send_header(k, v)
            declared = f.declared_length if f and f.declared_length is not None else len(body)
            if f and f.no_length:
                self.send_header("Connection", "close")
                self.close_connection = True
            else:
                self.send_header("Content-Length", str(declared))
            self.end_headers()
            if f and f.send is not None:
                body = body[: f.send]
                self.close_connection = True
            if body:
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the client gave up
                    if f and f.dribble:
                        for i in range(len(body)):
                            self.wfile.write(body[i : i + 1])
                            self.wfile.flush()
                            time.sleep(f.dribble)
                    else:
                        self.wfile.write(body)
            if f and declared != len(body):
                self.close_connection = True

        def _route(self, path: str, query: dict) -> tuple[int, bytes, dict[str, str]]:
            html_type = {"Content-Type": "text/html; charset=utf-8"}
            if path == "/search":
                if site.search_status != 200:
                    return site.search_status, b"unavailable", {}
                start = int(query.get("start", ["0"])[0])
                rows = min(int(query.get("rows", ["10"])[0]), 100)
                return 200, site.search_page(start, rows).encode(), html_type
            if path.startswith("/provider/44/"):
                urn = int(path.rsplit("/", 1)[-1])
                if urn in site.page_status:
                    return site.page_status[urn], b"unavailable", html_type
                page = site.provider_page(urn)
                if page is None:
                    return 404, b"not found", html_type
                return 200, page.encode(), html_type
            if path.startswith("/v1/file/"):
                f = site.files.get(int(path.rsplit("/", 1)[-1]))
                if f is None:
                    return 404, b"not found", html_type
                return self._file(f)
            return 404, b"not found", html_type

        def _file(self, f: File) -> tuple[int, bytes, dict[str, str]]:
            with site._lock:
                f.requests += 1
                n = f.requests
            if f.delay:
                time.sleep(f.delay)
            if n <= f.fail_first:
                return 500, b"server error", {"Content-Type": "text/plain"}
            if f.status != 200:
                return f.status, b"<html>not found</html>", {"Content-Type": "text/html"}
            if f.redirect:
                return 302, b"", {"Location": f.redirect.replace("{path}", self.path)}
            self.served = f
            headers = {"Content-Type": f.content_type}
            if f.etag:
                headers["ETag"] = f.etag_value()
            if f.last_modified:
                headers["Last-Modified"] = f.last_modified
            inm, ims = self.headers.get("If-None-Match"), self.headers.get("If-Modified-Since")
            if f.etag and inm:
                if inm == f.etag_value():
                    return 304, b"", headers
            elif f.last_modified and ims:
                since = email.utils.parsedate_to_datetime(ims)
                if email.utils.parsedate_to_datetime(f.last_modified) <= since:
                    return 304, b"", headers
            return 200, f.body, headers

    return Handler

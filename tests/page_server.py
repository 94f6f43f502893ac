"""A real HTTP server on 127.0.0.1 serving saved pages, with faults on demand.

Routes: ``pages`` maps a path to (status, content-type, body); besides those,
  /loop          redirects to itself, for ever
  /redirect/<p>  redirects once to /<p>
  /huge.html     an HTML reply that never ends (no Content-Length), until the client hangs up
Every requested path is kept in ``hits``.
"""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class PageServer:
    def __init__(self) -> None:
        self.pages: dict[str, tuple[int, str, bytes]] = {}
        self.hits: list[str] = []
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    def url(self, path: str) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}/{path.lstrip('/')}"

    def add(self, path: str, body: bytes | str, content_type: str = "text/html; charset=utf-8",
            status: int = 200) -> str:
        self.pages["/" + path.lstrip("/")] = (status, content_type,
                                              body.encode("utf-8") if isinstance(body, str) else body)
        return self.url(path)

    def __enter__(self) -> PageServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:  # quiet test output
                pass

            def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
                server.hits.append(self.path)
                if self.path == "/loop":
                    return self._redirect("/loop")
                if self.path.startswith("/redirect/"):
                    return self._redirect(self.path[len("/redirect"):])
                if self.path == "/huge.html":
                    return self._endless()
                status, kind, body = server.pages.get(self.path, (404, "text/html", b"<h1>Not Found</h1>"))
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def _redirect(self, to: str) -> None:
                self.send_response(302)
                self.send_header("Location", to)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def _endless(self) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.send_header("Connection", "close")
                self.end_headers()
                chunk = b"<p>" + b"padding " * 8000 + b"</p>\n"
                try:
                    for _ in range(10_000):  # ~640 MB at most: far past any cap, ends if the client stops
                        self.wfile.write(chunk)
                except OSError:
                    pass
                self.close_connection = True

        return Handler

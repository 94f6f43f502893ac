"""A real HTTP server on 127.0.0.1 that speaks OpenAI chat completions from a script.

Each request takes the next scripted reply (or asks ``responder`` when the script
is empty). A reply is a dict:
  {"content": "..."} or {"json": {...}}  -> 200 with that assistant message
                                            (as a tool call when the request offered tools)
  {"status": 429, "headers": {"Retry-After": "1"}}  -> an HTTP error
  {"delay": 2.0, ...}                     -> sleep first (to provoke client timeouts)
  {"drop": True}                          -> close the connection without answering (a server gone away)
  {"usage": {"prompt_tokens": 10, "completion_tokens": 5}}  -> override the usage numbers
Every request body is kept in ``requests``; the server's own usage numbers in ``usage_log``.
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Reply = dict[str, Any]


def user_text(body: dict[str, Any]) -> str:
    """All user-message text of a request (what the article arrives in)."""
    out = []
    for message in body.get("messages", []):
        if message.get("role") == "user":
            content = message.get("content")
            out.append(content if isinstance(content, str) else json.dumps(content))
    return "\n".join(out)


class ScriptedServer:
    def __init__(self, responder: Callable[[dict[str, Any]], Reply] | None = None):
        self.script: deque[Reply] = deque()
        self.responder = responder
        self.requests: list[dict[str, Any]] = []
        self.usage_log: list[dict[str, int]] = []
        self.in_flight = 0
        self.max_in_flight = 0
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}/v1"

    def enqueue(self, *replies: Reply) -> None:
        self.script.extend(replies)

    def start(self) -> ScriptedServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self) -> ScriptedServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _next_reply(self, body: dict[str, Any]) -> Reply:
        with self._lock:
            self.requests.append(body)
            if self.script:
                return self.script.popleft()
        if self.responder is not None:
            return self.responder(body)
        return {"status": 500, "body": {"error": {"message": "script exhausted"}}}

    def _completion(self, body: dict[str, Any], reply: Reply) -> dict[str, Any]:
        content = reply["content"] if "content" in reply else json.dumps(reply["json"])
        usage = reply.get("usage") or {
            "prompt_tokens": max(1, len(json.dumps(body.get("messages", []))) // 4),
            "completion_tokens": max(1, len(content) // 4),
        }
        usage = {**usage, "total_tokens": usage["prompt_tokens"] + usage["completion_tokens"]}
        with self._lock:
            self.usage_log.append(usage)
        message: dict[str, Any] = {"role": "assistant", "content": content}
        finish = "stop"
        if body.get("tools"):
            name = body["tools"][0]["function"]["name"]
            message = {"role": "assistant", "content": None, "tool_calls": [{
                "id": f"call_{len(self.usage_log)}", "type": "function",
                "function": {"name": name, "arguments": content}}]}
            finish = "tool_calls"
        return {
            "id": f"chatcmpl-{len(self.usage_log)}", "object": "chat.completion", "created": int(time.time()),
            "model": body.get("model", "stub"),
            "choices": [{"index": 0, "message": message, "finish_reason": reply.get("finish_reason", finish)}],
            "usage": usage,
        }

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:  # keep test output clean
                pass

            def _send(self, status: int, payload: Any, headers: dict[str, str] | None = None) -> None:
                data = json.dumps(payload).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    for key, value in (headers or {}).items():
                        self.send_header(key, value)
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a timeout test)

            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length", 0))
                body = json.loads(self.rfile.read(length) or b"{}")
                if not self.path.rstrip("/").endswith("/chat/completions"):
                    self._send(404, {"error": {"message": f"no route {self.path}"}})
                    return
                with server._lock:
                    server.in_flight += 1
                    server.max_in_flight = max(server.max_in_flight, server.in_flight)
                try:
                    reply = server._next_reply(body)
                    if reply.get("delay"):
                        time.sleep(reply["delay"])
                    if reply.get("drop"):
                        self.close_connection = True
                        self.connection.shutdown(2)  # SHUT_RDWR: no status line, no body
                        return
                    status = reply.get("status", 200)
                    if status != 200:
                        self._send(status, reply.get("body", {"error": {"message": f"scripted {status}"}}),
                                   reply.get("headers"))
                        return
                    self._send(200, server._completion(body, reply))
                finally:
                    with server._lock:
                        server.in_flight -= 1

        return Handler

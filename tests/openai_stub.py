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

It also implements the files and batches endpoints the Batch API client uses: an
uploaded JSONL of requests is answered, line by line, by the same script/responder
once the batch has been polled ``batch_polls`` times.
"""

from __future__ import annotations

import email
import json
import socket
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
        self.files: dict[str, bytes] = {}
        self.batches: dict[str, dict[str, Any]] = {}
        self.batch_polls = 1  # retrievals before a batch completes
        self.calls: list[str] = []  # "METHOD path" of every files/batches call
        self.fail_next: dict[str, int] = {}  # "POST /v1/batches" -> status to answer once
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

    def _batch_view(self, batch: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in batch.items() if not k.startswith("_")}

    def _run_batch(self, batch: dict[str, Any]) -> None:
        lines = []
        for raw in self.files[batch["input_file_id"]].decode().splitlines():
            if not raw.strip():
                continue
            req = json.loads(raw)
            reply = self._next_reply(req["body"])
            if reply.get("status", 200) != 200:
                lines.append({"id": f"r{len(lines)}", "custom_id": req["custom_id"], "response": None,
                              "error": {"code": "server_error", "message": f"scripted {reply['status']}"}})
                continue
            lines.append({"id": f"r{len(lines)}", "custom_id": req["custom_id"], "error": None,
                          "response": {"status_code": 200, "body": self._completion(req["body"], reply)}})
        out_id = f"file-out-{batch['id']}"
        self.files[out_id] = "".join(json.dumps(line) + "\n" for line in lines).encode()
        batch.update(status="completed", output_file_id=out_id,
                     request_counts={"total": len(lines), "completed": len(lines), "failed": 0})

    def _files_and_batches(self, handler: BaseHTTPRequestHandler, method: str, body: bytes) -> tuple[int, Any]:
        path = handler.path.split("?")[0].rstrip("/")
        self.calls.append(f"{method} {path}")
        failing = self.fail_next.pop(f"{method} {path}", None)
        if failing:
            return failing, {"error": {"message": f"scripted {failing}"}}
        now = int(time.time())
        if method == "POST" and path.endswith("/files"):
            message = email.message_from_bytes(
                b"Content-Type: " + handler.headers["Content-Type"].encode() + b"\r\n\r\n" + body)
            part = next(p for p in message.walk() if p.get_param("name", header="content-disposition") == "file")
            file_id = f"file-{len(self.files) + 1}"
            self.files[file_id] = part.get_payload(decode=True)
            return 200, {"id": file_id, "object": "file", "bytes": len(self.files[file_id]), "created_at": now,
                         "filename": "requests.jsonl", "purpose": "batch", "status": "processed"}
        if method == "GET" and "/files/" in path and path.endswith("/content"):
            return 200, self.files[path.split("/")[-2]]
        if method == "POST" and path.endswith("/batches"):
            data = json.loads(body)
            batch_id = f"batch-{len(self.batches) + 1}"
            self.batches[batch_id] = {"id": batch_id, "object": "batch", "endpoint": data["endpoint"],
                                      "input_file_id": data["input_file_id"], "completion_window": "24h",
                                      "status": "in_progress", "created_at": now, "output_file_id": None,
                                      "request_counts": {"total": 0, "completed": 0, "failed": 0}, "_polls": 0}
            return 200, self._batch_view(self.batches[batch_id])
        if method == "GET" and "/batches/" in path:
            batch = self.batches[path.split("/")[-1]]
            batch["_polls"] += 1
            if batch["status"] != "completed" and batch["_polls"] > self.batch_polls:
                self._run_batch(batch)
            return 200, self._batch_view(batch)
        return 404, {"error": {"message": f"no route {method} {path}"}}

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:  # keep test output clean
                pass

            def setup(self) -> None:
                super().setup()
                # Headers and body go out in separate writes: without this, Nagle's algorithm and the
                # client's delayed ACK add ~40 ms to every reply.
                self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

            def _send(self, status: int, payload: Any, headers: dict[str, str] | None = None) -> None:
                data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
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

            def do_GET(self) -> None:  # noqa: N802
                self._send(*server._files_and_batches(self, "GET", b""))

            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length", 0))
                raw = self.rfile.read(length)
                if not self.path.rstrip("/").endswith("/chat/completions"):
                    self._send(*server._files_and_batches(self, "POST", raw))
                    return
                body = json.loads(raw or b"{}")
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

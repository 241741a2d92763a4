"""The example receiver of docs/webhooks.md, loaded from the document itself, served on
127.0.0.1 in a thread. What the tests check is what a receiving system would see."""

import re
import socket
import threading
from http.server import ThreadingHTTPServer
from pathlib import Path

DOC = Path(__file__).resolve().parents[2] / "docs" / "webhooks.md"


def example_code() -> str:
    text = DOC.read_text(encoding="utf-8")
    section = text.split("## Example receiver", 1)[1]
    return re.search(r"```python\n(.*?)```", section, re.S).group(1)


def load_example(secret: str) -> dict:
    """The example's namespace (verify, Receiver, seen_event_ids, handle), with `secret`."""
    namespace: dict = {"__name__": "docs_example_receiver"}
    exec(compile(example_code(), str(DOC), "exec"), namespace)  # noqa: S102 -- our own doc
    namespace["SECRET"] = secret
    namespace["handled"] = []
    namespace["handle"] = namespace["handled"].append
    return namespace


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Served:
    """The example receiver on 127.0.0.1:`port`; `fail_first` requests answered 503
    first (a receiver that is up but not yet working)."""

    def __init__(self, namespace: dict, port: int, *, fail_first: int = 0) -> None:
        self.requests: list[tuple[dict, bytes, int]] = []
        served = self
        base = namespace["Receiver"]

        class Handler(base):
            def do_POST(self):
                if len(served.requests) < fail_first:
                    length = int(self.headers.get("Content-Length") or 0)
                    served.requests.append((dict(self.headers), self.rfile.read(length), 503))
                    self.send_response(503)
                    self.end_headers()
                    return
                original = self.send_response

                def send_response(code, message=None):
                    served.requests.append((dict(self.headers), b"", code))
                    original(code, message)

                self.send_response = send_response
                base.do_POST(self)

            def log_message(self, *args):
                pass

        ThreadingHTTPServer.allow_reuse_address = True
        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

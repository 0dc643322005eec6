"""An HTTP server on 127.0.0.1 (a free port) in a thread: what the fakes of outside services (Kakao, Toss) run on."""

import threading
from http.server import ThreadingHTTPServer

# How often the serving thread looks for a stop request. ``stop()`` waits for that look, and socketserver's
# default (0.5 s) made every test with a fake Toss, Kakao or Naver half a second longer to tear down.
POLL_SECONDS = 0.01


class LoopbackServer:
    def __init__(self, handler_class):
        self.handler_class = handler_class
        self._server = self._thread = None

    def start(self):
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self.handler_class)
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": POLL_SECONDS}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self):
        if self._thread is None:
            return
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()
        self._thread = None

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

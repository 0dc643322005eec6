"""A TCP relay in front of the real Redis that a test can cut, to make Redis "go away" mid-order."""

import contextlib
import socket
import threading
from urllib.parse import urlparse


class RedisProxy:
    def __init__(self, redis_url):
        target = urlparse(redis_url)
        self.upstream = (target.hostname or "127.0.0.1", target.port or 6379)
        self.db = (target.path or "/0").lstrip("/") or "0"
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.sockets = []
        self.cut_off = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.listener.getsockname()[1]}/{self.db}"

    def _accept(self):
        while not self.cut_off.is_set():
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if self.cut_off.is_set():
                client.close()
                return
            upstream = socket.create_connection(self.upstream)
            self.sockets += [client, upstream]
            threading.Thread(target=self._pump, args=(client, upstream), daemon=True).start()
            threading.Thread(target=self._pump, args=(upstream, client), daemon=True).start()

    @staticmethod
    def _pump(source, sink):
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            sink.close()

    def cut(self):
        """Redis is gone: every connection drops and new ones are refused."""
        self.cut_off.set()
        with contextlib.suppress(OSError):
            self.listener.shutdown(socket.SHUT_RDWR)  # wakes the blocked accept()
        self.listener.close()
        for sock in self.sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()

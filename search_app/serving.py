"""`hanil serve`: gunicorn's prefork server on POSIX for several workers, waitress for one.

A search spends most of its time in Python (query analysis, scoring, snippets), so the
threads of one process share one core through the GIL; worker processes use every core.
gunicorn gives what a server people rely on needs: the app is loaded in the master before
the workers fork (Kiwi's ~500 MB and Sudachi's dictionary are then shared copy-on-write),
threaded workers, a timeout that replaces a stuck worker, recycling a worker after N
requests (with jitter) to bound its memory, graceful reload on SIGHUP, graceful stop on
SIGTERM, and a readiness line when every worker listens. Each worker opens the index itself
after the fork (post_worker_init): an index file opened before it would share one file
position between processes.

One process (--workers 1, or a system without fork) runs waitress: pure Python, everywhere.
"""

from __future__ import annotations

import os
import socket
import sys
from dataclasses import dataclass

from waitress import serve


@dataclass
class ServeConfig:
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 1
    threads: int = 8
    timeout: int = 60  # seconds a worker may stay silent before gunicorn replaces it
    max_requests: int = 20_000  # requests before a worker is recycled (0: never)


def check_listen(host: str, port: int) -> None:
    """Raise OSError when host:port cannot be listened on (in use, no such address)."""
    info = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    family, kind, proto, _name, address = info[0]
    with socket.socket(family, kind, proto) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)


def run(make_app, warm, config: ServeConfig) -> None:
    """Serve make_app() until stopped; warm(app) opens what a worker opens after a fork."""
    if config.workers == 1 or not hasattr(os, "fork"):
        app = make_app()
        warm(app)
        serve(app, host=config.host, port=config.port, threads=config.threads, ident="hanil")
        return
    _gunicorn(make_app(), warm, config).run()


def _gunicorn(app, warm, config: ServeConfig):
    from gunicorn.app.base import BaseApplication

    host = f"[{config.host}]" if ":" in config.host else config.host

    class Server(BaseApplication):
        def load_config(self):
            options = {
                "bind": f"{host}:{config.port}",
                "workers": config.workers,
                "worker_class": "gthread",
                "threads": config.threads,
                "preload_app": True,
                "timeout": config.timeout,
                "graceful_timeout": 30,
                "max_requests": config.max_requests,
                "max_requests_jitter": config.max_requests // 10,
                "post_worker_init": lambda worker: warm(worker.wsgi),
                "when_ready": lambda _arbiter: print(
                    f"ready: {config.workers} workers on http://{host}:{config.port}/",
                    file=sys.stderr,
                    flush=True,
                ),
                "proc_name": "hanil",
                "control_socket_disable": True,  # no control socket in the user's home
                "accesslog": None,
            }
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self):
            return app

    return Server()

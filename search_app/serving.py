"""`hanil serve`: waitress in one or more processes sharing one listening socket.

A search spends most of its time in Python (query analysis, scoring, snippets), so the
threads of one process share one core through the GIL. Several worker processes, forked
after the models are loaded (Kiwi's ~500 MB are then shared copy-on-write), accept from one
socket and use every core. Each worker opens the index itself after the fork: an index
file opened before it would share one file position between the processes.
"""

from __future__ import annotations

import os
import signal
import socket
import sys
import time

from waitress import serve

RESTART_PAUSE = 1.0  # seconds before replacing a worker that died (no busy crash loop)


def listen(host: str, port: int) -> socket.socket:
    """Bind and listen on host:port (IPv4 or IPv6, as the host is written)."""
    info = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    family, kind, proto, _name, address = info[0]
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(address)
    sock.listen(1024)
    return sock


def run(make_app, sock: socket.socket, threads: int, workers: int) -> None:
    """Serve make_app() from `workers` processes (1: this process) until stopped."""
    if workers == 1:
        serve(make_app(), sockets=[sock], threads=threads, ident="hanil")
        return
    children: set[int] = set()
    stopping = False

    def start() -> None:
        pid = os.fork()
        if pid == 0:  # the worker
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            try:
                serve(make_app(), sockets=[sock], threads=threads, ident="hanil")
            finally:
                os._exit(0)
        children.add(pid)

    def stop(_signum, _frame) -> None:
        nonlocal stopping
        stopping = True
        for pid in children:
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    for _ in range(workers):
        start()
    while children:
        try:
            pid, status = os.wait()
        except ChildProcessError:
            break
        children.discard(pid)
        if stopping:
            continue
        print(f"worker {pid} ended (status {status}); starting another", file=sys.stderr)
        time.sleep(RESTART_PAUSE)
        if not stopping:
            start()

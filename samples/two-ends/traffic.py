#!/usr/bin/env python3
"""traffic.py: the client and server programs of the two-ends samples.

    traffic.py server SCENARIO PORT READY_FILE      (in tl-server)
    traffic.py client SCENARIO HOST PORT            (in tl-client)

Scenarios:
  nat-close  the client sends "hello", the server answers with the address
             it sees the client at (the router's, after NAT); the client
             closes, the server closes after the client's FIN.
  nat-loss   the client uploads 10000 bytes (eight segments at MSS 1400),
             the server answers with 8000 bytes (six segments) and closes;
             the client reads to the end and closes. The wire drops one
             segment each way (see make-two-ends.sh).
  nat-rst    the client sends "hello"; the server reads it, waits 100 ms
             and aborts: SO_LINGER {on, 0 s} then close() sends a RST
             instead of a FIN. The client's recv() fails with ECONNRESET.
"""

import socket
import struct
import sys
import time

UPLOAD = 10000
DOWNLOAD = 8000


def text_block(tag, size):
    """Readable bytes: numbered lines, cut to size."""
    out = bytearray()
    n = 0
    while len(out) < size:
        out += b"%s line %04d: the quick brown fox jumps over the lazy dog\n" % (tag, n)
        n += 1
    return bytes(out[:size])


def recv_exact(conn, size):
    buf = bytearray()
    while len(buf) < size:
        chunk = conn.recv(size - len(buf))
        if not chunk:
            break
        buf += chunk
    return bytes(buf)


def server(scenario, port, ready):
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("0.0.0.0", port))
    srv.listen(1)
    srv.settimeout(30)
    open(ready, "w").close()
    conn, peer = srv.accept()
    conn.settimeout(30)
    print("server: connection from %s:%d" % peer, flush=True)
    if scenario == "nat-close":
        req = conn.recv(1024)
        conn.sendall(b"hi, you said %r and you are %s:%d to me\n" % (req.strip(), peer[0].encode(), peer[1]))
        while conn.recv(1024):        # until the client's FIN
            pass
        conn.close()
    elif scenario == "nat-loss":
        got = recv_exact(conn, UPLOAD)
        print("server: got %d bytes" % len(got), flush=True)
        conn.sendall(text_block(b"S", DOWNLOAD))
        conn.close()                  # FIN after the reply
    elif scenario == "nat-rst":
        req = conn.recv(1024)
        print("server: got %r, aborting" % req, flush=True)
        time.sleep(0.1)
        conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        conn.close()                  # RST, not FIN
    srv.close()


def client(scenario, host, port):
    c = socket.create_connection((host, port), timeout=30)
    print("client: %s:%d -> %s:%d" % (c.getsockname() + c.getpeername()), flush=True)
    if scenario == "nat-close":
        c.sendall(b"hello\n")
        print("client: got %r" % c.recv(1024), flush=True)
        time.sleep(0.1)
        c.close()
    elif scenario == "nat-loss":
        c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        c.sendall(text_block(b"C", UPLOAD))
        got = bytearray()
        while True:
            chunk = c.recv(65536)
            if not chunk:
                break
            got += chunk
        print("client: got %d bytes" % len(got), flush=True)
        c.close()
    elif scenario == "nat-rst":
        c.sendall(b"hello\n")
        try:
            data = c.recv(1024)
            print("client: got %r (expected a reset)" % data, flush=True)
        except ConnectionResetError as e:
            print("client: %s" % e, flush=True)
        c.close()


def main():
    role, scenario = sys.argv[1], sys.argv[2]
    if scenario not in ("nat-close", "nat-loss", "nat-rst"):
        sys.exit("unknown scenario %s" % scenario)
    if role == "server":
        server(scenario, int(sys.argv[3]), sys.argv[4])
    else:
        client(scenario, sys.argv[3], int(sys.argv[4]))


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""delay_bridge.py: a two-port Ethernet "wire" with a delay each way and chosen losses.

The Linux kernel of the machine that made the two-ends samples has no netem
qdisc, so this small program plays the wire between the router and the
server namespaces. It opens an AF_PACKET raw socket on each of two interfaces
(in a namespace with no addresses of its own), and sends every frame that
arrives on one interface out of the other after a fixed delay for that
direction. Frames chosen by a drop rule are not sent at all.

    delay_bridge.py --client-if A --server-if B --c2s-ms 20 --s2c-ms 35 \
        [--drop c2s:data:3] [--drop s2c:data:2] --log truth.tsv

"c2s" is what arrives on --client-if (from the router, so from the client)
and leaves on --server-if; "s2c" the other way.

Drop rule DIR:data:N drops the FIRST transmission of the N-th data segment
(TCP payload > 0) seen in direction DIR, counting distinct sequence numbers
in the order they first appear. The retransmission (same seq) is forwarded.
That makes the loss deterministic: it does not depend on timing.

Timing: each frame's due time is the kernel's receive timestamp
(SO_TIMESTAMPNS) plus the delay, so the time this process takes to wake up
does not add to the delay. Due frames are kept in a heap; the loop sleeps in
select() until shortly before the next due time, then spins the last
fraction of a millisecond. Run it with a real-time priority (chrt -f) on a
busy machine.

Every IPv4/TCP frame is logged to the truth TSV: kernel receive time, send
time, direction, IP ID, raw seq and ack, flags, payload length, action.
Other frames (ARP, ...) are forwarded with the same delay and not logged.
Frames this host sends itself (PACKET_OUTGOING) are ignored, so nothing loops.
SIGINT or SIGTERM: forward what is still queued at its due time, then exit.
"""

import argparse
import heapq
import os
import select
import signal
import socket
import struct
import sys
import time

ETH_P_ALL = 0x0003
PACKET_OUTGOING = 4
PACKET_IGNORE_OUTGOING = 23
SO_TIMESTAMPNS = 35          # asm-generic value (x86, arm64)
SCM_TIMESTAMPNS = SO_TIMESTAMPNS
SPIN = 0.0004                # spin the last 0.4 ms before a due time

FLAG_NAMES = [(0x01, "F"), (0x02, "S"), (0x04, "R"), (0x08, "P"),
              (0x10, "."), (0x20, "U"), (0x40, "E"), (0x80, "W")]


def flag_string(flags):
    s = "".join(name for bit, name in FLAG_NAMES if flags & bit and name != ".")
    if flags & 0x10:
        s += "."
    return s or "none"


def parse_tcp(frame):
    """(ip_id, seq, ack, flags, payload_len) of an Ethernet/IPv4/TCP frame, else None."""
    if len(frame) < 14 + 20:
        return None
    etype = struct.unpack_from("!H", frame, 12)[0]
    off = 14
    if etype == 0x8100 and len(frame) >= 18:
        etype = struct.unpack_from("!H", frame, 16)[0]
        off = 18
    if etype != 0x0800:
        return None
    vihl = frame[off]
    if vihl >> 4 != 4:
        return None
    ihl = (vihl & 0x0F) * 4
    total_len, ip_id = struct.unpack_from("!HH", frame, off + 2)
    if frame[off + 9] != 6 or len(frame) < off + ihl + 20:
        return None
    t = off + ihl
    seq, ack = struct.unpack_from("!II", frame, t + 4)
    data_off = (frame[t + 12] >> 4) * 4
    flags = frame[t + 13]
    payload = total_len - ihl - data_off
    return ip_id, seq, ack, flags, payload


class DropRule:
    def __init__(self, text):
        parts = text.split(":")
        if len(parts) != 3 or parts[0] not in ("c2s", "s2c") or parts[1] != "data":
            raise argparse.ArgumentTypeError("drop rule must be c2s:data:N or s2c:data:N")
        self.direction = parts[0]
        self.nth = int(parts[2])
        self.text = text

    def __repr__(self):
        return self.text


class Bridge:
    def __init__(self, args):
        self.args = args
        self.delay = {"c2s": args.c2s_ms / 1000.0, "s2c": args.s2c_ms / 1000.0}
        self.socks = {}
        for direction, ifname in (("c2s", args.client_if), ("s2c", args.server_if)):
            s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
            s.bind((ifname, 0))
            s.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
            try:
                s.setsockopt(263, PACKET_IGNORE_OUTGOING, 1)   # SOL_PACKET
            except OSError:
                pass                                           # old kernel: pkttype check below
            s.setblocking(False)
            self.socks[direction] = s          # frames arriving here go in this direction
        self.out = {"c2s": self.socks["s2c"], "s2c": self.socks["c2s"]}
        self.heap = []
        self.counter = 0
        self.data_seqs = {"c2s": [], "s2c": []}   # distinct data seqs, in order of first sight
        self.dropped = set()                      # (direction, seq) already dropped once
        self.rules = args.drop or []
        self.log = open(args.log, "w", buffering=1)
        self.log.write("# delay_bridge.py truth log\n")
        self.log.write("# c2s_delay_ms=%g s2c_delay_ms=%g drop=%s client_if=%s server_if=%s\n" % (
            args.c2s_ms, args.s2c_ms, ",".join(r.text for r in self.rules) or "none",
            args.client_if, args.server_if))
        self.log.write("# rx_time: kernel receive time at the bridge (Unix s); tx_time: when it was "
                       "sent on (empty if dropped); seq/ack raw; len = TCP payload bytes\n")
        self.log.write("rx_time\ttx_time\tdirection\tip_id\tseq\tack\tflags\tlen\taction\n")
        self.errors = []     # tx_time - due, for the summary
        self.stopping = False

    def should_drop(self, direction, info):
        ip_id, seq, ack, flags, plen = info
        if plen <= 0:
            return False
        seqs = self.data_seqs[direction]
        if seq in seqs:
            return False          # a retransmission (or a later copy): never dropped
        seqs.append(seq)
        n = len(seqs)
        for r in self.rules:
            if r.direction == direction and r.nth == n:
                self.dropped.add((direction, seq))
                return True
        return False

    def receive(self, direction):
        s = self.socks[direction]
        while True:
            try:
                data, anc, _flags, addr = s.recvmsg(65536, 64)
            except BlockingIOError:
                return
            if addr[2] == PACKET_OUTGOING:
                continue
            rx = None
            for level, ctype, cdata in anc:
                if level == socket.SOL_SOCKET and ctype == SCM_TIMESTAMPNS and len(cdata) >= 16:
                    sec, nsec = struct.unpack_from("qq", cdata)
                    rx = sec + nsec / 1e9
            if rx is None:
                rx = time.time()
            info = parse_tcp(data)
            if info is not None and self.should_drop(direction, info):
                self.write_log(rx, None, direction, info, "dropped")
                continue
            self.counter += 1
            heapq.heappush(self.heap, (rx + self.delay[direction], self.counter, direction, rx, data, info))

    def write_log(self, rx, tx, direction, info, action):
        ip_id, seq, ack, flags, plen = info
        self.log.write("%.6f\t%s\t%s\t%d\t%d\t%d\t%s\t%d\t%s\n" % (
            rx, "" if tx is None else "%.6f" % tx, direction, ip_id, seq, ack,
            flag_string(flags), plen, action))

    def send_due(self):
        while self.heap:
            due = self.heap[0][0]
            now = time.time()
            if now < due - SPIN:
                return
            while now < due:
                now = time.time()
            _, _, direction, rx, data, info = heapq.heappop(self.heap)
            self.out[direction].send(data)
            tx = time.time()
            self.errors.append(tx - due)
            if info is not None:
                self.write_log(rx, tx, direction, info, "forwarded")

    def run(self):
        fds = {s.fileno(): d for d, s in self.socks.items()}
        while not (self.stopping and not self.heap):
            timeout = 0.2
            if self.heap:
                timeout = max(0.0, self.heap[0][0] - SPIN - time.time())
            if self.stopping:
                time.sleep(timeout)
                ready = []
            else:
                ready, _, _ = select.select(list(fds), [], [], timeout)
            for fd in ready:
                self.receive(fds[fd])
            self.send_due()
        if self.errors:
            e = sorted(self.errors)
            print("delay_bridge: %d frames sent, lateness min %.3f median %.3f max %.3f ms" % (
                len(e), e[0] * 1e3, e[len(e) // 2] * 1e3, e[-1] * 1e3), file=sys.stderr)
        self.log.close()


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--client-if", required=True, help="interface towards the client (router)")
    p.add_argument("--server-if", required=True, help="interface towards the server")
    p.add_argument("--c2s-ms", type=float, default=20.0)
    p.add_argument("--s2c-ms", type=float, default=35.0)
    p.add_argument("--drop", type=DropRule, action="append",
                   help="DIR:data:N, drop the first transmission of the N-th data segment (repeatable)")
    p.add_argument("--log", required=True, help="truth TSV to write")
    p.add_argument("--ready", help="file to create once the sockets are open")
    args = p.parse_args()
    bridge = Bridge(args)

    def stop(_sig, _frm):
        bridge.stopping = True
    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    if args.ready:
        open(args.ready, "w").close()
    bridge.run()


if __name__ == "__main__":
    main()

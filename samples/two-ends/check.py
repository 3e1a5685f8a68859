#!/usr/bin/env python3
"""check.py: checks the two-ends captures against the wire's truth log.

    python3 samples/two-ends/check.py [DIR] [--mss 1400] [--tolerance-ms 1]

For every scenario in DIR (a <name>.truth.tsv with <name>-client.pcap and
<name>-server.pcap next to it) it checks, with a minimal pcap reader and no
third-party modules:

  * NAT: the client file shows the client as 10.0.1.2, the server file as
    the router's outside address 198.51.100.1; it prints the mapping
    inside addr:port -> outside addr:port.
  * MSS clamp: the SYN and the SYN+ACK carry a different MSS on each side,
    and the side after the router shows the clamp value.
  * Checksums: every IPv4 and TCP checksum in both files is right (the
    veths' offloads are off).
  * Matching: packets are matched between the files by IP ID, seq, ack,
    flags and payload length. Every TCP packet appears in both files except
    those the truth log says the wire dropped; a dropped client->server frame
    is only in the client file, a dropped server->client frame only in the
    server file, and the retransmission of its bytes is in both. Each
    direction's packets arrive in the order they were sent (no reordering).
  * Truth: every TCP packet that the sender's file shows is a row of the
    truth log, with the same action, and the other way round.
  * Delays: each matched packet's one-way delay is within the tolerance of
    the configured one (min / median / max printed per direction).

Exit status 0 when every check passes.
"""

import argparse
import os
import struct
import sys

OUTSIDE = "198.51.100.1"
INSIDE = "10.0.1.2"
SERVER = "198.51.100.2"


def ip_str(b):
    return ".".join(str(x) for x in b)


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return s


def read_pcap(path):
    """Packets of a classic pcap (Ethernet), as dicts of the IPv4/TCP fields."""
    with open(path, "rb") as f:
        data = f.read()
    magic = data[:4]
    if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1"):
        e = "<"
    elif magic in (b"\xa1\xb2\xc3\xd4", b"\xa1\xb2\x3c\x4d"):
        e = ">"
    else:
        raise ValueError("%s: not a classic pcap" % path)
    nano = magic in (b"\x4d\x3c\xb2\xa1", b"\xa1\xb2\x3c\x4d")
    linktype = struct.unpack_from(e + "I", data, 20)[0]
    if linktype != 1:
        raise ValueError("%s: link type %d, expected Ethernet" % (path, linktype))
    pos, n, out = 24, 0, []
    while pos + 16 <= len(data):
        sec, frac, incl, _orig = struct.unpack_from(e + "IIII", data, pos)
        pos += 16
        frame = data[pos:pos + incl]
        pos += incl
        n += 1
        ts = sec + frac / (1e9 if nano else 1e6)
        if len(frame) < 34 or struct.unpack_from("!H", frame, 12)[0] != 0x0800:
            continue
        ip = frame[14:]
        ihl = (ip[0] & 0x0F) * 4
        total = struct.unpack_from("!H", ip, 2)[0]
        if ip[9] != 6:
            continue
        ip = ip[:total]
        tcp = ip[ihl:]
        sport, dport, seq, ack = struct.unpack_from("!HHII", tcp, 0)
        doff = (tcp[12] >> 4) * 4
        flags = tcp[13]
        mss = None
        opts, i = tcp[20:doff], 0
        while i < len(opts):
            kind = opts[i]
            if kind == 0:
                break
            if kind == 1:
                i += 1
                continue
            length = opts[i + 1]
            if kind == 2 and length == 4:
                mss = struct.unpack_from("!H", opts, i + 2)[0]
            i += max(length, 2)
        pseudo = ip[12:20] + struct.pack("!BBH", 0, 6, len(tcp))
        out.append({
            "frame": n, "ts": ts, "src": ip_str(ip[12:16]), "dst": ip_str(ip[16:20]),
            "id": struct.unpack_from("!H", ip, 4)[0], "ttl": ip[8],
            "sport": sport, "dport": dport, "seq": seq, "ack": ack, "flags": flags,
            "len": len(tcp) - doff, "mss": mss,
            "ip_ok": csum(ip[:ihl]) == 0xFFFF, "tcp_ok": csum(pseudo + tcp) == 0xFFFF,
        })
    return out


FLAG_NAMES = [(0x01, "F"), (0x02, "S"), (0x04, "R"), (0x08, "P"), (0x20, "U"), (0x40, "E"), (0x80, "W")]


def flag_string(flags):   # the same spelling as delay_bridge.py's log
    s = "".join(name for bit, name in FLAG_NAMES if flags & bit)
    if flags & 0x10:
        s += "."
    return s or "none"


def read_truth(path):
    config, rows = {}, []
    with open(path) as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("#"):
                for word in line[1:].split():
                    if "=" in word:
                        k, v = word.split("=", 1)
                        config[k] = v
                continue
            if line.startswith("rx_time"):
                continue
            rx, tx, d, ip_id, seq, ack, flags, length, action = line.split("\t")
            rows.append({"rx": float(rx), "tx": float(tx) if tx else None, "dir": d,
                         "id": int(ip_id), "seq": int(seq), "ack": int(ack), "flags": flags,
                         "len": int(length), "action": action})
    return config, rows


def key(p):
    return (p["dir"], p["id"], p["seq"], p["ack"], p["flags"] if isinstance(p["flags"], str)
            else flag_string(p["flags"]), p["len"])


def stats(values):
    v = sorted(values)
    if not v:
        return "none"
    med = v[len(v) // 2] if len(v) % 2 else (v[len(v) // 2 - 1] + v[len(v) // 2]) / 2
    return "min %.3f / median %.3f / max %.3f ms (n=%d)" % (v[0] * 1e3, med * 1e3, v[-1] * 1e3, len(v))


class Scenario:
    def __init__(self, folder, name, args):
        self.name = name
        self.args = args
        self.fail = []
        self.config, self.truth = read_truth(os.path.join(folder, name + ".truth.tsv"))
        self.client = read_pcap(os.path.join(folder, name + "-client.pcap"))
        self.server = read_pcap(os.path.join(folder, name + "-server.pcap"))

    def check(self, ok, msg):
        if not ok:
            self.fail.append(msg)
        return ok

    def run(self):
        print("== %s: configured c2s %s ms, s2c %s ms, drop %s" % (
            self.name, self.config.get("c2s_delay_ms"), self.config.get("s2c_delay_ms"),
            self.config.get("drop")))
        syn = [p for p in self.client if p["flags"] & 0x12 == 0x02]
        if not self.check(syn, "no SYN in the client file"):
            return
        port = syn[0]["dport"]
        for side, pkts in (("client", self.client), ("server", self.server)):
            for p in pkts:
                p["dir"] = "c2s" if p["dport"] == port else "s2c"
        # NAT
        for side, pkts, want in (("client", self.client, INSIDE), ("server", self.server, OUTSIDE)):
            for p in pkts:
                c = p["src"] if p["dir"] == "c2s" else p["dst"]
                s = p["dst"] if p["dir"] == "c2s" else p["src"]
                self.check(c == want and s == SERVER,
                           "%s file frame %d: %s <-> %s, expected %s <-> %s" % (side, p["frame"], c, s, want, SERVER))
        ssyn = [p for p in self.server if p["flags"] & 0x12 == 0x02]
        if not self.check(ssyn, "no SYN in the server file"):
            return
        print("  NAT: %s:%d -> %s:%d (server %s:%d); client file %d TCP packets, server file %d" % (
            syn[0]["src"], syn[0]["sport"], ssyn[0]["src"], ssyn[0]["sport"], SERVER, port,
            len(self.client), len(self.server)))
        print("  TTL of the SYN: %d sent, %d at the server (the router decrements it)" % (
            syn[0]["ttl"], ssyn[0]["ttl"]))
        # MSS
        csa = [p for p in self.client if p["flags"] & 0x12 == 0x12]
        ssa = [p for p in self.server if p["flags"] & 0x12 == 0x12]
        if self.check(csa and ssa, "no SYN+ACK in one of the files"):
            m = (syn[0]["mss"], ssyn[0]["mss"], ssa[0]["mss"], csa[0]["mss"])
            print("  MSS: SYN %s (client side) -> %s (server side); SYN+ACK %s (server side) -> %s (client side)" % m)
            self.check(m[0] != m[1] and m[1] == self.args.mss, "SYN MSS not clamped to %d: %s -> %s" % (self.args.mss, m[0], m[1]))
            self.check(m[2] != m[3] and m[3] == self.args.mss, "SYN+ACK MSS not clamped to %d: %s -> %s" % (self.args.mss, m[2], m[3]))
        # checksums
        for side, pkts in (("client", self.client), ("server", self.server)):
            bad = [p["frame"] for p in pkts if not (p["ip_ok"] and p["tcp_ok"])]
            self.check(not bad, "%s file: bad checksums in frames %s" % (side, bad))
        # matching the two files
        sender = {"c2s": self.client, "s2c": self.server}
        receiver = {"c2s": self.server, "s2c": self.client}
        truth_by_key = {}
        for r in self.truth:
            truth_by_key.setdefault(key(r), []).append(r)
        delays = {"c2s": [], "s2c": []}
        conf = {"c2s": float(self.config["c2s_delay_ms"]) / 1e3, "s2c": float(self.config["s2c_delay_ms"]) / 1e3}
        tol = self.args.tolerance_ms / 1e3
        for d in ("c2s", "s2c"):
            pool = {}
            for p in receiver[d]:
                if p["dir"] == d:
                    pool.setdefault(key(p), []).append(p)
            sent = [p for p in sender[d] if p["dir"] == d]
            arrived = []
            truth_rows = [r for r in self.truth if r["dir"] == d]
            self.check(len(sent) == len(truth_rows),
                       "%s: %d packets in the sender's file, %d rows in the truth log" % (d, len(sent), len(truth_rows)))
            for p in sent:
                k = key(p)
                rows = truth_by_key.get(k)
                if not self.check(rows, "%s frame %d (id %d seq %d) not in the truth log" % (d, p["frame"], p["id"], p["seq"])):
                    continue
                row = rows.pop(0)
                got = pool.get(k)
                if row["action"] == "dropped":
                    self.check(not got, "%s: dropped frame id %d seq %d is in the receiver's file" % (d, p["id"], p["seq"]))
                    retx = [q for q in sent if q["seq"] == p["seq"] and q["len"] > 0 and q["ts"] > p["ts"]]
                    ok = self.check(retx and pool.get(key(retx[0])),
                                    "%s: no retransmission of seq %d seen at both ends" % (d, p["seq"]))
                    print("  dropped %s: frame %d of the %s file, IP ID %d (0x%04x), seq %d, len %d; only in the %s file" % (
                        d, p["frame"], "client" if d == "c2s" else "server", p["id"], p["id"], p["seq"], p["len"],
                        "client" if d == "c2s" else "server"))
                    if ok:
                        r0 = retx[0]
                        r1 = pool[key(r0)][0]
                        print("    retransmitted %.1f ms later: IP ID %d (0x%04x), sender's frame %d, receiver's frame %d" % (
                            (r0["ts"] - p["ts"]) * 1e3, r0["id"], r0["id"], r0["frame"], r1["frame"]))
                    continue
                if not self.check(got, "%s frame %d (id %d seq %d) missing from the receiver's file" % (
                        d, p["frame"], p["id"], p["seq"])):
                    continue
                q = got.pop(0)
                arrived.append(q)
                delay = q["ts"] - p["ts"]
                delays[d].append(delay)
                self.check(abs(delay - conf[d]) <= tol, "%s frame %d: delay %.3f ms, configured %.3f" % (
                    d, p["frame"], delay * 1e3, conf[d] * 1e3))
            order = [q["frame"] for q in arrived]
            self.check(order == sorted(order), "%s: the receiver's file has the packets in another order "
                       "than the sender's (frames %s)" % (d, order))
            extra = [p["frame"] for ps in pool.values() for p in ps]
            self.check(not extra, "%s: receiver's frames %s were never sent" % (d, extra))
        left = [r for rs in truth_by_key.values() for r in rs]
        self.check(not left, "truth rows not in the captures: %s" % left)
        print("  one-way delay c2s: %s" % stats(delays["c2s"]))
        print("  one-way delay s2c: %s" % stats(delays["s2c"]))
        for p in self.server:
            if p["flags"] & 0x04:
                print("  RST: %s frame %d, %s:%d -> %s:%d, flags %s" % (
                    "server file", p["frame"], p["src"], p["sport"], p["dst"], p["dport"], flag_string(p["flags"])))
        print("  %s" % ("OK" if not self.fail else "FAILED:\n    " + "\n    ".join(self.fail[:20])))
        return not self.fail


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("folder", nargs="?", default=os.path.dirname(os.path.abspath(__file__)))
    ap.add_argument("--mss", type=int, default=1400, help="the router's clamp value")
    ap.add_argument("--tolerance-ms", type=float, default=1.0)
    args = ap.parse_args()
    names = sorted(f[:-len(".truth.tsv")] for f in os.listdir(args.folder) if f.endswith(".truth.tsv"))
    if not names:
        sys.exit("check.py: no *.truth.tsv in %s" % args.folder)
    ok = True
    for name in names:
        ok = Scenario(args.folder, name, args).run() and ok
    print("all checks passed" if ok else "SOME CHECKS FAILED")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Write small hand-built captures with TCP oddities that the public corpus
lacks (IPv4/IPv6 fragments, truncated headers, bad data offsets, every TCP
option kind, unusual flags, tunnels, VLAN/QinQ, several link types, a capture
cut short, a pcapng with two link types).

Standard library only; output is byte-for-byte deterministic.

usage: gen-synthetic.py OUT_DIR

The captures are then fed to ../make-reference.sh like any other capture:
    tests/reference/synthetic/gen-synthetic.py tests/reference/synthetic
    tests/reference/make-reference.sh tests/reference/synthetic \
        tests/reference/synthetic/*.pcap tests/reference/synthetic/*.pcapng
"""
import os
import struct
import sys

T0 = 1700000000  # 2023-11-14T22:13:20Z


# ---------------------------------------------------------------- checksums
def csum(data: bytes) -> int:
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF


def ip4(a: str) -> bytes:
    return bytes(int(x) for x in a.split("."))


def ip6(a: str) -> bytes:
    import ipaddress
    return ipaddress.IPv6Address(a).packed


# ---------------------------------------------------------------- TCP
FIN, SYN, RST, PSH, ACK, URG, ECE, CWR, AE = 1, 2, 4, 8, 16, 32, 64, 128, 256


def opts_pad(opts: bytes) -> bytes:
    while len(opts) % 4:
        opts += b"\x01"  # nop... padded at the end (kept visible on purpose)
    return opts


def tcp(sport, dport, seq, ack, flags, win=65535, opts=b"", payload=b"",
        doff=None, urp=0, src=None, dst=None, v6=False, raw_opts=False):
    if not raw_opts:
        opts = opts_pad(opts)
    if doff is None:
        doff = (20 + len(opts)) // 4
    # data offset (4 bits), 3 reserved bits + AE bit, 8 flag bits
    off_flags = (doff << 12) | (flags & 0x0FFF)
    hdr = struct.pack("!HHIIHHHH", sport, dport, seq & 0xFFFFFFFF,
                      ack & 0xFFFFFFFF, off_flags, win, 0, urp) + opts
    seg = hdr + payload
    if src is not None:
        if v6:
            pseudo = src + dst + struct.pack("!IxxxB", len(seg), 6)
        else:
            pseudo = src + dst + struct.pack("!xBH", 6, len(seg))
        c = csum(pseudo + seg)
        seg = seg[:16] + struct.pack("!H", c) + seg[18:]
    return seg


def ipv4(src, dst, payload, proto=6, ident=1, df=True, mf=False, frag_off=0,
         ttl=64, options=b"", total_len=None):
    ihl = 5 + len(options) // 4
    flags = (0x4000 if df else 0) | (0x2000 if mf else 0) | (frag_off // 8)
    tl = total_len if total_len is not None else ihl * 4 + len(payload)
    h = struct.pack("!BBHHHBBH4s4s", 0x40 | ihl, 0, tl, ident, flags, ttl,
                    proto, 0, ip4(src), ip4(dst)) + options
    h = h[:10] + struct.pack("!H", csum(h)) + h[12:]
    return h + payload


def ipv6(src, dst, payload, nh=6, hlim=64):
    return struct.pack("!IHBB16s16s", 0x60000000, len(payload), nh, hlim,
                       ip6(src), ip6(dst)) + payload


def tcp4(src, dst, *a, **kw):
    return ipv4(src, dst, tcp(*a, src=ip4(src), dst=ip4(dst), **kw))


def tcp6(src, dst, *a, **kw):
    return ipv6(src, dst, tcp(*a, src=ip6(src), dst=ip6(dst), v6=True, **kw))


# ---------------------------------------------------------------- link layers
MAC_A = bytes.fromhex("020000000001")
MAC_B = bytes.fromhex("020000000002")


def eth(l3, etype=0x0800, pad_to=0):
    f = MAC_B + MAC_A + struct.pack("!H", etype) + l3
    if len(f) < pad_to:
        f += b"\0" * (pad_to - len(f))
    return f


def vlan(l3, vid, etype=0x0800, outer=None):
    tags = b""
    if outer is not None:
        tags += struct.pack("!HH", 0x88A8, outer)
    tags += struct.pack("!HH", 0x8100, vid)
    return MAC_B + MAC_A + tags + struct.pack("!H", etype) + l3


def null_hdr(l3, af, big_endian=False):
    return struct.pack(">I" if big_endian else "<I", af) + l3


def sll(l3, etype=0x0800, pkttype=0):
    return struct.pack("!HHH8sH", pkttype, 1, 6, MAC_A + b"\0\0", etype) + l3


def sll2(l3, etype=0x0800, pkttype=4, ifindex=2):
    return struct.pack("!HHIHBB8s", etype, 0, ifindex, 1, pkttype, 6,
                       MAC_A + b"\0\0") + l3


# ---------------------------------------------------------------- writers
def pcap(path, linktype, frames, snaplen=65535):
    """frames: list of (data, orig_len or None, caplen_override or None)."""
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, snaplen,
                            linktype))
        for i, fr in enumerate(frames):
            data, orig = fr if isinstance(fr, tuple) else (fr, None)
            if orig is None:
                orig = len(data)
            ts = T0 + i
            f.write(struct.pack("<IIII", ts, 1000 * i, len(data), orig))
            f.write(data)


def pcapng(path, ifaces, frames):
    """ifaces: list of linktypes; frames: list of (iface_index, data)."""
    def block(btype, body):
        body += b"\0" * (-len(body) % 4)
        tl = 12 + len(body)
        return struct.pack("<II", btype, tl) + body + struct.pack("<I", tl)
    out = block(0x0A0D0D0A, struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1))
    for lt in ifaces:
        out += block(1, struct.pack("<HHI", lt, 0, 65535))
    for i, (ifc, data) in enumerate(frames):
        ts = (T0 + i) * 1000000 + 1000 * i
        out += block(6, struct.pack("<IIIII", ifc, ts >> 32, ts & 0xFFFFFFFF,
                                    len(data), len(data)) + data)
    with open(path, "wb") as f:
        f.write(out)


# ---------------------------------------------------------------- captures
A, B = "10.0.0.1", "10.0.0.2"
A6, B6 = "2001:db8::1", "2001:db8::2"
MSS = b"\x02\x04\x05\xb4"
SACKOK = b"\x04\x02"
WS7 = b"\x03\x03\x07"
NOP = b"\x01"
EOL = b"\x00"


def ts_opt(val, ecr):
    return b"\x08\x0a" + struct.pack("!II", val, ecr)


def handshake(src, dst, sp, dp, isn_c, isn_s, syn_opts=b"", mk=tcp4):
    return [
        mk(src, dst, sp, dp, isn_c, 0, SYN, opts=syn_opts),
        mk(dst, src, dp, sp, isn_s, isn_c + 1, SYN | ACK, opts=syn_opts),
        mk(src, dst, sp, dp, isn_c + 1, isn_s + 1, ACK),
    ]


def options_capture(out):
    """One connection; every TCP option kind tcpdump knows, and some it does not."""
    c, s, sp, dp = A, B, 40000, 80
    ic, is_ = 1000, 5000
    fr = []
    fr.append(tcp4(c, s, sp, dp, ic, 0, SYN,
                   opts=MSS + SACKOK + ts_opt(1, 0) + NOP + WS7))
    # TFO (kind 34) with cookie, answer with TFO cookie
    fr.append(tcp4(s, c, dp, sp, is_, ic + 1, SYN | ACK,
                   opts=MSS + NOP + WS7 + SACKOK + b"\x22\x0a" + bytes(range(1, 9))))
    fr.append(tcp4(c, s, sp, dp, ic + 1, is_ + 1, ACK))
    # MD5 signature (kind 19), 16 bytes
    fr.append(tcp4(c, s, sp, dp, ic + 1, is_ + 1, PSH | ACK,
                   opts=b"\x13\x12" + bytes(range(16)) + NOP + NOP, payload=b"A" * 10))
    # SACK with two blocks
    fr.append(tcp4(s, c, dp, sp, is_ + 1, ic + 11, ACK,
                   opts=NOP + NOP + b"\x05\x12" + struct.pack("!IIII", ic + 21, ic + 31, ic + 41, ic + 51)))
    # unknown kind 99 (len 4), user timeout (28), TCP-AO (29), experimental 253
    fr.append(tcp4(c, s, sp, dp, ic + 11, is_ + 1, ACK,
                   opts=b"\x63\x04\xab\xcd" + b"\x1c\x04\x80\x10" + b"\x1d\x06\x01\x02\x03\x04" + b"\xfd\x04\x12\x34"))
    # EOL followed by garbage bytes
    fr.append(tcp4(c, s, sp, dp, ic + 11, is_ + 1, ACK,
                   opts=NOP + EOL + b"\xff\xff", raw_opts=True))
    # option with bad length (len 1)
    fr.append(tcp4(c, s, sp, dp, ic + 11, is_ + 1, ACK,
                   opts=b"\x02\x01\x00\x00", raw_opts=True))
    # option length running past the header
    fr.append(tcp4(c, s, sp, dp, ic + 11, is_ + 1, ACK,
                   opts=b"\x08\x0a\x00\x00", raw_opts=True))
    # MPTCP (kind 30) DSS ack-only, experimental TFO (kind 254, magic F989)
    fr.append(tcp4(s, c, dp, sp, is_ + 1, ic + 11, ACK,
                   opts=b"\x1e\x08\x20\x01\x00\x00\x00\x07" + b"\xfe\x04\xf9\x89"))
    # wscale with wrong length, mss with wrong length
    fr.append(tcp4(c, s, sp, dp, ic + 11, is_ + 1, ACK,
                   opts=b"\x03\x04\x07\x00" + b"\x02\x03\x05\x01", raw_opts=True))
    pcap(out, 1, [eth(f) for f in fr])


def flags_capture(out):
    """Unusual flag combinations, urgent pointer, AE and reserved bits."""
    c, s, sp, dp = A, B, 40001, 80
    fr = handshake(c, s, sp, dp, 100, 900)
    fr.append(tcp4(c, s, sp, dp, 101, 901, 0))                       # no flags
    fr.append(tcp4(c, s, sp, dp, 101, 901, URG | ACK | PSH, urp=3, payload=b"urg"))
    fr.append(tcp4(c, s, sp, dp, 104, 901, ACK | AE))                # AE (ex-NS) bit
    fr.append(tcp4(c, s, sp, dp, 104, 901, ACK | 0xE00))             # reserved bits
    fr.append(tcp4(c, s, sp, dp, 104, 901, 0xFF))                    # xmas: all 8
    fr.append(tcp4(c, s, sp, dp, 104, 901, SYN | FIN))
    fr.append(tcp4(c, s, sp, dp, 104, 901, RST | ACK | PSH, payload=b"reset text"))
    fr.append(tcp4(c, s, sp, dp, 104, 901, ECE | CWR | ACK))
    pcap(out, 1, [eth(f) for f in fr])


def malformed_capture(out):
    """Fragments, truncation, bad data offsets, padding, IP options."""
    fr = []
    # 1-3: handshake, port 40002
    fr += [eth(f) for f in handshake(A, B, 40002, 80, 7000, 8000)]
    # 4-5: one TCP segment (header + 100 bytes) split into two IPv4 fragments
    seg = tcp(40002, 80, 7001, 8001, PSH | ACK, payload=bytes(100), src=ip4(A), dst=ip4(B))
    fr.append(eth(ipv4(A, B, seg[:48], ident=0x4242, df=False, mf=True, frag_off=0)))
    fr.append(eth(ipv4(A, B, seg[48:], ident=0x4242, df=False, mf=False, frag_off=48)))
    # 6-7: fragments in reverse order (last fragment first)
    seg = tcp(40002, 80, 7101, 8001, PSH | ACK, payload=bytes(60), src=ip4(A), dst=ip4(B))
    fr.append(eth(ipv4(A, B, seg[40:], ident=0x4343, df=False, mf=False, frag_off=40)))
    fr.append(eth(ipv4(A, B, seg[:40], ident=0x4343, df=False, mf=True, frag_off=0)))
    # 8: first fragment only 8 bytes long: TCP header cut by fragmentation
    seg = tcp(40002, 80, 7161, 8001, ACK, payload=bytes(8), src=ip4(A), dst=ip4(B))
    fr.append(eth(ipv4(A, B, seg[:8], ident=0x4444, df=False, mf=True, frag_off=0)))
    # 9: snaplen cut inside the TCP header (caplen 14+20+10)
    full = eth(tcp4(A, B, 40002, 80, 7161, 8001, ACK, payload=bytes(20)))
    fr.append((full[:44], len(full)))
    # 10: snaplen cut inside the TCP options
    full = eth(tcp4(A, B, 40002, 80, 7181, 8001, ACK, opts=NOP + NOP + ts_opt(5, 6)))
    fr.append((full[:14 + 20 + 24], len(full)))
    # 11: snaplen cut inside the payload (normal "-s 64" style capture)
    full = eth(tcp4(A, B, 40002, 80, 7181, 8001, PSH | ACK, payload=bytes(200)))
    fr.append((full[:64], len(full)))
    # 12: data offset 4 (< 5)
    fr.append(eth(ipv4(A, B, tcp(40002, 80, 7381, 8001, ACK, doff=4, payload=bytes(4)))))
    # 13: data offset 15 (60 bytes) but only 20 bytes of TCP in the datagram
    fr.append(eth(ipv4(A, B, tcp(40002, 80, 7381, 8001, ACK, doff=15))))
    # 14: Ethernet padding: 40-byte datagram in a 60-byte frame with junk padding
    f = eth(tcp4(A, B, 40002, 80, 7381, 8001, ACK))
    fr.append(f + b"\xde\xad\xbe\xef\x01\x02")
    # 15: IPv4 header with options (IHL 6: router alert)
    fr.append(eth(ipv4(A, B, tcp(40002, 80, 7381, 8001, ACK, src=ip4(A), dst=ip4(B)),
                       options=b"\x94\x04\x00\x00")))
    # 16: IP total length larger than the frame (datagram truncated on the wire)
    fr.append(eth(ipv4(A, B, tcp(40002, 80, 7381, 8001, PSH | ACK, payload=bytes(10)),
                       total_len=20 + 20 + 500)))
    # 17: IP total length smaller than IP+TCP headers
    fr.append(eth(ipv4(A, B, tcp(40002, 80, 7381, 8001, ACK), total_len=30)))
    # 18: TCP header inside an ICMP port unreachable
    inner = tcp4(A, B, 40002, 80, 7381, 8001, ACK)[:28]
    icmp = struct.pack("!BBHI", 3, 3, 0, 0) + inner
    icmp = icmp[:2] + struct.pack("!H", csum(icmp)) + icmp[4:]
    fr.append(eth(ipv4(B, A, icmp, proto=1)))
    # 19-20: FIN exchange
    fr.append(eth(tcp4(A, B, 40002, 80, 7381, 8001, FIN | ACK)))
    fr.append(eth(tcp4(B, A, 80, 40002, 8001, 7382, FIN | ACK)))
    pcap(out, 1, fr)


def tunnels_capture(out):
    """VLAN, QinQ, IP-in-IP, GRE, IPv6 in IPv4, IPv6 extension headers, IPv6 fragments."""
    fr = []
    # 1-3: VLAN 10
    fr += [vlan(f, 10) for f in handshake(A, B, 40003, 80, 1, 2)]
    # 4-6: same 4-tuple on VLAN 20 (a different connection on the wire)
    fr += [vlan(f, 20) for f in handshake(A, B, 40003, 80, 500, 600)]
    # 7-9: QinQ 100/10
    fr += [vlan(f, 10, outer=100) for f in handshake(A, B, 40004, 80, 1, 2)]
    # 10-11: IP-in-IP (proto 4)
    fr += [eth(ipv4("192.0.2.1", "192.0.2.2", f, proto=4))
           for f in handshake(A, B, 40005, 80, 10, 20)[:2]]
    # 12-13: GRE (proto 47, ethertype IPv4)
    fr += [eth(ipv4("192.0.2.1", "192.0.2.2", b"\x00\x00\x08\x00" + f, proto=47))
           for f in handshake(A, B, 40006, 80, 10, 20)[:2]]
    # 14-15: IPv6 in IPv4 (proto 41)
    fr += [eth(ipv4("192.0.2.1", "192.0.2.2", f, proto=41))
           for f in handshake(A6, B6, 40007, 80, 10, 20, mk=tcp6)[:2]]
    # 16: IPv6 hop-by-hop + destination options header before TCP
    t = tcp(40008, 80, 10, 0, SYN, src=ip6(A6), dst=ip6(B6), v6=True)
    ext = bytes([60, 0, 1, 4, 0, 0, 0, 0]) + bytes([6, 0, 1, 4, 0, 0, 0, 0])
    fr.append(eth(ipv6(A6, B6, ext + t, nh=0), etype=0x86DD))
    # 17-18: IPv6 fragment header: one TCP segment in two fragments
    t = tcp(40008, 80, 11, 0, PSH, payload=bytes(64), src=ip6(A6), dst=ip6(B6), v6=True)
    fh1 = struct.pack("!BBHI", 6, 0, (0 << 3) | 1, 0x1234)
    fh2 = struct.pack("!BBHI", 6, 0, (48 // 8) << 3, 0x1234)
    fr.append(eth(ipv6(A6, B6, fh1 + t[:48], nh=44), etype=0x86DD))
    fr.append(eth(ipv6(A6, B6, fh2 + t[48:], nh=44), etype=0x86DD))
    # 19: IPv6 atomic fragment (offset 0, M=0)
    fh = struct.pack("!BBHI", 6, 0, 0, 0x5678)
    t = tcp(40008, 80, 75, 0, ACK, src=ip6(A6), dst=ip6(B6), v6=True)
    fr.append(eth(ipv6(A6, B6, fh + t, nh=44), etype=0x86DD))
    pcap(out, 1, fr)


def linktype_captures(outdir):
    hs4 = handshake(A, B, 40010, 80, 1, 2)
    hs6 = handshake(A6, B6, 40011, 80, 1, 2, mk=tcp6)
    # DLT_NULL, host byte order (little endian here): AF_INET 2, AF_INET6 30 (macOS)
    pcap(os.path.join(outdir, "synthetic__null.pcap"), 0,
         [null_hdr(f, 2) for f in hs4] + [null_hdr(f, 30) for f in hs6]
         + [null_hdr(hs6[0], 24), null_hdr(hs6[0], 28)])
    # LINKTYPE_LOOP (108): AF in network byte order (OpenBSD)
    pcap(os.path.join(outdir, "synthetic__loop.pcap"), 108,
         [null_hdr(f, 2, big_endian=True) for f in hs4])
    # LINKTYPE_RAW (101): version nibble picks v4/v6
    pcap(os.path.join(outdir, "synthetic__raw.pcap"), 101, hs4 + hs6)
    # LINKTYPE_IPV4 (228) and LINKTYPE_IPV6 (229)
    pcap(os.path.join(outdir, "synthetic__ipv4.pcap"), 228, hs4)
    pcap(os.path.join(outdir, "synthetic__ipv6.pcap"), 229, hs6)
    # Linux cooked v1 (113) and v2 (276); packet types 0 (to us) and 4 (outgoing)
    pcap(os.path.join(outdir, "synthetic__sll.pcap"), 113,
         [sll(hs4[0], pkttype=4), sll(hs4[1], pkttype=0), sll(hs4[2], pkttype=4),
          sll(hs6[0], etype=0x86DD, pkttype=4)])
    pcap(os.path.join(outdir, "synthetic__sll2.pcap"), 276,
         [sll2(hs4[0], pkttype=4), sll2(hs4[1], pkttype=0), sll2(hs4[2], pkttype=4),
          sll2(hs6[0], etype=0x86DD, pkttype=4)])
    # capture cut short in the middle of the last record
    p = os.path.join(outdir, "synthetic__cut-short.pcap")
    pcap(p, 1, [eth(f) for f in hs4])
    with open(p, "rb+") as f:
        f.truncate(os.path.getsize(p) - 10)
    # pcapng with two interfaces of different link types (Ethernet + raw IP)
    pcapng(os.path.join(outdir, "synthetic__two-linktypes.pcapng"), [1, 101],
           [(0, eth(hs4[0])), (1, hs4[1]), (0, eth(hs4[2]))])


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: gen-synthetic.py OUT_DIR")
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    options_capture(os.path.join(out, "synthetic__options.pcap"))
    flags_capture(os.path.join(out, "synthetic__flags.pcap"))
    malformed_capture(os.path.join(out, "synthetic__malformed.pcap"))
    tunnels_capture(os.path.join(out, "synthetic__tunnels.pcap"))
    linktype_captures(out)


if __name__ == "__main__":
    main()

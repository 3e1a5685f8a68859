//! tcpdump's one-line rendering of a TCP packet, byte-identical to `tcpdump -n -r FILE`
//! (4.99) from the timestamp up to and including `length N`.
//!
//! tcpdump numbers sequences its own way (TCP-RULES.md §3): only packets with the ACK
//! flag are made relative, against bases recorded from the first ACK-carrying packet of
//! an address/port pair (and again at every SYN+ACK). The [`TcpdumpPrinter`] keeps that
//! table. Its option walk also copies tcpdump's quirks: a fixed-size option advances by
//! its fixed size whatever its length byte says, and a mismatch prints `[len N]`.

use crate::capture::Frame;
use crate::decode::{
    Decoded, IpHeader, LinkLayer, RadioHeader, Shim, TcpView, Transport, be16, be32, option_name,
    radiotap_fields, u8_at,
};
use std::fmt::Write;
use std::net::IpAddr;

/// Prints tcpdump lines; holds tcpdump's relative-number table.
#[derive(Default)]
pub struct TcpdumpPrinter {
    /// `-S`: print raw sequence numbers.
    pub absolute: bool,
    bases: foldhash::HashMap<(IpAddr, IpAddr, u32), (u32, u32)>,
    /// The last second printed and its `HH:MM:SS` (the local-time lookup, once a second).
    clock: Option<(i64, String)>,
}

impl TcpdumpPrinter {
    pub fn new(absolute: bool) -> TcpdumpPrinter {
        TcpdumpPrinter {
            absolute,
            bases: foldhash::HashMap::default(),
            clock: None,
        }
    }

    /// The line for a frame, or `None` when it carries no TCP header.
    pub fn line(&mut self, frame: &Frame<'_>, decoded: &Decoded<'_>) -> Option<String> {
        let mut out = String::with_capacity(200);
        self.write_line(&mut out, frame, decoded).then_some(out)
    }

    /// Write the line for a frame into `out` (cleared first, so one buffer serves every
    /// line); false, and `out` empty, when the frame carries no TCP header.
    pub fn write_line(
        &mut self,
        out: &mut String,
        frame: &Frame<'_>,
        decoded: &Decoded<'_>,
    ) -> bool {
        out.clear();
        let written = self.write_into(out, frame, decoded);
        if !written {
            out.clear();
        }
        written
    }

    fn write_into(&mut self, out: &mut String, frame: &Frame<'_>, decoded: &Decoded<'_>) -> bool {
        let (Some(ip), Some(transport)) = (decoded.ip, decoded.transport) else {
            return false;
        };
        if !matches!(transport, Transport::Tcp(_) | Transport::BrokenTcp { .. }) {
            return false;
        }
        self.time_of_day(out, frame.ts);
        out.push(' ');
        if let LinkLayer::Sll2 { packet_type, .. } = decoded.link {
            let direction = match packet_type {
                0 => "In",
                1 => "B",
                2 => "M",
                3 => "P",
                4 => "Out",
                _ => "?",
            };
            // tcpdump names the interface by looking its index up on the machine that
            // prints; we cannot, and print "?" as tcpdump does for an unknown index.
            let _ = write!(out, "{:<5} {:<3} ", "?", direction);
        }
        link_prefix(out, frame.data, decoded);
        if ip.version == 4 && ip.length_from_frame {
            // tcpdump refuses an IPv4 total length of 0 (TCP segmentation offload).
            out.push_str("IP bad-len 0");
            return true;
        }
        let ext_prefix = ip_prefix(out, frame.data, &ip);
        match transport {
            Transport::BrokenTcp {
                ports: Some((sport, dport)),
                offset,
            } => {
                endpoints(out, &ip, sport, dport, ext_prefix);
                let data = frame.data;
                let header_len = u8_at(data, offset + 12).map(|b| usize::from(b >> 4) * 4);
                match header_len {
                    Some(h) if h < 20 && data.len() >= offset + 20 => {
                        let length = (ip.declared_payload_len as usize).wrapping_sub(h) as i64;
                        let _ = write!(out, " tcp {length} [bad hdr length {h} - too short, < 20]");
                    }
                    _ => out.push_str(" [|tcp]"),
                }
            }
            Transport::BrokenTcp { ports: None, .. } => {
                let _ = write!(out, "{} > {}: [|tcp]", ip.src, ip.dst);
            }
            Transport::Tcp(tcp) => {
                endpoints(out, &ip, tcp.sport, tcp.dport, ext_prefix);
                self.tcp_body(out, &ip, &tcp);
            }
            _ => return false,
        }
        true
    }

    /// `14:03:07.123456`: [`crate::capture::Timestamp::time_of_day`], with the local time
    /// of the second looked up once per second.
    fn time_of_day(&mut self, out: &mut String, ts: crate::capture::Timestamp) {
        let clock = match &self.clock {
            Some((secs, hms)) if *secs == ts.secs => hms,
            _ => {
                let full = crate::capture::Timestamp::from_parts(ts.secs, 0).time_of_day();
                let hms = full.split('.').next().unwrap_or_default().to_string();
                &self.clock.insert((ts.secs, hms)).1
            }
        };
        out.push_str(clock);
        let _ = write!(out, ".{:06}", ts.nanos / 1000);
    }

    fn tcp_body(&mut self, out: &mut String, ip: &IpHeader, tcp: &TcpView<'_>) {
        let flags = tcp.flags;
        let _ = write!(out, "Flags [{}]", flags.tcpdump_letters());
        let (mut seq, mut ack) = (tcp.seq, tcp.ack);
        let (mut thseq, mut thack, mut rev) = (0u32, 0u32, false);
        if !self.absolute && flags.ack() {
            rev = tcp.sport > tcp.dport
                || (tcp.sport == tcp.dport && addr_bytes(&ip.src) > addr_bytes(&ip.dst));
            let key = if rev {
                (
                    ip.dst,
                    ip.src,
                    u32::from(tcp.dport) << 16 | u32::from(tcp.sport),
                )
            } else {
                (
                    ip.src,
                    ip.dst,
                    u32::from(tcp.sport) << 16 | u32::from(tcp.dport),
                )
            };
            let base = match self.bases.get(&key) {
                Some(&b) if !flags.syn() => {
                    if rev {
                        seq = seq.wrapping_sub(b.1);
                        ack = ack.wrapping_sub(b.0);
                    } else {
                        seq = seq.wrapping_sub(b.0);
                        ack = ack.wrapping_sub(b.1);
                    }
                    b
                }
                _ => {
                    let b = if rev {
                        (tcp.ack.wrapping_sub(1), tcp.seq)
                    } else {
                        (tcp.seq, tcp.ack.wrapping_sub(1))
                    };
                    self.bases.insert(key, b);
                    b
                }
            };
            (thseq, thack) = base;
        }
        let hlen = tcp.header_len as u32;
        let length = ip.declared_payload_len;
        if hlen > length {
            let _ = write!(out, " [bad hdr length {hlen} - too long, > {length}]");
            return;
        }
        let length = length - hlen;
        if length > 0 || flags.syn() || flags.fin() || flags.rst() {
            let _ = write!(out, ", seq {seq}");
            if length > 0 {
                let _ = write!(out, ":{}", seq.wrapping_add(length));
            }
        }
        if flags.ack() {
            let _ = write!(out, ", ack {ack}");
        }
        let _ = write!(out, ", win {}", tcp.window);
        if flags.has(crate::decode::TcpFlags::URG) {
            let _ = write!(out, ", urg {}", tcp.urgent);
        }
        if hlen > 20 {
            out.push_str(", options [");
            let sack_base = if rev { thseq } else { thack };
            match print_options(out, tcp.options, (hlen - 20) as usize, sack_base, flags.0) {
                OptionsEnd::Closed => out.push(']'),
                OptionsEnd::Stop => return,
            }
        }
        let _ = write!(out, ", length {length}");
    }
}

fn addr_bytes(addr: &IpAddr) -> Vec<u8> {
    match addr {
        IpAddr::V4(a) => a.octets().to_vec(),
        IpAddr::V6(a) => a.octets().to_vec(),
    }
}

/// What tcpdump prints (without `-e`) for the link layer and the encapsulations before
/// the IP packet: `IP: ` on PPP serial links, `PPPoE  [ses 0x2d] `, and
/// `MPLS (label 29, tc 6, [S], ttl 255) ` with one parenthesis per label.
fn link_prefix(out: &mut String, data: &[u8], decoded: &Decoded<'_>) {
    if let LinkLayer::Ieee80211 {
        radio: RadioHeader::Radiotap,
        ..
    } = decoded.link
    {
        radiotap_prefix(out, data);
    }
    if let LinkLayer::Ppp {
        serial: true,
        protocol,
        ..
    } = decoded.link
    {
        match protocol {
            0x0021 => out.push_str("IP: "),
            0x0057 => out.push_str("IP6: "),
            other => {
                let _ = write!(out, "unknown PPP protocol (0x{other:04x}): ");
            }
        }
    }
    let mut in_mpls = false;
    let shims: Vec<&Shim> = decoded.shims.iter().collect();
    for (i, shim) in shims.iter().enumerate() {
        match **shim {
            Shim::OuterIp(ip) => {
                out.push_str(if ip.version == 4 { "IP " } else { "IP6 " });
                match shims.get(i + 1) {
                    Some(Shim::Vxlan { sport, dport, .. }) => {
                        let _ = write!(out, "{}.{sport} > {}.{dport}: ", ip.src, ip.dst);
                    }
                    _ => {
                        let _ = write!(out, "{} > {}: ", ip.src, ip.dst);
                    }
                }
            }
            Shim::Gre {
                flags_version,
                routing_offset,
                key,
                sequence,
                length,
                ..
            } => {
                let _ = write!(out, "GREv{}", flags_version & 7);
                if let Some(off) = routing_offset {
                    let _ = write!(out, ", off 0x{off:x}");
                }
                if let Some(key) = key {
                    let _ = write!(out, ", key=0x{key:x}");
                }
                if let Some(seq) = sequence {
                    let _ = write!(out, ", seq {seq}");
                }
                let _ = write!(out, ", length {length}: ");
            }
            Shim::Vxlan { flags, vni, .. } => {
                let names = if flags & 0x08 != 0 { "I" } else { "none" };
                let _ = writeln!(out, "VXLAN, flags [{names}] (0x{flags:02x}), vni {vni}");
            }
            Shim::InnerEthernet { .. } => {}
            Shim::Pppoe { session, .. } => {
                let _ = write!(out, "PPPoE  [ses 0x{session:x}] ");
            }
            Shim::Mpls {
                label,
                tc,
                bottom,
                ttl,
                ..
            } => {
                out.push_str(if in_mpls { "(" } else { "MPLS (" });
                in_mpls = true;
                let s = if bottom { "[S], " } else { "" };
                let _ = write!(out, "label {label}, tc {tc}, {s}ttl {ttl}) ");
            }
        }
    }
}

/// The radiotap fields as tcpdump prints them without `-v` (print-802_11.c,
/// `print_radiotap_field` and `print_chaninfo`).
fn radiotap_prefix(out: &mut String, data: &[u8]) {
    let fields = radiotap_fields(data);
    let present = |bit: u32| fields.iter().any(|(b, _)| *b == bit);
    let u8v = |v: &[u8]| v.first().copied().unwrap_or(0);
    let u16v = |v: &[u8], at: usize| {
        u16::from_le_bytes([
            v.get(at).copied().unwrap_or(0),
            v.get(at + 1).copied().unwrap_or(0),
        ])
    };
    for (bit, v) in &fields {
        match bit {
            0 => {
                let tsft = v.iter().rev().fold(0u64, |acc, b| acc << 8 | u64::from(*b));
                let _ = write!(out, "{tsft}us tsft ");
            }
            1 => {
                let f = u8v(v);
                for (mask, text) in [
                    (0x01, "cfp "),
                    (0x02, "short preamble "),
                    (0x04, "wep "),
                    (0x08, "fragmented "),
                    (0x40, "bad-fcs "),
                ] {
                    if f & mask != 0 {
                        out.push_str(text);
                    }
                }
            }
            2 => {
                let rate = u8v(v);
                if (0x80..=0x8f).contains(&rate) {
                    let _ = write!(out, "MCS {} ", rate & 0x7f);
                } else {
                    let _ = write!(out, "{:.1} Mb/s ", f64::from(rate) * 0.5);
                }
            }
            3 if !present(18) => channel_info(out, u16v(v, 0), u16v(v, 2), present(19)),
            4 => {
                let _ = write!(
                    out,
                    "fhset {} fhpat {} ",
                    u8v(v),
                    v.get(1).copied().unwrap_or(0)
                );
            }
            5 => {
                let _ = write!(out, "{}dBm signal ", u8v(v) as i8);
            }
            6 => {
                let _ = write!(out, "{}dBm noise ", u8v(v) as i8);
            }
            7 => {
                let _ = write!(out, "{} sq ", u16v(v, 0));
            }
            8 => {
                let _ = write!(out, "{} tx power ", -i32::from(u16v(v, 0)));
            }
            9 => {
                let _ = write!(out, "{}dB tx attenuation ", -i32::from(u8v(v)));
            }
            10 => {
                let _ = write!(out, "{}dBm tx power ", u8v(v) as i8);
            }
            11 => {
                let _ = write!(out, "antenna {} ", u8v(v));
            }
            12 => {
                let _ = write!(out, "{}dB signal ", u8v(v));
            }
            13 => {
                let _ = write!(out, "{}dB noise ", u8v(v));
            }
            _ => {}
        }
    }
}

/// tcpdump's `print_chaninfo` for the radiotap Channel field.
fn channel_info(out: &mut String, freq: u16, flags: u16, mcs: bool) {
    const TURBO: u16 = 0x0010;
    const CCK: u16 = 0x0020;
    const OFDM: u16 = 0x0040;
    const GHZ2: u16 = 0x0080;
    const GHZ5: u16 = 0x0100;
    const GFSK: u16 = 0x0800;
    const DYN: u16 = 0x0400;
    const HALF: u16 = 0x4000;
    const QUARTER: u16 = 0x8000;
    let is = |mask: u16| flags & mask == mask;
    let _ = write!(out, "{freq} MHz");
    if mcs {
        out.push_str(" 11n");
    } else {
        if is(GHZ2 | GFSK) {
            out.push_str(" FHSS");
        }
        let width = |base: &str| {
            if flags & HALF != 0 {
                format!(" {base}/10Mhz")
            } else if flags & QUARTER != 0 {
                format!(" {base}/5Mhz")
            } else {
                format!(" {base}")
            }
        };
        if is(GHZ5 | OFDM) {
            out.push_str(&width("11a"));
        }
        if is(GHZ2 | OFDM) || is(GHZ2 | DYN) {
            out.push_str(&width("11g"));
        } else if is(GHZ2 | CCK) {
            out.push_str(" 11b");
        }
        if flags & TURBO != 0 {
            out.push_str(" Turbo");
        }
    }
    out.push(' ');
}

/// `IP ` / `IP6 ` (with tcpdump's notes); returns whether IPv6 extension headers were
/// printed, after which tcpdump prints only the ports.
fn ip_prefix(out: &mut String, data: &[u8], ip: &IpHeader) -> bool {
    if ip.version == 4 {
        out.push_str("IP ");
        if ip.missing_bytes > 0 {
            let _ = write!(out, "truncated-ip - {} bytes missing! ", ip.missing_bytes);
        }
        return false;
    }
    out.push_str("IP6 ");
    if ip.extension_count == 0 {
        return false;
    }
    let _ = write!(out, "{} > {}: ", ip.src, ip.dst);
    let count = usize::from(ip.extension_count);
    for (&ext, &at) in ip.extensions.iter().zip(&ip.extension_offsets).take(count) {
        let at = at as usize;
        match ext {
            0 => out.push_str("HBH "),
            43 => routing_header(out, data, at),
            51 => {
                // AH(spi=…,seq=…,icv=0x…): the ICV fills the rest of the header.
                let len = (usize::from(u8_at(data, at + 1).unwrap_or(0)) + 2) * 4;
                let spi = be32(data, at + 4).unwrap_or(0);
                let seq = be32(data, at + 8).unwrap_or(0);
                let _ = write!(out, "AH(spi=0x{spi:08x},seq=0x{seq:x},icv=0x");
                for b in data.get(at + 12..at + len).unwrap_or(&[]) {
                    let _ = write!(out, "{b:02x}");
                }
                out.push_str("): ");
            }
            60 => out.push_str("DSTOPT "),
            44 => {
                let (offset, _) = ip.ipv6_fragment.unwrap_or((0, false));
                let frag_payload = ip.declared_payload_len + ip.header_len as u32 - 40 - 8;
                let _ = write!(out, "frag ({offset}|{frag_payload}) ");
            }
            other => {
                let _ = write!(out, "ip6-ext-{other} ");
            }
        }
    }
    true
}

/// tcpdump's `rt6_print`: `RT6 (len=0, type=0 [Deprecated], segleft=0) `, with the
/// addresses of types 0, 2 and 4 (segment routing: `last-entry` and `tag` first).
fn routing_header(out: &mut String, data: &[u8], at: usize) {
    let len = u8_at(data, at + 1).unwrap_or(0);
    let kind = u8_at(data, at + 2).unwrap_or(0);
    let segleft = u8_at(data, at + 3).unwrap_or(0);
    let _ = write!(out, "RT6 (len={len}, type={kind}");
    if kind == 0 {
        out.push_str(" [Deprecated]");
    }
    let _ = write!(out, ", segleft={segleft}");
    if kind == 4 {
        let last = u8_at(data, at + 4).unwrap_or(0);
        let tag = be16(data, at + 6).unwrap_or(0);
        let _ = write!(out, ", last-entry={last}, tag={tag:x}");
    }
    if matches!(kind, 0 | 2 | 4) {
        for i in 0..usize::from(len / 2) {
            let a = at + 8 + 16 * i;
            let Some(bytes) = data
                .get(a..a + 16)
                .and_then(|b| <[u8; 16]>::try_from(b).ok())
            else {
                break;
            };
            let _ = write!(out, ", [{i}]{}", std::net::Ipv6Addr::from(bytes));
        }
    }
    out.push_str(") ");
}

fn endpoints(out: &mut String, ip: &IpHeader, sport: u16, dport: u16, ports_only: bool) {
    if ports_only {
        let _ = write!(out, "{sport} > {dport}: ");
    } else {
        let _ = write!(out, "{}.{sport} > {}.{dport}: ", ip.src, ip.dst);
    }
}

enum OptionsEnd {
    /// The list ended normally: print `]`.
    Closed,
    /// tcpdump stopped printing this packet (bad option or truncation).
    Stop,
}

/// tcpdump's option walk over the captured option bytes; `declared` is the options length
/// the header claims.
fn print_options(
    out: &mut String,
    opts: &[u8],
    declared: usize,
    sack_base: u32,
    flags: u16,
) -> OptionsEnd {
    let mut hlen = declared;
    let mut cp = 0usize;
    let mut first = true;
    // Truncation inside the fixed part (kind or length byte): tcpdump's generic handler.
    let trunc_generic = |out: &mut String| {
        out.push_str(" [|tcp]");
        OptionsEnd::Stop
    };
    let trunc = |out: &mut String, first: bool| {
        out.push_str(" [|tcp]");
        if !first {
            out.push('>');
        }
        OptionsEnd::Stop
    };
    let bad = |out: &mut String, first: bool| {
        out.push_str("[bad opt]");
        if !first {
            out.push(']');
        }
        OptionsEnd::Stop
    };
    while hlen > 0 {
        if !first {
            out.push(',');
        }
        let Some(opt) = u8_at(opts, cp) else {
            return trunc_generic(out);
        };
        cp += 1;
        let len: usize = if opt == 0 || opt == 1 {
            1
        } else {
            let Some(l) = u8_at(opts, cp) else {
                return trunc_generic(out);
            };
            cp += 1;
            let l = usize::from(l);
            if l < 2 || l > hlen {
                return bad(out, first);
            }
            hlen -= 1;
            l
        };
        hlen -= 1;
        out.push_str(&option_name(opt));
        let captured = |n: usize| opts.len() >= cp + n;
        let datalen: usize;
        macro_rules! lencheck {
            ($l:expr) => {{
                let l: usize = $l;
                if l > hlen {
                    return bad(out, first);
                }
                if !captured(l) {
                    return trunc(out, first);
                }
            }};
        }
        match opt {
            0 | 1 | 4 => datalen = 0,
            2 => {
                datalen = 2;
                lencheck!(2);
                let _ = write!(out, " {}", be16(opts, cp).unwrap_or(0));
            }
            3 => {
                datalen = 1;
                lencheck!(1);
                let _ = write!(out, " {}", u8_at(opts, cp).unwrap_or(0));
            }
            5 => {
                datalen = len - 2;
                if !datalen.is_multiple_of(8) {
                    out.push_str(" invalid sack");
                } else {
                    let _ = write!(out, " {} ", datalen / 8);
                    let mut i = 0;
                    while i < datalen {
                        lencheck!(i + 4);
                        let s = be32(opts, cp + i).unwrap_or(0).wrapping_sub(sack_base);
                        lencheck!(i + 8);
                        let e = be32(opts, cp + i + 4).unwrap_or(0).wrapping_sub(sack_base);
                        let _ = write!(out, "{{{s}:{e}}}");
                        i += 8;
                    }
                }
            }
            6 | 7 | 11 | 12 | 13 => {
                datalen = 4;
                lencheck!(4);
                let _ = write!(out, " {}", be32(opts, cp).unwrap_or(0));
            }
            8 => {
                datalen = 8;
                lencheck!(8);
                let _ = write!(
                    out,
                    " val {} ecr {}",
                    be32(opts, cp).unwrap_or(0),
                    be32(opts, cp + 4).unwrap_or(0)
                );
            }
            19 => {
                datalen = 16;
                lencheck!(16);
                out.push_str(" shared secret not supplied with -M, can't check - ");
                for b in opts.get(cp..cp + 16).unwrap_or(&[]) {
                    let _ = write!(out, "{b:02x}");
                }
            }
            28 => {
                datalen = 2;
                lencheck!(2);
                let v = be16(opts, cp).unwrap_or(0);
                let minutes_or_seconds = if v & 1 != 0 {
                    u32::from(v >> 1) * 60
                } else {
                    u32::from(v >> 1)
                };
                let _ = write!(out, " 0x{v:x} {minutes_or_seconds}");
            }
            29 => {
                datalen = len - 2;
                lencheck!(datalen);
                if datalen < 2 {
                    out.push_str(" invalid");
                } else {
                    let _ = write!(
                        out,
                        " keyid {} rnextkeyid {}",
                        u8_at(opts, cp).unwrap_or(0),
                        u8_at(opts, cp + 1).unwrap_or(0)
                    );
                    if datalen > 2 {
                        out.push_str(" mac 0x");
                        for b in opts.get(cp + 2..cp + datalen).unwrap_or(&[]) {
                            let _ = write!(out, "{b:02x}");
                        }
                    }
                }
            }
            30 => {
                datalen = len - 2;
                lencheck!(datalen);
                let data = opts.get(cp..cp + datalen).unwrap_or(&[]);
                if !super::mptcp::print(out, data, len, flags) {
                    return bad(out, first);
                }
            }
            34 => {
                datalen = len - 2;
                lencheck!(datalen);
                out.push(' ');
                fast_open(out, opts.get(cp..cp + datalen).unwrap_or(&[]), false);
            }
            254 => {
                datalen = len - 2;
                lencheck!(datalen);
                if datalen < 2 {
                    return bad(out, first);
                }
                let magic = be16(opts, cp).unwrap_or(0);
                out.push('-');
                if magic == 0xf989 {
                    fast_open(out, opts.get(cp + 2..cp + datalen).unwrap_or(&[]), true);
                } else {
                    let _ = write!(out, "{magic:04x}");
                }
            }
            _ => {
                datalen = len - 2;
                if datalen > 0 {
                    out.push_str(" 0x");
                }
                for i in 0..datalen {
                    lencheck!(i + 1);
                    let _ = write!(out, "{:02x}", u8_at(opts, cp + i).unwrap_or(0));
                }
            }
        }
        cp += datalen;
        hlen = hlen.saturating_sub(datalen);
        let expected = datalen + if opt == 0 || opt == 1 { 1 } else { 2 };
        if expected != len {
            let _ = write!(out, "[len {len}]");
        }
        first = false;
        if opt == 0 {
            break;
        }
    }
    OptionsEnd::Closed
}

fn fast_open(out: &mut String, cookie: &[u8], experimental: bool) {
    if experimental {
        out.push_str("tfo");
    }
    if cookie.is_empty() {
        out.push_str(" cookiereq");
    } else if !cookie.len().is_multiple_of(2) || cookie.len() < 4 || cookie.len() > 16 {
        out.push_str(" (invalid)");
    } else {
        out.push_str(" cookie ");
        for b in cookie {
            let _ = write!(out, "{b:02x}");
        }
    }
}

//! The seed reproductions: captures whose `tcpdump -n` lines are exactly the
//! lines printed in the two seed articles.
//!
//! * Seed 000 (a CSDN article on the handshake and teardown, 2020): one
//!   client behind NAT talks to port 8888 of a cloud server; the article
//!   shows both the client-side and the server-side tcpdump. Both captures
//!   are rebuilt from one table of packets, each row with its time at each
//!   end. The opening of the second connection (port 48206) is not in the
//!   article and is invented so that its teardown prints exactly as shown.
//! * Seed 001 (tanglei.me, 2014): windump `-S` output of a browser fetching
//!   the blog from GitHub Pages. Its SYN options, the client address and
//!   the HTTP bytes are invented; every printed number is the seed's.
//!
//! Every number here is data copied from the seeds: do not "tidy" them.

use std::io;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::Path;
use std::time::Duration;

use etherparse::TcpOptionElement;

use super::notes;
use crate::link::{Hop, Link};
use crate::segment::{Flags, Segment, linux_syn_options, ts_options};
use crate::sink::{Frame, sort_by_time, write_pcapng_with_notes};
use crate::time::Date;

/// Seed 000's day (the article does not give one; its timestamps do not
/// need one).
const SEED0_DAY: Date = Date::new(2020, 5, 20);
/// Seed 001's day (the blog post is dated 2014-01-15).
const SEED1_DAY: Date = Date::new(2014, 1, 15);

/// Direction of a seed packet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Dir {
    ToServer,
    ToClient,
}

/// One packet of seed 000, with what each capture point saw.
struct Seed0Packet {
    dir: Dir,
    /// Time in the client-side capture.
    at_client: Duration,
    /// Time in the server-side capture.
    at_server: Duration,
    flags: Flags,
    seq: u32,
    ack: u32,
    win: u16,
    /// MSS of a SYN as seen (client side, server side): the NAT router
    /// between them clamps it.
    mss: Option<(u16, u16)>,
    ts_val: u32,
    ts_ecr: u32,
    /// IPv4 identification (the NAT router keeps it).
    ip_id: u16,
    payload: &'static [u8],
}

/// One connection of seed 000: client port plus its packets.
struct Seed0Connection {
    client_port: u16,
    packets: Vec<Seed0Packet>,
}

const fn t0(h: u32, m: u32, s: u32, us: u32) -> Duration {
    SEED0_DAY.at(h, m, s, us)
}

/// Connection 1 (port 48096): the handshake and "helloworld" exactly as in
/// the article.
fn seed0_connection_1() -> Seed0Connection {
    let (c_isn, s_isn) = (734_888_645u32, 1_632_166_146u32);
    let packets = vec![
        Seed0Packet {
            dir: Dir::ToServer,
            at_client: t0(17, 38, 17, 797_373),
            at_server: t0(17, 38, 17, 816_221),
            flags: Flags::SYN,
            seq: c_isn,
            ack: 0,
            win: 65_044,
            mss: Some((1414, 1412)),
            ts_val: 1_928_888_411,
            ts_ecr: 0,
            ip_id: 0x6c1e,
            payload: b"",
        },
        Seed0Packet {
            dir: Dir::ToClient,
            at_client: t0(17, 38, 17, 830_081),
            at_server: t0(17, 38, 17, 816_395),
            flags: Flags::SYN_ACK,
            seq: s_isn,
            ack: c_isn + 1,
            win: 28_960,
            mss: Some((1412, 1460)),
            ts_val: 588_838_281,
            ts_ecr: 1_928_888_411,
            ip_id: 0,
            payload: b"",
        },
        Seed0Packet {
            dir: Dir::ToServer,
            at_client: t0(17, 38, 17, 830_139),
            at_server: t0(17, 38, 17, 848_272),
            flags: Flags::ACK,
            seq: c_isn + 1,
            ack: s_isn + 1,
            win: 509,
            mss: None,
            ts_val: 1_928_888_444,
            ts_ecr: 588_838_281,
            ip_id: 0x6c1f,
            payload: b"",
        },
        Seed0Packet {
            dir: Dir::ToServer,
            at_client: t0(17, 38, 46, 885_233),
            at_server: t0(17, 38, 46, 904_117),
            flags: Flags::PSH_ACK,
            seq: c_isn + 1,
            ack: s_isn + 1,
            win: 509,
            mss: None,
            ts_val: 1_928_917_499,
            ts_ecr: 588_838_281,
            ip_id: 0x6c20,
            payload: b"helloworld",
        },
        Seed0Packet {
            dir: Dir::ToClient,
            at_client: t0(17, 38, 46, 918_039),
            at_server: t0(17, 38, 46, 904_182),
            flags: Flags::ACK,
            seq: s_isn + 1,
            ack: c_isn + 11,
            win: 227,
            mss: None,
            ts_val: 588_867_369,
            ts_ecr: 1_928_917_499,
            ip_id: 0x3d5a,
            payload: b"",
        },
    ];
    Seed0Connection {
        client_port: 48_096,
        packets,
    }
}

/// Connection 2 (port 48206): an invented opening (~18:07:55) and the
/// article's teardown, after which nothing more is sent: the server stays
/// in CLOSE-WAIT, the client in FIN-WAIT-2.
///
/// The server's TS clock runs at exactly 1 tick/ms (TS val = server ms of
/// day + 525340465 in every article line), so TS val 590615825 dates the
/// SYN+ACK at 18:07:55.360 server time. The client's clock is the article's
/// late one (ms of day + 1865390624); one-way delays are those of the
/// article's teardown (21.7 ms up, 8.9 ms down).
fn seed0_connection_2() -> Seed0Connection {
    let (c_isn, s_isn) = (3_072_159_441u32, 1_183_472_520u32);
    let packets = vec![
        Seed0Packet {
            dir: Dir::ToServer,
            at_client: t0(18, 7, 55, 338_550),
            at_server: t0(18, 7, 55, 360_250),
            flags: Flags::SYN,
            seq: c_isn,
            ack: 0,
            win: 65_044,
            mss: Some((1414, 1412)),
            ts_val: 1_930_665_962,
            ts_ecr: 0,
            ip_id: 0x8a41,
            payload: b"",
        },
        Seed0Packet {
            dir: Dir::ToClient,
            at_client: t0(18, 7, 55, 369_312),
            at_server: t0(18, 7, 55, 360_412),
            flags: Flags::SYN_ACK,
            seq: s_isn,
            ack: c_isn + 1,
            win: 28_960,
            mss: Some((1412, 1460)),
            ts_val: 590_615_825,
            ts_ecr: 1_930_665_962,
            ip_id: 0,
            payload: b"",
        },
        Seed0Packet {
            dir: Dir::ToServer,
            at_client: t0(18, 7, 55, 369_370),
            at_server: t0(18, 7, 55, 391_070),
            flags: Flags::ACK,
            seq: c_isn + 1,
            ack: s_isn + 1,
            win: 509,
            mss: None,
            ts_val: 1_930_665_993,
            ts_ecr: 590_615_825,
            ip_id: 0x8a42,
            payload: b"",
        },
        Seed0Packet {
            dir: Dir::ToServer,
            at_client: t0(18, 8, 10, 116_986),
            at_server: t0(18, 8, 10, 138_686),
            flags: Flags::FIN_ACK,
            seq: c_isn + 1,
            ack: s_isn + 1,
            win: 509,
            mss: None,
            ts_val: 1_930_680_740,
            ts_ecr: 590_615_825,
            ip_id: 0x8a43,
            payload: b"",
        },
        Seed0Packet {
            dir: Dir::ToClient,
            at_client: t0(18, 8, 10, 147_985),
            at_server: t0(18, 8, 10, 139_077),
            flags: Flags::ACK,
            seq: s_isn + 1,
            ack: c_isn + 2,
            win: 227,
            mss: None,
            ts_val: 590_630_604,
            ts_ecr: 1_930_680_740,
            ip_id: 0xe417,
            payload: b"",
        },
    ];
    Seed0Connection {
        client_port: 48_206,
        packets,
    }
}

/// Where a seed 000 capture was taken.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Seed0Side {
    Client,
    Server,
}

/// Addresses and link facts of one capture point.
struct Seed0View {
    client_ip: Ipv4Addr,
    server_ip: Ipv4Addr,
    client_mac: [u8; 6],
    server_mac: [u8; 6],
    client_ttl: u8,
    server_ttl: u8,
}

fn seed0_view(side: Seed0Side) -> Seed0View {
    match side {
        // A KVM guest at a cloud provider; remote packets come via the
        // gateway, 14 hops away from the server.
        Seed0Side::Client => Seed0View {
            client_ip: Ipv4Addr::new(10, 23, 185, 135),
            server_ip: Ipv4Addr::new(106, 53, 211, 6),
            client_mac: [0x52, 0x54, 0x00, 0x8f, 0x21, 0x6d],
            server_mac: [0x00, 0x00, 0x5e, 0x00, 0x01, 0x01],
            client_ttl: 64,
            server_ttl: 50,
        },
        // The server's private address behind its provider's 1:1 NAT; the
        // client shows up as its NAT's public address.
        Seed0Side::Server => Seed0View {
            client_ip: Ipv4Addr::new(120, 132, 11, 203),
            server_ip: Ipv4Addr::new(172, 16, 0, 9),
            client_mac: [0xfe, 0xee, 0xff, 0xff, 0xff, 0xff],
            server_mac: [0x52, 0x54, 0x00, 0xd1, 0x9c, 0x4a],
            client_ttl: 47,
            server_ttl: 64,
        },
    }
}

fn seed0_frames(side: Seed0Side) -> io::Result<Vec<Frame>> {
    let view = seed0_view(side);
    let server = SocketAddr::new(IpAddr::V4(view.server_ip), 8888);
    let mut frames = Vec::new();
    for conn in [seed0_connection_1(), seed0_connection_2()] {
        let client = SocketAddr::new(IpAddr::V4(view.client_ip), conn.client_port);
        for p in &conn.packets {
            let options = match p.mss {
                Some((at_client, at_server)) => {
                    let mss = if side == Seed0Side::Client {
                        at_client
                    } else {
                        at_server
                    };
                    linux_syn_options(mss, p.ts_val, p.ts_ecr, 7)
                }
                None => ts_options(p.ts_val, p.ts_ecr),
            };
            let to_server = p.dir == Dir::ToServer;
            let (src, dst, ttl) = if to_server {
                (client, server, view.client_ttl)
            } else {
                (server, client, view.server_ttl)
            };
            let (src_mac, dst_mac) = if to_server {
                (view.client_mac, view.server_mac)
            } else {
                (view.server_mac, view.client_mac)
            };
            let segment = Segment {
                src,
                dst,
                ttl,
                ip_id: p.ip_id,
                flow_label: 0,
                flags: p.flags,
                seq: p.seq,
                ack: p.ack,
                window: p.win,
                options: &options,
                payload: p.payload,
            };
            let hop = Hop {
                src_mac,
                dst_mac,
                outgoing: to_server == (side == Seed0Side::Client),
            };
            let mut data = Vec::new();
            Link::Ethernet.frame(&hop, &segment, &mut data)?;
            let ts = if side == Seed0Side::Client {
                p.at_client
            } else {
                p.at_server
            };
            frames.push(Frame {
                ts,
                data,
                interface: 0,
            });
        }
    }
    sort_by_time(&mut frames);
    Ok(frames)
}

/// `seed-handshake-client.pcapng`: seed 000 as captured on the client.
pub fn seed_handshake_client(path: &Path) -> io::Result<()> {
    write_pcapng_with_notes(
        path,
        &seed0_frames(Seed0Side::Client)?,
        notes::SEED_HANDSHAKE_CLIENT,
    )
}

/// `seed-handshake-server.pcapng`: seed 000 as captured on the server.
pub fn seed_handshake_server(path: &Path) -> io::Result<()> {
    write_pcapng_with_notes(
        path,
        &seed0_frames(Seed0Side::Server)?,
        notes::SEED_HANDSHAKE_SERVER,
    )
}

/// The 361-byte request of seed 001 (a conditional GET from Firefox 26 on
/// Windows 7).
pub const GITHUB_REQUEST: &[u8] = b"GET / HTTP/1.1\r\n\
Host: tanglei.me\r\n\
User-Agent: Mozilla/5.0 (Windows NT 6.1; rv:26.0) Gecko/20100101 Firefox/26.0\r\n\
Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r\n\
Accept-Language: zh-cn,zh;q=0.5\r\n\
Accept-Encoding: gzip, deflate\r\n\
DNT: 1\r\n\
Connection: keep-alive\r\n\
If-Modified-Since: Tue, 14 Jan 2014 15:02:11 GMT\r\n\
Cache-Control: max-age=0\r\n\
\r\n";

/// The 223-byte answer of seed 001: the page has not changed.
pub const GITHUB_RESPONSE: &[u8] = b"HTTP/1.1 304 Not Modified\r\n\
Server: GitHub.com\r\n\
Date: Wed, 15 Jan 2014 16:17:59 GMT\r\n\
Last-Modified: Tue, 14 Jan 2014 15:02:11 GMT\r\n\
Expires: Wed, 15 Jan 2014 16:27:59 GMT\r\n\
Cache-Control: max-age=600\r\n\
Age: 0\r\n\
X-Cache: MISS\r\n\
\r\n";

/// One packet of seed 001, numbers as windump `-S` printed them.
struct Seed1Packet {
    to_server: bool,
    time: Duration,
    flags: Flags,
    seq: u32,
    ack: u32,
    win: u16,
    payload: &'static [u8],
}

const fn t1(h: u32, m: u32, s: u32, us: u32) -> Duration {
    SEED1_DAY.at(h, m, s, us)
}

const fn seed1(
    to_server: bool,
    time: Duration,
    flags: Flags,
    seq: u32,
    ack: u32,
    win: u16,
    payload: &'static [u8],
) -> Seed1Packet {
    Seed1Packet {
        to_server,
        time,
        flags,
        seq,
        ack,
        win,
        payload,
    }
}

/// The ten packets of seed 001.
fn seed1_packets() -> [Seed1Packet; 10] {
    let (c, s) = (true, false);
    [
        seed1(
            c,
            t1(16, 17, 58, 813_323),
            Flags::SYN,
            1_337_949_936,
            0,
            65_535,
            b"",
        ),
        seed1(
            s,
            t1(16, 17, 59, 103_384),
            Flags::SYN_ACK,
            3_859_825_850,
            1_337_949_937,
            14_360,
            b"",
        ),
        seed1(
            c,
            t1(16, 17, 59, 103_465),
            Flags::ACK,
            1_337_949_937,
            3_859_825_851,
            1024,
            b"",
        ),
        seed1(
            c,
            t1(16, 17, 59, 103_634),
            Flags::PSH_ACK,
            1_337_949_937,
            3_859_825_851,
            1024,
            GITHUB_REQUEST,
        ),
        seed1(
            s,
            t1(16, 17, 59, 393_901),
            Flags::PSH_ACK,
            3_859_825_851,
            1_337_950_298,
            16,
            GITHUB_RESPONSE,
        ),
        seed1(
            c,
            t1(16, 17, 59, 444_259),
            Flags::ACK,
            1_337_950_298,
            3_859_826_074,
            1023,
            b"",
        ),
        seed1(
            s,
            t1(16, 18, 9, 393_241),
            Flags::FIN_ACK,
            3_859_826_074,
            1_337_950_298,
            16,
            b"",
        ),
        seed1(
            c,
            t1(16, 18, 9, 393_290),
            Flags::ACK,
            1_337_950_298,
            3_859_826_075,
            1023,
            b"",
        ),
        seed1(
            c,
            t1(16, 18, 32, 768_012),
            Flags::FIN_ACK,
            1_337_950_298,
            3_859_826_075,
            1023,
            b"",
        ),
        seed1(
            s,
            t1(16, 18, 33, 57_948),
            Flags::ACK,
            3_859_826_075,
            1_337_950_299,
            16,
            b"",
        ),
    ]
}

/// `seed-github.pcapng`: seed 001, captured on the Windows client.
pub fn seed_github(path: &Path) -> io::Result<()> {
    let client = SocketAddr::new(IpAddr::V4(Ipv4Addr::new(166, 111, 8, 28)), 57_245);
    let server = SocketAddr::new(IpAddr::V4(Ipv4Addr::new(192, 30, 252, 153)), 80);
    let client_mac = [0x3c, 0x97, 0x0e, 0x5a, 0x21, 0xb8];
    let gateway_mac = [0x00, 0x1a, 0xa9, 0x17, 0x03, 0x41];
    // Windows 7 SYN layout; Linux answer with window scale 10.
    let syn_options = [
        TcpOptionElement::MaximumSegmentSize(1460),
        TcpOptionElement::Noop,
        TcpOptionElement::WindowScale(6),
        TcpOptionElement::Noop,
        TcpOptionElement::Noop,
        TcpOptionElement::SelectiveAcknowledgementPermitted,
    ];
    let syn_ack_options = [
        TcpOptionElement::MaximumSegmentSize(1436),
        TcpOptionElement::Noop,
        TcpOptionElement::Noop,
        TcpOptionElement::SelectiveAcknowledgementPermitted,
        TcpOptionElement::Noop,
        TcpOptionElement::WindowScale(10),
    ];
    // Windows counts IP IDs up globally; the server starts at 0 for its
    // SYN+ACK and then counts from a random point.
    let mut client_id: u16 = 0x2f1a;
    let mut server_id: u16 = 0x9b73;
    let mut frames = Vec::new();
    for p in seed1_packets() {
        let options: &[TcpOptionElement] = match (p.flags.syn, p.to_server) {
            (true, true) => &syn_options,
            (true, false) => &syn_ack_options,
            (false, _) => &[],
        };
        let ip_id = if p.to_server {
            client_id = client_id.wrapping_add(1);
            client_id
        } else if p.flags.syn {
            0
        } else {
            server_id = server_id.wrapping_add(1);
            server_id
        };
        let (src, dst, ttl, src_mac, dst_mac) = if p.to_server {
            (client, server, 128, client_mac, gateway_mac)
        } else {
            (server, client, 46, gateway_mac, client_mac)
        };
        let segment = Segment {
            src,
            dst,
            ttl,
            ip_id,
            flow_label: 0,
            flags: p.flags,
            seq: p.seq,
            ack: p.ack,
            window: p.win,
            options,
            payload: p.payload,
        };
        let hop = Hop {
            src_mac,
            dst_mac,
            outgoing: p.to_server,
        };
        let mut data = Vec::new();
        Link::Ethernet.frame(&hop, &segment, &mut data)?;
        frames.push(Frame {
            ts: p.time,
            data,
            interface: 0,
        });
    }
    write_pcapng_with_notes(path, &frames, notes::SEED_GITHUB)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_payloads_have_the_seed_lengths() {
        assert_eq!(GITHUB_REQUEST.len(), 361);
        assert_eq!(GITHUB_RESPONSE.len(), 223);
    }

    #[test]
    fn seed0_server_ts_clock_is_consistent() {
        // TS val - (ms of day at the server) is the same for every server
        // packet, the invented SYN+ACK included.
        for conn in [seed0_connection_1(), seed0_connection_2()] {
            for p in conn.packets.iter().filter(|p| p.dir == Dir::ToClient) {
                let ms_of_day = (p.at_server.as_millis() % 86_400_000) as u32;
                assert_eq!(p.ts_val.wrapping_sub(ms_of_day), 525_340_465);
            }
        }
    }
}

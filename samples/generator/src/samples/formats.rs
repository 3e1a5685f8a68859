//! Samples about capture formats rather than TCP behaviour: other network
//! and link layers, pcapng with two interfaces, truncated frames, and the
//! less common classic pcap headers.
//!
//! Each holds one or two ordinary, complete connections, so a reader that
//! handles the format shows a normal ladder.

use std::io;
use std::path::Path;
use std::time::Duration;

use pcap_file::{DataLink, Endianness, TsResolution};

use super::{at, http_get, http_ok, text, v4};
use crate::conversation::{Conversation, Endpoint, Side};
use crate::link::Link;
use crate::sink::{
    Frame, NgInterface, NgItem, PcapFormat, sort_by_time, write_pcap, write_pcapng,
    write_pcapng_with_notes,
};

use Side::{Client, Server};

/// A short HTTP fetch followed by a client-first close.
fn http_fetch(c: &mut Conversation, host: &str, path: &str, body: &[u8]) -> io::Result<()> {
    c.handshake()?;
    c.exchange(&http_get(host, path), &http_ok(body))?;
    c.wait_ms(5);
    c.close(Client)
}

/// A full connection over IPv6: handshake (MSS 1440), a page of about
/// 3 KB in three segments, and a normal close.
pub fn ipv6(path: &Path) -> io::Result<()> {
    let client_ip = "2001:db8:1::10".parse().map_err(io::Error::other)?;
    let server_ip = "2001:db8:2::20".parse().map_err(io::Error::other)?;
    let client = Endpoint::new(std::net::SocketAddr::new(client_ip, 58_122), 902_551_736);
    let server = Endpoint::new(std::net::SocketAddr::new(server_ip, 80), 2_418_005_519)
        .mac([0x00, 0x1b, 0x21, 0x3a, 0x4f, 0x10])
        .ttl(58)
        .windows(64_800, 507);
    let mut c = Conversation::new(client, server, at(10, 0, 0)).rtt_us(8_400);
    http_fetch(&mut c, "[2001:db8:2::20]", "/notes.txt", &text(3_000, 31))?;
    // It teaches TCP over IPv6 (the MSS), not a file format: pcapng with notes.
    write_pcapng_with_notes(path, &c.into_frames(), super::notes::IPV6)
}

/// Two connections on a trunk port: one tagged 802.1Q VLAN 100, one
/// double-tagged (QinQ: service tag 0x88a8 VLAN 200 outside, customer tag
/// 0x8100 VLAN 100 inside).
pub fn vlan(path: &Path) -> io::Result<()> {
    let mut frames = Vec::new();
    let runs = [
        (Link::Vlan { id: 100 }, v4(192, 168, 100, 10, 43_110), 0u64),
        (
            Link::QinQ {
                outer: 200,
                inner: 100,
            },
            v4(10, 200, 100, 10, 43_112),
            3_100,
        ),
    ];
    for (link, client_addr, offset_us) in runs {
        let server_addr = match client_addr.ip() {
            std::net::IpAddr::V4(ip) => {
                let o = ip.octets();
                v4(o[0], o[1], o[2], 20, 6379)
            }
            std::net::IpAddr::V6(_) => client_addr,
        };
        let client = Endpoint::new(client_addr, 1_730_000_000 + offset_us as u32 * 7);
        let server =
            Endpoint::new(server_addr, 2_950_000_000 - offset_us as u32 * 5).windows(65_160, 509);
        let start = at(11, 0, 0) + Duration::from_micros(offset_us);
        let mut c = Conversation::new(client, server, start)
            .link(link)
            .rtt_us(310);
        c.handshake()?;
        c.exchange(b"*1\r\n$4\r\nPING\r\n", b"+PONG\r\n")?;
        c.wait_ms(4);
        c.close(Client)?;
        frames.extend(c.into_frames());
    }
    sort_by_time(&mut frames);
    write_pcap(path, PcapFormat::default(), &frames)
}

/// One HTTP fetch captured with `tcpdump -i any` on the client, which
/// records a cooked header (packet type "outgoing" or "to us", the
/// sender's MAC) instead of Ethernet.
fn cooked(path: &Path, link: Link, start: Duration, client_port: u16) -> io::Result<()> {
    let client = Endpoint::new(v4(192, 168, 1, 10, client_port), 3_344_551_208);
    let server = Endpoint::new(v4(192, 168, 1, 20, 80), 1_209_733_460).windows(65_160, 509);
    let mut c = Conversation::new(client, server, start)
        .link(link)
        .rtt_us(450);
    http_fetch(
        &mut c,
        "192.168.1.20",
        "/hello.txt",
        b"hello from the cooked side\n",
    )?;
    let format = PcapFormat {
        datalink: link.datalink(),
        ..PcapFormat::default()
    };
    write_pcap(path, format, &c.into_frames())
}

/// Linux cooked capture v1 (link type 113).
pub fn linux_cooked(path: &Path) -> io::Result<()> {
    cooked(path, Link::LinuxSll, at(12, 0, 0), 36_998)
}

/// Linux cooked capture v2 (link type 276), interface index 2.
pub fn linux_cooked_v2(path: &Path) -> io::Result<()> {
    cooked(path, Link::LinuxSll2 { if_index: 2 }, at(13, 0, 0), 37_002)
}

/// pcapng with two interfaces: `eth0` (Ethernet, microsecond timestamps,
/// the default) and `tun0` (raw IPv4, link type 228, nanosecond timestamps
/// via `if_tsresol` = 9). One connection on each, interleaved in time, and
/// a Custom Block in the middle that readers must skip.
pub fn two_interfaces(path: &Path) -> io::Result<()> {
    let interfaces = [
        NgInterface {
            name: "eth0",
            description: "LAN, Ethernet, microsecond timestamps",
            datalink: DataLink::ETHERNET,
            nanoseconds: false,
        },
        NgInterface {
            name: "tun0",
            description: "VPN tunnel, raw IPv4, nanosecond timestamps",
            datalink: DataLink::IPV4,
            nanoseconds: true,
        },
    ];
    let client = Endpoint::new(v4(192, 168, 1, 10, 44_580), 2_057_332_190);
    let server = Endpoint::new(v4(192, 168, 1, 20, 80), 3_960_114_075).windows(65_160, 509);
    let mut lan = Conversation::new(client, server, at(14, 0, 0)).rtt_us(400);
    http_fetch(&mut lan, "192.168.1.20", "/", b"LAN says hi\n")?;

    let client = Endpoint::new(v4(10, 8, 0, 2, 50_516), 417_906_733);
    let server = Endpoint::new(v4(10, 8, 0, 1, 6379), 2_734_509_112).windows(65_160, 509);
    let start = at(14, 0, 0) + Duration::from_nanos(1_250_337);
    let mut vpn = Conversation::new(client, server, start)
        .link(Link::RawIpv4)
        .interface(1)
        .rtt_us(23_000);
    vpn.handshake()?;
    vpn.exchange(b"*1\r\n$4\r\nPING\r\n", b"+PONG\r\n")?;
    vpn.wait_ms(2);
    vpn.close(Client)?;

    let mut frames: Vec<Frame> = lan.into_frames();
    frames.extend(vpn.into_frames());
    sort_by_time(&mut frames);
    let mut items: Vec<NgItem> = frames
        .into_iter()
        .map(|f| NgItem::Frame(f, Vec::new()))
        .collect();
    let custom = NgItem::Custom {
        // 32473: the Private Enterprise Number reserved for documentation
        // (RFC 5612).
        pen: 32_473,
        data: b"tcp-ladder sample: a custom block; readers skip it".to_vec(),
    };
    items.insert(4.min(items.len()), custom);
    write_pcapng(path, "tcp-ladder make-samples", &interfaces, &items)
}

/// Captured with a snap length of 96 bytes: the 1448- and 1200-byte data
/// segments keep only their first 96 bytes (headers and a little payload),
/// while each record still says how long the packet really was.
pub fn snaplen_truncated(path: &Path) -> io::Result<()> {
    let client = Endpoint::new(v4(192, 168, 1, 10, 55_034), 3_120_487_661);
    let server = Endpoint::new(v4(192, 168, 1, 20, 9000), 708_441_379).windows(65_160, 509);
    let mut c = Conversation::new(client, server, at(15, 0, 0)).rtt_us(520);
    c.handshake()?;
    c.exchange(b"SEND report.txt\n", &text(4 * 1448 + 1200, 41))?;
    c.wait_ms(3);
    c.close(Server)?;
    let format = PcapFormat {
        snaplen: 96,
        ..PcapFormat::default()
    };
    write_pcap(path, format, &c.into_frames())
}

/// A small exchange in a pcap with nanosecond timestamps (magic
/// 0xa1b23c4d): the digits after the microseconds are not zero.
pub fn nanosecond(path: &Path) -> io::Result<()> {
    let client = Endpoint::new(v4(192, 168, 1, 10, 49_152), 1_357_924_680);
    let server = Endpoint::new(v4(192, 168, 1, 20, 7), 2_468_013_579).windows(65_160, 509);
    let start = at(16, 0, 0) + Duration::from_nanos(123_456_789);
    let mut c = Conversation::new(client, server, start).rtt_us(61);
    c.handshake()?;
    c.wait_ns(8_317);
    c.exchange(b"echo me\n", b"echo me\n")?;
    c.wait_ns(250_111);
    c.close(Client)?;
    let format = PcapFormat {
        resolution: TsResolution::NanoSecond,
        ..PcapFormat::default()
    };
    write_pcap(path, format, &c.into_frames())
}

/// A handshake and close in a pcap written big-endian (as SPARC or
/// PowerPC machines wrote them): magic bytes a1 b2 c3 d4 in file order.
pub fn big_endian(path: &Path) -> io::Result<()> {
    let client = Endpoint::new(v4(192, 168, 1, 10, 33_000), 4_110_220_330);
    let server = Endpoint::new(v4(192, 168, 1, 20, 22), 1_020_304_050).windows(65_160, 509);
    let mut c = Conversation::new(client, server, at(17, 0, 0)).rtt_us(390);
    c.handshake()?;
    c.step(
        Server,
        crate::segment::Flags::PSH_ACK,
        b"SSH-2.0-OpenSSH_9.6\r\n",
    )?;
    c.step(Client, crate::segment::Flags::ACK, b"")?;
    c.wait_ms(20);
    c.close(Client)?;
    let format = PcapFormat {
        endianness: Endianness::Big,
        ..PcapFormat::default()
    };
    write_pcap(path, format, &c.into_frames())
}

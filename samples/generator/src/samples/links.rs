//! Samples of the other link layers and encapsulations a student's capture
//! may come from (a DSL line, a serial link, a provider's MPLS core…), kept
//! in `samples/links/`. Each holds ordinary, complete connections, so a
//! reader that decodes the encapsulation shows a normal ladder; the
//! reference outputs of tcpdump and tshark for them are in
//! `tests/reference/links/`.

use std::io;
use std::net::SocketAddr;
use std::path::Path;
use std::time::Duration;

use super::{at, http_get, http_ok, text, v4};
use crate::conversation::{Conversation, Endpoint, Side};
use crate::link::{Ipv6Ext, Link, MplsLabel, Radio, TunnelKind, wlan_protected_frame};
use crate::sink::{Frame, PcapFormat, sort_by_time, write_pcap};

use Side::{Client, Server};

/// 2024-03-01 at `11:mm:ss` UTC: the hour of the link-layer samples.
fn at11(minute: u32, second: u32) -> Duration {
    at(0, 0, 0) + Duration::from_secs(3600 + u64::from(minute) * 60 + u64::from(second))
}

/// An HTTP fetch over `link`: handshake, GET, a reply of `body_len` bytes,
/// client-first close.
fn fetch(
    client: SocketAddr,
    server: SocketAddr,
    isns: (u32, u32),
    link: Link,
    start: Duration,
    body_len: usize,
) -> io::Result<Vec<Frame>> {
    let client = Endpoint::new(client, isns.0);
    let server = Endpoint::new(server, isns.1).windows(65_160, 509);
    let mut c = Conversation::new(client, server, start)
        .link(link)
        .rtt_us(9_800);
    c.handshake()?;
    c.exchange(
        &http_get("203.0.113.80", "/"),
        &http_ok(&text(body_len, u64::from(isns.0))),
    )?;
    c.wait_ms(3);
    c.close(Client)?;
    Ok(c.into_frames())
}

fn write(path: &Path, link: Link, frames: &[Frame]) -> io::Result<()> {
    let format = PcapFormat {
        datalink: link.datalink(),
        ..PcapFormat::default()
    };
    write_pcap(path, format, frames)
}

/// A DSL line: PPPoE session frames (0x8864) on plain Ethernet (session
/// 0x2d, IPv4), under one 802.1Q tag (IPv6 inside PPP) and under QinQ.
pub fn pppoe(path: &Path) -> io::Result<()> {
    let v6 = |s: &str, port: u16| -> io::Result<SocketAddr> {
        Ok(SocketAddr::new(s.parse().map_err(io::Error::other)?, port))
    };
    let runs = [
        (
            Link::Pppoe {
                session: 0x2d,
                vlans: &[],
            },
            v4(100, 64, 7, 21, 51_320),
            v4(203, 0, 113, 80, 80),
            0,
        ),
        (
            Link::Pppoe {
                session: 0x1f3,
                vlans: &[7],
            },
            v6("2001:db8:7::21", 51_322)?,
            v6("2001:db8:80::80", 80)?,
            1,
        ),
        (
            Link::Pppoe {
                session: 0x0a,
                vlans: &[300, 7],
            },
            v4(100, 64, 9, 4, 51_324),
            v4(203, 0, 113, 80, 80),
            2,
        ),
    ];
    let mut frames = Vec::new();
    for (link, client, server, n) in runs {
        let isns = (1_100_000_000 + n * 7_777, 2_200_000_000 - n * 5_555);
        frames.extend(fetch(client, server, isns, link, at11(0, n), 1_800)?);
    }
    sort_by_time(&mut frames);
    write(path, Link::Ethernet, &frames)
}

/// A serial or dial-up link with plain PPP framing (`link`: LINKTYPE_PPP 9
/// or LINKTYPE_PPP_HDLC 50).
fn ppp_link(path: &Path, link: Link, minute: u32, port: u16) -> io::Result<()> {
    let frames = fetch(
        v4(10, 64, 0, 2, port),
        v4(203, 0, 113, 80, 80),
        (3_300_000_000 + u32::from(port), 400_000_000),
        link,
        at11(minute, 0),
        2_400,
    )?;
    write(path, link, &frames)
}

/// PPP (LINKTYPE_PPP, 9).
pub fn ppp(path: &Path) -> io::Result<()> {
    ppp_link(path, Link::Ppp, 1, 40_001)
}

/// PPP in HDLC-like framing (LINKTYPE_PPP_HDLC, 50).
pub fn ppp_hdlc(path: &Path) -> io::Result<()> {
    ppp_link(path, Link::PppHdlc, 2, 40_002)
}

/// A router's serial interface: Cisco HDLC (LINKTYPE_C_HDLC, 104).
pub fn cisco_hdlc(path: &Path) -> io::Result<()> {
    ppp_link(path, Link::CiscoHdlc, 3, 40_003)
}

/// One connection seen at a provider edge: its frames come plain, 802.1Q
/// tagged, with one MPLS label and with a two-label stack over VLAN, all in
/// one file. It is one connection (tshark ignores the encapsulation).
pub fn mpls(path: &Path) -> io::Result<()> {
    const ONE: &[MplsLabel] = &[MplsLabel {
        label: 29,
        tc: 6,
        ttl: 255,
    }];
    const TWO: &[MplsLabel] = &[
        MplsLabel {
            label: 16_004,
            tc: 0,
            ttl: 62,
        },
        MplsLabel {
            label: 29,
            tc: 6,
            ttl: 255,
        },
    ];
    let links = [
        Link::Ethernet,
        Link::Vlan { id: 20 },
        Link::Mpls {
            vlans: &[],
            labels: ONE,
        },
        Link::Mpls {
            vlans: &[20],
            labels: TWO,
        },
    ];
    let client = Endpoint::new(v4(198, 51, 100, 7, 47_001), 911_000_001);
    let server = Endpoint::new(v4(203, 0, 113, 80, 443), 3_011_000_002).windows(65_160, 509);
    let mut c = Conversation::new(client, server, at11(4, 0)).rtt_us(14_200);
    let mut turn = 0usize;
    let mut next_link = |c: &mut Conversation| {
        c.set_link(links[turn % links.len()]);
        turn += 1;
    };
    next_link(&mut c);
    c.handshake()?;
    for i in 0..3u64 {
        next_link(&mut c);
        c.transfer(Client, &text(300, 40 + i))?;
        next_link(&mut c);
        c.transfer(Server, &text(1_200, 50 + i))?;
    }
    next_link(&mut c);
    c.close(Server)?;
    write(path, Link::Ethernet, &c.into_frames())
}

/// A laptop on Wi-Fi, captured in monitor mode: 802.11 data frames with
/// LLC/SNAP (the server's as QoS data), after the given radio header. Two
/// encrypted frames of another station are in the middle: they are counted
/// and reported, not decoded.
fn wifi(path: &Path, radio: Radio, minute: u32, port: u16) -> io::Result<()> {
    let client = Endpoint::new(v4(192, 168, 8, 23, port), 2_700_000_000 + u32::from(port));
    let server = Endpoint::new(v4(203, 0, 113, 80, 80), 120_000_000).windows(65_160, 509);
    let mut c = Conversation::new(client, server, at11(minute, 0))
        .link(Link::Wlan { radio, qos: false })
        .rtt_us(21_000);
    c.handshake()?;
    c.transfer(Client, &http_get("203.0.113.80", "/wifi"))?;
    c.set_link(Link::Wlan { radio, qos: true });
    c.transfer(Server, &http_ok(&text(1_500, 77)))?;
    c.set_link(Link::Wlan { radio, qos: false });
    c.close(Client)?;
    let mut frames = c.into_frames();
    for (i, sequence) in [(3usize, 1_200u16), (6, 1_201)] {
        let ts = frames.get(i).map(|f| f.ts).unwrap_or_default() + Duration::from_micros(300);
        let mut data = Vec::new();
        wlan_protected_frame(radio, sequence, 180, &mut data);
        frames.push(Frame {
            ts,
            data,
            interface: 0,
        });
    }
    sort_by_time(&mut frames);
    write(path, Link::Wlan { radio, qos: false }, &frames)
}

/// 802.11 with radiotap (LINKTYPE_IEEE802_11_RADIOTAP, 127).
pub fn wifi_radiotap(path: &Path) -> io::Result<()> {
    wifi(path, Radio::Radiotap, 5, 52_001)
}

/// Plain 802.11 (LINKTYPE_IEEE802_11, 105).
pub fn wifi_plain(path: &Path) -> io::Result<()> {
    wifi(path, Radio::None, 6, 52_002)
}

/// 802.11 with a PPI header (LINKTYPE_PPI, 192).
pub fn wifi_ppi(path: &Path) -> io::Result<()> {
    wifi(path, Radio::Ppi, 7, 52_003)
}

/// Packets logged by an iptables NFLOG rule (LINKTYPE_NFLOG, 239): an IPv4
/// and an IPv6 connection.
pub fn nflog(path: &Path) -> io::Result<()> {
    let v6 = |s: &str, port: u16| -> io::Result<SocketAddr> {
        Ok(SocketAddr::new(s.parse().map_err(io::Error::other)?, port))
    };
    let mut frames = fetch(
        v4(10, 0, 3, 15, 41_001),
        v4(203, 0, 113, 80, 80),
        (600_000_001, 700_000_002),
        Link::Nflog,
        at11(8, 0),
        900,
    )?;
    frames.extend(fetch(
        v6("2001:db8:3::15", 41_002)?,
        v6("2001:db8:80::80", 80)?,
        (800_000_003, 900_000_004),
        Link::Nflog,
        at11(8, 1),
        900,
    )?);
    sort_by_time(&mut frames);
    write(path, Link::Nflog, &frames)
}

/// Tunnels between two sites: the inner connections go through IP-in-IP,
/// 6in4, 4in6, GRE (with and without a key, over IPv4 and IPv6) and VXLAN.
/// The inner connection is the one shown; the outer addresses are those of
/// the tunnel end points.
pub fn tunnels(path: &Path) -> io::Result<()> {
    let ip = |s: &str| -> io::Result<std::net::IpAddr> { s.parse().map_err(io::Error::other) };
    let v6 = |s: &str, port: u16| -> io::Result<SocketAddr> { Ok(SocketAddr::new(ip(s)?, port)) };
    let (l4, r4) = (ip("198.51.100.1")?, ip("198.51.100.2")?);
    let (l6, r6) = (ip("2001:db8:ffff::1")?, ip("2001:db8:ffff::2")?);
    let runs: [(TunnelKind, std::net::IpAddr, std::net::IpAddr, bool); 7] = [
        (TunnelKind::IpInIp, l4, r4, false),
        (TunnelKind::IpInIp, l4, r4, true),
        (TunnelKind::IpInIp, l6, r6, false),
        (TunnelKind::Gre { key: None }, l4, r4, false),
        (TunnelKind::Gre { key: Some(42) }, l4, r4, true),
        (TunnelKind::Gre { key: None }, l6, r6, false),
        (TunnelKind::Vxlan { vni: 100 }, l4, r4, false),
    ];
    let mut frames = Vec::new();
    for (n, (kind, local, remote, inner_v6)) in runs.into_iter().enumerate() {
        let n16 = n as u16;
        let (client, server) = if inner_v6 {
            (
                v6("2001:db8:a::10", 43_000 + n16)?,
                v6("2001:db8:b::20", 80)?,
            )
        } else {
            (v4(10, 1, 0, 10, 43_000 + n16), v4(10, 2, 0, 20, 80))
        };
        let link = Link::Tunnel {
            local,
            remote,
            kind,
        };
        let isns = (
            1_500_000_000 + n as u32 * 1_111,
            2_500_000_000 + n as u32 * 3_333,
        );
        frames.extend(fetch(client, server, isns, link, at11(9, n as u32), 600)?);
    }
    sort_by_time(&mut frames);
    write(path, Link::Ethernet, &frames)
}

/// The last number disagreements: an IPv6 connection whose segments carry
/// a routing header (type 0), hop-by-hop options, destination options or an
/// authentication header, and an IPv4 connection captured on a host using
/// TCP segmentation offload (IPv4 total length 0).
pub fn ip_oddities(path: &Path) -> io::Result<()> {
    let v6 = |s: &str, port: u16| -> io::Result<SocketAddr> {
        Ok(SocketAddr::new(s.parse().map_err(io::Error::other)?, port))
    };
    let client = Endpoint::new(v6("2001:db8:c::1", 44_001)?, 321_000_000);
    let server = Endpoint::new(v6("2001:db8:d::2", 80)?, 654_000_000).windows(65_160, 509);
    let mut c = Conversation::new(client, server, at11(10, 0)).rtt_us(5_000);
    let exts = [
        Ipv6Ext::Routing0,
        Ipv6Ext::HopByHop,
        Ipv6Ext::DestinationOptions,
        Ipv6Ext::Authentication,
    ];
    let mut turn = 0usize;
    let mut next_link = |c: &mut Conversation| {
        let ext = exts[turn % exts.len()];
        c.set_link(Link::Ipv6Ext { ext });
        turn += 1;
    };
    next_link(&mut c);
    c.handshake()?;
    next_link(&mut c);
    c.transfer(Client, &http_get("[2001:db8:d::2]", "/"))?;
    next_link(&mut c);
    c.transfer(Server, &http_ok(&text(700, 91)))?;
    next_link(&mut c);
    c.close(Client)?;
    let mut frames = c.into_frames();

    let client = Endpoint::new(v4(192, 168, 20, 5, 44_002), 1_234_000_000);
    let server = Endpoint::new(v4(192, 168, 20, 6, 8080), 2_345_000_000).windows(65_160, 509);
    let mut c = Conversation::new(client, server, at11(10, 1)).rtt_us(300);
    c.handshake()?;
    c.transfer(Client, &http_get("192.168.20.6", "/big"))?;
    // The capturing host (the server) hands its large sends to the NIC whole.
    c.set_link(Link::TsoZeroLength);
    c.transfer(Server, &http_ok(&text(2_800, 92)))?;
    c.set_link(Link::Ethernet);
    c.close(Client)?;
    frames.extend(c.into_frames());
    sort_by_time(&mut frames);
    write(path, Link::Ethernet, &frames)
}

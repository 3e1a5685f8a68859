//! What the path changed between the two captures of one packet: the NAT's new
//! addresses and ports (said once per connection, as a mapping), an MSS clamped by a
//! router, a TTL or hop limit counted down, a window or options rewritten, checksums
//! recomputed.
//!
//! Each packet seen at both ends is compared field by field ([`compare`]); the connection
//! keeps the summary ([`Rewrites`]) that the summary pane and the JSON print.

use super::pair::{Both, PacketPair, Sender};
use crate::flow::Endpoint;
use crate::session::Session;

/// One field the path changed in one packet (the sender's value, then the receiver's).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "field", rename_all = "snake_case")]
pub enum Change {
    /// The MSS option was lowered (or raised) on the way.
    Mss {
        from: u16,
        to: u16,
    },
    /// The IPv4 TTL or IPv6 hop limit, counted down by the routers between.
    Ttl {
        from: u8,
        to: u8,
    },
    Window {
        from: u16,
        to: u16,
    },
    /// The TCP options other than the MSS value: their kinds in order, e.g.
    /// `mss,sackOK,TS,nop,wscale`.
    Options {
        from: String,
        to: String,
    },
}

/// What the path changed in one connection.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize)]
pub struct Rewrites {
    /// The client's address and port seen at its own end and at the server's, when they
    /// differ (a NAT in front of the client).
    pub client_mapped: Option<[Endpoint; 2]>,
    /// The server's, seen at the client's end and at its own (a NAT or port forward in
    /// front of the server).
    pub server_mapped: Option<[Endpoint; 2]>,
    /// Each distinct MSS change: who sent the packet, from → to, and the first packet
    /// (index into the connection's pairs) that showed it.
    pub mss: Vec<MssClamp>,
    /// TTL / hop limit decreases each way: (smallest, largest) number of hops.
    pub ttl_to_server: Option<(u8, u8)>,
    pub ttl_to_client: Option<(u8, u8)>,
    /// Packets whose window the path changed, each way (by sender).
    pub window_changed: Both<usize>,
    /// Packets whose options (besides the MSS value) the path changed, each way.
    pub options_changed: Both<usize>,
    /// Packets whose IP or TCP checksum differs (expected when addresses, ports or
    /// options were rewritten: the checksum covers them).
    pub checksums_recomputed: usize,
}

/// An MSS clamp seen on the way.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct MssClamp {
    pub sent_by: Sender,
    pub from: u16,
    pub to: u16,
}

impl Rewrites {
    /// Sum up the changes of every paired packet of a connection.
    pub fn of(
        packets: &[PacketPair],
        client_seen_as: [Endpoint; 2],
        server_seen_as: [Endpoint; 2],
    ) -> Rewrites {
        let mut r = Rewrites {
            client_mapped: (client_seen_as[0] != client_seen_as[1]).then_some(client_seen_as),
            server_mapped: (server_seen_as[0] != server_seen_as[1]).then_some(server_seen_as),
            ..Rewrites::default()
        };
        for p in packets {
            for change in &p.changes {
                match *change {
                    Change::Mss { from, to } => {
                        let clamp = MssClamp {
                            sent_by: p.from,
                            from,
                            to,
                        };
                        if !r.mss.contains(&clamp) {
                            r.mss.push(clamp);
                        }
                    }
                    Change::Ttl { from, to } => {
                        let hops = from.wrapping_sub(to);
                        let slot = if p.from == Sender::Client {
                            &mut r.ttl_to_server
                        } else {
                            &mut r.ttl_to_client
                        };
                        *slot = Some(
                            slot.map_or((hops, hops), |(lo, hi)| (lo.min(hops), hi.max(hops))),
                        );
                    }
                    Change::Window { .. } => r.window_changed[p.from] += 1,
                    Change::Options { .. } => r.options_changed[p.from] += 1,
                }
            }
        }
        r.checksums_recomputed = packets.iter().filter(|p| p.checksums_differ).count();
        r
    }

    /// Nothing but the addresses changed (or nothing at all).
    pub fn only_addresses(&self) -> bool {
        self.mss.is_empty()
            && self.ttl_to_server.is_none()
            && self.ttl_to_client.is_none()
            && self.window_changed == Both::default()
            && self.options_changed == Both::default()
    }
}

/// The headers of one copy that the path may change.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Headers {
    /// `10.0.0.1:48096` (the sender), `198.51.100.2:8888` (the receiver), as this copy
    /// carries them.
    pub src: String,
    pub dst: String,
    pub mss: Option<u16>,
    pub ttl: u8,
    pub window: u16,
    pub option_kinds: String,
    pub ip_checksum: Option<u16>,
    pub tcp_checksum: u16,
}

/// Read the changeable headers of packet `index` of `session` (re-reading its frame).
pub fn headers(session: &Session, index: u32) -> Option<Headers> {
    let p = session.packets.get(index as usize)?;
    session
        .with_decoded(p, |frame, decoded| {
            let ip = decoded.ip.as_ref()?;
            let tcp = decoded.tcp()?;
            let ip_checksum = (ip.version == 4).then(|| {
                let at = ip.offset + 10;
                frame
                    .data
                    .get(at..at + 2)
                    .and_then(|b| <[u8; 2]>::try_from(b).ok())
                    .map_or(0, u16::from_be_bytes)
            });
            let option_kinds = crate::decode::walk_options(tcp.options)
                .map(|item| crate::decode::option_name(item.kind))
                .collect::<Vec<_>>()
                .join(",");
            let endpoint = |addr: std::net::IpAddr, port: u16| Endpoint { addr, port }.to_string();
            Some(Headers {
                src: endpoint(ip.src, tcp.sport),
                dst: endpoint(ip.dst, tcp.dport),
                mss: session.options(p).mss,
                ttl: ip.ttl,
                window: tcp.window,
                option_kinds,
                ip_checksum,
                tcp_checksum: tcp.checksum,
            })
        })
        .flatten()
}

/// What changed between the sender's copy and the receiver's copy, and whether their
/// checksums differ.
pub fn compare(
    sender: &Session,
    sent: u32,
    receiver: &Session,
    received: u32,
) -> (Vec<Change>, bool) {
    let (Some(a), Some(b)) = (headers(sender, sent), headers(receiver, received)) else {
        return (Vec::new(), false);
    };
    let mut changes = Vec::new();
    if let (Some(from), Some(to)) = (a.mss, b.mss)
        && from != to
    {
        changes.push(Change::Mss { from, to });
    }
    if a.ttl != b.ttl {
        changes.push(Change::Ttl {
            from: a.ttl,
            to: b.ttl,
        });
    }
    if a.window != b.window {
        changes.push(Change::Window {
            from: a.window,
            to: b.window,
        });
    }
    if a.option_kinds != b.option_kinds {
        changes.push(Change::Options {
            from: a.option_kinds,
            to: b.option_kinds,
        });
    }
    let checksums = a.ip_checksum != b.ip_checksum || a.tcp_checksum != b.tcp_checksum;
    (changes, checksums)
}

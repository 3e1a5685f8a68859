//! The header-field tree shown in the details pane: every field's name, value as text,
//! and its byte range in the frame (to highlight it in the hex view).
//! Built on demand for the one selected frame, from the offsets [`super::decode`] found.
//! The relative numbers come from the flow stage and are passed in, so that the sequence
//! number reads "1 (relative), raw 734888646" as the brief asks.

use super::link::{LinkLayer, RadioHeader};
use super::net::{Fragment, IpHeader};
use super::tcp::{TcpFlags, TcpView, WindowScale, walk_options};
use super::{Decoded, Shim, Shims, Transport, be16, be32, u8_at};
use crate::capture::Frame;

/// One node of the tree.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct FieldNode {
    pub name: String,
    pub value: String,
    /// Byte offset in the frame and length (0 for summary nodes without bytes).
    pub offset: usize,
    pub len: usize,
    pub children: Vec<FieldNode>,
}

impl FieldNode {
    pub fn leaf(
        name: impl Into<String>,
        value: impl Into<String>,
        offset: usize,
        len: usize,
    ) -> FieldNode {
        FieldNode {
            name: name.into(),
            value: value.into(),
            offset,
            len,
            children: Vec::new(),
        }
    }

    pub fn branch(
        name: impl Into<String>,
        value: impl Into<String>,
        offset: usize,
        len: usize,
        children: Vec<FieldNode>,
    ) -> FieldNode {
        FieldNode {
            name: name.into(),
            value: value.into(),
            offset,
            len,
            children,
        }
    }

    /// Depth-first search by name (tests and the UI use it).
    pub fn find(&self, name: &str) -> Option<&FieldNode> {
        if self.name == name {
            return Some(self);
        }
        self.children.iter().find_map(|c| c.find(name))
    }
}

/// Wireshark-style relative numbers for the TCP node (from the flow stage).
#[derive(Clone, Copy, Debug, Default)]
pub struct RelativeNumbers {
    pub seq: u32,
    /// `None` when the ACK flag is clear.
    pub ack: Option<u32>,
    pub stream: u32,
    /// How the sender's windows are scaled (from its connection's SYNs).
    pub window_scale: WindowScale,
}

/// The field tree of a decoded frame: Frame, link layer, IP, TCP.
pub fn field_tree(
    frame: &Frame<'_>,
    decoded: &Decoded<'_>,
    relative: Option<RelativeNumbers>,
) -> Vec<FieldNode> {
    let data = frame.data;
    let mut tree = vec![frame_node(frame)];
    if let Some(node) = link_node(&decoded.link, data) {
        tree.push(node);
    }
    tree.extend(shim_nodes(&decoded.shims, data));
    if let Some(ip) = &decoded.ip {
        tree.push(ip_node(ip, data));
    }
    match &decoded.transport {
        Some(Transport::Tcp(tcp)) => tree.push(tcp_node(tcp, data, relative)),
        Some(Transport::BrokenTcp { offset, ports }) => {
            let value = match ports {
                Some((s, d)) => {
                    format!("Src Port: {s}, Dst Port: {d} — header cut short or invalid")
                }
                None => "header cut short".to_string(),
            };
            let len = data.len().saturating_sub(*offset);
            tree.push(FieldNode::leaf(
                "Transmission Control Protocol",
                value,
                *offset,
                len,
            ));
        }
        Some(Transport::Udp { sport, dport }) => {
            let at = decoded.ip.map(|ip| ip.offset + ip.header_len).unwrap_or(0);
            tree.push(FieldNode::leaf(
                "User Datagram Protocol",
                format!("Src Port: {sport}, Dst Port: {dport}"),
                at,
                8,
            ));
        }
        _ => {}
    }
    let notes: Vec<FieldNode> = decoded
        .notes
        .iter()
        .map(|n| FieldNode::leaf("Note", n.describe(), 0, 0))
        .collect();
    if !notes.is_empty() {
        tree.push(FieldNode::branch(
            "Problems",
            format!("{}", notes.len()),
            0,
            0,
            notes,
        ));
    }
    tree
}

fn frame_node(frame: &Frame<'_>) -> FieldNode {
    let captured = frame.data.len();
    let wire = frame.original_len as usize;
    let time = chrono::DateTime::from_timestamp(frame.ts.secs, frame.ts.nanos)
        .map(|t| t.format("%Y-%m-%d %H:%M:%S%.9f UTC").to_string())
        .unwrap_or_else(|| "out of range".to_string());
    FieldNode::branch(
        format!("Frame {}", frame.number),
        format!("{wire} bytes on wire, {captured} bytes captured"),
        0,
        captured,
        vec![
            FieldNode::leaf("Arrival time", time, 0, 0),
            FieldNode::leaf(
                "Epoch time",
                format!("{}.{:09} seconds", frame.ts.secs, frame.ts.nanos),
                0,
                0,
            ),
            FieldNode::leaf("Frame length", format!("{wire} bytes"), 0, 0),
            FieldNode::leaf("Capture length", format!("{captured} bytes"), 0, 0),
            FieldNode::leaf("Link type", frame.link.to_string(), 0, 0),
        ],
    )
}

fn mac(data: &[u8], at: usize) -> String {
    data.get(at..at + 6)
        .map(|m| {
            m.iter()
                .map(|b| format!("{b:02x}"))
                .collect::<Vec<_>>()
                .join(":")
        })
        .unwrap_or_default()
}

fn ethertype_name(t: u16) -> String {
    match t {
        0x0800 => "IPv4 (0x0800)".into(),
        0x86dd => "IPv6 (0x86dd)".into(),
        0x0806 => "ARP (0x0806)".into(),
        0x8100 => "802.1Q VLAN (0x8100)".into(),
        0x88a8 => "802.1ad QinQ (0x88a8)".into(),
        0x8864 => "PPPoE Session (0x8864)".into(),
        0x8847 => "MPLS label switched packet (0x8847)".into(),
        0x8848 => "MPLS multicast label switched packet (0x8848)".into(),
        other => format!("0x{other:04x}"),
    }
}

fn link_node(link: &LinkLayer, data: &[u8]) -> Option<FieldNode> {
    Some(match *link {
        LinkLayer::Ethernet {
            vlans,
            ethertype,
            header_len,
            ..
        } => {
            let mut children = vec![
                FieldNode::leaf("Destination", mac(data, 0), 0, 6),
                FieldNode::leaf("Source", mac(data, 6), 6, 6),
            ];
            let mut at = 12;
            for tag in vlans.iter().flatten() {
                children.push(FieldNode::branch(
                    "802.1Q Virtual LAN",
                    format!("ID: {}, PRI: {}", tag.id, tag.priority),
                    at,
                    4,
                    vec![
                        FieldNode::leaf("Tag protocol", ethertype_name(tag.tpid), at, 2),
                        FieldNode::leaf("Priority", tag.priority.to_string(), at + 2, 1),
                        FieldNode::leaf("VLAN ID", tag.id.to_string(), at + 2, 2),
                    ],
                ));
                at += 4;
            }
            children.push(FieldNode::leaf(
                "Type",
                ethertype_name(ethertype),
                header_len - 2,
                2,
            ));
            FieldNode::branch(
                "Ethernet II",
                format!("Src: {}, Dst: {}", mac(data, 6), mac(data, 0)),
                0,
                header_len,
                children,
            )
        }
        LinkLayer::Sll {
            packet_type,
            ethertype,
        } => FieldNode::branch(
            "Linux cooked capture v1",
            sll_packet_type(packet_type),
            0,
            16,
            vec![
                FieldNode::leaf("Packet type", sll_packet_type(packet_type), 0, 2),
                FieldNode::leaf(
                    "Link-layer address type",
                    be16(data, 2).unwrap_or(0).to_string(),
                    2,
                    2,
                ),
                FieldNode::leaf(
                    "Link-layer address length",
                    be16(data, 4).unwrap_or(0).to_string(),
                    4,
                    2,
                ),
                FieldNode::leaf("Source", mac(data, 6), 6, 8),
                FieldNode::leaf("Protocol", ethertype_name(ethertype), 14, 2),
            ],
        ),
        LinkLayer::Sll2 {
            ethertype,
            ifindex,
            packet_type,
        } => FieldNode::branch(
            "Linux cooked capture v2",
            format!(
                "interface {ifindex}, {}",
                sll_packet_type(u16::from(packet_type))
            ),
            0,
            20,
            vec![
                FieldNode::leaf("Protocol", ethertype_name(ethertype), 0, 2),
                FieldNode::leaf("Interface index", ifindex.to_string(), 4, 4),
                FieldNode::leaf(
                    "Link-layer address type",
                    be16(data, 8).unwrap_or(0).to_string(),
                    8,
                    2,
                ),
                FieldNode::leaf(
                    "Packet type",
                    sll_packet_type(u16::from(packet_type)),
                    10,
                    1,
                ),
                FieldNode::leaf(
                    "Link-layer address length",
                    u8_at(data, 11).unwrap_or(0).to_string(),
                    11,
                    1,
                ),
                FieldNode::leaf("Source", mac(data, 12), 12, 8),
            ],
        ),
        LinkLayer::Null {
            family, header_len, ..
        } => FieldNode::branch(
            "Null/Loopback",
            format!("Family: {family}"),
            0,
            header_len,
            vec![FieldNode::leaf("Family", family.to_string(), 0, 4)],
        ),
        LinkLayer::Ppp {
            protocol,
            header_len,
            ..
        } => FieldNode::branch(
            "Point-to-Point Protocol",
            format!("Protocol: {}", ppp_protocol_name(protocol)),
            0,
            header_len,
            vec![FieldNode::leaf(
                "Protocol",
                ppp_protocol_name(protocol),
                header_len.saturating_sub(2),
                2.min(header_len),
            )],
        ),
        LinkLayer::CiscoHdlc { address, ethertype } => FieldNode::branch(
            "Cisco HDLC",
            format!("Protocol: {}", ethertype_name(ethertype)),
            0,
            4,
            vec![
                FieldNode::leaf(
                    "Address",
                    match address {
                        0x0f => "Unicast (0x0f)".to_string(),
                        0x8f => "Broadcast (0x8f)".to_string(),
                        other => format!("0x{other:02x}"),
                    },
                    0,
                    1,
                ),
                FieldNode::leaf("Protocol", ethertype_name(ethertype), 2, 2),
            ],
        ),
        LinkLayer::Ieee80211 {
            radio_len,
            radio,
            frame_control,
            mac_header_len,
            protected,
            header_len,
            ethertype,
        } => {
            let mut children = Vec::new();
            match radio {
                RadioHeader::Radiotap => children.push(FieldNode::leaf(
                    "Radiotap header",
                    format!("{radio_len} bytes"),
                    0,
                    radio_len,
                )),
                RadioHeader::Ppi => children.push(FieldNode::leaf(
                    "PPI header",
                    format!("{radio_len} bytes"),
                    0,
                    radio_len,
                )),
                RadioHeader::None => {}
            }
            let [fc0, fc1] = frame_control;
            let kind = match (fc0 >> 2) & 3 {
                0 => "Management",
                1 => "Control",
                2 if fc0 & 0x80 != 0 => "QoS Data",
                2 => "Data",
                _ => "Extension",
            };
            let at = radio_len;
            children.push(FieldNode::leaf(
                "Frame Control",
                format!("0x{fc0:02x}{fc1:02x}: {kind}, subtype {}", fc0 >> 4),
                at,
                2,
            ));
            children.push(FieldNode::leaf(
                "Flags",
                format!(
                    "to DS: {}, from DS: {}, protected: {}",
                    fc1 & 1,
                    (fc1 >> 1) & 1,
                    u8::from(protected)
                ),
                at + 1,
                1,
            ));
            for (i, name) in ["Address 1", "Address 2", "Address 3"].iter().enumerate() {
                children.push(FieldNode::leaf(
                    *name,
                    mac(data, at + 4 + 6 * i),
                    at + 4 + 6 * i,
                    6,
                ));
            }
            if ethertype != 0 {
                children.push(FieldNode::leaf(
                    "LLC/SNAP type",
                    ethertype_name(ethertype),
                    header_len.saturating_sub(2),
                    2,
                ));
            }
            let name = match radio {
                RadioHeader::Radiotap => "IEEE 802.11 (with radiotap)",
                RadioHeader::Ppi => "IEEE 802.11 (with PPI)",
                RadioHeader::None => "IEEE 802.11",
            };
            let value = if protected {
                format!("{kind}, protected (encrypted: not decoded)")
            } else {
                kind.to_string()
            };
            FieldNode::branch(
                name,
                value,
                0,
                header_len.max(radio_len + mac_header_len),
                children,
            )
        }
        LinkLayer::Nflog {
            family,
            resource_id,
            header_len,
            ..
        } => FieldNode::branch(
            "Linux Netfilter NFLOG",
            format!("Family: {family}, resource ID: {resource_id}"),
            0,
            header_len,
            vec![
                FieldNode::leaf(
                    "Family",
                    match family {
                        2 => "IPv4 (2)".to_string(),
                        10 => "IPv6 (10)".to_string(),
                        other => other.to_string(),
                    },
                    0,
                    1,
                ),
                FieldNode::leaf("Resource ID", resource_id.to_string(), 2, 2),
            ],
        ),
        LinkLayer::Raw { .. } => return None,
        LinkLayer::Unsupported(link) => {
            FieldNode::leaf("Link layer", format!("{link}: not decoded"), 0, data.len())
        }
        LinkLayer::Truncated(link) => FieldNode::leaf(
            "Link layer",
            format!("{link}: header cut short"),
            0,
            data.len(),
        ),
    })
}

fn ppp_protocol_name(p: u16) -> String {
    match p {
        0x0021 => "Internet Protocol version 4 (0x0021)".into(),
        0x0057 => "Internet Protocol version 6 (0x0057)".into(),
        other => format!("0x{other:04x}"),
    }
}

/// One node per encapsulation layer (PPPoE, each MPLS label), outermost first.
fn shim_nodes(shims: &Shims, data: &[u8]) -> Vec<FieldNode> {
    shims
        .iter()
        .map(|shim| {
            let (offset, len) = shim.span();
            match *shim {
                Shim::Pppoe {
                    version_type,
                    code,
                    session,
                    length,
                    ppp_protocol,
                    ..
                } => FieldNode::branch(
                    "PPP-over-Ethernet Session",
                    format!(
                        "Session ID: 0x{session:04x}, {}",
                        ppp_protocol_name(ppp_protocol)
                    ),
                    offset,
                    len,
                    vec![
                        FieldNode::leaf("Version", (version_type >> 4).to_string(), offset, 1),
                        FieldNode::leaf("Type", (version_type & 0x0f).to_string(), offset, 1),
                        FieldNode::leaf(
                            "Code",
                            format!("Session Data (0x{code:02x})"),
                            offset + 1,
                            1,
                        ),
                        FieldNode::leaf("Session ID", format!("0x{session:04x}"), offset + 2, 2),
                        FieldNode::leaf("Payload Length", length.to_string(), offset + 4, 2),
                        FieldNode::leaf(
                            "PPP Protocol",
                            ppp_protocol_name(ppp_protocol),
                            offset + 6,
                            2,
                        ),
                    ],
                ),
                Shim::Mpls {
                    label,
                    tc,
                    bottom,
                    ttl,
                    ..
                } => FieldNode::branch(
                    "MultiProtocol Label Switching Header",
                    format!(
                        "Label: {label}, Exp: {tc}, S: {}, TTL: {ttl}",
                        u8::from(bottom)
                    ),
                    offset,
                    len,
                    vec![
                        FieldNode::leaf("MPLS Label", label.to_string(), offset, 3),
                        FieldNode::leaf("MPLS Traffic Class", tc.to_string(), offset + 2, 1),
                        FieldNode::leaf(
                            "MPLS Bottom Of Label Stack",
                            u8::from(bottom).to_string(),
                            offset + 2,
                            1,
                        ),
                        FieldNode::leaf("MPLS TTL", ttl.to_string(), offset + 3, 1),
                    ],
                ),
                Shim::OuterIp(ip) => {
                    let mut node = ip_node(&ip, data);
                    node.name = format!("{} (tunnel, outer header)", node.name);
                    node
                }
                Shim::Gre {
                    flags_version,
                    protocol,
                    key,
                    sequence,
                    ..
                } => {
                    let mut children = vec![
                        FieldNode::leaf(
                            "Flags and Version",
                            format!("0x{flags_version:04x}"),
                            offset,
                            2,
                        ),
                        FieldNode::leaf("Protocol Type", ethertype_name(protocol), offset + 2, 2),
                    ];
                    if let Some(key) = key {
                        children.push(FieldNode::leaf("Key", format!("0x{key:08x}"), offset, 0));
                    }
                    if let Some(seq) = sequence {
                        children.push(FieldNode::leaf(
                            "Sequence Number",
                            seq.to_string(),
                            offset,
                            0,
                        ));
                    }
                    FieldNode::branch(
                        "Generic Routing Encapsulation",
                        ethertype_name(protocol),
                        offset,
                        len,
                        children,
                    )
                }
                Shim::Vxlan {
                    sport,
                    dport,
                    flags,
                    vni,
                    ..
                } => FieldNode::branch(
                    "Virtual eXtensible Local Area Network",
                    format!("UDP {sport} → {dport}, VNI: {vni}"),
                    offset,
                    len,
                    vec![
                        FieldNode::leaf("UDP Src Port", sport.to_string(), offset, 2),
                        FieldNode::leaf("UDP Dst Port", dport.to_string(), offset + 2, 2),
                        FieldNode::leaf("VXLAN Flags", format!("0x{flags:02x}"), offset + 8, 1),
                        FieldNode::leaf(
                            "VXLAN Network Identifier",
                            vni.to_string(),
                            offset + 12,
                            3,
                        ),
                    ],
                ),
                Shim::InnerEthernet { ethertype, .. } => FieldNode::branch(
                    "Ethernet II (inside the tunnel)",
                    format!("Src: {}, Dst: {}", mac(data, offset + 6), mac(data, offset)),
                    offset,
                    len,
                    vec![
                        FieldNode::leaf("Destination", mac(data, offset), offset, 6),
                        FieldNode::leaf("Source", mac(data, offset + 6), offset + 6, 6),
                        FieldNode::leaf(
                            "Type",
                            ethertype_name(ethertype),
                            (offset + len).saturating_sub(2),
                            2,
                        ),
                    ],
                ),
            }
        })
        .collect()
}

fn sll_packet_type(t: u16) -> String {
    match t {
        0 => "Unicast to us (0)".into(),
        1 => "Broadcast (1)".into(),
        2 => "Multicast (2)".into(),
        3 => "Unicast to another host (3)".into(),
        4 => "Sent by us (4)".into(),
        other => other.to_string(),
    }
}

fn protocol_name(p: u8) -> String {
    match p {
        6 => "TCP (6)".into(),
        17 => "UDP (17)".into(),
        1 => "ICMP (1)".into(),
        58 => "ICMPv6 (58)".into(),
        other => other.to_string(),
    }
}

fn ip_node(ip: &IpHeader, data: &[u8]) -> FieldNode {
    let at = ip.offset;
    if ip.version == 4 {
        let tos = u8_at(data, at + 1).unwrap_or(0);
        let frag = be16(data, at + 6).unwrap_or(0);
        let total = be16(data, at + 2).unwrap_or(0);
        let mut children = vec![
            FieldNode::leaf("Version", "4", at, 1),
            FieldNode::leaf(
                "Header length",
                format!("{} bytes ({})", ip.header_len, ip.header_len / 4),
                at,
                1,
            ),
            FieldNode::leaf(
                "Differentiated services",
                format!("0x{tos:02x} (DSCP {}, ECN {})", tos >> 2, tos & 3),
                at + 1,
                1,
            ),
            FieldNode::leaf("Total length", total.to_string(), at + 2, 2),
            FieldNode::leaf(
                "Identification",
                format!("0x{:04x} ({})", ip.id, ip.id),
                at + 4,
                2,
            ),
            FieldNode::branch(
                "Flags",
                format!("0x{:x}", frag >> 13),
                at + 6,
                1,
                vec![
                    FieldNode::leaf("Don't fragment", set(frag & 0x4000 != 0), at + 6, 1),
                    FieldNode::leaf("More fragments", set(frag & 0x2000 != 0), at + 6, 1),
                ],
            ),
            FieldNode::leaf(
                "Fragment offset",
                format!("{} bytes", u32::from(frag & 0x1fff) * 8),
                at + 6,
                2,
            ),
            FieldNode::leaf("Time to live", ip.ttl.to_string(), at + 8, 1),
            FieldNode::leaf("Protocol", protocol_name(ip.protocol), at + 9, 1),
            FieldNode::leaf(
                "Header checksum",
                format!("0x{:04x}", be16(data, at + 10).unwrap_or(0)),
                at + 10,
                2,
            ),
            FieldNode::leaf("Source address", ip.src.to_string(), at + 12, 4),
            FieldNode::leaf("Destination address", ip.dst.to_string(), at + 16, 4),
        ];
        if ip.header_len > 20 {
            children.push(FieldNode::leaf(
                "Options",
                format!("{} bytes", ip.header_len - 20),
                at + 20,
                ip.header_len - 20,
            ));
        }
        if ip.fragment != Fragment::Whole {
            children.push(FieldNode::leaf(
                "Fragment",
                "this packet is an IP fragment (not reassembled)",
                at + 6,
                2,
            ));
        }
        return FieldNode::branch(
            "Internet Protocol Version 4",
            format!("Src: {}, Dst: {}", ip.src, ip.dst),
            at,
            ip.header_len,
            children,
        );
    }
    let first = be32(data, at).unwrap_or(0);
    let mut children = vec![
        FieldNode::leaf("Version", "6", at, 1),
        FieldNode::leaf(
            "Traffic class",
            format!("0x{:02x}", (first >> 20) & 0xff),
            at,
            2,
        ),
        FieldNode::leaf(
            "Flow label",
            format!("0x{:05x}", first & 0xfffff),
            at + 1,
            3,
        ),
        FieldNode::leaf(
            "Payload length",
            be16(data, at + 4).unwrap_or(0).to_string(),
            at + 4,
            2,
        ),
        FieldNode::leaf(
            "Next header",
            protocol_name(u8_at(data, at + 6).unwrap_or(0)),
            at + 6,
            1,
        ),
        FieldNode::leaf("Hop limit", ip.ttl.to_string(), at + 7, 1),
        FieldNode::leaf("Source address", ip.src.to_string(), at + 8, 16),
        FieldNode::leaf("Destination address", ip.dst.to_string(), at + 24, 16),
    ];
    if ip.extension_count > 0 {
        let names: Vec<String> = ip
            .extensions
            .iter()
            .take(usize::from(ip.extension_count))
            .map(|e| match e {
                0 => "Hop-by-hop options".to_string(),
                43 => "Routing".to_string(),
                44 => "Fragment".to_string(),
                60 => "Destination options".to_string(),
                51 => "Authentication".to_string(),
                other => format!("header {other}"),
            })
            .collect();
        children.push(FieldNode::leaf(
            "Extension headers",
            names.join(", "),
            at + 40,
            ip.header_len - 40,
        ));
    }
    FieldNode::branch(
        "Internet Protocol Version 6",
        format!("Src: {}, Dst: {}", ip.src, ip.dst),
        at,
        ip.header_len,
        children,
    )
}

/// The window as Wireshark's tree shows it: the raw field, the window it means
/// ("Calculated window size") and the scaling factor, or why there is none. A SYN's
/// window is never scaled, so it has no factor.
fn window_nodes(tcp: &TcpView<'_>, scale: Option<WindowScale>, at: usize) -> Vec<FieldNode> {
    let raw = tcp.window;
    let mut nodes = vec![FieldNode::leaf("Window", raw.to_string(), at, 2)];
    let Some(scale) = scale else {
        return nodes;
    };
    let (calculated, factor) = match scale {
        _ if tcp.flags.syn() => (u64::from(raw), None),
        WindowScale::Shift(shift) => (
            u64::from(raw) << shift.min(14),
            Some((1u32 << shift.min(14)).to_string()),
        ),
        WindowScale::Unknown => (
            u64::from(raw),
            Some("-1 (unknown: the sender's SYN was not captured)".to_string()),
        ),
        WindowScale::NotUsed => (
            u64::from(raw),
            Some("-2 (no window scaling used)".to_string()),
        ),
    };
    nodes.push(FieldNode::leaf(
        "Calculated window size",
        calculated.to_string(),
        0,
        0,
    ));
    if let Some(factor) = factor {
        nodes.push(FieldNode::leaf("Window size scaling factor", factor, 0, 0));
    }
    nodes
}

fn set(b: bool) -> String {
    if b { "Set".into() } else { "Not set".into() }
}

fn tcp_node(tcp: &TcpView<'_>, data: &[u8], rel: Option<RelativeNumbers>) -> FieldNode {
    let at = tcp.offset;
    let f = tcp.flags;
    let mut children = vec![
        FieldNode::leaf("Source port", tcp.sport.to_string(), at, 2),
        FieldNode::leaf("Destination port", tcp.dport.to_string(), at + 2, 2),
    ];
    if let Some(r) = rel {
        children.push(FieldNode::leaf("Stream index", r.stream.to_string(), 0, 0));
    }
    let seq = match rel {
        Some(r) => format!("{} (relative), raw {}", r.seq, tcp.seq),
        None => tcp.seq.to_string(),
    };
    children.push(FieldNode::leaf("Sequence number", seq, at + 4, 4));
    if tcp.payload_len > 0 || f.syn() || f.fin() {
        let next = tcp.seq.wrapping_add(f.sequence_space(tcp.payload_len));
        let value = match rel {
            Some(r) => format!(
                "{} (relative), raw {next}",
                next.wrapping_sub(tcp.seq).wrapping_add(r.seq)
            ),
            None => next.to_string(),
        };
        children.push(FieldNode::leaf("Next sequence number", value, 0, 0));
    }
    let ack = match (rel.and_then(|r| r.ack), f.ack()) {
        (Some(a), true) => format!("{a} (relative), raw {}", tcp.ack),
        (_, true) => tcp.ack.to_string(),
        (_, false) => format!("{} (not used: the ACK flag is not set)", tcp.ack),
    };
    children.push(FieldNode::leaf("Acknowledgment number", ack, at + 8, 4));
    children.push(FieldNode::leaf(
        "Header length",
        format!("{} bytes ({})", tcp.header_len, tcp.header_len / 4),
        at + 12,
        1,
    ));
    const BITS: [(u16, &str); 9] = [
        (TcpFlags::AE, "Accurate ECN (AE)"),
        (TcpFlags::CWR, "Congestion window reduced (CWR)"),
        (TcpFlags::ECE, "ECN-Echo (ECE)"),
        (TcpFlags::URG, "Urgent (URG)"),
        (TcpFlags::ACK, "Acknowledgment (ACK)"),
        (TcpFlags::PSH, "Push (PSH)"),
        (TcpFlags::RST, "Reset (RST)"),
        (TcpFlags::SYN, "Syn (SYN)"),
        (TcpFlags::FIN, "Fin (FIN)"),
    ];
    let flag_children = BITS
        .iter()
        .map(|(bit, name)| {
            FieldNode::leaf(
                *name,
                set(f.has(*bit)),
                at + if *bit == TcpFlags::AE { 12 } else { 13 },
                1,
            )
        })
        .collect();
    children.push(FieldNode::branch(
        "Flags",
        format!("0x{:03x} ({})", f.0, f.words()),
        at + 12,
        2,
        flag_children,
    ));
    children.extend(window_nodes(tcp, rel.map(|r| r.window_scale), at + 14));
    children.push(FieldNode::leaf(
        "Checksum",
        format!("0x{:04x} (not verified)", tcp.checksum),
        at + 16,
        2,
    ));
    children.push(FieldNode::leaf(
        "Urgent pointer",
        tcp.urgent.to_string(),
        at + 18,
        2,
    ));
    if tcp.header_len > 20 {
        let options: Vec<FieldNode> = walk_options(tcp.options)
            .map(|item| {
                let opt = item.parse();
                let mut value = opt.value_text();
                if let Some(problem) = item.problem {
                    value = format!("{value} ({problem:?})");
                }
                FieldNode::leaf(
                    opt.name(),
                    value,
                    at + 20 + item.offset,
                    usize::from(item.len).max(1),
                )
            })
            .collect();
        children.push(FieldNode::branch(
            "Options",
            format!("{} bytes", tcp.header_len - 20),
            at + 20,
            tcp.header_len - 20,
            options,
        ));
    }
    if tcp.payload_len > 0 {
        let captured = tcp.payload.len();
        let value = if captured < tcp.payload_len as usize {
            format!("{} bytes ({captured} captured)", tcp.payload_len)
        } else {
            format!("{} bytes", tcp.payload_len)
        };
        children.push(FieldNode::leaf(
            "Payload",
            value,
            at + tcp.header_len,
            captured,
        ));
    }
    let _ = data;
    let summary = match rel {
        Some(r) => format!(
            "Src Port: {}, Dst Port: {}, Seq: {}{}, Len: {}",
            tcp.sport,
            tcp.dport,
            r.seq,
            r.ack.map(|a| format!(", Ack: {a}")).unwrap_or_default(),
            tcp.payload_len
        ),
        None => format!(
            "Src Port: {}, Dst Port: {}, Len: {}",
            tcp.sport, tcp.dport, tcp.payload_len
        ),
    };
    FieldNode::branch(
        "Transmission Control Protocol",
        summary,
        at,
        tcp.header_len,
        children,
    )
}

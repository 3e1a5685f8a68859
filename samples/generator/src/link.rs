//! Link-layer framing: how one [`Segment`] becomes the bytes of one captured
//! frame for a given link type.
//!
//! Ethernet (optionally 802.1Q or QinQ tagged), Linux cooked v1 and raw IPv4
//! frames are built by etherparse's `PacketBuilder`; the Linux cooked v2
//! header (which etherparse does not know) is written here by hand.

use std::io;
use std::net::IpAddr;

use etherparse::{LinuxSllPacketType, PacketBuilder, PacketBuilderStep, VlanId};
use pcap_file::DataLink;

use crate::segment::Segment;

/// The link type of a capture (one per pcap file, one per pcapng interface).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Link {
    /// Plain Ethernet II (DLT_EN10MB, 1).
    Ethernet,
    /// Ethernet with one 802.1Q tag (TPID 0x8100).
    Vlan { id: u16 },
    /// Ethernet with an 802.1ad service tag (TPID 0x88a8) then an 802.1Q tag.
    QinQ { outer: u16, inner: u16 },
    /// Linux "cooked" capture v1 (DLT_LINUX_SLL, 113), as `tcpdump -i any`
    /// wrote before libpcap 1.10.
    LinuxSll,
    /// Linux "cooked" capture v2 (DLT_LINUX_SLL2, 276).
    LinuxSll2 { if_index: u32 },
    /// Bare IPv4 packets without any link header (LINKTYPE_IPV4, 228).
    RawIpv4,
    /// Ethernet, optional 802.1Q tags (outermost first), then a PPPoE
    /// session header (0x8864) and PPP.
    Pppoe { session: u16, vlans: &'static [u16] },
    /// PPP without framing bytes' meaning (LINKTYPE_PPP, 9): address 0xff,
    /// control 0x03, protocol.
    Ppp,
    /// PPP in HDLC-like framing (LINKTYPE_PPP_HDLC, 50).
    PppHdlc,
    /// Cisco HDLC (LINKTYPE_C_HDLC, 104): address, control, Ethernet type.
    CiscoHdlc,
    /// Ethernet, optional 802.1Q tags, then an MPLS label stack (0x8847),
    /// outermost label first.
    Mpls {
        vlans: &'static [u16],
        labels: &'static [MplsLabel],
    },
    /// IEEE 802.11 data frames with LLC/SNAP (QoS data when `qos`), after an
    /// optional radio header: none (105), radiotap (127) or PPI (192).
    Wlan { radio: Radio, qos: bool },
    /// Linux netfilter log (LINKTYPE_NFLOG, 239): packet header, prefix and
    /// payload TLVs.
    Nflog,
    /// Ethernet, then an outer IP header (addresses `local` → `remote` for
    /// frames sent by the capture side, swapped for the others), then the
    /// tunnel, then the segment's own IP packet.
    Tunnel {
        local: IpAddr,
        remote: IpAddr,
        kind: TunnelKind,
    },
    /// Ethernet and an IPv6 packet with one extension header before TCP.
    Ipv6Ext { ext: Ipv6Ext },
    /// Ethernet and an IPv4 packet whose total length field is 0, as a host
    /// using TCP segmentation offload hands it to the capture.
    TsoZeroLength,
}

/// The radio header of an 802.11 capture.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Radio {
    None,
    /// Radiotap: flags, rate 54 Mb/s, channel 2437 MHz (11g), signal -45 dBm.
    Radiotap,
    /// PPI with no fields, link type 105 inside.
    Ppi,
}

/// How the inner IP packet travels.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TunnelKind {
    /// IP directly in IP (protocol 4 for IPv4 inside, 41 for IPv6 inside).
    IpInIp,
    /// GRE version 0, with a key when given.
    Gre { key: Option<u32> },
    /// VXLAN over UDP 4789, with an Ethernet frame inside.
    Vxlan { vni: u32 },
}

/// One IPv6 extension header, inserted between the IPv6 header and TCP.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ipv6Ext {
    /// Hop-by-hop options (8 bytes of padding).
    HopByHop,
    /// Routing header type 0 (deprecated), no addresses, segments left 0.
    Routing0,
    /// Destination options (8 bytes of padding).
    DestinationOptions,
    /// Authentication header, SPI 0x100, sequence number 1, 12-byte ICV.
    Authentication,
}

/// One MPLS label stack entry (the bottom-of-stack bit is set on the last).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MplsLabel {
    pub label: u32,
    pub tc: u8,
    pub ttl: u8,
}

/// Link-level facts about one frame that the TCP segment does not carry.
#[derive(Clone, Copy, Debug)]
pub struct Hop {
    /// Ethernet source address (for cooked captures: the sender's address).
    pub src_mac: [u8; 6],
    /// Ethernet destination address.
    pub dst_mac: [u8; 6],
    /// Whether the capturing host sent this frame (cooked captures record it).
    pub outgoing: bool,
}

/// ARPHRD_ETHER: the device type cooked headers record for Ethernet NICs.
const ARPHRD_ETHER: u16 = 1;
/// ETH_P_IP / ETH_P_IPV6.
const ETHERTYPE_IPV4: u16 = 0x0800;
const ETHERTYPE_IPV6: u16 = 0x86dd;
const ETHERTYPE_VLAN: u16 = 0x8100;
const ETHERTYPE_PPPOE_SESSION: u16 = 0x8864;
const ETHERTYPE_MPLS: u16 = 0x8847;

impl Link {
    /// The link type number written to the file header or IDB.
    pub fn datalink(self) -> DataLink {
        match self {
            Link::Ethernet | Link::Vlan { .. } | Link::QinQ { .. } => DataLink::ETHERNET,
            Link::LinuxSll => DataLink::LINUX_SLL,
            Link::LinuxSll2 { .. } => DataLink::LINUX_SLL2,
            Link::RawIpv4 => DataLink::IPV4,
            Link::Pppoe { .. } | Link::Mpls { .. } => DataLink::ETHERNET,
            Link::Ppp => DataLink::PPP,
            Link::PppHdlc => DataLink::PPP_HDLC,
            Link::CiscoHdlc => DataLink::C_HDLC,
            Link::Wlan { radio, .. } => match radio {
                Radio::None => DataLink::IEEE802_11,
                Radio::Radiotap => DataLink::IEEE802_11_RADIOTAP,
                Radio::Ppi => DataLink::PPI,
            },
            Link::Nflog => DataLink::NFLOG,
            Link::Tunnel { .. } | Link::Ipv6Ext { .. } | Link::TsoZeroLength => DataLink::ETHERNET,
        }
    }

    /// Appends the full frame (link header, IP, TCP, payload) to `out`.
    pub fn frame(self, hop: &Hop, seg: &Segment, out: &mut Vec<u8>) -> io::Result<()> {
        let ip = seg.ip_headers()?;
        let is_v6 = matches!(ip, etherparse::IpHeaders::Ipv6(..));
        let step: PacketBuilderStep<etherparse::IpHeaders> = match self {
            Link::Ethernet => PacketBuilder::ethernet2(hop.src_mac, hop.dst_mac).ip(ip),
            Link::Vlan { id } => PacketBuilder::ethernet2(hop.src_mac, hop.dst_mac)
                .single_vlan(vlan_id(id)?)
                .ip(ip),
            Link::QinQ { outer, inner } => PacketBuilder::ethernet2(hop.src_mac, hop.dst_mac)
                .double_vlan(vlan_id(outer)?, vlan_id(inner)?)
                .ip(ip),
            Link::LinuxSll => {
                let packet_type = if hop.outgoing {
                    LinuxSllPacketType::OUTGOING
                } else {
                    LinuxSllPacketType::HOST
                };
                PacketBuilder::linux_sll(packet_type, 6, padded_mac(hop.src_mac)).ip(ip)
            }
            Link::LinuxSll2 { if_index } => {
                write_sll2_header(hop, if_index, is_v6, out);
                PacketBuilder::ip(ip)
            }
            Link::RawIpv4 => PacketBuilder::ip(ip),
            Link::Pppoe { session, vlans } => {
                let packet = ip_packet(seg)?;
                ethernet_header(hop, vlans, ETHERTYPE_PPPOE_SESSION, out);
                // Version 1, type 1, code 0 (session data), session id, length
                // of the PPP frame (protocol field included).
                out.extend_from_slice(&[0x11, 0x00]);
                out.extend_from_slice(&session.to_be_bytes());
                let len = u16::try_from(packet.len() + 2).map_err(io::Error::other)?;
                out.extend_from_slice(&len.to_be_bytes());
                out.extend_from_slice(&ppp_protocol(is_v6).to_be_bytes());
                out.extend_from_slice(&packet);
                return Ok(());
            }
            Link::Ppp | Link::PppHdlc => {
                let packet = ip_packet(seg)?;
                out.extend_from_slice(&[0xff, 0x03]);
                out.extend_from_slice(&ppp_protocol(is_v6).to_be_bytes());
                out.extend_from_slice(&packet);
                return Ok(());
            }
            Link::CiscoHdlc => {
                let packet = ip_packet(seg)?;
                out.extend_from_slice(&[0x0f, 0x00]);
                out.extend_from_slice(&ip_ethertype(is_v6).to_be_bytes());
                out.extend_from_slice(&packet);
                return Ok(());
            }
            Link::Wlan { radio, qos } => {
                let packet = ip_packet(seg)?;
                wlan_frame(hop, radio, qos, is_v6, &packet, out);
                return Ok(());
            }
            Link::Nflog => {
                let packet = ip_packet(seg)?;
                nflog_frame(is_v6, &packet, out);
                return Ok(());
            }
            Link::Tunnel {
                local,
                remote,
                kind,
            } => {
                let packet = ip_packet(seg)?;
                let (src, dst) = if hop.outgoing {
                    (local, remote)
                } else {
                    (remote, local)
                };
                let tunnel = tunnel_payload(hop, kind, is_v6, &packet)?;
                let protocol = match kind {
                    TunnelKind::IpInIp if is_v6 => 41,
                    TunnelKind::IpInIp => 4,
                    TunnelKind::Gre { .. } => 47,
                    TunnelKind::Vxlan { .. } => 17,
                };
                let outer_v6 = src.is_ipv6();
                ethernet_header(hop, &[], ip_ethertype(outer_v6), out);
                outer_ip_header(src, dst, protocol, tunnel.len(), out)?;
                out.extend_from_slice(&tunnel);
                return Ok(());
            }
            Link::Ipv6Ext { ext } => {
                let packet = ip_packet(seg)?;
                ethernet_header(hop, &[], ETHERTYPE_IPV6, out);
                insert_ipv6_extension(ext, &packet, out)?;
                return Ok(());
            }
            Link::TsoZeroLength => {
                let mut packet = ip_packet(seg)?;
                if let Some(len) = packet.get_mut(2..4) {
                    len.copy_from_slice(&[0, 0]);
                }
                let checksum = ipv4_checksum(packet.get(..20).unwrap_or(&[]));
                if let Some(c) = packet.get_mut(10..12) {
                    c.copy_from_slice(&checksum.to_be_bytes());
                }
                ethernet_header(hop, &[], ETHERTYPE_IPV4, out);
                out.extend_from_slice(&packet);
                return Ok(());
            }
            Link::Mpls { vlans, labels } => {
                let packet = ip_packet(seg)?;
                ethernet_header(hop, vlans, ETHERTYPE_MPLS, out);
                for (i, l) in labels.iter().enumerate() {
                    let bottom = u32::from(i + 1 == labels.len());
                    let entry = (l.label & 0xf_ffff) << 12
                        | u32::from(l.tc & 7) << 9
                        | bottom << 8
                        | u32::from(l.ttl);
                    out.extend_from_slice(&entry.to_be_bytes());
                }
                out.extend_from_slice(&packet);
                return Ok(());
            }
        };
        step.tcp_header(seg.tcp_header()?)
            .write(out, seg.payload)
            .map_err(io::Error::other)
    }
}

/// The IP packet (header, TCP, payload) of a segment, without a link header.
fn ip_packet(seg: &Segment) -> io::Result<Vec<u8>> {
    let mut packet = Vec::with_capacity(128 + seg.payload.len());
    PacketBuilder::ip(seg.ip_headers()?)
        .tcp_header(seg.tcp_header()?)
        .write(&mut packet, seg.payload)
        .map_err(io::Error::other)?;
    Ok(packet)
}

/// An Ethernet II header with 802.1Q tags (priority 0) and the given type.
fn ethernet_header(hop: &Hop, vlans: &[u16], ethertype: u16, out: &mut Vec<u8>) {
    out.extend_from_slice(&hop.dst_mac);
    out.extend_from_slice(&hop.src_mac);
    for id in vlans {
        out.extend_from_slice(&ETHERTYPE_VLAN.to_be_bytes());
        out.extend_from_slice(&(id & 0x0fff).to_be_bytes());
    }
    out.extend_from_slice(&ethertype.to_be_bytes());
}

fn ip_ethertype(is_v6: bool) -> u16 {
    if is_v6 {
        ETHERTYPE_IPV6
    } else {
        ETHERTYPE_IPV4
    }
}

/// PPP protocol numbers of IPv4 and IPv6.
fn ppp_protocol(is_v6: bool) -> u16 {
    if is_v6 { 0x0057 } else { 0x0021 }
}

fn vlan_id(id: u16) -> io::Result<VlanId> {
    VlanId::try_new(id).map_err(io::Error::other)
}

/// A MAC address in the 8-byte address field of cooked headers.
fn padded_mac(mac: [u8; 6]) -> [u8; 8] {
    let mut a = [0u8; 8];
    a[..6].copy_from_slice(&mac);
    a
}

/// The 20-byte LINKTYPE_LINUX_SLL2 header: protocol, reserved, interface
/// index, ARPHRD type, packet type, address length, address (8 bytes).
fn write_sll2_header(hop: &Hop, if_index: u32, is_v6: bool, out: &mut Vec<u8>) {
    let protocol = if is_v6 {
        ETHERTYPE_IPV6
    } else {
        ETHERTYPE_IPV4
    };
    let packet_type: u8 = if hop.outgoing { 4 } else { 0 };
    out.extend_from_slice(&protocol.to_be_bytes());
    out.extend_from_slice(&[0, 0]);
    out.extend_from_slice(&if_index.to_be_bytes());
    out.extend_from_slice(&ARPHRD_ETHER.to_be_bytes());
    out.push(packet_type);
    out.push(6);
    out.extend_from_slice(&padded_mac(hop.src_mac));
}

/// An 802.11 data frame carrying `packet` with LLC/SNAP. Frames the capture
/// side sends go to the access point (To DS), the others come from it (From
/// DS); the access point's address (BSSID) is fixed.
fn wlan_frame(hop: &Hop, radio: Radio, qos: bool, is_v6: bool, packet: &[u8], out: &mut Vec<u8>) {
    const BSSID: [u8; 6] = [0x02, 0x1a, 0x11, 0xf0, 0x00, 0x01];
    match radio {
        Radio::None => {}
        Radio::Radiotap => {
            // Version 0, pad, length 15, present: flags, rate, channel, dBm signal.
            out.extend_from_slice(&[0, 0, 15, 0]);
            out.extend_from_slice(&0x0000_002e_u32.to_le_bytes());
            out.push(0x00); // flags
            out.push(108); // rate, 500 kb/s units: 54 Mb/s
            out.extend_from_slice(&2437_u16.to_le_bytes());
            out.extend_from_slice(&0x00c0_u16.to_le_bytes()); // 2 GHz, OFDM
            out.push((-45_i8) as u8);
        }
        Radio::Ppi => {
            out.extend_from_slice(&[0, 0, 8, 0]);
            out.extend_from_slice(&105_u32.to_le_bytes());
        }
    }
    let subtype: u8 = if qos { 0x88 } else { 0x08 };
    let (ds, a1, a2, a3) = if hop.outgoing {
        (0x01, BSSID, hop.src_mac, hop.dst_mac)
    } else {
        (0x02, hop.dst_mac, BSSID, hop.src_mac)
    };
    out.extend_from_slice(&[subtype, ds, 0x3a, 0x01]);
    out.extend_from_slice(&a1);
    out.extend_from_slice(&a2);
    out.extend_from_slice(&a3);
    out.extend_from_slice(&[0x00, 0x00]); // sequence control
    if qos {
        out.extend_from_slice(&[0x00, 0x00]);
    }
    out.extend_from_slice(&[0xaa, 0xaa, 0x03, 0x00, 0x00, 0x00]);
    out.extend_from_slice(&ip_ethertype(is_v6).to_be_bytes());
    out.extend_from_slice(packet);
}

/// An encrypted (CCMP) 802.11 QoS data frame of `len` bytes after the radio
/// header: what a capture of a protected network holds without the keys.
pub fn wlan_protected_frame(radio: Radio, sequence: u16, len: usize, out: &mut Vec<u8>) {
    let hop = Hop {
        src_mac: [0x02, 0x00, 0x00, 0x00, 0x00, 0x42],
        dst_mac: [0x02, 0x00, 0x00, 0x00, 0x00, 0x43],
        outgoing: false,
    };
    let start = out.len();
    wlan_frame(&hop, radio, true, false, &[], out);
    // Keep the header (radio + 26-byte QoS MAC header), drop the LLC/SNAP.
    out.truncate(out.len() - 8);
    let fc = out.len() - 26 + 1;
    if let Some(flags) = out.get_mut(fc) {
        *flags |= 0x40; // Protected Frame
    }
    let seq = out.len() - 4;
    if let Some(s) = out.get_mut(seq..seq + 2) {
        s.copy_from_slice(&(sequence << 4).to_le_bytes());
    }
    // CCMP header (PN 1, key id 0, ExtIV), then ciphertext and MIC.
    out.extend_from_slice(&[0x01, 0x00, 0x00, 0x20, 0x00, 0x00, 0x00, 0x00]);
    let body = len.saturating_sub(out.len() - start);
    out.extend((0..body).map(|i| (i as u8).wrapping_mul(37).wrapping_add(11)));
}

/// NFLOG: family, version 0, resource id 5 (big-endian), then little-endian
/// TLVs padded to 4 bytes: packet header (hardware protocol, hook
/// NF_INET_LOCAL_OUT), prefix "tcp-ladder", payload.
fn nflog_frame(is_v6: bool, packet: &[u8], out: &mut Vec<u8>) {
    let family = if is_v6 { 10 } else { 2 };
    out.extend_from_slice(&[family, 0]);
    out.extend_from_slice(&5_u16.to_be_bytes());
    let mut hdr = ip_ethertype(is_v6).to_be_bytes().to_vec();
    hdr.extend_from_slice(&[3, 0]);
    nflog_tlv(1, &hdr, out);
    nflog_tlv(10, b"tcp-ladder\0", out);
    nflog_tlv(9, packet, out);
}

fn nflog_tlv(kind: u16, value: &[u8], out: &mut Vec<u8>) {
    let len = u16::try_from(value.len() + 4).unwrap_or(u16::MAX);
    out.extend_from_slice(&len.to_le_bytes());
    out.extend_from_slice(&kind.to_le_bytes());
    out.extend_from_slice(value);
    while out.len() % 4 != 0 {
        out.push(0);
    }
}

/// The bytes after the outer IP header: the inner packet, behind a GRE or
/// UDP+VXLAN+Ethernet header when the tunnel has one.
fn tunnel_payload(hop: &Hop, kind: TunnelKind, is_v6: bool, packet: &[u8]) -> io::Result<Vec<u8>> {
    let mut t = Vec::with_capacity(packet.len() + 64);
    match kind {
        TunnelKind::IpInIp => {}
        TunnelKind::Gre { key } => {
            let flags: u16 = if key.is_some() { 0x2000 } else { 0 };
            t.extend_from_slice(&flags.to_be_bytes());
            t.extend_from_slice(&ip_ethertype(is_v6).to_be_bytes());
            if let Some(k) = key {
                t.extend_from_slice(&k.to_be_bytes());
            }
        }
        TunnelKind::Vxlan { vni } => {
            let udp_len = u16::try_from(8 + 8 + 14 + packet.len()).map_err(io::Error::other)?;
            // Source port from a hash of the inner flow in Linux (here fixed; not
            // 49152, which tcpdump decodes as BCM-LI-SHIM), destination 4789.
            t.extend_from_slice(&53_217_u16.to_be_bytes());
            t.extend_from_slice(&4789_u16.to_be_bytes());
            t.extend_from_slice(&udp_len.to_be_bytes());
            t.extend_from_slice(&[0, 0]); // no checksum (allowed over IPv4)
            t.extend_from_slice(&[0x08, 0, 0, 0]);
            t.extend_from_slice(&(vni << 8).to_be_bytes());
            ethernet_header(hop, &[], ip_ethertype(is_v6), &mut t);
        }
    }
    t.extend_from_slice(packet);
    Ok(t)
}

/// An outer IPv4 (TTL 64, ID 0, DF) or IPv6 (hop limit 64) header.
fn outer_ip_header(
    src: IpAddr,
    dst: IpAddr,
    protocol: u8,
    payload_len: usize,
    out: &mut Vec<u8>,
) -> io::Result<()> {
    match (src, dst) {
        (IpAddr::V4(s), IpAddr::V4(d)) => {
            let total = u16::try_from(20 + payload_len).map_err(io::Error::other)?;
            let mut h = vec![0x45, 0];
            h.extend_from_slice(&total.to_be_bytes());
            h.extend_from_slice(&[0, 0, 0x40, 0, 64, protocol, 0, 0]);
            h.extend_from_slice(&s.octets());
            h.extend_from_slice(&d.octets());
            let c = ipv4_checksum(&h);
            if let Some(slot) = h.get_mut(10..12) {
                slot.copy_from_slice(&c.to_be_bytes());
            }
            out.extend_from_slice(&h);
        }
        (IpAddr::V6(s), IpAddr::V6(d)) => {
            let len = u16::try_from(payload_len).map_err(io::Error::other)?;
            out.extend_from_slice(&[0x60, 0, 0, 0]);
            out.extend_from_slice(&len.to_be_bytes());
            out.extend_from_slice(&[protocol, 64]);
            out.extend_from_slice(&s.octets());
            out.extend_from_slice(&d.octets());
        }
        _ => {
            return Err(io::Error::other(
                "tunnel mixes IPv4 and IPv6 outer addresses",
            ));
        }
    }
    Ok(())
}

/// The IPv4 header checksum.
fn ipv4_checksum(header: &[u8]) -> u16 {
    let mut sum: u32 = header
        .chunks(2)
        .enumerate()
        .filter(|(i, _)| *i != 5)
        .map(|(_, c)| {
            u32::from(u16::from_be_bytes([
                c.first().copied().unwrap_or(0),
                c.get(1).copied().unwrap_or(0),
            ]))
        })
        .sum();
    while sum > 0xffff {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    !(sum as u16)
}

/// Copies the IPv6 `packet` with `ext` between its header and TCP, fixing
/// the next-header and payload-length fields.
fn insert_ipv6_extension(ext: Ipv6Ext, packet: &[u8], out: &mut Vec<u8>) -> io::Result<()> {
    const TCP: u8 = 6;
    let (kind, bytes): (u8, Vec<u8>) = match ext {
        Ipv6Ext::HopByHop => (0, vec![TCP, 0, 1, 4, 0, 0, 0, 0]),
        Ipv6Ext::Routing0 => (43, vec![TCP, 0, 0, 0, 0, 0, 0, 0]),
        Ipv6Ext::DestinationOptions => (60, vec![TCP, 0, 1, 4, 0, 0, 0, 0]),
        Ipv6Ext::Authentication => {
            let mut ah = vec![TCP, 4, 0, 0, 0, 0, 0x01, 0x00, 0, 0, 0, 1];
            ah.extend((0..12u8).map(|i| 0xa0 + i));
            (51, ah)
        }
    };
    let (header, rest) = packet
        .split_at_checked(40)
        .ok_or_else(|| io::Error::other("IPv6 packet shorter than its header"))?;
    let payload_len = u16::try_from(rest.len() + bytes.len()).map_err(io::Error::other)?;
    let start = out.len();
    out.extend_from_slice(header);
    if let Some(len) = out.get_mut(start + 4..start + 6) {
        len.copy_from_slice(&payload_len.to_be_bytes());
    }
    if let Some(next) = out.get_mut(start + 6) {
        *next = kind;
    }
    out.extend_from_slice(&bytes);
    out.extend_from_slice(rest);
    Ok(())
}

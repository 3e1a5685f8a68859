//! Link-layer framing: how one [`Segment`] becomes the bytes of one captured
//! frame for a given link type.
//!
//! Ethernet (optionally 802.1Q or QinQ tagged), Linux cooked v1 and raw IPv4
//! frames are built by etherparse's `PacketBuilder`; the Linux cooked v2
//! header (which etherparse does not know) is written here by hand.

use std::io;

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

impl Link {
    /// The link type number written to the file header or IDB.
    pub fn datalink(self) -> DataLink {
        match self {
            Link::Ethernet | Link::Vlan { .. } | Link::QinQ { .. } => DataLink::ETHERNET,
            Link::LinuxSll => DataLink::LINUX_SLL,
            Link::LinuxSll2 { .. } => DataLink::LINUX_SLL2,
            Link::RawIpv4 => DataLink::IPV4,
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
        };
        step.tcp_header(seg.tcp_header()?)
            .write(out, seg.payload)
            .map_err(io::Error::other)
    }
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

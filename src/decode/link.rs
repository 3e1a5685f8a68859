//! Link-layer headers: Ethernet (with 802.1Q / QinQ tags), Linux cooked capture v1 and
//! v2, BSD null/loopback, PPP (9, 50), Cisco HDLC (104) and the raw-IP link types. The
//! result says where the link header ends and which protocol follows it (as an
//! Ethernet type); the encapsulations after it (PPPoE, MPLS) are [`super::encap`]'s.

use super::{Note, Notes, be16, be32, u8_at};
use crate::capture::LinkType;

/// One 802.1Q / 802.1ad tag.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct VlanTag {
    pub tpid: u16,
    pub id: u16,
    pub priority: u8,
}

/// The decoded link layer. `ethertype` 0x0800 / 0x86dd mark IPv4 / IPv6.
#[derive(Clone, Copy, Debug)]
pub enum LinkLayer {
    Ethernet {
        dst: [u8; 6],
        src: [u8; 6],
        vlans: [Option<VlanTag>; 2],
        /// More than two tags (only the first two are kept).
        extra_vlans: u8,
        ethertype: u16,
        header_len: usize,
    },
    Sll {
        packet_type: u16,
        ethertype: u16,
    },
    Sll2 {
        ethertype: u16,
        ifindex: u32,
        packet_type: u8,
    },
    Null {
        family: u32,
        ethertype: u16,
        header_len: usize,
    },
    Raw {
        ethertype: u16,
    },
    /// PPP (link types 9 and 50): optional address 0xff and control 0x03, then the PPP
    /// protocol (one or two bytes).
    Ppp {
        /// Link type 50 with the 0xff address: tcpdump names the protocol first.
        serial: bool,
        protocol: u16,
        /// The protocol as an Ethernet type (0 when it is not IPv4 or IPv6).
        ethertype: u16,
        header_len: usize,
    },
    /// Cisco HDLC (link type 104, or 50 with a Cisco address byte): address, control,
    /// Ethernet type.
    CiscoHdlc {
        address: u8,
        ethertype: u16,
    },
    /// IEEE 802.11 (105), alone or after a radiotap (127) or PPI (192) header.
    Ieee80211 {
        /// Bytes of the radiotap or PPI header before the 802.11 header (0 for 105).
        radio_len: usize,
        radio: RadioHeader,
        /// Frame control field (first byte: type and subtype; second: flags).
        frame_control: [u8; 2],
        /// The MAC header length (24, 30 with a fourth address, +2 for QoS, +4 HT).
        mac_header_len: usize,
        /// The frame is encrypted (Protected Frame bit): counted, not decoded.
        protected: bool,
        /// Where the LLC/SNAP header's payload starts (0 when there is none).
        header_len: usize,
        /// The LLC/SNAP type (0 when the frame carries no LLC/SNAP payload).
        ethertype: u16,
    },
    /// Linux netfilter log (239): a family byte, then TLVs; the payload TLV holds the
    /// IP packet.
    Nflog {
        family: u8,
        resource_id: u16,
        /// Offset of the IP packet (the payload TLV's value), 0 when there is none.
        header_len: usize,
        ethertype: u16,
    },
    Unsupported(LinkType),
    Truncated(LinkType),
}

/// The radio header before an 802.11 frame.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RadioHeader {
    None,
    /// Radiotap (127): its fields are read with [`radiotap_fields`].
    Radiotap,
    /// Per-Packet Information (192).
    Ppi,
}

/// Radiotap flags field bits.
pub const RADIOTAP_FLAG_DATAPAD: u8 = 0x20;

pub(crate) const ETHERTYPE_IPV4: u16 = 0x0800;
pub(crate) const ETHERTYPE_IPV6: u16 = 0x86dd;

impl LinkLayer {
    fn ethertype(&self) -> Option<u16> {
        match *self {
            LinkLayer::Ethernet { ethertype, .. }
            | LinkLayer::Sll { ethertype, .. }
            | LinkLayer::Sll2 { ethertype, .. }
            | LinkLayer::Null { ethertype, .. }
            | LinkLayer::Raw { ethertype }
            | LinkLayer::Ppp { ethertype, .. }
            | LinkLayer::CiscoHdlc { ethertype, .. }
            | LinkLayer::Ieee80211 { ethertype, .. }
            | LinkLayer::Nflog { ethertype, .. } => Some(ethertype),
            LinkLayer::Unsupported(_) | LinkLayer::Truncated(_) => None,
        }
    }

    /// Length of the link-layer header in bytes.
    pub fn header_len(&self) -> usize {
        match *self {
            LinkLayer::Ethernet { header_len, .. }
            | LinkLayer::Null { header_len, .. }
            | LinkLayer::Ppp { header_len, .. }
            | LinkLayer::Ieee80211 { header_len, .. }
            | LinkLayer::Nflog { header_len, .. } => header_len,
            LinkLayer::CiscoHdlc { .. } => 4,
            LinkLayer::Sll { .. } => 16,
            LinkLayer::Sll2 { .. } => 20,
            LinkLayer::Raw { .. } | LinkLayer::Unsupported(_) | LinkLayer::Truncated(_) => 0,
        }
    }

    /// Where the link header ends and the Ethernet type of what follows it.
    pub fn payload(&self) -> Option<(usize, u16)> {
        Some((self.header_len(), self.ethertype()?))
    }
}

pub(crate) fn decode_link(link: LinkType, data: &[u8], notes: &mut Notes) -> LinkLayer {
    let decoded = match link.0 {
        1 => ethernet(data),
        113 => sll(data),
        276 => sll2(data),
        0 | 108 => null(link, data),
        12 | 14 | 101 => raw_by_version(data),
        228 => Some(LinkLayer::Raw {
            ethertype: ETHERTYPE_IPV4,
        }),
        229 => Some(LinkLayer::Raw {
            ethertype: ETHERTYPE_IPV6,
        }),
        9 => ppp(data, false),
        // tcpdump and Wireshark tell the two framings apart by the address byte.
        50 => match u8_at(data, 0) {
            Some(CHDLC_UNICAST | CHDLC_BROADCAST) => cisco_hdlc(data),
            Some(0xff) => ppp(data, true),
            Some(_) => Some(LinkLayer::Unsupported(link)),
            None => None,
        },
        104 => cisco_hdlc(data),
        105 => ieee80211(data, 0, RadioHeader::None, false),
        127 => radiotap(data),
        192 => ppi(data),
        239 => nflog(data),
        _ => {
            notes.add(Note::UnsupportedLinkType);
            return LinkLayer::Unsupported(link);
        }
    };
    if let Some(LinkLayer::Ieee80211 {
        protected: true, ..
    }) = decoded
    {
        notes.add(Note::ProtectedFrame);
    }
    decoded.unwrap_or_else(|| {
        notes.add(Note::TruncatedLinkHeader);
        LinkLayer::Truncated(link)
    })
}

fn mac(data: &[u8], at: usize) -> Option<[u8; 6]> {
    data.get(at..at + 6)?.try_into().ok()
}

pub(crate) fn ethernet(data: &[u8]) -> Option<LinkLayer> {
    let dst = mac(data, 0)?;
    let src = mac(data, 6)?;
    let mut at = 12;
    let mut ethertype = be16(data, at)?;
    let mut vlans = [None, None];
    let mut count = 0usize;
    let mut extra_vlans = 0u8;
    while matches!(ethertype, 0x8100 | 0x88a8 | 0x9100) {
        let tci = be16(data, at + 2)?;
        let tag = VlanTag {
            tpid: ethertype,
            id: tci & 0x0fff,
            priority: (tci >> 13) as u8,
        };
        if let Some(slot) = vlans.get_mut(count) {
            *slot = Some(tag);
        } else {
            extra_vlans = extra_vlans.saturating_add(1);
        }
        count += 1;
        at += 4;
        ethertype = be16(data, at)?;
    }
    Some(LinkLayer::Ethernet {
        dst,
        src,
        vlans,
        extra_vlans,
        ethertype,
        header_len: at + 2,
    })
}

fn sll(data: &[u8]) -> Option<LinkLayer> {
    Some(LinkLayer::Sll {
        packet_type: be16(data, 0)?,
        ethertype: be16(data, 14)?,
    })
}

fn sll2(data: &[u8]) -> Option<LinkLayer> {
    be16(data, 18)?;
    Some(LinkLayer::Sll2 {
        ethertype: be16(data, 0)?,
        ifindex: be32(data, 4)?,
        packet_type: u8_at(data, 10)?,
    })
}

/// BSD loopback: a 4-byte address family, in the capturing host's byte order (NULL) or
/// network order (LOOP). AF_INET is 2 everywhere; AF_INET6 is 10, 24, 28 or 30.
fn null(link: LinkType, data: &[u8]) -> Option<LinkLayer> {
    let be = be32(data, 0)?;
    let family = if link == LinkType::LOOP || be < 0x100 {
        be
    } else {
        be.swap_bytes()
    };
    let ethertype = match family {
        2 => ETHERTYPE_IPV4,
        10 | 24 | 28 | 30 => ETHERTYPE_IPV6,
        _ => 0,
    };
    Some(LinkLayer::Null {
        family,
        ethertype,
        header_len: 4,
    })
}

fn raw_by_version(data: &[u8]) -> Option<LinkLayer> {
    let version = u8_at(data, 0)? >> 4;
    Some(LinkLayer::Raw {
        ethertype: match version {
            6 => ETHERTYPE_IPV6,
            _ => ETHERTYPE_IPV4,
        },
    })
}

/// Cisco HDLC address bytes.
const CHDLC_UNICAST: u8 = 0x0f;
const CHDLC_BROADCAST: u8 = 0x8f;

/// PPP: address 0xff and control 0x03 may be left out; a protocol number with its low
/// bit set in the first byte is compressed to that one byte (RFC 1661 §6.5).
fn ppp(data: &[u8], serial: bool) -> Option<LinkLayer> {
    let mut at = 0;
    if u8_at(data, 0)? == 0xff && u8_at(data, 1)? == 0x03 {
        at = 2;
    }
    let first = u8_at(data, at)?;
    let (protocol, header_len) = if first & 1 == 1 {
        (u16::from(first), at + 1)
    } else {
        (be16(data, at)?, at + 2)
    };
    Some(LinkLayer::Ppp {
        serial,
        protocol,
        ethertype: super::encap::ppp_to_ethertype(protocol).unwrap_or(0),
        header_len,
    })
}

fn cisco_hdlc(data: &[u8]) -> Option<LinkLayer> {
    Some(LinkLayer::CiscoHdlc {
        address: u8_at(data, 0)?,
        ethertype: be16(data, 2)?,
    })
}

/// 802.11 frame control: type Data, and the QoS subtype bit.
const WLAN_TYPE_MASK: u8 = 0x0c;
const WLAN_TYPE_DATA: u8 = 0x08;
const WLAN_SUBTYPE_QOS: u8 = 0x80;
/// Subtypes of data frames without a body (Null, CF-Ack, CF-Poll… have bit 6 set).
const WLAN_SUBTYPE_NO_DATA: u8 = 0x40;
/// Frame control flags (second byte).
const WLAN_TO_DS: u8 = 0x01;
const WLAN_FROM_DS: u8 = 0x02;
const WLAN_PROTECTED: u8 = 0x40;
const WLAN_ORDER: u8 = 0x80;

/// An 802.11 frame at `at` (after `radio_len` bytes of radio header). Data frames
/// carrying an LLC/SNAP header give its Ethernet type; anything else (management,
/// control, encrypted, null data) gives type 0, so nothing more is decoded.
fn ieee80211(data: &[u8], at: usize, radio: RadioHeader, datapad: bool) -> Option<LinkLayer> {
    let fc0 = u8_at(data, at)?;
    let fc1 = u8_at(data, at + 1)?;
    let is_data = fc0 & WLAN_TYPE_MASK == WLAN_TYPE_DATA;
    let qos = is_data && fc0 & WLAN_SUBTYPE_QOS != 0;
    let mut mac_header_len: usize = 24;
    if is_data && fc1 & WLAN_TO_DS != 0 && fc1 & WLAN_FROM_DS != 0 {
        mac_header_len += 6;
    }
    if qos {
        mac_header_len += 2;
        if fc1 & WLAN_ORDER != 0 {
            mac_header_len += 4;
        }
    }
    let protected = fc1 & WLAN_PROTECTED != 0;
    let body = if datapad {
        at + mac_header_len.next_multiple_of(4)
    } else {
        at + mac_header_len
    };
    let mut ethertype = 0;
    let mut header_len = 0;
    if is_data && !protected && fc0 & WLAN_SUBTYPE_NO_DATA == 0 {
        let snap = data.get(body..body + 6);
        if snap == Some(&[0xaa, 0xaa, 0x03, 0x00, 0x00, 0x00][..]) {
            ethertype = be16(data, body + 6).unwrap_or(0);
            header_len = body + 8;
        }
    }
    if ethertype != 0 && header_len > data.len() {
        return None;
    }
    Some(LinkLayer::Ieee80211 {
        radio_len: at,
        radio,
        frame_control: [fc0, fc1],
        mac_header_len,
        protected,
        header_len,
        ethertype,
    })
}

/// Little-endian u16 at `at`.
fn le16(data: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes([u8_at(data, at)?, u8_at(data, at + 1)?]))
}

/// Little-endian u32 at `at`.
fn le32(data: &[u8], at: usize) -> Option<u32> {
    Some(be32(data, at)?.swap_bytes())
}

/// Radiotap field sizes and alignments, by present-bit number (0..=21): TSFT, Flags,
/// Rate, Channel, FHSS, dBm signal, dBm noise, lock quality, TX attenuation, dB TX
/// attenuation, dBm TX power, antenna, dB signal, dB noise, RX flags, TX flags, RTS
/// retries, data retries, XChannel, MCS, A-MPDU status, VHT.
const RADIOTAP_FIELDS: [(usize, usize); 22] = [
    (8, 8),
    (1, 1),
    (1, 1),
    (4, 2),
    (2, 1),
    (1, 1),
    (1, 1),
    (2, 2),
    (2, 2),
    (2, 2),
    (1, 1),
    (1, 1),
    (1, 1),
    (1, 1),
    (2, 2),
    (2, 2),
    (1, 1),
    (1, 1),
    (8, 4),
    (3, 1),
    (8, 4),
    (12, 2),
];

/// The fields of a radiotap header (127), in present-bit order, as (bit number, offset
/// of the value in the frame, value bytes): version, pad, little-endian length and
/// present bitmaps, then the fields, each aligned to its natural size from the start of
/// the header. Bits past the known table end the walk (their size is unknown).
pub fn radiotap_fields(data: &[u8]) -> Vec<(u32, &[u8])> {
    let mut out = Vec::new();
    let Some(len) = le16(data, 2).map(usize::from) else {
        return out;
    };
    let Some(present) = le32(data, 4) else {
        return out;
    };
    let len = len.min(data.len());
    // Extended bitmaps (bit 31) follow the first; skip them, bounded by the length.
    let mut at = 8;
    let mut word = present;
    while word & 0x8000_0000 != 0 {
        let Some(next) = le32(data, at) else {
            return out;
        };
        word = next;
        at += 4;
    }
    for bit in 0..31u32 {
        if present & (1 << bit) == 0 {
            continue;
        }
        let Some(&(size, align)) = RADIOTAP_FIELDS.get(bit as usize) else {
            break;
        };
        at = at.next_multiple_of(align);
        let Some(value) = data.get(at..at + size).filter(|_| at + size <= len) else {
            break;
        };
        out.push((bit, value));
        at += size;
    }
    out
}

fn radiotap(data: &[u8]) -> Option<LinkLayer> {
    let len = usize::from(le16(data, 2)?);
    if len < 8 || len > data.len() {
        return None;
    }
    let flags = radiotap_fields(data)
        .into_iter()
        .find(|(bit, _)| *bit == 1)
        .and_then(|(_, v)| v.first().copied())
        .unwrap_or(0);
    ieee80211(
        data,
        len,
        RadioHeader::Radiotap,
        flags & RADIOTAP_FLAG_DATAPAD != 0,
    )
}

/// PPI (192): version, flags, little-endian header length and the link type of what
/// follows; only 802.11 (105) is decoded.
fn ppi(data: &[u8]) -> Option<LinkLayer> {
    let len = usize::from(le16(data, 2)?);
    let dlt = le32(data, 4)?;
    if len < 8 || len > data.len() {
        return None;
    }
    if dlt != 105 {
        return Some(LinkLayer::Unsupported(LinkType(192)));
    }
    ieee80211(data, len, RadioHeader::Ppi, false)
}

/// NFLOG (239): family, version, resource id (big-endian), then TLVs whose length and
/// type are in the capturing host's byte order (little-endian in practice, as libpcap
/// and Wireshark assume); the length counts the 4-byte TLV header, and each TLV is
/// padded to 4 bytes. The payload TLV (type 9) holds the packet.
fn nflog(data: &[u8]) -> Option<LinkLayer> {
    const NFULA_PAYLOAD: u16 = 9;
    let family = u8_at(data, 0)?;
    let resource_id = be16(data, 2)?;
    let mut at = 4;
    // Every TLV is at least 4 bytes, so this ends within data.len() / 4 steps.
    while let (Some(len), Some(kind)) = (le16(data, at), le16(data, at + 2)) {
        let len = usize::from(len);
        if len < 4 {
            break;
        }
        if kind & 0x7fff == NFULA_PAYLOAD {
            let ethertype = match family {
                2 => ETHERTYPE_IPV4,
                10 => ETHERTYPE_IPV6,
                _ => 0,
            };
            return Some(LinkLayer::Nflog {
                family,
                resource_id,
                header_len: at + 4,
                ethertype,
            });
        }
        at += len.next_multiple_of(4);
    }
    Some(LinkLayer::Nflog {
        family,
        resource_id,
        header_len: 0,
        ethertype: 0,
    })
}

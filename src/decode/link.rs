//! Link-layer headers: Ethernet (with 802.1Q / QinQ tags), Linux cooked capture v1 and
//! v2, BSD null/loopback, and the raw-IP link types. The result says where the network
//! layer starts and which protocol it carries.

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
    Unsupported(LinkType),
    Truncated(LinkType),
}

pub(crate) const ETHERTYPE_IPV4: u16 = 0x0800;
pub(crate) const ETHERTYPE_IPV6: u16 = 0x86dd;

impl LinkLayer {
    fn ethertype(&self) -> Option<u16> {
        match *self {
            LinkLayer::Ethernet { ethertype, .. }
            | LinkLayer::Sll { ethertype, .. }
            | LinkLayer::Sll2 { ethertype, .. }
            | LinkLayer::Null { ethertype, .. }
            | LinkLayer::Raw { ethertype } => Some(ethertype),
            LinkLayer::Unsupported(_) | LinkLayer::Truncated(_) => None,
        }
    }

    /// Length of the link-layer header in bytes.
    pub fn header_len(&self) -> usize {
        match *self {
            LinkLayer::Ethernet { header_len, .. } | LinkLayer::Null { header_len, .. } => {
                header_len
            }
            LinkLayer::Sll { .. } => 16,
            LinkLayer::Sll2 { .. } => 20,
            LinkLayer::Raw { .. } | LinkLayer::Unsupported(_) | LinkLayer::Truncated(_) => 0,
        }
    }

    /// Where the IP header starts, when the link layer carries IPv4 or IPv6.
    pub fn network_offset(&self) -> Option<usize> {
        match self.ethertype()? {
            ETHERTYPE_IPV4 | ETHERTYPE_IPV6 => Some(self.header_len()),
            _ => None,
        }
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
        _ => {
            notes.add(Note::UnsupportedLinkType);
            return LinkLayer::Unsupported(link);
        }
    };
    decoded.unwrap_or_else(|| {
        notes.add(Note::TruncatedLinkHeader);
        LinkLayer::Truncated(link)
    })
}

fn mac(data: &[u8], at: usize) -> Option<[u8; 6]> {
    data.get(at..at + 6)?.try_into().ok()
}

fn ethernet(data: &[u8]) -> Option<LinkLayer> {
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

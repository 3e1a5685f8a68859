//! Encapsulations between the link-layer header and the IP packet that carries the TCP
//! segment: PPPoE sessions (with their PPP protocol field), MPLS label stacks, and the
//! tunnels — IP in IP (IPv4/IPv6 in IPv4/IPv6: IP-in-IP, 6in4, 4in6), GRE (version 0)
//! and VXLAN (UDP port 4789, an Ethernet frame inside). The innermost IP packet is the
//! one whose TCP connection is shown; the outer headers stay here.
//!
//! Each one found is kept as a [`Shim`], outermost first, so the details tree can show
//! it and the tcpdump line can print it the way tcpdump does. The walk is bounded: at
//! most [`MAX_SHIMS`] are kept and at most [`MAX_MPLS_LABELS`] labels are read, so a
//! hostile frame cannot make it loop.

use super::link::{ETHERTYPE_IPV4, ETHERTYPE_IPV6, LinkLayer, ethernet};
use super::net::{Fragment, IpHeader};
use super::{Note, Notes, be16, be32, u8_at};

/// Ethernet type of PPPoE session frames.
pub(crate) const ETHERTYPE_PPPOE_SESSION: u16 = 0x8864;
/// Ethernet types of MPLS unicast and multicast.
pub(crate) const ETHERTYPE_MPLS: u16 = 0x8847;
pub(crate) const ETHERTYPE_MPLS_MULTICAST: u16 = 0x8848;

/// PPP protocol numbers of IPv4 and IPv6.
pub(crate) const PPP_IPV4: u16 = 0x0021;
pub(crate) const PPP_IPV6: u16 = 0x0057;

/// The most encapsulation layers kept per frame.
pub const MAX_SHIMS: usize = 12;
/// The most tunnels followed into one frame.
pub const MAX_TUNNELS: usize = 4;
/// The UDP port of VXLAN (RFC 7348).
pub const VXLAN_PORT: u16 = 4789;
/// GRE protocol type of Transparent Ethernet Bridging (an Ethernet frame inside).
const GRE_ETHERNET: u16 = 0x6558;
/// The most MPLS labels read from one stack (RFC 3032 puts no limit; real stacks hold
/// a handful).
pub const MAX_MPLS_LABELS: usize = 8;

/// One encapsulation layer, with the offset of its header in the frame.
#[derive(Clone, Copy, Debug)]
pub enum Shim {
    /// A PPPoE session header (6 bytes) and the PPP protocol field after it (2 bytes).
    Pppoe {
        offset: usize,
        version_type: u8,
        code: u8,
        session: u16,
        /// The PPPoE payload length field.
        length: u16,
        ppp_protocol: u16,
    },
    /// One MPLS label stack entry (4 bytes).
    Mpls {
        offset: usize,
        label: u32,
        tc: u8,
        bottom: bool,
        ttl: u8,
    },
    /// The outer IP header of a tunnel.
    OuterIp(IpHeader),
    /// A GRE header (version 0) with its optional fields.
    Gre {
        offset: usize,
        header_len: usize,
        flags_version: u16,
        protocol: u16,
        /// The routing offset field (present with the checksum or routing bit).
        routing_offset: Option<u16>,
        key: Option<u32>,
        sequence: Option<u32>,
        /// GRE header and payload length (the outer IP payload length).
        length: u32,
    },
    /// A UDP header and the VXLAN header after it.
    Vxlan {
        offset: usize,
        sport: u16,
        dport: u16,
        flags: u8,
        vni: u32,
    },
    /// The Ethernet header of a frame inside a tunnel (VXLAN, GRE bridging).
    InnerEthernet {
        offset: usize,
        header_len: usize,
        src: [u8; 6],
        dst: [u8; 6],
        ethertype: u16,
    },
}

impl Shim {
    /// Offset and length of the header in the frame.
    pub fn span(&self) -> (usize, usize) {
        match *self {
            Shim::Pppoe { offset, .. } => (offset, 8),
            Shim::Mpls { offset, .. } => (offset, 4),
            Shim::OuterIp(ip) => (ip.offset, ip.header_len),
            Shim::Gre {
                offset, header_len, ..
            }
            | Shim::InnerEthernet {
                offset, header_len, ..
            } => (offset, header_len),
            Shim::Vxlan { offset, .. } => (offset, 16),
        }
    }
}

/// The encapsulation layers of one frame, outermost first (no allocation).
#[derive(Clone, Copy, Debug)]
pub struct Shims {
    items: [Option<Shim>; MAX_SHIMS],
    count: u8,
}

impl Default for Shims {
    /// No layers. Written out so that an empty stack costs a tag per slot, not a copy of
    /// a whole empty stack (it is made for every frame).
    fn default() -> Shims {
        Shims {
            items: std::array::from_fn(|_| None),
            count: 0,
        }
    }
}

impl Shims {
    pub(crate) fn push(&mut self, shim: Shim) -> bool {
        match self.items.get_mut(usize::from(self.count)) {
            Some(slot) => {
                *slot = Some(shim);
                self.count += 1;
                true
            }
            None => false,
        }
    }

    /// How many layers.
    pub(crate) fn len(&self) -> u8 {
        self.count
    }

    /// Forget the layers pushed after the first `len` (a tunnel that turned out not to be).
    pub(crate) fn truncate(&mut self, len: u8) {
        for slot in self.items.iter_mut().skip(usize::from(len)) {
            *slot = None;
        }
        self.count = self.count.min(len);
    }

    fn last_mpls_label(&self) -> Option<u32> {
        match self.iter().last() {
            Some(Shim::Mpls { label, .. }) => Some(*label),
            _ => None,
        }
    }

    pub fn iter(&self) -> impl Iterator<Item = &Shim> {
        self.items.iter().flatten()
    }

    pub fn is_empty(&self) -> bool {
        self.count == 0
    }
}

/// Walk the encapsulations starting at `at`, whose type is the Ethernet type `ethertype`,
/// down to an IP header. Returns the offset of the IP header and the Ethernet type that
/// names it (IPv4 or IPv6), or `None` when the frame carries something else.
pub(crate) fn walk(
    data: &[u8],
    mut at: usize,
    mut ethertype: u16,
    shims: &mut Shims,
    notes: &mut Notes,
) -> Option<(usize, u16)> {
    for _ in 0..MAX_SHIMS {
        match ethertype {
            ETHERTYPE_IPV4 | ETHERTYPE_IPV6 => return Some((at, ethertype)),
            GRE_ETHERNET => {
                let (offset, header_len, inner_type) = inner_ethernet(data, at, shims)?;
                at = offset + header_len;
                ethertype = inner_type;
            }
            ETHERTYPE_PPPOE_SESSION => {
                let (Some(version_type), Some(code), Some(session), Some(length), Some(proto)) = (
                    u8_at(data, at),
                    u8_at(data, at + 1),
                    be16(data, at + 2),
                    be16(data, at + 4),
                    be16(data, at + 6),
                ) else {
                    notes.add(Note::TruncatedLinkHeader);
                    return None;
                };
                if !shims.push(Shim::Pppoe {
                    offset: at,
                    version_type,
                    code,
                    session,
                    length,
                    ppp_protocol: proto,
                }) {
                    return None;
                }
                at += 8;
                ethertype = ppp_to_ethertype(proto)?;
            }
            ETHERTYPE_MPLS | ETHERTYPE_MPLS_MULTICAST => {
                let mut bottom = false;
                for _ in 0..MAX_MPLS_LABELS {
                    let Some(entry) = be32(data, at) else {
                        notes.add(Note::TruncatedLinkHeader);
                        return None;
                    };
                    bottom = entry & 0x100 != 0;
                    if !shims.push(Shim::Mpls {
                        offset: at,
                        label: entry >> 12,
                        tc: ((entry >> 9) & 7) as u8,
                        bottom,
                        ttl: (entry & 0xff) as u8,
                    }) {
                        return None;
                    }
                    at += 4;
                    if bottom {
                        break;
                    }
                }
                if !bottom {
                    return None;
                }
                // MPLS does not say what it carries: the explicit-NULL labels (0, 2)
                // name IPv4 and IPv6; otherwise, like tcpdump and Wireshark, guess from
                // the first nibble.
                let last_label = shims.last_mpls_label();
                ethertype = match (last_label, u8_at(data, at)? >> 4) {
                    (Some(0), _) | (_, 4) => ETHERTYPE_IPV4,
                    (Some(2), _) | (_, 6) => ETHERTYPE_IPV6,
                    _ => return None,
                };
            }
            _ => return None,
        }
    }
    None
}

/// The Ethernet type of a PPP protocol number, for the two that carry IP.
pub(crate) fn ppp_to_ethertype(protocol: u16) -> Option<u16> {
    match protocol {
        PPP_IPV4 => Some(ETHERTYPE_IPV4),
        PPP_IPV6 => Some(ETHERTYPE_IPV6),
        _ => None,
    }
}

/// An Ethernet frame inside a tunnel at `at`: kept as a shim; returns its offset, header
/// length (with VLAN tags) and Ethernet type.
fn inner_ethernet(data: &[u8], at: usize, shims: &mut Shims) -> Option<(usize, usize, u16)> {
    let LinkLayer::Ethernet {
        src,
        dst,
        ethertype,
        header_len,
        ..
    } = ethernet(data.get(at..)?)?
    else {
        return None;
    };
    shims
        .push(Shim::InnerEthernet {
            offset: at,
            header_len,
            src,
            dst,
            ethertype,
        })
        .then_some((at, header_len, ethertype))
}

/// When `ip` is the outer header of a tunnel, record it and the tunnel header as shims
/// and return where the inner IP header starts. `None` when `ip` is not a tunnel (or
/// the tunnel header is cut), in which case `shims` is left as it was.
pub(crate) fn tunnel(
    data: &[u8],
    ip: &IpHeader,
    shims: &mut Shims,
    notes: &mut Notes,
) -> Option<usize> {
    if ip.fragment != Fragment::Whole {
        return None;
    }
    let at = ip.offset + ip.header_len;
    let saved = shims.count;
    let found = match ip.protocol {
        4 | 41 => shims.push(Shim::OuterIp(*ip)).then_some(at),
        47 => gre(data, at, ip, shims, notes),
        17 if be16(data, at + 2) == Some(VXLAN_PORT) => vxlan(data, at, ip, shims, notes),
        _ => None,
    };
    if found.is_none() {
        shims.truncate(saved);
    }
    found
}

/// GRE version 0 (RFC 2784/2890): flags and version, protocol type, then the checksum
/// and routing offset (with C or R), the key (K) and the sequence number (S). Source
/// routing (R) is not followed.
fn gre(
    data: &[u8],
    at: usize,
    ip: &IpHeader,
    shims: &mut Shims,
    notes: &mut Notes,
) -> Option<usize> {
    const C: u16 = 0x8000;
    const R: u16 = 0x4000;
    const K: u16 = 0x2000;
    const S: u16 = 0x1000;
    let flags_version = be16(data, at)?;
    let protocol = be16(data, at + 2)?;
    if flags_version & 7 != 0 || flags_version & R != 0 {
        return None;
    }
    let mut next = at + 4;
    let mut routing_offset = None;
    if flags_version & C != 0 {
        routing_offset = Some(be16(data, next + 2)?);
        next += 4;
    }
    let mut key = None;
    if flags_version & K != 0 {
        key = Some(be32(data, next)?);
        next += 4;
    }
    let mut sequence = None;
    if flags_version & S != 0 {
        sequence = Some(be32(data, next)?);
        next += 4;
    }
    if !(shims.push(Shim::OuterIp(*ip))
        && shims.push(Shim::Gre {
            offset: at,
            header_len: next - at,
            flags_version,
            protocol,
            routing_offset,
            key,
            sequence,
            length: ip.declared_payload_len,
        }))
    {
        return None;
    }
    walk(data, next, protocol, shims, notes).map(|(inner, _)| inner)
}

/// VXLAN (RFC 7348): UDP header, then flags (I = 0x08: the VNI is valid), reserved
/// bytes, the 24-bit VNI, and an Ethernet frame.
fn vxlan(
    data: &[u8],
    at: usize,
    ip: &IpHeader,
    shims: &mut Shims,
    notes: &mut Notes,
) -> Option<usize> {
    let sport = be16(data, at)?;
    let dport = be16(data, at + 2)?;
    let flags = u8_at(data, at + 8)?;
    let vni = be32(data, at + 12)? >> 8;
    if !(shims.push(Shim::OuterIp(*ip))
        && shims.push(Shim::Vxlan {
            offset: at,
            sport,
            dport,
            flags,
            vni,
        }))
    {
        return None;
    }
    let (offset, header_len, ethertype) = inner_ethernet(data, at + 16, shims)?;
    walk(data, offset + header_len, ethertype, shims, notes).map(|(inner, _)| inner)
}

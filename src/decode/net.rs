//! IPv4 and IPv6 headers (with IPv4 options and IPv6 extension headers), and the
//! dispatch to the transport layer. Lengths come from the IP header, so a frame cut by
//! the snapshot length still reports its true TCP payload length.

use super::tcp::decode_tcp;
use super::{Note, Notes, Transport, be16, u8_at};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// Where an IP packet sits in a fragmented datagram.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fragment {
    /// Not fragmented.
    Whole,
    /// The first fragment: the transport header is here, the rest of the payload is not.
    First,
    /// A later fragment: no transport header.
    Later { offset: u32 },
}

/// The most IPv6 extension headers kept per packet.
pub const MAX_EXTENSIONS: usize = 8;

/// The facts of an IP header that later stages need.
#[derive(Clone, Copy, Debug)]
pub struct IpHeader {
    pub version: u8,
    pub src: IpAddr,
    pub dst: IpAddr,
    /// Offset of the IP header in the frame.
    pub offset: usize,
    /// IPv4: IHL × 4. IPv6: 40 plus the extension headers.
    pub header_len: usize,
    /// The upper-layer protocol (after IPv6 extension headers).
    pub protocol: u8,
    /// Payload length as the IP header declares it (IPv4 total length − IHL × 4; IPv6
    /// payload length − extension headers).
    pub declared_payload_len: u32,
    /// Payload bytes that were on the wire: the declared length, limited by the frame.
    pub wire_payload_len: u32,
    /// Declared total length minus what was on the wire, when positive.
    pub missing_bytes: u32,
    pub ttl: u8,
    pub id: u32,
    pub fragment: Fragment,
    /// IPv6 extension headers present, in order (next-header numbers), at most
    /// `MAX_EXTENSIONS` kept.
    pub extensions: [u8; MAX_EXTENSIONS],
    /// Where each of `extensions` starts in the frame.
    pub extension_offsets: [u32; MAX_EXTENSIONS],
    /// IPv4 total length field was 0 (segmentation offload): the length was taken from
    /// the frame, as tshark does; tcpdump prints `IP bad-len 0`.
    pub length_from_frame: bool,
    pub extension_count: u8,
    /// The more-fragments flag (IPv4 MF bit, or the IPv6 fragment header's M bit).
    pub more_fragments: bool,
    /// IPv6 fragment header values (offset in bytes, more-fragments), for tcpdump's `frag`.
    pub ipv6_fragment: Option<(u32, bool)>,
}

pub(crate) fn decode_ip(
    data: &[u8],
    at: usize,
    wire_len: usize,
    notes: &mut Notes,
) -> Option<IpHeader> {
    let Some(first) = u8_at(data, at) else {
        notes.add(Note::TruncatedIpHeader);
        return None;
    };
    match first >> 4 {
        4 => ipv4(data, at, wire_len, notes),
        6 => ipv6(data, at, wire_len, notes),
        _ => {
            notes.add(Note::BadIpVersion);
            None
        }
    }
}

fn addr4(data: &[u8], at: usize) -> Option<IpAddr> {
    let b: [u8; 4] = data.get(at..at + 4)?.try_into().ok()?;
    Some(IpAddr::V4(Ipv4Addr::from(b)))
}

fn addr6(data: &[u8], at: usize) -> Option<IpAddr> {
    let b: [u8; 16] = data.get(at..at + 16)?.try_into().ok()?;
    Some(IpAddr::V6(Ipv6Addr::from(b)))
}

fn ipv4(data: &[u8], at: usize, wire_len: usize, notes: &mut Notes) -> Option<IpHeader> {
    let (
        Some(ihl_byte),
        Some(total_len),
        Some(id),
        Some(frag),
        Some(ttl),
        Some(protocol),
        Some(src),
        Some(dst),
    ) = (
        u8_at(data, at),
        be16(data, at + 2),
        be16(data, at + 4),
        be16(data, at + 6),
        u8_at(data, at + 8),
        u8_at(data, at + 9),
        addr4(data, at + 12),
        addr4(data, at + 16),
    )
    else {
        notes.add(Note::TruncatedIpHeader);
        return None;
    };
    let header_len = usize::from(ihl_byte & 0x0f) * 4;
    if header_len < 20 {
        notes.add(Note::BadIpHeaderLength);
        return None;
    }
    if data.len() < at + header_len {
        notes.add(Note::TruncatedIpHeader);
        return None;
    }
    // A total length of 0 is what TCP segmentation offload leaves: use what was on the wire.
    let total = if total_len == 0 {
        wire_len
    } else {
        usize::from(total_len)
    };
    if total < header_len {
        notes.add(Note::BadIpHeaderLength);
        return None;
    }
    let missing = total.saturating_sub(wire_len);
    if missing > 0 {
        notes.add(Note::IpLengthBeyondFrame);
    }
    let more_fragments = frag & 0x2000 != 0;
    let frag_offset = u32::from(frag & 0x1fff) * 8;
    let fragment = if frag_offset > 0 {
        Fragment::Later {
            offset: frag_offset,
        }
    } else if more_fragments {
        Fragment::First
    } else {
        Fragment::Whole
    };
    if fragment != Fragment::Whole {
        notes.add(Note::IpFragment);
    }
    Some(IpHeader {
        version: 4,
        src,
        dst,
        offset: at,
        header_len,
        protocol,
        declared_payload_len: (total - header_len) as u32,
        wire_payload_len: (total.min(wire_len).saturating_sub(header_len)) as u32,
        missing_bytes: missing as u32,
        ttl,
        id: u32::from(id),
        fragment,
        extensions: [0; MAX_EXTENSIONS],
        extension_offsets: [0; MAX_EXTENSIONS],
        length_from_frame: total_len == 0,
        more_fragments,
        extension_count: 0,
        ipv6_fragment: None,
    })
}

fn ipv6(data: &[u8], at: usize, wire_len: usize, notes: &mut Notes) -> Option<IpHeader> {
    let (Some(flow), Some(payload_len), Some(mut next), Some(hop), Some(src), Some(dst)) = (
        super::be32(data, at),
        be16(data, at + 4),
        u8_at(data, at + 6),
        u8_at(data, at + 7),
        addr6(data, at + 8),
        addr6(data, at + 24),
    ) else {
        notes.add(Note::TruncatedIpHeader);
        return None;
    };
    let payload_total = if payload_len == 0 {
        wire_len.saturating_sub(40)
    } else {
        usize::from(payload_len)
    };
    let mut header_len = 40usize;
    let mut extensions = [0u8; MAX_EXTENSIONS];
    let mut extension_offsets = [0u32; MAX_EXTENSIONS];
    let mut extension_count = 0u8;
    let mut fragment = Fragment::Whole;
    let mut ipv6_fragment = None;
    let mut id = flow & 0x000f_ffff;
    // Walk the extension headers; each is bounded by the captured bytes.
    for _ in 0..16 {
        let ext_at = at + header_len;
        let len = match next {
            0 | 43 | 60 | 135 | 139 | 140 => {
                let Some(l) = u8_at(data, ext_at + 1) else {
                    break;
                };
                (usize::from(l) + 1) * 8
            }
            44 => {
                let (Some(off), Some(ident)) =
                    (be16(data, ext_at + 2), super::be32(data, ext_at + 4))
                else {
                    break;
                };
                let offset = u32::from(off & 0xfff8);
                let more = off & 1 != 0;
                ipv6_fragment = Some((offset, more));
                id = ident;
                if offset > 0 {
                    fragment = Fragment::Later { offset };
                } else if more {
                    fragment = Fragment::First;
                }
                8
            }
            51 => {
                let Some(l) = u8_at(data, ext_at + 1) else {
                    break;
                };
                (usize::from(l) + 2) * 4
            }
            _ => break,
        };
        let Some(following) = u8_at(data, ext_at) else {
            break;
        };
        if let (Some(slot), Some(offset)) = (
            extensions.get_mut(usize::from(extension_count)),
            extension_offsets.get_mut(usize::from(extension_count)),
        ) {
            *slot = next;
            *offset = ext_at as u32;
            extension_count += 1;
        }
        next = following;
        header_len += len;
    }
    if fragment != Fragment::Whole {
        notes.add(Note::IpFragment);
    }
    let total = 40 + payload_total;
    let missing = total.saturating_sub(wire_len);
    if missing > 0 {
        notes.add(Note::IpLengthBeyondFrame);
    }
    Some(IpHeader {
        version: 6,
        src,
        dst,
        offset: at,
        header_len,
        protocol: next,
        declared_payload_len: total.saturating_sub(header_len) as u32,
        wire_payload_len: total.min(wire_len).saturating_sub(header_len) as u32,
        missing_bytes: missing as u32,
        ttl: hop,
        id,
        fragment,
        extensions,
        extension_offsets,
        length_from_frame: false,
        more_fragments: ipv6_fragment.is_some_and(|(_, more)| more),
        extension_count,
        ipv6_fragment,
    })
}

pub(crate) fn decode_transport<'a>(
    data: &'a [u8],
    ip: &IpHeader,
    notes: &mut Notes,
) -> Transport<'a> {
    if let Fragment::Later { .. } = ip.fragment {
        return Transport::Other {
            protocol: ip.protocol,
        };
    }
    let at = ip.offset + ip.header_len;
    match ip.protocol {
        6 => decode_tcp(data, at, ip, notes),
        17 => match (be16(data, at), be16(data, at + 2)) {
            (Some(sport), Some(dport)) => Transport::Udp { sport, dport },
            _ => Transport::Other { protocol: 17 },
        },
        1 | 58 => match (u8_at(data, at), u8_at(data, at + 1)) {
            (Some(kind), Some(code)) => Transport::Icmp { kind, code },
            _ => Transport::Other {
                protocol: ip.protocol,
            },
        },
        protocol => Transport::Other { protocol },
    }
}

//! Decoding one captured frame: link layer → IPv4/IPv6 → TCP (or UDP/ICMP, counted only).
//!
//! [`decode`] is a bounds-checked *view* over the frame's bytes: it copies nothing, never
//! panics, and parses as far as the bytes allow. What was odd or cut short is kept as
//! [`Notes`] rather than dropping the packet: a student should see a SYN+FIN, not lose it.
//! Every field is read through [`be16`]/[`be32`], which return `None` past the end, so
//! after `decode` returns a [`TcpView`] its fixed 20-byte header is known to be present.
//!
//! The header-field tree for the details pane lives in [`fields`]; it walks the same
//! offsets this module records.

mod encap;
pub mod fields;
mod link;
mod net;
mod reassembly;
pub mod tcp;

pub use encap::{MAX_MPLS_LABELS, MAX_SHIMS, Shim, Shims};
pub use link::{LinkLayer, RadioHeader, VlanTag, radiotap_fields};
pub use net::{Fragment, IpHeader};
pub use reassembly::{MAX_PENDING, MAX_PENDING_BYTES, Reassembler};
pub use tcp::{Control, TcpFlags, TcpOption, TcpOptionItem, TcpView, option_name, walk_options};

use crate::capture::Frame;

/// Something odd about a frame, kept for the user to see.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
pub enum Note {
    UnsupportedLinkType,
    TruncatedLinkHeader,
    TruncatedIpHeader,
    BadIpVersion,
    BadIpHeaderLength,
    /// IP total length claims more bytes than were on the wire.
    IpLengthBeyondFrame,
    IpFragment,
    TruncatedTcpHeader,
    /// TCP data offset below 5 (20 bytes).
    TcpHeaderTooShort,
    /// TCP data offset larger than the segment.
    TcpHeaderTooLong,
    /// The options run past the header, or an option length is impossible.
    BadTcpOption,
    /// SYN together with FIN, or SYN with RST, or FIN with RST: never legitimate.
    IllegalFlags,
    /// The frame was cut by the snapshot length before the end of the TCP header.
    OptionsCut,
    /// An encrypted (protected) 802.11 frame: counted, its contents cannot be read.
    ProtectedFrame,
}

impl Note {
    pub fn describe(self) -> &'static str {
        match self {
            Note::UnsupportedLinkType => "unsupported link type: the frame is kept but not decoded",
            Note::TruncatedLinkHeader => "link-layer header cut short",
            Note::TruncatedIpHeader => "IP header cut short",
            Note::BadIpVersion => "IP version field is neither 4 nor 6",
            Note::BadIpHeaderLength => "IP header length field is impossible",
            Note::IpLengthBeyondFrame => "IP total length is larger than the frame on the wire",
            Note::IpFragment => {
                "IP fragment: its TCP segment is analysed in the frame that completes the datagram"
            }
            Note::TruncatedTcpHeader => "TCP header cut short",
            Note::TcpHeaderTooShort => "TCP data offset below the 20-byte minimum",
            Note::TcpHeaderTooLong => "TCP data offset runs past the end of the segment",
            Note::BadTcpOption => "malformed TCP option",
            Note::IllegalFlags => "illegal flag combination (SYN+FIN, SYN+RST or FIN+RST)",
            Note::OptionsCut => "TCP options cut by the snapshot length",
            Note::ProtectedFrame => {
                "encrypted 802.11 frame (protected): counted, its contents cannot be decoded"
            }
        }
    }
}

/// A small set of [`Note`]s (no allocation).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Notes(u32);

impl Notes {
    pub fn add(&mut self, note: Note) {
        self.0 |= 1 << (note as u32);
    }
    pub fn has(self, note: Note) -> bool {
        self.0 & (1 << (note as u32)) != 0
    }
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }
    pub fn iter(self) -> impl Iterator<Item = Note> {
        ALL_NOTES.into_iter().filter(move |n| self.has(*n))
    }
}

const ALL_NOTES: [Note; 14] = [
    Note::UnsupportedLinkType,
    Note::TruncatedLinkHeader,
    Note::TruncatedIpHeader,
    Note::BadIpVersion,
    Note::BadIpHeaderLength,
    Note::IpLengthBeyondFrame,
    Note::IpFragment,
    Note::TruncatedTcpHeader,
    Note::TcpHeaderTooShort,
    Note::TcpHeaderTooLong,
    Note::BadTcpOption,
    Note::IllegalFlags,
    Note::OptionsCut,
    Note::ProtectedFrame,
];

/// The transport layer found in a frame.
#[derive(Clone, Copy, Debug)]
pub enum Transport<'a> {
    Tcp(TcpView<'a>),
    /// A TCP segment whose header is cut or whose data offset is below 5: ports may be known.
    BrokenTcp {
        offset: usize,
        ports: Option<(u16, u16)>,
    },
    Udp {
        sport: u16,
        dport: u16,
    },
    Icmp {
        kind: u8,
        code: u8,
    },
    /// A later IP fragment, or another protocol.
    Other {
        protocol: u8,
    },
}

/// Everything [`decode`] learned about a frame.
#[derive(Clone, Copy, Debug)]
pub struct Decoded<'a> {
    pub link: LinkLayer,
    /// Encapsulations between the link header and the IP header (PPPoE, MPLS).
    pub shims: Shims,
    pub ip: Option<IpHeader>,
    pub transport: Option<Transport<'a>>,
    pub notes: Notes,
}

impl<'a> Decoded<'a> {
    pub fn tcp(&self) -> Option<&TcpView<'a>> {
        match &self.transport {
            Some(Transport::Tcp(t)) => Some(t),
            _ => None,
        }
    }
}

/// Decode a frame as far as its bytes allow.
///
/// A `Decoded` is large (its layers are kept inline, without allocating), and a copy of
/// it per packet is measurable: so this small part is inlined, and the result is filled
/// in place in the caller's own variable.
#[inline(always)]
pub fn decode<'a>(frame: &Frame<'a>) -> Decoded<'a> {
    let mut notes = Notes::default();
    let link = link::decode_link(frame.link, frame.data, &mut notes);
    let mut decoded = Decoded {
        link,
        shims: Shims::default(),
        ip: None,
        transport: None,
        notes,
    };
    decode_network(frame, &mut decoded);
    decoded
}

/// The layers above the link header: encapsulations, IP (the innermost, through
/// tunnels) and the transport header.
#[inline(never)]
fn decode_network<'a>(frame: &Frame<'a>, decoded: &mut Decoded<'a>) {
    let data = frame.data;
    let Some((ip_at, _)) = decoded.link.payload().and_then(|(at, ethertype)| {
        encap::walk(data, at, ethertype, &mut decoded.shims, &mut decoded.notes)
    }) else {
        return;
    };
    // Bytes of the network layer that were on the wire (may exceed what was captured).
    let wire_len = (frame.original_len as usize)
        .max(data.len())
        .saturating_sub(ip_at);
    let Some(mut ip) = net::decode_ip(data, ip_at, wire_len, &mut decoded.notes) else {
        return;
    };
    // Tunnels: the innermost IP packet is the one whose TCP connection is shown.
    for _ in 0..encap::MAX_TUNNELS {
        let before = decoded.shims.len();
        let Some(inner_at) = encap::tunnel(data, &ip, &mut decoded.shims, &mut decoded.notes)
        else {
            break;
        };
        let end = ip.offset + ip.header_len + ip.wire_payload_len as usize;
        let mut inner_notes = decoded.notes;
        match net::decode_ip(
            data,
            inner_at,
            end.saturating_sub(inner_at),
            &mut inner_notes,
        ) {
            Some(inner) => {
                ip = inner;
                decoded.notes = inner_notes;
            }
            None => {
                decoded.shims.truncate(before);
                break;
            }
        }
    }
    decoded.transport = Some(net::decode_transport(data, &ip, &mut decoded.notes));
    decoded.ip = Some(ip);
}

/// Big-endian u16 at `at`, or `None` past the end.
pub fn be16(b: &[u8], at: usize) -> Option<u16> {
    let s = b.get(at..at.checked_add(2)?)?;
    Some(u16::from_be_bytes([*s.first()?, *s.get(1)?]))
}

/// Big-endian u32 at `at`, or `None` past the end.
pub fn be32(b: &[u8], at: usize) -> Option<u32> {
    let s = b.get(at..at.checked_add(4)?)?;
    Some(u32::from_be_bytes(s.try_into().ok()?))
}

/// Byte at `at`, or `None` past the end.
pub fn u8_at(b: &[u8], at: usize) -> Option<u8> {
    b.get(at).copied()
}

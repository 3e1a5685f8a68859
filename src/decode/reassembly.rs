//! IP fragment reassembly (IPv4 and IPv6), as tshark does it: the fragments of one
//! datagram (same version, addresses, protocol and identification) are collected, and
//! when the last hole is filled the whole datagram is rebuilt, to be decoded in the frame
//! of the fragment that completed it.
//!
//! Memory is bounded whatever the capture holds: at most [`MAX_PENDING`] datagrams are
//! in progress, at most [`MAX_PENDING_BYTES`] bytes are buffered and at most
//! [`MAX_PIECES`] fragments are kept per datagram; beyond any of them, the oldest
//! datagram in progress (or the one with too many pieces) is given up. A datagram never larger than IP allows
//! (65,535 bytes). Datagrams given up or still incomplete at the end are counted, so they
//! can be reported.

use super::net::{Fragment, IpHeader};
use std::collections::VecDeque;
use std::net::IpAddr;

/// The most datagrams reassembled at once.
pub const MAX_PENDING: usize = 256;
/// The most fragment bytes buffered at once (all datagrams together).
pub const MAX_PENDING_BYTES: usize = 4 * 1024 * 1024;
/// The most fragments kept for one datagram (a 65,535-byte datagram in 8-byte pieces
/// would need 8,192; real ones have a handful). Beyond, the datagram is given up.
pub const MAX_PIECES: usize = 1024;
/// The largest datagram payload IP can carry.
const MAX_DATAGRAM: u32 = 65_535;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct DatagramKey {
    src: IpAddr,
    dst: IpAddr,
    protocol: u8,
    id: u32,
}

#[derive(Debug)]
struct Pending {
    key: DatagramKey,
    /// The IP header of the first fragment (offset 0), to rebuild the datagram.
    first_header: Option<Vec<u8>>,
    /// (offset, bytes) of each fragment's payload.
    pieces: Vec<(u32, Vec<u8>)>,
    /// Payload length, known once the last fragment (more-fragments clear) is seen.
    total: Option<u32>,
    bytes: usize,
    /// Frame number of the first fragment seen, for the report.
    first_frame: u64,
}

impl Pending {
    /// The whole payload, when every byte from 0 to `total` is present.
    fn payload(&self) -> Option<Vec<u8>> {
        let total = self.total?;
        let mut pieces: Vec<&(u32, Vec<u8>)> = self.pieces.iter().collect();
        pieces.sort_by_key(|(offset, _)| *offset);
        let mut out = vec![0u8; total as usize];
        let mut covered = 0u32;
        for (offset, bytes) in pieces {
            if *offset > covered {
                return None;
            }
            let start = *offset as usize;
            let end = (start + bytes.len()).min(total as usize);
            if let (Some(dst), Some(src)) = (
                out.get_mut(start..end),
                bytes.get(..end.saturating_sub(start)),
            ) {
                dst.copy_from_slice(src);
            }
            covered = covered.max(end as u32);
        }
        (covered >= total).then_some(out)
    }
}

/// The reassembly state of one capture.
#[derive(Debug, Default)]
pub struct Reassembler {
    pending: VecDeque<Pending>,
    bytes: usize,
    /// Datagrams given up (memory bound reached), and the first one's first frame.
    abandoned: u64,
    first_abandoned: Option<u64>,
}

/// What a reassembled datagram is: an IP packet (header and whole payload) to decode as
/// raw IP, owned.
pub type Datagram = Vec<u8>;

impl Reassembler {
    pub fn new() -> Reassembler {
        Reassembler::default()
    }

    /// Offer one fragment (`ip` decoded from `data`, seen in frame `frame`). Returns the
    /// rebuilt datagram when this fragment completes it.
    pub fn add(&mut self, frame: u64, data: &[u8], ip: &IpHeader) -> Option<Datagram> {
        let (offset, more) = match (ip.version, ip.fragment, ip.ipv6_fragment) {
            (_, Fragment::Whole, _) => return None,
            (6, _, Some((offset, more))) => (offset, more),
            (_, Fragment::First, _) => (0, true),
            (_, Fragment::Later { offset }, _) => (offset, ip.more_fragments),
        };
        let key = DatagramKey {
            src: ip.src,
            dst: ip.dst,
            protocol: ip.protocol,
            id: ip.id,
        };
        let start = ip.offset + ip.header_len;
        let len = ip.wire_payload_len as usize;
        let piece = data.get(start..start + len)?.to_vec();
        let end = offset.checked_add(piece.len() as u32)?;
        if end > MAX_DATAGRAM {
            return None;
        }
        let index = match self.pending.iter().position(|p| p.key == key) {
            Some(i) => i,
            None => {
                if self.pending.len() >= MAX_PENDING {
                    self.give_up_oldest();
                }
                self.pending.push_back(Pending {
                    key,
                    first_header: None,
                    pieces: Vec::new(),
                    total: None,
                    bytes: 0,
                    first_frame: frame,
                });
                self.pending.len() - 1
            }
        };
        if self.pending.get(index)?.pieces.len() >= MAX_PIECES {
            let dropped = self.pending.remove(index)?;
            self.bytes -= dropped.bytes;
            self.abandoned += 1;
            self.first_abandoned.get_or_insert(dropped.first_frame);
            return None;
        }
        let p = self.pending.get_mut(index)?;
        if offset == 0 {
            p.first_header = data.get(ip.offset..start).map(<[u8]>::to_vec);
        }
        if !more {
            p.total = Some(end);
        }
        p.bytes += piece.len();
        self.bytes += piece.len();
        p.pieces.push((offset, piece));
        let payload = p.payload();
        let header = p.first_header.clone();
        if let (Some(payload), Some(header)) = (payload, header) {
            let done = self.pending.remove(index)?;
            self.bytes -= done.bytes;
            return rebuild(ip, &header, &payload);
        }
        while self.bytes > MAX_PENDING_BYTES && !self.pending.is_empty() {
            self.give_up_oldest();
        }
        None
    }

    fn give_up_oldest(&mut self) {
        if let Some(old) = self.pending.pop_front() {
            self.bytes -= old.bytes;
            self.abandoned += 1;
            self.first_abandoned.get_or_insert(old.first_frame);
        }
    }

    /// Fragment sets that never completed (given up for memory, or still incomplete at
    /// the end of the capture): how many, and the earliest frame of one of them.
    pub fn incomplete(&self) -> (u64, Option<u64>) {
        let count = self.abandoned + self.pending.len() as u64;
        let first = self
            .pending
            .iter()
            .map(|p| p.first_frame)
            .chain(self.first_abandoned)
            .min();
        (count, first)
    }

    /// Bytes of fragments buffered now.
    pub fn buffered_bytes(&self) -> usize {
        self.bytes
    }
}

/// The datagram as one unfragmented IP packet: the first fragment's IPv4 header with the
/// total length set and the fragment fields cleared, or an IPv6 header (the extension
/// headers before the fragment header are dropped) naming the upper protocol.
fn rebuild(ip: &IpHeader, first_header: &[u8], payload: &[u8]) -> Option<Datagram> {
    let mut out = Vec::with_capacity(first_header.len() + payload.len());
    if ip.version == 4 {
        let total = u16::try_from(first_header.len() + payload.len()).ok()?;
        out.extend_from_slice(first_header);
        out.get_mut(2..4)?.copy_from_slice(&total.to_be_bytes());
        out.get_mut(6..8)?.copy_from_slice(&[0, 0]);
    } else {
        let len = u16::try_from(payload.len()).ok()?;
        out.extend_from_slice(first_header.get(..40)?);
        out.get_mut(4..6)?.copy_from_slice(&len.to_be_bytes());
        *out.get_mut(6)? = ip.protocol;
    }
    out.extend_from_slice(payload);
    Some(out)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;
    use crate::capture::{Frame, LinkType, Timestamp};
    use crate::decode::{Transport, decode};

    /// A raw IPv4 fragment 10.0.0.1 → 10.0.0.2, protocol TCP, id `id`, carrying `payload`
    /// at byte `offset` (a multiple of 8), with the more-fragments bit `more`.
    fn fragment(id: u16, offset: u16, more: bool, payload: &[u8]) -> Vec<u8> {
        let total = (20 + payload.len()) as u16;
        let frag = (offset / 8) | if more { 0x2000 } else { 0 };
        let mut p = vec![0x45, 0];
        p.extend_from_slice(&total.to_be_bytes());
        p.extend_from_slice(&id.to_be_bytes());
        p.extend_from_slice(&frag.to_be_bytes());
        p.extend_from_slice(&[64, 6, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2]);
        p.extend_from_slice(payload);
        p
    }

    /// A TCP segment 40000 → 80, seq 7, 20-byte header, with `data`.
    fn tcp(data: &[u8]) -> Vec<u8> {
        let mut t = vec![
            0x9c, 0x40, 0, 80, 0, 0, 0, 7, 0, 0, 0, 0, 0x50, 0x18, 0xff, 0xff,
        ];
        t.extend_from_slice(&[0, 0, 0, 0]);
        t.extend_from_slice(data);
        t
    }

    fn offer(r: &mut Reassembler, n: u64, bytes: &[u8]) -> Option<Datagram> {
        let frame = Frame {
            number: n,
            ts: Timestamp::default(),
            link: LinkType::RAW,
            interface: 0,
            original_len: bytes.len() as u32,
            data: bytes,
            data_offset: 0,
            comments: &[],
        };
        let d = decode(&frame);
        r.add(n, bytes, &d.ip.unwrap())
    }

    #[test]
    fn fragments_out_of_order_give_back_the_whole_segment() {
        let segment = tcp(&[b'x'; 36]); // 56 bytes: fragments of 24, 24 and 8
        let mut r = Reassembler::new();
        assert!(offer(&mut r, 1, &fragment(9, 24, true, &segment[24..48])).is_none());
        assert!(offer(&mut r, 2, &fragment(9, 48, false, &segment[48..])).is_none());
        let whole = offer(&mut r, 3, &fragment(9, 0, true, &segment[..24])).unwrap();
        let frame = Frame {
            number: 3,
            ts: Timestamp::default(),
            link: LinkType::RAW,
            interface: 0,
            original_len: whole.len() as u32,
            data: &whole,
            data_offset: 0,
            comments: &[],
        };
        let d = decode(&frame);
        let Some(Transport::Tcp(t)) = d.transport else {
            panic!("no TCP in the reassembled datagram");
        };
        assert_eq!((t.sport, t.dport, t.seq, t.payload_len), (40000, 80, 7, 36));
        assert_eq!(r.incomplete(), (0, None));
        assert_eq!(r.buffered_bytes(), 0);
    }

    #[test]
    fn a_set_that_never_completes_is_reported_by_its_first_frame() {
        let segment = tcp(&[b'y'; 20]);
        let mut r = Reassembler::new();
        assert!(offer(&mut r, 5, &fragment(1, 0, true, &segment[..24])).is_none());
        assert_eq!(r.incomplete(), (1, Some(5)));
    }

    #[test]
    fn endless_empty_fragments_of_one_datagram_are_given_up() {
        let mut r = Reassembler::new();
        for n in 0..5_000u64 {
            let _ = offer(&mut r, n, &fragment(3, 8, true, &[]));
            assert!(r.pending.iter().all(|p| p.pieces.len() <= MAX_PIECES));
        }
        assert!(r.incomplete().0 >= 4);
    }

    #[test]
    fn a_hostile_flood_of_fragments_stays_within_the_memory_bound() {
        let mut r = Reassembler::new();
        let chunk = [0u8; 1480];
        for i in 0..20_000u32 {
            // Every fragment opens a new datagram that never completes.
            let bytes = fragment(i as u16, 8 * (i % 100) as u16, true, &chunk);
            let _ = offer(&mut r, u64::from(i), &bytes);
            assert!(r.buffered_bytes() <= MAX_PENDING_BYTES);
            assert!(r.pending.len() <= MAX_PENDING);
        }
        assert_eq!(r.incomplete(), (20_000, Some(0)));
    }
}

//! Follow TCP stream: the reassembled payload of a connection, client bytes and server
//! bytes in the order they first appeared, with gaps shown as "[N bytes missing in
//! capture]" and retransmitted or overlapping bytes counted once.
//!
//! Each direction is reassembled on relative sequence numbers: segments sorted by
//! sequence number are merged, keeping only bytes beyond what is already placed. Bytes
//! the snapshot length cut off count as missing. The chunks of both directions are then
//! interleaved by the frame at which they became deliverable in order, as the receiving
//! application saw them.

use crate::flow::Side;
use crate::session::Session;
use std::fmt::Write;

/// One piece of a followed stream.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Chunk {
    pub side: Side,
    /// The frame that carried these bytes (or, for a gap, the first frame after it).
    pub frame: u64,
    /// Stream offset (relative sequence number) of the first byte.
    pub offset: u32,
    pub content: Content,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Content {
    Data(Vec<u8>),
    /// Bytes that crossed the wire but are not in the capture.
    Missing(u64),
}

/// The whole followed conversation.
#[derive(Clone, Debug, Default)]
pub struct Followed {
    pub chunks: Vec<Chunk>,
    /// Bytes delivered per side (A, B), and bytes missing per side.
    pub bytes: [u64; 2],
    pub missing: [u64; 2],
}

struct Piece {
    frame: u64,
    start: u64,
    len: u64,
    data: Vec<u8>,
}

/// Reassemble connection `stream`.
pub fn follow(session: &Session, stream: u32) -> Followed {
    let mut out = Followed::default();
    let mut per_side: [Vec<Chunk>; 2] = [Vec::new(), Vec::new()];
    for (i, side) in [Side::A, Side::B].into_iter().enumerate() {
        let mut pieces: Vec<Piece> = session
            .connection_packets(stream)
            .filter(|p| p.side() == side && p.payload_len > 0)
            .map(|p| {
                let data = session
                    .with_decoded(p, |_, d| {
                        d.tcp().map(|t| t.payload.to_vec()).unwrap_or_default()
                    })
                    .unwrap_or_default();
                Piece {
                    frame: p.frame(),
                    start: u64::from(p.rel_seq),
                    len: u64::from(p.payload_len),
                    data,
                }
            })
            .collect();
        pieces.sort_by_key(|p| (p.start, p.frame));
        let mut pos: Option<u64> = None;
        let Some(chunks) = per_side.get_mut(i) else {
            continue;
        };
        for piece in pieces {
            let end = piece.start + piece.len;
            let next = pos.unwrap_or(piece.start);
            if end <= next {
                continue; // retransmitted or overlapping: already placed
            }
            if piece.start > next {
                let gap = piece.start - next;
                chunks.push(Chunk {
                    side,
                    frame: piece.frame,
                    offset: next as u32,
                    content: Content::Missing(gap),
                });
            }
            let from = next.max(piece.start);
            let skip = (from - piece.start) as usize;
            let wanted = (end - from) as usize;
            let have: Vec<u8> = piece.data.iter().skip(skip).take(wanted).copied().collect();
            let cut = wanted - have.len();
            if !have.is_empty() {
                chunks.push(Chunk {
                    side,
                    frame: piece.frame,
                    offset: from as u32,
                    content: Content::Data(have),
                });
            }
            if cut > 0 {
                chunks.push(Chunk {
                    side,
                    frame: piece.frame,
                    offset: (end - cut as u64) as u32,
                    content: Content::Missing(cut as u64),
                });
            }
            pos = Some(end);
        }
    }
    // Interleave the sides by when their bytes became deliverable in order: a chunk that
    // arrived early (after a hole) is delivered when the hole is filled.
    let mut keyed: Vec<(u64, usize, Chunk)> = Vec::new();
    for chunks in per_side {
        let mut deliverable = 0u64;
        for chunk in chunks {
            deliverable = deliverable.max(chunk.frame);
            let order = keyed.len();
            keyed.push((deliverable, order, chunk));
        }
    }
    keyed.sort_by_key(|(frame, order, _)| (*frame, *order));
    let all = keyed.into_iter().map(|(_, _, c)| c);
    // Merge neighbouring pieces of the same kind from the same side.
    for chunk in all {
        let idx = usize::from(chunk.side == Side::B);
        match &chunk.content {
            Content::Data(d) => {
                if let Some(slot) = out.bytes.get_mut(idx) {
                    *slot += d.len() as u64;
                }
            }
            Content::Missing(n) => {
                if let Some(slot) = out.missing.get_mut(idx) {
                    *slot += n;
                }
            }
        }
        if let Some(last) = out.chunks.last_mut()
            && last.side == chunk.side
            && let (Content::Data(prev), Content::Data(next)) = (&mut last.content, &chunk.content)
        {
            prev.extend_from_slice(next);
            continue;
        }
        out.chunks.push(chunk);
    }
    out
}

/// Printable text: non-printable bytes as `.` (newlines and tabs kept).
pub fn printable(data: &[u8]) -> String {
    data.iter()
        .map(|&b| match b {
            b'\n' | b'\t' => b as char,
            b'\r' => '\r',
            0x20..=0x7e => b as char,
            _ => '.',
        })
        .filter(|c| *c != '\r')
        .collect()
}

/// `hexdump -C`-style lines, offsets relative to the stream.
pub fn hex_lines(data: &[u8], offset: u32) -> Vec<String> {
    data.chunks(16)
        .enumerate()
        .map(|(i, row)| {
            let mut line = format!("{:08x}  ", u64::from(offset) + (i as u64) * 16);
            for (j, b) in row.iter().enumerate() {
                let _ = write!(line, "{b:02x} ");
                if j == 7 {
                    line.push(' ');
                }
            }
            let pad = 16 - row.len();
            line.push_str(&"   ".repeat(pad));
            if pad > 8 {
                line.push(' ');
            }
            let _ = write!(
                line,
                " |{}|",
                row.iter()
                    .map(|&b| if (0x20..0x7f).contains(&b) {
                        b as char
                    } else {
                        '.'
                    })
                    .collect::<String>()
            );
            line
        })
        .collect()
}

/// The followed stream as text for the terminal or a file.
pub fn render(session: &Session, stream: u32, hex: bool) -> String {
    let Some(conn) = session.connection(stream) else {
        return String::new();
    };
    let f = follow(session, stream);
    let name = |side: Side| super::tables::role_name(conn, side);
    let (c, s) = (conn.client(), conn.server());
    let idx = |side: Side| usize::from(side == Side::B);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Connection {stream}: {} ⇄ {}",
        conn.endpoint(c),
        conn.endpoint(s)
    );
    for side in [c, s] {
        let _ = writeln!(
            out,
            "{} → {}: {} bytes{}",
            name(side),
            name(side.other()),
            f.bytes.get(idx(side)).copied().unwrap_or(0),
            match f.missing.get(idx(side)).copied().unwrap_or(0) {
                0 => String::new(),
                n => format!(" ({n} missing in capture)"),
            }
        );
    }
    for chunk in &f.chunks {
        let arrow = if chunk.side == c { ">>>" } else { "<<<" };
        match &chunk.content {
            Content::Missing(n) => {
                let _ = writeln!(
                    out,
                    "\n{arrow} {} [{n} bytes missing in capture]",
                    name(chunk.side)
                );
            }
            Content::Data(d) => {
                let _ = writeln!(
                    out,
                    "\n{arrow} {} (frame {}, {} bytes)",
                    name(chunk.side),
                    chunk.frame,
                    d.len()
                );
                if hex {
                    for line in hex_lines(d, chunk.offset.saturating_sub(1)) {
                        let _ = writeln!(out, "{line}");
                    }
                } else {
                    let text = printable(d);
                    out.push_str(&text);
                    if !text.ends_with('\n') {
                        out.push('\n');
                    }
                }
            }
        }
    }
    out
}

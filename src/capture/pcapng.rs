//! The pcapng format: a sequence of blocks (type, total length, body, total length again).
//! Section headers fix the byte order, interface description blocks give each interface
//! its link type and timestamp resolution (`if_tsresol`, `if_tsoffset`), and packets come
//! in enhanced, simple or (obsolete) packet blocks. Every other block is skipped.
//!
//! Lengths are checked before anything is read: a block claiming more than
//! [`MAX_BLOCK_LEN`] bytes, fewer than 12, or a length that is not a multiple of 4 ends the
//! read with a warning; a packet whose captured length overruns its block is cut to it.

use super::error::WarningKind;
use super::reader::{CaptureReader, Endian, FormatState, Record, byte};
use super::{LinkType, MAX_BLOCK_LEN, Timestamp};

pub(crate) const SHB_TYPE: [u8; 4] = [0x0a, 0x0d, 0x0d, 0x0a];
pub(crate) const BLOCK_IDB: u32 = 1;
pub(crate) const BLOCK_PB: u32 = 2;
pub(crate) const BLOCK_SPB: u32 = 3;
pub(crate) const BLOCK_EPB: u32 = 6;
pub(crate) const BLOCK_SHB: u32 = 0x0a0d_0d0a;
pub(crate) const BLOCK_CUSTOM: u32 = 0x0000_0bad;
pub(crate) const BLOCK_CUSTOM_NOCOPY: u32 = 0x4000_0bad;
/// No capture needs more interfaces than this; a flood of them is damage.
pub(crate) const MAX_INTERFACES: usize = 65_536;
/// Non-packet blocks (name resolution, custom...) may be large; they are skipped in chunks.
pub(crate) const MAX_SKIPPED_BLOCK_LEN: u32 = 64 * 1024 * 1024;

#[derive(Clone, Debug)]
struct Interface {
    link: LinkType,
    /// Timestamp units per second.
    units_per_sec: u64,
    /// Seconds added to every timestamp (`if_tsoffset`).
    offset_secs: i64,
    snaplen: u32,
}

#[derive(Debug)]
pub(crate) struct PcapngState {
    endian: Endian,
    interfaces: Vec<Interface>,
    first_link: Option<LinkType>,
    seen_section: bool,
}

impl Default for PcapngState {
    fn default() -> Self {
        PcapngState {
            endian: Endian::Little,
            interfaces: Vec::new(),
            first_link: None,
            seen_section: false,
        }
    }
}

impl PcapngState {
    pub(crate) fn first_link(&self) -> Option<LinkType> {
        self.first_link
    }
}

fn state(r: &mut CaptureReader) -> Option<&mut PcapngState> {
    match &mut r.state {
        FormatState::Pcapng(s) => Some(s),
        FormatState::Pcap(_) => None,
    }
}

pub(crate) fn next_record(r: &mut CaptureReader) -> Record {
    let block_at = r.offset;
    let got = r.fill(12);
    if got == 0 {
        return Record::End;
    }
    if got < 12 {
        r.warn(
            block_at,
            WarningKind::TruncatedHeader {
                needed: 12,
                available: got as u64,
            },
        );
        return Record::End;
    }
    let head: [u8; 12] = std::array::from_fn(|i| byte(r.buf(), i));
    // A section header block sets the byte order from its byte-order magic (bytes 8..12).
    if head[..4] == SHB_TYPE {
        let endian = match head[8..12] {
            [0x4d, 0x3c, 0x2b, 0x1a] => Endian::Little,
            [0x1a, 0x2b, 0x3c, 0x4d] => Endian::Big,
            _ => {
                r.warn(
                    block_at,
                    WarningKind::BadBlockLength {
                        claimed: 0,
                        detail: "section header with an unknown byte-order magic",
                    },
                );
                return Record::End;
            }
        };
        let Some(s) = state(r) else {
            return Record::End;
        };
        s.endian = endian;
        s.interfaces.clear();
        s.seen_section = true;
    }
    let Some(endian) = state(r).map(|s| s.endian) else {
        return Record::End;
    };
    if !state(r).is_some_and(|s| s.seen_section) {
        r.warn(
            block_at,
            WarningKind::BadBlockLength {
                claimed: 0,
                detail: "file does not start with a section header block",
            },
        );
        return Record::End;
    }
    let block_type = endian.u32(&head, 0);
    let total_len = endian.u32(&head, 4);
    let is_packet = matches!(block_type, BLOCK_EPB | BLOCK_SPB | BLOCK_PB);
    let limit = if is_packet {
        MAX_BLOCK_LEN
    } else {
        MAX_SKIPPED_BLOCK_LEN
    };
    let detail = if total_len < 12 {
        Some("shorter than the 12-byte minimum")
    } else if total_len % 4 != 0 {
        Some("not a multiple of 4")
    } else {
        None
    };
    if let Some(detail) = detail {
        r.warn(
            block_at,
            WarningKind::BadBlockLength {
                claimed: u64::from(total_len),
                detail,
            },
        );
        return Record::End;
    }
    if total_len > limit {
        r.warn(
            block_at,
            WarningKind::RecordTooLarge {
                claimed: u64::from(total_len),
                limit: u64::from(limit),
            },
        );
        return Record::End;
    }
    // Read the rest of the block: its body and trailing length (total - 12 already read, +4
    // bytes of the body we peeked for the byte-order magic are in `head`).
    let rest = (total_len - 12) as usize;
    if !is_packet && block_type != BLOCK_IDB && block_type != BLOCK_SHB {
        let skipped = skip_block(r, block_at, rest, total_len, endian);
        // Wireshark numbers custom blocks as frames; so do we, to keep frame numbers equal.
        if matches!(skipped, Record::Skip)
            && matches!(block_type, BLOCK_CUSTOM | BLOCK_CUSTOM_NOCOPY)
        {
            return Record::NonPacketFrame;
        }
        return skipped;
    }
    let got = r.extend(rest);
    if got < rest {
        r.warn(
            block_at,
            WarningKind::TruncatedRecord {
                needed: u64::from(total_len),
                available: 12 + got as u64,
            },
        );
        return Record::End;
    }
    let trailer = endian.u32(r.buf(), total_len as usize - 4);
    if trailer != total_len {
        r.warn(
            block_at,
            WarningKind::BadBlockLength {
                claimed: u64::from(total_len),
                detail: "the trailing copy of the length differs",
            },
        );
    }
    // Body: bytes 8 .. total_len-4 of the buffer.
    let body_end = total_len as usize - 4;
    match block_type {
        BLOCK_SHB => {
            let major = endian.u16(r.buf(), 12);
            let minor = endian.u16(r.buf(), 14);
            if major != 1 {
                r.warn(block_at + 12, WarningKind::UnusualVersion { major, minor });
            }
            Record::Skip
        }
        BLOCK_IDB => {
            read_interface(r, block_at, endian, body_end);
            Record::Skip
        }
        BLOCK_EPB | BLOCK_PB => {
            let (iface_id, ts_at, caplen_at) = if block_type == BLOCK_EPB {
                (endian.u32(r.buf(), 8), 12, 20)
            } else {
                (u32::from(endian.u16(r.buf(), 8)), 12, 20)
            };
            if body_end < 28 {
                r.warn(
                    block_at,
                    WarningKind::BadBlockLength {
                        claimed: u64::from(total_len),
                        detail: "too short for a packet block",
                    },
                );
                return Record::Skip;
            }
            let ts_raw = (u64::from(endian.u32(r.buf(), ts_at)) << 32)
                | u64::from(endian.u32(r.buf(), ts_at + 4));
            let caplen = endian.u32(r.buf(), caplen_at);
            let original_len = endian.u32(r.buf(), caplen_at + 4);
            let data_start = 28usize;
            let room = body_end - data_start;
            let len = (caplen as usize).min(room);
            if (caplen as usize) > room {
                r.warn(
                    block_at,
                    WarningKind::BadBlockLength {
                        claimed: u64::from(caplen),
                        detail: "captured length runs past the end of its block; packet cut to the block",
                    },
                );
            }
            {
                // The options follow the data, padded to 32 bits (both block types).
                let options_at =
                    data_start.saturating_add((caplen as usize).saturating_add(3) & !3);
                read_comments(r, endian, options_at, body_end);
            }
            packet(r, block_at, iface_id, ts_raw, original_len, data_start, len)
        }
        BLOCK_SPB => {
            let original_len = endian.u32(r.buf(), 8);
            let data_start = 12usize;
            let room = body_end.saturating_sub(data_start);
            let snaplen = state(r)
                .and_then(|s| s.interfaces.first().map(|i| i.snaplen))
                .unwrap_or(u32::MAX);
            let mut len = (original_len as usize).min(room);
            if snaplen > 0 {
                len = len.min(snaplen as usize);
            }
            packet(r, block_at, 0, 0, original_len, data_start, len)
        }
        _ => Record::Skip,
    }
}

/// The most comments kept per packet, and the longest kept (bytes).
pub const MAX_COMMENTS: usize = 16;
pub const MAX_COMMENT_LEN: usize = 64 * 1024;

/// Read the `opt_comment` options (code 1) of the options in `buf[at..end]` into
/// `r.comments`. Damaged options end the walk; nothing in them can make it loop or grow.
fn read_comments(r: &mut CaptureReader, endian: Endian, mut at: usize, end: usize) {
    while at + 4 <= end && r.comments.len() < MAX_COMMENTS {
        let code = endian.u16(r.buf(), at);
        let len = usize::from(endian.u16(r.buf(), at + 2));
        if code == 0 {
            break;
        }
        let value = at + 4;
        let Some(bytes) = r
            .buf()
            .get(value..value + len)
            .filter(|_| value + len <= end)
        else {
            break;
        };
        if code == 1 && len <= MAX_COMMENT_LEN {
            r.comments.push(String::from_utf8_lossy(bytes).into_owned());
        }
        at = value + ((len + 3) & !3);
    }
}

fn packet(
    r: &mut CaptureReader,
    block_at: u64,
    iface_id: u32,
    ts_raw: u64,
    original_len: u32,
    start: usize,
    len: usize,
) -> Record {
    let iface = state(r).and_then(|s| s.interfaces.get(iface_id as usize).cloned());
    let Some(iface) = iface else {
        r.warn(block_at, WarningKind::UnknownInterface { id: iface_id });
        return Record::Skip;
    };
    let units = u128::from(iface.units_per_sec.max(1));
    let secs = u128::from(ts_raw) / units;
    let frac = u128::from(ts_raw) % units;
    let nanos = (frac * 1_000_000_000 / units) as u32;
    let secs = i64::try_from(secs)
        .unwrap_or(i64::MAX)
        .saturating_add(iface.offset_secs);
    let len32 = u32::try_from(len).unwrap_or(u32::MAX);
    if len32 > original_len {
        r.warn(
            block_at,
            WarningKind::CapturedLongerThanOriginal {
                captured: len32,
                original: original_len,
            },
        );
    }
    Record::Packet {
        ts: Timestamp::from_parts(secs, nanos),
        link: iface.link,
        interface: iface_id,
        original_len: original_len.max(len32),
        start,
        len,
        data_offset: block_at + start as u64,
    }
}

fn read_interface(r: &mut CaptureReader, block_at: u64, endian: Endian, body_end: usize) {
    let link = LinkType(u32::from(endian.u16(r.buf(), 8)));
    let snaplen = endian.u32(r.buf(), 12);
    let mut units_per_sec = 1_000_000u64;
    let mut offset_secs = 0i64;
    // Options: code(2) length(2) value, padded to 4.
    let mut at = 16usize;
    while at + 4 <= body_end {
        let code = endian.u16(r.buf(), at);
        let len = usize::from(endian.u16(r.buf(), at + 2));
        let value_at = at + 4;
        if code == 0 || value_at + len > body_end {
            break;
        }
        match (code, len) {
            (9, 1) => {
                let v = byte(r.buf(), value_at);
                let exp = u32::from(v & 0x7f);
                let units = if v & 0x80 != 0 {
                    1u64.checked_shl(exp)
                } else {
                    10u64.checked_pow(exp)
                };
                match units {
                    Some(u) if u > 0 => units_per_sec = u,
                    _ => r.warn(
                        block_at,
                        WarningKind::BadBlockLength {
                            claimed: u64::from(v),
                            detail: "impossible if_tsresol; using microseconds",
                        },
                    ),
                }
            }
            (14, 8) => {
                let hi = u64::from(endian.u32(r.buf(), value_at));
                let lo = u64::from(endian.u32(r.buf(), value_at + 4));
                let v = match endian {
                    Endian::Little => (lo << 32) | hi,
                    Endian::Big => (hi << 32) | lo,
                };
                offset_secs = v as i64;
            }
            _ => {}
        }
        at = value_at + len.div_ceil(4) * 4;
    }
    let Some(s) = state(r) else {
        return;
    };
    if s.interfaces.len() >= MAX_INTERFACES {
        return;
    }
    if s.first_link.is_none() {
        s.first_link = Some(link);
    }
    s.interfaces.push(Interface {
        link,
        units_per_sec,
        offset_secs,
        snaplen,
    });
}

/// Skip a block we do not interpret, reading it in bounded chunks.
fn skip_block(
    r: &mut CaptureReader,
    block_at: u64,
    rest: usize,
    total_len: u32,
    endian: Endian,
) -> Record {
    const CHUNK: usize = 64 * 1024;
    let mut left = rest;
    while left > 0 {
        let want = left.min(CHUNK);
        let got = r.fill(want);
        if got < want {
            r.warn(
                block_at,
                WarningKind::TruncatedRecord {
                    needed: u64::from(total_len),
                    available: (total_len as usize - left + got) as u64,
                },
            );
            return Record::End;
        }
        left -= got;
    }
    let trailer = endian.u32(r.buf(), r.buf().len().saturating_sub(4));
    if trailer != total_len {
        r.warn(
            block_at,
            WarningKind::BadBlockLength {
                claimed: u64::from(total_len),
                detail: "the trailing copy of the length differs",
            },
        );
    }
    Record::Skip
}

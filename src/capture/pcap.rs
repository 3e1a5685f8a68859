//! The classic libpcap format: a 24-byte file header, then 16-byte record headers each
//! followed by the captured bytes. Both byte orders, microsecond (`a1b2c3d4`) and
//! nanosecond (`a1b23c4d`) magic, and Kuznetzov's "modified" variant (`a1b2cd34`, 24-byte
//! record headers).
//!
//! A pcap file has no resynchronisation marks, so an impossible record length ends the
//! read with a warning; everything before it is kept.

use super::error::WarningKind;
use super::reader::{CaptureReader, Endian, Record};
use super::{LinkType, MAX_RECORD_LEN, Timestamp};

pub(crate) const FILE_HEADER_LEN: usize = 24;

#[derive(Clone, Copy, Debug)]
pub(crate) struct PcapState {
    endian: Endian,
    pub(crate) nanos: bool,
    /// The header's snapshot length, as written (kept when the file is saved as pcapng).
    pub(crate) snaplen: u32,
    record_header_len: usize,
    pub(crate) link: LinkType,
}

impl Default for PcapState {
    fn default() -> Self {
        PcapState {
            endian: Endian::Little,
            nanos: false,
            snaplen: 0,
            record_header_len: 16,
            link: LinkType::ETHERNET,
        }
    }
}

/// Recognise a pcap magic number; returns (byte order, nanosecond resolution, modified).
pub(crate) fn magic(bytes: &[u8]) -> Option<(Endian, bool, bool)> {
    let m: [u8; 4] = bytes.get(..4)?.try_into().ok()?;
    match m {
        [0xd4, 0xc3, 0xb2, 0xa1] => Some((Endian::Little, false, false)),
        [0xa1, 0xb2, 0xc3, 0xd4] => Some((Endian::Big, false, false)),
        [0x4d, 0x3c, 0xb2, 0xa1] => Some((Endian::Little, true, false)),
        [0xa1, 0xb2, 0x3c, 0x4d] => Some((Endian::Big, true, false)),
        [0x34, 0xcd, 0xb2, 0xa1] => Some((Endian::Little, false, true)),
        [0xa1, 0xb2, 0xcd, 0x34] => Some((Endian::Big, false, true)),
        _ => None,
    }
}

/// Read and check the 24-byte file header. Errors are messages for `CaptureError::TooShort`.
pub(crate) fn read_file_header(r: &mut CaptureReader) -> Result<PcapState, String> {
    let got = r.fill(FILE_HEADER_LEN);
    if got < FILE_HEADER_LEN {
        return Err(format!(
            "pcap file header cut short: {got} of {FILE_HEADER_LEN} bytes"
        ));
    }
    let h = r.buf().to_vec();
    let Some((endian, nanos, modified)) = magic(&h) else {
        return Err("not a pcap file header".to_string());
    };
    let (major, minor) = (endian.u16(&h, 4), endian.u16(&h, 6));
    if (major, minor) != (2, 4) {
        r.warn(4, WarningKind::UnusualVersion { major, minor });
    }
    let snaplen = endian.u32(&h, 16);
    if snaplen > super::MAX_RECORD_LEN {
        // Nothing is sized from it: records are checked against MAX_RECORD_LEN each time.
        r.warn(16, WarningKind::ImplausibleSnaplen { snaplen });
    }
    let raw_link = endian.u32(&h, 20);
    // Bits 16..26 are reserved; 26..32 describe an FCS. The link type is the low 16 bits.
    if raw_link & 0x03ff_0000 != 0 {
        r.warn(20, WarningKind::ReservedLinkTypeBits { raw: raw_link });
    }
    Ok(PcapState {
        endian,
        nanos,
        snaplen,
        record_header_len: if modified { 24 } else { 16 },
        link: LinkType(raw_link & 0xffff),
    })
}

pub(crate) fn next_record(r: &mut CaptureReader) -> Record {
    let super::reader::FormatState::Pcap(state) = r.state else {
        return Record::End;
    };
    let header_at = r.offset;
    let hlen = state.record_header_len;
    let got = r.fill(hlen);
    if got == 0 {
        return Record::End;
    }
    if got < hlen {
        r.warn(
            header_at,
            WarningKind::TruncatedHeader {
                needed: hlen as u64,
                available: got as u64,
            },
        );
        return Record::End;
    }
    let e = state.endian;
    let secs = e.u32(r.buf(), 0);
    let frac = e.u32(r.buf(), 4);
    let caplen = e.u32(r.buf(), 8);
    let original_len = e.u32(r.buf(), 12);
    if caplen > MAX_RECORD_LEN {
        r.warn(
            header_at,
            WarningKind::RecordTooLarge {
                claimed: u64::from(caplen),
                limit: u64::from(MAX_RECORD_LEN),
            },
        );
        return Record::End;
    }
    // Longer than the snaplen is common and harmless (pcap-file 2.0 wrongly refuses it);
    // longer than the original length is damage worth a note, but the bytes are kept.
    if caplen > original_len {
        r.warn(
            header_at,
            WarningKind::CapturedLongerThanOriginal {
                captured: caplen,
                original: original_len,
            },
        );
    }
    // A fraction of a second of a whole second or more (damage) carries into the seconds.
    let (carry, nanos) = if state.nanos {
        (0, frac)
    } else {
        let ns = u64::from(frac) * 1000;
        (ns / 1_000_000_000, (ns % 1_000_000_000) as u32)
    };
    let data_offset = r.offset;
    let len = caplen as usize;
    let got = r.fill(len);
    if got < len {
        r.warn(
            header_at,
            WarningKind::TruncatedRecord {
                needed: len as u64,
                available: got as u64,
            },
        );
        return Record::End;
    }
    Record::Packet {
        ts: Timestamp::from_parts(i64::from(secs) + carry as i64, nanos),
        link: state.link,
        interface: 0,
        original_len: original_len.max(caplen),
        start: 0,
        len,
        data_offset,
    }
}

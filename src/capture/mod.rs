//! Reading capture files: pcap and pcapng (optionally gzip-compressed) into [`Frame`]s.
//!
//! This is the leftmost stage of the pipeline. It knows file formats, link types and
//! timestamps, and nothing about IP or TCP. One [`CaptureReader`] streams records from any
//! [`std::io::Read`]: every record's bytes are read once into a reused buffer and lent out
//! as a [`Frame`] together with the record's byte offset in the file, so later stages can
//! re-read a frame by offset instead of keeping every packet in memory.
//!
//! Damage is never fatal once the file has been recognised: a truncated record, an absurd
//! length field or a broken pcapng block ends or skips what it must, and leaves a
//! [`CaptureWarning`] naming the byte offset. Only a file that is not a capture at all (or
//! cannot be read) is a [`CaptureError`].
//!
//! Writing is here too: [`mod@write`] writes pcapng through the `pcap-file` crate, and
//! [`annotate`] saves a capture with packet notes as pcapng packet comments.

pub mod annotate;
mod error;
mod mapping_guard;
mod pcap;
mod pcapng;
mod reader;
mod source;
pub mod write;

pub use annotate::{Notes, Saved, read_notes, save_with_notes};
pub use error::{CaptureError, CaptureWarning, WarningKind};
pub use reader::{CaptureFormat, CaptureReader};
pub use source::{
    ProgressCounter, STDIN_NAME, Spool, inflate_file, is_gzip_file, is_stdin, is_stream_path,
    open_bytes, open_path, open_path_counted, open_reader, open_stream_path, private_temp_file,
};

use std::fmt;

/// The largest record we accept. libpcap and Wireshark refuse packets above 256 KiB for
/// ordinary link types; a larger length field is damage, and must not size an allocation.
pub const MAX_RECORD_LEN: u32 = 262_144;

/// The largest pcapng block we accept (a packet plus generous options).
pub const MAX_BLOCK_LEN: u32 = MAX_RECORD_LEN + 64 * 1024;

/// A link-layer header type, as numbered by tcpdump.org's LINKTYPE_ registry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
pub struct LinkType(pub u32);

impl LinkType {
    pub const NULL: LinkType = LinkType(0);
    pub const ETHERNET: LinkType = LinkType(1);
    pub const RAW: LinkType = LinkType(101);
    pub const LOOP: LinkType = LinkType(108);
    pub const LINUX_SLL: LinkType = LinkType(113);
    pub const IPV4: LinkType = LinkType(228);
    pub const IPV6: LinkType = LinkType(229);
    pub const LINUX_SLL2: LinkType = LinkType(276);

    /// The name tcpdump and Wireshark use, for messages and the details pane.
    pub fn name(self) -> &'static str {
        match self.0 {
            0 => "BSD loopback (NULL)",
            1 => "Ethernet",
            12 | 14 | 101 => "Raw IP",
            108 => "OpenBSD loopback (LOOP)",
            113 => "Linux cooked capture v1 (SLL)",
            228 => "Raw IPv4",
            229 => "Raw IPv6",
            276 => "Linux cooked capture v2 (SLL2)",
            9 => "PPP",
            50 => "PPP in HDLC-like framing",
            104 => "Cisco HDLC",
            105 => "IEEE 802.11",
            127 => "IEEE 802.11 with radiotap",
            192 => "IEEE 802.11 with PPI",
            239 => "Linux netfilter log (NFLOG)",
            _ => "unsupported link type",
        }
    }
}

impl fmt::Display for LinkType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.name(), self.0)
    }
}

/// A capture timestamp: seconds since the Unix epoch plus nanoseconds.
#[derive(
    Clone,
    Copy,
    Debug,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    serde::Serialize,
    serde::Deserialize,
)]
pub struct Timestamp {
    pub secs: i64,
    pub nanos: u32,
}

impl Timestamp {
    pub fn from_parts(secs: i64, nanos: u32) -> Timestamp {
        let carry = i64::from(nanos / 1_000_000_000);
        Timestamp {
            secs: secs.saturating_add(carry),
            nanos: nanos % 1_000_000_000,
        }
    }

    /// Seconds as a float, for durations and graphs (not for printing exact times).
    pub fn as_f64(self) -> f64 {
        self.secs as f64 + f64::from(self.nanos) / 1e9
    }

    /// `self - earlier` in seconds (negative when time went backwards in the file).
    pub fn seconds_since(self, earlier: Timestamp) -> f64 {
        (self.secs - earlier.secs) as f64 + (f64::from(self.nanos) - f64::from(earlier.nanos)) / 1e9
    }

    /// Local time of day with microseconds, as tcpdump prints it (it truncates
    /// nanoseconds), honouring `TZ`: `14:03:07.123456`.
    pub fn time_of_day(self) -> String {
        use chrono::{Local, TimeZone};
        let micros = self.nanos / 1000;
        match Local.timestamp_opt(self.secs, 0) {
            chrono::LocalResult::Single(t) | chrono::LocalResult::Ambiguous(t, _) => {
                format!("{}.{micros:06}", t.format("%H:%M:%S"))
            }
            chrono::LocalResult::None => format!("{}.{micros:06}", self.secs),
        }
    }
}

/// One packet record of a capture, borrowed from the reader's buffer.
#[derive(Clone, Copy, Debug)]
pub struct Frame<'a> {
    /// 1-based, counting every packet record in the file, as Wireshark numbers frames.
    pub number: u64,
    pub ts: Timestamp,
    pub link: LinkType,
    /// pcapng interface id (0 for pcap).
    pub interface: u32,
    /// Length on the wire; may exceed `data.len()` when the snaplen cut the packet.
    pub original_len: u32,
    /// The captured bytes.
    pub data: &'a [u8],
    /// Byte offset of `data` in the (decompressed) capture stream.
    pub data_offset: u64,
    /// Its packet comments (pcapng `opt_comment`, as Wireshark shows and edits them).
    pub comments: &'a [String],
}

//! What can go wrong while reading a capture: fatal [`CaptureError`]s and the
//! non-fatal [`CaptureWarning`]s that travel alongside the good frames.

use std::fmt;
use std::path::PathBuf;

/// The file cannot be read as a capture at all. Nothing was loaded.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CaptureError {
    /// The file could not be opened or read (missing, a directory, no permission...):
    /// `message` in plain words, `source` the operating system's error when there was one.
    #[error("{path}: {message}")]
    Io {
        path: PathBuf,
        message: String,
        #[source]
        source: Option<std::io::Error>,
    },
    /// The first bytes are not a pcap, pcapng or gzip signature.
    #[error("{path}: not a pcap or pcapng capture (starts with {start})")]
    NotACapture { path: PathBuf, start: String },
    /// The file is empty, or ends inside the file header.
    #[error("{path}: {what}")]
    TooShort { path: PathBuf, what: String },
    /// An output file could not be written (saving a capture with its notes); nothing
    /// was put at `path`.
    #[error("{path}: cannot write: {message}")]
    WriteFailed {
        path: PathBuf,
        message: String,
        #[source]
        source: Option<std::io::Error>,
    },
    /// Packet notes name a frame the capture does not have, or one that holds no packet.
    #[error("{path} has no packet numbered {frame} (it has {frames} frames)")]
    NoSuchFrame {
        path: PathBuf,
        frame: u64,
        frames: u64,
    },
}

impl CaptureError {
    /// The error for a file that could not be opened or read, in plain words.
    pub fn from_io(path: &std::path::Path, err: std::io::Error) -> CaptureError {
        let message = match err.kind() {
            std::io::ErrorKind::NotFound => "no such file".to_string(),
            std::io::ErrorKind::PermissionDenied => {
                "permission denied (cannot read the file)".to_string()
            }
            std::io::ErrorKind::IsADirectory => "is a directory, not a capture file".to_string(),
            _ => format!("cannot read: {err}"),
        };
        CaptureError::Io {
            path: path.to_path_buf(),
            message,
            source: Some(err),
        }
    }

    /// An error of ours (no operating-system error behind it).
    pub fn other(path: &std::path::Path, message: impl Into<String>) -> CaptureError {
        CaptureError::Io {
            path: path.to_path_buf(),
            message: message.into(),
            source: None,
        }
    }

    /// Describe the first bytes of a non-capture file: hex, plus a hint for common types.
    pub(crate) fn describe_start(bytes: &[u8]) -> String {
        if bytes.is_empty() {
            return "nothing: the file is empty".to_string();
        }
        let hex: Vec<String> = bytes.iter().take(8).map(|b| format!("{b:02x}")).collect();
        let hint = if bytes.starts_with(b"\x89PNG") {
            ", a PNG image"
        } else if bytes.starts_with(b"%PDF") {
            ", a PDF document"
        } else if bytes.starts_with(b"PK\x03\x04") {
            ", a ZIP archive"
        } else if bytes.starts_with(b"\x7fELF") {
            ", an executable"
        } else if bytes
            .iter()
            .take(64)
            .all(|b| b.is_ascii_graphic() || b.is_ascii_whitespace())
        {
            ", plain text"
        } else {
            ""
        };
        format!("{}{hint}", hex.join(" "))
    }
}

/// A problem found while reading; the good frames before and after it are kept.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct CaptureWarning {
    /// Byte offset in the capture stream where the problem was found.
    pub offset: u64,
    pub kind: WarningKind,
}

/// Every kind of damage the reader recognises.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[non_exhaustive]
pub enum WarningKind {
    /// The file ends inside a record or block header.
    TruncatedHeader { needed: u64, available: u64 },
    /// The file ends inside a record's packet data.
    TruncatedRecord { needed: u64, available: u64 },
    /// A length field larger than any real packet; reading stops (pcap) or skips (pcapng).
    RecordTooLarge { claimed: u64, limit: u64 },
    /// A pcapng block length that is too small, unaligned, or not repeated at its end.
    BadBlockLength { claimed: u64, detail: &'static str },
    /// A packet captured longer than it was on the wire, or longer than the snaplen.
    CapturedLongerThanOriginal { captured: u32, original: u32 },
    /// A packet block names an interface that no description block declared.
    UnknownInterface { id: u32 },
    /// The file's version field is not one we know; we read it as the current version.
    UnusualVersion { major: u16, minor: u16 },
    /// The pcap header's snapshot length is larger than any real capture uses.
    ImplausibleSnaplen { snaplen: u32 },
    /// The pcap link-type field has bits set in its reserved part.
    ReservedLinkTypeBits { raw: u32 },
    /// The gzip stream is corrupt or cut short.
    Decompression { message: String },
    /// A read error in the middle of the file.
    Io { message: String },
    /// The file was cut short (truncated by another program) while it was read; it now
    /// has `size` bytes.
    CutShort { size: u64 },
    /// Too many warnings: the rest are counted, not listed.
    MoreWarnings { count: u64 },
}

impl fmt::Display for CaptureWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let at = self.offset;
        match &self.kind {
            WarningKind::TruncatedHeader { needed, available } => write!(
                f,
                "truncated record header at byte {at}: the file ends after {available} of {needed} bytes"
            ),
            WarningKind::TruncatedRecord { needed, available } => write!(
                f,
                "truncated record at byte {at}: the file ends after {available} of its {needed} bytes of packet data"
            ),
            WarningKind::RecordTooLarge { claimed, limit } => write!(
                f,
                "record at byte {at} claims {claimed} bytes, more than the {limit}-byte limit: damaged file, stopped reading there"
            ),
            WarningKind::BadBlockLength { claimed, detail } => {
                write!(
                    f,
                    "bad pcapng block length {claimed} at byte {at} ({detail})"
                )
            }
            WarningKind::CapturedLongerThanOriginal { captured, original } => write!(
                f,
                "record at byte {at}: captured length {captured} exceeds the original length {original}"
            ),
            WarningKind::UnknownInterface { id } => {
                write!(
                    f,
                    "packet block at byte {at} names interface {id}, which was never described"
                )
            }
            WarningKind::UnusualVersion { major, minor } => {
                write!(
                    f,
                    "unusual file format version {major}.{minor}; read as the standard version"
                )
            }
            WarningKind::ImplausibleSnaplen { snaplen } => write!(
                f,
                "file header claims a snapshot length of {snaplen} bytes; ignored (no packet may exceed 262144 bytes)"
            ),
            WarningKind::ReservedLinkTypeBits { raw } => {
                write!(
                    f,
                    "link-type field 0x{raw:08x} has reserved bits set; using its low 16 bits"
                )
            }
            WarningKind::Decompression { message } => {
                write!(
                    f,
                    "gzip data damaged at byte {at} of the decompressed stream: {message}"
                )
            }
            WarningKind::Io { message } => write!(f, "read error at byte {at}: {message}"),
            WarningKind::CutShort { size } => write!(
                f,
                "the file was cut short while it was read (another program truncated it, now {size} bytes): reading stopped at byte {at}, the packets before are kept"
            ),
            WarningKind::MoreWarnings { count } => write!(f, "… and {count} more warnings"),
        }
    }
}

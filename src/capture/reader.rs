//! [`CaptureReader`]: the streaming record reader shared by the pcap and pcapng parsers.
//!
//! It owns the byte stream, counts the offset, keeps one reusable record buffer and the
//! list of warnings. The format modules only interpret headers, through
//! [`CaptureReader::buf`]: the bytes of the record being read. A regular file is mapped
//! into memory and its records are borrowed from the mapping, never copied; a stream
//! (standard input, a pipe, gzip) is read into the reusable buffer.

use super::error::{CaptureWarning, WarningKind};
use super::{Frame, LinkType, Timestamp, pcap, pcapng};
use std::io::{self, Read};

/// At most this many warnings are listed; the rest are counted.
const MAX_LISTED_WARNINGS: usize = 100;

/// Which container format the stream holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub enum CaptureFormat {
    Pcap,
    Pcapng,
}

pub(crate) enum FormatState {
    Pcap(pcap::PcapState),
    Pcapng(pcapng::PcapngState),
}

/// Streams the frames of one capture. Create it with [`super::open_path`] or
/// [`super::open_bytes`].
pub struct CaptureReader {
    input: Input,
    pub(crate) offset: u64,
    buf: Vec<u8>,
    pub(crate) state: FormatState,
    frames: u64,
    warnings: Vec<CaptureWarning>,
    unlisted_warnings: u64,
    finished: bool,
    gzip: bool,
    /// The packet comments (pcapng `opt_comment`) of the record just read.
    pub(crate) comments: Vec<String>,
}

/// Where the bytes come from.
enum Input {
    Stream(Box<dyn Read + Send>),
    /// A regular file mapped into memory; `window` is the record being read.
    Mapped {
        map: super::source::MappedFile,
        pos: usize,
        window: std::ops::Range<usize>,
    },
}

/// What a format parser found at the current position.
pub(crate) enum Record {
    /// A packet whose data is `buf[start..start + len]`.
    Packet {
        ts: Timestamp,
        link: LinkType,
        interface: u32,
        original_len: u32,
        start: usize,
        len: usize,
        data_offset: u64,
    },
    /// A block that carries no packet (pcapng interface, statistics, unknown...).
    Skip,
    /// A record that Wireshark numbers as a frame but that holds no packet (pcapng
    /// custom blocks): it takes a frame number and is not returned.
    NonPacketFrame,
    /// Clean end of the stream, or damage after which nothing can be read.
    End,
}

impl CaptureReader {
    pub(crate) fn new(
        input: Box<dyn Read + Send>,
        header: &[u8],
        gzip: bool,
    ) -> Result<CaptureReader, String> {
        CaptureReader::with_input(Input::Stream(input), header, gzip)
    }

    /// Read a file mapped into memory: each record is borrowed from the mapping.
    pub(crate) fn mapped(map: super::source::MappedFile) -> Result<CaptureReader, String> {
        // The file header, read once here to see whether the file is still all there.
        let head = 0..map.bytes().len().min(32);
        if let Some(size) = map.cut_short(head, false) {
            return Err(format!(
                "the file was cut short while it was opened (another program truncated it, now {size} bytes)"
            ));
        }
        let header: Vec<u8> = map.bytes().get(..4).unwrap_or(&[]).to_vec();
        let input = Input::Mapped {
            map,
            pos: 0,
            window: 0..0,
        };
        CaptureReader::with_input(input, &header, false)
    }

    fn with_input(input: Input, header: &[u8], gzip: bool) -> Result<CaptureReader, String> {
        let mut reader = CaptureReader {
            input,
            offset: 0,
            buf: Vec::with_capacity(4096),
            state: FormatState::Pcap(pcap::PcapState::default()),
            frames: 0,
            warnings: Vec::new(),
            unlisted_warnings: 0,
            finished: false,
            gzip,
            comments: Vec::new(),
        };
        reader.state = if header.starts_with(&pcapng::SHB_TYPE) {
            FormatState::Pcapng(pcapng::PcapngState::default())
        } else {
            FormatState::Pcap(pcap::read_file_header(&mut reader)?)
        };
        Ok(reader)
    }

    pub fn format(&self) -> CaptureFormat {
        match self.state {
            FormatState::Pcap(_) => CaptureFormat::Pcap,
            FormatState::Pcapng(_) => CaptureFormat::Pcapng,
        }
    }

    /// Whether the stream was gzip-compressed.
    pub fn is_gzip(&self) -> bool {
        self.gzip
    }

    /// A pcap file's snapshot length and whether its timestamps are in nanoseconds (`None`
    /// for pcapng, where each interface says its own).
    pub fn pcap_header(&self) -> Option<(u32, bool)> {
        match &self.state {
            FormatState::Pcap(s) => Some((s.snaplen, s.nanos)),
            FormatState::Pcapng(_) => None,
        }
    }

    /// The link type declared in the pcap file header (pcapng: of its first interface).
    pub fn primary_link_type(&self) -> Option<LinkType> {
        match &self.state {
            FormatState::Pcap(s) => Some(s.link),
            FormatState::Pcapng(s) => s.first_link(),
        }
    }

    /// The next frame, or `None` at the end (clean or after damage; see [`Self::warnings`]).
    pub fn next_frame(&mut self) -> Option<Frame<'_>> {
        loop {
            if self.finished {
                return None;
            }
            self.comments.clear();
            let (listed, unlisted) = (self.warnings.len(), self.unlisted_warnings);
            let record = match &mut self.state {
                FormatState::Pcap(_) => pcap::next_record(self),
                FormatState::Pcapng(_) => pcapng::next_record(self),
            };
            if let Input::Mapped { map, window, .. } = &self.input
                && let Some(size) = map.cut_short(window.clone(), matches!(record, Record::End))
            {
                // What this record's bytes said is moot: they were read past the end.
                let at = window.start as u64;
                self.warnings.truncate(listed);
                self.unlisted_warnings = unlisted;
                self.warn(at, WarningKind::CutShort { size });
                self.finished = true;
                return None;
            }
            match record {
                Record::Skip => continue,
                Record::NonPacketFrame => {
                    self.frames += 1;
                    continue;
                }
                Record::End => {
                    self.finished = true;
                    return None;
                }
                Record::Packet {
                    ts,
                    link,
                    interface,
                    original_len,
                    start,
                    len,
                    data_offset,
                } => {
                    self.frames += 1;
                    let data = match &self.input {
                        Input::Stream(_) => self.buf.as_slice(),
                        Input::Mapped { map, window, .. } => {
                            map.bytes().get(window.clone()).unwrap_or(&[])
                        }
                    };
                    let data = data.get(start..start.saturating_add(len)).unwrap_or(&[]);
                    return Some(Frame {
                        number: self.frames,
                        ts,
                        link,
                        interface,
                        original_len,
                        data,
                        data_offset,
                        comments: &self.comments,
                    });
                }
            }
        }
    }

    /// Number the next frame `last + 1`, as if `last` frames had been read (tests of
    /// what happens after frame 2^32 - 1, which no test file is large enough to reach).
    #[cfg(test)]
    pub(crate) fn number_frames_after(&mut self, last: u64) {
        self.frames = last;
    }

    /// Warnings found so far (at most 100 listed, then a count).
    pub fn warnings(&self) -> Vec<CaptureWarning> {
        let mut all = self.warnings.clone();
        if self.unlisted_warnings > 0 {
            all.push(CaptureWarning {
                offset: self.offset,
                kind: WarningKind::MoreWarnings {
                    count: self.unlisted_warnings,
                },
            });
        }
        all
    }

    /// Bytes consumed from the (decompressed) stream so far.
    pub fn position(&self) -> u64 {
        self.offset
    }

    pub(crate) fn warn(&mut self, offset: u64, kind: WarningKind) {
        if self.warnings.len() < MAX_LISTED_WARNINGS {
            self.warnings.push(CaptureWarning { offset, kind });
        } else {
            self.unlisted_warnings += 1;
        }
    }

    /// The bytes of the record being read (what [`Self::fill`] and [`Self::extend`] took).
    pub(crate) fn buf(&self) -> &[u8] {
        match &self.input {
            Input::Stream(_) => &self.buf,
            Input::Mapped { map, window, .. } => map.bytes().get(window.clone()).unwrap_or(&[]),
        }
    }

    /// Replace the buffer's contents with up to `n` bytes from the stream. Returns how many
    /// were read: fewer than `n` only at the end of the stream (or on a read error, which
    /// becomes a warning). `n` must already be bounded by the caller's sanity limits.
    pub(crate) fn fill(&mut self, n: usize) -> usize {
        if let Input::Mapped { pos, window, .. } = &mut self.input {
            *window = *pos..*pos;
        }
        self.buf.clear();
        self.extend(n)
    }

    /// Append up to `n` more bytes to the buffer (see [`Self::fill`]).
    pub(crate) fn extend(&mut self, n: usize) -> usize {
        let got = match &mut self.input {
            Input::Mapped { map, pos, window } => {
                let len = map.bytes().len();
                let end = pos.saturating_add(n).min(len);
                let got = end.saturating_sub(*pos);
                *pos = end;
                window.end = end;
                map.progress(end);
                map.prefetch(end);
                got
            }
            Input::Stream(_) => self.read_more(n),
        };
        self.offset += got as u64;
        got
    }

    fn read_more(&mut self, n: usize) -> usize {
        let Input::Stream(input) = &mut self.input else {
            return 0;
        };
        let start = self.buf.len();
        self.buf.resize(start + n, 0);
        let mut got = 0;
        let mut failed = None;
        while got < n {
            let Some(dest) = self.buf.get_mut(start + got..start + n) else {
                break;
            };
            match input.read(dest) {
                Ok(0) => break,
                Ok(k) => got += k,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    failed = Some(e);
                    break;
                }
            }
        }
        self.buf.truncate(start + got);
        if let Some(e) = failed {
            let at = self.offset + got as u64;
            let kind = if e.kind() == io::ErrorKind::InvalidInput
                || e.kind() == io::ErrorKind::InvalidData
                || e.kind() == io::ErrorKind::UnexpectedEof
            {
                WarningKind::Decompression {
                    message: e.to_string(),
                }
            } else {
                WarningKind::Io {
                    message: e.to_string(),
                }
            };
            self.warn(at, kind);
        }
        got
    }
}

/// Little helpers to read integers from a header in the file's byte order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Endian {
    Little,
    Big,
}

impl Endian {
    pub(crate) fn u16(self, b: &[u8], at: usize) -> u16 {
        let bytes = [byte(b, at), byte(b, at + 1)];
        match self {
            Endian::Little => u16::from_le_bytes(bytes),
            Endian::Big => u16::from_be_bytes(bytes),
        }
    }

    pub(crate) fn put_u16(self, out: &mut Vec<u8>, v: u16) {
        match self {
            Endian::Little => out.extend_from_slice(&v.to_le_bytes()),
            Endian::Big => out.extend_from_slice(&v.to_be_bytes()),
        }
    }

    pub(crate) fn put_u32(self, out: &mut Vec<u8>, v: u32) {
        match self {
            Endian::Little => out.extend_from_slice(&v.to_le_bytes()),
            Endian::Big => out.extend_from_slice(&v.to_be_bytes()),
        }
    }

    pub(crate) fn u32(self, b: &[u8], at: usize) -> u32 {
        // One load when all four bytes are there (every header field of a whole record).
        let bytes = match b.get(at..at.saturating_add(4)).map(<[u8; 4]>::try_from) {
            Some(Ok(whole)) => whole,
            _ => [
                byte(b, at),
                byte(b, at.saturating_add(1)),
                byte(b, at.saturating_add(2)),
                byte(b, at.saturating_add(3)),
            ],
        };
        match self {
            Endian::Little => u32::from_le_bytes(bytes),
            Endian::Big => u32::from_be_bytes(bytes),
        }
    }
}

/// A byte of a header, 0 past its end (callers check lengths first; this never panics).
pub(crate) fn byte(b: &[u8], at: usize) -> u8 {
    b.get(at).copied().unwrap_or(0)
}

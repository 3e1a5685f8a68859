//! Saving a capture with packet notes: pcapng packet comments (`opt_comment`), the way
//! Wireshark stores and edits them.
//!
//! A pcapng input is copied block by block through the `pcap-file` writer: every block
//! stays as it was (section headers and their options, interfaces, name resolution,
//! statistics, decryption secrets, custom and unknown blocks) except the packet blocks
//! whose comments change — those keep their interface, timestamp, lengths, bytes and every
//! other option, and get exactly the new comments. A pcap input (also gzip-compressed)
//! becomes pcapng with the same link type, snapshot length and timestamp unit.
//!
//! Frames are numbered as the capture reader numbers them (custom blocks take a number and
//! hold no packet). A simple packet block has no room for comments (nor a timestamp an
//! enhanced block could keep): a note on one is refused. The new file is written beside the output under a temporary name, read
//! back and compared with the input frame by frame (bytes, timestamp, lengths, interface,
//! link type, comments), and only then renamed over the output — which may be the input.
//! A damaged input is saved as far as it can be read, and the damage is returned in
//! [`Saved::warnings`] for the caller to report.

use super::error::{CaptureError, CaptureWarning};
use super::pcapng::{
    BLOCK_CUSTOM, BLOCK_CUSTOM_NOCOPY, BLOCK_EPB, BLOCK_IDB, BLOCK_PB, BLOCK_SHB, BLOCK_SPB,
    MAX_COMMENT_LEN, MAX_COMMENTS, MAX_INTERFACES, MAX_SKIPPED_BLOCK_LEN, SHB_TYPE,
};
use super::reader::Endian;
use super::write::{
    CaptureOrigin, OPT_COMMENT, OPT_ENDOFOPT, PcapngSaver, TsResolution, padding, push_option,
    write_raw,
};
use super::{CaptureFormat, CaptureReader, MAX_BLOCK_LEN, MAX_RECORD_LEN, is_stream_path};
use pcap_file::Endianness;
use pcap_file::pcapng::PcapNgWriter;
use pcap_file::pcapng::blocks::section_header::SectionHeaderBlock;
use std::collections::BTreeMap;
use std::io::{BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

/// A capture's packet notes: frame number (1-based, as everywhere) → its comments, in order.
pub type Notes = BTreeMap<u64, Vec<String>>;

/// What a save wrote.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Saved {
    /// Frames written (every frame the reader could read from the input).
    pub frames: u64,
    /// Packet comments written.
    pub notes: u64,
    /// Damage found in the input: when not empty, the output holds only what could be
    /// read, and the caller must say so.
    pub warnings: Vec<CaptureWarning>,
}

/// The packet comments of every frame of a capture (frames without any are absent), and
/// the number of the last frame — what `annotate` adds to.
pub fn read_notes(path: &Path) -> Result<(Notes, u64), CaptureError> {
    let (mut reader, _, _) = super::open_path(path)?;
    let mut notes = Notes::new();
    let mut last = 0;
    while let Some(frame) = reader.next_frame() {
        last = frame.number;
        if !frame.comments.is_empty() {
            notes.insert(frame.number, frame.comments.to_vec());
        }
    }
    Ok((notes, last))
}

/// Write `input`'s frames to `out` as pcapng with `notes` as the packet comments (opt_comment).
/// Every frame byte-identical, same timestamps (same if_tsresol) and original lengths; for a pcapng
/// input every other block (SHB and its options, IDBs and their options, NRB, ISB, DSB, custom and
/// unknown blocks) and every other EPB option (flags, hashes, dropcount, …) kept as they were; each
/// packet's comments become exactly `notes[frame]` (absent = none). A pcap input (also .pcap.gz)
/// becomes pcapng. Written to a temporary file beside `out`, then renamed: `out` may be `input`.
pub fn save_with_notes(input: &Path, notes: &Notes, out: &Path) -> Result<Saved, CaptureError> {
    if is_stream_path(input) {
        return Err(CaptureError::other(
            input,
            "a stream cannot be read again to save it with notes; save it to a file first",
        ));
    }
    check_notes(input, notes)?;
    let (reader, _, _) = super::open_path(input)?;
    let tmp = temporary_beside(out)?;
    let result = write_and_check(input, reader, notes, out, &tmp);
    match result {
        Ok(saved) => {
            std::fs::rename(&tmp, out).map_err(|e| {
                let _ = std::fs::remove_file(&tmp);
                write_failed(out, e)
            })?;
            Ok(saved)
        }
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            Err(e)
        }
    }
}

fn write_and_check(
    input: &Path,
    reader: CaptureReader,
    notes: &Notes,
    out: &Path,
    tmp: &Path,
) -> Result<Saved, CaptureError> {
    let file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(tmp)
        .map_err(|e| write_failed(out, e))?;
    let written = match reader.format() {
        CaptureFormat::Pcap => from_pcap(reader, notes, file),
        CaptureFormat::Pcapng => {
            drop(reader);
            from_pcapng(input, notes, file)
        }
    }
    .map_err(|e| match e {
        Failure::Write(e) => write_failed(out, e),
        Failure::Refused(message) => CaptureError::other(input, message),
    })?;
    if let Some(frame) = notes
        .iter()
        .filter(|(_, comments)| !comments.is_empty())
        .map(|(&n, _)| n)
        .find(|n| !written.noted.contains(n))
    {
        return Err(CaptureError::NoSuchFrame {
            path: input.to_path_buf(),
            frame,
            frames: written.frames,
        });
    }
    let (frames, warnings) = compare(input, tmp, notes, out)?;
    Ok(Saved {
        frames,
        notes: written.comments,
        warnings,
    })
}

/// Why writing stopped.
enum Failure {
    Write(std::io::Error),
    /// The notes cannot be stored (a message naming the frame).
    Refused(String),
}

impl From<std::io::Error> for Failure {
    fn from(e: std::io::Error) -> Failure {
        Failure::Write(e)
    }
}

/// What was written.
struct Written {
    /// The last frame number.
    frames: u64,
    /// Packet comments written.
    comments: u64,
    /// Frames that got notes.
    noted: std::collections::BTreeSet<u64>,
}

fn write_failed(path: &Path, e: std::io::Error) -> CaptureError {
    CaptureError::WriteFailed {
        path: path.to_path_buf(),
        message: e.to_string(),
        source: Some(e),
    }
}

fn check_notes(input: &Path, notes: &Notes) -> Result<(), CaptureError> {
    for (frame, comments) in notes {
        if *frame == 0 {
            return Err(CaptureError::NoSuchFrame {
                path: input.to_path_buf(),
                frame: 0,
                frames: 0,
            });
        }
        if comments.len() > MAX_COMMENTS {
            return Err(CaptureError::other(
                input,
                format!(
                    "frame {frame}: {} notes, more than the {MAX_COMMENTS} a packet may have",
                    comments.len()
                ),
            ));
        }
        let limit = MAX_COMMENT_LEN.min(usize::from(u16::MAX));
        if let Some(long) = comments.iter().find(|c| c.len() > limit) {
            return Err(CaptureError::other(
                input,
                format!(
                    "frame {frame}: a note of {} bytes, more than the {limit} a packet comment may hold",
                    long.len()
                ),
            ));
        }
    }
    Ok(())
}

/// A new file's name in the output's directory (same file system, so renaming is atomic).
fn temporary_beside(out: &Path) -> Result<PathBuf, CaptureError> {
    let Some(name) = out.file_name() else {
        return Err(CaptureError::WriteFailed {
            path: out.to_path_buf(),
            message: "not a file name".to_string(),
            source: None,
        });
    };
    if out.is_dir() {
        return Err(CaptureError::WriteFailed {
            path: out.to_path_buf(),
            message: "is a directory".to_string(),
            source: None,
        });
    }
    // Unique within this process too (two saves may run at once on different threads).
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let tmp_name = format!(
        ".{}.tcp-ladder-{}-{n}.tmp",
        name.to_string_lossy(),
        std::process::id()
    );
    Ok(out.with_file_name(tmp_name))
}

fn wanted(notes: &Notes, frame: u64) -> &[String] {
    notes.get(&frame).map(Vec::as_slice).unwrap_or(&[])
}

/// A pcap (or anything read frame by frame): every frame as an Enhanced Packet Block, in
/// the pcap's own timestamp unit.
fn from_pcap(
    mut reader: CaptureReader,
    notes: &Notes,
    file: std::fs::File,
) -> Result<Written, Failure> {
    let (snaplen, nanos) = reader.pcap_header().unwrap_or((MAX_RECORD_LEN, true));
    let resolution = if nanos {
        TsResolution::Nano
    } else {
        TsResolution::Micro
    };
    let mut saver = PcapngSaver::with_format(
        BufWriter::new(file),
        CaptureOrigin::default(),
        resolution,
        snaplen,
    )?;
    let mut written = Written {
        frames: 0,
        comments: 0,
        noted: Default::default(),
    };
    while let Some(frame) = reader.next_frame() {
        let comments = wanted(notes, frame.number);
        saver.write_with_comments(&frame, comments)?;
        written.frames = frame.number;
        if !comments.is_empty() {
            written.noted.insert(frame.number);
            written.comments += comments.len() as u64;
        }
    }
    let mut out = saver.into_inner();
    out.flush()?;
    out.into_inner()
        .map_err(|e| Failure::Write(e.into_error()))?
        .sync_all()?;
    Ok(written)
}

/// Counts the bytes written, and drops the first `swallow` of them (the section header a
/// new [`PcapNgWriter`] writes on its own: we write the input's instead, unchanged).
struct Output<W: Write> {
    inner: W,
    written: u64,
    swallow: usize,
}

impl<W: Write> Write for Output<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.swallow > 0 {
            let n = self.swallow.min(buf.len());
            self.swallow -= n;
            return Ok(n);
        }
        let n = self.inner.write(buf)?;
        self.written += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// One section of the output, for fixing its header's length field afterwards.
struct Section {
    /// Where the section header's `section_length` field is in the output.
    length_at: u64,
    /// Its value in the input (-1: not given).
    declared: i64,
    endian: Endian,
    /// Bytes of the section after its header, in the input and in the output.
    input_len: u64,
    output_start: u64,
    output_end: u64,
}

/// What the block walk knows about the current section.
struct Walk {
    endian: Endian,
    /// Interfaces described in the section (a packet on any other is no frame).
    interfaces: usize,
    frame: u64,
}

/// A pcapng input, copied block by block with new packet comments.
fn from_pcapng(input: &Path, notes: &Notes, file: std::fs::File) -> Result<Written, Failure> {
    let raw = std::fs::File::open(input)?;
    let mut source: Box<dyn Read> = if super::is_gzip_file(input) {
        Box::new(super::source::gunzip(raw))
    } else {
        Box::new(std::io::BufReader::with_capacity(256 * 1024, raw))
    };
    let mut output = Some(Output {
        inner: BufWriter::with_capacity(256 * 1024, file),
        written: 0,
        swallow: 0,
    });
    let mut writer: Option<PcapNgWriter<Output<BufWriter<std::fs::File>>>> = None;
    let mut sections: Vec<Section> = Vec::new();
    let mut walk = Walk {
        endian: Endian::Little,
        interfaces: 0,
        frame: 0,
    };
    let mut written = Written {
        frames: 0,
        comments: 0,
        noted: Default::default(),
    };
    let mut block = Vec::new();
    while let Some((block_type, total_len)) = read_block(&mut source, &mut block, &mut walk) {
        if block_type == BLOCK_SHB {
            // A new section: a new writer in its byte order, fed the input's own header.
            let endianness = match walk.endian {
                Endian::Little => Endianness::Little,
                Endian::Big => Endianness::Big,
            };
            let header = SectionHeaderBlock {
                endianness,
                ..Default::default()
            };
            let mut out = match (writer.take(), output.take()) {
                (Some(w), _) => w.into_inner(),
                (None, Some(o)) => o,
                (None, None) => return Err(Failure::Refused("internal: no output".into())),
            };
            if let Some(last) = sections.last_mut() {
                last.output_end = out.written;
            }
            out.swallow = PcapNgWriter::with_section_header(Vec::new(), header.clone())
                .map_err(std::io::Error::other)?
                .into_inner()
                .len();
            let mut w =
                PcapNgWriter::with_section_header(out, header).map_err(std::io::Error::other)?;
            let start = w.get_ref().written;
            w.get_mut().write_all(&block)?;
            let field: [u8; 8] = std::array::from_fn(|i| block.get(16 + i).copied().unwrap_or(0));
            let declared = match walk.endian {
                Endian::Little => i64::from_le_bytes(field),
                Endian::Big => i64::from_be_bytes(field),
            };
            sections.push(Section {
                length_at: start + 16,
                declared,
                endian: walk.endian,
                input_len: 0,
                output_start: w.get_ref().written,
                output_end: w.get_ref().written,
            });
            writer = Some(w);
            continue;
        }
        let Some(w) = writer.as_mut() else {
            break;
        };
        if let Some(section) = sections.last_mut() {
            section.input_len += u64::from(total_len);
        }
        let body = block.get(8..block.len().saturating_sub(4)).unwrap_or(&[]);
        let endian = walk.endian;
        match block_type {
            BLOCK_IDB => {
                walk.interfaces = (walk.interfaces + 1).min(MAX_INTERFACES);
                w.get_mut().write_all(&block)?;
            }
            BLOCK_EPB | BLOCK_PB => {
                let iface = if block_type == BLOCK_EPB {
                    endian.u32(body, 0)
                } else {
                    u32::from(endian.u16(body, 0))
                };
                if body.len() < 20 || iface as usize >= walk.interfaces {
                    // Not a frame for the reader either: kept as it is.
                    w.get_mut().write_all(&block)?;
                    continue;
                }
                walk.frame += 1;
                let comments = wanted(notes, walk.frame);
                count(&mut written, walk.frame, comments);
                match with_comments(endian, body, comments) {
                    None => w.get_mut().write_all(&block)?,
                    Some(new_body) => {
                        check_size(walk.frame, &new_body)?;
                        write_raw(w, block_type, new_body)?;
                    }
                }
            }
            BLOCK_SPB => {
                if walk.interfaces == 0 {
                    w.get_mut().write_all(&block)?;
                    continue;
                };
                walk.frame += 1;
                let comments = wanted(notes, walk.frame);
                count(&mut written, walk.frame, comments);
                if !comments.is_empty() {
                    // It has no options, and no timestamp: as an enhanced packet block
                    // it would get one (Wireshark shows none), so it is not converted.
                    return Err(Failure::Refused(format!(
                        "frame {}: a simple packet block, which cannot hold comments (and has no timestamp an enhanced one could keep)",
                        walk.frame
                    )));
                }
                w.get_mut().write_all(&block)?;
            }
            BLOCK_CUSTOM | BLOCK_CUSTOM_NOCOPY => {
                // Wireshark numbers custom blocks as frames (and so does our reader).
                walk.frame += 1;
                w.get_mut().write_all(&block)?;
            }
            _ => w.get_mut().write_all(&block)?,
        }
    }
    written.frames = walk.frame;
    let Some(w) = writer else {
        return Err(Failure::Refused(
            "no pcapng section header could be read".to_string(),
        ));
    };
    let mut out = w.into_inner();
    if let Some(last) = sections.last_mut() {
        last.output_end = out.written;
    }
    out.flush()?;
    let mut file = out
        .inner
        .into_inner()
        .map_err(|e| Failure::Write(e.into_error()))?;
    // A section whose size changed and whose header gave its length gets the new length.
    for s in &sections {
        let new_len = s.output_end.saturating_sub(s.output_start);
        if s.declared != -1 && new_len != s.input_len {
            let v = i64::try_from(new_len).unwrap_or(-1);
            let bytes = match s.endian {
                Endian::Little => v.to_le_bytes(),
                Endian::Big => v.to_be_bytes(),
            };
            file.seek(SeekFrom::Start(s.length_at))?;
            file.write_all(&bytes)?;
        }
    }
    file.sync_all()?;
    Ok(written)
}

fn count(written: &mut Written, frame: u64, comments: &[String]) {
    if !comments.is_empty() {
        written.noted.insert(frame);
        written.comments += comments.len() as u64;
    }
}

fn check_size(frame: u64, body: &[u8]) -> Result<(), Failure> {
    if body.len() + 12 > MAX_BLOCK_LEN as usize {
        return Err(Failure::Refused(format!(
            "frame {frame}: its packet and notes would need {} bytes, more than the {MAX_BLOCK_LEN} a packet block may have",
            body.len() + 12
        )));
    }
    Ok(())
}

/// An enhanced (or obsolete) packet block's body with `comments` as its packet comments,
/// or `None` when it already has exactly those. The first 20 bytes (interface, timestamp,
/// lengths), the data and every other option are kept; comments come first, then the
/// other options in their order, then whatever followed them.
fn with_comments(endian: Endian, body: &[u8], comments: &[String]) -> Option<Vec<u8>> {
    let caplen = endian.u32(body, 12) as usize;
    let room = body.len().saturating_sub(20);
    let len = caplen.min(room);
    let options_at = 20usize
        .saturating_add(caplen.saturating_add(padding(caplen)))
        .min(body.len());
    // Walk the options as the reader does: comments out, the rest kept with their padding.
    let mut existing = Vec::new();
    let mut kept = Vec::new();
    let mut at = options_at;
    while at + 4 <= body.len() {
        let code = endian.u16(body, at);
        let olen = usize::from(endian.u16(body, at + 2));
        let end = at + 4 + olen;
        if code == OPT_ENDOFOPT || end > body.len() {
            break;
        }
        let next = (end + padding(olen)).min(body.len());
        if code == OPT_COMMENT {
            existing.push(String::from_utf8_lossy(
                body.get(at + 4..end).unwrap_or(&[]),
            ));
        } else {
            kept.extend_from_slice(body.get(at..next).unwrap_or(&[]));
        }
        at = next;
    }
    let same = existing.len() == comments.len()
        && existing
            .iter()
            .zip(comments)
            .all(|(a, b)| a.as_ref() == b.as_str());
    if same && caplen <= room {
        return None;
    }
    let tail = body.get(at..).unwrap_or(&[]);
    let mut new = Vec::with_capacity(body.len() + 64);
    new.extend_from_slice(body.get(..12).unwrap_or(&[]));
    endian.put_u32(&mut new, u32::try_from(len).unwrap_or(u32::MAX));
    new.extend_from_slice(body.get(16..20).unwrap_or(&[]));
    new.extend_from_slice(body.get(20..20 + len).unwrap_or(&[]));
    new.resize(new.len() + padding(len), 0);
    for c in comments {
        // Lengths were checked before writing began.
        let _ = push_option(&mut new, endian, OPT_COMMENT, c.as_bytes());
    }
    new.extend_from_slice(&kept);
    if tail.is_empty() {
        if !comments.is_empty() || !kept.is_empty() {
            endian.put_u16(&mut new, OPT_ENDOFOPT);
            endian.put_u16(&mut new, 0);
        }
    } else {
        new.extend_from_slice(tail);
    }
    Some(new)
}

/// Read the next whole block into `block` (header, body and trailer), with the same checks
/// and limits as the capture reader; `None` at the end or where the reader stops.
fn read_block(source: &mut dyn Read, block: &mut Vec<u8>, walk: &mut Walk) -> Option<(u32, u32)> {
    block.clear();
    if read_up_to(source, block, 12) < 12 {
        return None;
    }
    let head = block.get(..12)?;
    if head.get(..4)? == SHB_TYPE {
        walk.endian = match head.get(8..12)? {
            [0x4d, 0x3c, 0x2b, 0x1a] => Endian::Little,
            [0x1a, 0x2b, 0x3c, 0x4d] => Endian::Big,
            _ => return None,
        };
        walk.interfaces = 0;
    }
    let block_type = walk.endian.u32(head, 0);
    let total_len = walk.endian.u32(head, 4);
    let is_packet = matches!(block_type, BLOCK_EPB | BLOCK_SPB | BLOCK_PB);
    let limit = if is_packet {
        MAX_BLOCK_LEN
    } else {
        MAX_SKIPPED_BLOCK_LEN
    };
    if total_len < 12 || !total_len.is_multiple_of(4) || total_len > limit {
        return None;
    }
    let rest = total_len as usize - 12;
    if read_up_to(source, block, rest) < rest {
        return None;
    }
    // The trailing length is written anew when a block is rewritten; an unchanged block
    // is copied as it is, like the reader reads it (with a warning when it differs).
    Some((block_type, total_len))
}

/// Append up to `n` bytes; fewer only at the end of the stream (or on a read error).
fn read_up_to(source: &mut dyn Read, buf: &mut Vec<u8>, n: usize) -> usize {
    let start = buf.len();
    let _ = source.take(n as u64).read_to_end(buf);
    buf.len() - start
}

/// Read the input and the new file side by side: the same frames, each with exactly its
/// notes. Returns the frame count and the input's warnings.
fn compare(
    input: &Path,
    tmp: &Path,
    notes: &Notes,
    out: &Path,
) -> Result<(u64, Vec<CaptureWarning>), CaptureError> {
    let (mut a, _, _) = super::open_path(input)?;
    let (mut b, _, _) = super::open_path(tmp).map_err(|e| CaptureError::WriteFailed {
        path: out.to_path_buf(),
        message: format!("the file written cannot be read back: {e}"),
        source: None,
    })?;
    let differs = |frame: u64, what: &str| CaptureError::WriteFailed {
        path: out.to_path_buf(),
        message: format!(
            "frame {frame} would not be saved as it was ({what}); nothing was written"
        ),
        source: None,
    };
    let mut frames = 0;
    loop {
        match (a.next_frame(), b.next_frame()) {
            (None, None) => break,
            (Some(x), Some(y)) => {
                let n = x.number;
                frames += 1;
                if y.number != n {
                    return Err(differs(n, "its number"));
                }
                if x.data != y.data {
                    return Err(differs(n, "its bytes"));
                }
                if x.ts != y.ts {
                    return Err(differs(n, "its timestamp"));
                }
                if x.original_len != y.original_len {
                    return Err(differs(n, "its original length"));
                }
                if x.link != y.link || x.interface != y.interface {
                    return Err(differs(n, "its interface"));
                }
                if y.comments != wanted(notes, n) {
                    return Err(differs(n, "its notes"));
                }
            }
            (Some(x), None) => return Err(differs(x.number, "missing from the new file")),
            (None, Some(y)) => return Err(differs(y.number, "not in the input")),
        }
    }
    Ok((frames, a.warnings()))
}

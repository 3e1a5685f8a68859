//! Writing pcapng, always through the `pcap-file` crate's [`PcapNgWriter`]: frames one at
//! a time ([`PcapngSaver`]: File › Save as, `capture -w`, `lab -w`, a pcap saved with
//! notes) with the interface name and the capture filter recorded in each Interface
//! Description Block, and the packet comments (`opt_comment`) of each frame.
//!
//! Packet blocks are built here as raw blocks (their timestamps in the interface's own
//! units: pcap-file 2.0 would write nanoseconds whatever `if_tsresol` says) and handed to
//! the writer, which frames and orders them.

use super::reader::Endian;
use super::{Frame, MAX_RECORD_LEN, Timestamp};
use pcap_file::pcapng::PcapNgWriter;
use pcap_file::pcapng::RawBlock;
use pcap_file::pcapng::blocks::interface_description::{
    InterfaceDescriptionBlock, InterfaceDescriptionOption,
};
use pcap_file::{DataLink, Endianness};
use std::borrow::Cow;
use std::collections::HashMap;
use std::io::Write;

/// pcapng block type of an Enhanced Packet Block.
pub(crate) const EPB_TYPE: u32 = 6;
/// pcapng option codes.
pub(crate) const OPT_ENDOFOPT: u16 = 0;
pub(crate) const OPT_COMMENT: u16 = 1;

/// Where a capture came from, recorded in the file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CaptureOrigin {
    /// The interface name (`lo`, `eth0`...), if known.
    pub interface: Option<String>,
    /// The capture filter used, if any.
    pub filter: Option<String>,
}

/// The unit of the timestamps written (`if_tsresol` 6 or 9).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum TsResolution {
    /// Microseconds, as in a classic pcap file.
    Micro,
    /// Nanoseconds.
    #[default]
    Nano,
}

impl TsResolution {
    /// The `if_tsresol` option's value (a power of ten).
    pub fn if_tsresol(self) -> u8 {
        match self {
            TsResolution::Micro => 6,
            TsResolution::Nano => 9,
        }
    }

    /// A timestamp in these units since the epoch (times before 1970 become 0).
    pub fn units(self, ts: Timestamp) -> u64 {
        let secs = u64::try_from(ts.secs).unwrap_or(0);
        match self {
            TsResolution::Micro => secs
                .saturating_mul(1_000_000)
                .saturating_add(u64::from(ts.nanos / 1000)),
            TsResolution::Nano => secs
                .saturating_mul(1_000_000_000)
                .saturating_add(u64::from(ts.nanos)),
        }
    }
}

/// A pcapng file being written, one frame at a time.
pub struct PcapngSaver<W: Write> {
    writer: PcapNgWriter<W>,
    origin: CaptureOrigin,
    resolution: TsResolution,
    snaplen: u32,
    /// Source (interface, link type) → interface id in the file.
    interfaces: HashMap<(u32, u32), u32>,
}

impl<W: Write> PcapngSaver<W> {
    /// A saver writing nanosecond timestamps and the largest snapshot length we read.
    pub fn new(out: W, origin: CaptureOrigin) -> std::io::Result<PcapngSaver<W>> {
        PcapngSaver::with_format(out, origin, TsResolution::Nano, MAX_RECORD_LEN)
    }

    /// A saver with the given timestamp unit and snapshot length (to keep a pcap's own).
    pub fn with_format(
        out: W,
        origin: CaptureOrigin,
        resolution: TsResolution,
        snaplen: u32,
    ) -> std::io::Result<PcapngSaver<W>> {
        let writer = PcapNgWriter::new(out).map_err(std::io::Error::other)?;
        Ok(PcapngSaver {
            writer,
            origin,
            resolution,
            snaplen,
            interfaces: HashMap::new(),
        })
    }

    /// Write one frame with its own packet comments.
    pub fn write(&mut self, frame: &Frame<'_>) -> std::io::Result<()> {
        self.write_with_comments(frame, frame.comments)
    }

    /// Write one frame with these packet comments instead of its own (its interface is
    /// described first, the first time it appears).
    pub fn write_with_comments(
        &mut self,
        frame: &Frame<'_>,
        comments: &[String],
    ) -> std::io::Result<()> {
        let id = self.interface_id(frame)?;
        let endian = endian_of(self.writer.section().endianness);
        let mut options = Vec::new();
        for comment in comments {
            push_option(&mut options, endian, OPT_COMMENT, comment.as_bytes())?;
        }
        end_options(&mut options, endian);
        let body = packet_body(
            endian,
            id,
            self.resolution.units(frame.ts),
            frame.original_len,
            frame.data,
            &options,
        )?;
        write_raw(&mut self.writer, EPB_TYPE, body)
    }

    fn interface_id(&mut self, frame: &Frame<'_>) -> std::io::Result<u32> {
        let key = (frame.interface, frame.link.0);
        if let Some(&id) = self.interfaces.get(&key) {
            return Ok(id);
        }
        let id = u32::try_from(self.interfaces.len()).unwrap_or(u32::MAX);
        let mut options = vec![InterfaceDescriptionOption::IfTsResol(
            self.resolution.if_tsresol(),
        )];
        if let Some(name) = &self.origin.interface {
            options.push(InterfaceDescriptionOption::IfName(Cow::Owned(name.clone())));
        }
        if let Some(filter) = self.origin.filter.as_ref().filter(|f| !f.is_empty()) {
            // Type 0: a libpcap filter string.
            let mut bytes = vec![0u8];
            bytes.extend_from_slice(filter.as_bytes());
            options.push(InterfaceDescriptionOption::IfFilter(Cow::Owned(bytes)));
        }
        let block = InterfaceDescriptionBlock {
            linktype: DataLink::from(frame.link.0),
            snaplen: self.snaplen,
            options,
        };
        self.writer
            .write_pcapng_block(block)
            .map_err(std::io::Error::other)?;
        self.interfaces.insert(key, id);
        Ok(id)
    }

    pub fn flush(&mut self) -> std::io::Result<()> {
        self.writer.get_mut().flush()
    }

    pub fn into_inner(self) -> W {
        self.writer.into_inner()
    }
}

/// Copy every frame of `reader` (with its packet comments) into a pcapng file. Returns
/// the number of frames.
pub fn save_all(
    reader: &mut super::CaptureReader,
    out: impl Write,
    origin: CaptureOrigin,
) -> std::io::Result<u64> {
    let mut saver = PcapngSaver::new(std::io::BufWriter::new(out), origin)?;
    let mut n = 0;
    while let Some(frame) = reader.next_frame() {
        saver.write(&frame)?;
        n += 1;
    }
    saver.flush()?;
    Ok(n)
}

pub(crate) fn endian_of(e: Endianness) -> Endian {
    match e {
        Endianness::Big => Endian::Big,
        Endianness::Little => Endian::Little,
    }
}

/// Hand a block body to the writer (it adds the type and both length fields).
pub(crate) fn write_raw<W: Write>(
    writer: &mut PcapNgWriter<W>,
    type_: u32,
    body: Vec<u8>,
) -> std::io::Result<()> {
    let len = u32::try_from(body.len() + 12)
        .map_err(|_| std::io::Error::other("pcapng block larger than 4 GiB"))?;
    let block = RawBlock {
        type_,
        initial_len: len,
        body: Cow::Owned(body),
        trailer_len: len,
    };
    writer
        .write_raw_block(&block)
        .map_err(std::io::Error::other)?;
    Ok(())
}

/// Append one option (code, length, value, zero padding to 32 bits).
pub(crate) fn push_option(
    out: &mut Vec<u8>,
    endian: Endian,
    code: u16,
    value: &[u8],
) -> std::io::Result<()> {
    let len = u16::try_from(value.len()).map_err(|_| {
        std::io::Error::other(format!(
            "a pcapng option holds at most 65535 bytes, not {}",
            value.len()
        ))
    })?;
    endian.put_u16(out, code);
    endian.put_u16(out, len);
    out.extend_from_slice(value);
    out.resize(out.len() + padding(value.len()), 0);
    Ok(())
}

/// Close a non-empty option list with `opt_endofopt`.
pub(crate) fn end_options(out: &mut Vec<u8>, endian: Endian) {
    if !out.is_empty() {
        endian.put_u16(out, OPT_ENDOFOPT);
        endian.put_u16(out, 0);
    }
}

/// Bytes of zero padding after `len` bytes, to the next multiple of 4.
pub(crate) fn padding(len: usize) -> usize {
    (4 - len % 4) % 4
}

/// The body of an Enhanced Packet Block: interface, timestamp (in the interface's units),
/// captured and original lengths, the data padded to 32 bits, then `options` as given.
pub(crate) fn packet_body(
    endian: Endian,
    interface: u32,
    ts_units: u64,
    original_len: u32,
    data: &[u8],
    options: &[u8],
) -> std::io::Result<Vec<u8>> {
    let caplen =
        u32::try_from(data.len()).map_err(|_| std::io::Error::other("packet larger than 4 GiB"))?;
    let mut body = Vec::with_capacity(20 + data.len() + 3 + options.len());
    endian.put_u32(&mut body, interface);
    endian.put_u32(&mut body, (ts_units >> 32) as u32);
    endian.put_u32(&mut body, ts_units as u32);
    endian.put_u32(&mut body, caplen);
    endian.put_u32(&mut body, original_len);
    body.extend_from_slice(data);
    body.resize(body.len() + padding(data.len()), 0);
    body.extend_from_slice(options);
    Ok(body)
}

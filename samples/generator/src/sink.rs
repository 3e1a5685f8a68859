//! Where frames go: classic pcap files (micro- or nanosecond timestamps,
//! either byte order, any snap length), pcapng files with several
//! interfaces and extra blocks, and pcapng files whose packets carry an
//! instructor's notes as packet comments (`opt_comment`, as Wireshark keeps
//! them).
//!
//! Output is always explicitly little-endian unless a sample asks for big
//! endian, so the bytes do not depend on the machine that runs the
//! generator.

use std::borrow::Cow;
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::Path;
use std::time::Duration;

use pcap_file::pcap::{PcapHeader, PcapPacket, PcapWriter};
use pcap_file::pcapng::blocks::enhanced_packet::{EnhancedPacketBlock, EnhancedPacketOption};
use pcap_file::pcapng::blocks::interface_description::{
    InterfaceDescriptionBlock, InterfaceDescriptionOption,
};
use pcap_file::pcapng::blocks::section_header::{SectionHeaderBlock, SectionHeaderOption};
use pcap_file::pcapng::blocks::unknown::UnknownBlock;
use pcap_file::pcapng::{Block, PcapNgWriter};
use pcap_file::{DataLink, Endianness, TsResolution};

/// One captured frame.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Frame {
    /// Time since the Unix epoch (UTC).
    pub ts: Duration,
    /// The whole frame as it was on the wire (the writer applies snaplen).
    pub data: Vec<u8>,
    /// pcapng interface index (0 for classic pcap).
    pub interface: u32,
}

/// Sorts frames by time, keeping the given order for equal times.
pub fn sort_by_time(frames: &mut [Frame]) {
    frames.sort_by_key(|f| f.ts);
}

/// The global header choices of a classic pcap file.
#[derive(Clone, Copy, Debug)]
pub struct PcapFormat {
    pub datalink: DataLink,
    pub resolution: TsResolution,
    pub endianness: Endianness,
    pub snaplen: u32,
}

impl Default for PcapFormat {
    /// Ethernet, microseconds, little endian, snaplen 262144 (tcpdump's
    /// default).
    fn default() -> Self {
        PcapFormat {
            datalink: DataLink::ETHERNET,
            resolution: TsResolution::MicroSecond,
            endianness: Endianness::Little,
            snaplen: 262_144,
        }
    }
}

fn pcap_err(e: pcap_file::PcapError) -> io::Error {
    match e {
        pcap_file::PcapError::IoError(e) => e,
        other => io::Error::other(other),
    }
}

/// A pcap file being written frame by frame (nothing is kept in memory).
pub struct PcapStream<W: Write> {
    writer: PcapWriter<W>,
    snaplen: usize,
}

impl<W: Write> PcapStream<W> {
    /// Writes the global header.
    pub fn new(out: W, format: PcapFormat) -> io::Result<Self> {
        let header = PcapHeader {
            version_major: 2,
            version_minor: 4,
            ts_correction: 0,
            ts_accuracy: 0,
            snaplen: format.snaplen,
            datalink: format.datalink,
            ts_resolution: format.resolution,
            endianness: format.endianness,
        };
        let writer = PcapWriter::with_header(out, header).map_err(pcap_err)?;
        Ok(PcapStream {
            writer,
            snaplen: format.snaplen as usize,
        })
    }

    /// Writes one frame, cut to the snap length, with its full original
    /// length recorded.
    pub fn write(&mut self, ts: Duration, data: &[u8]) -> io::Result<()> {
        let kept = data.len().min(self.snaplen);
        let packet = PcapPacket {
            timestamp: ts,
            orig_len: u32::try_from(data.len()).map_err(io::Error::other)?,
            data: Cow::Borrowed(data.get(..kept).unwrap_or(data)),
        };
        self.writer.write_packet(&packet).map_err(pcap_err)?;
        Ok(())
    }

    /// The underlying writer, for flushing.
    pub fn into_inner(self) -> W {
        self.writer.into_writer()
    }
}

/// Writes a whole classic pcap file.
pub fn write_pcap(path: &Path, format: PcapFormat, frames: &[Frame]) -> io::Result<()> {
    let mut stream = PcapStream::new(BufWriter::new(File::create(path)?), format)?;
    for f in frames {
        stream.write(f.ts, &f.data)?;
    }
    stream.into_inner().flush()
}

/// One pcapng interface (one Interface Description Block).
#[derive(Clone, Debug)]
pub struct NgInterface {
    pub name: &'static str,
    pub description: &'static str,
    pub datalink: DataLink,
    /// `true`: `if_tsresol` = 9 (nanoseconds); `false`: no option, which
    /// means the default microseconds.
    pub nanoseconds: bool,
}

/// A note on one frame of a teaching sample, in English and in Chinese. It is
/// written as two packet comments, `[en] …` then `[zh-CN] …`; the app shows
/// the one in the reader's language.
#[derive(Clone, Copy, Debug)]
pub struct Note {
    /// The frame's number (1-based, as tshark and Wireshark count).
    pub frame: u32,
    pub en: &'static str,
    pub zh: &'static str,
}

impl Note {
    /// The packet comments this note becomes, in the order they are written.
    pub fn comments(&self) -> [String; 2] {
        [format!("[en] {}", self.en), format!("[zh-CN] {}", self.zh)]
    }
}

/// Writes a teaching sample as pcapng: one Ethernet interface with
/// microsecond timestamps (as the classic pcap samples have), every frame an
/// Enhanced Packet Block, and each note as packet comments on its frame.
/// Fails if a note names a frame the file does not have.
pub fn write_pcapng_with_notes(path: &Path, frames: &[Frame], notes: &[Note]) -> io::Result<()> {
    if let Some(n) = notes
        .iter()
        .find(|n| n.frame == 0 || n.frame as usize > frames.len())
    {
        return Err(io::Error::other(format!(
            "a note names frame {}, but the sample has {} frames",
            n.frame,
            frames.len()
        )));
    }
    let interface = NgInterface {
        name: "eth0",
        description: "",
        datalink: DataLink::ETHERNET,
        nanoseconds: false,
    };
    let items: Vec<NgItem> = frames
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let number = u32::try_from(i + 1).unwrap_or(u32::MAX);
            NgItem::Frame(
                Frame {
                    interface: 0,
                    ..f.clone()
                },
                notes
                    .iter()
                    .filter(|n| n.frame == number)
                    .flat_map(Note::comments)
                    .collect(),
            )
        })
        .collect();
    write_pcapng(path, "tcp-ladder make-samples", &[interface], &items)
}

/// What goes into a pcapng file after the interface blocks, in order.
#[derive(Clone, Debug)]
pub enum NgItem {
    /// An Enhanced Packet Block, with its packet comments.
    Frame(Frame, Vec<String>),
    /// A Custom Block (type 0x40000BAD: "not to be copied") with the given
    /// Private Enterprise Number; readers that do not know it must skip it.
    Custom { pen: u32, data: Vec<u8> },
}

/// Custom Block type whose contents must not be copied to new files.
const CUSTOM_BLOCK_NO_COPY: u32 = 0x4000_0BAD;

/// Writes a whole pcapng file: section header, interfaces, then the items.
pub fn write_pcapng(
    path: &Path,
    application: &'static str,
    interfaces: &[NgInterface],
    items: &[NgItem],
) -> io::Result<()> {
    let section = SectionHeaderBlock {
        endianness: Endianness::Little,
        major_version: 1,
        minor_version: 0,
        section_length: -1,
        options: vec![SectionHeaderOption::UserApplication(Cow::Borrowed(
            application,
        ))],
    };
    let out = BufWriter::new(File::create(path)?);
    let mut w = PcapNgWriter::with_section_header(out, section).map_err(pcap_err)?;
    for i in interfaces {
        let mut options = vec![InterfaceDescriptionOption::IfName(Cow::Borrowed(i.name))];
        if !i.description.is_empty() {
            options.push(InterfaceDescriptionOption::IfDescription(Cow::Borrowed(
                i.description,
            )));
        }
        if i.nanoseconds {
            options.push(InterfaceDescriptionOption::IfTsResol(9));
        }
        let idb = InterfaceDescriptionBlock {
            linktype: i.datalink,
            snaplen: 262_144,
            options,
        };
        w.write_pcapng_block(idb).map_err(pcap_err)?;
    }
    for item in items {
        match item {
            NgItem::Frame(f, comments) => {
                let nanos = interfaces
                    .get(f.interface as usize)
                    .ok_or_else(|| io::Error::other("frame names an unknown interface"))?
                    .nanoseconds;
                let epb = EnhancedPacketBlock {
                    interface_id: f.interface,
                    timestamp: epb_timestamp(f.ts, nanos),
                    original_len: u32::try_from(f.data.len()).map_err(io::Error::other)?,
                    data: Cow::Borrowed(&f.data),
                    options: comments
                        .iter()
                        .map(|c| EnhancedPacketOption::Comment(Cow::Borrowed(c.as_str())))
                        .collect(),
                };
                w.write_pcapng_block(epb).map_err(pcap_err)?;
            }
            NgItem::Custom { pen, data } => {
                let mut body = pen.to_le_bytes().to_vec();
                body.extend_from_slice(data);
                let block = UnknownBlock::new(CUSTOM_BLOCK_NO_COPY, 0, &body);
                w.write_block(&Block::Unknown(block)).map_err(pcap_err)?;
            }
        }
    }
    w.into_inner().flush()
}

/// pcap-file 2.0 writes an EPB's `timestamp` as a raw count of nanoseconds,
/// whatever the interface's `if_tsresol` says. The file must hold the count
/// in the interface's own unit, so for a microsecond interface the count of
/// microseconds is handed over dressed up as nanoseconds.
fn epb_timestamp(ts: Duration, nanoseconds: bool) -> Duration {
    if nanoseconds {
        ts
    } else {
        let micros = u64::try_from(ts.as_micros()).unwrap_or(u64::MAX);
        Duration::from_nanos(micros)
    }
}

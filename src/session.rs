//! A loaded capture: its TCP packets (small records, not bytes), its connections, and
//! the warnings met on the way. This is everything the app and the commands show.
//!
//! [`scan`] is the one streaming pass over a capture that every command and the app
//! share: it decodes each frame once, places TCP segments in the [`FlowTable`], and hands
//! each frame to a visitor ([`scan_table`] is the same pass for a table alone, on two
//! threads: the `flows` command). [`Session::load_path`] runs it keeping a record per TCP
//! packet; frame bytes stay in the file and are re-read by offset when a packet is
//! selected ([`Session::frame_bytes`]). A packet's record is small (72 bytes): what
//! nearly every packet needs is inline, and the rare facts (options besides timestamps,
//! the frames an analysis mark refers to, a capture time outside 1678–2262) are in side
//! tables read through the session; link types are a per-session table.

use crate::capture::{
    self, CaptureError, CaptureReader, CaptureWarning, Frame, LinkType, ProgressCounter, Spool,
    Timestamp,
};
use crate::decode::tcp::OptionSummary;
use crate::decode::{self, Decoded, TcpFlags, Transport};
use crate::flow::{
    Analysis, AnalysisFlags, Connection, Endpoint, FlowTable, Placement, Segment, Side,
};
use std::collections::BTreeMap;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// Where a session's frame bytes can be read again.
#[derive(Clone, Debug)]
pub enum FrameSource {
    File(PathBuf),
    Memory(Arc<[u8]>),
    /// A stream (standard input, a FIFO, a capture tool) copied to a temporary file.
    Spool(Arc<Spool>),
}

/// One TCP packet as the session keeps it, for every packet of a capture: the facts
/// nearly every packet needs, inline and nothing derivable twice (72 bytes, pinned by a
/// test). Rare facts live in the session's side tables and are read through it:
/// [`Session::options`] (every TCP option but the timestamps, kept inline),
/// [`Session::analysis`] (the frames an analysis mark refers to), [`Session::link`]
/// (the link type, a small index inline) and [`Session::ts`] (the capture time, inline
/// as nanoseconds since the epoch when it lies between 1678 and 2262, else in a side
/// table).
#[derive(Clone, Copy, Debug)]
pub struct PacketRecord {
    /// The frame number ([`PacketRecord::frame`]): a session keeps frames up to
    /// [`LAST_FRAME`].
    frame: u32,
    /// The capture time in nanoseconds since the epoch ([`PacketRecord::ts`]); when
    /// [`Kept::RARE`] is set it is out of that range and the session keeps it exactly.
    time: i64,
    pub data_offset: u64,
    pub captured_len: u32,
    pub original_len: u32,
    pub stream: u32,
    /// Index within its connection.
    pub index: u32,
    pub seq: u32,
    pub ack: u32,
    pub payload_len: u32,
    pub rel_seq: u32,
    /// The relative acknowledgement number; meaningful only with the ACK flag
    /// ([`PacketRecord::rel_ack`]).
    rel_ack: u32,
    /// The timestamps option (TSval, TSecr) when [`Kept::TIMESTAMP`] is set.
    timestamp: (u32, u32),
    pub flags: TcpFlags,
    pub window: u16,
    /// Wireshark's analysis flags (retransmission, duplicate ACK...); the frames they
    /// refer to are in [`Session::analysis`].
    pub analysis: PacketAnalysis,
    /// The link type's place in [`Session`]'s table of link types ([`Session::link`]).
    link: u8,
    /// Which facts are present, and the packet's side ([`PacketRecord::side`]).
    kept: Kept,
}

/// The analysis flags a [`PacketRecord`] keeps inline.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PacketAnalysis {
    pub flags: AnalysisFlags,
}

/// Which of a packet's facts are present: inline ones, and whether a side table holds
/// more; and which side sent it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Kept(u8);

impl Kept {
    /// The timestamps option is inline.
    const TIMESTAMP: u8 = 1;
    /// Options besides the timestamps are in [`Session`]'s option table.
    const MORE_OPTIONS: u8 = 2;
    /// The analysis refers to other frames ([`Session`]'s analysis table).
    const ANALYSIS_DETAIL: u8 = 4;
    /// The packet was sent by side B of its connection (else by A).
    const SIDE_B: u8 = 8;
    /// The capture time does not fit the inline nanoseconds, or the link type not the
    /// session's table of link types: both are in [`Session`]'s table of rare facts.
    const RARE: u8 = 16;

    fn has(self, bit: u8) -> bool {
        self.0 & bit != 0
    }
}

impl PacketRecord {
    /// Acknowledgement number relative to the receiver's base (Wireshark's `tcp.ack`);
    /// `None` when the ACK flag is clear.
    pub fn rel_ack(&self) -> Option<u32> {
        self.flags.ack().then_some(self.rel_ack)
    }

    /// The timestamps option (TSval, TSecr), when the packet carries one.
    pub fn timestamp(&self) -> Option<(u32, u32)> {
        self.kept.has(Kept::TIMESTAMP).then_some(self.timestamp)
    }

    /// The packet's frame number in the capture (1 for the first frame).
    pub fn frame(&self) -> u64 {
        u64::from(self.frame)
    }

    /// Which endpoint of its connection sent the packet.
    pub fn side(&self) -> Side {
        if self.kept.has(Kept::SIDE_B) {
            Side::B
        } else {
            Side::A
        }
    }

    /// The capture time, exact for every time between the years 1678 and 2262 (what
    /// `i64` nanoseconds hold). A time outside that range (only damaged files carry one)
    /// reads here as the nearest end of the range; [`Session::ts`] gives it exactly.
    pub fn ts(&self) -> Timestamp {
        Timestamp::from_parts(
            self.time.div_euclid(NANOS_PER_SEC),
            self.time.rem_euclid(NANOS_PER_SEC) as u32,
        )
    }
}

const NANOS_PER_SEC: i64 = 1_000_000_000;

/// The last frame a session keeps: a [`PacketRecord`] numbers frames in 32 bits. Loading
/// a capture with more frames stops there, with a warning ([`LoadStats::frame_limit`]).
pub const LAST_FRAME: u64 = u32::MAX as u64;

/// A capture time as nanoseconds since the epoch, when `i64` holds it.
fn nanos_of(ts: Timestamp) -> Option<i64> {
    ts.secs
        .checked_mul(NANOS_PER_SEC)?
        .checked_add(i64::from(ts.nanos))
}

/// A packet's entry in one of the session's side tables (sorted by frame number), when
/// its record's `bit` says it has one: the one lookup of [`Session::options`],
/// [`Session::analysis`] and the rare facts.
fn side_entry<T: Copy>(table: &[(u64, T)], packet: &PacketRecord, bit: u8) -> Option<T> {
    if !packet.kept.has(bit) {
        return None;
    }
    let i = table
        .binary_search_by_key(&packet.frame(), |&(frame, _)| frame)
        .ok()?;
    table.get(i).map(|&(_, entry)| entry)
}

/// The facts of a packet that the record cannot hold inline ([`Kept::RARE`]).
#[derive(Clone, Copy, Debug)]
struct RareFacts {
    ts: Timestamp,
    link: LinkType,
}

/// A placed TCP packet with everything the session keeps of it, before
/// `Session::push_packet` stores it compactly.
#[derive(Clone, Copy, Debug)]
pub struct PlacedPacket {
    pub record: PacketRecord,
    pub ts: Timestamp,
    pub link: LinkType,
    pub options: OptionSummary,
    pub analysis: Analysis,
}

/// Counts of what the capture held besides TCP.
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct LoadStats {
    pub frames: u64,
    pub tcp: u64,
    /// TCP headers too damaged to place in a connection.
    pub broken_tcp: u64,
    pub udp: u64,
    pub icmp: u64,
    pub other: u64,
    pub unsupported_links: BTreeMap<u32, u64>,
    /// Encrypted 802.11 frames: counted, their contents cannot be decoded.
    pub protected_frames: u64,
    /// IP datagrams rebuilt from fragments (analysed in the frame of the last fragment).
    pub reassembled: u64,
    /// IP fragment sets that never completed, and the earliest frame of one of them.
    pub incomplete_fragment_sets: u64,
    pub first_incomplete_fragment: Option<u64>,
    pub bytes_read: u64,
    pub cancelled: bool,
    /// Set when loading stopped after frame [`LAST_FRAME`], the last a session keeps:
    /// the frames after it were not read.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub frame_limit: bool,
}

impl LoadStats {
    /// What was kept but not decoded, one sentence each (the CLI prints them as warnings,
    /// the app in its banner): frames of unsupported link types, encrypted 802.11 frames,
    /// IP fragment sets that never completed; and frames not read at all because the
    /// capture has more than a session keeps.
    pub fn not_decoded(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.frame_limit {
            out.push(format!(
                "loading stopped after frame {LAST_FRAME}, the last a session can number; the rest of the capture was not read"
            ));
        }
        for (link, count) in &self.unsupported_links {
            out.push(format!(
                "{count} frame(s) with unsupported link type {link} were kept but not decoded"
            ));
        }
        if self.protected_frames > 0 {
            out.push(format!(
                "{} encrypted 802.11 frame(s) were counted but cannot be decoded",
                self.protected_frames
            ));
        }
        if let Some(first) = self.first_incomplete_fragment {
            out.push(format!(
                "{} IP fragment set(s) never completed (first in frame {first}); their TCP segments are not analysed",
                self.incomplete_fragment_sets
            ));
        }
        out
    }
}

/// Ways to follow and stop a load from another thread: set `cancel` to stop; read
/// `progress` (bytes of the file read so far) against `total` (the file size).
#[derive(Clone, Debug, Default)]
pub struct LoadControl {
    pub cancel: Arc<AtomicBool>,
    pub progress: ProgressCounter,
    pub total: Arc<std::sync::atomic::AtomicU64>,
}

impl LoadControl {
    pub fn cancelled(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }
}

/// One frame as [`scan`] hands it to its visitor.
pub struct ScannedFrame<'f, 'a> {
    pub frame: &'f Frame<'a>,
    pub decoded: &'f Decoded<'a>,
    /// Where the TCP segment landed (None for non-TCP and broken TCP frames).
    pub placement: Option<Placement>,
    pub segment: Option<Segment>,
}

/// The segment facts of a decoded TCP frame.
pub fn segment_of(frame: &Frame<'_>, decoded: &Decoded<'_>) -> Option<Segment> {
    let tcp = decoded.tcp()?;
    let ip = decoded.ip?;
    Some(Segment {
        frame: frame.number,
        ts: frame.ts,
        src: Endpoint {
            addr: ip.src,
            port: tcp.sport,
        },
        dst: Endpoint {
            addr: ip.dst,
            port: tcp.dport,
        },
        seq: tcp.seq,
        ack: tcp.ack,
        flags: tcp.flags,
        window: tcp.window,
        payload_len: tcp.payload_len,
        frame_len: frame.original_len,
        interface: frame.interface,
        options: tcp.option_summary(),
        analyzable: !decoded.notes.has(crate::decode::Note::OptionsCut)
            && !decoded.notes.has(crate::decode::Note::TcpHeaderTooLong),
    })
}

/// Stream every frame of `reader` through decode and the flow table.
pub fn scan(
    reader: &mut CaptureReader,
    table: &mut FlowTable,
    control: &LoadControl,
    visit: impl FnMut(&ScannedFrame<'_, '_>, &mut FlowTable),
) -> LoadStats {
    scan_up_to(reader, table, control, u64::MAX, visit)
}

/// [`scan`] when only the table is wanted (the `flows` command), on two threads where
/// there are two cores: this one reads and decodes the frames, a second one places their
/// segments in `table`, in the same order. The table ends exactly as [`scan`] leaves it.
pub fn scan_table(
    reader: &mut CaptureReader,
    table: &mut FlowTable,
    control: &LoadControl,
) -> LoadStats {
    /// Segments handed over at once: enough to make the hand-over cheap, few enough to
    /// stay in the cache (a segment is 152 bytes).
    const BATCH: usize = 512;
    /// Batches in flight: the reader may run this far ahead of the table.
    const IN_FLIGHT: usize = 8;
    if std::thread::available_parallelism().map_or(1, |n| n.get()) < 2 {
        return scan(reader, table, control, |_, _| {});
    }
    let (to_table, batches) = std::sync::mpsc::sync_channel::<Vec<Segment>>(IN_FLIGHT);
    let (give_back, returned) = std::sync::mpsc::channel::<Vec<Segment>>();
    std::thread::scope(|scope| {
        let placer = scope.spawn(move || {
            for mut batch in batches {
                for segment in &batch {
                    table.observe(segment);
                }
                batch.clear();
                // The reader may have finished and gone: then the buffer is just dropped.
                let _ = give_back.send(batch);
            }
        });
        let mut stats = LoadStats::default();
        let mut reassembler = decode::Reassembler::new();
        let mut batch = Vec::with_capacity(BATCH);
        while let Some(frame) = reader.next_frame() {
            if stats.frames % 4096 == 0 && control.cancelled() {
                stats.cancelled = true;
                break;
            }
            let decoded = decode::decode(&frame);
            if let Some(segment) = segment_of_frame(&frame, &decoded, &mut stats, &mut reassembler)
            {
                batch.push(segment);
                if batch.len() == BATCH {
                    let next = returned
                        .try_recv()
                        .unwrap_or_else(|_| Vec::with_capacity(BATCH));
                    if to_table.send(std::mem::replace(&mut batch, next)).is_err() {
                        break; // the table's thread is gone: its panic is resumed below
                    }
                }
            }
        }
        if !batch.is_empty() {
            let _ = to_table.send(batch);
        }
        drop(to_table);
        if let Err(panic) = placer.join() {
            std::panic::resume_unwind(panic);
        }
        stats.bytes_read = reader.position();
        stats
    })
}

/// [`scan`], stopping after frame `last_frame` ([`LoadStats::frame_limit`] tells).
fn scan_up_to(
    reader: &mut CaptureReader,
    table: &mut FlowTable,
    control: &LoadControl,
    last_frame: u64,
    mut visit: impl FnMut(&ScannedFrame<'_, '_>, &mut FlowTable),
) -> LoadStats {
    let mut stats = LoadStats::default();
    let mut reassembler = decode::Reassembler::new();
    while let Some(frame) = reader.next_frame() {
        if stats.frames % 4096 == 0 && control.cancelled() {
            stats.cancelled = true;
            break;
        }
        if frame.number > last_frame {
            stats.frame_limit = true;
            break;
        }
        scan_frame(&frame, table, &mut stats, &mut reassembler, &mut visit);
    }
    stats.bytes_read = reader.position();
    stats
}

/// One frame of [`scan`]: count it, decode it, place its TCP segment, visit it.
pub fn scan_frame(
    frame: &Frame<'_>,
    table: &mut FlowTable,
    stats: &mut LoadStats,
    reassembler: &mut decode::Reassembler,
    visit: &mut impl FnMut(&ScannedFrame<'_, '_>, &mut FlowTable),
) {
    let decoded = decode::decode(frame);
    let segment = segment_of_frame(frame, &decoded, stats, reassembler);
    let placement = segment.as_ref().map(|s| table.observe(s));
    visit(
        &ScannedFrame {
            frame,
            decoded: &decoded,
            placement,
            segment,
        },
        table,
    );
}

/// What a decoded frame is, counted in `stats`, and its TCP segment if it carries one
/// whole (a fragment's segment comes with the fragment that completes its datagram, as
/// tshark places it).
fn segment_of_frame(
    frame: &Frame<'_>,
    decoded: &decode::Decoded<'_>,
    stats: &mut LoadStats,
    reassembler: &mut decode::Reassembler,
) -> Option<Segment> {
    stats.frames += 1;
    match decoded.transport {
        Some(Transport::Tcp(_)) => stats.tcp += 1,
        Some(Transport::BrokenTcp { .. }) => stats.broken_tcp += 1,
        Some(Transport::Udp { .. }) => stats.udp += 1,
        Some(Transport::Icmp { .. }) => stats.icmp += 1,
        Some(Transport::Other { .. }) | None => stats.other += 1,
    }
    if let decode::LinkLayer::Unsupported(link) = decoded.link {
        *stats.unsupported_links.entry(link.0).or_insert(0) += 1;
    }
    if decoded.notes.has(decode::Note::ProtectedFrame) {
        stats.protected_frames += 1;
    }
    let mut segment = segment_of(frame, decoded);
    if let Some(ip) = decoded
        .ip
        .filter(|ip| ip.fragment != decode::Fragment::Whole)
    {
        segment = None;
        if let Some(datagram) = reassembler.add(frame.number, frame.data, &ip) {
            stats.reassembled += 1;
            let whole = Frame {
                link: crate::capture::LinkType::RAW,
                original_len: datagram.len() as u32,
                data: &datagram,
                ..*frame
            };
            segment = segment_of(&whole, &decode::decode(&whole)).map(|s| Segment {
                frame_len: frame.original_len,
                ..s
            });
        }
        (
            stats.incomplete_fragment_sets,
            stats.first_incomplete_fragment,
        ) = reassembler.incomplete();
    }
    segment
}

/// The packet the session keeps for a placed TCP frame (None for any other frame, and
/// for a frame after [`LAST_FRAME`]).
pub fn packet_record(f: &ScannedFrame<'_, '_>) -> Option<PlacedPacket> {
    let (Some(p), Some(seg)) = (f.placement, f.segment) else {
        return None;
    };
    let frame = u32::try_from(f.frame.number).ok()?;
    let timestamp = seg.options.timestamp;
    let more_options = OptionSummary {
        timestamp,
        ..OptionSummary::default()
    } != seg.options;
    let detail = Analysis {
        flags: p.analysis.flags,
        ..Analysis::default()
    } != p.analysis;
    let kept = Kept(
        if timestamp.is_some() {
            Kept::TIMESTAMP
        } else {
            0
        } | if more_options { Kept::MORE_OPTIONS } else { 0 }
            | if detail { Kept::ANALYSIS_DETAIL } else { 0 }
            | if p.side == Side::B { Kept::SIDE_B } else { 0 },
    );
    Some(PlacedPacket {
        record: PacketRecord {
            frame,
            // Set by `Session::push_packet`, with the link type's place in its table.
            time: 0,
            link: 0,
            data_offset: f.frame.data_offset,
            captured_len: f.frame.data.len() as u32,
            original_len: f.frame.original_len,
            stream: p.stream,
            index: p.packet,
            seq: seg.seq,
            ack: seg.ack,
            flags: seg.flags,
            window: seg.window,
            payload_len: seg.payload_len,
            rel_seq: p.rel_seq,
            rel_ack: p.rel_ack.unwrap_or(0),
            timestamp: timestamp.unwrap_or((0, 0)),
            analysis: PacketAnalysis {
                flags: p.analysis.flags,
            },
            kept,
        },
        ts: f.frame.ts,
        link: f.frame.link,
        options: seg.options,
        analysis: p.analysis,
    })
}

/// A loaded capture.
#[derive(Clone, Debug)]
pub struct Session {
    /// File name (or sample name) for titles and messages.
    pub name: String,
    pub source: FrameSource,
    pub packets: Vec<PacketRecord>,
    pub connections: Vec<Connection>,
    pub warnings: Vec<CaptureWarning>,
    pub stats: LoadStats,
    /// The timestamp of the capture's first frame (TCP or not): time zero, as Wireshark's
    /// `frame.time_relative`.
    pub first_frame_ts: Option<Timestamp>,
    /// Packet comments (pcapng `opt_comment`: an instructor's notes, Wireshark's packet
    /// comments), by frame number. Only frames that have some are here.
    pub comments: BTreeMap<u64, Vec<String>>,
    /// Each connection's packets: indices into `packets`, in capture order.
    members: Vec<Vec<u32>>,
    /// The options of packets with more than timestamps (SYNs, SACKs...), by frame
    /// number, in capture order.
    more_options: Vec<(u64, OptionSummary)>,
    /// The analysis of packets whose marks refer to other frames, by frame number, in
    /// capture order.
    analysis_details: Vec<(u64, Analysis)>,
    /// The link types of the capture's TCP packets, each once ([`PacketRecord`] keeps
    /// its place here).
    links: Vec<LinkType>,
    /// The capture time and link type of packets whose record cannot hold them
    /// ([`Kept::RARE`]), by frame number, in capture order.
    rare: Vec<(u64, RareFacts)>,
}

impl Session {
    /// Load a capture file (gzip is decompressed into memory, bounded). `-` is standard
    /// input, and it and a FIFO are read as streams ([`Session::load_stream`]).
    pub fn load_path(path: &Path, control: &LoadControl) -> Result<Session, CaptureError> {
        if capture::is_stream_path(path) {
            return Session::load_stream(path, control);
        }
        if capture::is_gzip_file(path) {
            let bytes = capture::inflate_file(path)?;
            let mut session = Session::load_bytes(path, bytes, control)?;
            session.name = display_name(path);
            return Ok(session);
        }
        let (mut reader, size) = capture::open_path_counted(path, control.progress.clone())?;
        control.total.store(size, Ordering::Relaxed);
        Ok(Session::build(
            display_name(path),
            FrameSource::File(path.to_path_buf()),
            &mut reader,
            control,
        ))
    }

    /// Read a capture stream (standard input `-`, a FIFO) to its end, copying its bytes to
    /// a temporary spool so frames can be shown again. A stream cut inside a record keeps
    /// every packet before the cut, with a warning.
    pub fn load_stream(path: &Path, control: &LoadControl) -> Result<Session, CaptureError> {
        let spool = Arc::new(Spool::create().map_err(|e| CaptureError::Io {
            path: path.to_path_buf(),
            message: format!("cannot create a temporary file for the stream: {e}"),
            source: Some(e),
        })?);
        let mut reader =
            capture::open_stream_path(path, control.progress.clone(), Some(spool.clone()))?;
        Ok(Session::build(
            display_name(path),
            FrameSource::Spool(spool),
            &mut reader,
            control,
        ))
    }

    /// An empty session that a [`crate::live::Growth`] fills as packets arrive.
    pub fn empty(name: String, source: FrameSource) -> Session {
        Session {
            name,
            source,
            packets: Vec::new(),
            connections: Vec::new(),
            warnings: Vec::new(),
            stats: LoadStats::default(),
            first_frame_ts: None,
            comments: BTreeMap::new(),
            members: Vec::new(),
            more_options: Vec::new(),
            analysis_details: Vec::new(),
            links: Vec::new(),
            rare: Vec::new(),
        }
    }

    /// Load a capture held in memory (bundled samples, dropped bytes, tests).
    pub fn load_bytes(
        name: &Path,
        bytes: Arc<[u8]>,
        control: &LoadControl,
    ) -> Result<Session, CaptureError> {
        let mut reader = capture::open_bytes(name, bytes.clone())?;
        Ok(Session::build(
            display_name(name),
            FrameSource::Memory(bytes),
            &mut reader,
            control,
        ))
    }

    fn build(
        name: String,
        source: FrameSource,
        reader: &mut CaptureReader,
        control: &LoadControl,
    ) -> Session {
        let mut table = FlowTable::new();
        let mut session = Session::empty(name, source);
        let stats = scan_up_to(reader, &mut table, control, LAST_FRAME, |f, _| {
            session.first_frame_ts.get_or_insert(f.frame.ts);
            if !f.frame.comments.is_empty() {
                session
                    .comments
                    .insert(f.frame.number, f.frame.comments.to_vec());
            }
            if let Some(record) = packet_record(f) {
                session.push_packet(record);
            }
        });
        session.connections = table.finish();
        session.connections.shrink_to_fit();
        session.packets.shrink_to_fit();
        session.members.shrink_to_fit();
        for m in &mut session.members {
            m.shrink_to_fit();
        }
        session.more_options.shrink_to_fit();
        session.analysis_details.shrink_to_fit();
        session.rare.shrink_to_fit();
        session.warnings = reader.warnings();
        session.stats = stats;
        return_free_heap();
        session
    }

    /// Add a packet after the last one, and to its connection's packet list; its rare
    /// facts go to the side tables.
    pub(crate) fn push_packet(&mut self, placed: PlacedPacket) {
        let mut record = placed.record;
        let link = match self.links.iter().position(|&l| l == placed.link) {
            Some(i) => u8::try_from(i).ok(),
            None if self.links.len() <= usize::from(u8::MAX) => {
                self.links.push(placed.link);
                u8::try_from(self.links.len() - 1).ok()
            }
            None => None,
        };
        match (nanos_of(placed.ts), link) {
            (Some(time), Some(link)) => {
                record.time = time;
                record.link = link;
            }
            // Only damaged files: a time outside 1678–2262, or more link types than a
            // byte counts (a capture's TCP packets come on a handful of link types).
            (time, _) => {
                record.time = time.unwrap_or(if placed.ts.secs < 0 {
                    i64::MIN
                } else {
                    i64::MAX
                });
                record.kept.0 |= Kept::RARE;
                self.rare.push((
                    record.frame(),
                    RareFacts {
                        ts: placed.ts,
                        link: placed.link,
                    },
                ));
            }
        }
        let index = self.packets.len() as u32;
        let stream = record.stream as usize;
        if self.members.len() <= stream {
            self.members.resize(stream + 1, Vec::new());
        }
        if let Some(m) = self.members.get_mut(stream) {
            m.push(index);
        }
        if record.kept.has(Kept::MORE_OPTIONS) {
            self.more_options.push((record.frame(), placed.options));
        }
        if record.kept.has(Kept::ANALYSIS_DETAIL) {
            self.analysis_details
                .push((record.frame(), placed.analysis));
        }
        self.packets.push(record);
    }

    /// Every TCP option of a packet that the labels, the explanations and the graphs
    /// read (the timestamps inline, the rest from the side table).
    pub fn options(&self, packet: &PacketRecord) -> OptionSummary {
        if let Some(options) = side_entry(&self.more_options, packet, Kept::MORE_OPTIONS) {
            return options;
        }
        OptionSummary {
            timestamp: packet.timestamp(),
            ..OptionSummary::default()
        }
    }

    /// A packet's whole analysis: its flags, and the frames a duplicate ACK or a
    /// retransmission refers to.
    pub fn analysis(&self, packet: &PacketRecord) -> Analysis {
        if let Some(analysis) = side_entry(&self.analysis_details, packet, Kept::ANALYSIS_DETAIL) {
            return analysis;
        }
        Analysis {
            flags: packet.analysis.flags,
            ..Analysis::default()
        }
    }

    /// The facts of a packet its record cannot hold ([`Kept::RARE`]).
    fn rare_facts(&self, packet: &PacketRecord) -> Option<RareFacts> {
        side_entry(&self.rare, packet, Kept::RARE)
    }

    /// A packet's capture time, exact whatever it is ([`PacketRecord::ts`] holds every
    /// time between 1678 and 2262).
    pub fn ts(&self, packet: &PacketRecord) -> Timestamp {
        self.rare_facts(packet)
            .map_or_else(|| packet.ts(), |r| r.ts)
    }

    /// A packet's link type.
    pub fn link(&self, packet: &PacketRecord) -> LinkType {
        if let Some(rare) = self.rare_facts(packet) {
            return rare.link;
        }
        self.links
            .get(usize::from(packet.link))
            .copied()
            .unwrap_or(LinkType::RAW)
    }

    /// The packets of connection `stream`: indices into [`Session::packets`], in capture
    /// order.
    pub fn packet_indices(&self, stream: u32) -> &[u32] {
        self.members.get(stream as usize).map_or(&[], Vec::as_slice)
    }

    /// Time zero: the first frame of the capture, as Wireshark's `frame.time_relative`
    /// counts (not the first TCP packet).
    pub fn time_zero(&self) -> Timestamp {
        self.first_frame_ts
            .or_else(|| self.packets.first().map(|p| self.ts(p)))
            .unwrap_or_default()
    }

    /// The packet comments of frame `frame` (none for most frames).
    pub fn comments_of(&self, frame: u64) -> &[String] {
        self.comments.get(&frame).map_or(&[], Vec::as_slice)
    }

    pub fn connection(&self, stream: u32) -> Option<&Connection> {
        self.connections.get(stream as usize)
    }

    /// The packets of one connection with their indices in [`Session::packets`], in
    /// capture order.
    pub fn indexed_packets(&self, stream: u32) -> impl Iterator<Item = (u32, &PacketRecord)> {
        self.packet_indices(stream)
            .iter()
            .filter_map(|&i| self.packets.get(i as usize).map(|p| (i, p)))
    }

    /// The packets of one connection, in capture order.
    pub fn connection_packets(&self, stream: u32) -> impl Iterator<Item = &PacketRecord> {
        self.packet_indices(stream)
            .iter()
            .filter_map(|&i| self.packets.get(i as usize))
    }

    /// The first connection that opened with a handshake (what the app selects on open).
    pub fn first_handshake(&self) -> Option<u32> {
        self.connections
            .iter()
            .find(|c| c.syn_seen())
            .or_else(|| self.connections.first())
            .map(Connection::stream)
    }

    /// Re-read a packet's captured bytes from the file (or memory).
    pub fn frame_bytes(&self, packet: &PacketRecord) -> Option<Vec<u8>> {
        let len = packet.captured_len as usize;
        match &self.source {
            FrameSource::Memory(bytes) => {
                let start = usize::try_from(packet.data_offset).ok()?;
                bytes
                    .get(start..start.checked_add(len)?)
                    .map(<[u8]>::to_vec)
            }
            FrameSource::Spool(spool) => spool.read_at(packet.data_offset, len),
            FrameSource::File(path) => {
                let mut file = std::fs::File::open(path).ok()?;
                file.seek(SeekFrom::Start(packet.data_offset)).ok()?;
                let mut buf = vec![0u8; len];
                file.read_exact(&mut buf).ok()?;
                Some(buf)
            }
        }
    }

    /// The header-field tree of a packet for the details pane: Frame, link layer, IP and
    /// TCP with every field and option, relative *and* raw sequence numbers.
    pub fn packet_fields(
        &self,
        packet_index: u32,
    ) -> Option<Vec<crate::decode::fields::FieldNode>> {
        let bytes = self.frame_bytes(self.packets.get(packet_index as usize)?)?;
        self.packet_fields_of(packet_index, &bytes)
    }

    /// The same, from the frame's bytes already read (the details pane reads them once
    /// for the field tree and the hex view).
    pub fn packet_fields_of(
        &self,
        packet_index: u32,
        bytes: &[u8],
    ) -> Option<Vec<crate::decode::fields::FieldNode>> {
        let packet = self.packets.get(packet_index as usize)?;
        let relative = crate::decode::fields::RelativeNumbers {
            seq: packet.rel_seq,
            ack: packet.rel_ack(),
            stream: packet.stream,
            window_scale: self
                .connection(packet.stream)
                .map(|c| c.window_scale(packet.side()))
                .unwrap_or_default(),
        };
        Some(self.decode_bytes(packet, bytes, |frame, decoded| {
            crate::decode::fields::field_tree(frame, decoded, Some(relative))
        }))
    }

    /// Decode a packet's frame again (for the details pane) and hand it to `f`.
    pub fn with_decoded<T>(
        &self,
        packet: &PacketRecord,
        f: impl FnOnce(&Frame<'_>, &Decoded<'_>) -> T,
    ) -> Option<T> {
        let bytes = self.frame_bytes(packet)?;
        Some(self.decode_bytes(packet, &bytes, f))
    }

    /// Decode `bytes`, the frame of `packet`, and hand it to `f`.
    fn decode_bytes<T>(
        &self,
        packet: &PacketRecord,
        bytes: &[u8],
        f: impl FnOnce(&Frame<'_>, &Decoded<'_>) -> T,
    ) -> T {
        let frame = Frame {
            number: packet.frame(),
            ts: self.ts(packet),
            link: self.link(packet),
            interface: 0,
            original_len: packet.original_len,
            data: bytes,
            data_offset: packet.data_offset,
            comments: self.comments_of(packet.frame()),
        };
        let decoded = decode::decode(&frame);
        f(&frame, &decoded)
    }
}

/// Give the heap's free pages back to the system. The load frees the lists it needed
/// only while reading (the analysis's first transmissions, the flow table), but glibc's
/// allocator keeps freed small blocks resident; without this the app would hold about
/// 15 bytes per packet of memory it no longer uses (issue #14's memory per packet).
fn return_free_heap() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: `malloc_trim` takes no pointer and only releases memory that is free.
    #[allow(unsafe_code)]
    unsafe {
        libc::malloc_trim(0);
    }
}

/// The name shown for a capture: its file name, or "standard input" for `-`.
pub fn display_name(path: &Path) -> String {
    if capture::is_stdin(path) {
        return "standard input".to_string();
    }
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

/// A bundled sample, loaded (the unit tests' common set-up).
#[cfg(test)]
pub(crate) fn load_sample(name: &str) -> Session {
    let Some(sample) = crate::samples::find(name) else {
        panic!("{name} is not bundled");
    };
    let Ok(session) = Session::load_bytes(
        std::path::Path::new(name),
        sample.bytes.into(),
        &LoadControl::default(),
    ) else {
        panic!("{name} does not load");
    };
    session
}

#[cfg(test)]
mod tests {
    use super::{
        FrameSource, Kept, LinkType, PacketAnalysis, PacketRecord, PlacedPacket, Session, Timestamp,
    };
    use crate::decode::TcpFlags;
    use crate::decode::tcp::OptionSummary;
    use crate::flow::{Analysis, Side};

    fn placed(frame: u32, ts: Timestamp, link: LinkType, kept: Kept) -> PlacedPacket {
        PlacedPacket {
            record: PacketRecord {
                frame,
                time: 0,
                data_offset: 0,
                captured_len: 0,
                original_len: 0,
                stream: 0,
                index: frame - 1,
                seq: 0,
                ack: 0,
                payload_len: 0,
                rel_seq: 0,
                rel_ack: 0,
                timestamp: (0, 0),
                flags: TcpFlags::default(),
                window: 0,
                analysis: PacketAnalysis::default(),
                link: 0,
                kept,
            },
            ts,
            link,
            options: OptionSummary::default(),
            analysis: Analysis::default(),
        }
    }

    /// A session numbers frames in 32 bits: loading stops after frame 2^32 - 1 with a
    /// warning, keeping every frame up to it with its true number, whether the capture is
    /// loaded whole or grows frame by frame (the live path).
    #[test]
    fn loading_stops_after_the_last_frame_a_session_can_number() {
        use super::LAST_FRAME;
        let sample = crate::samples::find(crate::samples::DEFAULT_SAMPLE).map(|s| s.bytes);
        let Some(bytes) = sample else {
            panic!("the default sample is bundled");
        };
        let open = || {
            let Ok(mut reader) =
                crate::capture::open_bytes(std::path::Path::new("t"), bytes.into())
            else {
                panic!("the default sample opens");
            };
            // Frames LAST_FRAME - 1 and LAST_FRAME are read, then one more.
            reader.number_frames_after(LAST_FRAME - 2);
            reader
        };
        let whole = Session::build(
            "t".into(),
            FrameSource::Memory(bytes.into()),
            &mut open(),
            &super::LoadControl::default(),
        );
        let numbers: Vec<u64> = whole.packets.iter().map(|p| p.frame()).collect();
        assert_eq!(numbers, [LAST_FRAME - 1, LAST_FRAME]);
        assert!(whole.stats.frame_limit);
        assert!(
            whole
                .stats
                .not_decoded()
                .iter()
                .any(|m| m.contains(&format!("loading stopped after frame {LAST_FRAME}"))),
            "{:?}",
            whole.stats.not_decoded()
        );

        let mut reader = open();
        let mut growth = crate::live::Growth::new();
        // The frame after the last is the one that must be refused.
        while let Some(frame) = reader.next_frame().filter(|f| f.number <= LAST_FRAME + 1) {
            growth.push(&frame);
        }
        let delta = growth.take_delta(Vec::new());
        let numbers: Vec<u64> = delta.packets.iter().map(|p| p.record.frame()).collect();
        assert_eq!(numbers, [LAST_FRAME - 1, LAST_FRAME]);
        assert!(delta.stats.frame_limit);
    }

    /// Times outside what inline nanoseconds hold (damaged files) come back exactly from
    /// the session's side table; the others exactly from the record, before 1970 too.
    #[test]
    fn every_capture_time_and_link_type_comes_back_exactly() {
        let cases = [
            (
                Timestamp::from_parts(1_700_000_000, 123_456_789),
                LinkType::ETHERNET,
            ),
            (Timestamp::from_parts(-1, 999_999_999), LinkType::RAW),
            (Timestamp::from_parts(i64::MAX, 5), LinkType::ETHERNET),
            (
                Timestamp::from_parts(-100_000_000_000, 7),
                LinkType::LINUX_SLL,
            ),
            (Timestamp::from_parts(9_000_000_000, 0), LinkType::RAW),
        ];
        let mut session = Session::empty(String::new(), FrameSource::Memory(vec![].into()));
        for (n, &(ts, link)) in (1..).zip(&cases) {
            session.push_packet(placed(n, ts, link, Kept(Kept::SIDE_B * (n as u8 % 2))));
        }
        for (p, &(ts, link)) in session.packets.iter().zip(&cases) {
            assert_eq!(session.ts(p), ts);
            assert_eq!(session.link(p), link);
            assert_eq!(p.side(), if p.frame() % 2 == 1 { Side::B } else { Side::A });
        }
        let inline: Vec<Timestamp> = session.packets.iter().map(PacketRecord::ts).collect();
        // Out of range, the record alone reads the nearest end of the range.
        let ends = [
            Timestamp::from_parts(9_223_372_036, 854_775_807),
            Timestamp::from_parts(-9_223_372_037, 145_224_192),
        ];
        assert_eq!(
            inline,
            [cases[0].0, cases[1].0, ends[0], ends[1], cases[4].0]
        );
        assert_eq!(
            session.links,
            [LinkType::ETHERNET, LinkType::RAW, LinkType::LINUX_SLL]
        );
        assert_eq!(session.rare.len(), 2);
    }

    /// The app keeps one record per packet of a capture: it must not silently grow.
    #[test]
    fn a_packet_record_is_72_bytes_at_most() {
        assert!(
            std::mem::size_of::<PacketRecord>() <= 72,
            "{} bytes",
            std::mem::size_of::<PacketRecord>()
        );
    }
}

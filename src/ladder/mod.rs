//! The ladder diagram of one connection as plain data: two lanes (client on the left),
//! one row per packet with its arrow and label, the state boxes each packet causes, the
//! analysis marks on each arrow ([`marks`]), and the phase bands (handshake, data
//! transfer, teardown) with titles that say what happened. Step mode's replay — each
//! lane's state after the first N rows, the bands cut there — is here too ([`steps`]).
//! The egui canvas, the SVG writer and the ASCII writer all draw this model, so a layout
//! bug shows up in a text test without a window.

mod explain;
pub mod labels;
pub mod marks;
pub mod phases;
pub mod predict;
pub mod steps;
pub mod timescale;
mod timing;
pub mod two_ends;

pub use explain::{explain, explain_in, explain_with};
pub use labels::{packet_label, time_label};
pub use marks::{FrameRef, Mark, MarkGroup};
pub use phases::{Phase, phase_ranges};
pub use steps::{LaneStates, StateTable, Step, lane_index};
pub use timescale::{GapBreak, RowY, Spacing, TimeLayout};
pub use timing::timing_sentences;
pub use two_ends::{ArrowEnds, LadderEnds, layout_two};

use crate::flow::{Connection, Side, TcpState, Transition};
use crate::session::{PacketRecord, Session};
use crate::timeline::{CapturePoint, Delays, LostEvidence, PointEvidence, Source, Timeline};
use std::collections::BTreeSet;

/// How times are shown in the left margin.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum TimeMode {
    /// Seconds since the first frame of the capture (Wireshark's default,
    /// `frame.time_relative`).
    #[default]
    Relative,
    /// Wall-clock time of day.
    Absolute,
    /// Seconds since the previous packet of this connection.
    Delta,
    /// Seconds since this connection's first packet.
    SinceConnection,
}

impl TimeMode {
    pub const ALL: [TimeMode; 4] = [
        TimeMode::Relative,
        TimeMode::Absolute,
        TimeMode::Delta,
        TimeMode::SinceConnection,
    ];

    /// Its place in [`TimeMode::ALL`] (and in per-mode word tables).
    pub fn index(self) -> usize {
        match self {
            TimeMode::Relative => 0,
            TimeMode::Absolute => 1,
            TimeMode::Delta => 2,
            TimeMode::SinceConnection => 3,
        }
    }
}

/// How the ladder spaces its rows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum ViewMode {
    /// One evenly spaced row per packet (Wireshark's flow graph).
    #[default]
    Rows,
    /// Vertical distance is time: each arrow runs from its send time to its arrival.
    Time,
}

/// Choices that change the layout.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LadderOptions {
    /// Raw sequence numbers instead of relative ones.
    pub absolute: bool,
    pub time_mode: TimeMode,
    /// Runs of more than this many consecutive data segments are collapsed into one row
    /// (None: never collapse).
    pub collapse_over: Option<usize>,
    /// Collapsed runs the user expanded, by the index of their first packet in the
    /// connection.
    pub expanded: BTreeSet<u32>,
    /// The language of titles, notes and marks.
    pub lang: crate::i18n::Lang,
}

impl Default for LadderOptions {
    fn default() -> Self {
        LadderOptions {
            absolute: false,
            time_mode: TimeMode::Relative,
            collapse_over: Some(12),
            expanded: BTreeSet::new(),
            lang: crate::i18n::Lang::En,
        }
    }
}

/// Which lane a thing sits on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub enum LaneSide {
    Left,
    Right,
}

/// One endpoint's lifeline.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Lane {
    pub side: Side,
    /// `10.0.0.1:48096`.
    pub endpoint: String,
    /// `CLIENT`, `SERVER`, or `A` / `B` when roles are unknown.
    pub role: String,
    pub initial_state: TcpState,
    /// The initial state is assumed (the capture began mid-connection).
    pub initial_assumed: bool,
    /// The initial state as written over the lane: "ESTABLISHED (assumed)".
    pub initial_label: String,
    /// With both ends captured, how the other end saw this one when a NAT rewrote it:
    /// "seen by the server as 120.132.11.203:48096".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seen_as: Option<String>,
}

/// A state box drawn on a lane at a packet's row.
#[derive(Clone, Debug, serde::Serialize)]
pub struct StateBox {
    pub lane: LaneSide,
    /// The state after this packet.
    pub state: TcpState,
    /// Every transition this packet caused on that lane, in order.
    pub transitions: Vec<Transition>,
}

/// One packet's arrow.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Arrow {
    pub frame: u64,
    /// Index into `Session::packets`.
    pub packet: u32,
    /// Index within the connection.
    pub index: u32,
    /// Direction of travel: from this lane to the other.
    pub from: LaneSide,
    pub time: String,
    /// Flags in words: "SYN, ACK".
    pub flags: String,
    /// Numbers and options: "Seq=0 Ack=1 Win=28960 Len=0 MSS=1412 SACK_PERM WS=128".
    pub detail: String,
    pub states: Vec<StateBox>,
    /// Its analysis marks, in Wireshark's order (see [`marks`]).
    pub marks: Vec<Mark>,
    /// When it left and arrived.
    pub timing: ArrowTiming,
    /// With both ends captured: both copies.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ends: Option<Box<ArrowEnds>>,
    /// Its packet comments (pcapng `opt_comment`): an instructor's notes.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// An arrow's moments, in seconds since the first frame of the capture.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub struct ArrowTiming {
    /// When the capture saw it.
    pub time: f64,
    pub sent_at: f64,
    /// `None` when the evidence says it never arrived.
    pub arrives_at: Option<f64>,
    pub sent_estimated: bool,
    pub arrival_estimated: bool,
    /// Where a lost packet would have arrived (drawn as where it stops).
    #[serde(skip)]
    pub expected_at: f64,
    pub lost: Option<LostEvidence>,
    /// A retransmission after a timeout: how long the sender waited since it last sent
    /// these bytes.
    pub waited: Option<f64>,
}

impl ArrowTiming {
    /// The arrival time the drawing uses (where a lost arrow would have ended).
    pub fn drawn_arrival(&self) -> f64 {
        self.arrives_at
            .unwrap_or(self.expected_at)
            .max(self.sent_at)
    }
}
impl Arrow {
    /// The accessible name: "Packet 2: SYN, ACK".
    pub fn accessible_name(&self) -> String {
        format!("Packet {}: {}", self.frame, self.flags)
    }

    /// The full label as drawn above the arrow.
    pub fn label(&self) -> String {
        format!("{} {}", self.flags, self.detail)
    }

    /// Its marks in words: "Duplicate ACK #2 of frame 14".
    pub fn mark_words(&self) -> impl Iterator<Item = &str> {
        self.marks.iter().map(|m| m.words.as_str())
    }

    /// The colour group of its most serious mark (the arrow's colour when marked).
    pub fn mark_group(&self) -> Option<MarkGroup> {
        self.marks.iter().filter_map(Mark::group).min()
    }
}

/// One row of the ladder.
#[derive(Clone, Debug, serde::Serialize)]
pub enum Row {
    Packet(Arrow),
    /// A run of data segments shown as one row; `first` is the index (in the connection)
    /// of its first packet, the key to expand it.
    Collapsed {
        first: u32,
        /// Packets in the run: data segments and the pure ACKs between them.
        segments: usize,
        /// Of those, the ACKs without data.
        acks: usize,
        bytes: u64,
        first_frame: u64,
        last_frame: u64,
        /// "… 617 data segments and 617 ACKs, 1.6 MB in 0.8 s (frames 4–1237) …", in the
        /// ladder's language.
        label: String,
        /// When its first and its last segment were sent.
        t_first: f64,
        t_last: f64,
    },
    /// Bytes the receiver never got and the capture never saw: captured at the
    /// receiver's end, a later segment arrived past them (Wireshark's "previous segment
    /// not captured"). Drawn as a lost arrow.
    Unseen(UnseenSegment),
}

/// A segment known only from the hole it left.
#[derive(Clone, Debug, serde::Serialize)]
pub struct UnseenSegment {
    pub from: LaneSide,
    /// The first missing sequence number (relative or raw, as the ladder's numbers) and
    /// how many bytes are missing.
    pub seq: u32,
    pub len: u32,
    /// The frame that arrived past the hole.
    pub before_frame: u64,
    /// "Seq=36201 Len=1448 (never arrived)", in the ladder's language.
    pub label: String,
    pub timing: ArrowTiming,
}

impl Row {
    /// The text of a collapsed run: "… 617 data segments and 617 ACKs, 1.6 MB in 0.8 s
    /// (frames 4–1237) …".
    pub fn collapsed_label(&self) -> Option<String> {
        match self {
            Row::Collapsed { label, .. } => Some(label.clone()),
            Row::Packet(_) | Row::Unseen(_) => None,
        }
    }
}

/// A shaded band over a range of rows.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Band {
    pub phase: Phase,
    pub title: String,
    /// First and last row (inclusive).
    pub first_row: usize,
    pub last_row: usize,
}

/// The whole diagram.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Ladder {
    pub stream: u32,
    pub title: String,
    /// [left, right]; the client is on the left.
    pub lanes: [Lane; 2],
    pub rows: Vec<Row>,
    pub bands: Vec<Band>,
    /// Said once, under the title.
    pub states_note: String,
    /// Lines for what the ladder cannot show as a band ("capture starts mid-connection").
    pub notes: Vec<String>,
    /// Where the capture was taken and the round trip.
    pub time: LadderTime,
    /// What the times in the margin count from.
    pub time_mode: TimeMode,
    /// The language its words are in (renderers add a few of their own: gap marks).
    pub lang: crate::i18n::Lang,
}

/// The connection's timing, as the ladder shows it.
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct LadderTime {
    pub capture_point: CapturePoint,
    pub evidence: Option<PointEvidence>,
    pub delays: Delays,
    pub rtt: Option<f64>,
    /// The rows the round-trip bracket spans (the packet that left the capture point and
    /// its answer) and the lane it is drawn on.
    pub rtt_bracket: Option<(usize, usize, LaneSide)>,
    /// With both ends captured: the matched connection's facts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ends: Option<Box<LadderEnds>>,
}
impl Lane {
    /// The lifeline of `side` of `conn`. Whether its initial state is assumed is decided
    /// here once, and the label over the lane says so exactly when it is.
    pub fn of(conn: &Connection, side: Side, t: &dyn crate::i18n::Texts) -> Lane {
        let initial = conn.observer().initial(side);
        // The capture began mid-connection (or cannot tell who opened it): the state is
        // what the packets imply, not something seen happen.
        let assumed = initial == TcpState::Established || !conn.roles_known();
        Lane {
            side,
            endpoint: conn.endpoint(side).to_string(),
            role: t.lane_role(phases::role_of(conn, side)).to_string(),
            initial_state: initial,
            initial_assumed: assumed,
            initial_label: if assumed {
                format!("{initial} {}", t.assumed())
            } else {
                initial.to_string()
            },
            seen_as: None,
        }
    }
}

impl Ladder {
    /// The row index of a packet (index into `Session::packets`), if it has its own row.
    pub fn row_of_packet(&self, packet: u32) -> Option<usize> {
        self.rows
            .iter()
            .position(|r| matches!(r, Row::Packet(a) if a.packet == packet))
    }

    /// The arrow of a packet (index into `Session::packets`), if it has its own row.
    pub fn arrow_of(&self, packet: u32) -> Option<&Arrow> {
        match self.rows.get(self.row_of_packet(packet)?)? {
            Row::Packet(a) => Some(a),
            _ => None,
        }
    }

    pub fn lane(&self, side: LaneSide) -> &Lane {
        match side {
            LaneSide::Left => &self.lanes[0],
            LaneSide::Right => &self.lanes[1],
        }
    }

    /// The analysis flags its arrows are marked with, in Wireshark's order (what the
    /// legend lists).
    pub fn mark_flags(&self) -> Vec<crate::flow::Flag> {
        marks::flags_used(
            self.rows
                .iter()
                .filter_map(|r| match r {
                    Row::Packet(a) => Some(a),
                    Row::Collapsed { .. } | Row::Unseen(_) => None,
                })
                .flat_map(|a| &a.marks),
        )
    }
}

/// The index in `Session::packets` of `frame`, if it belongs to connection `stream`.
pub fn packet_of_frame(session: &Session, stream: u32, frame: u64) -> Option<u32> {
    let packets = session.packet_indices(stream);
    let frame_at = |i: u32| {
        session
            .packets
            .get(i as usize)
            .map_or(u64::MAX, |p| p.frame())
    };
    let at = packets.partition_point(|&i| frame_at(i) < frame);
    packets.get(at).copied().filter(|&i| frame_at(i) == frame)
}

/// Lay out the ladder of connection `stream`.
pub fn layout(session: &Session, stream: u32, options: &LadderOptions) -> Ladder {
    let Some(conn) = session.connection(stream) else {
        return empty(stream, options.lang.texts());
    };
    let left = conn.client();
    let lane_of = |side: Side| {
        if side == left {
            LaneSide::Left
        } else {
            LaneSide::Right
        }
    };
    let packets: Vec<(u32, &PacketRecord)> = session.indexed_packets(stream).collect();
    let capture_start = session.time_zero();
    let timeline = Timeline::of(session, stream);
    let ranges = phase_ranges(conn);
    let t = options.lang.texts();
    let first_ts = packets
        .first()
        .map(|(_, p)| p.ts())
        .unwrap_or(capture_start);

    let mut rows: Vec<Row> = Vec::new();
    // Row index where each packet (by index in the connection) landed.
    let mut row_of: Vec<usize> = Vec::with_capacity(packets.len());
    let mut previous_ts = None;
    // Packets before this index belong to a run the user expanded.
    let mut expanded_until = 0usize;
    let mut i = 0usize;
    while let Some(&(packet, p)) = packets.get(i) {
        // Collapse a long run of plain data segments inside the data phase.
        if let Some(limit) = options.collapse_over.filter(|_| i >= expanded_until) {
            let run = data_run_len(session, conn, &packets, i, &ranges);
            if run > limit && options.expanded.contains(&p.index) {
                // Expanded by the user: the whole run gets its own rows.
                expanded_until = i + run;
            } else if run > limit {
                let slice = packets.get(i..i + run).unwrap_or(&[]);
                let bytes = slice.iter().map(|(_, q)| u64::from(q.payload_len)).sum();
                let last_frame = slice.last().map(|(_, q)| q.frame()).unwrap_or(p.frame());
                let sent_at = |q: &PacketRecord| {
                    timeline
                        .packet(q.index)
                        .map_or(q.ts().seconds_since(capture_start), |pt| pt.sent.t)
                };
                let t_first = sent_at(p);
                let t_last = slice.last().map_or(t_first, |(_, q)| sent_at(q));
                let acks = slice.iter().filter(|(_, q)| q.payload_len == 0).count();
                rows.push(Row::Collapsed {
                    first: p.index,
                    segments: run,
                    acks,
                    bytes,
                    first_frame: p.frame(),
                    last_frame,
                    label: t.collapsed(
                        &crate::units::group_digits((run - acks) as u64),
                        &crate::units::group_digits(acks as u64),
                        &crate::units::human_bytes(bytes),
                        &crate::units::human_delay(t_last - t_first),
                        p.frame(),
                        last_frame,
                    ),
                    t_first,
                    t_last,
                });
                for _ in 0..run {
                    row_of.push(rows.len() - 1);
                }
                previous_ts = slice.last().map(|(_, q)| q.ts());
                i += run;
                continue;
            }
        }
        if let Some(unseen) = unseen_before(conn, &timeline, &packets, i, p, options, &lane_of, t) {
            rows.push(Row::Unseen(unseen));
        }
        let states = state_boxes(conn, p.index, &lane_of);
        rows.push(Row::Packet(Arrow {
            frame: p.frame(),
            packet,
            index: p.index,
            from: lane_of(p.side()),
            time: time_label(
                options.time_mode,
                p.ts(),
                capture_start,
                first_ts,
                previous_ts,
            ),
            flags: p.flags.words(),
            detail: packet_label(conn, p, &session.options(p), options.absolute),
            states,
            marks: marks::marks_of(&session.analysis(p), options.lang, |frame| {
                packet_of_frame(session, stream, frame)
            }),
            timing: arrow_timing(&timeline, &packets, i, p, capture_start),
            ends: None,
            notes: session.comments_of(p.frame()).to_vec(),
        }));
        row_of.push(rows.len() - 1);
        previous_ts = Some(p.ts());
        i += 1;
    }

    let bands = ranges
        .iter()
        .filter_map(|(phase, first, last)| {
            let first_row = *row_of.get(*first as usize)?;
            let last_row = *row_of.get(*last as usize)?;
            Some(Band {
                phase: *phase,
                title: phases::band_title(conn, *phase, t),
                first_row,
                last_row,
            })
        })
        .collect();

    let lane = |side: Side| Lane::of(conn, side, t);
    let time = LadderTime {
        capture_point: timeline.capture_point,
        evidence: Some(timeline.evidence),
        delays: timeline.delays,
        rtt: timeline.rtt,
        rtt_bracket: rtt_bracket(conn, &timeline, &packets, &row_of, &lane_of),
        ends: None,
    };
    let mut notes = Vec::new();
    if !conn.roles_known() {
        notes.push(t.note_roles_unknown().to_string());
    }
    if conn.observer().initial(Side::A) == TcpState::Established {
        notes.push(t.note_mid_connection().to_string());
    }
    Ladder {
        stream,
        title: t.connection_title(
            stream,
            &conn.endpoint(left).to_string(),
            &conn.endpoint(left.other()).to_string(),
        ),
        lanes: [lane(left), lane(left.other())],
        rows,
        bands,
        states_note: t.states_note().to_string(),
        notes,
        time,
        time_mode: options.time_mode,
        lang: options.lang,
    }
}

/// An arrow's moments from the connection's timeline.
fn arrow_timing(
    timeline: &Timeline,
    packets: &[(u32, &PacketRecord)],
    i: usize,
    p: &PacketRecord,
    capture_start: crate::capture::Timestamp,
) -> ArrowTiming {
    let captured = p.ts().seconds_since(capture_start);
    let Some(pt) = timeline.packet(p.index) else {
        return ArrowTiming {
            time: captured,
            sent_at: captured,
            arrives_at: Some(captured),
            sent_estimated: true,
            arrival_estimated: true,
            expected_at: captured,
            lost: None,
            waited: None,
        };
    };
    ArrowTiming {
        time: pt.captured,
        sent_at: pt.sent.t,
        arrives_at: pt.arrived.map(|a| a.t),
        sent_estimated: pt.sent.source == Source::Estimated,
        arrival_estimated: pt.arrived.is_none_or(|a| a.source == Source::Estimated),
        expected_at: pt.expected,
        lost: pt.lost,
        waited: timeout_wait(packets, i, p),
    }
}

/// The hole before packet `i`, when the capture was taken at its receiver and Wireshark
/// flags it "previous segment not captured": the bytes from the sender's highest end so
/// far up to this segment's start never arrived.
#[allow(clippy::too_many_arguments)]
fn unseen_before(
    conn: &Connection,
    timeline: &Timeline,
    packets: &[(u32, &PacketRecord)],
    i: usize,
    p: &PacketRecord,
    options: &LadderOptions,
    lane_of: &impl Fn(Side) -> LaneSide,
    t: &dyn crate::i18n::Texts,
) -> Option<UnseenSegment> {
    let _ = t;
    if !p.analysis.flags.has(crate::flow::Flag::LostSegment)
        || !timeline.at_capture_point(conn, p.side().other())
    {
        return None;
    }
    let (previous, previous_end) = packets
        .get(..i)?
        .iter()
        .rev()
        .find(|(_, q)| q.side() == p.side() && (q.payload_len > 0 || q.flags.syn()))
        .map(|(_, q)| (q, q.seq.wrapping_add(q.flags.sequence_space(q.payload_len))))?;
    let len = p.seq.wrapping_sub(previous_end);
    if len == 0 || len > 1 << 30 {
        return None;
    }
    // Lost only if the hole was filled by the sender sending the bytes again: a hole
    // filled by an out-of-order segment was a reordering, and one never filled may be
    // the capture's own drop.
    let filled_by = packets.get(i + 1..)?.iter().find(|(_, q)| {
        q.side() == p.side()
            && q.payload_len > 0
            && crate::flow::seq::seq_ge(previous_end, q.seq)
            && crate::flow::seq::seq_lt(previous_end, q.seq.wrapping_add(q.payload_len))
    })?;
    let resent = filled_by.1.analysis.flags;
    if !(resent.has(crate::flow::Flag::Retransmission)
        || resent.has(crate::flow::Flag::FastRetransmission))
        || resent.has(crate::flow::Flag::OutOfOrder)
    {
        return None;
    }
    let here = timeline.packet(p.index)?;
    let before = timeline.packet(previous.index)?;
    // Sent between the sender's previous segment and this one.
    let sent_at = (before.sent.t + here.sent.t) / 2.0;
    let expected_at =
        sent_at + timeline.delay_to(conn, p.side().other()) + timeline.delay_to(conn, p.side());
    let seq = if options.absolute {
        previous_end
    } else {
        conn.relative_seq(p.side(), previous_end)
    };
    Some(UnseenSegment {
        from: lane_of(p.side()),
        seq,
        len,
        before_frame: p.frame(),
        label: (options.lang.time().unseen_label)(seq, len),
        timing: ArrowTiming {
            time: sent_at,
            sent_at,
            arrives_at: None,
            sent_estimated: true,
            arrival_estimated: true,
            expected_at,
            lost: Some(LostEvidence::NotCaptured { before: p.frame() }),
            waited: None,
        },
    })
}

/// For a retransmission after a timeout (not a fast retransmission): the time since the
/// sender last sent the same first sequence number.
fn timeout_wait(packets: &[(u32, &PacketRecord)], i: usize, p: &PacketRecord) -> Option<f64> {
    use crate::flow::Flag;
    let f = &p.analysis.flags;
    if !f.has(Flag::Retransmission) || f.has(Flag::FastRetransmission) {
        return None;
    }
    let carries = |q: &PacketRecord| q.payload_len > 0 || q.flags.syn() || q.flags.fin();
    if !carries(p) {
        return None;
    }
    packets
        .get(..i)?
        .iter()
        .rev()
        .find(|(_, q)| q.side() == p.side() && q.seq == p.seq && carries(q))
        .map(|(_, q)| p.ts().seconds_since(q.ts()))
}

/// The handshake's round trip as seen at the capture point: at the client, SYN out to
/// SYN-ACK in; at the server, SYN-ACK out to ACK in.
fn rtt_bracket(
    conn: &Connection,
    timeline: &Timeline,
    packets: &[(u32, &PacketRecord)],
    row_of: &[usize],
    lane_of: &impl Fn(Side) -> LaneSide,
) -> Option<(usize, usize, LaneSide)> {
    if !conn.roles_known() {
        return None;
    }
    let client = conn.client();
    let h = crate::timeline::handshake_at(packets.iter().map(|(_, p)| *p), client)?;
    let (first, second, side) = match timeline.capture_point {
        CapturePoint::Client => (h.syn?, h.syn_ack, client),
        CapturePoint::Server => (h.syn_ack, h.ack?, conn.server()),
        CapturePoint::Between | CapturePoint::Unknown | CapturePoint::BothEnds => return None,
    };
    Some((*row_of.get(first)?, *row_of.get(second)?, lane_of(side)))
}

fn empty(stream: u32, t: &dyn crate::i18n::Texts) -> Ladder {
    let lane = |side, role: &str| Lane {
        side,
        endpoint: String::new(),
        role: role.to_string(),
        initial_state: TcpState::Closed,
        initial_assumed: true,
        initial_label: TcpState::Closed.to_string(),
        seen_as: None,
    };
    Ladder {
        stream,
        title: t.no_connection(stream),
        lanes: [lane(Side::A, "A"), lane(Side::B, "B")],
        rows: Vec::new(),
        bands: Vec::new(),
        states_note: String::new(),
        notes: Vec::new(),
        time: LadderTime::default(),
        time_mode: TimeMode::default(),
        lang: crate::i18n::Lang::default(),
    }
}

/// The state boxes packet `index` of `conn` causes.
fn state_boxes(
    conn: &Connection,
    index: u32,
    lane_of: &impl Fn(Side) -> LaneSide,
) -> Vec<StateBox> {
    let mut boxes: Vec<StateBox> = Vec::new();
    for t in conn.transitions().iter().filter(|t| t.packet == index) {
        let lane = lane_of(t.side);
        match boxes.iter_mut().find(|b| b.lane == lane) {
            Some(b) => {
                b.state = t.to;
                b.transitions.push(*t);
            }
            None => boxes.push(StateBox {
                lane,
                state: t.to,
                transitions: vec![*t],
            }),
        }
    }
    boxes
}

/// How many consecutive packets from `i` are plain data-phase segments (no SYN, FIN,
/// RST, no analysis flag, no state change, no note: an instructor's note is on a packet
/// that matters), which may be collapsed.
fn data_run_len(
    session: &Session,
    conn: &Connection,
    packets: &[(u32, &PacketRecord)],
    i: usize,
    ranges: &[(Phase, u32, u32)],
) -> usize {
    let Some(&(_, data_first, data_last)) = ranges.iter().find(|(p, _, _)| *p == Phase::Data)
    else {
        return 0;
    };
    packets
        .get(i..)
        .unwrap_or(&[])
        .iter()
        .take_while(|(_, p)| {
            p.index >= data_first
                && p.index <= data_last
                && !p.flags.syn()
                && !p.flags.fin()
                && !p.flags.rst()
                && p.analysis.flags.is_empty()
                && !conn.transitions().iter().any(|t| t.packet == p.index)
                && session.comments_of(p.frame()).is_empty()
        })
        .count()
}

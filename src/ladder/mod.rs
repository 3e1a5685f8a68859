//! The ladder diagram of one connection as plain data: two lanes (client on the left),
//! one row per packet with its arrow and label, the state boxes each packet causes, and
//! the phase bands (handshake, data transfer, teardown) with titles that say what
//! happened. The egui canvas, the SVG writer and the ASCII writer all draw this model, so
//! a layout bug shows up in a text test without a window.

mod explain;
pub mod labels;
pub mod phases;

pub use explain::{explain, explain_in, explain_with};
pub use labels::{packet_label, time_label};
pub use phases::{Phase, phase_ranges};

use crate::flow::{Connection, Side, TcpState, Transition};
use crate::session::{PacketRecord, Session};
use std::collections::BTreeSet;

/// How times are shown in the left margin.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum TimeMode {
    /// Seconds since the first packet of the capture (Wireshark's default).
    #[default]
    Relative,
    /// Wall-clock time of day.
    Absolute,
    /// Seconds since the previous packet of this connection.
    Delta,
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
    /// Analysis marks (filled by the analysis stage).
    pub marks: Vec<String>,
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
}

/// One row of the ladder.
#[derive(Clone, Debug, serde::Serialize)]
pub enum Row {
    Packet(Arrow),
    /// A run of data segments shown as one row; `first` is the index (in the connection)
    /// of its first packet, the key to expand it.
    Collapsed {
        first: u32,
        segments: usize,
        bytes: u64,
        first_frame: u64,
        last_frame: u64,
        /// "… 1,234 data segments, 1.6 MB (frames 4–1237) …", in the ladder's language.
        label: String,
    },
}

impl Row {
    /// The text of a collapsed run: "… 1,234 data segments, 1.6 MB (frames 4–1237) …".
    pub fn collapsed_label(&self) -> Option<String> {
        match self {
            Row::Collapsed { label, .. } => Some(label.clone()),
            Row::Packet(_) => None,
        }
    }
}

/// A shaded band over a range of rows.
#[derive(Clone, Debug, serde::Serialize)]
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
}

impl Ladder {
    /// The row index of a packet (index into `Session::packets`), if it has its own row.
    pub fn row_of_packet(&self, packet: u32) -> Option<usize> {
        self.rows
            .iter()
            .position(|r| matches!(r, Row::Packet(a) if a.packet == packet))
    }

    pub fn lane(&self, side: LaneSide) -> &Lane {
        match side {
            LaneSide::Left => &self.lanes[0],
            LaneSide::Right => &self.lanes[1],
        }
    }
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
    let packets: Vec<(u32, &PacketRecord)> = conn
        .packets
        .iter()
        .filter_map(|&i| session.packets.get(i as usize).map(|p| (i, p)))
        .collect();
    let capture_start = session.packets.first().map(|p| p.ts).unwrap_or_default();
    let ranges = phase_ranges(conn);
    let t = options.lang.texts();

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
            let run = data_run_len(conn, &packets, i, &ranges);
            if run > limit && options.expanded.contains(&p.index) {
                // Expanded by the user: the whole run gets its own rows.
                expanded_until = i + run;
            } else if run > limit {
                let slice = packets.get(i..i + run).unwrap_or(&[]);
                let bytes = slice.iter().map(|(_, q)| u64::from(q.payload_len)).sum();
                let last_frame = slice.last().map(|(_, q)| q.frame).unwrap_or(p.frame);
                rows.push(Row::Collapsed {
                    first: p.index,
                    segments: run,
                    bytes,
                    first_frame: p.frame,
                    last_frame,
                    label: t.collapsed(
                        &crate::units::group_digits(run as u64),
                        &crate::units::human_bytes(bytes),
                        p.frame,
                        last_frame,
                    ),
                });
                for _ in 0..run {
                    row_of.push(rows.len() - 1);
                }
                previous_ts = slice.last().map(|(_, q)| q.ts);
                i += run;
                continue;
            }
        }
        let states = state_boxes(conn, p.index, &lane_of);
        rows.push(Row::Packet(Arrow {
            frame: p.frame,
            packet,
            index: p.index,
            from: lane_of(p.side),
            time: time_label(options.time_mode, p.ts, capture_start, previous_ts),
            flags: p.flags.words(),
            detail: packet_label(conn, p, options.absolute),
            states,
            marks: marks(p, t),
        }));
        row_of.push(rows.len() - 1);
        previous_ts = Some(p.ts);
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

    let lane = |side: Side| Lane {
        side,
        endpoint: conn.endpoint(side).to_string(),
        role: t.lane_role(phases::role_of(conn, side)).to_string(),
        initial_state: conn.observer.initial[side],
        initial_assumed: conn.observer.initial[side] == TcpState::Established
            || !conn.roles_known(),
        initial_label: if conn.observer.initial[side] == TcpState::Established {
            format!("{} {}", TcpState::Established, t.assumed())
        } else {
            conn.observer.initial[side].to_string()
        },
    };
    let mut notes = Vec::new();
    if !conn.roles_known() {
        notes.push(t.note_roles_unknown().to_string());
    }
    if conn.observer.initial[Side::A] == TcpState::Established {
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
    }
}

fn empty(stream: u32, t: &dyn crate::i18n::Texts) -> Ladder {
    let lane = |side, role: &str| Lane {
        side,
        endpoint: String::new(),
        role: role.to_string(),
        initial_state: TcpState::Closed,
        initial_assumed: true,
        initial_label: TcpState::Closed.to_string(),
    };
    Ladder {
        stream,
        title: t.no_connection(stream),
        lanes: [lane(Side::A, "A"), lane(Side::B, "B")],
        rows: Vec::new(),
        bands: Vec::new(),
        states_note: String::new(),
        notes: Vec::new(),
    }
}

/// The analysis marks of a packet, in words: "Duplicate ACK #2 of frame 14".
fn marks(p: &PacketRecord, t: &dyn crate::i18n::Texts) -> Vec<String> {
    use crate::flow::Flag;
    let a = &p.analysis;
    a.flags
        .iter()
        // Fast and spurious retransmissions also carry the plain flag; say it once.
        .filter(|f| {
            *f != Flag::Retransmission
                || !(a.flags.has(Flag::FastRetransmission)
                    || a.flags.has(Flag::SpuriousRetransmission))
        })
        .map(|f| match f {
            Flag::DuplicateAck => t.mark_duplicate_ack(a.dup_ack_num, a.dup_ack_frame),
            Flag::Retransmission | Flag::FastRetransmission | Flag::SpuriousRetransmission
                if a.retransmits_frame > 0 =>
            {
                t.mark_retransmission(t.flag_title(f), a.retransmits_frame)
            }
            other => t.flag_title(other).to_string(),
        })
        .collect()
}

/// The state boxes packet `index` of `conn` causes.
fn state_boxes(
    conn: &Connection,
    index: u32,
    lane_of: &impl Fn(Side) -> LaneSide,
) -> Vec<StateBox> {
    let mut boxes: Vec<StateBox> = Vec::new();
    for t in conn.transitions.iter().filter(|t| t.packet == index) {
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
/// RST, no analysis flag, no state change), which may be collapsed.
fn data_run_len(
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
                && !conn.transitions.iter().any(|t| t.packet == p.index)
        })
        .count()
}

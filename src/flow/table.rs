//! The connection table: which connection (Wireshark's `tcp.stream`) each segment belongs
//! to, and each segment's relative sequence and acknowledgement numbers.
//!
//! Rules (TCP-RULES.md §1–2, checked against tshark 4.0): connections are numbered from 0
//! in order of first appearance; a bare SYN on a known endpoint pair starts a new
//! connection when its sequence number differs from that direction's base (tshark 4.0
//! does not also split after a FIN or RST: a SYN with the same ISN is a retransmission).
//! Each direction's base is its latest SYN's sequence number, or the first sequence
//! number seen minus one; a direction not yet seen takes its base from the first
//! acknowledgement number minus one.

use super::analysis::{Analysis, Analyzer, Flag, SegmentInfo, WindowScale};
use super::classify::Summary;
use super::endpoint::{Observer, SegmentFacts, TcpState, Transition};
use super::history::History;
use super::key::{ConnKey, Endpoint, PerSide, Side};
use super::seq::{relative, seq_gt};
use crate::capture::Timestamp;
use crate::decode::Control;
use crate::decode::TcpFlags;
use crate::decode::tcp::OptionSummary;
use std::collections::HashMap;

/// What the flow stage needs to know about one TCP segment.
#[derive(Clone, Copy, Debug)]
pub struct Segment {
    pub frame: u64,
    pub ts: Timestamp,
    pub src: Endpoint,
    pub dst: Endpoint,
    pub seq: u32,
    pub ack: u32,
    pub flags: TcpFlags,
    pub window: u16,
    pub payload_len: u32,
    /// Bytes of the frame on the wire (for byte counts like tshark's conversations).
    pub frame_len: u32,
    /// The pcapng interface it was captured on (0 for pcap).
    pub interface: u32,
    pub options: OptionSummary,
    /// False when the header was cut inside its options or claims more bytes than the
    /// segment has: Wireshark stops dissecting such a header before its sequence
    /// analysis, and so do we.
    pub analyzable: bool,
}

/// How a connection's client and server were told apart.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub enum RoleSource {
    /// The client sent the first SYN.
    Syn,
    /// No SYN captured: the server is the sender of the SYN+ACK.
    SynAck,
    /// Neither captured: "A" is the sender of the first packet, roles unknown.
    Unknown,
}

/// Per-direction counters and sequence bookkeeping.
#[derive(Clone, Copy, Debug, Default, serde::Serialize)]
pub struct DirectionStats {
    pub packets: u64,
    /// TCP payload bytes.
    pub payload_bytes: u64,
    /// Frame bytes on the wire.
    pub frame_bytes: u64,
    /// Base for relative sequence numbers (Wireshark's definition).
    pub base_seq: Option<u32>,
    /// The highest sequence number + length sent so far (raw).
    pub next_seq: Option<u32>,
    pub window_scale: Option<u8>,
    pub mss: Option<u16>,
    pub syn_count: u32,
    pub syn_ack_count: u32,
    pub fin_count: u32,
    pub rst_count: u32,
    /// Packet index (within the connection) of the first FIN and first RST from this side.
    pub first_fin: Option<u32>,
    pub first_rst: Option<u32>,
    /// Payload bytes sent after the *peer's* first FIN (half-close).
    pub payload_after_peer_fin: u64,
}

/// One TCP connection.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Connection {
    /// 0-based index, as Wireshark's `tcp.stream`.
    pub stream: u32,
    /// `endpoints[0]` is side A (sent the first captured packet), `[1]` side B.
    pub endpoints: PerSide<Endpoint>,
    pub client_side: Option<Side>,
    pub role_source: RoleSource,
    pub dirs: PerSide<DirectionStats>,
    pub first_ts: Timestamp,
    pub last_ts: Timestamp,
    pub first_frame: u64,
    pub packet_count: u32,
    /// The capture interfaces (pcapng interface ids below 64) its packets came from.
    pub interfaces: u64,
    pub observer: Observer,
    pub transitions: Vec<Transition>,
    pub history: History,
    /// Wireshark's sequence analysis state.
    pub analyzer: Analyzer,
    /// How many packets carry each analysis flag (indexed like [`Flag::ALL`]).
    pub flag_counts: [u32; Flag::ALL.len()],
    /// Indices into the session's packet list (filled by the session, empty in streaming use).
    pub packets: Vec<u32>,
    /// Packet index of a pure ACK from the passive side that acknowledged the first FIN
    /// before that side sent its own FIN (tells a four-way from a three-segment close).
    pub(crate) fin_acked_separately: bool,
    /// The second FIN did not acknowledge the first (both sent before either arrived).
    pub(crate) fins_crossed: bool,
    /// A RST arrived while the handshake was unfinished and no SYN+ACK was sent.
    pub(crate) summary: Option<Summary>,
}

impl Connection {
    /// How the windows `side` advertises are scaled, as Wireshark decides it: a SYN
    /// without the option rules scaling out both ways; otherwise the sender's own SYN
    /// gives its shift (even when the peer's SYN was not captured), and before that SYN
    /// is seen the scaling is unknown. A SYN's own window is never scaled.
    pub fn window_scale(&self, side: Side) -> WindowScale {
        let seen = |d: &DirectionStats| d.syn_count + d.syn_ack_count > 0;
        let without_option = |d: &DirectionStats| seen(d) && d.window_scale.is_none();
        let (own, peer) = (&self.dirs[side], &self.dirs[side.other()]);
        if without_option(own) || without_option(peer) {
            return WindowScale::NotUsed;
        }
        match own.window_scale {
            Some(shift) if seen(own) => WindowScale::Shift(shift.min(14)),
            _ => WindowScale::Unknown,
        }
    }

    /// The window a packet from `side` advertises, scaled when scaling is in effect.
    pub fn scaled_window(&self, side: Side, flags: TcpFlags, raw: u16) -> u64 {
        match self.window_scale(side) {
            WindowScale::Shift(shift) if !flags.syn() => u64::from(raw) << shift,
            _ => u64::from(raw),
        }
    }

    fn new(stream: u32, seg: &Segment) -> Connection {
        Connection {
            stream,
            endpoints: PerSide::new(seg.src, seg.dst),
            client_side: None,
            role_source: RoleSource::Unknown,
            dirs: PerSide::default(),
            first_ts: seg.ts,
            last_ts: seg.ts,
            first_frame: seg.frame,
            packet_count: 0,
            interfaces: 0,
            observer: Observer::default(),
            transitions: Vec::new(),
            history: History::default(),
            analyzer: Analyzer::default(),
            flag_counts: [0; Flag::ALL.len()],
            packets: Vec::new(),
            fin_acked_separately: false,
            fins_crossed: false,
            summary: None,
        }
    }

    pub fn side_of(&self, src: &Endpoint) -> Side {
        if *src == self.endpoints[Side::A] {
            Side::A
        } else {
            Side::B
        }
    }

    pub fn endpoint(&self, side: Side) -> Endpoint {
        self.endpoints[side]
    }

    pub fn dir(&self, side: Side) -> &DirectionStats {
        &self.dirs[side]
    }

    /// The client side, or A when the roles are unknown.
    pub fn client(&self) -> Side {
        self.client_side.unwrap_or(Side::A)
    }

    pub fn server(&self) -> Side {
        self.client().other()
    }

    pub fn roles_known(&self) -> bool {
        self.client_side.is_some()
    }

    pub fn duration(&self) -> f64 {
        self.last_ts.seconds_since(self.first_ts).max(0.0)
    }

    /// Sequence number relative to the sender's base (Wireshark's `tcp.seq`).
    pub fn relative_seq(&self, from: Side, raw: u32) -> u32 {
        relative(raw, self.dirs[from].base_seq.unwrap_or(raw))
    }

    /// Acknowledgement number relative to the *receiver's* base (Wireshark's `tcp.ack`).
    pub fn relative_ack(&self, from: Side, raw: u32) -> u32 {
        relative(raw, self.dirs[from.other()].base_seq.unwrap_or(raw))
    }

    fn count_flag(&mut self, flag: Flag) {
        if let Some(c) = self.flag_counts.get_mut(flag as usize) {
            *c += 1;
        }
    }

    /// Its packets were captured on two or more interfaces at once (e.g. `lo` and `any`):
    /// the capture then holds each packet twice, and tshark (so we) marks every second
    /// copy as a retransmission.
    pub fn captured_on_several_interfaces(&self) -> bool {
        self.interfaces.count_ones() > 1
    }

    /// How many packets of this connection carry `flag`.
    pub fn flag_count(&self, flag: Flag) -> u32 {
        self.flag_counts.get(flag as usize).copied().unwrap_or(0)
    }

    /// Open kind, close kind, conn_state and history (computed once, at the end).
    pub fn summary(&self) -> Summary {
        self.summary.clone().unwrap_or_else(|| Summary::of(self))
    }
}

/// Where a segment landed.
#[derive(Clone, Copy, Debug)]
pub struct Placement {
    pub stream: u32,
    pub side: Side,
    /// Index of the packet within its connection.
    pub packet: u32,
    pub rel_seq: u32,
    /// `None` when the ACK flag is clear.
    pub rel_ack: Option<u32>,
    /// This SYN started a new connection on an endpoint pair already used.
    pub reused_ports: bool,
    /// Wireshark's analysis flags for this segment.
    pub analysis: Analysis,
}

/// All connections of a capture, built one segment at a time.
#[derive(Default)]
pub struct FlowTable {
    by_key: HashMap<ConnKey, u32>,
    connections: Vec<Connection>,
}

impl FlowTable {
    pub fn new() -> FlowTable {
        FlowTable::default()
    }

    pub fn connections(&self) -> &[Connection] {
        &self.connections
    }

    pub fn connection_mut(&mut self, stream: u32) -> Option<&mut Connection> {
        self.connections.get_mut(stream as usize)
    }

    /// Place one segment: find or create its connection, update numbers and states.
    pub fn observe(&mut self, seg: &Segment) -> Placement {
        let key = ConnKey::new(seg.src, seg.dst);
        let bare_syn = seg.flags.control() == Control::Syn;
        let mut reused_ports = false;
        let existing = self.by_key.get(&key).copied().filter(|&stream| {
            let Some(conn) = self.connections.get(stream as usize) else {
                return false;
            };
            if !bare_syn {
                return true;
            }
            let side = conn.side_of(&seg.src);
            // tshark 4.0 starts a new conversation only when the ISN differs; a SYN with
            // the same ISN, even after a FIN or RST, is a retransmission of the old one.
            match conn.dirs[side].base_seq {
                Some(base) if base != seg.seq => {
                    reused_ports = true;
                    false
                }
                _ => true,
            }
        });
        let stream = match existing {
            Some(s) => s,
            None => {
                let stream = self.connections.len() as u32;
                self.connections.push(Connection::new(stream, seg));
                self.by_key.insert(key, stream);
                stream
            }
        };
        let Some(conn) = self.connections.get_mut(stream as usize) else {
            // Unreachable: the index was just looked up or pushed.
            return Placement {
                stream,
                side: Side::A,
                packet: 0,
                rel_seq: seg.seq,
                rel_ack: None,
                reused_ports,
                analysis: Analysis::default(),
            };
        };
        let mut placement = update(conn, seg);
        if reused_ports {
            placement.reused_ports = true;
            placement.analysis.flags.set(Flag::ReusedPorts);
            conn.count_flag(Flag::ReusedPorts);
        }
        placement
    }

    /// Finish: compute every connection's summary.
    pub fn finish(mut self) -> Vec<Connection> {
        for conn in &mut self.connections {
            settle(conn);
        }
        self.connections
    }

    /// One connection as [`Self::finish`] would give it if the capture ended now, while
    /// the table keeps growing (a live capture shows this after every batch).
    pub fn settled(&self, stream: u32) -> Option<Connection> {
        let mut conn = self.connections.get(stream as usize)?.clone();
        settle(&mut conn);
        Some(conn)
    }
}

/// What is decided only at the end of a capture (or of what has arrived so far).
fn settle(conn: &mut Connection) {
    settle_silent_server(conn);
    conn.summary = Some(Summary::of(conn));
}

fn update(conn: &mut Connection, seg: &Segment) -> Placement {
    let side = conn.side_of(&seg.src);
    let (s, r) = (side, side.other());
    let packet = conn.packet_count;
    conn.packet_count = conn.packet_count.saturating_add(1);
    conn.interfaces |= 1u64.checked_shl(seg.interface).unwrap_or(0);
    conn.last_ts = conn.last_ts.max(seg.ts);
    let flags = seg.flags;

    // Roles: the first bare SYN's sender is the client; failing that the SYN+ACK's
    // receiver.
    if flags.syn() && conn.role_source != RoleSource::Syn {
        if !flags.ack() && conn.client_side.is_none() {
            conn.client_side = Some(side);
            conn.role_source = RoleSource::Syn;
        } else if flags.ack() && conn.client_side.is_none() {
            conn.client_side = Some(side.other());
            conn.role_source = RoleSource::SynAck;
        }
    }

    // A SYN+ACK that changes its direction's ISN: Wireshark flags the ports as reused.
    let synack_reuse =
        flags.control() == Control::SynAck && conn.dirs[s].base_seq.is_some_and(|b| b != seg.seq);

    // Wireshark's base sequence numbers: every SYN (re)sets its direction's base.
    if flags.syn() {
        conn.dirs[s].base_seq = Some(seg.seq);
    } else if conn.dirs[s].base_seq.is_none() {
        conn.dirs[s].base_seq = Some(seg.seq.wrapping_sub(1));
    }
    if conn.dirs[r].base_seq.is_none() && flags.ack() {
        conn.dirs[r].base_seq = Some(seg.ack.wrapping_sub(1));
    }
    let rel_seq = conn.relative_seq(side, seg.seq);
    let rel_ack = flags.ack().then(|| conn.relative_ack(side, seg.ack));

    // Counters.
    let peer_fin_seen = conn.dirs[r].fin_count > 0;
    let d = &mut conn.dirs[s];
    d.packets += 1;
    d.payload_bytes += u64::from(seg.payload_len);
    d.frame_bytes += u64::from(seg.frame_len);
    if peer_fin_seen {
        d.payload_after_peer_fin += u64::from(seg.payload_len);
    }
    let end = seg.seq.wrapping_add(flags.sequence_space(seg.payload_len));
    if d.next_seq.is_none_or(|n| seq_gt(end, n)) {
        d.next_seq = Some(end);
    }
    if flags.syn() {
        if flags.ack() {
            d.syn_ack_count += 1;
        } else {
            d.syn_count += 1;
        }
        if let Some(ws) = seg.options.window_scale {
            d.window_scale = Some(ws);
        }
        if let Some(mss) = seg.options.mss {
            d.mss = Some(mss);
        }
    }
    if flags.fin() {
        d.fin_count += 1;
        d.first_fin.get_or_insert(packet);
    }
    if flags.rst() {
        d.rst_count += 1;
        d.first_rst.get_or_insert(packet);
    }

    // Close-shape facts: did the passive side acknowledge the first FIN before its own FIN?
    if let Some(peer_fin) = conn.observer.fin_seq(side.other()) {
        let acks_peer_fin = flags.ack() && super::seq::seq_ge(seg.ack, peer_fin.wrapping_add(1));
        if conn.dirs[s].fin_count == 0 && acks_peer_fin {
            conn.fin_acked_separately = true;
        }
        if flags.fin()
            && conn.dirs[s].fin_count == 1
            && !conn.observer.fin_sent(side)
            && !acks_peer_fin
        {
            conn.fins_crossed = true;
        }
    }

    conn.history.record(side, seg);
    let mut analysis = if !seg.analyzable {
        Analysis::default()
    } else {
        conn.analyzer.on_segment(
            side,
            &SegmentInfo {
                frame: seg.frame,
                ts: seg.ts,
                seq: seg.seq,
                ack: seg.ack,
                flags,
                raw_window: seg.window,
                len: seg.payload_len,
                window_scale_option: seg.options.window_scale,
            },
        )
    };
    if synack_reuse {
        analysis.flags.set(Flag::ReusedPorts);
    }
    for flag in analysis.flags.iter() {
        conn.count_flag(flag);
    }
    conn.history
        .record_analysis(side, analysis.flags, seg.payload_len);
    let facts = SegmentFacts {
        seq: seg.seq,
        ack: seg.ack,
        flags,
        payload_len: seg.payload_len,
    };
    conn.observer
        .on_segment(side, facts, packet, seg.frame, &mut conn.transitions);
    Placement {
        stream: conn.stream,
        side,
        packet,
        rel_seq,
        rel_ack,
        reused_ports: false,
        analysis,
    }
}

/// A server that never answered, or answered only with RST, tells the observer nothing
/// about a listening socket: the SYN may never have reached it (no answer), or nothing
/// listened on the port (refused). Its inferred SYN-RECEIVED is taken back.
fn settle_silent_server(conn: &mut Connection) {
    let Some(client) = conn.client_side else {
        return;
    };
    let server = client.other();
    let d = conn.dir(server);
    let silent = d.packets == 0;
    let refused = d.packets > 0
        && d.syn_ack_count == 0
        && d.syn_count == 0
        && d.rst_count > 0
        && d.payload_bytes == 0;
    if !silent && !refused {
        return;
    }
    conn.transitions.retain(|t| t.side != server);
    let initial = if refused {
        TcpState::Closed
    } else {
        TcpState::Listen
    };
    conn.observer.initial[server] = initial;
    conn.observer.state[server] = initial;
}

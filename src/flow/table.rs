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

use super::analysis::{Analysis, Analyzer, Flag, WindowScale};
use super::classify::Summary;
use super::directory::Directory;
use super::endpoint::{Observer, Transition};
use super::history::History;
use super::key::{ConnKey, Endpoint, PerSide, Side};
use super::seq::relative;
use super::spill::Spill;
use crate::capture::Timestamp;
use crate::decode::Control;
use crate::decode::TcpFlags;
use crate::decode::tcp::OptionSummary;
use std::io;

/// One TCP segment, described once: the table places it, and the analyzer, the observer
/// and the history all read this same value (there is no second per-segment type).
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
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum RoleSource {
    /// The client sent the first SYN.
    Syn,
    /// No SYN captured: the server is the sender of the SYN+ACK.
    SynAck,
    /// Neither captured: "A" is the sender of the first packet, roles unknown.
    Unknown,
}

/// Everything one side of a connection sent, kept once: counters, the numbers its
/// sequence space starts and ends at, and what its SYN said. The observer, the close
/// shape and the relative numbers all read these.
#[derive(Clone, Copy, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct Direction {
    pub packets: u64,
    /// TCP payload bytes.
    pub payload_bytes: u64,
    /// Frame bytes on the wire.
    pub frame_bytes: u64,
    /// Base for relative sequence numbers (Wireshark's definition).
    pub base_seq: Option<u32>,
    /// The sequence number of this side's latest SYN (without RST), once seen.
    pub isn: Option<u32>,
    /// The sequence number this side's first FIN (without RST) occupies, once seen.
    pub fin_seq: Option<u32>,
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

impl Direction {
    /// Whether this side sent a SYN or SYN+ACK.
    pub fn sent_syn(&self) -> bool {
        self.syn_count + self.syn_ack_count > 0
    }

    /// Whether `ack` acknowledges this side's FIN.
    pub fn fin_acked_by(&self, ack: u32) -> bool {
        self.fin_seq
            .is_some_and(|fin| super::seq::seq_ge(ack, fin.wrapping_add(1)))
    }

    /// Whether `ack` acknowledges this side's SYN.
    pub fn syn_acked_by(&self, ack: u32) -> bool {
        self.isn
            .is_some_and(|isn| super::seq::seq_ge(ack, isn.wrapping_add(1)))
    }
}

/// One TCP connection. Its parts are private to `flow`: other stages read them through
/// the methods below (and [`Connection::dir`], [`Connection::observer`] as read-only
/// views), so what [`FlowTable`] builds stays consistent.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct Connection {
    /// 0-based index, as Wireshark's `tcp.stream`.
    pub(super) stream: u32,
    /// `endpoints[0]` is side A (sent the first captured packet), `[1]` side B.
    pub(super) endpoints: PerSide<Endpoint>,
    pub(super) client_side: Option<Side>,
    pub(super) role_source: RoleSource,
    pub(super) dirs: PerSide<Direction>,
    pub(super) first_ts: Timestamp,
    pub(super) last_ts: Timestamp,
    pub(super) first_frame: u64,
    pub(super) packet_count: u32,
    /// The capture interfaces (pcapng interface ids below 64) its packets came from.
    pub(super) interfaces: u64,
    pub(super) observer: Observer,
    pub(super) transitions: Vec<Transition>,
    pub(super) history: History,
    /// Wireshark's sequence analysis state.
    pub(super) analyzer: Analyzer,
    /// How many packets carry each analysis flag (indexed like [`Flag::ALL`]).
    pub(super) flag_counts: [u32; Flag::ALL.len()],
    /// Open kind, close kind, conn_state and history, once settled.
    pub(super) summary: Option<Summary>,
}

impl Connection {
    /// How the windows `side` advertises are scaled, as Wireshark decides it: a SYN
    /// without the option rules scaling out both ways; otherwise the sender's own SYN
    /// gives its shift (even when the peer's SYN was not captured), and before that SYN
    /// is seen the scaling is unknown. A SYN's own window is never scaled.
    pub fn window_scale(&self, side: Side) -> WindowScale {
        let without_option = |d: &Direction| d.sent_syn() && d.window_scale.is_none();
        let (own, peer) = (&self.dirs[side], &self.dirs[side.other()]);
        if without_option(own) || without_option(peer) {
            return WindowScale::NotUsed;
        }
        match own.window_scale {
            Some(shift) if own.sent_syn() => WindowScale::Shift(shift.min(14)),
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
            summary: None,
        }
    }

    /// The four-tuple, as the table looks it up.
    pub(super) fn key(&self) -> ConnKey {
        ConnKey::new(self.endpoints[Side::A], self.endpoints[Side::B])
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

    /// What `side` sent (read-only).
    pub fn dir(&self, side: Side) -> &Direction {
        &self.dirs[side]
    }

    /// 0-based index, as Wireshark's `tcp.stream`.
    pub fn stream(&self) -> u32 {
        self.stream
    }

    /// Both endpoints: `[A, B]`, A sent the first captured packet.
    pub fn endpoints(&self) -> &PerSide<Endpoint> {
        &self.endpoints
    }

    /// How client and server were told apart.
    pub fn role_source(&self) -> RoleSource {
        self.role_source
    }

    pub fn first_ts(&self) -> Timestamp {
        self.first_ts
    }

    pub fn last_ts(&self) -> Timestamp {
        self.last_ts
    }

    /// Frame number of its first packet.
    pub fn first_frame(&self) -> u64 {
        self.first_frame
    }

    pub fn packet_count(&self) -> u32 {
        self.packet_count
    }

    /// Both endpoints' inferred states (read-only).
    pub fn observer(&self) -> &Observer {
        &self.observer
    }

    /// Every state change, in order.
    pub fn transitions(&self) -> &[Transition] {
        &self.transitions
    }

    /// Time from the SYN to the first ACK (Wireshark's `ts_first_rtt`).
    pub fn handshake_rtt(&self) -> Option<f64> {
        self.analyzer.first_rtt
    }

    /// Whether either side sent a SYN (the connection was seen opening).
    pub fn syn_seen(&self) -> bool {
        self.dirs.iter().any(|d| d.syn_count > 0)
    }

    /// Whether either side sent a SYN+ACK.
    pub fn syn_ack_seen(&self) -> bool {
        self.dirs.iter().any(|d| d.syn_ack_count > 0)
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

    /// Whether both ends have closed as the capture shows it (CLOSED, TIME-WAIT, or a
    /// server back in LISTEN): no more packets are expected, though a late one may come.
    fn closed_at_both_ends(&self) -> bool {
        self.observer.states().iter().all(|s| {
            matches!(
                s,
                super::TcpState::Closed | super::TcpState::TimeWait | super::TcpState::Listen
            )
        })
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

/// The hash of four-tuples, as the index keeps it.
#[derive(Default)]
struct KeyHasher {
    state: foldhash::fast::RandomState,
    /// Tests: every four-tuple gets the same hash, so that every lookup meets the
    /// set-aside connections of other four-tuples.
    #[cfg(test)]
    collide: bool,
}

impl KeyHasher {
    fn hash(&self, key: &ConnKey) -> u32 {
        use std::hash::BuildHasher;
        #[cfg(test)]
        if self.collide {
            return 7;
        }
        // The low half of a 64-bit hash: 32 bits are plenty to tell four-tuples apart
        // before comparing them (a set-aside connection's four-tuple is compared after
        // reading it back).
        self.state.hash_one(key) as u32
    }
}

/// A 32-bit hash as the 64 bits the hash table wants: its low bits choose the bucket and
/// its top 7 bits are the tag compared first, so both come from the 32.
pub(super) fn spread(key_hash: u32) -> u64 {
    (u64::from(key_hash) << 32) | u64::from(key_hash)
}

/// Where a table's connections are.
enum Store {
    /// All in memory, side by side in stream order (a table built with
    /// [`FlowTable::new`]: the session keeps them, and this is the vector it gets).
    Memory(Vec<Connection>),
    /// Only those still expected to get packets are in memory, by stream number; the
    /// others are set aside (a table built for rows).
    Rows {
        live: LiveMap,
        /// How many connections so far, in memory or not.
        count: u32,
        aside: Box<Aside>,
    },
}

/// The connections of a table built for rows that are in memory, by stream number.
type LiveMap = std::collections::HashMap<u32, Box<Connection>, foldhash::fast::RandomState>;

impl Default for Store {
    fn default() -> Store {
        Store::Memory(Vec::new())
    }
}

impl Store {
    fn len(&self) -> usize {
        match self {
            Store::Memory(conns) => conns.len(),
            Store::Rows { count, .. } => *count as usize,
        }
    }

    /// A connection that is in memory.
    fn get(&self, stream: u32) -> Option<&Connection> {
        match self {
            Store::Memory(conns) => conns.get(stream as usize),
            Store::Rows { live, .. } => live.get(&stream).map(|conn| &**conn),
        }
    }

    fn get_mut(&mut self, stream: u32) -> Option<&mut Connection> {
        match self {
            Store::Memory(conns) => conns.get_mut(stream as usize),
            Store::Rows { live, .. } => live.get_mut(&stream).map(|conn| &mut **conn),
        }
    }

    fn push(&mut self, conn: Connection) {
        match self {
            Store::Memory(conns) => conns.push(conn),
            Store::Rows { live, count, .. } => {
                live.insert(*count, Box::new(conn));
                *count = count.saturating_add(1);
            }
        }
    }

    /// The hash of the four-tuple of `stream` (in memory), for the index to grow.
    fn hash_of(&self, hasher: &KeyHasher, stream: u32) -> u64 {
        spread(self.get(stream).map_or(0, |conn| hasher.hash(&conn.key())))
    }
}

/// How long a connection whose ends have not both closed must be quiet (in capture
/// time) before a table built for rows sets it aside: TIME-WAIT's 2×MSL on Linux.
const QUIET_SECS: i64 = 60;

/// How often (in segments) a table built for rows looks for quiet connections.
const SWEEP_EVERY: u32 = 1 << 16;

/// What a table built for rows keeps to set connections aside.
#[derive(Default)]
struct Aside {
    /// Made when the first connection is set aside.
    spill: Option<Spill>,
    /// Where each set-aside connection is.
    directory: Directory,
    /// The spill could not be made or written: no more connections are set aside (those
    /// already set aside are still there to read back), memory keeps the rest.
    stopped: bool,
    /// The first failure to read a connection back: [`Rows::walk`] reports it, since a
    /// row could then be wrong.
    lost: Option<io::Error>,
    /// The latest capture time seen, and segments since the last look for quiet ones.
    latest: Timestamp,
    since_sweep: u32,
}

/// All connections of a capture, built one segment at a time.
#[derive(Default)]
pub struct FlowTable {
    /// The newest connection of each four-tuple that is in memory, as its stream number,
    /// found by the four-tuple's hash (the four-tuple itself is kept only in the
    /// connection). A table built for rows finds the ones set aside in its
    /// [`Directory`].
    index: hashbrown::HashTable<u32>,
    hasher: KeyHasher,
    store: Store,
}

impl FlowTable {
    pub fn new() -> FlowTable {
        FlowTable::default()
    }

    /// A table whose connections are only read for their rows (`flows`): everything a
    /// row shows comes out the same, but
    /// - the analysis keeps no per-segment memory of first transmissions (it only names
    ///   the frame a retransmission resends, which no row shows), so a connection's
    ///   state stays a fixed size however long it runs;
    /// - a connection whose ends have both closed, or that has been quiet for a minute,
    ///   is set aside out of memory (`flow::spill`) and read back if a packet of it
    ///   arrives, so memory does not grow with the number of connections that are over.
    ///
    /// Finish it with [`FlowTable::finish_rows`].
    pub fn for_rows() -> FlowTable {
        FlowTable {
            store: Store::Rows {
                live: LiveMap::default(),
                count: 0,
                aside: Box::default(),
            },
            ..FlowTable::default()
        }
    }

    /// A table built for rows whose directory writes its entries to runs on disk every
    /// `recent_max` connections set aside (tests: the default is every 131,072).
    #[doc(hidden)]
    pub fn for_rows_with_runs_of(recent_max: usize) -> FlowTable {
        let mut table = FlowTable::for_rows();
        if let Store::Rows { aside, .. } = &mut table.store {
            aside.directory = Directory::new(recent_max);
        }
        table
    }

    /// A table built for rows in which every four-tuple has the same hash, and whose
    /// directory writes runs every `recent_max` connections set aside.
    #[cfg(test)]
    pub(super) fn for_rows_colliding(recent_max: usize) -> FlowTable {
        let mut table = FlowTable::for_rows_with_runs_of(recent_max);
        table.hasher.collide = true;
        table
    }

    /// How many connections so far.
    pub fn len(&self) -> usize {
        self.store.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// A connection that is in memory (every one, unless the table was built for rows).
    pub fn connection(&self, stream: u32) -> Option<&Connection> {
        self.store.get(stream)
    }

    pub fn connection_mut(&mut self, stream: u32) -> Option<&mut Connection> {
        self.store.get_mut(stream)
    }

    /// Place one segment: find or create its connection, update numbers and states.
    pub fn observe(&mut self, seg: &Segment) -> Placement {
        let key = ConnKey::new(seg.src, seg.dst);
        let key_hash = self.hasher.hash(&key);
        let bare_syn = seg.flags.control() == Control::Syn;
        let mut reused_ports = false;
        let known = self.find(&key, key_hash);
        let existing = known.filter(|&stream| {
            let Some(conn) = self.connection(stream) else {
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
                let stream = self.len() as u32;
                let mut conn = Connection::new(stream, seg);
                if matches!(self.store, Store::Rows { .. }) {
                    conn.analyzer = Analyzer::forgetting_originals();
                }
                self.store.push(conn);
                match known.and_then(|old| self.index.find_mut(spread(key_hash), |&s| s == old)) {
                    Some(newest) => {
                        let old = std::mem::replace(newest, stream);
                        // No packet can reach the old connection any more.
                        self.set_aside(old);
                    }
                    None => {
                        let (store, hasher) = (&self.store, &self.hasher);
                        self.index
                            .insert_unique(spread(key_hash), stream, |&s| store.hash_of(hasher, s));
                    }
                }
                stream
            }
        };
        let Some(conn) = self.connection_mut(stream) else {
            // Unreachable: the connection was just found, brought back or made.
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
        let closed = conn.closed_at_both_ends();
        self.tidy(stream, closed, seg.ts);
        placement
    }

    /// The newest connection of `key`, read back into memory if it was set aside.
    fn find(&mut self, key: &ConnKey, key_hash: u32) -> Option<u32> {
        let (index, store) = (&self.index, &self.store);
        if let Some(&stream) = index.find(spread(key_hash), |&s| {
            store.get(s).is_some_and(|conn| conn.key() == *key)
        }) {
            return Some(stream);
        }
        let stream = self.bring_back(key, key_hash)?;
        let (store, hasher) = (&self.store, &self.hasher);
        self.index
            .insert_unique(spread(key_hash), stream, |&s| store.hash_of(hasher, s));
        Some(stream)
    }

    /// In a table built for rows: read the newest set-aside connection of `key` back into
    /// memory. Only its four-tuple's hash is known before it is read, so a connection
    /// of another four-tuple with the same hash may be read and left where it was (once
    /// in billions of lookups). A failure to read is kept for [`Rows::walk`] to report.
    fn bring_back(&mut self, key: &ConnKey, key_hash: u32) -> Option<u32> {
        let Store::Rows { live, aside, .. } = &mut self.store else {
            return None;
        };
        let spill = aside.spill.as_mut()?;
        let candidates = match aside.directory.candidates(key_hash) {
            Ok(candidates) => candidates,
            Err(e) => {
                aside.lost.get_or_insert(e);
                return None;
            }
        };
        for (stream, at) in candidates {
            if live.contains_key(&stream) {
                // In memory, so not of this four-tuple (the index would have found it).
                continue;
            }
            match spill.get(at) {
                Ok(mut conn) if conn.key() == *key => {
                    conn.analyzer.forget_originals();
                    live.insert(stream, Box::new(conn));
                    return Some(stream);
                }
                Ok(_) => {}
                Err(e) => {
                    aside.lost.get_or_insert(e);
                    return None;
                }
            }
        }
        None
    }

    /// In a table built for rows: set `stream` aside if both its ends have closed, and
    /// now and then every connection that has been quiet for [`QUIET_SECS`].
    fn tidy(&mut self, stream: u32, closed: bool, now: Timestamp) {
        let Store::Rows { aside, .. } = &mut self.store else {
            return;
        };
        aside.latest = aside.latest.max(now);
        aside.since_sweep += 1;
        let sweep = aside.since_sweep >= SWEEP_EVERY;
        if sweep {
            aside.since_sweep = 0;
        }
        let before = Timestamp {
            secs: aside.latest.secs.saturating_sub(QUIET_SECS),
            ..aside.latest
        };
        if closed {
            self.set_aside(stream);
        }
        if let (true, Store::Rows { live, .. }) = (sweep, &self.store) {
            let mut quiet: Vec<u32> = live
                .iter()
                .filter(|(_, conn)| conn.last_ts < before)
                .map(|(&stream, _)| stream)
                .collect();
            quiet.sort_unstable();
            for stream in quiet {
                self.set_aside(stream);
            }
        }
    }

    /// Move a connection out of memory (in a table built for rows; kept in memory if its
    /// spill cannot be written).
    fn set_aside(&mut self, stream: u32) {
        let Store::Rows { live, aside, .. } = &mut self.store else {
            return;
        };
        let Some(conn) = live.get(&stream) else {
            return;
        };
        if aside.stopped {
            return;
        }
        let spill = match &mut aside.spill {
            Some(spill) => spill,
            None => match Spill::create() {
                Ok(spill) => aside.spill.insert(spill),
                Err(_) => {
                    aside.stopped = true;
                    return;
                }
            },
        };
        let key_hash = self.hasher.hash(&conn.key());
        let Ok(at) = spill.put(conn) else {
            aside.stopped = true;
            return;
        };
        if aside.directory.record(key_hash, stream, at).is_err() {
            // The entry is kept in memory; the directory's file cannot take more.
            aside.stopped = true;
        }
        live.remove(&stream);
        if let Ok(entry) = self.index.find_entry(spread(key_hash), |&s| s == stream) {
            entry.remove();
        }
    }

    /// Finish: compute every connection's summary, and let go of what only the analysis
    /// of further packets would need (its memory of first transmissions). For a table
    /// built with [`FlowTable::new`], which keeps every connection in memory (one built
    /// for rows gives those it can read back).
    pub fn finish(self) -> Vec<Connection> {
        if let Store::Memory(mut conns) = self.store {
            conns.iter_mut().for_each(settle);
            return conns;
        }
        let mut conns = Vec::new();
        let _ = self.finish_rows().walk(|conn| conns.push(conn.clone()));
        conns
    }

    /// Finish a table built for rows: every connection settled, those set aside read
    /// back one at a time as the rows are walked.
    pub fn finish_rows(self) -> Rows {
        let mut rows = match self.store {
            Store::Memory(conns) => Rows {
                count: conns.len() as u32,
                live: (0..)
                    .zip(conns)
                    .map(|(stream, conn)| (stream, Box::new(conn)))
                    .collect(),
                spill: None,
                directory: None,
                lost: None,
            },
            Store::Rows { live, count, aside } => Rows {
                count,
                live,
                spill: aside.spill,
                directory: Some(aside.directory),
                lost: aside.lost,
            },
        };
        rows.live.values_mut().for_each(|conn| settle(conn));
        rows
    }

    /// One connection as [`Self::finish`] would give it if the capture ended now, while
    /// the table keeps growing (a live capture shows this after every batch).
    pub fn settled(&self, stream: u32) -> Option<Connection> {
        let mut conn = self.connection(stream)?.clone();
        settle(&mut conn);
        Some(conn)
    }
}

/// The finished connections of a table, in stream order, for writing their rows.
pub struct Rows {
    count: u32,
    /// Those in memory, settled.
    live: LiveMap,
    spill: Option<Spill>,
    /// Where the others are ([`Rows::walk`] takes it).
    directory: Option<Directory>,
    /// A connection could not be read back while the capture was read.
    lost: Option<io::Error>,
}

impl Rows {
    pub fn len(&self) -> usize {
        self.count as usize
    }

    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// Visit every connection in stream order, settled (once: the set-aside ones are
    /// read back as they come). An error means the set-aside connections could not all
    /// be written or read back: the rows would not be right.
    pub fn walk(&mut self, mut visit: impl FnMut(&Connection)) -> io::Result<()> {
        if let Some(e) = &self.lost {
            return Err(spill_error(e));
        }
        if let Some(spill) = &mut self.spill {
            spill.seal().map_err(|e| spill_error(&e))?;
        }
        let mut order = match self.directory.take() {
            Some(directory) => Some(directory.into_stream_order().map_err(|e| spill_error(&e))?),
            None => None,
        };
        for stream in 0..self.count {
            let place = match &mut order {
                Some(order) => order.place_of(stream).map_err(|e| spill_error(&e))?,
                None => None,
            };
            if let Some(conn) = self.live.get(&stream) {
                visit(conn);
                continue;
            }
            let (Some(at), Some(spill)) = (place, &mut self.spill) else {
                return Err(spill_error(&io::Error::other(format!(
                    "connection {stream} is missing"
                ))));
            };
            let mut conn = spill.get(at).map_err(|e| spill_error(&e))?;
            settle(&mut conn);
            visit(&conn);
        }
        Ok(())
    }
}

/// A spill failure, said as such (the temporary file is not one the user named).
fn spill_error(e: &io::Error) -> io::Error {
    io::Error::new(
        e.kind(),
        format!("temporary file of finished connections: {e}"),
    )
}

/// What is decided only at the end of a capture (or of what has arrived so far).
fn settle(conn: &mut Connection) {
    if let Some(client) = conn.client_side {
        conn.observer
            .settle_silent_server(client.other(), &conn.dirs, &mut conn.transitions);
    }
    conn.summary = Some(Summary::of(conn));
    conn.analyzer.forget_originals();
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

    conn.history.record(side, seg);
    let mut analysis = if !seg.analyzable {
        Analysis::default()
    } else {
        conn.analyzer.on_segment(side, seg)
    };
    if synack_reuse {
        analysis.flags.set(Flag::ReusedPorts);
    }
    for flag in analysis.flags.iter() {
        conn.count_flag(flag);
    }
    conn.history
        .record_analysis(side, analysis.flags, seg.payload_len);
    conn.observer
        .on_segment(side, seg, packet, &conn.dirs, &mut conn.transitions);
    // Only now this segment's SYN and FIN become what its side sent before: the observer
    // reads each side's numbers as they were when the segment left.
    let d = &mut conn.dirs[s];
    if flags.syn() && !flags.rst() {
        d.isn = Some(seg.seq);
    }
    if flags.fin() && !flags.rst() && d.fin_seq.is_none() {
        d.fin_seq = Some(
            seg.seq
                .wrapping_add(seg.payload_len)
                .wrapping_add(u32::from(flags.syn())),
        );
    }
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

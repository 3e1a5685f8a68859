//! Two captures of the same traffic, one near each end: which connections and packets
//! are the same, when each packet left and arrived, and how far apart the two clocks are.
//!
//! A NAT rewrites addresses and ports, and a router may clamp the MSS, so matching never
//! relies on them: a packet is recognised by what the path leaves alone — raw sequence and
//! acknowledgement numbers, payload length, the SYN/FIN/RST/ACK flags, the TCP
//! timestamps and SACK blocks. Addresses are only a hint (to break ties between connections).
//!
//! The steps, as `shared/design/TIME.md` describes them:
//! 1. connections: each connection of one file is matched to the connection of the other
//!    file that shares the most packet keys (its handshake alone is usually enough);
//! 2. which file is nearer the client, per connection: the one where the client's
//!    packets are seen first;
//! 3. the clock offset between the files, from packets that occur once in each: none when
//!    every such packet arrives after it was sent, else the NTP estimate (minimum delay
//!    each way, symmetric path);
//! 4. every packet paired with its counterpart, retransmissions with the copy of the
//!    nearest plausible time, the rest marked as seen at one end only.
//!
//! What the path changed is in [`super::rewrites`].

use super::rewrites::{self, Rewrites};
use crate::capture::Timestamp;
use crate::decode::TcpFlags;
use crate::flow::{Connection, Endpoint, Side};
use crate::session::{PacketRecord, Session};
use std::collections::HashMap;

/// Which of the two captures: the one opened first, or the other end's.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum File {
    First,
    Other,
}

impl File {
    pub const BOTH: [File; 2] = [File::First, File::Other];

    pub fn other(self) -> File {
        match self {
            File::First => File::Other,
            File::Other => File::First,
        }
    }
}

/// Who sent a packet (and so which way it went).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Sender {
    Client,
    Server,
}

impl Sender {
    pub const BOTH: [Sender; 2] = [Sender::Client, Sender::Server];

    pub fn other(self) -> Sender {
        match self {
            Sender::Client => Sender::Server,
            Sender::Server => Sender::Client,
        }
    }
}

/// One of two things a [`Both`] is indexed by.
pub trait Slot: Copy {
    /// The first of the two ([`File::First`], [`Sender::Client`]).
    fn is_first(self) -> bool;
}

impl Slot for File {
    fn is_first(self) -> bool {
        self == File::First
    }
}

impl Slot for Sender {
    fn is_first(self) -> bool {
        self == Sender::Client
    }
}

/// One value for each file, or each way, indexed by [`File`] or [`Sender`] (never out of
/// bounds). Serialised as a two-element array.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(transparent)]
pub struct Both<T>(pub [T; 2]);

impl<T> Both<T> {
    pub fn new(first: T, second: T) -> Both<T> {
        Both([first, second])
    }

    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Both<U> {
        Both(self.0.map(f))
    }
}

impl<T, S: Slot> std::ops::Index<S> for Both<T> {
    type Output = T;
    fn index(&self, slot: S) -> &T {
        let [a, b] = &self.0;
        if slot.is_first() { a } else { b }
    }
}

impl<T, S: Slot> std::ops::IndexMut<S> for Both<T> {
    fn index_mut(&mut self, slot: S) -> &mut T {
        let [a, b] = &mut self.0;
        if slot.is_first() { a } else { b }
    }
}

/// The two captures: the one opened first and the other end's.
pub type Files<'a> = Both<&'a Session>;

/// How the second file's clock was brought onto the first file's.
#[derive(Clone, Copy, Debug, Default, PartialEq, serde::Serialize)]
pub struct Clock {
    /// Seconds subtracted from the other end's timestamps (file 1) to put them on the
    /// first file's clock.
    pub offset: f64,
    /// The offset was estimated (the clocks disagreed) rather than taken as zero.
    pub estimated: bool,
    /// The user set it by hand.
    pub by_hand: bool,
}

/// Smallest, median and largest of some one-way delays, in seconds.
#[derive(Clone, Copy, Debug, Default, PartialEq, serde::Serialize)]
pub struct DelayStats {
    pub min: f64,
    pub median: f64,
    pub max: f64,
    pub count: usize,
}

impl DelayStats {
    fn of(mut values: Vec<f64>) -> Option<DelayStats> {
        values.retain(|v| v.is_finite());
        values.sort_by(f64::total_cmp);
        Some(DelayStats {
            min: *values.first()?,
            median: *values.get(values.len() / 2)?,
            max: *values.last()?,
            count: values.len(),
        })
    }
}

/// One packet as the two captures saw it.
#[derive(Clone, Debug, serde::Serialize)]
pub struct PacketPair {
    pub from: Sender,
    /// The packet (index into that file's `Session::packets`) in each file, `None` where
    /// that capture did not see it.
    pub copies: Both<Option<u32>>,
    /// When it left its sender and reached its receiver, in seconds since the joint time
    /// zero (see [`TwoEnds::zero`]). Measured when the file at that end has it; else
    /// `sent` is where the other copy was seen and `arrived` is `None`.
    pub sent: f64,
    pub arrived: Option<f64>,
    /// Seen at one end only: the sender's copy never reached the other capture (lost
    /// between the two points, or after the other capture stopped), or the receiver's
    /// copy has no sender's copy (sent before the sender's capture started).
    pub only_at: Option<Sender>,
    /// What the path changed, when both copies were seen.
    pub changes: Vec<rewrites::Change>,
    /// The IP or TCP checksum differs between the copies (recomputed on the way).
    pub checksums_differ: bool,
}

/// One connection seen in both files.
#[derive(Clone, Debug, serde::Serialize)]
pub struct ConnectionPair {
    /// Its stream number in each file.
    pub streams: Both<u32>,
    /// Which file was captured nearer the client.
    pub client_file: File,
    /// In each file, which side is the client.
    pub client_side: Both<Side>,
    /// The client's and the server's address and port as each capture saw them,
    /// `[client side file, server side file]`.
    pub client_seen_as: [Endpoint; 2],
    pub server_seen_as: [Endpoint; 2],
    /// In the order they left their senders.
    pub packets: Vec<PacketPair>,
    pub to_server: Option<DelayStats>,
    pub to_client: Option<DelayStats>,
    /// Packets the sender's capture saw and the receiver's did not, each way.
    pub lost_to_server: usize,
    pub lost_to_client: usize,
    pub rewrites: Rewrites,
}

impl ConnectionPair {
    /// The file captured nearer the server.
    pub fn server_file(&self) -> File {
        self.client_file.other()
    }

    /// The file whose capture is at `end`.
    pub fn file_at(&self, end: Sender) -> File {
        match end {
            Sender::Client => self.client_file,
            Sender::Server => self.server_file(),
        }
    }
}

/// Both captures, matched.
#[derive(Clone, Debug, serde::Serialize)]
pub struct TwoEnds {
    pub clock: Clock,
    /// Time zero of both: the earlier of the two captures' first frames, on file 0's
    /// clock (as an absolute timestamp of file 0).
    #[serde(skip)]
    pub zero: Timestamp,
    /// Seconds from file 0's first frame to the joint zero (≤ 0).
    pub zero_shift: f64,
    pub connections: Vec<ConnectionPair>,
    /// Connections of each file with no counterpart in the other.
    pub unmatched: Both<Vec<u32>>,
}

/// What identifies a packet on both sides of a NAT.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
struct Key {
    seq: u32,
    ack: u32,
    len: u32,
    flags: u16,
    /// The TCP timestamp value and echo reply.
    ts: Option<(u32, u32)>,
    /// The first SACK block and how many there are: duplicate ACKs differ only there.
    sack: (u32, u32, u8),
}

impl Key {
    fn of(session: &Session, p: &PacketRecord) -> Key {
        let options = session.options(p);
        let kept = TcpFlags::SYN | TcpFlags::FIN | TcpFlags::RST | TcpFlags::ACK;
        Key {
            seq: p.seq,
            // An ACK number is meaningless without the ACK flag (and may be anything).
            ack: if p.flags.ack() { p.ack } else { 0 },
            len: p.payload_len,
            flags: p.flags.0 & kept,
            ts: p.timestamp(),
            sack: (options.sack[0].0, options.sack[0].1, options.sack_count),
        }
    }
}

/// The most packets of a connection used to find its counterpart.
const PROBE: usize = 16;

impl TwoEnds {
    /// Match the two captures, estimating the clock offset.
    pub fn match_files(files: Files<'_>) -> TwoEnds {
        TwoEnds::match_with_clock(files, None)
    }

    /// Match the two captures with the clock offset set by hand (`Some`) or estimated.
    pub fn match_with_clock(files: Files<'_>, offset: Option<f64>) -> TwoEnds {
        let Both([a, b]) = files;
        let zero_a = a.time_zero();
        // Every time below is in seconds since file 0's first frame, file 1's taken at face
        // value until the offset is known.
        let raw = |p: &PacketRecord| p.ts().seconds_since(zero_a);
        let matches = match_connections(a, b);
        let mut drafts: Vec<Draft> = matches
            .iter()
            .map(|&(sa, sb, flip)| Draft::new(files, sa, sb, flip, &raw))
            .collect();
        let clock = match offset {
            Some(offset) => Clock {
                offset,
                estimated: false,
                by_hand: true,
            },
            None => estimate_clock(&drafts),
        };
        let first_b = b.time_zero().seconds_since(zero_a) - clock.offset;
        let zero_shift = first_b.min(0.0);
        let connections = drafts
            .iter_mut()
            .map(|d| d.finish(files, clock.offset, zero_shift))
            .collect();
        let matched = |file: File| -> Vec<u32> {
            let taken: std::collections::HashSet<u32> = matches
                .iter()
                .map(|m| if file == File::First { m.0 } else { m.1 })
                .collect();
            files[file]
                .connections
                .iter()
                .map(|c| c.stream())
                .filter(|s| !taken.contains(s))
                .collect()
        };
        TwoEnds {
            clock,
            zero: zero_a,
            zero_shift,
            unmatched: Both::new(matched(File::First), matched(File::Other)),
            connections,
        }
    }

    /// The matched connection that is stream `stream` in `file`.
    pub fn connection(&self, file: File, stream: u32) -> Option<&ConnectionPair> {
        self.connections.iter().find(|c| c.streams[file] == stream)
    }

    /// Seconds since the joint zero of packet `p` of `file`.
    pub fn time_of(&self, file: File, p: &PacketRecord) -> f64 {
        joint_time(p.ts(), self.zero, file, self.clock.offset, self.zero_shift)
    }
}

fn joint_time(ts: Timestamp, zero: Timestamp, file: File, offset: f64, shift: f64) -> f64 {
    let t = ts.seconds_since(zero) - shift;
    if file == File::Other { t - offset } else { t }
}

/// Pairs of streams `(file 0, file 1, sides swapped)` that are the same connection.
fn match_connections(a: &Session, b: &Session) -> Vec<(u32, u32, bool)> {
    // Every packet key of file 1, with the connection and side it belongs to.
    let mut index: HashMap<Key, Vec<(u32, Side)>> = HashMap::with_capacity(b.packets.len());
    for p in &b.packets {
        let entry = index.entry(Key::of(b, p)).or_default();
        if entry.len() < 8 && !entry.contains(&(p.stream, p.side())) {
            entry.push((p.stream, p.side()));
        }
    }
    let mut candidates: Vec<(usize, u32, u32, bool)> = Vec::new();
    for conn in &a.connections {
        let mut votes: HashMap<(u32, bool), usize> = HashMap::new();
        for p in a.connection_packets(conn.stream()).take(PROBE) {
            if let Some(hits) = index.get(&Key::of(a, p)) {
                for &(stream, side) in hits {
                    *votes.entry((stream, side != p.side())).or_default() += 1;
                }
            }
        }
        for ((stream, flip), n) in votes {
            // Addresses are a hint: the same server port breaks ties.
            let hint = usize::from(same_ports(conn, b.connection(stream), flip));
            candidates.push((n * 2 + hint, conn.stream(), stream, flip));
        }
    }
    // Best evidence first; each connection is used once.
    candidates.sort_by(|x, y| y.0.cmp(&x.0).then(x.1.cmp(&y.1)).then(x.2.cmp(&y.2)));
    let mut used_a = std::collections::HashSet::new();
    let mut used_b = std::collections::HashSet::new();
    let mut out = Vec::new();
    for (_, sa, sb, flip) in candidates {
        if !used_a.contains(&sa) && !used_b.contains(&sb) {
            used_a.insert(sa);
            used_b.insert(sb);
            out.push((sa, sb, flip));
        }
    }
    out.sort_unstable();
    out
}

fn same_ports(a: &Connection, b: Option<&Connection>, flip: bool) -> bool {
    let Some(b) = b else { return false };
    let side_b = |side: Side| if flip { side.other() } else { side };
    a.endpoint(Side::B).port == b.endpoint(side_b(Side::B)).port
        || a.endpoint(Side::A).port == b.endpoint(side_b(Side::A)).port
}

/// A matched connection while the clock is not known yet.
struct Draft {
    streams: Both<u32>,
    client_file: File,
    client_side: Both<Side>,
    /// Per direction (by sender): each key's copies in the sender's file and in the
    /// receiver's file, as (packet index, raw time).
    groups: Both<Vec<Group>>,
}

/// Each key's copies, per file.
type Copies = Both<Vec<(u32, f64)>>;

#[derive(Default)]
struct Group {
    at_sender: Vec<(u32, f64)>,
    at_receiver: Vec<(u32, f64)>,
}

impl Draft {
    fn new(
        files: Files<'_>,
        sa: u32,
        sb: u32,
        flip: bool,
        raw: &impl Fn(&PacketRecord) -> f64,
    ) -> Draft {
        let streams = Both::new(sa, sb);
        let conn_a = files[File::First].connection(sa);
        let conn_b = files[File::Other].connection(sb);
        let map_b = |side: Side| if flip { side.other() } else { side };
        // The client: from whichever file saw the handshake.
        let client_a = match (conn_a, conn_b) {
            (Some(ca), _) if ca.roles_known() => ca.client(),
            (_, Some(cb)) if cb.roles_known() => map_b(cb.client()),
            _ => Side::A,
        };
        let client_side = Both::new(client_a, map_b(client_a));
        // Keys per direction and file.
        let mut by_key: Both<HashMap<Key, Copies>> = Both::default();
        let mut order: Both<Vec<Key>> = Both::default();
        for file in File::BOTH {
            let session = files[file];
            for &i in session.packet_indices(streams[file]) {
                let Some(p) = session.packets.get(i as usize) else {
                    continue;
                };
                let dir = if p.side() == client_side[file] {
                    Sender::Client
                } else {
                    Sender::Server
                };
                let key = Key::of(session, p);
                let slot = by_key[dir].entry(key).or_insert_with(|| {
                    order[dir].push(key);
                    Both::default()
                });
                slot[file].push((i, raw(p)));
            }
        }
        // Which file is nearer the client: there the client's packets are seen before the
        // other file sees them, and the server's after. With the clocks taken at face value
        // the offset adds the same to both directions' mean (file 1 − file 0), so the
        // difference of the two means is the sum of the one-way delays: positive when
        // file 0 is at the client. Packets seen once in each file are used; copies of
        // retransmissions would mix up which copy is which.
        let mean_gap = |dir: Sender, only_unique: bool| {
            let gaps: Vec<f64> = order[dir]
                .iter()
                .filter_map(|key| by_key[dir].get(key))
                .filter(|Both([in_a, in_b])| !only_unique || (in_a.len() == 1 && in_b.len() == 1))
                .filter_map(|Both([in_a, in_b])| Some(in_b.first()?.1 - in_a.first()?.1))
                .collect();
            (!gaps.is_empty()).then(|| gaps.iter().sum::<f64>() / gaps.len() as f64)
        };
        let gap = |dir| mean_gap(dir, true).or_else(|| mean_gap(dir, false));
        let score = match (gap(Sender::Client), gap(Sender::Server)) {
            (Some(to_server), Some(to_client)) => to_server - to_client,
            // One way only: trust the clocks.
            (Some(to_server), None) => to_server,
            (None, Some(to_client)) => -to_client,
            (None, None) => 0.0,
        };
        let client_file = if score >= 0.0 {
            File::First
        } else {
            File::Other
        };
        let groups = Both(Sender::BOTH.map(|dir| {
            let sender_file = file_at(client_file, dir);
            order[dir]
                .iter()
                .filter_map(|key| by_key[dir].remove(key))
                .map(|mut copies| Group {
                    at_sender: std::mem::take(&mut copies[sender_file]),
                    at_receiver: std::mem::take(&mut copies[sender_file.other()]),
                })
                .collect()
        }));
        Draft {
            streams,
            client_file,
            client_side,
            groups,
        }
    }

    /// Raw one-way delays (receiver's file time − sender's file time, clocks at face
    /// value) of packets that occur once in each file, split by which file sent them.
    fn unique_delays(&self) -> Both<Vec<f64>> {
        let mut out: Both<Vec<f64>> = Both::default();
        for dir in Sender::BOTH {
            let sender_file = file_at(self.client_file, dir);
            for g in &self.groups[dir] {
                if let ([(_, s)], [(_, r)]) = (g.at_sender.as_slice(), g.at_receiver.as_slice()) {
                    out[sender_file].push(r - s);
                }
            }
        }
        out
    }

    fn finish(&mut self, files: Files<'_>, offset: f64, shift: f64) -> ConnectionPair {
        let zero = files[File::First].time_zero();
        let time = |file: File, i: u32| {
            files[file]
                .packets
                .get(i as usize)
                .map_or(0.0, |p| joint_time(p.ts(), zero, file, offset, shift))
        };
        let client_file = self.client_file;
        let mut packets = Vec::new();
        let mut delays: Both<Vec<f64>> = Both::default();
        let mut lost: Both<usize> = Both::default();
        for from in Sender::BOTH {
            let dir = from;
            let groups = &self.groups[dir];
            let sender_file = file_at(client_file, from);
            let receiver_file = sender_file.other();
            // The typical delay this way: what a retransmission's copies are compared to.
            let typical = {
                let mut unique: Vec<f64> = groups
                    .iter()
                    .filter_map(
                        |g| match (g.at_sender.as_slice(), g.at_receiver.as_slice()) {
                            ([(s, _)], [(r, _)]) => {
                                Some(time(receiver_file, *r) - time(sender_file, *s))
                            }
                            _ => None,
                        },
                    )
                    .collect();
                unique.sort_by(f64::total_cmp);
                unique.get(unique.len() / 2).copied().unwrap_or(0.0)
            };
            for g in groups {
                let sent: Vec<(u32, f64)> = g
                    .at_sender
                    .iter()
                    .map(|&(i, _)| (i, time(sender_file, i)))
                    .collect();
                let received: Vec<(u32, f64)> = g
                    .at_receiver
                    .iter()
                    .map(|&(i, _)| (i, time(receiver_file, i)))
                    .collect();
                for (s, r) in assign(&sent, &received, typical) {
                    let mut copies: Both<Option<u32>> = Both::default();
                    copies[sender_file] = s.map(|(i, _)| i);
                    copies[receiver_file] = r.map(|(i, _)| i);
                    let (sent_at, arrived, only_at) = match (s, r) {
                        (Some(s), Some(r)) => {
                            delays[dir].push(r.1 - s.1);
                            (s.1, Some(r.1), None)
                        }
                        (Some(s), None) => {
                            lost[dir] += 1;
                            (s.1, None, Some(from))
                        }
                        (None, Some(r)) => (r.1, None, Some(from.other())),
                        (None, None) => continue,
                    };
                    let (changes, checksums_differ) = match (s, r) {
                        (Some(s), Some(r)) => {
                            rewrites::compare(files[sender_file], s.0, files[receiver_file], r.0)
                        }
                        _ => (Vec::new(), false),
                    };
                    packets.push(PacketPair {
                        from,
                        copies,
                        sent: sent_at,
                        arrived,
                        only_at,
                        changes,
                        checksums_differ,
                    });
                }
            }
        }
        packets.sort_by(|x, y| {
            x.sent
                .total_cmp(&y.sent)
                .then(x.copies[client_file].cmp(&y.copies[client_file]))
        });
        let endpoint = |file: File, side: Side| {
            files[file]
                .connection(self.streams[file])
                .map(|c| c.endpoint(side))
        };
        let server_file = client_file.other();
        let seen = |side_of: &dyn Fn(File) -> Side| -> [Endpoint; 2] {
            [client_file, server_file].map(|f| {
                endpoint(f, side_of(f)).unwrap_or(Endpoint {
                    addr: std::net::IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED),
                    port: 0,
                })
            })
        };
        let client_side = self.client_side;
        let client_seen_as = seen(&|f| client_side[f]);
        let server_seen_as = seen(&|f| client_side[f].other());
        let rewrites = Rewrites::of(&packets, client_seen_as, server_seen_as);
        ConnectionPair {
            streams: self.streams,
            client_file,
            client_side,
            client_seen_as,
            server_seen_as,
            packets,
            to_server: DelayStats::of(std::mem::take(&mut delays[Sender::Client])),
            to_client: DelayStats::of(std::mem::take(&mut delays[Sender::Server])),
            lost_to_server: lost[Sender::Client],
            lost_to_client: lost[Sender::Server],
            rewrites,
        }
    }
}

/// The file whose capture is at the `end` of the connection, when `client_file` is the
/// client's.
fn file_at(client_file: File, end: Sender) -> File {
    match end {
        Sender::Client => client_file,
        Sender::Server => client_file.other(),
    }
}

type Copy2 = Option<(u32, f64)>;

/// Pair the sender's copies of one packet with the receiver's: each received copy takes
/// the sent copy before it whose delay is nearest the typical one; what is left over was
/// seen at one end only.
fn assign(sent: &[(u32, f64)], received: &[(u32, f64)], typical: f64) -> Vec<(Copy2, Copy2)> {
    if let ([s], [r]) = (sent, received) {
        return vec![(Some(*s), Some(*r))];
    }
    let mut taken = vec![false; sent.len()];
    let mut out: Vec<(Copy2, Copy2)> = Vec::with_capacity(sent.len().max(received.len()));
    for r in received {
        let best = sent
            .iter()
            .enumerate()
            .filter(|(i, s)| !taken.get(*i).copied().unwrap_or(true) && s.1 <= r.1)
            .min_by(|(_, x), (_, y)| {
                ((r.1 - x.1) - typical)
                    .abs()
                    .total_cmp(&((r.1 - y.1) - typical).abs())
            })
            .map(|(i, _)| i)
            // A copy "arriving" before any send: the clocks are off; take the earliest.
            .or_else(|| taken.iter().position(|t| !t));
        match best {
            Some(i) => {
                if let Some(t) = taken.get_mut(i) {
                    *t = true;
                }
                out.push((sent.get(i).copied(), Some(*r)));
            }
            None => out.push((None, Some(*r))),
        }
    }
    for (s, t) in sent.iter().zip(&taken) {
        if !t {
            out.push((Some(*s), None));
        }
    }
    out
}

/// The clock offset of file 1 against file 0, from packets seen once in each.
fn estimate_clock(drafts: &[Draft]) -> Clock {
    let mut from_0: Vec<f64> = Vec::new();
    let mut from_1: Vec<f64> = Vec::new();
    for d in drafts {
        let Both([a, b]) = d.unique_delays();
        from_0.extend(a);
        from_1.extend(b);
    }
    // Delays of packets sent at file 0's end: t1 − t0; sent at file 1's end: t0 − t1.
    let min = |v: &[f64]| {
        v.iter()
            .copied()
            .fold(None, |m: Option<f64>, x| Some(m.map_or(x, |m| m.min(x))))
    };
    match (min(&from_0), min(&from_1)) {
        (Some(a), Some(b)) if a >= 0.0 && b >= 0.0 => Clock::default(),
        // NTP: the offset that makes the smallest delay each way equal.
        (Some(a), Some(b)) => Clock {
            offset: (a - b) / 2.0,
            estimated: true,
            by_hand: false,
        },
        // One way only: shift just enough that nothing arrives before it was sent.
        (Some(a), None) if a < 0.0 => Clock {
            offset: a,
            estimated: true,
            by_hand: false,
        },
        (None, Some(b)) if b < 0.0 => Clock {
            offset: -b,
            estimated: true,
            by_hand: false,
        },
        _ => Clock::default(),
    }
}

//! When each packet of a connection really left its sender and reached its receiver.
//!
//! A capture records only what crossed *one* point of the path, at that point's clock
//! (see `shared/design/TIME.md`). This stage, between [`crate::session`] and
//! [`crate::ladder`], works out per connection:
//!
//! - where the capture point sat ([`CapturePoint`]): near the client, near the server,
//!   in between, or unknown — from the handshake (a capture at the client sees SYN →
//!   SYN-ACK take the whole round trip and SYN-ACK → ACK almost nothing; at the server
//!   the opposite), confirmed by data/ACK pairs later in the connection;
//! - the one-way delay from the capture point to each endpoint ([`Delays`]): half of the
//!   smallest round trip seen towards it (Karn's rule: never from retransmitted bytes);
//! - for every packet, its send time and arrival time, each [`At::source`] captured or
//!   estimated, or the evidence that it never arrived ([`LostEvidence`]).
//!
//! All times are seconds since the first frame of the capture (Wireshark's
//! `frame.time_relative`). Nothing here guesses without evidence: a packet arrives unless
//! something captured says it did not.

pub mod pair;
pub mod rewrites;

pub use pair::{ConnectionPair, PacketPair, Sender, TwoEnds};

use crate::decode::Control;
use crate::flow::seq::seq_ge;
use crate::flow::{Connection, Flag, Side};
use crate::session::{PacketRecord, Session};

/// Where the capture was taken, relative to the two endpoints.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CapturePoint {
    /// On (or next to) the client: its sends and receipts are captured as they happen.
    Client,
    /// On (or next to) the server.
    Server,
    /// Somewhere on the path with delay to both ends (a tap), or on loopback where both
    /// ends are one machine.
    Between,
    /// No handshake and too few data/ACK pairs to tell.
    #[default]
    Unknown,
    /// Two captures, one at each end ([`pair::TwoEnds`]): every time is measured.
    #[serde(rename = "both")]
    BothEnds,
}

/// Whether a time was read from the capture or worked out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Source {
    Captured,
    Estimated,
}

/// A moment on a lifeline.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub struct At {
    /// Seconds since the first frame of the capture.
    pub t: f64,
    pub source: Source,
}

/// Why we know a packet never reached the other side.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum LostEvidence {
    /// A SYN that got no answer and was sent again (frame of the next copy).
    UnansweredSyn { resent_in: u64 },
    /// The receiver kept acknowledging up to this segment's first byte (duplicate ACKs or
    /// SACK blocks) after it should have arrived, until it was sent again.
    ReceiverMissedIt {
        /// The receiver's first ACK that shows the hole.
        reported_in: u64,
        /// How many of its ACKs showed it.
        acks: u32,
        resent_in: u64,
    },
    /// Captured at the receiver, a segment arrived starting past bytes never seen there
    /// (Wireshark's "previous segment not captured"): the bytes before it were lost on
    /// the way.
    NotCaptured { before: u64 },
    /// With both ends captured: the sender's capture has it and the receiver's does not
    /// (lost between the two capture points, or after the receiver's capture stopped).
    SeenOnlyAtSender { frame: u64 },
}

/// One packet's times.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub struct PacketTime {
    /// When the capture saw it (seconds since the first frame).
    pub captured: f64,
    pub sent: At,
    /// When it reached the receiver; `None` when it was lost.
    pub arrived: Option<At>,
    /// When it would have arrived (for drawing where it was lost).
    pub expected: f64,
    pub lost: Option<LostEvidence>,
}

/// What gave the capture point away.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub struct PointEvidence {
    /// SYN → SYN-ACK and SYN-ACK → ACK as captured, in seconds, when a handshake was seen.
    pub handshake: Option<(f64, f64)>,
    /// The smallest data → ACK time seen for data the client sent (answered by the
    /// server) and for data the server sent, in seconds.
    pub data_to_server: Option<f64>,
    pub data_to_client: Option<f64>,
}

/// One-way delays from the capture point to each endpoint, in seconds.
#[derive(Clone, Copy, Debug, Default, PartialEq, serde::Serialize)]
pub struct Delays {
    pub to_client: f64,
    pub to_server: f64,
}

/// The times of one connection.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Timeline {
    pub stream: u32,
    pub capture_point: CapturePoint,
    pub evidence: PointEvidence,
    pub delays: Delays,
    /// The round trip between the two endpoints (`to_client + to_server`, twice), when
    /// there was anything to measure it from.
    pub rtt: Option<f64>,
    /// By packet index within the connection.
    pub packets: Vec<PacketTime>,
}

/// A capture point is near one end when that end's turnaround is at most this share of
/// the round trip.
const NEAR_SHARE: f64 = 0.2;

impl Timeline {
    pub fn of(session: &Session, stream: u32) -> Timeline {
        let Some(conn) = session.connection(stream) else {
            return Timeline {
                stream,
                capture_point: CapturePoint::Unknown,
                evidence: PointEvidence {
                    handshake: None,
                    data_to_server: None,
                    data_to_client: None,
                },
                delays: Delays::default(),
                rtt: None,
                packets: Vec::new(),
            };
        };
        let zero = session.time_zero();
        let packets: Vec<&PacketRecord> = session.connection_packets(stream).collect();
        let times: Vec<f64> = packets.iter().map(|p| p.ts().seconds_since(zero)).collect();
        let evidence = PointEvidence {
            handshake: handshake_gaps(conn, &packets, &times),
            data_to_server: min_ack_delay(conn, &packets, &times, conn.client()),
            data_to_client: min_ack_delay(conn, &packets, &times, conn.server()),
        };
        let (capture_point, delays) = place(conn, &evidence);
        let rtt = match capture_point {
            CapturePoint::Unknown => None,
            _ => Some(2.0 * (delays.to_client + delays.to_server)),
        };
        let mut timeline = Timeline {
            stream,
            capture_point,
            evidence,
            delays,
            rtt,
            packets: Vec::with_capacity(packets.len()),
        };
        for (p, &t) in packets.iter().zip(&times) {
            timeline.packets.push(timeline.times_of(conn, p.side(), t));
        }
        mark_lost(session, conn, &packets, &mut timeline);
        timeline
    }

    /// The delay from the capture point to `side`'s endpoint.
    pub fn delay_to(&self, conn: &Connection, side: Side) -> f64 {
        if conn.roles_known() && side == conn.client() || !conn.roles_known() && side == Side::A {
            self.delays.to_client
        } else {
            self.delays.to_server
        }
    }

    /// Whether `side`'s endpoint is at the capture point (its times are exact).
    pub fn at_capture_point(&self, conn: &Connection, side: Side) -> bool {
        match self.capture_point {
            CapturePoint::Client => side == conn.client(),
            CapturePoint::Server => side == conn.server(),
            CapturePoint::BothEnds => true,
            CapturePoint::Between | CapturePoint::Unknown => false,
        }
    }

    fn times_of(&self, conn: &Connection, from: Side, captured: f64) -> PacketTime {
        let source = |side: Side| {
            if self.at_capture_point(conn, side) {
                Source::Captured
            } else {
                Source::Estimated
            }
        };
        let sent = At {
            t: captured - self.delay_to(conn, from),
            source: source(from),
        };
        let to = from.other();
        let arrived = At {
            t: captured + self.delay_to(conn, to),
            source: source(to),
        };
        PacketTime {
            captured,
            sent,
            arrived: Some(arrived),
            expected: arrived.t,
            lost: None,
        }
    }

    /// The times of packet `index` (within the connection).
    pub fn packet(&self, index: u32) -> Option<&PacketTime> {
        self.packets.get(index as usize)
    }
}

/// Decide the capture point and the delays from what was measured.
fn place(conn: &Connection, e: &PointEvidence) -> (CapturePoint, Delays) {
    // Round trips measured *towards* each end: the time from a segment passing the
    // capture point to its answer passing it again = twice the delay to that end plus
    // that end's turnaround. The smallest one is the best estimate of the path.
    let towards_server = min_of(e.handshake.map(|h| h.0), e.data_to_server);
    let towards_client = min_of(e.handshake.map(|h| h.1), e.data_to_client);
    let (Some(s), Some(c)) = (towards_server, towards_client) else {
        return (CapturePoint::Unknown, Delays::default());
    };
    if !conn.roles_known() && e.handshake.is_none() {
        // Without roles, "client" would name an arbitrary end.
        return (CapturePoint::Unknown, Delays::default());
    }
    let total = s + c;
    if total <= 0.0 {
        return (CapturePoint::Between, Delays::default());
    }
    // Near an end, the round trip is the one measured towards the far end (what is
    // left, `c` or `s`, is the near end's own turnaround).
    if c <= NEAR_SHARE * total {
        (
            CapturePoint::Client,
            Delays {
                to_client: 0.0,
                to_server: s / 2.0,
            },
        )
    } else if s <= NEAR_SHARE * total {
        (
            CapturePoint::Server,
            Delays {
                to_client: c / 2.0,
                to_server: 0.0,
            },
        )
    } else {
        (
            CapturePoint::Between,
            Delays {
                to_client: c / 2.0,
                to_server: s / 2.0,
            },
        )
    }
}

fn min_of(a: Option<f64>, b: Option<f64>) -> Option<f64> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// Where a connection's handshake is among its packets (positions in capture order).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HandshakeAt {
    /// The client's last SYN before the SYN-ACK (None when the capture missed it).
    pub syn: Option<usize>,
    /// The server's first SYN-ACK.
    pub syn_ack: usize,
    /// The client's first ACK after it (no SYN, no RST).
    pub ack: Option<usize>,
}

/// Find the handshake among a connection's packets, in capture order: the server's first
/// SYN-ACK, the client's last SYN before it and the client's first ACK after it. The one
/// place that says which packets make the handshake (the capture point, the round-trip
/// bracket and the two-ended ladder all use it).
pub fn handshake_at<'a, I>(packets: I, client: Side) -> Option<HandshakeAt>
where
    I: Iterator<Item = &'a PacketRecord> + Clone,
{
    let syn_ack = packets
        .clone()
        .position(|p| p.side() != client && p.flags.control() == Control::SynAck)?;
    let syn = packets
        .clone()
        .take(syn_ack)
        .enumerate()
        .filter(|(_, p)| p.side() == client && p.flags.control() == Control::Syn)
        .map(|(i, _)| i)
        .last();
    let ack = packets
        .enumerate()
        .skip(syn_ack + 1)
        .find(|(_, p)| p.side() == client && p.flags.ack() && !p.flags.syn() && !p.flags.rst())
        .map(|(i, _)| i);
    Some(HandshakeAt { syn, syn_ack, ack })
}

/// SYN → SYN-ACK and SYN-ACK → ACK, as captured.
fn handshake_gaps(
    conn: &Connection,
    packets: &[&PacketRecord],
    times: &[f64],
) -> Option<(f64, f64)> {
    if !conn.roles_known() {
        return None;
    }
    let h = handshake_at(packets.iter().copied(), conn.client())?;
    let (syn, syn_ack, ack) = (h.syn?, h.syn_ack, h.ack?);
    let t = |i: usize| times.get(i).copied();
    let gap1 = t(syn_ack)? - t(syn)?;
    let gap2 = t(ack)? - t(syn_ack)?;
    (gap1 >= 0.0 && gap2 >= 0.0).then_some((gap1, gap2))
}

/// The smallest time from a segment `sender` sent (not a retransmission, Karn's rule) to
/// the first ACK from the other side that covers it, as captured.
fn min_ack_delay(
    conn: &Connection,
    packets: &[&PacketRecord],
    times: &[f64],
    sender: Side,
) -> Option<f64> {
    let _ = conn;
    let mut pending: std::collections::VecDeque<(u32, f64)> = std::collections::VecDeque::new();
    let mut best: Option<f64> = None;
    for (p, &t) in packets.iter().zip(times) {
        if p.side() == sender {
            let space = p.flags.sequence_space(p.payload_len);
            if p.flags.syn() || p.flags.rst() || space == 0 {
                continue;
            }
            if is_retransmission(p) {
                // The bytes it repeats no longer give a clean sample.
                let start = p.seq;
                pending.retain(|&(end, _)| !seq_ge(end, start.wrapping_add(1)));
                continue;
            }
            if pending.len() < 4096 {
                pending.push_back((p.seq.wrapping_add(space), t));
            }
        } else if p.flags.ack() && !p.flags.syn() {
            let mut newest = None;
            while let Some(&(end, sent)) = pending.front() {
                if !seq_ge(p.ack, end) {
                    break;
                }
                newest = Some(sent);
                pending.pop_front();
            }
            if let Some(sent) = newest {
                let sample = t - sent;
                if sample >= 0.0 {
                    best = Some(best.map_or(sample, |b: f64| b.min(sample)));
                }
            }
        }
    }
    best
}

fn is_retransmission(p: &PacketRecord) -> bool {
    let f = &p.analysis.flags;
    f.has(Flag::Retransmission)
        || f.has(Flag::FastRetransmission)
        || f.has(Flag::SpuriousRetransmission)
}

/// Mark the packets that the capture shows never arrived.
fn mark_lost(
    session: &Session,
    conn: &Connection,
    packets: &[&PacketRecord],
    timeline: &mut Timeline,
) {
    for (i, p) in packets.iter().enumerate() {
        // A packet captured at its receiver's end certainly arrived.
        if timeline.at_capture_point(conn, p.side().other()) {
            continue;
        }
        let evidence = if p.flags.control() == Control::Syn {
            unanswered_syn(packets, i, p)
        } else if p.payload_len > 0 && !p.flags.syn() {
            receiver_missed(session, packets, i, p, timeline)
        } else {
            None
        };
        if let (Some(evidence), Some(time)) = (evidence, timeline.packets.get_mut(i)) {
            time.lost = Some(evidence);
            time.arrived = None;
        }
    }
}

/// A SYN sent again with no SYN-ACK from the peer in between.
fn unanswered_syn(packets: &[&PacketRecord], i: usize, syn: &PacketRecord) -> Option<LostEvidence> {
    for p in packets.get(i + 1..)? {
        if p.side() != syn.side() && p.flags.syn() {
            return None;
        }
        if p.side() != syn.side() && (p.flags.rst() || p.flags.ack()) {
            return None;
        }
        if p.side() == syn.side() && p.flags.control() == Control::Syn && p.seq == syn.seq {
            return Some(LostEvidence::UnansweredSyn {
                resent_in: p.frame(),
            });
        }
    }
    None
}

/// A data segment whose first byte the receiver kept asking for (duplicate ACKs or SACK
/// blocks) after it should have arrived, until the sender sent it again.
fn receiver_missed(
    session: &Session,
    packets: &[&PacketRecord],
    i: usize,
    segment: &PacketRecord,
    timeline: &Timeline,
) -> Option<LostEvidence> {
    let should_have_arrived = timeline.packets.get(i)?.expected;
    let mut reported_in = None;
    let mut acks = 0u32;
    for (j, p) in packets.iter().enumerate().skip(i + 1) {
        if p.side() == segment.side() {
            if p.payload_len > 0
                && p.seq == segment.seq
                && is_retransmission(p)
                && session.analysis(p).retransmits_frame == segment.frame()
            {
                return reported_in.map(|reported_in| LostEvidence::ReceiverMissedIt {
                    reported_in,
                    acks,
                    resent_in: p.frame(),
                });
            }
            continue;
        }
        let sent = timeline.packets.get(j).map_or(0.0, |t| t.sent.t);
        let shows_hole = p.flags.ack()
            && p.ack == segment.seq
            && (p.analysis.flags.has(Flag::DuplicateAck) || session.options(p).sack_count > 0);
        if shows_hole && sent > should_have_arrived {
            reported_in.get_or_insert(p.frame());
            acks += 1;
        }
        if p.flags.ack() && seq_ge(p.ack, segment.seq.wrapping_add(segment.payload_len)) {
            // Acknowledged before any resend: it arrived.
            return None;
        }
    }
    None
}

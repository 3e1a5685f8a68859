//! Each endpoint's TCP state, inferred by an observer at the capture point (RFC 9293 names).
//!
//! Every segment is applied twice: once to its sender (what sending it means: SYN →
//! SYN-SENT, FIN → FIN-WAIT-1 or LAST-ACK, RST → CLOSED) and once to its receiver (what
//! receiving it means: SYN → SYN-RECEIVED, ACK of our FIN → FIN-WAIT-2, FIN → CLOSE-WAIT
//! or TIME-WAIT, RST → CLOSED, or back to LISTEN from a passive SYN-RECEIVED...). Only the
//! edges of RFC 9293 Figure 5 (and the simultaneous open and close of Figures 7 and 13,
//! and RST as §3.10.7 says) are taken; a segment its sender could not have sent in its
//! inferred state is recorded as a [`MissedPacket`] instead of inventing an edge.
//!
//! The inference assumes each segment is sent and received at the moment the capture
//! point saw it; an endpoint far from the capture point really changes state a little
//! later (on receipt) or earlier (on sending) than drawn. Every change is recorded as a [`Transition`] so the ladder can draw a
//! state box where it happened. The capture point sees one order of events; when a
//! segment proves the other side acted before it had received ours (a simultaneous open
//! or close), the receiver's earlier transition is rewritten, as the RFC figures show.

use super::key::{PerSide, Side};
use super::table::{Direction, Segment};
use crate::decode::Control;
use crate::decode::TcpFlags;
use std::fmt;

/// The RFC 9293 connection states.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum TcpState {
    Closed,
    Listen,
    SynSent,
    SynReceived,
    Established,
    FinWait1,
    FinWait2,
    CloseWait,
    Closing,
    LastAck,
    TimeWait,
}

impl TcpState {
    /// The RFC spelling: `SYN-SENT`, `FIN-WAIT-2`, `TIME-WAIT`...
    pub fn rfc_name(self) -> &'static str {
        match self {
            TcpState::Closed => "CLOSED",
            TcpState::Listen => "LISTEN",
            TcpState::SynSent => "SYN-SENT",
            TcpState::SynReceived => "SYN-RECEIVED",
            TcpState::Established => "ESTABLISHED",
            TcpState::FinWait1 => "FIN-WAIT-1",
            TcpState::FinWait2 => "FIN-WAIT-2",
            TcpState::CloseWait => "CLOSE-WAIT",
            TcpState::Closing => "CLOSING",
            TcpState::LastAck => "LAST-ACK",
            TcpState::TimeWait => "TIME-WAIT",
        }
    }

    /// Every state, in the order of RFC 9293's figure (the order choices are listed in).
    pub const ALL: [TcpState; 11] = [
        TcpState::Closed,
        TcpState::Listen,
        TcpState::SynSent,
        TcpState::SynReceived,
        TcpState::Established,
        TcpState::FinWait1,
        TcpState::FinWait2,
        TcpState::CloseWait,
        TcpState::Closing,
        TcpState::LastAck,
        TcpState::TimeWait,
    ];
}

impl fmt::Display for TcpState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.rfc_name())
    }
}

/// Why a state changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Cause {
    SentSyn,
    ReceivedSyn,
    SentSynAck,
    ReceivedSynAck,
    ReceivedAckOfSyn,
    SentFin,
    ReceivedFin,
    ReceivedAckOfFin,
    SentRst,
    ReceivedRst,
}

impl Cause {
    /// Whether the endpoint changed state on receiving a segment (rather than sending).
    pub fn is_receipt(self) -> bool {
        matches!(
            self,
            Cause::ReceivedSyn
                | Cause::ReceivedSynAck
                | Cause::ReceivedAckOfSyn
                | Cause::ReceivedFin
                | Cause::ReceivedAckOfFin
                | Cause::ReceivedRst
        )
    }
}

/// One state change of one endpoint, at one packet of the connection.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Transition {
    /// Index of the packet within its connection (0-based).
    pub packet: u32,
    pub frame: u64,
    pub side: Side,
    pub from: TcpState,
    pub to: TcpState,
    pub cause: Cause,
}

/// The observer: both endpoints' states, and the facts of the teardown's shape. What
/// each side sent (its ISN, its FIN) it reads from the connection's [`Direction`]s.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct Observer {
    /// State of each side before the first packet (LISTEN for a server, assumed
    /// ESTABLISHED when the capture starts mid-connection).
    initial: PerSide<TcpState>,
    state: PerSide<TcpState>,
    started: bool,
    /// Whether each side has sent anything yet.
    sent_any: PerSide<bool>,
    /// Segments the inference could not place: the sender could not have sent them in
    /// the state it was believed to be in, so a packet before them was not captured.
    missed: Vec<MissedPacket>,
    close: CloseShape,
}

/// What the teardown looked like on the wire, recorded as its segments pass; the close
/// kind ([`super::CloseKind`]) is decided from it.
#[derive(Clone, Copy, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct CloseShape {
    /// The passive side acknowledged the first FIN with a segment of its own before it
    /// sent its FIN (a four-way rather than a three-segment close).
    pub fin_acked_separately: bool,
    /// The second FIN did not acknowledge the first (both sent before either arrived).
    pub fins_crossed: bool,
}

/// A segment its sender could not have sent in the state the observer believed it was
/// in (a FIN from SYN-SENT): some packet before it was not captured.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct MissedPacket {
    /// Index of the segment within its connection.
    pub packet: u32,
    pub side: Side,
    /// The state it was believed to be in (and is left in).
    pub state: TcpState,
}

impl Default for Observer {
    fn default() -> Self {
        Observer {
            initial: PerSide::new(TcpState::Closed, TcpState::Closed),
            state: PerSide::new(TcpState::Closed, TcpState::Closed),
            started: false,
            sent_any: PerSide::default(),
            missed: Vec::new(),
            close: CloseShape::default(),
        }
    }
}

impl Observer {
    /// Apply one segment from `from`; new transitions are pushed onto `log`, and earlier
    /// ones may be rewritten (simultaneous open/close). `dirs` is what each side sent, its
    /// counters already counting this segment, its ISN and FIN not yet this segment's.
    pub(super) fn on_segment(
        &mut self,
        from: Side,
        seg: &Segment,
        packet: u32,
        dirs: &PerSide<Direction>,
        log: &mut Vec<Transition>,
    ) {
        if !self.started {
            self.start(from, seg.flags);
        }
        let s = from;
        let r = from.other();
        let flags = seg.flags;
        self.note_close_shape(s, seg, dirs);
        let change = |obs: &mut Observer,
                      side: Side,
                      to: TcpState,
                      cause: Cause,
                      log: &mut Vec<Transition>| {
            let i = side;
            let from_state = obs.state[i];
            if from_state != to {
                obs.state[i] = to;
                log.push(Transition {
                    packet,
                    frame: seg.frame,
                    side,
                    from: from_state,
                    to,
                    cause,
                });
            }
        };

        // --- what sending this segment means for the sender ---
        if flags.rst() {
            change(self, from, TcpState::Closed, Cause::SentRst, log);
        } else if flags.control() == Control::Syn {
            match self.state[s] {
                // RFC 9293 Figure 5: CLOSED --active OPEN / snd SYN--> SYN-SENT
                TcpState::Closed | TcpState::Listen => {
                    change(self, from, TcpState::SynSent, Cause::SentSyn, log)
                }
                // We inferred SYN-RECEIVED from the peer's SYN, but a bare SYN from us proves
                // we opened actively too: a simultaneous open (RFC 9293 Figure 7).
                TcpState::SynReceived if !self.sent_any[s] => {
                    self.rewrite_last_receipt(from, Cause::ReceivedSyn, log);
                    self.initial[s] = TcpState::Closed;
                    self.state[s] = TcpState::Closed;
                    change(self, from, TcpState::SynSent, Cause::SentSyn, log);
                    change(self, from, TcpState::SynReceived, Cause::ReceivedSyn, log);
                }
                _ => {}
            }
        } else if flags.syn() {
            // LISTEN --rcv SYN / snd SYN,ACK--> SYN-RECEIVED (normally already there)
            if matches!(self.state[s], TcpState::Closed | TcpState::Listen) {
                change(self, from, TcpState::SynReceived, Cause::SentSynAck, log);
            }
        }
        if flags.fin() && !flags.rst() && dirs[s].fin_seq.is_none() {
            let acks_peer_fin = flags.ack() && dirs[r].fin_acked_by(seg.ack);
            match self.state[s] {
                // ESTABLISHED --CLOSE / snd FIN--> FIN-WAIT-1, and SYN-RECEIVED likewise
                TcpState::Established | TcpState::SynReceived => {
                    change(self, from, TcpState::FinWait1, Cause::SentFin, log)
                }
                // SYN-SENT has no FIN edge (CLOSE there deletes the TCB): a FIN from it
                // means a packet that moved it on was not captured. Note it; invent nothing.
                TcpState::SynSent => self.missed.push(MissedPacket {
                    packet,
                    side: s,
                    state: TcpState::SynSent,
                }),
                // CLOSE-WAIT --close / snd FIN--> LAST-ACK
                TcpState::CloseWait if acks_peer_fin || !flags.ack() => {
                    change(self, from, TcpState::LastAck, Cause::SentFin, log)
                }
                // Our FIN does not acknowledge the peer's: we sent it before the peer's FIN
                // reached us. Simultaneous close (RFC 9293 Figure 13).
                TcpState::CloseWait => {
                    let back_to = self.rewrite_last_receipt(from, Cause::ReceivedFin, log);
                    self.state[s] = back_to.unwrap_or(TcpState::Established);
                    change(self, from, TcpState::FinWait1, Cause::SentFin, log);
                    change(self, from, TcpState::Closing, Cause::ReceivedFin, log);
                }
                _ => {}
            }
        }
        self.sent_any[s] = true;

        // --- what receiving it means for the receiver ---
        let receiver = from.other();
        if flags.rst() {
            match self.state[r] {
                TcpState::Closed => {}
                // SYN-RECEIVED --rcv RST--> LISTEN when it came from a passive open
                // (RFC 9293 §3.10.7.4, "If this connection was initiated with a passive OPEN")
                TcpState::SynReceived if self.initial[r] == TcpState::Listen => {
                    change(self, receiver, TcpState::Listen, Cause::ReceivedRst, log)
                }
                _ => change(self, receiver, TcpState::Closed, Cause::ReceivedRst, log),
            }
            return;
        }
        if flags.ack() {
            let acks_syn = dirs[r].syn_acked_by(seg.ack);
            let acks_fin = dirs[r].fin_acked_by(seg.ack);
            match self.state[r] {
                // SYN-SENT --rcv SYN,ACK / snd ACK--> ESTABLISHED
                TcpState::SynSent if flags.syn() && acks_syn => change(
                    self,
                    receiver,
                    TcpState::Established,
                    Cause::ReceivedSynAck,
                    log,
                ),
                // SYN-RECEIVED --rcv ACK of SYN--> ESTABLISHED
                TcpState::SynReceived if acks_syn => {
                    let cause = if flags.syn() {
                        Cause::ReceivedSynAck
                    } else {
                        Cause::ReceivedAckOfSyn
                    };
                    change(self, receiver, TcpState::Established, cause, log)
                }
                // FIN-WAIT-1 --rcv ACK of FIN--> FIN-WAIT-2
                TcpState::FinWait1 if acks_fin => change(
                    self,
                    receiver,
                    TcpState::FinWait2,
                    Cause::ReceivedAckOfFin,
                    log,
                ),
                // CLOSING --rcv ACK of FIN--> TIME-WAIT
                TcpState::Closing if acks_fin => change(
                    self,
                    receiver,
                    TcpState::TimeWait,
                    Cause::ReceivedAckOfFin,
                    log,
                ),
                // LAST-ACK --rcv ACK of FIN--> CLOSED
                TcpState::LastAck if acks_fin => change(
                    self,
                    receiver,
                    TcpState::Closed,
                    Cause::ReceivedAckOfFin,
                    log,
                ),
                _ => {}
            }
        }
        if flags.control() == Control::Syn {
            match self.state[r] {
                // LISTEN --rcv SYN / snd SYN,ACK--> SYN-RECEIVED
                TcpState::Listen | TcpState::Closed | TcpState::SynSent => change(
                    self,
                    receiver,
                    TcpState::SynReceived,
                    Cause::ReceivedSyn,
                    log,
                ),
                _ => {}
            }
        }
        if flags.fin() {
            match self.state[r] {
                // ESTABLISHED --rcv FIN / snd ACK--> CLOSE-WAIT
                TcpState::Established | TcpState::SynReceived => {
                    change(self, receiver, TcpState::CloseWait, Cause::ReceivedFin, log)
                }
                // FIN-WAIT-1 --rcv FIN / snd ACK--> CLOSING
                TcpState::FinWait1 => {
                    change(self, receiver, TcpState::Closing, Cause::ReceivedFin, log)
                }
                // FIN-WAIT-2 --rcv FIN / snd ACK--> TIME-WAIT
                TcpState::FinWait2 => {
                    change(self, receiver, TcpState::TimeWait, Cause::ReceivedFin, log)
                }
                _ => {}
            }
        }
    }

    /// Record the teardown's shape before this segment changes anything: whether the
    /// passive side acknowledged the first FIN before sending its own, and whether the
    /// second FIN crossed the first.
    fn note_close_shape(&mut self, s: Side, seg: &Segment, dirs: &PerSide<Direction>) {
        let r = s.other();
        if dirs[r].fin_seq.is_none() {
            return;
        }
        let acks_peer_fin = seg.flags.ack() && dirs[r].fin_acked_by(seg.ack);
        if dirs[s].fin_count == 0 && acks_peer_fin {
            self.close.fin_acked_separately = true;
        }
        if seg.flags.fin() && dirs[s].fin_count == 1 && dirs[s].fin_seq.is_none() && !acks_peer_fin
        {
            self.close.fins_crossed = true;
        }
    }

    /// A server that never answered, or answered only with RST, tells the observer
    /// nothing about a listening socket: the SYN may never have reached it (no answer), or
    /// nothing listened on the port (refused). Its inferred SYN-RECEIVED is taken back.
    pub(super) fn settle_silent_server(
        &mut self,
        server: Side,
        dirs: &PerSide<Direction>,
        log: &mut Vec<Transition>,
    ) {
        let d = &dirs[server];
        let silent = d.packets == 0;
        let refused = d.packets > 0
            && d.syn_ack_count == 0
            && d.syn_count == 0
            && d.rst_count > 0
            && d.payload_bytes == 0;
        if !silent && !refused {
            return;
        }
        log.retain(|t| t.side != server);
        let initial = if refused {
            TcpState::Closed
        } else {
            TcpState::Listen
        };
        self.initial[server] = initial;
        self.state[server] = initial;
    }

    /// Set the initial states from the first packet: a SYN means its sender was CLOSED
    /// and the receiver LISTEN; anything else means the capture began mid-connection.
    fn start(&mut self, first: Side, flags: TcpFlags) {
        self.started = true;
        let (a, b) = if flags.control() == Control::Syn {
            (TcpState::Closed, TcpState::Listen)
        } else if flags.syn() {
            (TcpState::SynReceived, TcpState::SynSent)
        } else {
            (TcpState::Established, TcpState::Established)
        };
        let (s, r) = (first, first.other());
        self.initial[s] = a;
        self.initial[r] = b;
        self.state = self.initial;
    }

    /// Undo `side`'s most recent transition caused by `cause` (a receipt from the peer):
    /// the segment that caused it had not yet arrived when `side` acted. Returns the
    /// state it is rolled back to.
    fn rewrite_last_receipt(
        &mut self,
        side: Side,
        cause: Cause,
        log: &mut Vec<Transition>,
    ) -> Option<TcpState> {
        let pos = log
            .iter()
            .rposition(|t| t.side == side && t.cause == cause)?;
        let removed = log.remove(pos);
        self.state[side] = removed.from;
        Some(removed.from)
    }

    /// `side`'s state before the first packet.
    pub fn initial(&self, side: Side) -> TcpState {
        self.initial[side]
    }

    /// `side`'s state after the last packet so far.
    pub fn state(&self, side: Side) -> TcpState {
        self.state[side]
    }

    /// Both sides' states after the last packet so far.
    pub fn states(&self) -> PerSide<TcpState> {
        self.state
    }

    /// Segments the inference could not place (a packet before each was not captured).
    pub fn missed(&self) -> &[MissedPacket] {
        &self.missed
    }

    /// The teardown's shape, as far as it was seen.
    pub fn close_shape(&self) -> CloseShape {
        self.close
    }
}

//! One paragraph, in plain words, of what a packet does in its conversation: the step of
//! the handshake or teardown it is, what it acknowledges, what each of its analysis flags
//! means for it, and which states it changes — e.g. "Step 2 of the three-way handshake:
//! the server acknowledges the client's SYN (ack = ISN + 1 = 734888646 (relative ack 1),
//! the next sequence number it expects) and sends its own ISN, 1632166146." The sentences
//! come from [`crate::i18n`]; every number follows the ladder's relative/absolute mode.
//!
//! Each situation is recognised here once and named ([`Noticed`], stray RSTs, segments
//! that crossed a RST, packets the state inference missed); the words live in the tables.

use super::phases::who;
use crate::decode::Control;
use crate::decode::tcp::OptionSummary;
use crate::flow::seq::{seq_gt, seq_lt};
use crate::flow::{Analysis, Cause, CloseKind, Connection, Flag, OpenKind, Side, TcpState};
use crate::i18n::{CloseStep, Lang, Noticed, Number, Resent, Texts};
use crate::session::{PacketRecord, Session};

/// The explanation of packet `packet_index` (an index into `Session::packets`), in English.
pub fn explain(session: &Session, packet_index: u32) -> String {
    explain_in(session, packet_index, Lang::En)
}

/// The explanation of packet `packet_index` in `lang`, with relative numbers.
pub fn explain_in(session: &Session, packet_index: u32, lang: Lang) -> String {
    explain_with(session, packet_index, lang, false)
}

/// The explanation of packet `packet_index` in `lang`; `absolute`: the ladder shows raw
/// sequence numbers, so the sentences do too (with the relative ones beside them).
pub fn explain_with(session: &Session, packet_index: u32, lang: Lang, absolute: bool) -> String {
    let t = lang.texts();
    let Some(p) = session.packets.get(packet_index as usize) else {
        return String::new();
    };
    let Some(conn) = session.connection(p.stream) else {
        return String::new();
    };
    let packets: Vec<&PacketRecord> = session.connection_packets(p.stream).collect();
    let at = At {
        conn,
        packets: &packets,
        p,
        options: session.options(p),
        analysis: session.analysis(p),
        t,
        absolute,
    };
    let mut parts = at.what_it_does();
    parts.extend(at.sack());
    parts.extend(at.noticed());
    if parts.is_empty() {
        parts.push(t.explain_other(at.me(), &p.flags.words()));
    }
    let separator = if lang == Lang::ZhCn { "" } else { " " };
    let changes = state_changes(conn, p, t, separator);
    if !changes.is_empty() {
        parts.push(changes);
    }
    if p.index + 1 == conn.packet_count() {
        let end = ending(conn, t);
        if !end.is_empty() {
            parts.push(end);
        }
    }
    t.finish(parts.join(separator))
}

/// One packet in its connection, with the table of sentences and the number mode.
struct At<'a> {
    conn: &'a Connection,
    /// The connection's packets, in order.
    packets: &'a [&'a PacketRecord],
    p: &'a PacketRecord,
    /// The packet's options and whole analysis (from the session's side tables).
    options: OptionSummary,
    analysis: Analysis,
    t: &'a dyn Texts,
    absolute: bool,
}

impl At<'_> {
    fn me(&self) -> &'static str {
        who(self.conn, self.p.side(), self.t)
    }

    fn peer(&self) -> &'static str {
        who(self.conn, self.p.side().other(), self.t)
    }

    fn has(&self, flag: Flag) -> bool {
        self.p.analysis.flags.has(flag)
    }

    /// The segment's sequence number, `n` further on.
    fn seq_plus(&self, n: u32) -> Number {
        Number {
            relative: self.p.rel_seq.wrapping_add(n),
            raw: self.p.seq.wrapping_add(n),
            absolute: self.absolute,
        }
    }

    fn ack(&self) -> Number {
        Number {
            relative: self.p.rel_ack().unwrap_or(self.p.ack),
            raw: self.p.ack,
            absolute: self.absolute,
        }
    }

    /// A raw number in the peer's sequence space (what this packet's ack counts in).
    fn peer_number(&self, raw: u32) -> Number {
        let base = self
            .p
            .ack
            .wrapping_sub(self.p.rel_ack().unwrap_or(self.p.ack));
        Number {
            relative: raw.wrapping_sub(base),
            raw,
            absolute: self.absolute,
        }
    }

    /// The packets of the connection before this one.
    fn earlier(&self) -> impl Iterator<Item = &&PacketRecord> {
        self.packets.iter().take_while(|q| q.index < self.p.index)
    }

    /// The sentences about the segment itself.
    fn what_it_does(&self) -> Vec<String> {
        let (conn, p, t) = (self.conn, self.p, self.t);
        let (me, peer) = (self.me(), self.peer());
        let f = p.flags;
        let summary = conn.summary();

        if f.rst() {
            let refused = matches!(summary.open, OpenKind::Refused) && !conn.syn_ack_seen();
            return vec![if refused {
                t.explain_refused(me, peer, conn.endpoint(p.side()).port, f.ack())
            } else if had_and_lost_connection(conn, p.side(), p.index) {
                t.explain_reset_stray(me, peer)
            } else {
                t.explain_reset(me, peer)
            }];
        }
        let mut parts: Vec<String> = Vec::new();
        if crossed_peer_rst(conn, p.side(), p.index) {
            parts.push(t.explain_sent_before_rst(me, peer));
        }
        if let Some(missed) = conn
            .observer()
            .missed()
            .iter()
            .find(|m| m.packet == p.index && m.side == p.side())
        {
            parts.push(t.explain_missed_packet(me, &t.state(missed.state)));
        }
        let peer_isn = conn.dir(p.side().other()).isn;
        if f.control() == Control::Syn {
            if first_index_with(self.packets, p.side(), |q| q.control() == Control::Syn)
                != Some(p.index)
            {
                parts.push(t.explain_syn_again(me, p.seq));
                return parts;
            }
            let simultaneous = matches!(summary.open, OpenKind::SimultaneousOpen);
            parts.push(t.explain_syn(me, p.seq, simultaneous));
            parts.extend(syn_options(&self.options, t));
            return parts;
        }
        if f.control() == Control::SynAck {
            let acked = self.ack();
            if peer_isn.is_none() {
                parts.push(t.explain_syn_ack_unseen(me, acked, p.seq));
            } else if matches!(summary.open, OpenKind::SimultaneousOpen) {
                parts.push(t.explain_syn_ack_simultaneous(me, peer, acked, p.seq));
                return parts;
            } else {
                parts.push(t.explain_syn_ack(me, peer, acked, p.seq));
            }
            parts.extend(syn_options(&self.options, t));
            return parts;
        }
        let completes_handshake = conn.transitions().iter().any(|tr| {
            tr.packet == p.index && tr.to == TcpState::Established && tr.side != p.side()
        }) && !f.fin();
        if completes_handshake {
            parts.push(t.explain_handshake_ack(me, peer, self.ack()));
        }
        if p.payload_len > 0 && !self.has(Flag::KeepAlive) {
            let start = p.rel_seq;
            let end = start.wrapping_add(p.payload_len);
            let resent = self.has(Flag::Retransmission)
                || self.has(Flag::FastRetransmission)
                || self.has(Flag::SpuriousRetransmission);
            let next = (!resent).then(|| self.seq_plus(p.payload_len));
            parts.push(t.explain_data(
                me,
                p.payload_len,
                (start, end.wrapping_sub(1)),
                self.seq_plus(0),
                next,
            ));
        }
        if f.fin() {
            parts.push(self.fin_sentence());
        }
        if f.ack() && !completes_handshake {
            let ack = self.ack();
            let acks_fin = conn.dir(p.side().other()).fin_acked_by(p.ack)
                && first_index_acking_fin(conn, self.packets, p.side()) == Some(p.index);
            if acks_fin {
                let step = if f.fin() { None } else { self.teardown_step() };
                parts.push(t.explain_acks_fin((me, peer), ack, step, f.fin()));
            } else if p.payload_len == 0 && !f.fin() {
                if self.acks_something_new() {
                    parts.push(t.explain_acks_data(me, ack));
                } else if !self.flags_say_why_nothing_new() {
                    parts.push(t.explain_acks_nothing_new(me, ack));
                }
            } else if ack.relative > 1 {
                // (an ack of 1 acknowledges no data: nothing worth saying)
                parts.push(t.explain_also_acks(peer, ack));
            }
        }
        parts
    }

    fn fin_sentence(&self) -> String {
        let (p, t) = (self.p, self.t);
        let (me, peer) = (self.me(), self.peer());
        let close = self.conn.summary().close;
        if first_index_with(self.packets, p.side(), |f| f.fin()) != Some(p.index) {
            return t.explain_fin_again(me);
        }
        let fin_seq = self.seq_plus(p.payload_len);
        if close.active_closer() == Some(p.side()) {
            t.explain_first_fin(me, peer, close_step(close), fin_seq)
        } else {
            t.explain_second_fin(me, close_step(close), fin_seq)
        }
    }

    /// Which step of the teardown an ACK of the peer's FIN is (FIN, ACK, FIN, ACK: 2 and
    /// 4; FIN, FIN+ACK, ACK: 3).
    fn teardown_step(&self) -> Option<(CloseStep, u8)> {
        let close = self.conn.summary().close;
        let acks_first_fin = close.active_closer() == Some(self.p.side().other());
        match close_step(close) {
            CloseStep::FourWay => Some((CloseStep::FourWay, if acks_first_fin { 2 } else { 4 })),
            CloseStep::ThreeSegment if !acks_first_fin => Some((CloseStep::ThreeSegment, 3)),
            CloseStep::Simultaneous => Some((CloseStep::Simultaneous, 0)),
            _ => None,
        }
    }

    /// Whether this ACK acknowledges bytes its sender had not acknowledged before.
    fn acks_something_new(&self) -> bool {
        let before = self
            .earlier()
            .filter(|q| q.side() == self.p.side() && q.flags.ack())
            .map(|q| q.ack)
            .reduce(|a, b| if seq_gt(b, a) { b } else { a });
        before.is_none_or(|before| seq_gt(self.p.ack, before))
    }

    /// A pure ACK with nothing new whose analysis flags already say what it is for.
    fn flags_say_why_nothing_new(&self) -> bool {
        [
            Flag::DuplicateAck,
            Flag::KeepAlive,
            Flag::KeepAliveAck,
            Flag::ZeroWindowProbeAck,
            Flag::WindowUpdate,
            Flag::ZeroWindow,
            Flag::AckLostSegment,
        ]
        .into_iter()
        .any(|flag| self.has(flag))
    }

    /// The last window the peer advertised before this packet (raw field).
    fn peer_window_before(&self) -> Option<u16> {
        self.earlier()
            .filter(|q| q.side() == self.p.side().other())
            .last()
            .map(|q| q.window)
    }

    /// The SACK blocks of this segment, explained.
    fn sack(&self) -> Option<String> {
        let o = &self.options;
        let blocks: Vec<(Number, Number)> = o
            .sack
            .iter()
            .take(usize::from(o.sack_count))
            .map(|&(left, right)| (self.peer_number(left), self.peer_number(right)))
            .collect();
        let first = blocks.first()?;
        let dsack = self.p.flags.ack() && seq_lt(first.0.raw, self.p.ack);
        Some(self.t.explain_sack(&blocks, dsack))
    }

    /// One sentence per analysis flag, naming what it means for this packet.
    fn noticed(&self) -> Vec<String> {
        let (p, t) = (self.p, self.t);
        let (me, peer) = (self.me(), self.peer());
        let a = &self.analysis;
        let of = (a.retransmits_frame != 0).then_some(a.retransmits_frame);
        let resent = match (p.flags.syn(), p.flags.ack()) {
            (true, false) => Resent::Syn,
            (true, true) if matches!(self.conn.summary().open, OpenKind::SimultaneousOpen) => {
                Resent::SimultaneousSynAck
            }
            (true, true) => Resent::SynAck,
            _ if p.flags.fin() && p.payload_len == 0 => Resent::Fin,
            _ => Resent::Data,
        };
        let peer_window_zero = self.peer_window_before() == Some(0);
        // The answer to a Linux zero-window probe: Wireshark flags it zero window only.
        let answers_linux_probe = p.window == 0
            && !p.analysis.flags.has(Flag::KeepAliveAck)
            && self
                .earlier()
                .filter(|q| q.side() == p.side().other())
                .last()
                .is_some_and(|q| q.analysis.flags.has(Flag::KeepAlive));
        // Wireshark sets "retransmission" beside "fast" or "spurious": the finer one says it.
        let finer = self.has(Flag::FastRetransmission) || self.has(Flag::SpuriousRetransmission);
        let mut out: Vec<String> = p
            .analysis
            .flags
            .iter()
            .filter(|flag| !(finer && *flag == Flag::Retransmission))
            .map(|flag| match flag {
                Flag::Retransmission | Flag::FastRetransmission | Flag::SpuriousRetransmission => {
                    Noticed::Retransmission {
                        kind: flag,
                        of,
                        resent,
                    }
                }
                Flag::OutOfOrder => Noticed::OutOfOrder,
                Flag::LostSegment => Noticed::LostSegment,
                Flag::AckLostSegment => Noticed::AckLostSegment,
                Flag::DuplicateAck => Noticed::DuplicateAck {
                    number: a.dup_ack_num,
                    of: a.dup_ack_frame,
                    ack: self.ack(),
                },
                Flag::ZeroWindow => Noticed::ZeroWindow,
                Flag::ZeroWindowProbe => Noticed::ZeroWindowProbe { linux: false },
                Flag::ZeroWindowProbeAck => Noticed::ZeroWindowProbeAck { linux: false },
                Flag::WindowFull => Noticed::WindowFull,
                Flag::WindowUpdate => Noticed::WindowUpdate,
                // Linux probes a zero window with SND.NXT − 1 and no data: the shape of a
                // keep-alive, which is what Wireshark calls it.
                Flag::KeepAlive if peer_window_zero => Noticed::ZeroWindowProbe { linux: true },
                Flag::KeepAlive => Noticed::KeepAlive {
                    seq: self.seq_plus(0),
                },
                Flag::KeepAliveAck if p.window == 0 => Noticed::ZeroWindowProbeAck { linux: true },
                Flag::KeepAliveAck => Noticed::KeepAliveAck,
                Flag::ReusedPorts => Noticed::ReusedPorts,
            })
            .map(|noticed| t.explain_noticed(me, peer, noticed))
            .collect();
        if answers_linux_probe {
            out.push(t.explain_noticed(me, peer, Noticed::ZeroWindowProbeAck { linux: true }));
        }
        out
    }
}

fn close_step(close: CloseKind) -> CloseStep {
    match close {
        CloseKind::ThreeSegment { .. } => CloseStep::ThreeSegment,
        CloseKind::Simultaneous { .. } => CloseStep::Simultaneous,
        CloseKind::FourWay { .. } => CloseStep::FourWay,
        _ => CloseStep::Other,
    }
}

/// `side`'s state just before packet `index`, and the cause of the transition that put
/// it there (None: its initial state).
fn state_before(conn: &Connection, side: Side, index: u32) -> (TcpState, Option<Cause>) {
    conn.transitions()
        .iter()
        .rev()
        .find(|t| t.side == side && t.packet < index)
        .map_or((conn.observer().initial(side), None), |t| {
            (t.to, Some(t.cause))
        })
}

/// `side` had the connection and was CLOSED again before packet `index`: a RST it sends
/// now answers a stray segment, it does not abort anything.
fn had_and_lost_connection(conn: &Connection, side: Side, index: u32) -> bool {
    matches!(state_before(conn, side, index), (TcpState::Closed, Some(_)))
}

/// `side` was reset by its peer before packet `index` (as the capture point saw it): what
/// it sends now it sent before that RST reached it.
fn crossed_peer_rst(conn: &Connection, side: Side, index: u32) -> bool {
    state_before(conn, side, index) == (TcpState::Closed, Some(Cause::ReceivedRst))
}

/// "Client: CLOSED → SYN-SENT (sent SYN)." for each side this packet changes.
fn state_changes(conn: &Connection, p: &PacketRecord, t: &dyn Texts, separator: &str) -> String {
    let mut out = Vec::new();
    for side in [conn.client(), conn.server()] {
        let steps: Vec<_> = conn
            .transitions()
            .iter()
            .filter(|tr| tr.packet == p.index && tr.side == side)
            .collect();
        let Some(first) = steps.first() else { continue };
        let mut chain = vec![t.state(first.from)];
        chain.extend(steps.iter().map(|tr| t.state(tr.to)));
        let why = steps
            .iter()
            .map(|tr| t.cause(tr.cause))
            .collect::<Vec<_>>()
            .join(t.explain_then());
        out.push(t.explain_state_change(who(conn, side, t), &chain.join(" → "), &why));
    }
    out.join(separator)
}

/// What the end of the capture leaves behind, said at the last packet.
fn ending(conn: &Connection, t: &dyn Texts) -> String {
    let s = conn.summary();
    let state = |side: Side| s.final_state(side);
    let (c, v) = (conn.client(), conn.server());
    match s.close {
        CloseKind::HalfClosedAtEnd { active } => t.explain_end_half_closed(
            who(conn, active, t),
            &t.state(state(active)),
            who(conn, active.other(), t),
            &t.state(state(active.other())),
        ),
        CloseKind::StillOpen => t.explain_end_still_open(),
        CloseKind::NeverOpened => t.explain_end_never_opened(who(conn, c, t)),
        _ => match (
            state(c) == TcpState::TimeWait,
            state(v) == TcpState::TimeWait,
        ) {
            (true, true) => t.explain_end_time_wait(who(conn, c, t), Some(who(conn, v, t))),
            (true, false) => t.explain_end_time_wait(who(conn, c, t), None),
            (false, true) => t.explain_end_time_wait(who(conn, v, t), None),
            (false, false) => String::new(),
        },
    }
}

fn syn_options(o: &OptionSummary, t: &dyn Texts) -> Option<String> {
    let mut parts = Vec::new();
    if let Some(mss) = o.mss {
        parts.push(t.option_mss(mss));
    }
    if let Some(ws) = o.window_scale {
        parts.push(t.option_window_scale(1u64 << ws.min(14)));
    }
    if o.sack_permitted {
        parts.push(t.option_sack());
    }
    if o.timestamp.is_some() {
        parts.push(t.option_timestamps());
    }
    (!parts.is_empty()).then(|| t.explain_options(&parts))
}

/// Index (in the connection) of the first packet from `side` whose flags match.
fn first_index_with(
    packets: &[&PacketRecord],
    side: Side,
    pred: impl Fn(crate::decode::TcpFlags) -> bool,
) -> Option<u32> {
    packets
        .iter()
        .find(|q| q.side() == side && pred(q.flags))
        .map(|q| q.index)
}

/// Index of the first packet from `side` that acknowledges the peer's FIN.
fn first_index_acking_fin(conn: &Connection, packets: &[&PacketRecord], side: Side) -> Option<u32> {
    let peer = conn.dir(side.other());
    peer.fin_seq?;
    packets
        .iter()
        .find(|q| q.side() == side && q.flags.ack() && peer.fin_acked_by(q.ack))
        .map(|q| q.index)
}

#[cfg(test)]
#[path = "explain_tests.rs"]
mod tests;

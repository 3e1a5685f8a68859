//! One paragraph, in plain words, of what a packet does in its conversation: the step of
//! the handshake or teardown it is, what it acknowledges, and which states it changes —
//! e.g. "Step 2 of the three-way handshake: the server acknowledges the client's ISN + 1 =
//! 734888646 and sends its own ISN, 1632166146." The sentences come from [`crate::i18n`].

use super::phases::who;
use crate::flow::{CloseKind, Connection, OpenKind, Side, TcpState};
use crate::i18n::{CloseStep, Lang, Texts};
use crate::session::{PacketRecord, Session};

/// The explanation of packet `packet_index` (an index into `Session::packets`), in English.
pub fn explain(session: &Session, packet_index: u32) -> String {
    explain_in(session, packet_index, Lang::En)
}

/// The explanation of packet `packet_index` in `lang`.
pub fn explain_in(session: &Session, packet_index: u32, lang: Lang) -> String {
    let t = lang.texts();
    let Some(p) = session.packets.get(packet_index as usize) else {
        return String::new();
    };
    let Some(conn) = session.connection(p.stream) else {
        return String::new();
    };
    let packets: Vec<&PacketRecord> = session.connection_packets(p.stream).collect();
    let mut parts = what_it_does(conn, &packets, p, t);
    let changes = state_changes(conn, p, t);
    if !changes.is_empty() {
        parts.push(changes);
    }
    if p.index + 1 == conn.packet_count {
        let end = ending(conn, t);
        if !end.is_empty() {
            parts.push(end);
        }
    }
    let separator = if lang == Lang::ZhCn { "" } else { " " };
    parts.join(separator)
}

/// The sentences about the segment itself.
fn what_it_does(
    conn: &Connection,
    packets: &[&PacketRecord],
    p: &PacketRecord,
    t: &dyn Texts,
) -> Vec<String> {
    let me = who(conn, p.side, t);
    let peer = who(conn, p.side.other(), t);
    let f = p.flags;
    let summary = conn.summary();
    let peer_isn = conn.observer.isn(p.side.other());

    if f.rst() {
        let refused = matches!(summary.open, OpenKind::Refused)
            && !conn.dirs.iter().any(|d| d.syn_ack_count > 0);
        return vec![if refused {
            t.explain_refused(me, peer, conn.endpoint(p.side).port, f.ack())
        } else {
            t.explain_reset(me)
        }];
    }
    if f.syn() && !f.ack() {
        if first_index_with(packets, p.side, |q| q.syn() && !q.ack()) != Some(p.index) {
            return vec![t.explain_syn_again(me, p.seq)];
        }
        let simultaneous = matches!(summary.open, OpenKind::SimultaneousOpen);
        let mut out = vec![t.explain_syn(me, p.seq, simultaneous)];
        out.extend(syn_options(p, t));
        return out;
    }
    if f.syn() && f.ack() {
        let Some(isn) = peer_isn else {
            let mut out = vec![t.explain_syn_ack_unseen(me, p.ack, p.seq)];
            out.extend(syn_options(p, t));
            return out;
        };
        if matches!(summary.open, OpenKind::SimultaneousOpen) {
            return vec![t.explain_syn_ack_simultaneous(me, peer, isn.wrapping_add(1), p.seq)];
        }
        let mut out = vec![t.explain_syn_ack(me, peer, isn.wrapping_add(1), p.seq)];
        out.extend(syn_options(p, t));
        return out;
    }
    let mut parts: Vec<String> = Vec::new();
    let completes_handshake = conn
        .transitions
        .iter()
        .any(|tr| tr.packet == p.index && tr.to == TcpState::Established && tr.side != p.side)
        && !f.fin();
    if completes_handshake {
        parts.push(t.explain_handshake_ack(me, peer, p.ack));
    }
    if p.payload_len > 0 {
        let start = p.rel_seq;
        let end = start.wrapping_add(p.payload_len);
        parts.push(t.explain_data(me, p.payload_len, start, end.wrapping_sub(1), end));
    }
    if f.fin() {
        parts.push(fin_sentence(conn, packets, p, t));
    }
    if f.ack() && !completes_handshake {
        let ack = p.rel_ack.unwrap_or(p.ack);
        let acks_fin = conn
            .observer
            .fin_seq(p.side.other())
            .is_some_and(|fin| crate::flow::seq::seq_ge(p.ack, fin.wrapping_add(1)))
            && first_index_acking_fin(conn, packets, p.side) == Some(p.index);
        if acks_fin {
            parts.push(t.explain_acks_fin(peer, ack));
        } else if p.payload_len == 0 && !f.fin() {
            parts.push(t.explain_acks_data(me, ack));
        } else if ack > 1 {
            // (an ack of 1 acknowledges no data: nothing worth saying)
            parts.push(t.explain_also_acks(peer, ack));
        }
    }
    if parts.is_empty() {
        parts.push(t.explain_other(me, &f.words()));
    }
    parts
}

fn fin_sentence(
    conn: &Connection,
    packets: &[&PacketRecord],
    p: &PacketRecord,
    t: &dyn Texts,
) -> String {
    let me = who(conn, p.side, t);
    let peer = who(conn, p.side.other(), t);
    let close = conn.summary().close;
    if first_index_with(packets, p.side, |f| f.fin()) != Some(p.index) {
        return t.explain_fin_again(me);
    }
    let kind = match close {
        CloseKind::ThreeSegment { .. } => CloseStep::ThreeSegment,
        CloseKind::Simultaneous { .. } => CloseStep::Simultaneous,
        CloseKind::FourWay { .. } => CloseStep::FourWay,
        _ => CloseStep::Other,
    };
    let fin_seq = p.rel_seq.wrapping_add(p.payload_len);
    if close.active_closer() == Some(p.side) {
        t.explain_first_fin(me, peer, kind, fin_seq)
    } else {
        t.explain_second_fin(me, kind, fin_seq)
    }
}

/// "Client: CLOSED → SYN-SENT (sent SYN)." for each side this packet changes.
fn state_changes(conn: &Connection, p: &PacketRecord, t: &dyn Texts) -> String {
    let mut out = Vec::new();
    for side in [conn.client(), conn.server()] {
        let steps: Vec<_> = conn
            .transitions
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
    out.join(" ")
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
        _ if state(c) == TcpState::TimeWait || state(v) == TcpState::TimeWait => {
            let waiter = if state(c) == TcpState::TimeWait { c } else { v };
            t.explain_end_time_wait(who(conn, waiter, t))
        }
        _ => String::new(),
    }
}

fn syn_options(p: &PacketRecord, t: &dyn Texts) -> Option<String> {
    let o = &p.options;
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
        .find(|q| q.side == side && pred(q.flags))
        .map(|q| q.index)
}

/// Index of the first packet from `side` that acknowledges the peer's FIN.
fn first_index_acking_fin(conn: &Connection, packets: &[&PacketRecord], side: Side) -> Option<u32> {
    let fin = conn.observer.fin_seq(side.other())?;
    packets
        .iter()
        .find(|q| {
            q.side == side && q.flags.ack() && crate::flow::seq::seq_ge(q.ack, fin.wrapping_add(1))
        })
        .map(|q| q.index)
}

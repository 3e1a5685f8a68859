//! One paragraph, in plain words, of what a packet does in its conversation: the step of
//! the handshake or teardown it is, what it acknowledges, and which states it changes —
//! e.g. "Step 2 of the three-way handshake: the server acknowledges the client's ISN + 1 =
//! 734888646 and sends its own ISN, 1632166146."

use crate::export::tables::role_name;
use crate::flow::{CloseKind, Connection, OpenKind, Side, TcpState};
use crate::session::{PacketRecord, Session};
use std::fmt::Write;

/// The explanation of packet `packet_index` (an index into `Session::packets`).
pub fn explain(session: &Session, packet_index: u32) -> String {
    let Some(p) = session.packets.get(packet_index as usize) else {
        return String::new();
    };
    let Some(conn) = session.connection(p.stream) else {
        return String::new();
    };
    let packets: Vec<&PacketRecord> = session.connection_packets(p.stream).collect();
    let mut text = what_it_does(conn, &packets, p);
    let changes = state_changes(conn, p);
    if !changes.is_empty() {
        let _ = write!(text, " {changes}");
    }
    if p.index + 1 == conn.packet_count {
        text.push(' ');
        text.push_str(&ending(conn));
    }
    text.trim().to_string()
}

fn cap(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// The sentence about the segment itself.
fn what_it_does(conn: &Connection, packets: &[&PacketRecord], p: &PacketRecord) -> String {
    let me = role_name(conn, p.side);
    let peer = role_name(conn, p.side.other());
    let f = p.flags;
    let summary = conn.summary();
    let peer_isn = conn.observer.isn(p.side.other());
    let first_syn_of_mine = conn.dir(p.side).syn_count > 0
        && first_index_with(packets, p.side, |q| q.syn() && !q.ack()) == Some(p.index);

    if f.rst() {
        if matches!(summary.open, OpenKind::Refused)
            && !conn.dirs.iter().any(|d| d.syn_ack_count > 0)
        {
            return format!(
                "The {me} refuses the connection: nothing accepts connections on port {}, so its TCP answers the SYN with a reset (RST{}). The {peer}'s connect() fails with \"connection refused\".",
                conn.endpoint(p.side).port,
                if f.ack() { ", ACK" } else { "" }
            );
        }
        return format!(
            "The {me} resets the connection (RST): it is aborted at once, without a teardown. Data not yet delivered is lost, and both sides forget the connection."
        );
    }
    if f.syn() && !f.ack() {
        let simultaneous = matches!(summary.open, OpenKind::SimultaneousOpen);
        if !first_syn_of_mine {
            return format!(
                "The {me} sends its SYN again with the same ISN ({}): no SYN+ACK came back in time, so TCP retransmits it, waiting about twice as long each time (exponential backoff).",
                p.seq
            );
        }
        let step = if simultaneous {
            "Simultaneous open: the"
        } else {
            "Step 1 of the three-way handshake: the"
        };
        return format!(
            "{step} {me} asks to open a connection (SYN) and announces its initial sequence number (ISN), {}. Relative numbers count from this ISN, so this SYN is seq 0 and the first data byte will be seq 1.{}",
            p.seq,
            syn_options(p)
        );
    }
    if f.syn() && f.ack() {
        let Some(isn) = peer_isn else {
            return format!(
                "The {me} answers a SYN that was not captured (SYN, ACK): it acknowledges {} and sends its own ISN, {}.{}",
                p.ack,
                p.seq,
                syn_options(p)
            );
        };
        if matches!(summary.open, OpenKind::SimultaneousOpen) {
            return format!(
                "Simultaneous open: the {me} acknowledges the {peer}'s ISN + 1 = {} and repeats its own ISN, {}.",
                isn.wrapping_add(1),
                p.seq
            );
        }
        return format!(
            "Step 2 of the three-way handshake: the {me} acknowledges the {peer}'s ISN + 1 = {} and sends its own ISN, {}.{}",
            isn.wrapping_add(1),
            p.seq,
            syn_options(p)
        );
    }
    let mut parts: Vec<String> = Vec::new();
    let completes_handshake = conn
        .transitions
        .iter()
        .any(|t| t.packet == p.index && t.to == TcpState::Established && t.side != p.side)
        && !f.fin();
    if completes_handshake {
        parts.push(format!(
            "Step 3 of the three-way handshake: the {me} acknowledges the {peer}'s ISN + 1 = {}. The connection is now open in both directions.",
            p.ack
        ));
    }
    if p.payload_len > 0 {
        let start = p.rel_seq;
        let end = start.wrapping_add(p.payload_len);
        parts.push(format!(
            "The {me} sends {} byte{} of data: bytes {start} to {} of its stream (seq {start}; the next segment will start at {end}).",
            p.payload_len,
            if p.payload_len == 1 { "" } else { "s" },
            end.wrapping_sub(1)
        ));
    }
    if f.fin() {
        parts.push(fin_sentence(conn, packets, p, me, peer));
    }
    if f.ack() && !completes_handshake {
        let ack = p.rel_ack.unwrap_or(p.ack);
        let acks_fin = conn
            .observer
            .fin_seq(p.side.other())
            .is_some_and(|fin| crate::flow::seq::seq_ge(p.ack, fin.wrapping_add(1)))
            && first_index_acking_fin(conn, packets, p.side) == Some(p.index);
        if acks_fin {
            parts.push(format!(
                "It acknowledges the {peer}'s FIN: ack {ack} is the FIN's sequence number + 1 (a FIN counts as one byte)."
            ));
        } else if p.payload_len == 0 && !f.fin() {
            parts.push(format!(
                "The {me} acknowledges data: ack {ack} means \"I have everything before byte {ack}; send byte {ack} next\"."
            ));
        } else if ack > 1 {
            // (an ack of 1 acknowledges no data: nothing worth saying)
            parts.push(format!(
                "It also acknowledges everything the {peer} sent before byte {ack}."
            ));
        }
    }
    if parts.is_empty() {
        parts.push(format!("A segment from the {me} with flags {}.", f.words()));
    }
    parts.join(" ")
}

fn fin_sentence(
    conn: &Connection,
    packets: &[&PacketRecord],
    p: &PacketRecord,
    me: &str,
    peer: &str,
) -> String {
    let close = conn.summary().close;
    let first_fin = first_index_with(packets, p.side, |f| f.fin()) == Some(p.index);
    if !first_fin {
        return format!(
            "The {me} sends its FIN again: it was not acknowledged in time (a retransmission)."
        );
    }
    let active = close.active_closer();
    let fin_seq = p.rel_seq.wrapping_add(p.payload_len);
    if active == Some(p.side) {
        let what = match close {
            CloseKind::ThreeSegment { .. } => "Step 1 of a three-segment close",
            CloseKind::Simultaneous { .. } => "Simultaneous close",
            CloseKind::FourWay { .. } => "Step 1 of the four-way teardown",
            _ => "Closing",
        };
        format!(
            "{what}: the {me} has no more data to send and closes its direction (FIN). It can still receive. The FIN takes one sequence number ({fin_seq}), so the {peer} will acknowledge it with {}.",
            fin_seq.wrapping_add(1)
        )
    } else {
        let what = match close {
            CloseKind::ThreeSegment { .. } => "Step 2 of a three-segment close: the",
            CloseKind::FourWay { .. } => "Step 3 of the four-way teardown: the",
            CloseKind::Simultaneous { .. } => "Simultaneous close: the",
            _ => "The",
        };
        format!(
            "{what} {me} closes its own direction too (FIN, seq {fin_seq}), now that its application has called close()."
        )
    }
}

/// "Client: CLOSED → SYN-SENT. Server: LISTEN → SYN-RECEIVED."
fn state_changes(conn: &Connection, p: &PacketRecord) -> String {
    let mut out = Vec::new();
    for side in [conn.client(), conn.server()] {
        let steps: Vec<_> = conn
            .transitions
            .iter()
            .filter(|t| t.packet == p.index && t.side == side)
            .collect();
        let Some(first) = steps.first() else { continue };
        let mut chain = vec![first.from.rfc_name()];
        chain.extend(steps.iter().map(|t| t.to.rfc_name()));
        let why = steps
            .iter()
            .map(|t| t.cause.describe())
            .collect::<Vec<_>>()
            .join(", then ");
        out.push(format!(
            "{}: {} ({why}).",
            cap(role_name(conn, side)),
            chain.join(" → ")
        ));
    }
    out.join(" ")
}

/// What the end of the capture leaves behind, said at the last packet.
fn ending(conn: &Connection) -> String {
    let s = conn.summary();
    let state = |side: Side| s.final_state(side);
    let (c, v) = (conn.client(), conn.server());
    match s.close {
        CloseKind::HalfClosedAtEnd { active } => format!(
            "This is the last packet captured: the {} stays in {} (it closed and waits for the peer's FIN) and the {} stays in {} (it has received the FIN but its application has not closed yet). This is the half-closed connection the netstat lesson shows.",
            role_name(conn, active),
            state(active),
            role_name(conn, active.other()),
            state(active.other())
        ),
        CloseKind::StillOpen => {
            "This is the last packet captured: the connection is still open.".to_string()
        }
        _ if state(c) == TcpState::TimeWait || state(v) == TcpState::TimeWait => {
            let waiter = if state(c) == TcpState::TimeWait { c } else { v };
            format!(
                "The {} now waits in TIME-WAIT (twice the maximum segment lifetime, 60 s on Linux) in case its last ACK was lost and the FIN comes again.",
                role_name(conn, waiter)
            )
        }
        _ => String::new(),
    }
}

fn syn_options(p: &PacketRecord) -> String {
    let o = &p.options;
    let mut parts = Vec::new();
    if let Some(mss) = o.mss {
        parts.push(format!("segments of at most {mss} bytes (MSS)"));
    }
    if let Some(ws) = o.window_scale {
        parts.push(format!("window scaling ×{}", 1u64 << ws.min(14)));
    }
    if o.sack_permitted {
        parts.push("selective acknowledgements (SACK)".to_string());
    }
    if o.timestamp.is_some() {
        parts.push("timestamps".to_string());
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!(" It offers {}.", parts.join(", "))
    }
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

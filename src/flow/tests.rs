//! Situations from TCP-RULES.md §1–5, built segment by segment.
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use super::*;
use crate::capture::Timestamp;
use crate::decode::TcpFlags;
use crate::decode::tcp::OptionSummary;
use std::net::{IpAddr, Ipv4Addr};

const S: u16 = TcpFlags::SYN;
const A: u16 = TcpFlags::ACK;
const F: u16 = TcpFlags::FIN;
const R: u16 = TcpFlags::RST;
const P: u16 = TcpFlags::PSH;

fn ep(last: u8, port: u16) -> Endpoint {
    Endpoint {
        addr: IpAddr::V4(Ipv4Addr::new(10, 0, 0, last)),
        port,
    }
}

/// A template segment from the client 10.0.0.1:40000 to the server 10.0.0.2:80.
fn template() -> Segment {
    Segment {
        frame: 0,
        ts: Timestamp::default(),
        src: ep(1, 40000),
        dst: ep(2, 80),
        seq: 0,
        ack: 0,
        flags: TcpFlags(0),
        window: 1000,
        payload_len: 0,
        frame_len: 60,
        interface: 0,
        options: OptionSummary::default(),
        analyzable: true,
    }
}

/// Feed (from_client, flags, seq, ack, len) tuples; returns the table.
fn run(segments: &[(bool, u16, u32, u32, u32)]) -> (Vec<Connection>, Vec<Placement>) {
    let mut table = FlowTable::new();
    let mut placements = Vec::new();
    for (i, &(from_client, flags, seq, ack, len)) in segments.iter().enumerate() {
        let one = between(
            template().src,
            from_client,
            (flags, seq, ack, len),
            i as i64,
        );
        placements.push(table.observe(&Segment {
            frame: i as u64 + 1,
            ..one
        }));
    }
    (table.finish(), placements)
}

const C: bool = true;
const SV: bool = false;

/// Handshake with client ISN 100, server ISN 500.
fn handshake() -> Vec<(bool, u16, u32, u32, u32)> {
    vec![
        (C, S, 100, 0, 0),
        (SV, S | A, 500, 101, 0),
        (C, A, 101, 501, 0),
    ]
}

fn close_of(segments: &[(bool, u16, u32, u32, u32)]) -> CloseKind {
    let mut all = handshake();
    all.extend_from_slice(segments);
    run(&all).0[0].summary().close
}

#[test]
fn syn_with_a_new_isn_on_a_used_pair_starts_a_new_connection() {
    let mut segs = handshake();
    segs.extend([
        (C, F | A, 101, 501, 0),
        (SV, F | A, 501, 102, 0),
        (C, A, 102, 502, 0),
    ]);
    segs.push((C, S, 9000, 0, 0)); // port reuse: new ISN
    let (conns, placements) = run(&segs);
    assert_eq!(conns.len(), 2);
    assert_eq!(placements.last().unwrap().stream, 1);
    assert!(placements.last().unwrap().reused_ports);
    assert_eq!(placements.last().unwrap().rel_seq, 0);
}

#[test]
fn syn_with_the_same_isn_is_a_retransmission_of_the_same_connection() {
    let (conns, placements) = run(&[(C, S, 100, 0, 0), (C, S, 100, 0, 0), (C, S, 100, 0, 0)]);
    assert_eq!(conns.len(), 1);
    assert!(placements.iter().all(|p| p.stream == 0 && !p.reused_ports));
    assert_eq!(conns[0].summary().open, OpenKind::NoAnswer { syns: 3 });
    assert_eq!(conns[0].summary().conn_state, ConnState::S0);
}

#[test]
fn roles_come_from_the_syn_ack_when_the_syn_was_not_captured() {
    let (conns, _) = run(&[(SV, S | A, 500, 101, 0), (C, A, 101, 501, 0)]);
    let c = &conns[0];
    // The first packet came from the server, yet it is recognised as the server.
    assert!(c.roles_known());
    assert_eq!(c.endpoint(c.client()), ep(1, 40000));
    assert_eq!(c.role_source, RoleSource::SynAck);
    assert!(
        c.summary().history.starts_with('^'),
        "{}",
        c.summary().history
    );
}

#[test]
fn roles_are_unknown_mid_stream_and_numbers_start_at_one() {
    let (conns, placements) = run(&[
        (SV, A | P, 7000, 3000, 10),
        (C, A, 3000, 7010, 0),
        (SV, A | P, 7010, 3000, 5),
    ]);
    let c = &conns[0];
    assert!(!c.roles_known());
    assert_eq!(
        c.endpoint(c.client()),
        ep(2, 80),
        "A is the sender of the first packet"
    );
    // Wireshark: base = first seq - 1, and the other side's base = first ack - 1.
    assert_eq!((placements[0].rel_seq, placements[0].rel_ack), (1, Some(1)));
    assert_eq!(
        (placements[1].rel_seq, placements[1].rel_ack),
        (1, Some(11))
    );
    assert_eq!(placements[2].rel_seq, 11);
    assert_eq!(c.summary().open, OpenKind::AlreadyOpen);
    assert_eq!(c.summary().conn_state, ConnState::OTH);
}

#[test]
fn relative_numbers_survive_an_isn_near_two_to_the_32() {
    let isn = u32::MAX - 5;
    let (_, placements) = run(&[
        (C, S, isn, 0, 0),
        (SV, S | A, 7, isn.wrapping_add(1), 0),
        (C, A | P, isn.wrapping_add(1), 8, 100),
        (SV, A, 8, isn.wrapping_add(101), 0),
    ]);
    assert_eq!(placements[2].rel_seq, 1);
    assert_eq!(placements[3].rel_ack, Some(101));
}

#[test]
fn ack_is_absent_when_the_ack_flag_is_clear() {
    let (_, placements) = run(&[(C, S, 100, 12345, 0)]);
    assert_eq!(placements[0].rel_ack, None);
}

#[test]
fn four_way_teardown_client_closes_first() {
    let close = close_of(&[
        (C, F | A, 101, 501, 0),
        (SV, A, 501, 102, 0),
        (SV, F | A, 501, 102, 0),
        (C, A, 102, 502, 0),
    ]);
    assert_eq!(close, CloseKind::FourWay { active: Side::A });
}

#[test]
fn three_segment_close_when_the_fin_carries_the_ack() {
    let close = close_of(&[
        (C, F | A, 101, 501, 0),
        (SV, F | A, 501, 102, 0),
        (C, A, 102, 502, 0),
    ]);
    assert_eq!(close, CloseKind::ThreeSegment { active: Side::A });
}

#[test]
fn simultaneous_close_when_the_fins_cross() {
    let segs = [
        (C, F | A, 101, 501, 0),
        (SV, F | A, 501, 101, 0),
        (C, A, 102, 502, 0),
        (SV, A, 502, 102, 0),
    ];
    let mut all = handshake();
    all.extend_from_slice(&segs);
    let (conns, _) = run(&all);
    assert_eq!(
        conns[0].summary().close,
        CloseKind::Simultaneous { first: Side::A }
    );
    assert_eq!(
        conns[0].summary().final_states.0,
        [TcpState::TimeWait, TcpState::TimeWait]
    );
}

#[test]
fn half_close_when_data_follows_the_first_fin() {
    let close = close_of(&[
        (C, F | A, 101, 501, 0),
        (SV, A, 501, 102, 0),
        (SV, A | P, 501, 102, 100),
        (C, A, 102, 601, 0),
        (SV, F | A, 601, 102, 0),
        (C, A, 102, 602, 0),
    ]);
    assert_eq!(close, CloseKind::HalfClose { active: Side::A });
}

#[test]
fn reset_names_who_sent_it() {
    let close = close_of(&[(SV, R | A, 501, 101, 0)]);
    assert_eq!(close, CloseKind::Reset { by: Side::B });
}

#[test]
fn half_closed_at_end_leaves_fin_wait_2_and_close_wait() {
    let mut all = handshake();
    all.extend([(C, F | A, 101, 501, 0), (SV, A, 501, 102, 0)]);
    let (conns, _) = run(&all);
    let s = conns[0].summary();
    assert_eq!(s.close, CloseKind::HalfClosedAtEnd { active: Side::A });
    assert_eq!(s.final_states.0, [TcpState::FinWait2, TcpState::CloseWait]);
    assert_eq!(s.conn_state, ConnState::S2);
}

#[test]
fn still_open_without_fin_or_rst() {
    assert_eq!(close_of(&[(C, A | P, 101, 501, 5)]), CloseKind::StillOpen);
}

#[test]
fn refused_connection_is_rej_and_the_server_was_closed() {
    let (conns, _) = run(&[(C, S, 100, 0, 0), (SV, R | A, 0, 101, 0)]);
    let s = conns[0].summary();
    assert_eq!(s.open, OpenKind::Refused);
    assert_eq!(s.conn_state, ConnState::REJ);
    assert_eq!(
        [Side::A, Side::B].map(|side| conns[0].observer().initial(side)),
        [TcpState::Closed, TcpState::Closed]
    );
}

// --- analysis rule edges (TCP-RULES.md §7) ---

/// (milliseconds, from client, flags, seq, ack, len, window).
type Timed = (i64, bool, u16, u32, u32, u32, u16);

fn analyse(segments: &[Timed]) -> Vec<Analysis> {
    let mut table = FlowTable::new();
    segments
        .iter()
        .enumerate()
        .map(|(i, &(ms, from_client, flags, seq, ack, len, window))| {
            let t = template();
            let (src, dst) = if from_client {
                (t.src, t.dst)
            } else {
                (t.dst, t.src)
            };
            table
                .observe(&Segment {
                    frame: i as u64 + 1,
                    ts: Timestamp::from_parts(ms / 1000, (ms % 1000) as u32 * 1_000_000),
                    src,
                    dst,
                    seq,
                    ack,
                    flags: TcpFlags(flags),
                    window,
                    payload_len: len,
                    ..t
                })
                .analysis
        })
        .collect()
}

#[test]
fn keep_alive_beats_retransmission() {
    // One byte at next_seq - 1: a keep-alive, although it does not advance the sequence.
    let a = analyse(&[
        (0, C, S, 100, 0, 0, 1000),
        (10, SV, S | A, 500, 101, 0, 1000),
        (20, C, A, 101, 501, 0, 1000),
        (30, C, A | P, 101, 501, 10, 1000),
        (40, SV, A, 501, 111, 0, 1000),
        (50, C, A, 110, 501, 1, 1000),
    ]);
    assert!(a[5].flags.has(Flag::KeepAlive));
    assert!(!a[5].flags.has(Flag::Retransmission));
}

#[test]
fn syn_windows_are_never_scaled_and_scaling_needs_both_syns() {
    let mut table = FlowTable::new();
    let t = template();
    let mut syn = Segment {
        flags: TcpFlags(S),
        seq: 100,
        window: 29200,
        ..t
    };
    syn.options.window_scale = Some(7);
    table.observe(&syn);
    let mut synack = Segment {
        src: t.dst,
        dst: t.src,
        flags: TcpFlags(S | A),
        seq: 500,
        ack: 101,
        window: 28960,
        ..t
    };
    synack.options.window_scale = Some(7);
    table.observe(&synack);
    let conn = &table.connection(0).unwrap();
    assert_eq!(
        conn.analyzer.scale(Side::A),
        analysis::WindowScale::Shift(7)
    );
    // Without the option in the SYN+ACK, neither side scales.
    let mut table = FlowTable::new();
    table.observe(&syn);
    synack.options.window_scale = None;
    table.observe(&synack);
    assert_eq!(
        table.connection(0).unwrap().analyzer.scale(Side::A),
        analysis::WindowScale::NotUsed
    );
}

#[test]
fn duplicate_ack_requires_an_unchanged_window() {
    let base = [
        (0, C, S, 100, 0, 0, 1000),
        (10, SV, S | A, 500, 101, 0, 1000),
        (20, C, A, 101, 501, 0, 1000),
        (30, SV, A | P, 501, 101, 100, 1000),
        (40, C, A, 101, 601, 0, 1000),
    ];
    let mut same = base.to_vec();
    same.push((50, C, A, 101, 601, 0, 1000));
    let a = analyse(&same);
    assert!(a[5].flags.has(Flag::DuplicateAck));
    assert_eq!((a[5].dup_ack_num, a[5].dup_ack_frame), (1, 5));
    let mut changed = base.to_vec();
    changed.push((60, C, A, 101, 601, 0, 2000));
    let a = analyse(&changed);
    assert!(!a[5].flags.has(Flag::DuplicateAck));
    assert!(a[5].flags.has(Flag::WindowUpdate));
}

#[test]
fn a_gap_is_a_lost_segment_and_old_bytes_soon_after_are_out_of_order() {
    let a = analyse(&[
        (0, C, S, 100, 0, 0, 1000),
        (10, SV, S | A, 500, 101, 0, 1000),
        (20, C, A, 101, 501, 0, 1000),
        (30, C, A, 201, 501, 100, 1000),
        (40, C, A, 101, 501, 100, 1000),
    ]);
    assert!(a[3].flags.has(Flag::LostSegment));
    // The old bytes 10 ms later, within the 20 ms handshake RTT: reordered, not resent.
    assert!(a[4].flags.has(Flag::OutOfOrder));
    assert!(!a[4].flags.has(Flag::Retransmission));
}

#[test]
fn resending_old_bytes_after_more_than_a_round_trip_is_a_retransmission() {
    let a = analyse(&[
        (0, C, S, 100, 0, 0, 1000),
        (10, SV, S | A, 500, 101, 0, 1000),
        (20, C, A, 101, 501, 0, 1000),
        (30, C, A, 201, 501, 100, 1000),
        (330, C, A, 101, 501, 100, 1000),
    ]);
    assert!(a[4].flags.has(Flag::Retransmission));
    assert_eq!(
        a[4].retransmits_frame, 4,
        "it resends what came before frame 4's bytes"
    );
}

#[test]
fn zero_window_then_probe_then_probe_ack() {
    let a = analyse(&[
        (0, C, S, 100, 0, 0, 1000),
        (10, SV, S | A, 500, 101, 0, 1000),
        (20, C, A, 101, 501, 0, 1000),
        (30, C, A | P, 101, 501, 100, 1000),
        (40, SV, A, 501, 201, 0, 0),
        (50, C, A, 201, 501, 1, 1000),
        (60, SV, A, 501, 201, 0, 0),
    ]);
    assert!(a[4].flags.has(Flag::ZeroWindow));
    assert!(a[5].flags.has(Flag::ZeroWindowProbe));
    assert!(a[6].flags.has(Flag::ZeroWindowProbeAck));
}

// --- the state machine against RFC 9293 (issue 16) ---

#[test]
fn rst_in_syn_received_from_listen_returns_to_listen() {
    // RFC 9293 §3.10.7.4: a RST in SYN-RECEIVED that came from a passive OPEN returns
    // the endpoint to LISTEN, not CLOSED.
    let (conns, _) = run(&[
        (C, S, 100, 0, 0),
        (SV, S | A, 500, 101, 0),
        (C, R, 101, 0, 0),
    ]);
    let conn = &conns[0];
    assert_eq!(conn.observer().state(Side::B), TcpState::Listen);
    let last = conn.transitions.last().unwrap();
    assert_eq!(
        (last.side, last.from, last.to, last.cause),
        (
            Side::B,
            TcpState::SynReceived,
            TcpState::Listen,
            Cause::ReceivedRst
        )
    );
}

#[test]
fn rst_in_syn_received_after_a_simultaneous_open_closes() {
    // Not a passive open: the RFC's "active OPEN" case, back to CLOSED.
    let (conns, _) = run(&[(C, S, 100, 0, 0), (SV, S, 500, 0, 0), (C, R, 101, 0, 0)]);
    assert_eq!(conns[0].observer().state(Side::B), TcpState::Closed);
}

#[test]
fn fin_from_syn_sent_is_noted_as_a_missed_packet_not_an_edge() {
    // The SYN, ACK that took the client to ESTABLISHED was not captured; SYN-SENT has
    // no edge to FIN-WAIT-1.
    let (conns, _) = run(&[(C, S, 100, 0, 0), (C, F | A, 101, 501, 0)]);
    let conn = &conns[0];
    assert!(
        !conn
            .transitions
            .iter()
            .any(|t| t.from == TcpState::SynSent && t.to == TcpState::FinWait1),
        "{:?}",
        conn.transitions
    );
    assert_eq!(
        conn.observer().missed(),
        vec![MissedPacket {
            packet: 1,
            side: Side::A,
            state: TcpState::SynSent
        }]
    );
}

#[test]
fn unanswered_syn_never_opened() {
    let (conns, _) = run(&[(C, S, 100, 0, 0), (C, S, 100, 0, 0)]);
    let s = conns[0].summary();
    assert_eq!(s.open, OpenKind::NoAnswer { syns: 2 });
    assert_eq!(s.close, CloseKind::NeverOpened);
}

// --- ACKed unseen segment (tshark 4.0.17 runs of hand-made captures, see below) ---
//
// Each case: client ISN 1000, server ISN 5000, the client sends 100 bytes (frame 4),
// the server acknowledges 200 (frame 5: the client's bytes 101..200 were never seen).
// tshark 4.0.17 flagged exactly the frames asserted below ("ACKed segment that wasn't
// captured"); the old rule (flag every time, max-seq-to-be-acked := next seq) flagged
// every later ACK beyond it too.

fn acked_unseen_start() -> Vec<Timed> {
    vec![
        (0, C, S, 1000, 0, 0, 1000),
        (1, SV, S | A, 5000, 1001, 0, 1000),
        (2, C, A, 1001, 5001, 0, 1000),
        (3, C, A | P, 1001, 5001, 100, 1000),
        (4, SV, A, 5001, 1201, 0, 1000),
    ]
}

fn acked_unseen_flags(rest: &[Timed]) -> Vec<bool> {
    let mut all = acked_unseen_start();
    all.extend_from_slice(rest);
    analyse(&all)
        .iter()
        .map(|a| a.flags.has(Flag::AckLostSegment))
        .collect()
}

#[test]
fn acked_unseen_segment_is_flagged_once_while_the_sender_stays_silent() {
    // tshark frames 5 (flagged) and 6 (ack 301 relative: not flagged again).
    let f = acked_unseen_flags(&[(5, SV, A, 5001, 1301, 0, 1000)]);
    assert_eq!(f, [false, false, false, false, true, false]);
}

#[test]
fn acked_unseen_segment_is_not_flagged_again_after_a_duplicate_ack_of_the_sender() {
    // tshark: frame 6 is "Duplicate ACK (#1)" (the -1 counter becomes 1), frame 7 unflagged.
    let mut all = acked_unseen_start();
    all.extend_from_slice(&[
        (5, C, A, 1101, 5001, 0, 1000),
        (6, SV, A, 5001, 1301, 0, 1000),
    ]);
    let a = analyse(&all);
    assert!(a[5].flags.has(Flag::DuplicateAck));
    assert_eq!(a[5].dup_ack_num, 1);
    assert!(!a[6].flags.has(Flag::AckLostSegment));
}

#[test]
fn acked_unseen_segment_is_flagged_again_after_the_sender_acknowledges_something_new() {
    // tshark frames 6 (server data), 7 (client acks it: its counter resets), 8 flagged.
    let f = acked_unseen_flags(&[
        (5, SV, A | P, 5001, 1201, 10, 1000),
        (6, C, A, 1101, 5011, 0, 1000),
        (7, SV, A, 5011, 1301, 0, 1000),
    ]);
    assert_eq!(f, [false, false, false, false, true, false, false, true]);
}

#[test]
fn acked_unseen_segment_is_flagged_again_when_the_sender_skipped_ahead() {
    // tshark frames 6 (previous segment not captured, seq 301) and 7 (ack 501): flagged.
    let f = acked_unseen_flags(&[
        (5, C, A | P, 1301, 5001, 100, 1000),
        (6, SV, A, 5001, 1501, 0, 1000),
    ]);
    assert_eq!(f, [false, false, false, false, true, false, true]);
}

#[test]
fn acked_unseen_segment_is_not_flagged_on_a_retransmission_behind_it() {
    // tshark frames 6 (spurious retransmission of 1..101) and 7 (ack 401): not flagged.
    let mut all = acked_unseen_start();
    all.extend_from_slice(&[
        (5, C, A | P, 1101, 5001, 100, 1000),
        (6, SV, A, 5001, 1401, 0, 1000),
    ]);
    let a = analyse(&all);
    assert!(a[5].flags.has(Flag::SpuriousRetransmission));
    assert!(!a[6].flags.has(Flag::AckLostSegment));
}

#[test]
fn after_an_acked_unseen_segment_a_quick_resend_is_a_fast_retransmission() {
    // tshark: the -1 counter reads as "at least two duplicate ACKs" (unsigned), so the
    // server's resend 1 ms later at the client's last ack is a fast retransmission.
    let mut all = acked_unseen_start();
    all.extend_from_slice(&[
        (5, SV, A | P, 5001, 1201, 10, 1000),
        (6, SV, A | P, 5001, 1201, 10, 1000),
    ]);
    let a = analyse(&all);
    assert!(a[6].flags.has(Flag::FastRetransmission));
    assert!(a[6].flags.has(Flag::Retransmission));
}

/// One segment between `client` and the server 10.0.0.2:80, at `secs`.
fn between(
    client: Endpoint,
    from_client: bool,
    (flags, seq, ack, len): (u16, u32, u32, u32),
    secs: i64,
) -> Segment {
    let t = template();
    let (src, dst) = if from_client {
        (client, t.dst)
    } else {
        (t.dst, client)
    };
    Segment {
        ts: Timestamp::from_parts(secs, 0),
        src,
        dst,
        seq,
        ack,
        flags: TcpFlags(flags),
        payload_len: len,
        ..t
    }
}

/// Every row of `table` after it places `segments`, calling `check` after each one.
fn rows_of(
    mut table: FlowTable,
    segments: &[Segment],
    check: &mut dyn FnMut(usize, &FlowTable),
) -> Vec<String> {
    for (i, seg) in segments.iter().enumerate() {
        table.observe(seg);
        check(i + 1, &table);
    }
    let mut rows = Vec::new();
    table.finish_rows().walk(|c| rows.push(row_of(c))).unwrap();
    rows
}

/// The index keeps only a hash of a set-aside connection's four-tuple: when the hashes
/// of different four-tuples match, the one read back is compared and put aside again,
/// and the packet finds its own connection. Every four-tuple here has the same hash;
/// each connection closes (and is set aside), then gets a late FIN and ACK, and one
/// four-tuple is reused.
#[test]
fn set_aside_connections_with_the_same_hash_are_told_apart() {
    let clients: Vec<Endpoint> = (0..5).map(|i| ep(3, 50000 + i)).collect();
    let mut segments = Vec::new();
    for (i, &client) in clients.iter().enumerate() {
        let (c, s) = (100 * i as u32, 10_000 + 100 * i as u32);
        segments.extend([
            between(client, C, (S, c, 0, 0), 1),
            between(client, SV, (S | A, s, c + 1, 0), 1),
            between(client, C, (A | P, c + 1, s + 1, 5), 1),
            between(client, C, (F | A, c + 6, s + 1, 0), 2),
            between(client, SV, (F | A, s + 1, c + 7, 0), 2),
            between(client, C, (A, c + 7, s + 2, 0), 2),
        ]);
    }
    for (i, &client) in clients.iter().enumerate().rev() {
        let (c, s) = (100 * i as u32, 10_000 + 100 * i as u32);
        segments.extend([
            between(client, SV, (F | A, s + 1, c + 7, 0), 3),
            between(client, C, (A, c + 7, s + 2, 0), 3),
        ]);
    }
    segments.push(between(clients[2], C, (S, 77_000, 0, 0), 4));
    segments.push(between(clients[4], C, (A, 407, 10_402, 0), 5));
    for (i, seg) in segments.iter_mut().enumerate() {
        seg.frame = i as u64 + 1;
    }
    let kept = rows_of(FlowTable::new(), &segments, &mut |_, _| {});
    assert_eq!(kept.len(), clients.len() + 1, "one four-tuple reused");
    // Entries in memory, and in runs on disk (of one entry, and of two).
    for recent_max in [usize::MAX, 1, 2] {
        let mut set_aside = 0;
        let table = FlowTable::for_rows_colliding(recent_max);
        let colliding = rows_of(table, &segments, &mut |_, t| {
            set_aside = set_aside.max(
                (0..t.len() as u32)
                    .filter(|&s| t.connection(s).is_none())
                    .count(),
            );
        });
        assert!(set_aside >= 4, "connections were set aside ({set_aside})");
        assert_eq!(colliding, kept, "{recent_max}");
    }
}

/// What a `flows` row shows of a connection, as one comparable string.
fn row_of(c: &Connection) -> String {
    format!(
        "{} {:?} {:?} {} {} {:?} {:?}",
        serde_json::to_string(&c.summary()).unwrap(),
        c.dir(Side::A),
        c.dir(Side::B),
        c.packet_count(),
        c.duration(),
        c.handshake_rtt(),
        Flag::ALL.map(|f| c.flag_count(f)),
    )
}

/// A table built for rows sets finished connections aside and reads them back when a
/// late packet comes: every row is the one a table that keeps everything in memory
/// gives. Connections: one closed and then hit by a late retransmitted FIN and its ACK
/// (were it not read back, those would start a new connection), its four-tuple reused,
/// and one left quiet (set aside by a sweep) that later goes on.
#[test]
fn rows_table_sets_finished_connections_aside_and_reads_them_back() {
    let (quiet, closer) = (ep(3, 50000), ep(1, 40000));
    let mut segments = vec![
        between(quiet, C, (S, 7000, 0, 0), 0),
        between(quiet, SV, (S | A, 9000, 7001, 0), 0),
        between(quiet, C, (A | P, 7001, 9001, 10), 0),
        between(closer, C, (S, 100, 0, 0), 1),
        between(closer, SV, (S | A, 500, 101, 0), 1),
        between(closer, C, (A | P, 101, 501, 5), 1),
        between(closer, SV, (A, 501, 106, 0), 1),
        between(closer, C, (F | A, 106, 501, 0), 2),
        between(closer, SV, (A, 501, 107, 0), 2),
        between(closer, SV, (F | A, 501, 107, 0), 2),
        between(closer, C, (A, 107, 502, 0), 2),
    ];
    let closed_at = segments.len();
    segments.extend([
        between(closer, SV, (F | A, 501, 107, 0), 3),
        between(closer, C, (A, 107, 502, 0), 3),
        between(closer, C, (S, 90_000, 0, 0), 4),
        between(closer, SV, (R | A, 0, 90_001, 0), 4),
    ]);
    // Enough traffic on other connections for a sweep, well after the quiet one's last.
    for i in 0..(1u32 << 16) {
        let port = 1000 + (i % 2000) as u16;
        segments.push(between(ep(4, port), C, (A, i, 1, 0), 100));
    }
    let before_quiet_goes_on = segments.len();
    segments.push(between(quiet, SV, (A | P, 9001, 7011, 20), 200));
    for (i, seg) in segments.iter_mut().enumerate() {
        seg.frame = i as u64 + 1;
    }

    let kept = rows_of(FlowTable::new(), &segments, &mut |_, t| {
        assert!((0..t.len() as u32).all(|s| t.connection(s).is_some()));
    });
    assert_eq!(kept.len(), 2003);
    // The directory's entries in memory, and written to runs on disk every 1 and 3.
    for table in [
        FlowTable::for_rows(),
        FlowTable::for_rows_with_runs_of(1),
        FlowTable::for_rows_with_runs_of(3),
    ] {
        let (mut closed_aside, mut quiet_aside) = (false, false);
        let aside = rows_of(table, &segments, &mut |n, t| {
            if n == closed_at {
                closed_aside = t.connection(1).is_none();
            }
            if n == before_quiet_goes_on {
                quiet_aside = t.connection(0).is_none();
            }
        });
        assert!(closed_aside, "a closed connection is set aside");
        assert!(quiet_aside, "a quiet connection is set aside by a sweep");
        assert_eq!(aside, kept);
    }
}

//! Stream graph data without a window. Expected values are read off the samples by hand
//! (their tcpdump lines are in tests/reference/samples/).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use crate::common;
use common::*;
use tcp_ladder::flow::Side;
use tcp_ladder::graphs::{nearest, stream_graphs};
use tcp_ladder::session::{LoadControl, Session};

fn load(name: &str) -> Session {
    Session::load_path(&repo().join("samples").join(name), &LoadControl::default()).unwrap()
}

fn frame_of(s: &Session, packet: u32) -> u64 {
    s.packets[packet as usize].frame()
}

#[test]
fn time_sequence_graph_shows_the_retransmission_the_ack_jump_and_sack_blocks() {
    let s = load("lost-segment-fast-retransmit.pcapng");
    let conn = s.connection(0).unwrap();
    let g = stream_graphs(&s, 0, conn.server());
    let retransmitted: Vec<_> = g.segments.iter().filter(|b| b.retransmission).collect();
    assert_eq!(retransmitted.len(), 1);
    // Frame 50 resends bytes 36201..37649 (tcpdump: seq 36201:37649 relative).
    assert_eq!(frame_of(&s, retransmitted[0].packet), 50);
    assert_eq!(
        (retransmitted[0].start, retransmitted[0].end),
        (36201.0, 37649.0)
    );
    // The receiver's ACK stays at 36201 through the duplicates, then jumps to 43441.
    let acks: Vec<(u64, f64)> = g
        .acks
        .iter()
        .map(|p| (frame_of(&s, p.packet), p.value))
        .collect();
    assert!(acks.contains(&(49, 36201.0)));
    assert!(acks.contains(&(51, 43441.0)));
    // The SACK blocks of frame 49 cover 37649..43441.
    assert!(
        g.sacks
            .iter()
            .any(|b| frame_of(&s, b.packet) == 49 && b.start == 37649.0 && b.end == 43441.0)
    );
}

#[test]
fn rtt_of_the_github_request_is_the_seed_s_290_ms() {
    let s = load("seed-github.pcapng");
    let conn = s.connection(0).unwrap();
    let g = stream_graphs(&s, 0, conn.client());
    // GET sent at 16:17:59.103634, acknowledged by the reply at 16:17:59.393901.
    let get = g
        .rtt_ms
        .iter()
        .find(|p| frame_of(&s, p.packet) == 5)
        .unwrap();
    assert!((get.value - 290.267).abs() < 0.001, "{}", get.value);
}

#[test]
fn rtt_leaves_out_retransmitted_segments() {
    let s = load("timeout-retransmission.pcapng");
    let conn = s.connection(0).unwrap();
    let g = stream_graphs(&s, 0, conn.client());
    // The segment first sent in frame 4 and resent in frame 5 gives no RTT sample, so no
    // sample is as long as the 220 ms timeout.
    assert!(!g.rtt_ms.is_empty());
    assert!(g.rtt_ms.iter().all(|p| p.value < 200.0), "{:?}", g.rtt_ms);
}

#[test]
fn window_graph_shows_the_zero_window_and_its_reopening() {
    let s = load("zero-window.pcapng");
    let conn = s.connection(0).unwrap();
    let g = stream_graphs(&s, 0, conn.client());
    let zero_at = g
        .receive_window
        .iter()
        .position(|p| p.value == 0.0)
        .expect("a zero window");
    assert_eq!(frame_of(&s, g.receive_window[zero_at].packet), 45);
    assert!(
        g.receive_window[zero_at..]
            .iter()
            .any(|p| p.value > 0.0 && frame_of(&s, p.packet) == 52)
    );
    assert!(g.bytes_in_flight.iter().all(|p| p.value >= 0.0));
    assert!(!g.throughput.is_empty() && g.throughput.iter().all(|p| p.value > 0.0));
}

#[test]
fn clicking_near_a_point_selects_its_packet() {
    let s = load("lost-segment-fast-retransmit.pcapng");
    let g = stream_graphs(&s, 0, Side::B);
    let target = g.acks[g.acks.len() / 2];
    assert_eq!(
        nearest(&g.acks, target.t, target.value + 1.0, 0.01, 1000.0),
        Some(target.packet)
    );
}

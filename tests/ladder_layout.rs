//! The ladder model (no window): rows, arrow directions, state boxes and band titles for
//! the teaching samples. Each expectation is what RFC 9293's figures and TCP-RULES.md say
//! the diagram must show, written down by hand.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use crate::common;
use common::*;
use tcp_ladder::flow::TcpState::{self, *};
use tcp_ladder::ladder::{LadderOptions, LaneSide, Row, layout};
use tcp_ladder::session::{LoadControl, Session};

fn ladder(sample: &str, stream: u32) -> tcp_ladder::ladder::Ladder {
    let session = Session::load_path(
        &repo().join("samples").join(sample),
        &LoadControl::default(),
    )
    .unwrap();
    layout(&session, stream, &LadderOptions::default())
}

/// (direction, flags, states on the left lane, states on the right lane) of each row.
type Expect<'a> = (LaneSide, &'a str, &'a [TcpState], &'a [TcpState]);

fn check(sample: &str, stream: u32, initial: [TcpState; 2], rows: &[Expect<'_>], bands: &[&str]) {
    let l = ladder(sample, stream);
    assert_eq!(
        [l.lanes[0].initial_state, l.lanes[1].initial_state],
        initial,
        "{sample}: initial states"
    );
    assert_eq!(l.rows.len(), rows.len(), "{sample}: row count");
    for (i, (row, (from, flags, left, right))) in l.rows.iter().zip(rows).enumerate() {
        let Row::Packet(a) = row else {
            panic!("{sample} row {i}: collapsed")
        };
        assert_eq!(a.from, *from, "{sample} row {i}: direction");
        assert_eq!(a.flags, *flags, "{sample} row {i}: flags");
        for (lane, want) in [(LaneSide::Left, left), (LaneSide::Right, right)] {
            let got: Vec<TcpState> = a
                .states
                .iter()
                .filter(|b| b.lane == lane)
                .flat_map(|b| b.transitions.iter().map(|t| t.to))
                .collect();
            assert_eq!(&got, want, "{sample} row {i} ({flags}): states on {lane:?}");
        }
    }
    let titles: Vec<&str> = l.bands.iter().map(|b| b.title.as_str()).collect();
    assert_eq!(titles.len(), bands.len(), "{sample}: bands {titles:?}");
    for (got, want) in titles.iter().zip(bands) {
        assert!(
            got.starts_with(want),
            "{sample}: band {got:?} should start with {want:?}"
        );
    }
}

use LaneSide::{Left as L, Right as R};

#[test]
fn three_way_handshake_then_half_closed_at_end_of_capture() {
    // The seed: client FIN, server ACK, then nothing: FIN-WAIT-2 and CLOSE-WAIT remain.
    check(
        "seed-handshake-client.pcapng",
        1,
        [Closed, Listen],
        &[
            (L, "SYN", &[SynSent], &[SynReceived]),
            (R, "SYN, ACK", &[Established], &[]),
            (L, "ACK", &[], &[Established]),
            (L, "FIN, ACK", &[FinWait1], &[CloseWait]),
            (R, "ACK", &[FinWait2], &[]),
        ],
        &[
            "Three-way handshake",
            "Half-closed: server still in CLOSE-WAIT at end of capture",
        ],
    );
}

#[test]
fn four_way_teardown_server_closes_first() {
    let l = ladder("seed-github.pcapng", 0);
    let titles: Vec<&str> = l.bands.iter().map(|b| b.title.as_str()).collect();
    assert_eq!(titles[2], "Four-way teardown — server closed first");
    // The server's FIN travels right to left and puts the client in CLOSE-WAIT.
    let Row::Packet(fin) = &l.rows[6] else {
        panic!()
    };
    assert_eq!((fin.from, fin.flags.as_str()), (R, "FIN, ACK"));
    assert_eq!(
        fin.states.iter().find(|b| b.lane == L).unwrap().state,
        CloseWait
    );
    assert_eq!(
        fin.states.iter().find(|b| b.lane == R).unwrap().state,
        FinWait1
    );
}

#[test]
fn simultaneous_open_goes_through_syn_received_on_both_sides() {
    check(
        "simultaneous-open.pcapng",
        0,
        [Closed, Closed],
        &[
            (L, "SYN", &[SynSent], &[]),
            (R, "SYN", &[SynReceived], &[SynSent, SynReceived]),
            (L, "SYN, ACK", &[], &[Established]),
            (R, "SYN, ACK", &[Established], &[]),
            (L, "PSH, ACK", &[], &[]),
            (R, "PSH, ACK", &[], &[]),
            (L, "ACK", &[], &[]),
            (L, "FIN, ACK", &[FinWait1], &[CloseWait]),
            (R, "ACK", &[FinWait2], &[]),
            (R, "FIN, ACK", &[TimeWait], &[LastAck]),
            (L, "ACK", &[], &[Closed]),
        ],
        &[
            "Simultaneous open",
            "Data transfer",
            "Four-way teardown — client closed first",
        ],
    );
}

#[test]
fn three_segment_close_skips_a_separate_ack() {
    let l = ladder("three-segment-close.pcapng", 0);
    let Row::Packet(fin_ack) = &l.rows[7] else {
        panic!()
    };
    assert_eq!((fin_ack.from, fin_ack.flags.as_str()), (R, "FIN, ACK"));
    let left: Vec<TcpState> = fin_ack
        .states
        .iter()
        .filter(|b| b.lane == L)
        .flat_map(|b| b.transitions.iter().map(|t| t.to))
        .collect();
    // The FIN+ACK both acknowledges the client's FIN and carries the server's FIN.
    assert_eq!(left, [FinWait2, TimeWait]);
    assert_eq!(
        fin_ack.states.iter().find(|b| b.lane == R).unwrap().state,
        LastAck
    );
    assert!(
        l.bands[2]
            .title
            .starts_with("Three-segment close (FIN, FIN+ACK, ACK) — client closed first")
    );
}

#[test]
fn simultaneous_close_passes_through_closing() {
    let l = ladder("simultaneous-close.pcapng", 0);
    let states = |row: usize, lane: LaneSide| -> Vec<TcpState> {
        let Row::Packet(a) = &l.rows[row] else {
            panic!()
        };
        a.states
            .iter()
            .filter(|b| b.lane == lane)
            .flat_map(|b| b.transitions.iter().map(|t| t.to))
            .collect()
    };
    assert_eq!(states(6, L), [FinWait1]);
    assert_eq!(
        states(6, R),
        [] as [TcpState; 0],
        "the server had not received the FIN when it sent its own"
    );
    assert_eq!(states(7, L), [Closing]);
    assert_eq!(states(7, R), [FinWait1, Closing]);
    assert_eq!(states(8, R), [TimeWait]);
    assert_eq!(states(9, L), [TimeWait]);
    assert!(l.bands[2].title.starts_with("Simultaneous close"));
}

#[test]
fn half_close_keeps_data_flowing_after_the_first_fin() {
    let l = ladder("half-close.pcapng", 0);
    let close = l.bands.last().unwrap();
    assert_eq!(
        close.title,
        "Half-close — client closed first, server kept sending"
    );
    // After the client's FIN, the server still sends data segments (right to left).
    let fin_row = l
        .rows
        .iter()
        .position(|r| matches!(r, Row::Packet(a) if a.flags.contains("FIN") && a.from == L))
        .unwrap();
    let data_after = l.rows[fin_row..]
        .iter()
        .filter(|r| matches!(r, Row::Packet(a) if a.from == R && !a.detail.contains("Len=0")))
        .count();
    assert!(data_after >= 2, "{data_after} data segments after the FIN");
}

#[test]
fn rst_abort_and_refused_connection() {
    let l = ladder("rst-abort.pcapng", 0);
    // The first RST closes both sides at once; data still in flight from the server is
    // answered by a bare RST (the client no longer knows the connection), which changes
    // no state.
    let rsts: Vec<&tcp_ladder::ladder::Arrow> = l
        .rows
        .iter()
        .filter_map(|r| match r {
            Row::Packet(a) if a.flags.starts_with("RST") => Some(a),
            _ => None,
        })
        .collect();
    assert_eq!(rsts.len(), 2);
    assert_eq!(
        rsts[0].states.iter().map(|b| b.state).collect::<Vec<_>>(),
        [Closed, Closed]
    );
    assert!(rsts[1].states.is_empty());
    assert_eq!(
        l.bands.last().unwrap().title,
        "Reset — client aborted the connection (RST)"
    );

    check(
        "refused.pcapng",
        0,
        [Closed, Closed],
        &[(L, "SYN", &[SynSent], &[]), (R, "RST, ACK", &[Closed], &[])],
        &["Connection refused (RST)"],
    );
}

#[test]
fn long_data_runs_collapse_and_expand() {
    let mut session = Session::load_path(
        &repo().join("samples/half-close.pcapng"),
        &LoadControl::default(),
    )
    .unwrap();
    let mut options = LadderOptions {
        collapse_over: Some(2),
        ..LadderOptions::default()
    };
    // With its notes, the upload (frames 4–6) is not folded: frame 5 carries a note.
    let noted = layout(&session, 0, &options);
    assert!(
        noted
            .rows
            .iter()
            .any(|r| matches!(r, Row::Packet(a) if a.frame == 5 && !a.notes.is_empty()))
    );
    assert!(!noted.rows.iter().any(|r| matches!(
        r,
        Row::Collapsed { first_frame, last_frame, .. }
            if session.comments.keys().any(|f| (first_frame..=last_frame).contains(&f))
    )));
    // Without notes, the run folds.
    session.comments.clear();
    let collapsed = layout(&session, 0, &options);
    let first = collapsed
        .rows
        .iter()
        .find_map(|r| match r {
            Row::Collapsed {
                first, segments, ..
            } => Some((*first, *segments)),
            Row::Packet(_) | Row::Unseen(_) => None,
        })
        .expect("a collapsed run");
    assert!(first.1 > 2);
    options.expanded.insert(first.0);
    let expanded = layout(&session, 0, &options);
    assert_eq!(expanded.rows.len(), collapsed.rows.len() + first.1 - 1);
}

#[test]
fn expanding_a_run_shows_all_of_it_and_only_it() {
    // A run in the middle of a long transfer: expanding it must not re-collapse its tail.
    let session =
        Session::load_path(&repo().join("samples/sack.pcapng"), &LoadControl::default()).unwrap();
    let options = LadderOptions::default();
    let collapsed = layout(&session, 0, &options);
    let runs: Vec<(u32, usize)> = collapsed
        .rows
        .iter()
        .filter_map(|r| match r {
            Row::Collapsed {
                first, segments, ..
            } => Some((*first, *segments)),
            Row::Packet(_) | Row::Unseen(_) => None,
        })
        .collect();
    assert!(!runs.is_empty());
    let (first, segments) = runs[0];
    let mut expanded = options.clone();
    expanded.expanded.insert(first);
    let l = layout(&session, 0, &expanded);
    assert_eq!(l.rows.len(), collapsed.rows.len() + segments - 1);
    let still_collapsed = l
        .rows
        .iter()
        .filter(|r| matches!(r, Row::Collapsed { .. }))
        .count();
    assert_eq!(
        still_collapsed,
        runs.len() - 1,
        "the other runs stay collapsed"
    );
}

#[test]
fn the_label_over_a_lane_says_assumed_exactly_when_the_initial_state_is_assumed() {
    // Every sample and every corpus capture: one decision, shown the same everywhere.
    let mut files = samples();
    files.extend(files_in(&corpus("tcp")));
    let mut assumed = 0;
    for path in files {
        let Ok(session) = Session::load_path(&path, &LoadControl::default()) else {
            continue;
        };
        for conn in session.connections.iter().take(50) {
            let l = layout(&session, conn.stream(), &LadderOptions::default());
            for lane in &l.lanes {
                let says = lane.initial_label.contains("(assumed)");
                assert_eq!(
                    says,
                    lane.initial_assumed,
                    "{}: stream {}: {:?}",
                    path.display(),
                    conn.stream(),
                    lane.initial_label
                );
                assumed += usize::from(says);
            }
        }
    }
    assert!(assumed > 0, "some capture starts mid-connection");
}

//! Time on the ladder: where the capture was taken, when each packet left and arrived,
//! which packets never arrived, and the time-to-scale layout.
//!
//! The capture point is checked against an answer worked out here, independently, from
//! what tshark 4.0 printed for each capture (`tests/reference/timing/*.tsv`, made by
//! `make-timing.sh` beside them): frame.time_relative of the handshake's SYN, SYN-ACK and
//! ACK. Time zero is checked against tshark's frame.time_relative frame by frame.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use crate::common;
use common::*;
use std::collections::BTreeMap;
use std::path::Path;
use tcp_ladder::ladder::{LadderOptions, Row, Spacing, TimeLayout, layout};
use tcp_ladder::session::{LoadControl, Session};
use tcp_ladder::timeline::{CapturePoint, LostEvidence, Timeline};

fn load(path: &Path) -> Session {
    Session::load_path(path, &LoadControl::default()).unwrap()
}

fn sample(name: &str) -> Session {
    load(&repo().join("samples").join(name))
}

/// One TCP frame as tshark printed it.
struct TsharkFrame {
    frame: u64,
    time: f64,
    stream: u32,
    sport: u16,
    syn: bool,
    ack: bool,
}

fn tshark_frames(capture: &str) -> Vec<TsharkFrame> {
    let path = repo()
        .join("tests/reference/timing")
        .join(format!("{capture}.tsv"));
    let text = std::fs::read_to_string(&path).unwrap();
    text.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            // Some frames carry two TCP headers (ICMP quoting, tunnels): first values.
            let first = |i: usize| f[i].split(',').next().unwrap().to_string();
            TsharkFrame {
                frame: first(0).parse().unwrap(),
                time: first(1).parse().unwrap(),
                stream: first(2).parse().unwrap(),
                sport: first(3).parse().unwrap(),
                syn: first(5) == "1",
                ack: first(6) == "1",
            }
        })
        .collect()
}

/// The capture point of each stream with a full handshake, worked out from tshark's times:
/// SYN → SYN-ACK is the round trip towards the server plus its turnaround, SYN-ACK → ACK
/// the same towards the client. Near an end, that end's share is at most a fifth.
fn truth(capture: &str) -> BTreeMap<u32, CapturePoint> {
    let mut by_stream: BTreeMap<u32, Vec<TsharkFrame>> = BTreeMap::new();
    for f in tshark_frames(capture) {
        by_stream.entry(f.stream).or_default().push(f);
    }
    let mut out = BTreeMap::new();
    for (stream, frames) in by_stream {
        let Some(sa) = frames.iter().position(|f| f.syn && f.ack) else {
            continue;
        };
        let server_port = frames[sa].sport;
        let Some(syn) = frames[..sa]
            .iter()
            .rposition(|f| f.syn && !f.ack && f.sport != server_port)
        else {
            continue;
        };
        let Some(ack) = frames[sa + 1..]
            .iter()
            .position(|f| !f.syn && f.ack && f.sport != server_port)
        else {
            continue;
        };
        let gap1 = frames[sa].time - frames[syn].time;
        let gap2 = frames[sa + 1 + ack].time - frames[sa].time;
        let total = gap1 + gap2;
        let point = if total <= 0.0 {
            CapturePoint::Between
        } else if gap2 <= 0.2 * total {
            CapturePoint::Client
        } else if gap1 <= 0.2 * total {
            CapturePoint::Server
        } else {
            CapturePoint::Between
        };
        out.insert(stream, point);
    }
    out
}

fn captures() -> Vec<std::path::PathBuf> {
    let mut all = samples();
    all.extend(files_in(&corpus("tcp")));
    all
}

#[test]
fn capture_point_agrees_with_tshark_times_on_every_sample_and_corpus_capture() {
    let mut checked = 0;
    for path in captures() {
        let session = load(&path);
        let n = name(&path);
        for (stream, want) in truth(&n) {
            let timeline = Timeline::of(&session, stream);
            // Data/ACK pairs may only confirm what the handshake says, or show the
            // capture nearer the middle; never the other end.
            let got = timeline.capture_point;
            let agree =
                got == want || (want != CapturePoint::Between && got == CapturePoint::Between);
            assert!(
                agree,
                "{n} stream {stream}: {got:?}, tshark's times say {want:?}"
            );
            if got == want {
                checked += 1;
            }
        }
    }
    assert!(checked > 40, "only {checked} handshakes agreed");
}

#[test]
fn seed_client_and_server_captures_say_client_and_server() {
    for stream in 0..2 {
        let client = Timeline::of(&sample("seed-handshake-client.pcapng"), stream);
        assert_eq!(
            client.capture_point,
            CapturePoint::Client,
            "stream {stream}"
        );
        let server = Timeline::of(&sample("seed-handshake-server.pcapng"), stream);
        assert_eq!(
            server.capture_point,
            CapturePoint::Server,
            "stream {stream}"
        );
    }
    // The client's seed: SYN → SYN-ACK 30.8 ms, so the server is ~15.4 ms away.
    let client = Timeline::of(&sample("seed-handshake-client.pcapng"), 1);
    let rtt = client.rtt.unwrap();
    assert!((rtt - 0.0308).abs() < 0.001, "rtt {rtt}");
}

#[test]
fn every_arrow_arrives_after_it_was_sent_and_captured_ends_are_capture_times() {
    for path in captures() {
        let session = load(&path);
        let zero = session.time_zero();
        for conn in &session.connections {
            let timeline = Timeline::of(&session, conn.stream());
            for (p, t) in session
                .connection_packets(conn.stream())
                .zip(&timeline.packets)
            {
                let captured = p.ts().seconds_since(zero);
                assert!((t.captured - captured).abs() < 1e-9);
                assert!(
                    t.sent.t <= t.expected + 1e-12,
                    "{}: frame {}",
                    name(&path),
                    p.frame()
                );
                if let Some(arrived) = t.arrived {
                    assert!(
                        t.sent.t <= arrived.t + 1e-12,
                        "{}: frame {}",
                        name(&path),
                        p.frame()
                    );
                }
                if timeline.at_capture_point(conn, p.side()) {
                    assert_eq!(t.sent.t, captured, "{}: frame {}", name(&path), p.frame());
                }
                if timeline.at_capture_point(conn, p.side().other()) {
                    assert_eq!(
                        t.arrived.unwrap().t,
                        captured,
                        "{}: frame {}",
                        name(&path),
                        p.frame()
                    );
                }
            }
        }
    }
}

#[test]
fn time_zero_is_the_first_frame_like_wiresharks_time_column() {
    let mut compared = 0;
    for path in captures() {
        let session = load(&path);
        let n = name(&path);
        let by_frame: BTreeMap<u64, f64> = tshark_frames(&n)
            .into_iter()
            .map(|f| (f.frame, f.time))
            .collect();
        for conn in &session.connections {
            let ladder = layout(
                &session,
                conn.stream(),
                &LadderOptions {
                    collapse_over: None,
                    ..Default::default()
                },
            );
            for row in &ladder.rows {
                if let Row::Packet(a) = row
                    && let Some(want) = by_frame.get(&a.frame)
                {
                    assert!(
                        (a.timing.time - want).abs() < 2e-6,
                        "{n} frame {}: {} vs tshark {want}",
                        a.frame,
                        a.timing.time
                    );
                    let printed: f64 = a.time.parse().unwrap();
                    assert!((printed - want).abs() < 2e-6, "{n} frame {}", a.frame);
                    compared += 1;
                }
            }
        }
    }
    assert!(compared > 5000, "{compared}");
}

#[test]
fn unanswered_syns_that_were_sent_again_are_lost_and_the_last_is_not_guessed() {
    let session = sample("syn-no-answer.pcapng");
    let timeline = Timeline::of(&session, 0);
    let lost: Vec<bool> = timeline.packets.iter().map(|t| t.lost.is_some()).collect();
    assert_eq!(lost, [true, true, true, false]);
    assert!(matches!(
        timeline.packets[0].lost,
        Some(LostEvidence::UnansweredSyn { resent_in: 2 })
    ));
    assert!(timeline.packets[0].arrived.is_none());
}

#[test]
fn the_segment_missing_at_the_receiver_is_drawn_lost_before_the_frame_that_skipped_it() {
    let session = sample("lost-segment-fast-retransmit.pcapng");
    let ladder = layout(&session, 0, &LadderOptions::default());
    let unseen: Vec<_> = ladder
        .rows
        .iter()
        .filter_map(|r| match r {
            Row::Unseen(u) => Some(u),
            _ => None,
        })
        .collect();
    assert_eq!(unseen.len(), 1);
    let u = unseen[0];
    // tshark: frame 42 (seq 37649) follows frame 41 (seq 34753, 1448 bytes): 36201..37649.
    assert_eq!((u.seq, u.len, u.before_frame), (36201, 1448, 42));
    assert!(u.timing.arrives_at.is_none());
    assert!(matches!(
        u.timing.lost,
        Some(LostEvidence::NotCaptured { before: 42 })
    ));
}

#[test]
fn nothing_is_lost_in_clean_captures() {
    for sample_name in [
        "seed-handshake-client.pcapng",
        "seed-handshake-server.pcapng",
        "three-segment-close.pcapng",
        "simultaneous-close.pcapng",
        "simultaneous-open.pcapng",
        "half-close.pcapng",
        "loopback-real.pcap",
    ] {
        let session = sample(sample_name);
        for conn in &session.connections {
            let ladder = layout(&session, conn.stream(), &LadderOptions::default());
            for row in &ladder.rows {
                match row {
                    Row::Packet(a) => assert!(a.timing.lost.is_none(), "{sample_name} {}", a.frame),
                    Row::Unseen(_) => panic!("{sample_name}: an unseen segment"),
                    Row::Collapsed { .. } => {}
                }
            }
        }
    }
}

#[test]
fn the_two_fins_of_a_simultaneous_close_are_in_flight_at_the_same_time() {
    let session = sample("simultaneous-close.pcapng");
    let ladder = layout(&session, 0, &LadderOptions::default());
    let fins: Vec<_> = ladder
        .rows
        .iter()
        .filter_map(|r| match r {
            Row::Packet(a) if a.flags.contains("FIN") => Some(a.timing),
            _ => None,
        })
        .collect();
    assert_eq!(fins.len(), 2);
    let (a, b) = (fins[0], fins[1]);
    // Each left before the other arrived.
    assert!(a.sent_at < b.arrives_at.unwrap() && b.sent_at < a.arrives_at.unwrap());
    // And in the time view their arrows cross: each starts above where the other ends.
    let time = TimeLayout::of(&ladder, spacing());
    let rows: Vec<usize> = ladder
        .rows
        .iter()
        .enumerate()
        .filter_map(|(i, r)| matches!(r, Row::Packet(a) if a.flags.contains("FIN")).then_some(i))
        .collect();
    let (ra, rb) = (time.rows[rows[0]], time.rows[rows[1]]);
    assert!(
        ra.sent < rb.arrived && rb.sent < ra.arrived,
        "{ra:?} {rb:?}"
    );
}

fn spacing() -> Spacing {
    Spacing {
        top: 0.0,
        unit: 76.0,
        min_gap: 54.0,
        band_title: 30.0,
        label_room: 44.0,
        break_height: 40.0,
    }
}

#[test]
fn in_the_time_view_positions_grow_with_time_and_long_gaps_become_breaks() {
    for path in samples() {
        let session = load(&path);
        for conn in &session.connections {
            let ladder = layout(&session, conn.stream(), &LadderOptions::default());
            let time = TimeLayout::of(&ladder, spacing());
            let mut points: Vec<(f64, f32)> = Vec::new();
            for (row, y) in ladder.rows.iter().zip(&time.rows) {
                let (sent, arrived) = match row {
                    Row::Packet(a) => (a.timing.sent_at, a.timing.drawn_arrival()),
                    Row::Unseen(u) => (u.timing.sent_at, u.timing.drawn_arrival()),
                    Row::Collapsed {
                        t_first, t_last, ..
                    } => (*t_first, *t_last),
                };
                assert!(y.sent <= y.arrived, "{}: {y:?}", name(&path));
                points.push((sent, y.sent));
                points.push((arrived, y.arrived));
            }
            points.sort_by(|a, b| a.0.total_cmp(&b.0));
            for w in points.windows(2) {
                assert!(
                    w[1].1 >= w[0].1 || w[1].0 == w[0].0,
                    "{} stream {}: y goes up at t={}",
                    name(&path),
                    conn.stream(),
                    w[1].0
                );
            }
        }
    }
    // The server's seed waits 29 s between the handshake and "helloworld": one break.
    let session = sample("seed-handshake-server.pcapng");
    let ladder = layout(&session, 0, &LadderOptions::default());
    let time = TimeLayout::of(&ladder, spacing());
    assert!(
        time.breaks.iter().any(|b| (b.seconds - 29.0).abs() < 0.5),
        "{:?}",
        time.breaks
    );
    assert!(
        time.bottom < 20.0 * 76.0,
        "the pause must not eat the screen"
    );
}

#[test]
fn a_timeout_retransmission_says_how_long_it_waited() {
    let session = sample("syn-no-answer.pcapng");
    let ladder = layout(&session, 0, &LadderOptions::default());
    let waits: Vec<Option<f64>> = ladder
        .rows
        .iter()
        .filter_map(|r| match r {
            Row::Packet(a) => Some(a.timing.waited.map(|w| (w * 10.0).round() / 10.0)),
            _ => None,
        })
        .collect();
    // SYNs at 0, 1, 3 and 7 s: waits of 1, 2 and 4 s (the timeout doubles each time).
    assert_eq!(waits, [None, Some(1.0), Some(2.0), Some(4.0)]);
}

#[test]
fn ladder_json_carries_times_capture_point_and_explanations() {
    let (code, out, err) = run(&[
        "ladder",
        "samples/seed-handshake-client.pcapng",
        "--stream",
        "1",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{err}");
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["capture_point"], "client");
    assert!((doc["rtt"].as_f64().unwrap() - 0.0308).abs() < 0.001);
    let arrows = doc["arrows"].as_array().unwrap();
    assert_eq!(arrows.len(), 5);
    let syn = &arrows[0];
    assert_eq!(syn["frame"], 6);
    assert_eq!(syn["direction"], "left_to_right");
    assert_eq!(syn["flags"], "SYN");
    assert_eq!(syn["sent_estimated"], false);
    assert_eq!(syn["arrival_estimated"], true);
    assert!(syn["arrives_at"].as_f64().unwrap() > syn["sent_at"].as_f64().unwrap());
    assert_eq!(syn["sent_at"], syn["time"]);
    assert!(syn["explanation"].as_str().unwrap().contains("handshake"));
    let (_, zh, _) = run(&[
        "ladder",
        "samples/seed-handshake-client.pcapng",
        "--stream",
        "1",
        "--format",
        "json",
        "--lang",
        "zh-CN",
    ]);
    let doc: serde_json::Value = serde_json::from_str(&zh).unwrap();
    assert!(
        doc["arrows"][0]["explanation"]
            .as_str()
            .unwrap()
            .contains("握手")
    );
}

#[test]
fn ascii_time_view_shows_the_pause_as_a_break_line() {
    let (code, out, err) = run(&[
        "ladder",
        "samples/seed-handshake-server.pcapng",
        "--stream",
        "0",
        "--time",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("~~~ 29.0"), "{out}");
    // The SYN-ACK leaves on a line of its own, after the SYN's line.
    let syn = out.lines().position(|l| l.contains("#1 ")).unwrap();
    let syn_ack = out.lines().position(|l| l.contains("#2 ")).unwrap();
    assert!(syn_ack > syn);
}

/// A pcap (Ethernet, IPv4) of TCP segments: (time in µs, from the client, seq, ack, flags,
/// payload length).
fn pcap(segments: &[(u64, bool, u32, u32, u8, usize)]) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend_from_slice(&0xa1b2_c3d4u32.to_le_bytes());
    out.extend_from_slice(&2u16.to_le_bytes());
    out.extend_from_slice(&4u16.to_le_bytes());
    out.extend_from_slice(&[0; 8]);
    out.extend_from_slice(&65535u32.to_le_bytes());
    out.extend_from_slice(&1u32.to_le_bytes());
    for &(t, from_client, seq, ack, flags, len) in segments {
        let (src, dst, sp, dp) = if from_client {
            ([10, 0, 0, 1], [10, 0, 0, 2], 40000u16, 80u16)
        } else {
            ([10, 0, 0, 2], [10, 0, 0, 1], 80, 40000)
        };
        let mut frame = vec![0u8; 12];
        frame.extend_from_slice(&[0x08, 0x00]);
        let total = 40 + len;
        frame.extend_from_slice(&[
            0x45,
            0,
            (total >> 8) as u8,
            total as u8,
            0,
            0,
            0x40,
            0,
            64,
            6,
            0,
            0,
        ]);
        frame.extend_from_slice(&src);
        frame.extend_from_slice(&dst);
        frame.extend_from_slice(&sp.to_be_bytes());
        frame.extend_from_slice(&dp.to_be_bytes());
        frame.extend_from_slice(&seq.to_be_bytes());
        frame.extend_from_slice(&ack.to_be_bytes());
        frame.extend_from_slice(&[0x50, flags, 0x20, 0x00, 0, 0, 0, 0]);
        frame.extend(std::iter::repeat_n(0x61u8, len));
        out.extend_from_slice(&((t / 1_000_000) as u32).to_le_bytes());
        out.extend_from_slice(&((t % 1_000_000) as u32).to_le_bytes());
        out.extend_from_slice(&(frame.len() as u32).to_le_bytes());
        out.extend_from_slice(&(frame.len() as u32).to_le_bytes());
        out.extend_from_slice(&frame);
    }
    out
}

#[test]
fn a_segment_the_receivers_duplicate_acks_show_missing_is_lost_when_captured_at_the_sender() {
    const SYN: u8 = 0x02;
    const ACK: u8 = 0x10;
    const PSH: u8 = 0x08;
    let (c, s) = (1000u32, 5000u32);
    // Captured at the client (SYN → SYN-ACK 20 ms, SYN-ACK → ACK 50 µs). The client sends
    // four 100-byte segments; the second never arrives: the server acknowledges the first,
    // then keeps asking for byte 1101 (three duplicate ACKs) until the client resends it.
    let capture = pcap(&[
        (0, true, c, 0, SYN, 0),
        (20_000, false, s, c + 1, SYN | ACK, 0),
        (20_050, true, c + 1, s + 1, ACK, 0),
        (21_000, true, c + 1, s + 1, PSH | ACK, 100),
        (21_100, true, c + 101, s + 1, PSH | ACK, 100),
        (21_200, true, c + 201, s + 1, PSH | ACK, 100),
        (21_300, true, c + 301, s + 1, PSH | ACK, 100),
        (41_000, false, s + 1, c + 101, ACK, 0),
        (41_200, false, s + 1, c + 101, ACK, 0),
        (41_300, false, s + 1, c + 101, ACK, 0),
        (41_400, false, s + 1, c + 101, ACK, 0),
        (41_500, true, c + 101, s + 1, PSH | ACK, 100),
        (61_500, false, s + 1, c + 401, ACK, 0),
    ]);
    let session = Session::load_bytes(
        Path::new("dup-acks.pcap"),
        std::sync::Arc::from(capture),
        &LoadControl::default(),
    )
    .unwrap();
    let timeline = Timeline::of(&session, 0);
    assert_eq!(timeline.capture_point, CapturePoint::Client);
    let lost: Vec<u64> = session
        .connection_packets(0)
        .zip(&timeline.packets)
        .filter(|(_, t)| t.lost.is_some())
        .map(|(p, _)| p.frame())
        .collect();
    assert_eq!(lost, [5], "only the second data segment (frame 5) was lost");
    assert!(matches!(
        timeline.packets[4].lost,
        Some(LostEvidence::ReceiverMissedIt { resent_in: 12, .. })
    ));
}

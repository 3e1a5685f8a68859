//! Both ends of the wire: two captures of the same connections matched through a NAT.
//!
//! The truth comes from how each sample was made, never from this program:
//! - the seed 000 pair (generated from the tutorial's own numbers): the tutorial's send and
//!   arrival times, its NAT mapping and MSS values, and the TTLs the generator wrote (64 at
//!   each sender, 47 and 50 at the receivers);
//! - the real namespace captures (`samples/two-ends/`): the delay element's own log of
//!   every frame it forwarded or dropped (`NAME.truth.tsv`), the configured delays (20 ms
//!   client → server, 35 ms back), and the IP ID of each packet, which the NAT router
//!   keeps, read from the frames here.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use crate::common;
use common::*;
use std::path::Path;
use std::sync::Arc;
use tcp_ladder::ladder::{LadderOptions, Row, layout_two};
use tcp_ladder::session::{LoadControl, Session};
use tcp_ladder::timeline::pair::{Both, File};
use tcp_ladder::timeline::rewrites::{Change, MssClamp};
use tcp_ladder::timeline::{Sender, TwoEnds};

fn load(path: &Path) -> Session {
    Session::load_path(path, &LoadControl::default()).unwrap()
}

fn sample(name: &str) -> Session {
    load(&repo().join("samples").join(name))
}

fn pair_of(name: &str) -> (Session, Session) {
    (
        sample(&format!("two-ends/{name}-client.pcap")),
        sample(&format!("two-ends/{name}-server.pcap")),
    )
}

/// The IP ID, raw seq, ack and payload length of packet `index` of `session`.
fn identity(session: &Session, index: u32) -> (u32, u32, u32, u32) {
    let p = &session.packets[index as usize];
    let id = session
        .with_decoded(p, |_, d| d.ip.map(|ip| ip.id))
        .flatten()
        .unwrap();
    (
        id,
        p.seq,
        if p.flags.ack() { p.ack } else { 0 },
        p.payload_len,
    )
}

/// One frame the delay element handled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct TruthFrame {
    to_server: bool,
    id: (u32, u32, u32, u32),
    dropped: bool,
}

fn truth(name: &str) -> (Vec<TruthFrame>, f64, f64) {
    let path = repo()
        .join("samples/two-ends")
        .join(format!("{name}.truth.tsv"));
    let text = std::fs::read_to_string(path).unwrap();
    let mut delays = (0.0, 0.0);
    let mut frames = Vec::new();
    for line in text.lines() {
        if let Some(config) = line.strip_prefix("# c2s_delay_ms=") {
            let mut words = config.split_whitespace();
            delays.0 = words.next().unwrap().parse::<f64>().unwrap() / 1e3;
            let s2c = words.next().unwrap().strip_prefix("s2c_delay_ms=").unwrap();
            delays.1 = s2c.parse::<f64>().unwrap() / 1e3;
            continue;
        }
        if line.starts_with('#') || line.starts_with("rx_time") || line.is_empty() {
            continue;
        }
        let cells: Vec<&str> = line.split('\t').collect();
        let flags = cells[6];
        let ack: u32 = cells[5].parse().unwrap();
        frames.push(TruthFrame {
            to_server: cells[2] == "c2s",
            id: (
                cells[3].parse().unwrap(),
                cells[4].parse().unwrap(),
                if flags.contains('.') || flags.contains('A') {
                    ack
                } else {
                    0
                },
                cells[7].parse().unwrap(),
            ),
            dropped: cells[8] == "dropped",
        });
    }
    assert!(
        delays.0 > 0.0 && delays.1 > 0.0,
        "{name}: no configured delays"
    );
    (frames, delays.0, delays.1)
}

#[test]
fn seed_pair_matches_every_packet_with_the_tutorials_times() {
    let client = sample("seed-handshake-client.pcapng");
    let server = sample("seed-handshake-server.pcapng");
    let ends = TwoEnds::match_files(Both::new(&client, &server));
    assert_eq!(ends.connections.len(), 2);
    assert!(ends.unmatched.0.iter().all(Vec::is_empty));
    assert!(!ends.clock.estimated, "the seed's clocks agree");
    let c = ends.connection(File::First, 0).unwrap();
    assert_eq!(c.client_file, File::First);
    assert_eq!(c.packets.len(), 5);
    assert!(c.packets.iter().all(|p| p.only_at.is_none()));
    // The tutorial: the SYN leaves at 17:38:17.797373 and reaches the server at .816221;
    // the server answers at .816395 and the answer reaches the client at .830081.
    let syn = &c.packets[0];
    assert_eq!(syn.from, Sender::Client);
    assert!((syn.arrived.unwrap() - syn.sent - 0.018848).abs() < 1e-6);
    let syn_ack = &c.packets[1];
    assert_eq!(syn_ack.from, Sender::Server);
    assert!((syn_ack.sent - syn.sent - (0.816395 - 0.797373)).abs() < 1e-6);
    assert!((syn_ack.arrived.unwrap() - syn.sent - (0.830081 - 0.797373)).abs() < 1e-6);
}

#[test]
fn seed_pair_finds_the_nat_mapping_and_the_mss_clamp_and_nothing_else() {
    let client = sample("seed-handshake-client.pcapng");
    let server = sample("seed-handshake-server.pcapng");
    let ends = TwoEnds::match_files(Both::new(&client, &server));
    for c in &ends.connections {
        let r = &c.rewrites;
        let [inside, outside] = r.client_mapped.unwrap();
        assert_eq!(inside.addr.to_string(), "10.23.185.135");
        assert_eq!(outside.addr.to_string(), "120.132.11.203");
        assert_eq!(inside.port, outside.port);
        let [seen_by_client, own] = r.server_mapped.unwrap();
        assert_eq!(seen_by_client.to_string(), "106.53.211.6:8888");
        assert_eq!(own.to_string(), "172.16.0.9:8888");
        assert_eq!(
            r.mss,
            vec![
                MssClamp {
                    sent_by: Sender::Client,
                    from: 1414,
                    to: 1412
                },
                MssClamp {
                    sent_by: Sender::Server,
                    from: 1460,
                    to: 1412
                }
            ]
        );
        // The routers on the way count the TTL down (the generator wrote 64 at each
        // sender and 47 / 50 at the receivers); nothing else changed.
        assert_eq!(r.ttl_to_server, Some((17, 17)));
        assert_eq!(r.ttl_to_client, Some((14, 14)));
        assert_eq!(r.window_changed, Both([0, 0]));
        assert_eq!(r.options_changed, Both([0, 0]));
        for p in &c.packets {
            for change in &p.changes {
                assert!(
                    matches!(change, Change::Mss { .. } | Change::Ttl { .. }),
                    "{change:?}"
                );
            }
        }
    }
}

#[test]
fn either_order_gives_the_same_pairs() {
    let client = sample("seed-handshake-client.pcapng");
    let server = sample("seed-handshake-server.pcapng");
    let forward = TwoEnds::match_files(Both::new(&client, &server));
    let backward = TwoEnds::match_files(Both::new(&server, &client));
    for (f, b) in forward.connections.iter().zip(&backward.connections) {
        assert_eq!(f.client_file, File::First);
        assert_eq!(
            b.client_file,
            File::Other,
            "the server's file given first is still the server's"
        );
        let swap = |c: Both<Option<u32>>| Both::new(c[File::Other], c[File::First]);
        let fp: Vec<_> = f.packets.iter().map(|p| (p.from, p.copies)).collect();
        let bp: Vec<_> = b.packets.iter().map(|p| (p.from, swap(p.copies))).collect();
        assert_eq!(fp, bp);
    }
}

#[test]
fn real_pairs_equal_the_delay_elements_truth() {
    for name in ["nat-close", "nat-loss", "nat-rst"] {
        let (client, server) = pair_of(name);
        let (frames, _, _) = truth(name);
        let ends = TwoEnds::match_files(Both::new(&client, &server));
        assert_eq!(ends.connections.len(), 1, "{name}");
        let c = &ends.connections[0];
        assert_eq!(c.client_file, File::First, "{name}");
        assert_eq!(
            c.packets.len(),
            frames.len(),
            "{name}: one pair per frame on the wire"
        );
        let mut found = Vec::new();
        for p in &c.packets {
            let sender = if p.from == Sender::Client {
                &client
            } else {
                &server
            };
            let receiver = if p.from == Sender::Client {
                &server
            } else {
                &client
            };
            let (s, r) = if p.from == Sender::Client {
                (p.copies[File::First], p.copies[File::Other])
            } else {
                (p.copies[File::Other], p.copies[File::First])
            };
            let s = s.unwrap_or_else(|| panic!("{name}: a pair without the sender's copy"));
            let id = identity(sender, s);
            if let Some(r) = r {
                // The same packet: the NAT keeps the IP ID, seq, ack and length.
                assert_eq!(identity(receiver, r), id, "{name}: mispaired");
            }
            found.push(TruthFrame {
                to_server: p.from == Sender::Client,
                id,
                dropped: r.is_none(),
            });
        }
        let mut want = frames.clone();
        let key = |f: &TruthFrame| (f.to_server, f.id, f.dropped);
        want.sort_by_key(key);
        found.sort_by_key(key);
        assert_eq!(found, want, "{name}");
        let dropped = want.iter().filter(|f| f.dropped).count();
        assert_eq!(c.lost_to_server + c.lost_to_client, dropped, "{name}");
    }
    // The loss sample really lost one segment each way.
    let (frames, _, _) = truth("nat-loss");
    assert_eq!(frames.iter().filter(|f| f.dropped).count(), 2);
}

#[test]
fn real_one_way_delays_are_within_a_millisecond_of_the_configured_ones() {
    for name in ["nat-close", "nat-loss", "nat-rst"] {
        let (client, server) = pair_of(name);
        let (_, to_server, to_client) = truth(name);
        let ends = TwoEnds::match_files(Both::new(&client, &server));
        assert!(!ends.clock.estimated, "{name}: one machine, one clock");
        let c = &ends.connections[0];
        for (stats, want) in [(c.to_server, to_server), (c.to_client, to_client)] {
            let stats = stats.unwrap();
            for got in [stats.min, stats.median] {
                assert!(
                    (got - want).abs() < 0.001,
                    "{name}: {got} s measured, {want} s configured"
                );
            }
        }
    }
}

/// A copy of a classic pcap with every timestamp moved by `shift_us` microseconds.
fn shifted(path: &Path, shift_us: i64) -> Arc<[u8]> {
    let mut bytes = std::fs::read(path).unwrap();
    assert_eq!(
        &bytes[..4],
        &[0xd4, 0xc3, 0xb2, 0xa1],
        "little-endian µs pcap"
    );
    let mut at = 24;
    while at + 16 <= bytes.len() {
        let u32_at = |b: &[u8], i: usize| u32::from_le_bytes(b[i..i + 4].try_into().unwrap());
        let t = i64::from(u32_at(&bytes, at)) * 1_000_000 + i64::from(u32_at(&bytes, at + 4));
        let t = t + shift_us;
        bytes[at..at + 4].copy_from_slice(&((t / 1_000_000) as u32).to_le_bytes());
        bytes[at + 4..at + 8].copy_from_slice(&((t % 1_000_000) as u32).to_le_bytes());
        let len = u32_at(&bytes, at + 8) as usize;
        at += 16 + len;
    }
    Arc::from(bytes)
}

#[test]
fn a_shifted_clock_is_estimated_the_round_trip_kept_and_no_arrow_goes_up() {
    for name in ["nat-loss", "nat-close"] {
        let (client, server) = pair_of(name);
        let original = TwoEnds::match_files(Both::new(&client, &server));
        let path = repo().join(format!("samples/two-ends/{name}-server.pcap"));
        for shift_us in [3_500_000i64, -2_000_000] {
            let moved = Session::load_bytes(
                Path::new("moved.pcap"),
                shifted(&path, shift_us),
                &LoadControl::default(),
            )
            .unwrap();
            let ends = TwoEnds::match_files(Both::new(&client, &moved));
            assert!(ends.clock.estimated, "{name} {shift_us}");
            // Symmetric-path assumption: off by half the difference of the two delays
            // (20 ms and 35 ms here), never more.
            assert!(
                (ends.clock.offset - shift_us as f64 / 1e6).abs() < 0.010,
                "{name}: offset {}",
                ends.clock.offset
            );
            let (a, b) = (&original.connections[0], &ends.connections[0]);
            let rtt = |c: &tcp_ladder::timeline::ConnectionPair| {
                c.to_server.unwrap().min + c.to_client.unwrap().min
            };
            assert!((rtt(a) - rtt(b)).abs() < 1e-6, "{name}: round trip changed");
            for p in &b.packets {
                if let Some(arrived) = p.arrived {
                    assert!(arrived >= p.sent, "{name}: an arrow goes up");
                }
            }
            // The same pairs as with the true clocks.
            let copies = |c: &tcp_ladder::timeline::ConnectionPair| {
                let mut v: Vec<_> = c.packets.iter().map(|p| p.copies).collect();
                v.sort();
                v
            };
            assert_eq!(copies(a), copies(b), "{name}");
        }
    }
}

#[test]
fn the_two_ended_ladder_draws_each_end_from_its_own_capture() {
    let (client, server) = pair_of("nat-loss");
    let ends = TwoEnds::match_files(Both::new(&client, &server));
    let pair = &ends.connections[0];
    let ladder = layout_two(
        &ends,
        Both::new(&client, &server),
        pair,
        &LadderOptions::default(),
    );
    let arrows: Vec<_> = ladder
        .rows
        .iter()
        .filter_map(|r| match r {
            Row::Packet(a) => Some(a),
            _ => None,
        })
        .collect();
    assert_eq!(arrows.len(), pair.packets.len());
    let mut lost = 0;
    for a in &arrows {
        let t = &a.timing;
        match t.arrives_at {
            Some(arrived) => assert!(arrived >= t.sent_at),
            None => {
                lost += 1;
                assert!(t.lost.is_some());
                assert!(a.ends.as_ref().unwrap().only_at.is_some());
            }
        }
        assert!(!t.arrival_estimated);
    }
    assert_eq!(lost, 2);
    // Rows go in the order the packets left their senders.
    assert!(
        arrows
            .windows(2)
            .all(|w| w[0].timing.sent_at <= w[1].timing.sent_at)
    );
    // The client is on the left, labelled with how the server saw it.
    assert_eq!(ladder.lanes[0].endpoint, "10.0.1.2:47438");
    assert!(
        ladder.lanes[0]
            .seen_as
            .as_deref()
            .unwrap()
            .contains("198.51.100.1:47438")
    );
    // State boxes: the client's lane changes with the client's capture, the server's
    // with the server's. The server enters SYN-RECEIVED when the SYN arrives there.
    let syn = arrows[0];
    let server_box = syn
        .states
        .iter()
        .find(|b| b.lane == tcp_ladder::ladder::LaneSide::Right)
        .unwrap();
    assert_eq!(server_box.state.rfc_name(), "SYN-RECEIVED");
}

#[test]
fn cli_prints_the_two_ended_ladder_and_its_model() {
    let dir = repo().join("samples/two-ends");
    let c = dir.join("nat-loss-client.pcap");
    let s = dir.join("nat-loss-server.pcap");
    let json = run_ok(&[
        "ladder",
        c.to_str().unwrap(),
        "--other-end",
        s.to_str().unwrap(),
        "--format",
        "json",
    ]);
    let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(doc["capture_point"], "both");
    assert_eq!(doc["ends"]["clock"]["estimated"], false);
    assert_eq!(doc["ends"]["client_seen_as"][1], "198.51.100.1:47438");
    let arrows = doc["arrows"].as_array().unwrap();
    let lost: Vec<_> = arrows.iter().filter(|a| !a["lost"].is_null()).collect();
    assert_eq!(lost.len(), 2);
    for a in &lost {
        let frames = a["frames"].as_array().unwrap();
        assert_eq!(frames.iter().filter(|f| f.is_null()).count(), 1);
        assert!(a["arrives_at"].is_null());
    }
    for a in arrows.iter().filter(|a| a["lost"].is_null()) {
        assert_eq!(
            a["sent_source"],
            if a["direction"] == "left_to_right" {
                "client_capture"
            } else {
                "server_capture"
            }
        );
    }
    let text = run_ok(&[
        "ladder",
        c.to_str().unwrap(),
        "--other-end",
        s.to_str().unwrap(),
    ]);
    assert!(
        text.contains("seen by the server as 198.51.100.1:47438"),
        "{text}"
    );
    assert!(
        text.contains("MSS in the client's SYN: 1460 → 1400"),
        "{text}"
    );
    assert!(text.contains(" X"), "a lost arrow stops short:\n{text}");
    let flows = run_ok(&[
        "flows",
        c.to_str().unwrap(),
        "--other-end",
        s.to_str().unwrap(),
    ]);
    assert!(
        flows.contains("10.0.1.2:47438 → 198.51.100.1:47438"),
        "{flows}"
    );
}

fn run_ok(args: &[&str]) -> String {
    let (code, out, err) = run(args);
    assert_eq!(code, 0, "{args:?}: {err}");
    out
}

#[test]
fn a_pcapng_other_end_given_first_matches_the_same() {
    let (client, server) = pair_of("nat-loss");
    let path = repo().join("samples/two-ends/nat-loss-server.pcap");
    let (mut reader, _, _) = tcp_ladder::capture::open_path(&path).unwrap();
    let mut bytes = Vec::new();
    tcp_ladder::live::save::save_all(&mut reader, &mut bytes, Default::default()).unwrap();
    assert_eq!(&bytes[..4], &[0x0a, 0x0d, 0x0d, 0x0a], "written as pcapng");
    let server_ng = Session::load_bytes(
        Path::new("server.pcapng"),
        Arc::from(bytes),
        &LoadControl::default(),
    )
    .unwrap();
    let pcap = TwoEnds::match_files(Both::new(&client, &server));
    let ng_first = TwoEnds::match_files(Both::new(&server_ng, &client));
    let (a, b) = (&pcap.connections[0], &ng_first.connections[0]);
    assert_eq!(b.client_file, File::Other);
    let pairs = |c: &tcp_ladder::timeline::ConnectionPair, client_file: File| {
        let mut v: Vec<_> = c
            .packets
            .iter()
            .map(|p| {
                (
                    p.copies[client_file],
                    p.copies[client_file.other()],
                    (p.arrived.map(|t| t - p.sent).unwrap_or(-1.0) * 1e5).round() as i64,
                )
            })
            .collect();
        v.sort();
        v
    };
    assert_eq!(pairs(a, File::First), pairs(b, File::Other));
}

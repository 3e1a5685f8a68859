//! Follow TCP stream: the bytes each side delivered, in order, retransmissions and
//! overlaps counted once.
//!
//! - Against tshark's own reassembly (`tshark -q -z follow,tcp,raw,0`, stored in
//!   `tests/reference/follow/`), including samples where a retransmission fills an earlier
//!   hole (lost segment, SACK, out-of-order).
//! - Every captured segment, retransmissions included, must find its payload at its own
//!   sequence offset in the reassembled stream.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use crate::common;
use common::*;
use tcp_ladder::export::follow::{Content, follow};
use tcp_ladder::flow::Side;
use tcp_ladder::session::{LoadControl, Session};

/// Node 0's bytes and node 1's bytes from tshark's raw follow output (node 1's lines
/// start with a tab).
fn tshark_bytes(name: &str) -> (Vec<u8>, Vec<u8>, String) {
    let text = std::fs::read_to_string(
        repo()
            .join("tests/reference/follow")
            .join(format!("{name}.follow-raw-0.txt")),
    )
    .unwrap();
    let node0 = text
        .lines()
        .find_map(|l| l.strip_prefix("Node 0: "))
        .unwrap()
        .to_string();
    let (mut a, mut b) = (Vec::new(), Vec::new());
    for line in text
        .lines()
        .filter(|l| !l.is_empty() && l.trim().chars().all(|c| c.is_ascii_hexdigit()))
    {
        let (target, hex) = match line.strip_prefix('\t') {
            Some(h) => (&mut b, h),
            None => (&mut a, line),
        };
        for i in (0..hex.len()).step_by(2) {
            target.push(u8::from_str_radix(&hex[i..i + 2], 16).unwrap());
        }
    }
    (a, b, node0)
}

#[test]
fn reassembled_bytes_match_tshark_follow() {
    let names = [
        "seed-github.pcapng",
        "lost-segment-fast-retransmit.pcapng",
        "out-of-order.pcapng",
        "sack.pcapng",
        "spurious-retransmission.pcapng",
        "zero-window.pcapng",
        "half-close.pcapng",
        "timeout-retransmission.pcapng",
    ];
    for name in names {
        let session =
            Session::load_path(&repo().join("samples").join(name), &LoadControl::default())
                .unwrap();
        let f = follow(&session, 0);
        let conn = session.connection(0).unwrap();
        let mut ours = [Vec::new(), Vec::new()];
        for chunk in &f.chunks {
            let Content::Data(d) = &chunk.content else {
                panic!("{name}: unexpected gap {chunk:?}")
            };
            ours[usize::from(chunk.side == Side::B)].extend_from_slice(d);
        }
        let (node0, node1, node0_name) = tshark_bytes(name);
        // tshark's node 0 is the first packet's source: our side A.
        assert_eq!(conn.endpoint(Side::A).to_string(), node0_name, "{name}");
        assert_eq!(ours[0].len(), node0.len(), "{name}: side A byte count");
        assert_eq!(ours[1].len(), node1.len(), "{name}: side B byte count");
        assert!(ours[0] == node0 && ours[1] == node1, "{name}: bytes differ");
        every_segment_is_at_its_offset(&session, name);
    }
}

#[test]
fn bytes_cut_by_the_snapshot_length_are_shown_missing() {
    let session = Session::load_path(
        &repo().join("samples/snaplen-truncated.pcap"),
        &LoadControl::default(),
    )
    .unwrap();
    let f = follow(&session, 0);
    let server = usize::from(session.connection(0).unwrap().server() == Side::B);
    assert!(f.missing[server] > 0);
    assert_eq!(
        f.missing[server] + f.bytes[server],
        session
            .connection(0)
            .unwrap()
            .dir(session.connection(0).unwrap().server())
            .payload_bytes
    );
    let (code, out, _) = run(&["follow", "samples/snaplen-truncated.pcap"]);
    assert_eq!(code, 0);
    assert!(out.contains("bytes missing in capture]"), "{out}");
}

/// Each segment's captured payload equals the reassembled stream at `rel_seq - 1`.
fn every_segment_is_at_its_offset(session: &Session, name: &str) {
    let f = follow(session, 0);
    let mut stream: [Vec<u8>; 2] = [Vec::new(), Vec::new()];
    for chunk in &f.chunks {
        let Content::Data(d) = &chunk.content else {
            continue;
        };
        let s = &mut stream[usize::from(chunk.side == Side::B)];
        assert_eq!(
            s.len() as u32 + 1,
            chunk.offset,
            "{name}: chunks are contiguous"
        );
        s.extend_from_slice(d);
    }
    let mut checked = 0;
    for p in session.connection_packets(0).filter(|p| p.payload_len > 0) {
        let payload = session
            .with_decoded(p, |_, d| d.tcp().unwrap().payload.to_vec())
            .unwrap();
        let at = (p.rel_seq - 1) as usize;
        let s = &stream[usize::from(p.side() == Side::B)];
        assert_eq!(
            &s[at..at + payload.len()],
            payload.as_slice(),
            "{name}: frame {}",
            p.frame()
        );
        checked += 1;
    }
    assert!(checked > 0);
}

#[test]
fn every_sample_reassembles_consistently() {
    for sample in samples() {
        let session = Session::load_path(&sample, &LoadControl::default()).unwrap();
        if session.connections.is_empty()
            || session.connection_packets(0).all(|p| p.payload_len == 0)
        {
            continue;
        }
        if session
            .packets
            .iter()
            .any(|p| (p.captured_len as u64) < u64::from(p.original_len))
        {
            continue; // snaplen-cut payloads are checked as missing bytes above
        }
        every_segment_is_at_its_offset(&session, &name(&sample));
    }
}

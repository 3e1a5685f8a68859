//! Incremental equals batch: feeding a capture frame by frame into a growing session
//! ([`Growth`] → [`Delta`] → [`Session::apply`]) gives the same packets, connections
//! (states, transitions, analysis flags, summaries) and ladders as loading it whole, on
//! every sample and every real capture of the corpus. For the pcap samples, the session
//! after each frame also equals loading the file cut right after that frame.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use crate::common;
use common::*;
use std::path::Path;
use std::sync::Arc;
use tcp_ladder::capture;
use tcp_ladder::ladder::{LadderOptions, layout};
use tcp_ladder::live::Growth;
use tcp_ladder::session::{FrameSource, LoadControl, Session};

/// Everything a session shows, as text: packets, connections, stats and each ladder.
fn fingerprint(session: &Session) -> Vec<String> {
    let mut all: Vec<String> = session.packets.iter().map(|p| format!("{p:?}")).collect();
    for c in &session.connections {
        all.push(format!("{c:?}"));
        all.push(format!("{:?}", c.summary()));
        let ladder = layout(session, c.stream(), &LadderOptions::default());
        all.push(tcp_ladder::export::ascii::render(&ladder));
    }
    all.push(format!("{:?}", session.warnings));
    all.push(format!(
        "frames {} tcp {} broken {} udp {} icmp {} other {} links {:?}",
        session.stats.frames,
        session.stats.tcp,
        session.stats.broken_tcp,
        session.stats.udp,
        session.stats.icmp,
        session.stats.other,
        session.stats.unsupported_links
    ));
    all
}

/// Grow a session from `bytes`, applying a delta every `every` frames; `check` sees the
/// session and the frame count after each delta.
fn grow(
    name: &Path,
    bytes: Arc<[u8]>,
    every: u64,
    mut check: impl FnMut(&Session, u64),
) -> Session {
    let mut reader = capture::open_bytes(name, bytes.clone()).unwrap();
    let mut growth = Growth::new();
    let mut session = Session::empty("grown".into(), FrameSource::Memory(bytes));
    let mut n = 0;
    while let Some(frame) = reader.next_frame() {
        growth.push(&frame);
        n += 1;
        if n % every == 0 {
            session.apply(growth.take_delta(reader.warnings()));
            check(&session, n);
        }
    }
    session.apply(growth.take_delta(reader.warnings()));
    session
}

fn whole(name: &Path, bytes: Arc<[u8]>) -> Session {
    Session::load_bytes(name, bytes, &LoadControl::default()).unwrap()
}

#[test]
fn every_sample_grown_frame_by_frame_equals_the_whole() {
    for sample in samples() {
        let bytes: Arc<[u8]> = std::fs::read(&sample).unwrap().into();
        let want = fingerprint(&whole(&sample, bytes.clone()));
        let grown = grow(&sample, bytes, 1, |_, _| {});
        assert_eq!(fingerprint(&grown), want, "{}", sample.display());
        assert!(!grown.connections.is_empty(), "{}", sample.display());
    }
}

#[test]
fn every_prefix_of_a_pcap_sample_grows_to_the_cut_file() {
    for sample in samples().into_iter().filter(|p| name(p).ends_with(".pcap")) {
        let bytes: Arc<[u8]> = std::fs::read(&sample).unwrap().into();
        // Where each frame's bytes end: cutting there leaves exactly the frames before.
        let mut ends = Vec::new();
        let mut reader = capture::open_bytes(&sample, bytes.clone()).unwrap();
        while let Some(f) = reader.next_frame() {
            ends.push(f.data_offset as usize + f.data.len());
        }
        let mut checked = 0;
        grow(&sample, bytes.clone(), 1, |session, n| {
            let cut: Arc<[u8]> = bytes[..ends[n as usize - 1]].into();
            let mut want = whole(&sample, cut);
            want.warnings.clear();
            let mut got = session.clone();
            got.warnings.clear();
            assert_eq!(
                fingerprint(&got),
                fingerprint(&want),
                "{} after {n} frames",
                sample.display()
            );
            checked += 1;
        });
        assert_eq!(checked, ends.len());
    }
}

#[test]
fn every_corpus_capture_grown_equals_the_whole() {
    let mut count = 0;
    for path in files_in(&corpus("tcp")) {
        let Ok(bytes) = std::fs::read(&path) else {
            continue;
        };
        let bytes: Arc<[u8]> = bytes.into();
        let Ok(want) = Session::load_bytes(&path, bytes.clone(), &LoadControl::default()) else {
            continue;
        };
        if capture::open_bytes(&path, bytes.clone()).is_err() {
            continue;
        }
        // A delta every 7 frames: mid-connection snapshots without quadratic copying.
        let grown = grow(&path, bytes, 7, |_, _| {});
        assert_eq!(
            fingerprint(&grown),
            fingerprint(&want),
            "{}",
            path.display()
        );
        count += 1;
    }
    assert!(count >= 20, "only {count} corpus captures read");
}

/// The `flows` command fills its table on two threads (one reads and decodes, one places
/// the segments, in batches): the rows equal those of the one-thread pass on every
/// sample and every corpus capture, the damaged ones included, and the stats too. And
/// so do they when the directory of set-aside connections goes to disk every 16 of
/// them (by default every 131,072, more than any of these captures has), and when the
/// table keeps every connection in memory.
#[test]
fn the_two_thread_flows_pass_equals_the_one_thread_pass() {
    use tcp_ladder::export::tables::FlowRow;
    use tcp_ladder::flow::FlowTable;
    use tcp_ladder::session::{scan, scan_table};
    fn rows(table: FlowTable) -> Vec<String> {
        let mut rows = table.finish_rows();
        let mut out = Vec::new();
        rows.walk(|c| out.push(serde_json::to_string(&FlowRow::of(c)).unwrap()))
            .unwrap();
        out
    }
    let mut files = samples();
    files.extend(files_in(&corpus("tcp")));
    files.extend(files_in(&corpus("malformed")));
    let mut most_segments = 0;
    for path in files {
        let Ok((mut reader, _, _)) = capture::open_path(&path) else {
            continue;
        };
        let mut one = FlowTable::for_rows();
        let one_stats = scan(&mut reader, &mut one, &LoadControl::default(), |_, _| {});
        let (mut reader, _, _) = capture::open_path(&path).unwrap();
        let mut two = FlowTable::for_rows();
        let two_stats = scan_table(&mut reader, &mut two, &LoadControl::default());
        assert_eq!(
            format!("{one_stats:?}"),
            format!("{two_stats:?}"),
            "{}",
            path.display()
        );
        let one = rows(one);
        most_segments = most_segments.max(one_stats.tcp);
        assert_eq!(one, rows(two), "{}", path.display());
        for table in [FlowTable::for_rows_with_runs_of(16), FlowTable::new()] {
            let (mut reader, _, _) = capture::open_path(&path).unwrap();
            let mut table = table;
            scan_table(&mut reader, &mut table, &LoadControl::default());
            assert_eq!(one, rows(table), "{}", path.display());
        }
    }
    // Several batches of 512 segments, so the hand-over and the reused buffers are used.
    assert!(
        most_segments > 4 * 512,
        "the largest capture has {most_segments} TCP frames"
    );
}

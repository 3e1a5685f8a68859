//! Damaged and hostile input never hurts (issue: no panic, no hang, nothing good lost).
//!
//! - every capture of the shared corpus (306 damaged files and 25 real ones) through
//!   every command, each in under 10 s;
//! - every sample cut at every byte offset keeps the packets before the cut and names the
//!   offset of the damaged record;
//! - files that are not captures give one clear message and exit code 2;
//! - hostile length fields are refused without allocating what they claim.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use crate::common;
use common::*;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc;
use std::time::Duration;
use tcp_ladder::cli::{Command, LadderFormat, OtherEnd, Outcome, PacketFormat, run as run_command};
use tcp_ladder::session::{LoadControl, Session};

/// Run every command on `path` in-process; returns the number of connections.
fn exercise(path: &Path) -> usize {
    let mut sink = Vec::new();
    let mut err = Vec::new();
    let file = path.to_path_buf();
    for command in [
        Command::Flows {
            file: file.clone(),
            json: false,
            other: OtherEnd::default(),
        },
        Command::Flows {
            file: file.clone(),
            json: true,
            other: OtherEnd::default(),
        },
        // Two ends: the damaged file matched against itself.
        Command::Flows {
            file: file.clone(),
            json: true,
            other: OtherEnd {
                other_end: Some(file.clone()),
                clock_offset: None,
            },
        },
        Command::Packets {
            file: file.clone(),
            stream: None,
            absolute: false,
            format: PacketFormat::Tcpdump,
        },
        Command::Packets {
            file: file.clone(),
            stream: None,
            absolute: true,
            format: PacketFormat::Tsv,
        },
        Command::Packets {
            file: file.clone(),
            stream: None,
            absolute: false,
            format: PacketFormat::Json,
        },
    ] {
        sink.clear();
        run_command(&command, &mut sink, &mut err).unwrap();
    }
    let Ok(session) = Session::load_path(path, &LoadControl::default()) else {
        return 0;
    };
    for conn in session.connections.iter().take(20) {
        // The row view, the time view and the JSON model (which explains every packet).
        for (time, format) in [
            (false, LadderFormat::Text),
            (true, LadderFormat::Text),
            (false, LadderFormat::Json),
        ] {
            sink.clear();
            let outcome = run_command(
                &Command::Ladder {
                    file: file.clone(),
                    stream: conn.stream(),
                    absolute: false,
                    lang: tcp_ladder::i18n::Lang::ZhCn,
                    time,
                    format,
                    other: OtherEnd::default(),
                },
                &mut sink,
                &mut err,
            )
            .unwrap();
            assert!(matches!(outcome, Outcome::Ok));
        }
        for &p in session.packet_indices(conn.stream()).iter().take(50) {
            let _ = tcp_ladder::ladder::explain(&session, p);
            let _ = tcp_ladder::ladder::explain_in(&session, p, tcp_ladder::i18n::Lang::ZhCn);
            let _ = session.packet_fields(p);
        }
        // Follow and the SVG writer read payloads and every label.
        let _ = tcp_ladder::export::follow::render(&session, conn.stream(), true);
        let ladder = tcp_ladder::ladder::layout(&session, conn.stream(), &Default::default());
        let _ = tcp_ladder::export::svg::render(&ladder);
        let _ = tcp_ladder::export::svg::render_view(&ladder, tcp_ladder::ladder::ViewMode::Time);
        let graphs = tcp_ladder::graphs::stream_graphs(&session, conn.stream(), conn.client());
        assert!(graphs.rtt_ms.iter().all(|p| p.value.is_finite()));
    }
    session.connections.len()
}

fn within_ten_seconds(path: PathBuf) {
    let (tx, rx) = mpsc::channel();
    let name = path.display().to_string();
    std::thread::spawn(move || {
        let result = std::panic::catch_unwind(|| exercise(&path));
        let _ = tx.send(result.is_ok());
    });
    match rx.recv_timeout(Duration::from_secs(10)) {
        Ok(true) => {}
        Ok(false) => panic!("{name}: panicked"),
        Err(_) => panic!("{name}: took more than 10 s (hang?)"),
    }
}

#[test]
fn every_malformed_corpus_file_loads_without_panic_or_hang() {
    let files = files_in(&corpus("malformed"));
    assert!(files.len() >= 300, "{} files", files.len());
    for f in files {
        within_ten_seconds(f);
    }
}

#[test]
fn every_real_corpus_capture_loads_without_panic_or_hang() {
    for f in files_in(&corpus("tcp")) {
        within_ten_seconds(f);
    }
}

#[test]
fn damaged_corpus_files_report_what_is_wrong_and_keep_good_packets() {
    // tshark: "appears to have been cut short in the middle of a packet"
    let (code, out, err) = run(&[
        "packets",
        corpus("malformed")
            .join("suricata__http-mime-truncated.pcap")
            .to_str()
            .unwrap(),
    ]);
    assert_eq!(code, 0);
    assert!(out.lines().count() > 100, "good packets are kept");
    assert!(err.contains("truncated record header at byte"), "{err}");
    // tshark: "File has 3925868813-byte packet, bigger than maximum of 262144"
    let (code, _, err) = run(&[
        "flows",
        corpus("malformed")
            .join("suricata__10.7.29.101_49898-178.63.41.150_25.pcap")
            .to_str()
            .unwrap(),
    ]);
    assert_eq!(code, 0);
    assert!(err.contains("claims 3925868813 bytes"), "{err}");
}

/// Byte offsets where each record of a pcap file ends (header included).
fn pcap_record_ends(bytes: &[u8]) -> Vec<usize> {
    let session =
        Session::load_bytes(Path::new("x"), Arc::from(bytes), &LoadControl::default()).unwrap();
    session
        .packets
        .iter()
        .map(|p| p.data_offset as usize + p.captured_len as usize)
        .collect()
}

#[test]
fn cutting_a_sample_anywhere_keeps_the_packets_before_the_cut() {
    for sample in samples().into_iter().chain(link_samples()) {
        let bytes = std::fs::read(&sample).unwrap();
        let full = Session::load_bytes(
            Path::new("x"),
            Arc::from(bytes.as_slice()),
            &LoadControl::default(),
        )
        .unwrap();
        let pcap = bytes.starts_with(&[0xd4, 0xc3, 0xb2, 0xa1])
            && full.stats.frames == full.packets.len() as u64;
        let ends = if pcap {
            pcap_record_ends(&bytes)
        } else {
            Vec::new()
        };
        let mut previous = 0;
        for cut in 0..=bytes.len() {
            let Ok(s) = Session::load_bytes(
                Path::new("cut"),
                Arc::from(&bytes[..cut]),
                &LoadControl::default(),
            ) else {
                assert!(cut < 24 || !pcap, "{}: cut at {cut} refused", name(&sample));
                continue;
            };
            let frames = s.stats.frames;
            assert!(
                frames >= previous,
                "{}: fewer frames after a longer cut",
                name(&sample)
            );
            previous = frames;
            if pcap {
                let expected = ends.iter().filter(|&&e| e <= cut).count() as u64;
                assert_eq!(frames, expected, "{} cut at {cut}", name(&sample));
                let on_boundary = cut == 24 || ends.contains(&cut);
                if !on_boundary {
                    let record_start = ends
                        .iter()
                        .filter(|&&e| e <= cut)
                        .max()
                        .copied()
                        .unwrap_or(24);
                    let named = s.warnings.iter().any(|w| {
                        w.offset == record_start as u64
                            && w.to_string().contains(&format!("at byte {record_start}"))
                    });
                    assert!(
                        named,
                        "{} cut at {cut}: no warning naming byte {record_start}: {:?}",
                        name(&sample),
                        s.warnings
                    );
                }
            }
        }
        assert_eq!(previous, full.stats.frames);
    }
}

#[test]
fn files_that_are_not_captures_get_one_clear_message_and_exit_2() {
    let dir = std::env::temp_dir().join(format!("tcp-ladder-not-captures-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "picture.png",
            b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec(),
            "a PNG image",
        ),
        (
            "notes.txt",
            b"hello, this is a text file\n".to_vec(),
            "plain text",
        ),
        ("empty.pcap", Vec::new(), "empty"),
        (
            "short-header.pcap",
            vec![0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0],
            "header cut short",
        ),
    ];
    for (file, bytes, words) in &cases {
        let path = dir.join(file);
        std::fs::write(&path, bytes).unwrap();
        let (code, out, err) = run(&["flows", path.to_str().unwrap()]);
        assert_eq!(code, 2, "{file}");
        assert!(out.is_empty());
        assert_eq!(err.lines().count(), 1, "{file}: {err}");
        assert!(err.contains(file) && err.contains(words), "{file}: {err}");
    }
    let (code, _, err) = run(&["packets", dir.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("is a directory"), "{err}");
    let (code, _, err) = run(&["ladder", dir.join("missing.pcap").to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("no such file"), "{err}");
    // A valid header with no packets is a capture, just an empty one.
    let path = dir.join("header-only.pcap");
    let mut header = vec![0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0];
    header.extend([0; 8]);
    header.extend(65535u32.to_le_bytes());
    header.extend(1u32.to_le_bytes());
    std::fs::write(&path, &header).unwrap();
    let (code, _, err) = run(&["flows", path.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("no packets"), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn an_unreadable_file_is_reported_as_such() {
    let err = tcp_ladder::capture::CaptureError::from_io(
        Path::new("secret.pcap"),
        std::io::Error::from(std::io::ErrorKind::PermissionDenied),
    );
    assert_eq!(
        err.to_string(),
        "secret.pcap: permission denied (cannot read the file)"
    );
    // The operating system's error travels with it.
    let source = std::error::Error::source(&err).map(ToString::to_string);
    assert_eq!(source.as_deref(), Some("permission denied"));
}

fn pcap_header(snaplen: u32) -> Vec<u8> {
    let mut h = vec![0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0];
    h.extend(snaplen.to_le_bytes());
    h.extend(1u32.to_le_bytes());
    h
}

#[test]
fn hostile_lengths_are_refused_without_allocating_them() {
    // A 4 GB snaplen in the file header, then a record claiming 2 GB.
    let mut bytes = pcap_header(u32::MAX);
    bytes.extend([0; 8]);
    bytes.extend(0x8000_0000u32.to_le_bytes());
    bytes.extend(0x8000_0000u32.to_le_bytes());
    bytes.extend([0; 64]);
    let s = Session::load_bytes(
        Path::new("hostile.pcap"),
        Arc::from(bytes),
        &LoadControl::default(),
    )
    .unwrap();
    let text: Vec<String> = s.warnings.iter().map(|w| w.to_string()).collect();
    assert!(
        text.iter()
            .any(|w| w.contains("snapshot length of 4294967295")),
        "{text:?}"
    );
    assert!(
        text.iter()
            .any(|w| w.contains("record at byte 24 claims 2147483648 bytes")),
        "{text:?}"
    );
    assert_eq!(s.stats.frames, 0);

    // pcapng: a section header, then a block whose length (8) would loop back on itself.
    let mut ng = vec![
        0x0a, 0x0d, 0x0d, 0x0a, 28, 0, 0, 0, 0x4d, 0x3c, 0x2b, 0x1a, 1, 0, 0, 0,
    ];
    ng.extend([0xff; 8]);
    ng.extend(28u32.to_le_bytes());
    ng.extend(6u32.to_le_bytes());
    ng.extend(8u32.to_le_bytes());
    ng.extend([0; 32]);
    let s = Session::load_bytes(
        Path::new("loop.pcapng"),
        Arc::from(ng),
        &LoadControl::default(),
    )
    .unwrap();
    let text: Vec<String> = s.warnings.iter().map(|w| w.to_string()).collect();
    assert!(
        text.iter()
            .any(|w| w.contains("bad pcapng block length 8 at byte 28")),
        "{text:?}"
    );

    // pcapng: a packet block claiming 2 GB.
    let mut ng = vec![
        0x0a, 0x0d, 0x0d, 0x0a, 28, 0, 0, 0, 0x4d, 0x3c, 0x2b, 0x1a, 1, 0, 0, 0,
    ];
    ng.extend([0xff; 8]);
    ng.extend(28u32.to_le_bytes());
    ng.extend(6u32.to_le_bytes());
    ng.extend(0x8000_0000u32.to_le_bytes());
    ng.extend([0; 16]);
    let s = Session::load_bytes(
        Path::new("big.pcapng"),
        Arc::from(ng),
        &LoadControl::default(),
    )
    .unwrap();
    assert!(
        s.warnings
            .iter()
            .any(|w| w.to_string().contains("claims 2147483648 bytes"))
    );
}

/// `flows` sets finished connections aside in a temporary file; where none can be made
/// (no usable temporary directory) it keeps them in memory and writes the same table,
/// with nothing said on standard error that a normal run does not say.
#[test]
fn flows_without_a_temporary_directory_writes_the_same_table() {
    let flows = |file: &Path, tmpdir: Option<&str>| {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_tcp-ladder"));
        cmd.args(["flows", file.to_str().unwrap(), "--json"])
            .env("TZ", "UTC");
        if let Some(dir) = tmpdir {
            cmd.env("TMPDIR", dir);
        }
        let out = cmd.output().expect("run tcp-ladder");
        (out.status.code(), out.stdout, out.stderr)
    };
    let missing = std::env::temp_dir().join("tcp-ladder-no-such-dir/inside");
    assert!(!missing.exists());
    let mut compared = 0;
    for file in samples().iter().chain(&link_samples()) {
        let normal = flows(file, None);
        assert_eq!(normal.0, Some(0), "{}", name(file));
        assert_eq!(
            flows(file, Some(missing.to_str().unwrap())),
            normal,
            "{}",
            name(file)
        );
        compared += 1;
    }
    assert!(compared > 10, "only {compared} samples");
}

/// A pcap of `count` records of 1,000 bytes of 0xAB each (record n starts at byte
/// 24 + 1016·n).
fn pcap_of_records(count: usize) -> Vec<u8> {
    let mut bytes = pcap_header(65535);
    for n in 0..count as u32 {
        for field in [1_700_000_000 + n, 0, 1000, 1000] {
            bytes.extend_from_slice(&field.to_le_bytes());
        }
        bytes.extend(std::iter::repeat_n(0xAB, 1000));
    }
    bytes
}

/// A capture cut short by another program while it is read through its mapping (a
/// student runs `tcpdump -w lab.pcap` again while `lab.pcap` loads): reading a page past
/// the new end would raise SIGBUS and end the process. Instead the reader stops there
/// with a warning that says so, keeping every packet before; cut behind the reader, and
/// ahead of it at a page boundary and inside a page.
#[test]
fn a_capture_cut_short_while_it_is_read_stops_with_a_warning() {
    use tcp_ladder::capture::{WarningKind, open_path};
    let dir = tempfile::tempdir().unwrap();
    // (frames read before the cut, new length, frames read in all)
    let cases = [
        (100, 8192, 100),
        (10, 40_960, 40),
        (10, 40_000, 40),
        (0, 0, 0),
    ];
    for (before, new_len, all) in cases {
        let path = dir.path().join(format!("cut-{new_len}.pcap"));
        std::fs::write(&path, pcap_of_records(300)).unwrap();
        let cut = || {
            std::fs::OpenOptions::new()
                .write(true)
                .open(&path)
                .unwrap()
                .set_len(new_len)
                .unwrap();
        };
        let (mut reader, _, _) = open_path(&path).unwrap();
        if before == 0 {
            cut();
        }
        let mut intact = 0;
        let mut read = 0;
        while let Some(frame) = reader.next_frame() {
            read += 1;
            if frame.data.len() == 1000 && frame.data.iter().all(|&b| b == 0xAB) {
                intact += 1;
            }
            if read == before {
                cut();
            }
        }
        assert_eq!(read, all, "cut to {new_len}");
        // The record across a cut inside a page reads zeros after the cut (no fault
        // shows it); every record wholly before the cut is intact.
        let wholly_before = if new_len < 24 + 1016 * before as u64 {
            before
        } else {
            (new_len as usize).saturating_sub(24) / 1016
        };
        assert!(intact >= wholly_before, "cut to {new_len}: {intact}");
        let warnings = reader.warnings();
        assert!(
            warnings
                .iter()
                .any(|w| matches!(w.kind, WarningKind::CutShort { size } if size == new_len)),
            "cut to {new_len}: {warnings:?}"
        );
        assert!(warnings.last().unwrap().to_string().contains("cut short"));
    }
}

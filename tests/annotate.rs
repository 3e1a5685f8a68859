//! Saving packet notes (`capture::save_with_notes`, `tcp-ladder annotate`): the frames
//! come out byte-identical, every other block and option is kept, and the notes are read
//! back by tshark as `frame.comment` and by tcp-ladder as each packet's comments.
//!
//! Frames are compared with our reader and, where tshark is installed, with tshark
//! (time, lengths, interface, an MD5 of the bytes). What tshark read from files
//! tcp-ladder wrote is stored in `tests/reference/notes/` (made by `make-saved.sh`
//! there), and the test checks the stored files are what tcp-ladder writes today.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use crate::common;
use common::*;
use std::path::{Path, PathBuf};
use std::process::Command;
use tcp_ladder::capture::{self, CaptureError, Notes};
use tcp_ladder::session::{LoadControl, Session};

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("tcp-ladder-annotate-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

fn notes(list: &[(u64, &[&str])]) -> Notes {
    list.iter()
        .map(|(f, c)| (*f, c.iter().map(|s| s.to_string()).collect()))
        .collect()
}

/// Every frame as our reader reads it: (number, ts, original length, link, interface,
/// bytes, comments).
type Row = (u64, (i64, u32), u32, u32, u32, Vec<u8>, Vec<String>);

fn frames(path: &Path) -> Vec<Row> {
    let (mut reader, _, _) = capture::open_path(path).unwrap();
    let mut out = Vec::new();
    while let Some(f) = reader.next_frame() {
        out.push((
            f.number,
            (f.ts.secs, f.ts.nanos),
            f.original_len,
            f.link.0,
            f.interface,
            f.data.to_vec(),
            f.comments.to_vec(),
        ));
    }
    out
}

fn has_tshark() -> bool {
    Command::new("tshark").arg("-v").output().is_ok()
}

/// tshark's view of each frame: time, lengths, (interface), MD5 of the bytes; `None`
/// when tshark cannot read the file.
fn tshark_frames(path: &Path, with_interface: bool) -> Option<Vec<String>> {
    let mut args = vec![
        "-r",
        path.to_str().unwrap(),
        "-o",
        "frame.generate_md5_hash:TRUE",
        "-T",
        "fields",
        "-e",
        "frame.time_epoch",
        "-e",
        "frame.len",
        "-e",
        "frame.cap_len",
        "-e",
        "frame.md5_hash",
        "-e",
        "frame.encap_type",
    ];
    if with_interface {
        args.extend(["-e", "frame.interface_id", "-e", "frame.interface_name"]);
    }
    let out = Command::new("tshark").args(&args).output().unwrap();
    out.status.success().then(|| {
        String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .map(str::to_string)
            .collect()
    })
}

/// tshark's frame.comment of each frame, as `make-saved.sh` writes it.
fn tshark_comments(path: &Path) -> String {
    let out = Command::new("tshark")
        .args([
            "-r",
            path.to_str().unwrap(),
            "-T",
            "fields",
            "-e",
            "frame.number",
            "-e",
            "frame.comment",
            "-E",
            "separator=/t",
            "-E",
            "occurrence=a",
            "-E",
            "aggregator=|",
        ])
        .env("TZ", "UTC")
        .output()
        .unwrap();
    String::from_utf8(out.stdout).unwrap()
}

/// Save `input` with `notes`, and check every frame against the input with our reader
/// and with tshark; the comments are exactly the notes.
fn check_saved_frames(input: &Path, notes: &Notes) {
    let out = scratch(&format!("{}.pcapng", name(input)));
    let saved = capture::save_with_notes(input, notes, &out).unwrap();
    let before = frames(input);
    let after = frames(&out);
    assert_eq!(saved.frames, before.len() as u64, "{}", name(input));
    assert_eq!(
        saved.notes,
        notes.values().map(|c| c.len() as u64).sum::<u64>()
    );
    assert_eq!(before.len(), after.len(), "{}: frame count", name(input));
    for (a, b) in before.iter().zip(&after) {
        assert_eq!(a.0..=a.5.len() as u64, b.0..=b.5.len() as u64);
        assert_eq!(a.1, b.1, "{} frame {}: timestamp", name(input), a.0);
        assert_eq!(a.2, b.2, "{} frame {}: original length", name(input), a.0);
        assert_eq!(
            (a.3, a.4),
            (b.3, b.4),
            "{} frame {}: link type, interface",
            name(input),
            a.0
        );
        assert_eq!(a.5, b.5, "{} frame {}: bytes", name(input), a.0);
        let wanted = notes.get(&a.0).cloned().unwrap_or_default();
        assert_eq!(b.6, wanted, "{} frame {}: comments", name(input), a.0);
    }
    let warnings = |p: &Path| {
        let (mut r, _, _) = capture::open_path(p).unwrap();
        while r.next_frame().is_some() {}
        r.warnings()
    };
    if warnings(input).is_empty() {
        assert!(
            warnings(&out).is_empty(),
            "{}: the saved file reads without warnings",
            name(input)
        );
    }
    if has_tshark() {
        let pcapng_in = std::fs::read(input)
            .unwrap()
            .starts_with(&[0x0a, 0x0d, 0x0d, 0x0a]);
        // (tshark refuses gopacket's version 2.0 sections; it reads everything else.)
        if let Some(expected) = tshark_frames(input, pcapng_in) {
            assert_eq!(
                Some(expected),
                tshark_frames(&out, pcapng_in),
                "{}: tshark sees other frames",
                name(input)
            );
        }
    } else {
        eprintln!("tshark not installed: frames compared with our reader only");
    }
}

#[test]
fn a_pcap_is_saved_as_pcapng_with_every_frame_as_it_was() {
    let input = repo().join("tests/reference/notes/seed-handshake-client.pcap");
    check_saved_frames(&input, &notes(&[(1, &["SYN"]), (4, &["a", "b"])]));
    // The same timestamp unit and snapshot length as the pcap's.
    let out = scratch("seed-handshake-client.pcap.pcapng");
    let (reader, _, _) = capture::open_path(&out).unwrap();
    assert_eq!(reader.format(), capture::CaptureFormat::Pcapng);
    if has_tshark() {
        let info = Command::new("capinfos").arg(&out).output().unwrap();
        let info = String::from_utf8_lossy(&info.stdout).to_string();
        assert!(info.contains("Time precision = microseconds (6)"), "{info}");
    }
}

#[test]
fn a_nanosecond_pcap_keeps_its_nanoseconds() {
    let input = repo().join("samples/nanosecond.pcap");
    check_saved_frames(&input, &notes(&[(2, &["ns"])]));
    if has_tshark() {
        let out = scratch("nanosecond.pcap.pcapng");
        let info = Command::new("capinfos").arg(&out).output().unwrap();
        let info = String::from_utf8_lossy(&info.stdout).to_string();
        assert!(info.contains("Time precision = nanoseconds (9)"), "{info}");
    }
}

#[test]
fn a_gzip_pcap_is_saved_too() {
    use std::io::Write;
    let plain = std::fs::read(repo().join("samples/loopback-real.pcap")).unwrap();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(&plain).unwrap();
    let input = scratch("loopback-real.pcap.gz");
    std::fs::write(&input, gz.finish().unwrap()).unwrap();
    check_saved_frames(&input, &notes(&[(3, &["gz"])]));
}

#[test]
fn a_multi_interface_pcapng_keeps_each_frame_on_its_interface() {
    let input = repo().join("samples/two-interfaces.pcapng");
    check_saved_frames(&input, &notes(&[(1, &["first"]), (20, &["last"])]));
}

#[test]
fn pcapng_files_from_other_tools_keep_every_frame() {
    // Several sections, big-endian, options of every kind (gopacket's test file).
    for file in [
        "malformed/gopacket__tests_le_test901.pcapng",
        "malformed/gopacket__tests_be_test901.pcapng",
        "malformed/ndpi__kerberos_fuzz.pcapng",
        "tcp/ndpi__sites.pcapng",
    ] {
        let input = corpus("").join(file);
        check_saved_frames(&input, &notes(&[(1, &["一", "two"])]));
    }
    check_saved_frames(
        &repo().join("tests/reference/notes/rich.pcapng"),
        &notes(&[(2, &["replaces editcap's comment"]), (3, &["x"])]),
    );
}

/// One pcapng block: its type and body (no length fields), in the file's byte order.
#[derive(Debug, PartialEq, Eq, Clone)]
struct Block {
    kind: u32,
    body: Vec<u8>,
}

fn blocks(bytes: &[u8]) -> Vec<(bool, Block)> {
    let mut out = Vec::new();
    let mut at = 0;
    let mut big = false;
    while at + 12 <= bytes.len() {
        if bytes[at..at + 4] == [0x0a, 0x0d, 0x0d, 0x0a] {
            big = bytes[at + 8..at + 12] == [0x1a, 0x2b, 0x3c, 0x4d];
        }
        let u32_at = |i: usize| {
            let b: [u8; 4] = bytes[i..i + 4].try_into().unwrap();
            if big {
                u32::from_be_bytes(b)
            } else {
                u32::from_le_bytes(b)
            }
        };
        let kind = u32_at(at);
        let len = u32_at(at + 4) as usize;
        out.push((
            big,
            Block {
                kind,
                body: bytes[at + 8..at + len - 4].to_vec(),
            },
        ));
        at += len;
    }
    out
}

/// An enhanced packet block's fixed part and data, and its options other than comments,
/// and its comments.
type Options = Vec<(u16, Vec<u8>)>;

fn split_epb(big: bool, body: &[u8]) -> (Vec<u8>, Options, Vec<String>) {
    let u16_at = |i: usize| {
        let b: [u8; 2] = body[i..i + 2].try_into().unwrap();
        if big {
            u16::from_be_bytes(b)
        } else {
            u16::from_le_bytes(b)
        }
    };
    let b: [u8; 4] = body[12..16].try_into().unwrap();
    let caplen = if big {
        u32::from_be_bytes(b)
    } else {
        u32::from_le_bytes(b)
    } as usize;
    let fixed = body[..20 + caplen].to_vec();
    let mut at = 20 + caplen.div_ceil(4) * 4;
    let (mut options, mut comments) = (Vec::new(), Vec::new());
    while at + 4 <= body.len() {
        let (code, len) = (u16_at(at), u16_at(at + 2) as usize);
        if code == 0 {
            break;
        }
        let value = body[at + 4..at + 4 + len].to_vec();
        if code == 1 {
            comments.push(String::from_utf8(value).unwrap());
        } else {
            options.push((code, value));
        }
        at += 4 + len.div_ceil(4) * 4;
    }
    (fixed, options, comments)
}

/// rich.pcapng with more kinds of blocks and options: a name resolution block, an
/// interface statistics block, a custom block, a block type of local use, and a packet
/// with flags, a hash, a drop count, a packet id and a local option besides a comment.
fn richer() -> Vec<u8> {
    let rich = std::fs::read(repo().join("tests/reference/notes/rich.pcapng")).unwrap();
    let list = blocks(&rich);
    let block = |kind: u32, body: &[u8]| {
        let len = (body.len() + 12) as u32;
        let mut b = kind.to_le_bytes().to_vec();
        b.extend(len.to_le_bytes());
        b.extend(body);
        b.extend(len.to_le_bytes());
        b
    };
    let option = |code: u16, value: &[u8]| {
        let mut o = code.to_le_bytes().to_vec();
        o.extend((value.len() as u16).to_le_bytes());
        o.extend(value);
        o.resize(o.len() + (4 - value.len() % 4) % 4, 0);
        o
    };
    let mut out = Vec::new();
    for (i, (_, b)) in list.iter().enumerate() {
        let mut body = b.body.clone();
        if b.kind == 6 && i == 5 {
            let (fixed, _, _) = split_epb(false, &body);
            body = fixed;
            body.resize(body.len().div_ceil(4) * 4, 0);
            body.extend(option(2, &1u32.to_le_bytes())); // epb_flags: inbound
            body.extend(option(1, b"an old comment"));
            body.extend(option(3, &[2, 0xde, 0xad, 0xbe, 0xef])); // epb_hash (CRC32)
            body.extend(option(4, &7u64.to_le_bytes())); // epb_dropcount
            body.extend(option(5, &42u64.to_le_bytes())); // epb_packetid
            body.extend(option(0x8001, b"local")); // a local option
            body.extend(option(0, b""));
        }
        out.extend(block(b.kind, &body));
        if b.kind == 1 && list.get(i + 1).is_some_and(|(_, n)| n.kind != 1) {
            // After the interfaces: names for two addresses (IPv4 records, then end).
            let mut nrb = Vec::new();
            nrb.extend(1u16.to_le_bytes());
            nrb.extend(19u16.to_le_bytes());
            nrb.extend([10, 8, 0, 1]);
            nrb.extend(b"client.example\0");
            nrb.push(0);
            nrb.extend([0, 0, 0, 0]);
            out.extend(block(4, &nrb));
            let mut custom = 32473u32.to_le_bytes().to_vec();
            custom.extend(b"custom data!");
            out.extend(block(0x0000_0bad, &custom));
            out.extend(block(0x8000_0001, b"local use block."));
        }
    }
    let mut isb = 0u32.to_le_bytes().to_vec();
    isb.extend([0u8; 8]);
    isb.extend(option(4, &20u64.to_le_bytes())); // isb_ifrecv
    isb.extend(option(0, b""));
    out.extend(block(5, &isb));
    out
}

#[test]
fn every_other_block_and_option_is_kept() {
    let input = scratch("richer.pcapng");
    std::fs::write(&input, richer()).unwrap();
    let original = frames(&input);
    // The custom block before the packets takes frame number 1 (as in Wireshark).
    assert_eq!(original.len(), 20);
    assert_eq!(original[0].0, 2);
    // Frame 3 has the options; frame 4 keeps no comment.
    let notes = notes(&[(2, &["two"]), (3, &["new", "第二"])]);
    check_saved_frames(&input, &notes);
    let out = scratch("richer.pcapng.pcapng");
    let before = blocks(&std::fs::read(&input).unwrap());
    let after = blocks(&std::fs::read(&out).unwrap());
    assert_eq!(before.len(), after.len());
    let mut epb = 0;
    let mut options_seen = 0;
    let mut frame = 0;
    for ((big, a), (_, b)) in before.iter().zip(&after) {
        assert_eq!(a.kind, b.kind);
        if [6, 0x0bad].contains(&a.kind) {
            frame += 1;
        }
        if a.kind != 6 {
            assert_eq!(a, b, "block of type {:#x} changed", a.kind);
            continue;
        }
        epb += 1;
        let (fixed_a, options_a, comments_a) = split_epb(*big, &a.body);
        let (fixed_b, options_b, comments_b) = split_epb(*big, &b.body);
        assert_eq!(fixed_a, fixed_b, "frame {frame}: header or data changed");
        assert_eq!(options_a, options_b, "frame {frame}: options changed");
        options_seen += options_a.len();
        let wanted = notes.get(&frame).cloned().unwrap_or_default();
        assert_eq!(comments_b, wanted, "frame {frame}");
        if !notes.contains_key(&frame) && comments_a.is_empty() {
            assert_eq!(a, b, "frame {frame}: an untouched packet block is copied");
        }
    }
    assert_eq!(epb, 20);
    assert_eq!(options_seen, 5);
    if has_tshark() {
        // tshark sees the same blocks: interfaces, names, statistics, secrets.
        let info = |p: &Path| {
            let o = Command::new("capinfos")
                .args(["-M"])
                .arg(p)
                .output()
                .unwrap();
            String::from_utf8_lossy(&o.stdout)
                .lines()
                .filter(|l| !l.contains("File name") && !l.contains("File size"))
                .filter(|l| !l.contains("SHA") && !l.contains("RIPEMD"))
                .map(str::to_string)
                .collect::<Vec<_>>()
        };
        assert_eq!(info(&input), info(&out));
        let flags = |p: &Path| {
            let o = Command::new("tshark")
                .args(["-r", p.to_str().unwrap(), "-T", "fields"])
                .args([
                    "-e",
                    "frame.packet_flags",
                    "-e",
                    "frame.packet_flags_direction",
                ])
                .output()
                .unwrap();
            String::from_utf8(o.stdout).unwrap()
        };
        assert_eq!(flags(&input), flags(&out));
        assert!(flags(&out).contains("0x00000001"), "{}", flags(&out));
    }
}

#[test]
fn notes_are_read_back_by_tshark_as_frame_comments_and_by_tcp_ladder() {
    let dir = repo().join("tests/reference/notes");
    let cases: [(&str, &str, Notes); 2] = [
        (
            "tests/reference/notes/seed-handshake-client.pcap",
            "saved-notes",
            notes(&[
                (1, &["The client opens: SYN, seq = ISN."]),
                (2, &["服务器回答 SYN-ACK：确认号 = 客户端的 ISN + 1。"]),
                (
                    4,
                    &[
                        "Ten bytes of data:\nseq 1 to 10.",
                        "A second note on the same packet.",
                    ],
                ),
            ]),
        ),
        (
            "tests/reference/notes/rich.pcapng",
            "saved-rich",
            notes(&[
                (1, &["First packet, first interface."]),
                (
                    2,
                    &[
                        "A comment written by editcap.",
                        "第二条注释，加在 editcap 的注释之后。",
                    ],
                ),
            ]),
        ),
    ];
    for (input, reference, notes) in cases {
        // What tshark read from the file tcp-ladder wrote for these notes.
        let tsv = std::fs::read_to_string(dir.join(format!("{reference}.tsv"))).unwrap();
        let mut rows = 0;
        for line in tsv.lines() {
            let (frame, comment) = line.split_once('\t').unwrap();
            let frame: u64 = frame.parse().unwrap();
            let wanted = notes
                .get(&frame)
                .map(|c| c.join("|").replace('\n', "\\n"))
                .unwrap_or_default();
            assert_eq!(comment, wanted, "{reference} frame {frame}");
            rows += 1;
        }
        assert!(rows >= 10);
        // tcp-ladder still writes exactly that file.
        let out = scratch(&format!("{reference}.pcapng"));
        capture::save_with_notes(&repo().join(input), &notes, &out).unwrap();
        assert_eq!(
            std::fs::read(&out).unwrap(),
            std::fs::read(dir.join(format!("{reference}.pcapng"))).unwrap(),
            "{reference}: tcp-ladder writes another file now: run make-saved.sh and review"
        );
        if has_tshark() {
            assert_eq!(tshark_comments(&out), tsv);
        }
        // And reads the notes back.
        let session = Session::load_path(&out, &LoadControl::default()).unwrap();
        assert_eq!(session.comments, notes);
    }
}

#[test]
fn annotate_adds_notes_after_the_existing_comments() {
    let input = repo().join("tests/reference/notes/seed-commented.pcapng");
    let out = scratch("annotated.pcapng");
    let (code, stdout, err) = run(&[
        "annotate",
        input.to_str().unwrap(),
        "--frame",
        "4",
        "--note",
        "third\nline two",
        "--frame",
        "6",
        "--note",
        "六",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    // editcap's second `-a` on frame 4 replaced its first: 3 comments there, 5 now.
    assert!(stdout.contains("10 frames, 5 packet notes"), "{stdout}");
    let session = Session::load_path(&out, &LoadControl::default()).unwrap();
    assert_eq!(
        session.comments_of(4),
        ["A second comment on the same packet.", "third\nline two"]
    );
    assert_eq!(session.comments_of(6), ["六"]);
    assert_eq!(session.comments.len(), 4);
    // The JSON outputs carry the new notes.
    let (code, json, err) = run(&["packets", out.to_str().unwrap(), "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let rows: serde_json::Value = serde_json::from_str(&json).unwrap();
    let row = rows
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["frame"] == 6)
        .unwrap();
    assert_eq!(row["comments"], serde_json::json!(["六"]));
    let (code, json, err) = run(&["ladder", out.to_str().unwrap(), "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    assert!(json.contains("third\\nline two"), "{json}");
    // Frame 6 opens the second connection.
    let (code, json, err) = run(&[
        "ladder",
        out.to_str().unwrap(),
        "--format",
        "json",
        "--stream",
        "1",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(json.contains("六"), "{json}");
}

#[test]
fn annotate_refuses_a_frame_the_file_does_not_have_and_an_unwritable_output() {
    let input = repo().join("tests/reference/notes/seed-handshake-client.pcap");
    let out = scratch("never.pcapng");
    let (code, _, err) = run(&[
        "annotate",
        input.to_str().unwrap(),
        "--frame",
        "11",
        "--note",
        "x",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("no frame 11") && err.contains("10 frames"),
        "{err}"
    );
    assert!(!out.exists());
    let (code, _, err) = run(&[
        "annotate",
        input.to_str().unwrap(),
        "--frame",
        "1",
        "--note",
        "x",
        "-o",
        "/nonexistent-dir/out.pcapng",
    ]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("/nonexistent-dir/out.pcapng"), "{err}");
    let (code, _, err) = run(&[
        "annotate",
        input.to_str().unwrap(),
        "--frame",
        "1",
        "--frame",
        "2",
        "--note",
        "x",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 2, "{err}");
    // The library says which frame, too.
    let e = capture::save_with_notes(&input, &notes(&[(12, &["x"])]), &out).unwrap_err();
    assert!(matches!(
        e,
        CaptureError::NoSuchFrame {
            frame: 12,
            frames: 10,
            ..
        }
    ));
}

#[test]
fn the_output_may_be_the_input() {
    let path = scratch("in-place.pcapng");
    std::fs::copy(repo().join("samples/two-interfaces.pcapng"), &path).unwrap();
    let before = frames(&path);
    // Frame 5 is a custom block (no packet): it cannot take a note.
    let e = capture::save_with_notes(&path, &notes(&[(5, &["x"])]), &path).unwrap_err();
    assert!(
        matches!(e, CaptureError::NoSuchFrame { frame: 5, .. }),
        "{e}"
    );
    capture::save_with_notes(&path, &notes(&[(6, &["in place"])]), &path).unwrap();
    let after = frames(&path);
    assert_eq!(before.len(), after.len());
    assert_eq!(after[4].0, 6);
    assert_eq!(after[4].6, ["in place"]);
    // Removing every note gives back the frames without comments.
    capture::save_with_notes(&path, &Notes::new(), &path).unwrap();
    assert!(frames(&path).iter().all(|f| f.6.is_empty()));
    let leftovers: Vec<_> = std::fs::read_dir(path.parent().unwrap())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn damaged_captures_are_saved_as_far_as_they_read_and_the_damage_is_reported() {
    let mut saved_any = 0;
    for input in files_in(&corpus("malformed"))
        .into_iter()
        .chain(files_in(&corpus("tcp")))
    {
        let read = frames(&input);
        let out = scratch("damaged.pcapng");
        let notes = notes(&[(1, &["note"])]);
        let Ok(saved) = capture::save_with_notes(&input, &notes, &out) else {
            assert!(read.is_empty(), "{}: refused but readable", name(&input));
            continue;
        };
        assert_eq!(saved.frames, read.len() as u64, "{}", name(&input));
        let (mut reader, _, _) = capture::open_path(&input).unwrap();
        while reader.next_frame().is_some() {}
        assert_eq!(saved.warnings, reader.warnings(), "{}", name(&input));
        let again = frames(&out);
        assert_eq!(again.len(), read.len(), "{}", name(&input));
        for (a, b) in read.iter().zip(&again) {
            assert_eq!((a.1, a.2, &a.5), (b.1, b.2, &b.5), "{}", name(&input));
        }
        saved_any += 1;
    }
    assert!(saved_any > 300, "{saved_any}");
    // A file cut in the middle of a packet block: saved up to it, with a warning.
    let whole = std::fs::read(repo().join("samples/two-interfaces.pcapng")).unwrap();
    let cut = scratch("cut.pcapng");
    std::fs::write(&cut, &whole[..whole.len() - 30]).unwrap();
    let saved = capture::save_with_notes(&cut, &Notes::new(), &scratch("cut-out.pcapng")).unwrap();
    assert_eq!(saved.frames, 19);
    assert!(!saved.warnings.is_empty());
}

#[test]
fn a_pcapng_saved_without_changes_is_the_same_file_and_a_declared_section_length_follows() {
    let input = repo().join("samples/two-interfaces.pcapng");
    let out = scratch("unchanged.pcapng");
    capture::save_with_notes(&input, &Notes::new(), &out).unwrap();
    assert_eq!(std::fs::read(&out).unwrap(), std::fs::read(&input).unwrap());
    // A section header that gives the section's length (most say -1, "not given").
    let mut bytes = std::fs::read(&input).unwrap();
    let shb_len = u32::from_le_bytes(bytes[4..8].try_into().unwrap()) as usize;
    let section = (bytes.len() - shb_len) as i64;
    bytes[16..24].copy_from_slice(&section.to_le_bytes());
    let declared = scratch("declared.pcapng");
    std::fs::write(&declared, &bytes).unwrap();
    capture::save_with_notes(&declared, &notes(&[(1, &["longer now"])]), &out).unwrap();
    let written = std::fs::read(&out).unwrap();
    let new_section = i64::from_le_bytes(written[16..24].try_into().unwrap());
    assert_eq!(new_section, (written.len() - shb_len) as i64);
    assert!(new_section > section);
}

#[test]
fn obsolete_packet_blocks_take_notes_and_simple_ones_refuse_them() {
    // SHB, IDB (Ethernet, snaplen 0), an obsolete Packet Block, a Simple Packet Block.
    let block = |kind: u32, body: &[u8]| {
        let len = (body.len() + 12) as u32;
        let mut b = kind.to_le_bytes().to_vec();
        b.extend(len.to_le_bytes());
        b.extend(body);
        b.extend(len.to_le_bytes());
        b
    };
    let mut shb = 0x1a2b_3c4du32.to_le_bytes().to_vec();
    shb.extend([1, 0, 0, 0]);
    shb.extend((-1i64).to_le_bytes());
    let mut idb = 1u16.to_le_bytes().to_vec();
    idb.extend([0, 0, 0, 0, 0, 0]);
    let frame: Vec<u8> = (0u8..60).collect();
    let mut pb = 0u16.to_le_bytes().to_vec(); // interface
    pb.extend(0u16.to_le_bytes()); // drops
    pb.extend(0u32.to_le_bytes());
    pb.extend(1_500_000u32.to_le_bytes()); // 1.5 s in microseconds
    pb.extend(60u32.to_le_bytes());
    pb.extend(60u32.to_le_bytes());
    pb.extend(&frame);
    let mut spb = 60u32.to_le_bytes().to_vec();
    spb.extend(&frame);
    let mut bytes = block(0x0a0d_0d0a, &shb);
    bytes.extend(block(1, &idb));
    bytes.extend(block(2, &pb));
    bytes.extend(block(3, &spb));
    let input = scratch("old-blocks.pcapng");
    std::fs::write(&input, &bytes).unwrap();
    check_saved_frames(&input, &notes(&[(1, &["packet block"])]));
    if has_tshark() {
        let out = scratch("old-blocks.pcapng.pcapng");
        assert_eq!(tshark_comments(&out), "1\tpacket block\n2\t\n");
    }
    // A simple packet block has no room for options (nor a timestamp to keep): refused.
    let e = capture::save_with_notes(&input, &notes(&[(2, &["x"])]), &scratch("spb.pcapng"))
        .unwrap_err();
    assert!(
        e.to_string().contains("frame 2: a simple packet block"),
        "{e}"
    );
    assert!(!scratch("spb.pcapng").exists());
}

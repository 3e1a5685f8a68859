//! Reading a capture stream: `cat SAMPLE | tcp-ladder COMMAND -` prints exactly what
//! `tcp-ladder COMMAND SAMPLE` prints, for every sample (pcap and pcapng), for a stream
//! cut inside a record, and for a FIFO. The path version is itself checked against
//! tcpdump and tshark by `reference_agreement.rs` and pinned by `golden.rs`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use crate::common;
use common::*;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

/// Run `tcp-ladder ARGS` with `input` on standard input; (exit code, stdout, stderr).
fn run_stdin(args: &[&str], input: &[u8]) -> (i32, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_tcp-ladder"))
        .args(args)
        .env("TZ", "UTC")
        .current_dir(repo())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let input = input.to_vec();
    // Written in small pieces from another thread, as a pipe delivers a live capture.
    let writer = std::thread::spawn(move || {
        for chunk in input.chunks(97) {
            if stdin.write_all(chunk).is_err() {
                break;
            }
        }
    });
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn command_lists(file: &str, streams: usize) -> Vec<Vec<String>> {
    let mut all = vec![
        vec!["packets".to_string(), file.to_string()],
        vec!["packets".into(), file.into(), "-S".into()],
        vec![
            "packets".into(),
            file.into(),
            "--format".into(),
            "tsv".into(),
        ],
        vec!["flows".into(), file.into()],
        vec!["flows".into(), file.into(), "--json".into()],
    ];
    for s in 0..streams.min(3) {
        all.push(vec![
            "ladder".into(),
            file.into(),
            "--stream".into(),
            s.to_string(),
        ]);
        all.push(vec![
            "follow".into(),
            file.into(),
            "--stream".into(),
            s.to_string(),
        ]);
    }
    all
}

fn stream_count(path: &Path) -> usize {
    let (_, flows, _) = run(&["flows", path.to_str().unwrap(), "--json"]);
    serde_json::from_str::<Vec<serde_json::Value>>(&flows).map_or(0, |v| v.len())
}

/// Compare every command on `path` with the same command reading `bytes` from stdin.
fn same_from_stdin(path: &Path, bytes: &[u8]) {
    let file = path.to_str().unwrap();
    for args in command_lists(file, stream_count(path)) {
        let by_path: Vec<&str> = args.iter().map(String::as_str).collect();
        let by_stdin: Vec<&str> = by_path
            .iter()
            .map(|a| if *a == file { "-" } else { a })
            .collect();
        let (code_p, out_p, err_p) = run(&by_path);
        let (code_s, out_s, err_s) = run_stdin(&by_stdin, bytes);
        assert_eq!(code_s, code_p, "{by_stdin:?} < {file}: exit code ({err_s})");
        assert_eq!(out_s, out_p, "{by_stdin:?} < {file}: stdout");
        // Warnings name the input: the file's path, or "-".
        assert_eq!(
            err_s,
            err_p.replace(file, "-"),
            "{by_stdin:?} < {file}: warnings"
        );
    }
}

#[test]
fn every_sample_reads_the_same_from_standard_input() {
    let samples = samples();
    assert!(samples.len() > 20);
    assert!(samples.iter().any(|p| p.extension().unwrap() == "pcapng"));
    for sample in samples {
        let bytes = std::fs::read(&sample).unwrap();
        same_from_stdin(&sample, &bytes);
    }
}

#[test]
fn a_stream_cut_inside_a_record_keeps_what_was_read() {
    let dir = std::env::temp_dir().join(format!("tcp-ladder-stdin-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for name in ["half-close.pcapng", "two-interfaces.pcapng"] {
        let bytes = std::fs::read(repo().join("samples").join(name)).unwrap();
        // 7 bytes short: inside the last record's data.
        let cut = &bytes[..bytes.len() - 7];
        let path = dir.join(format!("cut-{name}"));
        std::fs::write(&path, cut).unwrap();
        let (_, _, warnings) = run(&["packets", path.to_str().unwrap()]);
        assert!(
            warnings.contains("warning:"),
            "{name}: a cut file warns: {warnings:?}"
        );
        let (_, out, err) = run_stdin(&["packets", "-"], cut);
        let (_, whole, _) = run(&["packets", &format!("samples/{name}")]);
        assert_eq!(
            out.lines().count() + 1,
            whole.lines().count(),
            "{name}: all but the cut packet"
        );
        assert!(err.starts_with("warning: -: "), "{err}");
        same_from_stdin(&path, cut);
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_fifo_reads_like_the_file() {
    let dir = std::env::temp_dir().join(format!("tcp-ladder-fifo-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let fifo = dir.join("capture.fifo");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    let sample = repo().join("samples/seed-handshake-client.pcapng");
    let bytes = std::fs::read(&sample).unwrap();
    for command in ["packets", "ladder", "follow"] {
        let fifo_path = fifo.clone();
        let data = bytes.clone();
        let writer = std::thread::spawn(move || {
            let mut f = std::fs::OpenOptions::new()
                .write(true)
                .open(fifo_path)
                .unwrap();
            f.write_all(&data).unwrap();
        });
        let (code, out, err) = run(&[command, fifo.to_str().unwrap()]);
        writer.join().unwrap();
        let (_, want, _) = run(&[command, sample.to_str().unwrap()]);
        assert_eq!(code, 0, "{err}");
        assert_eq!(out, want, "{command} from a FIFO");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn not_a_capture_on_standard_input_is_refused_in_one_line() {
    let (code, out, err) = run_stdin(&["packets", "-"], b"hello, this is text\n");
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("not a pcap or pcapng"), "{err}");
    let (code, _, err) = run_stdin(&["ladder", "-"], b"");
    assert_eq!(code, 2, "{err}");
}

//! Our numbers against the reference tools. The expected files in `tests/reference/` were
//! produced once by really running tcpdump 4.99.3 and tshark 4.0.17 (see its README and
//! `make-reference.sh`); these tests need neither tool.
//!
//! - `packets` (tcpdump format) must print tcpdump's lines byte for byte, from the time up
//!   to and including `length N`, with and without `-S`.
//! - `packets --format tsv` must agree with tshark's tcp.stream, tcp.seq, tcp.ack (when
//!   the ACK flag is set), tcp.seq_raw, tcp.ack_raw and tcp.len on every TCP frame.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use crate::common;
use common::*;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Captures with TCP we deliberately do not decode, with the reason. In them, our lines
/// must still be tcpdump's, and our numbers tshark's, but stream indices shift.
const KNOWN_GAPS: &[(&str, &str)] = &[];

/// Single frames where tshark shows a reassembled IPv4 datagram and we show the fragment.
const UNREASSEMBLED_FRAGMENTS: &[(&str, &str)] = &[("synthetic__malformed.pcap", "7")];

fn reference_dirs() -> Vec<(PathBuf, Vec<PathBuf>)> {
    let r = repo().join("tests/reference");
    vec![
        (r.join("corpus"), files_in(&corpus("tcp"))),
        (r.join("samples"), samples()),
        (r.join("links"), link_samples()),
        (
            r.join("synthetic"),
            files_in(&r.join("synthetic"))
                .into_iter()
                .filter(|p| p.extension().is_some_and(|e| e == "pcap" || e == "pcapng"))
                .collect(),
        ),
    ]
}

/// Keep a tcpdump line up to and including `, length N` (tcpdump may print an
/// application-layer summary after it, which we leave out).
fn cut_after_length(line: &str) -> String {
    match line.rfind(", length ") {
        Some(at) => {
            let rest = &line[at + ", length ".len()..];
            let digits = rest.chars().take_while(|c| c.is_ascii_digit()).count();
            line[..at + ", length ".len() + digits].to_string()
        }
        None => line.to_string(),
    }
}

/// One string per packet: tcpdump prints some packets on two lines (VXLAN: the inner
/// frame on the next line); `make-reference.sh` joins them with a literal `\n`, and so
/// do we here. A packet's first line starts with the time of day.
fn join_continuations(out: &str) -> Vec<String> {
    let mut joined: Vec<String> = Vec::new();
    for line in out.lines() {
        let b = line.as_bytes();
        let starts_with_time = b.len() > 8 && b[2] == b':' && b[5] == b':' && b[8] == b'.';
        match joined.last_mut() {
            Some(last) if !starts_with_time => {
                last.push_str("\\n");
                last.push_str(line);
            }
            _ => joined.push(line.to_string()),
        }
    }
    joined
}

/// tcpdump's reference lines by frame number (the files carry tcpdump's `-#` prefix).
fn reference_lines(path: &Path) -> Vec<(u64, String)> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| {
            let (n, rest) = l.trim_start().split_once("  ").unwrap();
            (n.parse().unwrap(), cut_after_length(rest))
        })
        .collect()
}

fn check_tcpdump(dir: &Path, capture: &Path, absolute: bool, failures: &mut Vec<String>) -> usize {
    let b = name(capture);
    let suffix = if absolute { ".tcpdump-S" } else { ".tcpdump" };
    let ref_path = dir.join(format!("{b}{suffix}"));
    let stderr_path = dir.join(format!("{b}.stderr"));
    if std::fs::read_to_string(&stderr_path)
        .is_ok_and(|e| e.contains("different from the type of the first interface"))
    {
        // libpcap refuses pcapng files that mix link types; tcpdump printed nothing.
        return 0;
    }
    let expected = reference_lines(&ref_path);
    let mut args = vec!["packets", capture.to_str().unwrap()];
    if absolute {
        args.push("-S");
    }
    let (code, out, err) = run(&args);
    assert_eq!(code, 0, "{b}: exit {code}: {err}");
    let ours: Vec<String> = join_continuations(&out)
        .iter()
        .map(|l| cut_after_length(l))
        .collect();
    let gap = KNOWN_GAPS.iter().any(|(n, _)| *n == b);
    if gap {
        // Compare only the lines we print: each must be one of tcpdump's, in order.
        let exp: Vec<&String> = expected.iter().map(|(_, l)| l).collect();
        let mut it = exp.iter();
        for line in &ours {
            if !it.any(|e| *e == line) {
                failures.push(format!("{b}{suffix}: unexpected line {line}"));
            }
        }
        return ours.len();
    }
    if ours.len() != expected.len() {
        failures.push(format!(
            "{b}{suffix}: {} lines, tcpdump printed {}",
            ours.len(),
            expected.len()
        ));
    }
    for ((frame, exp), got) in expected.iter().zip(ours.iter()) {
        if exp != got {
            failures.push(format!(
                "{b}{suffix} frame {frame}:\n  tcpdump: {exp}\n  ours:    {got}"
            ));
        }
    }
    expected.len()
}

fn check_tshark(dir: &Path, capture: &Path, failures: &mut Vec<String>) -> usize {
    let b = name(capture);
    let text = std::fs::read_to_string(dir.join(format!("{b}.tshark.tsv"))).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split('\t').collect();
    let col = |n: &str| header.iter().position(|h| *h == n).unwrap();
    let (c_frame, c_stream, c_flags, c_seq, c_ack, c_seq_raw, c_ack_raw, c_len) = (
        col("frame.number"),
        col("tcp.stream"),
        col("tcp.flags"),
        col("tcp.seq"),
        col("tcp.ack"),
        col("tcp.seq_raw"),
        col("tcp.ack_raw"),
        col("tcp.len"),
    );
    let (code, out, err) = run(&["packets", capture.to_str().unwrap(), "--format", "tsv"]);
    assert_eq!(code, 0, "{b}: {err}");
    let ours: HashMap<String, Vec<String>> = out
        .lines()
        .skip(1)
        .map(|l| {
            let cells: Vec<String> = l.split('\t').map(str::to_string).collect();
            (cells[0].clone(), cells)
        })
        .collect();
    let gap = KNOWN_GAPS.iter().any(|(n, _)| *n == b);
    let mut compared = 0;
    for line in lines {
        let t: Vec<&str> = line.split('\t').collect();
        if t[c_stream].is_empty() || t[c_flags].is_empty() || t[c_len].is_empty() {
            continue; // tshark could not dissect this TCP header either
        }
        let frame = t[c_frame];
        let Some(o) = ours.get(frame) else {
            if !gap && !line.contains("fraghdr") && !tshark_reassembled(dir, &b, frame) {
                failures.push(format!(
                    "{b} frame {frame}: tshark has a TCP row, we have none"
                ));
            }
            continue;
        };
        compared += 1;
        let ack_flag =
            u16::from_str_radix(t[c_flags].trim_start_matches("0x"), 16).unwrap() & 0x10 != 0;
        let expected = [
            t[c_stream],
            t[c_seq],
            if ack_flag { t[c_ack] } else { "" },
            t[c_seq_raw],
            t[c_ack_raw],
            t[c_len],
        ];
        let got = [&o[1], &o[7], &o[8], &o[9], &o[10], &o[11]].map(String::as_str);
        let expected_cmp: Vec<&str> = if gap {
            expected[1..].to_vec()
        } else {
            expected.to_vec()
        };
        let got_cmp: Vec<&str> = if gap { got[1..].to_vec() } else { got.to_vec() };
        if UNREASSEMBLED_FRAGMENTS.contains(&(b.as_str(), frame)) {
            continue;
        }
        if expected_cmp != got_cmp {
            failures.push(format!(
                "{b} frame {frame}: tshark stream/seq/ack/seq_raw/ack_raw/len {expected:?}, ours {got:?}"
            ));
        }
    }
    compared
}

/// tshark reassembles IPv4 fragments and shows the segment in the last fragment's frame;
/// we keep fragments unreassembled (the frames differ, the numbers do not).
fn tshark_reassembled(dir: &Path, b: &str, frame: &str) -> bool {
    let tcpdump = std::fs::read_to_string(dir.join(format!("{b}.tcpdump"))).unwrap_or_default();
    !tcpdump
        .lines()
        .any(|l| l.trim_start().starts_with(&format!("{frame}  ")))
}

#[test]
fn tcpdump_lines_match_tcpdump_exactly() {
    let mut failures = Vec::new();
    let mut total = 0;
    for (dir, captures) in reference_dirs() {
        for capture in &captures {
            total += check_tcpdump(&dir, capture, false, &mut failures);
            total += check_tcpdump(&dir, capture, true, &mut failures);
        }
    }
    assert!(total > 14_000, "only {total} reference lines compared");
    assert!(
        failures.is_empty(),
        "{} of {total} lines differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn streams_and_numbers_match_tshark() {
    let mut failures = Vec::new();
    let mut total = 0;
    for (dir, captures) in reference_dirs() {
        for capture in &captures {
            total += check_tshark(&dir, capture, &mut failures);
        }
    }
    assert!(total > 7_000, "only {total} tshark rows compared");
    assert!(
        failures.is_empty(),
        "{} of {total} rows differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Captures whose analysis differs from tshark for a known reason.
const ANALYSIS_GAPS: &[(&str, &str)] = &[
    (
        "synthetic__malformed.pcap",
        "tshark reassembles the IPv4 fragments and dissects a header with data offset 4; its sequence state differs from then on",
    ),
    (
        "synthetic__options.pcap",
        "a window-scale option outside the SYN, which Wireshark applies to later windows",
    ),
];

fn check_analysis(dir: &Path, capture: &Path, failures: &mut Vec<String>) -> usize {
    let b = name(capture);
    if ANALYSIS_GAPS.iter().any(|(n, _)| *n == b) {
        return 0;
    }
    let text = std::fs::read_to_string(dir.join(format!("{b}.tshark.tsv"))).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split('\t').collect();
    let (code, out, err) = run(&["packets", capture.to_str().unwrap(), "--format", "json"]);
    assert_eq!(code, 0, "{b}: {err}");
    let rows: Vec<serde_json::Value> = serde_json::from_str(&out).unwrap();
    let ours: HashMap<String, &serde_json::Value> =
        rows.iter().map(|r| (r["frame"].to_string(), r)).collect();
    let mut compared = 0;
    for line in lines {
        let t: Vec<&str> = line.split('\t').collect();
        let field = |n: &str| {
            header
                .iter()
                .position(|h| *h == n)
                .map(|i| t[i])
                .unwrap_or("")
        };
        let Some(o) = ours.get(field("frame.number")) else {
            continue;
        };
        compared += 1;
        let mut expected: Vec<String> = header
            .iter()
            .zip(&t)
            .filter(|(h, v)| {
                h.starts_with("tcp.analysis.")
                    && !v.is_empty()
                    && !h.ends_with("_num")
                    && !h.ends_with("_frame")
            })
            .map(|(h, _)| h.trim_start_matches("tcp.analysis.").to_string())
            .collect();
        expected.sort();
        let mut got: Vec<String> = o["analysis"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().to_string())
            .collect();
        got.sort();
        if expected != got {
            failures.push(format!(
                "{b} frame {}: tshark {expected:?}, ours {got:?}",
                field("frame.number")
            ));
        }
        if !field("tcp.analysis.duplicate_ack_num").is_empty() {
            let want = format!(
                "[{},{}]",
                field("tcp.analysis.duplicate_ack_num"),
                field("tcp.analysis.duplicate_ack_frame")
            );
            let have = o["duplicate_ack"].to_string();
            if want != have {
                failures.push(format!(
                    "{b} frame {}: duplicate ACK #/frame tshark {want}, ours {have}",
                    field("frame.number")
                ));
            }
        }
    }
    compared
}

#[test]
fn analysis_flags_match_tshark() {
    let mut failures = Vec::new();
    let mut total = 0;
    for (dir, captures) in reference_dirs() {
        for capture in &captures {
            total += check_analysis(&dir, capture, &mut failures);
        }
    }
    assert!(total > 7_000, "only {total} rows compared");
    assert!(
        failures.is_empty(),
        "{} of {total} rows differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

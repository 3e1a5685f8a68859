//! The two tutorials this tool grew from (`../shared/seeds/`) printed real tcpdump lines.
//! Our `packets` output for the seed samples must contain them verbatim (host names
//! replaced by the addresses they stand for), and seed 001's absolute numbers must come
//! out of `packets -S`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use crate::common;
use common::*;

fn seed(name: &str) -> String {
    let path = repo().join("../shared/seeds").join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Lines that start with a time of day `HH:MM:SS.micros IP `.
fn tcpdump_lines(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| {
            let b = l.as_bytes();
            b.len() > 20
                && b[2] == b':'
                && b[5] == b':'
                && b[8] == b'.'
                && l[15..].starts_with(" IP ")
        })
        .map(|l| l.replace("VM_0_9_centos.ddi-tcp-1", "172.16.0.9.8888"))
        .collect()
}

#[test]
fn seed_000_lines_appear_in_our_output() {
    // The first line in the text (16:38:11, port 54296) is the tutorial's example of the
    // output format, from another capture; the session itself starts at 17:38:17.
    let lines: Vec<String> = tcpdump_lines(&seed("000_74b3cf5121775ae1.txt"))
        .into_iter()
        .filter(|l| !l.starts_with("16:38:11.960274"))
        .collect();
    // 3 handshake + 2 data + 2 teardown lines, each from both sides.
    assert_eq!(lines.len(), 14, "{lines:#?}");
    let mut ours = String::new();
    for sample in [
        "seed-handshake-client.pcapng",
        "seed-handshake-server.pcapng",
    ] {
        let (code, out, err) = run(&[
            "packets",
            repo().join("samples").join(sample).to_str().unwrap(),
        ]);
        assert_eq!(code, 0, "{err}");
        ours.push_str(&out);
    }
    let ours: Vec<&str> = ours.lines().collect();
    for line in &lines {
        assert!(
            ours.contains(&line.as_str()),
            "seed line not printed by us:\n{line}\nours:\n{}",
            ours.join("\n")
        );
    }
}

/// `16:17:58.813323 IP 166.111.X.X.57245 > 192.30.252.153.80: S 1337949936:1337949936(0) win 65535`
struct OldLine {
    time: String,
    seq: Option<u32>,
    ack: Option<u32>,
    win: u32,
    len: u32,
}

fn parse_windump(line: &str) -> OldLine {
    let words: Vec<&str> = line.split_whitespace().collect();
    let mut l = OldLine {
        time: words[0].to_string(),
        seq: None,
        ack: None,
        win: 0,
        len: 0,
    };
    for (i, w) in words.iter().enumerate() {
        if let Some((range, rest)) = w.split_once('(')
            && let Some((start, _)) = range.split_once(':')
        {
            l.seq = Some(start.parse().unwrap());
            l.len = rest.trim_end_matches(')').parse().unwrap();
        }
        if *w == "ack" {
            l.ack = Some(words[i + 1].parse().unwrap());
        }
        if *w == "win" {
            l.win = words[i + 1].parse().unwrap();
        }
    }
    l
}

#[test]
fn seed_001_absolute_numbers_with_dash_s() {
    let text = seed("001_64ce4420473e4cac.txt");
    let lines: Vec<OldLine> = tcpdump_lines(&text)
        .iter()
        .map(|l| parse_windump(l))
        .collect();
    assert_eq!(lines.len(), 10);
    let sample = repo().join("samples/seed-github.pcapng");
    let (code, out, err) = run(&["packets", sample.to_str().unwrap(), "-S"]);
    assert_eq!(code, 0, "{err}");
    let ours: Vec<&str> = out.lines().collect();
    assert_eq!(ours.len(), 10);
    for (seed, our) in lines.iter().zip(ours) {
        assert!(our.starts_with(&seed.time), "time {} vs {our}", seed.time);
        if let Some(seq) = seed.seq {
            assert!(
                our.contains(&format!("seq {seq}")),
                "seq {seq} missing in {our}"
            );
        }
        if let Some(ack) = seed.ack {
            assert!(
                our.contains(&format!("ack {ack}")),
                "ack {ack} missing in {our}"
            );
        }
        assert!(
            our.contains(&format!("win {},", seed.win)),
            "win {} missing in {our}",
            seed.win
        );
        assert!(
            our.ends_with(&format!("length {}", seed.len)),
            "length {} in {our}",
            seed.len
        );
    }
}

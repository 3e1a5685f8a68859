//! The header tree's window fields agree with tshark's on every bundled sample: the raw
//! "Window", the "Calculated window size" (what the arrow's `Win=` says) and the "Window
//! size scaling factor" (-1 when unknown, -2 when not used, absent on a SYN).
//! Expected values: `reference/window/`, made by `reference/window/make-window.sh`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use crate::common;

use std::collections::HashMap;
use std::path::Path;
use tcp_ladder::decode::fields::FieldNode;
use tcp_ladder::samples;
use tcp_ladder::session::{LoadControl, Session};

/// frame → (window, calculated window, scaling factor) as tshark printed them.
fn reference(dir: &str, name: &str) -> HashMap<u64, [String; 3]> {
    let path = common::repo()
        .join("tests/reference/window")
        .join(dir)
        .join(format!("{name}.tsv"));
    let text = std::fs::read_to_string(&path).unwrap();
    text.lines()
        .map(|line| {
            let t: Vec<&str> = line.split('\t').collect();
            (
                t[0].parse().unwrap(),
                [t[1].to_string(), t[2].to_string(), t[3].to_string()],
            )
        })
        .collect()
}

fn tcp_field<'a>(tree: &'a [FieldNode], name: &str) -> Option<&'a FieldNode> {
    tree.iter()
        .find(|n| n.name == "Transmission Control Protocol")
        .and_then(|tcp| tcp.children.iter().find(|c| c.name == name))
}

/// The number a factor node starts with ("-1 (unknown…)" → "-1").
fn leading_number(value: &str) -> String {
    value.split(' ').next().unwrap_or_default().to_string()
}

/// Compare every packet of `session` with tshark's rows; returns how many were compared.
fn compare(
    name: &str,
    session: &Session,
    expected: &HashMap<u64, [String; 3]>,
    failures: &mut Vec<String>,
) -> usize {
    let mut compared = 0;
    for (index, packet) in session.packets.iter().enumerate() {
        let Some([window, calculated, factor]) = expected.get(&packet.frame()) else {
            continue;
        };
        let tree = session.packet_fields(index as u32).unwrap();
        let value = |name| tcp_field(&tree, name).map(|n| n.value.clone());
        let ours = [
            value("Window").unwrap_or_default(),
            value("Calculated window size").unwrap_or_default(),
            value("Window size scaling factor")
                .map(|v| leading_number(&v))
                .unwrap_or_default(),
        ];
        if ours != [window.clone(), calculated.clone(), factor.clone()] {
            failures.push(format!(
                "{name} frame {}: ours {ours:?}, tshark {:?}",
                packet.frame(),
                [window, calculated, factor]
            ));
        }
        compared += 1;
    }
    compared
}

#[test]
fn window_fields_agree_with_tshark_on_every_sample() {
    let mut compared = 0;
    let mut failures = Vec::new();
    for sample in samples::SAMPLES {
        let session = Session::load_bytes(
            Path::new(sample.file_name),
            sample.bytes.into(),
            &LoadControl::default(),
        )
        .unwrap();
        let expected = reference("", sample.file_name);
        compared += compare(sample.file_name, &session, &expected, &mut failures);
    }
    assert!(compared > 500, "only {compared} packets compared");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Captures whose window scaling differs from tshark's for a known reason.
const GAPS: &[(&str, &str)] = &[(
    "suricata__tls-subjectaltname.pcap",
    "nine packets sent before their connection's SYN was captured: tshark's scaling knowledge is per packet (unknown then), ours per connection",
)];

#[test]
fn window_fields_agree_with_tshark_on_the_corpus() {
    let mut compared = 0;
    let mut failures = Vec::new();
    for path in common::files_in(&common::corpus("tcp")) {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if GAPS.iter().any(|(gap, _)| *gap == name) {
            continue;
        }
        let session = Session::load_path(&path, &LoadControl::default()).unwrap();
        let expected = reference("corpus", &name);
        compared += compare(&name, &session, &expected, &mut failures);
    }
    assert!(compared > 4_000, "only {compared} packets compared");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn unknown_scaling_factor_is_said_in_words() {
    // refused.pcapng: the server answers the SYN with a RST; it never sent a SYN, so the
    // scaling of its window is unknown (tshark: -1).
    let sample = samples::find("refused.pcapng").unwrap();
    let session = Session::load_bytes(
        Path::new(sample.file_name),
        sample.bytes.into(),
        &LoadControl::default(),
    )
    .unwrap();
    let rst = session.packets.iter().position(|p| p.flags.rst()).unwrap();
    let tree = session.packet_fields(rst as u32).unwrap();
    let factor = tcp_field(&tree, "Window size scaling factor").unwrap();
    assert!(factor.value.starts_with("-1 (unknown"), "{}", factor.value);
}

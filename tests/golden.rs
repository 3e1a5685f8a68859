//! Golden files: what every command prints for every sample, checked in under
//! `tests/golden/SAMPLE/`. The tcpdump and TSV numbers in them are independently checked
//! against tcpdump and tshark by `reference_agreement.rs`; the `flows` and `ladder`
//! outputs were read and checked by hand when they were written (see tests/README.md).
//!
//! After an intended change: `UPDATE_GOLDEN=1 cargo test --test integration golden::`,
//! then review the diff of `tests/golden/` line by line before committing it.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use crate::common;
use common::*;

fn commands(sample: &str, streams: usize) -> Vec<(String, Vec<String>)> {
    let mut list = vec![
        ("flows.txt".to_string(), vec!["flows".into(), sample.into()]),
        (
            "flows.json".to_string(),
            vec!["flows".into(), sample.into(), "--json".into()],
        ),
        (
            "packets.tcpdump.txt".to_string(),
            vec!["packets".into(), sample.into()],
        ),
        (
            "packets.tsv".to_string(),
            vec![
                "packets".into(),
                sample.into(),
                "--format".into(),
                "tsv".into(),
            ],
        ),
        (
            "packets.json".to_string(),
            vec![
                "packets".into(),
                sample.into(),
                "--format".into(),
                "json".into(),
            ],
        ),
    ];
    for s in 0..streams {
        list.push((
            format!("ladder-{s}.txt"),
            vec![
                "ladder".into(),
                sample.into(),
                "--stream".into(),
                s.to_string(),
            ],
        ));
        list.push((
            format!("follow-{s}.txt"),
            vec![
                "follow".into(),
                sample.into(),
                "--stream".into(),
                s.to_string(),
            ],
        ));
    }
    list
}

#[test]
fn every_command_on_every_sample_matches_its_golden_file() {
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    let mut failures = Vec::new();
    let mut checked = 0;
    for sample in samples() {
        let b = name(&sample);
        let path = format!("samples/{b}");
        let dir = repo().join("tests/golden").join(&b);
        let (_, flows_json, _) = run(&["flows", sample.to_str().unwrap(), "--json"]);
        let streams = flows_json.matches("\"stream\"").count();
        assert!(streams > 0, "{b}: no connections");
        for (file, args) in commands(&path, streams) {
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let (code, out, err) = run(&args);
            assert_eq!(code, 0, "{b} {args:?}: {err}");
            let golden = dir.join(&file);
            if update {
                std::fs::create_dir_all(&dir).unwrap();
                std::fs::write(&golden, &out).unwrap();
                continue;
            }
            checked += 1;
            match std::fs::read_to_string(&golden) {
                Ok(expected) if expected == out => {}
                Ok(expected) => {
                    let first = expected
                        .lines()
                        .zip(out.lines())
                        .position(|(a, b)| a != b)
                        .unwrap_or(expected.lines().count().min(out.lines().count()));
                    failures.push(format!(
                        "{b}/{file}: differs from line {}:\n  golden: {}\n  now:    {}",
                        first + 1,
                        expected.lines().nth(first).unwrap_or("<end>"),
                        out.lines().nth(first).unwrap_or("<end>")
                    ));
                }
                Err(_) => failures.push(format!(
                    "{b}/{file}: golden file missing (run with UPDATE_GOLDEN=1)"
                )),
            }
        }
    }
    assert!(
        update || checked > 100,
        "only {checked} golden files checked"
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_sample_file_is_built_into_the_app() {
    for sample in samples() {
        let b = name(&sample);
        let bundled =
            tcp_ladder::samples::find(&b).unwrap_or_else(|| panic!("{b} is not in src/samples.rs"));
        assert_eq!(
            bundled.bytes,
            std::fs::read(&sample).unwrap().as_slice(),
            "{b}"
        );
    }
}

//! The words a student reads: every explanation of every packet of every sample, in
//! both languages, pinned in `tests/golden/explain/SAMPLE.LANG.txt` so each wording
//! change is reviewed as a diff; and every analysis flag on every sample explained by
//! a sentence that names it.
//!
//! The golden files are our own output: they were read sentence by sentence against
//! RFC 9293 and Wireshark's rules when written (issue 16). After an intended change:
//! `UPDATE_GOLDEN=1 cargo test --test integration explanations::`, then review the diff.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use crate::common;
use common::*;
use tcp_ladder::flow::Flag;
use tcp_ladder::i18n::Lang;
use tcp_ladder::ladder::explain_with;
use tcp_ladder::ladder::phases::{Phase, band_title};
use tcp_ladder::session::{LoadControl, Session};

fn load(path: &std::path::Path) -> Session {
    Session::load_path(path, &LoadControl::default()).unwrap()
}

/// Every packet's explanation, connection by connection.
fn explanations(session: &Session, lang: Lang) -> String {
    let t = lang.texts();
    let mut out = String::new();
    for conn in &session.connections {
        let title = t.connection_title(
            conn.stream(),
            &conn.endpoint(conn.client()).to_string(),
            &conn.endpoint(conn.server()).to_string(),
        );
        out.push_str(&format!("== {title}\n\n"));
        for (i, p) in session.packets.iter().enumerate() {
            if p.stream != conn.stream() {
                continue;
            }
            let flags = p.analysis.flags.field_names().join(",");
            out.push_str(&format!(
                "#{} [{}]{}\n{}\n\n",
                p.frame(),
                p.flags.words(),
                if flags.is_empty() {
                    String::new()
                } else {
                    format!(" {{{flags}}}")
                },
                explain_with(session, i as u32, lang, false)
            ));
        }
    }
    out
}

#[test]
fn every_explanation_of_every_sample_matches_its_golden_file() {
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    let dir = repo().join("tests/golden/explain");
    let mut failures = Vec::new();
    let mut checked = 0;
    for sample in samples() {
        let session = load(&sample);
        for lang in Lang::ALL {
            let out = explanations(&session, lang);
            let golden = dir.join(format!("{}.{}.txt", name(&sample), lang.code()));
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
                        "{}: differs from line {}:\n  golden: {}\n  now:    {}",
                        golden.display(),
                        first + 1,
                        expected.lines().nth(first).unwrap_or("<end>"),
                        out.lines().nth(first).unwrap_or("<end>")
                    ));
                }
                Err(_) => failures.push(format!(
                    "{}: missing (run with UPDATE_GOLDEN=1)",
                    golden.display()
                )),
            }
        }
    }
    assert!(
        update || checked >= 50,
        "only {checked} golden files checked"
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The words that name each flag in a sentence, per language: any one will do (a Linux
/// zero-window probe is flagged keep-alive and named a zero-window probe).
fn names_of(flag: Flag, lang: Lang) -> &'static [&'static str] {
    match (lang, flag) {
        (Lang::En, Flag::Retransmission) => &["Retransmission", "retransmission"],
        (Lang::En, Flag::FastRetransmission) => &["Fast retransmission"],
        (Lang::En, Flag::SpuriousRetransmission) => &["Spurious retransmission"],
        (Lang::En, Flag::OutOfOrder) => &["Out of order"],
        (Lang::En, Flag::LostSegment) => &["Previous segment not captured"],
        (Lang::En, Flag::AckLostSegment) => &["ACKed unseen segment"],
        (Lang::En, Flag::DuplicateAck) => &["Duplicate ACK #"],
        (Lang::En, Flag::ZeroWindow) => &["Zero window: "],
        (Lang::En, Flag::ZeroWindowProbe) => &["Zero-window probe"],
        (Lang::En, Flag::ZeroWindowProbeAck) => &["answers the zero-window probe"],
        (Lang::En, Flag::WindowFull) => &["Window full"],
        (Lang::En, Flag::WindowUpdate) => &["Window update"],
        (Lang::En, Flag::KeepAlive) => &["Keep-alive: ", "Zero-window probe"],
        (Lang::En, Flag::KeepAliveAck) => &["Keep-alive ACK", "answers the zero-window probe"],
        (Lang::En, Flag::ReusedPorts) => &["Ports reused"],
        (Lang::ZhCn, Flag::Retransmission) => &["重传"],
        (Lang::ZhCn, Flag::FastRetransmission) => &["快速重传"],
        (Lang::ZhCn, Flag::SpuriousRetransmission) => &["虚假重传"],
        (Lang::ZhCn, Flag::OutOfOrder) => &["乱序"],
        (Lang::ZhCn, Flag::LostSegment) => &["前一个报文段未抓到"],
        (Lang::ZhCn, Flag::AckLostSegment) => &["确认了未抓到的报文段"],
        (Lang::ZhCn, Flag::DuplicateAck) => &["次重复确认"],
        (Lang::ZhCn, Flag::ZeroWindow) => &["零窗口："],
        (Lang::ZhCn, Flag::ZeroWindowProbe) => &["零窗口探测"],
        (Lang::ZhCn, Flag::ZeroWindowProbeAck) => &["回应零窗口探测"],
        (Lang::ZhCn, Flag::WindowFull) => &["窗口已满"],
        (Lang::ZhCn, Flag::WindowUpdate) => &["窗口更新"],
        (Lang::ZhCn, Flag::KeepAlive) => &["保活探测：", "零窗口探测"],
        (Lang::ZhCn, Flag::KeepAliveAck) => &["保活确认", "回应零窗口探测"],
        (Lang::ZhCn, Flag::ReusedPorts) => &["端口复用"],
    }
}

#[test]
fn every_flagged_packet_of_every_sample_is_explained_by_its_flag() {
    let mut seen = std::collections::BTreeSet::new();
    let mut failures = Vec::new();
    for sample in samples() {
        let session = load(&sample);
        for (i, p) in session.packets.iter().enumerate() {
            for flag in p.analysis.flags.iter() {
                seen.insert(flag.field_name());
                for lang in Lang::ALL {
                    let said = explain_with(&session, i as u32, lang, false);
                    if !names_of(flag, lang).iter().any(|n| said.contains(n)) {
                        failures.push(format!(
                            "{} frame {} ({}, {}): {said}",
                            name(&sample),
                            p.frame(),
                            flag.field_name(),
                            lang.code()
                        ));
                    }
                    // A pure ACK that a flag explains acknowledges nothing new.
                    if matches!(
                        flag,
                        Flag::DuplicateAck | Flag::KeepAliveAck | Flag::ZeroWindowProbeAck
                    ) && said.contains("acknowledges new data")
                    {
                        failures.push(format!("{} frame {}: {said}", name(&sample), p.frame()));
                    }
                }
            }
        }
    }
    // The samples carry all but one of the flags (ACKed unseen: see the unit tests).
    assert!(seen.len() >= 13, "flags seen in the samples: {seen:?}");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// When a capture has no handshake the sides are "A" and "B", which take no article:
/// "A sends …", never "The A sends …" (a new user met that on a corpus capture), and in
/// Chinese "A 没有…", never "A没有…". Every explanation of every corpus capture whose
/// roles are unknown is checked, in both languages.
#[test]
fn unknown_roles_read_a_and_b_well_in_both_languages() {
    let mut checked = 0;
    for path in files_in(&corpus("tcp")) {
        let Ok(session) = Session::load_path(&path, &LoadControl::default()) else {
            continue;
        };
        if session.connections.iter().all(|c| c.roles_known()) {
            continue;
        }
        let text = explanations(&session, Lang::En);
        for wrong in [
            "The A ", "the A ", "The A'", "the A'", "The B ", "the B ", "The B'", "the B'",
        ] {
            assert!(
                !text.contains(wrong),
                "{}: {wrong:?} in\n{}",
                path.display(),
                text.lines().find(|l| l.contains(wrong)).unwrap_or_default()
            );
        }
        checked += text.matches("A sends").count();
        // In Chinese a one-letter side name stands apart from the characters beside it,
        // in the explanations and in the band titles (also the connection list's words).
        let mut zh = explanations(&session, Lang::ZhCn);
        for conn in &session.connections {
            for phase in [Phase::Open, Phase::Data, Phase::Close] {
                zh.push_str(&band_title(conn, phase, Lang::ZhCn.texts()));
                zh.push('\n');
            }
        }
        let zh: Vec<char> = zh.chars().collect();
        for w in zh.windows(2) {
            let ideograph = |c: char| ('\u{4e00}'..='\u{9fff}').contains(&c);
            let side = |c: char| c == 'A' || c == 'B';
            assert!(
                !(ideograph(w[0]) && side(w[1]) || side(w[0]) && ideograph(w[1])),
                "{}: {:?} in the Chinese explanations",
                path.display(),
                w.iter().collect::<String>()
            );
        }
    }
    assert!(
        checked > 0,
        "no corpus capture with unknown roles says \"A sends\""
    );
}

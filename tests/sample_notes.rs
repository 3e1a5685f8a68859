//! The bundled samples' own notes: every sample that teaches TCP carries a few notes, in
//! English and Chinese (`[en] …` / `[zh-CN] …` packet comments), on TCP packets of the
//! sample; tshark reads them back exactly as tcp-ladder does (`frame.comment`, stored in
//! `tests/reference/notes/samples/` by `make-sample-notes.sh`); and the app shows each
//! reader the note in their language.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use crate::common;
use common::*;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use std::collections::BTreeMap;
use tcp_ladder::i18n::{Lang, notes_in};
use tcp_ladder::samples;
use tcp_ladder::session::{LoadControl, Session};
use tcp_ladder::ui::{LoadSource, TcpLadderApp, install_bundled_style};

/// The bundled samples whose point is the file or its link layer, not TCP: they keep
/// their classic pcap form (or, for two-interfaces, a pcapng with no notes), and
/// loopback-real is a real capture left as it was captured.
const ABOUT_THE_FORMAT: &[&str] = &[
    "vlan.pcap",
    "linux-cooked.pcap",
    "linux-cooked-v2.pcap",
    "two-interfaces.pcapng",
    "snaplen-truncated.pcap",
    "loopback-real.pcap",
    "nanosecond.pcap",
    "big-endian.pcap",
];

/// Every generated teaching sample: those of the Samples menu that teach TCP, and
/// `ipv6.pcapng`, which is not in the menu.
fn teaching_samples() -> Vec<String> {
    let mut names: Vec<String> = samples::SAMPLES
        .iter()
        .map(|s| s.file_name.to_string())
        .filter(|n| !ABOUT_THE_FORMAT.contains(&n.as_str()))
        .collect();
    names.push("ipv6.pcapng".to_string());
    names
}

fn load(name: &str) -> Session {
    Session::load_path(&repo().join("samples").join(name), &LoadControl::default()).unwrap()
}

/// What tshark read from the sample: frame → (tcp.stream, the comments).
fn tshark_notes(name: &str) -> BTreeMap<u64, (String, Vec<String>)> {
    let stem = name.trim_end_matches(".pcapng");
    let path = repo().join(format!("tests/reference/notes/samples/{stem}.tsv"));
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (run make-sample-notes.sh)", path.display()));
    text.lines()
        .map(|l| {
            let cols: Vec<&str> = l.split('\t').collect();
            assert_eq!(cols.len(), 3, "{name}: {l}");
            (
                cols[0].parse().unwrap(),
                (
                    cols[1].to_string(),
                    cols[2].split('|').map(str::to_string).collect(),
                ),
            )
        })
        .collect()
}

#[test]
fn every_teaching_sample_is_pcapng_with_three_to_six_notes() {
    let teaching = teaching_samples();
    assert!(teaching.len() >= 19, "{teaching:?}");
    for name in &teaching {
        assert!(name.ends_with(".pcapng"), "{name} should be pcapng");
        let session = load(name);
        let noted = session.comments.len();
        assert!(
            (3..=6).contains(&noted),
            "{name}: {noted} packets with notes"
        );
    }
    // The samples about the file format have none.
    for name in ABOUT_THE_FORMAT {
        assert!(samples::find(name).is_some(), "{name} is not bundled");
        assert!(load(name).comments.is_empty(), "{name} has notes");
    }
}

#[test]
fn every_note_is_in_both_languages_on_a_tcp_packet_of_the_sample() {
    for name in teaching_samples() {
        let session = load(&name);
        for (frame, comments) in &session.comments {
            let record = session.packets.iter().find(|p| p.frame() == *frame);
            assert!(
                record.is_some(),
                "{name}: frame {frame} has a note but is not a TCP packet of the sample"
            );
            let tagged = |tag: &str| comments.iter().filter(|c| c.starts_with(tag)).count();
            let (en, zh) = (tagged("[en] "), tagged("[zh-CN] "));
            assert!(en >= 1, "{name}: frame {frame} has no English note");
            assert_eq!(
                en, zh,
                "{name}: frame {frame}: each note needs its twin in the other language"
            );
            assert_eq!(
                en + zh,
                comments.len(),
                "{name}: frame {frame}: untagged note"
            );
            for lang in Lang::ALL {
                let shown = notes_in(lang, comments);
                assert_eq!(shown.len(), en, "{name}: frame {frame} in {lang:?}");
                assert!(
                    shown
                        .iter()
                        .all(|s| !s.starts_with('[') && !s.trim().is_empty()),
                    "{name}: frame {frame} in {lang:?}: {shown:?}"
                );
            }
            // The Chinese text is Chinese, and uses the project's words.
            for zh in comments.iter().filter(|c| c.starts_with("[zh-CN] ")) {
                assert!(
                    zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                    "{name}: frame {frame}: {zh}"
                );
                for avoided in ["数据包", "梯形图", "推定"] {
                    assert!(!zh.contains(avoided), "{name}: frame {frame}: {avoided}");
                }
            }
        }
    }
}

#[test]
fn tshark_reads_back_every_note_as_tcp_ladder_does() {
    for name in teaching_samples() {
        let session = load(&name);
        let expected = tshark_notes(&name);
        let ours: BTreeMap<u64, Vec<String>> = session.comments.clone().into_iter().collect();
        assert_eq!(
            ours.keys().collect::<Vec<_>>(),
            expected.keys().collect::<Vec<_>>(),
            "{name}: the frames with notes"
        );
        for (frame, (stream, comments)) in &expected {
            assert_eq!(&ours[frame], comments, "{name}: frame {frame}");
            // tshark too sees a TCP packet there, in the same connection as ours.
            let record = session
                .packets
                .iter()
                .find(|p| p.frame() == *frame)
                .unwrap();
            assert_eq!(stream, &record.stream.to_string(), "{name}: frame {frame}");
        }
    }
}

/// Does any label or value in the accessibility tree contain `text`?
fn shows(harness: &Harness<'_, TcpLadderApp>, text: &str) -> bool {
    harness
        .query_all_by(|node| {
            node.label().is_some_and(|l| l.contains(text))
                || node.value().is_some_and(|v| v.contains(text))
        })
        .next()
        .is_some()
}

#[test]
fn the_chinese_interface_shows_the_chinese_note_and_not_the_english_one() {
    let sample = samples::find(samples::DEFAULT_SAMPLE).unwrap();
    let mut app = TcpLadderApp::new_for_test();
    app.load_blocking(LoadSource::sample(sample));
    let mut harness = Harness::builder()
        // Tall enough that the details pane shows the whole packet without scrolling.
        .with_size(egui::vec2(1280.0, 1600.0))
        .with_context_setup(install_bundled_style)
        .build_ui_state(|ui, app: &mut TcpLadderApp| app.window_ui(ui), app);
    harness.run();
    harness.run();
    // Packet 1 is selected on opening: its note is in the details pane.
    let english = "The client opens: SYN with its initial sequence number";
    let chinese = "客户端发起连接：SYN 携带它的初始序号";
    assert!(shows(&harness, english), "the English note");
    assert!(!shows(&harness, chinese), "no Chinese note in English");
    assert!(!shows(&harness, "[en]"), "no tag shown");

    harness.get_by_label("View").click();
    harness.run();
    harness.get_by_label("Language").click();
    harness.run();
    harness.get_by_label(Lang::ZhCn.native_name()).click();
    harness.run();
    harness.run();
    assert_eq!(harness.state().settings().lang, Lang::ZhCn);
    assert!(shows(&harness, chinese), "the Chinese note");
    assert!(!shows(&harness, english), "no English note in Chinese");
    assert!(!shows(&harness, "[zh-CN]"), "no tag shown");
}

#[test]
fn svg_and_ascii_exports_carry_the_note_of_their_language() {
    let path = repo().join("samples/zero-window.pcapng");
    let path = path.to_str().unwrap();
    let english = "win 0: a zero window";
    let chinese = "窗口 0：零窗口";
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("sample_notes");
    std::fs::create_dir_all(&dir).unwrap();
    for (lang, wanted, unwanted) in [("en", english, chinese), ("zh-CN", chinese, english)] {
        let svg = dir.join(format!("{lang}.svg"));
        let (code, _, err) = run(&["export", path, "-o", svg.to_str().unwrap(), "--lang", lang]);
        assert_eq!(code, 0, "{err}");
        let svg = std::fs::read_to_string(&svg).unwrap();
        assert!(svg.contains(wanted), "{lang}: SVG lacks {wanted}");
        assert!(!svg.contains(unwanted), "{lang}: SVG has {unwanted}");
        assert!(
            !svg.contains("[en]") && !svg.contains("[zh-CN]"),
            "{lang}: tag in SVG"
        );
        let (code, text, err) = run(&["ladder", path, "--lang", lang]);
        assert_eq!(code, 0, "{err}");
        assert!(
            text.contains(&format!("✎ {wanted}")),
            "{lang}: ASCII lacks {wanted}"
        );
        assert!(!text.contains(unwanted), "{lang}: ASCII has {unwanted}");
    }
    // The JSON model keeps the raw comments, tags and both languages.
    let (_, json, _) = run(&["ladder", path, "--format", "json", "--lang", "zh-CN"]);
    assert!(
        json.contains(&format!("[en] {english}")) && json.contains(&format!("[zh-CN] {chinese}"))
    );
}

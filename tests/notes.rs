//! Packet notes: pcapng packet comments (`opt_comment`), as Wireshark writes and shows
//! them, are read and shown with their packet. The reference file was commented by
//! Wireshark's own editcap and read back by tshark (`tests/reference/notes/`, made by
//! `make-notes.sh` there); the test needs neither tool.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use crate::common;
use common::*;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use tcp_ladder::session::{LoadControl, Session};
use tcp_ladder::ui::{LoadSource, TcpLadderApp, install_style};

fn commented() -> std::path::PathBuf {
    repo().join("tests/reference/notes/seed-commented.pcapng")
}

/// tshark's frame.comment for each frame ("" when none).
fn tshark_comments() -> Vec<(u64, String)> {
    let text =
        std::fs::read_to_string(repo().join("tests/reference/notes/seed-commented.tsv")).unwrap();
    text.lines()
        .map(|l| {
            let (frame, comment) = l.split_once('\t').unwrap_or((l, ""));
            (frame.parse().unwrap(), comment.to_string())
        })
        .collect()
}

#[test]
fn every_packet_comment_is_read_as_tshark_reads_it() {
    let session = Session::load_path(&commented(), &LoadControl::default()).unwrap();
    let expected = tshark_comments();
    assert_eq!(expected.len() as u64, session.stats.frames);
    let mut with_comments = 0;
    for (frame, comment) in expected {
        let ours = session.comments_of(frame).join("|");
        assert_eq!(ours, comment, "frame {frame}");
        with_comments += usize::from(!comment.is_empty());
    }
    assert_eq!(with_comments, 3);
}

#[test]
fn the_ladder_model_carries_each_packets_notes() {
    let path = commented();
    let (code, json, err) = run(&[
        "ladder",
        path.to_str().unwrap(),
        "--format",
        "json",
        "--lang",
        "zh-CN",
    ]);
    assert_eq!(code, 0, "{err}");
    let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
    let arrows = doc["arrows"].as_array().unwrap();
    let notes = |frame: u64| {
        arrows
            .iter()
            .find(|a| a["frame"] == frame)
            .and_then(|a| a["notes"].as_array().cloned())
            .unwrap_or_default()
    };
    assert_eq!(
        notes(2),
        vec!["服务器的 SYN-ACK：MSS 被 NAT 路由器改成了 1412。"]
    );
    assert!(notes(3).is_empty());
    // The packet table in JSON carries them too.
    let (_, packets, _) = run(&["packets", path.to_str().unwrap(), "--format", "json"]);
    let packets: serde_json::Value = serde_json::from_str(&packets).unwrap();
    assert_eq!(
        packets[3]["comments"],
        serde_json::json!(["A second comment on the same packet."])
    );
    assert!(packets[2].get("comments").is_none());
    let (_, text, _) = run(&["ladder", path.to_str().unwrap()]);
    assert!(
        text.contains("[✎ The client opens: note the MSS it offers (1414).]"),
        "{text}"
    );
}

#[test]
fn the_details_pane_and_the_arrow_show_the_note() {
    let mut app = TcpLadderApp::new_for_test();
    app.load_blocking(LoadSource::Path(commented()));
    let mut harness = Harness::builder()
        // Tall enough that the details pane shows the whole packet without scrolling.
        .with_size(egui::vec2(1280.0, 1600.0))
        .with_context_setup(install_style)
        .build_ui_state(|ui, app: &mut TcpLadderApp| app.window_ui(ui), app);
    harness.run();
    // Packet 1 is selected on opening; its note is in the details pane already.
    harness.run();
    let shown = |text: &str| {
        harness
            .query_all_by(|n| {
                n.label().is_some_and(|l| l.contains(text))
                    || n.value().is_some_and(|v| v.contains(text))
            })
            .next()
            .is_some()
    };
    assert!(shown("✎ Note"));
    assert!(shown("The client opens: note the MSS it offers (1414)."));
    // The arrow carries the note mark in its label.
    let painted: Vec<String> = harness
        .output()
        .shapes
        .iter()
        .filter_map(|c| match &c.shape {
            egui::Shape::Text(t) => Some(t.galley.text().to_string()),
            _ => None,
        })
        .collect();
    assert!(
        painted
            .iter()
            .any(|t| t.starts_with("SYN") && t.contains('✎')),
        "{painted:?}"
    );
}

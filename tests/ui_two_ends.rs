//! Both ends in the app, driven headless with egui_kittest: opening the other end turns
//! the ladder two-sided, a selected packet shows both copies with what the path changed,
//! the time-to-scale toggle moves the rows, a dropped second file is asked about, and the
//! Samples menu opens a two-ended pair.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tcp_ladder::samples;
use tcp_ladder::ui::{LoadSource, TcpLadderApp, install_style};

fn sample(file_name: &str) -> LoadSource {
    let Some(sample) = samples::find(file_name) else {
        panic!("sample {file_name} is not bundled");
    };
    LoadSource::sample(sample)
}

fn harness(app: TcpLadderApp) -> Harness<'static, TcpLadderApp> {
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1280.0, 900.0))
        .with_context_setup(install_style)
        .build_ui_state(|ui, app: &mut TcpLadderApp| app.window_ui(ui), app);
    harness.run();
    harness
}

fn seed_alone() -> TcpLadderApp {
    let mut app = TcpLadderApp::new_for_test();
    app.load_blocking(sample("seed-handshake-client.pcapng"));
    app
}

fn seed_both_ends() -> TcpLadderApp {
    let mut app = seed_alone();
    app.load_other_end_blocking(sample("seed-handshake-server.pcapng"));
    app
}

fn has_text(harness: &Harness<'_, TcpLadderApp>, text: &str) -> bool {
    harness
        .query_all_by(|n| {
            n.label().is_some_and(|l| l.contains(text))
                || n.value().is_some_and(|v| v.contains(text))
        })
        .next()
        .is_some()
}

fn arrow_top(harness: &Harness<'_, TcpLadderApp>, name: &str) -> f32 {
    harness
        .query_by(|n| n.role() == egui::Role::Button && n.label().is_some_and(|l| l == name))
        .map(|n| n.rect().top())
        .unwrap_or_else(|| panic!("{name} not shown"))
}

#[test]
fn opening_the_other_end_turns_the_ladder_two_sided() {
    let mut h = harness(seed_alone());
    assert!(!has_text(&h, "seen by the server as"));
    assert!(h.state().other_end().is_none());
    h.state_mut()
        .load_other_end_blocking(sample("seed-handshake-server.pcapng"));
    h.run();
    let ladder = &h.state().view().unwrap().ladder;
    assert!(ladder.time.ends.is_some());
    assert!(ladder.title.ends_with("both ends"), "{}", ladder.title);
    // Each lane says how the other end saw it, and the summary gives the delays.
    assert!(has_text(&h, "seen by the server as 120.132.11.203:48096"));
    assert!(has_text(&h, "seen by the client as 106.53.211.6:8888"));
    assert!(has_text(&h, "client → server 18.1 ms / 18.8 ms / 18.9 ms"));
    assert!(has_text(&h, "MSS in the client's SYN: 1414 → 1412"));
}

#[test]
fn a_selected_packet_shows_both_copies_and_what_changed() {
    let mut h = harness(seed_both_ends());
    h.get_by_label("Packet 1: SYN").click();
    h.run();
    assert!(has_text(&h, "At the client"));
    assert!(has_text(&h, "At the server"));
    // The MSS row is marked as changed on the way, with both values.
    assert!(has_text(&h, "● MSS"));
    assert!(has_text(&h, "1414"));
    assert!(has_text(&h, "10.23.185.135:48096"));
    assert!(has_text(&h, "120.132.11.203:48096"));
    assert!(has_text(&h, "18.8 ms on the way"));
}

#[test]
fn time_to_scale_moves_the_rows_of_the_two_ended_ladder() {
    let mut h = harness(seed_both_ends());
    let names = ["Packet 1: SYN", "Packet 2: SYN, ACK", "Packet 3: ACK"];
    let before = names.map(|n| arrow_top(&h, n));
    h.key_press(egui::Key::T);
    h.run();
    let after = names.map(|n| arrow_top(&h, n));
    assert_ne!(before, after);
    // In the order they left their senders: 0, 19.0 ms, 32.8 ms.
    assert!(after[0] < after[1] && after[1] < after[2], "{after:?}");
}

#[derive(Debug)]
struct Dropped {
    path: PathBuf,
}

impl egui::DroppedFile for Dropped {
    fn path(&self) -> &Path {
        &self.path
    }

    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.path).map_err(|e| e.to_string())
    }
}

#[test]
fn a_second_dropped_file_is_asked_about_and_can_become_the_other_end() {
    let mut h = harness(seed_alone());
    let dir = std::env::temp_dir().join(format!("tcp-ladder-two-ends-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("server-side.pcap");
    std::fs::write(
        &path,
        samples::find("seed-handshake-server.pcapng").unwrap().bytes,
    )
    .unwrap();
    h.input_mut()
        .dropped_files
        .push(Arc::new(Dropped { path: path.clone() }));
    h.run();
    assert!(has_text(&h, "Open server-side.pcap as the other end"));
    // Cancel keeps what was open.
    h.get_by_label("Cancel").click();
    h.run();
    assert!(h.state().other_end().is_none());
    assert_eq!(
        h.state().session().map(|s| s.name.as_str()),
        Some("seed-handshake-client.pcapng")
    );
    h.input_mut()
        .dropped_files
        .push(Arc::new(Dropped { path: path.clone() }));
    h.run();
    h.get_by_label("As the other end").click();
    h.run();
    assert!(h.state().other_end().is_some());
    assert_eq!(
        h.state().session().map(|s| s.name.as_str()),
        Some("seed-handshake-client.pcapng")
    );
    let _ = std::fs::remove_file(&path);
}

#[test]
fn the_samples_menu_opens_a_pair_as_one_two_ended_ladder() {
    let mut h = harness(seed_alone());
    h.get_by_label("Samples").click();
    h.run();
    h.get_by_label_contains("a lost segment each way")
        .click_accesskit();
    h.run();
    h.run();
    let app = h.state();
    assert_eq!(
        app.session().map(|s| s.name.as_str()),
        Some("nat-loss-client.pcap")
    );
    assert_eq!(
        app.other_end().map(|o| o.session.name.as_str()),
        Some("nat-loss-server.pcap")
    );
    let ladder = &app.view().unwrap().ladder;
    let lost = ladder
        .rows
        .iter()
        .filter(|r| matches!(r, tcp_ladder::ladder::Row::Packet(a) if a.timing.lost.is_some()))
        .count();
    assert_eq!(lost, 2);
}

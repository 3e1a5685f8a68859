//! The time-to-scale view in the app, driven headless with egui_kittest: the T key and the
//! toolbar toggle move the rows, a long pause shows its break mark, the capture point and
//! the round trip are labelled, and the details pane says when a packet left and arrived.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use tcp_ladder::samples;
use tcp_ladder::ui::{LoadSource, TcpLadderApp, install_style};

fn harness_with(sample: &str) -> Harness<'static, TcpLadderApp> {
    let Some(found) = samples::find(sample) else {
        panic!("sample {sample} is not bundled");
    };
    let mut app = TcpLadderApp::new_for_test();
    app.load_blocking(LoadSource::sample(found));
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1280.0, 900.0))
        .with_context_setup(install_style)
        .build_ui_state(|ui, app: &mut TcpLadderApp| app.window_ui(ui), app);
    harness.run();
    harness
}

/// The screen y of the top of each arrow's clickable row, by its accessible name.
fn arrow_top(harness: &Harness<'_, TcpLadderApp>, name: &str) -> Option<f32> {
    harness
        .query_by(|n| n.role() == egui::Role::Button && n.label().is_some_and(|l| l == name))
        .map(|n| n.rect().top())
}

fn has_label_containing(harness: &Harness<'_, TcpLadderApp>, text: &str) -> bool {
    harness
        .query_all_by(|n| {
            n.label().is_some_and(|l| l.contains(text))
                || n.value().is_some_and(|v| v.contains(text))
        })
        .next()
        .is_some()
}

#[test]
fn the_t_key_switches_to_time_to_scale_and_moves_the_rows() {
    let mut harness = harness_with("seed-handshake-client.pcapng");
    let syn = "Packet 1: SYN";
    let syn_ack = "Packet 2: SYN, ACK";
    let ack = "Packet 3: ACK";
    let rows = |h: &Harness<'_, TcpLadderApp>| {
        [syn, syn_ack, ack].map(|n| arrow_top(h, n).unwrap_or_else(|| panic!("{n} not shown")))
    };
    let before = rows(&harness);
    // Evenly spaced rows.
    assert!(
        ((before[1] - before[0]) - (before[2] - before[1])).abs() < 1.0,
        "{before:?}"
    );
    assert!(
        !harness
            .state()
            .settings()
            .view_mode
            .eq(&tcp_ladder::ladder::ViewMode::Time)
    );

    harness.key_press(egui::Key::T);
    harness.run();
    assert_eq!(
        harness.state().settings().view_mode,
        tcp_ladder::ladder::ViewMode::Time
    );
    harness.run();
    let after = rows(&harness);
    assert_ne!(before, after, "the rows did not move");
    // A space-time diagram: each arrow slopes down by its delay, the SYN-ACK leaves the
    // server when the SYN arrives, and the ACK leaves the client when the SYN-ACK arrives.
    let view = harness.state().view().unwrap();
    let place = |row| view.rows.place(row).unwrap();
    let (syn, syn_ack, ack) = (place(0), place(1), place(2));
    assert!(syn.end - syn.start > 40.0, "{syn:?}");
    assert!((syn.end - syn_ack.start).abs() < 2.0, "{syn:?} {syn_ack:?}");
    assert!((syn_ack.end - ack.start).abs() < 2.0, "{syn_ack:?} {ack:?}");
    assert!(has_label_containing(
        &harness,
        "Captured here (near the client)"
    ));
    assert!(has_label_containing(&harness, "round trip 32.7 ms"));

    // The toolbar toggle switches back.
    harness.get_by_label("◷ To scale").click();
    harness.run();
    assert_eq!(rows(&harness), before);
}

#[test]
fn a_29_second_pause_is_shown_as_a_break_mark() {
    let mut harness = harness_with("seed-handshake-server.pcapng");
    assert!(!has_label_containing(&harness, "s later"));
    harness.key_press(egui::Key::T);
    harness.run();
    harness.run();
    assert!(
        has_label_containing(&harness, "29.04 s later"),
        "no break mark for the 29 s pause"
    );
    // "helloworld" (frame 4) is still on screen: the pause did not eat the window.
    assert!(arrow_top(&harness, "Packet 4: PSH, ACK").is_some());
}

#[test]
fn the_details_pane_says_when_a_packet_left_and_when_it_arrived() {
    let mut harness = harness_with("seed-handshake-client.pcapng");
    harness.get_by_label("Packet 1: SYN").click();
    harness.run();
    assert!(has_label_containing(&harness, "(captured)"));
    assert!(has_label_containing(
        &harness,
        "(estimated from the 32.7 ms round trip)"
    ));
}

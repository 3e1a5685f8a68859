//! Moving through a long connection: the overview strip beside the ladder (click to jump),
//! PgUp/PgDn by screenfuls, and a presenter's clicker (PgDn) stepping in step mode. Driven
//! headless with egui_kittest on a real capture from the corpus: a 1.2 MB download whose
//! receiver keeps advertising a zero window (hundreds of marked rows that never
//! collapse).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use crate::common;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use tcp_ladder::ui::{LoadSource, TcpLadderApp, canvas, install_style};

fn harness() -> Harness<'static, TcpLadderApp> {
    let path = common::corpus("tcp").join("zeek__206_example_b.pcap");
    let mut app = TcpLadderApp::new_for_test();
    app.load_blocking(LoadSource::Path(path));
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1280.0, 720.0))
        .with_context_setup(install_style)
        .build_ui_state(|ui, app: &mut TcpLadderApp| app.window_ui(ui), app);
    harness.run();
    harness
}

/// The index (in the connection's ladder rows) of the first packet in view.
fn top_row(h: &Harness<'_, TcpLadderApp>) -> usize {
    let packet = canvas::packet_at_top(&h.ctx).expect("a packet in view");
    h.state()
        .view()
        .unwrap()
        .ladder
        .row_of_packet(packet)
        .unwrap()
}

#[test]
fn page_down_moves_a_screenful_and_page_up_back() {
    let mut h = harness();
    let start = top_row(&h);
    h.key_press(egui::Key::PageDown);
    h.run();
    let after = top_row(&h);
    assert!(after > start + 3, "PgDn moved from row {start} to {after}");
    h.key_press(egui::Key::PageUp);
    h.run();
    assert_eq!(top_row(&h), start);
}

#[test]
fn the_overview_strip_jumps_to_where_it_is_clicked() {
    let mut h = harness();
    let rows = h.state().view().unwrap().ladder.rows.len();
    let strip = h.get_by(|n| {
        n.label()
            .is_some_and(|l| l.starts_with("Overview of the whole connection"))
    });
    let rect = strip.rect();
    assert!(
        rect.height() > 200.0,
        "the strip runs beside the ladder: {rect:?}"
    );
    // Near its bottom: the end of the connection.
    let at = egui::pos2(rect.center().x, rect.bottom() - 3.0);
    h.hover_at(at);
    h.run();
    h.event(egui::Event::PointerButton {
        pos: at,
        button: egui::PointerButton::Primary,
        pressed: true,
        modifiers: egui::Modifiers::NONE,
    });
    h.event(egui::Event::PointerButton {
        pos: at,
        button: egui::PointerButton::Primary,
        pressed: false,
        modifiers: egui::Modifiers::NONE,
    });
    h.run();
    let top = top_row(&h);
    assert!(
        top > rows * 3 / 4,
        "row {top} of {rows} at the top after the jump"
    );
}

#[test]
fn a_clicker_page_down_steps_in_step_mode() {
    let mut h = harness();
    h.key_press(egui::Key::S);
    h.run();
    let before = h.state().classroom().revealed();
    h.key_press(egui::Key::PageDown);
    h.run();
    h.key_press(egui::Key::PageDown);
    h.run();
    assert_eq!(h.state().classroom().revealed(), before.map(|r| r + 2));
}

/// Every text painted this frame.
fn painted_texts(h: &Harness<'_, TcpLadderApp>) -> Vec<String> {
    h.output()
        .shapes
        .iter()
        .filter_map(|clipped| match &clipped.shape {
            egui::Shape::Text(text) => Some(text.galley.text().to_string()),
            _ => None,
        })
        .collect()
}

#[test]
fn a_mark_is_on_its_arrow_once() {
    let mut h = harness();
    // Down to the zero-window run.
    h.key_press(egui::Key::PageDown);
    h.run();
    let texts = painted_texts(&h);
    let badges = texts.iter().filter(|t| t.as_str() == "ZERO WIN").count();
    assert!(badges > 0, "zero-window arrows in view: {texts:?}");
    // The badge says it; the label does not say it again.
    assert!(
        !texts.iter().any(|t| t.contains("⚑ Zero window")),
        "{texts:?}"
    );
}

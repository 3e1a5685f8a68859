//! What a student and an instructor meet in their first ten minutes (issue 12), driven
//! headless with egui_kittest at the sizes they use (1280×720, 1920×1080). Widgets are
//! found by their accessible names; where a rule is about place (a legend above a plot,
//! a window below the menus) the test compares the widgets' rectangles.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use tcp_ladder::i18n::Lang;
use tcp_ladder::samples;
use tcp_ladder::ui::analysis::AnalysisView;
use tcp_ladder::ui::commands::Zoom;
use tcp_ladder::ui::{Command, LoadSource, TcpLadderApp, install_style};

const HD: egui::Vec2 = egui::vec2(1280.0, 720.0);
const FULL_HD: egui::Vec2 = egui::vec2(1920.0, 1080.0);

fn sample(file_name: &str) -> LoadSource {
    let Some(sample) = samples::find(file_name) else {
        panic!("sample {file_name} is not bundled");
    };
    LoadSource::sample(sample)
}

/// The app with `file_name` open, as a user who has been here before (no first-start
/// hint) unless `first_start`.
fn harness_with(file_name: &str, size: egui::Vec2) -> Harness<'static, TcpLadderApp> {
    let mut app = TcpLadderApp::new_for_test();
    app.load_blocking(sample(file_name));
    let mut harness = Harness::builder()
        .with_size(size)
        .with_context_setup(install_style)
        .build_ui_state(|ui, app: &mut TcpLadderApp| app.window_ui(ui), app);
    apply(&mut harness, Command::DismissFirstRunHint);
    harness
}

fn apply(harness: &mut Harness<'_, TcpLadderApp>, command: Command) {
    let ctx = harness.ctx.clone();
    harness.state_mut().apply(&ctx, command);
    harness.run();
}

fn press(harness: &mut Harness<'_, TcpLadderApp>, key: Key) {
    harness.key_press(key);
    harness.run();
}

fn has_label(harness: &Harness<'_, TcpLadderApp>, label: &str) -> bool {
    harness.query_by_label(label).is_some()
}

/// Every label or value in the accessibility tree that contains `text`.
fn labels_containing(harness: &Harness<'_, TcpLadderApp>, text: &str) -> Vec<String> {
    harness
        .query_all_by(|node| {
            node.label().is_some_and(|l| l.contains(text))
                || node.value().is_some_and(|v| v.contains(text))
        })
        .filter_map(|n| {
            let node = n.accesskit_node();
            node.label().or(node.value())
        })
        .collect()
}

fn rect_of(harness: &Harness<'_, TcpLadderApp>, label: &str) -> egui::Rect {
    harness.get_by_label(label).rect()
}

fn rect_starting(harness: &Harness<'_, TcpLadderApp>, prefix: &str) -> egui::Rect {
    harness
        .query_all_by(|n| {
            n.label().is_some_and(|l| l.starts_with(prefix))
                || n.value().is_some_and(|v| v.starts_with(prefix))
        })
        .next()
        .unwrap_or_else(|| panic!("nothing named {prefix}…"))
        .rect()
}

fn wheel(harness: &mut Harness<'_, TcpLadderApp>, at: egui::Pos2, dy: f32, modifiers: Modifiers) {
    harness.hover_at(at);
    harness.run_steps(2);
    harness.event(egui::Event::MouseWheel {
        unit: egui::MouseWheelUnit::Point,
        delta: egui::vec2(0.0, dy),
        phase: egui::TouchPhase::Move,
        source: egui::MouseWheelSource::Unknown,
        modifiers,
    });
    harness.run_steps(8);
}

// --- 1. A capture opens at its beginning -------------------------------------------

#[test]
fn opening_a_capture_again_starts_at_its_first_packet() {
    let mut harness = harness_with("sack.pcapng", HD);
    assert!(has_label(&harness, "Packet 1: SYN"));
    press(&mut harness, Key::End);
    assert!(
        !has_label(&harness, "Packet 1: SYN"),
        "End scrolls to the last packet"
    );
    apply(&mut harness, Command::Open(sample("sack.pcapng")));
    assert!(
        has_label(&harness, "Packet 1: SYN"),
        "the capture opened again starts at its handshake, not where the last one was left"
    );
}

#[test]
fn presentation_mode_keeps_the_packet_that_was_in_view() {
    let mut harness = harness_with("sack.pcapng", FULL_HD);
    press(&mut harness, Key::End);
    let top = tcp_ladder::ui::canvas::packet_at_top(&harness.ctx).unwrap();
    let frame = harness.state().session().unwrap().packets[top as usize].frame();
    let name = format!("Packet {frame}: ");
    press(&mut harness, Key::F5);
    harness.run_steps(4);
    assert!(harness.state().classroom().is_presenting());
    assert!(
        !labels_containing(&harness, &name).is_empty(),
        "{name}… was at the top before presenting and is still in view"
    );
}

// --- 2. Readable from the back of the room ------------------------------------------

#[test]
fn every_view_menu_item_can_be_reached_in_presentation_mode_at_720p() {
    let mut harness = harness_with("seed-github.pcapng", HD);
    press(&mut harness, Key::F5);
    harness.run_steps(4);
    harness.get_by_label("View").click();
    harness.run_steps(4);
    let bottom = harness.ctx.content_rect().bottom();
    // The menu scrolls when it is taller than the screen: wheel down over it.
    let first = rect_of(&harness, "Relative sequence numbers");
    for _ in 0..6 {
        wheel(&mut harness, first.center(), -400.0, Modifiers::NONE);
    }
    for item in ["Dark theme", "Zoom in", "Actual size"] {
        let rect = rect_starting(&harness, item);
        assert!(
            rect.bottom() <= bottom + 1.0,
            "{item} ends at {} below the screen's bottom {bottom}",
            rect.bottom()
        );
    }
}

#[test]
fn the_step_count_does_not_overlap_the_step_buttons() {
    for size in [HD, FULL_HD] {
        let mut harness = harness_with("seed-handshake-client.pcapng", size);
        press(&mut harness, Key::S);
        press(&mut harness, Key::F5);
        harness.run_steps(4);
        let steps = labels_containing(&harness, "Step");
        assert!(
            steps.iter().any(|l| l.starts_with("Step 0 / ")),
            "at {size:?}: {steps:?}"
        );
        let count = rect_starting(&harness, "Step 0 / ");
        for button in ["First", "Previous packet", "Next packet", "Last"] {
            let rect = rect_of(&harness, button);
            assert!(
                !rect.intersects(count),
                "at {size:?}: {button} {rect:?} overlaps the count {count:?}"
            );
        }
    }
}

// --- 3. The graphs are usable without reading a manual ------------------------------

#[test]
fn a_connection_without_data_says_so_instead_of_empty_axes() {
    let mut harness = harness_with("refused.pcapng", HD);
    apply(
        &mut harness,
        Command::ShowAnalysis(AnalysisView::Graphs, true),
    );
    assert!(
        has_label(
            &harness,
            "No data segments in this connection: there is nothing to plot."
        ),
        "{:?}",
        labels_containing(&harness, "data")
    );
    assert!(
        labels_containing(&harness, "Click a point to select its packet").is_empty(),
        "no plot"
    );
}

#[test]
fn the_graph_legend_sits_above_the_data() {
    let mut harness = harness_with("seed-github.pcapng", HD);
    apply(
        &mut harness,
        Command::ShowAnalysis(AnalysisView::Graphs, true),
    );
    let plot = rect_starting(&harness, "Time–sequence graph");
    for entry in ["Segments", "ACK number"] {
        let rect = rect_of(&harness, entry);
        assert!(
            rect.bottom() <= plot.top() + 1.0,
            "the legend entry {entry} {rect:?} is over the plot {plot:?}"
        );
    }
}

#[test]
fn ctrl_wheel_over_a_graph_zooms_the_graph_not_the_interface() {
    let mut harness = harness_with("seed-github.pcapng", HD);
    apply(
        &mut harness,
        Command::ShowAnalysis(AnalysisView::Graphs, true),
    );
    let plot = rect_starting(&harness, "Time–sequence graph");
    let before = harness.ctx.zoom_factor();
    wheel(&mut harness, plot.center(), 120.0, Modifiers::COMMAND);
    wheel(&mut harness, plot.center(), 120.0, Modifiers::COMMAND);
    assert_eq!(harness.ctx.zoom_factor(), before);
}

#[test]
fn the_graph_window_stays_below_the_menu_bar_after_ctrl_0() {
    let mut harness = harness_with("seed-github.pcapng", HD);
    for _ in 0..5 {
        apply(&mut harness, Command::Zoom(Zoom::In));
    }
    apply(
        &mut harness,
        Command::ShowAnalysis(AnalysisView::Graphs, true),
    );
    apply(&mut harness, Command::Zoom(Zoom::Reset));
    harness.run_steps(3);
    let menu = rect_of(&harness, "File");
    let window = rect_starting(&harness, "Stream graphs — connection 0");
    assert!(
        window.top() >= menu.bottom() - 1.0,
        "the window {window:?} covers the menu bar {menu:?}"
    );
    let content = harness.ctx.content_rect();
    let graph = rect_starting(&harness, "Time–sequence graph");
    assert!(
        graph.width() > 300.0 && graph.right() <= content.right() + 1.0,
        "{graph:?}"
    );
}

// --- 4. No two places disagree about a number ---------------------------------------

#[test]
fn the_header_tree_says_the_window_as_the_arrow_does() {
    let mut harness = harness_with("seed-github.pcapng", HD);
    harness.get_by_label("Packet 3: ACK").click();
    harness.run();
    // The arrow says Win=65536; tshark's tree: Window 1024, factor 64, calculated 65536.
    assert!(!labels_containing(&harness, "Win=65536").is_empty());
    assert!(has_label(&harness, "Window: 1024"));
    assert!(has_label(&harness, "Calculated window size: 65536"));
    assert!(has_label(&harness, "Window size scaling factor: 64"));
}

// --- 7. Chinese everywhere, and bold where bold is meant ----------------------------

#[test]
fn chinese_mode_translates_the_header_tree_and_the_pills() {
    let mut harness = harness_with("keep-alive.pcapng", FULL_HD);
    apply(&mut harness, Command::SetLang(Lang::ZhCn));
    // Frame 7: the server's keep-alive.
    apply(&mut harness, Command::GoToPacket(6));
    assert!(
        !labels_containing(&harness, "Window（窗口）: ").is_empty(),
        "{:?}",
        labels_containing(&harness, "Window")
    );
    assert!(
        !labels_containing(&harness, "Transmission Control Protocol（传输控制协议）").is_empty()
    );
    assert!(
        !labels_containing(&harness, "Mark 保活").is_empty(),
        "{:?}",
        labels_containing(&harness, "Mark ")
    );
    assert!(labels_containing(&harness, "Mark KEEP-ALIVE").is_empty());
}

#[test]
fn bold_chinese_is_drawn_with_a_bold_face() {
    let mut harness = harness_with("seed-github.pcapng", HD);
    harness.run();
    let ctx = harness.ctx.clone();
    let (names, data) = ctx.fonts(|f| {
        let defs = f.definitions();
        let names = defs
            .families
            .get(&tcp_ladder::ui::style::bold_family())
            .cloned()
            .unwrap_or_default();
        (names, defs.font_data.clone())
    });
    // The first font of the bold family that has "连" (as in 连接, connection).
    let face = names
        .iter()
        .find_map(|name| {
            let font = data.get(name)?;
            let face = ttf_parser::Face::parse((*font.font).as_ref(), font.index).ok()?;
            face.glyph_index('连')
                .map(|_| (name.clone(), face.weight().to_number()))
        })
        .unwrap();
    assert!(face.1 >= 600, "{} has weight {}", face.0, face.1);
}

// --- 9. Layout and wording slips -----------------------------------------------------

#[test]
fn the_filter_finds_connections_by_the_state_they_end_in() {
    // seed-github: the server closes first, so the client ends in TIME-WAIT.
    let mut harness = harness_with("seed-github.pcapng", HD);
    for filter in ["TIME-WAIT", "time-wait", "时间等待", "SF", "80"] {
        let edit = harness.get_by_label("Filter");
        edit.focus();
        harness.run();
        harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
        harness.run();
        harness.get_by_label("Filter").type_text(filter);
        harness.run();
        assert!(
            !labels_containing(&harness, "Connection 0: ").is_empty(),
            "{filter} finds nothing"
        );
        harness.key_press(Key::Escape);
        harness.run();
    }
}

#[test]
fn the_connection_panel_keeps_its_width_when_the_filter_gets_focus() {
    let mut harness = harness_with("seed-github.pcapng", HD);
    let before = labels_rect_of_card(&harness);
    harness.get_by_label("Filter").click();
    harness.run();
    harness.run();
    let after = labels_rect_of_card(&harness);
    assert!(
        (after.width() - before.width()).abs() < 1.0,
        "{before:?} → {after:?}"
    );
}

fn labels_rect_of_card(harness: &Harness<'_, TcpLadderApp>) -> egui::Rect {
    rect_starting(harness, "Connection 0: ")
}

#[test]
fn a_lone_syn_is_sent_once_not_1_times() {
    let t = Lang::En.texts();
    assert_eq!(t.band_no_answer(1), "No answer — SYN sent once");
    assert_eq!(t.band_no_answer(3), "No answer — SYN sent 3 times");
}

#[test]
fn the_toolbar_stays_on_one_row_at_1280_when_collapse_runs_appears() {
    // Its first collapsed run is near the top (the noted request pushes sack.pcapng's
    // below what is laid out at 720 px).
    let mut harness = harness_with("zero-window.pcapng", HD);
    // Scroll to it as a user would, then click.
    // Two runs: the first one.
    harness
        .query_all_by(|n| n.label().is_some_and(|l| l.starts_with("Expand ")))
        .next()
        .unwrap()
        .scroll_to_me();
    harness.run();
    harness
        .query_all_by(|n| n.label().is_some_and(|l| l.starts_with("Expand ")))
        .next()
        .unwrap()
        .click();
    harness.run();
    assert!(has_label(&harness, "Collapse runs"));
    let open = rect_of(&harness, "Open…");
    let last = rect_of(&harness, "Zoom in");
    assert!(
        (last.center().y - open.center().y).abs() < 4.0,
        "Zoom in {last:?} is not on the row of Open… {open:?}"
    );
}

// --- 10. The first screen says what to do ----------------------------------------------

fn first_start(file_name: &str) -> Harness<'static, TcpLadderApp> {
    let mut app = TcpLadderApp::new_for_test();
    app.load_blocking(sample(file_name));
    let mut harness = Harness::builder()
        .with_size(HD)
        .with_context_setup(install_style)
        .build_ui_state(|ui, app: &mut TcpLadderApp| app.window_ui(ui), app);
    harness.run();
    harness
}

const HINT: &str = "drop a capture on this window";

#[test]
fn the_first_start_hint_goes_for_good_once_the_user_steps() {
    let mut harness = first_start("seed-github.pcapng");
    assert!(
        !labels_containing(&harness, HINT).is_empty(),
        "shown on first start"
    );
    assert!(!harness.state().settings().first_run_done);
    press(&mut harness, Key::Space);
    assert!(labels_containing(&harness, HINT).is_empty());
    assert!(
        harness.state().settings().first_run_done,
        "remembered between runs"
    );
}

#[test]
fn the_first_start_hint_goes_when_a_sample_is_picked_or_it_is_dismissed() {
    let mut harness = first_start("seed-github.pcapng");
    apply(&mut harness, Command::Open(sample("sack.pcapng")));
    assert!(labels_containing(&harness, HINT).is_empty());

    let mut harness = first_start("seed-github.pcapng");
    harness.get_by_label("Got it").click();
    harness.run();
    assert!(labels_containing(&harness, HINT).is_empty());
    assert!(harness.state().settings().first_run_done);
}

#[test]
fn the_toolbar_stays_on_one_row_at_1280_in_step_mode() {
    let mut harness = harness_with("seed-github.pcapng", HD);
    harness.key_press(egui::Key::S);
    harness.run();
    let open = rect_of(&harness, "Open…");
    for name in ["Export…", "Present"] {
        let r = rect_of(&harness, name);
        assert!(
            (r.center().y - open.center().y).abs() < 4.0,
            "{name} {r:?} is not on the row of Open… {open:?}"
        );
    }
    // Whatever zoom controls are shown are on that row too.
    if let Some(zoom) = harness.query_by_label("Zoom in") {
        assert!((zoom.rect().center().y - open.center().y).abs() < 4.0);
    }
}

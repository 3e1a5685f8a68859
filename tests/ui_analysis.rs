//! The analysis views driven headless with egui_kittest: marks on flagged arrows and their
//! meaning in the details pane (with links to the frames they refer to), the connection
//! summary, the stream graphs and follow stream windows. Widgets are found by their
//! accessible names, as a screen reader would find them.

use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use tcp_ladder::flow::Flag;
use tcp_ladder::i18n::Lang;
use tcp_ladder::samples;
use tcp_ladder::ui::{LoadSource, TcpLadderApp, install_style};

const LOST: &str = "lost-segment-fast-retransmit.pcapng";

/// A window tall enough to show every row of the lost-segment ladder without scrolling.
fn harness_sized(app: TcpLadderApp, height: f32) -> Harness<'static, TcpLadderApp> {
    Harness::builder()
        .with_size(egui::vec2(1280.0, height))
        .with_context_setup(install_style)
        .build_ui_state(|ui, app: &mut TcpLadderApp| app.window_ui(ui), app)
}

fn harness(app: TcpLadderApp) -> Harness<'static, TcpLadderApp> {
    harness_sized(app, 720.0)
}

/// A bundled sample, or the file of that name in `samples/` (not every teaching capture
/// is built into the binary).
fn app_with(file_name: &str) -> TcpLadderApp {
    let source = match samples::find(file_name) {
        Some(sample) => LoadSource::sample(sample),
        None => LoadSource::Path(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("samples")
                .join(file_name),
        ),
    };
    let mut app = TcpLadderApp::new_for_test();
    app.load_blocking(source);
    assert!(app.session().is_some(), "{file_name} opens");
    app
}

/// Every label or value in the accessibility tree that contains `text`.
fn texts_containing(harness: &Harness<'_, TcpLadderApp>, text: &str) -> Vec<String> {
    harness
        .query_all_by(|node| {
            node.label().is_some_and(|l| l.contains(text))
                || node.value().is_some_and(|v| v.contains(text))
        })
        .map(|n| {
            let node = n.accesskit_node();
            node.label().or(node.value()).unwrap_or_default()
        })
        .collect()
}

fn selected_frame(harness: &Harness<'_, TcpLadderApp>) -> Option<u64> {
    let app = harness.state();
    let packet = app.selected_packet()?;
    app.session()?
        .packets
        .get(packet as usize)
        .map(|p| p.frame())
}

#[test]
fn fast_retransmission_is_marked_and_explained() {
    let mut harness = harness_sized(app_with(LOST), 6000.0);
    harness.run();
    // The arrow carries a badge that names the mark.
    assert!(
        !texts_containing(&harness, "Mark FAST RETX: Fast retransmission").is_empty(),
        "badge on packet 50's arrow"
    );

    // Hide the legend, which names the marks too.
    hide_legend(&mut harness);
    assert!(texts_containing(&harness, "DUP #n").is_empty());

    harness.get_by_label("Packet 50: ACK").click();
    harness.run();
    assert_eq!(selected_frame(&harness), Some(50));
    assert!(
        !texts_containing(&harness, "What the TCP analysis noticed").is_empty(),
        "the details pane has an analysis box"
    );
    assert!(
        harness
            .query_all_by(|n| n.value().is_some_and(|v| v == "Fast retransmission"))
            .next()
            .is_some(),
        "the mark's title in the details pane"
    );
    assert!(
        !texts_containing(
            &harness,
            Lang::En.texts().flag_meaning(Flag::FastRetransmission)
        )
        .is_empty(),
        "the details pane says what a fast retransmission is"
    );
    assert!(!texts_containing(&harness, "tcp.analysis.fast_retransmission").is_empty());
}

#[test]
fn a_duplicate_ack_links_to_the_ack_it_repeats() {
    let mut harness = harness_sized(app_with(LOST), 6000.0);
    harness.run();
    harness.get_by_label("Packet 45: ACK").click();
    harness.run();
    assert_eq!(selected_frame(&harness), Some(45));
    assert!(
        !texts_containing(&harness, "Duplicate ACK #1 of frame 43").is_empty(),
        "packet 45 is the first duplicate of frame 43's ACK"
    );
    assert!(
        !texts_containing(&harness, Lang::En.texts().flag_meaning(Flag::DuplicateAck)).is_empty()
    );

    harness
        .get_by_label("→ Go to frame 43, the ACK this one repeats")
        .click();
    harness.run();
    assert_eq!(
        selected_frame(&harness),
        Some(43),
        "the link selects frame 43"
    );
}

#[test]
fn the_summary_counts_trouble_and_links_to_its_first_packet() {
    // A normal window: packet 50 starts out of view.
    let mut harness = harness(app_with(LOST));
    harness.run();
    assert!(!texts_containing(&harness, "Connection 0 summary").is_empty());
    assert!(!texts_containing(&harness, "Handshake RTT").is_empty());
    assert!(!texts_containing(&harness, "Duplicate ACKs").is_empty());
    assert!(
        !texts_containing(&harness, "SF: opened and closed normally").is_empty(),
        "conn_state in words"
    );
    assert!(texts_containing(&harness, "Packet 50: ACK").is_empty());

    harness
        .get_by_label("Go to the first of the retransmissions, frame 50")
        .click();
    harness.run();
    assert_eq!(selected_frame(&harness), Some(50));
    assert!(
        !texts_containing(&harness, "Packet 50: ACK").is_empty(),
        "the ladder scrolled to packet 50"
    );
}

#[test]
fn the_legend_lists_the_marks_of_the_connection() {
    let mut harness = harness(app_with(LOST));
    harness.run();
    assert!(!texts_containing(&harness, "Hide the marks legend").is_empty());
    for flag in [
        Flag::LostSegment,
        Flag::DuplicateAck,
        Flag::FastRetransmission,
    ] {
        assert!(
            !texts_containing(&harness, Lang::En.texts().flag_title(flag)).is_empty(),
            "legend names {}",
            Lang::En.texts().flag_title(flag)
        );
    }
    assert!(!texts_containing(&harness, "DUP #n").is_empty());
    // The View menu hides it …
    hide_legend(&mut harness);
    assert!(texts_containing(&harness, "DUP #n").is_empty());
    // … and brings it back; its own button hides it too.
    harness.get_by_label("View").click();
    harness.run();
    harness
        .get_by_role_and_label(egui::Role::CheckBox, "Marks legend")
        .click();
    harness.run();
    harness.key_press(egui::Key::Escape);
    harness.run();
    assert!(!texts_containing(&harness, "DUP #n").is_empty());
    harness.get_by_label("Hide the marks legend").click();
    harness.run();
    assert!(texts_containing(&harness, "DUP #n").is_empty());
}

fn hide_legend(harness: &mut Harness<'_, TcpLadderApp>) {
    harness.get_by_label("View").click();
    harness.run();
    harness
        .get_by_role_and_label(egui::Role::CheckBox, "Marks legend")
        .click();
    harness.run();
    // Close the menu.
    harness.key_press(egui::Key::Escape);
    harness.run();
}

#[test]
fn graphs_open_from_the_toolbar_with_a_direction_chooser() {
    let mut harness = harness(app_with(LOST));
    harness.run();
    harness.get_by_label("Graphs").click();
    harness.run();
    // The server sent the data: its direction is plotted first.
    assert!(
        !texts_containing(&harness, "Time–sequence graph, server → client").is_empty(),
        "time–sequence plot of the server's data"
    );
    harness
        .get_by_role_and_label(egui::Role::Button, "Client → server")
        .click();
    harness.run();
    assert!(!texts_containing(&harness, "Time–sequence graph, client → server").is_empty());

    for tab in ["Throughput", "Round-trip time", "Window size"] {
        harness
            .get_by_role_and_label(egui::Role::Button, tab)
            .click();
        harness.run();
        assert!(
            !texts_containing(&harness, &format!("{tab} graph")).is_empty(),
            "{tab} plot"
        );
    }
}

#[test]
fn follow_stream_shows_the_http_request_as_text_and_hex() {
    let mut harness = harness(app_with("seed-github.pcapng"));
    harness.run();
    harness.get_by_label("Follow stream").click();
    harness.run();
    assert!(
        !texts_containing(&harness, "GET / HTTP/1.1").is_empty(),
        "the client's request as text"
    );
    harness.get_by_label("Hex").click();
    harness.run();
    assert!(
        !texts_containing(&harness, "47 45 54 20 2f 20 48 54").is_empty(),
        "the same request in hex"
    );
}

#[test]
fn follow_stream_shows_bytes_missing_from_the_capture() {
    let mut harness = harness(app_with("snaplen-truncated.pcap"));
    harness.run();
    harness.get_by_label("Follow stream").click();
    harness.run();
    assert!(
        texts_containing(&harness, "bytes missing in capture]")
            .iter()
            .any(|t| t.starts_with('[')),
        "a gap shown as [N bytes missing in capture]"
    );
}

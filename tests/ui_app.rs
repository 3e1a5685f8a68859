//! The app driven headless with egui_kittest: no window, no GPU. Widgets are found by
//! their accessible names, as a screen reader would find them.

use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tcp_ladder::samples;
use tcp_ladder::ui::{LoadSource, TcpLadderApp, install_style};

const SEED: &str = "seed-handshake-client.pcapng";
/// The server's ISN in the seed capture (tcpdump -S shows it on packet 2).
const SERVER_ISN: &str = "1632166146";

fn harness(app: TcpLadderApp) -> Harness<'static, TcpLadderApp> {
    Harness::builder()
        .with_size(egui::vec2(1280.0, 720.0))
        .with_context_setup(install_style)
        .build_ui_state(|ui, app: &mut TcpLadderApp| app.window_ui(ui), app)
}

fn sample(file_name: &str) -> LoadSource {
    let Some(sample) = samples::find(file_name) else {
        panic!("sample {file_name} is not bundled");
    };
    LoadSource::sample(sample)
}

fn app_with(source: LoadSource) -> TcpLadderApp {
    let mut app = TcpLadderApp::new_for_test();
    app.load_blocking(source);
    app
}

/// A file in the temp directory, removed when dropped.
struct TempFile(PathBuf);

impl TempFile {
    fn new(name: &str, bytes: &[u8]) -> TempFile {
        let dir = std::env::temp_dir().join(format!("tcp-ladder-ui-{}", std::process::id()));
        if let Err(e) = std::fs::create_dir_all(&dir) {
            panic!("cannot create {}: {e}", dir.display());
        }
        let path = dir.join(name);
        if let Err(e) = std::fs::write(&path, bytes) {
            panic!("cannot write {}: {e}", path.display());
        }
        TempFile(path)
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// The card of connection `stream` in the connection list.
fn connection_card<'h>(
    harness: &'h Harness<'_, TcpLadderApp>,
    stream: u32,
) -> egui_kittest::Node<'h> {
    let prefix = format!("Connection {stream}: ");
    harness.get_by(move |n| {
        n.role() == egui::Role::Button && n.label().is_some_and(|l| l.starts_with(&prefix))
    })
}

/// Every label or name in the accessibility tree that contains `text`.
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

#[test]
fn seed_sample_packet_2_shows_relative_and_raw_isn() {
    let mut harness = harness(app_with(sample(SEED)));
    harness.run();
    // The seed has one connection; it is selected on open. Click its card anyway, as a
    // student would.
    connection_card(&harness, 0).click();
    harness.run();
    assert_eq!(harness.state().selected_stream(), Some(0));

    harness.get_by_label("Packet 2: SYN, ACK").click();
    harness.run();
    let selected = harness.state().selected_packet();
    let frame = selected
        .and_then(|p| harness.state().session()?.packets.get(p as usize))
        .map(|p| p.frame());
    assert_eq!(frame, Some(2), "packet 2 is selected");

    // The ladder label is relative: the server's ISN reads as 0.
    let labels = texts_containing(&harness, "SYN, ACK Seq=0 Ack=1");
    assert!(
        !labels.is_empty(),
        "ladder label of packet 2 in relative numbers"
    );

    // The field tree shows the relative number and the raw one side by side.
    let raw = texts_containing(&harness, SERVER_ISN);
    assert!(
        raw.iter()
            .any(|t| t.starts_with("Sequence number") && t.contains("0 (relative)")),
        "sequence number field with relative 0 and raw {SERVER_ISN}, found: {raw:?}"
    );
}

#[test]
fn key_a_and_the_toolbar_toggle_absolute_numbers() {
    let mut harness = harness(app_with(sample(SEED)));
    harness.run();
    assert!(texts_containing(&harness, &format!("Seq={SERVER_ISN}")).is_empty());

    harness.key_press(egui::Key::A);
    harness.run();
    assert!(harness.state().settings().absolute);
    let absolute = texts_containing(&harness, &format!("SYN, ACK Seq={SERVER_ISN}"));
    assert!(!absolute.is_empty(), "packet 2's label in absolute numbers");

    harness.get_by_label("Relative").click();
    harness.run();
    assert!(!harness.state().settings().absolute);
    assert!(!texts_containing(&harness, "SYN, ACK Seq=0 Ack=1").is_empty());

    harness.get_by_label("Absolute").click();
    harness.run();
    assert!(harness.state().settings().absolute);
}

#[test]
fn a_text_file_gives_an_error_naming_it_and_keeps_the_capture_open() {
    let mut harness = harness(app_with(sample(SEED)));
    harness.run();
    let notes = TempFile::new("lab-notes.txt", b"These are my notes, not a capture.\n");
    harness
        .state_mut()
        .load_blocking(LoadSource::Path(notes.0.clone()));
    harness.run();

    let message = harness
        .state()
        .message()
        .map(|m| m.text())
        .unwrap_or_default();
    assert!(
        message.contains("lab-notes.txt"),
        "message names the file: {message}"
    );
    assert!(
        message.contains("not a pcap or pcapng capture"),
        "{message}"
    );
    assert!(!texts_containing(&harness, "Could not open lab-notes.txt").is_empty());
    // What was open stays open.
    assert_eq!(
        harness.state().session().map(|s| s.name.as_str()),
        Some(SEED)
    );
    harness.get_by_label("Packet 2: SYN, ACK");
    assert!(!texts_containing(&harness, &format!("{SEED} is still open")).is_empty());

    harness.get_by_label("Dismiss").click();
    harness.run();
    assert!(harness.state().message().is_none());
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

fn painted_texts(harness: &Harness<'_, TcpLadderApp>) -> Vec<String> {
    harness
        .output()
        .shapes
        .iter()
        .filter_map(|clipped| match &clipped.shape {
            egui::Shape::Text(text) => Some(text.galley.text().to_string()),
            _ => None,
        })
        .collect()
}

#[test]
fn a_dropped_file_opens() {
    let mut harness = harness(app_with(sample(SEED)));
    harness.run();
    let Some(github) = samples::find("seed-github.pcapng") else {
        panic!("github sample missing");
    };
    let file = TempFile::new("dropped-github.pcap", github.bytes);

    // While it hovers, the window says what will open.
    harness.input_mut().hovered_files.push(egui::HoveredFile {
        path: Some(file.0.clone()),
        mime: String::new(),
    });
    harness.step();
    assert!(
        painted_texts(&harness)
            .iter()
            .any(|t| t == "Drop to open dropped-github.pcap"),
        "drop hint"
    );
    harness.input_mut().hovered_files.clear();
    harness.input_mut().dropped_files.push(Arc::new(Dropped {
        path: file.0.clone(),
    }));
    harness.run();
    // A capture is open: it asks whether the new one is the other end of it.
    harness.get_by_label("Instead").click();
    harness.run();

    let session = harness.state().session().map(|s| s.name.clone());
    assert_eq!(session.as_deref(), Some("dropped-github.pcap"));
    assert!(harness.state().message().is_none());
    // Its ladder is drawn; End scrolls down to the teardown, which the server starts.
    harness.get_by_role_and_label(egui::Role::Button, "Packet 1: SYN");
    harness.key_press(egui::Key::End);
    harness.run();
    assert!(!texts_containing(&harness, "server closed first").is_empty());
}

#[test]
fn samples_menu_lists_every_sample_with_its_description() {
    let mut harness = harness(app_with(sample(SEED)));
    harness.run();
    harness.get_by_label("Samples").click();
    harness.run();
    for sample in samples::SAMPLES {
        assert!(
            !texts_containing(&harness, sample.description).is_empty(),
            "{} is described in the menu",
            sample.file_name
        );
    }
    // Further down the (scrolling) menu: click it the way a screen reader does.
    harness
        .get_by_label_contains("Simultaneous open")
        .click_accesskit();
    harness.run();
    assert_eq!(
        harness.state().session().map(|s| s.name.as_str()),
        Some("simultaneous-open.pcapng")
    );
}

#[test]
fn arrow_keys_step_through_the_packets() {
    let mut harness = harness(app_with(sample(SEED)));
    harness.run();
    let frame_of_selection = |h: &Harness<'_, TcpLadderApp>| {
        let app = h.state();
        app.selected_packet()
            .and_then(|p| app.session()?.packets.get(p as usize))
            .map(|p| p.frame())
    };
    // The first packet is selected on open, so its explanation shows at once.
    assert_eq!(frame_of_selection(&harness), Some(1));
    harness.key_press(egui::Key::ArrowDown);
    harness.run();
    assert_eq!(frame_of_selection(&harness), Some(2));
    harness.key_press(egui::Key::End);
    harness.run();
    // The seed's first connection ends with packet 5 (the ACK of the 10 data bytes).
    assert_eq!(frame_of_selection(&harness), Some(5));
    harness.key_press(egui::Key::Home);
    harness.run();
    assert_eq!(frame_of_selection(&harness), Some(1));
    // After a click on an arrow the keys still step (the click does not trap them).
    harness.get_by_label("Packet 3: ACK").click();
    harness.run();
    harness.key_press(egui::Key::ArrowUp);
    harness.run();
    assert_eq!(frame_of_selection(&harness), Some(2));
}

#[test]
fn connection_filter_narrows_the_list() {
    let mut harness = harness(app_with(sample("port-reuse.pcapng")));
    harness.run();
    let cards = |h: &Harness<'_, TcpLadderApp>| {
        h.query_all_by(|n| {
            n.role() == egui::Role::Button
                && n.label().is_some_and(|l| l.starts_with("Connection "))
        })
        .count()
    };
    let all = cards(&harness);
    assert!(all >= 2, "port reuse makes two connections, found {all}");
    let filter = harness.get_by_label("Filter");
    filter.focus();
    harness.run();
    harness.get_by_label("Filter").type_text("#1");
    harness.run();
    assert_eq!(cards(&harness), 1);
    connection_card(&harness, 1).click();
    harness.run();
    assert_eq!(harness.state().selected_stream(), Some(1));
}

/// A pcap of one connection: handshake, `segments` data segments each acknowledged,
/// then a three-segment close. Checksums are left zero (nothing here verifies them).
fn bulk_transfer_pcap(segments: u32) -> Vec<u8> {
    let client = ([10, 0, 0, 1], 40000u16);
    let server = ([10, 0, 0, 2], 80u16);
    let frame = |from_client: bool, seq: u32, ack: u32, flags: u8, payload: usize| {
        let ((src, sport), (dst, dport)) = if from_client {
            (client, server)
        } else {
            (server, client)
        };
        let mut frame = vec![2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 8, 0];
        frame.extend([0x45, 0]);
        frame.extend(((20 + 20 + payload) as u16).to_be_bytes());
        frame.extend([0, 0, 0x40, 0, 64, 6, 0, 0]);
        frame.extend(src);
        frame.extend(dst);
        frame.extend(sport.to_be_bytes());
        frame.extend(dport.to_be_bytes());
        frame.extend(seq.to_be_bytes());
        frame.extend(ack.to_be_bytes());
        frame.extend([5 << 4, flags]);
        frame.extend(65535u16.to_be_bytes());
        frame.extend([0, 0, 0, 0]);
        frame.extend(std::iter::repeat_n(b'x', payload));
        frame
    };
    let (syn, ack, fin, psh) = (0x02, 0x10, 0x01, 0x08);
    let (c0, s0) = (1000u32, 5000u32);
    let mut frames = vec![
        frame(true, c0, 0, syn, 0),
        frame(false, s0, c0 + 1, syn | ack, 0),
        frame(true, c0 + 1, s0 + 1, ack, 0),
    ];
    let mut c = c0 + 1;
    for _ in 0..segments {
        frames.push(frame(true, c, s0 + 1, psh | ack, 100));
        c += 100;
        frames.push(frame(false, s0 + 1, c, ack, 0));
    }
    frames.push(frame(true, c, s0 + 1, fin | ack, 0));
    frames.push(frame(false, s0 + 1, c + 1, fin | ack, 0));
    frames.push(frame(true, c + 1, s0 + 2, ack, 0));

    // pcap header: magic, version 2.4, zone, sigfigs, snaplen, Ethernet.
    let mut out = Vec::new();
    out.extend(0xa1b2_c3d4_u32.to_le_bytes());
    out.extend(2u16.to_le_bytes());
    out.extend(4u16.to_le_bytes());
    out.extend([0u8; 8]);
    out.extend(65535u32.to_le_bytes());
    out.extend(1u32.to_le_bytes());
    for (i, frame) in frames.into_iter().enumerate() {
        out.extend(1_700_000_000u32.to_le_bytes());
        out.extend((i as u32 * 100).to_le_bytes());
        out.extend((frame.len() as u32).to_le_bytes());
        out.extend((frame.len() as u32).to_le_bytes());
        out.extend(frame);
    }
    out
}

#[test]
fn a_long_data_phase_collapses_and_expands() {
    let bytes = bulk_transfer_pcap(40);
    let mut harness = harness(app_with(LoadSource::Bytes {
        name: PathBuf::from("bulk.pcap"),
        bytes: bytes.into(),
    }));
    harness.run();
    let collapsed = |h: &Harness<'_, TcpLadderApp>| {
        h.query_all_by(|n| {
            n.role() == egui::Role::Button && n.label().is_some_and(|l| l.starts_with("Expand "))
        })
        .count()
    };
    assert_eq!(
        collapsed(&harness),
        1,
        "the 40 data segments and their ACKs are one row"
    );
    // Below the fold at 720 px: scroll to it as a user would, then click.
    harness
        .get_by(|n| {
            n.label()
                .is_some_and(|l| l.starts_with("Expand 40 data segments and 40 ACKs"))
        })
        .scroll_to_me();
    harness.run();
    harness
        .get_by(|n| {
            n.label()
                .is_some_and(|l| l.starts_with("Expand 40 data segments and 40 ACKs"))
        })
        .click();
    harness.run();
    assert_eq!(collapsed(&harness), 0, "every segment has its own row");
    harness.get_by_role_and_label(egui::Role::Button, "Packet 4: PSH, ACK");

    harness.get_by_label("Collapse runs").click();
    harness.run();
    assert_eq!(collapsed(&harness), 1);
}

#[test]
fn screen_from_ladder_puts_lanes_on_the_lifelines_and_rows_below_each_other() {
    use tcp_ladder::ladder::{LadderOptions, LaneSide, layout};
    use tcp_ladder::ui::canvas::{LadderTransform, RowLayout, lane_fraction};

    let t = LadderTransform {
        left_x: 100.0,
        right_x: 500.0,
        top: 40.0,
    };
    assert_eq!(t.screen_from_ladder(0.0, 0.0), egui::pos2(100.0, 40.0));
    assert_eq!(t.screen_from_ladder(0.5, 10.0), egui::pos2(300.0, 50.0));
    assert_eq!(t.lifeline_x(LaneSide::Right), 500.0);
    assert_eq!(lane_fraction(LaneSide::Left), 0.0);

    let app = app_with(sample(SEED));
    let Some(session) = app.session() else {
        panic!("seed did not load");
    };
    let ladder = layout(session, 0, &LadderOptions::default());
    let rows = RowLayout::of(&ladder);
    let tops: Vec<f32> = (0..ladder.rows.len())
        .filter_map(|r| rows.row_top(r))
        .collect();
    assert_eq!(tops.len(), ladder.rows.len());
    assert!(
        tops.iter().zip(tops.iter().skip(1)).all(|(a, b)| b > a),
        "rows go down: {tops:?}"
    );
    assert!(rows.height() > tops.last().copied().unwrap_or_default());
}

#[test]
fn frames_kept_but_not_decoded_are_reported_in_the_banner() {
    // Wi-Fi with two encrypted data frames: the TCP packets are shown, and the banner
    // says what could not be decoded (as the command line's warnings do).
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("samples/links/wifi-radiotap.pcap");
    let mut harness = harness(app_with(LoadSource::Path(path)));
    harness.run();
    let Some(message) = harness.state().message() else {
        panic!("no banner");
    };
    assert!(
        message.title.contains("could not be decoded"),
        "{:?}",
        message.title
    );
    assert!(
        message
            .lines
            .iter()
            .any(|l| l.contains("2 encrypted 802.11 frame(s)")),
        "{:?}",
        message.lines
    );
    assert!(!texts_containing(&harness, "2 encrypted 802.11 frame(s)").is_empty());
}

//! The classroom features driven headless: step mode, the RFC 9293 state diagram,
//! presentation mode and export. Widgets are found by their accessible names.

use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use tcp_ladder::samples;
use tcp_ladder::ui::classroom::ClassroomCommand;
use tcp_ladder::ui::{Command, LoadSource, TcpLadderApp, install_style};

const SEED: &str = "seed-handshake-client.pcapng";

fn harness(app: TcpLadderApp, size: egui::Vec2) -> Harness<'static, TcpLadderApp> {
    Harness::builder()
        .with_size(size)
        .with_context_setup(install_style)
        .build_ui_state(|ui, app: &mut TcpLadderApp| app.window_ui(ui), app)
}

fn seed_app() -> TcpLadderApp {
    let Some(sample) = samples::find(SEED) else {
        panic!("sample {SEED} is not bundled");
    };
    let mut app = TcpLadderApp::new_for_test();
    app.load_blocking(LoadSource::sample(sample));
    app
}

fn seed_harness() -> Harness<'static, TcpLadderApp> {
    let mut harness = harness(seed_app(), egui::vec2(1280.0, 720.0));
    harness.run();
    harness
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

fn press(harness: &mut Harness<'_, TcpLadderApp>, key: egui::Key) {
    harness.key_press(key);
    harness.run();
}

/// The server's state as the lane header shows it in step mode.
fn server_now(harness: &Harness<'_, TcpLadderApp>) -> Vec<String> {
    labels_containing(harness, "SERVER now in ")
}

#[test]
fn step_mode_reveals_the_handshake_one_packet_at_a_time() {
    let mut harness = seed_harness();
    assert!(
        has_label(&harness, "Packet 3: ACK"),
        "the whole ladder before step mode"
    );

    press(&mut harness, egui::Key::S);
    assert!(harness.state().classroom().is_stepping());
    assert_eq!(harness.state().classroom().revealed(), Some(0));
    assert!(
        !has_label(&harness, "Packet 1: SYN"),
        "nothing is revealed yet"
    );
    assert_eq!(
        server_now(&harness),
        vec!["SERVER now in LISTEN".to_string()]
    );

    press(&mut harness, egui::Key::ArrowRight);
    assert!(has_label(&harness, "Packet 1: SYN"));
    assert!(!has_label(&harness, "Packet 2: SYN, ACK"));
    assert_eq!(
        server_now(&harness),
        vec!["SERVER now in SYN-RECEIVED".to_string()]
    );

    press(&mut harness, egui::Key::ArrowRight);
    assert!(has_label(&harness, "Packet 2: SYN, ACK"));
    assert!(!has_label(&harness, "Packet 3: ACK"));
    assert_eq!(
        labels_containing(&harness, "CLIENT now in "),
        vec!["CLIENT now in ESTABLISHED".to_string()]
    );
    assert!(
        !server_now(&harness).contains(&"SERVER now in ESTABLISHED".to_string()),
        "the server is not established before the third packet"
    );
    assert!(!has_label(&harness, "SERVER state ESTABLISHED"));

    press(&mut harness, egui::Key::ArrowRight);
    assert!(has_label(&harness, "Packet 3: ACK"), "packet 3 is revealed");
    assert!(!has_label(&harness, "Packet 4: PSH, ACK"));
    assert_eq!(
        server_now(&harness),
        vec!["SERVER now in ESTABLISHED".to_string()]
    );
    assert!(
        has_label(&harness, "SERVER state ESTABLISHED"),
        "its state box"
    );
    // The newest revealed packet is the selection.
    let frame = harness
        .state()
        .selected_packet()
        .and_then(|p| harness.state().session()?.packets.get(p as usize))
        .map(|p| p.frame());
    assert_eq!(frame, Some(3));
    // The step panel explains it in words.
    assert!(
        has_label(&harness, "Step 3 / 5"),
        "{:?}",
        labels_containing(&harness, "Step")
    );

    // ← hides it again.
    press(&mut harness, egui::Key::ArrowLeft);
    assert!(!has_label(&harness, "Packet 3: ACK"));
    assert_eq!(
        server_now(&harness),
        vec!["SERVER now in SYN-RECEIVED".to_string()]
    );

    // End shows everything, Home nothing; S leaves step mode with the whole ladder.
    press(&mut harness, egui::Key::End);
    assert!(has_label(&harness, "Packet 5: ACK"));
    press(&mut harness, egui::Key::Home);
    assert!(!has_label(&harness, "Packet 1: SYN"));
    press(&mut harness, egui::Key::S);
    assert!(!harness.state().classroom().is_stepping());
    assert!(has_label(&harness, "Packet 5: ACK"));
}

#[test]
fn the_toolbar_step_buttons_work_like_the_keys() {
    let mut harness = seed_harness();
    harness
        .get_by_role_and_label(egui::Role::Button, "Step")
        .click();
    harness.run();
    assert!(harness.state().classroom().is_stepping());
    for _ in 0..2 {
        // The toolbar and the step panel both have it.
        let Some(next) = harness
            .query_all_by(|n| {
                n.role() == egui::Role::Button && n.label().as_deref() == Some("Next packet")
            })
            .next()
        else {
            panic!("no Next packet button");
        };
        next.click();
        harness.run();
    }
    assert_eq!(harness.state().classroom().revealed(), Some(2));
    assert!(has_label(&harness, "Packet 2: SYN, ACK"));
}

#[test]
fn the_state_diagram_highlights_each_endpoints_state_and_follows_the_steps() {
    let mut harness = seed_harness();
    press(&mut harness, egui::Key::S);
    // Shown by default in step mode, with the starting states.
    assert!(has_label(
        &harness,
        "State CLOSED (before the connection), current for client"
    ));
    assert!(has_label(&harness, "State LISTEN, current for server"));
    assert!(has_label(&harness, "State ESTABLISHED"));

    press(&mut harness, egui::Key::ArrowRight);
    assert!(has_label(&harness, "State SYN-SENT, current for client"));
    assert!(has_label(
        &harness,
        "State SYN-RECEIVED, current for server"
    ));

    press(&mut harness, egui::Key::ArrowRight);
    assert!(has_label(&harness, "State ESTABLISHED, current for client"));
    assert!(has_label(
        &harness,
        "State SYN-RECEIVED, current for server"
    ));

    press(&mut harness, egui::Key::ArrowRight);
    assert!(has_label(
        &harness,
        "State ESTABLISHED, current for client and server"
    ));
    assert!(has_label(&harness, "State SYN-RECEIVED"));
}

#[test]
fn the_state_diagram_can_be_shown_outside_step_mode_and_follows_the_selection() {
    let mut harness = seed_harness();
    assert!(!has_label(&harness, "State LISTEN"), "hidden by default");
    let ctx = harness.ctx.clone();
    harness.state_mut().apply(
        &ctx,
        Command::Classroom(ClassroomCommand::ShowStateDiagram(true)),
    );
    harness.run();
    // The window may cover the arrows: select packet 2 with the keyboard.
    assert!(has_label(&harness, "State SYN-SENT, current for client"));
    press(&mut harness, egui::Key::ArrowDown);
    assert!(has_label(&harness, "State ESTABLISHED, current for client"));
    assert!(has_label(
        &harness,
        "State SYN-RECEIVED, current for server"
    ));
}

#[test]
fn presentation_mode_hides_the_side_panels_and_esc_leaves_it() {
    let mut harness = seed_harness();
    assert!(
        has_label(&harness, "Connections"),
        "the connections panel heading"
    );
    let zoom_before = harness.ctx.zoom_factor();

    press(&mut harness, egui::Key::F5);
    assert!(harness.state().classroom().is_presenting());
    harness.run();
    assert!(
        !has_label(&harness, "Connections"),
        "connections panel hidden"
    );
    assert!(!has_label(&harness, "Details"), "details panel hidden");
    assert!(
        harness.ctx.zoom_factor() >= 1.6,
        "large type: zoom {}",
        harness.ctx.zoom_factor()
    );
    assert_eq!(
        harness.ctx.global_style().visuals.panel_fill,
        egui::Color32::WHITE
    );
    // The ladder is still there.
    assert!(has_label(&harness, "Packet 2: SYN, ACK"));

    press(&mut harness, egui::Key::Escape);
    harness.run();
    assert!(!harness.state().classroom().is_presenting());
    assert!(has_label(&harness, "Connections"));
    assert!((harness.ctx.zoom_factor() - zoom_before).abs() < 1e-3);
    assert_ne!(
        harness.ctx.global_style().visuals.panel_fill,
        egui::Color32::WHITE
    );
}

#[test]
fn the_present_button_and_step_mode_together_show_the_step_panel_on_the_projector() {
    let mut harness = seed_harness();
    harness
        .get_by_role_and_label(egui::Role::Button, "Present")
        .click();
    harness.run();
    press(&mut harness, egui::Key::S);
    press(&mut harness, egui::Key::Space);
    assert!(harness.state().classroom().is_presenting());
    assert!(has_label(&harness, "Packet 1: SYN"));
    assert!(has_label(&harness, "Step 1 / 5"));
    assert!(has_label(&harness, "State SYN-SENT, current for client"));
}

#[test]
fn export_writes_svg_png_and_text_and_says_so() {
    let dir = std::env::temp_dir().join(format!("tcp-ladder-classroom-{}", std::process::id()));
    if let Err(e) = std::fs::create_dir_all(&dir) {
        panic!("cannot create {}: {e}", dir.display());
    }
    let mut harness = seed_harness();
    let ctx = harness.ctx.clone();
    for name in ["ladder.svg", "ladder.txt", "ladder.png"] {
        let path = dir.join(name);
        harness.state_mut().apply(
            &ctx,
            Command::Classroom(ClassroomCommand::ExportTo(path.clone())),
        );
        // The PNG is drawn on a worker thread.
        for _ in 0..200 {
            harness.run();
            if path.exists()
                && harness.state().classroom().toast() == Some(&format!("Saved {name}"))
            {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        assert_eq!(
            harness.state().classroom().toast(),
            Some(format!("Saved {name}").as_str())
        );
        let Ok(bytes) = std::fs::read(&path) else {
            panic!("{} was not written", path.display());
        };
        match name {
            "ladder.svg" => assert!(String::from_utf8_lossy(&bytes).contains("<svg")),
            "ladder.txt" => {
                let text = String::from_utf8_lossy(&bytes);
                assert!(text.contains("SYN, ACK"), "{text}");
                assert!(text.contains("tcpdump lines"), "{text}");
            }
            _ => assert!(bytes.starts_with(b"\x89PNG")),
        }
    }
    // An unknown extension is an error message, not a file.
    let bad = dir.join("ladder.doc");
    harness.state_mut().apply(
        &ctx,
        Command::Classroom(ClassroomCommand::ExportTo(bad.clone())),
    );
    harness.run();
    assert!(!bad.exists());
    let title = harness.state().message().map(|m| m.title.clone());
    assert_eq!(title.as_deref(), Some("Could not save ladder.doc"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn export_in_step_mode_writes_the_step_shown() {
    let dir = std::env::temp_dir().join(format!("tcp-ladder-step-export-{}", std::process::id()));
    if let Err(e) = std::fs::create_dir_all(&dir) {
        panic!("cannot create {}: {e}", dir.display());
    }
    let mut harness = seed_harness();
    press(&mut harness, egui::Key::S);
    press(&mut harness, egui::Key::ArrowRight);
    press(&mut harness, egui::Key::ArrowRight);
    assert_eq!(harness.state().classroom().revealed(), Some(2));
    let total = harness.state().view().map_or(0, |v| v.ladder.rows.len());
    let ctx = harness.ctx.clone();
    let path = dir.join("step.txt");
    harness.state_mut().apply(
        &ctx,
        Command::Classroom(ClassroomCommand::ExportTo(path.clone())),
    );
    harness.run();
    let Ok(text) = std::fs::read_to_string(&path) else {
        panic!("{} was not written", path.display());
    };
    assert!(text.starts_with(&format!("Step 2 / {total}\n")), "{text}");
    assert!(text.contains("SYN, ACK"), "{text}");
    assert!(
        !text.contains("#3 "),
        "packet 3 is not revealed yet: {text}"
    );
    let now = text.lines().find(|l| l.trim_start().starts_with("now:"));
    let states: Vec<&str> = now.map_or(Vec::new(), |l| l.split_whitespace().skip(1).collect());
    assert_eq!(states, ["ESTABLISHED", "SYN-RECEIVED"], "{text}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_receiver_changes_state_only_when_the_arrow_arrives() {
    let mut harness = seed_harness();
    press(&mut harness, egui::Key::S);
    press(&mut harness, egui::Key::ArrowRight);
    press(&mut harness, egui::Key::ArrowRight);
    // One frame after the third press (a quarter of a second in the harness): packet 3
    // is on its way, the server still SYN-RECEIVED.
    harness.key_press(egui::Key::ArrowRight);
    harness.step();
    assert!(has_label(&harness, "Packet 3: ACK"));
    assert_eq!(
        server_now(&harness),
        vec!["SERVER now in SYN-RECEIVED".to_string()]
    );
    harness.run();
    assert_eq!(
        server_now(&harness),
        vec!["SERVER now in ESTABLISHED".to_string()]
    );
}

#[test]
fn zoom_is_remembered_and_ctrl_0_resets_it_also_while_presenting() {
    let mut harness = seed_harness();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Plus);
    harness.run();
    harness.run();
    let desk = harness.state().settings().classroom.zoom;
    assert!((desk - 1.1).abs() < 1e-3, "desk zoom {desk}");

    press(&mut harness, egui::Key::F5);
    harness.run();
    let auto = harness.ctx.zoom_factor();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Plus);
    harness.run();
    harness.run();
    let chosen = harness.state().settings().classroom.presentation_zoom;
    assert_eq!(
        chosen.map(|z| (z * 10.0).round()),
        Some((auto * 10.0).round() + 1.0)
    );
    assert!(
        (harness.state().settings().classroom.zoom - desk).abs() < 1e-3,
        "presenting leaves the desk zoom alone"
    );
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Num0);
    harness.run();
    assert_eq!(harness.state().settings().classroom.presentation_zoom, None);
    assert!((harness.ctx.zoom_factor() - auto).abs() < 1e-3);

    press(&mut harness, egui::Key::Escape);
    harness.run();
    assert!((harness.ctx.zoom_factor() - desk).abs() < 1e-3);
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Num0);
    harness.run();
    harness.run();
    assert!((harness.state().settings().classroom.zoom - 1.0).abs() < 1e-3);
}

#[test]
fn leaving_presentation_puts_the_dark_theme_back() {
    let mut harness = seed_harness();
    let ctx = harness.ctx.clone();
    harness.state_mut().apply(
        &ctx,
        Command::SetTheme(tcp_ladder::ui::settings::ThemeChoice::Dark),
    );
    harness.run();
    assert!(harness.ctx.global_style().visuals.dark_mode);
    press(&mut harness, egui::Key::F5);
    assert!(
        !harness.ctx.global_style().visuals.dark_mode,
        "projectors get the light theme"
    );
    press(&mut harness, egui::Key::Escape);
    assert!(harness.ctx.global_style().visuals.dark_mode);
}

//! Writing packet notes in the app, driven headless with egui_kittest: N on a selected
//! packet opens the editor, the note shows on its arrow and in the details, the title
//! says it is not saved, opening another capture asks first (cancel keeps everything,
//! discard goes on), and Save as writes a pcapng whose comments tcp-ladder and tshark's
//! reference read back.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use egui::Key;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use tcp_ladder::ladder::Row;
use tcp_ladder::samples;
use tcp_ladder::ui::{Command, LoadSource, NoteCommand, TcpLadderApp, Unsaved, install_style};

use crate::common;

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

fn has_text(harness: &Harness<'_, TcpLadderApp>, text: &str) -> bool {
    harness
        .query_all_by(|n| {
            n.label().is_some_and(|l| l.contains(text))
                || n.value().is_some_and(|v| v.contains(text))
        })
        .next()
        .is_some()
}

/// The notes on the arrows of the shown ladder, by packet.
fn arrow_notes(harness: &Harness<'_, TcpLadderApp>) -> Vec<(u32, Vec<String>)> {
    let ladder = &harness.state().view().expect("a ladder").ladder;
    ladder
        .rows
        .iter()
        .filter_map(|r| match r {
            Row::Packet(a) if !a.notes.is_empty() => Some((a.packet, a.notes.clone())),
            _ => None,
        })
        .collect()
}

/// Click the button whose name starts with `name` (a shortcut may follow it).
fn click(harness: &mut Harness<'_, TcpLadderApp>, name: &str) {
    harness
        .query_by(|n| {
            n.role() == egui::Role::Button && n.label().is_some_and(|l| l.starts_with(name))
        })
        .unwrap_or_else(|| panic!("no button {name}"))
        .click();
}

fn apply(harness: &mut Harness<'_, TcpLadderApp>, command: Command) {
    let ctx = harness.ctx.clone();
    harness.state_mut().apply(&ctx, command);
    harness.run();
}

/// `before` with packet `packet`'s notes set to `notes` (none: removed).
fn with(before: &[(u32, Vec<String>)], packet: u32, notes: &[&str]) -> Vec<(u32, Vec<String>)> {
    let mut after: Vec<_> = before
        .iter()
        .filter(|(p, _)| *p != packet)
        .cloned()
        .collect();
    if !notes.is_empty() {
        after.push((packet, notes.iter().map(|n| n.to_string()).collect()));
    }
    after.sort_by_key(|(p, _)| *p);
    after
}

/// The notes the sample has of its own, by packet.
fn sample_notes(file: &str) -> Vec<(u32, Vec<String>)> {
    let mut app = TcpLadderApp::new_for_test();
    app.load_blocking(sample(file));
    arrow_notes(&harness(app))
}

/// A sample with a packet selected and a note written on it with N.
fn noted(file: &str, note: &str) -> Harness<'static, TcpLadderApp> {
    let mut app = TcpLadderApp::new_for_test();
    app.load_blocking(sample(file));
    let mut h = harness(app);
    assert!(
        arrow_notes(&h).iter().all(|(p, _)| *p != 1),
        "packet 2 of {file} has no note of its own"
    );
    h.get_by_label("Packet 2: SYN, ACK").click();
    h.run();
    h.key_press(Key::N);
    h.run();
    assert!(h.state().notes().editing().is_some(), "N opens the editor");
    assert!(has_text(&h, "Note on packet 2"));
    h.state_mut().type_note(note);
    click(&mut h, "Keep note");
    h.run();
    h
}

#[test]
fn a_note_written_in_the_app_shows_on_its_arrow_and_in_the_details() {
    let before = sample_notes("half-close.pcapng");
    let h = noted("half-close.pcapng", "Watch the ACK: the client's ISN + 1");
    assert!(h.state().notes().editing().is_none(), "the editor closed");
    assert_eq!(
        arrow_notes(&h),
        with(&before, 1, &["Watch the ACK: the client's ISN + 1"])
    );
    assert_eq!(h.state().selected_packet(), Some(1));
    assert!(has_text(&h, "Watch the ACK: the client's ISN + 1"));
    assert!(h.state().notes().has_unsaved());
    let frame = h.state().session().unwrap().packets[1].frame();
    assert_eq!(
        h.state().session().unwrap().comments_of(frame),
        ["Watch the ACK: the client's ISN + 1"]
    );
}

#[test]
fn a_note_can_be_edited_and_deleted() {
    let before = sample_notes("half-close.pcapng");
    let mut h = noted("half-close.pcapng", "first words");
    apply(&mut h, NoteCommand::Edit(1, Some(0)).into());
    h.state_mut().type_note("better words");
    click(&mut h, "Keep note");
    h.run();
    assert_eq!(arrow_notes(&h), with(&before, 1, &["better words"]));
    apply(&mut h, NoteCommand::Delete(1, 0).into());
    assert_eq!(arrow_notes(&h), before);
    // Deleting a note is a change too: it is not in the file yet.
    assert!(h.state().notes().has_unsaved());
}

#[test]
fn opening_another_capture_with_notes_not_saved_asks_first() {
    let mut h = noted("half-close.pcapng", "an instructor's words");
    let name = h.state().session().unwrap().name.clone();
    apply(&mut h, Command::Open(sample("refused.pcapng")));
    assert!(has_text(&h, "Notes not saved"), "the question is asked");
    assert_eq!(
        h.state().session().unwrap().name,
        name,
        "nothing opened yet"
    );
    // Cancel: everything stays.
    click(&mut h, "Cancel");
    h.run();
    assert!(!has_text(&h, "Notes not saved"));
    assert_eq!(h.state().session().unwrap().name, name);
    assert!(h.state().notes().has_unsaved());
    // Discard: the other capture opens.
    apply(&mut h, Command::Open(sample("refused.pcapng")));
    apply(&mut h, NoteCommand::AnswerUnsaved(Unsaved::Discard).into());
    assert_ne!(h.state().session().unwrap().name, name);
    assert!(!h.state().notes().has_unsaved());
}

#[test]
fn saved_notes_are_read_back_from_the_file() {
    let before = sample_notes("half-close.pcapng");
    assert!(
        !before.is_empty(),
        "the sample has notes of its own, kept too"
    );
    let mut h = noted("half-close.pcapng", "第一条备注：服务器的 SYN-ACK");
    let dir = common::scratch_dir("ui-notes-save");
    let out = dir.join("half-close-notes.pcapng");
    apply(&mut h, NoteCommand::SaveTo(out.clone()).into());
    assert!(
        !h.state().notes().has_unsaved(),
        "saved: {:?}",
        h.state().message().map(|m| (&m.title, &m.lines))
    );
    assert!(has_text(&h, "Saved "));
    // Opened again, the note is there, on the same packet.
    let mut again = TcpLadderApp::new_for_test();
    again.load_blocking(LoadSource::Path(out));
    let h2 = harness(again);
    assert_eq!(
        arrow_notes(&h2),
        with(&before, 1, &["第一条备注：服务器的 SYN-ACK"])
    );
    assert!(!h2.state().notes().has_unsaved());
}

#[test]
fn the_help_menu_lists_the_note_keys() {
    let mut app = TcpLadderApp::new_for_test();
    app.load_blocking(sample("half-close.pcapng"));
    let mut h = harness(app);
    assert!(!has_text(&h, "N: a note on the selected packet"));
    h.get_by_label("Help").click();
    h.run();
    assert!(has_text(&h, "N: a note on the selected packet"));
    assert!(has_text(&h, "Ctrl S: save as pcapng, with the notes"));
}

//! Writing packet notes in the app. An instructor adds, edits and deletes notes on packets
//! (a right-click on an arrow, the N key, the details pane), and File › Save with notes
//! writes the capture as pcapng with every note as a packet comment, the way Wireshark
//! keeps them. Notes never saved are not lost silently: opening another capture or
//! quitting asks first.
//!
//! The notes themselves live in the open [`Session`]'s comments (where the reader put the
//! file's own); this module keeps only the editor and which frames changed since the last
//! save.

use super::commands::Command;
use crate::capture::write::{CaptureOrigin, save_all};
use crate::capture::{Notes, Saved, save_with_notes};
use crate::i18n::Lang;
use crate::session::{FrameSource, Session};
use egui::{RichText, Ui};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// One change to the notes.
#[derive(Clone, Debug, PartialEq)]
pub enum NoteCommand {
    /// Open the editor on a packet (index into `Session::packets`): `None` adds a note,
    /// `Some(i)` edits its i-th.
    Edit(u32, Option<usize>),
    /// Keep what the editor holds.
    Commit,
    /// Close the editor, changing nothing.
    CancelEdit,
    /// Delete a packet's i-th note.
    Delete(u32, usize),
    /// Ask where, then save the capture with its notes.
    SaveDialog,
    /// Save the capture with its notes to this file.
    SaveTo(PathBuf),
    /// The answer to "notes not saved: save them first?".
    AnswerUnsaved(Unsaved),
}

impl From<NoteCommand> for Command {
    fn from(command: NoteCommand) -> Command {
        Command::Notes(command)
    }
}

/// The answers to "notes not saved: save them first?".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unsaved {
    /// Save with notes (asks where), then go on.
    Save,
    /// Go on without them.
    Discard,
    /// Stay where we are.
    Cancel,
}

/// The note editor and what is not saved yet.
#[derive(Default)]
pub struct NotesUi {
    editor: Option<Editor>,
    /// Frames whose notes changed since the capture was opened or saved.
    unsaved: BTreeSet<u64>,
    /// The command held back by "notes not saved" (open another capture, quit…), done
    /// once the question is answered.
    waiting: Option<Box<Command>>,
    /// After a save: what was written, for the status line.
    pub saved: Option<String>,
}

/// The note being written.
struct Editor {
    packet: u32,
    frame: u64,
    /// The note being edited, or `None` for a new one.
    index: Option<usize>,
    text: String,
}

impl NotesUi {
    /// Are there notes that were never saved?
    pub fn has_unsaved(&self) -> bool {
        !self.unsaved.is_empty()
    }

    /// The frame being edited (tests).
    pub fn editing(&self) -> Option<u64> {
        self.editor.as_ref().map(|e| e.frame)
    }

    /// Type into the open editor (tests; people type into its text field).
    pub fn set_editor_text(&mut self, text: &str) {
        if let Some(editor) = &mut self.editor {
            editor.text = text.to_string();
        }
    }

    /// A new capture is open: nothing of the old one is pending.
    pub fn forget(&mut self) {
        self.editor = None;
        self.unsaved.clear();
        self.saved = None;
    }

    /// Hold `command` back if it would lose unsaved notes; it runs after the answer.
    /// Returns the command when it may run now.
    pub fn hold_if_unsaved(&mut self, command: Command) -> Option<Command> {
        if self.has_unsaved() && loses_notes(&command) {
            self.waiting = Some(Box::new(command));
            None
        } else {
            Some(command)
        }
    }

    /// The status bar's word on the notes: not saved (true: a warning), or the last save.
    pub fn status_line(&self, lang: Lang) -> Option<(String, bool)> {
        if self.has_unsaved() {
            Some((format!("✎ {}", lang.note_editing().unsaved_mark), true))
        } else {
            self.saved.clone().map(|s| (s, false))
        }
    }

    /// The held-back command, once the question is answered.
    pub fn take_waiting(&mut self) -> Option<Command> {
        self.waiting.take().map(|c| *c)
    }

    /// Apply a note command to the session's notes. Returns the commands to run next
    /// (the held-back one after "discard", the save dialog after "save"…) and whether the
    /// notes changed (the ladder is laid out again).
    pub fn apply(
        &mut self,
        command: NoteCommand,
        session: Option<&mut Session>,
        origin: &CaptureOrigin,
        lang: Lang,
    ) -> Applied {
        let mut applied = Applied::default();
        match command {
            NoteCommand::Edit(packet, index) => {
                let Some(session) = session else {
                    return applied;
                };
                let Some(frame) = frame_of(session, packet) else {
                    applied.problem = Some(lang.note_editing().other_end_only.to_string());
                    return applied;
                };
                let text = index
                    .and_then(|i| session.comments_of(frame).get(i).cloned())
                    .unwrap_or_default();
                self.editor = Some(Editor {
                    packet,
                    frame,
                    index,
                    text,
                });
            }
            NoteCommand::CancelEdit => self.editor = None,
            NoteCommand::Commit => {
                let (Some(editor), Some(session)) = (self.editor.take(), session) else {
                    return applied;
                };
                let text = editor.text.trim_end().to_string();
                let notes = session.comments.entry(editor.frame).or_default();
                match (editor.index, text.is_empty()) {
                    (Some(i), true) if i < notes.len() => {
                        notes.remove(i);
                    }
                    (Some(i), false) if i < notes.len() => {
                        if let Some(note) = notes.get_mut(i) {
                            *note = text;
                        }
                    }
                    (_, true) => {}
                    (_, false) => notes.push(text),
                }
                if notes.is_empty() {
                    session.comments.remove(&editor.frame);
                }
                self.unsaved.insert(editor.frame);
                applied.changed = true;
                applied.select = Some(editor.packet);
            }
            NoteCommand::Delete(packet, index) => {
                let Some(session) = session else {
                    return applied;
                };
                let Some(frame) = frame_of(session, packet) else {
                    return applied;
                };
                if let Some(notes) = session.comments.get_mut(&frame)
                    && index < notes.len()
                {
                    notes.remove(index);
                    if notes.is_empty() {
                        session.comments.remove(&frame);
                    }
                    self.unsaved.insert(frame);
                    applied.changed = true;
                }
                self.editor = None;
            }
            NoteCommand::SaveDialog => {
                let Some(session) = session else {
                    return applied;
                };
                let w = lang.note_editing();
                let picked = rfd::FileDialog::new()
                    .set_title(w.save_dialog_title)
                    .set_file_name(default_save_name(&session.name))
                    .add_filter("pcapng", &["pcapng"])
                    .save_file();
                match picked {
                    Some(path) => applied.next = Some(NoteCommand::SaveTo(path).into()),
                    // Saving was the answer to "notes not saved", and then cancelled.
                    None => self.waiting = None,
                }
            }
            NoteCommand::SaveTo(path) => {
                let Some(session) = session else {
                    return applied;
                };
                let w = lang.note_editing();
                match save(session, origin, &path) {
                    Ok(saved) => {
                        self.unsaved.clear();
                        let line =
                            (w.saved)(saved.frames, saved.notes, &path.display().to_string());
                        if saved.warnings.is_empty() {
                            self.saved = Some(line);
                        } else {
                            // A damaged input: only what could be read was saved.
                            self.saved = Some(format!("{line} ⚠"));
                            applied.damaged = Some((
                                line,
                                std::iter::once(w.saved_damaged.to_string())
                                    .chain(saved.warnings.iter().map(ToString::to_string))
                                    .collect(),
                            ));
                        }
                        applied.next = self.take_waiting();
                    }
                    Err(why) => {
                        self.waiting = None;
                        applied.save_failed =
                            Some(((w.save_failed)(&path.display().to_string()), why));
                    }
                }
            }
            NoteCommand::AnswerUnsaved(answer) => match answer {
                Unsaved::Save => applied.next = Some(NoteCommand::SaveDialog.into()),
                Unsaved::Discard => {
                    self.unsaved.clear();
                    applied.next = self.take_waiting();
                }
                Unsaved::Cancel => self.waiting = None,
            },
        }
        applied
    }

    /// The editor window and the "notes not saved" question, when open.
    #[must_use = "apply the returned command"]
    pub fn windows_ui(
        &mut self,
        ui: &Ui,
        session: Option<&Session>,
        lang: Lang,
    ) -> Option<Command> {
        let mut command = None;
        if let Some(editor) = &mut self.editor {
            command = editor_ui(ui, editor, lang);
        }
        if self.waiting.is_some() {
            let name = session.map_or("", |s| s.name.as_str());
            command = command.or(unsaved_ui(ui, self.unsaved.len(), name, lang));
        }
        command
    }
}

/// What applying a note command changed.
#[derive(Default)]
#[must_use]
pub struct Applied {
    /// The notes changed: lay the ladder out again.
    pub changed: bool,
    /// Select this packet (the one just noted).
    pub select: Option<u32>,
    /// Run this next.
    pub next: Option<Command>,
    /// Why a note could not be edited (a banner).
    pub problem: Option<String>,
    /// A save failed: the title and why.
    pub save_failed: Option<(String, String)>,
    /// A save of a damaged capture: the title and what was left out.
    pub damaged: Option<(String, Vec<String>)>,
}

/// Commands that close the open capture (or the app) and with it its notes.
fn loses_notes(command: &Command) -> bool {
    matches!(
        command,
        Command::OpenDialog | Command::Open(_) | Command::OpenBothEnds(..) | Command::Quit
    ) || matches!(command, Command::Live(live) if live.replaces_capture())
}

/// The frame of packet `packet` of the open capture (none for a packet only the other
/// end's capture has).
fn frame_of(session: &Session, packet: u32) -> Option<u64> {
    session.packets.get(packet as usize).map(|p| p.frame())
}

/// "lecture.pcap" → "lecture-notes.pcapng"; a pcapng keeps its name.
pub fn default_save_name(name: &str) -> String {
    let base = Path::new(name)
        .file_name()
        .map_or_else(|| name.to_string(), |n| n.to_string_lossy().into_owned());
    let stem = base
        .strip_suffix(".gz")
        .unwrap_or(&base)
        .trim_end_matches(".pcapng")
        .trim_end_matches(".pcap")
        .trim_end_matches(".cap");
    if base.ends_with(".pcapng") {
        base
    } else {
        format!("{stem}-notes.pcapng")
    }
}

/// The session's notes as the writer takes them.
pub fn notes_of(session: &Session) -> Notes {
    session.comments.clone()
}

/// Save the open capture with its notes to `out`: its frames exactly as read, each note a
/// packet comment. A live capture's frames are written first with `origin` (its
/// interface and filter) in their interface blocks.
pub fn save(session: &Session, origin: &CaptureOrigin, out: &Path) -> Result<Saved, String> {
    let notes = notes_of(session);
    // The writer reads the frames from a file: a bundled sample or a stream is copied to
    // one first.
    let copy;
    let input: &Path = match &session.source {
        FrameSource::File(path) => path,
        FrameSource::Memory(bytes) => {
            copy = temp_copy(|f| std::io::Write::write_all(f, bytes))?;
            &copy
        }
        FrameSource::Spool(spool) => {
            copy = temp_copy(|f| {
                let stream = spool.reopen()?;
                let mut reader = crate::capture::open_reader(
                    Path::new(&session.name),
                    Box::new(stream),
                    crate::capture::ProgressCounter::default(),
                    None,
                )
                .map_err(std::io::Error::other)?;
                save_all(&mut reader, f, origin.clone()).map(|_| ())
            })?;
            &copy
        }
    };
    save_with_notes(input, &notes, out).map_err(|e| e.to_string())
}

/// A private temporary copy of a capture (removed when dropped), filled by `fill`.
fn temp_copy(
    fill: impl FnOnce(&mut std::fs::File) -> std::io::Result<()>,
) -> Result<tempfile::TempPath, String> {
    let (mut file, path) = crate::capture::private_temp_file("save")
        .map_err(|e| format!("{}: {e}", std::env::temp_dir().display()))?;
    fill(&mut file).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(path)
}

/// The start of a note, for a menu entry.
pub fn note_start(note: &str) -> String {
    const SHOWN: usize = 28;
    let first_line = note.lines().next().unwrap_or_default();
    if first_line.chars().count() > SHOWN || note.lines().nth(1).is_some() {
        format!("{}…", first_line.chars().take(SHOWN).collect::<String>())
    } else {
        first_line.to_string()
    }
}

/// The note entries of an arrow's right-click menu (`notes`: the packet's notes as kept
/// in the file).
#[must_use = "apply the returned command"]
pub fn arrow_menu_ui(ui: &mut Ui, packet: u32, notes: &[String], lang: Lang) -> Option<Command> {
    let w = lang.note_editing();
    let mut command = None;
    let add = super::actions::Action::AddNote;
    if ui
        .add(add.menu_widget(lang))
        .on_hover_text(add.tooltip(lang))
        .clicked()
    {
        command = Some(NoteCommand::Edit(packet, None).into());
    }
    for (i, note) in notes.iter().enumerate() {
        let start = note_start(note);
        if ui.button((w.edit_note)(&start)).clicked() {
            command = Some(NoteCommand::Edit(packet, Some(i)).into());
        }
        if ui.button((w.delete_note)(&start)).clicked() {
            command = Some(NoteCommand::Delete(packet, i).into());
        }
    }
    if command.is_some() {
        ui.close();
    }
    command
}

/// The note editor: a modal window with the note's text.
fn editor_ui(ui: &Ui, editor: &mut Editor, lang: Lang) -> Option<Command> {
    let w = lang.note_editing();
    let mut command = None;
    let modal = egui::Modal::new(egui::Id::unique("note editor")).show(ui.ctx(), |ui| {
        ui.set_width(460.0);
        ui.label(
            RichText::new((w.editor_title)(editor.frame))
                .size(18.0)
                .strong(),
        );
        ui.label(RichText::new(w.editor_hint).weak());
        ui.add_space(6.0);
        let heading = ui.label(RichText::new(format!("✎ {}", w.note_text)).strong());
        let text = ui
            .add(
                egui::TextEdit::multiline(&mut editor.text)
                    .desired_rows(4)
                    .desired_width(f32::INFINITY)
                    .id(egui::Id::unique("note text")),
            )
            .labelled_by(heading.id);
        if !text.has_focus() && !text.lost_focus() && editor.text.is_empty() {
            text.request_focus();
        }
        // Ctrl+Enter keeps the note (Enter is a new line).
        let keep_key = ui.input_mut(|i| i.consume_key(egui::Modifiers::COMMAND, egui::Key::Enter));
        ui.add_space(6.0);
        ui.horizontal(|ui| {
            if ui
                .add(egui::Button::new(w.save_note).shortcut_text("Ctrl+Enter"))
                .clicked()
                || keep_key
            {
                command = Some(NoteCommand::Commit.into());
            }
            if ui.button(w.cancel).clicked() {
                command = Some(NoteCommand::CancelEdit.into());
            }
            if let Some(i) = editor.index
                && ui.button(w.delete).clicked()
            {
                command = Some(NoteCommand::Delete(editor.packet, i).into());
            }
        });
    });
    if command.is_none() && modal.should_close() {
        command = Some(NoteCommand::CancelEdit.into());
    }
    command
}

/// "Notes not saved: save them first?"
fn unsaved_ui(ui: &Ui, frames: usize, name: &str, lang: Lang) -> Option<Command> {
    let w = lang.note_editing();
    let mut command = None;
    let modal = egui::Modal::new(egui::Id::unique("unsaved notes")).show(ui.ctx(), |ui| {
        ui.set_max_width(440.0);
        ui.label(RichText::new(w.unsaved_title).size(18.0).strong());
        ui.label(RichText::new((w.unsaved_question)(frames, name)).size(15.0));
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            if ui.button(w.save_first).clicked() {
                command = Some(NoteCommand::AnswerUnsaved(Unsaved::Save).into());
            }
            if ui.button(w.discard).clicked() {
                command = Some(NoteCommand::AnswerUnsaved(Unsaved::Discard).into());
            }
            if ui.button(w.keep_open).clicked() {
                command = Some(NoteCommand::AnswerUnsaved(Unsaved::Cancel).into());
            }
        });
    });
    if command.is_none() && modal.should_close() {
        command = Some(NoteCommand::AnswerUnsaved(Unsaved::Cancel).into());
    }
    command
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_saved_file_is_named_after_the_capture() {
        assert_eq!(default_save_name("lecture.pcap"), "lecture-notes.pcapng");
        assert_eq!(default_save_name("/tmp/a/lab.pcap.gz"), "lab-notes.pcapng");
        assert_eq!(default_save_name("lab.pcapng"), "lab.pcapng");
        assert_eq!(default_save_name("stdin"), "stdin-notes.pcapng");
    }

    #[test]
    fn a_menu_entry_shows_the_start_of_a_note() {
        assert_eq!(note_start("watch the window"), "watch the window");
        assert_eq!(note_start("line one\nline two"), "line one…");
        assert_eq!(
            note_start("the server's ACK acknowledges the SYN: ISN + 1"),
            "the server's ACK acknowledge…"
        );
    }
}

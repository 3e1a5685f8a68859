//! Everything the user can do by name or by key, in one table. Each [`Action`] knows its
//! label, its tooltip, its keys (with the state they work in) and the words the Help
//! menu gives it, and which [`Command`] it issues in the app's current state
//! ([`ActionState`]) — as rerun's `UICommand` does. The menus and the toolbar make their
//! buttons from it ([`Action::menu_button`], [`Action::menu_checkbox`],
//! [`Action::toolbar_toggle`]), the key handler is [`keyboard_commands`], and the Help
//! menu's key list is [`key_help`], so a key cannot work without being listed, nor be
//! listed without working.
//!
//! Keys that belong to one widget (Ctrl+Enter in the note editor, Enter in predict
//! mode's answer field) and the overview strip's PgUp/PgDn outside step mode stay with
//! their widget.

use super::classroom::ClassroomCommand;
use super::commands::{Command, StepTo, Zoom};
use super::notes::NoteCommand;
use super::predict::PredictCommand;
use crate::i18n::{Lang, UiTexts};
use egui::{Key, KeyboardShortcut, Modifiers, Ui};

/// A thing the user can do from a menu, the toolbar or the keyboard.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// ↑ outside step mode: select the packet above.
    SelectPrevious,
    SelectNext,
    SelectFirst,
    SelectLast,
    ToggleAbsolute,
    /// Time to scale ⇄ one row per packet.
    ToggleTimeView,
    ZoomIn,
    ZoomOut,
    /// Actual size; while presenting, back to the zoom that suits the screen.
    ActualSize,
    /// Ctrl + the mouse wheel (or a pinch).
    WheelZoom,
    Open,
    StepMode,
    /// Reveal the next packet (Space also starts step mode).
    StepForward,
    StepBack,
    StepToStart,
    StepToEnd,
    Presentation,
    LeavePresentation,
    FullScreen,
    Export,
    Predict,
    AddNote,
    SaveAs,
}

impl Action {
    /// Every action, in the order the Help menu lists them. Where two actions share a
    /// key, they work in different states (see [`Binding::when`]).
    pub const ALL: [Action; 23] = [
        Action::SelectPrevious,
        Action::SelectNext,
        Action::SelectFirst,
        Action::SelectLast,
        Action::ToggleAbsolute,
        Action::ToggleTimeView,
        Action::ZoomIn,
        Action::ZoomOut,
        Action::ActualSize,
        Action::WheelZoom,
        Action::Open,
        Action::StepMode,
        Action::StepForward,
        Action::StepBack,
        Action::StepToStart,
        Action::StepToEnd,
        Action::Presentation,
        Action::LeavePresentation,
        Action::FullScreen,
        Action::Export,
        Action::Predict,
        Action::AddNote,
        Action::SaveAs,
    ];

    /// Its name in a menu or on a button.
    pub fn text(self, lang: Lang) -> &'static str {
        let w = lang.ui();
        let keys = &w.key_help;
        match self {
            Action::SelectPrevious => keys.select_previous,
            Action::SelectNext => keys.select_next,
            Action::SelectFirst => keys.select_first,
            Action::SelectLast => keys.select_last,
            Action::ToggleAbsolute => keys.toggle_absolute,
            Action::ToggleTimeView => lang.time().time_view_item,
            Action::ZoomIn => w.zoom_in,
            Action::ZoomOut => w.zoom_out,
            Action::ActualSize => w.actual_size,
            Action::WheelZoom => keys.wheel_zoom,
            Action::Open => w.open,
            Action::StepMode => w.cls_step_mode,
            Action::StepForward => w.cls_next,
            Action::StepBack => w.cls_previous,
            Action::StepToStart => keys.step_to_start,
            Action::StepToEnd => keys.step_to_end,
            Action::Presentation => w.cls_presentation,
            Action::LeavePresentation => w.cls_leave_presentation,
            Action::FullScreen => w.cls_full_screen,
            Action::Export => w.cls_export,
            Action::Predict => lang.predict().menu_item,
            Action::AddNote => lang.note_editing().add_note,
            Action::SaveAs => lang.note_editing().save_with_notes,
        }
    }

    /// Its shorter name on the toolbar.
    pub fn toolbar_text(self, lang: Lang) -> &'static str {
        let w = lang.ui();
        match self {
            Action::StepMode => w.cls_step,
            Action::Presentation => w.cls_present,
            Action::Predict => lang.predict().toggle,
            Action::ToggleTimeView => lang.time().time_view,
            _ => self.text(lang),
        }
    }

    /// What it does, in a sentence (without its keys: see [`Action::tooltip_with_keys`]).
    pub fn tooltip(self, lang: Lang) -> &'static str {
        let w = lang.ui();
        match self {
            Action::ToggleTimeView => lang.time().time_view_hint,
            Action::Open => w.open_hint,
            Action::StepMode => w.cls_step_hint,
            Action::Presentation | Action::LeavePresentation => w.cls_present_hint,
            Action::Export => w.cls_export_hint,
            Action::Predict => lang.predict().toggle_hint,
            Action::AddNote => lang.note_editing().add_note_hint,
            Action::SaveAs => lang.note_editing().save_with_notes_hint,
            _ => self.text(lang),
        }
    }

    /// Its line in the Help menu's key list (after the keys).
    pub fn help(self, lang: Lang) -> &'static str {
        let keys = &lang.ui().key_help;
        match self {
            Action::SelectPrevious
            | Action::SelectNext
            | Action::SelectFirst
            | Action::SelectLast
            | Action::ToggleAbsolute
            | Action::WheelZoom
            | Action::StepToStart
            | Action::StepToEnd => self.text(lang),
            Action::ToggleTimeView => lang.time().time_view_key,
            Action::ZoomIn => keys.zoom_in,
            Action::ZoomOut => keys.zoom_out,
            Action::ActualSize => keys.actual_size,
            Action::Open => keys.open,
            Action::StepMode => keys.step_mode,
            Action::StepForward => keys.step_forward,
            Action::StepBack => keys.step_back,
            Action::Presentation => keys.presentation,
            Action::LeavePresentation => keys.leave_presentation,
            Action::FullScreen => keys.full_screen,
            Action::Export => keys.export,
            Action::Predict => lang.predict().key_help,
            Action::AddNote => lang.note_editing().key_help_note,
            Action::SaveAs => lang.note_editing().key_help_save,
        }
    }

    /// Its keys, the first one the one menus show.
    pub fn bindings(self) -> &'static [Binding] {
        use When::{Always, NotStepping, Presenting, Stepping};
        const fn key(key: Key, when: When) -> Binding {
            Binding {
                trigger: Trigger::Key(KeyboardShortcut::new(Modifiers::NONE, key)),
                when,
            }
        }
        const fn ctrl(key: Key) -> Binding {
            Binding {
                trigger: Trigger::Key(KeyboardShortcut::new(Modifiers::COMMAND, key)),
                when: Always,
            }
        }
        match self {
            Action::SelectPrevious => const { &[key(Key::ArrowUp, NotStepping)] },
            Action::SelectNext => const { &[key(Key::ArrowDown, NotStepping)] },
            Action::SelectFirst => const { &[key(Key::Home, NotStepping)] },
            Action::SelectLast => const { &[key(Key::End, NotStepping)] },
            Action::ToggleAbsolute => const { &[key(Key::A, Always)] },
            Action::ToggleTimeView => const { &[key(Key::T, Always)] },
            Action::ZoomIn => const { &[ctrl(Key::Plus), ctrl(Key::Equals)] },
            Action::ZoomOut => const { &[ctrl(Key::Minus)] },
            Action::ActualSize => const { &[ctrl(Key::Num0)] },
            Action::WheelZoom => {
                const {
                    &[Binding {
                        trigger: Trigger::CtrlWheel,
                        when: Always,
                    }]
                }
            }
            Action::Open => const { &[ctrl(Key::O)] },
            Action::StepMode => const { &[key(Key::S, Always)] },
            // A presenter's clicker sends PgDn / PgUp: in step mode they step.
            Action::StepForward => {
                const {
                    &[
                        key(Key::ArrowRight, Stepping),
                        key(Key::Space, Always),
                        key(Key::ArrowDown, Stepping),
                        key(Key::PageDown, Stepping),
                    ]
                }
            }
            Action::StepBack => {
                const {
                    &[
                        key(Key::ArrowLeft, Stepping),
                        key(Key::ArrowUp, Stepping),
                        key(Key::PageUp, Stepping),
                    ]
                }
            }
            Action::StepToStart => const { &[key(Key::Home, Stepping)] },
            Action::StepToEnd => const { &[key(Key::End, Stepping)] },
            Action::Presentation => const { &[key(Key::F5, Always)] },
            Action::LeavePresentation => const { &[key(Key::Escape, Presenting)] },
            Action::FullScreen => const { &[key(Key::F11, Always)] },
            Action::Export => const { &[ctrl(Key::E)] },
            Action::Predict => const { &[key(Key::P, Always)] },
            Action::AddNote => const { &[key(Key::N, Always)] },
            Action::SaveAs => const { &[ctrl(Key::S)] },
        }
    }

    /// Its keys work while a text box has the keyboard (they cannot be typed).
    pub fn works_while_typing(self) -> bool {
        matches!(
            self,
            Action::ZoomIn
                | Action::ZoomOut
                | Action::ActualSize
                | Action::WheelZoom
                | Action::Open
                | Action::Presentation
                | Action::LeavePresentation
                | Action::FullScreen
                | Action::Export
                | Action::SaveAs
        )
    }

    /// The command it issues in `state`; `None`: it has nothing to do now (its key is
    /// left to others).
    pub fn command(self, state: ActionState) -> Option<Command> {
        let classroom = |c: ClassroomCommand| Some(Command::Classroom(c));
        match self {
            Action::SelectPrevious => Some(Command::Step(StepTo::Previous)),
            Action::SelectNext => Some(Command::Step(StepTo::Next)),
            Action::SelectFirst => Some(Command::Step(StepTo::First)),
            Action::SelectLast => Some(Command::Step(StepTo::Last)),
            Action::ToggleAbsolute => Some(Command::ToggleAbsolute),
            Action::ToggleTimeView => Some(Command::ToggleViewMode),
            Action::ZoomIn => Some(Command::Zoom(Zoom::In)),
            Action::ZoomOut => Some(Command::Zoom(Zoom::Out)),
            Action::ActualSize if state.presenting => {
                classroom(ClassroomCommand::ResetPresentationZoom)
            }
            Action::ActualSize => Some(Command::Zoom(Zoom::Reset)),
            // The wheel says by how much (see `keyboard_commands`).
            Action::WheelZoom => None,
            Action::Open => Some(Command::OpenDialog),
            Action::StepMode => classroom(ClassroomCommand::SetStepMode(!state.stepping)),
            Action::StepForward => classroom(ClassroomCommand::Reveal(StepTo::Next)),
            Action::StepBack => classroom(ClassroomCommand::Reveal(StepTo::Previous)),
            Action::StepToStart => classroom(ClassroomCommand::Reveal(StepTo::First)),
            Action::StepToEnd => classroom(ClassroomCommand::Reveal(StepTo::Last)),
            Action::Presentation => classroom(ClassroomCommand::SetPresenting(!state.presenting)),
            Action::LeavePresentation => state
                .presenting
                .then_some(Command::Classroom(ClassroomCommand::SetPresenting(false))),
            Action::FullScreen => classroom(ClassroomCommand::ToggleFullscreen),
            Action::Export => classroom(ClassroomCommand::ExportDialog),
            Action::Predict => classroom(ClassroomCommand::Predict(PredictCommand::Set(
                !state.predicting,
            ))),
            Action::AddNote => state
                .selected
                .map(|packet| NoteCommand::Edit(packet, None).into()),
            Action::SaveAs => Some(NoteCommand::SaveDialog.into()),
        }
    }

    /// Can its button be clicked in `state`?
    pub fn enabled(self, state: ActionState) -> bool {
        match self {
            Action::Export => state.has_ladder,
            Action::SaveAs => state.has_session,
            Action::StepBack => state.can_go_back,
            Action::StepForward => state.can_go_forward,
            _ => self.command(state).is_some(),
        }
    }

    /// Its first key as a menu shows it ("Ctrl+O", "Ctrl +", "F5").
    pub fn shortcut_text(self, lang: Lang) -> Option<String> {
        self.bindings().first().map(|b| b.trigger.text(lang, "+"))
    }

    /// Its keys for the Help menu, the alternatives joined ("→ / Space / ↓ / PgDn").
    pub fn keys_text(self, lang: Lang) -> String {
        self.bindings()
            .iter()
            .map(|b| b.trigger.text(lang, " "))
            .collect::<Vec<_>>()
            .join(" / ")
    }

    /// Its tooltip followed by its first key: "Save this ladder as SVG, PNG or text
    /// (Ctrl+E)".
    pub fn tooltip_with_keys(self, lang: Lang) -> String {
        with_key(lang, self.tooltip(lang), self.shortcut_text(lang))
    }

    /// Its name followed by its first key: "Leave presentation (Esc)".
    pub fn text_with_keys(self, lang: Lang) -> String {
        with_key(lang, self.text(lang), self.shortcut_text(lang))
    }

    /// A menu item: its name, its key on the right, its tooltip; greyed out when it has
    /// nothing to do.
    #[must_use = "apply the returned command"]
    pub fn menu_button(self, ui: &mut Ui, state: ActionState) -> Option<Command> {
        let lang = super::lang(ui.ctx());
        let clicked = ui
            .add_enabled(self.enabled(state), self.menu_widget(lang))
            .on_hover_text(self.tooltip(lang))
            .clicked();
        self.issued(clicked, state)
    }

    /// Its menu button, name and key, for a menu that decides itself what a click does
    /// (an arrow's right-click menu acts on that arrow).
    pub fn menu_widget(self, lang: Lang) -> egui::Button<'static> {
        let button = egui::Button::new(self.text(lang));
        match self.shortcut_text(lang) {
            Some(keys) => button.shortcut_text(keys),
            None => button,
        }
    }

    /// Its command when its widget was used.
    fn issued(self, used: bool, state: ActionState) -> Option<Command> {
        used.then(|| self.command(state)).flatten()
    }

    /// A menu item that is on or off ("Step mode  (S)").
    #[must_use = "apply the returned command"]
    pub fn menu_checkbox(self, ui: &mut Ui, on: bool, state: ActionState) -> Option<Command> {
        let lang = super::lang(ui.ctx());
        let mut checked = on;
        let text = match self.shortcut_text(lang) {
            Some(keys) => format!("{}  ({keys})", self.text(lang)),
            None => self.text(lang).to_string(),
        };
        let changed = ui
            .checkbox(&mut checked, text)
            .on_hover_text(self.tooltip(lang))
            .changed();
        self.issued(changed, state)
    }

    /// A toolbar button that shows whether it is on ("Step", "Present").
    #[must_use = "apply the returned command"]
    pub fn toolbar_toggle(self, ui: &mut Ui, on: bool, state: ActionState) -> Option<Command> {
        let lang = super::lang(ui.ctx());
        let clicked = ui
            .selectable_label(on, self.toolbar_text(lang))
            .on_hover_text(self.tooltip_with_keys(lang))
            .clicked();
        self.issued(clicked, state)
    }

    /// A toolbar button ("Open…", "Export…").
    #[must_use = "apply the returned command"]
    pub fn toolbar_button(self, ui: &mut Ui, state: ActionState) -> Option<Command> {
        let lang = super::lang(ui.ctx());
        let clicked = ui
            .add_enabled(
                self.enabled(state),
                egui::Button::new(self.toolbar_text(lang)),
            )
            .on_hover_text(self.tooltip_with_keys(lang))
            .clicked();
        self.issued(clicked, state)
    }

    /// A toolbar button showing a symbol ("◀", "+"), named for screen readers by the
    /// action's name.
    #[must_use = "apply the returned command"]
    pub fn symbol_button(self, ui: &mut Ui, symbol: &str, state: ActionState) -> Option<Command> {
        let lang = super::lang(ui.ctx());
        let response = ui
            .add_enabled(self.enabled(state), egui::Button::new(symbol))
            .on_hover_text(self.tooltip_with_keys(lang));
        let clicked = super::spoken_name(&response, self.text(lang)).clicked();
        self.issued(clicked, state)
    }
}

fn with_key(lang: Lang, text: &str, key: Option<String>) -> String {
    match key {
        Some(key) => UiTexts::fill(lang.ui().key_help.with_key, &[text, &key]),
        None => text.to_string(),
    }
}

/// One key of an action and the state it works in.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Binding {
    pub trigger: Trigger,
    pub when: When,
}

/// What the user presses.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Trigger {
    Key(KeyboardShortcut),
    /// Ctrl + the mouse wheel, or a pinch (not over a stream graph, which zooms itself).
    CtrlWheel,
}

impl Trigger {
    /// "Ctrl" and the key's name, joined by `join` ("Ctrl+S" in a menu, "Ctrl S" in
    /// the Help menu; "Ctrl +" in both).
    pub fn text(self, lang: Lang, join: &str) -> String {
        let shortcut = match self {
            Trigger::Key(shortcut) => shortcut,
            Trigger::CtrlWheel => return lang.ui().key_help.ctrl_wheel.to_string(),
        };
        let name = match shortcut.logical_key {
            Key::ArrowUp => "↑",
            Key::ArrowDown => "↓",
            Key::ArrowLeft => "←",
            Key::ArrowRight => "→",
            Key::PageUp => "PgUp",
            Key::PageDown => "PgDn",
            Key::Escape => "Esc",
            Key::Space => lang.ui().key_help.space,
            Key::Minus => "−",
            key => key.symbol_or_name(),
        };
        if shortcut.modifiers.command || shortcut.modifiers.ctrl {
            // "Ctrl++" would read badly: a symbol key stands apart.
            let join = if matches!(name, "+" | "−" | "=") {
                " "
            } else {
                join
            };
            format!("Ctrl{join}{name}")
        } else {
            name.to_string()
        }
    }
}

/// The state a key works in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum When {
    Always,
    Stepping,
    NotStepping,
    Presenting,
}

impl When {
    pub fn holds(self, state: ActionState) -> bool {
        match self {
            When::Always => true,
            When::Stepping => state.stepping,
            When::NotStepping => !state.stepping,
            When::Presenting => state.presenting,
        }
    }
}

/// What the actions need to know about the app to say what they do now.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ActionState {
    pub stepping: bool,
    pub presenting: bool,
    pub predicting: bool,
    /// Step mode can step back / forward.
    pub can_go_back: bool,
    pub can_go_forward: bool,
    /// The selected packet (index into `Session::packets`).
    pub selected: Option<u32>,
    /// A capture is open.
    pub has_session: bool,
    /// A ladder is drawn.
    pub has_ladder: bool,
}

/// The commands the keys pressed this frame ask for, in [`Action::ALL`]'s order: each
/// action takes its own keys (an action pressed twice in a frame acts once). While a
/// text box has the keyboard only the actions that cannot be typed work.
pub fn keyboard_commands(ctx: &egui::Context, state: ActionState) -> Vec<Command> {
    let typing = ctx.text_edit_focused();
    let mut commands = Vec::new();
    for action in Action::ALL {
        if typing && !action.works_while_typing() {
            continue;
        }
        for binding in action.bindings() {
            if !binding.when.holds(state) {
                continue;
            }
            let command = match binding.trigger {
                Trigger::Key(shortcut) => match action.command(state) {
                    Some(command) if ctx.input_mut(|i| i.consume_shortcut(&shortcut)) => {
                        Some(command)
                    }
                    _ => None,
                },
                Trigger::CtrlWheel => {
                    let zoom = ctx.input(|i| i.zoom_delta());
                    // Over a stream graph, Ctrl + wheel zooms the graph only.
                    ((zoom - 1.0).abs() > f32::EPSILON && !super::graphs::pointer_over_graph(ctx))
                        .then_some(Command::Zoom(Zoom::By(zoom)))
                }
            };
            if let Some(command) = command {
                commands.push(command);
                break;
            }
        }
    }
    commands
}

/// The Help menu's key list: one line per action, "keys: what they do".
pub fn key_help(lang: Lang) -> Vec<String> {
    Action::ALL
        .iter()
        .map(|action| format!("{}: {}", action.keys_text(lang), action.help(lang)))
        .collect()
}

#[cfg(test)]
#[allow(clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    /// A state in which `binding` works and `action` has something to do.
    fn state_for(action: Action, binding: Binding) -> ActionState {
        ActionState {
            stepping: binding.when == When::Stepping,
            presenting: binding.when == When::Presenting,
            selected: (action == Action::AddNote).then_some(0),
            has_session: true,
            has_ladder: true,
            ..ActionState::default()
        }
    }

    fn frame_with(events: Vec<egui::Event>, state: ActionState) -> Vec<Command> {
        let ctx = egui::Context::default();
        let mut commands = Vec::new();
        let mut output = ctx.run_ui(
            egui::RawInput {
                events,
                ..egui::RawInput::default()
            },
            |ui| commands = keyboard_commands(ui.ctx(), state),
        );
        output.textures_delta.clear();
        commands
    }

    fn press(shortcut: KeyboardShortcut) -> egui::Event {
        egui::Event::Key {
            key: shortcut.logical_key,
            physical_key: None,
            pressed: true,
            repeat: false,
            modifiers: shortcut.modifiers,
        }
    }

    #[test]
    fn every_key_is_listed_in_the_help_in_both_languages() {
        for lang in Lang::ALL {
            let help = key_help(lang);
            for action in Action::ALL {
                assert!(!action.bindings().is_empty(), "{action:?} has no key");
                let line = help
                    .iter()
                    .find(|l| l.ends_with(&format!(": {}", action.help(lang))))
                    .unwrap_or_else(|| panic!("{action:?} is not in the {lang:?} help"));
                for binding in action.bindings() {
                    let key = binding.trigger.text(lang, " ");
                    assert!(line.contains(&key), "{line} does not name {key}");
                }
            }
        }
    }

    #[test]
    fn every_listed_key_issues_its_actions_command() {
        for action in Action::ALL {
            for &binding in action.bindings() {
                let state = state_for(action, binding);
                let (event, expected) = match binding.trigger {
                    Trigger::Key(shortcut) => (press(shortcut), action.command(state)),
                    Trigger::CtrlWheel => {
                        (egui::Event::Zoom(1.25), Some(Command::Zoom(Zoom::By(1.25))))
                    }
                };
                let expected = format!("{:?}", expected.expect("a command"));
                let got: Vec<String> = frame_with(vec![event], state)
                    .iter()
                    .map(|c| format!("{c:?}"))
                    .collect();
                assert_eq!(got, vec![expected], "{action:?} by {binding:?}");
            }
        }
    }

    #[test]
    fn no_two_actions_share_a_key_in_the_same_state() {
        let states = [
            ActionState::default(),
            ActionState {
                stepping: true,
                ..ActionState::default()
            },
            ActionState {
                presenting: true,
                ..ActionState::default()
            },
            ActionState {
                stepping: true,
                presenting: true,
                ..ActionState::default()
            },
        ];
        for state in states {
            let mut seen: Vec<(Trigger, Action)> = Vec::new();
            for action in Action::ALL {
                for binding in action.bindings().iter().filter(|b| b.when.holds(state)) {
                    if let Some((_, other)) = seen.iter().find(|(t, _)| *t == binding.trigger) {
                        panic!("{other:?} and {action:?} share {:?}", binding.trigger);
                    }
                    seen.push((binding.trigger, action));
                }
            }
        }
    }

    #[test]
    fn step_mode_decides_what_the_arrows_do() {
        let down = press(KeyboardShortcut::new(Modifiers::NONE, Key::ArrowDown));
        let outside = frame_with(vec![down.clone()], ActionState::default());
        assert!(matches!(outside[..], [Command::Step(StepTo::Next)]));
        let stepping = ActionState {
            stepping: true,
            ..ActionState::default()
        };
        let inside = frame_with(vec![down], stepping);
        assert!(matches!(
            inside[..],
            [Command::Classroom(ClassroomCommand::Reveal(StepTo::Next))]
        ));
        // Space starts stepping; → does nothing outside step mode.
        let space = press(KeyboardShortcut::new(Modifiers::NONE, Key::Space));
        assert!(matches!(
            frame_with(vec![space], ActionState::default())[..],
            [Command::Classroom(ClassroomCommand::Reveal(StepTo::Next))]
        ));
        let right = press(KeyboardShortcut::new(Modifiers::NONE, Key::ArrowRight));
        assert!(frame_with(vec![right], ActionState::default()).is_empty());
    }

    #[test]
    fn esc_only_leaves_presentation_and_n_needs_a_selection() {
        let esc = press(KeyboardShortcut::new(Modifiers::NONE, Key::Escape));
        assert!(frame_with(vec![esc], ActionState::default()).is_empty());
        let n = press(KeyboardShortcut::new(Modifiers::NONE, Key::N));
        assert!(frame_with(vec![n], ActionState::default()).is_empty());
    }

    #[test]
    fn the_help_names_keys_as_before() {
        let help = key_help(Lang::En);
        for line in [
            "N: a note on the selected packet",
            "Ctrl S: save as pcapng, with the notes",
            "Ctrl O: open a capture",
            "Ctrl + mouse wheel: zoom",
            "F5: presentation mode",
            "Esc: leave presentation mode",
        ] {
            assert!(help.iter().any(|l| l == line), "{line} not in {help:#?}");
        }
        assert_eq!(
            Action::ZoomOut.shortcut_text(Lang::En).as_deref(),
            Some("Ctrl −")
        );
        assert_eq!(
            Action::LeavePresentation.text_with_keys(Lang::ZhCn),
            "退出演示（Esc）"
        );
    }
}

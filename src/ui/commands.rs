//! What the panels ask the app to do. Panels draw from read-only views of the app's state
//! and return a [`Command`] (keys too, through [`super::actions`]); `TcpLadderApp::apply`
//! is the one place that changes what is open, what is selected and how it is shown. (A panel's own view state, such as the
//! connection filter text or the hovered field, stays inside the panel.)

use super::loader::LoadSource;
use super::settings::ThemeChoice;
use crate::ladder::{TimeMode, ViewMode};

/// One change to the app.
#[must_use = "a command does nothing until the app applies it"]
#[derive(Clone, Debug)]
pub enum Command {
    /// Show the native file dialog.
    OpenDialog,
    /// Load a capture (a file, a bundled sample, dropped bytes).
    Open(LoadSource),
    /// Stop the load in progress; what was open stays open.
    CancelLoad,
    /// Close the message banner.
    DismissMessage,
    /// Hide the first-start hint for good.
    DismissFirstRunHint,
    SelectConnection(u32),
    /// Select a packet by its index in `Session::packets`.
    SelectPacket(u32),
    /// Select a packet (index in `Session::packets`) from elsewhere — a link, a graph —
    /// switching connection and expanding the collapsed run that hides it if needed, and
    /// scroll the ladder to it.
    GoToPacket(u32),
    /// Show or hide a stream graphs, follow stream or marks legend window.
    ShowAnalysis(super::analysis::AnalysisView, bool),
    /// Move the packet selection within the ladder (↑/↓, Home/End).
    Step(StepTo),
    SetAbsolute(bool),
    ToggleAbsolute,
    SetTimeMode(TimeMode),
    /// One row per packet, or time to scale.
    SetViewMode(ViewMode),
    ToggleViewMode,
    /// Expand a collapsed run of data segments (key: index of its first packet within the
    /// connection).
    Expand(u32),
    /// Collapse every expanded run again.
    CollapseAll,
    Zoom(Zoom),
    SetTheme(ThemeChoice),
    /// Change the interface language (the ladder is laid out again).
    SetLang(crate::i18n::Lang),
    ShowConnections(bool),
    ShowDetails(bool),
    ClearRecent,
    Quit,
    /// Step mode, presentation, the state diagram, export (see [`super::classroom`]).
    Classroom(super::classroom::ClassroomCommand),
    /// Live capture, the socket lab (see [`super::live`]).
    Live(super::live::LiveCommand),
    /// Packet notes and Save as (see [`super::notes`]).
    Notes(super::notes::NoteCommand),
    /// Both ends (see [`super::app`]'s other end): pick the other end's capture.
    AddOtherEndDialog,
    /// Open a capture as the other end of the open one.
    OpenOtherEnd(LoadSource),
    /// Open a capture and then another as its other end (a two-ended sample).
    OpenBothEnds(LoadSource, LoadSource),
    /// Back to one capture.
    CloseOtherEnd,
    /// A file was dropped while a capture is open: ask what to do with it.
    OfferDrop(LoadSource),
    /// The answer to "a file was dropped while one is open": as the other end (true) or
    /// instead (false); `None` cancels.
    AnswerDrop(Option<bool>),
    /// The other end's clock offset, set by hand (`None`: worked out again).
    SetClockOffset(Option<f64>),
}

impl Command {
    /// Does this command do one of the things the first-start hint teaches (open a
    /// capture or a sample, step through it, present it)? Then the hint has served.
    pub fn shows_the_user_knows_the_way(&self) -> bool {
        use super::classroom::ClassroomCommand as C;
        matches!(
            self,
            Command::OpenDialog
                | Command::Open(_)
                | Command::DismissFirstRunHint
                | Command::Classroom(C::SetStepMode(true) | C::Reveal(_) | C::SetPresenting(true))
        )
    }
}

/// Where a keyboard step moves the selection.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StepTo {
    Previous,
    Next,
    First,
    Last,
}

/// A change of egui's zoom factor (the whole window scales).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Zoom {
    In,
    Out,
    Reset,
    /// Multiply by this factor (Ctrl + mouse wheel, pinch).
    By(f32),
}

impl Zoom {
    /// The new zoom factor from the current one, kept within 50 %..300 %.
    pub fn apply(self, current: f32) -> f32 {
        let next = match self {
            Zoom::In => (current * 10.0).round() / 10.0 + 0.1,
            Zoom::Out => (current * 10.0).round() / 10.0 - 0.1,
            Zoom::Reset => 1.0,
            Zoom::By(factor) => current * factor,
        };
        next.clamp(0.5, 3.0)
    }
}

//! The desktop app (eframe/egui). It draws what the library computed — the [`Session`]
//! and the [`Ladder`] model — and computes no TCP facts of its own.
//!
//! - [`app`]: the [`TcpLadderApp`]: owns the state, draws the panels, applies commands.
//! - [`commands`]: the [`Command`]s panels return instead of changing state.
//! - [`actions`]: what the user can do by name or key — each action's label, tooltip,
//!   keys and Help line, and the command it issues; the menus, the toolbar, the key
//!   handler and the Help menu are made from it.
//! - [`canvas`]: the ladder (central panel): `screen_from_ladder`, culling, hit regions.
//! - [`connections`]: the connection list (left panel).
//! - [`details`]: the field tree, explanation and hex dump (right panel).
//! - [`analysis`]: TCP analysis marks (colours, badges, legend, meanings with links to
//!   frames); [`summary`]: the connection summary; [`graphs`]: the stream graphs window;
//!   [`follow`]: the follow stream window.
//! - [`toolbar`], [`banners`]: menus and toolbar; messages, progress, status, drop hint.
//! - [`format`]: byte counts, durations and digit groups in words.
//! - [`loader`]: loading on a worker thread with progress and cancel.
//! - [`settings`]: what is remembered between runs; [`style`]: fonts and colours.
//! - [`classroom`]: step mode ([`step`]), the RFC 9293 [`state_diagram`], [`presentation`]
//!   mode and [`export`] from the app, behind one command.
//!
//! [`Session`]: crate::session::Session
//! [`Ladder`]: crate::ladder::Ladder

pub mod actions;
pub mod analysis;
pub mod app;
pub mod banners;
pub mod canvas;
pub mod classroom;
pub mod commands;
pub mod connections;
pub mod details;
pub mod export;
pub mod follow;
pub mod graphs;
pub mod live;
pub mod loader;
pub mod notes;
pub mod predict;
pub mod presentation;
pub mod settings;
pub mod state_diagram;
pub mod step;
pub mod style;
pub mod summary;
pub mod toolbar;

pub use app::TcpLadderApp;
pub use commands::Command;
pub use loader::LoadSource;
pub use notes::{NoteCommand, Unsaved};
pub use settings::Settings;
pub use style::install as install_style;
pub use style::install_bundled as install_bundled_style;

use std::path::PathBuf;

const ICON_PNG: &[u8] = include_bytes!("../../assets/icon.png");

/// Start the app, opening `file` (or the default bundled sample when `None`), and
/// `other_end` as the capture at the other end of the same connections.
pub fn run_app(file: Option<PathBuf>, other_end: Option<PathBuf>) -> anyhow::Result<()> {
    let mut viewport = egui::ViewportBuilder::default()
        .with_title("tcp-ladder")
        .with_app_id("tcp-ladder")
        .with_inner_size([1280.0, 720.0])
        .with_min_inner_size([720.0, 480.0])
        .with_drag_and_drop(true);
    if let Ok(icon) = eframe::icon_data::from_png_bytes(ICON_PNG) {
        viewport = viewport.with_icon(icon);
    }
    let options = eframe::NativeOptions {
        viewport,
        // Window size and position are remembered by eframe, next to our Settings.
        persist_window: true,
        ..Default::default()
    };
    eframe::run_native(
        "tcp-ladder",
        options,
        Box::new(move |cc| Ok(Box::new(TcpLadderApp::new(cc, file, other_end)))),
    )
    .map_err(|e| anyhow::anyhow!("could not open the window: {e}"))
}

/// The interface language of this frame (set by the app at the start of each frame from
/// its settings; English until then). Panels read it instead of taking it as a parameter.
pub fn lang(ctx: &egui::Context) -> crate::i18n::Lang {
    ctx.data(|d| d.get_temp::<crate::i18n::Lang>(lang_id()))
        .unwrap_or_default()
}

/// The interface strings of this frame's language.
pub fn ui_texts(ctx: &egui::Context) -> &'static crate::i18n::UiTexts {
    lang(ctx).ui()
}

pub(crate) fn set_lang(ctx: &egui::Context, lang: crate::i18n::Lang) {
    ctx.data_mut(|d| d.insert_temp(lang_id(), lang));
}

fn lang_id() -> egui::Id {
    egui::Id::unique("tcp-ladder interface language")
}

/// Where floating windows (graphs, follow stream, the state diagram) may go: the window
/// below the menu bar, as the app measured it this frame. They never cover the menus.
pub fn window_area(ctx: &egui::Context) -> egui::Rect {
    let content = ctx.content_rect();
    let top = ctx
        .data(|d| d.get_temp::<f32>(menu_bar_bottom_id()))
        .unwrap_or(content.top())
        .clamp(content.top(), content.bottom() - 100.0);
    egui::Rect::from_min_max(egui::pos2(content.left(), top), content.max)
}

pub(crate) fn set_menu_bar_bottom(ctx: &egui::Context, bottom: f32) {
    ctx.data_mut(|d| d.insert_temp(menu_bar_bottom_id(), bottom));
}

fn menu_bar_bottom_id() -> egui::Id {
    egui::Id::unique("tcp-ladder menu bar bottom")
}

/// Give a button whose text is a symbol ("−", "# ▲") a name a screen reader can say.
pub(crate) fn spoken_name<'r>(response: &'r egui::Response, name: &str) -> &'r egui::Response {
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, name));
    response
}

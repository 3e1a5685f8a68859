//! What the app remembers between runs, kept apart from runtime state: theme, number and
//! time modes, recent files and which side panels are shown. Stored as JSON under one key
//! of eframe's storage; the window's size and position are persisted by eframe itself
//! (`NativeOptions::persist_window`) in the same storage.

use crate::i18n::Lang;
use crate::ladder::TimeMode;
use std::path::{Path, PathBuf};

/// The eframe storage key of [`Settings`].
pub const STORAGE_KEY: &str = "tcp-ladder.settings";

/// How many recent files the File menu lists.
pub const MAX_RECENT: usize = 10;

/// Light suits projectors; dark suits a laptop at night.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum ThemeChoice {
    #[default]
    Light,
    Dark,
}

impl ThemeChoice {
    pub fn egui_theme(self) -> egui::Theme {
        match self {
            ThemeChoice::Light => egui::Theme::Light,
            ThemeChoice::Dark => egui::Theme::Dark,
        }
    }
}

/// Persisted settings. Unknown or missing fields fall back to their defaults, so an old
/// settings file never stops the app from starting.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct Settings {
    pub theme: ThemeChoice,
    /// Raw (absolute) sequence numbers instead of relative ones.
    pub absolute: bool,
    pub time_mode: TimeMode,
    /// One row per packet, or time to scale.
    pub view_mode: crate::ladder::ViewMode,
    /// Most recent first.
    pub recent_files: Vec<PathBuf>,
    pub show_connections: bool,
    pub show_details: bool,
    /// The language of the interface and of the ladder's sentences.
    pub lang: Lang,
    /// Zoom, step mode and presentation choices.
    pub classroom: super::classroom::ClassroomSettings,
    /// The user has opened a capture, stepped or presented once (or hid the hint): the
    /// first-start hint over the ladder is not shown again.
    pub first_run_done: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            theme: ThemeChoice::Light,
            absolute: false,
            time_mode: TimeMode::Relative,
            view_mode: crate::ladder::ViewMode::Rows,
            recent_files: Vec::new(),
            show_connections: true,
            show_details: true,
            lang: Lang::En,
            classroom: Default::default(),
            first_run_done: false,
        }
    }
}

impl Settings {
    /// Read the settings from eframe's storage (defaults when absent or unreadable).
    pub fn load(storage: Option<&dyn eframe::Storage>) -> Settings {
        storage
            .and_then(|s| s.get_string(STORAGE_KEY))
            .and_then(|json| serde_json::from_str(&json).ok())
            .unwrap_or_default()
    }

    pub fn save(&self, storage: &mut dyn eframe::Storage) {
        if let Ok(json) = serde_json::to_string(self) {
            storage.set_string(STORAGE_KEY, json);
        }
    }

    /// Put `path` at the top of the recent files.
    pub fn remember_file(&mut self, path: &Path) {
        let path = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        self.recent_files.retain(|p| *p != path);
        self.recent_files.insert(0, path);
        self.recent_files.truncate(MAX_RECENT);
    }
}

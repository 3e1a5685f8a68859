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
    /// Read the settings from eframe's storage: the defaults when there are none, and
    /// when what is stored cannot be read, the defaults and why (the app says it once).
    pub fn load(storage: Option<&dyn eframe::Storage>) -> (Settings, Option<String>) {
        match storage.and_then(|s| s.get_string(STORAGE_KEY)) {
            None => (Settings::default(), None),
            Some(json) => Settings::parse(&json),
        }
    }

    /// The settings stored as `json`, or the defaults and why they are used.
    pub fn parse(json: &str) -> (Settings, Option<String>) {
        match serde_json::from_str(json) {
            Ok(settings) => (settings, None),
            Err(e) => (Settings::default(), Some(e.to_string())),
        }
    }

    /// Store the settings (eframe writes them to disk). `Err` says why they could not be
    /// stored; the app shows it once in its message banner.
    pub fn save(&self, storage: &mut dyn eframe::Storage) -> Result<(), String> {
        let json = serde_json::to_string(self).map_err(|e| e.to_string())?;
        storage.set_string(STORAGE_KEY, json);
        Ok(())
    }

    /// Put `path` at the top of the recent files.
    pub fn remember_file(&mut self, path: &Path) {
        let path = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        self.recent_files.retain(|p| *p != path);
        self.recent_files.insert(0, path);
        self.recent_files.truncate(MAX_RECENT);
    }
}

#[cfg(test)]
mod tests {
    use super::Settings;

    #[test]
    fn unreadable_settings_give_the_defaults_and_say_why() {
        let (settings, why) = Settings::parse("{ not json");
        assert_eq!(
            serde_json::to_string(&settings).ok(),
            serde_json::to_string(&Settings::default()).ok()
        );
        assert!(why.is_some_and(|w| !w.is_empty()));
    }

    #[test]
    fn saved_settings_read_back_without_a_word() {
        let mut saved = Settings::default();
        saved.absolute = !saved.absolute;
        let json = serde_json::to_string(&saved).unwrap_or_default();
        let (read, why) = Settings::parse(&json);
        assert!(why.is_none());
        assert_eq!(read.absolute, saved.absolute);
    }
}

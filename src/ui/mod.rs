//! The desktop app (eframe/egui): draws the session and the ladder model.

/// Start the app, optionally opening `file`.
pub fn run_app(file: Option<std::path::PathBuf>) -> anyhow::Result<()> {
    let _ = file;
    anyhow::bail!("the app is not built yet")
}

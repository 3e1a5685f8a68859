//! Shared helpers for the integration tests: where things are, and running the binary.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The shared corpus of public captures, beside the repository (`../shared/corpus`).
pub fn corpus(sub: &str) -> PathBuf {
    let dir = repo().join("../shared/corpus").join(sub);
    assert!(
        dir.is_dir(),
        "the shared corpus is missing at {} (tests need ../shared beside the repo)",
        dir.display()
    );
    dir
}

pub fn files_in(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
}

/// Every capture in `samples/`.
pub fn samples() -> Vec<PathBuf> {
    files_in(&repo().join("samples"))
        .into_iter()
        .filter(|p| {
            let n = p.to_string_lossy();
            n.ends_with(".pcap") || n.ends_with(".pcapng")
        })
        .collect()
}

/// Every capture in `samples/links/`: the other link layers and encapsulations (PPPoE,
/// PPP, Cisco HDLC, MPLS, 802.11, NFLOG, tunnels, IP oddities). Not built into the app.
pub fn link_samples() -> Vec<PathBuf> {
    files_in(&repo().join("samples/links"))
        .into_iter()
        .filter(|p| {
            let n = p.to_string_lossy();
            n.ends_with(".pcap") || n.ends_with(".pcapng")
        })
        .collect()
}

/// Run `tcp-ladder ARGS` with `TZ=UTC`; returns (exit code, stdout, stderr).
pub fn run(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_tcp-ladder"))
        .args(args)
        .env("TZ", "UTC")
        .current_dir(repo())
        .output()
        .expect("run tcp-ladder");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

pub fn name(p: &Path) -> String {
    p.file_name().unwrap().to_string_lossy().into_owned()
}

/// A fresh empty directory under the system's temporary directory for one test's files.
#[allow(dead_code)]
pub fn scratch_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("tcp-ladder-test-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a scratch directory");
    dir
}

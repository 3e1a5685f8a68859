//! `make-samples [DIR]`: writes every small teaching capture into `DIR`
//! (default `../`, i.e. `samples/` when run from `samples/generator/`).
//!
//! The output is byte-identical on every run: no clock, no randomness
//! beyond fixed-seed generators.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use tcp_ladder_samples::samples::ALL;

/// Every sample must stay small enough to commit and to read at a glance.
const MAX_SAMPLE_BYTES: u64 = 100 * 1024;

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(args.next().unwrap_or_else(|| "../".to_string()));
    if args.next().is_some() || dir.as_os_str() == "-h" || dir.as_os_str() == "--help" {
        eprintln!("usage: make-samples [DIR]   (default DIR: ../)");
        return ExitCode::from(2);
    }
    if !dir.is_dir() {
        eprintln!("make-samples: {} is not a directory", dir.display());
        return ExitCode::FAILURE;
    }
    let mut failed = false;
    let mut stdout = std::io::stdout().lock();
    for sample in ALL {
        let path = dir.join(sample.file);
        // Samples of other link layers live in a subdirectory (`links/`).
        let made_dir = match path.parent() {
            Some(parent) => std::fs::create_dir_all(parent),
            None => Ok(()),
        };
        match made_dir
            .and_then(|()| (sample.write)(&path))
            .and_then(|()| std::fs::metadata(&path))
        {
            Ok(meta) if meta.len() > MAX_SAMPLE_BYTES => {
                eprintln!(
                    "{}: {} bytes, over the 100 KB limit",
                    path.display(),
                    meta.len()
                );
                failed = true;
            }
            Ok(meta) => {
                // A closed stdout (`| head`) is no reason to stop writing files.
                let _ = writeln!(stdout, "{:>8} bytes  {}", meta.len(), path.display());
            }
            Err(e) => {
                eprintln!("{}: {e}", path.display());
                failed = true;
            }
        }
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

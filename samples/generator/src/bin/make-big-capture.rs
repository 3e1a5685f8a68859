//! `make-big-capture OUT.pcap [--packets N] [--connections M] [--seed S]`:
//! streams a large, deterministic benchmark capture (by default at least
//! 1,000,000 TCP packets over at least 10,000 interleaved connections).

use std::fs::File;
use std::io::BufWriter;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use tcp_ladder_samples::big::{Config, generate};

const USAGE: &str = "usage: make-big-capture OUT.pcap [--packets N] [--connections M] [--seed S]";

fn parse() -> Result<(PathBuf, Config), String> {
    let mut cfg = Config::default();
    let mut out = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut number = |name: &str| -> Result<u64, String> {
            let v = args.next().ok_or(format!("{name} needs a value"))?;
            v.replace('_', "")
                .parse::<u64>()
                .map_err(|e| format!("{name} {v}: {e}"))
        };
        match arg.as_str() {
            "--packets" => cfg.packets = number("--packets")?.max(1),
            "--connections" => cfg.connections = number("--connections")?.max(1),
            "--seed" => cfg.seed = number("--seed")?,
            "-h" | "--help" => return Err(String::new()),
            s if s.starts_with('-') => return Err(format!("unknown option {s}")),
            s if out.is_none() => out = Some(PathBuf::from(s)),
            s => return Err(format!("unexpected argument {s}")),
        }
    }
    let out = out.ok_or("missing OUT.pcap")?;
    Ok((out, cfg))
}

fn main() -> ExitCode {
    let (path, cfg) = match parse() {
        Ok(x) => x,
        Err(msg) => {
            if !msg.is_empty() {
                eprintln!("make-big-capture: {msg}");
            }
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    let began = Instant::now();
    let result = File::create(&path).and_then(|f| generate(BufWriter::new(f), &cfg));
    match result {
        Ok(s) => {
            let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
            println!(
                "{}: {} packets, {} connections (at most {} open at once, {} reused four-tuples, \
                 {} reset, {} refused), {} payload bytes, {:.1} s of traffic, {} bytes on disk, \
                 written in {:.1} s",
                path.display(),
                s.packets,
                s.connections,
                s.max_open,
                s.reused_tuples,
                s.resets,
                s.refused,
                s.payload_bytes,
                s.duration_us as f64 / 1e6,
                size,
                began.elapsed().as_secs_f64()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("make-big-capture: {}: {e}", path.display());
            ExitCode::FAILURE
        }
    }
}

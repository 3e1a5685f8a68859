//! The capture reader against an independent one, and the formats it must read.
//!
//! We read pcap and pcapng with our own `capture` module rather than `pcap-file`: this
//! file checks ours against `pcap-file` 2 on every capture both can read, and pins the
//! pcap-file 2.0 behaviour that made us write our own (records longer than the snaplen
//! are refused — libpcap, tcpdump and Wireshark read them).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;
use common::*;
use std::io::Write;
use std::path::Path;
use std::sync::Arc;
use tcp_ladder::capture;

/// (timestamp ns, original length, bytes) of every frame, read by us.
fn ours(bytes: &[u8]) -> Vec<(i128, u32, Vec<u8>)> {
    let mut reader = capture::open_bytes(Path::new("x"), Arc::from(bytes)).unwrap();
    let mut out = Vec::new();
    while let Some(f) = reader.next_frame() {
        out.push((
            i128::from(f.ts.secs) * 1_000_000_000 + i128::from(f.ts.nanos),
            f.original_len,
            f.data.to_vec(),
        ));
    }
    out
}

/// The same, read by pcap-file (None if it fails anywhere).
fn theirs(bytes: &[u8]) -> Option<Vec<(i128, u32, Vec<u8>)>> {
    let mut out = Vec::new();
    if bytes.starts_with(&[0x0a, 0x0d, 0x0d, 0x0a]) {
        let mut reader = pcap_file::pcapng::PcapNgReader::new(bytes).ok()?;
        while let Some(block) = reader.next_block() {
            if let pcap_file::pcapng::Block::EnhancedPacket(p) = block.ok()? {
                out.push((
                    p.timestamp.as_nanos() as i128,
                    p.original_len,
                    p.data.to_vec(),
                ));
            }
        }
    } else {
        let mut reader = pcap_file::pcap::PcapReader::new(bytes).ok()?;
        while let Some(p) = reader.next_packet() {
            let p = p.ok()?;
            out.push((p.timestamp.as_nanos() as i128, p.orig_len, p.data.to_vec()));
        }
    }
    Some(out)
}

#[test]
fn our_reader_agrees_with_pcap_file_wherever_pcap_file_can_read() {
    let mut compared = 0;
    for path in files_in(&corpus("tcp")).into_iter().chain(samples()) {
        let bytes = std::fs::read(&path).unwrap();
        let Some(reference) = theirs(&bytes) else {
            continue;
        };
        let mine = ours(&bytes);
        let pcapng = bytes.starts_with(&[0x0a, 0x0d, 0x0d, 0x0a]);
        assert_eq!(mine.len(), reference.len(), "{}: frame count", name(&path));
        for (i, (a, b)) in mine.iter().zip(&reference).enumerate() {
            assert_eq!(
                (a.1, &a.2),
                (b.1, &b.2),
                "{} frame {}: length or bytes",
                name(&path),
                i + 1
            );
            if !pcapng {
                // pcap-file 2.0 scales pcapng timestamps wrongly (a known bug); pcap ones agree.
                assert_eq!(a.0, b.0, "{} frame {}: timestamp", name(&path), i + 1);
            }
        }
        compared += 1;
    }
    assert!(compared >= 30, "only {compared} captures compared");
}

#[test]
fn pcap_file_2_refuses_a_record_longer_than_the_snaplen_and_we_read_it() {
    // A pcap with snaplen 64 and one 100-byte record: tcpdump and Wireshark read it.
    let mut bytes = vec![0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0];
    bytes.extend(64u32.to_le_bytes());
    bytes.extend(1u32.to_le_bytes());
    bytes.extend([0; 8]);
    bytes.extend(100u32.to_le_bytes());
    bytes.extend(100u32.to_le_bytes());
    bytes.extend([0x55; 100]);
    assert!(
        theirs(&bytes).is_none(),
        "pcap-file 2 now reads it: reconsider using it"
    );
    let mine = ours(&bytes);
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0].2.len(), 100);
}

#[test]
fn gzip_compressed_captures_are_read_transparently() {
    let plain = std::fs::read(repo().join("samples/seed-github.pcapng")).unwrap();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(&plain).unwrap();
    let compressed = gz.finish().unwrap();
    assert_eq!(ours(&compressed), ours(&plain));
    let dir = std::env::temp_dir().join(format!("tcp-ladder-gz-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("seed-github.pcapng.gz");
    std::fs::write(&path, &compressed).unwrap();
    let (code, out, err) = run(&["packets", path.to_str().unwrap(), "-S"]);
    let (_, expected, _) = run(&["packets", "samples/seed-github.pcapng", "-S"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, expected);
    let session = tcp_ladder::session::Session::load_path(&path, &Default::default()).unwrap();
    assert_eq!(session.packets.len(), 10);
    assert!(
        session.frame_bytes(&session.packets[3]).is_some(),
        "bytes of a .gz capture can be read back"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn pcapng_interfaces_with_different_link_types_and_resolutions() {
    // two-interfaces.pcapng: Ethernet at microseconds and raw IPv4 at nanoseconds, and a
    // custom block that Wireshark numbers as frame 5.
    let bytes = std::fs::read(repo().join("samples/two-interfaces.pcapng")).unwrap();
    let mut reader = capture::open_bytes(Path::new("x"), Arc::from(bytes.as_slice())).unwrap();
    let mut links = std::collections::BTreeSet::new();
    let mut numbers = Vec::new();
    while let Some(f) = reader.next_frame() {
        links.insert(f.link.0);
        numbers.push(f.number);
    }
    assert_eq!(links.into_iter().collect::<Vec<_>>(), [1, 228]);
    assert!(!numbers.contains(&5), "frame 5 is the custom block");
    assert!(reader.warnings().is_empty(), "{:?}", reader.warnings());
}

//! Opening a capture: from a path or from bytes in memory, sniffing the format from the
//! first bytes and unwrapping gzip transparently (as Wireshark does for `.pcap.gz`).

use super::error::CaptureError;
use super::reader::CaptureReader;
use super::{pcap, pcapng};
use std::io::{Cursor, Read};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

/// Counts the bytes read from the file (compressed bytes for `.gz`), for progress bars.
#[derive(Clone, Debug, Default)]
pub struct ProgressCounter(Arc<AtomicU64>);

impl ProgressCounter {
    pub fn bytes_read(&self) -> u64 {
        self.0.load(Ordering::Relaxed)
    }
}

struct Counting<R> {
    inner: R,
    counter: ProgressCounter,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.counter.0.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// Open a capture file for streaming. Returns the reader, a progress counter and the file
/// size in bytes.
pub fn open_path(path: &Path) -> Result<(CaptureReader, ProgressCounter, u64), CaptureError> {
    let counter = ProgressCounter::default();
    let (reader, size) = open_path_counted(path, counter.clone())?;
    Ok((reader, counter, size))
}

/// Like [`open_path`], counting the bytes read into a counter the caller already holds.
pub fn open_path_counted(
    path: &Path,
    counter: ProgressCounter,
) -> Result<(CaptureReader, u64), CaptureError> {
    let meta = std::fs::metadata(path).map_err(|e| CaptureError::from_io(path, &e))?;
    if meta.is_dir() {
        return Err(CaptureError::Io {
            path: path.to_path_buf(),
            message: "is a directory, not a capture file".to_string(),
        });
    }
    let file = std::fs::File::open(path).map_err(|e| CaptureError::from_io(path, &e))?;
    let input = Counting {
        inner: std::io::BufReader::with_capacity(256 * 1024, file),
        counter: counter.clone(),
    };
    let reader = open_stream(path, Box::new(input))?;
    Ok((reader, meta.len()))
}

/// Open a capture held in memory (bundled samples, tests). `name` is used in messages.
pub fn open_bytes(name: &Path, bytes: Arc<[u8]>) -> Result<CaptureReader, CaptureError> {
    open_stream(name, Box::new(Cursor::new(bytes)))
}

fn open_stream(
    path: &Path,
    mut input: Box<dyn Read + Send>,
) -> Result<CaptureReader, CaptureError> {
    let start = peek(path, &mut input, 4)?;
    let (start, input, gzip) = if start.starts_with(&GZIP_MAGIC) {
        let joined: Box<dyn Read + Send> = Box::new(Cursor::new(start).chain(input));
        let mut unzipped: Box<dyn Read + Send> =
            Box::new(flate2::read::MultiGzDecoder::new(joined));
        let inner_start = peek(path, &mut unzipped, 4).map_err(|_| CaptureError::NotACapture {
            path: path.to_path_buf(),
            start: "a gzip stream that cannot be decompressed".to_string(),
        })?;
        (inner_start, unzipped, true)
    } else {
        (start, input, false)
    };
    let is_pcap = pcap::magic(&start).is_some();
    let is_pcapng = start.starts_with(&pcapng::SHB_TYPE);
    if !is_pcap && !is_pcapng {
        return Err(CaptureError::NotACapture {
            path: path.to_path_buf(),
            start: CaptureError::describe_start(&start),
        });
    }
    let joined: Box<dyn Read + Send> = Box::new(Cursor::new(start.clone()).chain(input));
    CaptureReader::new(joined, &start, gzip).map_err(|what| CaptureError::TooShort {
        path: path.to_path_buf(),
        what,
    })
}

/// Read up to `n` bytes (fewer only at end of stream).
fn peek(path: &Path, input: &mut Box<dyn Read + Send>, n: usize) -> Result<Vec<u8>, CaptureError> {
    let mut buf = Vec::with_capacity(n);
    input
        .take(n as u64)
        .read_to_end(&mut buf)
        .map_err(|e| CaptureError::from_io(path, &e))?;
    if buf.len() < n && buf.is_empty() {
        return Err(CaptureError::TooShort {
            path: path.to_path_buf(),
            what: "the file is empty (0 bytes): not a pcap or pcapng capture".to_string(),
        });
    }
    Ok(buf)
}

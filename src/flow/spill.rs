//! Connections set aside out of memory while `flows` reads a capture.
//!
//! `flows` needs each connection only for its row at the end, but a connection stays
//! open to change until then: a late ACK or a retransmitted FIN on the same four-tuple
//! still counts in its row. So a connection the table no longer expects packets for
//! (both ends closed, or quiet for a while) is written whole, in `postcard`'s compact
//! binary form, to a private temporary file, and read back whole if a packet of it does
//! arrive, or when the rows are written. The rows come out exactly as if every
//! connection had stayed in memory; memory keeps, per set-aside connection, only where
//! its bytes are.

use super::table::Connection;
use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom, Write};

/// Where one set-aside connection's bytes are in the [`Spill`].
#[derive(Clone, Copy, Debug)]
pub(super) struct SetAside {
    offset: u64,
    len: u32,
}

/// Written records are gathered in memory up to this size, then written in one call.
const WRITE_BATCH: usize = 256 * 1024;

/// The temporary file of set-aside connections (removed when dropped). Records are only
/// appended: a connection read back and set aside again gets a new record.
pub(super) struct Spill {
    file: File,
    /// The file's name, removed when dropped.
    _path: tempfile::TempPath,
    /// Bytes already in the file.
    written: u64,
    /// Records not yet written, starting at offset `written`.
    pending: Vec<u8>,
    /// Bytes of the file read ahead, starting at offset `window_at`: the rows are walked
    /// in stream order, which is nearly the order connections were set aside in, so one
    /// read serves many records.
    window: Vec<u8>,
    window_at: u64,
}

/// How much of the file one read brings in.
const READ_AHEAD: usize = 256 * 1024;

impl Spill {
    pub(super) fn create() -> io::Result<Spill> {
        let (file, path) = crate::capture::private_temp_file("flows")?;
        Ok(Spill {
            file,
            _path: path,
            written: 0,
            pending: Vec::new(),
            window: Vec::new(),
            window_at: 0,
        })
    }

    /// Set `conn` aside; the returned place reads it back.
    pub(super) fn put(&mut self, conn: &Connection) -> io::Result<SetAside> {
        let start = self.pending.len();
        let offset = self.written + start as u64;
        self.pending = postcard::to_extend(conn, std::mem::take(&mut self.pending))
            .map_err(io::Error::other)?;
        let len = u32::try_from(self.pending.len() - start).map_err(io::Error::other)?;
        if self.pending.len() >= WRITE_BATCH {
            self.flush()?;
        }
        Ok(SetAside { offset, len })
    }

    fn flush(&mut self) -> io::Result<()> {
        (&self.file).seek(SeekFrom::Start(self.written))?;
        (&self.file).write_all(&self.pending)?;
        self.written += self.pending.len() as u64;
        self.pending.clear();
        Ok(())
    }

    /// Read a set-aside connection back.
    pub(super) fn get(&mut self, at: SetAside) -> io::Result<Connection> {
        let bytes = self.bytes(at)?;
        postcard::from_bytes(bytes).map_err(io::Error::other)
    }

    fn bytes(&mut self, at: SetAside) -> io::Result<&[u8]> {
        let len = at.len as usize;
        let past_end = || io::Error::other("set-aside connection past the end");
        if let Some(start) = at.offset.checked_sub(self.written) {
            let start = usize::try_from(start).map_err(io::Error::other)?;
            return self.pending.get(start..start + len).ok_or_else(past_end);
        }
        let in_window = at.offset >= self.window_at
            && at.offset + len as u64 <= self.window_at + self.window.len() as u64;
        if !in_window {
            let want = len.max(READ_AHEAD).min((self.written - at.offset) as usize);
            self.window.resize(want, 0);
            (&self.file).seek(SeekFrom::Start(at.offset))?;
            (&self.file).read_exact(&mut self.window)?;
            self.window_at = at.offset;
        }
        let start = (at.offset - self.window_at) as usize;
        self.window.get(start..start + len).ok_or_else(past_end)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
    use super::*;

    /// A connection read back is the one set aside, in every part its row reads, whether
    /// its record was still in the write batch or already in the file.
    #[test]
    fn a_connection_comes_back_the_same() {
        let session = crate::session::load_sample("seed-handshake-client.pcapng");
        let conn = &session.connections[0];
        let mut spill = Spill::create().expect("temporary file");
        let first = spill.put(conn).expect("set aside");
        let json = |c: &Connection| serde_json::to_string(c).expect("json");
        assert_eq!(json(&spill.get(first).expect("read back")), json(conn));
        // Enough records to push the first ones out of the batch and into the file.
        let mut places = vec![first];
        while spill.written == 0 {
            places.push(spill.put(conn).expect("set aside"));
        }
        for at in [
            places[0],
            places[places.len() / 2],
            places[places.len() - 1],
        ] {
            assert_eq!(json(&spill.get(at).expect("read back")), json(conn));
        }
    }
}

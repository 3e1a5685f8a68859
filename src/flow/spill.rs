//! Connections set aside out of memory while `flows` reads a capture.
//!
//! `flows` needs each connection only for its row at the end, but a connection stays
//! open to change until then: a late ACK or a retransmitted FIN on the same four-tuple
//! still counts in its row. So a connection the table no longer expects packets for
//! (both ends closed, or quiet for a while) is written whole, in `postcard`'s compact
//! binary form, to a private temporary file, and read back whole if a packet of it does
//! arrive, or when the rows are written. The rows come out exactly as if every
//! connection had stayed in memory. Where each one's bytes are is kept, out of memory
//! too, by [`super::directory`].

use super::table::Connection;
use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom, Write};

/// Where one set-aside connection's bytes are in the [`Spill`]. Packed to 12 bytes, so
/// that its entry in the [`super::directory`] (this, its stream and its four-tuple's
/// hash) is 20.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(C, packed(4))]
pub(super) struct SetAside {
    offset: u64,
    len: u32,
}

impl SetAside {
    /// Where the record starts in the spill: a later record of the same connection is
    /// further on (the spill is only appended to).
    pub(super) fn offset(&self) -> u64 {
        self.offset
    }

    /// As 12 bytes, little-endian (for [`super::directory`]).
    pub(super) fn to_bytes(self) -> [u8; 12] {
        let (offset, len) = (self.offset, self.len);
        let mut b = [0; 12];
        b[..8].copy_from_slice(&offset.to_le_bytes());
        b[8..].copy_from_slice(&len.to_le_bytes());
        b
    }

    pub(super) fn from_bytes(b: [u8; 12]) -> SetAside {
        let [o0, o1, o2, o3, o4, o5, o6, o7, l0, l1, l2, l3] = b;
        SetAside {
            offset: u64::from_le_bytes([o0, o1, o2, o3, o4, o5, o6, o7]),
            len: u32::from_le_bytes([l0, l1, l2, l3]),
        }
    }
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
    /// The whole file mapped, once no more records come ([`Spill::seal`]).
    sealed: Option<Sealed>,
}

/// The spill mapped for reading every record back as the rows are written. The rows go
/// in stream order, which is only roughly the order connections were set aside in, so
/// records are read out of order within a stretch of the file; a mapping reads each page
/// once from the page cache, however the records within it are visited.
struct Sealed {
    map: memmap2::Mmap,
    /// Records read since the pages were last handed back.
    reads: u32,
}

/// How many records are read from the mapping before the pages read are handed back (so
/// the mapping adds a few MiB to resident memory, not the spill's size).
const RELEASE_EVERY: u32 = 256;

impl Spill {
    pub(super) fn create() -> io::Result<Spill> {
        let (file, path) = crate::capture::private_temp_file("flows")?;
        Ok(Spill {
            file,
            _path: path,
            written: 0,
            pending: Vec::new(),
            sealed: None,
        })
    }

    /// Set `conn` aside; the returned place reads it back.
    pub(super) fn put(&mut self, conn: &Connection) -> io::Result<SetAside> {
        if self.sealed.is_some() {
            return Err(io::Error::other("set aside after the rows began"));
        }
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

    /// No more records: write what is pending and map the file for reading every record
    /// back. Where the file cannot be mapped, records are read one at a time.
    pub(super) fn seal(&mut self) -> io::Result<()> {
        self.flush()?;
        if self.written == 0 {
            return Ok(());
        }
        // SAFETY: the file is our own private temporary file, read-only from here on; no
        // other process knows its name (it is made new and readable only by us), so
        // nothing truncates it under the mapping.
        #[allow(unsafe_code)]
        let map = unsafe { memmap2::Mmap::map(&self.file) };
        if let Ok(map) = map {
            self.sealed = Some(Sealed { map, reads: 0 });
        }
        Ok(())
    }

    /// Read a set-aside connection back.
    pub(super) fn get(&mut self, at: SetAside) -> io::Result<Connection> {
        let len = at.len as usize;
        let past_end = || io::Error::other("set-aside connection past the end");
        if let Some(sealed) = &mut self.sealed {
            let start = usize::try_from(at.offset).map_err(io::Error::other)?;
            let bytes = sealed.map.get(start..start + len).ok_or_else(past_end)?;
            let conn = postcard::from_bytes(bytes).map_err(io::Error::other);
            sealed.read();
            return conn;
        }
        if let Some(start) = at.offset.checked_sub(self.written) {
            let start = usize::try_from(start).map_err(io::Error::other)?;
            let bytes = self.pending.get(start..start + len).ok_or_else(past_end)?;
            return postcard::from_bytes(bytes).map_err(io::Error::other);
        }
        let mut bytes = vec![0; len];
        (&self.file).seek(SeekFrom::Start(at.offset))?;
        (&self.file).read_exact(&mut bytes)?;
        postcard::from_bytes(&bytes).map_err(io::Error::other)
    }
}

impl Sealed {
    /// Count a read, and every [`RELEASE_EVERY`] reads hand every page of the mapping
    /// back: they stay in the page cache, and a later read maps them in again. (The
    /// whole mapping, not just the records read: the kernel maps in the neighbours of a
    /// page read too, and a walk over page tables that are mostly empty costs little.)
    fn read(&mut self) {
        self.reads += 1;
        if self.reads < RELEASE_EVERY {
            return;
        }
        self.reads = 0;
        #[cfg(unix)]
        {
            // SAFETY: MADV_DONTNEED on a read-only private file mapping only drops this
            // process's page table entries; a later read of those bytes faults them in
            // again from the file, unchanged.
            #[allow(unsafe_code)]
            let _ = unsafe {
                self.map
                    .unchecked_advise(memmap2::UncheckedAdvice::DontNeed)
            };
        }
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
        // And from the mapping the rows are read from, in any order and more often than
        // its pages are handed back.
        let pending = spill.put(conn).expect("set aside");
        places.push(pending);
        spill.seal().expect("sealed");
        assert!(spill.sealed.is_some());
        for round in 0..3 * RELEASE_EVERY as usize {
            let at = places[(round * 7) % places.len()];
            assert_eq!(json(&spill.get(at).expect("read back")), json(conn));
        }
        assert!(spill.put(conn).is_err(), "no record after the seal");
    }
}

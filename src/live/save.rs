//! Writing frames as pcapng (File › Save as, `capture -w`, `lab -w`), through the
//! `pcap-file` crate's writer, with the interface name and the capture filter recorded in
//! each Interface Description Block and nanosecond timestamps.

use crate::capture::{CaptureReader, Frame};
use pcap_file::DataLink;
use pcap_file::pcapng::PcapNgWriter;
use pcap_file::pcapng::blocks::enhanced_packet::EnhancedPacketBlock;
use pcap_file::pcapng::blocks::interface_description::{
    InterfaceDescriptionBlock, InterfaceDescriptionOption,
};
use std::borrow::Cow;
use std::collections::HashMap;
use std::io::Write;
use std::time::Duration;

/// Where a capture came from, recorded in the file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CaptureOrigin {
    /// The interface name (`lo`, `eth0`...), if known.
    pub interface: Option<String>,
    /// The capture filter used, if any.
    pub filter: Option<String>,
}

/// A pcapng file being written, one frame at a time.
pub struct PcapngSaver<W: Write> {
    writer: PcapNgWriter<W>,
    origin: CaptureOrigin,
    /// Source (interface, link type) → interface id in the file.
    interfaces: HashMap<(u32, u32), u32>,
}

impl<W: Write> PcapngSaver<W> {
    pub fn new(out: W, origin: CaptureOrigin) -> std::io::Result<PcapngSaver<W>> {
        let writer = PcapNgWriter::new(out).map_err(std::io::Error::other)?;
        Ok(PcapngSaver {
            writer,
            origin,
            interfaces: HashMap::new(),
        })
    }

    /// Write one frame (its interface is described first, the first time it appears).
    pub fn write(&mut self, frame: &Frame<'_>) -> std::io::Result<()> {
        let key = (frame.interface, frame.link.0);
        let id = match self.interfaces.get(&key) {
            Some(&id) => id,
            None => {
                let id = self.interfaces.len() as u32;
                let mut options = vec![InterfaceDescriptionOption::IfTsResol(9)];
                if let Some(name) = &self.origin.interface {
                    options.push(InterfaceDescriptionOption::IfName(Cow::Owned(name.clone())));
                }
                if let Some(filter) = self.origin.filter.as_ref().filter(|f| !f.is_empty()) {
                    // Type 0: a libpcap filter string.
                    let mut bytes = vec![0u8];
                    bytes.extend_from_slice(filter.as_bytes());
                    options.push(InterfaceDescriptionOption::IfFilter(Cow::Owned(bytes)));
                }
                let block = InterfaceDescriptionBlock {
                    linktype: DataLink::from(frame.link.0),
                    snaplen: crate::capture::MAX_RECORD_LEN,
                    options,
                };
                self.writer
                    .write_pcapng_block(block)
                    .map_err(std::io::Error::other)?;
                self.interfaces.insert(key, id);
                id
            }
        };
        let secs = u64::try_from(frame.ts.secs).unwrap_or(0);
        let block = EnhancedPacketBlock {
            interface_id: id,
            timestamp: Duration::new(secs, frame.ts.nanos),
            original_len: frame.original_len,
            data: Cow::Borrowed(frame.data),
            options: Vec::new(),
        };
        self.writer
            .write_pcapng_block(block)
            .map_err(std::io::Error::other)?;
        Ok(())
    }

    pub fn flush(&mut self) -> std::io::Result<()> {
        self.writer.get_mut().flush()
    }

    pub fn into_inner(self) -> W {
        self.writer.into_inner()
    }
}

/// Copy every frame of `reader` into a pcapng file. Returns the number of frames.
pub fn save_all(
    reader: &mut CaptureReader,
    out: impl Write,
    origin: CaptureOrigin,
) -> std::io::Result<u64> {
    let mut saver = PcapngSaver::new(std::io::BufWriter::new(out), origin)?;
    let mut n = 0;
    while let Some(frame) = reader.next_frame() {
        saver.write(&frame)?;
        n += 1;
    }
    saver.flush()?;
    Ok(n)
}

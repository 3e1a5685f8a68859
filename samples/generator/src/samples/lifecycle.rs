//! Teaching samples about a connection's life: unusual openings, the ways a
//! connection ends, and connections that never open.
//!
//! All are captured at the client (the "near" end) on Ethernet, with Linux
//! option layouts and TCP timestamps, on 2024-03-01 from 10:00 UTC.

use std::io;
use std::path::Path;

use super::notes;
use super::{at, http_get, http_ok, text, v4};
use crate::conversation::{Conversation, Endpoint, Send, Side};
use crate::segment::Flags;
use crate::sink::{Frame, Note, sort_by_time, write_pcapng_with_notes};

use Side::{Client, Server};

/// Every sample here teaches something, so each is pcapng with its notes.
fn write(path: &Path, frames: &[Frame], notes: &[Note]) -> io::Result<()> {
    write_pcapng_with_notes(path, frames, notes)
}

/// Both ends send a SYN at the same time (as two peers do when punching a
/// hole through NAT); each answers the other's SYN with a SYN+ACK that
/// repeats its own SYN; then a little data and an ordinary close.
pub fn simultaneous_open(path: &Path) -> io::Result<()> {
    let a = Endpoint::new(v4(198, 51, 100, 7, 50_000), 2_804_516_377)
        .mac([0x02, 0x42, 0xc6, 0x33, 0x64, 0x07]);
    let b = Endpoint::new(v4(203, 0, 113, 9, 50_000), 1_116_083_590)
        .mac([0x02, 0x42, 0x0a, 0x00, 0x00, 0x01])
        .ttl(52);
    let a_isn = a.isn;
    let b_isn = b.isn;
    // One-way delay 10 ms. A's SYN leaves at 0 and reaches B at 10 ms; B's
    // SYN left B at 5 ms and reaches A at 15 ms.
    let mut c = Conversation::new(a, b, at(0, 0, 250_000)).rtt_us(20_000);
    c.send(Client, Send::new(Flags::SYN, b"").in_flight())?;
    c.wait_ms(15);
    c.send(Server, Send::new(Flags::SYN, b""))?;
    c.wait_us(45);
    c.send(
        Client,
        Send::new(Flags::SYN_ACK, b"").seq(a_isn).in_flight(),
    )?;
    // B had A's SYN (not yet A's SYN+ACK) when it answered at 10 ms.
    c.arrive_one();
    c.wait_us(5_005);
    c.send(Server, Send::new(Flags::SYN_ACK, b"").seq(b_isn))?;
    c.arrive_all();
    c.step(Client, Flags::PSH_ACK, b"HELLO from peer A\n")?;
    c.step(Server, Flags::PSH_ACK, b"HELLO from peer B\n")?;
    c.step(Client, Flags::ACK, b"")?;
    c.wait_ms(300);
    c.close(Client)?;
    write(path, &c.into_frames(), notes::SIMULTANEOUS_OPEN)
}

/// Both ends send FIN before either has seen the other's: each
/// acknowledges the other's FIN and both go through CLOSING to TIME-WAIT.
pub fn simultaneous_close(path: &Path) -> io::Result<()> {
    let client = Endpoint::new(v4(192, 168, 1, 10, 52_814), 3_190_224_971);
    let server = Endpoint::new(v4(203, 0, 113, 25, 7000), 877_310_492)
        .mac([0x00, 0x1b, 0x21, 0x3a, 0x4f, 0x10])
        .ttl(55)
        .windows(65_160, 509);
    let mut c = Conversation::new(client, server, at(1, 0, 100_000)).rtt_us(20_000);
    c.handshake()?;
    c.exchange(b"BYE?\n", b"BYE!\n")?;
    c.wait_ms(200);
    // Client FIN at T; server FIN left 6 ms before T and arrives at T+4 ms.
    c.send(Client, Send::new(Flags::FIN_ACK, b"").in_flight())?;
    c.wait_ms(4);
    c.send(Server, Send::new(Flags::FIN_ACK, b""))?;
    c.wait_us(45);
    c.send(Client, Send::new(Flags::ACK, b"").in_flight())?;
    // The server received the client's FIN at T+10 ms and answered it; that
    // ACK arrives at T+20 ms.
    c.arrive_one();
    c.wait_us(15_955);
    c.send(Server, Send::new(Flags::ACK, b""))?;
    c.arrive_all();
    write(path, &c.into_frames(), notes::SIMULTANEOUS_CLOSE)
}

/// The server has nothing more to send when the client's FIN arrives, so
/// it sends its own FIN together with the ACK: FIN, FIN+ACK, ACK.
pub fn three_segment_close(path: &Path) -> io::Result<()> {
    let client = Endpoint::new(v4(192, 168, 1, 10, 45_322), 1_502_113_861);
    let server = Endpoint::new(v4(192, 168, 1, 20, 80), 2_931_664_017).windows(65_160, 509);
    let mut c = Conversation::new(client, server, at(2, 0, 500_000)).rtt_us(420);
    c.handshake()?;
    c.exchange(
        &http_get("192.168.1.20", "/status"),
        &http_ok(b"all systems nominal\n"),
    )?;
    c.wait_ms(2);
    c.step(Client, Flags::FIN_ACK, b"")?;
    c.step(Server, Flags::FIN_ACK, b"")?;
    c.step(Client, Flags::ACK, b"")?;
    write(path, &c.into_frames(), notes::THREE_SEGMENT_CLOSE)
}

/// The client uploads a word list and shuts down its sending side
/// (`shutdown(SHUT_WR)`): the server only knows the list is complete when
/// the FIN comes. It acknowledges the FIN, keeps sending the sorted list in
/// several segments the client still acknowledges, then closes its side.
pub fn half_close(path: &Path) -> io::Result<()> {
    let client = Endpoint::new(v4(192, 168, 1, 10, 39_410), 4_021_558_306);
    let server = Endpoint::new(v4(192, 168, 1, 20, 7777), 612_094_238).windows(65_160, 509);
    let mut c = Conversation::new(client, server, at(3, 0, 0)).rtt_us(380);
    c.handshake()?;
    let upload = text(1_800, 11);
    c.transfer(Client, &upload)?;
    c.wait_us(150);
    c.step(Client, Flags::FIN_ACK, b"")?;
    c.step(Server, Flags::ACK, b"")?;
    // Sorting takes the server a moment; then 5 segments of results.
    c.wait_ms(3);
    let mut lines: Vec<&[u8]> = upload.split(|b| *b == b'\n').collect();
    lines.sort();
    let mut sorted = lines.join(&b'\n');
    sorted.extend_from_slice(b"\n--- 6500 bytes of sorted output follow ---\n");
    sorted.extend_from_slice(&text(6_500 - sorted.len().min(6_500), 12));
    c.transfer(Server, &sorted)?;
    c.wait_us(200);
    c.step(Server, Flags::FIN_ACK, b"")?;
    c.step(Client, Flags::ACK, b"")?;
    write(path, &c.into_frames(), notes::HALF_CLOSE)
}

/// Nothing listens on the port: the SYN is answered by RST+ACK (seq 0,
/// window 0, no options). The client's application tries once more a
/// second later, from a new source port, and is refused again.
pub fn refused(path: &Path) -> io::Result<()> {
    let mut frames = Vec::new();
    for (i, (port, isn)) in [(51_720u16, 2_250_184_011u32), (51_726, 3_675_930_402)]
        .into_iter()
        .enumerate()
    {
        let client = Endpoint::new(v4(192, 168, 1, 10, port), isn);
        let server = Endpoint::new(v4(192, 168, 1, 20, 5432), 0);
        let start = at(4, 0, 0) + std::time::Duration::from_millis(1_004 * i as u64);
        let mut c = Conversation::new(client, server, start).rtt_us(350);
        c.step(Client, Flags::SYN, b"")?;
        c.step_with(
            Server,
            Send::new(Flags::RST_ACK, b"").seq(0).window(0).bare(),
        )?;
        frames.extend(c.into_frames());
    }
    sort_by_time(&mut frames);
    write(path, &frames, notes::REFUSED)
}

/// The client starts a download, then its application gives up and aborts
/// (close with SO_LINGER 0): it sends RST+ACK instead of FIN. A data
/// segment the server had already sent arrives after the reset and gets a
/// bare RST: the connection no longer exists.
pub fn rst_abort(path: &Path) -> io::Result<()> {
    let client = Endpoint::new(v4(192, 168, 1, 10, 60_112), 1_871_026_553);
    let server = Endpoint::new(v4(198, 51, 100, 80, 8080), 3_402_759_118)
        .mac([0x00, 0x1b, 0x21, 0x3a, 0x4f, 0x10])
        .ttl(57)
        .windows(65_160, 509);
    let mut c = Conversation::new(client, server, at(5, 0, 0)).rtt_us(12_000);
    c.handshake()?;
    let file = text(4 * 1448, 21);
    c.exchange(&http_get("198.51.100.80", "/backup.tar"), &file)?;
    c.wait_ms(30);
    // The reset is still on its way when the server sends more.
    c.step_with(Client, Send::new(Flags::RST_ACK, b"").in_flight())?;
    let seq = c.endpoint(Server).snd_nxt();
    c.wait_us(900);
    c.send(Server, Send::new(Flags::PSH_ACK, &text(1448, 22)).seq(seq))?;
    let answer_seq = c.endpoint(Client).snd_nxt();
    c.step_with(
        Client,
        Send::new(Flags::RST, b"").seq(answer_seq).window(0).bare(),
    )?;
    write(path, &c.into_frames(), notes::RST_ABORT)
}

/// A firewall silently drops the SYN: Linux sends it again after 1 s, 3 s
/// and 7 s (the wait doubles each time), same sequence number, newer TS
/// val. No answer ever comes.
pub fn syn_no_answer(path: &Path) -> io::Result<()> {
    let client = Endpoint::new(v4(192, 168, 1, 10, 47_004), 2_613_459_720);
    let isn = client.isn;
    let server =
        Endpoint::new(v4(203, 0, 113, 50, 443), 0).mac([0x00, 0x1b, 0x21, 0x3a, 0x4f, 0x10]);
    let mut c = Conversation::new(client, server, at(6, 0, 0));
    c.send(Client, Send::new(Flags::SYN, b""))?;
    for wait_ms in [1_000, 2_000, 4_000] {
        c.wait_ms(wait_ms).wait_us(180);
        c.send(Client, Send::new(Flags::SYN, b"").seq(isn))?;
    }
    write(path, &c.into_frames(), notes::SYN_NO_ANSWER)
}

/// The same four-tuple twice. The server closes the first connection
/// first, so it is the server that holds TIME-WAIT; two seconds later the
/// client connects again from the same port. The new SYN has a new ISN
/// (higher than anything seen before) and a newer TS val, so the server
/// accepts it as a new connection.
pub fn port_reuse(path: &Path) -> io::Result<()> {
    let client_addr = v4(192, 168, 1, 10, 40_000);
    let server_addr = v4(192, 168, 1, 20, 9000);
    let ts_client = 0x3a1c_0b55;
    let ts_server = 0x07d2_91e4;
    let mut frames = Vec::new();

    let first = Endpoint::new(client_addr, 1_000_000_000).ts_offset(ts_client);
    let server = Endpoint::new(server_addr, 3_000_000_000)
        .ts_offset(ts_server)
        .windows(65_160, 509);
    let mut c = Conversation::new(first, server, at(7, 0, 0)).rtt_us(400);
    c.handshake()?;
    c.exchange(b"TIME\n", b"2024-03-01T10:07:00Z\n")?;
    c.wait_ms(1);
    c.close(Server)?;
    let end = c.now();
    frames.extend(c.into_frames());

    let second = Endpoint::new(client_addr, 1_412_337_091).ts_offset(ts_client);
    let server = Endpoint::new(server_addr, 3_514_228_706)
        .ts_offset(ts_server)
        .windows(65_160, 509);
    let mut c = Conversation::new(
        second,
        server,
        end + std::time::Duration::from_millis(2_000),
    )
    .rtt_us(400);
    c.handshake()?;
    c.exchange(b"TIME\n", b"2024-03-01T10:07:02Z\n")?;
    c.wait_ms(1);
    c.close(Client)?;
    frames.extend(c.into_frames());
    write(path, &frames, notes::PORT_REUSE)
}

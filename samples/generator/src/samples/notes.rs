//! The instructor's notes of every teaching sample: a few packets of each file
//! carry a note, in English and in Chinese, that tells a student what to look
//! at. They are written as pcapng packet comments (`[en] …`, `[zh-CN] …`), so
//! the app and Wireshark both show them.
//!
//! Every number a note quotes is the packet's own, as tshark prints it:
//! seq and ack relative to the ISN (Wireshark's and the app's default) unless
//! the note says "absolute", windows as the `win` field carries them, times
//! from the first frame. `samples/README.md` tells the same stories at length.

use crate::sink::Note;

/// Shorthand for one note.
const fn n(frame: u32, en: &'static str, zh: &'static str) -> Note {
    Note { frame, en, zh }
}

pub const SEED_HANDSHAKE_CLIENT: &[Note] = &[
    n(
        1,
        "The client opens: SYN with its initial sequence number (ISN) 734888645 (absolute), shown as relative seq 0. It offers MSS 1414.",
        "客户端发起连接：SYN 携带它的初始序号（ISN）734888645（绝对值），相对序号显示为 0。它通告 MSS 1414。",
    ),
    n(
        2,
        "The server's SYN+ACK: ack 734888646 = the client's ISN + 1 (the SYN counts as one byte). The MSS is now 1412: the NAT router on the path lowered it.",
        "服务器的 SYN+ACK：确认号 734888646 = 客户端的 ISN + 1（SYN 占一个序号）。MSS 变成了 1412：路径上的 NAT 路由器把它改小了。",
    ),
    n(
        3,
        "The third segment of the three-way handshake: ack 1 (the server's ISN + 1). Both ends are now ESTABLISHED.",
        "三次握手的第三个报文：确认号 1（服务器的 ISN + 1）。此后两端都处于 ESTABLISHED。",
    ),
    n(
        5,
        "The client sent 10 bytes, helloworld (seq 1:11); the server acknowledges them with ack 11 = 1 + 10.",
        "客户端发送了 10 字节 helloworld（序号 1:11）；服务器以确认号 11 = 1 + 10 确认它们。",
    ),
    n(
        9,
        "On the second connection (port 48206) the client closes first: its FIN starts the teardown. The client enters FIN-WAIT-1.",
        "在第二条连接（端口 48206）上客户端先关闭：它的 FIN 开始了连接的关闭。客户端进入 FIN-WAIT-1。",
    ),
    n(
        10,
        "The server ACKs the FIN (ack 2: the FIN counts as one) and then sends nothing more. The capture ends with the server in CLOSE-WAIT (its program never called close()) and the client in FIN-WAIT-2.",
        "服务器确认了 FIN（确认号 2：FIN 占一个序号），之后再也没有发送任何报文。抓包结束时服务器停在 CLOSE-WAIT（它的程序没有调用 close()），客户端停在 FIN-WAIT-2。",
    ),
];

pub const SEED_HANDSHAKE_SERVER: &[Note] = &[
    n(
        1,
        "The same SYN as in the client's file, seen at the server behind NAT: the client appears as 120.132.11.203. Its seq (ISN 734888645) is unchanged, but the MSS already reads 1412.",
        "与客户端文件中同一个 SYN，在 NAT 后面的服务器上看到：客户端显示为 120.132.11.203。序号（ISN 734888645）没变，但 MSS 已经是 1412。",
    ),
    n(
        2,
        "The server answers 0.174 ms after the SYN arrives: SYN+ACK with ack = ISN + 1 (relative 1) and MSS 1460.",
        "服务器在 SYN 到达 0.174 ms 后应答：SYN+ACK，确认号 = ISN + 1（相对值 1），MSS 1460。",
    ),
    n(
        3,
        "The client's ACK arrives 32 ms after the SYN: at this end the server is the one that waits a round trip.",
        "客户端的 ACK 在 SYN 到达 32 ms 后才到：在这一端，等待一个往返时间的是服务器。",
    ),
    n(
        10,
        "The server ACKs the client's FIN (ack 2) but never sends its own: the server stays in CLOSE-WAIT, the client in FIN-WAIT-2.",
        "服务器确认了客户端的 FIN（确认号 2），却一直不发送自己的 FIN：服务器停在 CLOSE-WAIT，客户端停在 FIN-WAIT-2。",
    ),
];

pub const SEED_GITHUB: &[Note] = &[
    n(
        1,
        "The browser's SYN: ISN 1337949936 (absolute; switch to absolute numbers to compare with the tutorial).",
        "浏览器的 SYN：ISN 1337949936（绝对值；切换到绝对序号可以与教程对照）。",
    ),
    n(
        2,
        "GitHub's SYN+ACK: its own ISN 3859825850, and ack 1337949937 = the browser's ISN + 1.",
        "GitHub 的 SYN+ACK：它自己的 ISN 3859825850，确认号 1337949937 = 浏览器的 ISN + 1。",
    ),
    n(
        5,
        "The 304 Not Modified answer (223 bytes) acknowledges the 361-byte GET: ack 362 = 1 + 361.",
        "304 Not Modified 应答（223 字节）确认了 361 字节的 GET：确认号 362 = 1 + 361。",
    ),
    n(
        7,
        "After about 10 s of idle HTTP keep-alive the server (GitHub) closes first: its FIN starts the teardown, so the server is the one that will wait in TIME-WAIT.",
        "HTTP 持久连接空闲约 10 秒后，服务器（GitHub）先关闭：它的 FIN 开始了四次挥手，所以最后在 TIME-WAIT 中等待的是服务器。",
    ),
    n(
        8,
        "The browser ACKs the FIN at once (ack 225 = 224 + 1). It is in CLOSE-WAIT: it may still send.",
        "浏览器立即确认 FIN（确认号 225 = 224 + 1）。它处于 CLOSE-WAIT：仍然可以发送数据。",
    ),
    n(
        9,
        "23 s later the browser closes too (FIN, seq 362). The last ACK (ack 363) puts the server in TIME-WAIT.",
        "23 秒后浏览器也关闭（FIN，序号 362）。最后的 ACK（确认号 363）让服务器进入 TIME-WAIT。",
    ),
];

pub const SIMULTANEOUS_OPEN: &[Note] = &[
    n(
        1,
        "This end sends its SYN (ISN 2804516377, absolute) and enters SYN-SENT.",
        "这一端发送 SYN（ISN 2804516377，绝对值），进入 SYN-SENT。",
    ),
    n(
        2,
        "The peer's SYN arrives before any answer to ours: both SYNs crossed. A SYN received in SYN-SENT moves this end to SYN-RECEIVED.",
        "对端的 SYN 在我们的 SYN 得到应答之前就到了：两个 SYN 交叉而过。在 SYN-SENT 中收到 SYN，这一端进入 SYN-RECEIVED。",
    ),
    n(
        3,
        "This end answers with SYN+ACK. It repeats its own SYN (seq 0 again), so tshark calls it a retransmission, but it is new: it now acks the peer's SYN (ack 1).",
        "这一端以 SYN+ACK 应答。它重复了自己的 SYN（序号仍为 0），所以 tshark 说它是重传，但它是新的：它现在确认了对端的 SYN（确认号 1）。",
    ),
    n(
        4,
        "The peer's SYN+ACK acks our SYN (ack 1). No third handshake segment is needed: each SYN+ACK acknowledges the other's SYN, and both ends are ESTABLISHED.",
        "对端的 SYN+ACK 确认了我们的 SYN（确认号 1）。不需要第三个握手报文：每个 SYN+ACK 都确认了对方的 SYN，两端都进入 ESTABLISHED。",
    ),
    n(
        8,
        "This end closes first, so it is the one that ends in TIME-WAIT (after frame 11).",
        "这一端先关闭，所以最后进入 TIME-WAIT 的是它（在第 11 帧之后）。",
    ),
];

pub const SIMULTANEOUS_CLOSE: &[Note] = &[
    n(
        7,
        "The client sends FIN (seq 6) and enters FIN-WAIT-1.",
        "客户端发送 FIN（序号 6），进入 FIN-WAIT-1。",
    ),
    n(
        8,
        "The server's FIN arrives only 4 ms later: it was sent before the client's FIN reached the server. It acks only the data (ack 6), not the FIN, because the two FINs crossed.",
        "服务器的 FIN 仅 4 ms 后就到达：它在客户端的 FIN 到达服务器之前就已发出。它只确认了数据（确认号 6），没有确认 FIN，因为两个 FIN 交叉而过。",
    ),
    n(
        9,
        "The client got the server's FIN while in FIN-WAIT-1, so it is in CLOSING; it ACKs that FIN: ack 7 = 6 + 1.",
        "客户端在 FIN-WAIT-1 中收到了服务器的 FIN，因此处于 CLOSING；它确认这个 FIN：确认号 7 = 6 + 1。",
    ),
    n(
        10,
        "The server's ACK of the client's FIN (ack 7). Each end goes from CLOSING to TIME-WAIT: in a simultaneous close both ends wait in TIME-WAIT.",
        "服务器对客户端 FIN 的确认（确认号 7）。两端都从 CLOSING 进入 TIME-WAIT：同时关闭时两端都要在 TIME-WAIT 中等待。",
    ),
];

pub const THREE_SEGMENT_CLOSE: &[Note] = &[
    n(
        7,
        "The client closes first: FIN, seq 82. It enters FIN-WAIT-1.",
        "客户端先关闭：FIN，序号 82。它进入 FIN-WAIT-1。",
    ),
    n(
        8,
        "The server has nothing left to send, so its FIN rides on the ACK of the client's FIN (ack 83): one segment instead of two.",
        "服务器已没有数据要发送，所以它的 FIN 与对客户端 FIN 的确认（确认号 83）合在一个报文里：一个报文代替了两个。",
    ),
    n(
        9,
        "The last ACK (ack 161 = 160 + 1). The client, which closed first, waits in TIME-WAIT; the server goes from LAST-ACK to CLOSED.",
        "最后的 ACK（确认号 161 = 160 + 1）。先关闭的客户端在 TIME-WAIT 中等待；服务器从 LAST-ACK 进入 CLOSED。",
    ),
];

pub const HALF_CLOSE: &[Note] = &[
    n(
        5,
        "The upload ends here: 1448 + 352 = 1800 bytes, seq 1:1801.",
        "上传到此结束：1448 + 352 = 1800 字节，序号 1:1801。",
    ),
    n(
        7,
        "The client's FIN (shutdown(SHUT_WR)) means “I am done sending”, not “go away”: a half-close.",
        "客户端的 FIN（shutdown(SHUT_WR)）表示“我不再发送了”，而不是“断开吧”：这是半关闭。",
    ),
    n(
        8,
        "The server ACKs the FIN (ack 1802: the FIN counts as one) and stays in CLOSE-WAIT; the client is in FIN-WAIT-2 and still receives.",
        "服务器确认了 FIN（确认号 1802：FIN 占一个序号），停在 CLOSE-WAIT；客户端处于 FIN-WAIT-2，仍然可以接收。",
    ),
    n(
        11,
        "After its FIN, the client still ACKs the server's data (ack 2897): a half-closed connection carries data the other way.",
        "发出 FIN 之后，客户端仍然确认服务器的数据（确认号 2897）：半关闭的连接在另一个方向上照常传输数据。",
    ),
    n(
        17,
        "Only after its 6500 bytes of results (seq 1:6501) does the server send its own FIN. The client, which closed first, ends in TIME-WAIT.",
        "服务器发完 6500 字节的结果（序号 1:6501）之后才发送自己的 FIN。先关闭的客户端最后进入 TIME-WAIT。",
    ),
];

pub const REFUSED: &[Note] = &[
    n(
        1,
        "A SYN to port 5432, ISN 2250184011 (absolute).",
        "发往端口 5432 的 SYN，ISN 2250184011（绝对值）。",
    ),
    n(
        2,
        "Nothing listens on port 5432: the answer is RST+ACK, not SYN+ACK. Absolute seq 0, ack 2250184012 = the ISN + 1, win 0, no options.",
        "端口 5432 上没有程序在监听：应答是 RST+ACK，而不是 SYN+ACK。绝对序号 0，确认号 2250184012 = ISN + 1，窗口 0，没有选项。",
    ),
    n(
        3,
        "One second later the application tries again: a new source port (51726) and a new ISN (3675930402).",
        "一秒后应用程序再试一次：新的源端口（51726）和新的 ISN（3675930402）。",
    ),
    n(
        4,
        "Refused again: ack 3675930403 = the new ISN + 1.",
        "再次被拒绝：确认号 3675930403 = 新的 ISN + 1。",
    ),
];

pub const RST_ABORT: &[Note] = &[
    n(
        4,
        "The client asks for a large file (GET, 86 bytes, seq 1:87).",
        "客户端请求一个大文件（GET，86 字节，序号 1:87）。",
    ),
    n(
        11,
        "The client aborts (close() with SO_LINGER 0): RST+ACK instead of FIN. No teardown, no TIME-WAIT: the connection is gone at once.",
        "客户端中止连接（SO_LINGER 为 0 时调用 close()）：发送 RST+ACK 而不是 FIN。没有四次挥手，也没有 TIME-WAIT：连接立即消失。",
    ),
    n(
        12,
        "A data segment (seq 5793) that was already on its way arrives after the reset.",
        "一个已经在路上的数据报文（序号 5793）在复位之后到达。",
    ),
    n(
        13,
        "The connection no longer exists, so the client answers with a bare RST: no ACK flag, win 0, and its seq (87) is the ack number of the segment it refuses.",
        "连接已经不存在，所以客户端以单独的 RST 回应：没有 ACK 标志，窗口 0，它的序号（87）取自被拒绝报文的确认号。",
    ),
];

pub const SYN_NO_ANSWER: &[Note] = &[
    n(
        1,
        "A SYN to port 443 (ISN 2613459720, absolute). A firewall silently drops it: no answer will come.",
        "发往端口 443 的 SYN（ISN 2613459720，绝对值）。防火墙悄悄丢弃了它：不会有任何应答。",
    ),
    n(
        2,
        "After 1 s Linux sends the SYN again: same seq, a newer TS val.",
        "1 秒后 Linux 再次发送 SYN：序号相同，TS val 更新。",
    ),
    n(
        3,
        "The next try comes 2 s later (at 3 s): the wait doubles each time.",
        "下一次重试在 2 秒后（第 3 秒）：每次等待时间加倍。",
    ),
    n(
        4,
        "And 4 s later (at 7 s). Still no answer: the application will eventually get a connection timeout.",
        "再过 4 秒（第 7 秒）。仍然没有应答：应用程序最终会得到连接超时的错误。",
    ),
];

pub const PORT_REUSE: &[Note] = &[
    n(
        7,
        "The server closes first (FIN), so the server, not the client, will hold TIME-WAIT for this four-tuple.",
        "服务器先关闭（FIN），所以为这个四元组保持 TIME-WAIT 的是服务器，而不是客户端。",
    ),
    n(
        10,
        "The last ACK (ack 7): the first connection is over at the client; the server is now in TIME-WAIT.",
        "最后的 ACK（确认号 7）：第一条连接在客户端结束；服务器此时处于 TIME-WAIT。",
    ),
    n(
        11,
        "2 s later, a new SYN on the same four-tuple (192.168.1.10:40000 → 192.168.1.20:9000), with a higher ISN (1412337091 > 1000000000, absolute) and a newer TS val (865554631). That is why the server accepts it while in TIME-WAIT.",
        "2 秒后，同一个四元组（192.168.1.10:40000 → 192.168.1.20:9000）上出现新的 SYN，ISN 更大（1412337091 > 1000000000，绝对值），TS val 更新（865554631）。所以服务器在 TIME-WAIT 中也接受了它。",
    ),
    n(
        12,
        "A new connection, not a continuation of the first: the SYN+ACK acks the new ISN, ack 1412337092 (absolute) = 1412337091 + 1.",
        "这是一条新连接，而不是第一条连接的延续：SYN+ACK 确认的是新的 ISN，确认号 1412337092（绝对值）= 1412337091 + 1。",
    ),
];

pub const IPV6: &[Note] = &[
    n(
        1,
        "The SYN offers MSS 1440 = 1500 − 40 (IPv6 header) − 20 (TCP header): 20 bytes less than over IPv4.",
        "SYN 通告 MSS 1440 = 1500 − 40（IPv6 首部）− 20（TCP 首部）：比 IPv4 少 20 字节。",
    ),
    n(
        5,
        "A full segment carries 1428 bytes: the MSS 1440 minus the 12 bytes of the timestamp option.",
        "一个满长的报文携带 1428 字节：MSS 1440 减去时间戳选项的 12 字节。",
    ),
    n(
        7,
        "One ACK for two segments: ack 2857 = 1 + 2 × 1428.",
        "一个 ACK 确认两个报文：确认号 2857 = 1 + 2 × 1428。",
    ),
    n(
        10,
        "The client closes first and will wait in TIME-WAIT; the TCP of the close is the same over IPv6.",
        "客户端先关闭，最后在 TIME-WAIT 中等待；关闭过程的 TCP 与 IPv4 上完全一样。",
    ),
];

pub const LOST_SEGMENT_FAST_RETRANSMIT: &[Note] = &[
    n(
        4,
        "The client asks for a file (GET, 91 bytes, seq 1:92). The answer comes back in segments of 1448 bytes; watch frame 42: one of them was lost on the way.",
        "客户端请求一个文件（GET，91 字节，序号 1:92）。应答以 1448 字节的报文段返回；注意第 42 帧：其中一个报文段在途中丢失了。",
    ),
    n(
        42,
        "A gap: the previous segment ended at 36201, but this one starts at 37649. The segment with bytes 36201–37648 was lost before it reached the client, so it is not in the file.",
        "出现缺口：上一个报文止于 36201，这个报文却从 37649 开始。字节 36201–37648 的报文在到达客户端之前丢失了，所以文件中没有它。",
    ),
    n(
        43,
        "The client still asks for 36201 (ack 36201) and reports what it has beyond the hole in a SACK block {37649:39097}.",
        "客户端仍然索要 36201（确认号 36201），并用 SACK 块 {37649:39097} 报告缺口之后已经收到的数据。",
    ),
    n(
        49,
        "Duplicate ACK #3 (after frames 45 and 47): still ack 36201, with a SACK block grown to {37649:43441}. Three duplicate ACKs make the server retransmit at once, without waiting for a timeout.",
        "第 3 个重复确认（前两个是第 45 和 47 帧）：确认号仍为 36201，SACK 块增大到 {37649:43441}。三个重复确认让服务器立即重传，而不必等待超时。",
    ),
    n(
        50,
        "The fast retransmission of seq 36201, one round trip (14 ms) after the third duplicate ACK.",
        "序号 36201 的快速重传，在第三个重复确认之后一个往返时间（14 ms）到达。",
    ),
    n(
        51,
        "The hole is filled: the ACK jumps from 36201 to 43441, acknowledging everything received so far.",
        "缺口补上了：确认号从 36201 跳到 43441，确认了到目前为止收到的全部数据。",
    ),
];

pub const TIMEOUT_RETRANSMISSION: &[Note] = &[
    n(
        4,
        "The POST (190 bytes, seq 1:191) leaves the laptop but is lost on the way: no ACK will come for it.",
        "POST（190 字节，序号 1:191）离开了笔记本电脑，却在途中丢失：不会有对它的 ACK。",
    ),
    n(
        5,
        "220 ms later the same request is sent again: same seq 1:191, a newer TS val. That wait is the retransmission timeout (RTO): about the 20 ms round trip + Linux's 200 ms minimum.",
        "220 ms 后同一个请求再次发送：序号同样是 1:191，TS val 更新。这段等待就是重传超时（RTO）：约为 20 ms 的往返时间加上 Linux 的最小值 200 ms。",
    ),
    n(
        6,
        "The answer acks the request (ack 191). Its TS ecr 3531794836 echoes frame 5's TS val: the server got the second copy.",
        "应答确认了请求（确认号 191）。它的 TS ecr 3531794836 回显第 5 帧的 TS val：服务器收到的是第二份。",
    ),
];

pub const OUT_OF_ORDER: &[Note] = &[
    n(
        4,
        "The client asks for a file (GET, 93 bytes, seq 1:94). Watch frames 26 to 28: two segments of the answer arrive swapped.",
        "客户端请求一个文件（GET，93 字节，序号 1:94）。注意第 26 到 28 帧：应答中的两个报文段到达的顺序颠倒了。",
    ),
    n(
        26,
        "seq 21721 arrives, but 20273 has not: at this point it looks like a loss (Wireshark: “previous segment not captured”).",
        "序号 21721 到了，20273 却还没到：此刻看起来像是丢失（Wireshark：“previous segment not captured”）。",
    ),
    n(
        27,
        "Duplicate ACK: still ack 20273, with SACK {21721:23169} for the segment that came early.",
        "重复确认：确认号仍为 20273，SACK {21721:23169} 报告提前到达的报文。",
    ),
    n(
        28,
        "The missing segment (seq 20273) arrives 57 µs after frame 26. Its older TS val (4110289343) shows it was sent first: it was reordered on the way, not retransmitted.",
        "缺失的报文（序号 20273）比第 26 帧晚 57 µs 到达。它较旧的 TS val（4110289343）说明它是先发出的：它在途中乱序了，而不是重传。",
    ),
    n(
        29,
        "One ACK covers both segments (ack 23169). A single duplicate ACK does not trigger a fast retransmission, so nothing is sent twice.",
        "一个 ACK 确认了两个报文（确认号 23169）。一个重复确认不会触发快速重传，所以没有任何数据被发送两次。",
    ),
];

pub const ZERO_WINDOW: &[Note] = &[
    n(
        22,
        "The server's application has stopped reading: from here each ACK offers a smaller window (win 30980). The server's window scale is 0, so win is in bytes.",
        "服务器的应用程序停止了读取：从这里开始每个 ACK 通告的窗口越来越小（窗口 30980）。服务器的窗口缩放因子为 0，所以窗口值就是字节数。",
    ),
    n(
        38,
        "Only 320 bytes: exactly what is left of the window. Wireshark calls it “window full”.",
        "只有 320 字节：正好是窗口剩下的大小。Wireshark 称之为“窗口已满”。",
    ),
    n(
        45,
        "win 0: a zero window, “stop, my buffer is full”. The sender must not send more data.",
        "窗口 0：零窗口，意思是“停，我的缓冲区满了”。发送方不得再发送数据。",
    ),
    n(
        46,
        "A zero-window probe: one byte, seq 44121:44122, 0.3 s after the zero window. The persist timer then doubles (frames 48 and 50).",
        "零窗口探测：一个字节，序号 44121:44122，在零窗口之后 0.3 秒发出。之后持续计时器加倍（第 48 和 50 帧）。",
    ),
    n(
        47,
        "The probe's answer: ack 44121, win 0. The byte was not taken; the window is still closed.",
        "对探测的应答：确认号 44121，窗口 0。那个字节没有被接收；窗口仍然关闭。",
    ),
    n(
        52,
        "At 2.5 s the application reads again: a window update (same ack 44121, win 32120), and the upload goes on from byte 44121.",
        "第 2.5 秒应用程序恢复读取：窗口更新（确认号仍为 44121，窗口 32120），上传从字节 44121 继续。",
    ),
];

pub const KEEP_ALIVE: &[Note] = &[
    n(
        6,
        "After the answer, nothing is sent for 15 s: the connection is idle.",
        "应答之后 15 秒内没有任何报文：连接处于空闲状态。",
    ),
    n(
        7,
        "The server's keep-alive probe after 15 s of silence: an empty segment with seq 7, one less than its next byte (8). It forces the client to answer.",
        "服务器在沉默 15 秒后发出保活探测：一个空报文，序号 7，比它的下一个字节（8）小一。它迫使客户端应答。",
    ),
    n(
        8,
        "The keep-alive ACK: the client answers ack 8, so the server knows the connection is still alive.",
        "保活确认：客户端应答确认号 8，服务器由此知道连接仍然存活。",
    ),
    n(
        9,
        "The client has keep-alive on too, with 20 s: its probe is seq 14, one less than its next byte (15).",
        "客户端也开启了保活，间隔 20 秒：它的探测序号为 14，比它的下一个字节（15）小一。",
    ),
    n(
        17,
        "At 52 s the client uses the connection again (GET counter, 26 bytes): keep-alive kept it open.",
        "第 52 秒客户端再次使用这条连接（GET counter，26 字节）：保活让它一直保持打开。",
    ),
];

pub const SACK: &[Note] = &[
    n(
        4,
        "The client asks for a file (GET, 97 bytes, seq 1:98); the answer is about 65 KB. Three of its segments are lost on the way: watch the ACKs from frame 27 on.",
        "客户端请求一个文件（GET，97 字节，序号 1:98），应答约 65 KB。其中三个报文段在途中丢失：注意从第 27 帧开始的 ACK。",
    ),
    n(
        27,
        "The first hole starts at 20273: the client asks for it (ack 20273) and reports one island of data beyond it, SACK {21721:23169}.",
        "第一个缺口从 20273 开始：客户端索要它（确认号 20273），并报告缺口之后的一块数据，SACK {21721:23169}。",
    ),
    n(
        47,
        "Two more holes, at 28961 and 37649: three SACK blocks now, the newest first: {39097:40545}{30409:37649}{21721:28961}. Still ack 20273.",
        "又出现两个缺口，在 28961 和 37649：现在有三个 SACK 块，最新的在前：{39097:40545}{30409:37649}{21721:28961}。确认号仍为 20273。",
    ),
    n(
        72,
        "The server resends only the first hole (seq 20273), a fast retransmission: thanks to SACK it knows the rest arrived.",
        "服务器只重传第一个缺口（序号 20273），这是快速重传：借助 SACK，它知道其余的数据已经到达。",
    ),
    n(
        73,
        "The ACK moves to the next hole (ack 28961) and the list loses a block.",
        "确认号移到下一个缺口（确认号 28961），SACK 列表少了一个块。",
    ),
    n(
        87,
        "After the third retransmission (frame 86, seq 37649) the client acks everything: ack 65161.",
        "第三次重传（第 86 帧，序号 37649）之后客户端确认了全部数据：确认号 65161。",
    ),
];

pub const SPURIOUS_RETRANSMISSION: &[Note] = &[
    n(
        4,
        "The client asks for a small file (GET, 86 bytes, seq 1:87). Watch frame 16: the client's ACK of the last segment is lost on the way back.",
        "客户端请求一个小文件（GET，86 字节，序号 1:87）。注意第 16 帧：客户端对最后一个报文段的 ACK 在返回途中丢失了。",
    ),
    n(
        16,
        "The client acks the last segment (ack 11585), but this ACK is lost on the way back. The capture still shows it: the capture point is before the loss.",
        "客户端确认了最后一个报文（确认号 11585），但这个 ACK 在返回途中丢失了。抓包中仍然有它：抓包点在丢失的位置之前。",
    ),
    n(
        17,
        "Hearing nothing, the server sends its last segment again (seq 10137, Linux's tail loss probe). The client already had it: a spurious retransmission. Its TS ecr 273439695 echoes an ACK from before frame 16, proof that frame 16 never arrived.",
        "服务器没有收到任何确认，于是再次发送最后一个报文（序号 10137，Linux 的尾部丢失探测）。客户端早已收到它：这是虚假重传。它的 TS ecr 273439695 回显的是第 16 帧之前的一个 ACK，证明第 16 帧没有到达。",
    ),
    n(
        18,
        "A duplicate ACK (ack 11585) with a D-SACK block {10137:11585}: a SACK block below the ack number means “I got this twice”.",
        "一个重复确认（确认号 11585），携带 D-SACK 块 {10137:11585}：低于确认号的 SACK 块表示“这些数据我收到了两次”。",
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: &[&[Note]] = &[
        SEED_HANDSHAKE_CLIENT,
        SEED_HANDSHAKE_SERVER,
        SEED_GITHUB,
        SIMULTANEOUS_OPEN,
        SIMULTANEOUS_CLOSE,
        THREE_SEGMENT_CLOSE,
        HALF_CLOSE,
        REFUSED,
        RST_ABORT,
        SYN_NO_ANSWER,
        PORT_REUSE,
        IPV6,
        LOST_SEGMENT_FAST_RETRANSMIT,
        TIMEOUT_RETRANSMISSION,
        OUT_OF_ORDER,
        ZERO_WINDOW,
        KEEP_ALIVE,
        SACK,
        SPURIOUS_RETRANSMISSION,
    ];

    #[test]
    fn each_sample_has_three_to_six_notes_in_frame_order_in_both_languages() {
        for notes in ALL {
            assert!((3..=6).contains(&notes.len()), "{notes:?}");
            assert!(
                notes.windows(2).all(|w| w[0].frame < w[1].frame),
                "{notes:?}"
            );
            for n in *notes {
                assert!(n.frame >= 1);
                assert!(!n.en.trim().is_empty() && !n.zh.trim().is_empty(), "{n:?}");
                assert!(
                    n.en.is_ascii() || n.en.chars().all(|c| c < '\u{3000}'),
                    "{n:?}"
                );
                assert!(
                    n.zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                    "{n:?}"
                );
                assert!(!n.en.starts_with('[') && !n.zh.starts_with('['), "{n:?}");
            }
        }
    }
}

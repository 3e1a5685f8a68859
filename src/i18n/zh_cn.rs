//! 简体中文 (Simplified Chinese). State names keep their RFC spelling, with the Chinese
//! term beside them: "TIME-WAIT（时间等待）".

use super::{CloseStep, Noticed, Number, Resent, Role, Texts};
use crate::flow::{Cause, ConnState, Flag, TcpState};

pub struct SimplifiedChinese;

impl Texts for SimplifiedChinese {
    fn role(&self, role: Role) -> &'static str {
        match role {
            Role::Client => "客户端",
            Role::Server => "服务器",
            Role::A => "A",
            Role::B => "B",
        }
    }
    fn finish(&self, text: String) -> String {
        space_around_letter_roles(text)
    }
    fn lane_role(&self, role: Role) -> &'static str {
        match role {
            Role::Client => "客户端",
            Role::Server => "服务器",
            Role::A => "A",
            Role::B => "B",
        }
    }
    fn state(&self, state: TcpState) -> String {
        let zh = match state {
            TcpState::Closed => "关闭",
            TcpState::Listen => "监听",
            TcpState::SynSent => "同步已发送",
            TcpState::SynReceived => "同步已接收",
            TcpState::Established => "已建立连接",
            TcpState::FinWait1 => "终止等待1",
            TcpState::FinWait2 => "终止等待2",
            TcpState::CloseWait => "关闭等待",
            TcpState::Closing => "正在关闭",
            TcpState::LastAck => "最后确认",
            TcpState::TimeWait => "时间等待",
        };
        format!("{}（{zh}）", state.rfc_name())
    }
    fn assumed(&self) -> &'static str {
        "（假定）"
    }
    fn cause(&self, cause: Cause) -> &'static str {
        match cause {
            Cause::SentSyn => "发送了 SYN",
            Cause::ReceivedSyn => "收到了 SYN",
            Cause::SentSynAck => "发送了 SYN, ACK",
            Cause::ReceivedSynAck => "收到了 SYN, ACK",
            Cause::ReceivedAckOfSyn => "它的 SYN 得到确认",
            Cause::SentFin => "发送了 FIN",
            Cause::ReceivedFin => "收到了 FIN",
            Cause::ReceivedAckOfFin => "它的 FIN 得到确认",
            Cause::SentRst => "发送了 RST",
            Cause::ReceivedRst => "收到了 RST",
        }
    }

    fn conn_state(&self, state: ConnState) -> &'static str {
        match state {
            ConnState::S0 => "看到连接请求，没有回应",
            ConnState::S1 => "已建立，未终止",
            ConnState::SF => "正常打开并正常关闭",
            ConnState::REJ => "连接请求被拒绝（RST）",
            ConnState::S2 => "已建立；发起方关闭了，响应方没有关闭",
            ConnState::S3 => "已建立；响应方关闭了，发起方没有关闭",
            ConnState::RSTO => "已建立，随后发起方中止（发送了 RST）",
            ConnState::RSTR => "响应方发送了 RST",
            ConnState::RSTOS0 => "发起方发送 SYN 后又发送 RST；没有看到 SYN+ACK",
            ConnState::RSTRH => "响应方发送 SYN+ACK 后又发送 RST；没有看到 SYN",
            ConnState::SH => "发起方发送 SYN 后又发送 FIN；没有看到 SYN+ACK（半开）",
            ConnState::SHR => "响应方发送 SYN+ACK 后又发送 FIN；没有看到 SYN",
            ConnState::OTH => "没有看到 SYN：从中途开始的流量",
        }
    }

    fn sample(&self, file_name: &str) -> Option<(&'static str, &'static str)> {
        Some(match file_name {
            "seed-handshake-client.pcapng" => (
                "握手、“helloworld”与半关闭（客户端抓包）",
                "经典教程：三次握手、10 字节数据，然后一个 FIN 使客户端停在 FIN-WAIT-2、服务器停在 CLOSE-WAIT。",
            ),
            "seed-handshake-server.pcapng" => (
                "同一次对话，从服务器（NAT 之后）看",
                "在 NAT 之后的服务器上抓到的相同报文段：地址和 MSS 不同，序号相同。",
            ),
            "seed-github.pcapng" => (
                "访问 github.com 的 HTTP，服务器先关闭",
                "361 字节的 GET、223 字节的响应，然后由服务器发起的四次挥手。",
            ),
            "three-segment-close.pcapng" => (
                "三段关闭（FIN、FIN+ACK、ACK）",
                "被动关闭方在一个报文段里既确认对方的 FIN，又发送自己的 FIN。",
            ),
            "half-close.pcapng" => (
                "半关闭：第一个 FIN 之后仍有数据",
                "客户端关闭了自己的发送方向；服务器继续发送数据，直到它也关闭。",
            ),
            "simultaneous-open.pcapng" => (
                "同时打开",
                "双方同时发送 SYN：双方都经历 SYN-SENT → SYN-RECEIVED → ESTABLISHED。",
            ),
            "simultaneous-close.pcapng" => (
                "同时关闭",
                "两个 FIN 在途中交错：双方都经历 FIN-WAIT-1 → CLOSING → TIME-WAIT。",
            ),
            "refused.pcapng" => (
                "连接被拒绝",
                "发往未监听端口的 SYN 得到 RST, ACK；客户端重试一次，再次被拒绝。",
            ),
            "rst-abort.pcapng" => (
                "连接中途被复位",
                "已建立的连接被 RST 中止：没有挥手过程，双方立即进入 CLOSED。",
            ),
            "syn-no-answer.pcapng" => (
                "SYN 没有应答",
                "SYN 被重传了三次，依次等待 1、2、4 秒：指数退避，始终没有应答。",
            ),
            "port-reuse.pcapng" => (
                "端口复用",
                "同一个地址/端口对先后被两个连接使用，初始序号不同。",
            ),
            "ipv6.pcapng" => ("IPv6", "一个完整的 IPv6 连接。"),
            "vlan.pcap" => (
                "VLAN 标签（802.1Q、QinQ）",
                "带一层和两层 VLAN 标签的以太网帧。",
            ),
            "linux-cooked.pcap" => (
                "Linux cooked 抓包（SLL）",
                "在 Linux 的 “any” 接口上抓包：用一个伪链路头代替以太网头。",
            ),
            "linux-cooked-v2.pcap" => (
                "Linux cooked 抓包 v2（SLL2）",
                "较新的 “any” 接口头，带接口索引和方向。",
            ),
            "two-interfaces.pcapng" => (
                "两个接口的 pcapng",
                "一个文件里有两个接口，链路类型和时间戳精度各不相同。",
            ),
            "snaplen-truncated.pcap" => (
                "快照长度截断了报文",
                "每帧只保存了前 96 字节；长度仍然来自 IP 头。",
            ),
            "loopback-real.pcap" => (
                "回环接口上的真实内核流量",
                "在 127.0.0.1 上用 tcpdump 抓到的一个真实 Linux 连接。",
            ),
            "lost-segment-fast-retransmit.pcapng" => (
                "丢失报文段、重复确认、快速重传",
                "一个报文段丢失；三个重复确认索要它，发送方立即重传。",
            ),
            "timeout-retransmission.pcapng" => (
                "超时重传",
                "没有收到确认；重传定时器（约 220 毫秒）到期后再次发送该报文段。",
            ),
            "out-of-order.pcapng" => (
                "乱序到达",
                "两个报文段顺序颠倒：先出现空缺和一个重复确认，随后迟到的报文段填上空缺。",
            ),
            "zero-window.pcapng" => (
                "零窗口、探测与窗口更新",
                "接收方缓冲区满了：窗口为 0，一字节探测，然后窗口更新让数据重新流动。",
            ),
            "keep-alive.pcapng" => (
                "空闲连接上的保活",
                "双方用保活探测检查空闲连接，每个探测都得到一个 ACK。",
            ),
            "sack.pcapng" => (
                "选择确认（SACK）",
                "三处空缺；确认报文携带最多三个 SACK 块，只重传缺失的字节。",
            ),
            "spurious-retransmission.pcapng" => (
                "虚假重传",
                "数据已经被确认过却又被重发（确认报文在途中丢失）。",
            ),
            "nanosecond.pcap" => ("纳秒时间戳", "时间精度为纳秒的 pcap 文件。"),
            "big-endian.pcap" => ("大端字节序 pcap", "按大端字节序写成的 pcap 文件。"),
            _ => return None,
        })
    }

    fn sample_pair(&self, first_file_name: &str) -> Option<(&'static str, &'static str)> {
        Some(match first_file_name {
            "seed-handshake-client.pcapng" => (
                "教程的连接，两端一起看：经过 NAT",
                "教程里客户端和服务器的两个抓包合成一张时序图：每个箭头从发出画到到达（去程 18.8 ms，回程 13.9 ms），还有 NAT 改写的地址，以及 MSS 从 1414 和 1460 被调小到 1412。",
            ),
            "two-ends/nat-close-client.pcap" => (
                "真实抓包，经过 NAT 路由器：建立、请求、关闭",
                "在两端同时抓包（网络命名空间，去程 20 ms，回程 35 ms）：NAT 把 10.0.1.2 改写为 198.51.100.1，路由器把 MSS 调小到 1400，并把 TTL 减一。",
            ),
            "two-ends/nat-loss-client.pcap" => (
                "真实抓包：每个方向各丢一个报文段，以及它的重传",
                "客户端和服务器各有一个数据报文段没有到达：箭头停在半路，随后是接收方带 SACK 块的重复确认，重传的报文段到达了另一端。",
            ),
            "two-ends/nat-rst-client.pcap" => (
                "真实抓包：服务器复位连接",
                "服务器用 RST 回应请求（SO_LINGER 0）：看到它离开服务器，35 ms 后到达客户端。",
            ),
            _ => return None,
        })
    }

    fn connection_title(&self, stream: u32, left: &str, right: &str) -> String {
        format!("连接 {stream}：{left} ⇄ {right}")
    }
    fn no_connection(&self, stream: u32) -> String {
        format!("没有连接 {stream}")
    }
    fn states_note(&self) -> &'static str {
        "状态是根据抓包点看到的报文段推断出来的，并假定每个报文段都在被抓到的那一刻发送和接收：离抓包点较远的一端，实际改变状态的时刻会比图中略早或略晚。"
    }
    fn note_roles_unknown(&self) -> &'static str {
        "没有抓到 SYN 或 SYN+ACK：无法判断谁是客户端、谁是服务器（A 发送了抓到的第一个报文）。"
    }
    fn note_mid_connection(&self) -> &'static str {
        "抓包从连接中途开始：假定双方一开始都处于 ESTABLISHED（已建立连接）。"
    }
    fn collapsed(
        &self,
        data: &str,
        acks: &str,
        bytes: &str,
        duration: &str,
        first_frame: u64,
        last_frame: u64,
    ) -> String {
        let acks = if acks == "0" {
            String::new()
        } else {
            format!("和 {acks} 个 ACK")
        };
        format!(
            "… {data} 个数据报文段{acks}，{bytes}，用时 {duration}（第 {first_frame}–{last_frame} 帧）…"
        )
    }

    fn band_three_way(&self) -> String {
        "三次握手".into()
    }
    fn band_simultaneous_open(&self) -> String {
        "同时打开：双方都发送了 SYN".into()
    }
    fn band_refused(&self) -> String {
        "连接被拒绝（RST）".into()
    }
    fn band_no_answer(&self, syns: u32) -> String {
        format!("无应答：SYN 发送了 {syns} 次")
    }
    fn band_incomplete(&self) -> String {
        "握手未完成".into()
    }
    fn band_already_open(&self) -> String {
        "连接已经建立".into()
    }
    fn band_data(
        &self,
        client: &str,
        server: &str,
        client_bytes: &str,
        server_bytes: &str,
    ) -> String {
        format!(
            "数据传输：{client} → {server}：{client_bytes}，{server} → {client}：{server_bytes}"
        )
    }
    fn band_four_way(&self, active: &str) -> String {
        format!("四次挥手：{active}先关闭")
    }
    fn band_three_segment(&self, active: &str) -> String {
        format!("三段关闭（FIN、FIN+ACK、ACK）：{active}先关闭")
    }
    fn band_simultaneous_close(&self) -> String {
        "同时关闭：两个 FIN 在途中交错".into()
    }
    fn band_half_close(&self, active: &str, passive: &str) -> String {
        format!("半关闭：{active}先关闭，{passive}继续发送数据")
    }
    fn band_reset(&self, by: &str) -> String {
        format!("复位：{by}中止了连接（RST）")
    }
    fn band_half_closed_at_end(&self, passive: &str, state: &str) -> String {
        format!("半关闭：抓包结束时{passive}仍处于 {state}")
    }
    fn band_still_open(&self) -> String {
        "抓包结束时连接仍然打开".into()
    }

    fn flag_title(&self, flag: Flag) -> &'static str {
        match flag {
            Flag::Retransmission => "重传",
            Flag::FastRetransmission => "快速重传",
            Flag::SpuriousRetransmission => "虚假重传",
            Flag::OutOfOrder => "乱序",
            Flag::LostSegment => "前一个报文段未抓到",
            Flag::AckLostSegment => "确认了未抓到的报文段",
            Flag::DuplicateAck => "重复确认",
            Flag::ZeroWindow => "零窗口",
            Flag::ZeroWindowProbe => "零窗口探测",
            Flag::ZeroWindowProbeAck => "零窗口探测的确认",
            Flag::WindowFull => "窗口已满",
            Flag::WindowUpdate => "窗口更新",
            Flag::KeepAlive => "保活探测",
            Flag::KeepAliveAck => "保活确认",
            Flag::ReusedPorts => "端口复用",
        }
    }
    fn flag_meaning(&self, flag: Flag) -> &'static str {
        match flag {
            Flag::Retransmission => {
                "这个报文段重复了已经发送过的序号（数据、SYN 或 FIN）：没有及时收到确认，发送方于是重新发送。"
            }
            Flag::FastRetransmission => {
                "重复确认正好索要这些字节，发送方不等重传定时器超时就立即重发（快速重传，RFC 5681）。"
            }
            Flag::SpuriousRetransmission => {
                "接收方早已确认了这些字节，却又重发了一次：这次重传是不必要的。"
            }
            Flag::OutOfOrder => {
                "它在序号更大的报文段之后到达，且间隔太短，不像是重传：网络打乱了报文段的顺序。"
            }
            Flag::LostSegment => {
                "这个报文段之前有空缺：有些字节发送了，但抓包点没有看到（丢失或未抓到）。"
            }
            Flag::AckLostSegment => {
                "它确认的字节在抓包中从未出现过：这些字节经过抓包点时没有被抓到。"
            }
            Flag::DuplicateAck => {
                "又一次同样的确认，没有新内容：接收方仍在等待同一个字节，通常是因为缺了一个报文段。"
            }
            Flag::ZeroWindow => "接收方通告的窗口为 0：它的缓冲区满了，发送方必须停止发送。",
            Flag::ZeroWindowProbe => {
                "向零窗口发送的探测，询问窗口是否已重新打开：一个新字节（Windows、RFC 9293）。Linux 用 SND.NXT − 1 且不带数据的报文段探测，Wireshark 把它标为保活探测。"
            }
            Flag::ZeroWindowProbeAck => "接收方回应零窗口探测：窗口仍然关闭。",
            Flag::WindowFull => "这个报文段正好填满接收方通告的窗口：发送方现在必须等待确认。",
            Flag::WindowUpdate => {
                "没有确认新数据，只是窗口变了：接收方告诉发送方现在可以发送多少（Wireshark 对非零窗口的任何变化都会标记，而不只是变大）。"
            }
            Flag::KeepAlive => {
                "保活探测：序号比下一个字节小 1（SND.NXT − 1），带 0 或 1 个字节，对方必须用 ACK 回应；在空闲连接上发送，用来检查对方是否还在。"
            }
            Flag::KeepAliveAck => "保活确认：对保活探测的回应，对方还在。",
            Flag::ReusedPorts => "在一个先前连接用过的地址/端口对上建立的新连接。",
        }
    }
    fn mark_duplicate_ack(&self, number: u32, frame: u64) -> String {
        format!("第 {frame} 帧的第 {number} 次重复确认")
    }
    fn mark_retransmission(&self, kind: &str, frame: u64) -> String {
        format!("{kind}（第 {frame} 帧的数据）")
    }

    fn explain_refused(&self, me: &str, peer: &str, port: u16, with_ack: bool) -> String {
        format!(
            "{me}拒绝了连接：端口 {port} 上没有程序接受连接，所以它的 TCP 用复位报文（RST{}）回应 SYN。{peer}的 connect() 失败，报告“connection refused”（连接被拒绝）。",
            if with_ack { ", ACK" } else { "" }
        )
    }
    fn explain_reset(&self, me: &str, peer: &str) -> String {
        format!(
            "{me}复位了连接（RST）：连接被立即中止，没有正常的挥手过程，尚未交付的数据会丢失。图中{me}在发出 RST 时即进入 CLOSED（这是 RFC 9293 §3.10.5 的 ABORT，Linux 也是如此），{peer}在收到 RST 时进入 CLOSED（§3.10.7.4）。"
        )
    }
    fn explain_syn_again(&self, me: &str, isn: u32) -> String {
        format!(
            "{me}用同一个 ISN（{isn}）再次发送 SYN：没有及时收到 SYN+ACK，TCP 于是超时重传，每次等待的时间大约翻倍（指数退避）。"
        )
    }
    fn explain_syn(&self, me: &str, isn: u32, simultaneous: bool) -> String {
        let step = if simultaneous {
            "同时打开："
        } else {
            "三次握手第 1 步："
        };
        format!(
            "{step}{me}请求建立连接（SYN），并告知自己的初始序号（ISN）{isn}。相对序号从这个 ISN 开始计数，所以这个 SYN 的 seq 是 0，第一个数据字节的 seq 是 1。"
        )
    }
    fn explain_syn_ack_unseen(&self, me: &str, ack: Number, isn: u32) -> String {
        format!(
            "{me}回应一个没有被抓到的 SYN（SYN, ACK）：ack 为 {}，即它期待的下一个序号，并发送自己的 ISN {isn}。",
            raw_with_relative(ack)
        )
    }
    fn explain_syn_ack_simultaneous(
        &self,
        me: &str,
        peer: &str,
        acked: Number,
        isn: u32,
    ) -> String {
        format!(
            "同时打开：{me}确认{peer}的 SYN（ack = ISN + 1 = {}，即它期待的下一个序号），并以同一个 ISN {isn} 重复自己的 SYN。",
            raw_with_relative(acked)
        )
    }
    fn explain_syn_ack(&self, me: &str, peer: &str, acked: Number, isn: u32) -> String {
        format!(
            "三次握手第 2 步：{me}确认{peer}的 SYN（ack = ISN + 1 = {}，即它期待的下一个序号），并发送自己的 ISN {isn}。",
            raw_with_relative(acked)
        )
    }
    fn explain_handshake_ack(&self, me: &str, peer: &str, acked: Number) -> String {
        format!(
            "三次握手第 3 步：{me}确认{peer}的 SYN（ack = ISN + 1 = {}，即它期待的下一个序号）。现在连接在两个方向上都已建立。",
            raw_with_relative(acked)
        )
    }
    fn explain_data(
        &self,
        me: &str,
        len: u32,
        (first, last): (u32, u32),
        seq: Number,
        next: Option<Number>,
    ) -> String {
        let next = match next {
            Some(next) => format!("；它的下一个新字节是 seq {next}"),
            None => String::new(),
        };
        let which = if first == last {
            format!("第 {first} 个字节")
        } else {
            format!("第 {first} 到第 {last} 个字节")
        };
        format!("{me}发送 {len} 字节数据：它的字节流中{which}（seq {seq}{next}）。")
    }
    fn explain_acks_fin(
        &self,
        (me, peer): (&str, &str),
        ack: Number,
        step: Option<(CloseStep, u8)>,
        with_fin: bool,
    ) -> String {
        let what = match step {
            Some((CloseStep::FourWay, n)) => format!("四次挥手第 {n} 步：{me}"),
            Some((CloseStep::ThreeSegment, n)) => format!("三段关闭第 {n} 步：{me}"),
            Some((CloseStep::Simultaneous, _)) => format!("同时关闭：{me}"),
            Some((CloseStep::Other, _)) | None if with_fin => "它".to_string(),
            Some((CloseStep::Other, _)) | None => me.to_string(),
        };
        format!(
            "{what}确认了{peer}的 FIN：ack {ack} 等于 FIN 的序号 + 1（FIN 占用一个序号，但不携带数据）。"
        )
    }
    fn explain_acks_data(&self, me: &str, ack: Number) -> String {
        let n = ack.relative;
        format!(
            "{me}确认了新数据：ack {} 的意思是“第 {n} 个字节之前的数据我都收到了，下一个请发第 {n} 个字节”。",
            shown_with_relative(ack)
        )
    }
    fn explain_also_acks(&self, peer: &str, ack: Number) -> String {
        format!(
            "它同时确认了{peer}在第 {} 个字节之前发送的全部数据{}。",
            ack.relative,
            if ack.absolute {
                format!("（ack {}）", ack.raw)
            } else {
                String::new()
            }
        )
    }
    fn explain_other(&self, me: &str, flags: &str) -> String {
        format!("{me}发送的报文段，标志位为 {flags}。")
    }
    fn explain_fin_again(&self, me: &str) -> String {
        format!("{me}再次发送 FIN：之前的 FIN 没有及时得到确认（超时重传）。")
    }
    fn explain_first_fin(&self, me: &str, peer: &str, kind: CloseStep, fin_seq: Number) -> String {
        let what = match kind {
            CloseStep::ThreeSegment => "三段关闭第 1 步",
            CloseStep::Simultaneous => "同时关闭",
            CloseStep::FourWay => "四次挥手第 1 步",
            CloseStep::Other => "关闭",
        };
        format!(
            "{what}：{me}没有更多数据要发送，关闭了自己的发送方向（FIN），但仍然可以接收。FIN 占用一个序号（{fin_seq}），但不携带数据，所以{peer}会用 {} 来确认它。",
            fin_seq.plus(1)
        )
    }
    fn explain_second_fin(&self, me: &str, kind: CloseStep, fin_seq: Number) -> String {
        let what = match kind {
            CloseStep::ThreeSegment => "三段关闭第 2 步：",
            CloseStep::FourWay => "四次挥手第 3 步：",
            CloseStep::Simultaneous => "同时关闭：",
            CloseStep::Other => "",
        };
        format!(
            "{what}{me}的应用程序调用了 close()，它也关闭了自己的发送方向（FIN，seq {fin_seq}）。"
        )
    }
    fn explain_options(&self, parts: &[String]) -> String {
        format!("它通过 TCP 选项告知对方：{}。", parts.join("、"))
    }
    fn option_mss(&self, mss: u16) -> String {
        format!("MSS 为 {mss} 字节（它在一个报文段中能接收的最大载荷）")
    }
    fn option_window_scale(&self, factor: u64) -> String {
        format!("窗口扩大 ×{factor}（只有双方都提供时才生效，而且从不用于 SYN 本身的窗口）")
    }
    fn option_sack(&self) -> String {
        "支持选择确认（SACK）".into()
    }
    fn option_timestamps(&self) -> String {
        "支持时间戳".into()
    }
    fn explain_state_change(&self, who: &str, chain: &str, why: &str) -> String {
        format!("{who}：{chain}，因为{why}。")
    }
    fn explain_then(&self) -> &'static str {
        "，然后"
    }
    fn explain_end_half_closed(
        &self,
        active: &str,
        active_state: &str,
        passive: &str,
        passive_state: &str,
    ) -> String {
        format!(
            "这是抓到的最后一个报文：{active}停留在 {active_state}（它已关闭，正在等待对方的 FIN），{passive}停留在 {passive_state}（它收到了 FIN，但应用程序还没有关闭）。这是一个半关闭的连接：此时在两台主机上运行 netstat -tn（或 ss -tn），会看到它分别处于这两个状态。"
        )
    }
    fn explain_end_still_open(&self) -> String {
        "这是抓到的最后一个报文：连接仍然打开。".into()
    }
    fn explain_end_time_wait(&self, waiter: &str, other: Option<&str>) -> String {
        let who = match other {
            Some(other) => format!("{waiter}和{other}现在都"),
            None => format!("{waiter}现在"),
        };
        format!(
            "{who}在 TIME-WAIT（时间等待）中等待两倍的最长报文段寿命（RFC 9293 规定 MSL 为 2 分钟，即共 4 分钟；Linux 固定等待 60 秒）。TIME-WAIT 有两个作用：如果最后的 ACK 丢失，对方会重发 FIN，这时仍能应答；并让这个连接的旧的重复报文段在同一地址/端口对被再次使用之前从网络中消失。"
        )
    }

    fn band_never_opened(&self) -> String {
        "从未建立：没有任何 SYN 得到应答".into()
    }
    fn explain_end_never_opened(&self, me: &str) -> String {
        format!(
            "这是抓到的最后一个报文：没有任何 SYN 得到应答，所以连接从未建立（并不是“仍然打开”）。{me}的 connect() 最终会因超时而失败（Linux 默认再重传 SYN 6 次，约 127 秒后放弃）。"
        )
    }
    fn explain_reset_stray(&self, me: &str, peer: &str) -> String {
        format!(
            "{me}回应了一个复位报文（RST），但它并没有中止任何连接：{me}已经没有这个连接了，而 TCP 对发往不存在的连接的任何报文段都回应 RST（RFC 9293 §3.10.7.1）。{peer}的那个报文段是一个迷途报文段。"
        )
    }
    fn explain_sent_before_rst(&self, me: &str, peer: &str) -> String {
        format!(
            "{me}在{peer}的 RST 到达之前就发出了这个报文段：两者在途中交错。图中的状态按 RST 在被抓到的时刻到达来画；对已经没有这个连接的{peer}来说，这个报文段是一个迷途报文段。"
        )
    }
    fn explain_missed_packet(&self, me: &str, state: &str) -> String {
        format!(
            "{me}发送了 FIN，但根据抓到的报文，它仍处于 {state}，而在这个状态下不能发送 FIN（RFC 9293：在 SYN-SENT 中 CLOSE 只会删除连接）。一定有一个使它进入后续状态的报文没有被抓到，所以它的状态保持不变。"
        )
    }
    fn explain_acks_nothing_new(&self, me: &str, ack: Number) -> String {
        format!(
            "{me}的 ACK 没有确认任何新数据：ack {} 之前已经确认过；它仍在等待第 {} 个字节。",
            shown_with_relative(ack),
            ack.relative
        )
    }
    fn explain_sack(&self, blocks: &[(Number, Number)], dsack: bool) -> String {
        let list: Vec<String> = blocks.iter().map(|(l, r)| format!("{l}–{r}")).collect();
        let mut out = format!(
            "它携带 SACK 块 {}：每个块是接收方在 ACK 之外已经收到的一段字节（左边界是这段的第一个字节，右边界是最后一个字节的下一个），因此发送方只需重传空缺部分。",
            list.join("、")
        );
        if dsack {
            out.push_str("第一个块位于 ACK 之下：这是 D-SACK（RFC 2883），报告重复收到的字节。");
        }
        out
    }
    fn explain_noticed(&self, me: &str, peer: &str, noticed: Noticed) -> String {
        let of = |frame: Option<u64>| {
            frame
                .map(|f| format!("（重复第 {f} 帧）"))
                .unwrap_or_default()
        };
        match noticed {
            Noticed::Retransmission { kind, of: frame, resent } => match resent {
                Resent::Data => {
                    let why = match kind {
                        Flag::FastRetransmission => format!(
                            "重复确认正好索要这些字节，{me}不等重传定时器超时就立即重发（快速重传，RFC 5681）"
                        ),
                        Flag::SpuriousRetransmission => {
                            format!("{peer}早已确认了这些字节，这次重发是不必要的")
                        }
                        _ => format!(
                            "没有及时收到确认，{me}的重传定时器超时后再次发送（超时重传，RFC 6298）"
                        ),
                    };
                    format!(
                        "{}{}：这些序号之前已经发送过；{why}。",
                        self.flag_title(kind),
                        of(frame)
                    )
                }
                Resent::Syn => format!(
                    "Wireshark 把这个 SYN 标为重传{}，因为它重复了 SYN 的序号；重发的 SYN 不携带数据字节。",
                    of(frame)
                ),
                Resent::SimultaneousSynAck => format!(
                    "Wireshark 把这个 SYN, ACK 标为重传{}，因为它重复了{me}的 SYN 的序号。这不是超时：在同时打开中，每一方都用一个重复自己 ISN 的 SYN, ACK 来回应对方的 SYN。",
                    of(frame)
                ),
                Resent::SynAck => format!(
                    "{}{}：{me}以相同的序号（它的 ISN）再次发送 SYN, ACK；它不携带数据字节。",
                    self.flag_title(kind),
                    of(frame)
                ),
                Resent::Fin => format!(
                    "{}{}：{me}重复了它的 FIN 的序号；FIN 不携带数据。",
                    self.flag_title(kind),
                    of(frame)
                ),
            },
            Noticed::OutOfOrder => "乱序：它在序号更大的报文段之后到达，且间隔太短，不像是重传：网络打乱了报文段的顺序。".into(),
            Noticed::LostSegment => format!(
                "前一个报文段未抓到：在这个报文段之前，{me}的序号有一段空缺；这些字节丢失了，或者经过抓包点时没有被抓到。"
            ),
            Noticed::AckLostSegment => format!(
                "确认了未抓到的报文段：它确认的字节在抓包中从未看到{peer}发送过；这些字节经过抓包点时没有被抓到。"
            ),
            Noticed::DuplicateAck { number, of, ack } => format!(
                "第 {of} 帧的第 {number} 次重复确认：又一次同样的 ack {}，没有任何新内容；{me}仍在等待第 {} 个字节，通常是因为缺了一个报文段。三个重复确认会让{peer}立即重传（快速重传）。",
                shown_with_relative(ack),
                ack.relative
            ),
            Noticed::ZeroWindow => format!(
                "零窗口：{me}通告的窗口为 0，它的接收缓冲区满了，{peer}必须停止发送新数据，直到窗口重新打开。"
            ),
            Noticed::ZeroWindowProbe { linux: false } => format!(
                "零窗口探测：{me}向{peer}的零窗口发送一个新字节，询问窗口是否已重新打开（这是一字节形式的探测，Windows 和 RFC 9293 §3.8.6.1 都这样发送）。"
            ),
            Noticed::ZeroWindowProbe { linux: true } => format!(
                "零窗口探测：{peer}的窗口为 0，{me}询问它是否已重新打开。它用 Linux 的方式探测：序号比下一个字节小 1（SND.NXT − 1），不带新数据；这正是保活探测的形式，所以 Wireshark 把它称为保活探测。另一种形式（Windows、RFC）发送一个新字节。"
            ),
            Noticed::ZeroWindowProbeAck { linux } => format!(
                "{me}回应零窗口探测：它的窗口仍然为 0。{}",
                if linux {
                    "（Wireshark 把那个探测当作保活探测，所以不把这个回应称为零窗口探测的确认。）"
                } else {
                    ""
                }
            ),
            Noticed::WindowFull => format!(
                "窗口已满：这个报文段正好填满{peer}通告的窗口；{me}现在必须等待确认，才能继续发送。"
            ),
            Noticed::WindowUpdate => format!(
                "窗口更新：没有确认任何新数据，只是窗口变了；{me}告诉{peer}现在可以发送多少（Wireshark 对非零窗口的任何变化都会标记，而不只是变大）。"
            ),
            Noticed::KeepAlive { seq } => format!(
                "保活探测：{me}发送 seq {seq}，比它的下一个字节小 1（SND.NXT − 1），带 0 或 1 个旧数据字节，因此{peer}必须用 ACK 回应；在空闲连接上，这用来检查{peer}是否还在。"
            ),
            Noticed::KeepAliveAck => format!(
                "保活确认：{me}确认它期待的下一个字节，以此回应保活探测：它还在。"
            ),
            Noticed::ReusedPorts => "端口复用：抓包中先前的一个连接用过相同的地址和端口；这个带有新 ISN 的 SYN 开始了一个新连接。".into(),
        }
    }
}

/// "734888646（相对确认号 1）" with relative numbers, "734888646" with raw ones.
fn raw_with_relative(n: Number) -> String {
    if n.absolute {
        n.raw.to_string()
    } else {
        format!("{}（相对确认号 {}）", n.raw, n.relative)
    }
}

/// "11" with relative numbers, "1632166157（相对值 11）" with raw ones.
fn shown_with_relative(n: Number) -> String {
    if n.absolute {
        format!("{}（相对值 {}）", n.raw, n.relative)
    } else {
        n.relative.to_string()
    }
}

/// 简体中文界面。
pub static UI: super::ui::UiTexts = super::ui::UiTexts {
    menu_file: "文件",
    menu_view: "视图",
    menu_samples: "示例",
    menu_help: "帮助",
    menu_language: "语言",
    open: "打开…",
    open_recent: "最近打开",
    no_recent: "没有最近打开的文件",
    clear_recent: "清除最近打开记录",
    quit: "退出",
    relative_seq: "相对序号",
    absolute_seq: "绝对（原始）序号",
    time_prefix: "时间：",
    connections_panel: "连接面板",
    details_panel: "详情面板",
    light_theme: "浅色主题",
    dark_theme: "深色主题",
    zoom_in: "放大",
    zoom_out: "缩小",
    actual_size: "实际大小",
    samples_intro: "应用内置的教学抓包文件",
    opens_first: "（启动时打开）",
    keys: "快捷键",
    key_help: super::ui::KeyHelp {
        select_previous: "上一个报文",
        select_next: "下一个报文",
        select_first: "第一个报文",
        select_last: "最后一个报文",
        toggle_absolute: "相对 ⇄ 绝对序号",
        zoom_in: "放大",
        zoom_out: "缩小",
        actual_size: "实际大小",
        wheel_zoom: "缩放",
        open: "打开抓包文件",
        step_mode: "打开 / 关闭单步模式",
        step_forward: "单步模式：下一个报文（空格也可打开单步模式）",
        step_back: "单步模式：上一个报文",
        step_to_start: "单步模式：回到开头",
        step_to_end: "单步模式：显示全部报文",
        presentation: "演示模式",
        leave_presentation: "退出演示模式",
        full_screen: "全屏",
        export: "导出时序图",
        space: "空格",
        ctrl_wheel: "Ctrl + 滚轮",
        with_key: "{}（{}）",
    },
    status_counts: |frames, packets, connections, took| {
        format!("· {frames} 帧 · {packets} 个 TCP 报文 · {connections} 个连接 · 加载用时 {took}")
    },
    warnings: |n| format!("{n} 条警告"),
    drop_hint: "把 pcap 或 pcapng 文件（也可以是 .gz）拖到窗口任意位置即可打开。",
    open_hint: "打开 pcap 或 pcapng 抓包文件",
    numbers: "序号：",
    relative: "相对",
    relative_hint: "从每一方的第一个序号（ISN = 0）开始计数，与 Wireshark 相同。按 A 键切换。",
    absolute: "绝对",
    absolute_hint: "线路上原始的 32 位序号，与 tcpdump -S 相同。按 A 键切换。",
    time: "时间：",
    time_relative: "相对",
    time_absolute: "时刻",
    time_delta: "间隔",
    time_relative_hint: "距抓包第一个报文的秒数",
    time_absolute_hint: "当天的时钟时间",
    time_delta_hint: "距本连接上一个报文的秒数",
    collapse_runs: "折叠连续段",
    collapse_runs_hint: "把一长串数据报文段重新折叠成一行",
    overview_name: "整个连接的概览：各阶段、标记（刻度）和当前可见的部分。点击或拖动可跳转；PgUp/PgDn 或 Shift+滚轮每次移动一屏",
    zoom: "缩放：",
    connections: "连接",
    details: "详情",
    what_this_packet_does: "这个报文做了什么",
    note: "备注",
    header_fields: "头部字段",
    bytes: "字节",
    analysis_noticed: "TCP 分析发现的情况",
    marks: "标记：",
    marks_hint: "Wireshark 的 TCP 分析发现的情况，用彩色箭头和标签表示。点击带标记的箭头，详情面板会加以解释。",
    hide_legend_hint: "隐藏图例（视图 > 标记图例可重新显示）",
    select_in_ladder: "在时序图中选中该报文",
    step: "单步",
    first: "第一个",
    previous: "上一个报文",
    next: "下一个报文",
    last: "最后一个",
    first_hint: "回到开头（Home）",
    previous_hint: "再次隐藏最新的报文（←）",
    next_hint: "显示下一个报文（→ 或空格）",
    last_hint: "显示全部报文（End）",
    nothing_yet: "还没有发送任何报文。",
    starts_in: "初始状态为",
    press_next: "按 → 或空格发送第一个报文。",
    collapsed_step: "一串连续的数据报文段，显示为一行。",
    details_hint: "点击一个箭头（或按 ↓），查看这个报文做了什么、它的头部字段和字节。",
    bytes_unreadable: "无法从文件中再次读取该帧的字节。",
    packet_number: "报文 #",
    filter: "筛选",
    filter_hint: "只显示地址、端口、状态（SF、REJ…）或建立/关闭方式包含此处输入的全部词语的连接",
    clear_filter: "清除筛选",
    sort_packets: "报文",
    sort_bytes: "字节",
    sort_time: "时长",
    sort_state: "状态",
    sort_by: "排序：",
    no_capture_open: "没有打开抓包文件。",
    no_tcp_connections: "这个抓包文件中没有 TCP 连接。",
    no_filter_match: "没有连接符合筛选条件。",
    nothing_to_draw: "这个抓包文件中没有可绘制的 TCP 连接。",
    open_or_pick: "打开一个抓包文件（文件 > 打开，或拖放到这里），或从“示例”菜单中选择一个。",
    open_dialog_title: "打开抓包文件",
    captures_filter: "抓包文件（pcap、pcapng、cap、gz）",
    all_files: "所有文件",
    dismiss: "关闭",
    dismiss_hint: "隐藏这条消息",
    cancelling: "正在取消",
    loading: "正在加载",
    cancel: "取消",
    cancel_hint: "停止加载；已打开的抓包文件保持打开",
    status_no_capture: "没有打开抓包文件。请使用“文件 > 打开”、把文件拖到这里，或从“示例”中选择一个。",
    cls_step: "单步",
    cls_step_hint: "单步模式：一次显示一个报文，逐步展开连接",
    cls_previous: "上一个报文",
    cls_next: "下一个报文",
    cls_present: "演示",
    cls_present_hint: "投影演示模式：大字号、高对比度、全屏",
    cls_export: "导出…",
    cls_export_hint: "把这张时序图保存为 SVG、PNG 或文本",
    cls_copy_text: "以文本形式复制时序图",
    cls_copy_lines: "复制 tcpdump 行",
    cls_step_mode: "单步模式",
    cls_presentation: "演示模式",
    cls_full_screen: "全屏",
    cls_diagram: "状态图（RFC 9293）",
    cls_animate: "单步模式下箭头带动画",
    cls_diagram_window: "TCP 状态（RFC 9293）",
    cls_diagram_heading: "所选报文之后每个端点的状态",
    cls_leave_presentation: "退出演示",
    graphs_window: "流图表",
    follow_window: "追踪流",
    window_connection: "连接",
    legend_hover: "这个连接中彩色箭头和标签的含义",
    legend_hover_none: "当连接带有分析标记时显示（这个连接没有）",
    graphs_menu_hint: "这个连接的时间–序号、吞吐量、往返时间和窗口大小",
    follow_menu_hint: "把双方各自发送的字节重新拼接起来",
    marks_legend: "标记图例",
    graphs: "图表",
    graphs_hint: "这个连接的流图表：时间–序号、吞吐量、往返时间、窗口大小",
    follow_hint: "把双方各自发送的字节重新拼接起来（类似 Wireshark 的“追踪 TCP 流”）",
    graph_time_sequence: "时间–序号",
    graph_throughput: "吞吐量",
    graph_round_trip: "往返时间",
    graph_window: "窗口大小",
    sd_title: "TCP 状态\nRFC 9293",
    sd_state: "状态",
    sd_current_for: "，{}当前处于此状态",
    sd_and: "和",
    sd_after_close: "（连接结束后）",
    sd_before_open: "（连接建立前）",
    sd_leaves_by: "离开方式：",
    sd_steps_at_once: "（同一报文段中的第 {} 步，共 {} 步）",
    sd_end: "结束",
    role_first_carried: "最先携带这些字节的帧",
    role_repeats: "这个 ACK 所重复的那个 ACK",
    go_to_frame: "→ 转到帧",
    frame: "帧",
    not_in_connection: "不属于这个连接。",
    hide_legend: "隐藏标记图例",
    frame_time: "帧 / 时间",
    now: "当前",
    initial_assumed: "初始状态是假定的：抓包中看不出这个端点是如何进入该状态的。",
    initial_state_hint: "抓到第一个报文之前的状态。",
    expand_run_hint: "点击显示这一串中的每个报文段",
    filter_placeholder: "地址、端口、状态…",
    detail_time: "时间",
    pkts: "个报文",
    under_1_ms: "不到 1 ms",
    not_shown: "未显示：",
    summary_heading: "连接 {} 概况",
    conn_state_hint: "Zeek 的 conn_state：连接如何开始、如何结束。",
    opened: "建立：",
    closed: "关闭：",
    rtt_not_measured: "未测得（没有完整的握手）",
    handshake_rtt: "握手 RTT：",
    duration: "持续时间：",
    handshake_rtt_hint: "握手 RTT：在抓包点看到的、从客户端的 SYN 到完成握手的 ACK 之间的时间。",
    packets_of_data: "{} 个报文，{} 数据",
    payload_bytes: "{} 字节 TCP 载荷",
    first_at: "首次：#",
    go_to_first: "转到第一个“{}”，帧 {}",
    fast: "快速",
    spurious: "虚假",
    two_interfaces: "每个包都被抓到两次（同时在两个接口上抓包）：后一份副本记为重传",
    after_frame: "{}，帧 {} 之后：",
    follow_client: "客户端",
    follow_server: "服务器",
    follow_to_server: "服务器",
    follow_to_client: "客户端",
    follow_heading: "{} {} → {}：{} 字节",
    follow_heading_missing: "（抓包中缺少 {} 字节）",
    follow_gap: "[抓包中缺少 {} 字节]",
    follow_pick: "请打开抓包文件，并选择要追踪的连接。",
    follow_show_as: "显示为：",
    follow_text: "文本",
    follow_text_hint: "以文本显示字节；不可打印的字节显示为“.”",
    follow_hex: "十六进制",
    follow_hex_hint: "流中的偏移、十六进制字节，以及这些字节对应的文本",
    follow_click_hint: "点击某一段，即可选中承载它的报文。",
    follow_no_payload: "此连接中双方都没有发送数据（没有载荷）。",
    follow_frame_one: "第 {} 帧",
    follow_frames: "第 {}–{} 帧",
    follow_piece_hint: "{}，从相对序号 {} 开始：点击选中第 {} 帧",
    follow_cut: "……还有 {} 字节未在此显示（可用 `tcp-ladder follow` 全部保存）。",
    drop_to_open: "松开以打开 {}",
    drop_to_open_first: "松开以打开 {}（只打开第一个文件）",
    other_udp: "{} 个 UDP",
    other_icmp: "{} 个 ICMP",
    other_other: "{} 个其他",
    other_damaged: "{} 个损坏的 TCP",
    other_unsupported_link: "{} 帧不支持的链路类型 {}",
    list_sep: "，",
    progress_of: "{} / {}",
    progress_read: "已读取 {}",
    still_open: "{} 仍然打开着。",
    none_open: "没有打开抓包文件。",
    load_cancelled: "已取消加载 {}。",
    could_not_open: "无法打开 {}",
    no_packet_read: "该文件是抓包文件，但其中没有一个报文能够读取。",
    nothing_to_show: "{} 中没有可显示的内容",
    damaged_kept: "{} 已损坏：保留了能够读取的 {} 个完好帧（{} 个 TCP 报文）",
    cut_short_kept: "{} 在读取时被其他程序截短：保留了此前读到的 {} 个帧（{} 个 TCP 报文）",
    no_tcp_title: "{} 中没有 TCP 报文",
    not_decoded_title: "{}：有些帧保留了下来，但无法解码",
    settings_unreadable: "无法读取保存的设置，已使用默认设置",
    about: "打开 pcap/pcapng 抓包文件，把每个 TCP 连接画成一张会讲解的时序图：状态、阶段和确切的数值。",
    settings_unsaved: "无法保存设置，下次启动时将恢复为之前的设置",
    no_tcp_line: "{} 帧，其中没有 TCP{}。",
    paren: "（{}）",
    and_more: "……以及另外 {} 条",
    the_file: "该文件",
    graph_how_time_sequence: "每根竖条是一个报文段，从它的第一个字节画到最后一个字节：阶梯越陡，数据流动得越快。红色竖条是重传。ACK 线在竖条下方紧紧跟随；它上方的窗口线表示接收方允许发送方发送到哪里。",
    graph_how_throughput: "数据传输的速度，单位为字节每秒：圆点按最近 10 个报文段计算，曲线是滑动窗口内的平均值。",
    graph_how_round_trip: "从发送一个报文段到收到覆盖它的 ACK 所用的时间，以抓包位置看到的为准（如果在接收方旁边抓包，这只是接收方的延迟）。重传的报文段不计入（Karn 算法）：无法判断被确认的是哪一份副本。",
    graph_how_window: "接收窗口：接收方还能再接收多少字节（每个 ACK 中都会告知）。在途字节：已发送但尚未确认的字节。两者相遇时，发送方就必须等待。",
    graph_pick: "请打开抓包文件，并选择一个连接来查看它的图表。",
    graph_not_in_capture: "此连接不在抓包文件中。",
    graph_data_sent_by: "数据发送方向：",
    graph_plot_data_hint: "绘制 {} 的数据：{} 字节，共 {} 个报文",
    graph_average_spans: "（这里的移动平均跨度为 {}。）",
    graph_zoom_hint: "{}{}滚动滚轮以指针为中心缩放，拖动可平移；双击可重新查看全部。",
    graph_no_data: "此连接中没有 {} 的数据：请选择另一个方向。",
    graph_segments: "报文段",
    graph_retransmissions: "重传",
    graph_sacks: "SACK 块",
    graph_ack_number: "确认号",
    graph_window_edge: "窗口边缘（ACK + 窗口）",
    graph_per_segment: "逐报文段（最近 10 个）",
    graph_average: "移动平均",
    graph_rtt_point: "已确认报文段的 RTT",
    graph_receive_window: "接收窗口",
    graph_in_flight: "在途字节",
    graph_selected: "选中的报文",
    graph_handshake_rtt: "握手 RTT（{}）",
    graph_y_sequence: "相对序号（字节）",
    graph_y_throughput: "吞吐量（字节/秒）",
    graph_y_round_trip: "往返时间（毫秒）",
    graph_y_bytes: "字节",
    graph_x_time: "自抓包第一帧起的时间（秒）",
    graph_hover_bytes: "字节 {}–{}（{} 字节）",
    graph_hover_point: "{}\n第 {} 帧，{} 秒\n{}\n点击选中它",
    graph_value_byte: "字节 {}",
    graph_value_bytes: "{} 字节",
    dir_client_server: "客户端 → 服务器",
    dir_server_client: "服务器 → 客户端",
    export_dialog_title: "导出时序图",
    export_text_filter: "文本",
    export_saved: "已保存 {}",
    export_could_not_save: "无法保存 {}",
    export_unknown_kind: "请在文件名末尾注明 .svg、.png 或 .txt。",
    export_too_tall: "时序图太长，无法导出为 PNG 图片；请导出为 SVG，或折叠较长的连续数据段。",
    export_copied_ladder: "已将时序图复制为文本",
    export_copied_lines: "已复制 tcpdump 行",
    export_drawing: "正在绘制 {}…",
    export_worker_stopped: "绘制意外中止",
    conn_tooltip: "连接 {}\n{} {}\n{} {}\n状态 {}：{}\n打开：{}\n关闭：{}",
    conn_shown: "显示 {} / {} 个",
    window_title: "{} — tcp-ladder",
    sort_hints: [
        "按流编号（出现顺序）排序",
        "按报文数排序",
        "按载荷字节数排序",
        "按持续时间排序",
        "按连接状态排序",
    ],
    badges: [
        "重传",
        "快速重传",
        "虚假重传",
        "乱序",
        "前有缺失",
        "确认未见段",
        "重复",
        "零窗口",
        "零窗口探测",
        "零窗口探测确认",
        "窗口已满",
        "窗口更新",
        "保活",
        "保活确认",
        "端口重用",
    ],
    badge_duplicate: "重复 #{}",
    first_run_hint: "开始：把抓包文件拖到本窗口，或选择“文件 › 打开…”，或从“示例”中选一个。按空格键逐个包单步查看，按 F5 进入演示模式。",
    first_run_dismiss: "知道了",
    first_run_dismiss_hint: "不再显示此提示",
    graph_no_segments: "此连接中没有数据段：没有可绘制的内容。",
    more_below: "▼ 下面还有",
    conn_final_states: "最终状态：{} {} · {} {}",
};

/// The sentences are written for 客户端 and 服务器 ("{me}没有更多数据"); when the roles are
/// unknown the sides are "A" and "B", and a Latin letter beside a Chinese character takes
/// a space, as everywhere else in the Chinese text ("A 没有更多数据"). Adds that space
/// around a one-letter A or B (not a letter inside a word such as ACK).
fn space_around_letter_roles(text: String) -> String {
    fn ideograph(c: Option<char>) -> bool {
        c.is_some_and(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
    }
    fn in_word(c: Option<char>) -> bool {
        c.is_some_and(|c| c.is_ascii_alphanumeric())
    }
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() + 8);
    for (i, &c) in chars.iter().enumerate() {
        let before = i.checked_sub(1).and_then(|j| chars.get(j).copied());
        let after = chars.get(i + 1).copied();
        let side = matches!(c, 'A' | 'B') && !in_word(before) && !in_word(after);
        if side && ideograph(before) {
            out.push(' ');
        }
        out.push(c);
        if side && ideograph(after) {
            out.push(' ');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::space_around_letter_roles as fix;

    #[test]
    fn letter_roles_get_a_space_beside_chinese_and_nothing_else_does() {
        assert_eq!(fix("A没有更多数据".into()), "A 没有更多数据");
        assert_eq!(fix("所以B会用 2 来确认".into()), "所以 B 会用 2 来确认");
        assert_eq!(fix("A 发送了（A）".into()), "A 发送了（A）");
        assert_eq!(fix("确认ACK和SYN-ACK".into()), "确认ACK和SYN-ACK");
        assert_eq!(fix("客户端发送".into()), "客户端发送");
        assert_eq!(fix("".into()), "");
    }
}

//! 简体中文 (Simplified Chinese). State names keep their RFC spelling, with the Chinese
//! term beside them: "TIME-WAIT（时间等待）".

use super::{CloseStep, Role, Texts};
use crate::flow::{Cause, Flag, TcpState};

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
            TcpState::Closing => "同时关闭",
            TcpState::LastAck => "最后确认",
            TcpState::TimeWait => "时间等待",
        };
        format!("{}（{zh}）", state.rfc_name())
    }
    fn assumed(&self) -> &'static str {
        "（推定）"
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

    fn connection_title(&self, stream: u32, left: &str, right: &str) -> String {
        format!("连接 {stream}：{left} ⇄ {right}")
    }
    fn no_connection(&self, stream: u32) -> String {
        format!("没有连接 {stream}")
    }
    fn states_note(&self) -> &'static str {
        "状态是根据抓包推断的：依据抓包点看到的报文段，每一端当时必然处于的状态。"
    }
    fn note_roles_unknown(&self) -> &'static str {
        "没有抓到 SYN 或 SYN+ACK：无法判断谁是客户端、谁是服务器（A 发送了抓到的第一个报文）。"
    }
    fn note_mid_connection(&self) -> &'static str {
        "抓包从连接中途开始：假定双方一开始都处于 ESTABLISHED（已建立连接）。"
    }
    fn collapsed(&self, segments: &str, bytes: &str, first_frame: u64, last_frame: u64) -> String {
        format!("… {segments} 个数据报文段，{bytes}（第 {first_frame}–{last_frame} 帧）…")
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
            Flag::AckLostSegment => "确认了未看到的报文段",
            Flag::DuplicateAck => "重复确认",
            Flag::ZeroWindow => "零窗口",
            Flag::ZeroWindowProbe => "零窗口探测",
            Flag::ZeroWindowProbeAck => "零窗口探测的确认",
            Flag::WindowFull => "窗口已满",
            Flag::WindowUpdate => "窗口更新",
            Flag::KeepAlive => "保活",
            Flag::KeepAliveAck => "保活的确认",
            Flag::ReusedPorts => "端口复用",
        }
    }
    fn flag_meaning(&self, flag: Flag) -> &'static str {
        match flag {
            Flag::Retransmission => {
                "这个报文段携带的是已经发送过的字节：发送方没有及时收到确认，于是重新发送。"
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
                "它确认了抓包中从未看到发送的字节：这些字节经过抓包点时没有被抓到。"
            }
            Flag::DuplicateAck => {
                "又一次同样的确认，没有新内容：接收方仍在等待同一个字节，通常是因为缺了一个报文段。"
            }
            Flag::ZeroWindow => "接收方通告的窗口为 0：它的缓冲区满了，发送方必须停止发送。",
            Flag::ZeroWindowProbe => "向零窗口发送一个字节，询问窗口是否已重新打开。",
            Flag::ZeroWindowProbeAck => "接收方回应零窗口探测：窗口仍然关闭。",
            Flag::WindowFull => "这个报文段正好填满接收方通告的窗口：发送方现在必须等待确认。",
            Flag::WindowUpdate => "没有新数据，只是窗口变大了：接收方告诉发送方可以继续发送。",
            Flag::KeepAlive => "保活探测：在空闲连接上用一个旧序号发送的探测，检查对方是否还在。",
            Flag::KeepAliveAck => "对保活探测的回应：对方还在。",
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
    fn explain_reset(&self, me: &str) -> String {
        format!(
            "{me}复位了连接（RST）：连接被立即中止，没有正常的挥手过程。尚未交付的数据会丢失，双方都忘掉这个连接。"
        )
    }
    fn explain_syn_again(&self, me: &str, isn: u32) -> String {
        format!(
            "{me}用同一个 ISN（{isn}）再次发送 SYN：没有及时收到 SYN+ACK，TCP 于是重传，每次等待的时间大约翻倍（指数退避）。"
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
    fn explain_syn_ack_unseen(&self, me: &str, ack: u32, isn: u32) -> String {
        format!(
            "{me}回应一个没有被抓到的 SYN（SYN, ACK）：确认号为 {ack}，并发送自己的 ISN {isn}。"
        )
    }
    fn explain_syn_ack_simultaneous(&self, me: &str, peer: &str, acked: u32, isn: u32) -> String {
        format!("同时打开：{me}确认{peer}的 ISN + 1 = {acked}，并重复自己的 ISN {isn}。")
    }
    fn explain_syn_ack(&self, me: &str, peer: &str, acked: u32, isn: u32) -> String {
        format!("三次握手第 2 步：{me}确认{peer}的 ISN + 1 = {acked}，并发送自己的 ISN {isn}。")
    }
    fn explain_handshake_ack(&self, me: &str, peer: &str, acked: u32) -> String {
        format!(
            "三次握手第 3 步：{me}确认{peer}的 ISN + 1 = {acked}。现在连接在两个方向上都已建立。"
        )
    }
    fn explain_data(&self, me: &str, len: u32, first: u32, last: u32, next: u32) -> String {
        format!(
            "{me}发送 {len} 字节数据：它的字节流中第 {first} 到第 {last} 个字节（seq {first}；下一个报文段将从 {next} 开始）。"
        )
    }
    fn explain_acks_fin(&self, peer: &str, ack: u32) -> String {
        format!("它确认了{peer}的 FIN：ack {ack} 等于 FIN 的序号 + 1（FIN 占用一个序号）。")
    }
    fn explain_acks_data(&self, me: &str, ack: u32) -> String {
        format!(
            "{me}确认数据：ack {ack} 的意思是“第 {ack} 个字节之前的数据我都收到了，下一个请发第 {ack} 个字节”。"
        )
    }
    fn explain_also_acks(&self, peer: &str, ack: u32) -> String {
        format!("它同时确认了{peer}在第 {ack} 个字节之前发送的全部数据。")
    }
    fn explain_other(&self, me: &str, flags: &str) -> String {
        format!("{me}发送的报文段，标志位为 {flags}。")
    }
    fn explain_fin_again(&self, me: &str) -> String {
        format!("{me}再次发送 FIN：之前的 FIN 没有及时得到确认（重传）。")
    }
    fn explain_first_fin(&self, me: &str, peer: &str, kind: CloseStep, fin_seq: u32) -> String {
        let what = match kind {
            CloseStep::ThreeSegment => "三段关闭第 1 步",
            CloseStep::Simultaneous => "同时关闭",
            CloseStep::FourWay => "四次挥手第 1 步",
            CloseStep::Other => "关闭",
        };
        format!(
            "{what}：{me}没有更多数据要发送，关闭自己的发送方向（FIN），但仍然可以接收。FIN 占用一个序号（{fin_seq}），所以{peer}会用 {} 来确认它。",
            fin_seq.wrapping_add(1)
        )
    }
    fn explain_second_fin(&self, me: &str, kind: CloseStep, fin_seq: u32) -> String {
        let what = match kind {
            CloseStep::ThreeSegment => "三段关闭第 2 步：",
            CloseStep::FourWay => "四次挥手第 3 步：",
            CloseStep::Simultaneous => "同时关闭：",
            CloseStep::Other => "",
        };
        format!("{what}{me}的应用程序调用了 close()，它也关闭自己的方向（FIN，seq {fin_seq}）。")
    }
    fn explain_options(&self, parts: &[String]) -> String {
        format!("它提供了{}。", parts.join("、"))
    }
    fn option_mss(&self, mss: u16) -> String {
        format!("最大报文段长度 {mss} 字节（MSS）")
    }
    fn option_window_scale(&self, factor: u64) -> String {
        format!("窗口扩大 ×{factor}")
    }
    fn option_sack(&self) -> String {
        "选择确认（SACK）".into()
    }
    fn option_timestamps(&self) -> String {
        "时间戳".into()
    }
    fn explain_state_change(&self, who: &str, chain: &str, why: &str) -> String {
        format!("{who}：{chain}（{why}）。")
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
            "这是抓到的最后一个报文：{active}停留在 {active_state}（它已关闭，正在等待对方的 FIN），{passive}停留在 {passive_state}（它收到了 FIN，但应用程序还没有关闭）。这正是 netstat 那一课所展示的半关闭连接。"
        )
    }
    fn explain_end_still_open(&self) -> String {
        "这是抓到的最后一个报文：连接仍然打开。".into()
    }
    fn explain_end_time_wait(&self, waiter: &str) -> String {
        format!(
            "{waiter}现在在 TIME-WAIT（时间等待）中等待两倍的最长报文段寿命（Linux 上为 60 秒），以防最后的 ACK 丢失、对方重发 FIN。"
        )
    }
}

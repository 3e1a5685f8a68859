//! The header tree's field names in Chinese. Wireshark's English name stays first (it is
//! what a student searches for and what the lab sheet prints) with the Chinese term
//! beside it, as the state names are shown: "Window（窗口）".

use super::Lang;

/// Wireshark's field name → its usual Chinese term.
const ZH: &[(&str, &str)] = &[
    ("Frame", "帧"),
    ("Arrival time", "到达时间"),
    ("Epoch time", "纪元时间"),
    ("Frame length", "帧长度"),
    ("Capture length", "捕获长度"),
    ("Interface index", "接口序号"),
    ("Link layer", "链路层"),
    ("Link type", "链路类型"),
    ("Ethernet II", "以太网 II"),
    ("Destination", "目的地址"),
    ("Source", "源地址"),
    ("Type", "类型"),
    ("Tag protocol", "标签协议"),
    ("VLAN ID", "VLAN 标识"),
    ("Priority", "优先级"),
    ("Packet type", "分组类型"),
    ("Link-layer address type", "链路层地址类型"),
    ("Link-layer address length", "链路层地址长度"),
    ("Family", "协议族"),
    ("Internet Protocol Version 4", "网际协议第 4 版"),
    ("Internet Protocol Version 6", "网际协议第 6 版"),
    ("Version", "版本"),
    ("Header length", "首部长度"),
    ("Differentiated services", "区分服务"),
    ("Total length", "总长度"),
    ("Identification", "标识"),
    ("Flags", "标志"),
    ("More fragments", "更多分片"),
    ("Fragment offset", "片偏移"),
    ("Fragment", "分片"),
    ("Time to live", "生存时间"),
    ("Protocol", "协议"),
    ("Header checksum", "首部校验和"),
    ("Source address", "源地址"),
    ("Destination address", "目的地址"),
    ("Traffic class", "流量类别"),
    ("Flow label", "流标签"),
    ("Payload length", "有效载荷长度"),
    ("Next header", "下一个首部"),
    ("Hop limit", "跳数限制"),
    ("Extension headers", "扩展首部"),
    ("Hop-by-hop options", "逐跳选项"),
    ("Destination options", "目的选项"),
    ("Routing", "路由"),
    ("Authentication", "认证"),
    ("Transmission Control Protocol", "传输控制协议"),
    ("User Datagram Protocol", "用户数据报协议"),
    ("Source port", "源端口"),
    ("Destination port", "目的端口"),
    ("Stream index", "流序号"),
    ("Sequence number", "序号"),
    ("Next sequence number", "下一个序号"),
    ("Acknowledgment number", "确认号"),
    ("Window", "窗口"),
    ("Calculated window size", "计算出的窗口大小"),
    ("Window size scaling factor", "窗口缩放因子"),
    ("Checksum", "校验和"),
    ("Urgent pointer", "紧急指针"),
    ("Options", "选项"),
    ("Payload", "有效载荷"),
    ("Problems", "问题"),
    ("Note", "注意"),
    ("Accurate ECN (AE)", "精确 ECN"),
    ("Congestion window reduced (CWR)", "拥塞窗口已减小"),
    ("ECN-Echo (ECE)", "ECN 回显"),
    ("Urgent (URG)", "紧急"),
    ("Acknowledgment (ACK)", "确认"),
    ("Push (PSH)", "推送"),
    ("Reset (RST)", "复位"),
    ("Syn (SYN)", "同步"),
    ("Fin (FIN)", "终止"),
    ("MSS", "最大报文段长度"),
    ("Window scale", "窗口缩放"),
    ("SACK permitted", "允许选择确认"),
    ("SACK", "选择确认"),
    ("Timestamps", "时间戳"),
    ("User timeout", "用户超时"),
];

/// Field values that are words rather than numbers.
const ZH_VALUES: &[(&str, &str)] = &[("Set", "已置位"), ("Not set", "未置位")];

impl Lang {
    /// A header-tree field's name as shown: Wireshark's name, with the Chinese term
    /// beside it in Chinese.
    pub fn field_name(self, name: &str) -> String {
        match (self, lookup(ZH, name)) {
            (Lang::ZhCn, Some(zh)) => format!("{name}（{zh}）"),
            _ => name.to_string(),
        }
    }

    /// A field's value as shown ("Set" → "已置位" in Chinese); numbers stay as they are.
    pub fn field_value(self, value: &str) -> String {
        match (self, lookup(ZH_VALUES, value)) {
            (Lang::ZhCn, Some(zh)) => zh.to_string(),
            _ => value.to_string(),
        }
    }
}

fn lookup(table: &[(&str, &'static str)], key: &str) -> Option<&'static str> {
    table.iter().find(|(k, _)| *k == key).map(|(_, v)| *v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn window_fields_have_the_chinese_beside_wiresharks_name() {
        assert_eq!(Lang::ZhCn.field_name("Window"), "Window（窗口）");
        assert_eq!(
            Lang::ZhCn.field_name("Window size scaling factor"),
            "Window size scaling factor（窗口缩放因子）"
        );
        assert_eq!(Lang::En.field_name("Window"), "Window");
        assert_eq!(Lang::ZhCn.field_value("Not set"), "未置位");
        assert_eq!(Lang::ZhCn.field_value("64"), "64");
    }
}

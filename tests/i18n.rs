//! Languages: every language answers every sentence, switching changes what the ladder
//! says, and the bundled CJK font has a glyph for every Chinese character in the sources
//! (so Chinese never shows as empty boxes, even on a machine without CJK fonts).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use crate::common;
use common::*;
use tcp_ladder::i18n::Lang;
use tcp_ladder::ladder::{LadderOptions, explain_in, layout};
use tcp_ladder::session::{LoadControl, Session};

#[test]
fn switching_to_chinese_changes_band_titles_states_and_explanations() {
    let session = Session::load_path(
        &repo().join("samples/seed-handshake-client.pcapng"),
        &LoadControl::default(),
    )
    .unwrap();
    let zh = layout(
        &session,
        1,
        &LadderOptions {
            lang: Lang::ZhCn,
            ..LadderOptions::default()
        },
    );
    let en = layout(&session, 1, &LadderOptions::default());
    assert_eq!(en.bands[0].title, "Three-way handshake");
    assert_eq!(zh.bands[0].title, "三次握手");
    assert_eq!(
        zh.bands[1].title,
        "半关闭：抓包结束时服务器仍处于 CLOSE-WAIT（关闭等待）"
    );
    assert_eq!(zh.lanes[0].role, "客户端");
    // Protocol words stay as the RFCs spell them.
    assert_eq!(en.rows.len(), zh.rows.len());
    let p = session.packet_indices(0)[1];
    let text = explain_in(&session, p, Lang::ZhCn);
    assert!(
        text.starts_with(
            "三次握手第 2 步：服务器确认客户端的 SYN（ack = ISN + 1 = 734888646（相对确认号 1），即它期待的下一个序号）"
        ),
        "{text}"
    );
    assert!(
        text.contains("SYN-SENT（同步已发送） → ESTABLISHED（已建立连接）"),
        "{text}"
    );
}

#[test]
fn cli_takes_lang() {
    let (code, out, _) = run(&["ladder", "samples/seed-github.pcapng", "--lang", "zh-CN"]);
    assert_eq!(code, 0);
    assert!(out.contains("四次挥手：服务器先关闭"), "{out}");
}

/// Every character at or above U+2E80 (CJK) in the Rust sources.
fn cjk_in_sources() -> std::collections::BTreeSet<char> {
    fn walk(dir: &std::path::Path, out: &mut std::collections::BTreeSet<char>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.extend(
                    std::fs::read_to_string(&path)
                        .unwrap()
                        .chars()
                        .filter(|c| *c as u32 >= 0x2e80),
                );
            }
        }
    }
    let mut set = std::collections::BTreeSet::new();
    walk(&repo().join("src"), &mut set);
    // The bundled samples' own notes, which the app shows in Chinese too.
    walk(&repo().join("samples/generator/src/samples"), &mut set);
    set
}

#[test]
fn bundled_cjk_font_covers_every_chinese_character() {
    // The regular face, and the bold one that bold titles use.
    for font in ["NotoSansSC-subset.otf", "NotoSansSC-Bold-subset.otf"] {
        let data = std::fs::read(repo().join("assets/fonts").join(font)).unwrap();
        let face = ttf_parser::Face::parse(&data, 0).unwrap();
        let chars = cjk_in_sources();
        assert!(chars.len() > 100, "{} CJK characters", chars.len());
        let missing: String = chars
            .iter()
            .filter(|c| face.glyph_index(**c).is_none())
            .collect();
        assert!(
            missing.is_empty(),
            "{font} lacks {missing:?}: run assets/fonts/make-cjk-subset.sh"
        );
    }
}

#[test]
fn every_bundled_sample_has_a_chinese_title_and_description() {
    let zh = Lang::ZhCn.texts();
    for sample in tcp_ladder::samples::SAMPLES {
        assert!(
            zh.sample(sample.file_name).is_some(),
            "no Chinese title for {}",
            sample.file_name
        );
    }
    for pair in tcp_ladder::samples::SAMPLE_PAIRS {
        assert!(
            zh.sample_pair(pair.first.file_name).is_some(),
            "no Chinese title for the pair {}",
            pair.title
        );
    }
}

/// The Chinese text uses one word for one thing everywhere (the terms a Chinese reader of
/// the tutorials expects): 报文 for a packet, 时序图 for the ladder, 假定 for "assumed".
#[test]
fn chinese_uses_one_term_for_one_thing_in_every_source_file() {
    fn walk(dir: &std::path::Path, found: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, found);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                for (n, line) in text.lines().enumerate() {
                    for avoided in ["数据包", "梯形图", "推定", "徽标"] {
                        if line.contains(avoided) {
                            found.push(format!("{}:{}: {avoided}", path.display(), n + 1));
                        }
                    }
                }
            }
        }
    }
    let mut found = Vec::new();
    walk(&repo().join("src"), &mut found);
    assert!(found.is_empty(), "{found:#?}");
}

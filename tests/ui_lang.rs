//! The interface language, switched from the View > Language menu as a student would:
//! the ladder is laid out again in that language and the menus follow.

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use tcp_ladder::i18n::Lang;
use tcp_ladder::samples;
use tcp_ladder::ui::{LoadSource, TcpLadderApp, install_bundled_style};

const SEED: &str = "seed-handshake-client.pcapng";

fn harness() -> Harness<'static, TcpLadderApp> {
    let Some(sample) = samples::find(SEED) else {
        panic!("sample {SEED} is not bundled");
    };
    let mut app = TcpLadderApp::new_for_test();
    app.load_blocking(LoadSource::sample(sample));
    // Only the bundled fonts: the same glyphs on every machine.
    Harness::builder()
        .with_size(egui::vec2(1280.0, 720.0))
        .with_context_setup(install_bundled_style)
        .build_ui_state(|ui, app: &mut TcpLadderApp| app.window_ui(ui), app)
}

/// Does any label or value in the accessibility tree contain `text`?
fn shows(harness: &Harness<'_, TcpLadderApp>, text: &str) -> bool {
    harness
        .query_all_by(|node| {
            node.label().is_some_and(|l| l.contains(text))
                || node.value().is_some_and(|v| v.contains(text))
        })
        .next()
        .is_some()
}

/// Open View > Language and pick `lang` by its own name.
fn choose(
    harness: &mut Harness<'_, TcpLadderApp>,
    view_menu: &str,
    language_menu: &str,
    lang: Lang,
) {
    harness.get_by_label(view_menu).click();
    harness.run();
    harness.get_by_label(language_menu).click();
    harness.run();
    harness.get_by_label(lang.native_name()).click();
    harness.run();
}

#[test]
fn the_language_menu_switches_the_ladder_to_chinese_and_back() {
    let mut harness = harness();
    harness.run();
    assert!(shows(&harness, "Three-way handshake"));
    assert!(!shows(&harness, "三次握手"));

    choose(&mut harness, "View", "Language", Lang::ZhCn);
    assert_eq!(harness.state().settings().lang, Lang::ZhCn);
    assert!(shows(&harness, "三次握手"), "the band title is in Chinese");
    assert!(
        !shows(&harness, "Three-way handshake"),
        "the English band title is gone"
    );
    assert!(shows(&harness, "视图"), "the menus are in Chinese");

    choose(&mut harness, "视图", "语言", Lang::En);
    assert_eq!(harness.state().settings().lang, Lang::En);
    assert!(shows(&harness, "Three-way handshake"), "English is back");
    assert!(!shows(&harness, "三次握手"));
}

#[test]
fn the_language_is_remembered_and_old_settings_still_load() {
    let old = r#"{"theme":"Dark","absolute":true}"#;
    let settings: tcp_ladder::ui::Settings = match serde_json::from_str(old) {
        Ok(s) => s,
        Err(e) => panic!("old settings do not load: {e}"),
    };
    assert_eq!(settings.lang, Lang::En);
    let mut chinese = settings.clone();
    chinese.lang = Lang::ZhCn;
    let json = match serde_json::to_string(&chinese) {
        Ok(j) => j,
        Err(e) => panic!("cannot save settings: {e}"),
    };
    let back: tcp_ladder::ui::Settings = match serde_json::from_str(&json) {
        Ok(s) => s,
        Err(e) => panic!("saved settings do not load: {e}"),
    };
    assert_eq!(back.lang, Lang::ZhCn);
}

#[test]
fn the_follow_window_speaks_chinese() {
    let Some(sample) = samples::find("seed-github.pcapng") else {
        panic!("sample seed-github.pcapng is not bundled");
    };
    let mut app = TcpLadderApp::new_for_test();
    app.load_blocking(LoadSource::sample(sample));
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1280.0, 720.0))
        .with_context_setup(install_bundled_style)
        .build_ui_state(|ui, app: &mut TcpLadderApp| app.window_ui(ui), app);
    harness.run();
    choose(&mut harness, "View", "Language", Lang::ZhCn);
    harness.get_by_label("追踪流").click();
    harness.run();
    assert!(shows(&harness, "显示为"), "the follow window is in Chinese");
    assert!(shows(&harness, "十六进制"));
    assert!(
        shows(&harness, "GET / HTTP/1.1"),
        "the bytes are still there"
    );
    assert!(!shows(&harness, "Show as:"));
}

#[test]
fn the_graphs_window_speaks_chinese() {
    let mut harness = harness();
    harness.run();
    choose(&mut harness, "View", "Language", Lang::ZhCn);
    harness.get_by_label("图表").click();
    harness.run();
    assert!(
        shows(&harness, "数据发送方向"),
        "the direction chooser is in Chinese"
    );
    assert!(!shows(&harness, "Data sent by:"));
}

#[test]
fn the_help_menu_lists_every_key_in_both_languages() {
    let mut harness = harness();
    harness.run();
    for lang in Lang::ALL {
        if harness.state().settings().lang != lang {
            let w = harness.state().settings().lang.ui();
            choose(&mut harness, w.menu_view, w.menu_language, lang);
        }
        harness.get_by_label(lang.ui().menu_help).click();
        harness.run();
        let lines = tcp_ladder::ui::actions::key_help(lang);
        assert_eq!(lines.len(), tcp_ladder::ui::actions::Action::ALL.len());
        for line in lines {
            assert!(shows(&harness, &line), "{lang:?}: no “{line}” in Help");
        }
        // Close the menu.
        harness.key_press(egui::Key::Escape);
        harness.run();
    }
}

/// In Chinese, every entry of the Samples menu is in Chinese: the single captures and
/// the pairs captured at both ends (the pairs were once left in English).
#[test]
fn the_samples_menu_is_chinese_for_single_captures_and_pairs() {
    let mut harness = harness();
    harness.run();
    choose(&mut harness, "View", "Language", Lang::ZhCn);
    harness.get_by_label("示例").click();
    harness.run();
    let zh = Lang::ZhCn.texts();
    for sample in samples::SAMPLES {
        let Some((title, _)) = zh.sample(sample.file_name) else {
            panic!("no Chinese title for {}", sample.file_name);
        };
        // "IPv6" is the same word in both languages.
        if title != sample.title {
            assert!(
                !shows(&harness, sample.title),
                "English title: {}",
                sample.title
            );
        }
        assert!(shows(&harness, title), "missing from the menu: {title}");
    }
    for pair in samples::SAMPLE_PAIRS {
        assert!(
            !shows(&harness, pair.title),
            "English title: {}",
            pair.title
        );
        assert!(
            !shows(&harness, pair.description),
            "English description: {}",
            pair.title
        );
        let Some((title, _)) = zh.sample_pair(pair.first.file_name) else {
            panic!("no Chinese title for the pair {}", pair.title);
        };
        assert!(shows(&harness, title), "missing from the menu: {title}");
    }
}

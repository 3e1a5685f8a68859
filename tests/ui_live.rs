//! The live parts of the app, headless (egui_kittest): the Capture dialog lists the
//! machine's interfaces with loopback first, a missing capture tool gives the message
//! and the command that fixes it (not a crash), and the menu opens the dialog.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use tcp_ladder::live::capture_child::Tool;
use tcp_ladder::ui::live::LiveCommand;
use tcp_ladder::ui::{Command, TcpLadderApp, install_style};

fn harness(app: TcpLadderApp) -> Harness<'static, TcpLadderApp> {
    Harness::builder()
        .with_size(egui::vec2(1280.0, 720.0))
        .with_context_setup(install_style)
        .build_ui_state(|ui, app: &mut TcpLadderApp| app.window_ui(ui), app)
}

fn labels_containing(harness: &Harness<'_, TcpLadderApp>, text: &str) -> Vec<String> {
    harness
        .query_all_by(|node| {
            node.label().is_some_and(|l| l.contains(text))
                || node.value().is_some_and(|v| v.contains(text))
        })
        .filter_map(|n| {
            let node = n.accesskit_node();
            node.label().or(node.value())
        })
        .collect()
}

fn open_dialog(harness: &mut Harness<'_, TcpLadderApp>) {
    let ctx = harness.ctx.clone();
    harness
        .state_mut()
        .apply(&ctx, Command::Live(LiveCommand::OpenCaptureDialog));
    harness.run();
}

#[cfg(target_os = "linux")]
#[test]
fn the_capture_dialog_lists_loopback_first() {
    let mut app = TcpLadderApp::new_for_test();
    app.override_capture_tool(Some(Tool::Tcpdump("/usr/bin/tcpdump".into())));
    let mut harness = harness(app);
    harness.run();
    // Through the menu, as a user opens it.
    harness.get_by_label("Capture").click();
    harness.run();
    harness.get_by_label("Start…").click();
    harness.run();
    let dialog = harness
        .state()
        .live()
        .dialog
        .clone()
        .expect("the dialog is open");
    assert_eq!(dialog.interfaces[0].name, "lo");
    assert_eq!(dialog.filter, "tcp");
    let lo = labels_containing(&harness, "lo (");
    assert!(lo.iter().any(|l| l.contains("127.0.0.1")), "{lo:?}");
    assert!(!labels_containing(&harness, "Capture filter").is_empty());
    assert!(labels_containing(&harness, "No capture tool").is_empty());
}

#[test]
fn a_missing_capture_tool_says_what_to_install() {
    let mut app = TcpLadderApp::new_for_test();
    app.override_capture_tool(None);
    let mut harness = harness(app);
    harness.run();
    open_dialog(&mut harness);
    let said = labels_containing(&harness, "No capture tool is installed");
    assert!(!said.is_empty(), "{said:?}");
    let fix = labels_containing(&harness, "tcpdump");
    assert!(
        fix.iter()
            .any(|l| l.contains("install tcpdump") || l.contains("add tcpdump")),
        "{fix:?}"
    );
    // Start is disabled; pressing it anyway (a command) changes nothing and panics nothing.
    let ctx = harness.ctx.clone();
    harness
        .state_mut()
        .apply(&ctx, Command::Live(LiveCommand::StartCapture));
    harness.run();
    assert!(harness.state().live().feed.is_none());
    assert!(harness.state().live().dialog.is_some());
}

#[test]
fn the_dialog_says_when_a_filter_has_characters_we_refuse() {
    let mut app = TcpLadderApp::new_for_test();
    app.override_capture_tool(Some(Tool::Tcpdump("/usr/bin/tcpdump".into())));
    let mut harness = harness(app);
    harness.run();
    open_dialog(&mut harness);
    let ctx = harness.ctx.clone();
    harness.state_mut().apply(
        &ctx,
        Command::Live(LiveCommand::SetFilter("tcp; rm -rf /".into())),
    );
    harness.run();
    let said = labels_containing(&harness, "bad capture filter");
    assert!(!said.is_empty(), "{said:?}");
}

#[test]
fn the_chinese_capture_menu_and_dialog() {
    let mut app = TcpLadderApp::new_for_test();
    app.override_capture_tool(None);
    let mut harness = harness(app);
    let ctx = harness.ctx.clone();
    harness
        .state_mut()
        .apply(&ctx, Command::SetLang(tcp_ladder::i18n::Lang::ZhCn));
    harness.run();
    assert!(harness.query_by_label("抓包").is_some());
    open_dialog(&mut harness);
    assert!(!labels_containing(&harness, "网络接口").is_empty());
    assert!(!labels_containing(&harness, "没有安装抓包工具").is_empty());
}

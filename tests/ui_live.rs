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

/// Click a lab step and wait (at most 10 s) for its report.
#[cfg(target_os = "linux")]
fn lab_step(harness: &mut Harness<'_, TcpLadderApp>, button: &str) {
    let before = harness
        .state()
        .live()
        .lab
        .as_ref()
        .map_or(0, |l| l.log.len());
    harness.get_by_label(button).click();
    for _ in 0..200 {
        harness.step();
        let lab = harness.state().live().lab.as_ref().unwrap();
        if lab.running.is_none() && lab.log.len() > before {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    // Past the next kernel poll (every 100 ms).
    std::thread::sleep(std::time::Duration::from_millis(150));
    harness.run();
}

#[cfg(target_os = "linux")]
#[test]
fn the_lab_draws_the_kernels_states_beside_the_lifelines() {
    let mut harness = harness(TcpLadderApp::new_for_test());
    harness.run();
    harness.get_by_label("Capture").click();
    harness.run();
    harness.get_by_label("Socket lab…").click();
    harness.run();
    if let Some(problem) = harness
        .state()
        .live()
        .lab
        .as_ref()
        .and_then(|l| l.capture_problem.clone())
    {
        assert!(
            std::env::var_os("TCP_LADDER_REQUIRE_CAPTURE").is_none(),
            "capture required but not possible: {problem}"
        );
        eprintln!("NOTE: no capture ({problem}): the lab's ladder is not drawn; skipped");
        return;
    }
    for step in [
        "listen",
        "connect",
        "client sends \"helloworld\"",
        "client closes",
    ] {
        lab_step(&mut harness, step);
    }
    // The tutorial's netstat: the client in FIN_WAIT2, the server in CLOSE_WAIT, each
    // beside its own lifeline and agreeing with what the packets say.
    let kernel = labels_containing(&harness, "kernel state");
    assert!(
        kernel
            .iter()
            .any(|l| l.starts_with("CLIENT kernel state FIN_WAIT2")),
        "{kernel:?}"
    );
    assert!(
        kernel
            .iter()
            .any(|l| l.starts_with("SERVER kernel state CLOSE_WAIT")),
        "{kernel:?}"
    );
    assert!(kernel.iter().all(|l| l.contains("agree")), "{kernel:?}");
}

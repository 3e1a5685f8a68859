//! Predict mode driven headless (issue #15): a right answer is confirmed and reveals the
//! packet, a wrong one shows the answer with its arithmetic and the packet's explanation,
//! the connection ends with a score and a restart, and in presentation mode the answer
//! stays hidden until the step key. Widgets are found by their accessible names.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use tcp_ladder::ladder::predict::{Answer, Question};
use tcp_ladder::samples;
use tcp_ladder::ui::{LoadSource, TcpLadderApp, install_style};

const SEED: &str = "seed-handshake-client.pcapng";

fn seed_harness() -> Harness<'static, TcpLadderApp> {
    let sample = samples::find(SEED).unwrap();
    let mut app = TcpLadderApp::new_for_test();
    app.load_blocking(LoadSource::sample(sample));
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1280.0, 720.0))
        .with_context_setup(install_style)
        .build_ui_state(|ui, app: &mut TcpLadderApp| app.window_ui(ui), app);
    harness.run();
    harness
}

fn press(harness: &mut Harness<'_, TcpLadderApp>, key: egui::Key) {
    harness.key_press(key);
    harness.run();
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

fn shows(harness: &Harness<'_, TcpLadderApp>, text: &str) -> bool {
    !labels_containing(harness, text).is_empty()
}

fn pending(harness: &Harness<'_, TcpLadderApp>) -> Option<Question> {
    harness.state().classroom().predict().pending.clone()
}

fn band_titles(harness: &Harness<'_, TcpLadderApp>) -> Vec<String> {
    let stepper = harness.state().classroom().stepper().unwrap();
    stepper.bands().map(|b| b.title.clone()).collect()
}

fn revealed(harness: &Harness<'_, TcpLadderApp>) -> usize {
    harness.state().classroom().revealed().unwrap()
}

/// Answer the pending question right (or `wrong`) through the widgets.
fn answer(harness: &mut Harness<'_, TcpLadderApp>, q: &Question, wrong: bool) {
    match &q.answer {
        Answer::Number(n) => {
            let typed = if wrong { n.wrapping_add(1) } else { *n };
            harness.get_by_label("Your answer").focus();
            harness.run();
            harness
                .get_by_label("Your answer")
                .type_text(&typed.to_string());
            harness.run();
            assert_eq!(
                harness.state().classroom().predict().typed,
                typed.to_string()
            );
            harness.get_by_label("Check").click();
        }
        Answer::Choice { right, .. } => {
            let pick = if wrong {
                (right + 1) % q.choice_labels.len()
            } else {
                *right
            };
            harness
                .get_by_role_and_label(egui::accesskit::Role::Button, &q.choice_labels[pick])
                .click();
        }
    }
    harness.run();
}

/// Step mode with predict mode on (the P key turns both on).
fn predicting() -> Harness<'static, TcpLadderApp> {
    let mut harness = seed_harness();
    press(&mut harness, egui::Key::P);
    assert!(harness.state().classroom().is_stepping());
    assert!(harness.state().classroom().predict().on);
    assert_eq!(revealed(&harness), 0);
    harness
}

#[test]
fn a_right_answer_is_confirmed_and_reveals_the_packet() {
    let mut harness = predicting();
    press(&mut harness, egui::Key::Space);
    let q = pending(&harness).expect("a question before the first packet");
    assert_eq!(revealed(&harness), 0, "the packet waits for the answer");
    assert!(shows(&harness, &q.prompt), "the question is shown");
    assert!(!shows(&harness, "Packet 1: SYN"));

    answer(&mut harness, &q, false);
    assert_eq!(revealed(&harness), 1, "the answer reveals the packet");
    assert!(shows(&harness, "Packet 1: SYN"));
    assert!(shows(&harness, "✔ Right!"));
    assert!(shows(&harness, "Score: 1 of 1 right"));
}

#[test]
fn a_wrong_number_shows_the_answer_with_its_arithmetic_and_the_explanation() {
    let mut harness = predicting();
    // Answer right until a number is asked.
    let q = loop {
        press(&mut harness, egui::Key::Space);
        let Some(q) = pending(&harness) else {
            assert!(
                revealed(&harness) < 5,
                "no number question in the connection"
            );
            continue;
        };
        if matches!(q.answer, Answer::Number(_)) {
            break q;
        }
        answer(&mut harness, &q, false);
    };
    let before = revealed(&harness);
    let right = q.answer_text();
    answer(&mut harness, &q, true);
    assert_eq!(revealed(&harness), before + 1);
    assert!(
        shows(&harness, &format!("✘ Not quite — the answer is {right}.")),
        "the answer"
    );
    // The arithmetic: "relative ISN 0 + SYN 1 + 10 bytes = 11", checked against the
    // packet the capture holds.
    let packet = &harness.state().session().unwrap().packets[q.packet as usize];
    let field = match q.kind {
        tcp_ladder::ladder::predict::Kind::AckNumber => packet.rel_ack().unwrap(),
        _ => packet.rel_seq,
    };
    assert_eq!(right, field.to_string());
    let sums = labels_containing(&harness, "SYN 1");
    assert!(
        sums.iter()
            .any(|s| s.starts_with("relative ISN 0 + SYN 1") && s.ends_with(&format!("= {field}"))),
        "the sum is shown: {sums:?}"
    );
    // And the packet's own explanation, as the details pane says it.
    let explanation = tcp_ladder::ladder::explain_with(
        harness.state().session().unwrap(),
        q.packet,
        tcp_ladder::i18n::Lang::En,
        false,
    );
    assert!(shows(&harness, &explanation), "{explanation}");
    let predict = harness.state().classroom().predict();
    assert_eq!(predict.scored - predict.right, 1, "one wrong answer scored");
    assert!(shows(
        &harness,
        &format!("Score: {} of {} right", predict.right, predict.scored)
    ));
}

#[test]
fn the_connection_ends_with_a_score_and_can_start_again() {
    let mut harness = predicting();
    let mut asked = 0;
    let mut right = 0;
    while revealed(&harness) < 5 {
        press(&mut harness, egui::Key::Space);
        if let Some(q) = pending(&harness) {
            // Every other question wrong.
            let wrong = asked % 2 == 1;
            answer(&mut harness, &q, wrong);
            asked += 1;
            right += usize::from(!wrong);
        }
    }
    assert!(asked >= 3, "only {asked} questions in five packets");
    let score = format!("Connection done — {right} of {asked} predictions right");
    assert!(
        shows(&harness, &score),
        "{score}: {:?}",
        harness.state().classroom().predict()
    );

    harness.get_by_label("Start again").click();
    harness.run();
    assert_eq!(revealed(&harness), 0);
    assert_eq!(harness.state().classroom().predict().scored, 0);
    press(&mut harness, egui::Key::Space);
    assert!(pending(&harness).is_some(), "the questions are asked again");
}

#[test]
fn presentation_mode_hides_the_answer_until_the_step_key() {
    let mut harness = predicting();
    press(&mut harness, egui::Key::F5);
    assert!(harness.state().classroom().is_presenting());
    press(&mut harness, egui::Key::Space);
    let q = pending(&harness).expect("a question for the room");
    let answer_line = format!("The answer: {}.", q.answer_text());
    assert!(shows(&harness, &q.prompt));
    assert!(!shows(&harness, &answer_line), "the answer is hidden");
    assert!(
        harness
            .query_by_role_and_label(egui::accesskit::Role::Button, &q.choice_labels[0])
            .is_none(),
        "the room answers aloud: no buttons"
    );
    assert_eq!(revealed(&harness), 0);

    press(&mut harness, egui::Key::Space);
    assert!(shows(&harness, &answer_line), "the key shows the answer");
    assert_eq!(revealed(&harness), 1, "and reveals the packet");
    assert_eq!(
        harness.state().classroom().predict().scored,
        0,
        "nothing is scored for the room"
    );
}

#[test]
fn presenting_a_whole_close_asks_before_every_packet_that_has_a_question() {
    let sample = samples::find("three-segment-close.pcapng").unwrap();
    let mut app = TcpLadderApp::new_for_test();
    app.load_blocking(LoadSource::sample(sample));
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1920.0, 1080.0))
        .with_context_setup(install_style)
        .build_ui_state(|ui, app: &mut TcpLadderApp| app.window_ui(ui), app);
    harness.run();
    press(&mut harness, egui::Key::P);
    press(&mut harness, egui::Key::F5);
    let mut asked = Vec::new();
    for _ in 0..40 {
        press(&mut harness, egui::Key::Space);
        if let Some(q) = pending(&harness) {
            asked.push(q.frame);
        }
        // A band still going on does not tell what is to come (the close's kind, who
        // closed first, how many bytes each side sends).
        let titles = band_titles(&harness);
        if (7..9).contains(&revealed(&harness)) {
            assert_eq!(titles.last().map(String::as_str), Some("Closing …"));
            assert!(
                titles.iter().all(|t| !t.contains("closed first")),
                "{titles:?}"
            );
        }
        if revealed(&harness) == 9 {
            assert!(
                titles.last().unwrap().contains("client closed first"),
                "the whole close has its full title: {titles:?}"
            );
            break;
        }
    }
    assert_eq!(asked, (1..=9).collect::<Vec<u64>>());
}

#[test]
fn the_waiting_question_follows_the_number_mode_and_the_language() {
    let mut harness = predicting();
    // Up to the SYN, ACK's acknowledgement number or the first number question.
    let q = loop {
        press(&mut harness, egui::Key::Space);
        match pending(&harness) {
            Some(q) if matches!(q.answer, Answer::Number(_)) => break q,
            Some(q) => answer(&mut harness, &q, false),
            None => assert!(revealed(&harness) < 5, "no number question"),
        }
    };
    let ctx = harness.ctx.clone();
    harness
        .state_mut()
        .apply(&ctx, tcp_ladder::ui::Command::SetAbsolute(true));
    harness.run();
    let again = pending(&harness).expect("still waiting");
    assert_eq!(again.packet, q.packet);
    let packet = &harness.state().session().unwrap().packets[q.packet as usize];
    let raw = match again.kind {
        tcp_ladder::ladder::predict::Kind::AckNumber => packet.ack,
        _ => packet.seq,
    };
    assert_eq!(again.answer, Answer::Number(raw), "now in raw numbers");
    assert!(again.why.starts_with("ISN "), "{}", again.why);

    harness.state_mut().apply(
        &ctx,
        tcp_ladder::ui::Command::SetLang(tcp_ladder::i18n::Lang::ZhCn),
    );
    harness.run();
    let zh = pending(&harness).expect("still waiting");
    assert_eq!(zh.answer, again.answer);
    assert!(zh.prompt.contains("号是多少"), "{}", zh.prompt);
    assert!(shows(&harness, &zh.prompt), "shown in Chinese");
}

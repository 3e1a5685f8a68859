//! Predict mode in step mode (issue #15): before the next packet is revealed, the
//! question [`crate::ladder::predict::question`] gives for it is asked at the top of the
//! step panel; the student picks a choice or types a number, gets a brief confirmation
//! or the answer with its arithmetic (the packet's explanation follows in the step card
//! once it is revealed), and the connection's score at the end, with a restart.
//!
//! In presentation mode the room answers aloud: the choices are shown, the answer stays
//! hidden until the next step key, which shows it and reveals the packet together
//! (nothing is scored).
//!
//! [`Predict`] is the runtime state; [`super::classroom::Classroom::apply`] drives it with
//! the commands of [`PredictCommand`], and [`predict_ui`] draws it.

use super::commands::Command;
use super::style::{self, Palette};
use crate::i18n::Lang;
use crate::ladder::predict::{Answer, Given, Question};
use egui::{RichText, Ui};
use std::collections::BTreeSet;

/// One change to predict mode.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PredictCommand {
    /// Predict mode on or off (on also starts step mode).
    Set(bool),
    /// The student's answer to the pending question.
    Answer(Given),
    /// Show the pending question's answer (and reveal the packet) without answering.
    ShowAnswer,
    /// Start the connection's quiz again from its first packet.
    Restart,
}

impl From<PredictCommand> for Command {
    fn from(command: PredictCommand) -> Command {
        Command::Classroom(super::classroom::ClassroomCommand::Predict(command))
    }
}

/// What was said after an answer, about the packet then revealed.
#[derive(Clone, Debug, PartialEq)]
pub struct Feedback {
    pub packet: u32,
    /// `None`: the answer was shown without one (presentation, or "Show the answer").
    pub right: Option<bool>,
    pub answer: String,
    pub why: String,
}

/// Predict mode's runtime state.
#[derive(Clone, Debug, Default)]
pub struct Predict {
    pub on: bool,
    /// The question asked now; the packet stays hidden until it is answered.
    pub pending: Option<Question>,
    /// What the number field holds.
    pub typed: String,
    /// The number field takes the keyboard when its question appears.
    focus_field: bool,
    pub feedback: Option<Feedback>,
    /// Packets already asked about (stepping back and forth does not ask again).
    pub asked: BTreeSet<u32>,
    pub right: usize,
    /// Questions asked and answered (or given up) at the desk.
    pub scored: usize,
}

impl Predict {
    /// Forget the connection's answers and score.
    pub fn restart(&mut self) {
        *self = Predict {
            on: self.on,
            ..Predict::default()
        };
    }

    /// Before revealing `packet`: ask about it if it has a question not asked yet.
    /// Returns whether the packet must wait for an answer.
    pub fn ask_before(&mut self, question: Option<Question>) -> bool {
        if !self.on || self.pending.is_some() {
            return self.pending.is_some();
        }
        match question {
            Some(q) if !self.asked.contains(&q.packet) => {
                self.typed.clear();
                self.focus_field = true;
                self.feedback = None;
                self.pending = Some(q);
                true
            }
            _ => false,
        }
    }

    /// Grade `given` (None: shown without an answer; `scored`: it counts) and keep the
    /// feedback. Returns whether a question was pending.
    pub fn answer(&mut self, given: Option<Given>, scored: bool) -> bool {
        let Some(q) = self.pending.take() else {
            return false;
        };
        let right = given.map(|g| q.is_right(&g));
        if scored {
            self.scored += 1;
            self.right += usize::from(right == Some(true));
        }
        self.asked.insert(q.packet);
        self.feedback = Some(Feedback {
            packet: q.packet,
            right,
            answer: q.answer_text(),
            why: q.why.clone(),
        });
        true
    }

    /// Stepping anywhere but forward drops the pending question and old feedback.
    pub fn moved(&mut self) {
        self.pending = None;
        self.feedback = None;
    }
}

/// The question (or the feedback on the newest packet, or the final score) at the top
/// of the step panel. `newest`: the packet revealed last; `at_end`: every row is shown.
/// Returns the command and whether a question is waiting (it then has the panel's room).
#[must_use = "apply the returned command"]
pub fn predict_ui(
    ui: &mut Ui,
    predict: &mut Predict,
    newest: Option<u32>,
    at_end: bool,
    presenting: bool,
) -> (Option<Command>, bool) {
    if !predict.on {
        return (None, false);
    }
    if predict.pending.is_some() {
        let command = egui::ScrollArea::vertical()
            .id_salt("predict question")
            .auto_shrink([false, true])
            .show(ui, |ui| question_ui(ui, predict, presenting))
            .inner;
        return (command, true);
    }
    (feedback_ui(ui, predict, newest, at_end), false)
}

/// The pending question with its choices or number field.
fn question_ui(ui: &mut Ui, predict: &mut Predict, presenting: bool) -> Option<Command> {
    let lang = super::lang(ui.ctx());
    let w = lang.predict();
    let palette = Palette::of(ui);
    let mut command = None;
    if let Some(q) = &predict.pending {
        ui.label(
            RichText::new((w.heading)(q.frame))
                .font(style::bold(15.0))
                .color(palette.mark),
        );
        ui.label(
            RichText::new(&q.prompt)
                .font(style::bold(19.0))
                .color(palette.text),
        );
        ui.add_space(4.0);
        match &q.answer {
            Answer::Choice { .. } => {
                ui.horizontal_wrapped(|ui| {
                    ui.spacing_mut().item_spacing.x = 14.0;
                    for (i, label) in q.choice_labels.iter().enumerate() {
                        if presenting {
                            // Lettered, so the room can call out "B!".
                            let letter = char::from(b'A'.saturating_add(i as u8));
                            ui.add(
                                egui::Label::new(
                                    RichText::new(format!(" {letter}  {label} "))
                                        .font(style::bold(19.0))
                                        .background_color(ui.visuals().faint_bg_color),
                                )
                                .wrap_mode(egui::TextWrapMode::Extend),
                            );
                        } else if ui
                            .button(RichText::new(label).font(style::bold(19.0)))
                            .clicked()
                        {
                            command = Some(PredictCommand::Answer(Given::Choice(i)).into());
                        }
                    }
                });
            }
            Answer::Number(_) if presenting => {
                ui.label(RichText::new("= ?").font(style::bold(24.0)));
            }
            Answer::Number(_) => {
                ui.horizontal(|ui| {
                    let field = ui.add(
                        egui::TextEdit::singleline(&mut predict.typed)
                            .font(style::bold(20.0))
                            .desired_width(160.0)
                            .hint_text(w.your_answer),
                    );
                    if std::mem::take(&mut predict.focus_field) {
                        field.request_focus();
                    }
                    field.widget_info(|| {
                        egui::WidgetInfo::labeled(egui::Role::TextInput, true, w.your_answer)
                    });
                    let entered =
                        field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                    let check = ui.button(RichText::new(w.check).font(style::bold(18.0)));
                    if entered || check.clicked() {
                        command = Some(match predict.typed.trim().parse::<u32>() {
                            Ok(n) => PredictCommand::Answer(Given::Number(n)).into(),
                            // Not a number: wrong, with the answer shown.
                            Err(_) => PredictCommand::Answer(Given::Choice(usize::MAX)).into(),
                        });
                    }
                });
            }
        }
        ui.add_space(4.0);
        if presenting {
            ui.label(RichText::new(w.ask_the_room).size(17.0).italics());
        } else if ui.small_button(w.show_answer).clicked() {
            command = Some(PredictCommand::ShowAnswer.into());
        }
        score_line_ui(ui, predict, lang, false);
    }
    command
}

/// After an answer: right, or the answer and its arithmetic; at the end, the score.
fn feedback_ui(
    ui: &mut Ui,
    predict: &Predict,
    newest: Option<u32>,
    at_end: bool,
) -> Option<Command> {
    let lang = super::lang(ui.ctx());
    let w = lang.predict();
    let palette = Palette::of(ui);
    let mut command = None;
    if let Some(f) = predict
        .feedback
        .as_ref()
        .filter(|f| Some(f.packet) == newest)
    {
        let (text, colour) = match f.right {
            Some(true) => (w.right.to_string(), right_colour(&palette)),
            Some(false) => ((w.wrong)(&f.answer), palette.error),
            None => ((w.answer_was)(&f.answer), palette.text),
        };
        ui.label(RichText::new(text).font(style::bold(21.0)).color(colour));
        if f.right != Some(true) {
            ui.label(
                RichText::new(&f.why)
                    .font(style::bold(18.0))
                    .color(palette.text),
            );
        }
    }
    if at_end && predict.scored > 0 {
        score_line_ui(ui, predict, lang, true);
        if ui
            .button(RichText::new(w.restart).font(style::bold(18.0)))
            .clicked()
        {
            command = Some(PredictCommand::Restart.into());
        }
    } else {
        score_line_ui(ui, predict, lang, false);
    }
    ui.separator();
    command
}

fn score_line_ui(ui: &mut Ui, predict: &Predict, lang: Lang, last: bool) {
    let w = lang.predict();
    if last {
        ui.label(
            RichText::new((w.score_final)(predict.right, predict.scored)).font(style::bold(22.0)),
        );
    } else if predict.scored > 0 {
        ui.label(RichText::new((w.score)(predict.right, predict.scored)).size(15.0));
    }
}

/// Green enough to read as "right" on either theme and on the projector.
fn right_colour(palette: &Palette) -> egui::Color32 {
    if palette.dark {
        egui::Color32::from_rgb(120, 220, 120)
    } else {
        egui::Color32::from_rgb(20, 120, 40)
    }
}

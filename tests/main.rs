//! The integration tests, one module per file beside this one (see `README.md` here for
//! what each proves and where its expected values come from).
//!
//! They are one test binary, not one per file: every test binary links the whole app
//! (egui, wgpu, …), and one per file filled a CI machine's disk. Run one file's tests
//! with its module name as the filter, e.g. `cargo test --test integration golden::`.

mod common;

mod annotate;
mod capture_formats;
mod explanations;
mod export;
mod follow;
mod golden;
mod graphs;
mod growing;
mod i18n;
mod ladder_layout;
mod layering;
mod live_lab;
mod mutation;
mod notes;
mod predict;
mod reference_agreement;
mod robustness;
mod sample_notes;
mod seeds;
mod stdin;
mod timeline;
mod two_ends;
mod ui_analysis;
mod ui_app;
mod ui_classroom;
mod ui_first_ten;
mod ui_lang;
mod ui_live;
mod ui_notes;
mod ui_overview;
mod ui_predict;
mod ui_time;
mod ui_two_ends;
mod window_fields;

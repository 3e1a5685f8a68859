//! The dependency direction `lib.rs` describes is true: a module of `src/` names only
//! modules to its left in the data flow (`crate::x` paths and `use crate::x`), outside
//! its tests and comments.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::path::Path;

/// Left to right, as in `lib.rs`. `samples` and `units` use nothing of ours.
const ORDER: [&str; 14] = [
    "samples", "units", "capture", "decode", "flow", "session", "timeline", "i18n", "ladder",
    "graphs", "export", "live", "cli", "ui",
];

fn rank(module: &str) -> Option<usize> {
    ORDER.iter().position(|m| *m == module)
}

fn files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The top-level module a file of `src/` belongs to.
fn module_of(src: &Path, file: &Path) -> Option<String> {
    let rel = file.strip_prefix(src).ok()?;
    let first = rel.components().next()?.as_os_str().to_str()?;
    Some(first.trim_end_matches(".rs").to_string())
}

#[test]
fn each_module_uses_only_modules_to_its_left() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut all = Vec::new();
    files(&src, &mut all);
    let mut wrong = Vec::new();
    for file in all {
        let Some(module) = module_of(&src, &file) else {
            continue;
        };
        let Some(own) = rank(&module) else {
            continue; // lib.rs, main.rs
        };
        let name = file.file_name().unwrap().to_str().unwrap();
        if name == "tests.rs" || name.ends_with("_tests.rs") {
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap();
        // Unit tests sit at the end of a file, after `#[cfg(test)]`.
        let code = text.split("#[cfg(test)]").next().unwrap_or("");
        for (n, line) in code.lines().enumerate() {
            let line = line.trim_start();
            if line.starts_with("//") {
                continue;
            }
            for (at, _) in line.match_indices("crate::") {
                let used: String = line[at + 7..]
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                if let Some(r) = rank(&used)
                    && used != module
                    && r > own
                {
                    wrong.push(format!(
                        "{}:{}: {module} uses {used}",
                        file.display(),
                        n + 1
                    ));
                }
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "uses against the data flow:\n{}",
        wrong.join("\n")
    );
}

/// The check itself can fail: a line of `flow` naming `i18n` is caught.
#[test]
fn a_use_against_the_flow_is_found() {
    let line = "    crate::i18n::Lang::En.texts()";
    let at = line.find("crate::").unwrap();
    let used: String = line[at + 7..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    assert!(rank(&used).unwrap() > rank("flow").unwrap());
}

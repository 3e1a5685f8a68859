//! Which of a packet's notes a reader sees, in the reader's language.
//!
//! An instructor may write a note twice, once per language, as two packet comments
//! that begin with a language tag: `[en] …` and `[zh-CN] …` (the bundled samples do).
//! The rule, in one place for every view that shows notes (the canvas, the details
//! pane, the step card, SVG/PNG and ASCII exports):
//! - a comment tagged with the reader's language is shown, without its tag;
//! - an untagged comment is shown in every language (a tag that is not one of
//!   [`Lang::ALL`]'s codes does not count as a tag);
//! - a comment tagged with another language is hidden;
//! - but if that hides every comment of the packet, all of them are shown, tags
//!   and all: a note in the other language is better than no note.
//!
//! The JSON outputs keep the raw comments, tags included.

use super::Lang;

/// The language a comment is tagged with, and its text after the tag; `None` if it
/// carries no known tag.
fn tagged(comment: &str) -> Option<(Lang, &str)> {
    Lang::ALL.into_iter().find_map(|lang| {
        comment
            .strip_prefix('[')
            .and_then(|rest| rest.strip_prefix(lang.code()))
            .and_then(|rest| rest.strip_prefix("] "))
            .map(|text| (lang, text))
    })
}

/// The notes of one packet to show to a reader of `lang`, in their order (see the
/// module's rule). Never empty when `comments` is not.
pub fn notes_in(lang: Lang, comments: &[String]) -> Vec<String> {
    let shown: Vec<String> = comments
        .iter()
        .filter_map(|c| match tagged(c) {
            Some((l, text)) if l == lang => Some(text.to_string()),
            Some(_) => None,
            None => Some(c.clone()),
        })
        .collect();
    if shown.is_empty() {
        comments.to_vec()
    } else {
        shown
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn each_language_sees_its_own_note_without_the_tag() {
        let c = strings(&["[en] The SYN.", "[zh-CN] 这是 SYN。"]);
        assert_eq!(notes_in(Lang::En, &c), strings(&["The SYN."]));
        assert_eq!(notes_in(Lang::ZhCn, &c), strings(&["这是 SYN。"]));
    }

    #[test]
    fn untagged_notes_are_shown_in_every_language_in_their_order() {
        let c = strings(&["Watch the window.", "[zh-CN] 注意窗口。", "[en] Note it."]);
        assert_eq!(
            notes_in(Lang::En, &c),
            strings(&["Watch the window.", "Note it."])
        );
        assert_eq!(
            notes_in(Lang::ZhCn, &c),
            strings(&["Watch the window.", "注意窗口。"])
        );
    }

    #[test]
    fn notes_only_in_another_language_are_all_shown_with_their_tags() {
        let c = strings(&["[en] Only English here.", "[en] And more."]);
        assert_eq!(notes_in(Lang::ZhCn, &c), c);
        assert_eq!(
            notes_in(Lang::En, &c),
            strings(&["Only English here.", "And more."])
        );
    }

    #[test]
    fn what_is_not_a_known_tag_is_text() {
        // Unknown language, no space after the tag, wrong case, a tag not at the start.
        let c = strings(&[
            "[fr] Le SYN.",
            "[en]no space",
            "[EN] upper",
            "see [en] later",
        ]);
        assert_eq!(notes_in(Lang::En, &c), c);
        assert_eq!(notes_in(Lang::ZhCn, &c), c);
    }

    #[test]
    fn no_comments_no_notes() {
        assert!(notes_in(Lang::En, &[]).is_empty());
        // An empty tagged note stays an (empty) note in its language.
        assert_eq!(notes_in(Lang::En, &strings(&["[en] "])), strings(&[""]));
    }
}

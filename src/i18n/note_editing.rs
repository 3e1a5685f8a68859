//! The words of writing packet notes in the app, one table per language: the note editor,
//! the arrow's right-click menu, File › Save as with the notes, and the question asked
//! before notes that were never saved would be lost.

/// Every note-editing sentence of one language.
pub struct NoteEditingTexts {
    /// Right-click menu, Packet menu and details pane: add a note to this packet.
    pub add_note: &'static str,
    pub add_note_hint: &'static str,
    /// "Edit note “watch the window…”", "Delete note “…”" (the note's start).
    pub edit_note: fn(&str) -> String,
    pub delete_note: fn(&str) -> String,
    /// The editor window's title: "Note on packet 5".
    pub editor_title: fn(u64) -> String,
    /// Under the title: where a note shows and how it is kept.
    pub editor_hint: &'static str,
    /// The Help menu's lines for N and Ctrl S.
    pub key_help_note: &'static str,
    pub key_help_save: &'static str,
    /// The text field's label.
    pub note_text: &'static str,
    pub save_note: &'static str,
    pub cancel: &'static str,
    pub delete: &'static str,
    /// File menu: save the capture (a live one too) as pcapng with its notes.
    pub save_with_notes: &'static str,
    pub save_with_notes_hint: &'static str,
    /// The save dialog's title.
    pub save_dialog_title: &'static str,
    /// After a save: "Saved 42 frames and 3 notes to …".
    pub saved: fn(u64, u64, &str) -> String,
    /// A save of a damaged capture: only the frames that could be read were written.
    pub saved_damaged: &'static str,
    /// A save that failed: its title (with the path).
    pub save_failed: fn(&str) -> String,
    /// A note on a packet seen only in the other end's capture cannot be kept (it would
    /// need a second file).
    pub other_end_only: &'static str,
    /// Title suffix while notes are not saved.
    pub unsaved_mark: &'static str,
    /// The question before unsaved notes would be lost: title, the sentence, its answers.
    pub unsaved_title: &'static str,
    pub unsaved_question: fn(usize, &str) -> String,
    pub save_first: &'static str,
    pub discard: &'static str,
    pub keep_open: &'static str,
}

pub static EN: NoteEditingTexts = NoteEditingTexts {
    add_note: "Add note…",
    add_note_hint: "Your own words on this packet: shown on its arrow, in the details and \
                    under the explanation in step mode",
    edit_note: |start| format!("Edit note “{start}”…"),
    delete_note: |start| format!("Delete note “{start}”"),
    editor_title: |packet| format!("Note on packet {packet}"),
    editor_hint: "Shown on the arrow (✎), in the details pane and under the explanation in step \
                  mode. File › Save as pcapng keeps it in a pcapng file as a packet comment, \
                  which Wireshark shows too.",
    key_help_note: "a note on the selected packet",
    key_help_save: "save as pcapng, with the notes",
    note_text: "Note",
    save_note: "Keep note",
    cancel: "Cancel",
    delete: "Delete note",
    save_with_notes: "Save as pcapng…",
    save_with_notes_hint: "Write the capture as pcapng with every note as a packet comment \
                           (the frames stay exactly as captured)",
    save_dialog_title: "Save the capture with its notes",
    saved: |frames, notes, path| {
        format!(
            "Saved {frames} frame{} and {notes} note{} to {path}",
            if frames == 1 { "" } else { "s" },
            if notes == 1 { "" } else { "s" }
        )
    },
    saved_damaged: "The capture is damaged: the saved file has every frame that could be \
                    read. What could not be read:",
    save_failed: |path| format!("Could not save {path}"),
    other_end_only: "This packet is only in the other end's capture: notes are kept in the \
                     first capture's file",
    unsaved_mark: "notes not saved",
    unsaved_title: "Notes not saved",
    unsaved_question: |n, name| {
        format!(
            "{n} packet{} in {name} {} notes that are not saved. Save them before going on?",
            if n == 1 { "" } else { "s" },
            if n == 1 { "has" } else { "have" }
        )
    },
    save_first: "Save as pcapng…",
    discard: "Discard the notes",
    keep_open: "Cancel",
};

pub static ZH_CN: NoteEditingTexts = NoteEditingTexts {
    add_note: "添加备注…",
    add_note_hint: "你对这个报文的说明：显示在它的箭头上、详情里和单步模式的解释下方",
    edit_note: |start| format!("编辑备注“{start}”…"),
    delete_note: |start| format!("删除备注“{start}”"),
    editor_title: |packet| format!("第 {packet} 个报文的备注"),
    editor_hint: "显示在箭头上（✎）、详情面板里和单步模式的解释下方。\
                  “文件 › 另存为 pcapng”把它作为报文注释保存在 pcapng 文件中，Wireshark 也能显示。",
    key_help_note: "给选中的报文添加备注",
    key_help_save: "连同备注另存为 pcapng",
    note_text: "备注",
    save_note: "保留备注",
    cancel: "取消",
    delete: "删除备注",
    save_with_notes: "另存为 pcapng…",
    save_with_notes_hint: "把抓包另存为 pcapng，每条备注作为报文注释（帧保持原样不变）",
    save_dialog_title: "连同备注保存抓包",
    saved: |frames, notes, path| format!("已把 {frames} 帧和 {notes} 条备注保存到 {path}"),
    saved_damaged: "抓包文件已损坏：保存的文件包含能读出的每一帧。无法读出的部分：",
    save_failed: |path| format!("无法保存 {path}"),
    other_end_only: "这个报文只在另一端的抓包里：备注保存在第一个抓包的文件中",
    unsaved_mark: "备注未保存",
    unsaved_title: "备注未保存",
    unsaved_question: |n, name| format!("{name} 中有 {n} 个报文的备注尚未保存。要先保存吗？"),
    save_first: "另存为 pcapng…",
    discard: "放弃这些备注",
    keep_open: "取消",
};

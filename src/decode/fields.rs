//! The header-field tree shown in the details pane: every field's name, value as text,
//! and its byte range in the frame (to highlight it in the hex view).
//! Built on demand for the one selected frame, from the offsets [`super::decode`] found.

/// One node of the tree.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct FieldNode {
    pub name: String,
    pub value: String,
    /// Byte offset in the frame and length (0 for summary nodes without bytes).
    pub offset: usize,
    pub len: usize,
    pub children: Vec<FieldNode>,
}

impl FieldNode {
    pub fn leaf(
        name: impl Into<String>,
        value: impl Into<String>,
        offset: usize,
        len: usize,
    ) -> FieldNode {
        FieldNode {
            name: name.into(),
            value: value.into(),
            offset,
            len,
            children: Vec::new(),
        }
    }

    pub fn branch(
        name: impl Into<String>,
        value: impl Into<String>,
        offset: usize,
        len: usize,
        children: Vec<FieldNode>,
    ) -> FieldNode {
        FieldNode {
            name: name.into(),
            value: value.into(),
            offset,
            len,
            children,
        }
    }

    /// Depth-first search by name (tests and the UI use it).
    pub fn find(&self, name: &str) -> Option<&FieldNode> {
        if self.name == name {
            return Some(self);
        }
        self.children.iter().find_map(|c| c.find(name))
    }
}

/// The field tree of a decoded frame (placeholder: filled in below).
pub fn field_tree(
    frame: &crate::capture::Frame<'_>,
    decoded: &super::Decoded<'_>,
) -> Vec<FieldNode> {
    let _ = decoded;
    vec![FieldNode::leaf(
        "Frame",
        format!("{}", frame.number),
        0,
        frame.data.len(),
    )]
}

//! rustc's errors, read from cargo's `--message-format=json` lines: what
//! kind each is (a macro panic, unparsable macro output, the macro's own
//! rejection, or a type-check failure), and which annotated item it belongs
//! to.
//!
//! **Attribution.** An error belongs to the annotated item whose range (from
//! the inserted attribute to its last token) contains its primary span.
//! Errors in macro-generated code still carry the user's spans (`#[dual]`
//! copies them into both twins; tokens it makes up get the attribute's span,
//! which is inside the range); a span inside another macro's definition is
//! followed out through its expansion chain to the call site. An error whose
//! primary span is in no annotated item is given to the first annotated item
//! that one of its other spans or notes points into (E0034 "multiple
//! applicable items" is reported at a call outside, with notes at the two
//! impls); failing that it is unattributed.

use std::collections::BTreeMap;
use std::ops::Range;

use serde_json::Value;

use crate::items::Pos;

/// Where a span starts, in a file of the checked crate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Loc {
    /// Path relative to the crate root, as rustc reports it (`src/lib.rs`).
    pub(crate) file: String,
    /// Start of the span.
    pub(crate) pos: Pos,
}

impl std::fmt::Display for Loc {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.pos.line, self.pos.col + 1)
    }
}

/// One error of rustc.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Diag {
    /// `E0308`, a lint name (`missing_docs` denied), or none.
    pub(crate) code: Option<String>,
    /// The message (its first line is the headline).
    pub(crate) message: String,
    /// The primary spans and their expansion chains, innermost first.
    pub(crate) primary: Vec<Loc>,
    /// The other spans and the spans of notes and helps.
    pub(crate) secondary: Vec<Loc>,
    /// The messages of its notes and helps (a panic's payload is one).
    pub(crate) notes: Vec<String>,
    /// rustc's rendering, for logs.
    pub(crate) rendered: String,
}

/// What an error says about the macro.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Class {
    /// `custom attribute panicked`: the macro panicked.
    Panic,
    /// A parse error: the macro's output is not valid Rust (the unmodified
    /// crate compiled, so a parse error inside an annotated item is in it).
    Unparsable,
    /// The macro's own `compile_error!` (its messages name `#[dual]`).
    Rejected,
    /// Any other error: a twin (or the rewritten original) does not
    /// type-check.
    TypeError,
}

/// Headline prefixes of rustc's parse errors (they have no error code).
const PARSE_ERRORS: &[&str] = &[
    "expected ",
    "unexpected ",
    "macro expansion ignores ",
    "unmatched ",
    "mismatched closing delimiter",
    "this file contains an unclosed delimiter",
    "unknown start of token",
    "unterminated ",
    "found invalid ",
];

impl Diag {
    /// The first line of the message.
    pub(crate) fn headline(&self) -> &str {
        self.message.lines().next().unwrap_or("")
    }

    /// Where to show it: its first primary location, if in the crate.
    pub(crate) fn location(&self) -> String {
        self.primary.first().map_or_else(|| "(no location)".to_owned(), ToString::to_string)
    }

    /// What the error says about the macro (see [`Class`]).
    pub(crate) fn class(&self) -> Class {
        let head = self.headline();
        if self.code.is_some() {
            Class::TypeError
        } else if head.contains("panicked")
            && (head.contains("attribute") || head.contains("proc macro"))
        {
            Class::Panic
        } else if ["#[dual", "#[twoworlds", "#[bridge", "per_world!"]
            .iter()
            .any(|m| head.contains(m))
        {
            Class::Rejected
        } else if PARSE_ERRORS.iter().any(|p| head.starts_with(p)) {
            Class::Unparsable
        } else {
            Class::TypeError
        }
    }

    /// The key type-check failures are grouped by: the error code, or for an
    /// error without one its headline with every `quoted` part elided.
    pub(crate) fn group_key(&self) -> String {
        match &self.code {
            Some(code) => code.clone(),
            None => elide_quoted(self.headline()),
        }
    }
}

/// `text` with every `backquoted` name or type replaced by `…`, so that
/// messages differing only in the names they quote group together; quoted
/// syntax (`.await`, `#[..]`, `?`) is kept.
pub(crate) fn elide_quoted(text: &str) -> String {
    let mut out = String::new();
    for (i, part) in text.split('`').enumerate() {
        if i > 0 {
            out.push('`');
        }
        let syntax = part.starts_with(['.', '#', '?']);
        out.push_str(if i % 2 == 1 && !syntax { "…" } else { part });
    }
    out
}

/// A cargo JSON line that is a compiler error: the error, and the manifest
/// of the package it is about. `None` for other lines, warnings, and the
/// closing "aborting due to …" summary.
pub(crate) fn parse_line(line: &str) -> Option<(String, Diag)> {
    let value: Value = serde_json::from_str(line).ok()?;
    if value["reason"] != "compiler-message" {
        return None;
    }
    let manifest = value["manifest_path"].as_str().unwrap_or("").to_owned();
    let message = &value["message"];
    let level = message["level"].as_str().unwrap_or("");
    let text = message["message"].as_str().unwrap_or("");
    if !level.starts_with("error") || text.starts_with("aborting due to") {
        return None;
    }
    let mut primary = Vec::new();
    let mut secondary = Vec::new();
    for span in message["spans"].as_array().into_iter().flatten() {
        if span["is_primary"].as_bool() == Some(true) {
            chain(span, &mut primary);
        } else {
            chain(span, &mut secondary);
        }
    }
    let mut notes = Vec::new();
    for child in message["children"].as_array().into_iter().flatten() {
        notes.extend(child["message"].as_str().map(str::to_owned));
        for span in child["spans"].as_array().into_iter().flatten() {
            chain(span, &mut secondary);
        }
    }
    let diag = Diag {
        code: message["code"]["code"].as_str().map(str::to_owned),
        message: text.to_owned(),
        primary,
        secondary,
        notes,
        rendered: message["rendered"].as_str().unwrap_or(text).to_owned(),
    };
    Some((manifest, diag))
}

/// Pushes `span` and the call sites of the macros it was expanded from,
/// innermost first, keeping those in files of the crate (relative paths).
fn chain(span: &Value, out: &mut Vec<Loc>) {
    let mut current = Some(span);
    while let Some(span) = current {
        let file = span["file_name"].as_str().unwrap_or("");
        if !file.is_empty() && !file.starts_with('/') && !file.starts_with('<') {
            let line = span["line_start"].as_u64().unwrap_or(0);
            let col = span["column_start"].as_u64().unwrap_or(1).saturating_sub(1);
            let (line, col) =
                (usize::try_from(line).unwrap_or(0), usize::try_from(col).unwrap_or(0));
            out.push(Loc { file: file.to_owned(), pos: Pos { line, col } });
        }
        current = span.get("expansion").filter(|e| !e.is_null()).map(|e| &e["span"]);
    }
}

/// The annotated items' ranges per file, to attribute errors by position.
#[derive(Debug, Default)]
pub(crate) struct Index {
    /// File → (range in the annotated file, item id), in no given order.
    ranges: BTreeMap<String, Vec<(Range<Pos>, usize)>>,
}

/// Which item an error was attributed to, and how.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Owner {
    /// Its primary span is in the item.
    Direct(usize),
    /// Only a secondary span or note is.
    ViaNote(usize),
    /// No span is in an annotated item.
    Unattributed,
}

impl Index {
    /// Adds item `id`, at `range` of `file`.
    pub(crate) fn add(&mut self, file: &str, range: Range<Pos>, id: usize) {
        self.ranges.entry(file.to_owned()).or_default().push((range, id));
    }

    /// The item whose range contains `loc`.
    pub(crate) fn item_at(&self, loc: &Loc) -> Option<usize> {
        let ranges = self.ranges.get(&loc.file)?;
        ranges.iter().find(|(range, _)| range.contains(&loc.pos)).map(|&(_, id)| id)
    }

    /// The owner of `diag` (see the module docs).
    pub(crate) fn owner(&self, diag: &Diag) -> Owner {
        if let Some(id) = diag.primary.iter().find_map(|l| self.item_at(l)) {
            Owner::Direct(id)
        } else if let Some(id) = diag.secondary.iter().find_map(|l| self.item_at(l)) {
            Owner::ViaNote(id)
        } else {
            Owner::Unattributed
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn diag(code: Option<&str>, message: &str) -> Diag {
        Diag {
            code: code.map(str::to_owned),
            message: message.to_owned(),
            primary: Vec::new(),
            secondary: Vec::new(),
            notes: Vec::new(),
            rendered: String::new(),
        }
    }

    #[test]
    fn classes() {
        assert_eq!(diag(None, "custom attribute panicked").class(), Class::Panic);
        assert_eq!(diag(None, "proc macro panicked").class(), Class::Panic);
        let rejected = "#[dual(strict)]: this `.await` is not on an item\nmap it";
        assert_eq!(diag(None, rejected).class(), Class::Rejected);
        let parse = "expected one of `,`, `:`, or `}`, found `..`";
        assert_eq!(diag(None, parse).class(), Class::Unparsable);
        assert_eq!(diag(Some("E0308"), "expected `u32`, found `&str`").class(), Class::TypeError);
        assert_eq!(diag(None, "lifetime may not live long enough").class(), Class::TypeError);
    }

    #[test]
    fn group_keys_elide_names() {
        assert_eq!(diag(Some("E0277"), "x").group_key(), "E0277");
        let d = diag(None, "implementation of `FnOnce` is not general enough\nmore");
        assert_eq!(d.group_key(), "implementation of `…` is not general enough");
        let strict = "#[dual(strict)]: this `.await` is not on an item, so `blocking_get` has none";
        assert_eq!(
            elide_quoted(strict),
            "#[dual(strict)]: this `.await` is not on an item, so `…` has none"
        );
    }

    const E0063: &str = r#"{"reason":"compiler-message","manifest_path":"/w/t1/Cargo.toml","message":{"level":"error","message":"missing field `b`","code":{"code":"E0063","explanation":"…"},"rendered":"error[E0063]: …","spans":[{"file_name":"src/lib.rs","byte_start":198,"line_start":8,"column_start":48,"is_primary":true,"expansion":null}],"children":[{"level":"note","message":"n","spans":[{"file_name":"src/other.rs","line_start":3,"column_start":1,"is_primary":true,"expansion":null}]}]}}"#;

    #[test]
    fn parses_cargo_lines() {
        let (manifest, d) = parse_line(E0063).unwrap();
        assert_eq!(manifest, "/w/t1/Cargo.toml");
        assert_eq!(d.code.as_deref(), Some("E0063"));
        assert_eq!(d.location(), "src/lib.rs:8:48");
        assert_eq!(
            d.secondary,
            [Loc { file: "src/other.rs".into(), pos: Pos { line: 3, col: 0 } }]
        );
        let warning = E0063.replace(r#""level":"error""#, r#""level":"warning""#);
        assert!(parse_line(&warning).is_none());
        assert!(parse_line(r#"{"reason":"build-finished","success":false}"#).is_none());
    }

    #[test]
    fn follows_expansions_out_of_foreign_files() {
        let line = r#"{"reason":"compiler-message","manifest_path":"m","message":{"level":"error","message":"e","code":null,"spans":[{"file_name":"/reg/tokio/src/macros/select.rs","line_start":500,"column_start":9,"is_primary":true,"expansion":{"macro_decl_name":"tokio::select!","span":{"file_name":"src/lib.rs","line_start":12,"column_start":5,"expansion":null}}}],"children":[]}}"#;
        let (_, d) = parse_line(line).unwrap();
        assert_eq!(d.primary, [Loc { file: "src/lib.rs".into(), pos: Pos { line: 12, col: 4 } }]);
    }

    #[test]
    fn attribution_direct_via_note_and_unattributed() {
        let p = |line, col| Pos { line, col };
        let mut index = Index::default();
        index.add("src/lib.rs", p(10, 0)..p(20, 1), 0);
        index.add("src/lib.rs", p(20, 5)..p(30, 1), 1);
        index.add("src/a.rs", p(1, 0)..p(2, 0), 2);
        let at = |file: &str, line, col| Loc { file: file.into(), pos: p(line, col) };
        let mut d = diag(None, "e");
        d.primary = vec![at("src/lib.rs", 20, 2)]; // between the two items
        assert_eq!(index.owner(&d), Owner::Unattributed);
        d.secondary = vec![at("src/a.rs", 1, 7)];
        assert_eq!(index.owner(&d), Owner::ViaNote(2));
        d.primary.push(at("src/lib.rs", 20, 5)); // the start of item 1
        assert_eq!(index.owner(&d), Owner::Direct(1));
        d.primary = vec![at("src/lib.rs", 20, 1)]; // just past item 0
        d.secondary.clear();
        assert_eq!(index.owner(&d), Owner::Unattributed);
        assert_eq!(index.item_at(&at("src/lib.rs", 19, 80)), Some(0));
    }
}

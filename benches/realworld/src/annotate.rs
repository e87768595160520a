//! Inserts the attribute text before chosen items, keeping every other byte
//! of the file, and maps the items' positions into the annotated file.
//!
//! The attribute goes on the item's first line with a space after it
//! (`#[twoworlds::dual] /// Docs`), so line numbers do not move; only the
//! columns after an insertion on its own line do.

use std::ops::Range;

use crate::items::{Found, Pos};

/// `src` with `attr` and a space inserted at each of `items`' `insert_at`
/// offsets, and each item's range in the result: from the inserted
/// attribute to just past the item's last token.
pub(crate) fn annotate(src: &str, items: &[&Found], attr: &str) -> (String, Vec<Range<Pos>>) {
    let text = format!("{attr} ");
    let width = text.chars().count();
    let mut at: Vec<(usize, Pos)> = items.iter().map(|f| (f.insert_at, f.start)).collect();
    at.sort_unstable();
    let mut out = String::with_capacity(src.len() + at.len() * text.len());
    let mut copied = 0;
    for &(offset, _) in &at {
        out.push_str(&src[copied..offset]);
        out.push_str(&text);
        copied = offset;
    }
    out.push_str(&src[copied..]);
    let inserted: Vec<Pos> = at.iter().map(|&(_, start)| start).collect();
    let ranges = items
        .iter()
        .map(|f| shifted(f.start, &inserted, width)..shifted(f.end, &inserted, width))
        .collect();
    (out, ranges)
}

/// Where `pos` of the original file is in the annotated one: moved right by
/// every insertion strictly before it on its line (an item's own insertion is
/// at its start, so its range begins at the attribute).
fn shifted(pos: Pos, inserted: &[Pos], width: usize) -> Pos {
    let before = inserted.iter().filter(|i| i.line == pos.line && i.col < pos.col).count();
    Pos { line: pos.line, col: pos.col + before * width }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cfg::CfgSet;
    use crate::items::find_items;

    #[test]
    fn inserts_and_keeps_every_other_byte() {
        let src =
            "/// A\r\npub async fn a() {}\r\nfn s() {}\r\nasync fn b() {} async fn c() {}\r\n";
        let found = find_items(src, &CfgSet::default()).unwrap();
        let all: Vec<&Found> = found.iter().collect();
        let (out, ranges) = annotate(src, &all, "#[d]");
        assert_eq!(
            out,
            "#[d] /// A\r\npub async fn a() {}\r\nfn s() {}\r\n#[d] async fn b() {} #[d] async fn c() {}\r\n"
        );
        assert_eq!(out.replace("#[d] ", ""), src);
        let p = |line, col| Pos { line, col };
        assert_eq!(ranges[0], p(1, 0)..p(2, 19));
        assert_eq!(ranges[1], p(4, 0)..p(4, 20));
        assert_eq!(ranges[2], p(4, 21)..p(4, 41));
        // Each range covers its item in the output.
        let line4 = out.lines().nth(3).unwrap();
        assert_eq!(&line4[21..41], "#[d] async fn c() {}");
    }

    #[test]
    fn only_the_chosen_items() {
        let src = "async fn a() {}\nasync fn b() {}\n";
        let found = find_items(src, &CfgSet::default()).unwrap();
        let (out, ranges) = annotate(src, &[&found[1]], "#[twoworlds::dual(strict)]");
        assert_eq!(out, "async fn a() {}\n#[twoworlds::dual(strict)] async fn b() {}\n");
        assert_eq!(ranges, [Pos { line: 2, col: 0 }..Pos { line: 2, col: 42 }]);
    }
}

//! Finds the items of a source file that get `#[dual]`: every async `fn`,
//! inherent `impl`, trait `impl` and `trait` with an `async fn`, and every
//! inline `mod` with an `async fn` among its own items — outermost first: an
//! item inside one that qualifies is left alone (it is part of that
//! invocation). Items behind a cfg that is off are found but marked
//! inactive. Items produced by macros (`cfg_if! { .. }`) are not seen.

use proc_macro2::Span;
use syn::spanned::Spanned;
use syn::visit::{self, Visit};
use syn::{Attribute, ImplItem, Item, TraitItem};

use crate::cfg::CfgSet;

/// What kind of item is annotated (the forms of `#[dual]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Kind {
    /// `async fn`.
    Fn,
    /// Inherent `impl T`.
    Impl,
    /// `impl Trait for T`.
    TraitImpl,
    /// `trait T`.
    Trait,
    /// Inline `mod m { .. }`.
    Mod,
}

impl Kind {
    /// Every kind, in report order.
    pub(crate) const ALL: [Kind; 5] =
        [Kind::Fn, Kind::Impl, Kind::TraitImpl, Kind::Trait, Kind::Mod];

    /// The plural noun used in reports.
    pub(crate) fn plural(self) -> &'static str {
        match self {
            Kind::Fn => "fns",
            Kind::Impl => "impls",
            Kind::TraitImpl => "trait impls",
            Kind::Trait => "traits",
            Kind::Mod => "mods",
        }
    }
}

/// A position as rustc and proc-macro2 count it: 1-based line, 0-based column
/// in chars. Ordered by line, then column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Pos {
    /// 1-based line.
    pub(crate) line: usize,
    /// 0-based column, in chars.
    pub(crate) col: usize,
}

/// One item to annotate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Found {
    /// Its form.
    pub(crate) kind: Kind,
    /// `fn get`, `impl Pool<M>`, `impl Trait for T`, `trait T`, `mod m`.
    pub(crate) name: String,
    /// Byte offset of its first token (its first outer attribute or doc
    /// comment, else `pub`/`async`/`impl`…): where the attribute goes.
    pub(crate) insert_at: usize,
    /// Position of that token.
    pub(crate) start: Pos,
    /// Position just past its last token.
    pub(crate) end: Pos,
    /// Whether rustc compiles it under the build's cfg set.
    pub(crate) active: bool,
}

/// The items of `src` to annotate, in source order, or syn's parse error.
pub(crate) fn find_items(src: &str, cfg: &CfgSet) -> Result<Vec<Found>, String> {
    // syn strips a byte-order mark before parsing; offsets are then relative
    // to the rest.
    let bom = if src.starts_with('\u{feff}') { '\u{feff}'.len_utf8() } else { 0 };
    let body = &src[bom..];
    let file = syn::parse_file(body).map_err(|e| {
        let at = e.span().start();
        format!("{}:{}: {e}", at.line, at.column + 1)
    })?;
    let mut finder = Finder { cfg, src: body, bom, active: true, found: Vec::new() };
    finder.visit_file(&file);
    proc_macro2::extra::invalidate_current_thread_spans();
    Ok(finder.found)
}

/// The visitor behind [`find_items`].
struct Finder<'a> {
    cfg: &'a CfgSet,
    src: &'a str,
    bom: usize,
    /// Whether the enclosing items are all active.
    active: bool,
    found: Vec<Found>,
}

impl Finder<'_> {
    /// The source text of `span`, whitespace collapsed.
    fn text(&self, span: Span) -> String {
        let text = self.src.get(span.byte_range()).unwrap_or("?");
        text.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    /// The kind and name of `item` if it qualifies for `#[dual]`.
    fn qualifies(&self, item: &Item) -> Option<(Kind, String)> {
        let async_fn = |attrs: &[Attribute], sig: &syn::Signature| {
            sig.asyncness.is_some() && self.cfg.active(attrs)
        };
        match item {
            Item::Fn(f) if f.sig.asyncness.is_some() => {
                Some((Kind::Fn, format!("fn {}", f.sig.ident)))
            }
            Item::Impl(imp) => {
                let has = imp
                    .items
                    .iter()
                    .any(|i| matches!(i, ImplItem::Fn(f) if async_fn(&f.attrs, &f.sig)));
                let ty = self.text(imp.self_ty.span());
                match &imp.trait_ {
                    _ if !has => None,
                    Some((path, _)) => {
                        Some((Kind::TraitImpl, format!("impl {} for {ty}", self.text(path.span()))))
                    }
                    None => Some((Kind::Impl, format!("impl {ty}"))),
                }
            }
            Item::Trait(tr) => tr
                .items
                .iter()
                .any(|i| matches!(i, TraitItem::Fn(f) if async_fn(&f.attrs, &f.sig)))
                .then(|| (Kind::Trait, format!("trait {}", tr.ident))),
            Item::Mod(m) => {
                let (_, items) = m.content.as_ref()?;
                items
                    .iter()
                    .any(|i| matches!(i, Item::Fn(f) if async_fn(&f.attrs, &f.sig)))
                    .then(|| (Kind::Mod, format!("mod {}", m.ident)))
            }
            _ => None,
        }
    }

    /// Runs `inner` with `attrs`' cfgs applied to [`Finder::active`].
    fn scoped(&mut self, attrs: &[Attribute], inner: impl FnOnce(&mut Self)) {
        let outer = self.active;
        self.active = outer && self.cfg.active(attrs);
        inner(self);
        self.active = outer;
    }
}

impl<'ast> Visit<'ast> for Finder<'_> {
    fn visit_item(&mut self, item: &'ast Item) {
        let attrs = item_attrs(item);
        let active = self.active && self.cfg.active(attrs);
        if let Some((kind, name)) = self.qualifies(item) {
            let span = item.span();
            self.found.push(Found {
                kind,
                name,
                insert_at: self.bom + span.byte_range().start,
                start: pos(span.start()),
                end: pos(span.end()),
                active,
            });
            return; // what is inside is part of this invocation
        }
        self.scoped(attrs, |this| visit::visit_item(this, item));
    }

    fn visit_impl_item_fn(&mut self, node: &'ast syn::ImplItemFn) {
        self.scoped(&node.attrs, |this| visit::visit_impl_item_fn(this, node));
    }

    fn visit_trait_item_fn(&mut self, node: &'ast syn::TraitItemFn) {
        self.scoped(&node.attrs, |this| visit::visit_trait_item_fn(this, node));
    }
}

/// A proc-macro2 position as a [`Pos`].
fn pos(at: proc_macro2::LineColumn) -> Pos {
    Pos { line: at.line, col: at.column }
}

/// The outer attributes of any item.
fn item_attrs(item: &Item) -> &[Attribute] {
    match item {
        Item::Const(i) => &i.attrs,
        Item::Enum(i) => &i.attrs,
        Item::ExternCrate(i) => &i.attrs,
        Item::Fn(i) => &i.attrs,
        Item::ForeignMod(i) => &i.attrs,
        Item::Impl(i) => &i.attrs,
        Item::Macro(i) => &i.attrs,
        Item::Mod(i) => &i.attrs,
        Item::Static(i) => &i.attrs,
        Item::Struct(i) => &i.attrs,
        Item::Trait(i) => &i.attrs,
        Item::TraitAlias(i) => &i.attrs,
        Item::Type(i) => &i.attrs,
        Item::Union(i) => &i.attrs,
        Item::Use(i) => &i.attrs,
        _ => &[],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn find(src: &str) -> Vec<(Kind, String, bool)> {
        let cfg = CfgSet::new("unix", &["rt".to_owned()]);
        find_items(src, &cfg).unwrap().into_iter().map(|f| (f.kind, f.name, f.active)).collect()
    }

    #[test]
    fn every_form_outermost_first() {
        let src = r"
            async fn free() {}
            fn sync_fn() { async fn inner() {} }
            impl Pool < M > { fn a(&self) {} async fn b(&self) {} }
            impl Pool<N> { fn only_sync(&self) {} }
            impl Manage for  Pool<X> { async fn connect(&self) {} }
            trait T { async fn t(&self); fn u(&self); }
            trait U { fn u(&self); }
            mod m { async fn f() {} impl S { async fn g(&self) {} } }
            mod n { struct S; impl S { async fn g(&self) {} } }
        ";
        let yes = |k, n: &str| (k, n.to_owned(), true);
        assert_eq!(
            find(src),
            [
                yes(Kind::Fn, "fn free"),
                yes(Kind::Fn, "fn inner"),
                yes(Kind::Impl, "impl Pool < M >"),
                yes(Kind::TraitImpl, "impl Manage for Pool<X>"),
                yes(Kind::Trait, "trait T"),
                yes(Kind::Mod, "mod m"),
                yes(Kind::Impl, "impl S"),
            ]
        );
    }

    #[test]
    fn cfg_off_items_are_inactive_and_off_methods_do_not_count() {
        let src = r#"
            #[cfg(test)] mod tests { async fn t() {} }
            #[cfg(feature = "rt")] async fn rt() {}
            #[cfg(windows)] mod win { impl S { async fn w(&self) {} } }
            impl S { #[cfg(feature = "off")] async fn off(&self) {} }
            impl S { #[cfg(windows)] fn w() { async fn deep() {} } }
        "#;
        let found = find(src);
        assert_eq!(
            found,
            [
                (Kind::Mod, "mod tests".to_owned(), false),
                (Kind::Fn, "fn rt".to_owned(), true),
                (Kind::Impl, "impl S".to_owned(), false),
                (Kind::Fn, "fn deep".to_owned(), false),
            ]
        );
    }

    #[test]
    fn positions_start_at_the_first_attribute() {
        let src = "use x;\n/// Docs\n#[inline] pub async fn é() {}\nasync fn g() {}";
        let cfg = CfgSet::default();
        let found = find_items(src, &cfg).unwrap();
        assert_eq!(&src[found[0].insert_at..found[0].insert_at + 8], "/// Docs");
        assert_eq!(found[0].start, Pos { line: 2, col: 0 });
        assert_eq!(found[0].end, Pos { line: 3, col: 29 }); // chars, not bytes
        assert_eq!(found[1].start, Pos { line: 4, col: 0 });
        let bom = format!("\u{feff}{src}");
        let found = find_items(&bom, &cfg).unwrap();
        assert_eq!(&bom[found[0].insert_at..found[0].insert_at + 8], "/// Docs");
    }

    #[test]
    fn unparsable_file_is_an_error_with_its_position() {
        let error = find_items("fn f( {", &CfgSet::default()).unwrap_err();
        assert!(error.starts_with("1:"), "{error}");
    }
}

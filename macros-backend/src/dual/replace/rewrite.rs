//! The syntax-tree side of path replacement: finding the rule for a path
//! (directly or through a `use`d module name), splicing the replacement in,
//! and the [`Rewriter`] visitor that does it for every path owner.

use super::Replacements;
use super::{text, usetree};
use proc_macro2::Span;
use std::collections::HashMap;
use syn::visit::{self, Visit};
use syn::visit_mut::{self, VisitMut};
use syn::{Path, PathArguments, QSelf, Token};

/// Rewrites `item` with `rules`.
pub(super) fn apply(rules: &Replacements, item: &mut syn::Item) {
    let aliases = Aliases::collect(rules, item);
    Rewriter { find: Finder { rules, aliases: &aliases } }.visit_item_mut(item);
}

/// Names that `use` items inside the item bind to modules in front of a
/// rule: `use tokio::fs;` binds `fs` to `tokio::fs`.
pub(super) struct Aliases {
    /// Name → full path; `None` when two `use`s bind the name differently.
    map: HashMap<String, Option<Vec<String>>>,
}

impl Aliases {
    /// The aliases of the `use` items anywhere in `item`.
    fn collect(rules: &Replacements, item: &syn::Item) -> Self {
        /// Input: every `use` item. Output: the names it binds.
        struct Collect {
            aliases: Aliases,
        }
        impl<'ast> Visit<'ast> for Collect {
            fn visit_item_use(&mut self, node: &'ast syn::ItemUse) {
                for (name, path) in usetree::bindings(&node.tree) {
                    let entry = self.aliases.map.entry(name).or_insert_with(|| Some(path.clone()));
                    if entry.as_ref() != Some(&path) {
                        *entry = None;
                    }
                }
                visit::visit_item_use(self, node);
            }
        }
        let mut collect = Collect { aliases: Self { map: HashMap::new() } };
        collect.visit_item(item);
        let mut aliases = collect.aliases;
        aliases.map.retain(|_, path| path.as_ref().is_none_or(|path| rules.is_strict_prefix(path)));
        aliases
    }

    /// The module path `name` stands for, if it is an unambiguous alias.
    fn get(&self, name: &str) -> Option<&[String]> {
        self.map.get(name).and_then(Option::as_deref)
    }
}

/// A rule matched at the start of a path.
pub(super) struct Hit<'r> {
    /// How many leading segments of the path it replaces.
    pub(super) consumed: usize,
    /// What replaces them.
    pub(super) to: &'r Path,
}

/// Looks up the rule for a path: the rules plus the aliases of the item.
#[derive(Clone, Copy)]
pub(super) struct Finder<'r> {
    /// The rules.
    rules: &'r Replacements,
    /// The `use`d module names of the item.
    aliases: &'r Aliases,
}

impl<'r> Finder<'r> {
    /// The rule for a path of segment `names`, replacing at most `limit`
    /// segments. A path with a leading `::` is not expanded through aliases.
    pub(super) fn find<S: AsRef<str>>(
        self,
        leading_colon: bool,
        names: &[S],
        limit: usize,
    ) -> Option<Hit<'r>> {
        if let Some((consumed, to)) = self.rules.longest(names, limit) {
            return Some(Hit { consumed, to });
        }
        let (first, rest) = names.split_first()?;
        if leading_colon || rest.is_empty() {
            return None;
        }
        let base = self.aliases.get(first.as_ref())?;
        let expanded: Vec<&str> =
            base.iter().map(String::as_str).chain(rest.iter().map(AsRef::as_ref)).collect();
        let (len, to) = self.rules.longest(&expanded, limit.saturating_add(base.len() - 1))?;
        (len > base.len()).then(|| Hit { consumed: len - base.len() + 1, to })
    }

    /// Rewrites a path that has no `<T as Trait>::` qualifier.
    pub(super) fn rewrite_plain(self, path: &mut Path) -> bool {
        let names = segment_names(path);
        match self.find(path.leading_colon.is_some(), &names, usize::MAX) {
            Some(hit) => {
                splice(path, &hit);
                true
            }
            None => false,
        }
    }

    /// Rewrites a path that may have a qualifier: `<T as tokio::io::AsyncRead>::x`
    /// only has its trait part (the segments before `position`) replaced.
    fn rewrite_owner(self, qself: &mut Option<QSelf>, path: &mut Path) {
        let Some(qself) = qself else {
            self.rewrite_plain(path);
            return;
        };
        if qself.position == 0 {
            return;
        }
        let names = segment_names(path);
        if let Some(hit) = self.find(path.leading_colon.is_some(), &names, qself.position) {
            qself.position = qself.position - hit.consumed + hit.to.segments.len();
            splice(path, &hit);
        }
    }
}

/// The identifiers of a path's segments, as strings.
fn segment_names(path: &Path) -> Vec<String> {
    path.segments.iter().map(|segment| segment.ident.to_string()).collect()
}

/// Input: `tokio::fs::read::<P>(..)` and a hit of `tokio::fs::read => ::std::fs::read`.
/// Output: `::std::fs::read::<P>(..)`; the new segments take the spans of the
/// ones they replace, and the generic arguments of the last replaced segment
/// move to the last new one.
pub(super) fn splice(path: &mut Path, hit: &Hit<'_>) {
    if path.segments.is_empty() || hit.to.segments.is_empty() {
        return;
    }
    let old: Vec<syn::PathSegment> = std::mem::take(&mut path.segments).into_iter().collect();
    let consumed = hit.consumed.clamp(1, old.len());
    let spans: Vec<Span> = old[..consumed].iter().map(|segment| segment.ident.span()).collect();
    let span_at = |index: usize| spans[index.min(consumed - 1)];
    let carried = old[consumed - 1].arguments.clone();
    let last = hit.to.segments.len().saturating_sub(1);
    for (index, segment) in hit.to.segments.iter().enumerate() {
        let mut segment = segment.clone();
        segment.ident.set_span(span_at(index));
        if index == last && matches!(segment.arguments, PathArguments::None) {
            segment.arguments = carried.clone();
        }
        path.segments.push(segment);
    }
    path.segments.extend(old.into_iter().skip(consumed));
    path.leading_colon = hit.to.leading_colon.map(|_| Token![::](span_at(0)));
}

/// Input: the blocking copy of an item. Output: the same with every path
/// that a rule matches replaced; doc text and macro arguments too.
struct Rewriter<'r> {
    /// The rule lookup.
    find: Finder<'r>,
}

impl VisitMut for Rewriter<'_> {
    fn visit_expr_path_mut(&mut self, node: &mut syn::ExprPath) {
        self.find.rewrite_owner(&mut node.qself, &mut node.path);
        visit_mut::visit_expr_path_mut(self, node);
    }

    fn visit_type_path_mut(&mut self, node: &mut syn::TypePath) {
        self.find.rewrite_owner(&mut node.qself, &mut node.path);
        visit_mut::visit_type_path_mut(self, node);
    }

    fn visit_expr_struct_mut(&mut self, node: &mut syn::ExprStruct) {
        self.find.rewrite_owner(&mut node.qself, &mut node.path);
        visit_mut::visit_expr_struct_mut(self, node);
    }

    fn visit_pat_struct_mut(&mut self, node: &mut syn::PatStruct) {
        self.find.rewrite_owner(&mut node.qself, &mut node.path);
        visit_mut::visit_pat_struct_mut(self, node);
    }

    fn visit_pat_tuple_struct_mut(&mut self, node: &mut syn::PatTupleStruct) {
        self.find.rewrite_owner(&mut node.qself, &mut node.path);
        visit_mut::visit_pat_tuple_struct_mut(self, node);
    }

    fn visit_trait_bound_mut(&mut self, node: &mut syn::TraitBound) {
        self.find.rewrite_plain(&mut node.path);
        visit_mut::visit_trait_bound_mut(self, node);
    }

    fn visit_item_impl_mut(&mut self, node: &mut syn::ItemImpl) {
        if let Some((path, _)) = &mut node.trait_ {
            self.find.rewrite_plain(path);
        }
        visit_mut::visit_item_impl_mut(self, node);
    }

    fn visit_macro_mut(&mut self, node: &mut syn::Macro) {
        self.find.rewrite_plain(&mut node.path);
        node.tokens = text::rewrite_tokens(self.find, std::mem::take(&mut node.tokens));
    }

    fn visit_attribute_mut(&mut self, node: &mut syn::Attribute) {
        // Only doc text: other attributes (`#[tokio::test]`, derives, lints)
        // name things of the compiler or of other macros.
        text::rewrite_doc(self.find, node);
    }

    fn visit_vis_restricted_mut(&mut self, _node: &mut syn::VisRestricted) {
        // `pub(in path)` names a module of this crate: never replaced.
    }

    fn visit_item_mut(&mut self, node: &mut syn::Item) {
        let syn::Item::Use(item_use) = node else {
            visit_mut::visit_item_mut(self, node);
            return;
        };
        self.visit_attributes_mut(&mut item_use.attrs);
        let binds_alias = usetree::bindings(&item_use.tree)
            .iter()
            .any(|(name, _)| self.find.aliases.get(name).is_some());
        if binds_alias {
            // Paths through this name may all have been replaced.
            item_use.attrs.push(syn::parse_quote!(#[allow(unused_imports)]));
        }
        if let Some(rebuilt) = usetree::rewrite(self.find, item_use) {
            *node = rebuilt;
        }
    }
}

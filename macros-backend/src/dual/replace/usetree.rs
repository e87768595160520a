//! `use` items under replacement: a tree is flattened into one import per
//! leaf, each leaf is rewritten like a path, and when any changed the tree is
//! rebuilt with common prefixes grouped again.

use super::rewrite::{Finder, splice};
use proc_macro2::TokenStream;
use quote::{ToTokens, quote};
use syn::{Ident, ItemUse, Path, PathSegment, Token, UseTree};

/// One import of a `use` tree: `a::b::{c as d}` gives prefix `[a, b]` and
/// tail `Rename(c, d)`.
struct Leaf {
    /// Whether the path starts with `::`.
    leading_colon: bool,
    /// The segments before the tail.
    prefix: Vec<Ident>,
    /// What the leaf imports.
    tail: Tail,
}

/// The last part of a [`Leaf`].
enum Tail {
    /// `name` (may be `self`).
    Name(Ident),
    /// `name as rename` (`name` may be `self`).
    Rename(Ident, Ident),
    /// `*`.
    Glob(Token![*]),
}

/// Every leaf of `tree`, in order.
fn flatten(tree: &UseTree, leading_colon: bool, prefix: &mut Vec<Ident>, out: &mut Vec<Leaf>) {
    let tail = match tree {
        UseTree::Path(path) => {
            prefix.push(path.ident.clone());
            flatten(&path.tree, leading_colon, prefix, out);
            prefix.pop();
            return;
        }
        UseTree::Group(group) => {
            for tree in &group.items {
                flatten(tree, leading_colon, prefix, out);
            }
            return;
        }
        UseTree::Name(name) => Tail::Name(name.ident.clone()),
        UseTree::Rename(rename) => Tail::Rename(rename.ident.clone(), rename.rename.clone()),
        UseTree::Glob(glob) => Tail::Glob(glob.star_token),
    };
    out.push(Leaf { leading_colon, prefix: prefix.clone(), tail });
}

/// The names a `use` tree binds, each with the full path it binds it to
/// (`use tokio::{fs, io as tio}` → `fs` → `tokio::fs`, `tio` → `tokio::io`).
pub(super) fn bindings(tree: &UseTree) -> Vec<(String, Vec<String>)> {
    let mut leaves = Vec::new();
    flatten(tree, false, &mut Vec::new(), &mut leaves);
    leaves
        .into_iter()
        .filter_map(|leaf| {
            let mut path: Vec<String> = leaf.prefix.iter().map(Ident::to_string).collect();
            let (ident, name) = match &leaf.tail {
                Tail::Name(ident) => (ident, ident.to_string()),
                Tail::Rename(ident, rename) => (ident, rename.to_string()),
                Tail::Glob(_) => return None,
            };
            if ident != "self" {
                path.push(ident.to_string());
            }
            let name = if name == "self" { path.last()?.clone() } else { name };
            Some((name, path))
        })
        .collect()
}

impl Leaf {
    /// The path this leaf names (without the tail for `self` and `*`).
    fn path(&self) -> Path {
        let mut segments: Vec<Ident> = self.prefix.clone();
        match &self.tail {
            Tail::Name(ident) | Tail::Rename(ident, _) if ident != "self" => {
                segments.push(ident.clone());
            }
            _ => {}
        }
        Path {
            leading_colon: self.leading_colon.then(<Token![::]>::default),
            segments: segments.into_iter().map(PathSegment::from).collect(),
        }
    }

    /// Input: `tokio::io::AsyncReadExt` (rule `tokio::io::AsyncReadExt =>
    /// ::std::io::Read`). Output: `::std::io::Read as AsyncReadExt`: an item
    /// replaced whole keeps the name it was imported under.
    fn rewrite(&mut self, find: Finder<'_>) -> bool {
        let mut path = self.path();
        let names: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
        let Some(hit) = find.find(self.leading_colon, &names, names.len()) else {
            return false;
        };
        let whole = hit.consumed == names.len();
        let old_name = path.segments.last().map(|segment| segment.ident.clone());
        splice(&mut path, &hit);
        self.leading_colon = path.leading_colon.is_some();
        let mut segments: Vec<Ident> = path.segments.into_iter().map(|s| s.ident).collect();
        // The name the import binds after the rewrite, when it differs.
        let moved = |new: Option<&Ident>| old_name.clone().filter(|old| whole && Some(old) != new);
        match &mut self.tail {
            Tail::Glob(_) => {}
            Tail::Name(ident) if ident == "self" => {
                if let Some(old) = moved(segments.last()) {
                    self.tail = Tail::Rename(ident.clone(), old);
                }
            }
            Tail::Rename(ident, _) if ident == "self" => {}
            Tail::Name(ident) => {
                let new = segments.pop().unwrap_or_else(|| ident.clone());
                self.tail = match moved(Some(&new)) {
                    Some(old) => Tail::Rename(new, old),
                    None => Tail::Name(new),
                };
            }
            Tail::Rename(ident, _) => *ident = segments.pop().unwrap_or_else(|| ident.clone()),
        }
        self.prefix = segments;
        true
    }
}

/// Input: `use tokio::io::{AsyncReadExt, BufReader}, crate::x;` and the rules.
/// Output: `use ::std::io::{Read as AsyncReadExt, BufReader}` beside
/// `crate::x` (a verbatim item when `::`-leading and plain paths mix under
/// one brace, which syn cannot represent), or `None` when nothing matched.
pub(super) fn rewrite(find: Finder<'_>, item: &ItemUse) -> Option<syn::Item> {
    let mut leaves = Vec::new();
    flatten(&item.tree, item.leading_colon.is_some(), &mut Vec::new(), &mut leaves);
    let mut changed = false;
    for leaf in &mut leaves {
        changed |= leaf.rewrite(find);
    }
    if !changed {
        return None;
    }
    let mut root = Node::default();
    for leaf in leaves {
        root.insert(leaf);
    }
    let ItemUse { attrs, vis, use_token, semi_token, .. } = item;
    let tree = root.entries_tokens();
    let tokens = quote! { #(#attrs)* #vis #use_token #tree #semi_token };
    Some(syn::parse2(tokens.clone()).unwrap_or(syn::Item::Verbatim(tokens)))
}

/// A prefix tree of leaves, keeping the order they came in.
#[derive(Default)]
struct Node {
    /// Imports ending here and subtrees, in order.
    entries: Vec<Entry>,
}

/// One entry of a [`Node`].
enum Entry {
    /// An import ending at this node.
    Tail(Tail),
    /// A deeper segment; `leading_colon` only at the root.
    Child { leading_colon: bool, ident: Ident, node: Node },
}

impl Node {
    /// Adds `leaf` below this node.
    fn insert(&mut self, leaf: Leaf) {
        let mut node = self;
        let mut leading_colon = leaf.leading_colon;
        for ident in leaf.prefix {
            let position = node.entries.iter().position(|entry| {
                matches!(entry, Entry::Child { leading_colon: colon, ident: existing, .. }
                    if *colon == leading_colon && *existing == ident)
            });
            let index = position.unwrap_or_else(|| {
                node.entries.push(Entry::Child { leading_colon, ident, node: Node::default() });
                node.entries.len() - 1
            });
            let Entry::Child { node: child, .. } = &mut node.entries[index] else { unreachable!() };
            node = child;
            leading_colon = false;
        }
        node.entries.push(Entry::Tail(leaf.tail));
    }

    /// The entries: alone when there is one (and it is not `self`), else braced.
    fn entries_tokens(&self) -> TokenStream {
        let lone_self = |entry: &Entry| matches!(entry, Entry::Tail(Tail::Name(i) | Tail::Rename(i, _)) if i == "self");
        match self.entries.as_slice() {
            [entry] if !lone_self(entry) => entry.to_token_stream(),
            entries => quote! { { #(#entries),* } },
        }
    }
}

impl ToTokens for Entry {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        match self {
            Entry::Tail(Tail::Name(ident)) => ident.to_tokens(tokens),
            Entry::Tail(Tail::Rename(ident, rename)) => quote!(#ident as #rename).to_tokens(tokens),
            Entry::Tail(Tail::Glob(star)) => star.to_tokens(tokens),
            Entry::Child { leading_colon, ident, node } => {
                let colon = leading_colon.then(<Token![::]>::default);
                let rest = node.entries_tokens();
                quote!(#colon #ident :: #rest).to_tokens(tokens);
            }
        }
    }
}

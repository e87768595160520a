//! The `use` items the lint can see, to resolve a call's path to the item it
//! names: `thread::sleep` after `use std::thread;` is `std::thread::sleep`.

use std::collections::HashMap;
use syn::visit::Visit;

/// Names brought into scope by `use` items.
#[derive(Debug, Default)]
pub(crate) struct Imports {
    /// Each imported name (or its `as` rename) → the full path it stands for.
    names: HashMap<String, Vec<String>>,
    /// The modules of glob imports (`use std::fs::*;` → `std::fs`).
    globs: Vec<Vec<String>>,
}

impl Imports {
    /// Adds every name of `other`.
    pub(crate) fn extend(&mut self, other: &Imports) {
        self.names.extend(other.names.iter().map(|(k, v)| (k.clone(), v.clone())));
        self.globs.extend(other.globs.iter().cloned());
    }

    /// Adds the names of `item`.
    pub(crate) fn add(&mut self, item: &syn::ItemUse) {
        self.add_tree(&mut Vec::new(), &item.tree);
    }

    /// Adds the `use` items anywhere in `block` (block scoping is not tracked).
    pub(crate) fn add_from_block(&mut self, block: &syn::Block) {
        /// Input: a body. Output: its `use` items, added to the imports.
        struct Uses<'a>(&'a mut Imports);
        impl<'ast> Visit<'ast> for Uses<'_> {
            fn visit_item_use(&mut self, item: &'ast syn::ItemUse) {
                self.0.add(item);
            }
        }
        Uses(self).visit_block(block);
    }

    /// Adds the names of `tree`, below the path `prefix`.
    fn add_tree(&mut self, prefix: &mut Vec<String>, tree: &syn::UseTree) {
        match tree {
            syn::UseTree::Path(path) => {
                prefix.push(path.ident.to_string());
                self.add_tree(prefix, &path.tree);
                prefix.pop();
            }
            syn::UseTree::Name(name) => {
                let name = name.ident.to_string();
                if name == "self" {
                    if let Some(last) = prefix.last() {
                        self.names.insert(last.clone(), prefix.clone());
                    }
                } else {
                    let mut full = prefix.clone();
                    full.push(name.clone());
                    self.names.insert(name, full);
                }
            }
            syn::UseTree::Rename(rename) => {
                let mut full = prefix.clone();
                if rename.ident != "self" {
                    full.push(rename.ident.to_string());
                }
                self.names.insert(rename.rename.to_string(), full);
            }
            syn::UseTree::Glob(_) => self.globs.push(prefix.clone()),
            syn::UseTree::Group(group) => {
                for tree in &group.items {
                    self.add_tree(prefix, tree);
                }
            }
        }
    }

    /// `segments` with the first replaced by what a visible `use` imported
    /// under that name (`blocking::f` after `use crate::m::blocking;` is
    /// `crate::m::blocking::f`), else as written.
    pub(crate) fn expand_first(&self, segments: &[String]) -> Vec<String> {
        let Some((first, rest)) = segments.split_first() else { return Vec::new() };
        let mut full = self.names.get(first).cloned().unwrap_or_else(|| vec![first.clone()]);
        full.extend(rest.iter().cloned());
        full
    }

    /// The full paths `path` may stand for: its first segment replaced by what
    /// a `use` imported under that name, else, for a single segment, each glob
    /// module joined with it, else the path as written. `None` for paths that
    /// cannot be std's (`crate::`, `self::`, `super::`, `Self::`).
    pub(crate) fn resolve(&self, path: &syn::Path) -> Option<Resolved> {
        let segments: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
        let first = segments.first()?;
        if ["crate", "self", "super", "Self"].contains(&first.as_str()) {
            return None;
        }
        if path.leading_colon.is_some() {
            return Some(Resolved { candidates: vec![segments], exact: true });
        }
        if let Some(full) = self.names.get(first) {
            let mut resolved = full.clone();
            resolved.extend(segments[1..].iter().cloned());
            return Some(Resolved { candidates: vec![resolved], exact: true });
        }
        let exact = first == "std" || first == "core";
        let mut candidates = vec![segments.clone()];
        if segments.len() == 1 {
            candidates.extend(self.globs.iter().map(|glob| {
                let mut full = glob.clone();
                full.push(first.clone());
                full
            }));
        }
        Some(Resolved { candidates, exact })
    }
}

/// What a path may stand for.
#[derive(Debug)]
pub(crate) struct Resolved {
    /// Full paths it may name.
    pub(crate) candidates: Vec<Vec<String>>,
    /// Whether a candidate is known to be the full path (it starts at a crate
    /// root, or a `use` said so); if not, a table path may match its tail.
    pub(crate) exact: bool,
}

impl Resolved {
    /// Whether this names `target` (a full path from the table): exactly, or,
    /// for an unexplained path of two or more segments, by its tail.
    pub(crate) fn names(&self, target: &[&str]) -> bool {
        self.candidates.iter().any(|path| {
            let tail = path.len() >= 2 && !self.exact && target.ends_with_strs(path);
            tail || path.iter().map(String::as_str).eq(target.iter().copied())
        })
    }

    /// Whether this names a function directly in the module `module`.
    pub(crate) fn names_fn_in(&self, module: &[&str]) -> bool {
        self.candidates.iter().any(|path| {
            let Some((name, parent)) = path.split_last() else { return false };
            let is_fn = name.starts_with(|c: char| c.is_ascii_lowercase() || c == '_');
            is_fn
                && Self { candidates: vec![parent.to_vec()], exact: self.exact }
                    .names_module(module)
        })
    }

    /// Whether the single candidate names the module `module` (or its tail).
    fn names_module(&self, module: &[&str]) -> bool {
        self.candidates.iter().any(|path| {
            let tail = !path.is_empty() && !self.exact && module.ends_with_strs(path);
            tail || path.iter().map(String::as_str).eq(module.iter().copied())
        })
    }
}

/// `ends_with` between a table path and a written one.
trait EndsWithStrs {
    /// Whether `self` ends with the segments of `tail`.
    fn ends_with_strs(&self, tail: &[String]) -> bool;
}

impl EndsWithStrs for [&str] {
    fn ends_with_strs(&self, tail: &[String]) -> bool {
        tail.len() <= self.len()
            && self[self.len() - tail.len()..].iter().zip(tail).all(|(a, b)| *a == b.as_str())
    }
}

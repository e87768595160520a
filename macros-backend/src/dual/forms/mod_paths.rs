//! Where the copy of a `#[dual] mod m` sits: one module deeper than the
//! original (`m::blocking`), so paths that leave `m` get one more `super`
//! ([`SuperAdjust`]), and `static`s are re-exported from the original, not
//! copied ([`reexport_statics`]).

use proc_macro2::Span;
use syn::visit_mut::{self, VisitMut};
use syn::{Item, ItemMod};

/// The path from the copy of nested module `inner` to its original, given
/// `outer`, the path from the copy of its parent to the parent's original
/// (`super` at the top: `m::blocking` → `m`).
pub(crate) fn nested_original(outer: &syn::Path, inner: &syn::Ident) -> syn::Path {
    syn::parse_quote!(super::#outer::#inner)
}

/// Input: `static X: T = ..;` in the copy (visibility already adjusted).
/// Output: `use <original>::X;` with the same visibility: one state, not two.
pub(super) fn reexport_statics(items: &mut [Item], original: &syn::Path) {
    for item in items {
        match item {
            Item::Static(s) => {
                let (vis, ident) = (&s.vis, &s.ident);
                let cfgs = s.attrs.iter().filter(|a| a.path().is_ident("cfg"));
                *item = syn::parse_quote!(#(#cfgs)* #vis use #original::#ident;);
            }
            Item::Mod(m) => {
                let inner = nested_original(original, &m.ident);
                if let Some((_, items)) = &mut m.content {
                    reexport_statics(items, &inner);
                }
            }
            _ => {}
        }
    }
}

/// Input: a path in the copy, `depth` modules below the copy's root, starting
/// with `super` more times than `depth` (so it leaves `m`): `super::x`.
/// Output: one more `super`: `super::super::x`. Also `pub(super)` →
/// `pub(in super::super)` and `use super::..` trees.
pub(super) struct SuperAdjust {
    /// How many modules below the copy's root the visitor is.
    pub(super) depth: usize,
}

impl SuperAdjust {
    /// Whether a path starting with `supers` `super`s leaves `m`.
    fn leaves(&self, supers: usize) -> bool {
        supers > self.depth
    }
}

/// How many `super` segments `path` starts with.
fn leading_supers(path: &syn::Path) -> usize {
    if path.leading_colon.is_some() {
        return 0;
    }
    path.segments.iter().take_while(|s| s.ident == "super").count()
}

impl VisitMut for SuperAdjust {
    fn visit_item_mod_mut(&mut self, module: &mut ItemMod) {
        self.depth += 1;
        visit_mut::visit_item_mod_mut(self, module);
        self.depth -= 1;
    }

    fn visit_path_mut(&mut self, path: &mut syn::Path) {
        if self.leaves(leading_supers(path)) {
            path.segments.insert(0, syn::Ident::new("super", Span::call_site()).into());
        }
        visit_mut::visit_path_mut(self, path);
    }

    fn visit_visibility_mut(&mut self, vis: &mut syn::Visibility) {
        let syn::Visibility::Restricted(restricted) = vis else { return };
        if self.leaves(leading_supers(&restricted.path)) {
            restricted.path.segments.insert(0, syn::Ident::new("super", Span::call_site()).into());
            restricted.in_token = Some(syn::Token![in](Span::call_site()));
        }
    }

    fn visit_item_use_mut(&mut self, item: &mut syn::ItemUse) {
        self.visit_visibility_mut(&mut item.vis);
        if item.leading_colon.is_some() {
            return;
        }
        let mut supers = 0;
        let mut tree = &item.tree;
        while let syn::UseTree::Path(p) = tree {
            if p.ident != "super" {
                break;
            }
            supers += 1;
            tree = &p.tree;
        }
        if self.leaves(supers) {
            let old = std::mem::replace(
                &mut item.tree,
                syn::UseTree::Glob(syn::UseGlob { star_token: syn::Token![*](Span::call_site()) }),
            );
            item.tree = syn::parse_quote!(super::#old);
        }
    }
}

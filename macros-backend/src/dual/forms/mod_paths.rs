//! Where the copy of a `#[dual] mod m` sits: one module deeper than the
//! original (`m::blocking`), so paths that leave `m` get one more `super`
//! ([`SuperAdjust`]), and `static`s are re-exported from the original, not
//! copied ([`reexport_statics`]).

use proc_macro2::{Group, Span, TokenStream, TokenTree};
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

    // Macro arguments are tokens: `println!("{}", super::X)`, and every
    // settled `.await` (`settle_await!(.., super::f())`).
    fn visit_macro_mut(&mut self, mac: &mut syn::Macro) {
        visit_mut::visit_macro_mut(self, mac);
        mac.tokens = self.adjust_tokens(std::mem::take(&mut mac.tokens));
    }
}

impl SuperAdjust {
    // Input: tokens with a path `super :: super :: x` that leaves `m`.
    // Output: `super :: super :: super :: x`; in groups too.
    /// [`SuperAdjust::visit_path_mut`] over macro tokens: a run of `super ::`
    /// not preceded by `::` starts a path.
    fn adjust_tokens(&self, tokens: TokenStream) -> TokenStream {
        let tokens: Vec<TokenTree> = tokens.into_iter().collect();
        let mut out = Vec::with_capacity(tokens.len());
        let mut index = 0;
        while index < tokens.len() {
            let after_colons = index >= 1
                && matches!(&tokens[index - 1], TokenTree::Punct(p) if p.as_char() == ':');
            let supers = if after_colons { 0 } else { supers_at(&tokens[index..]) };
            if self.leaves(supers) {
                out.extend(quote::quote!(super::));
            }
            out.push(match &tokens[index] {
                TokenTree::Group(group) => {
                    let mut inner =
                        Group::new(group.delimiter(), self.adjust_tokens(group.stream()));
                    inner.set_span(group.span());
                    TokenTree::Group(inner)
                }
                other => other.clone(),
            });
            index += 1;
        }
        out.into_iter().collect()
    }
}

/// How many `super ::` pairs `tokens` starts with.
fn supers_at(tokens: &[TokenTree]) -> usize {
    tokens
        .chunks(3)
        .take_while(|chunk| {
            matches!(chunk, [TokenTree::Ident(i), TokenTree::Punct(a), TokenTree::Punct(b)]
                if i == "super" && a.as_char() == ':' && b.as_char() == ':')
        })
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn adjusted(depth: usize, mac: syn::Macro) -> String {
        let mut mac = mac;
        SuperAdjust { depth }.visit_macro_mut(&mut mac);
        mac.tokens.to_string()
    }

    #[test]
    fn paths_in_macro_arguments_that_leave_the_module_get_one_more_super() {
        let text = adjusted(0, syn::parse_quote!(m!(super::f(x), self::g, a::super_x, [super::Y])));
        assert_eq!(
            text,
            "super :: super :: f (x) , self :: g , a :: super_x , [super :: super :: Y]"
        );
        // One module below the copy's root, `super::` stays inside `m`.
        let text = adjusted(1, syn::parse_quote!(m!(super::f(), super::super::g())));
        assert_eq!(text, "super :: f () , super :: super :: super :: g ()");
    }
}

//! Ties each async fn of the async copy to its counterpart in the blocking
//! copy. Before an item is copied into its two worlds (per-world markers can
//! remove items from either copy, so positions do not line up), every async
//! fn with a body gets a private attribute with a number; both copies carry
//! it, each form reads it where it pairs the two, and [`strip`] takes every
//! one off before anything reaches rustc.
//!
//! Input: `async fn f() { .. }` (anywhere in the item: free, in an impl,
//! trait or nested mod). Output: `#[__twoworlds_fn(0)] async fn f() { .. }`.

use super::ir::FnId;
// The fn visits do not recurse: a fn's body is not entered (its nested
// items are not twinned).
use syn::visit_mut::VisitMut;
use syn::{Attribute, Block, Signature};

/// The private attribute's name.
const MARKER: &str = "__twoworlds_fn";

/// Numbers every async fn with a body in `item`, from 0.
pub(crate) fn mark(item: &mut syn::Item) {
    Mark { next: 0 }.visit_item_mut(item);
}

/// The number of a fn marked by [`mark`], taken off its attributes.
pub(crate) fn take(attrs: &mut Vec<Attribute>) -> Option<FnId> {
    let mut found = None;
    attrs.retain(|attr| {
        if !attr.path().is_ident(MARKER) {
            return true;
        }
        found = number(attr);
        false
    });
    found
}

/// The number in a marker `#[__twoworlds_fn(7u32)]`, read off its one
/// token (a marker is ours: no parse needed).
fn number(attr: &Attribute) -> Option<FnId> {
    let syn::Meta::List(list) = &attr.meta else { return None };
    let Some(proc_macro2::TokenTree::Literal(literal)) = list.tokens.clone().into_iter().next()
    else {
        return None;
    };
    literal.to_string().trim_end_matches("u32").parse().ok()
}

/// Takes every marker off `item`.
pub(crate) fn strip(item: &mut syn::Item) {
    Strip.visit_item_mut(item);
}

/// The numbering pass.
struct Mark {
    /// The next number.
    next: FnId,
}

impl Mark {
    /// Numbers one fn if it is async and has a body.
    fn one(&mut self, attrs: &mut Vec<Attribute>, sig: &Signature, body: Option<&Block>) {
        if sig.asyncness.is_some() && body.is_some() {
            let id = self.next;
            attrs.push(crate::common::list_attr(MARKER, quote::quote!(#id)));
            self.next += 1;
        }
    }
}

impl VisitMut for Mark {
    fn visit_item_fn_mut(&mut self, f: &mut syn::ItemFn) {
        self.one(&mut f.attrs, &f.sig, Some(&f.block));
    }

    fn visit_impl_item_fn_mut(&mut self, f: &mut syn::ImplItemFn) {
        self.one(&mut f.attrs, &f.sig, Some(&f.block));
    }

    fn visit_trait_item_fn_mut(&mut self, f: &mut syn::TraitItemFn) {
        self.one(&mut f.attrs, &f.sig, f.default.as_ref());
    }
}

/// The stripping pass.
struct Strip;

impl VisitMut for Strip {
    fn visit_item_fn_mut(&mut self, f: &mut syn::ItemFn) {
        take(&mut f.attrs);
    }

    fn visit_impl_item_fn_mut(&mut self, f: &mut syn::ImplItemFn) {
        take(&mut f.attrs);
    }

    fn visit_trait_item_fn_mut(&mut self, f: &mut syn::TraitItemFn) {
        take(&mut f.attrs);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::ToTokens as _;

    #[test]
    fn async_fns_with_bodies_are_numbered_and_stripped() {
        let mut item: syn::Item = syn::parse_quote! {
            mod m {
                async fn a() {}
                fn b() {}
                impl X { async fn c(&self) { async fn inner() {} } }
                trait T { async fn d(&self); async fn e(&self) {} }
            }
        };
        mark(&mut item);
        let text = item.to_token_stream().to_string();
        assert_eq!(text.matches(MARKER).count(), 3, "a, c and e: {text}");
        strip(&mut item);
        assert!(!item.to_token_stream().to_string().contains(MARKER));
    }
}

//! `#[only_blocking]` methods of a `#[dual]` trait and of its impls.
//!
//! The blocking trait is implemented for every implementor of the async
//! trait by one blanket impl ([`super::blanket`]), which can only forward to
//! what the async trait has. So a blocking-only method is also kept in the
//! async trait (and in `#[dual]` impls of it) under a hidden name, and the
//! blanket impl forwards to that.
//!
//! Input:  `#[only_blocking] fn flush(&self) -> bool;` (in the trait or an impl).
//! Output: the same, and beside it
//!         `#[only_async] #[doc(hidden)] fn __twoworlds_blocking_flush(&self) -> bool;`.

use super::super::markers::is_blocking_only;
use quote::format_ident;
use syn::ext::IdentExt as _;
use syn::{Attribute, ImplItem, TraitItem};

/// The hidden name of the blocking-only method `name`.
pub(super) fn hidden_name(name: &syn::Ident) -> syn::Ident {
    format_ident!("__twoworlds_blocking_{}", name.unraw(), span = name.span())
}

/// Adds the hidden async-world copy of every blocking-only fn of a trait.
pub(super) fn in_trait(items: &mut Vec<TraitItem>) {
    let mut out = Vec::with_capacity(items.len());
    for item in items.drain(..) {
        if let TraitItem::Fn(f) = &item
            && is_blocking_only(&f.attrs)
        {
            let mut hidden = f.clone();
            hide(&mut hidden.attrs, &mut hidden.sig.ident);
            out.push(item);
            out.push(TraitItem::Fn(hidden));
        } else {
            out.push(item);
        }
    }
    *items = out;
}

/// Adds the hidden async-world copy of every blocking-only fn of an impl.
pub(super) fn in_impl(items: &mut Vec<ImplItem>) {
    let mut out = Vec::with_capacity(items.len());
    for item in items.drain(..) {
        if let ImplItem::Fn(f) = &item
            && is_blocking_only(&f.attrs)
        {
            let mut hidden = f.clone();
            hide(&mut hidden.attrs, &mut hidden.sig.ident);
            out.push(item);
            out.push(ImplItem::Fn(hidden));
        } else {
            out.push(item);
        }
    }
    *items = out;
}

/// Input: a blocking-only fn's attributes and name.
/// Output: an async-only, doc-hidden fn under the hidden name.
fn hide(attrs: &mut Vec<Attribute>, ident: &mut syn::Ident) {
    attrs.retain(|attr| !is_blocking_only(std::slice::from_ref(attr)));
    attrs.push(syn::parse_quote!(#[only_async]));
    attrs.push(syn::parse_quote!(#[doc(hidden)]));
    *ident = hidden_name(ident);
}

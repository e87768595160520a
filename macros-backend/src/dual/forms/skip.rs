//! `#[dual(skip)]` on items inside a `#[dual] mod`: the item is not copied
//! into `m::blocking`. A skipped item is re-exported there instead (`use
//! super::Item;`, so both worlds share it, e.g. one error type); a skipped
//! method of an impl is left out of the copy's impl.
//!
//! The options are taken off before the copies are made, leaving a private
//! marker attribute ([`MARKER`]) that [`strip`] and [`resolve`] consume.

use super::super::options::{self, Form};
use crate::common::Errors;
use proc_macro2::Span;
use syn::{ImplItem, Item};

/// The attribute that marks a skipped item between [`mark`] and [`strip`]/[`resolve`].
const MARKER: &str = "__twoworlds_skip";

/// Whether `attrs` carry the skip marker.
pub(crate) fn is_marked(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| a.path().is_ident(MARKER))
}

/// Input: items with `#[dual(skip)]` (or other, rejected, options).
/// Output: the options removed; skipped items and methods marked.
pub(crate) fn mark(items: &mut [Item], errors: &mut Errors) {
    let marker = syn::Ident::new(MARKER, Span::call_site());
    // `allow_blocking` (the per-item allow of the blocking-call lint) goes
    // on what holds fns: a fn, an impl or trait and its methods, a mod.
    let take = |attrs: &mut Vec<syn::Attribute>, holds_fns: bool, errors: &mut Errors| {
        let options = options::take_inner(attrs, errors);
        options.check_form(if holds_fns { Form::ModItemWithFns } else { Form::ModItem }, errors);
        if options.skip.is_some() {
            attrs.push(syn::parse_quote!(#[#marker]));
        }
        if holds_fns && options.allow_blocking.is_some() {
            // The per-item allow, taken off again by `super::lint`.
            attrs.push(syn::parse_quote!(#[allow_blocking]));
        }
    };
    for item in items {
        let holds_fns = matches!(item, Item::Fn(_) | Item::Impl(_) | Item::Trait(_) | Item::Mod(_));
        if let Some(attrs) = item_attrs(item) {
            take(attrs, holds_fns, errors);
        }
        match item {
            Item::Impl(imp) => {
                for inner in &mut imp.items {
                    if let ImplItem::Fn(f) = inner {
                        take(&mut f.attrs, true, errors);
                    }
                }
            }
            Item::Mod(m) => {
                if let Some((_, items)) = &mut m.content {
                    mark(items, errors);
                }
            }
            _ => {}
        }
    }
}

/// Input: the async copy. Output: the same without skip markers.
pub(crate) fn strip(items: &mut [Item]) {
    for item in items {
        if let Some(attrs) = item_attrs(item) {
            attrs.retain(|a| !a.path().is_ident(MARKER));
        }
        match item {
            Item::Impl(imp) => {
                for inner in &mut imp.items {
                    if let ImplItem::Fn(f) = inner {
                        f.attrs.retain(|a| !a.path().is_ident(MARKER));
                    }
                }
            }
            Item::Mod(m) => {
                if let Some((_, items)) = &mut m.content {
                    strip(items);
                }
            }
            _ => {}
        }
    }
}

/// Input: the blocking copy (before paths are adjusted).
/// Output: skipped items replaced by `use <original>::Name;` (same visibility),
/// skipped methods removed.
pub(crate) fn resolve(items: &mut [Item], original: &syn::Path) {
    for item in items.iter_mut() {
        match item {
            Item::Impl(imp) => {
                imp.items.retain(|i| !matches!(i, ImplItem::Fn(f) if is_marked(&f.attrs)));
            }
            Item::Mod(m) if !is_marked(&m.attrs) => {
                let inner = super::mod_paths::nested_original(original, &m.ident);
                if let Some((_, items)) = &mut m.content {
                    resolve(items, &inner);
                }
            }
            _ => {}
        }
        let marked = item_attrs(item).is_some_and(|attrs| is_marked(attrs));
        if marked {
            *item = reexport(item, original);
        }
    }
}

/// `use super::Name;` for a named item (with its visibility and `cfg`s),
/// or nothing for an unnamed one (an impl).
fn reexport(item: &Item, original: &syn::Path) -> Item {
    let named = match item {
        Item::Fn(i) => Some((&i.attrs, &i.vis, &i.sig.ident)),
        Item::Struct(i) => Some((&i.attrs, &i.vis, &i.ident)),
        Item::Enum(i) => Some((&i.attrs, &i.vis, &i.ident)),
        Item::Trait(i) => Some((&i.attrs, &i.vis, &i.ident)),
        Item::Type(i) => Some((&i.attrs, &i.vis, &i.ident)),
        Item::Const(i) => Some((&i.attrs, &i.vis, &i.ident)),
        Item::Static(i) => Some((&i.attrs, &i.vis, &i.ident)),
        Item::Mod(i) => Some((&i.attrs, &i.vis, &i.ident)),
        Item::Union(i) => Some((&i.attrs, &i.vis, &i.ident)),
        _ => None,
    };
    match named {
        Some((attrs, vis, ident)) => {
            let cfgs = attrs.iter().filter(|a| a.path().is_ident("cfg"));
            syn::parse_quote!(#(#cfgs)* #vis use #original::#ident;)
        }
        None => Item::Verbatim(proc_macro2::TokenStream::new()),
    }
}

/// The attributes of an item, for the kinds that can be skipped.
fn item_attrs(item: &mut Item) -> Option<&mut Vec<syn::Attribute>> {
    match item {
        Item::Fn(i) => Some(&mut i.attrs),
        Item::Struct(i) => Some(&mut i.attrs),
        Item::Enum(i) => Some(&mut i.attrs),
        Item::Trait(i) => Some(&mut i.attrs),
        Item::Type(i) => Some(&mut i.attrs),
        Item::Const(i) => Some(&mut i.attrs),
        Item::Static(i) => Some(&mut i.attrs),
        Item::Mod(i) => Some(&mut i.attrs),
        Item::Union(i) => Some(&mut i.attrs),
        Item::Impl(i) => Some(&mut i.attrs),
        _ => None,
    }
}

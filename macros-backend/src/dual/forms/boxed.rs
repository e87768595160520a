//! `#[dual]` above `#[async_trait]`: the dyn-compatible way, in both worlds.
//!
//! `async_trait` rewrites a trait's and its impls' `async fn`s into fns
//! returning `Pin<Box<dyn Future + Send + '_>>`, after `#[dual]`, which runs
//! first. So here the async copy keeps its `async fn`s (linted and watched,
//! in the nested shape) and its `#[async_trait]`, and the blocking world is
//! a trait of its own, dyn-compatible too, implemented by each `#[dual]`
//! impl (there is no blanket impl: boxed futures carry no blocking twin).
//!
//! Input:  `#[dual] #[async_trait] trait Store { async fn get(&self) -> u8; }`
//!         and `#[dual] #[async_trait] impl Store for X { async fn get(&self) -> u8 { 1 } }`.
//! Output: `#[async_trait] trait Store { async fn get(&self) -> u8; }`,
//!         `trait BlockingStore { fn get(&self) -> u8; }`, and
//!         `#[async_trait] impl Store for X { .. }` + `impl BlockingStore for X { fn get(&self) -> u8 { 1 } }`.

use super::super::ir::Branches;
use super::super::options::Args;
use super::super::twin::{self, FnParts, Names};
use super::super::{fn_ids, instrument, respan, worlds};
use super::trait_::OwnTraitPaths;
use crate::common::Errors;
use proc_macro2::TokenStream;
use quote::quote;
use syn::visit_mut::VisitMut as _;
use syn::{ImplItem, Item, ItemImpl, TraitItem};

/// Whether `attrs` have `#[async_trait]` (any path ending in `async_trait`).
pub(super) fn has_async_trait(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(is_async_trait)
}

/// The hint for a trait or impl whose async fns `#[async_trait]` already
/// rewrote (it ran first: it was written above `#[dual]`), else `""`.
pub(super) fn ran_before<'a>(sigs: impl Iterator<Item = &'a syn::Signature>) -> &'static str {
    let mut sigs = sigs;
    let boxed = sigs.any(|sig| {
        let output = &sig.output;
        quote!(#output).to_string().contains("'async_trait")
    });
    if boxed {
        "\n`#[async_trait]` ran first and made its `async fn`s return boxed futures: \
         put `#[dual]` above `#[async_trait]`"
    } else {
        ""
    }
}

/// Whether `attr` is `#[async_trait]`.
fn is_async_trait(attr: &syn::Attribute) -> bool {
    attr.path().segments.last().is_some_and(|s| s.ident == "async_trait")
}

/// The trait form over `#[async_trait]`: `tr` as written (numbered copies
/// are made here), its blocking trait named `twin_name`.
pub(super) fn expand_trait(
    original: &Item,
    (name, twin_name): (&syn::Ident, &syn::Ident),
    async_names: &[String],
    args: &Args,
    errors: &mut Errors,
) -> TokenStream {
    let (async_copy, blocking) = worlds::split(original, args, errors);
    let Item::Trait(mut blocking) = blocking else { return quote!(#original) };
    blocking.attrs.retain(|attr| !is_async_trait(attr));
    blocking.ident = twin_name.clone();
    blocking.attrs = twin::twin_attrs(&blocking.attrs, &name.to_string(), false);
    let items: Vec<String> = blocking
        .items
        .iter()
        .filter_map(|i| match i {
            TraitItem::Fn(f) => Some(f.sig.ident.to_string()),
            _ => None,
        })
        .collect();
    for item in &mut blocking.items {
        let TraitItem::Fn(method) = item else { continue };
        fn_ids::take(&mut method.attrs);
        let method_name = method.sig.ident.clone();
        if !async_names.contains(&method_name.to_string()) {
            continue;
        }
        if let Some(body) = &mut method.default {
            let items = Some(items.as_slice());
            OwnTraitPaths { from: name, to: twin_name, items, errors }.visit_block_mut(body);
        }
        let (link, label) =
            (format!("{name}::{method_name}"), format!("{twin_name}::{method_name}"));
        let names = Names::plain(&method_name, &link, &label);
        let parts = FnParts {
            attrs: &mut method.attrs,
            sig: &mut method.sig,
            block: method.default.as_mut(),
        };
        twin::twin_fn(parts, &names, None, args, errors);
    }
    let kept = |name: Option<&syn::Ident>, _: &[syn::Attribute]| {
        name.is_some_and(|name| !async_names.contains(&name.to_string()))
    };
    let originals =
        instrument::versions(&async_copy, args, (&Branches::new(), true), &kept, &mut |_, _| {});
    let gate = args.cfgs.blocking_attr();
    let blocking = respan::wrap(&quote!(#gate #blocking), blocking.ident.span());
    quote!(#originals #blocking)
}

/// The trait impl form over `#[async_trait]`: the impl, and the impl of the
/// blocking trait (`Blocking` + the trait's name, or `blocking = Name`).
pub(super) fn expand_impl(
    original: &Item,
    imp: &ItemImpl,
    async_names: &[String],
    args: &Args,
    errors: &mut Errors,
) -> TokenStream {
    let Some((trait_path, _)) = &imp.trait_ else { return quote!(#original) };
    let mut blocking_path = trait_path.clone();
    let Some(last) = blocking_path.segments.last_mut() else { return quote!(#original) };
    let from = last.ident.clone();
    last.ident = args.blocking.clone().unwrap_or_else(|| quote::format_ident!("Blocking{}", from));
    let to = last.ident.clone();
    let (async_copy, blocking) = worlds::split(original, args, errors);
    let Item::Impl(mut blocking) = blocking else { return quote!(#original) };
    blocking.attrs.retain(|attr| !is_async_trait(attr));
    if let Some((path, _)) = &mut blocking.trait_ {
        *path = blocking_path.clone();
    }
    let owner = crate::common::owner_name(&imp.self_ty);
    for item in &mut blocking.items {
        let ImplItem::Fn(method) = item else { continue };
        fn_ids::take(&mut method.attrs);
        let method_name = method.sig.ident.clone();
        if !async_names.contains(&method_name.to_string()) {
            continue;
        }
        OwnTraitPaths { from: &from, to: &to, items: None, errors }
            .visit_block_mut(&mut method.block);
        // The trait as the impl writes it: in scope wherever the impl is.
        let written = quote!(#trait_path).to_string().replace(' ', "");
        let link = format!("{written}::{method_name}");
        let label = format!("{owner}::{method_name}");
        let names = Names::plain(&method_name, &link, &label);
        let parts = FnParts {
            attrs: &mut method.attrs,
            sig: &mut method.sig,
            block: Some(&mut method.block),
        };
        twin::twin_fn(parts, &names, None, args, errors);
    }
    let kept = |name: Option<&syn::Ident>, _: &[syn::Attribute]| {
        name.is_some_and(|name| !async_names.contains(&name.to_string()))
    };
    let originals =
        instrument::versions(&async_copy, args, (&Branches::new(), true), &kept, &mut |_, _| {});
    let gate = args.cfgs.blocking_attr();
    let blocking = respan::wrap(&quote!(#gate #blocking), blocking.impl_token.span);
    quote!(#originals #blocking)
}

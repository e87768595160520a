//! `#[dual] impl T { .. }` → each async method `m` gains `blocking_m` in the
//! same impl; sync methods stay as they are; `#[dual(skip)]` on a method
//! leaves it alone and `#[dual(blocking = name)]` names its twin.

use super::super::args::{self, Args};
use super::super::ir::Scope;
use super::fn_::is_async;
use crate::common::Errors;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use std::collections::HashMap;
use syn::{ImplItem, Item, ItemImpl, Type};

/// Options that apply to an inherent impl.
const IMPL_OPTIONS: &[&str] = &["strict", "crate", "replace", "tokio_to_std", "allow_blocking"];
/// Options that apply to one method of it.
const METHOD_OPTIONS: &[&str] = &["skip", "blocking", "allow_blocking"];

/// Expands the inherent impl form.
pub(crate) fn expand(imp: &ItemImpl, args: &Args, errors: &mut Errors) -> TokenStream {
    args.reject_unless(IMPL_OPTIONS, "an inherent impl", errors);
    let mut imp = imp.clone();
    let has_async = imp.items.iter().any(|i| matches!(i, ImplItem::Fn(f) if is_async(&f.sig)));
    let twins = method_twins(&mut imp, errors);
    let original = Item::Impl(imp.clone());
    if twins.is_empty() && !has_async {
        errors.push(syn::Error::new(
            imp.impl_token.span,
            "#[dual] has nothing to transform: this impl has no `async fn` method \
             (without #[dual(skip)]), so no method gets a blocking twin",
        ));
        return quote!(#original);
    }
    if twins.is_empty() {
        return quote!(#original);
    }
    let mut scope = Scope::default();
    scope.methods.clone_from(&twins);
    scope.self_names.push("Self".to_owned());
    if let Type::Path(path) = &*imp.self_ty
        && let Some(last) = path.path.segments.last()
    {
        scope.self_names.push(last.ident.to_string());
    }
    let (mut async_copy, blocking) = super::prepare(&original, args, errors);
    super::lint::instrument(&mut async_copy, args, &|name, _| {
        name.is_some_and(|name| !twins.contains_key(&name.to_string()))
    });
    let (Item::Impl(mut out), Item::Impl(blocking)) = (async_copy, blocking) else {
        return quote!(#original);
    };
    let mut blocking_fns: HashMap<String, syn::ImplItemFn> = blocking
        .items
        .into_iter()
        .filter_map(|item| match item {
            ImplItem::Fn(f) => Some((f.sig.ident.to_string(), f)),
            _ => None,
        })
        .collect();
    let items = std::mem::take(&mut out.items);
    for item in items {
        let name = match &item {
            ImplItem::Fn(f) => Some(f.sig.ident.to_string()),
            _ => None,
        };
        out.items.push(item);
        let Some(name) = name else { continue };
        let (Some(twin_name), Some(mut twin)) = (twins.get(&name), blocking_fns.remove(&name))
        else {
            continue;
        };
        let link = format!("Self::{name}");
        super::twin_fn(
            &mut twin.attrs,
            &mut twin.sig,
            Some(&mut twin.block),
            (twin_name, &link),
            &scope,
            args,
            errors,
        );
        out.items.push(ImplItem::Fn(twin));
    }
    quote!(#out)
}

/// Takes the per-method `#[dual(..)]` options out of `imp` and returns each
/// async method's twin name (by method name); reports collisions.
fn method_twins(imp: &mut ItemImpl, errors: &mut Errors) -> HashMap<String, syn::Ident> {
    let mut twins = HashMap::new();
    let existing: Vec<syn::Ident> = imp
        .items
        .iter()
        .filter_map(|item| match item {
            ImplItem::Fn(f) => Some(f.sig.ident.clone()),
            ImplItem::Const(c) => Some(c.ident.clone()),
            _ => None,
        })
        .collect();
    for item in &mut imp.items {
        let ImplItem::Fn(method) = item else { continue };
        let options = args::take_inner(&mut method.attrs, errors);
        options.reject_unless(METHOD_OPTIONS, "a method of a #[dual] impl", errors);
        if options.allow_blocking.is_some() {
            method.attrs.push(syn::parse_quote!(#[allow_blocking]));
        }
        if options.skip.is_some() || !is_async(&method.sig) {
            continue;
        }
        if !super::fn_::check_sig(&method.sig, errors) {
            continue;
        }
        let name = &method.sig.ident;
        let twin = options.blocking.unwrap_or_else(|| format_ident!("blocking_{}", name));
        if let Some(taken) = existing.iter().find(|e| **e == twin) {
            errors.push(super::collision(&twin, taken, "method"));
            continue;
        }
        twins.insert(name.to_string(), twin);
    }
    twins
}

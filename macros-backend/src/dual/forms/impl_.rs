//! `#[dual] impl T { .. }` → each async method `m` gains `blocking_m` in the
//! same impl; sync methods stay as they are; `#[dual(skip)]` on a method
//! leaves it alone and `#[dual(blocking = name)]` names its twin.

use super::super::ir::{Branches, ClosureCallees};
use super::super::options::{self, Args, Form};
use super::super::rewrite::closure_params::sync_closure_params;
use super::super::twin::{self, FnParts, Names};
use super::super::{fn_ids, instrument, respan, worlds};
use super::fn_::is_async;
use crate::common::Errors;
use proc_macro2::TokenStream;
use quote::quote;
use std::collections::HashMap;
use syn::{ImplItem, Item, ItemImpl};

// Input: `#[dual] impl T { async fn m(&self, a: A) -> R { body } .. }`.
// Output: the impl, where `m` returns its `#[dual]` future (blocking world:
// `Self::blocking_m(self, a)`), and beside it `fn blocking_m(&self, a: A) -> R`.
/// Expands the inherent impl form.
pub(crate) fn expand(imp: &ItemImpl, args: &Args, errors: &mut Errors) -> TokenStream {
    args.check_form(Form::Impl, errors);
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
    let (mut async_copy, blocking) = worlds::split(&original, args, errors);
    let Item::Impl(blocking) = blocking else { return quote!(#original) };
    let owner = crate::common::owner_name(&imp.self_ty);
    let mut branches = Branches::new();
    let mut made = HashMap::new();
    let closure_callees = closure_callees(&imp, &twins);
    for item in blocking.items {
        let ImplItem::Fn(mut f) = item else { continue };
        let name = f.sig.ident.to_string();
        let Some(twin_name) = twins.get(&name) else { continue };
        let id = fn_ids::take(&mut f.attrs);
        let callee = twin::callee(syn::parse_quote!(Self::#twin_name), &f.sig);
        let parts = FnParts { attrs: &mut f.attrs, sig: &mut f.sig, block: Some(&mut f.block) };
        let (link, label) = (format!("Self::{name}"), format!("{owner}::{twin_name}"));
        let names = Names {
            name: twin_name,
            link: &link,
            label: &label,
            own_methods: Some(&twins),
            closure_callees: Some(&closure_callees),
            adapted_closures: false,
            closure_decision: None,
        };
        let branch = twin::twin_fn(parts, &names, Some(callee), args, errors);
        branches.extend(id.zip(branch));
        made.insert(name, f);
    }
    let left_alone = |name: Option<&syn::Ident>, _: &[syn::Attribute]| {
        name.is_some_and(|name| !twins.contains_key(&name.to_string()))
    };
    if args.cfgs.any() {
        // The originals in their versions; the twins in an impl of their own.
        let originals = instrument::versions(
            &async_copy,
            args,
            (&branches, false),
            &left_alone,
            &mut |_, _| {},
        );
        let Item::Impl(mut twin_impl) = async_copy else { return quote!(#original) };
        twin_impl.attrs = args.cfgs.blocking_attr().into_iter().collect();
        let mut definitions = TokenStream::new();
        twin_impl.items = made.into_values().map(|twin| wrapped(&twin, &mut definitions)).collect();
        return quote!(#originals #definitions #twin_impl);
    }
    instrument::instrument(&mut async_copy, args, &branches, &left_alone);
    let Item::Impl(mut out) = async_copy else { return quote!(#original) };
    // Each twin right after its original (its macro's definition before
    // the impl).
    let mut definitions = TokenStream::new();
    let items = std::mem::take(&mut out.items);
    for item in items {
        let name = match &item {
            ImplItem::Fn(f) => Some(f.sig.ident.to_string()),
            _ => None,
        };
        out.items.push(item);
        if let Some(twin) = name.and_then(|name| made.remove(&name)) {
            out.items.push(wrapped(&twin, &mut definitions));
        }
    }
    quote!(#definitions #out)
}

/// `twin`, a twin method, as the invocation of a macro of its own located
/// at the name of the method it is the twin of (see `respan`); the macro's
/// definition is added to `definitions`.
fn wrapped(twin: &syn::ImplItemFn, definitions: &mut TokenStream) -> ImplItem {
    let wrapped = respan::wrap(twin, twin.sig.ident.span());
    definitions.extend(wrapped.definition);
    ImplItem::Verbatim(wrapped.invocation)
}

/// The methods with twins whose twins take sync closures where they take
/// closures returning futures (see `rewrite::closure_ty`).
fn closure_callees(imp: &ItemImpl, twins: &HashMap<String, syn::Ident>) -> ClosureCallees {
    imp.items
        .iter()
        .filter_map(|item| match item {
            ImplItem::Fn(f) if twins.contains_key(&f.sig.ident.to_string()) => {
                Some((f.sig.ident.to_string(), sync_closure_params(&f.sig, Some(&f.block), false)))
            }
            _ => None,
        })
        .filter(|(_, params)| !params.inputs.is_empty())
        .collect()
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
        let options = options::take_inner(&mut method.attrs, errors);
        options.check_form(Form::Method, errors);
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
        let twin = options.blocking.unwrap_or_else(|| twin::blocking_name(name));
        if let Some(taken) = existing.iter().find(|e| **e == twin) {
            errors.push(twin::collision(&twin, taken, "method"));
            continue;
        }
        twins.insert(name.to_string(), twin);
    }
    twins
}

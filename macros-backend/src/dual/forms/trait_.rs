//! `#[dual] trait Store { .. }` → `Store` + `trait BlockingStore` (same
//! method names, sync); `#[dual] impl Store for X { .. }` → the impl + `impl
//! BlockingStore for X`. With `send`, the async trait's methods return
//! `impl Future<Output = T> + Send` (as trait-variant does).

use super::super::args::{self, Args};
use super::super::ir::Scope;
use super::super::rewrite::calls::QualifySelfCalls;
use super::fn_::is_async;
use crate::common::Errors;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::visit_mut::VisitMut as _;
use syn::{ImplItem, Item, ItemImpl, ItemTrait, TraitItem};

/// Options that apply to a trait.
const TRAIT_OPTIONS: &[&str] =
    &["blocking", "send", "strict", "crate", "replace", "tokio_to_std", "allow_blocking"];
/// Options that apply to a trait impl.
const IMPL_OPTIONS: &[&str] =
    &["blocking", "strict", "crate", "replace", "tokio_to_std", "allow_blocking"];

/// The blocking trait's name for a trait named `name`.
fn blocking_name(name: &syn::Ident, args: &Args) -> syn::Ident {
    args.blocking.clone().unwrap_or_else(|| format_ident!("Blocking{}", name))
}

/// Removes `#[dual(..)]` from the methods of a trait or trait impl (none applies there).
fn no_method_options<'a>(
    attrs: impl Iterator<Item = &'a mut Vec<syn::Attribute>>,
    errors: &mut Errors,
) {
    for attrs in attrs {
        args::take_inner(attrs, errors).reject_unless(
            &[],
            "a method of a #[dual] trait or trait impl",
            errors,
        );
    }
}

/// A scope where the given async methods keep their names, and calls
/// through the trait's name `from` go to the blocking trait `to`.
fn same_name_scope(names: &[String], from: &syn::Ident, to: &syn::Ident) -> Scope {
    let mut scope = Scope::default();
    for name in names {
        // Parsed, not `Ident::new`: a raw name (`r#type`) must not panic.
        if let Ok(ident) = syn::parse_str::<syn::Ident>(name) {
            scope.methods.insert(name.clone(), ident);
        }
    }
    scope.self_names.push("Self".to_owned());
    scope.self_names.push(from.to_string());
    scope.trait_rename = Some((from.to_string(), to.clone()));
    scope
}

/// Expands the trait form.
pub(crate) fn expand(tr: &ItemTrait, args: &Args, errors: &mut Errors) -> TokenStream {
    args.reject_unless(TRAIT_OPTIONS, "a trait", errors);
    let mut tr = tr.clone();
    no_method_options(
        tr.items.iter_mut().filter_map(|i| match i {
            TraitItem::Fn(f) => Some(&mut f.attrs),
            _ => None,
        }),
        errors,
    );
    let async_names: Vec<String> = tr
        .items
        .iter()
        .filter_map(|i| match i {
            TraitItem::Fn(f) if is_async(&f.sig) && super::fn_::check_sig(&f.sig, errors) => {
                Some(f.sig.ident.to_string())
            }
            _ => None,
        })
        .collect();
    let original = Item::Trait(tr.clone());
    if async_names.is_empty() {
        errors.push(syn::Error::new(
            tr.trait_token.span,
            "#[dual] has nothing to transform: this trait has no `async fn` method",
        ));
        return quote!(#original);
    }
    let twin_name = blocking_name(&tr.ident, args);
    if twin_name == tr.ident {
        errors.push(super::collision(&twin_name, &tr.ident, "trait"));
        return quote!(#original);
    }
    let scope = same_name_scope(&async_names, &tr.ident, &twin_name);
    let (mut async_copy, blocking) = super::prepare(&original, args, errors);
    let kept = |name: Option<&syn::Ident>, _: &[syn::Attribute]| {
        name.is_some_and(|name| !async_names.contains(&name.to_string()))
    };
    super::lint::instrument(&mut async_copy, args, &kept);
    let (Item::Trait(mut async_copy), Item::Trait(mut blocking)) = (async_copy, blocking) else {
        return quote!(#original);
    };
    if args.send.is_some() {
        async_copy.items.iter_mut().for_each(send_desugar);
    }
    let name = tr.ident.to_string();
    blocking.ident = twin_name;
    blocking.attrs = super::twin_attrs(&blocking.attrs, &name, false);
    for item in &mut blocking.items {
        let TraitItem::Fn(method) = item else { continue };
        let method_name = method.sig.ident.clone();
        if !async_names.contains(&method_name.to_string()) {
            continue;
        }
        let link = format!("{name}::{method_name}");
        super::twin_fn(
            &mut method.attrs,
            &mut method.sig,
            method.default.as_mut(),
            (&method_name, &link),
            &scope,
            args,
            errors,
        );
    }
    quote!(#async_copy #blocking)
}

/// Input: `async fn m(&self) -> T { body }` in a trait.
/// Output: `fn m(&self) -> impl Future<Output = T> + Send { async move { body } }`.
pub(crate) fn send_desugar(item: &mut TraitItem) {
    let TraitItem::Fn(method) = item else { return };
    if method.sig.asyncness.take().is_none() {
        return;
    }
    let output = match &method.sig.output {
        syn::ReturnType::Default => quote!(()),
        syn::ReturnType::Type(_, ty) => quote!(#ty),
    };
    method.sig.output = syn::parse_quote!(
        -> impl ::core::future::Future<Output = #output> + ::core::marker::Send
    );
    if let Some(body) = &mut method.default {
        let stmts = &body.stmts;
        *body = syn::parse_quote!({ async move { #(#stmts)* } });
    }
}

/// Expands the trait impl form.
pub(crate) fn expand_impl(imp: &ItemImpl, args: &Args, errors: &mut Errors) -> TokenStream {
    args.reject_unless(IMPL_OPTIONS, "a trait impl", errors);
    let mut imp = imp.clone();
    no_method_options(
        imp.items.iter_mut().filter_map(|i| match i {
            ImplItem::Fn(f) => Some(&mut f.attrs),
            _ => None,
        }),
        errors,
    );
    let all_names: Vec<String> = imp
        .items
        .iter()
        .filter_map(|i| match i {
            ImplItem::Fn(f) => Some(f.sig.ident.to_string()),
            _ => None,
        })
        .collect();
    let async_names: Vec<String> = imp
        .items
        .iter()
        .filter_map(|i| match i {
            ImplItem::Fn(f) if is_async(&f.sig) && super::fn_::check_sig(&f.sig, errors) => {
                Some(f.sig.ident.to_string())
            }
            _ => None,
        })
        .collect();
    let original = Item::Impl(imp.clone());
    let Some((trait_path, _)) = imp.trait_.clone() else { return quote!(#original) };
    if async_names.is_empty() {
        errors.push(syn::Error::new(
            imp.impl_token.span,
            "#[dual] has nothing to transform: this trait impl has no `async fn` method",
        ));
        return quote!(#original);
    }
    let mut blocking_path = trait_path.clone();
    if let Some(last) = blocking_path.segments.last_mut() {
        last.ident = blocking_name(&last.ident, args);
    }
    let (Some(from), Some(to)) = (trait_path.segments.last(), blocking_path.segments.last()) else {
        return quote!(#original);
    };
    let scope = same_name_scope(&async_names, &from.ident, &to.ident);
    let (mut async_copy, blocking) = super::prepare(&original, args, errors);
    let kept = |name: Option<&syn::Ident>, _: &[syn::Attribute]| {
        name.is_some_and(|name| !async_names.contains(&name.to_string()))
    };
    super::lint::instrument(&mut async_copy, args, &kept);
    let (Item::Impl(mut async_copy), Item::Impl(mut blocking)) = (async_copy, blocking) else {
        return quote!(#original);
    };
    if let Some((path, _)) = &mut blocking.trait_ {
        path.clone_from(&blocking_path);
    }
    let trait_name = trait_path.segments.last().map(|s| s.ident.to_string()).unwrap_or_default();
    for item in &mut blocking.items {
        let ImplItem::Fn(method) = item else { continue };
        let method_name = method.sig.ident.clone();
        if async_names.contains(&method_name.to_string()) {
            let link = format!("{trait_name}::{method_name}");
            super::twin_fn(
                &mut method.attrs,
                &mut method.sig,
                Some(&mut method.block),
                (&method_name, &link),
                &scope,
                args,
                errors,
            );
        }
    }
    qualify(&mut async_copy, &all_names, &trait_path);
    qualify(&mut blocking, &all_names, &blocking_path);
    quote!(#async_copy #blocking)
}

/// Applies [`QualifySelfCalls`] to the methods of `imp` whose receiver is a reference.
fn qualify(imp: &mut ItemImpl, methods: &[String], trait_path: &syn::Path) {
    for item in &mut imp.items {
        let ImplItem::Fn(method) = item else { continue };
        let by_ref = method
            .sig
            .receiver()
            .is_some_and(|r| matches!(r.kind, syn::ReceiverKind::Reference(..)));
        QualifySelfCalls { methods, trait_path, method_calls: by_ref }
            .visit_block_mut(&mut method.block);
    }
}

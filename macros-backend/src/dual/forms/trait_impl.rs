//! `#[dual] impl Store for X { .. }` → the impl, each async method returning
//! its `#[dual]` future, whose blocking world runs the method's blocking body
//! inline. Nothing else is emitted: `X: BlockingStore` comes from the blanket
//! impl its `#[dual] trait` declares (see [`super::blanket`]), so the impl
//! needs no import of the blocking trait and adds no method to resolve.
//! The impl of a trait not declared with `#[dual]` gets the same futures;
//! for a caller who knows `X`, they are a refinement of the trait's
//! signature that gives it the blocking twins too.

use super::super::ir::Branches;
use super::super::options::{Args, Form};
use super::super::twin;
use super::super::{fn_ids, instrument, worlds};
use super::trait_::{async_names, no_method_options};
use crate::common::Errors;
use proc_macro2::TokenStream;
use quote::quote;
use syn::{ImplItem, Item, ItemImpl};

// Input: `#[dual] impl Store for X { async fn get(&self) -> T { body } fn cfg(&self) -> u8 { 1 } }`.
// Output: `impl Store for X {
//              fn get(&self) -> impl Future<Output = T> + DualFuture { Dual::new(..) }
//              fn cfg(&self) -> u8 { 1 } }`.
/// Expands the trait impl form.
pub(crate) fn expand(imp: &ItemImpl, args: &Args, errors: &mut Errors) -> TokenStream {
    args.check_form(Form::TraitImpl, errors);
    let mut imp = imp.clone();
    no_method_options(
        imp.items.iter_mut().filter_map(|i| match i {
            ImplItem::Fn(f) => Some(&mut f.attrs),
            _ => None,
        }),
        errors,
    );
    let sigs = imp.items.iter().filter_map(|i| match i {
        ImplItem::Fn(f) => Some(&f.sig),
        _ => None,
    });
    let async_names = async_names(sigs, errors);
    super::hidden::in_impl(&mut imp.items);
    let original = Item::Impl(imp.clone());
    if async_names.is_empty() {
        let sigs = imp.items.iter().filter_map(|i| match i {
            ImplItem::Fn(f) => Some(&f.sig),
            _ => None,
        });
        errors.push(syn::Error::new(
            imp.impl_token.span,
            format!(
                "#[dual] has nothing to transform: this trait impl has no `async fn` method{}",
                super::boxed::ran_before(sigs)
            ),
        ));
        return quote!(#original);
    }
    if super::boxed::has_async_trait(&imp.attrs) {
        return super::boxed::expand_impl(&original, &imp, &async_names, args, errors);
    }
    if let Some(span) = args.blocking.as_ref().map(syn::Ident::span) {
        errors.push(syn::Error::new(
            span,
            "option `blocking` does not apply to the impl of a `#[dual]` trait: its blocking \
             trait is implemented by the trait's own blanket impl (`blocking = Name` names the \
             blocking trait on the trait, or on an `#[async_trait]` impl)",
        ));
    }
    let (async_copy, blocking) = worlds::split(&original, args, errors);
    let Item::Impl(blocking) = blocking else { return quote!(#original) };
    let owner = crate::common::owner_name(&imp.self_ty);
    let mut branches = Branches::new();
    for item in blocking.items {
        let ImplItem::Fn(mut f) = item else { continue };
        let Some(id) = fn_ids::take(&mut f.attrs) else { continue };
        let settings = twin::settings(&format!("{owner}::{}", f.sig.ident), args);
        let branch = twin::inline_body(f.block, &settings, errors);
        branches.insert(id, branch);
    }
    let kept = |name: Option<&syn::Ident>, _: &[syn::Attribute]| {
        name.is_some_and(|name| !async_names.contains(&name.to_string()))
    };
    instrument::versions(&async_copy, args, (&branches, false), &kept, &mut |_, _| {})
}

//! Which params of a signature are closures returning futures, and which of
//! them a blocking twin takes as sync closures (see [`super::closure_ty`]
//! for the rule and the rewrite).
//!
//! Input: `async fn retry<F, Fut>(op: F) where F: FnMut() -> Fut, Fut:
//! Future<Output = T>` and its body.
//! Output: `op` is a closure returning a future (index 0, no arguments);
//! the twin takes it as a sync closure if the body only uses it as
//! `op().await`.

use crate::dual::ir::SyncClosureParams;
use syn::visit::{self, Visit};
use syn::{Ident, PathArguments, ReturnType, Signature, TraitBound, Type};

/// The closure traits and the async ones they replace.
pub(super) const CLOSURE_TRAITS: [(&str, &str); 3] =
    [("AsyncFn", "Fn"), ("AsyncFnMut", "FnMut"), ("AsyncFnOnce", "FnOnce")];

/// Whether `bound` is one of `Fn`, `FnMut`, `FnOnce` (by last segment) in
/// the parenthesized form, and its return type.
pub(super) fn closure_output(bound: &mut TraitBound) -> Option<&mut ReturnType> {
    let last = bound.path.segments.last_mut()?;
    if !matches!(last.ident.to_string().as_str(), "Fn" | "FnMut" | "FnOnce") {
        return None;
    }
    match &mut last.arguments {
        PathArguments::Parenthesized(args) => Some(&mut args.output),
        _ => None,
    }
}

/// Where the twin of `sig` takes sync closures where the fn takes closures
/// returning futures (an `AsyncFn*` bound, or an `Fn*` bound returning a
/// type param bounded by `Future`): those its `body` only calls and awaits
/// at once, or all of them without a body (see the module docs); with
/// `adapted` (a trait method, reached through the blanket impl's adapter),
/// not those whose arguments borrow. A caller passing async closures there
/// passes sync ones to the twin.
pub(crate) fn sync_closure_params(
    sig: &Signature,
    body: Option<&syn::Block>,
    adapted: bool,
) -> SyncClosureParams {
    let named = |index: usize| match &sig.inputs[index] {
        syn::FnArg::Typed(typed) => match &*typed.pat {
            syn::Pat::Ident(pat) => Some(pat.ident.to_string()),
            _ => None,
        },
        syn::FnArg::Receiver(_) => None,
    };
    let inputs = async_closure_args(sig)
        .into_iter()
        .filter(|closure| !(adapted && closure.borrows))
        .map(|closure| closure.index)
        .filter(|&index| match body {
            None => true,
            Some(body) => named(index).is_some_and(|name| super::params::only_awaited(&name, body)),
        })
        .collect();
    SyncClosureParams { receiver: sig.receiver().is_some(), inputs }
}

/// A param of a signature that is a closure returning a future.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct AsyncClosureArg {
    /// Its index in the signature's inputs.
    pub(crate) index: usize,
    /// How many arguments the closure takes.
    pub(crate) arity: usize,
    /// Its bound is `FnOnce` / `AsyncFnOnce` (it is called once).
    pub(crate) once: bool,
    /// Its arguments borrow (a reference or a lifetime in their types).
    pub(crate) borrows: bool,
}

/// The params of `sig` that are closures returning futures: `f: F` with `F:
/// FnMut(A) -> Fut` (`Fut: Future`) in the generics, `f: impl AsyncFn(A, B)
/// -> T`.
pub(crate) fn async_closure_args(sig: &Signature) -> Vec<AsyncClosureArg> {
    let futures = future_params(sig);
    let bounds = generic_bounds(sig);
    let mut found = Vec::new();
    for (index, input) in sig.inputs.iter().enumerate() {
        let syn::FnArg::Typed(typed) = input else { continue };
        let closure = param_bounds(&typed.ty, &bounds)
            .into_iter()
            .find_map(|bound| async_closure_arity(bound, &futures).map(|arity| (bound, arity)));
        if let Some((bound, arity)) = closure
            && let Some(last) = bound.path.segments.last()
        {
            let once = last.ident == "FnOnce" || last.ident == "AsyncFnOnce";
            let mut borrows = Borrows(false);
            if let PathArguments::Parenthesized(args) = &last.arguments {
                args.inputs.iter().for_each(|input| borrows.visit_type(&input.ty));
            }
            found.push(AsyncClosureArg { index, arity, once, borrows: borrows.0 });
        }
    }
    found
}

/// Finds a reference or a lifetime in a type.
struct Borrows(bool);

impl Visit<'_> for Borrows {
    fn visit_type_reference(&mut self, _: &syn::TypeReference) {
        self.0 = true;
    }

    fn visit_lifetime(&mut self, _: &syn::Lifetime) {
        self.0 = true;
    }
}

/// The future type params that the closure param of type `ty` returns
/// (`Fut` of `F: FnMut() -> Fut`, `impl FnOnce() -> Fut`).
pub(super) fn returned_futures(sig: &Signature, ty: &Type) -> Vec<Ident> {
    let futures = future_params(sig);
    let bounds = generic_bounds(sig);
    let mut returned = Vec::new();
    for mut bound in param_bounds(ty, &bounds).into_iter().cloned() {
        if let Some(ReturnType::Type(_, output)) = closure_output(&mut bound)
            && let Type::Path(path) = &**output
            && let Some(ident) = path.path.get_ident()
            && futures.contains(ident)
        {
            returned.push(ident.clone());
        }
    }
    returned
}

/// The trait bounds of the type params of `sig`, in place and in the where
/// clause, each with its param's name.
fn generic_bounds(sig: &Signature) -> Vec<(String, &TraitBound)> {
    let mut bounds: Vec<(String, &TraitBound)> = Vec::new();
    for param in sig.generics.type_params() {
        let name = param.ident.to_string();
        bounds.extend(trait_bounds(&param.bounds).map(|bound| (name.clone(), bound)));
    }
    for predicate in sig.generics.where_clause.iter().flat_map(|clause| &clause.predicates) {
        if let syn::WherePredicate::Type(p) = predicate
            && let Type::Path(path) = &p.bounded_ty
            && let Some(ident) = path.path.get_ident()
        {
            bounds.extend(trait_bounds(&p.bounds).map(|bound| (ident.to_string(), bound)));
        }
    }
    bounds
}

/// The trait bounds a param of type `ty` has: `impl A + B`'s, or its type
/// param's among `generics`.
fn param_bounds<'a>(ty: &'a Type, generics: &[(String, &'a TraitBound)]) -> Vec<&'a TraitBound> {
    match ty {
        Type::ImplTrait(imp) => trait_bounds(&imp.bounds).collect(),
        Type::Path(path) => path.path.get_ident().map_or_else(Vec::new, |ident| {
            generics.iter().filter(|(name, _)| ident == name).map(|(_, bound)| *bound).collect()
        }),
        _ => Vec::new(),
    }
}

/// The trait bounds among `bounds`.
fn trait_bounds(
    bounds: &syn::punctuated::Punctuated<syn::TypeParamBound, syn::Token![+]>,
) -> impl Iterator<Item = &TraitBound> {
    bounds.iter().filter_map(|bound| match bound {
        syn::TypeParamBound::Trait(bound) => Some(bound),
        _ => None,
    })
}

/// The number of arguments of `bound` if it is a closure bound returning a
/// future (see [`async_closure_args`]).
fn async_closure_arity(bound: &TraitBound, futures: &[Ident]) -> Option<usize> {
    let mut find = FindAsyncClosure { futures, found: false };
    find.visit_trait_bound(bound);
    let last = bound.path.segments.last()?;
    match &last.arguments {
        PathArguments::Parenthesized(args) if find.found => Some(args.inputs.len()),
        _ => None,
    }
}

/// The type params of `sig` bounded by `Future` (in place or in the where
/// clause).
fn future_params(sig: &Signature) -> Vec<Ident> {
    let mut futures: Vec<Ident> = Vec::new();
    for param in sig.generics.type_params() {
        if super::params::future_output(&param.bounds).is_some() {
            futures.push(param.ident.clone());
        }
    }
    for predicate in sig.generics.where_clause.iter().flat_map(|clause| &clause.predicates) {
        if let syn::WherePredicate::Type(p) = predicate
            && let Type::Path(path) = &p.bounded_ty
            && let Some(ident) = path.path.get_ident()
            && super::params::future_output(&p.bounds).is_some()
        {
            futures.push(ident.clone());
        }
    }
    futures
}

/// Finds a closure bound returning a future (see [`async_closure_args`]).
struct FindAsyncClosure<'a> {
    /// The type params bounded by `Future`.
    futures: &'a [Ident],
    /// Whether one was found.
    found: bool,
}

impl Visit<'_> for FindAsyncClosure<'_> {
    fn visit_trait_bound(&mut self, bound: &TraitBound) {
        visit::visit_trait_bound(self, bound);
        let Some(last) = bound.path.segments.last() else { return };
        let PathArguments::Parenthesized(args) = &last.arguments else { return };
        if CLOSURE_TRAITS.iter().any(|(name, _)| last.ident == name) {
            self.found = true;
        } else if let ReturnType::Type(_, output) = &args.output
            && let Type::Path(path) = &**output
            && path.path.get_ident().is_some_and(|ident| self.futures.contains(ident))
        {
            self.found = true;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::ToTokens as _;

    #[test]
    fn closure_args_are_found_with_their_arity() {
        let sig: Signature = syn::parse_quote!(
            async fn m<F, G: Fn(u8) -> u8, Fut>(&self, f: F, g: G, h: impl AsyncFnMut(u8, u8))
            where F: FnOnce() -> Fut, Fut: Future<Output = u8>
        );
        let found: Vec<_> =
            async_closure_args(&sig).iter().map(|c| (c.index, c.arity, c.once)).collect();
        assert_eq!(found, [(1, 0, true), (3, 2, false)]);
        let borrowing: Signature = syn::parse_quote!(
            async fn m(f: impl AsyncFn(&str) -> u8, g: impl AsyncFn(Cow<'static, str>), h: impl AsyncFn(u8))
        );
        let borrows: Vec<bool> = async_closure_args(&borrowing).iter().map(|c| c.borrows).collect();
        assert_eq!(borrows, [true, true, false]);
        assert_eq!(sync_closure_params(&borrowing, None, true).inputs, [2]);
        assert_eq!(sync_closure_params(&borrowing, None, false).inputs, [0, 1, 2]);
    }

    #[test]
    fn callees_taking_async_closures_are_found() {
        let cases: [Signature; 4] = [
            syn::parse_quote!(async fn a<F: Fn() -> Fut, Fut: Future<Output = u8>>(f: F)),
            syn::parse_quote!(async fn b<F, Fut>(f: F) where F: FnMut() -> Fut, Fut: Future),
            syn::parse_quote!(async fn c<Fut: Future<Output = u8>>(f: impl FnOnce(u8) -> Fut)),
            syn::parse_quote!(async fn d(f: impl AsyncFn(u8) -> u8)),
        ];
        for sig in &cases {
            assert!(!async_closure_args(sig).is_empty(), "{}", sig.to_token_stream());
        }
    }

    #[test]
    fn only_closures_called_and_awaited_at_once_are_made_sync() {
        let sig: Signature = syn::parse_quote!(
            async fn m<F, G, Fut>(&self, f: F, g: G, h: impl AsyncFn(u8))
            where F: Fn(u8) -> Fut, G: Fn(u8) -> Fut, Fut: Future<Output = u8>
        );
        // `f` called and awaited at once (in a macro's tokens too); `g`'s
        // future awaited later; `h` handed on.
        let body: syn::Block = syn::parse_quote!({
            let later = g(1);
            log!(f(2).await);
            f(3).await + later.await + other(h).await
        });
        let params = sync_closure_params(&sig, Some(&body), false);
        assert_eq!(params, SyncClosureParams { receiver: true, inputs: vec![1] });
        assert!(params.takes_sync(0, true) && params.takes_sync(1, false));
        assert!(!params.takes_sync(1, true));
        let all = sync_closure_params(&sig, None, false);
        assert_eq!(all.inputs, [1, 2, 3]);
    }
}

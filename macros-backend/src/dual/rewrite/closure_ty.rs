//! Closures that return futures, made closures that return values.
//!
//! Input: `async fn retry<F, Fut, T>(op: F) -> T where F: FnMut() -> Fut,
//! Fut: Future<Output = T>` (the future param `Fut` already taken off by
//! `future_ty` with its output `T`).
//! Output: `fn retry<F, T>(op: F) -> T where F: FnMut() -> T`: the twin's
//! `op().await` then settles a value (it passes through).
//!
//! Input: `op: impl AsyncFn(u8) -> T`, `F: AsyncFnMut(u8) -> T`.
//! Output: `op: impl Fn(u8) -> T`, `F: FnMut(u8) -> T`.
//!
//! The caller's side (`retry(|| async move { .. })` → `retry(|| { .. })`)
//! is [`super::await_`]'s, for callees of the same invocation.

use syn::visit::{self, Visit};
use syn::visit_mut::{self, VisitMut};
use syn::{Ident, PathArguments, ReturnType, Signature, TraitBound, Type};

/// The closure traits and the async ones they replace.
const CLOSURE_TRAITS: [(&str, &str); 3] =
    [("AsyncFn", "Fn"), ("AsyncFnMut", "FnMut"), ("AsyncFnOnce", "FnOnce")];

/// Whether `bound` is one of `Fn`, `FnMut`, `FnOnce` (by last segment) in
/// the parenthesized form, and its return type.
fn closure_output(bound: &mut TraitBound) -> Option<&mut ReturnType> {
    let last = bound.path.segments.last_mut()?;
    if !matches!(last.ident.to_string().as_str(), "Fn" | "FnMut" | "FnOnce") {
        return None;
    }
    match &mut last.arguments {
        PathArguments::Parenthesized(args) => Some(&mut args.output),
        _ => None,
    }
}

/// Rewrites the closure bounds of `sig` (see the module docs); `futures`
/// are the future type params taken off, with their outputs. Returns
/// whether a bound changed.
pub(super) fn sync_closure_bounds(sig: &mut Signature, futures: &[(Ident, Type)]) -> bool {
    let mut rewrite = SyncClosures { futures, changed: false };
    rewrite.visit_signature_mut(sig);
    rewrite.changed
}

/// The visitor of [`sync_closure_bounds`].
struct SyncClosures<'a> {
    /// The future type params taken off, with their outputs.
    futures: &'a [(Ident, Type)],
    /// Whether a bound changed.
    changed: bool,
}

impl VisitMut for SyncClosures<'_> {
    fn visit_trait_bound_mut(&mut self, bound: &mut TraitBound) {
        visit_mut::visit_trait_bound_mut(self, bound);
        if let Some(last) = bound.path.segments.last_mut()
            && matches!(last.arguments, PathArguments::Parenthesized(_))
            && let Some((_, sync)) = CLOSURE_TRAITS.iter().find(|(name, _)| last.ident == name)
        {
            last.ident = Ident::new(sync, last.ident.span());
            self.changed = true;
            return;
        }
        let Some(ReturnType::Type(_, output)) = closure_output(bound) else { return };
        let Type::Path(path) = &**output else { return };
        let Some(value) = path.path.get_ident().and_then(|ident| {
            self.futures.iter().find(|(name, _)| name == ident).map(|(_, value)| value)
        }) else {
            return;
        };
        **output = value.clone();
        self.changed = true;
    }
}

/// Whether the twin of `sig` takes sync closures where the original takes
/// closures returning futures (an `AsyncFn*` bound, or an `Fn*` bound
/// returning a type param bounded by `Future`): its callers' async closures
/// must become sync ones.
pub(crate) fn takes_async_closures(sig: &Signature) -> bool {
    let futures = future_params(sig);
    let mut find = FindAsyncClosure { futures: &futures, found: false };
    find.visit_signature(sig);
    find.found
}

/// The params of `sig` (by index in `sig.inputs`) that are closures
/// returning futures, each with its number of arguments: `f: F` with `F:
/// FnMut(A) -> Fut` (`Fut: Future`) in the generics, `f: impl AsyncFn(A, B)
/// -> T`.
pub(crate) fn async_closure_args(sig: &Signature) -> Vec<(usize, usize)> {
    let futures = future_params(sig);
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
    let mut found = Vec::new();
    for (index, input) in sig.inputs.iter().enumerate() {
        let syn::FnArg::Typed(typed) = input else { continue };
        let arity = match &*typed.ty {
            Type::ImplTrait(imp) => {
                trait_bounds(&imp.bounds).find_map(|bound| async_closure_arity(bound, &futures))
            }
            Type::Path(path) => path.path.get_ident().and_then(|ident| {
                bounds.iter().find_map(|(name, bound)| {
                    (ident == name).then(|| async_closure_arity(bound, &futures)).flatten()
                })
            }),
            _ => None,
        };
        found.extend(arity.map(|arity| (index, arity)));
    }
    found
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
/// future (see [`takes_async_closures`]).
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
        if super::future_ty::future_output(&param.bounds).is_some() {
            futures.push(param.ident.clone());
        }
    }
    for predicate in sig.generics.where_clause.iter().flat_map(|clause| &clause.predicates) {
        if let syn::WherePredicate::Type(p) = predicate
            && let Type::Path(path) = &p.bounded_ty
            && let Some(ident) = path.path.get_ident()
            && super::future_ty::future_output(&p.bounds).is_some()
        {
            futures.push(ident.clone());
        }
    }
    futures
}

/// The visitor of [`takes_async_closures`].
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

    fn rewritten(mut sig: Signature, futures: &[(Ident, Type)]) -> (String, bool) {
        let changed = sync_closure_bounds(&mut sig, futures);
        (sig.to_token_stream().to_string(), changed)
    }

    #[test]
    fn closure_returning_a_future_param_returns_its_output() {
        let sig: Signature =
            syn::parse_quote!(fn retry<F, T>(op: F) -> T where F: FnMut(u8) -> Fut);
        let futures = [(syn::parse_quote!(Fut), syn::parse_quote!(Result<T, E>))];
        let (text, changed) = rewritten(sig, &futures);
        assert!(changed);
        assert!(text.contains("F : FnMut (u8) -> Result < T , E >"), "{text}");
    }

    #[test]
    fn async_closure_traits_become_closure_traits() {
        let sig: Signature = syn::parse_quote!(
            fn each<G: std::ops::AsyncFnMut(u8)>(f: impl AsyncFn(u8) -> u8, g: G, h: impl AsyncFnOnce())
        );
        let (text, changed) = rewritten(sig, &[]);
        assert!(changed);
        assert!(text.contains("impl Fn (u8) -> u8"), "{text}");
        assert!(text.contains("std :: ops :: FnMut (u8)"), "{text}");
        assert!(text.contains("impl FnOnce ()"), "{text}");
    }

    #[test]
    fn other_closures_are_left_alone() {
        let sig: Signature =
            syn::parse_quote!(fn map<F: Fn(u8) -> T, T>(f: F, g: impl FnOnce() -> u8));
        let (_, changed) = rewritten(sig.clone(), &[]);
        assert!(!changed);
        assert!(!takes_async_closures(&sig));
    }

    #[test]
    fn closure_args_are_found_with_their_arity() {
        let sig: Signature = syn::parse_quote!(
            async fn m<F, G: Fn(u8) -> u8, Fut>(&self, f: F, g: G, h: impl AsyncFnMut(u8, u8))
            where F: FnOnce() -> Fut, Fut: Future<Output = u8>
        );
        assert_eq!(async_closure_args(&sig), [(1, 0), (3, 2)]);
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
            assert!(takes_async_closures(sig), "{}", sig.to_token_stream());
        }
    }
}

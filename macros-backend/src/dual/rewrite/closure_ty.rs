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
//! Only a closure param the body uses as `op(..).await` alone is made sync:
//! there the sync closure runs where the future it replaces was awaited.
//! One the body uses otherwise (`let fut = op(a); log(); fut.await`, or
//! handed on) keeps its type, and its future is settled where awaited:
//! turning it into a sync closure would run its body at the call, before
//! `log()`, where the async fn runs it after. A trait method without a
//! body is made sync (its implementors' bodies are unknown: the blocking
//! trait's blanket impl hands the async method closures that call the sync
//! one when their future is first polled, see `forms::blanket`); a trait
//! method's closure whose arguments borrow (`Fn(&str) -> Fut`) stays as it
//! is, since such a future cannot hold the argument until it is polled.
//!
//! The caller's side (`retry(|| async move { .. })` → `retry(|| { .. })`)
//! is [`super::await_`]'s, for callees of the same invocation, at the
//! places [`super::closure_params::sync_closure_params`] gives.

use super::closure_params::{AsyncClosureArg, CLOSURE_TRAITS, closure_output};
use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote};
use syn::visit_mut::{self, VisitMut};
use syn::{Ident, PathArguments, ReturnType, Signature, TraitBound, Type};

/// Rewrites the closure bounds of `sig` (see the module docs); `futures`
/// are the future type params taken off, with their outputs; the closure
/// params and type params `kept` are left as they are. Returns whether a
/// bound changed.
pub(super) fn sync_closure_bounds(
    sig: &mut Signature,
    futures: &[(Ident, Type)],
    kept: &super::params::Kept,
) -> bool {
    let mut rewrite = SyncClosures { futures, changed: false };
    let is_kept = |ident: &Ident| kept.generics.iter().any(|name| ident == name);
    for param in sig.generics.type_params_mut() {
        if !is_kept(&param.ident) {
            rewrite.visit_type_param_mut(param);
        }
    }
    for predicate in sig.generics.where_clause.iter_mut().flat_map(|c| &mut c.predicates) {
        let bounded = match predicate {
            syn::WherePredicate::Type(p) => match &p.bounded_ty {
                Type::Path(path) => path.path.get_ident(),
                _ => None,
            },
            _ => None,
        };
        if !bounded.is_some_and(is_kept) {
            rewrite.visit_where_predicate_mut(predicate);
        }
    }
    for input in &mut sig.inputs {
        let syn::FnArg::Typed(typed) = input else { continue };
        let name = match &*typed.pat {
            syn::Pat::Ident(pat) => Some(pat.ident.to_string()),
            _ => None,
        };
        if !name.is_some_and(|name| kept.params.contains(&name)) {
            rewrite.visit_type_mut(&mut typed.ty);
        }
    }
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

// Input: `__arg1`, a sync closure of the blocking method (`F: FnMut(A) -> T`),
// and its arity (1).
// Output: `{ let closure = SharedClosure::new(__arg1); move |a0|
// closure.call_later(move |f| f(a0)) }`, the closure returning a future the
// async method takes: the sync closure runs when that future is first
// polled, where the async method awaits it (as the async closure's body
// would), not where it calls the closure. For `FnOnce`: `move |a0|
// call_later(move || __arg1(a0))`.
/// Adapts a sync closure argument to the async method's closure param.
pub(crate) fn lazy_closure(
    krate: &syn::Path,
    arg: &Ident,
    closure: &AsyncClosureArg,
) -> TokenStream {
    let site = Span::mixed_site();
    let inputs: Vec<Ident> =
        (0..closure.arity).map(|i| format_ident!("a{}", i, span = site)).collect();
    if closure.once {
        return quote! {
            move |#(#inputs),*| #krate::__private::call_later(move || #arg(#(#inputs),*))
        };
    }
    let (shared, f) = (Ident::new("closure", site), Ident::new("f", site));
    quote! {{
        let #shared = #krate::__private::SharedClosure::new(#arg);
        move |#(#inputs),*| #shared.call_later(move |#f| #f(#(#inputs),*))
    }}
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::ToTokens as _;

    fn rewritten(mut sig: Signature, futures: &[(Ident, Type)]) -> (String, bool) {
        let changed =
            sync_closure_bounds(&mut sig, futures, &super::super::params::Kept::default());
        (sig.to_token_stream().to_string(), changed)
    }
    use super::super::closure_params::{async_closure_args, returned_futures};

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
        assert!(async_closure_args(&sig).is_empty());
    }

    #[test]
    fn a_kept_closure_keeps_its_bound_and_future() {
        let mut sig: Signature = syn::parse_quote!(
            async fn m<F, G, Fut>(f: F, g: G) -> u8
            where F: Fn(u8) -> Fut, G: FnOnce() -> Fut, Fut: Future<Output = u8>
        );
        let kept = super::super::params::Kept {
            params: vec!["f".into()],
            generics: vec!["F".into(), "Fut".into()],
        };
        let futures = [(syn::parse_quote!(Fut), syn::parse_quote!(u8))];
        assert!(sync_closure_bounds(&mut sig, &futures, &kept));
        let text = sig.to_token_stream().to_string();
        assert!(text.contains("F : Fn (u8) -> Fut"), "{text}");
        assert!(text.contains("G : FnOnce () -> u8"), "{text}");
        let fut: Ident = syn::parse_quote!(Fut);
        assert_eq!(returned_futures(&sig, &syn::parse_quote!(F)), [fut]);
    }
}

//! What one `.await` becomes in the blocking twin.
//!
//! Input: `base.await`.
//! Output, by what `base` is *syntactically* only where the syntax decides:
//! - `async { .. }` → the block, evaluated in place ([`super::async_block::awaited`]);
//! - a local that held an async block (now a closure) → `local()`;
//! - `self.m(..)` / `Self::m(..)`, `m` a method of the same inherent impl →
//!   its twin's call, `self.blocking_m(..)` (free, and the twin's bounds);
//! - a call of a fn or method of the same invocation whose twin takes sync
//!   closures (`retry(|| async move { .. })`, see `closure_ty`) → its async
//!   closure arguments become sync closures (`retry(|| { .. })`);
//! - anything else → `settle_await!(settle, "<twin>", base)`, with the
//!   `.await`s inside `base` rewritten but its async closures kept (they
//!   are handed to the callee, `fut.and_then(|c| async move { .. })`): the *type* of
//!   `base` decides, at compile time, between running a `#[dual]` future's
//!   blocking twin, passing a value that is already sync through, and
//!   bridging any other future with `block_on` (under `strict`:
//!   `settle_strict`, a compile error that names the awaited type). See
//!   `twoworlds_runtime`'s `twin::settle` for the dispatch.
//!
//! No name decides whether an `.await` is dropped: a wrong guess by name
//! once turned `tx.send(v).await` into a future built and dropped.

use super::Rewriter;
use crate::dual::ir::SyncClosureParams;
use proc_macro2::Span;
use syn::visit_mut::VisitMut as _;
use syn::{Expr, ExprAwait};

/// Rewrites one `.await` (see the module docs).
pub(super) fn rewrite(rw: &mut Rewriter<'_>, mut awaited: ExprAwait) -> Expr {
    let mut base = peel(std::mem::replace(&mut *awaited.base, Expr::PLACEHOLDER));
    if let Expr::Async(block) = base {
        return super::async_block::awaited(rw, block);
    }
    if let Expr::Path(path) = &base
        && path.qself.is_none()
        && path.path.get_ident().is_some_and(|ident| rw.deferred.contains(&ident.to_string()))
    {
        return syn::parse_quote!(#base());
    }
    let sync_closures = takes_sync_closures(rw, &base).cloned();
    let own = own_twin(rw, &mut base);
    let outer = std::mem::replace(&mut rw.in_awaited_base, true);
    rw.visit_expr_mut(&mut base);
    rw.in_awaited_base = outer;
    if let Some(params) = sync_closures {
        sync_closure_args(rw, &mut base, &params);
    }
    if own {
        // The twin's call gives what the `.await` gave: nothing to settle.
        return base;
    }
    settle(rw, &base, &awaited)
}

/// Input: `self.m(args)` or `Self::m(args)`, `m` a method of the same
/// inherent impl. Output: `self.blocking_m(args)` / `Self::blocking_m(args)`;
/// whether it was one. (Inherent methods resolve before trait methods, so
/// the twin is the twin of the method called: no other call.)
fn own_twin(rw: &Rewriter<'_>, base: &mut Expr) -> bool {
    let renamed = |ident: &mut syn::Ident| {
        let Some(twin) = rw.twin.own_methods.get(&ident.to_string()) else { return false };
        let span = ident.span();
        *ident = twin.clone();
        ident.set_span(span);
        true
    };
    match base {
        Expr::MethodCall(call) if matches!(&*call.receiver, Expr::Path(p) if p.path.is_ident("self")) => {
            renamed(&mut call.method)
        }
        Expr::Call(call) => match &mut *call.func {
            Expr::Path(path)
                if path.qself.is_none()
                    && path.path.segments.len() == 2
                    && path.path.segments[0].ident == "Self" =>
            {
                renamed(&mut path.path.segments[1].ident)
            }
            _ => false,
        },
        _ => false,
    }
}

/// Where the twin of the fn or method of the same invocation that `base`
/// calls takes sync closures, if it does (`retry(..)`, `self.retry(..)`,
/// `Self::retry(..)`; by name: a wrong guess is a type error, a closure
/// returning a value where one returning a future is wanted, or the other
/// way round).
fn takes_sync_closures<'a>(rw: &'a Rewriter<'_>, base: &Expr) -> Option<&'a SyncClosureParams> {
    let callees = &rw.twin.closure_callees;
    match base {
        Expr::MethodCall(call) => callees.get(&call.method.to_string()),
        Expr::Call(call) => match &*call.func {
            Expr::Path(path) => callees.get(&path.path.segments.last()?.ident.to_string()),
            _ => None,
        },
        _ => None,
    }
}

// Input: `retry(a, |x| async move { body }, async |y| { body2 })` (its
// arguments already visited as an awaited base's: the closures untouched).
// Output: `retry(a, |x| { body }, |y| { body2 })`, the bodies rewritten as
// the twin's own (see `async_block::closure`).
/// Makes the async closure arguments of a call of a twin that takes sync
/// closures ([`takes_sync_closures`]) sync closures, where `params` says
/// it takes them.
fn sync_closure_args(rw: &mut Rewriter<'_>, base: &mut Expr, params: &SyncClosureParams) {
    let (args, method) = match base {
        Expr::MethodCall(call) => (&mut call.args, true),
        Expr::Call(call) => (&mut call.args, false),
        _ => return,
    };
    for (index, arg) in args.iter_mut().enumerate() {
        if params.takes_sync(index, method)
            && let Expr::Closure(closure) = arg
            && super::async_block::is_async(closure)
        {
            super::async_block::closure(rw, closure);
        }
    }
}

/// Input: `base` that was awaited (`base.await`).
/// Output: `<krate>::__private::settle_await!(settle, concat!(module_path!(),
/// "::", "<twin>"), base)`, spanned on the `.await`, so a strict error or a
/// misuse panic points there.
pub(super) fn settle(rw: &Rewriter<'_>, base: &Expr, awaited: &ExprAwait) -> Expr {
    let span = awaited.await_token.span;
    let method = if rw.twin.strict { "settle_strict" } else { "settle" };
    let method = syn::Ident::new(method, Span::mixed_site().located_at(span));
    // The whole call carries the `.await`'s span (the crate path too: a
    // macro call's span starts at its path), so rustc points there.
    let krate = respan(&rw.twin.krate, span);
    let label = &rw.twin.label;
    syn::parse_quote_spanned! {span=>
        #krate::__private::settle_await!(
            #method,
            ::core::concat!(::core::module_path!(), "::", #label),
            #base
        )
    }
}

/// `path` with every token at `span`.
fn respan(path: &syn::Path, span: Span) -> syn::Path {
    let mut path = path.clone();
    if let Some(colon) = &mut path.leading_colon {
        colon.spans = [span; 2];
    }
    for pair in path.segments.pairs_mut() {
        let (segment, punct) = pair.into_tuple();
        segment.ident.set_span(span);
        if let Some(punct) = punct {
            punct.spans = [span; 2];
        }
    }
    path
}

/// `(e)` and invisible groups → `e`.
pub(super) fn peel(expr: Expr) -> Expr {
    match expr {
        Expr::Paren(paren) if paren.attrs.is_empty() => peel(*paren.expr),
        Expr::Group(group) if group.attrs.is_empty() => peel(*group.expr),
        other => other,
    }
}

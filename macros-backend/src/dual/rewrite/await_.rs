//! What one `.await` becomes in the blocking twin.
//!
//! Input: `base.await`.
//! Output, by what `base` is (see [`super::calls::classify`]):
//! - `async { .. }` → the block, evaluated in place ([`super::async_block::awaited`]);
//! - a call of this invocation (`helper(x)`, `self.get(k)`) → the twin's call;
//! - a local that held such a future → the local;
//! - a local that held an async block (now a closure) → `local()`;
//! - anything else → `block_on_named("<twin>", base)`, or under `strict` an
//!   error on the `.await` that says how to map it.

use super::Rewriter;
use super::calls::{self, Kind};
use quote::quote;
use syn::visit_mut::VisitMut as _;
use syn::{Expr, ExprAwait};

/// The attribute that marks an `.await` whose callee a `replace(..)` rule
/// made sync (set in `forms::common`, removed here).
pub(crate) const SYNC_MARKER: &str = "__twoworlds_sync";

/// Rewrites one `.await` (see the module docs).
pub(super) fn rewrite(rw: &mut Rewriter<'_>, mut awaited: ExprAwait) -> Expr {
    let marked = take_marker(&mut awaited.attrs);
    let mut base = peel(std::mem::replace(&mut *awaited.base, Expr::PLACEHOLDER));
    if let Expr::Async(block) = base {
        return super::async_block::awaited(rw, block);
    }
    let kind = if marked { Kind::Ours } else { calls::classify(rw, &mut base) };
    rw.visit_expr_mut(&mut base);
    match kind {
        Kind::Ours => base,
        Kind::Deferred => syn::parse_quote!(#base()),
        Kind::Foreign => foreign(rw, &base, &awaited),
    }
}

/// Input: a foreign `base` that was awaited.
/// Output: `block_on_named("<twin>", base)`; under `strict` also an error.
fn foreign(rw: &mut Rewriter<'_>, base: &Expr, awaited: &ExprAwait) -> Expr {
    if rw.twin.strict {
        let (dot, await_token) = (awaited.dot_token, awaited.await_token);
        rw.errors.push(syn::Error::new_spanned(
            quote!(#dot #await_token),
            format!(
                "#[dual(strict)]: this `.await` is not on an item of this #[dual] invocation, \
                 so `{}` has no sync equivalent for it\n\
                 map it in one of these ways: \
                 `replace(its::path => sync::path)` when a sync API mirrors it; \
                 make the callee part of the same #[dual] impl, trait or mod so its twin is called; \
                 or keep the code in one world with #[only_async] / #[only_blocking]; \
                 without `strict` it is bridged through `block_on`",
                rw.twin.label
            ),
        ));
    }
    rw.bridged = true;
    let krate = &rw.twin.krate;
    let label = &rw.twin.label;
    let span = awaited.await_token.span;
    let bridge: Expr = syn::parse_quote_spanned! {span=>
        #krate::__private::block_on_named(
            ::core::concat!(::core::module_path!(), "::", #label),
            #base,
        )
    };
    bridge
}

/// Removes the [`SYNC_MARKER`] attribute; whether it was there.
fn take_marker(attrs: &mut Vec<syn::Attribute>) -> bool {
    let before = attrs.len();
    attrs.retain(|attr| !attr.path().is_ident(SYNC_MARKER));
    attrs.len() != before
}

/// `(e)` and invisible groups → `e`.
pub(super) fn peel(expr: Expr) -> Expr {
    match expr {
        Expr::Paren(paren) if paren.attrs.is_empty() => peel(*paren.expr),
        Expr::Group(group) if group.attrs.is_empty() => peel(*group.expr),
        other => other,
    }
}

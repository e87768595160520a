//! The blocking rewrite of one async fn: drop `async`, drop `.await`, call
//! twins. Each transform is one small visitor in its own file:
//! - [`await_`]: what an `.await` becomes (dropped, a twin call, a bridge, an error);
//! - [`async_block`]: `async { .. }` blocks and async closures;
//! - [`macros`]: `.await` inside macro arguments;
//! - [`calls`]: which awaited calls reach items of this invocation;
//! - [`future_ty`]: `impl Future<Output = T>` and `F: Future` in signatures;
//! - [`locals`]: locals that held futures.

mod async_block;
pub(crate) mod await_;
pub(crate) mod calls;
mod future_ty;
mod locals;
mod macros;
#[cfg(test)]
mod tests;

use super::ir::{Scope, Twin};
use crate::common::Errors;
pub(crate) use await_::SYNC_MARKER;
use std::collections::HashSet;
use syn::visit_mut::{self, VisitMut};
use syn::{Block, Expr, Signature};

/// Rewrites the body of a blocking twin in place (the `.await`s, async
/// blocks and closures, macro arguments).
pub(crate) struct Rewriter<'a> {
    /// The items of this invocation.
    scope: &'a Scope,
    /// Settings of this twin.
    twin: &'a Twin,
    /// Where errors go.
    errors: &'a mut Errors,
    /// Locals (and params) that held a future and now hold its value:
    /// `x.await` → `x`, and calls `f(..).await` → `f(..)` for closures.
    ready: HashSet<String>,
    /// Locals that held an async block, now a closure: `x.await` → `x()`.
    deferred: HashSet<String>,
    /// Whether an awaited async block became a block or an immediately-called
    /// closure (the twin then allows `unused_braces` and
    /// `clippy::redundant_closure_call`).
    pub(crate) closure_call: bool,
    /// Whether a `block_on` bridge was generated.
    pub(crate) bridged: bool,
}

impl<'a> Rewriter<'a> {
    /// A rewriter for one twin.
    pub(crate) fn new(scope: &'a Scope, twin: &'a Twin, errors: &'a mut Errors) -> Self {
        Rewriter {
            scope,
            twin,
            errors,
            ready: HashSet::new(),
            deferred: HashSet::new(),
            closure_call: false,
            bridged: false,
        }
    }
}

/// What the rewrite of one fn produced beside the body.
pub(crate) struct Outcome {
    /// An awaited async block was rewritten (see [`Rewriter::closure_call`]).
    pub(crate) closure_call: bool,
}

/// Turns `sig`/`block` of an async fn (or a fn returning `impl Future`)
/// into its blocking twin, in place. The caller renames it.
pub(crate) fn blocking_fn(
    sig: &mut Signature,
    block: Option<&mut Block>,
    scope: &Scope,
    twin: &Twin,
    errors: &mut Errors,
) -> Outcome {
    let was_async = sig.asyncness.take().is_some();
    let signature = future_ty::sync_signature(sig, was_async, errors);
    let Some(block) = block else {
        return Outcome { closure_call: false };
    };
    if signature.await_tail {
        await_tail(block);
    }
    let mut rewriter = Rewriter::new(scope, twin, errors);
    rewriter.ready.extend(signature.ready_params);
    locals::collect(block, &mut rewriter);
    rewriter.visit_block_mut(block);
    Outcome { closure_call: rewriter.closure_call }
}

/// Input: the body of `fn f() -> impl Future<Output = T> { tail }`.
/// Output: `{ ..; tail.await }`, so the tail is evaluated like an awaited future.
fn await_tail(block: &mut Block) {
    if let Some(syn::Stmt::Expr(tail, None)) = block.stmts.last_mut() {
        let base = std::mem::replace(tail, Expr::PLACEHOLDER);
        *tail = Expr::Await(syn::ExprAwait {
            attrs: Vec::new(),
            base: Box::new(base),
            dot_token: syn::Token![.](proc_macro2::Span::call_site()),
            await_token: syn::Token![await](proc_macro2::Span::call_site()),
        });
    }
}

impl VisitMut for Rewriter<'_> {
    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        match expr {
            Expr::Await(_) => {
                let Expr::Await(awaited) = std::mem::replace(expr, Expr::PLACEHOLDER) else {
                    return;
                };
                *expr = await_::rewrite(self, awaited);
            }
            // An async block neither awaited in place nor bound to a local
            // awaited later is a future handed to someone else
            // (`block_on(async { .. })`, `spawn(async move { .. })`): it stays
            // a future, untouched, in the blocking twin too.
            Expr::Async(_) => {}
            Expr::Closure(closure) => async_block::closure(self, closure),
            Expr::Macro(mac) => macros::rewrite(self, &mut mac.mac),
            _ => visit_mut::visit_expr_mut(self, expr),
        }
    }

    // Input: `let fut = async { body };` where `fut` is awaited later.
    // Output: `let fut = || { body };`, called where it was awaited.
    fn visit_local_mut(&mut self, local: &mut syn::Local) {
        let deferred =
            locals::bound_name(&local.pat).is_some_and(|name| self.deferred.contains(&name));
        if let Some(init) = &mut local.init
            && deferred
            && let Expr::Async(_) = &*init.expr
        {
            let Expr::Async(block) = std::mem::replace(&mut *init.expr, Expr::PLACEHOLDER) else {
                return;
            };
            *init.expr = async_block::deferred(self, block);
            return;
        }
        visit_mut::visit_local_mut(self, local);
    }

    fn visit_stmt_macro_mut(&mut self, stmt: &mut syn::StmtMacro) {
        macros::rewrite(self, &mut stmt.mac);
    }

    // Nested items are not part of the twin: an inner `async fn` stays async.
    fn visit_item_mut(&mut self, _: &mut syn::Item) {}
}

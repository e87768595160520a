//! Locals that hold futures, found before the rewrite so that awaiting them
//! later is rewritten right.
//!
//! Input: `let a = helper(1); let b = async { .. }; let c = async |x| ..; a.await + b.await`.
//! Output: `helper` renamed to its twin in `a`'s initializer; `a` and `c`
//! recorded as ready (awaiting them drops the `.await`), `b` as deferred
//! (awaiting it calls the closure it became).

use super::Rewriter;
use super::calls::{self, Kind};
use proc_macro2::{TokenStream, TokenTree};
use std::collections::HashSet;
use syn::visit::{self, Visit};
use syn::visit_mut::{self, VisitMut};
use syn::{Expr, Local, Pat};

/// Records (and renames) the future-holding locals of `block` into `rw`.
/// An async block becomes a deferred closure only when its local is awaited
/// somewhere; a local handed on unawaited (`spawn(fut)`) keeps its future.
pub(super) fn collect(block: &mut syn::Block, rw: &mut Rewriter<'_>) {
    let mut locals = Locals { rw };
    locals.visit_block_mut(block);
    let mut awaited = AwaitedLocals::default();
    awaited.visit_block(block);
    rw.deferred.retain(|name| awaited.names.contains(name));
}

/// The names `x` of every `x.await` in a body, also inside macro arguments.
#[derive(Default)]
struct AwaitedLocals {
    /// Locals awaited somewhere.
    names: HashSet<String>,
}

impl<'ast> Visit<'ast> for AwaitedLocals {
    fn visit_expr_await(&mut self, awaited: &'ast syn::ExprAwait) {
        if let Expr::Path(path) = super::await_::peel((*awaited.base).clone())
            && let Some(ident) = path.path.get_ident()
        {
            self.names.insert(ident.to_string());
        }
        visit::visit_expr_await(self, awaited);
    }

    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        awaited_in_tokens(mac.tokens.clone(), &mut self.names);
    }

    fn visit_item(&mut self, _: &'ast syn::Item) {}
}

/// Input: macro tokens. Output: every `x` of an `x . await` among them.
fn awaited_in_tokens(tokens: TokenStream, names: &mut HashSet<String>) {
    let tokens: Vec<TokenTree> = tokens.into_iter().collect();
    for (index, token) in tokens.iter().enumerate() {
        match token {
            TokenTree::Group(group) => awaited_in_tokens(group.stream(), names),
            TokenTree::Ident(ident) => {
                if let [TokenTree::Punct(dot), TokenTree::Ident(kw), ..] = &tokens[index + 1..]
                    && dot.as_char() == '.'
                    && kw == "await"
                {
                    names.insert(ident.to_string());
                }
            }
            _ => {}
        }
    }
}

/// The pre-pass over `let`s.
struct Locals<'r, 'a> {
    /// The rewriter whose `ready`/`deferred` sets are filled.
    rw: &'r mut Rewriter<'a>,
}

impl VisitMut for Locals<'_, '_> {
    fn visit_local_mut(&mut self, local: &mut Local) {
        visit_mut::visit_local_mut(self, local);
        let Some(name) = bound_name(&local.pat) else { return };
        let Some(init) = &mut local.init else { return };
        if init.diverge.is_some() {
            return;
        }
        let expr = &mut *init.expr;
        let is_async_closure = matches!(expr, Expr::Closure(c)
            if c.asyncness.is_some() || matches!(&*c.body, Expr::Async(_)));
        if matches!(expr, Expr::Async(_)) {
            self.rw.deferred.insert(name);
        } else if is_async_closure
            || (matches!(expr, Expr::Call(_) | Expr::MethodCall(_))
                && calls::classify(self.rw, expr) == Kind::Ours)
        {
            self.rw.ready.insert(name);
        }
    }

    fn visit_item_mut(&mut self, _: &mut syn::Item) {}
}

/// `x`, `mut x`, `x: T` → `x`.
pub(super) fn bound_name(pat: &Pat) -> Option<String> {
    match pat {
        Pat::Ident(ident) if ident.subpat.is_none() => Some(ident.ident.to_string()),
        Pat::Type(typed) => bound_name(&typed.pat),
        _ => None,
    }
}

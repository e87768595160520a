//! Locals that hold async blocks, found before the rewrite so that awaiting
//! them later is rewritten right.
//!
//! Input: `let b = async { .. }; .. b.await`.
//! Output: `b` recorded as deferred: its block becomes a closure
//! (`let b = || { .. };`) and awaiting it calls the closure (`b()`), so the
//! body still runs where it was awaited, not where it was written. An async
//! block bound to a local that is never awaited (handed on: `spawn(b)`)
//! stays a future. Locals holding other futures need nothing: their
//! `.await` is settled by type where it stands.

use super::Rewriter;
use proc_macro2::{TokenStream, TokenTree};
use std::collections::HashSet;
use syn::visit::{self, Visit};
use syn::{Expr, Local, Pat};

/// Records the deferred locals of `block` into `rw`: those bound to an async
/// block and awaited somewhere.
pub(super) fn collect(block: &syn::Block, rw: &mut Rewriter<'_>) {
    let mut bound = AsyncLocals::default();
    bound.visit_block(block);
    let mut awaited = AwaitedLocals::default();
    awaited.visit_block(block);
    rw.deferred.extend(bound.names.into_iter().filter(|name| awaited.names.contains(name)));
}

/// The names bound to an async block by a `let`.
#[derive(Default)]
struct AsyncLocals {
    /// The names.
    names: HashSet<String>,
}

impl<'ast> Visit<'ast> for AsyncLocals {
    fn visit_local(&mut self, local: &'ast Local) {
        visit::visit_local(self, local);
        let Some(name) = bound_name(&local.pat) else { return };
        if let Some(init) = &local.init
            && init.diverge.is_none()
            && matches!(&*init.expr, Expr::Async(_))
        {
            self.names.insert(name);
        }
    }

    fn visit_item(&mut self, _: &'ast syn::Item) {}
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

/// `x`, `mut x`, `x: T` → `x`.
pub(super) fn bound_name(pat: &Pat) -> Option<String> {
    match pat {
        Pat::Ident(ident) if ident.subpat.is_none() => Some(ident.ident.to_string()),
        Pat::Type(typed) => bound_name(&typed.pat),
        _ => None,
    }
}

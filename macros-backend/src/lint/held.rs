//! Lock guards held across an `.await`: `let g = m.lock().unwrap();` followed,
//! in the same block and before `drop(g)`, by an `.await`. The thread that
//! polls the future blocks on the lock, and every other task that wants it
//! waits for this one to be polled again.

use proc_macro2::Span;
use syn::visit::{self, Visit};

/// A guard bound by `let` and still alive at a later `.await`.
pub(crate) struct Held {
    /// The guard's name.
    pub(crate) guard: String,
    /// The `lock` of the binding.
    pub(crate) lock_span: Span,
}

/// The guards of `block`'s own statements that are alive at a later `.await`
/// of the same block (nested blocks are checked when the walk reaches them).
pub(crate) fn held_guards(block: &syn::Block) -> Vec<Held> {
    let mut held = Vec::new();
    for (index, stmt) in block.stmts.iter().enumerate() {
        let syn::Stmt::Local(local) = stmt else { continue };
        if local.attrs.iter().any(super::is_allow_marker) {
            continue;
        }
        let Some((guard, lock_span)) = guard_binding(local) else { continue };
        for later in &block.stmts[index + 1..] {
            if drops(later, &guard) || rebinds(later, &guard) {
                break;
            }
            if contains_await(later) {
                held.push(Held { guard, lock_span });
                break;
            }
        }
    }
    held
}

/// `let [mut] g = <expr>.lock()[.unwrap() | .expect(..) | .unwrap_or_else(..) | ?];`
/// → (`g`, the span of `lock`). A `lock()` that is `.await`ed is an async
/// mutex's; a chain going on after the guard (`.lock().unwrap().len()`) drops
/// it at the end of the statement.
fn guard_binding(local: &syn::Local) -> Option<(String, Span)> {
    let syn::Pat::Ident(pat) = &local.pat else { return None };
    let mut expr = &*local.init.as_ref()?.expr;
    loop {
        expr = match expr {
            syn::Expr::Try(e) => &e.expr,
            syn::Expr::MethodCall(call)
                if ["unwrap", "expect", "unwrap_or_else"].contains(&&*call.method.to_string()) =>
            {
                &call.receiver
            }
            syn::Expr::MethodCall(call) if call.method == "lock" && call.args.is_empty() => {
                return Some((pat.ident.to_string(), call.method.span()));
            }
            _ => return None,
        };
    }
}

/// Whether `stmt` is `drop(guard);` (or `std::mem::drop(guard);`).
fn drops(stmt: &syn::Stmt, guard: &str) -> bool {
    let syn::Stmt::Expr(syn::Expr::Call(call), _) = stmt else { return false };
    let syn::Expr::Path(func) = &*call.func else { return false };
    let is_drop = func.path.segments.last().is_some_and(|s| s.ident == "drop");
    let arg_is_guard =
        matches!(call.args.first(), Some(syn::Expr::Path(p)) if p.path.is_ident(guard));
    is_drop && arg_is_guard
}

/// Whether `stmt` binds `guard` anew (shadowing ends the old binding's use).
fn rebinds(stmt: &syn::Stmt, guard: &str) -> bool {
    matches!(stmt, syn::Stmt::Local(syn::Local { pat: syn::Pat::Ident(p), .. }) if p.ident == guard)
}

/// Whether `stmt` awaits, outside closures, `async` blocks and items (those
/// run, or are polled, separately).
fn contains_await(stmt: &syn::Stmt) -> bool {
    // Input: a statement. Output: whether it awaits in this future's own flow.
    /// Finds an `.await` of the enclosing future.
    #[derive(Default)]
    struct Awaits(bool);
    impl<'ast> Visit<'ast> for Awaits {
        fn visit_expr_await(&mut self, _: &'ast syn::ExprAwait) {
            self.0 = true;
        }
        fn visit_expr_closure(&mut self, _: &'ast syn::ExprClosure) {}
        fn visit_expr_async(&mut self, _: &'ast syn::ExprAsync) {}
        fn visit_item(&mut self, _: &'ast syn::Item) {}
        fn visit_macro(&mut self, mac: &'ast syn::Macro) {
            let parser = syn::punctuated::Punctuated::<syn::Expr, syn::Token![,]>::parse_terminated;
            if let Ok(args) = mac.parse_body_with(parser) {
                args.iter().for_each(|arg| <Self as Visit<'_>>::visit_expr(self, arg));
            }
        }
    }
    let mut awaits = Awaits::default();
    visit::visit_stmt(&mut awaits, stmt);
    awaits.0
}

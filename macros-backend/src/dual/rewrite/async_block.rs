//! `async` blocks and async closures in the blocking twin.

use super::Rewriter;
use syn::visit::{self, Visit};
use syn::visit_mut::{self, VisitMut as _};
use syn::{Expr, ExprAsync, ExprClosure};

/// An async block that is awaited where it stands.
///
/// Input: `async { body }.await` / `async move { body }.await`.
/// Output: `{ body }` when that means the same; `(|| { body })()` /
/// `(move || { body })()` when the body has a `return` or `?` (which must
/// leave the block, not the fn) or the block moves its captures.
pub(super) fn awaited(rw: &mut Rewriter<'_>, mut block: ExprAsync) -> Expr {
    rw.visit_block_mut(&mut block.block);
    // `{ x }` in tail position trips `unused_braces`, `(|| ..)()` trips
    // `clippy::redundant_closure_call`: the twin allows both.
    rw.closure_call = true;
    let body = &block.block;
    if block.capture.is_none() && !has_early_exit(body) {
        return Expr::Block(syn::ExprBlock { attrs: block.attrs, label: None, block: block.block });
    }
    let capture = block.capture;
    syn::parse_quote!((#capture || #body)())
}

/// An async block bound to a local that is awaited later.
///
/// Input: `async { body }` / `async move { body }`.
/// Output: `|| { body }` / `move || { body }`; awaiting the local later calls it.
pub(super) fn deferred(rw: &mut Rewriter<'_>, mut block: ExprAsync) -> Expr {
    rw.visit_block_mut(&mut block.block);
    let (capture, body) = (block.capture, &block.block);
    syn::parse_quote!(#capture || #body)
}

/// An async closure, or a closure whose body is an async block.
///
/// Input: `async |x| body`, `async move |x| body`, `|x| async move { body }`.
/// Output: `|x| body`, `move |x| body`, `|x| (move || { body })()` (or
/// `|x| { body }` when that means the same). Other closures are only visited.
pub(super) fn closure(rw: &mut Rewriter<'_>, closure: &mut ExprClosure) {
    closure.asyncness = None;
    if let Expr::Async(_) = &*closure.body {
        let Expr::Async(block) = std::mem::replace(&mut *closure.body, Expr::PLACEHOLDER) else {
            return;
        };
        *closure.body = awaited(rw, block);
        return;
    }
    visit_mut::visit_expr_closure_mut(rw, closure);
}

/// Whether `closure` is async (`async |x| ..`, `|x| async { .. }`).
pub(super) fn is_async(closure: &ExprClosure) -> bool {
    closure.asyncness.is_some() || matches!(&*closure.body, Expr::Async(_))
}

/// Whether `block` has a `return` or `?` of its own (not inside a nested
/// closure, async block or item).
pub(super) fn has_early_exit(block: &syn::Block) -> bool {
    let mut finder = EarlyExit(false);
    finder.visit_block(block);
    finder.0
}

/// Finds a `return` or `?` that would leave the enclosing block.
struct EarlyExit(bool);

impl Visit<'_> for EarlyExit {
    fn visit_expr(&mut self, expr: &Expr) {
        match expr {
            Expr::Return(_) | Expr::Try(_) => self.0 = true,
            Expr::Closure(_) | Expr::Async(_) => {}
            _ => visit::visit_expr(self, expr),
        }
    }

    fn visit_item(&mut self, _: &syn::Item) {}

    fn visit_macro(&mut self, mac: &syn::Macro) {
        // A `return`/`?` hidden in macro arguments counts too.
        let exit = |tt: &proc_macro2::TokenTree| match tt {
            proc_macro2::TokenTree::Punct(p) => p.as_char() == '?',
            proc_macro2::TokenTree::Ident(i) => i == "return",
            _ => false,
        };
        if super::macros::any_token(&mac.tokens, &exit) {
            self.0 = true;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn early_exit_ignores_nested_closures_and_blocks() {
        assert!(has_early_exit(&syn::parse_quote!({
            if c {
                return 1;
            }
            2
        })));
        assert!(has_early_exit(&syn::parse_quote!({
            let x = f()?;
            x
        })));
        assert!(!has_early_exit(&syn::parse_quote!({
            let f = || return 1;
            f()
        })));
        assert!(!has_early_exit(&syn::parse_quote!({
            let f = async { g()? };
            2
        })));
        assert!(!has_early_exit(&syn::parse_quote!({
            fn inner() -> u8 {
                return 1;
            }
            inner()
        })));
        assert!(has_early_exit(&syn::parse_quote!({
            println!("{}", f()?);
            1
        })));
    }
}

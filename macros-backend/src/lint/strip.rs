//! The `#[allow_blocking]` statement marker: finding it, and removing it so it
//! never reaches rustc.

use super::is_allow_marker;
use syn::visit_mut::{self, VisitMut};

/// Expands to a `match` giving the attributes of every expression kind.
macro_rules! expr_attrs {
    ($expr:expr, $($kind:ident)*) => {
        match $expr {
            $(syn::Expr::$kind(e) => Some(&mut e.attrs),)*
            _ => None,
        }
    };
}

/// The attributes of `expr` (`None` for verbatim tokens).
fn expr_attrs_mut(expr: &mut syn::Expr) -> Option<&mut Vec<syn::Attribute>> {
    expr_attrs!(expr, Array Assign Async Await Binary Block Break Call Cast Closure Const Continue
        Field ForLoop Group If Index Infer Let Lit Loop Macro Match MethodCall Paren Path Range
        RawAddr Reference Repeat Return Struct Try TryBlock Tuple Unary Unsafe While Yield)
}

/// The attributes of `expr`, read-only (empty for verbatim tokens).
pub(crate) fn expr_attrs(expr: &syn::Expr) -> &[syn::Attribute] {
    // One list of kinds, in `expr_attrs_mut`; this read-only view of it clones
    // nothing: the match is repeated by the macro with shared references.
    macro_rules! shared {
        ($($kind:ident)*) => {
            match expr {
                $(syn::Expr::$kind(e) => &e.attrs[..],)*
                _ => &[],
            }
        };
    }
    shared!(Array Assign Async Await Binary Block Break Call Cast Closure Const Continue
        Field ForLoop Group If Index Infer Let Lit Loop Macro Match MethodCall Paren Path Range
        RawAddr Reference Repeat Return Struct Try TryBlock Tuple Unary Unsafe While Yield)
}

// Input: `#[allow_blocking] std::thread::sleep(d);` anywhere in a body.
// Output: `std::thread::sleep(d);` (every `#[allow_blocking]` removed, on
// statements and expressions, nested blocks and closures included).
/// Removes the `#[allow_blocking]` markers from a body.
struct StripAllowMarkers;

impl VisitMut for StripAllowMarkers {
    fn visit_local_mut(&mut self, local: &mut syn::Local) {
        local.attrs.retain(|attr| !is_allow_marker(attr));
        visit_mut::visit_local_mut(self, local);
    }

    fn visit_stmt_macro_mut(&mut self, mac: &mut syn::StmtMacro) {
        mac.attrs.retain(|attr| !is_allow_marker(attr));
        visit_mut::visit_stmt_macro_mut(self, mac);
    }

    fn visit_expr_mut(&mut self, expr: &mut syn::Expr) {
        if let Some(attrs) = expr_attrs_mut(expr) {
            attrs.retain(|attr| !is_allow_marker(attr));
        }
        visit_mut::visit_expr_mut(self, expr);
    }
}

/// Removes every `#[allow_blocking]` marker from `body` (call it on each twin
/// made from a body the lint has seen, after [`super::blocking_call_warnings`]).
pub(crate) fn strip_allow_markers(body: &mut syn::Block) {
    StripAllowMarkers.visit_block_mut(body);
}

/// Removes `#[allow_blocking]` from an item's attributes (a method of a
/// `#[dual]` impl, trait or module) and says whether it was there: the
/// per-item allow.
pub(crate) fn take_allow_marker(attrs: &mut Vec<syn::Attribute>) -> bool {
    let before = attrs.len();
    attrs.retain(|attr| !is_allow_marker(attr));
    attrs.len() != before
}

//! Which awaited expressions reach items of this invocation, and the renames
//! that make them call the blocking twins.
//!
//! Also [`QualifySelfCalls`], used by trait impls: with both `Store` and
//! `BlockingStore` implemented for a type, `self.get(k)` is ambiguous, so
//! calls of the trait's methods on `self` name their trait.

use super::Rewriter;
use syn::visit_mut::{self, VisitMut};
use syn::{Expr, Ident, Path};

/// Methods of tokio's io, fs and net types whose std counterparts (after the
/// `tokio_to_std` preset) have the same name and are sync.
const TOKIO_SYNC_METHODS: &[&str] = &[
    "read",
    "read_exact",
    "read_to_end",
    "read_to_string",
    "read_line",
    "read_until",
    "write",
    "write_all",
    "flush",
    "sync_all",
    "sync_data",
    "set_len",
    "metadata",
    "accept",
    "send",
    "recv",
    "send_to",
    "recv_from",
    "peek",
    "peek_from",
    "connect",
    "set_permissions",
    "try_clone",
];

/// What an awaited expression is.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Ours (renamed to the twin if needed) or already sync: drop the `.await`.
    Ours,
    /// A local that held an async block, now a closure: call it.
    Deferred,
    /// Something else: bridge it (or reject it under `strict`).
    Foreign,
}

/// Input: the base of an `.await`, e.g. `helper(x)`, `self.get(k)`, `Self::new()`.
/// Output: the same with the callee renamed to its twin when it is ours, and its [`Kind`].
pub(super) fn classify(rw: &Rewriter<'_>, base: &mut Expr) -> Kind {
    match base {
        Expr::Call(call) => {
            let Expr::Path(func) = &mut *call.func else { return Kind::Foreign };
            if func.qself.is_some() {
                return Kind::Foreign;
            }
            if let Some(twin) = rw.scope.fn_twin(&func.path).cloned() {
                rename_last(&mut func.path, &twin);
                rename_trait(&mut func.path, rw.scope.trait_rename.as_ref());
                return Kind::Ours;
            }
            let local = func.path.get_ident().map(ToString::to_string);
            if local.is_some_and(|name| rw.ready.contains(&name)) {
                Kind::Ours
            } else {
                Kind::Foreign
            }
        }
        Expr::MethodCall(call) => {
            if let Some(twin) = rw.scope.method_twin(&call.receiver, &call.method).cloned() {
                let span = call.method.span();
                call.method = twin;
                call.method.set_span(span);
                return Kind::Ours;
            }
            let name = call.method.to_string();
            if rw.twin.tokio_to_std && TOKIO_SYNC_METHODS.contains(&name.as_str()) {
                Kind::Ours
            } else {
                Kind::Foreign
            }
        }
        Expr::Path(path) if path.qself.is_none() => match path.path.get_ident() {
            Some(ident) if rw.ready.contains(&ident.to_string()) => Kind::Ours,
            Some(ident) if rw.deferred.contains(&ident.to_string()) => Kind::Deferred,
            _ => Kind::Foreign,
        },
        _ => Kind::Foreign,
    }
}

/// Input: `Store::get` (the trait's own name first). Output: `BlockingStore::get`.
fn rename_trait(path: &mut Path, rename: Option<&(String, Ident)>) {
    let Some((from, to)) = rename else { return };
    if path.segments.len() == 2
        && let Some(first) = path.segments.first_mut()
        && first.ident == from
    {
        let span = first.ident.span();
        first.ident = to.clone();
        first.ident.set_span(span);
    }
}

/// Replaces the last segment's name of `path` by `twin`, keeping its span
/// and generic arguments.
fn rename_last(path: &mut Path, twin: &Ident) {
    if let Some(last) = path.segments.last_mut() {
        let span = last.ident.span();
        last.ident = twin.clone();
        last.ident.set_span(span);
    }
}

/// Qualifies calls of a trait's methods on `self` inside one method of an impl
/// of that trait.
///
/// Input: `self.get(k)` or `Self::get(self, k)` where `get` is a method of the trait.
/// Output: `<Self as Trait>::get(self, k)`.
pub(crate) struct QualifySelfCalls<'a> {
    /// The methods of the trait (by name).
    pub(crate) methods: &'a [String],
    /// The trait, as the impl names it (with generic arguments).
    pub(crate) trait_path: &'a Path,
    /// Also qualify `self.m(..)`: only sound where `self` is a reference
    /// (the qualified form does no auto-referencing).
    pub(crate) method_calls: bool,
}

impl VisitMut for QualifySelfCalls<'_> {
    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        visit_mut::visit_expr_mut(self, expr);
        if let Expr::Call(call) = expr
            && let Expr::Path(func) = &mut *call.func
            && func.qself.is_none()
            && func.path.segments.len() == 2
            && func.path.segments[0].ident == "Self"
            && self.methods.contains(&func.path.segments[1].ident.to_string())
        {
            let (trait_path, method) = (self.trait_path, &func.path.segments[1]);
            let qualified: syn::ExprPath = syn::parse_quote!(<Self as #trait_path>::#method);
            *func = qualified;
            return;
        }
        let Expr::MethodCall(call) = expr else { return };
        if !self.method_calls {
            return;
        }
        let on_self = matches!(&*call.receiver, Expr::Path(p) if p.path.is_ident("self"));
        if !on_self || call.turbofish.is_some() || !self.methods.contains(&call.method.to_string())
        {
            return;
        }
        let (trait_path, method, args) = (self.trait_path, &call.method, &call.args);
        let receiver = &call.receiver;
        *expr = syn::parse_quote!(<Self as #trait_path>::#method(#receiver, #args));
    }

    // Closures and nested items keep their own `self`-free meaning; nested
    // items have no `self` of ours.
    fn visit_item_mut(&mut self, _: &mut syn::Item) {}
}

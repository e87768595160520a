//! Calls of blocking twins in async code, found by the names `#[dual]` and
//! `#[bridge]` give them (the lint sees tokens, not types):
//!
//! - a fn or method named `blocking_*` (`blocking_fetch(..)`,
//!   `Client::blocking_get(..)`, `c.blocking_get(..)`; tokio's
//!   `blocking_recv` too) → its async twin without the prefix;
//! - a fn directly in a module named `blocking` that is not the path's first
//!   segment as written or imported (`m::blocking::load(..)`,
//!   `crate::m::blocking::load(..)`, `blocking::load(..)` after a visible
//!   `use crate::m::blocking;`; `reqwest::blocking::get(..)` too) → the same
//!   path without `blocking` (the `#[dual] mod`'s async item). A leading
//!   `blocking::` with no visible `use` is the `blocking` crate, whose
//!   `unblock` is async; a type's function in such a module
//!   (`m::blocking::Client::new()`) is not matched: constructors are sync in
//!   both worlds;
//! - a function of a trait named `Blocking` + an upper-case letter, called
//!   through the trait (`BlockingStore::get(&s, ..)`, `<S as
//!   BlockingStore>::get(..)`) → the async trait's (`Store::get(..).await`);
//!   not `new`, `default`, `from`, `builder`, `with_*` through a path
//!   without `as` (a type named `BlockingQueue` has constructors);
//! - a method called on a receiver the signature declares with such a trait
//!   (`s: &impl BlockingStore`, `&dyn BlockingStore`, `Box<dyn ..>`, a
//!   generic `S: BlockingStore`, bounded in place or in the `where` clause):
//!   `s.get(..)` → `s.get(..).await` with the async trait `Store`.
//!
//! Not detectable by name, so not matched: a twin renamed with `blocking =
//! name`, a blocking trait renamed with `blocking = Name`, and a method of a
//! blocking trait called on a value whose type is not spelled in the
//! signature (a field, a local).

use super::imports::Imports;
use std::collections::HashSet;

/// A blocking twin's call: what it is and what to call instead.
pub(super) struct TwinCall {
    /// The call as the warning names it.
    pub(super) api: String,
    /// The async call to use instead.
    pub(super) instead: String,
}

/// `path` as written, without generic arguments: `m::blocking::load`.
pub(super) fn path_string(path: &syn::Path) -> String {
    let segments: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
    let lead = if path.leading_colon.is_some() { "::" } else { "" };
    format!("{lead}{}", segments.join("::"))
}

/// Whether `name` is a blocking trait's (`BlockingStore`): the async
/// trait's name, `Store`, if so.
fn async_trait_of(name: &str) -> Option<&str> {
    name.strip_prefix("Blocking").filter(|rest| rest.starts_with(|c: char| c.is_ascii_uppercase()))
}

/// The twin a call of `path` (with `qself`, the `<T as Trait>` part) names,
/// if any (see the module docs).
pub(super) fn path_call(
    path: &syn::Path,
    qself: Option<&syn::QSelf>,
    imports: &Imports,
) -> Option<TwinCall> {
    let segments: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
    let (name, parents) = segments.split_last()?;
    let written = path_string(path);
    if let Some(twin) = name.strip_prefix("blocking_") {
        let mut async_path = parents.to_vec();
        async_path.push(twin.to_owned());
        return Some(TwinCall {
            api: format!("blocking twin `{written}`"),
            instead: format!("the async twin `{}(..).await`", async_path.join("::")),
        });
    }
    // `<S as BlockingStore>::get`: the trait is the segments before `position`.
    let trait_name = match qself {
        Some(q) if q.position > 0 => segments.get(q.position - 1),
        Some(_) => None,
        None => parents.last(),
    };
    // A type named `Blocking..` has constructors: not a blocking trait's call.
    let constructor = qself.is_none()
        && (["new", "default", "from", "builder"].contains(&name.as_str())
            || name.starts_with("with_"));
    if let Some(store) = trait_name.and_then(|t| async_trait_of(t)).filter(|_| !constructor) {
        return Some(TwinCall {
            api: format!("`{written}` (a method of the blocking trait `Blocking{store}`)"),
            instead: format!("the async trait's `{store}::{name}(..).await`"),
        });
    }
    let resolved = imports.expand_first(&segments);
    let is_fn = name.starts_with(|c: char| c.is_ascii_lowercase() || c == '_');
    let in_blocking = resolved.len() >= 3 && resolved[resolved.len() - 2] == "blocking";
    (is_fn && in_blocking).then(|| {
        let async_path: Vec<&str> =
            segments.iter().map(String::as_str).filter(|s| *s != "blocking").collect();
        TwinCall {
            api: format!("`{written}` (a blocking twin: a fn of a `blocking` module)"),
            instead: format!("the async `{}(..).await`", async_path.join("::")),
        }
    })
}

/// The method call `.name(..)` of a blocking twin, on a receiver that is one
/// of `blocking_receivers` or by its name (see the module docs).
pub(super) fn method_call(
    call: &syn::ExprMethodCall,
    blocking_receivers: &HashSet<String>,
) -> Option<TwinCall> {
    let name = call.method.to_string();
    if let Some(twin) = name.strip_prefix("blocking_") {
        return Some(TwinCall {
            api: format!("blocking twin `.{name}(..)`"),
            instead: format!("the async twin `.{twin}(..).await`"),
        });
    }
    let mut receiver = &*call.receiver;
    while let syn::Expr::Paren(syn::ExprParen { expr, .. })
    | syn::Expr::Reference(syn::ExprReference { expr, .. })
    | syn::Expr::Unary(syn::ExprUnary { op: syn::UnOp::Deref(_), expr, .. }) = receiver
    {
        receiver = expr;
    }
    let syn::Expr::Path(path) = receiver else { return None };
    let variable = path.path.get_ident()?.to_string();
    blocking_receivers.contains(&variable).then(|| TwinCall {
        api: format!("`{variable}.{name}(..)` (`{variable}` is declared with a blocking trait)"),
        instead: format!(
            "declare `{variable}` with the async trait and call `{variable}.{name}(..).await`"
        ),
    })
}

/// The parameters `sig` declares with a blocking trait (see the module
/// docs): their names.
pub(super) fn blocking_receivers(sig: &syn::Signature) -> HashSet<String> {
    // Generic parameters bounded by a blocking trait, in place or in `where`.
    let mut generics = HashSet::new();
    for param in sig.generics.type_params() {
        if mentions_blocking_trait(&param.bounds) {
            generics.insert(param.ident.to_string());
        }
    }
    for predicate in sig.generics.where_clause.iter().flat_map(|w| &w.predicates) {
        if let syn::WherePredicate::Type(p) = predicate
            && let syn::Type::Path(ty) = &p.bounded_ty
            && let Some(ident) = ty.path.get_ident()
            && mentions_blocking_trait(&p.bounds)
        {
            generics.insert(ident.to_string());
        }
    }
    let mut names = HashSet::new();
    for input in &sig.inputs {
        let syn::FnArg::Typed(typed) = input else { continue };
        let syn::Pat::Ident(pat) = &*typed.pat else { continue };
        if type_is_blocking(&typed.ty, &generics) {
            names.insert(pat.ident.to_string());
        }
    }
    names
}

/// Whether `ty` is (a reference to, a `Box`/`Arc`/`Rc` of) a blocking
/// trait object or `impl` of one, or one of the `generics` bounded by one.
fn type_is_blocking(mut ty: &syn::Type, generics: &HashSet<String>) -> bool {
    loop {
        ty = match ty {
            syn::Type::Reference(r) => &r.elem,
            syn::Type::Paren(p) => &p.elem,
            syn::Type::Path(p) if p.qself.is_none() => {
                if p.path.get_ident().is_some_and(|i| generics.contains(&i.to_string())) {
                    return true;
                }
                let Some(last) = p.path.segments.last() else { return false };
                let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
                    return false;
                };
                match args.args.first() {
                    Some(syn::GenericArgument::Type(inner))
                        if ["Box", "Arc", "Rc"].contains(&last.ident.to_string().as_str()) =>
                    {
                        inner
                    }
                    _ => return false,
                }
            }
            syn::Type::ImplTrait(t) => return mentions_blocking_trait(&t.bounds),
            syn::Type::TraitObject(t) => return mentions_blocking_trait(&t.bounds),
            _ => return false,
        };
    }
}

/// Whether `bounds` name a blocking trait.
fn mentions_blocking_trait(
    bounds: &syn::punctuated::Punctuated<syn::TypeParamBound, syn::Token![+]>,
) -> bool {
    bounds.iter().any(|bound| {
        matches!(bound, syn::TypeParamBound::Trait(t)
            if t.path.segments.last().is_some_and(|s| async_trait_of(&s.ident.to_string()).is_some()))
    })
}

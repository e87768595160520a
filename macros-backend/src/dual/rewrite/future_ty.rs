//! Futures in signatures, made values in the blocking twin.
//!
//! Input: `fn f() -> impl Future<Output = T> + Send` (not async).
//! Output: `fn f() -> T`, and the body's tail is awaited (so evaluated).
//!
//! Input: `async fn run<F: Future<Output = T>>(f: F)` or `(f: impl Future<Output = T>)`.
//! Output: `fn run(f: T)`, and `f.await` settles to `f` (a value), when
//! the body only awaits `f`; a future param the body does more with
//! (`f.fuse()`, `timeout(d, f)`) stays a future, settled where awaited; so
//! does a closure param returning a future that the body does more with
//! than `op(..).await` (see `closure_ty`). Rejected with an error
//! when `F` is used any other way (`Vec<F>`, `&mut F`, a second bound that
//! `T` may not meet), since the value has no such shape.

use super::closure_params::AsyncClosureArg;
use super::params::{Kept, future_output, only_awaited};
use crate::common::Errors;
use crate::dual::ir::Twin;
use syn::punctuated::Punctuated;
use syn::visit::{self, Visit};
use syn::{FnArg, GenericParam, ReturnType, Signature, Type, TypeParamBound, WherePredicate};

/// What [`sync_signature`] found.
#[allow(clippy::struct_excessive_bools, reason = "independent findings, not states")]
pub(super) struct SyncSignature {
    /// The fn returned `impl Future` without being async: await its tail.
    pub(super) await_tail: bool,
    /// A param that held a future now holds its value.
    pub(super) changed_params: bool,
    /// A closure param returned a future and now returns its value
    /// ([`super::closure_ty`]).
    pub(super) closures: bool,
    /// The fn returned `impl Stream`: the twin returns `impl Iterator`, and
    /// its tail becomes one.
    pub(super) stream_tail: bool,
    /// Sync closure params the body does more with than `op(..).await`
    /// (made sync by [`Twin::closure_decision`]): the body first rebinds
    /// each to a closure returning a future that calls it when first
    /// polled ([`super::closure_ty::lazy_closure`]).
    pub(super) lazy_closures: Vec<(syn::Ident, AsyncClosureArg)>,
}

// Input: `impl Stream<Item = T> + Send + 'a` (`FusedStream`, `TryStream<Ok =
// T, Error = E>` too).
// Output: `impl Iterator<Item = T> + Send + 'a` (`FusedIterator`, `Item =
// Result<T, E>`); `Unpin` is dropped (an iterator is moved, not pinned).
/// Turns an `impl Stream` output into the twin's `impl Iterator`; whether it was one.
fn stream_to_iterator(ty: &mut Type) -> bool {
    let Type::ImplTrait(imp) = ty else { return false };
    let is_stream = |name: &str| matches!(name, "Stream" | "TryStream");
    let item = imp.bounds.iter().find_map(|bound| {
        let TypeParamBound::Trait(bound) = bound else { return None };
        let last = bound.path.segments.last()?;
        is_stream(&last.ident.to_string()).then(|| stream_item(last))?
    });
    let Some(item) = item else { return false };
    let mut bounds: Punctuated<TypeParamBound, syn::Token![+]> = Punctuated::new();
    bounds.push(syn::parse_quote!(::core::iter::Iterator<Item = #item>));
    for bound in std::mem::take(&mut imp.bounds) {
        let name = match &bound {
            TypeParamBound::Trait(t) => t.path.segments.last().map(|s| s.ident.to_string()),
            _ => None,
        };
        match name.as_deref() {
            Some("FusedStream") => bounds.push(syn::parse_quote!(::core::iter::FusedIterator)),
            Some(name) if is_stream(name) || name == "Unpin" => {}
            _ => bounds.push(bound),
        }
    }
    imp.bounds = bounds;
    true
}

/// The item type of `Stream<Item = T>` (`T`) or `TryStream<Ok = T, Error =
/// E>` (`Result<T, E>`).
fn stream_item(segment: &syn::PathSegment) -> Option<Type> {
    let syn::PathArguments::AngleBracketed(args) = &segment.arguments else { return None };
    let assoc = |name: &str| {
        args.args.iter().find_map(|arg| match arg {
            syn::GenericArgument::AssocType(a) if a.ident == name => Some(a.ty.clone()),
            _ => None,
        })
    };
    if let Some(item) = assoc("Item") {
        return Some(item);
    }
    let (ok, error) = (assoc("Ok")?, assoc("Error")?);
    Some(syn::parse_quote!(::core::result::Result<#ok, #error>))
}

/// Rewrites `sig` of a blocking twin (see the module docs). `was_async`:
/// the original was an `async fn`; `twin` says how closure params are
/// decided (see `closure_ty`).
pub(super) fn sync_signature(
    sig: &mut Signature,
    body: Option<&syn::Block>,
    was_async: bool,
    twin: &Twin,
    errors: &mut Errors,
) -> SyncSignature {
    let mut await_tail = false;
    if !was_async
        && let ReturnType::Type(_, ty) = &mut sig.output
        && let Type::ImplTrait(imp) = &**ty
        && let Some(output) = future_output(&imp.bounds)
    {
        **ty = output;
        await_tail = true;
    }
    let mut changed_params = false;
    let (kept, lazy_closures) = handed_on(sig, body, twin);
    let generic_futures = take_future_params(sig, &kept);
    for input in &mut sig.inputs {
        let FnArg::Typed(typed) = input else { continue };
        if kept.params.iter().any(|name| param_is(typed, name)) {
            continue;
        }
        let output = match &*typed.ty {
            Type::ImplTrait(imp) => future_output(&imp.bounds),
            Type::Path(path) if path.qself.is_none() => path
                .path
                .get_ident()
                .and_then(|ident| generic_futures.iter().find(|(name, _)| ident == name))
                .map(|(_, output)| output.clone()),
            _ => None,
        };
        if let Some(output) = output {
            *typed.ty = output;
            changed_params = true;
        }
    }
    changed_params |= !generic_futures.is_empty();
    let closures = super::closure_ty::sync_closure_bounds(sig, &generic_futures, &kept);
    let mut leftover = Leftover { names: &generic_futures, errors };
    leftover.visit_signature(sig);
    let stream_tail = match &mut sig.output {
        ReturnType::Type(_, ty) => stream_to_iterator(ty),
        ReturnType::Default => false,
    };
    SyncSignature {
        await_tail,
        changed_params: changed_params || closures,
        closures,
        stream_tail,
        lazy_closures,
    }
}

/// Whether `typed` binds the name `name`.
fn param_is(typed: &syn::PatType, name: &str) -> bool {
    matches!(&*typed.pat, syn::Pat::Ident(p) if p.ident == name)
}

/// The params of `sig` used in `body` other than as `param.await` or, for
/// closures, `param(..).await`. A closure param returning a future that is
/// kept keeps the future type params it returns too: the twin then calls it
/// where the fn does and settles its future where the fn awaits it (`let
/// fut = op(a); log(); fut.await` runs the closure's async body after
/// `log()` in both worlds).
///
/// Returns too the closure params made sync (by the trait's decision) that
/// the body does not only call and await at once (see
/// [`SyncSignature::lazy_closures`]).
fn handed_on(
    sig: &Signature,
    body: Option<&syn::Block>,
    twin: &Twin,
) -> (Kept, Vec<(syn::Ident, AsyncClosureArg)>) {
    let mut kept = Kept::default();
    let mut lazy = Vec::new();
    let closures = super::closure_params::async_closure_args(sig);
    let sync_closures = twin.closure_decision.clone().unwrap_or_else(|| {
        super::closure_params::sync_closure_params(sig, body, twin.adapted_closures)
    });
    for (index, input) in sig.inputs.iter().enumerate() {
        let FnArg::Typed(typed) = input else { continue };
        let syn::Pat::Ident(pat) = &*typed.pat else { continue };
        let name = pat.ident.to_string();
        let awaited = body.is_none_or(|body| only_awaited(&name, body));
        let closure = closures.iter().position(|closure| closure.index == index);
        let keep = match closure {
            Some(_) if sync_closures.inputs.contains(&index) => false,
            Some(_) => true,
            None => !awaited,
        };
        if let Some(at) = closure
            && !keep
            && !awaited
        {
            lazy.push((pat.ident.clone(), closures[at].clone()));
        }
        if !keep {
            continue;
        }
        if let Type::Path(path) = &*typed.ty
            && let Some(ident) = path.path.get_ident()
        {
            kept.generics.push(ident.to_string());
        }
        let returned = super::closure_params::returned_futures(sig, &typed.ty);
        kept.generics.extend(returned.iter().map(ToString::to_string));
        kept.params.push(name);
    }
    (kept, lazy)
}

/// Removes `F: Future<Output = T>` type params (and their where clauses)
/// from `sig`, but those `kept`; returns each `F` with its `T`.
fn take_future_params(sig: &mut Signature, kept: &Kept) -> Vec<(syn::Ident, Type)> {
    let mut found = Vec::new();
    let where_outputs: Vec<(syn::Ident, Type)> = sig
        .generics
        .where_clause
        .iter()
        .flat_map(|clause| &clause.predicates)
        .filter_map(|predicate| match predicate {
            WherePredicate::Type(p) => match &p.bounded_ty {
                Type::Path(path) => {
                    Some((path.path.get_ident()?.clone(), future_output(&p.bounds)?))
                }
                _ => None,
            },
            _ => None,
        })
        .collect();
    let params = std::mem::take(&mut sig.generics.params);
    for param in params {
        if let GenericParam::Type(ty) = &param
            && !kept.generics.contains(&ty.ident.to_string())
        {
            let output = future_output(&ty.bounds).or_else(|| {
                where_outputs.iter().find(|(n, _)| *n == ty.ident).map(|(_, t)| t.clone())
            });
            if let Some(output) = output {
                found.push((ty.ident.clone(), output));
                continue;
            }
        }
        sig.generics.params.push(param);
    }
    if let Some(clause) = &mut sig.generics.where_clause {
        let predicates = std::mem::take(&mut clause.predicates);
        clause.predicates = predicates
            .into_iter()
            .filter(|predicate| {
                let WherePredicate::Type(p) = predicate else { return true };
                !matches!(&p.bounded_ty, Type::Path(path)
                    if path.path.get_ident().is_some_and(|i| found.iter().any(|(n, _)| n == i)))
            })
            .collect();
    }
    if sig.generics.params.is_empty() {
        sig.generics.lt_token = None;
        sig.generics.gt_token = None;
    }
    found
}

/// Reports a removed future type param that is still used.
struct Leftover<'a> {
    /// The removed params.
    names: &'a [(syn::Ident, Type)],
    /// Where errors go.
    errors: &'a mut Errors,
}

impl Visit<'_> for Leftover<'_> {
    fn visit_type_path(&mut self, ty: &syn::TypePath) {
        if let Some(ident) = ty.path.get_ident()
            && self.names.iter().any(|(name, _)| name == ident)
        {
            self.errors.push(syn::Error::new(
                ident.span(),
                format!(
                    "#[dual]: the blocking twin replaces the future `{ident}` by its output, \
                     which only works where `{ident}` is the whole type of a parameter \
                     (`x: {ident}`) or what a closure parameter returns (`F: FnMut() -> \
                     {ident}`); here it is used another way\n\
                     take the output value instead, or keep this fn async-only"
                ),
            ));
        }
        visit::visit_type_path(self, ty);
    }
}

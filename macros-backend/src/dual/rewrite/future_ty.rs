//! Futures in signatures, made values in the blocking twin.
//!
//! Input: `fn f() -> impl Future<Output = T> + Send` (not async).
//! Output: `fn f() -> T`, and the body's tail is awaited (so evaluated).
//!
//! Input: `async fn run<F: Future<Output = T>>(f: F)` or `(f: impl Future<Output = T>)`.
//! Output: `fn run(f: T)`, and `f.await` settles to `f` (a value). Rejected with an error
//! when `F` is used any other way (`Vec<F>`, `&mut F`, a second bound that
//! `T` may not meet), since the value has no such shape.

use crate::common::Errors;
use syn::punctuated::Punctuated;
use syn::visit::{self, Visit};
use syn::{FnArg, GenericParam, ReturnType, Signature, Type, TypeParamBound, WherePredicate};

/// What [`sync_signature`] found.
pub(super) struct SyncSignature {
    /// The fn returned `impl Future` without being async: await its tail.
    pub(super) await_tail: bool,
    /// A param that held a future now holds its value.
    pub(super) changed_params: bool,
}

/// The `T` of a `Future<Output = T>` bound, if `bounds` has one (`()` when
/// `Output` is not named).
fn future_output(bounds: &Punctuated<TypeParamBound, syn::Token![+]>) -> Option<Type> {
    bounds.iter().find_map(|bound| {
        let TypeParamBound::Trait(bound) = bound else { return None };
        let last = bound.path.segments.last()?;
        if last.ident != "Future" {
            return None;
        }
        let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
            return Some(syn::parse_quote!(()));
        };
        args.args.iter().find_map(|arg| match arg {
            syn::GenericArgument::AssocType(assoc) if assoc.ident == "Output" => {
                Some(assoc.ty.clone())
            }
            _ => None,
        })
    })
}

/// Rewrites `sig` of a blocking twin (see the module docs). `was_async`:
/// the original was an `async fn`.
pub(super) fn sync_signature(
    sig: &mut Signature,
    was_async: bool,
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
    let generic_futures = take_future_params(sig);
    for input in &mut sig.inputs {
        let FnArg::Typed(typed) = input else { continue };
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
    let mut leftover = Leftover { names: &generic_futures, errors };
    leftover.visit_signature(sig);
    SyncSignature { await_tail, changed_params }
}

/// Removes `F: Future<Output = T>` type params (and their where clauses)
/// from `sig`; returns each `F` with its `T`.
fn take_future_params(sig: &mut Signature) -> Vec<(syn::Ident, Type)> {
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
        if let GenericParam::Type(ty) = &param {
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
                     (`x: {ident}`); here it is used another way\n\
                     take the output value instead, or keep this fn async-only"
                ),
            ));
        }
        visit::visit_type_path(self, ty);
    }
}

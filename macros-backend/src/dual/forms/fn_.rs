//! `#[dual] async fn name` → `name` as written + `fn blocking_name`.

use super::super::ir::Branches;
use super::super::options::{Args, Form};
use super::super::twin::{self, FnParts, Names};
use super::super::{fn_ids, instrument, respan, worlds};
use crate::common::Errors;
use proc_macro2::TokenStream;
use quote::quote;
use syn::{Item, ItemFn, ReturnType, Type};

/// Whether `sig` is something `#[dual]` can make blocking: `async fn`, or a
/// fn returning `impl Future` or `impl Stream` (whose twin returns an
/// iterator).
pub(crate) fn is_async(sig: &syn::Signature) -> bool {
    sig.asyncness.is_some()
        || returns_impl(&sig.output, &["Future", "Stream", "TryStream", "FusedStream"])
}

/// `-> impl Trait<..>` for one of `traits` (by last path segment).
fn returns_impl(output: &ReturnType, traits: &[&str]) -> bool {
    let ReturnType::Type(_, ty) = output else { return false };
    let Type::ImplTrait(imp) = &**ty else { return false };
    imp.bounds.iter().any(|bound| {
        matches!(bound, syn::TypeParamBound::Trait(t)
            if t.path.segments.last().is_some_and(|s| traits.iter().any(|name| s.ident == name)))
    })
}

/// Whether `sig` can only be a method or associated fn: it has a receiver or
/// names `Self`.
fn in_impl(sig: &syn::Signature) -> bool {
    /// Finds `Self`.
    struct FindSelf(bool);
    impl syn::visit::Visit<'_> for FindSelf {
        fn visit_ident(&mut self, ident: &syn::Ident) {
            self.0 |= ident == "Self";
        }
    }
    let mut find = FindSelf(sig.receiver().is_some());
    syn::visit::Visit::visit_signature(&mut find, sig);
    find.0
}

/// Checks what no form of fn may be: `const async`, and not async at all.
pub(crate) fn check_sig(sig: &syn::Signature, errors: &mut Errors) -> bool {
    if let Some(constness) = &sig.constness {
        errors.push(syn::Error::new(
            constness.span,
            "#[dual] cannot make a twin of a `const` fn: a fn cannot be both `const` and `async`",
        ));
        return false;
    }
    if !is_async(sig) {
        errors.push(syn::Error::new(
            sig.fn_token.span,
            format!(
                "#[dual] has nothing to transform: `{}` is not `async` (and does not return \
                 `impl Future` or `impl Stream`), so it has no blocking twin to produce\n\
                 write it as `async fn`, or use #[bridge] to give a sync fn an async twin",
                sig.ident
            ),
        ));
        return false;
    }
    true
}

// Input: `#[dual] async fn name(args) -> T { body }`.
// Output: `fn name(args) -> impl Future<Output = T> + DualFuture { Dual::new(..) }`
// (async world: the watched body; blocking world: `blocking_name(args)`) and
// `fn blocking_name(args) -> T { <body, every .await settled by type> }`
// (none in the plain version of a world-cfg'd item: see `cfgs`).
/// Expands the fn form.
pub(crate) fn expand(function: &ItemFn, args: &Args, errors: &mut Errors) -> TokenStream {
    args.check_form(Form::Fn, errors);
    let original = Item::Fn(function.clone());
    if !check_sig(&function.sig, errors) {
        return quote!(#original);
    }
    let name = &function.sig.ident;
    let twin_name = args.blocking.clone().unwrap_or_else(|| twin::blocking_name(name));
    if twin_name == *name {
        errors.push(twin::collision(&twin_name, name, "async fn"));
        return quote!(#original);
    }
    if args.cfgs.blocking_off() {
        // The plain version: no twin to make (its world is off).
        let async_copy = worlds::async_copy(&original, errors);
        let none = Branches::new();
        return instrument::versions(
            &async_copy,
            args,
            (&none, false),
            &|_, _| false,
            &mut |_, _| {},
        );
    }
    let (async_copy, blocking) = worlds::split(&original, args, errors);
    let Item::Fn(mut blocking) = blocking else { return quote!(#original) };
    let id = fn_ids::take(&mut blocking.attrs);
    // A fn with a receiver or `Self` in its signature is a method (the fn
    // form inside an impl): its twin is reached through `Self`.
    let path: syn::Path = if in_impl(&blocking.sig) {
        syn::parse_quote!(Self::#twin_name)
    } else {
        syn::Path::from(twin_name.clone())
    };
    let callee = twin::callee(path, &blocking.sig);
    let parts = FnParts {
        attrs: &mut blocking.attrs,
        sig: &mut blocking.sig,
        block: Some(&mut blocking.block),
    };
    let (link, label) = (name.to_string(), twin_name.to_string());
    let names = Names::plain(&twin_name, &link, &label);
    let branch = twin::twin_fn(parts, &names, Some(callee), args, errors);
    let branches: Branches = id.zip(branch).into_iter().collect();
    let originals =
        instrument::versions(&async_copy, args, (&branches, false), &|_, _| false, &mut |_, _| {});
    let gate = args.cfgs.blocking_attr();
    // Maybe a method (`#[dual]` on one method of an impl): wrapped in place.
    let blocking = respan::wrap_in_place(&blocking, name.span(), &args.krate());
    quote!(#originals #gate #blocking)
}

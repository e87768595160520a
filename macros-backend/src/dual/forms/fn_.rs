//! `#[dual] async fn name` → `name` as written + `fn blocking_name`.

use super::super::args::Args;
use super::super::ir::Scope;
use crate::common::Errors;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::{Item, ItemFn, ReturnType, Type};

/// Options that apply to the fn form.
const FN_OPTIONS: &[&str] =
    &["blocking", "strict", "crate", "replace", "tokio_to_std", "allow_blocking"];

/// Whether `sig` is something `#[dual]` can make blocking: `async fn`, or a
/// fn returning `impl Future`.
pub(crate) fn is_async(sig: &syn::Signature) -> bool {
    sig.asyncness.is_some() || returns_impl_future(&sig.output)
}

/// `-> impl Future<..>`.
fn returns_impl_future(output: &ReturnType) -> bool {
    let ReturnType::Type(_, ty) = output else { return false };
    let Type::ImplTrait(imp) = &**ty else { return false };
    imp.bounds.iter().any(|bound| {
        matches!(bound, syn::TypeParamBound::Trait(t)
            if t.path.segments.last().is_some_and(|s| s.ident == "Future"))
    })
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
                 `impl Future`), so it has no blocking twin to produce\n\
                 write it as `async fn`, or use #[bridge] to give a sync fn an async twin",
                sig.ident
            ),
        ));
        return false;
    }
    true
}

/// Expands the fn form. `item` is the fn as written.
pub(crate) fn expand(function: &ItemFn, args: &Args, errors: &mut Errors) -> TokenStream {
    args.reject_unless(FN_OPTIONS, "an async fn", errors);
    let original = Item::Fn(function.clone());
    if !check_sig(&function.sig, errors) {
        return quote!(#original);
    }
    let name = &function.sig.ident;
    let twin_name = args.blocking.clone().unwrap_or_else(|| format_ident!("blocking_{}", name));
    if twin_name == *name {
        errors.push(super::collision(&twin_name, name, "async fn"));
        return quote!(#original);
    }
    let (mut async_copy, blocking) = super::prepare(&original, args, errors);
    super::lint::instrument(&mut async_copy, args, &|_, _| false);
    let Item::Fn(mut blocking) = blocking else { return quote!(#original) };
    let mut scope = Scope::default();
    scope.fns.insert(name.to_string(), twin_name.clone());
    super::twin_fn(
        &mut blocking.attrs,
        &mut blocking.sig,
        Some(&mut blocking.block),
        (&twin_name, &name.to_string()),
        &scope,
        args,
        errors,
    );
    quote!(#async_copy #blocking)
}

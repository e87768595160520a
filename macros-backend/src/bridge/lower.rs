//! Analysis: the original fn's signature and options → the [`Twin`] to
//! generate, or errors spanned on what can't be bridged.

use proc_macro2::Span;
use quote::{ToTokens as _, format_ident};
use syn::{Attribute, FnArg, Ident, Pat, ReceiverKind, Signature, Type, Visibility, parse_quote};

use super::args::Options;
use super::ir::{Arg, Direction, Home, Pass, Recv, Twin};
use super::ownership::{self, MUT_FIX, MUT_WHY};
use super::stream::{self, Kind};
use crate::common::Errors;

/// The original function as `lower` needs it.
pub(super) struct Original<'a> {
    /// Its attributes (the `#[bridge]` ones already removed).
    pub(super) attrs: &'a [Attribute],
    /// Its visibility.
    pub(super) vis: &'a Visibility,
    /// Its signature.
    pub(super) sig: &'a Signature,
    /// Where it lives.
    pub(super) home: Home,
    /// The impl's type or trait's name, for the runtime's label.
    pub(super) owner: Option<String>,
    /// The impl's or trait's type parameters.
    pub(super) outer_params: Vec<Ident>,
}

/// Whether `sig` is in the async world: an `async fn`, or a fn returning
/// `impl Stream` (its twin is the blocking one).
fn is_async_world(sig: &Signature) -> bool {
    sig.asyncness.is_some() || stream::kind(&sig.output) == Some(Kind::Stream)
}

/// The name of the twin of `sig` under `options`.
pub(super) fn twin_name(sig: &Signature, options: &Options) -> Ident {
    let original = &sig.ident;
    if is_async_world(sig) {
        options.blocking.clone().unwrap_or_else(|| format_ident!("blocking_{}", original))
    } else {
        options.async_name.clone().unwrap_or_else(|| format_ident!("{}_async", original))
    }
}

/// Plans the twin of `original`, recording in `errors` everything that
/// stops it; `None` when there is no twin to generate.
pub(super) fn lower(
    original: &Original<'_>,
    options: &Options,
    outer: &mut Errors,
) -> Option<Twin> {
    let sig = original.sig;
    let mut errors = Errors::default();
    let errors = &mut errors;
    check_signature(sig, options, errors);
    let ident = twin_name(sig, options);
    let label = match &original.owner {
        Some(owner) => format!("{owner}::{ident}"),
        None => ident.to_string(),
    };
    let direction = if is_async_world(sig) {
        Direction::Blocking
    } else {
        Direction::Async {
            thread_sensitive: options.thread_sensitive.is_some()
                || options.inherited_thread_sensitive,
        }
    };
    let asynchronous = matches!(direction, Direction::Async { .. });
    // An `async fn` returning an iterator is bridged like any async fn.
    let streamed = stream::kind(&sig.output)
        .filter(|kind| *kind == Kind::Stream || sig.asyncness.is_none())
        .and_then(|kind| errors.take(stream::plan(&sig.output, kind, &sig.ident)));
    let receiver = sig.receiver().and_then(|r| errors.take(receiver(r, asynchronous, &ident)));
    let mut args = Vec::new();
    for (index, input) in sig.inputs.iter().enumerate() {
        if let FnArg::Typed(typed) = input {
            let name = arg_name(&typed.pat, index);
            let plan = if asynchronous {
                ownership::async_arg(&typed.ty, &name.to_string(), &ident.to_string())
            } else {
                Ok((Pass::Move, (*typed.ty).clone()))
            };
            if let Some((pass, ty)) = errors.take(plan) {
                args.push(Arg { name, ty, pass });
            }
        }
    }
    if let (Some(streamed), Direction::Async { thread_sensitive }) = (&streamed, &direction) {
        let borrowed = matches!(receiver, Some(Recv::Ref { .. }))
            || args.iter().any(|arg| matches!(arg.pass, Pass::ToOwned));
        let shape =
            stream::Inputs { borrowed, thread_sensitive: *thread_sensitive, home: original.home };
        errors.take(stream::check_async_twin(streamed, &shape, sig, &ident));
    }
    if let (true, syn::ReturnType::Type(_, ty)) = (asynchronous, &sig.output)
        && ownership::borrows_non_static(ty.to_token_stream())
    {
        errors.push(syn::Error::new_spanned(
            ty,
            format!(
                "`{}` returns a borrow, which can't come back from the pool thread of its \
                 async twin `{ident}`: the future must be `'static`\nhelp: return an owned \
                 value, or leave the fn without a twin (`#[bridge(skip)]` in an impl)",
                sig.ident
            ),
        ));
    }
    if let Err(error) = std::mem::take(errors).finish() {
        outer.push(error);
        return None;
    }
    Some(Twin {
        attrs: carried_attrs(original.attrs, asynchronous),
        vis: original.vis.clone(),
        unsafety: match sig.safety {
            syn::Safety::Unsafe(token) => Some(token),
            _ => None,
        },
        original: sig.ident.clone(),
        ident,
        label,
        generics: sig.generics.clone(),
        receiver,
        args,
        output: sig.output.clone(),
        direction,
        home: original.home,
        outer_params: original.outer_params.clone(),
        private: options.private_path(),
        original_async: sig.asyncness.is_some(),
        stream: streamed,
    })
}

/// Errors for signatures no twin can be made of, and for options that do
/// not fit the original's world.
fn check_signature(sig: &Signature, options: &Options, errors: &mut Errors) {
    let name = &sig.ident;
    if let Some(constness) = &sig.constness {
        errors.push(syn::Error::new(
            constness.span,
            format!("#[bridge] can't bridge `const fn {name}`: a twin that blocks or spawns can't be const; remove `const`, or leave it without a twin (remove #[bridge], or `#[bridge(skip)]` on a method)"),
        ));
    }
    if let Some(abi) = &sig.abi {
        errors.push(syn::Error::new_spanned(
            abi,
            format!("#[bridge] can't bridge `extern fn {name}`: bridge a plain Rust fn that calls it instead (or `#[bridge(skip)]` it in an impl)"),
        ));
    }
    if let Some(variadic) = &sig.variadic {
        errors.push(syn::Error::new_spanned(
            variadic.dots,
            format!("#[bridge] can't forward the variadic arguments of `{name}`"),
        ));
    }
    let world = if sig.asyncness.is_some() { "is async" } else { "returns a stream" };
    if is_async_world(sig) {
        for (option, span) in [
            ("async_name", options.async_name.as_ref().map(Ident::span)),
            ("thread_sensitive", options.thread_sensitive),
        ] {
            if let Some(span) = span {
                errors.push(syn::Error::new(
                    span,
                    format!("option `{option}` is for sync fns, but `{name}` {world}: its twin is the blocking `blocking_{name}` (rename it with `blocking = ...`)"),
                ));
            }
        }
    } else if let Some(blocking) = &options.blocking {
        errors.push(syn::Error::new(
            blocking.span(),
            format!("option `blocking` is for async fns, but `{name}` is sync: its twin is the async `{name}_async` (rename it with `async_name = ...`)"),
        ));
    }
    if let (Some(span), None) = (options.allow_blocking, sig.asyncness) {
        let why = if is_async_world(sig) {
            "returns a stream and is not async: only async fn bodies are checked for blocking calls"
        } else {
            "is sync: blocking calls are fine in a sync fn (its async twin runs it on a pool thread)"
        };
        errors.push(syn::Error::new(
            span,
            format!(
                "option `allow_blocking` is for async fns, but `{name}` {why}; remove the option"
            ),
        ));
    }
}

/// The twin's receiver for `receiver`; `&mut self` can't cross to a pool
/// thread.
fn receiver(receiver: &syn::Receiver, asynchronous: bool, twin: &Ident) -> syn::Result<Recv> {
    let span = receiver.self_token.span;
    let recv = match &receiver.kind {
        ReceiverKind::Reference(_, lifetime, None) => {
            Recv::Ref { lifetime: lifetime.clone(), span }
        }
        ReceiverKind::Reference(_, lifetime, Some(_)) => {
            Recv::RefMut { lifetime: lifetime.clone(), span }
        }
        ReceiverKind::Typed(_, ty) => match &**ty {
            Type::Reference(r) if r.mutability.is_none() => {
                Recv::Ref { lifetime: r.lifetime.clone(), span }
            }
            Type::Reference(r) => Recv::RefMut { lifetime: r.lifetime.clone(), span },
            _ => Recv::Typed(ty.clone()),
        },
        _ => Recv::Value { span },
    };
    if let (true, Recv::Typed(ty)) = (asynchronous, &recv)
        && ownership::borrows_non_static(ty.to_token_stream())
    {
        return Err(syn::Error::new_spanned(
            ty,
            format!(
                "this borrowed `self` can't cross to the pool thread of the async twin `{twin}`: \
                 {MUT_WHY}\nhelp: take `&self` (the twin clones `Self`) or `self`, or mark the \
                 method `#[bridge(skip)]`"
            ),
        ));
    }
    if asynchronous && matches!(recv, Recv::RefMut { .. }) {
        return Err(syn::Error::new_spanned(
            receiver,
            format!(
                "`&mut self` can't cross to the pool thread of the async twin `{twin}`: {MUT_WHY}\nhelp: {MUT_FIX}"
            ),
        ));
    }
    Ok(recv)
}

/// The name the twin gives argument `index`: the user's identifier when the
/// pattern is one, else a fresh name (`(a, b): (u8, u8)` binds to it whole).
fn arg_name(pat: &Pat, index: usize) -> Ident {
    match pat {
        Pat::Ident(ident) if ident.subpat.is_none() && ident.ident != "self" => ident.ident.clone(),
        _ => Ident::new(&format!("arg{index}"), Span::mixed_site()),
    }
}

/// The attributes a twin carries from its original: docs, `cfg`s, lint
/// levels, `deprecated`, and `must_use` on blocking twins (an async twin
/// returns a future, which is `must_use` already). `expect` becomes `allow`
/// on the twin, where the expected lint may not fire.
fn carried_attrs(attrs: &[Attribute], asynchronous: bool) -> Vec<Attribute> {
    const CARRIED: &[&str] =
        &["doc", "cfg", "cfg_attr", "allow", "warn", "deny", "forbid", "deprecated"];
    let mut carried = Vec::new();
    for attr in attrs {
        let Some(name) = attr.path().get_ident().map(ToString::to_string) else { continue };
        // An inner attribute of the original's body (`#![allow(..)]`) sits in
        // front of the twin, where only the outer form parses.
        let mut attr = attr.clone();
        attr.style = syn::AttrStyle::Outer;
        let attr = &attr;
        if CARRIED.contains(&name.as_str()) || (name == "must_use" && !asynchronous) {
            carried.push(attr.clone());
        } else if name == "expect" {
            let mut allow = attr.clone();
            if let syn::Meta::List(list) = &mut allow.meta {
                list.path = parse_quote!(allow);
                carried.push(allow);
            }
        }
        if name == "deprecated" {
            // The twin calls the deprecated original; callers of the twin are
            // still warned through the carried `deprecated`.
            carried.push(parse_quote!(#[allow(deprecated)]));
        }
    }
    carried
}

#[cfg(test)]
mod tests {
    use quote::quote;

    // Found by the dependency corpus test: an inner attribute of the body was
    // copied in front of the twin as `#![..]`, which does not parse.
    #[test]
    fn inner_attributes_of_the_body_become_outer_on_the_twin() {
        let item = quote! { async fn f() -> u8 { #![allow(unused_variables)] 1 } };
        let output = super::super::expand(quote!(), item);
        let file: syn::File = syn::parse2(output).expect("the expansion parses as items");
        let twin = file.items.iter().find_map(|item| match item {
            syn::Item::Fn(function) if function.sig.ident == "blocking_f" => Some(function),
            _ => None,
        });
        let twin = twin.expect("a blocking twin");
        assert!(twin.attrs.iter().any(|attr| attr.path().is_ident("allow")));
        assert!(twin.attrs.iter().all(|attr| matches!(attr.style, syn::AttrStyle::Outer)));
    }
}

//! Printing: a [`Twin`] → the tokens of the twin fn, as a free fn, an
//! inherent method or a provided trait method (the syntax is the same).

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::{GenericParam, Generics, ReturnType, parse_quote, parse_quote_spanned};

use super::ir::{Direction, Home, Pass, Recv, Twin};
use super::stream;

/// The tokens of `twin`.
pub(super) fn twin(twin: &Twin) -> TokenStream {
    match twin.direction {
        Direction::Blocking => blocking(twin),
        Direction::Async { thread_sensitive } => asynchronous(twin, thread_sensitive),
    }
}

/// Input: the plan of the twin of `async fn name(..) -> T` — Output:
/// `#[track_caller] fn blocking_name(..) -> T { block_on_named("…", name(..)) }`.
/// For `(async) fn name(..) -> impl Stream<Item = T>`, the twin returns
/// `impl Iterator<Item = T>`: `block_on_stream_named("…", stream)`, the
/// stream being `block_on_named("…", name(..))` for an async original.
fn blocking(twin: &Twin) -> TokenStream {
    let Twin { vis, unsafety, ident, label, private, output, .. } = twin;
    let generics = &twin.generics;
    let where_clause = &generics.where_clause;
    let docs = docs(twin, "Blocking twin of", stream::blocking_how(twin));
    let attrs = carried(twin);
    let vis = visibility(twin, vis);
    let receiver = receiver_param(twin.receiver.as_ref());
    let params = twin.args.iter().map(|arg| {
        let (name, ty) = (&arg.name, &arg.ty);
        quote!(#name: #ty)
    });
    let self_arg = twin.receiver.as_ref().map(|_| quote!(self,));
    let args = twin.args.iter().map(|arg| &arg.name);
    let call = call(twin, &quote!(#self_arg #(#args),*));
    let (output, body) = match &twin.stream {
        Some(streamed) => {
            let ty = stream::twin_output(streamed, private);
            let stream = if twin.original_async {
                quote!(#private::block_on_named(#label, #call))
            } else {
                call
            };
            (quote!(-> #ty), quote!(#private::block_on_stream_named(#label, #stream)))
        }
        None => (quote!(#output), quote!(#private::block_on_named(#label, #call))),
    };
    quote! {
        #docs
        #(#attrs)*
        #[track_caller]
        #vis #unsafety fn #ident #generics (#receiver #(#params),*) #output #where_clause {
            #body
        }
    }
}

/// The original's attributes the twin carries; `must_use` stays off a
/// stream's or iterator's twin, whose type is `must_use` already (clippy's
/// `double_must_use`).
fn carried(twin: &Twin) -> Vec<&syn::Attribute> {
    let keep = |attr: &&syn::Attribute| twin.stream.is_none() || !attr.path().is_ident("must_use");
    twin.attrs.iter().filter(keep).collect()
}

/// Input: the plan of the twin of `fn name(..) -> T` — Output:
/// `fn name_async(..) -> impl Future<Output = T> + Send + 'static`, which
/// makes every argument owned, then hands `name` to the pool.
fn asynchronous(twin: &Twin, thread_sensitive: bool) -> TokenStream {
    let Twin { vis, unsafety, ident, label, private, .. } = twin;
    let generics = async_generics(twin);
    let where_clause = &generics.where_clause;
    let (entry, place) = if thread_sensitive {
        (format_ident!("unblock_thread_sensitive_named"), "the thread-sensitive executor")
    } else {
        (format_ident!("unblock_named"), "a pool thread")
    };
    let how = if twin.stream.is_some() {
        stream::ASYNC_HOW.to_owned()
    } else {
        format!(
            "runs it on {place} and resolves to its result. Arguments are made owned before \
             the future is built, so the future is `Send + 'static`."
        )
    };
    let docs = docs(twin, "Async twin of", &how);
    let attrs = carried(twin);
    let vis = visibility(twin, vis);
    let receiver = receiver_param(twin.receiver.as_ref());
    let out = match &twin.output {
        ReturnType::Default => quote!(()),
        ReturnType::Type(_, ty) => quote!(#ty),
    };
    let Crossing { prelude, args } = crossing(twin);
    let call = call(twin, &args);
    let params = twin.args.iter().map(|arg| {
        let (name, ty) = (&arg.name, &arg.ty);
        quote!(#name: #ty)
    });
    let (output, entry) = match &twin.stream {
        Some(streamed) => (stream::twin_output(streamed, private), quote!(unblock_iter_named)),
        None => (
            quote!(impl ::core::future::Future<Output = #out> + ::core::marker::Send + 'static),
            quote!(#entry),
        ),
    };
    quote! {
        #docs
        #(#attrs)*
        #vis #unsafety fn #ident #generics (#receiver #(#params),*) -> #output #where_clause {
            #prelude
            #private::#entry(#label, move || #call)
        }
    }
}

/// How the async twin's values cross to the pool thread.
struct Crossing {
    /// Statements run before the future is built: the owned copies.
    prelude: TokenStream,
    /// The arguments the pool thread passes to the original.
    args: TokenStream,
}

/// Input: the twin's receiver and arguments — Output: the statements that
/// make each one owned (`Clone` for `&self`, `ToOwned` for `&T`, a move
/// otherwise) and the expressions that pass them on (`&owned`,
/// `Borrow::borrow(&owned)`, the value).
fn crossing(twin: &Twin) -> Crossing {
    let this = fresh("this");
    let (mut prelude, mut args) = match &twin.receiver {
        Some(Recv::Ref { span, .. }) => (
            quote_spanned!(*span=> let #this = ::core::clone::Clone::clone(self);),
            quote!(&#this,),
        ),
        Some(_) => (TokenStream::new(), quote!(self,)),
        None => (TokenStream::new(), TokenStream::new()),
    };
    if twin.args.is_empty() {
        return Crossing { prelude, args };
    }
    // A check per argument, spanned on its type, so a value that can't move
    // to the pool thread is reported there rather than on the attribute.
    // The fn item comes first (clippy's `items_after_statements`).
    let crosses = fresh("crosses");
    let mut checks = quote! {
        fn #crosses<T: ::core::marker::Send + 'static>(value: T) -> T {
            value
        }
    };
    checks.extend(prelude);
    prelude = checks;
    for (index, arg) in twin.args.iter().enumerate() {
        let name = &arg.name;
        let span = syn::spanned::Spanned::span(&arg.ty);
        match arg.pass {
            Pass::Move => {
                prelude.extend(quote_spanned!(span=> let #name = #crosses(#name);));
                args.extend(quote!(#name,));
            }
            Pass::ToOwned => {
                let owned = fresh(&format!("owned{index}"));
                prelude.extend(quote_spanned!(span=>
                    let #owned = #crosses(::std::borrow::ToOwned::to_owned(#name));
                ));
                args.extend(quote!(::core::borrow::Borrow::borrow(&#owned),));
            }
        }
    }
    Crossing { prelude, args }
}

/// A local named `name` that user code can't see or shadow (mixed-site
/// hygiene).
fn fresh(name: &str) -> syn::Ident {
    syn::Ident::new(&format!("__twoworlds_{name}"), Span::mixed_site())
}

/// Whether `ty` is the bare type parameter `ident`.
fn is_type_param(ty: &syn::Type, ident: &syn::Ident) -> bool {
    matches!(ty, syn::Type::Path(path) if path.qself.is_none() && path.path.is_ident(ident))
}

/// Input: `fn f<T: Display, U>(x: &T, y: U) where U: Debug` — Output: the
/// same generics with `Send + 'static` on every type parameter (and
/// `ToOwned<Owned: Send + 'static>` on those passed as `&T`), each added
/// where the user bounded that parameter (inline or in its where-clause
/// predicate, so clippy's `multiple_bound_locations` and
/// `type_repetition_in_bounds` stay quiet), skipping bounds already there.
fn add_param_bounds(generics: &mut Generics, borrowed: &[syn::Ident]) {
    let idents: Vec<syn::Ident> = generics.type_params().map(|p| p.ident.clone()).collect();
    for ident in idents {
        let in_where = generics.where_clause.as_mut().and_then(|clause| {
            clause.predicates.iter_mut().find_map(|predicate| match predicate {
                syn::WherePredicate::Type(p) if is_type_param(&p.bounded_ty, &ident) => {
                    Some(&mut p.bounds)
                }
                _ => None,
            })
        });
        let bounds = match in_where {
            Some(bounds) => bounds,
            None => match generics.type_params_mut().find(|p| p.ident == ident) {
                Some(param) => &mut param.bounds,
                None => continue,
            },
        };
        if !has_bound(bounds, "Send") {
            bounds.push(parse_quote!(::core::marker::Send));
        }
        if !bounds
            .iter()
            .any(|b| matches!(b, syn::TypeParamBound::Lifetime(l) if l.ident == "static"))
        {
            bounds.push(parse_quote!('static));
        }
        if borrowed.contains(&ident) && !has_bound(bounds, "ToOwned") {
            bounds
                .push(parse_quote!(::std::borrow::ToOwned<Owned: ::core::marker::Send + 'static>));
        }
    }
}

/// The twin's generics: the original's, plus the bounds that let every
/// value move to the pool thread (`T: Send + 'static` for each type
/// parameter, and on `Self` what the receiver needs).
fn async_generics(twin: &Twin) -> Generics {
    let mut generics = twin.generics.clone();
    add_param_bounds(&mut generics, &borrowed_params(twin));
    let mut where_bounds: Vec<syn::WherePredicate> = Vec::new();
    for param in &twin.outer_params {
        where_bounds.push(parse_quote!(#param: ::core::marker::Send + 'static));
    }
    if matches!(twin.home, Home::Trait) {
        where_bounds.extend(self_type_bounds(twin));
        // `Self: Sized` keeps the twin out of the vtable, so a dyn-compatible
        // trait stays dyn-compatible (`Clone` for `&self` implies it).
        if matches!(twin.receiver, Some(Recv::Value { .. } | Recv::Typed(_))) {
            where_bounds.push(parse_quote!(Self: ::core::marker::Sized));
        }
    }
    if !matches!(twin.home, Home::Free) {
        // Spanned on `self`, so an unmet bound is reported on the receiver.
        where_bounds.push(match &twin.receiver {
            Some(Recv::Ref { span, .. }) => parse_quote_spanned!(*span=>
                Self: ::core::clone::Clone + ::core::marker::Send + 'static
            ),
            Some(Recv::Value { span } | Recv::RefMut { span, .. }) => {
                parse_quote_spanned!(*span=> Self: ::core::marker::Send + 'static)
            }
            Some(Recv::Typed(ty)) => {
                let span = syn::spanned::Spanned::span(ty);
                parse_quote_spanned!(span=> Self: ::core::marker::Send + 'static)
            }
            None => parse_quote!(Self: ::core::marker::Sized + 'static),
        });
    }
    if !where_bounds.is_empty() {
        generics.make_where_clause().predicates.extend(where_bounds);
    }
    generics
}

/// In a trait, the types that mention `Self` (`Self`, `Self::Item`) and
/// cross to or from the pool thread: the output and moved arguments. They
/// must be `Send + 'static`, which the provided body can't assume. Types
/// with borrows are left to the compiler's own error.
fn self_type_bounds(twin: &Twin) -> Vec<syn::WherePredicate> {
    let output = match &twin.output {
        ReturnType::Type(_, ty) => Some(&**ty),
        ReturnType::Default => None,
    };
    let moved = twin.args.iter().filter(|arg| matches!(arg.pass, Pass::Move)).map(|arg| &arg.ty);
    output
        .into_iter()
        .chain(moved)
        .filter(|ty| mentions_self_only_owned(&quote!(#ty)))
        // Fallible on purpose: the type is the user's.
        .filter_map(|ty| syn::parse2(quote!(#ty: ::core::marker::Send + 'static)).ok())
        .collect()
}

/// Whether `tokens` name `Self` and hold no borrow, lifetime or `impl`.
fn mentions_self_only_owned(tokens: &TokenStream) -> bool {
    /// Walks `tokens`, noting whether `Self` appears and whether anything
    /// that may borrow does.
    fn walk(tokens: TokenStream, mentions_self: &mut bool, borrows: &mut bool) {
        for token in tokens {
            match token {
                proc_macro2::TokenTree::Ident(ident) => {
                    *mentions_self |= ident == "Self";
                    *borrows |= ident == "impl" || ident == "dyn";
                }
                proc_macro2::TokenTree::Punct(punct) => {
                    *borrows |= matches!(punct.as_char(), '&' | '\'' | '_');
                }
                proc_macro2::TokenTree::Group(group) => {
                    walk(group.stream(), mentions_self, borrows);
                }
                proc_macro2::TokenTree::Literal(_) => {}
            }
        }
    }
    let (mut mentions_self, mut borrows) = (false, false);
    walk(tokens.clone(), &mut mentions_self, &mut borrows);
    mentions_self && !borrows
}

/// The type parameters passed as `&T` (made owned with `ToOwned`).
fn borrowed_params(twin: &Twin) -> Vec<syn::Ident> {
    twin.args
        .iter()
        .filter(|arg| matches!(arg.pass, Pass::ToOwned))
        .filter_map(|arg| match &arg.ty {
            syn::Type::Reference(reference) => match &*reference.elem {
                syn::Type::Path(path) if path.qself.is_none() => path.path.get_ident().cloned(),
                _ => None,
            },
            _ => None,
        })
        .collect()
}

/// Whether `bounds` names the trait `name` (by its last path segment), so
/// the twin does not repeat it (clippy's `trait_duplication_in_bounds`).
fn has_bound(
    bounds: &syn::punctuated::Punctuated<syn::TypeParamBound, syn::Token![+]>,
    name: &str,
) -> bool {
    bounds.iter().any(|bound| match bound {
        syn::TypeParamBound::Trait(t) => t.path.segments.last().is_some_and(|s| s.ident == name),
        _ => false,
    })
}

/// `name::<T, N>(args)` or `Self::name::<T, N>(args)`, in `unsafe { }` when
/// the original is unsafe.
fn call(twin: &Twin, args: &TokenStream) -> TokenStream {
    let original = &twin.original;
    let turbofish: Vec<_> = twin
        .generics
        .params
        .iter()
        .filter_map(|param| match param {
            GenericParam::Type(ty) => Some(&ty.ident),
            GenericParam::Const(c) => Some(&c.ident),
            GenericParam::Lifetime(_) => None,
        })
        .collect();
    let turbofish = (!turbofish.is_empty()).then(|| quote!(::<#(#turbofish),*>));
    let callee = match twin.home {
        Home::Free => quote!(#original),
        Home::Impl | Home::Trait => quote!(Self::#original),
    };
    let call = quote!(#callee #turbofish (#args));
    match twin.unsafety {
        Some(token) => quote!(#token { #call }),
        None => call,
    }
}

/// The twin's `self` parameter, with a trailing comma.
fn receiver_param(receiver: Option<&Recv>) -> TokenStream {
    match receiver {
        None => TokenStream::new(),
        Some(Recv::Ref { lifetime, span }) => {
            let this = syn::Ident::new("self", *span);
            quote!(&#lifetime #this,)
        }
        Some(Recv::RefMut { lifetime, span }) => {
            let this = syn::Ident::new("self", *span);
            quote!(&#lifetime mut #this,)
        }
        Some(Recv::Value { span }) => {
            let this = syn::Ident::new("self", *span);
            quote!(#this,)
        }
        Some(Recv::Typed(ty)) => quote!(self: #ty,),
    }
}

/// The twin's visibility: the original's, none in a trait.
fn visibility(twin: &Twin, vis: &syn::Visibility) -> TokenStream {
    match twin.home {
        Home::Trait => TokenStream::new(),
        Home::Free | Home::Impl => quote!(#vis),
    }
}

/// The twin's first doc line, linking the original, and a blank line before
/// the original's docs when it has some.
fn docs(twin: &Twin, what: &str, how: &str) -> TokenStream {
    let original = &twin.original;
    let target = match twin.home {
        Home::Free => original.to_string(),
        Home::Impl | Home::Trait => format!("Self::{original}"),
    };
    let line = format!(" {what} [`{original}`]({target}): {how}");
    let has_docs = twin.attrs.iter().any(|attr| attr.path().is_ident("doc"));
    let blank = has_docs.then(|| quote!(#[doc = ""]));
    quote!(#[doc = #line] #blank)
}

//! The shell version's fns (see [`super::versions`]): an async world that is
//! off keeps each fn's signature and `#[dual]` future for the blocking twins,
//! with a body that is never compiled ([`ShellBodies`]), or, where the twin
//! has the same signature, a call of the twin through a fn pointer
//! ([`shell_call`]).

use crate::lint;
use proc_macro2::TokenStream;
use quote::quote;
use syn::visit_mut::VisitMut;
use syn::{Attribute, Block, Item, Signature};

/// Input: an async fn with a body, of the async copy (numbered).
/// Output: the same whose body panics with `message` (a shell: its
/// signature and future serve the blocking twins; its body is not compiled).
pub(super) struct ShellBodies<'a> {
    /// What awaiting a shell says.
    pub(super) message: &'a proc_macro2::Literal,
}

/// What awaiting the shells of a shell version says, as text and literal.
pub(super) type Shell<'a> = (&'a str, &'a proc_macro2::Literal);

impl ShellBodies<'_> {
    /// The shell body; `attrs` gain what it needs: its arguments go unused.
    /// (Last: a shell that calls its twin takes it off again, see
    /// [`shell_call`].)
    fn body(&self, attrs: &mut Vec<Attribute>) -> Block {
        attrs.push(crate::common::list_attr("allow", shell_allow()));
        let message = self.message;
        // Built, not parsed: only a shell that cannot desugar prints it.
        Block {
            brace_token: syn::token::Brace::default(),
            stmts: vec![syn::Stmt::Item(Item::Verbatim(quote!(::core::panic!(#message))))],
        }
    }
}

/// What a shell whose arguments go unused allows.
fn shell_allow() -> TokenStream {
    quote!(unused_variables, clippy::needless_pass_by_value, clippy::unused_self)
}

impl VisitMut for ShellBodies<'_> {
    fn visit_item_fn_mut(&mut self, f: &mut syn::ItemFn) {
        if f.sig.asyncness.is_some() {
            *f.block = self.body(&mut f.attrs);
        }
    }

    fn visit_impl_item_fn_mut(&mut self, f: &mut syn::ImplItemFn) {
        if f.sig.asyncness.is_some() {
            f.block = self.body(&mut f.attrs);
        }
    }

    fn visit_trait_item_fn_mut(&mut self, f: &mut syn::TraitItemFn) {
        if let (Some(_), Some(block)) = (f.sig.asyncness, &mut f.default) {
            *block = self.body(&mut f.attrs);
        }
    }
}

// Input: `async fn name(args) -> T { <shell body> }` of a shell version,
// whose blocking world calls its twin `callee`, returning `B`.
// Output: `#[inline] fn name(args) -> impl DualFuture<Output = T, Blocking = B> {
//     <private>::Shell::callN(<message>, callee, arg1, .., argN) }`
// (pattern arguments named `__argN`), or `false` with nothing changed for a
// fn that needs the general shape (see `lint::dual_async_fn`): an attribute
// that is not inert, an `unsafe` or `extern` fn, an argument with
// attributes, more than 12 arguments.
/// The cheap shell of a fn whose twin has the same signature: a fn pointer
/// and the arguments, where `lint::dual_async_fn` makes a closure; and no
/// lint attributes, which rustc pays for on every fn (the arguments are
/// all used, and `DualFuture<Output = T>` implies `Future` once). Together
/// half of a shell's cost in a blocking-only build.
pub(super) fn shell_call(
    attrs: &mut Vec<Attribute>,
    sig: &mut Signature,
    body: &mut Block,
    (callee, blocking, message): (&syn::ExprPath, Option<&syn::Type>, &proc_macro2::Literal),
    private: &TokenStream,
) -> bool {
    let plain = |input: &syn::FnArg| match input {
        syn::FnArg::Receiver(r) => r.attrs.is_empty(),
        syn::FnArg::Typed(typed) => typed.attrs.is_empty(),
    };
    // `ShellBodies` pushed its `allow` last; every other attribute must be
    // one that means the same on the desugared fn.
    let Some((shell_allow_attr, written)) = attrs.split_last() else { return false };
    if !matches!(sig.safety, syn::Safety::Default)
        || sig.abi.is_some()
        || sig.variadic.is_some()
        || sig.inputs.len() > 12
        || !sig.inputs.iter().all(plain)
        || !written.iter().all(lint::is_inert)
        || !shell_allow_attr.path().is_ident("allow")
    {
        return false;
    }
    attrs.pop();
    let mut call_args = Vec::with_capacity(sig.inputs.len());
    let mut arg_types = Vec::with_capacity(sig.inputs.len());
    for (index, input) in sig.inputs.iter_mut().enumerate() {
        match input {
            syn::FnArg::Receiver(receiver) => {
                // `mut self` is the twin's business (`unused_mut` here).
                receiver.mutability = None;
                call_args.push(syn::Ident::new("self", receiver.self_token.span));
                arg_types.push(receiver_type(receiver));
            }
            syn::FnArg::Typed(typed) => match &mut *typed.pat {
                syn::Pat::Ident(pat) if pat.by_ref.is_none() && pat.subpat.is_none() => {
                    pat.mutability = None;
                    let name = &pat.ident;
                    if name.to_string().starts_with('_') {
                        // Passed on to the twin: no use of `_guard`.
                        attrs.push(crate::common::list_attr(
                            "allow",
                            quote!(clippy::used_underscore_binding),
                        ));
                    }
                    call_args.push(name.clone());
                    arg_types.push(spelled(&typed.ty));
                }
                pattern => {
                    let name = quote::format_ident!(
                        "__arg{}",
                        index,
                        span = proc_macro2::Span::mixed_site()
                    );
                    *pattern = syn::Pat::Ident(syn::PatIdent {
                        attrs: Vec::new(),
                        by_ref: None,
                        mutability: None,
                        ident: name.clone(),
                        subpat: None,
                    });
                    call_args.push(name);
                    arg_types.push(spelled(&typed.ty));
                }
            },
        }
    }
    sig.asyncness = None;
    crate::common::elided::name_in_impl_args(sig);
    // Each type printed once, its turbofish slot a copy (or `_`).
    let printed = |ty: &syn::Type| {
        let tokens = quote!(#ty);
        let slot = if lint::mentions_impl_trait(ty) { quote!(_) } else { tokens.clone() };
        (tokens, slot)
    };
    let (output, output_slot) = match &sig.output {
        syn::ReturnType::Default => (quote!(()), quote!(())),
        syn::ReturnType::Type(_, ty) => printed(ty),
    };
    // The twin's output is written as the fn's, and names an `impl Trait`.
    let impl_output = lint::returns_impl_trait(sig, blocking);
    let (blocking, blocking_slot) =
        blocking.map_or_else(|| (output.clone(), output_slot.clone()), printed);
    // Spanned at the macro's own site (edition 2024): the opaque type
    // captures every lifetime in scope, as `async fn`'s future does.
    let site = proc_macro2::Span::mixed_site();
    let ty = quote::quote_spanned!(site=>
        impl #private::DualFuture<Output = #output, Blocking = #blocking>
    );
    sig.output = syn::ReturnType::Type(syn::Token![->](site), Box::new(syn::Type::Verbatim(ty)));
    let call = syn::Ident::new(&format!("call{}", call_args.len()), site);
    // Every type spelled (the fn's own, as in its signature): inferring
    // them cost rustc more than the rest of the call.
    // A shell never gives its output: one naming an `impl Trait` is typed
    // as the twin's (the same signature makes it one).
    // (Its first type is then any: `()`, which nothing needs to infer.)
    let typed = impl_output.then(|| quote!(.output_of_twin()));
    let output_slot = if impl_output { quote!(()) } else { output_slot };
    body.stmts = vec![syn::Stmt::Item(Item::Verbatim(quote!(
        #private::Shell::#call::<#output_slot, #(#arg_types,)* #blocking_slot>(
            #message, #callee, #(#call_args),*
        ) #typed
    )))];
    if !attrs.iter().any(|attr| attr.path().is_ident("inline")) {
        // Its crate compiles no code for a shell then.
        attrs.push(crate::common::path_attr("inline"));
    }
    true
}

/// `ty` as a turbofish argument: as written, or `_` for one naming an
/// `impl Trait` (not allowed there).
fn spelled(ty: &syn::Type) -> TokenStream {
    if lint::mentions_impl_trait(ty) { quote!(_) } else { quote!(#ty) }
}

/// The type of `receiver` (`&'a mut Self` for `&'a mut self`).
fn receiver_type(receiver: &syn::Receiver) -> TokenStream {
    match &receiver.kind {
        syn::ReceiverKind::Value => quote!(Self),
        syn::ReceiverKind::Reference(and, lifetime, mutability) => {
            quote!(#and #lifetime #mutability Self)
        }
        syn::ReceiverKind::Typed(_, ty) => spelled(ty),
        _ => quote!(_),
    }
}

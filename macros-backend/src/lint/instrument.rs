//! The one call both macros make on each async body they emit: lint it and
//! let the watchdog time its polls.

use super::desugar::{DesugaredArgs, desugar_async_fn};
use super::{Allow, Imports, blocking_call_warnings, strip_allow_markers};
use crate::common::list_attr;
use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::visit::Visit;

/// Where an async body is instrumented: its name for the watchdog, the
/// runtime's path, and what the lint may warn about.
pub(crate) struct Site<'a> {
    /// The fn's name after the module path in reports (`fetch`, `Client::fetch`).
    pub(crate) label: &'a str,
    /// `::twoworlds::__private`, or the `crate = path` override's.
    pub(crate) private: &'a TokenStream,
    /// What not to warn about.
    pub(crate) allow: Allow,
    /// The `use` items around the fn.
    pub(crate) imports: &'a Imports,
    /// Keep `async fn` (the nested shape) even where it could desugar: an
    /// attribute macro on the enclosing trait or impl (`#[async_trait]`)
    /// rewrites its async fns after us.
    pub(crate) keep_async_fn: bool,
}

// Input: `async fn name(args) -> T { stmts }`.
// Output, when it desugars (see `desugar`):
//     `fn name(args) -> impl Future<Output = T> {
//          <one warning per blocking call>
//          <private>::watch(concat!(module_path!(), "::", label), async move {
//              let arg = arg; ..   // every argument lives in the future
//              if false { let out: T = loop {}; return out; } // pins the output type
//              stmts
//          }) }`
// otherwise `async fn name(args) -> T { <warnings> <private>::watch(.., async move {
//     <pin> stmts }).await }`;
// either way with every `#[allow_blocking]` removed.
/// Instruments an async fn: blocking-call warnings (unless `allow`), the
/// watchdog wrapper, markers stripped (`#[bridge]`'s async originals).
pub(crate) fn instrument_async_fn(
    attrs: &[syn::Attribute],
    sig: &mut syn::Signature,
    body: &mut syn::Block,
    at: &Site<'_>,
) {
    let warnings = warnings_of(sig, body, at);
    let pin = pin_output(&sig.output);
    let stmts = &body.stmts;
    let name = watch_name(at.label);
    let private = at.private;
    let desugared = if at.keep_async_fn { None } else { desugar_async_fn(attrs, sig, false) };
    *body = verbatim_block(if let Some(args) = desugared {
        let moves = args.moves;
        quote! {
            #warnings
            #private::watch(#name, async move { #moves #pin #(#stmts)* })
        }
    } else {
        quote! {
            #warnings
            #private::watch(#name, async move { #pin #(#stmts)* }).await
        }
    });
}

/// The blocking side of a `#[dual]` future, built from the desugared
/// arguments (see [`dual_async_fn`]).
pub(crate) type BlockingSide<'a> = &'a dyn Fn(&DesugaredArgs) -> TokenStream;

// Input: `async fn name(args) -> T { stmts }`, and how to build its blocking side.
// Output: `fn name(args) -> impl Future<Output = T> + DualFuture {
//              <warnings>
//              <private>::Dual::new(move |world| match world {
//                  World::Async => Branch::Async(<private>::watch(.., async move {
//                      <moves> <pin> stmts })),
//                  World::Blocking => Branch::Blocking(<blocking side>),
//              }) }`;
// a shell's body is `<warnings> <private>::Shell::new(<message>, move || <blocking side>)`.
// The closure owns every argument (the async arm names them all), so they
// live, and drop, with the future, as with `async fn`.
/// Instruments an async fn of `#[dual]` into the fn returning its `Dual`
/// future; the blocking side gives the twin's output type where it is not
/// the async fn's. `false`, with nothing changed, when the fn cannot be desugared
/// (an attribute macro after ours expects an `async fn`).
pub(crate) fn dual_async_fn(
    attrs: &mut Vec<syn::Attribute>,
    sig: &mut syn::Signature,
    body: &mut syn::Block,
    at: &Site<'_>,
    (blocking, blocking_output, shell): (BlockingSide<'_>, Option<&syn::Type>, Option<&str>),
) -> bool {
    let written = sig.clone();
    let Some(args) = desugar_async_fn(attrs, sig, true) else { return false };
    let private = at.private;
    // First: it takes the `#[allow_blocking]` markers off the body.
    let warnings = warnings_of(&written, body, at);
    let blocking = blocking(&args);
    *body = verbatim_block(if let Some(message) = shell {
        // A shell (its async world cfg'd out): a future that only says so,
        // with no async body to compile, and no `match` on the world.
        // A shell never gives its output: one naming an `impl Trait` is
        // typed as the twin's, which the same signature makes one.
        // (Its own output is then any: `()`, which nothing needs to infer.)
        let (output, typed) = if returns_impl_trait(&written, blocking_output) {
            (quote!(::<_, ()>), quote!(.output_of_twin()))
        } else {
            (TokenStream::new(), TokenStream::new())
        };
        quote! {
            #warnings
            #private::Shell #output::new(#message, move || #blocking) #typed
        }
    } else {
        let (pin, stmts, moves) = (pin_output(&args.output), &body.stmts, &args.moves);
        let name = watch_name(at.label);
        let world = syn::Ident::new("world", proc_macro2::Span::mixed_site());
        quote! {
            #warnings
            #private::Dual::new(move |#world| match #world {
                #private::World::Async => #private::Branch::Async(
                    #private::watch(#name, async move { #moves #pin #(#stmts)* })
                ),
                #private::World::Blocking => #private::Branch::Blocking(#blocking),
            })
        }
    });
    let site = proc_macro2::Span::mixed_site();
    let output = match (&args.output, blocking_output) {
        (_, Some(ty)) => quote!(#ty),
        (syn::ReturnType::Default, None) => quote!(()),
        (syn::ReturnType::Type(_, ty), None) => quote!(#ty),
    };
    if let syn::ReturnType::Type(_, ty) = &mut sig.output
        && let syn::Type::Verbatim(tokens) = &mut **ty
    {
        tokens.extend(quote!(+));
        tokens.extend(quote_spanned!(site=> #private::DualFuture<Blocking = #output>));
    }
    attrs.push(implied_future_bound());
    if shell.is_some() && !attrs.iter().any(|attr| attr.path().is_ident("inline")) {
        // Its crate compiles no code for a shell then (1/3 of a shell's
        // cost in a blocking-only build); a caller's crate does, if it
        // calls one.
        attrs.push(inline_attr());
    }
    if args.call_args.iter().any(|arg| arg.to_string().starts_with('_')) {
        // The blocking world passes `_guard` on to the twin: no use of it.
        attrs.push(list_attr("allow", quote!(clippy::used_underscore_binding)));
    }
    true
}

/// A block of `tokens` as they are: printed, never parsed. What the
/// instrumentation wraps a body in is ours and well-formed; parsing it
/// again with the user's statements cost a second parse of every body (and
/// once a panic, issue 14), for a `Block` nothing looks into afterwards.
fn verbatim_block(tokens: TokenStream) -> syn::Block {
    syn::Block {
        brace_token: syn::token::Brace::default(),
        stmts: vec![syn::Stmt::Item(syn::Item::Verbatim(tokens))],
    }
}

/// `#[inline]`.
fn inline_attr() -> syn::Attribute {
    let span = proc_macro2::Span::call_site();
    syn::Attribute {
        pound_token: syn::token::Pound(span),
        style: syn::AttrStyle::Outer,
        bracket_token: syn::token::Bracket(span),
        meta: syn::Meta::Path(syn::Ident::new("inline", span).into()),
    }
}

/// `impl Future<Output = T> + DualFuture` says `Future` twice to clippy
/// (`DualFuture: Future`), but reads better in the docs than
/// `impl DualFuture<Output = T>`.
pub(crate) fn implied_future_bound() -> syn::Attribute {
    list_attr("allow", quote!(clippy::implied_bounds_in_impls))
}

/// The blocking-call warnings of `body`, the body of `sig`, whose
/// `#[allow_blocking]` markers are then removed.
fn warnings_of(sig: &syn::Signature, body: &mut syn::Block, at: &Site<'_>) -> TokenStream {
    let warnings = blocking_call_warnings((sig, at.label), body, at.allow, at.imports);
    strip_allow_markers(body);
    warnings
}

/// `concat!(module_path!(), "::", label)`: the name the watchdog reports.
fn watch_name(label: &str) -> TokenStream {
    quote!(::core::concat!(::core::module_path!(), "::", #label))
}

/// A never-run `return` of a value of the fn's output type, so the `async`
/// block's return sites are checked against the fn's output (tracing's
/// `#[instrument]` does the same). Without it the block infers its output
/// from its first return site alone: `if x { return Box::new(1); }
/// Box::new("a")` in a fn returning `Box<dyn Debug>` stops compiling
/// (checked on 1.95; a single return site still coerces at the `.await`).
/// Skipped for outputs naming `impl Trait` (not allowed in a `let` type).
pub(crate) fn pin_output(output: &syn::ReturnType) -> TokenStream {
    let syn::ReturnType::Type(_, ty) = output else { return TokenStream::new() };
    if mentions_impl_trait(ty) {
        return TokenStream::new();
    }
    quote! {
        #[allow(
            unreachable_code,
            clippy::diverging_sub_expression,
            clippy::empty_loop,
            clippy::let_unit_value,
            clippy::needless_return,
            clippy::unreachable
        )]
        if false {
            let __twoworlds_output: #ty = loop {};
            return __twoworlds_output;
        }
    }
}

/// Whether `ty` contains an `impl Trait`.
pub(crate) fn mentions_impl_trait(ty: &syn::Type) -> bool {
    /// Input: a type. Output: whether an `impl Trait` is in it.
    struct FindImpl(bool);
    impl<'ast> Visit<'ast> for FindImpl {
        fn visit_type_impl_trait(&mut self, _: &'ast syn::TypeImplTrait) {
            self.0 = true;
        }
    }
    let mut find = FindImpl(false);
    find.visit_type(ty);
    find.0
}

/// Whether `sig` returns a type naming an `impl Trait`, and its twin
/// (returning `twin`, when given) returns the same as written: a shell's
/// never-given output is then typed as the twin's (`Shell::output_of_twin`).
pub(crate) fn returns_impl_trait(sig: &syn::Signature, twin: Option<&syn::Type>) -> bool {
    matches!(&sig.output, syn::ReturnType::Type(_, ty)
        if mentions_impl_trait(ty)
            && twin.is_none_or(|twin| quote!(#twin).to_string() == quote!(#ty).to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The instrumented body of `{ body }` with output `-> ty`, as a string.
    fn instrumented(output: &str, body: &str) -> String {
        let mut block: syn::Block = syn::parse_str(body).unwrap();
        let mut sig: syn::Signature = syn::parse_str(&format!("async fn f() {output}")).unwrap();
        let private = quote!(::twoworlds::__private);
        let imports = Imports::default();
        let at = Site {
            label: "f",
            private: &private,
            allow: Allow::NONE,
            imports: &imports,
            keep_async_fn: false,
        };
        instrument_async_fn(&[], &mut sig, &mut block, &at);
        quote!(#sig #block).to_string()
    }

    #[test]
    fn wraps_lints_and_strips() {
        let text = instrumented("-> u8", "{ #[allow_blocking] a(); std::thread::sleep(d); 1 }");
        assert!(text.contains(":: twoworlds :: __private :: watch"), "{text}");
        assert!(text.contains("module_path"), "{text}");
        assert!(text.contains("async move"), "{text}");
        assert!(text.contains("let __twoworlds_output : u8 = loop { }"), "{text}");
        assert!(text.contains("`std::thread::sleep` in async fn `f` blocks"), "{text}");
        assert!(!text.contains("# [allow_blocking]"), "{text}");
        assert_eq!(text.matches("deprecated").count(), 1, "{text}");
    }

    #[test]
    fn no_output_pin_for_unit_and_impl_trait() {
        assert!(!instrumented("", "{ a().await; }").contains("__twoworlds_output"));
        let text = instrumented("-> Box<impl Fn()>", "{ Box::new(|| ()) }");
        assert!(!text.contains("__twoworlds_output"), "{text}");
    }
}

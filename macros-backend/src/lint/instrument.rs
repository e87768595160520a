//! The one call both macros make on each async body they emit: lint it and
//! let the watchdog time its polls.

use super::desugar::desugar_async_fn;
use super::{Allow, Imports, blocking_call_warnings, strip_allow_markers};
use proc_macro2::TokenStream;
use quote::quote;
use syn::visit::Visit;

// Input: `async fn name(args) -> T { stmts }`.
// Output, when the arguments are plain names (see `desugar`):
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
/// watchdog wrapper, markers stripped. `label` names the fn in watchdog
/// reports after the module path (`"fetch"`, `"Client::fetch"`); `private`
/// is the path of the runtime's private items (`::twoworlds::__private`, or
/// the `crate = path` override's).
pub(crate) fn instrument_async_fn(
    attrs: &[syn::Attribute],
    sig: &mut syn::Signature,
    body: &mut syn::Block,
    label: &str,
    private: &TokenStream,
    allow: Allow,
    imports: &Imports,
) {
    let warnings = blocking_call_warnings(body, allow, imports);
    strip_allow_markers(body);
    let stmts = &body.stmts;
    let pin_output = pin_output(&sig.output);
    let name = quote!(::core::concat!(::core::module_path!(), "::", #label));
    *body = match desugar_async_fn(attrs, sig) {
        Some(moves) => syn::parse_quote! {{
            #warnings
            #private::watch(#name, async move { #moves #pin_output #(#stmts)* })
        }},
        None => syn::parse_quote! {{
            #warnings
            #private::watch(#name, async move { #pin_output #(#stmts)* }).await
        }},
    };
}

/// A never-run `return` of a value of the fn's output type, so the `async`
/// block's return sites are checked against the fn's output (tracing's
/// `#[instrument]` does the same). Without it the block infers its output
/// from its first return site alone: `if x { return Box::new(1); }
/// Box::new("a")` in a fn returning `Box<dyn Debug>` stops compiling
/// (checked on 1.95; a single return site still coerces at the `.await`).
/// Skipped for outputs naming `impl Trait` (not allowed in a `let` type).
fn pin_output(output: &syn::ReturnType) -> TokenStream {
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
fn mentions_impl_trait(ty: &syn::Type) -> bool {
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The instrumented body of `{ body }` with output `-> ty`, as a string.
    fn instrumented(output: &str, body: &str) -> String {
        let mut block: syn::Block = syn::parse_str(body).unwrap();
        let mut sig: syn::Signature = syn::parse_str(&format!("async fn f() {output}")).unwrap();
        let private = quote!(::twoworlds::__private);
        instrument_async_fn(
            &[],
            &mut sig,
            &mut block,
            "f",
            &private,
            Allow::NONE,
            &Imports::default(),
        );
        quote!(#sig #block).to_string()
    }

    #[test]
    fn wraps_lints_and_strips() {
        let text = instrumented("-> u8", "{ #[allow_blocking] a(); std::thread::sleep(d); 1 }");
        assert!(text.contains(":: twoworlds :: __private :: watch"), "{text}");
        assert!(text.contains("module_path"), "{text}");
        assert!(text.contains("async move"), "{text}");
        assert!(text.contains("let __twoworlds_output : u8 = loop { }"), "{text}");
        assert!(text.contains("`std::thread::sleep` blocks"), "{text}");
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

//! The blocking rewrite of one async fn: drop `async`, settle every `.await`
//! by type. Each transform is one small visitor in its own file:
//! - [`await_`]: what an `.await` becomes (a block, a deferred call, or the
//!   type-settled `settle_await!`);
//! - [`async_block`]: `async { .. }` blocks and async closures;
//! - [`macros`]: `.await` inside macro arguments;
//! - [`toolkit`]: `join!`, `try_join!`, `select!`;
//! - [`future_ty`]: `impl Future<Output = T>` and `F: Future` in signatures;
//! - [`params`]: what a fn's params are and how its body uses them;
//! - [`closure_params`]: which params are closures returning futures, and
//!   which a twin takes as sync closures;
//! - [`closure_ty`]: closures returning futures in signatures;
//! - [`locals`]: locals that held async blocks.

mod async_block;
mod await_;
pub(crate) mod closure_params;
pub(crate) mod closure_ty;
mod future_ty;
mod locals;
mod macros;
mod params;
#[cfg(test)]
mod tests;
mod toolkit;

use super::ir::Twin;
use crate::common::Errors;
use std::collections::HashSet;
use syn::visit_mut::{self, VisitMut};
use syn::{Block, Expr, Signature};

/// Rewrites the body of a blocking twin in place (the `.await`s, async
/// blocks and closures, macro arguments).
pub(crate) struct Rewriter<'a> {
    /// Settings of this twin.
    twin: &'a Twin,
    /// Where errors go.
    errors: &'a mut Errors,
    /// Locals that held an async block, now a closure: `x.await` → `x()`.
    deferred: HashSet<String>,
    /// Whether an awaited async block became a block or an immediately-called
    /// closure (the twin then allows `unused_braces` and
    /// `clippy::redundant_closure_call`).
    closure_call: bool,
    /// Inside the base of an `.await` (`base.await`): what it builds is
    /// handed to the awaited callee, so async closures there stay async.
    in_awaited_base: bool,
}

/// What the rewrite of one fn produced beside the body.
#[derive(Debug, Clone, Copy)]
#[allow(clippy::struct_excessive_bools, reason = "independent findings, not states")]
pub(crate) struct Outcome {
    /// An awaited async block was rewritten (see [`Rewriter::closure_call`]).
    pub(crate) closure_call: bool,
    /// The twin's signature differs from the original's beyond `async`: a
    /// future parameter or an `impl Future` output became its value, an
    /// `impl Stream` output an `impl Iterator`.
    pub(crate) signature_changed: bool,
    /// The twin returns an iterator where the original returns a stream.
    pub(crate) stream_tail: bool,
    /// The twin takes sync closures where the original takes closures
    /// returning futures ([`closure_ty`]).
    pub(crate) closures: bool,
}

/// Turns `sig`/`block` of an async fn (or a fn returning `impl Future`)
/// into its blocking twin, in place. The caller renames it.
pub(crate) fn blocking_fn(
    sig: &mut Signature,
    block: Option<&mut Block>,
    twin: &Twin,
    errors: &mut Errors,
) -> Outcome {
    let was_async = sig.asyncness.take().is_some();
    crate::common::elided::name_in_impl_args(sig);
    let signature = future_ty::sync_signature(sig, block.as_deref(), was_async, twin, errors);
    let stream_tail = signature.stream_tail;
    let signature_changed = signature.await_tail || signature.changed_params || stream_tail;
    let closures = signature.closures;
    let Some(block) = block else {
        return Outcome { closure_call: false, signature_changed, stream_tail, closures };
    };
    if signature.await_tail {
        await_tail(block);
    }
    // Sync closures the body calls first and awaits later: rebound to
    // closures whose futures call them when first polled (see `closure_ty`).
    for (name, closure) in signature.lazy_closures.iter().rev() {
        let adapter = closure_ty::lazy_closure(&twin.krate, name, closure);
        block.stmts.insert(0, syn::parse_quote!(#[allow(unused_mut)] let mut #name = #adapter;));
    }
    let closure_call = blocking_body(block, twin, stream_tail, errors);
    Outcome { closure_call, signature_changed, stream_tail, closures }
}

/// Rewrites the body of an async fn into its blocking body, in place, under
/// the async fn's own signature (the body a `#[dual]` future runs inline
/// when asked for its blocking twin). Returns [`Outcome::closure_call`].
/// With `stream_tail`, the body's tail is the stream the original returns;
/// the twin's is an iterator (see [`iterator_tail`]).
pub(crate) fn blocking_body(
    block: &mut Block,
    twin: &Twin,
    stream_tail: bool,
    errors: &mut Errors,
) -> bool {
    let mut rewriter = Rewriter {
        twin,
        errors,
        deferred: HashSet::new(),
        closure_call: false,
        in_awaited_base: false,
    };
    locals::collect(block, &mut rewriter);
    let tail = if stream_tail { take_tail(block) } else { None };
    rewriter.visit_block_mut(block);
    if let Some(mut tail) = tail {
        // A stream built by a sync mirror (`unfold`) takes sync closures;
        // any other stream keeps its async ones, like an awaited base.
        rewriter.in_awaited_base = !calls_mirror(&tail);
        rewriter.visit_expr_mut(&mut tail);
        rewriter.in_awaited_base = false;
        block.stmts.push(syn::Stmt::Expr(tail, None));
        iterator_tail(block, twin);
    }
    // One pass over the body's tokens for every name asked about below
    // (none in a body as written: `stages::shell_fn` saw to that).
    let named = if twin.as_written { HashSet::new() } else { names_in(block, NAMED) };
    let imports: [(&[&str], _); 3] = [
        // `TryStreamExt`'s methods over an iterator of results, in the twin.
        (&["try_next", "try_collect"], quote::quote!(IterStreamExt)),
        // tokio's `ReadDir::next_entry` / `Lines::next_line` on the std
        // types `tokio_to_std` maps them to (see the runtime's `std_mirror`).
        (&["next_entry"], quote::quote!(std_mirror::NextEntry)),
        (&["next_line"], quote::quote!(std_mirror::NextLine)),
    ];
    for (methods, import) in imports {
        if methods.iter().any(|method| named.contains(method)) {
            let krate = &twin.krate;
            block.stmts.insert(
                0,
                syn::parse_quote!(
                    #[allow(unused_imports)]
                    use #krate::__private::#import as _;
                ),
            );
        }
    }
    // After the body's leading items (`use ..;`), which stay first.
    let first = block.stmts.iter().take_while(|stmt| matches!(stmt, syn::Stmt::Item(_))).count();
    // Only a body that awaits enters the context: one that does not (a
    // helper awaited in a loop, say) stays the plain sync fn it was, and
    // inlines as such.
    let awaits = named.contains("settle_await");
    block.stmts.insert(first, misuse_check(twin));
    if awaits {
        for (at, stmt) in runtime_context(twin).into_iter().enumerate() {
            block.stmts.insert(first + 1 + at, stmt);
        }
    }
    rewriter.closure_call
}

// Input: a blocking body `{ check; stmts }` that awaits.
// Output: `{ check; let __twoworlds_runtime = <private>::twin_runtime();
//     let __twoworlds_entered = __twoworlds_runtime.enter(); stmts }`, both
//     locals hygienic (mixed-site) and prefixed.
/// The tokio context the blocking body runs in (feature `tokio` of the
/// runtime; zero-sized and nothing without it): tokio futures made in the
/// body (`tokio::spawn`, `timeout`, `interval`) find a runtime, as they do
/// in the async fn (see the runtime's `twin::context`). A body without an
/// `.await` gets none: a tokio future made there and handed on un-awaited
/// (`tokio::spawn(..)` in an `async fn` that awaits nothing, which
/// `clippy::unused_async` flags) panics with tokio's "no reactor running"
/// in the twin, never silently.
fn runtime_context(twin: &Twin) -> [syn::Stmt; 2] {
    let krate = &twin.krate;
    // Prefixed as well as hygienic: a separately defined twin is re-spanned
    // as a whole by `blocking_twin!` (see `respan`), where hygiene no longer
    // tells these from the user's own locals (a param named `runtime`).
    let runtime = syn::Ident::new("__twoworlds_runtime", proc_macro2::Span::mixed_site());
    let entered = syn::Ident::new("__twoworlds_entered", proc_macro2::Span::mixed_site());
    [
        syn::parse_quote!(let #runtime = #krate::__private::twin_runtime();),
        syn::parse_quote!(let #entered = #runtime.enter();),
    ]
}

// Input: a blocking body `{ stmts }`.
// Output: `{ #[cfg(debug_assertions)] <private>::check_blocking_twin(<name>);
//     #[cfg(not(debug_assertions))] if <private>::TWIN_CHECKS {
//         <private>::check_blocking_twin(<name>); } stmts }`,
//     `<name>` = `concat!(module_path!(), "::<twin>")`.
/// The misuse check a blocking body starts with: called from async code (a
/// `block_on` poll, a tokio worker), it panics naming the twin and the fix,
/// like a `#[bridge]` twin. On in debug builds (the user's crate's, or the
/// runtime's) and with feature `twin-checks`; otherwise `if false`, so a
/// release twin is the same machine code as hand-written sync code.
///
/// For build time, two statements under `#[cfg]`s rather than one `if
/// cfg!(debug_assertions) || ..`: rustc drops the one whose cfg is off
/// before expanding its macros, and a debug build compiles a plain call (no
/// `cfg!` expansion, no branch: a third of the check's cost). Built as
/// tokens, not parsed (`parse_quote!` of it was most of a twin's rewrite);
/// not lexed from a string either (the compiler makes a source file of
/// each string, which cost more than building the tokens).
fn misuse_check(twin: &Twin) -> syn::Stmt {
    let tokens = misuse_check_tokens(&twin.krate, &twin.label);
    // Opaque to the passes after this one: nothing looks into the check.
    syn::Stmt::Expr(Expr::Verbatim(tokens), None)
}

/// The statements of [`misuse_check`] for the twin named `label`, through
/// the facade at `krate` (a blanket impl's methods start with them too).
pub(crate) fn misuse_check_tokens(krate: &syn::Path, label: &str) -> proc_macro2::TokenStream {
    // One literal after the module path, not `"::", label`: fewer tokens.
    let name = format!("::{label}");
    let check = quote::quote! {
        #krate::__private::check_blocking_twin(
            ::core::concat!(::core::module_path!(), #name)
        );
    };
    quote::quote! {
        #[cfg(debug_assertions)]
        #check
        #[cfg(not(debug_assertions))]
        if #krate::__private::TWIN_CHECKS {
            #check
        }
    }
}

/// Takes the tail expression off `block` (a macro in tail position too).
fn take_tail(block: &mut Block) -> Option<Expr> {
    match block.stmts.pop()? {
        syn::Stmt::Expr(tail, None) => Some(tail),
        syn::Stmt::Macro(mac) if mac.semi_token.is_none() => {
            Some(Expr::Macro(syn::ExprMacro { attrs: mac.attrs, mac: mac.mac }))
        }
        other => {
            block.stmts.push(other);
            None
        }
    }
}

/// Whether `tail` calls one of the runtime's sync mirrors of a stream
/// constructor (a `replace` of `futures::stream::unfold` made it one).
fn calls_mirror(tail: &Expr) -> bool {
    let Expr::Call(call) = tail else { return false };
    let Expr::Path(path) = &*call.func else { return false };
    let segments: Vec<String> = path.path.segments.iter().map(|s| s.ident.to_string()).collect();
    segments.windows(2).any(|pair| pair[0] == "__private" && pair[1] == "stream")
}

/// The names [`blocking_body`] asks about: the stream methods whose sync
/// traits it imports, and whether the body awaits (`settle_await`).
pub(crate) const NAMED: &[&str] =
    &["try_next", "try_collect", "next_entry", "next_line", "settle_await"];

/// Which of `names` the identifiers of `block` include (in macros too; one pass).
fn names_in<'n>(block: &Block, names: &[&'n str]) -> HashSet<&'n str> {
    let mut found = HashSet::new();
    names_in_tokens(quote::ToTokens::to_token_stream(block), names, &mut found);
    found
}

/// [`names_in`] over tokens. Each identifier is made a string once: an
/// `Ident == &str` makes one per comparison (in a proc macro, where it
/// stands for the compiler's identifier), five per identifier here.
fn names_in_tokens<'n>(
    tokens: proc_macro2::TokenStream,
    names: &[&'n str],
    found: &mut HashSet<&'n str>,
) {
    for tt in tokens {
        match tt {
            proc_macro2::TokenTree::Group(group) => names_in_tokens(group.stream(), names, found),
            proc_macro2::TokenTree::Ident(ident) => {
                let text = ident.to_string();
                if let Some(name) = names.iter().find(|name| **name == text) {
                    found.insert(*name);
                }
            }
            _ => {}
        }
    }
}

/// Input: the blocking body of `fn f() -> impl Stream<Item = T> { ..; tail }`.
/// Output: `{ ..; into_iter!("<twin>", tail) }`: an iterator as it is, a
/// stream (a `stream!` whose `.await`s are settled, a foreign one) through
/// `block_on` item by item (see the runtime's `twin::stream`).
fn iterator_tail(block: &mut Block, twin: &Twin) {
    if let Some(syn::Stmt::Expr(tail, None)) = block.stmts.last_mut() {
        let base = std::mem::replace(tail, Expr::PLACEHOLDER);
        let (krate, label) = (&twin.krate, &twin.label);
        *tail = syn::parse_quote! {
            #krate::__private::into_iter!(
                ::core::concat!(::core::module_path!(), "::", #label),
                #base
            )
        };
    }
}

/// Input: the body of `fn f() -> impl Future<Output = T> { tail }`.
/// Output: `{ ..; tail.await }`, so the tail is evaluated like an awaited future.
fn await_tail(block: &mut Block) {
    if let Some(syn::Stmt::Expr(tail, None)) = block.stmts.last_mut() {
        let base = std::mem::replace(tail, Expr::PLACEHOLDER);
        *tail = Expr::Await(syn::ExprAwait {
            attrs: Vec::new(),
            base: Box::new(base),
            dot_token: syn::Token![.](proc_macro2::Span::call_site()),
            await_token: syn::Token![await](proc_macro2::Span::call_site()),
        });
    }
}

impl VisitMut for Rewriter<'_> {
    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        match expr {
            Expr::Await(_) => {
                let Expr::Await(awaited) = std::mem::replace(expr, Expr::PLACEHOLDER) else {
                    return;
                };
                *expr = await_::rewrite(self, awaited);
            }
            // An async block neither awaited in place nor bound to a local
            // awaited later is a future handed to someone else
            // (`block_on(async { .. })`, `spawn(async move { .. })`): it stays
            // a future, untouched, in the blocking twin too.
            Expr::Async(_) => {}
            // `fut.and_then(|c| async move { .. }).await`: the closure is the
            // combinator's, and the combinator wants its future.
            Expr::Closure(closure) if self.in_awaited_base && async_block::is_async(closure) => {}
            Expr::Closure(closure) => async_block::closure(self, closure),
            Expr::Macro(mac) => {
                if let Some(rewritten) = toolkit::rewrite(self, &mac.mac) {
                    *expr = rewritten;
                } else {
                    macros::rewrite(self, &mut mac.mac);
                }
            }
            _ => visit_mut::visit_expr_mut(self, expr),
        }
    }

    // Input: `let fut = async { body };` where `fut` is awaited later.
    // Output: `let fut = || { body };`, called where it was awaited.
    fn visit_local_mut(&mut self, local: &mut syn::Local) {
        let deferred =
            locals::bound_name(&local.pat).is_some_and(|name| self.deferred.contains(&name));
        if let Some(init) = &mut local.init
            && deferred
            && let Expr::Async(_) = &*init.expr
        {
            let Expr::Async(block) = std::mem::replace(&mut *init.expr, Expr::PLACEHOLDER) else {
                return;
            };
            *init.expr = async_block::deferred(self, block);
            return;
        }
        visit_mut::visit_local_mut(self, local);
    }

    fn visit_stmt_mut(&mut self, stmt: &mut syn::Stmt) {
        let syn::Stmt::Macro(statement) = stmt else {
            visit_mut::visit_stmt_mut(self, stmt);
            return;
        };
        if let Some(rewritten) = toolkit::rewrite(self, &statement.mac) {
            let semi = statement.semi_token;
            // `select! { .. }` with no `;` is a statement before another:
            // as a block it still is one (and still the value in tail place).
            let rewritten =
                if semi.is_none() { syn::parse_quote!({ #rewritten }) } else { rewritten };
            *stmt = syn::Stmt::Expr(rewritten, semi);
        } else {
            macros::rewrite(self, &mut statement.mac);
        }
    }

    // Nested items are not part of the twin: an inner `async fn` stays async.
    fn visit_item_mut(&mut self, _: &mut syn::Item) {}
}

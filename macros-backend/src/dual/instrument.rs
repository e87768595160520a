//! The async copy's side of `#[dual]`: every `async fn` with a body in the
//! async copy is linted (see [`crate::lint`]), wrapped in `watch` under its
//! name (`fetch`, `Client::fetch`), and — when its form gave it a
//! [`Branch`] — desugared into the fn returning its `#[dual]` future, whose
//! blocking twin runs that branch. The `#[allow_blocking]` markers (on a fn,
//! method, impl, trait or mod: all of its fns; on a statement: that
//! statement) are taken out of both copies, so they never reach rustc. The
//! blocking twin is made from its own copy: it is never watched.

use super::cfgs::{self, Version};
use super::fn_ids;
use super::ir::{Branch, Branches, Run};
use super::options::Args;
use crate::lint::{self, Allow, DesugaredArgs, Imports, Site};
use proc_macro2::TokenStream;
use quote::quote;
use syn::visit_mut::VisitMut;
use syn::{Attribute, Block, ImplItem, Item, Signature, TraitItem};

/// Which fns of the async copy are left as written (not linted nor watched):
/// asked with a fn's name and attributes, or with no name for an impl, trait
/// or mod (then its attributes) — a `true` leaves all of its fns alone.
pub(crate) type LeftAlone<'a> = &'a dyn Fn(Option<&syn::Ident>, &[Attribute]) -> bool;

// Input: the async copy of the annotated item (fn, impl, trait, trait impl
// or mod), per-world markers resolved, its async fns numbered.
// Output: each `async fn` with a body, unless left alone, linted and watched,
// and, with a branch, desugared into its `#[dual]` future; every
// `#[allow_blocking]` and fn number removed.
/// Lints, watches and makes `#[dual]` futures of the async fns of `item`,
/// the async copy.
pub(crate) fn instrument(
    item: &mut Item,
    args: &Args,
    branches: &Branches,
    left_alone: LeftAlone<'_>,
) {
    instrument_as(item, args, branches, left_alone, (false, None));
}

/// [`instrument`], keeping every `async fn` an `async fn` when
/// `keep_async_fn` (for `#[async_trait]`, which rewrites them after us);
/// with a `shell` message, the futures are shells (see [`versions`]).
pub(crate) fn instrument_as(
    item: &mut Item,
    args: &Args,
    branches: &Branches,
    left_alone: LeftAlone<'_>,
    (keep_async_fn, shell): (bool, Option<Shell<'_>>),
) {
    let imports = Imports::default();
    let krate = args.krate();
    let private = quote!(#krate::__private);
    let cx = Cx {
        private: &private,
        branches,
        imports: &imports,
        allow_all: args.allow_blocking.is_some(),
        keep_async_fn,
        shell,
    };
    cx.item(item, left_alone);
    fn_ids::strip(item);
}

/// The async copy in each version the world cfgs ask for (see
/// [`super::cfgs`]), each instrumented for its version, given to `finish`
/// (the form's last touches), and gated by its cfg. Without cfgs, the one
/// full version, ungated.
pub(crate) fn versions(
    async_copy: &Item,
    args: &Args,
    (branches, keep_async_fn): (&Branches, bool),
    left_alone: LeftAlone<'_>,
    finish: &mut dyn FnMut(&mut Item, Version),
) -> TokenStream {
    let no_branches = Branches::new();
    let mut out = TokenStream::new();
    for (cfg, version) in args.cfgs.versions() {
        let mut copy = async_copy.clone();
        let message = args.cfgs.shell_message();
        // The message as a literal once: escaping it is a walk of its text.
        let literal = proc_macro2::Literal::string(&message);
        let (branches, shell) = match version {
            Version::Full => (branches, None),
            Version::Plain => (&no_branches, None),
            Version::Shell => {
                ShellBodies { message: &literal }.visit_item_mut(&mut copy);
                (branches, Some((message.as_str(), &literal)))
            }
        };
        instrument_as(&mut copy, args, branches, left_alone, (keep_async_fn, shell));
        finish(&mut copy, version);
        cfgs::gate(&mut copy, cfg.as_ref());
        out.extend(quote!(#copy));
    }
    out
}

/// Input: an async fn with a body, of the async copy (numbered).
/// Output: the same whose body panics with `message` (a shell: its
/// signature and future serve the blocking twins; its body is not compiled).
struct ShellBodies<'a> {
    /// What awaiting a shell says.
    message: &'a proc_macro2::Literal,
}

/// What awaiting the shells of a shell version says, as text and literal.
type Shell<'a> = (&'a str, &'a proc_macro2::Literal);

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

// Input: the blocking copy of the annotated item.
// Output: the same without `#[allow_blocking]` (on its items and fns, and in
// their bodies). Run before its fns become twins, which copy attributes.
/// Removes the lint's markers from `item`, the blocking copy.
pub(crate) fn strip_markers(item: &mut Item) {
    let strip = |attrs: &mut Vec<Attribute>, body: Option<&mut Block>| {
        lint::take_allow_marker(attrs);
        if let Some(body) = body {
            lint::strip_allow_markers(body);
        }
    };
    match item {
        Item::Fn(f) => strip(&mut f.attrs, Some(&mut f.block)),
        Item::Impl(imp) => {
            lint::take_allow_marker(&mut imp.attrs);
            for inner in &mut imp.items {
                if let ImplItem::Fn(f) = inner {
                    strip(&mut f.attrs, Some(&mut f.block));
                }
            }
        }
        Item::Trait(tr) => {
            lint::take_allow_marker(&mut tr.attrs);
            for inner in &mut tr.items {
                if let TraitItem::Fn(f) = inner {
                    strip(&mut f.attrs, f.default.as_mut());
                }
            }
        }
        Item::Mod(m) => {
            lint::take_allow_marker(&mut m.attrs);
            if let Some((_, items)) = &mut m.content {
                items.iter_mut().for_each(strip_markers);
            }
        }
        _ => {}
    }
}

/// Where the fns being instrumented are.
struct Cx<'a> {
    /// `<krate>::__private`.
    private: &'a TokenStream,
    /// The blocking branch of each fn that gets a `#[dual]` future.
    branches: &'a Branches,
    /// The `use` items of the module the fns are in.
    imports: &'a Imports,
    /// Whether an enclosing item allows every blocking call.
    allow_all: bool,
    /// Keep `async fn`s as such (see [`instrument_as`]).
    keep_async_fn: bool,
    /// In a shell version (see [`versions`]): what its futures say when
    /// awaited.
    shell: Option<Shell<'a>>,
}

impl Cx<'_> {
    /// Instruments the fns of one item.
    fn item(&self, item: &mut Item, left_alone: LeftAlone<'_>) {
        match item {
            Item::Fn(f) => {
                let skip = left_alone(Some(&f.sig.ident), &f.attrs);
                let label = (!skip).then(|| f.sig.ident.to_string());
                self.one_fn(&mut f.attrs, &mut f.sig, Some(&mut f.block), label);
            }
            Item::Impl(imp) => {
                let whole = left_alone(None, &imp.attrs);
                let cx = self.inside(&mut imp.attrs, self.imports);
                let owner = crate::common::owner_name(&imp.self_ty);
                let trait_impl = imp.trait_.is_some();
                for inner in &mut imp.items {
                    let ImplItem::Fn(f) = inner else { continue };
                    let skip = whole || left_alone(Some(&f.sig.ident), &f.attrs);
                    let label = (!skip).then(|| format!("{owner}::{}", f.sig.ident));
                    let dual = cx.one_fn(&mut f.attrs, &mut f.sig, Some(&mut f.block), label);
                    if dual && trait_impl {
                        // `impl Future + DualFuture` where the trait may say
                        // `impl Future`: a deliberate refinement.
                        f.attrs.push(syn::parse_quote!(#[allow(refining_impl_trait)]));
                    }
                }
            }
            Item::Trait(tr) => {
                let whole = left_alone(None, &tr.attrs);
                let cx = self.inside(&mut tr.attrs, self.imports);
                let owner = tr.ident.to_string();
                for inner in &mut tr.items {
                    let TraitItem::Fn(f) = inner else { continue };
                    let skip = whole || left_alone(Some(&f.sig.ident), &f.attrs);
                    let label = (!skip).then(|| format!("{owner}::{}", f.sig.ident));
                    cx.one_fn(&mut f.attrs, &mut f.sig, f.default.as_mut(), label);
                }
            }
            Item::Mod(m) => self.module(m, left_alone),
            _ => {}
        }
    }

    /// Instruments the fns of a module, which sees its own `use` items.
    fn module(&self, m: &mut syn::ItemMod, left_alone: LeftAlone<'_>) {
        let whole = left_alone(None, &m.attrs);
        let Some((_, items)) = &mut m.content else { return };
        let mut own = Imports::default();
        for inner in items.iter() {
            if let Item::Use(item) = inner {
                own.add(item);
            }
        }
        let cx = self.inside(&mut m.attrs, &own);
        let inner_alone =
            |name: Option<&syn::Ident>, attrs: &[Attribute]| whole || left_alone(name, attrs);
        for inner in items {
            cx.item(inner, &inner_alone);
        }
    }

    /// The context inside an item with attributes `attrs` (its
    /// `#[allow_blocking]` taken off and applied) and `use`s `imports`.
    fn inside<'b>(&self, attrs: &mut Vec<Attribute>, imports: &'b Imports) -> Cx<'b>
    where
        Self: 'b,
    {
        let marked = lint::take_allow_marker(attrs);
        Cx {
            private: self.private,
            branches: self.branches,
            imports,
            allow_all: self.allow_all || marked,
            keep_async_fn: self.keep_async_fn,
            shell: self.shell,
        }
    }

    /// Takes the fn's own `#[allow_blocking]` off; with a `label`, lints and
    /// watches its body if it is an `async fn` (as its `#[dual]` future when
    /// it has a branch: then `true`), else only strips the markers in it. (A
    /// fn returning `impl Future` without `async` is left as is: its future
    /// is whatever the body builds.)
    fn one_fn(
        &self,
        attrs: &mut Vec<Attribute>,
        sig: &mut Signature,
        body: Option<&mut Block>,
        label: Option<String>,
    ) -> bool {
        let marked = lint::take_allow_marker(attrs);
        let id = fn_ids::take(attrs);
        let Some(body) = body else { return false };
        let (Some(label), Some(_)) = (label, sig.asyncness) else {
            lint::strip_allow_markers(body);
            return false;
        };
        let allow = if marked || self.allow_all { Allow::ALL } else { Allow::NONE };
        let at = Site {
            label: &label,
            private: self.private,
            allow,
            imports: self.imports,
            keep_async_fn: self.keep_async_fn,
        };
        if let Some(branch) = id.and_then(|id| self.branches.get(&id)) {
            if let (Some(message), Run::Call(callee), false) =
                (self.shell.map(|(_, literal)| literal), &branch.run, self.keep_async_fn)
                && shell_call(
                    attrs,
                    sig,
                    body,
                    (callee, branch.output.as_ref(), message),
                    self.private,
                )
            {
                return true;
            }
            let side = |args: &DesugaredArgs| blocking_side(branch, args, self.private);
            let message = self.shell.map(|(text, _)| text);
            let shape = (&side as &dyn Fn(&DesugaredArgs) -> _, branch.output.as_ref(), message);
            if lint::dual_async_fn(attrs, sig, body, &at, shape) {
                if matches!(branch.run, Run::Inline { closure_call: true, .. }) {
                    attrs.push(syn::parse_quote!(
                        #[allow(unused_braces, clippy::redundant_closure_call)]
                    ));
                }
                return true;
            }
        }
        lint::instrument_async_fn(attrs, sig, body, &at);
        false
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
fn shell_call(
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

/// Input: a fn's [`Branch`] and its desugared arguments.
/// Output: what its `#[dual]` future's blocking world evaluates:
/// `blocking_fetch(a, b)`, or
/// `<private>::call_once(move || { <moves> <output pin> body })`.
fn blocking_side(branch: &Branch, args: &DesugaredArgs, private: &TokenStream) -> TokenStream {
    match &branch.run {
        Run::Call(callee) => {
            let call_args = &args.call_args;
            quote!(#callee(#(#call_args),*))
        }
        Run::Inline { body, .. } => {
            let (moves, stmts) = (&args.moves, &body.stmts);
            let pin = lint::pin_output(&args.output);
            quote!(#private::call_once(move || { #moves #pin #(#stmts)* }))
        }
    }
}

#[cfg(test)]
mod tests {
    use proc_macro2::TokenStream;
    use quote::quote;

    /// The expansion of `#[dual(args)] item`, as a string.
    fn expand(args: TokenStream, item: TokenStream) -> String {
        crate::dual::expand(args, item).to_string()
    }

    /// The part of `out` after `twin` (the blocking twin's tokens onwards).
    fn after<'a>(out: &'a str, twin: &str) -> &'a str {
        out.split(twin).nth(1).unwrap_or_else(|| panic!("no `{twin}` in {out}"))
    }

    const WATCH: &str = "__private :: watch";
    const WARNING: &str = "blocking_call_in_async_code";

    #[test]
    fn the_async_fn_is_linted_and_watched_and_its_twin_is_neither() {
        let out = expand(
            quote!(crate = my::tw),
            quote!(
                async fn f(d: D) {
                    std::thread::sleep(d);
                    #[allow_blocking]
                    g();
                }
            ),
        );
        assert_eq!(out.matches(&format!("my :: tw :: {WATCH}")).count(), 1, "{out}");
        assert!(out.contains("\"::\" , \"f\")"), "{out}");
        assert_eq!(out.matches("# [deprecated").count(), 1, "{out}");
        let twin = after(&out, "fn blocking_f");
        assert!(!twin.contains(WATCH) && !twin.contains(WARNING), "{twin}");
        assert!(!out.contains("# [allow_blocking]"), "{out}");
    }

    #[test]
    fn allow_forms_silence_the_lint_but_keep_the_watch() {
        let sleepy = quote!(std::thread::sleep(d););
        for (args, item) in [
            (quote!(allow_blocking), quote!(async fn f() { #sleepy })),
            (quote!(), quote!(#[allow_blocking] async fn f() { #sleepy })),
            (quote!(allow_blocking), quote!(impl A { async fn f() { #sleepy } })),
            (quote!(), quote!(impl A { #[dual(allow_blocking)] async fn f() { #sleepy } })),
            (quote!(), quote!(impl A { #[allow_blocking] async fn f() { #sleepy } })),
            (quote!(), quote!(trait T { #[allow_blocking] async fn f() { #sleepy } })),
            (quote!(), quote!(mod m { #[dual(allow_blocking)] pub async fn f() { #sleepy } })),
            (quote!(), quote!(mod m { #[allow_blocking] mod n { async fn f() { #sleepy } } })),
        ] {
            let out = expand(args, item);
            assert!(!out.contains(WARNING), "{out}");
            assert!(!out.contains("# [allow_blocking]"), "{out}");
            assert!(!out.contains("compile_error"), "{out}");
            assert_eq!(out.matches(WATCH).count(), 1, "{out}");
        }
    }

    #[test]
    fn methods_are_labelled_by_their_owner_and_skipped_ones_are_left_alone() {
        let out = expand(
            quote!(),
            quote!(
                impl<T> Client<T> {
                    async fn get(&self) {
                        std::thread::sleep(d);
                    }
                    #[dual(skip)]
                    async fn raw(&self) {
                        std::thread::sleep(d);
                    }
                    fn sync(&self) {
                        std::thread::sleep(d);
                    }
                }
            ),
        );
        assert!(out.contains("\"Client::get\""), "{out}");
        assert_eq!(out.matches(WATCH).count(), 1, "{out}");
        assert_eq!(out.matches("# [deprecated").count(), 1, "{out}");
        let out = expand(quote!(), quote!(impl Store for Memory { async fn get(&self) {} }));
        assert!(out.contains("\"Memory::get\""), "{out}");
        let out = expand(
            quote!(),
            quote!(
                trait Store {
                    async fn a(&self);
                    async fn b(&self) {}
                }
            ),
        );
        assert!(out.contains("\"Store::b\"") && out.matches(WATCH).count() == 1, "{out}");
    }

    #[test]
    fn a_mod_s_use_items_are_seen_and_skipped_items_left_alone() {
        let out = expand(
            quote!(),
            quote!(
                mod m {
                    use std::thread::sleep;
                    pub async fn f() {
                        sleep(d);
                    }
                    #[dual(skip)]
                    pub async fn g() {
                        sleep(d);
                    }
                    mod inner {
                        pub async fn h() {
                            sleep(d);
                        }
                    }
                }
            ),
        );
        // `f` is warned (the mod's `use`); `inner` has no such `use`.
        assert_eq!(out.matches("# [deprecated").count(), 1, "{out}");
        assert_eq!(out.matches(WATCH).count(), 2, "`f` and `inner::h`: {out}");
        assert!(out.contains("\"h\""), "{out}");
    }

    #[test]
    fn a_shell_calls_its_twin_through_a_fn_pointer_where_it_can() {
        let shell = quote!(__twoworlds_stage = shell, async_cfg(a));
        let out = expand(
            shell.clone(),
            quote!(
                pub async fn f(x: u32, (a, b): (u8, u8), mut c: u8) -> u32 {
                    x
                }
            ),
        );
        let head = "# [inline] pub fn f (x : u32 , __arg1 : (u8 , u8) , c : u8) -> impl :: \
                    twoworlds :: __private :: DualFuture < Output = u32 , Blocking = u32 > \
                    { :: twoworlds :: __private :: Shell :: call3 :: < u32 , u32 , (u8 , u8) , u8 , \
                    u32 > (";
        assert!(out.starts_with(head), "{out}");
        assert!(out.contains(", blocking_f , x , __arg1 , c) }"), "{out}");
        // An `unsafe fn` cannot be a `fn` pointer: the closure shell.
        let out = expand(
            shell,
            quote!(
                pub async unsafe fn f(x: u32) -> u32 {
                    x
                }
            ),
        );
        assert!(out.contains("Shell :: new (") && out.contains("allow (unused_variables"), "{out}");
    }

    #[test]
    fn a_fn_returning_impl_future_is_not_wrapped() {
        let out = expand(
            quote!(),
            quote!(
                fn f() -> impl Future<Output = u8> {
                    async { 1 }
                }
            ),
        );
        assert!(!out.contains(WATCH), "{out}");
    }
}

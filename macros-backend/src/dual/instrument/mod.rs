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

mod shell;

use shell::{Shell, ShellBodies, shell_call};

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
mod tests;

//! What every form does to one async fn of the blocking copy: make it a
//! blocking twin ([`twin_fn`]) or a blocking body ([`inline_body`]), and the
//! [`Branch`] its async original's `#[dual]` future runs.

use super::ir::{Branch, ClosureCallees, Run, SyncClosureParams, Twin};
use super::options::Args;
use super::rewrite;
use crate::common::{Errors, list_attr, name_value_attr, path_attr};
use quote::quote;
use syn::{Attribute, Block, Ident, Signature};

/// The default twin name of `name`: `blocking_name`, leading underscores
/// kept in front (`_savepoint` → `_blocking_savepoint`, snake case), a raw
/// identifier's `r#` dropped (`r#type` → `blocking_type`).
pub(crate) fn blocking_name(name: &Ident) -> Ident {
    let text = syn::ext::IdentExt::unraw(name).to_string();
    let bare = text.trim_start_matches('_');
    let underscores = &text[..text.len() - bare.len()];
    Ident::new(&format!("{underscores}blocking_{bare}"), name.span())
}

/// The settings of the twin named `label` (for diagnostics).
pub(crate) fn settings(label: &str, args: &Args) -> Twin {
    Twin {
        label: label.to_owned(),
        strict: args.strict.is_some(),
        krate: args.krate(),
        own_methods: std::collections::HashMap::new(),
        closure_callees: ClosureCallees::new(),
        adapted_closures: false,
        closure_decision: None,
        as_written: args.bodies_as_written,
    }
}

/// One async fn of the blocking copy, in place.
pub(crate) struct FnParts<'a> {
    /// Its attributes.
    pub(crate) attrs: &'a mut Vec<Attribute>,
    /// Its signature.
    pub(crate) sig: &'a mut Signature,
    /// Its body (`None`: a trait method without a default).
    pub(crate) block: Option<&'a mut Block>,
}

/// How a twin is named (in the code, in its docs, in diagnostics), and what
/// it must know of its invocation: the methods and callees it may call
/// twin to twin, and how its closure params are decided.
pub(crate) struct Names<'a> {
    /// The twin fn's name.
    pub(crate) name: &'a Ident,
    /// The intra-doc link back to the async original (`fetch`, `Self::get`).
    pub(crate) link: &'a str,
    /// The twin in messages, after the module path (`blocking_fetch`,
    /// `BlockingStore::get`).
    pub(crate) label: &'a str,
    /// In an inherent impl: the twins of its methods (see [`Twin::own_methods`]).
    pub(crate) own_methods: Option<&'a std::collections::HashMap<String, Ident>>,
    /// The callees of the same invocation that take sync closures in their
    /// twins (see [`Twin::closure_callees`]).
    pub(crate) closure_callees: Option<&'a ClosureCallees>,
    /// A trait's method: see [`Twin::adapted_closures`].
    pub(crate) adapted_closures: bool,
    /// See [`Twin::closure_decision`].
    pub(crate) closure_decision: Option<&'a SyncClosureParams>,
}

impl<'a> Names<'a> {
    /// The names of a twin with no methods or callees of its invocation to
    /// know about.
    pub(crate) fn plain(name: &'a Ident, link: &'a str, label: &'a str) -> Self {
        Names {
            name,
            link,
            label,
            own_methods: None,
            closure_callees: None,
            adapted_closures: false,
            closure_decision: None,
        }
    }
}

/// Makes `f` (a copy of an async fn) its blocking twin named `names.name`,
/// with attributes from [`twin_attrs`] linking to `names.link`. Returns the
/// [`Branch`] of the async original: a call of the twin through `callee`
/// when given and the signatures match, else the body, rewritten under the
/// async signature.
pub(crate) fn twin_fn(
    f: FnParts<'_>,
    names: &Names<'_>,
    callee: Option<syn::ExprPath>,
    args: &Args,
    errors: &mut Errors,
) -> Option<Branch> {
    let (name, link) = (names.name, names.link);
    let mut twin = settings(names.label, args);
    if let Some(own) = names.own_methods {
        twin.own_methods.clone_from(own);
    }
    if let Some(callees) = names.closure_callees {
        twin.closure_callees.clone_from(callees);
    }
    twin.adapted_closures = names.adapted_closures;
    twin.closure_decision = names.closure_decision.cloned();
    let original = f.block.as_deref().cloned();
    let has_body = f.block.is_some();
    let outcome = rewrite::blocking_fn(f.sig, f.block, &twin, errors);
    f.sig.ident = name.clone();
    *f.attrs = twin_attrs(f.attrs, link, outcome.closure_call);
    if has_body && !f.attrs.iter().any(|attr| attr.path().is_ident("test")) {
        // A misuse panic points at the caller, in debug builds; release
        // twins stay the plain fn (no hidden location argument).
        f.attrs.push(list_attr("cfg_attr", quote!(debug_assertions, track_caller)));
    }
    let mut original = original?;
    // The twin's own output: what a call of it gives (a `replace` may have
    // changed the type), and what a stream's iterator is.
    let twin_output = match &f.sig.output {
        syn::ReturnType::Type(_, ty) => (**ty).clone(),
        syn::ReturnType::Default => syn::parse_quote!(()),
    };
    let calls_twin = callee.is_some() && !outcome.signature_changed;
    let output = (calls_twin || outcome.stream_tail).then_some(twin_output);
    let run = match callee {
        Some(callee) if calls_twin => Run::Call(callee),
        _ => {
            let stream = outcome.stream_tail;
            let mut ignored = Errors::default();
            // Under the async signature, a closure param still returns a
            // future, which only a bridge can settle: the twin itself (the
            // sync closures) is where `strict` holds.
            twin.strict &= !outcome.closures;
            let closure_call = rewrite::blocking_body(&mut original, &twin, stream, &mut ignored);
            Run::Inline { body: original, closure_call }
        }
    };
    Some(Branch { run, output })
}

/// The blocking body of an async fn, rewritten under its own (async)
/// signature: what its `#[dual]` future runs inline. Errors were reported
/// by the twin made from the same body, hence `errors` apart.
pub(crate) fn inline_body(mut body: Block, twin: &Twin, errors: &mut Errors) -> Branch {
    let closure_call = rewrite::blocking_body(&mut body, twin, false, errors);
    Branch { run: Run::Inline { body, closure_call }, output: None }
}

/// Input: the path of a twin (`blocking_fetch`, `Self::blocking_get`) and
/// its signature. Output: the path a call uses, with the fn's type and const
/// parameters as a turbofish (`blocking_fetch::<T, N>`) so nothing is left
/// to inference, unless an `impl Trait` argument forbids a turbofish.
pub(crate) fn callee(mut path: syn::Path, sig: &Signature) -> syn::ExprPath {
    let params: Vec<&Ident> = sig
        .generics
        .params
        .iter()
        .filter_map(|param| match param {
            syn::GenericParam::Type(ty) => Some(&ty.ident),
            syn::GenericParam::Const(c) => Some(&c.ident),
            syn::GenericParam::Lifetime(_) => None,
        })
        .collect();
    let impl_arg = sig.inputs.iter().any(|input| {
        matches!(input, syn::FnArg::Typed(typed) if crate::lint::mentions_impl_trait(&typed.ty))
    });
    if !params.is_empty()
        && !impl_arg
        && let Some(last) = path.segments.last_mut()
    {
        last.arguments = syn::PathArguments::AngleBracketed(syn::parse_quote!(::<#(#params),*>));
    }
    syn::ExprPath { attrs: Vec::new(), qself: None, path }
}

/// The attributes of a blocking twin: the original's (docs, `cfg`, lints,
/// `must_use`, `inline`, ..) minus async test/main attributes (`#[test]`
/// added in place of an async test one), plus a doc line linking to `link`.
pub(crate) fn twin_attrs(attrs: &[Attribute], link: &str, closure_call: bool) -> Vec<Attribute> {
    let mut out = Vec::new();
    let mut dropped_test = false;
    let mut has_test = false;
    let mut has_docs = false;
    for attr in attrs {
        let path = attr.path();
        let last = path.segments.last().map(|s| s.ident.to_string()).unwrap_or_default();
        if path.segments.len() >= 2 && (last == "test" || last == "main") {
            dropped_test |= last == "test";
            continue;
        }
        has_test |= path.is_ident("test");
        has_docs |= path.is_ident("doc");
        out.push(attr.clone());
    }
    // Attributes built, not `parse_quote!`d: four parses per twin were a
    // tenth of the macro's time in a blocking-only build.
    if dropped_test && !has_test {
        out.push(path_attr("test"));
    }
    if has_docs {
        out.push(name_value_attr("doc", ""));
    }
    out.push(name_value_attr("doc", &format!("Blocking twin of [`{link}`].")));
    // The async original's callers were not asked for `#[must_use]` (its
    // future is must-use by itself); the twin should not ask either. Its
    // signature is the original's, where an owned argument is idiomatic (the
    // future captures it), so clippy must not ask the twin to borrow it, nor
    // to drop a `self` the original takes.
    let braces = closure_call.then(|| quote!(unused_braces, clippy::redundant_closure_call,));
    let lints = if super::respan::unwrapped() {
        // A shell stage's twin (see `respan`): the three are pedantic
        // lints, and each lint named costs rustc as much as a small fn
        // body; the group is one name. The twin is the only copy of its
        // code compiled there, and `clippy::all` still checks it.
        quote!(clippy::pedantic)
    } else {
        quote!(clippy::must_use_candidate, clippy::needless_pass_by_value, clippy::unused_self)
    };
    out.push(list_attr("allow", quote!(#braces #lints)));
    out
}

/// The error for a twin name that is already taken.
pub(crate) fn collision(twin: &Ident, existing: &Ident, what: &str) -> syn::Error {
    let mut error = syn::Error::new(
        twin.span(),
        format!(
            "#[dual]: the blocking twin `{twin}` would collide with the {what} `{existing}`\n\
             rename one of them, or name the twin with `#[dual(blocking = other_name)]`"
        ),
    );
    error.combine(syn::Error::new(existing.span(), format!("`{existing}` is defined here")));
    error
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn twin_names_are_snake_case() {
        let name = |text: &str| blocking_name(&syn::parse_str(text).unwrap()).to_string();
        assert_eq!(name("fetch"), "blocking_fetch");
        assert_eq!(name("_savepoint"), "_blocking_savepoint");
        assert_eq!(name("__inner"), "__blocking_inner");
        assert_eq!(name("r#type"), "blocking_type");
    }
}

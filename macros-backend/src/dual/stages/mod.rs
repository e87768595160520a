//! `#[dual]` with world cfgs expands in two stages, so that a consumer's
//! build expands only the version of the item its cfgs select (see
//! [`super::cfgs`]). The first stage parses the options alone, not the item:
//! it puts the item, as written, under one `#[dual]` per version, each with
//! that version named and under that version's cfg (a `cfg_attr`). rustc
//! settles the `cfg_attr`s before the attribute macros run, and the second
//! stage expands the item under the one `#[dual]` left as that version: its
//! async items ungated, and its blocking items only where the version has
//! them. Without world cfgs, or with an error in the options (reported by
//! the one-stage expansion), the item expands in one stage, as before.

use super::cfgs::Version;
use super::options::Args;
use proc_macro2::{Delimiter, Ident, Span, TokenStream, TokenTree};
use quote::quote;

/// The option that names the version of a second stage. Not an option a
/// user writes: only the first stage's output spells it.
const STAGE: &str = "__twoworlds_stage";

// Input: the options of a `#[dual(..)]`.
// Output: the version named by a leading `__twoworlds_stage = <version>,`
// (a second stage), and the options after it.
/// Takes the second stage's version off the front of `args`.
pub(crate) fn take(args: TokenStream) -> (Option<Version>, TokenStream) {
    let mut trees = args.clone().into_iter();
    let (Some(TokenTree::Ident(key)), Some(TokenTree::Punct(eq)), Some(TokenTree::Ident(name))) =
        (trees.next(), trees.next(), trees.next())
    else {
        return (None, args);
    };
    let version = match name.to_string().as_str() {
        "full" => Version::Full,
        "plain" => Version::Plain,
        "shell" => Version::Shell,
        _ => return (None, args),
    };
    if key != STAGE || eq.as_char() != '=' {
        return (None, args);
    }
    // The comma after the version, if any options follow.
    let rest: TokenStream =
        trees.skip_while(|tt| matches!(tt, TokenTree::Punct(p) if p.as_char() == ',')).collect();
    (Some(version), rest)
}

// Input: `#[dual(args)] item`, `args` parsed without error and naming at
// least one world cfg.
// Output: `#[cfg(any(c1, .., cn))]` (more than two versions) and, for each
// version `v` with cfg `c`,
//     `#[cfg_attr(c, <krate>::dual(__twoworlds_stage = v, args))]`, then `item`.
/// The first stage: the item once, with one `#[dual]` per version under
/// that version's cfg, to be expanded again. The versions' cfgs exclude
/// each other, so at most one `#[dual]` is left; with three versions, a
/// `cfg(any(..))` drops the item where none is (both worlds off), as the
/// versions dropped their items. One copy rather than one per version: rustc would parse (and
/// then drop) every copy of the item whose cfg is off.
pub(crate) fn first(args: &TokenStream, parsed: &Args, item: &TokenStream) -> TokenStream {
    let krate = parsed.krate();
    let span = Span::call_site();
    let stage = Ident::new(STAGE, span);
    let mut cfgs = Vec::new();
    let mut attrs = TokenStream::new();
    // Each attribute in one `quote!` (`args` holds a world cfg: never
    // empty): every token stream spliced in is a round trip to the
    // compiler.
    for (cfg, version) in parsed.cfgs.all_versions() {
        let name = Ident::new(version.name(), span);
        match cfg {
            Some(cfg) => {
                attrs.extend(quote!(#[cfg_attr(#cfg, #krate::dual(#stage = #name, #args))]));
                cfgs.push(cfg);
            }
            None => attrs.extend(quote!(#[#krate::dual(#stage = #name, #args)])),
        }
    }
    // Two versions are a cfg and its negation: one of them is always on.
    let mut out = if cfgs.len() > 2 { quote!(#[cfg(any(#(#cfgs),*))]) } else { TokenStream::new() };
    out.extend(attrs);
    out.extend(item.clone());
    out
}

// Input: the item of a shell stage (the async world off, see `super::cfgs`),
// no `replace(..)` nor `tokio_to_std` given.
// Output: the `async fn` with its body as a verbatim expression, when no
// pass of the blocking copy has anything to do in that body, else `None`.
/// The item of a shell stage parsed without its body, where that is the
/// body its blocking twin keeps as written. In a shell stage nothing else
/// reads the body (the async original's is replaced by the shell), and
/// parsing it was a third of such an expansion.
///
/// What is left to the full parse: a body with `.await`, `async`, an
/// attribute (`#`: per-world markers, `#[allow_blocking]`, doc text that a
/// rule could rewrite), a per-world or toolkit macro's name, a `use` or
/// a path a built-in rule rewrites (the stream mirrors, all under
/// `futures`/`futures_util` and named `stream`); a body that opens with an
/// item (the twin's misuse check goes after a body's leading items); and
/// a signature that names a future, stream, closure trait or `impl Trait`
/// (the twin's signature may then depend on how the body uses them), or a
/// head that names `futures` (see [`in_head`]).
pub(crate) fn shell_fn(item: &TokenStream) -> Option<syn::Item> {
    // The body is taken as the item's last token tree, never handed to
    // syn: its tokens stay the compiler's, and are only walked once (by
    // `mentions`), not converted into a parse buffer and back.
    let mut head: Vec<TokenTree> = item.clone().into_iter().collect();
    let Some(TokenTree::Group(body)) = head.pop() else { return None };
    if body.delimiter() != Delimiter::Brace {
        return None;
    }
    // One walk of each part, before any parse: most bodies that await
    // stop here.
    let tokens = body.stream();
    if head.iter().any(in_head) || stops_in_body(tokens.clone()) {
        return None;
    }
    let parse = |input: syn::parse::ParseStream<'_>| {
        let attrs = input.call(syn::Attribute::parse_outer)?;
        let vis: syn::Visibility = input.parse()?;
        let sig: syn::Signature = input.parse()?;
        Ok((attrs, vis, sig))
    };
    let head = head.into_iter().collect();
    let (attrs, vis, sig) = syn::parse::Parser::parse2(parse, head).ok()?;
    if sig.asyncness.is_none() || sig.constness.is_some() {
        return None;
    }
    let stmts = if tokens.is_empty() {
        Vec::new()
    } else {
        vec![syn::Stmt::Expr(syn::Expr::Verbatim(tokens), None)]
    };
    let brace_token = syn::token::Brace(body.delim_span());
    let block = Box::new(syn::Block { brace_token, stmts });
    let modifiers = syn::FnModifiers::default();
    Some(syn::Item::Fn(syn::ItemFn { attrs, vis, modifiers, sig, block }))
}

/// Names in a body that some pass of the blocking copy acts on (see
/// [`shell_fn`]).
const BODY_NAMES: &[&str] = &[
    "await",
    "async",
    "join",
    "try_join",
    "select",
    "select_biased",
    "only_async",
    "only_blocking",
    "per_world",
    "allow_blocking",
    "use",
    "futures",
    "futures_util",
    "stream",
    "try_stream",
    // What the rewrite looks for in a body (`rewrite::NAMED`).
    "try_next",
    "try_collect",
    "next_entry",
    "next_line",
    "settle_await",
];

/// Names in a signature that the twin's signature rewrite acts on.
const SIGNATURE_NAMES: &[&str] = &[
    "impl",
    "Future",
    "IntoFuture",
    "Stream",
    "TryStream",
    "FusedStream",
    "Fn",
    "FnMut",
    "FnOnce",
    "AsyncFn",
    "AsyncFnMut",
    "AsyncFnOnce",
];

/// Whether a body's tokens open with an item (or an attribute), or hold,
/// at any depth, a `#` or an identifier of [`BODY_NAMES`]. One walk.
fn stops_in_body(tokens: TokenStream) -> bool {
    let mut trees = tokens.into_iter();
    let Some(first) = trees.next() else { return false };
    opens_item(&first) || std::iter::once(first).chain(trees).any(|tt| mentions(&tt))
}

/// Whether `tt`, at any depth, is or holds a `#` or an identifier of
/// [`BODY_NAMES`].
fn mentions(tt: &TokenTree) -> bool {
    match tt {
        TokenTree::Group(group) => group.stream().into_iter().any(|tt| mentions(&tt)),
        TokenTree::Ident(ident) => BODY_NAMES.contains(&ident.to_string().as_str()),
        TokenTree::Punct(punct) => punct.as_char() == '#',
        TokenTree::Literal(_) => false,
    }
}

/// Whether a token of an item's head (attributes and signature) names
/// something the twin's signature rewrite acts on ([`SIGNATURE_NAMES`]),
/// or may name a stream constructor that the blocking copy maps to its
/// sync mirror (a `futures` path, also in doc text): an item without one
/// needs no mirror rules (`options::add_stream_mirrors`).
fn in_head(tt: &TokenTree) -> bool {
    match tt {
        TokenTree::Group(group) => group.stream().into_iter().any(|tt| in_head(&tt)),
        TokenTree::Ident(ident) => {
            let text = ident.to_string();
            SIGNATURE_NAMES.contains(&text.as_str()) || text == "futures" || text == "futures_util"
        }
        TokenTree::Literal(literal) => literal.to_string().contains("futures"),
        TokenTree::Punct(_) => false,
    }
}

/// Whether a body's first token may open an item (or an attribute).
fn opens_item(first: &TokenTree) -> bool {
    const ITEM_STARTS: &[&str] = &[
        "fn",
        "pub",
        "crate",
        "extern",
        "use",
        "static",
        "const",
        "unsafe",
        "async",
        "type",
        "struct",
        "enum",
        "union",
        "trait",
        "impl",
        "auto",
        "default",
        "mod",
        "macro_rules",
        "macro",
        "safe",
    ];
    match first {
        TokenTree::Ident(ident) => ITEM_STARTS.contains(&ident.to_string().as_str()),
        TokenTree::Punct(punct) => punct.as_char() == '#',
        _ => false,
    }
}

#[cfg(test)]
mod tests;

//! Replacement where there is no syntax tree: inside doc text and inside the
//! (unparsed) arguments of macro calls. Both scan for runs shaped like a
//! path, `(::)? ident (:: ident)*`, and hand them to the same rule lookup.

use super::rewrite::{Finder, splice};
use proc_macro2::{Group, Spacing, TokenStream, TokenTree};
use quote::ToTokens;
use syn::{Expr, Ident, Lit, LitStr, Meta, Path, PathSegment, Token};

/// Input: `#[doc = "Reads with tokio::fs::read."]`.
/// Output: `#[doc = "Reads with std::fs::read."]`. Other attributes are left
/// alone.
pub(super) fn rewrite_doc(find: Finder<'_>, attr: &mut syn::Attribute) {
    let Meta::NameValue(meta) = &mut attr.meta else { return };
    if !meta.path.is_ident("doc") {
        return;
    }
    let Expr::Lit(syn::ExprLit { lit: Lit::Str(lit), .. }) = &mut meta.value else { return };
    if let Some(text) = rewrite_text(find, &lit.value()) {
        *lit = LitStr::new(&text, lit.span());
    }
}

/// Whether `byte` may start an identifier.
fn is_ident_start(byte: u8) -> bool {
    byte.is_ascii_alphabetic() || byte == b'_'
}

/// Whether `byte` may continue an identifier.
fn is_ident_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'_'
}

/// The end of the identifier starting at `start`.
fn ident_end(bytes: &[u8], start: usize) -> usize {
    start + bytes[start..].iter().take_while(|b| is_ident_byte(**b)).count()
}

/// Whether `::` followed by an identifier starts at `at`.
fn sep_then_ident(bytes: &[u8], at: usize) -> bool {
    bytes.get(at..at + 2) == Some(b"::") && bytes.get(at + 2).is_some_and(|b| is_ident_start(*b))
}

/// Input: doc text. Output: the text with every path of two or more
/// segments that a rule matches replaced (`tokio::fs::read_to_string` →
/// `std::fs::read_to_string`; a `::` in front is kept only if it was
/// written), or `None` when nothing changed. Single words are never
/// touched: prose is full of them.
pub(super) fn rewrite_text(find: Finder<'_>, text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let (mut copied, mut at) = (0, 0);
    while at < bytes.len() {
        let after_word = at > 0 && (is_ident_byte(bytes[at - 1]) || bytes[at - 1] == b':');
        let leading = sep_then_ident(bytes, at);
        if after_word || !(leading || is_ident_start(bytes[at])) {
            at += 1;
            continue;
        }
        let start = at;
        let mut names = Vec::new();
        let mut cursor = if leading { at + 2 } else { at };
        loop {
            let end = ident_end(bytes, cursor);
            names.push(&text[cursor..end]);
            if !sep_then_ident(bytes, end) {
                at = end;
                break;
            }
            cursor = end + 2;
        }
        let hit = (names.len() >= 2).then(|| find.find(leading, &names, usize::MAX)).flatten();
        if let Some(hit) = hit {
            out.push_str(&text[copied..start]);
            let to: Vec<String> = hit.to.segments.iter().map(|s| s.ident.to_string()).collect();
            let rest = names[hit.consumed..].iter().map(|s| (*s).to_owned());
            let joined: Vec<String> = to.into_iter().chain(rest).collect();
            out.push_str(if leading { "::" } else { "" });
            out.push_str(&joined.join("::"));
            copied = at;
        }
    }
    (copied > 0).then(|| {
        out.push_str(&text[copied..]);
        out
    })
}

/// Whether `tokens[at..]` starts with `::` (two joint colons).
fn is_path_sep(tokens: &[TokenTree], at: usize) -> bool {
    matches!((tokens.get(at), tokens.get(at + 1)),
        (Some(TokenTree::Punct(a)), Some(TokenTree::Punct(b)))
            if a.as_char() == ':' && a.spacing() == Spacing::Joint && b.as_char() == ':')
}

/// The identifier at `tokens[at]`, if any.
fn ident_at(tokens: &[TokenTree], at: usize) -> Option<&Ident> {
    match tokens.get(at) {
        Some(TokenTree::Ident(ident)) => Some(ident),
        _ => None,
    }
}

/// Whether a path may start at `tokens[at]`: not right after `.` (a field or
/// method), `$` (a macro variable), an identifier or `>` (the middle of a
/// longer path), or a `::`.
fn may_start_path(tokens: &[TokenTree], at: usize) -> bool {
    let Some(previous) = at.checked_sub(1).and_then(|index| tokens.get(index)) else {
        return true;
    };
    match previous {
        TokenTree::Ident(_) => false,
        TokenTree::Punct(punct) => !matches!(punct.as_char(), '.' | '$' | '>' | ':'),
        _ => true,
    }
}

/// Input: the arguments of a macro call, e.g. `"{}", tokio::fs::read(p).await?.len()`.
/// Output: the same tokens with matched paths replaced: `"{}",
/// ::std::fs::read(p).await?.len()`. Nested groups are rewritten too.
pub(super) fn rewrite_tokens(find: Finder<'_>, stream: TokenStream) -> TokenStream {
    let tokens: Vec<TokenTree> = stream.into_iter().collect();
    let mut out = TokenStream::new();
    let mut at = 0;
    while at < tokens.len() {
        if let Some((path, end)) = path_at(&tokens, at) {
            let names: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
            if let Some(hit) = find.find(path.leading_colon.is_some(), &names, usize::MAX) {
                let mut path = path;
                splice(&mut path, &hit);
                path.to_tokens(&mut out);
                at = end;
                continue;
            }
        }
        match &tokens[at] {
            TokenTree::Group(group) => {
                let mut new = Group::new(group.delimiter(), rewrite_tokens(find, group.stream()));
                new.set_span(group.span());
                out.extend([TokenTree::Group(new)]);
            }
            other => out.extend([other.clone()]),
        }
        at += 1;
    }
    out
}

/// The path-shaped run starting at `tokens[at]` and the index after it.
fn path_at(tokens: &[TokenTree], at: usize) -> Option<(Path, usize)> {
    if !may_start_path(tokens, at) {
        return None;
    }
    let leading = is_path_sep(tokens, at) && ident_at(tokens, at + 2).is_some();
    let mut cursor = if leading { at + 2 } else { at };
    let mut path = Path {
        leading_colon: leading.then(|| Token![::](tokens[at].span())),
        segments: syn::punctuated::Punctuated::new(),
    };
    loop {
        let ident = ident_at(tokens, cursor)?;
        path.segments.push(PathSegment::from(ident.clone()));
        if is_path_sep(tokens, cursor + 1) && ident_at(tokens, cursor + 3).is_some() {
            cursor += 3;
        } else {
            return Some((path, cursor + 1));
        }
    }
}

//! Pieces both macros share: collecting errors so all of them are reported
//! together, and messages for unknown options that list the valid ones and
//! suggest the nearest; what the robustness harnesses check on an
//! expansion ([`check`]); and attributes built without a parse
//! ([`list_attr`]).

pub(crate) mod check;
pub(crate) mod compile_error;
pub(crate) mod elided;

use proc_macro2::{Span, TokenStream};
use std::fmt::Write as _;

/// Collects every error of one invocation so they are reported together
/// (`serde_derive`'s `Ctxt`), instead of stopping at the first.
#[derive(Debug, Default)]
pub(crate) struct Errors {
    /// All errors so far, combined into one.
    combined: Option<syn::Error>,
}

impl Errors {
    /// Records `error` beside the ones already collected.
    pub(crate) fn push(&mut self, error: syn::Error) {
        match &mut self.combined {
            Some(combined) => combined.combine(error),
            None => self.combined = Some(error),
        }
    }

    /// Records the error of `result`, if any, and returns its value.
    pub(crate) fn take<T>(&mut self, result: syn::Result<T>) -> Option<T> {
        result.map_err(|error| self.push(error)).ok()
    }

    /// Whether nothing has been recorded.
    pub(crate) fn is_empty(&self) -> bool {
        self.combined.is_none()
    }

    /// `Ok` when nothing was recorded, else all errors as one.
    pub(crate) fn finish(self) -> syn::Result<()> {
        self.combined.map_or(Ok(()), Err)
    }

    /// The collected errors as `compile_error!` invocations (empty if none).
    pub(crate) fn to_compile_errors(&self) -> TokenStream {
        self.combined.as_ref().map(syn::Error::to_compile_error).unwrap_or_default()
    }
}

/// The error for an option `found` that is not one of `valid`, spanned on it:
/// names the valid options and, when one is close, suggests it.
pub(crate) fn unknown_option(
    macro_name: &str,
    found: &str,
    span: Span,
    valid: &[&str],
) -> syn::Error {
    let mut message = format!("unknown option `{found}` for #[{macro_name}]");
    if let Some(near) = nearest(found, valid) {
        let _ = write!(message, "; did you mean `{near}`?");
    }
    let _ = write!(message, "\nvalid options: {}", valid.join(", "));
    syn::Error::new(span, message)
}

/// The entry of `candidates` closest to `found`, if it is close enough to be a
/// likely misspelling.
pub(crate) fn nearest<'a>(found: &str, candidates: &[&'a str]) -> Option<&'a str> {
    candidates
        .iter()
        .map(|candidate| (strsim::jaro_winkler(found, candidate), *candidate))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, candidate)| candidate)
}

/// How the runtime and the watchdog name the owner of a method: the impl's
/// type name (`Client` for `Client<T>`), else the type as written.
pub(crate) fn owner_name(self_ty: &syn::Type) -> String {
    match self_ty {
        syn::Type::Path(path) => path.path.segments.last().map_or_else(
            || quote::ToTokens::to_token_stream(path).to_string(),
            |segment| segment.ident.to_string(),
        ),
        other => quote::ToTokens::to_token_stream(other).to_string().replace(' ', ""),
    }
}

/// `#[name(tokens)]`, built rather than `parse_quote!`d: a parse costs a
/// proc macro built in debug (as a consumer's build runs it) far more, per
/// attribute of every fn.
pub(crate) fn list_attr(name: &str, tokens: TokenStream) -> syn::Attribute {
    let span = Span::call_site();
    syn::Attribute {
        pound_token: syn::token::Pound(span),
        style: syn::AttrStyle::Outer,
        bracket_token: syn::token::Bracket(span),
        meta: syn::Meta::List(syn::MetaList {
            path: syn::Ident::new(name, span).into(),
            delimiter: syn::MacroDelimiter::Paren(syn::token::Paren(span)),
            tokens,
        }),
    }
}

/// `#[name = "text"]` (a doc line), built like [`list_attr`].
pub(crate) fn name_value_attr(name: &str, text: &str) -> syn::Attribute {
    let span = Span::call_site();
    syn::Attribute {
        pound_token: syn::token::Pound(span),
        style: syn::AttrStyle::Outer,
        bracket_token: syn::token::Bracket(span),
        meta: syn::Meta::NameValue(syn::MetaNameValue {
            path: syn::Ident::new(name, span).into(),
            eq_token: syn::token::Eq(span),
            value: syn::Expr::Lit(syn::ExprLit {
                attrs: Vec::new(),
                lit: syn::Lit::Str(syn::LitStr::new(text, span)),
            }),
        }),
    }
}

/// `#[name]`, built like [`list_attr`].
pub(crate) fn path_attr(name: &str) -> syn::Attribute {
    let span = Span::call_site();
    syn::Attribute {
        pound_token: syn::token::Pound(span),
        style: syn::AttrStyle::Outer,
        bracket_token: syn::token::Bracket(span),
        meta: syn::Meta::Path(syn::Ident::new(name, span).into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn owner_name_is_the_last_segment_without_generics() {
        assert_eq!(owner_name(&syn::parse_quote!(crate::db::Client<T>)), "Client");
        assert_eq!(owner_name(&syn::parse_quote!([u8])), "[u8]");
    }

    #[test]
    fn nearest_finds_a_misspelling_and_ignores_noise() {
        assert_eq!(nearest("blockin", &["blocking", "crate", "strict"]), Some("blocking"));
        assert_eq!(nearest("xyz", &["blocking", "crate", "strict"]), None);
    }

    #[test]
    fn unknown_option_lists_the_valid_ones() {
        let error = unknown_option("dual", "stirct", Span::call_site(), &["blocking", "strict"]);
        let message = error.to_string();
        assert!(message.contains("did you mean `strict`?"), "{message}");
        assert!(message.contains("valid options: blocking, strict"), "{message}");
    }

    #[test]
    fn errors_are_combined_in_order() {
        let mut errors = Errors::default();
        assert!(errors.is_empty());
        errors.push(syn::Error::new(Span::call_site(), "first"));
        errors.push(syn::Error::new(Span::call_site(), "second"));
        let all: Vec<String> =
            errors.finish().unwrap_err().into_iter().map(|e| e.to_string()).collect();
        assert_eq!(all, ["first", "second"]);
    }
}

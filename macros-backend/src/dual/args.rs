//! The options of `#[dual(..)]`, parsed into [`Args`]. Every bad option is
//! reported (all of them, not just the first) with the valid ones listed and
//! a near match suggested; parsing then goes on with the next option.

use super::replace::Replacements;
use crate::common::{Errors, unknown_option};
use proc_macro2::{Span, TokenStream};
use syn::ext::IdentExt as _;
use syn::parse::{ParseStream, Parser as _};
use syn::{Ident, Path, Token};

/// Every option `#[dual]` accepts, as spelled by the user.
pub(crate) const OPTIONS: &[&str] =
    &["blocking", "strict", "send", "skip", "crate", "replace", "tokio_to_std", "allow_blocking"];

/// The parsed options of one `#[dual(..)]` attribute.
pub(crate) struct Args {
    /// `blocking = name`: the twin's name (fn, trait, the mod's inner module,
    /// the blocking trait of a trait impl, or one method of an impl).
    pub(crate) blocking: Option<Ident>,
    /// `strict`: a foreign `.await` is an error instead of a `block_on` bridge.
    pub(crate) strict: Option<Span>,
    /// `send`: the async trait's methods return `impl Future + Send`.
    pub(crate) send: Option<Span>,
    /// `skip`: on a method of an impl, leave it alone.
    pub(crate) skip: Option<Span>,
    /// `allow_blocking`: no blocking-call warnings in the async fns kept.
    pub(crate) allow_blocking: Option<Span>,
    /// `crate = path`: where generated code finds `twoworlds`.
    pub(crate) krate: Option<Path>,
    /// `replace(..)` and `tokio_to_std`, for the blocking copy.
    pub(crate) replacements: Replacements,
    /// Whether any replacement was asked for.
    pub(crate) has_replacements: bool,
    /// `tokio_to_std`: the preset is on (its io methods become sync).
    pub(crate) tokio_to_std: bool,
    /// Where each given option was spelled, to reject the ones a form does not take.
    pub(crate) given: Vec<(String, Span)>,
}

impl Args {
    /// No options.
    pub(crate) fn empty() -> Self {
        Self {
            blocking: None,
            strict: None,
            send: None,
            skip: None,
            allow_blocking: None,
            krate: None,
            replacements: Replacements::new(),
            has_replacements: false,
            tokio_to_std: false,
            given: Vec::new(),
        }
    }

    /// The path of the facade crate in generated code.
    pub(crate) fn krate(&self) -> Path {
        self.krate.clone().unwrap_or_else(|| syn::parse_quote!(::twoworlds))
    }

    /// Reports every given option that is not in `allowed` for `form`.
    pub(crate) fn reject_unless(&self, allowed: &[&str], form: &str, errors: &mut Errors) {
        for (name, span) in &self.given {
            if !allowed.contains(&name.as_str()) {
                errors.push(syn::Error::new(
                    *span,
                    format!(
                        "option `{name}` does not apply to {form}\n\
                         options for {form}: {}",
                        allowed.join(", ")
                    ),
                ));
            }
        }
    }
}

/// Parses `tokens` (the inside of `#[dual(..)]`), recording every error in
/// `errors` and keeping what parsed.
pub(crate) fn parse(tokens: TokenStream, errors: &mut Errors) -> Args {
    let mut args = Args::empty();
    let parser = |input: ParseStream<'_>| {
        while !input.is_empty() {
            if let Err(error) = parse_one(input, &mut args) {
                errors.push(error);
                skip_to_comma(input);
            }
            if input.is_empty() {
                break;
            }
            if let Err(error) = input.parse::<Token![,]>() {
                errors.push(error);
                skip_to_comma(input);
                let _ = input.parse::<Token![,]>();
            }
        }
        Ok(())
    };
    // The closure never fails: it records errors and moves on.
    let _ = parser.parse2(tokens);
    args
}

/// Skips tokens up to (not including) the next top-level comma.
fn skip_to_comma(input: ParseStream<'_>) {
    let _ = input.step(|cursor| {
        let mut rest = *cursor;
        while let Some((tt, next)) = rest.token_tree() {
            if matches!(&tt, proc_macro2::TokenTree::Punct(p) if p.as_char() == ',') {
                break;
            }
            rest = next;
        }
        Ok(((), rest))
    });
}

/// Parses one option into `args`.
fn parse_one(input: ParseStream<'_>, args: &mut Args) -> syn::Result<()> {
    let name = Ident::parse_any(input)?;
    let key = name.to_string();
    if let Some((_, first)) = args.given.iter().find(|(given, _)| *given == key) {
        let mut error = syn::Error::new(name.span(), format!("option `{key}` is given twice"));
        error.combine(syn::Error::new(*first, format!("first `{key}` is here")));
        return Err(error);
    }
    match key.as_str() {
        "blocking" => {
            input.parse::<Token![=]>()?;
            args.blocking = Some(input.parse()?);
        }
        "strict" => args.strict = Some(name.span()),
        "send" => args.send = Some(name.span()),
        "skip" => args.skip = Some(name.span()),
        "allow_blocking" => args.allow_blocking = Some(name.span()),
        "crate" => {
            input.parse::<Token![=]>()?;
            args.krate = Some(Path::parse_mod_style(input)?);
        }
        "replace" => {
            let content;
            syn::parenthesized!(content in input);
            args.replacements.parse_list(&content)?;
            args.has_replacements = true;
        }
        "tokio_to_std" => {
            args.replacements.add_tokio_to_std();
            args.has_replacements = true;
            args.tokio_to_std = true;
        }
        _ => return Err(unknown_option("dual", &key, name.span(), OPTIONS)),
    }
    args.given.push((key, name.span()));
    Ok(())
}

/// Takes the `#[dual(..)]` attributes out of `attrs` (on a method or an item
/// of a mod) and parses them.
pub(crate) fn take_inner(attrs: &mut Vec<syn::Attribute>, errors: &mut Errors) -> Args {
    let mut args = Args::empty();
    let mut found = false;
    attrs.retain(|attr| {
        if !attr.path().is_ident("dual") {
            return true;
        }
        if found {
            errors.push(syn::Error::new_spanned(attr, "only one #[dual(..)] per item"));
            return false;
        }
        found = true;
        let tokens = match &attr.meta {
            syn::Meta::List(list) => list.tokens.clone(),
            syn::Meta::Path(_) => TokenStream::new(),
            syn::Meta::NameValue(_) => {
                errors.push(syn::Error::new_spanned(attr, "expected #[dual] or #[dual(..)]"));
                return false;
            }
        };
        args = parse(tokens, errors);
        false
    });
    args
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    fn messages(errors: Errors) -> Vec<String> {
        errors
            .finish()
            .err()
            .map(|e| e.into_iter().map(|e| e.to_string()).collect())
            .unwrap_or_default()
    }

    #[test]
    fn parses_every_option() {
        let mut errors = Errors::default();
        let args = parse(quote!(blocking = sync_get, strict, send, crate = ::my::tw), &mut errors);
        assert!(errors.is_empty());
        assert_eq!(args.blocking.unwrap().to_string(), "sync_get");
        assert!(args.strict.is_some() && args.send.is_some() && args.skip.is_none());
        let krate = args.krate.unwrap();
        assert_eq!(quote!(#krate).to_string(), ":: my :: tw");
    }

    #[test]
    fn reports_all_bad_options_and_keeps_the_good_ones() {
        let mut errors = Errors::default();
        let args = parse(quote!(stirct, blocking = a, sned, blocking = b, strict), &mut errors);
        assert!(args.strict.is_some());
        assert_eq!(args.blocking.unwrap().to_string(), "a");
        let all = messages(errors);
        assert_eq!(all.len(), 4, "{all:?}");
        assert!(all[0].contains("did you mean `strict`?"), "{all:?}");
        assert!(all[1].contains("did you mean `send`?"), "{all:?}");
        assert!(all[2].contains("option `blocking` is given twice"), "{all:?}");
    }

    #[test]
    fn a_missing_value_is_an_error_not_a_panic() {
        let mut errors = Errors::default();
        let _ = parse(quote!(blocking, crate =, = , ,), &mut errors);
        assert!(!errors.is_empty());
    }

    #[test]
    fn take_inner_removes_the_attribute() {
        let mut errors = Errors::default();
        let mut attrs: Vec<syn::Attribute> =
            vec![syn::parse_quote!(#[dual(skip)]), syn::parse_quote!(#[inline])];
        let args = take_inner(&mut attrs, &mut errors);
        assert!(args.skip.is_some());
        assert_eq!(attrs.len(), 1);
    }
}

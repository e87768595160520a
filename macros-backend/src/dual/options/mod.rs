//! The options of `#[dual(..)]`: one typed set ([`Opt`]) shared by every
//! form, parsed into [`Args`]. Every bad option is reported (all of them, not
//! just the first) with the valid ones listed and a near match suggested;
//! parsing then goes on with the next option. Each place an option can be
//! written ([`Form`]) says which options it takes, as typed lists.

use super::replace::Replacements;
use crate::common::{Errors, unknown_option};
use proc_macro2::{Span, TokenStream};
use syn::ext::IdentExt as _;
use syn::parse::{ParseStream, Parser as _};
use syn::{Ident, Path, Token};

/// One option of `#[dual(..)]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Opt {
    /// `blocking = name`.
    Blocking,
    /// `strict`.
    Strict,
    /// `send`.
    Send,
    /// `skip`.
    Skip,
    /// `crate = path`.
    Crate,
    /// `replace(a => b, ..)`.
    Replace,
    /// `tokio_to_std`.
    TokioToStd,
    /// `allow_blocking`.
    AllowBlocking,
    /// `blocking_cfg(predicate)`.
    BlockingCfg,
    /// `async_cfg(predicate)`.
    AsyncCfg,
}

impl Opt {
    /// Every option, in the order the errors list them.
    const ALL: [Opt; 10] = [
        Opt::Blocking,
        Opt::Strict,
        Opt::Send,
        Opt::Skip,
        Opt::Crate,
        Opt::Replace,
        Opt::TokioToStd,
        Opt::AllowBlocking,
        Opt::BlockingCfg,
        Opt::AsyncCfg,
    ];

    /// The option as the user spells it.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Opt::Blocking => "blocking",
            Opt::Strict => "strict",
            Opt::Send => "send",
            Opt::Skip => "skip",
            Opt::Crate => "crate",
            Opt::Replace => "replace",
            Opt::TokioToStd => "tokio_to_std",
            Opt::AllowBlocking => "allow_blocking",
            Opt::BlockingCfg => "blocking_cfg",
            Opt::AsyncCfg => "async_cfg",
        }
    }

    /// The option spelled `name`.
    fn from_name(name: &str) -> Option<Opt> {
        Opt::ALL.into_iter().find(|opt| opt.name() == name)
    }
}

/// A place where `#[dual(..)]` options are written, and the options it takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Form {
    /// `#[dual] async fn`.
    Fn,
    /// `#[dual] impl T { .. }`.
    Impl,
    /// `#[dual(..)]` on a method of a `#[dual]` impl.
    Method,
    /// `#[dual] trait T { .. }`.
    Trait,
    /// `#[dual] impl T for X { .. }`.
    TraitImpl,
    /// `#[dual(..)]` on a method of a `#[dual]` trait or trait impl.
    TraitMethod,
    /// `#[dual] mod m { .. }`.
    Mod,
    /// `#[dual(..)]` on a fn, impl, trait, mod or method inside a `#[dual] mod`.
    ModItemWithFns,
    /// `#[dual(..)]` on another item inside a `#[dual] mod`.
    ModItem,
}

impl Form {
    /// The options this place takes.
    pub(crate) fn options(self) -> &'static [Opt] {
        use Opt::{
            AllowBlocking, AsyncCfg, Blocking, BlockingCfg, Crate, Replace, Send, Skip, Strict,
            TokioToStd,
        };
        match self {
            // (`blocking` on a trait impl: only an `#[async_trait]` one's.)
            Form::Fn | Form::TraitImpl => &[
                Blocking,
                Strict,
                Crate,
                Replace,
                TokioToStd,
                AllowBlocking,
                BlockingCfg,
                AsyncCfg,
            ],
            Form::Impl => {
                &[Strict, Crate, Replace, TokioToStd, AllowBlocking, BlockingCfg, AsyncCfg]
            }
            Form::Method => &[Skip, Blocking, AllowBlocking],
            Form::Trait | Form::Mod => &[
                Blocking,
                Send,
                Strict,
                Crate,
                Replace,
                TokioToStd,
                AllowBlocking,
                BlockingCfg,
                AsyncCfg,
            ],
            Form::TraitMethod => &[],
            Form::ModItemWithFns => &[Skip, AllowBlocking],
            Form::ModItem => &[Skip],
        }
    }

    /// The place, in an error message.
    pub(crate) fn describe(self) -> &'static str {
        match self {
            Form::Fn => "an async fn",
            Form::Impl => "an inherent impl",
            Form::Method => "a method of a #[dual] impl",
            Form::Trait => "a trait",
            Form::TraitImpl => "a trait impl",
            Form::TraitMethod => "a method of a #[dual] trait or trait impl",
            Form::Mod => "an inline mod",
            Form::ModItemWithFns => "an item inside a #[dual] mod",
            Form::ModItem => "this item inside a #[dual] mod",
        }
    }
}

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
    /// `blocking_cfg(..)` / `async_cfg(..)`: each world behind a cfg.
    pub(crate) cfgs: super::cfgs::WorldCfgs,
    /// Where each given option was spelled, to reject the ones a form does not take.
    pub(crate) given: Vec<(Opt, Span)>,
    /// The item's fn bodies are its tokens as written, holding nothing a
    /// blocking pass acts on (see `stages::shell_fn`).
    pub(crate) bodies_as_written: bool,
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
            cfgs: super::cfgs::WorldCfgs::default(),
            given: Vec::new(),
            bodies_as_written: false,
        }
    }

    /// The path of the facade crate in generated code.
    pub(crate) fn krate(&self) -> Path {
        self.krate.clone().unwrap_or_else(|| {
            let span = Span::call_site();
            let mut path = Path::from(Ident::new("twoworlds", span));
            path.leading_colon = Some(syn::token::PathSep(span));
            path
        })
    }

    /// Reports every given option that `form` does not take.
    pub(crate) fn check_form(&self, form: Form, errors: &mut Errors) {
        let allowed = form.options();
        for (opt, span) in &self.given {
            if allowed.contains(opt) {
                continue;
            }
            let names: Vec<&str> = allowed.iter().map(|opt| opt.name()).collect();
            let (name, place) = (opt.name(), form.describe());
            let valid = if names.is_empty() { "none".to_owned() } else { names.join(", ") };
            errors.push(syn::Error::new(
                *span,
                format!("option `{name}` does not apply to {place}\noptions for {place}: {valid}"),
            ));
        }
    }
}

/// Parses `tokens` (the inside of `#[dual(..)]`), recording every error in
/// `errors` and keeping what parsed.
pub(crate) fn parse(tokens: TokenStream, errors: &mut Errors) -> Args {
    let mut args = parse_only(tokens, errors);
    add_stream_mirrors(&mut args);
    args
}

/// [`parse`] without the stream mirrors' rules: all a first stage needs
/// (`super::stages`), and all a version without a blocking world does.
pub(crate) fn parse_only(tokens: TokenStream, errors: &mut Errors) -> Args {
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

/// Adds the rules of the stream constructors' sync mirrors to `args`.
pub(crate) fn add_stream_mirrors(args: &mut Args) {
    let krate = args.krate();
    args.replacements.add_stream_mirrors(&krate);
    args.has_replacements = true;
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
    let Some(opt) = Opt::from_name(&key) else {
        let all: Vec<&str> = Opt::ALL.iter().map(|opt| opt.name()).collect();
        return Err(unknown_option("dual", &key, name.span(), &all));
    };
    if let Some((_, first)) = args.given.iter().find(|(given, _)| *given == opt) {
        let mut error = syn::Error::new(name.span(), format!("option `{key}` is given twice"));
        error.combine(syn::Error::new(*first, format!("first `{key}` is here")));
        return Err(error);
    }
    match opt {
        Opt::Blocking => {
            input.parse::<Token![=]>()?;
            args.blocking = Some(input.parse()?);
        }
        Opt::Strict => args.strict = Some(name.span()),
        Opt::Send => args.send = Some(name.span()),
        Opt::Skip => args.skip = Some(name.span()),
        Opt::AllowBlocking => args.allow_blocking = Some(name.span()),
        Opt::Crate => {
            input.parse::<Token![=]>()?;
            args.krate = Some(Path::parse_mod_style(input)?);
        }
        Opt::Replace => {
            let content;
            syn::parenthesized!(content in input);
            args.replacements.parse_list(&content)?;
            args.has_replacements = true;
        }
        Opt::TokioToStd => {
            args.replacements.add_tokio_to_std();
            args.has_replacements = true;
        }
        Opt::BlockingCfg | Opt::AsyncCfg => {
            if !input.peek(syn::token::Paren) {
                return Err(syn::Error::new(
                    name.span(),
                    format!(
                        "option `{key}` takes a cfg predicate: write `{key}(feature = \"..\")`"
                    ),
                ));
            }
            let content;
            syn::parenthesized!(content in input);
            let predicate: syn::Meta = content.parse()?;
            let predicate = quote::quote!(#predicate);
            if opt == Opt::BlockingCfg {
                args.cfgs.blocking = Some(predicate);
            } else {
                args.cfgs.asynchronous = Some(predicate);
            }
        }
    }
    args.given.push((opt, name.span()));
    Ok(())
}

/// Takes the `#[dual(..)]` attributes out of `attrs` (on a method or an item
/// of a mod) and parses them.
pub(crate) fn take_inner(attrs: &mut Vec<syn::Attribute>, errors: &mut Errors) -> Args {
    let mut args = Args::empty();
    let mut found = false;
    attrs.retain(|attr| {
        // `#[dual(..)]`, or `#[twoworlds::dual]` nested in a `#[dual]` item
        // (redundant there: its options apply to this inner item, if any).
        if attr.path().segments.last().is_none_or(|s| s.ident != "dual") {
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
mod tests;

//! Parsing `#[dual(..)]`'s options: every bad option reported, valid ones listed.

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

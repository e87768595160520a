//! Fuzz target: arbitrary bytes → attribute arguments + item tokens →
//! `#[bridge]` and `#[dual]` expansion. A panic is a crash; so is output that
//! does not parse as items when the input was an item, and an unparsable
//! input that comes back without a `compile_error!`.
#![no_main]

use std::str::FromStr as _;

use libfuzzer_sys::fuzz_target;
use proc_macro2::TokenStream;
use twoworlds_fuzz::has_compile_error;

fuzz_target!(|data: &[u8]| {
    let Some((&split, rest)) = data.split_first() else { return };
    let Ok(text) = std::str::from_utf8(rest) else { return };
    // The first byte picks where the attribute arguments end and the item
    // starts (at a char boundary); the whole text as the item is tried too.
    let mut at = usize::from(split) % (text.len() + 1);
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    let (args, item) = text.split_at(at);
    let (Ok(args), Ok(item), Ok(whole)) =
        (TokenStream::from_str(args), TokenStream::from_str(item), TokenStream::from_str(text))
    else {
        return;
    };
    for (args, item) in [(args, item), (TokenStream::new(), whole)] {
        check("bridge", &args, &item, twoworlds_fuzz::bridge(args.clone(), item.clone()));
        check("dual", &args, &item, twoworlds_fuzz::dual(args.clone(), item.clone()));
    }
});

/// The output property of one expansion (the panic property is libFuzzer's).
fn check(name: &str, args: &TokenStream, item: &TokenStream, output: TokenStream) {
    if syn::parse2::<syn::Item>(item.clone()).is_ok() {
        if let Err(error) = syn::parse2::<syn::File>(output.clone()) {
            panic!("#[{name}({args})] {item}\n→ {output}\ndoes not parse: {error}");
        }
    } else {
        assert!(has_compile_error(&output), "#[{name}({args})] {item}\n→ {output}\nno error");
    }
}

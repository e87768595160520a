//! Runs one expansion under `catch_unwind` and classifies the result:
//! expanded cleanly, rejected with a `compile_error!`, panicked, or emitted
//! tokens that do not parse back as items.

use std::cell::RefCell;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

use proc_macro2::TokenStream;

use crate::common::compile_error::has_compile_error;

/// An expansion function: `bridge::expand` or `dual::expand`.
pub(super) type Expand = fn(TokenStream, TokenStream) -> TokenStream;

/// What one expansion did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Outcome {
    /// Items without a top-level `compile_error!`.
    Expanded,
    /// Items with at least one top-level `compile_error!` (the macro's error).
    Rejected,
    /// The expansion panicked, with this message and location.
    Panicked(String),
    /// The output does not parse as items (for an input that parses as an
    /// item), or lacks a `compile_error!` (for one that does not): why, and
    /// the output.
    Unparsable(String),
}

thread_local! {
    /// Set while [`run`] expands on this thread: the panic hook records the
    /// message here instead of printing it.
    static CAPTURE: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Installs (once) a panic hook that captures panics of [`run`] and forwards
/// every other panic to the previous hook.
fn install_hook() {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            let captured = CAPTURE.with(|slot| {
                let mut slot = slot.borrow_mut();
                let capturing = slot.is_some();
                if capturing {
                    *slot = Some(info.to_string());
                }
                capturing
            });
            if !captured {
                previous(info);
            }
        }));
    });
}

/// Expands `item` with `args` through `expand`, catching a panic.
pub(super) fn run(expand: Expand, args: &TokenStream, item: &TokenStream) -> Outcome {
    install_hook();
    CAPTURE.with(|slot| *slot.borrow_mut() = Some(String::new()));
    let result = panic::catch_unwind(AssertUnwindSafe(|| expand(args.clone(), item.clone())));
    let message = CAPTURE.with(|slot| slot.borrow_mut().take()).unwrap_or_default();
    match result {
        Err(_) => Outcome::Panicked(message),
        Ok(output) if syn::parse2::<syn::Item>(item.clone()).is_ok() => classify(&output),
        // Input that is no item comes back as an error beside the input as
        // given (the best-effort expansion), which cannot parse either.
        Ok(output) if has_compile_error(&output) => Outcome::Rejected,
        Ok(output) => Outcome::Unparsable(format!("no compile_error! for a non-item: {output}")),
    }
}

/// Whether `output` parses as items, and whether one of them is the
/// macro's `compile_error!`.
fn classify(output: &TokenStream) -> Outcome {
    match syn::parse2::<syn::File>(output.clone()) {
        Err(error) => Outcome::Unparsable(format!("{error}: {output}")),
        Ok(file) => {
            let rejected = file.items.iter().any(|item| {
                matches!(item, syn::Item::Macro(m)
                    if m.mac.path.segments.last().is_some_and(|s| s.ident == "compile_error"))
            });
            if rejected { Outcome::Rejected } else { Outcome::Expanded }
        }
    }
}

/// Expands through both `bridge::expand` and `dual::expand` and asserts that
/// neither panics and both emit items; returns the two outcomes.
pub(super) fn assert_robust(args: &TokenStream, item: &TokenStream) -> [Outcome; 2] {
    let outcomes = [run(crate::bridge::expand, args, item), run(crate::dual::expand, args, item)];
    for (name, outcome) in ["bridge", "dual"].iter().zip(&outcomes) {
        assert!(
            matches!(outcome, Outcome::Expanded | Outcome::Rejected),
            "#[{name}({args})] on `{item}`: {outcome:?}"
        );
    }
    outcomes
}

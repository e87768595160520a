//! Bugs the corpus finds in code outside the robustness harness's reach
//! (`dual/`, `bridge/`), reported to their owners with a reproducer: the
//! corpus run counts and lists each failure that matches one, and fails only
//! on the others. Remove an entry when its bug is fixed (the run says which
//! entries a full run no longer sees).

use super::counts::Trial;

/// A known bug and how to recognise its failures.
pub(super) struct Known {
    /// Where the fix belongs (`dual/…`).
    pub(super) owner: &'static str,
    /// The bug, with a minimal reproducer.
    pub(super) what: &'static str,
    /// The trials it shows in.
    trials: &'static [Trial],
    /// A fragment of the input item's text (`proc_macro2` spacing) every
    /// matching input has.
    input_has: &'static str,
    /// A fragment of the panic message or parse error every matching failure has.
    message_has: &'static str,
}

impl Known {
    /// Whether a failure of `trial` on `input` with `message` is this bug.
    pub(super) fn matches(&self, trial: Trial, input: &str, message: &str) -> bool {
        self.trials.contains(&trial)
            && input.contains(self.input_has)
            && message.contains(self.message_has)
    }
}

/// The known bugs: none open (the `select!` statement without `;` is fixed
/// and has its unit test in `dual/rewrite/tests.rs`).
pub(super) const KNOWN: &[Known] = &[];

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

/// The known bugs.
pub(super) const KNOWN: &[Known] = &[Known {
    owner: "dual/rewrite (the blocking twin's `select!`, b6fc697)",
    what: "a braced `select! { .. }` statement without `;` followed by another statement \
           becomes `settle_await!(.., async { tokio::select! { .. } }) g();` in the blocking \
           twin: a parenthesised macro call with no `;` before the next statement, which does \
           not parse. Reproducer: `#[dual] async fn f() { tokio::select! { _ = a() => {} } \
           g(); }` → expected `;`",
    trials: &[Trial::Dual, Trial::DualMadeAsync],
    input_has: "select ! {",
    message_has: "expected `;`",
}];

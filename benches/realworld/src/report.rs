//! Counts and groups the verdicts, and prints them: per crate and option
//! set, the totals of each option set, and a summary table.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use crate::diag::{Class, Diag};
use crate::items::Kind;
use crate::measure::{Outcome, Subject, Verdict, describe};

/// The figures of one crate (or a total) under one option set.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Tally {
    /// Items annotated (cfg on).
    pub(crate) annotated: usize,
    /// Of those, per [`Kind`], in [`Kind::ALL`] order.
    pub(crate) by_kind: [usize; 5],
    /// Items found under a cfg that is off (not annotated).
    pub(crate) cfg_off: usize,
    /// Items still annotated at the end.
    pub(crate) compiling: usize,
    /// Items whose gravest error was a macro panic.
    pub(crate) panicked: usize,
    /// … unparsable macro output.
    pub(crate) unparsable: usize,
    /// … the macro's own rejection.
    pub(crate) rejected: usize,
    /// … a type-check error.
    pub(crate) failing: usize,
    /// Unattributed errors of the last run.
    pub(crate) unattributed: usize,
}

impl Tally {
    /// The figures of `outcome`.
    pub(crate) fn of(subject: &Subject, outcome: &Outcome) -> Self {
        let mut tally = Tally { unattributed: outcome.unattributed.len(), ..Tally::default() };
        for ((_, found), verdict) in subject.items.iter().zip(&outcome.verdicts) {
            let Some(verdict) = verdict else {
                tally.cfg_off += 1;
                continue;
            };
            tally.annotated += 1;
            tally.by_kind[Kind::ALL.iter().position(|k| *k == found.kind).unwrap_or(0)] += 1;
            match verdict {
                Verdict::Compiles => tally.compiling += 1,
                Verdict::Failed { class: Class::Panic, .. } => tally.panicked += 1,
                Verdict::Failed { class: Class::Unparsable, .. } => tally.unparsable += 1,
                Verdict::Failed { class: Class::Rejected, .. } => tally.rejected += 1,
                Verdict::Failed { class: Class::TypeError, .. } => tally.failing += 1,
            }
        }
        tally
    }

    /// Adds `other` to `self`.
    pub(crate) fn add(&mut self, other: &Tally) {
        self.annotated += other.annotated;
        for (a, b) in self.by_kind.iter_mut().zip(other.by_kind) {
            *a += b;
        }
        self.cfg_off += other.cfg_off;
        self.compiling += other.compiling;
        self.panicked += other.panicked;
        self.unparsable += other.unparsable;
        self.rejected += other.rejected;
        self.failing += other.failing;
        self.unattributed += other.unattributed;
    }
}

/// `part` of `whole` as a percentage with one decimal (`—` of nothing).
pub(crate) fn percent(part: usize, whole: usize) -> String {
    if whole == 0 {
        return "—".to_owned();
    }
    #[allow(clippy::cast_precision_loss)]
    let p = part as f64 * 100.0 / whole as f64;
    format!("{p:.1} %")
}

/// Items sharing one error (a rejection message, or an error code).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Group {
    /// The message's first line, or the code.
    pub(crate) key: String,
    /// How many items have it.
    pub(crate) items: usize,
    /// How many errors it counts in all.
    pub(crate) errors: usize,
    /// The first error seen: `location: headline`, and the item.
    pub(crate) example: String,
}

/// Groups the errors of the items failing with `class`: each item's errors
/// of that class by `key` (an item counts once per key). Largest first.
pub(crate) fn groups<'a>(
    failed: impl IntoIterator<Item = (String, &'a [Diag])>,
    class: Class,
    key: impl Fn(&Diag) -> String,
) -> Vec<Group> {
    let mut by_key: BTreeMap<String, Group> = BTreeMap::new();
    for (item, diags) in failed {
        let mut seen = BTreeSet::new();
        for diag in diags.iter().filter(|d| d.class() == class) {
            let k = key(diag);
            let group = by_key.entry(k.clone()).or_insert_with(|| Group {
                key: k.clone(),
                items: 0,
                errors: 0,
                example: format!("{}: {} — in {item}", diag.location(), diag.headline()),
            });
            group.errors += 1;
            if seen.insert(k) {
                group.items += 1;
            }
        }
    }
    let mut groups: Vec<Group> = by_key.into_values().collect();
    groups.sort_by(|a, b| {
        b.items.cmp(&a.items).then(b.errors.cmp(&a.errors)).then(a.key.cmp(&b.key))
    });
    groups
}

/// The failed items of `outcome` whose gravest class is `class`: name, errors.
pub(crate) fn failed_with<'a>(
    subject: &'a Subject,
    outcome: &'a Outcome,
    class: Class,
) -> impl Iterator<Item = (String, &'a [Diag])> + 'a {
    outcome.verdicts.iter().enumerate().filter_map(move |(id, v)| match v {
        Some(Verdict::Failed { class: c, diags, .. }) if *c == class => {
            Some((describe(subject, id), diags.as_slice()))
        }
        _ => None,
    })
}

/// Prints one crate's (or the total's) figures and groups.
pub(crate) fn section(out: &mut String, title: &str, tally: &Tally, runs: &[(&Subject, &Outcome)]) {
    let kinds: Vec<String> =
        Kind::ALL.iter().zip(tally.by_kind).map(|(k, n)| format!("{} {n}", k.plural())).collect();
    let _ = writeln!(out, "\n{title}");
    let _ = writeln!(
        out,
        "  annotated   {:>4}  ({}); {} more under a cfg that is off",
        tally.annotated,
        kinds.join(", "),
        tally.cfg_off
    );
    let _ = writeln!(
        out,
        "  compiling   {:>4}  ({})",
        tally.compiling,
        percent(tally.compiling, tally.annotated)
    );
    let all = |class| runs.iter().flat_map(move |(s, o)| failed_with(s, o, class));
    for (label, count, class) in [
        ("panicked", tally.panicked, Class::Panic),
        ("unparsable", tally.unparsable, Class::Unparsable),
        ("rejected", tally.rejected, Class::Rejected),
        ("failing", tally.failing, Class::TypeError),
    ] {
        let what = match class {
            Class::Panic => "the macro panicked",
            Class::Unparsable => "the macro's output does not parse",
            Class::Rejected => "by the macro's own errors, by message (names elided)",
            Class::TypeError => "type-check, by error code (items, errors)",
        };
        let _ = writeln!(out, "  {label:<10}  {count:>4}  {what}");
        let key = |d: &Diag| match class {
            Class::TypeError => d.group_key(),
            // The panic's payload is in a note: `message: expected `,``.
            Class::Panic => {
                let payload = d.notes.iter().find_map(|n| n.strip_prefix("message: "));
                format!("{}: {}", d.headline(), payload.unwrap_or("(no message)"))
            }
            _ => crate::diag::elide_quoted(d.headline()),
        };
        for group in groups(all(class), class, key) {
            let _ = writeln!(
                out,
                "      {:>3} items, {:>3} errors  {}",
                group.items, group.errors, group.key
            );
            let _ = writeln!(out, "                         e.g. {}", group.example);
        }
    }
    let _ = writeln!(out, "  unattributed errors in the last run: {}", tally.unattributed);
    for (_, outcome) in runs {
        for diag in &outcome.unattributed {
            let _ = writeln!(out, "      {}: {}", diag.location(), diag.headline());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn diag(code: Option<&str>, message: &str) -> Diag {
        Diag {
            code: code.map(str::to_owned),
            message: message.to_owned(),
            primary: Vec::new(),
            secondary: Vec::new(),
            notes: Vec::new(),
            rendered: String::new(),
        }
    }

    #[test]
    fn groups_count_items_once_per_key_and_sort_by_items() {
        let one = [
            diag(Some("E0308"), "mismatched"),
            diag(Some("E0308"), "again"),
            diag(None, "#[dual] no"),
        ];
        let two = [diag(Some("E0277"), "bound"), diag(Some("E0308"), "mismatched")];
        let three = [diag(Some("E0277"), "bound")];
        let failed =
            [("a".to_owned(), &one[..]), ("b".to_owned(), &two[..]), ("c".to_owned(), &three[..])];
        let g = groups(failed.iter().cloned(), Class::TypeError, Diag::group_key);
        let summary: Vec<(&str, usize, usize)> =
            g.iter().map(|g| (g.key.as_str(), g.items, g.errors)).collect();
        assert_eq!(summary, [("E0308", 2, 3), ("E0277", 2, 2)]);
        assert_eq!(g[0].example, "(no location): mismatched — in a");
        let r = groups(failed.iter().cloned(), Class::Rejected, |d| d.headline().to_owned());
        assert_eq!((r.len(), r[0].key.as_str(), r[0].items), (1, "#[dual] no", 1));
    }

    #[test]
    fn tallies_add_and_percent() {
        let mut total = Tally::default();
        let one = Tally {
            annotated: 3,
            by_kind: [1, 2, 0, 0, 0],
            compiling: 2,
            failing: 1,
            ..Tally::default()
        };
        total.add(&one);
        total.add(&one);
        assert_eq!((total.annotated, total.by_kind[1], total.compiling), (6, 4, 4));
        assert_eq!(percent(2, 3), "66.7 %");
        assert_eq!(percent(0, 0), "—");
    }
}

//! Measures one crate: checks the unmodified copy (the baseline: it must
//! compile, and it tells which files rustc reads and which features are on),
//! finds the items to annotate, then annotates and re-checks until the
//! verdicts settle.
//!
//! **Cascades.** rustc stops early on some errors (an error while collecting
//! types stops it before bodies are checked; a type error stops it before
//! borrow checking), so one broken item can hide the errors of others. So
//! the check is iterated: each round annotates the items still alive, runs
//! `cargo check`, and every item an error is attributed to is marked failing
//! (with that round's errors) and loses its attribute for the next round.
//! The loop ends on the first round that attributes no error to a live item.
//! An item counts as compiling only if it is still annotated then; when that
//! last round has no error at all (reported as "last run clean"), rustc went
//! through every phase with all those items' twins in the crate.
//!
//! The other direction: an item whose expansion vanished (a panic) or does
//! not parse makes the items that use it fail to resolve it. So a round in
//! which some item panicked or was unparsable fails only those items; the
//! others are judged again in the next round, without them. (Other failing
//! items keep their names: the macro emits a best-effort expansion beside
//! its errors, and a type error does not remove an item.)

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::annotate::annotate;
use crate::cfg::CfgSet;
use crate::check::{self, cargo_check};
use crate::crates::{self, Source};
use crate::diag::{Class, Diag, Index, Owner};
use crate::items::{Found, find_items};

/// The rounds after which the loop gives up (each removes at least one item).
const MAX_ROUNDS: usize = 12;

/// A crate ready to be measured: its work copy, files and items.
#[derive(Debug)]
pub(crate) struct Subject {
    /// Which crate (its pristine source).
    pub(crate) krate: Source,
    /// The work copy's manifest.
    pub(crate) manifest: PathBuf,
    /// The `.rs` files rustc reads for the library: relative path, text.
    pub(crate) files: Vec<(String, String)>,
    /// Every item found, with the index of its file in `files`.
    pub(crate) items: Vec<(usize, Found)>,
    /// Files syn cannot parse (their items are not annotated).
    pub(crate) unparsed: Vec<String>,
}

/// What happened to one annotated item.
#[derive(Debug, Clone)]
pub(crate) enum Verdict {
    /// Still annotated when no error was left to attribute.
    Compiles,
    /// Errors were attributed to it in `round`.
    Failed {
        /// The round (1-based).
        round: usize,
        /// The gravest class among its errors.
        class: Class,
        /// Its errors in that round.
        diags: Vec<Diag>,
    },
}

/// One crate under one option set.
#[derive(Debug)]
pub(crate) struct Outcome {
    /// Per item of the subject; `None` for items not annotated (cfg off).
    pub(crate) verdicts: Vec<Option<Verdict>>,
    /// The errors of the last run that no item owns.
    pub(crate) unattributed: Vec<Diag>,
    /// How many errors of the last run at all (0: clean).
    pub(crate) last_run_errors: usize,
    /// `cargo check` runs.
    pub(crate) rounds: usize,
    /// Whether the loop ended before [`MAX_ROUNDS`].
    pub(crate) converged: bool,
    /// Wall time.
    pub(crate) seconds: f64,
}

/// Copies `krate` into `work`, checks it unmodified and finds its items.
pub(crate) fn baseline(
    krate: Source,
    work: &Path,
    target: &Path,
    twoworlds: &Path,
    print_cfg: &str,
) -> Result<Subject, String> {
    let dir = work.join(krate.dir_name());
    let manifest = crates::prepare(&krate, &dir, twoworlds)?;
    let check = cargo_check(&manifest, target)?;
    if !check.success || !check.ours.is_empty() || !check.foreign.is_empty() {
        let errors: Vec<&str> = check.ours.iter().map(|d| d.rendered.as_str()).collect();
        return Err(format!(
            "the unmodified crate does not compile:\n{}{}\n{}",
            errors.join("\n"),
            check.foreign.join("\n"),
            check.stderr_tail
        ));
    }
    crates::keep_lock(&krate, &dir)?;
    let rmeta = check.rmeta.ok_or("cargo reported no .rmeta for the crate")?;
    let dep_info = check::dep_info_path(&rmeta).ok_or("no dep-info path")?;
    let dep_info =
        fs::read_to_string(&dep_info).map_err(|e| format!("{}: {e}", dep_info.display()))?;
    let cfg = CfgSet::new(print_cfg, &check.features);
    let mut subject =
        Subject { krate, manifest, files: Vec::new(), items: Vec::new(), unparsed: Vec::new() };
    for rel in check::dep_info_sources(&dep_info, &dir) {
        let text = fs::read_to_string(dir.join(&rel)).map_err(|e| format!("{rel}: {e}"))?;
        match find_items(&text, &cfg) {
            Ok(found) => subject.items.extend(found.into_iter().map(|f| (subject.files.len(), f))),
            Err(error) => subject.unparsed.push(format!("{rel}:{error}")),
        }
        subject.files.push((rel, text));
    }
    Ok(subject)
}

/// Annotates the live items of `subject` with `attr` (every file rewritten
/// from its original text) and returns where they are.
fn write_annotated(subject: &Subject, live: &[bool], attr: &str) -> Result<Index, String> {
    let dir = subject.manifest.parent().ok_or("manifest without a directory")?;
    let mut index = Index::default();
    for (file_id, (rel, text)) in subject.files.iter().enumerate() {
        let chosen: Vec<usize> = (0..subject.items.len())
            .filter(|&i| live[i] && subject.items[i].0 == file_id)
            .collect();
        let found: Vec<&Found> = chosen.iter().map(|&i| &subject.items[i].1).collect();
        let (annotated, ranges) = annotate(text, &found, attr);
        for (range, &id) in ranges.into_iter().zip(&chosen) {
            index.add(rel, range, id);
        }
        crates::write(&dir.join(rel), &annotated)?;
    }
    Ok(index)
}

/// Runs the rounds (see the module docs) with attribute text `attr`; writes
/// each round's errors and their owners to `log`.
pub(crate) fn measure(
    subject: &Subject,
    attr: &str,
    target: &Path,
    log: &Path,
) -> Result<Outcome, String> {
    let started = Instant::now();
    let mut live: Vec<bool> = subject.items.iter().map(|(_, f)| f.active).collect();
    let mut verdicts: Vec<Option<Verdict>> = vec![None; subject.items.len()];
    let mut journal = String::new();
    let mut outcome = None;
    for round in 1..=MAX_ROUNDS {
        let index = write_annotated(subject, &live, attr)?;
        let check = cargo_check(&subject.manifest, target)?;
        if !check.foreign.is_empty() {
            return Err(format!("a dependency failed to compile:\n{}", check.foreign.join("\n")));
        }
        if !check.success && check.ours.is_empty() {
            return Err(format!(
                "cargo check failed without errors of the crate:\n{}",
                check.stderr_tail
            ));
        }
        let (mut failed, unattributed) = attribute(&index, &check.ours);
        // An item whose expansion vanished (a panic) or did not parse breaks
        // the items that use it: remove only those this round.
        let gravest =
            |diags: &[Diag]| diags.iter().map(Diag::class).min().unwrap_or(Class::TypeError);
        if failed.values().any(|d| gravest(d) <= Class::Unparsable) {
            failed.retain(|_, d| gravest(d) <= Class::Unparsable);
        }
        log_round(&mut journal, subject, round, &check.ours, &index);
        if failed.is_empty() {
            let last_run_errors = check.ours.len();
            outcome = Some((unattributed, last_run_errors, round, true));
            break;
        }
        for (id, diags) in failed {
            live[id] = false;
            let class = gravest(&diags);
            verdicts[id] = Some(Verdict::Failed { round, class, diags });
        }
        if round == MAX_ROUNDS {
            outcome = Some((unattributed, check.ours.len(), round, false));
        }
    }
    crates::write(log, &journal)?;
    let (unattributed, last_run_errors, rounds, converged) = outcome.ok_or("no round ran")?;
    for (id, alive) in live.iter().enumerate() {
        if *alive {
            verdicts[id] = Some(Verdict::Compiles);
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    Ok(Outcome { verdicts, unattributed, last_run_errors, rounds, converged, seconds })
}

/// Splits `diags` into those of each item (by [`Index::owner`]) and the
/// unattributed rest.
fn attribute(index: &Index, diags: &[Diag]) -> (BTreeMap<usize, Vec<Diag>>, Vec<Diag>) {
    let mut failed: BTreeMap<usize, Vec<Diag>> = BTreeMap::new();
    let mut unattributed = Vec::new();
    for diag in diags {
        match index.owner(diag) {
            Owner::Direct(id) | Owner::ViaNote(id) => {
                failed.entry(id).or_default().push(diag.clone());
            }
            Owner::Unattributed => unattributed.push(diag.clone()),
        }
    }
    (failed, unattributed)
}

/// Appends one round's errors, each with its owner, to `journal`.
fn log_round(journal: &mut String, subject: &Subject, round: usize, diags: &[Diag], index: &Index) {
    let _ = writeln!(journal, "===== round {round}: {} errors", diags.len());
    for diag in diags {
        let owner = match index.owner(diag) {
            Owner::Direct(id) => format!("item {}", describe(subject, id)),
            Owner::ViaNote(id) => format!("item {} (through a note)", describe(subject, id)),
            Owner::Unattributed => "unattributed".to_owned(),
        };
        let _ = writeln!(journal, "--- {owner} · {:?}\n{}", diag.class(), diag.rendered);
    }
}

/// `impl Pool<M> (src/api.rs:120)`.
pub(crate) fn describe(subject: &Subject, id: usize) -> String {
    let (file, found) = &subject.items[id];
    format!("{} ({}:{})", found.name, subject.files[*file].0, found.start.line)
}

//! What the corpus run saw, per way of trying an item ([`Trial`]), and the
//! failures: unknown ones fail the test, known ones ([`super::known`]) are
//! counted and listed but do not.

use std::collections::BTreeMap;
use std::fmt;

use proc_macro2::TokenStream;

use super::super::harness::{BRIDGE, DUAL, Expand, Outcome, run};
use super::known::{KNOWN, Known};

/// One way the corpus tries an item.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Trial {
    /// `#[bridge]` on the item as written.
    Bridge,
    /// `#[dual]` on the item as written (it has an async fn).
    Dual,
    /// `#[bridge]` on the item with every fn made async.
    BridgeMadeAsync,
    /// `#[dual]` on the item with every fn made async.
    DualMadeAsync,
}

impl Trial {
    /// Every trial, in the order the counts are printed.
    pub(super) const ALL: [Self; 4] =
        [Self::Bridge, Self::Dual, Self::BridgeMadeAsync, Self::DualMadeAsync];

    /// The attribute's name.
    pub(super) fn macro_name(self) -> &'static str {
        match self {
            Self::Bridge | Self::BridgeMadeAsync => "bridge",
            Self::Dual | Self::DualMadeAsync => "dual",
        }
    }

    /// What the trial's input is.
    fn input(self) -> &'static str {
        match self {
            Self::Bridge => "every fn, impl with fns, trait, inline mod with async fns, as written",
            Self::Dual => "those with an async fn, as written",
            Self::BridgeMadeAsync | Self::DualMadeAsync => {
                "every fn, impl, trait, inline mod with a sync fn, every fn made async"
            }
        }
    }

    /// The expansion function.
    fn expand(self) -> Expand {
        match self {
            Self::Bridge | Self::BridgeMadeAsync => BRIDGE,
            Self::Dual | Self::DualMadeAsync => DUAL,
        }
    }
}

/// The outcomes of one trial.
#[derive(Debug, Default, Clone, Copy)]
pub(super) struct Tally {
    /// Items handed to the macro.
    pub(super) tried: usize,
    /// Expansions without a `compile_error!`.
    expanded: usize,
    /// Expansions that reported a `compile_error!`.
    rejected: usize,
    /// Expansions that panicked (must stay 0 but for known bugs).
    panicked: usize,
    /// Expansions whose output does not parse as items, as tokens or after a
    /// round trip through text (must stay 0 but for known bugs).
    unparsable: usize,
    /// Of the panicked and unparsable, those matching a [`KNOWN`] bug.
    known: usize,
}

impl Tally {
    /// Adds `other`'s figures.
    fn add(&mut self, other: &Self) {
        self.tried += other.tried;
        self.expanded += other.expanded;
        self.rejected += other.rejected;
        self.panicked += other.panicked;
        self.unparsable += other.unparsable;
        self.known += other.known;
    }
}

impl fmt::Display for Tally {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} items tried: {} expanded, {} rejected with a compile error, \
             {} panicked, {} unparsable output ({} of these known bugs)",
            self.tried, self.expanded, self.rejected, self.panicked, self.unparsable, self.known
        )
    }
}

/// One known bug's hits.
#[derive(Default)]
struct KnownHits {
    /// How many failures matched it.
    count: usize,
    /// The first few, as `#[macro] on origin`.
    examples: Vec<String>,
}

/// What the corpus run saw and what the expansions did.
#[derive(Default)]
pub(super) struct Counts {
    /// Crates of the lock file found on disk.
    pub(super) crates: usize,
    /// Files syn parsed.
    pub(super) files: usize,
    /// Files syn could not parse (nightly syntax, templates): skipped.
    pub(super) skipped_files: usize,
    /// Per trial.
    tallies: BTreeMap<Trial, Tally>,
    /// The first few failures that match no known bug (they fail the test).
    pub(super) failures: Vec<String>,
    /// Failures matching each entry of [`KNOWN`], by index.
    known: BTreeMap<usize, KnownHits>,
}

impl Counts {
    /// Runs `trial` on `item` (found at `origin`) and records the outcome.
    pub(super) fn expand(&mut self, trial: Trial, item: &TokenStream, origin: &str) {
        let tally = self.tallies.entry(trial).or_default();
        tally.tried += 1;
        let name = trial.macro_name();
        let (message, outcome) = match run(trial.expand(), &TokenStream::new(), item) {
            Outcome::Expanded => return tally.expanded += 1,
            Outcome::Rejected => return tally.rejected += 1,
            Outcome::Panicked(message) => {
                tally.panicked += 1;
                (message, "panicked")
            }
            Outcome::Unparsable(error) => {
                tally.unparsable += 1;
                (error, "output does not parse")
            }
        };
        let failure = format!("#[{name}] on {origin}: {outcome}: {}", shortened(&message));
        let input = item.to_string();
        if let Some(index) = KNOWN.iter().position(|k| k.matches(trial, &input, &message)) {
            tally.known += 1;
            let hits = self.known.entry(index).or_default();
            hits.count += 1;
            if hits.examples.len() < 3 {
                hits.examples.push(failure);
            }
        } else if self.failures.len() < 10 {
            self.failures.push(failure);
        }
    }

    /// All trials together.
    pub(super) fn total(&self) -> Tally {
        let mut total = Tally::default();
        self.tallies.values().for_each(|tally| total.add(tally));
        total
    }

    /// Known bugs no failure of this run matched (fixed, or not in the sample).
    pub(super) fn unseen_known(&self) -> Vec<&'static Known> {
        (0..KNOWN.len()).filter(|i| !self.known.contains_key(i)).map(|i| &KNOWN[i]).collect()
    }
}

impl fmt::Display for Counts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "corpus: {} crates, {} files parsed ({} skipped: syn cannot parse them); {}",
            self.crates,
            self.files,
            self.skipped_files,
            self.total()
        )?;
        for trial in Trial::ALL {
            let tally = self.tallies.get(&trial).copied().unwrap_or_default();
            write!(f, "\n  #[{}] on {}: {tally}", trial.macro_name(), trial.input())?;
        }
        for (index, hits) in &self.known {
            let known = &KNOWN[*index];
            write!(f, "\nknown bug ({} hits), {}: {}", hits.count, known.owner, known.what)?;
            for example in &hits.examples {
                write!(f, "\n    e.g. {example}")?;
            }
        }
        Ok(())
    }
}

/// `message` cut to a few hundred characters (an unparsable output comes
/// with the whole output).
fn shortened(message: &str) -> String {
    const MAX: usize = 400;
    match message.char_indices().nth(MAX) {
        Some((at, _)) => format!("{} …", &message[..at]),
        None => message.to_owned(),
    }
}

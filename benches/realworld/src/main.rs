//! The real-crate harness of `#[twoworlds::dual]`: puts the attribute on
//! every async item of real crates.io crates (pinned versions, downloaded by
//! cargo at run time), type-checks them with `cargo check` — the real proc
//! macro run by rustc, as users run it — and prints, per crate and in total
//! for each option set, how many items were annotated, rejected by the
//! macro, failing type-check, and compiling. See README.md beside
//! Cargo.toml; run it through `bash benches/realworld/run.sh`.
//!
//! Usage: `twoworlds-realworld [--short] [--crates a,b] [--path DIR].. [--options o,p] [--work DIR]`
//! - `--short`: the short form (the crates marked short, default options);
//! - `--crates`: a subset of the pinned crates, by name;
//! - `--path`: (repeatable) a local crate to measure, instead of the pinned
//!   ones unless `--crates` names some too; it is copied, never modified;
//! - `--options`: a subset of `default`, `strict`, `tokio_to_std`;
//! - `--work`: where the copies, the check target and the logs go
//!   (default `benches/realworld/target/realworld`).
//!
//! Exit status: 0; 1 when the macro panicked or produced unparsable output
//! on some item; 2 when the harness itself could not measure a crate.

mod annotate;
mod cfg;
mod check;
mod crates;
mod diag;
mod items;
mod measure;
mod report;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

use crates::{CRATES, Pinned};
use measure::{Outcome, Subject, Verdict};
use report::{Tally, percent};

/// The option sets: name, attribute text.
const OPTIONS: &[(&str, &str)] = &[
    ("default", "#[twoworlds::dual]"),
    ("strict", "#[twoworlds::dual(strict)]"),
    ("tokio_to_std", "#[twoworlds::dual(tokio_to_std)]"),
];

/// What to run.
struct Args {
    crates: Vec<Pinned>,
    paths: Vec<PathBuf>,
    options: Vec<(&'static str, &'static str)>,
    work: PathBuf,
}

/// Parses the command line (see the module docs).
fn parse_args() -> Result<Args, String> {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut args = Args {
        crates: CRATES.to_vec(),
        paths: Vec::new(),
        options: OPTIONS.to_vec(),
        work: here.join("target/realworld"),
    };
    let mut pinned_named = false;
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--short" => {
                args.crates.retain(|c| c.short);
                args.options.truncate(1);
            }
            "--crates" => {
                let names = it.next().ok_or("--crates needs a list")?;
                let names: Vec<&str> = names.split(',').collect();
                if let Some(bad) = names.iter().find(|n| !CRATES.iter().any(|c| c.name == **n)) {
                    return Err(format!("unknown crate `{bad}`"));
                }
                args.crates.retain(|c| names.contains(&c.name));
                pinned_named = true;
            }
            "--path" => {
                args.paths.push(PathBuf::from(it.next().ok_or("--path needs a directory")?));
            }
            "--options" => {
                let names = it.next().ok_or("--options needs a list")?;
                let names: Vec<&str> = names.split(',').collect();
                if let Some(bad) = names.iter().find(|n| !OPTIONS.iter().any(|o| o.0 == **n)) {
                    return Err(format!("unknown option set `{bad}`"));
                }
                args.options.retain(|o| names.contains(&o.0));
            }
            "--work" => args.work = PathBuf::from(it.next().ok_or("--work needs a directory")?),
            other => {
                return Err(format!(
                    "unknown argument `{other}` (see benches/realworld/README.md)"
                ));
            }
        }
    }
    if !args.paths.is_empty() && !pinned_named {
        args.crates.clear();
    }
    Ok(args)
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(args) => args,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::from(2);
        }
    };
    match run(&args) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::from(2)
        }
    }
}

/// Runs everything; `Ok(false)` when the macro panicked or emitted
/// unparsable output.
fn run(args: &Args) -> Result<bool, String> {
    let started = Instant::now();
    let twoworlds = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let twoworlds =
        twoworlds.canonicalize().map_err(|e| format!("{}: {e}", twoworlds.display()))?;
    std::fs::create_dir_all(&args.work).map_err(|e| format!("{}: {e}", args.work.display()))?;
    let work = args.work.canonicalize().map_err(|e| e.to_string())?;
    let (target, logs) = (work.join("target"), work.join("logs"));
    std::fs::create_dir_all(&logs).map_err(|e| e.to_string())?;
    let print_cfg = rustc_print_cfg()?;
    let mut sources = Vec::new();
    for krate in &args.crates {
        eprintln!("== {} {}: download", krate.name, krate.version);
        sources.push(crates::fetch(krate, &work)?);
    }
    for dir in &args.paths {
        sources.push(crates::local(dir)?);
    }
    let mut subjects = Vec::new();
    for source in sources {
        eprintln!("== {} {}: check unmodified", source.name, source.version);
        let name = source.dir_name();
        let subject = measure::baseline(source, &work, &target, &twoworlds, &print_cfg)
            .map_err(|e| format!("{name}: {e}"))?;
        subjects.push(subject);
    }
    let mut results: Vec<(&str, Vec<Outcome>)> = Vec::new();
    for &(option, attr) in &args.options {
        let mut outcomes = Vec::new();
        for subject in &subjects {
            eprintln!("== {} {}: {attr}", subject.krate.name, subject.krate.version);
            let log = logs.join(format!("{}-{option}.log", subject.krate.dir_name()));
            let outcome = measure::measure(subject, attr, &target, &log)
                .map_err(|e| format!("{} under {attr}: {e}", subject.krate.dir_name()))?;
            eprintln!("   {} check runs, {:.0} s", outcome.rounds, outcome.seconds);
            outcomes.push(outcome);
        }
        results.push((option, outcomes));
    }
    let text = render(&subjects, &results, &twoworlds, started.elapsed().as_secs_f64(), &logs);
    print!("{text}");
    crates::write(&logs.join("items.tsv"), &items_tsv(&subjects, &results))?;
    Ok(!results.iter().flat_map(|(_, outcomes)| outcomes).any(macro_broke))
}

/// Whether the macro panicked or emitted unparsable output in `outcome`
/// (on an item, or in an error no item owns: the unmodified crate compiled).
fn macro_broke(outcome: &Outcome) -> bool {
    let broke = |class: diag::Class| class <= diag::Class::Unparsable;
    outcome
        .verdicts
        .iter()
        .any(|v| matches!(v, Some(Verdict::Failed { class, .. }) if broke(*class)))
        || outcome.unattributed.iter().any(|d| broke(d.class()))
}

/// `rustc --print cfg`: the target's cfgs (`unix`, `target_os="linux"`, …).
fn rustc_print_cfg() -> Result<String, String> {
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".to_owned());
    let output =
        Command::new(rustc).args(["--print", "cfg"]).output().map_err(|e| e.to_string())?;
    if !output.status.success() {
        return Err(format!("rustc --print cfg: {}", String::from_utf8_lossy(&output.stderr)));
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

/// The whole report: per option set, each crate and the total; then the
/// summary table.
fn render(
    subjects: &[Subject],
    results: &[(&str, Vec<Outcome>)],
    twoworlds: &Path,
    secs: f64,
    logs: &Path,
) -> String {
    let mut out = String::new();
    let commit = Command::new("git")
        .args(["-C", &twoworlds.to_string_lossy(), "rev-parse", "--short", "HEAD"])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "realworld: #[dual] of twoworlds at {commit} on every async item of real crates"
    );
    let mut summary = Vec::new();
    for (option, outcomes) in results {
        let mut total = Tally::default();
        let mut runs = Vec::new();
        for (subject, outcome) in subjects.iter().zip(outcomes) {
            let tally = Tally::of(subject, outcome);
            let title = format!(
                "== {} {} · {option} · {} check runs, {:.0} s, last run {}",
                subject.krate.name,
                subject.krate.version,
                outcome.rounds,
                outcome.seconds,
                last_run(outcome)
            );
            report::section(&mut out, &title, &tally, &[(subject, outcome)]);
            if !subject.unparsed.is_empty() {
                let _ = writeln!(
                    out,
                    "  files syn cannot parse (not annotated): {}",
                    subject.unparsed.join("; ")
                );
            }
            total.add(&tally);
            summary.push((*option, subject.krate.dir_name(), tally));
            runs.push((subject, outcome));
        }
        report::section(&mut out, &format!("== total · {option}"), &total, &runs);
        summary.push((*option, "total".to_owned(), total));
    }
    let _ = writeln!(
        out,
        "\n== summary (compiling = twins type-check; strict: without any block_on bridge)"
    );
    let _ = writeln!(
        out,
        "{:<13} {:<22} {:>9} {:>15} {:>8} {:>7} {:>8} {:>10}",
        "options",
        "crate",
        "annotated",
        "compiling",
        "rejected",
        "failing",
        "panicked",
        "unparsable"
    );
    for (option, name, t) in &summary {
        let compiling = format!("{} ({})", t.compiling, percent(t.compiling, t.annotated));
        let _ = writeln!(
            out,
            "{option:<13} {name:<22} {:>9} {compiling:>15} {:>8} {:>7} {:>8} {:>10}",
            t.annotated, t.rejected, t.failing, t.panicked, t.unparsable
        );
    }
    let _ = writeln!(
        out,
        "\nrealworld: {:.0} s in all; every round's errors: {}",
        secs,
        logs.display()
    );
    out
}

/// `clean`, `N errors, none attributable`, or `did not settle`.
fn last_run(outcome: &Outcome) -> String {
    match (outcome.converged, outcome.last_run_errors) {
        (false, _) => "did not settle".to_owned(),
        (true, 0) => "clean".to_owned(),
        (true, n) => format!("{n} errors, none attributable"),
    }
}

/// One line per annotated item and option set: crate, options, item,
/// verdict, first error.
fn items_tsv(subjects: &[Subject], results: &[(&str, Vec<Outcome>)]) -> String {
    let mut out = String::from("crate\toptions\titem\tverdict\tround\tfirst error\n");
    for (option, outcomes) in results {
        for (subject, outcome) in subjects.iter().zip(outcomes) {
            for (id, verdict) in outcome.verdicts.iter().enumerate() {
                let item = measure::describe(subject, id);
                let (verdict, round, first) = match verdict {
                    None => continue,
                    Some(Verdict::Compiles) => {
                        ("compiles".to_owned(), String::new(), String::new())
                    }
                    Some(Verdict::Failed { round, class, diags }) => {
                        let first =
                            diags.iter().find(|d| d.class() == *class).map_or(String::new(), |d| {
                                format!(
                                    "{} {}: {}",
                                    d.code.as_deref().unwrap_or("-"),
                                    d.location(),
                                    d.headline()
                                )
                            });
                        (format!("{class:?}"), round.to_string(), first)
                    }
                };
                let _ = writeln!(
                    out,
                    "{}\t{option}\t{item}\t{verdict}\t{round}\t{first}",
                    subject.krate.dir_name()
                );
            }
        }
    }
    out
}

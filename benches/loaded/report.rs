//! The figures of the rounds: a table on stdout, and every sample as JSON
//! for `benches/report.py`.

use std::thread;
use std::time::Duration;

use super::Contender;
use super::quiet::Seen;

/// The two modes, in sample order.
pub(super) const MODES: [&str; 2] = ["quiet", "loaded"];

/// What a quiet pass saw of the other processes on the machine.
#[derive(Default)]
pub(super) struct QuietPass {
    /// How long it waited for the machine to idle before it started.
    pub(super) waited: Duration,
    /// The cores others kept busy during the last look before it started.
    pub(super) before: f64,
    /// What others did during the batches recorded.
    pub(super) during: Seen,
    /// Batches redone because others were busy during them.
    pub(super) redone: usize,
}

/// The median of `values` (0 when empty).
fn median(values: impl Iterator<Item = f64>) -> f64 {
    let mut values: Vec<f64> = values.collect();
    values.sort_by(f64::total_cmp);
    match values.len() {
        0 => 0.0,
        n if n % 2 == 1 => values[n / 2],
        n => f64::midpoint(values[n / 2 - 1], values[n / 2]),
    }
}

/// The peer a row's ratios divide by.
fn reference(row: &str) -> &'static str {
    match row {
        "unblock_roundtrip_mt_worker" | "unblock_roundtrip_current_thread" | "unblock_10k_1ms" => {
            "tokio_spawn_blocking"
        }
        _ => "tokio_handle",
    }
}

/// The median over the rounds of `c`'s figure (`pick`) ÷ `peer`'s in the
/// same round.
fn round_ratio(c: &Contender, peer: &Contender, mode: usize, pick: fn(&(f64, f64)) -> f64) -> f64 {
    median(c.samples[mode].iter().zip(&peer.samples[mode]).map(|(a, b)| pick(a) / pick(b)))
}

/// Prints each row's medians, quiet and loaded, and the ratios to tokio
/// (the median of each round's ratio).
pub(super) fn print_table(contenders: &[Contender], passes: &[QuietPass]) {
    for (round, pass) in passes.iter().enumerate() {
        println!(
            "quiet pass {}: waited {:.1} s for the machine to idle (others {:.2} cores), others \
             {:.2} cores during it, {} batches redone",
            round + 1,
            pass.waited.as_secs_f64(),
            pass.before,
            pass.during.cores(),
            pass.redone
        );
    }
    for (mode, mode_name) in MODES.iter().enumerate() {
        println!(
            "\n{mode_name}: medians over the rounds, per operation; ÷ tokio in the same round"
        );
        for c in contenders.iter().filter(|c| !c.samples[mode].is_empty()) {
            let wall = median(c.samples[mode].iter().map(|s| s.0));
            let cpu = median(c.samples[mode].iter().map(|s| s.1));
            let peer = contenders.iter().find(|p| p.row == c.row && p.name == reference(c.row));
            let (wall_ratio, cpu_ratio) = peer.map_or((f64::NAN, f64::NAN), |p| {
                (round_ratio(c, p, mode, |s| s.0), round_ratio(c, p, mode, |s| s.1))
            });
            println!(
                "{:34} {:24} wall {:>12.0} ns  cpu {:>12.0} ns   ÷ tokio: wall {wall_ratio:5.2}×  \
                 cpu {cpu_ratio:5.2}×",
                c.row, c.name, wall, cpu,
            );
        }
    }
}

/// The machine's load when a quiet pass starts: the 1-minute load average
/// and the threads runnable right now (`/proc/loadavg`; this one included).
pub(super) fn load_now() -> String {
    let loadavg = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    let fields: Vec<&str> = loadavg.split_whitespace().collect();
    match (fields.first(), fields.get(3).and_then(|f| f.split('/').next())) {
        (Some(average), Some(running)) => format!("[{average},{running}]"),
        _ => "null".to_owned(),
    }
}

/// Writes every sample as JSON, for `benches/report.py`, with the load at the
/// start of each quiet pass and what other processes did around it.
pub(super) fn write_json(
    path: &std::ffi::OsStr,
    rounds: usize,
    loads: &[String],
    passes: &[QuietPass],
    contenders: &[Contender],
) {
    let passes: Vec<String> = passes
        .iter()
        .map(|p| {
            format!(
                "{{\"waited_s\":{:.1},\"others_before\":{:.3},\"others_during\":{:.3},\"redone\":{}}}",
                p.waited.as_secs_f64(),
                p.before,
                p.during.cores(),
                p.redone
            )
        })
        .collect();
    let list = |v: &[(f64, f64)], pick: fn(&(f64, f64)) -> f64| {
        v.iter().map(|s| format!("{:.1}", pick(s))).collect::<Vec<_>>().join(",")
    };
    let entries: Vec<String> = contenders
        .iter()
        .map(|c| {
            let modes: Vec<String> = MODES
                .iter()
                .enumerate()
                .map(|(m, name)| {
                    let (wall, cpu) = (list(&c.samples[m], |s| s.0), list(&c.samples[m], |s| s.1));
                    format!("\"{name}\":{{\"wall_ns\":[{wall}],\"cpu_ns\":[{cpu}]}}")
                })
                .collect();
            format!("{{\"row\":\"{}\",\"name\":\"{}\",{}}}", c.row, c.name, modes.join(","))
        })
        .collect();
    let cores = thread::available_parallelism().map_or(1, std::num::NonZero::get);
    let json = format!(
        "{{\"rounds\":{rounds},\"cores\":{cores},\"quiet_load\":[{}],\"quiet_passes\":[{}],\"contenders\":[\n{}\n]}}\n",
        loads.join(","),
        passes.join(","),
        entries.join(",\n")
    );
    std::fs::write(path, json).expect("writing the loaded-mode report");
}

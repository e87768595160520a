//! Zero cost: the blocking twin `#[dual]` writes by transformation against
//! the same functions written by hand in sync Rust. The ratio must be 1.00
//! within noise: the twin is plain sync code, with no runtime in the way.
//!
//! Two bodies: a loop-heavy checksum that calls a helper of the same module
//! on every byte (a call `#[dual]` rewrites to the helper's twin), and an I/O
//! round trip on a temp file (`tokio::fs` in the async twin, `std::fs` in the
//! blocking one through the `tokio_to_std` preset).
//!
//! Both are `#[inline(never)]` (the attribute reaches the twin), so the bench
//! calls the functions themselves and `benches/run.sh` can compare their
//! machine code: identical instructions settle "zero cost" beyond noise.

mod common;

use std::hint::black_box;
use std::path::{Path, PathBuf};

use criterion::{Criterion, criterion_group, criterion_main};

/// The functions, written once as async; `work::blocking` is their twin.
#[twoworlds::dual(tokio_to_std)]
mod work {
    /// One FNV-1a step (async only so the checksum's call of it is an `.await`).
    #[allow(clippy::unused_async)]
    pub(crate) async fn mix(hash: u64, byte: u8) -> u64 {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    }

    /// FNV-1a of `data`, a call of [`mix`] per byte.
    #[inline(never)]
    pub(crate) async fn checksum(data: &[u8]) -> u64 {
        let mut hash = 0xcbf2_9ce4_8422_2325;
        for &byte in data {
            hash = mix(hash, byte).await;
        }
        hash
    }

    /// Writes `data` to `path`, reads it back and returns its checksum.
    #[inline(never)]
    pub(crate) async fn round_trip(path: &std::path::Path, data: &[u8]) -> std::io::Result<u64> {
        tokio::fs::write(path, data).await?;
        let back = tokio::fs::read(path).await?;
        Ok(checksum(&back).await)
    }
}

/// The checksum again, as separately annotated fns: the twin of `checksum`
/// awaits `mix`'s `#[dual]` future, which the settling runs as `mix`'s own
/// twin.
mod separate {
    /// One FNV-1a step.
    #[allow(clippy::unused_async)]
    #[twoworlds::dual]
    pub(crate) async fn mix(hash: u64, byte: u8) -> u64 {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    }

    /// FNV-1a of `data`, a call of [`mix`] per byte.
    #[inline(never)]
    #[twoworlds::dual]
    pub(crate) async fn checksum(data: &[u8]) -> u64 {
        let mut hash = 0xcbf2_9ce4_8422_2325;
        for &byte in data {
            hash = mix(hash, byte).await;
        }
        hash
    }
}

/// The same functions, written by hand in sync Rust.
mod hand {
    /// One FNV-1a step.
    pub(crate) fn mix(hash: u64, byte: u8) -> u64 {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    }

    /// FNV-1a of `data`, a call of [`mix`] per byte.
    #[inline(never)]
    pub(crate) fn checksum(data: &[u8]) -> u64 {
        let mut hash = 0xcbf2_9ce4_8422_2325;
        for &byte in data {
            hash = mix(hash, byte);
        }
        hash
    }

    /// Writes `data` to `path`, reads it back and returns its checksum.
    #[inline(never)]
    pub(crate) fn round_trip(path: &std::path::Path, data: &[u8]) -> std::io::Result<u64> {
        std::fs::write(path, data)?;
        let back = std::fs::read(path)?;
        Ok(checksum(&back))
    }
}

/// A temp file path of this process, removed when dropped.
struct TempFile(PathBuf);

impl TempFile {
    /// A fresh path under the system temp dir.
    fn new(name: &str) -> Self {
        Self(std::env::temp_dir().join(format!("twoworlds-bench-{}-{name}", std::process::id())))
    }

    /// The path.
    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// 64 KiB of varied bytes.
fn data(len: usize) -> Vec<u8> {
    (0..len).map(|i| u8::try_from(i * 31 % 251).unwrap_or(0)).collect()
}

/// Both bodies, twin against hand-written, side by side.
fn zero_cost(c: &mut Criterion) {
    let bytes = data(64 * 1024);
    let expected = hand::checksum(&bytes);
    assert_eq!(work::blocking::checksum(&bytes), expected, "blocking twin disagrees");
    assert_eq!(twoworlds::block_on(work::checksum(&bytes)), expected, "async twin disagrees");
    let mut group = c.benchmark_group("zero_cost_loop");
    group.bench_function("dual_blocking_twin", |b| {
        b.iter(|| work::blocking::checksum(black_box(&bytes)));
    });
    group.bench_function("handwritten_sync", |b| b.iter(|| hand::checksum(black_box(&bytes))));
    assert_eq!(separate::blocking_checksum(&bytes), expected, "separate twins disagree");
    group.bench_function("separate_dual_fns_blocking_twin", |b| {
        b.iter(|| separate::blocking_checksum(black_box(&bytes)));
    });
    group.finish();

    let small = data(4 * 1024);
    let (twin_file, hand_file) = (TempFile::new("twin"), TempFile::new("hand"));
    let expected = hand::round_trip(hand_file.path(), &small).expect("I/O");
    let from_async = common::SHARED.block_on(work::round_trip(twin_file.path(), &small));
    assert_eq!(from_async.expect("I/O"), expected, "async twin disagrees");
    let mut group = c.benchmark_group("zero_cost_io");
    group.bench_function("dual_blocking_twin", |b| {
        b.iter(|| work::blocking::round_trip(twin_file.path(), black_box(&small)).expect("I/O"));
    });
    group.bench_function("handwritten_sync", |b| {
        b.iter(|| hand::round_trip(hand_file.path(), black_box(&small)).expect("I/O"));
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = common::criterion();
    targets = zero_cost
}
criterion_main!(benches);

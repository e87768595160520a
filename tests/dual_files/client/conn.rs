//! Connection helpers.

/// Opens: doubles.
pub(crate) async fn open(n: u32) -> u32 {
    n * 2
}

//! tokio's step-by-step reading methods on the std types that `tokio_to_std`
//! maps tokio's to, so a blocking twin reads a directory or the lines of a
//! reader as the async fn does: `entries.next_entry().await?` and
//! `lines.next_line().await?` give `io::Result<Option<_>>` in both twins
//! (the twin's `.await` passes the value through).
//!
//! | tokio (async fn) | std (blocking twin) |
//! |---|---|
//! | `tokio::fs::ReadDir::next_entry` | [`NextEntry::next_entry`] on `std::fs::ReadDir` |
//! | `tokio::io::Lines::next_line` | [`NextLine::next_line`] on `std::io::Lines` |
//!
//! The twin imports the trait (`use ..::NextEntry as _;`) when its body
//! names the method.

use std::io::{self, BufRead};

/// `next_entry` of tokio's `ReadDir`, on std's: the next entry, `Ok(None)`
/// at the end.
///
/// ```
/// use twoworlds_runtime::__private::std_mirror::NextEntry as _;
///
/// let mut entries = std::fs::read_dir(".")?;
/// let mut count = 0;
/// while let Some(_entry) = entries.next_entry()? {
///     count += 1;
/// }
/// assert_eq!(count, std::fs::read_dir(".")?.count());
/// # Ok::<(), std::io::Error>(())
/// ```
pub trait NextEntry {
    /// The next entry of the directory, or `Ok(None)` at its end.
    ///
    /// # Errors
    /// The error reading the directory.
    fn next_entry(&mut self) -> io::Result<Option<std::fs::DirEntry>>;
}

impl NextEntry for std::fs::ReadDir {
    #[inline]
    fn next_entry(&mut self) -> io::Result<Option<std::fs::DirEntry>> {
        self.next().transpose()
    }
}

/// `next_line` of tokio's `Lines`, on std's: the next line without its line
/// ending, `Ok(None)` at the end.
///
/// ```
/// use std::io::BufRead as _;
/// use twoworlds_runtime::__private::std_mirror::NextLine as _;
///
/// let mut lines = std::io::Cursor::new("one\ntwo\r\n").lines();
/// assert_eq!(lines.next_line()?.as_deref(), Some("one"));
/// assert_eq!(lines.next_line()?.as_deref(), Some("two"));
/// assert_eq!(lines.next_line()?, None);
/// # Ok::<(), std::io::Error>(())
/// ```
pub trait NextLine {
    /// The next line, or `Ok(None)` at the end of the input.
    ///
    /// # Errors
    /// The error reading the input, or input that is not UTF-8.
    fn next_line(&mut self) -> io::Result<Option<String>>;
}

impl<B: BufRead> NextLine for io::Lines<B> {
    #[inline]
    fn next_line(&mut self) -> io::Result<Option<String>> {
        self.next().transpose()
    }
}

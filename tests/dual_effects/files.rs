//! `tokio::fs` under `tokio_to_std`: the blocking twin does the same file
//! work through `std::fs`, with the same results and effects; a tokio
//! `File`'s methods (`metadata().await`) become the std `File`'s; a
//! directory and the lines of a reader are read step by step as tokio does.

use crate::{Log, agree};
use std::path::Path;
use twoworlds::dual;

/// Writes, appends, reads back and measures a file.
#[dual(tokio_to_std)]
async fn round_trip(log: &Log, path: &Path) -> std::io::Result<(String, u64)> {
    use tokio::io::AsyncWriteExt;
    tokio::fs::write(path, b"one").await?;
    log.push("wrote");
    let mut file = tokio::fs::OpenOptions::new().append(true).open(path).await?;
    file.write_all(b" two").await?;
    file.flush().await?;
    log.push("appended");
    let text = tokio::fs::read_to_string(path).await?;
    let len = tokio::fs::File::open(path).await?.metadata().await?.len();
    tokio::fs::remove_file(path).await?;
    log.push(format!("read {len} bytes"));
    Ok((text, len))
}

#[test]
fn tokio_fs_under_tokio_to_std_does_the_same_file_work() {
    let dir = std::env::temp_dir().join(format!("twoworlds-effects-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (sync_path, async_path) = (dir.join("blocking.txt"), dir.join("async.txt"));
    let effects = agree(
        |log| blocking_round_trip(log, &sync_path).map_err(|e| e.to_string()),
        |log| async move { round_trip(&log, &async_path).await.map_err(|e| e.to_string()) },
    );
    assert_eq!(effects, ["wrote", "appended", "read 7 bytes"]);
    let _ = std::fs::remove_dir(&dir);
}

/// Lists a directory and reads a file line by line, the tokio way
/// (`next_entry().await?`, `next_line().await?`).
#[dual(tokio_to_std)]
async fn listing(log: &Log, dir: &Path) -> std::io::Result<(Vec<String>, Vec<String>)> {
    use tokio::io::AsyncBufReadExt;
    let mut names = Vec::new();
    let mut entries = tokio::fs::read_dir(dir).await?;
    while let Some(entry) = entries.next_entry().await? {
        let len = entry.metadata().await?.len();
        names.push(format!("{} ({len} bytes)", entry.file_name().to_string_lossy()));
    }
    names.sort();
    log.push(format!("listed {}", names.len()));
    let file = tokio::fs::File::open(dir.join("a.txt")).await?;
    let mut lines = tokio::io::BufReader::new(file).lines();
    let mut read = Vec::new();
    while let Some(line) = lines.next_line().await? {
        log.push(format!("line {line}"));
        read.push(line);
    }
    Ok((names, read))
}

#[test]
fn read_dir_and_lines_read_step_by_step_in_both_twins() {
    let dir = std::env::temp_dir().join(format!("twoworlds-listing-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("a.txt"), "first\nsecond\r\n").unwrap();
    std::fs::write(dir.join("b.txt"), "").unwrap();
    let effects = agree(
        |log| blocking_listing(log, &dir).map_err(|e| e.to_string()),
        |log| {
            let dir = dir.clone();
            async move { listing(&log, &dir).await.map_err(|e| e.to_string()) }
        },
    );
    assert_eq!(effects, ["listed 2", "line first", "line second"]);
    let names = blocking_listing(&Log::default(), &dir).unwrap().0;
    assert_eq!(names, ["a.txt (14 bytes)", "b.txt (0 bytes)"]);
    std::fs::remove_dir_all(&dir).unwrap();
}

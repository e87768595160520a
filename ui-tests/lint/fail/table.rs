//! One call of each kind in the table of known blocking APIs, each reported
//! at its call with its alternative.
#![deny(warnings)]

use std::io::Write as _;
use std::sync::Mutex;

async fn tick() {}

async fn one() -> usize {
    1
}

#[twoworlds::dual]
async fn everything(path: &str, m: &Mutex<Vec<u8>>) -> std::io::Result<usize> {
    let text = std::fs::read_to_string(path)?;
    let mut stream = std::net::TcpStream::connect("127.0.0.1:1")?;
    stream.write_all(text.as_bytes())?;
    let mut line = String::new();
    std::io::stdin().read_line(&mut line)?;
    let out = std::process::Command::new("true").output()?;
    let guard = m.lock().unwrap();
    tick().await;
    let n = twoworlds::block_on(one());
    Ok(guard.len() + out.stdout.len() + n)
}

fn main() {}

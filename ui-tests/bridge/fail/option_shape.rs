use twoworlds::bridge;

#[bridge(blocking, thread_sensitive = true, crate = 3)]
fn work() {}

fn main() {}

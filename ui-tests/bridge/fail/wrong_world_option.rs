use twoworlds::bridge;

#[bridge(blocking = work_now)]
fn work() {}

#[bridge(async_name = later, thread_sensitive)]
async fn fetch() {}

#[bridge(allow_blocking)]
fn sleepy() {}

fn main() {}

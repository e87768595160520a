use twoworlds::bridge;

#[bridge(blocking = work_now)]
fn work() {}

#[bridge(async_name = later, thread_sensitive)]
async fn fetch() {}

fn main() {}

//! Unit tests of the executor internals: frame reuse and the parent chain.

use std::sync::Arc;

use super::executor::{Executor, Job, submit_chain};
use super::placement;
use crate::block_on;

/// The executor of the current context inside a `block_on` on this thread.
fn frame_of_a_block_on() -> Arc<Executor> {
    block_on(async { placement::capture().executor }).expect("a frame")
}

#[test]
fn an_uncaptured_frame_is_reused_and_a_captured_one_is_not() {
    let first = frame_of_a_block_on();
    // `first` is still held, so its spare is shared: a new frame is made.
    let second = frame_of_a_block_on();
    assert!(!Arc::ptr_eq(&first, &second));
    let second_ptr = Arc::as_ptr(&second);
    drop(second);
    // Nobody holds the second frame any more: the next block_on reuses it,
    // live again.
    let third = frame_of_a_block_on();
    assert_eq!(Arc::as_ptr(&third), second_ptr);
    assert!(!third.is_live(), "closed again once its block_on returned");
    block_on(async {
        let now = placement::capture().executor.expect("a frame");
        assert!(now.is_live());
    });
}

/// A job that records where it ran.
struct Probe(std::sync::mpsc::Sender<std::thread::ThreadId>);

impl Job for Probe {
    fn run(self: Box<Self>, on: &Executor) {
        let _ = self.0.send(on.thread_id());
    }
}

#[test]
fn work_for_a_closed_executor_goes_to_its_parent_or_fails() {
    let parent = Executor::new(std::thread::current(), None);
    let child = Executor::new(std::thread::current(), Some(Arc::clone(&parent)));
    let (tx, rx) = std::sync::mpsc::channel();
    assert!(child.close().is_empty());
    assert!(submit_chain(&child, Box::new(Probe(tx.clone())), "f", &[]).is_ok());
    let job = parent.pop().expect("queued on the parent");
    job.run(&parent);
    assert_eq!(rx.recv().unwrap(), std::thread::current().id());
    assert!(parent.close().is_empty());
    let Err((_, err)) = submit_chain(&child, Box::new(Probe(tx)), "f", &[]) else {
        panic!("no live executor left");
    };
    assert_eq!(err.function(), "f");
    assert!(!err.is_deadlock());
}

#[test]
fn work_a_frame_accepted_runs_before_its_block_on_returns() {
    let (tx, rx) = std::sync::mpsc::channel();
    // Queued on the frame by a future that is ready at once: the wait loop
    // never looks at the queue, the frame's end runs it.
    block_on(async {
        let frame = placement::capture().executor.expect("a frame");
        assert!(submit_chain(&frame, Box::new(Probe(tx)), "f", &[]).is_ok());
    });
    assert_eq!(rx.try_recv().expect("ran already"), std::thread::current().id());
}

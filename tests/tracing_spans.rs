//! Feature `tracing`: the current span follows every bridge, so a span
//! entered before `block_on` / `unblock` / a thread-sensitive call is the
//! parent of spans opened on the other side. Checked with a small subscriber
//! that records each span's parent.
#![cfg(feature = "tracing")]

mod deadline;

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock};

use deadline::{tokio_runtime, with_deadline};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber, info_span};
use tracing_core::span::Current;
use twoworlds::{CallContext, block_on, unblock, unblock_thread_sensitive};

/// Records the name and parent of every span.
struct Recorder {
    /// The next span id.
    next: AtomicU64,
    /// Id → (metadata, parent id).
    spans: Mutex<HashMap<u64, (&'static Metadata<'static>, Option<u64>)>>,
}

thread_local! {
    /// The spans entered on this thread, innermost last.
    static STACK: RefCell<Vec<u64>> = const { RefCell::new(Vec::new()) };
}

impl Subscriber for Recorder {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }

    fn new_span(&self, attrs: &Attributes<'_>) -> Id {
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        let parent = if let Some(parent) = attrs.parent() {
            Some(parent.into_u64())
        } else if attrs.is_contextual() {
            STACK.with(|s| s.borrow().last().copied())
        } else {
            None
        };
        self.spans.lock().unwrap().insert(id, (attrs.metadata(), parent));
        Id::from_u64(id)
    }

    fn record(&self, _: &Id, _: &Record<'_>) {}

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, _: &Event<'_>) {}

    fn enter(&self, span: &Id) {
        STACK.with(|s| s.borrow_mut().push(span.into_u64()));
    }

    fn exit(&self, span: &Id) {
        STACK.with(|s| {
            let mut stack = s.borrow_mut();
            if let Some(i) = stack.iter().rposition(|&id| id == span.into_u64()) {
                stack.remove(i);
            }
        });
    }

    fn current_span(&self) -> Current {
        let top = STACK.with(|s| s.borrow().last().copied());
        match top.and_then(|id| self.spans.lock().unwrap().get(&id).map(|(m, _)| (id, *m))) {
            Some((id, metadata)) => Current::new(Id::from_u64(id), metadata),
            None => Current::none(),
        }
    }
}

/// The process-wide recorder, installed on first use.
fn recorder() -> &'static Recorder {
    static RECORDER: OnceLock<&'static Recorder> = OnceLock::new();
    RECORDER.get_or_init(|| {
        let recorder: &'static Recorder =
            Box::leak(Box::new(Recorder { next: AtomicU64::new(1), spans: Mutex::default() }));
        tracing::subscriber::set_global_default(Forward(recorder)).expect("install subscriber");
        recorder
    })
}

/// Lets the global dispatcher own a handle to the leaked recorder.
struct Forward(&'static Recorder);

impl Subscriber for Forward {
    fn enabled(&self, m: &Metadata<'_>) -> bool {
        self.0.enabled(m)
    }
    fn new_span(&self, a: &Attributes<'_>) -> Id {
        self.0.new_span(a)
    }
    fn record(&self, s: &Id, r: &Record<'_>) {
        self.0.record(s, r);
    }
    fn record_follows_from(&self, s: &Id, f: &Id) {
        self.0.record_follows_from(s, f);
    }
    fn event(&self, e: &Event<'_>) {
        self.0.event(e);
    }
    fn enter(&self, s: &Id) {
        self.0.enter(s);
    }
    fn exit(&self, s: &Id) {
        self.0.exit(s);
    }
    fn current_span(&self) -> Current {
        self.0.current_span()
    }
}

/// Opens (and closes) a span named by `name`'s field and returns its parent's name.
fn parent_of_new_span() -> Option<&'static str> {
    let recorder = recorder();
    let span = info_span!("child");
    let id = span.id()?.into_u64();
    let spans = recorder.spans.lock().unwrap();
    let parent = spans.get(&id)?.1?;
    spans.get(&parent).map(|(m, _)| m.name())
}

#[test]
fn span_follows_block_on_and_unblock() {
    recorder();
    with_deadline("span_block_on_unblock", || {
        let _outer = info_span!("request").entered();
        let (in_future, on_pool) = block_on(async {
            let in_future = parent_of_new_span();
            let on_pool = unblock(parent_of_new_span).await;
            (in_future, on_pool)
        });
        assert_eq!(in_future, Some("request"));
        assert_eq!(on_pool, Some("request"));
    });
}

#[test]
fn span_follows_nested_bridges() {
    recorder();
    with_deadline("span_nested", || {
        let _outer = info_span!("outer").entered();
        // sync → async → sync (pool) → async → sync (pool), opening a span halfway.
        let deepest = block_on(async {
            unblock(|| {
                let _middle = info_span!("middle").entered();
                block_on(async { unblock(parent_of_new_span).await })
            })
            .await
        });
        assert_eq!(deepest, Some("middle"));
    });
}

#[test]
fn span_follows_thread_sensitive_calls() {
    recorder();
    with_deadline("span_thread_sensitive", || {
        let rt = tokio_runtime();
        // Async outermost: the call runs on the dedicated thread.
        let on_dedicated = rt.block_on(async {
            let span = info_span!("handler");
            let _entered = span.enter();
            unblock_thread_sensitive(parent_of_new_span).await
        });
        assert_eq!(on_dedicated, Some("handler"));
        // Sync outermost: on this thread, inside block_on's wait.
        let _outer = info_span!("sync_caller").entered();
        assert_eq!(block_on(unblock_thread_sensitive(parent_of_new_span)), Some("sync_caller"));
    });
}

#[test]
fn span_follows_call_context_into_a_plain_thread_only() {
    recorder();
    with_deadline("span_plain_thread", || {
        let _outer = info_span!("spawner").entered();
        let ctx = CallContext::current();
        let carried = std::thread::spawn(move || ctx.run(parent_of_new_span)).join().unwrap();
        let plain = std::thread::spawn(parent_of_new_span).join().unwrap();
        assert_eq!((carried, plain), (Some("spawner"), None));
    });
}

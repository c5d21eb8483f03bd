//! The runs of tests (`judgement.runTests`), each on a thread of its own so
//! that a slow test holds up nothing else, and bounded: at most one thread
//! for a document, and at most [`MOST_RUNS`] documents' runs at once.
//!
//! A document's thread runs one request's tests at a time. A request for a
//! document whose run is going takes its place: the run going stops before
//! its next test and is answered `RequestCancelled`, and the new request
//! waits in the thread's one place for the next run (a request already
//! waiting there is answered `RequestCancelled` at once). A request for
//! another document, when [`MOST_RUNS`] are going, is refused with
//! `RequestFailed`. A run the editor cancels (`$/cancelRequest`) stops
//! before its next test, or, still waiting, is answered at once; either way
//! with `RequestCancelled`. (Audit: each request had a thread of its own,
//! with no limit: 300 requests on a file of 8,000 tests gave 275 threads
//! and 5 GB.)

use crate::lens::{self, Tests};
use lsp_server::{ErrorCode, Message, Notification, RequestId, Response};
use lsp_types::notification::{Notification as _, ShowMessage};
use lsp_types::{ShowMessageParams, Url};
use std::collections::HashMap;
use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

/// The most documents whose tests run at once, each on its own thread.
pub const MOST_RUNS: usize = 2;

/// Where a run sends its answer: emptied when the server stops, so that a
/// run still going neither keeps the writer (and the process) waiting nor
/// answers after `exit`.
pub type Outbox = Arc<Mutex<Option<crossbeam_channel::Sender<Message>>>>;

/// One request's run: what it runs, and its flags.
pub struct Job {
    pub id: RequestId,
    pub tests: Tests,
    /// The one test to run; none: all.
    pub name: Option<String>,
    stop: Arc<Stop>,
}

impl Job {
    pub fn new(id: RequestId, tests: Tests, name: Option<String>) -> Job {
        Job {
            id,
            tests,
            name,
            stop: Arc::default(),
        }
    }
}

/// Set to stop a run before its next test: cancelled by the editor, or
/// superseded by a later request for the same document.
#[derive(Default)]
struct Stop {
    cancelled: AtomicBool,
    superseded: AtomicBool,
}

/// A document's thread: the run going, and the one waiting to go next.
struct Worker {
    current: (RequestId, Arc<Stop>),
    next: Option<Job>,
}

/// The documents whose tests are running, each with its thread.
#[derive(Clone, Default)]
pub struct Runs {
    workers: Arc<Mutex<HashMap<Url, Worker>>>,
}

/// What became of a request to run a document's tests.
pub enum Asked {
    /// A thread was started for it.
    Started,
    /// It waits for the document's run going, which stops for it; the
    /// answer to a request that waited before it, which it replaces.
    Waiting(Option<Response>),
    /// [`MOST_RUNS`] other documents' runs are going: its refusal.
    Refused(Response),
}

impl Runs {
    fn lock(&self) -> MutexGuard<'_, HashMap<Url, Worker>> {
        // A run that panicked is caught where it runs: the map is whole.
        self.workers.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Run `job` on the tests of `uri`: on a thread of its own, or after
    /// the run of the document going, or not at all.
    pub fn ask(&self, uri: Url, job: Job, outbox: &Outbox) -> Asked {
        let mut workers = self.lock();
        if let Some(worker) = workers.get_mut(&uri) {
            worker.current.1.superseded.store(true, Ordering::Relaxed);
            worker.current.1.cancelled.store(true, Ordering::Relaxed);
            let replaced = worker.next.replace(job).map(|waiting| {
                cancelled(
                    waiting.id,
                    "the run of tests was cancelled before it started: \
                     a later run of the document's tests took its place"
                        .to_string(),
                )
            });
            return Asked::Waiting(replaced);
        }
        if workers.len() >= MOST_RUNS {
            let why = format!(
                "{} runs of tests are going (at most {MOST_RUNS} at once, one for each \
                 document): ask again when one has ended, or cancel one",
                workers.len()
            );
            return Asked::Refused(Response::new_err(
                job.id,
                ErrorCode::RequestFailed as i32,
                why,
            ));
        }
        let worker = Worker {
            current: (job.id.clone(), Arc::clone(&job.stop)),
            next: None,
        };
        let (runs, outbox, at) = (self.clone(), Arc::clone(outbox), uri.clone());
        let id = job.id.clone();
        let spawned = std::thread::Builder::new()
            .name("judgement-lsp tests".into())
            .spawn(move || runs.work(&at, job, &outbox));
        match spawned {
            Ok(_) => {
                workers.insert(uri, worker);
                Asked::Started
            }
            Err(e) => Asked::Refused(Response::new_err(
                id,
                ErrorCode::InternalError as i32,
                format!("no thread to run the tests on: {e}"),
            )),
        }
    }

    /// The editor cancelled request `id`: a run going stops before its next
    /// test; one waiting is taken away, its answer returned.
    pub fn cancel(&self, id: &RequestId) -> Option<Response> {
        let mut workers = self.lock();
        for worker in workers.values_mut() {
            if &worker.current.0 == id {
                worker.current.1.cancelled.store(true, Ordering::Relaxed);
            }
            if worker.next.as_ref().is_some_and(|next| &next.id == id) {
                let waiting = worker.next.take()?;
                let why = "the run of tests was cancelled before it started".to_string();
                return Some(cancelled(waiting.id, why));
            }
        }
        None
    }

    /// The server stops: each run going stops before its next test, and
    /// none waiting starts.
    pub fn stop_all(&self) {
        for worker in self.lock().values_mut() {
            worker.current.1.cancelled.store(true, Ordering::Relaxed);
            worker.next = None;
        }
    }

    /// A document's thread: run `job`, answer it, and then the one that
    /// waits, until none does.
    fn work(&self, uri: &Url, mut job: Job, outbox: &Outbox) {
        loop {
            let ran = std::panic::catch_unwind(AssertUnwindSafe(|| {
                lens::run_tests(&job.tests, job.name.as_deref(), &job.stop.cancelled)
            }));
            let answers = match ran {
                Ok(Ok(run)) => {
                    let shown = Notification::new(
                        ShowMessage::METHOD.to_string(),
                        ShowMessageParams {
                            typ: run.kind,
                            message: run.message,
                        },
                    );
                    vec![
                        shown.into(),
                        Response::new_ok(job.id.clone(), run.result).into(),
                    ]
                }
                Ok(Err(ran)) => {
                    let mut why = format!("the run of tests was cancelled after {ran} tests");
                    if job.stop.superseded.load(Ordering::Relaxed) {
                        why.push_str(": a later run of the document's tests took its place");
                    }
                    vec![cancelled(job.id.clone(), why).into()]
                }
                Err(_) => vec![Response::new_err(
                    job.id.clone(),
                    ErrorCode::InternalError as i32,
                    "the run of tests stopped: this is a bug in judgement".to_string(),
                )
                .into()],
            };
            // The server stopped meanwhile: no one to answer.
            let sender = outbox
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .clone();
            if let Some(sender) = &sender {
                for answer in answers {
                    let _ = sender.send(answer);
                }
            }
            let mut workers = self.lock();
            let next = match workers.get_mut(uri) {
                Some(worker) if sender.is_some() => worker.next.take().inspect(|next| {
                    worker.current = (next.id.clone(), Arc::clone(&next.stop));
                }),
                _ => None,
            };
            match next {
                Some(next) => job = next,
                None => {
                    workers.remove(uri);
                    return;
                }
            }
        }
    }
}

/// The answer to a run that was cancelled.
fn cancelled(id: RequestId, why: String) -> Response {
    Response::new_err(id, ErrorCode::RequestCanceled as i32, why)
}

//! Live Redis tests (work in progress).

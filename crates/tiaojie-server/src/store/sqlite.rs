//! Hub store (in progress).

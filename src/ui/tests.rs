//! Whole-screen snapshots of the reader drawn into a test backend.

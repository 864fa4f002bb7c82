//! Placeholder: deduplication of content blocks.

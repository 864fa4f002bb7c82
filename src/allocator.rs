//! The binary allocates through jemalloc instead of the C library's malloc.
//!
//! A first fetch allocates and frees millions of small blocks on several threads at once (each
//! body's parse tree, its blocks and words, the feeds' strings), and glibc's malloc spent about a
//! tenth of its processor time doing so. Measured 2026-12-02 on 2 cores, three alternating runs
//! of this build and the same code on glibc: `benches/fetch.sh`'s first fetch used 278-292 µs of
//! processor time per new item against 304-312 µs, and ended at 4.14-4.49 s against 4.75-4.88 s,
//! with the same peak memory (110-123 MB against 120-124 MB). The library (and so the in-process
//! benches and tests that link it alone) keeps the system allocator.
//!
//! `narenas:4` bounds the arenas, which jemalloc otherwise makes four per core: with its default
//! of eight on two cores the peak was 132-146 MB, close to the 150 MB target, for no less
//! processor time. Freed pages go back to the system after jemalloc's default delay (10 s):
//! returning them at once (`dirty_decay_ms:0`) cut the peak to 81-91 MB but cost 40% more
//! processor time.

#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// jemalloc's options, read once when it starts (the crate's build prefixes jemalloc's symbols,
/// hence the name): jemalloc reads a `const char *`, so this is a reference to an array (a plain
/// pointer, where a slice's would carry its length too) of a NUL-terminated string. The
/// `_RJEM_MALLOC_CONF` environment variable still overrides it, for experiments.
#[allow(non_upper_case_globals)]
#[unsafe(export_name = "_rjem_malloc_conf")]
pub static malloc_conf: &[u8; 10] = b"narenas:4\0";

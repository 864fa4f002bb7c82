//! A real Miniflux on loopback for the sync tests, over a PostgreSQL of its own in a temporary
//! directory. Include with `#[path = "support/miniflux.rs"] mod miniflux;`.
//!
//! The binaries are found, never built: Miniflux at `$TIDINGS_MINIFLUX`, else
//! `target/miniflux/bin/miniflux.app` (where `scripts/sync-services` puts it); PostgreSQL's
//! `initdb` and `pg_ctl` in `$TIDINGS_PG_BIN`, else on the `PATH`, else in the newest
//! `/usr/lib/postgresql/*/bin`. When one is missing, [`Miniflux::start`] prints a `SKIPPED` line and
//! returns `None`, unless `TIDINGS_REQUIRE_SYNC` or `TIDINGS_REQUIRE_SHARED` is set (CI), where it
//! panics. PostgreSQL refuses to run as root: as root, it runs as the `postgres` user when there
//! is one, else as `nobody`. Everything started is stopped on drop.

#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The admin user the tests log in as.
pub const USER: &str = "admin";
/// Its password (also its Google Reader API password).
pub const PASSWORD: &str = "tidings-test-pw";

/// Where the binaries are.
struct Binaries {
    miniflux: PathBuf,
    pg_bin: PathBuf,
}

fn required() -> bool {
    ["TIDINGS_REQUIRE_SYNC", "TIDINGS_REQUIRE_SHARED"]
        .iter()
        .any(|v| std::env::var_os(v).is_some_and(|v| !v.is_empty()))
}

fn skip(what: &str) -> Option<Binaries> {
    assert!(
        !required(),
        "the sync tests are required here but {what} is missing (run scripts/sync-services)"
    );
    let _ = writeln!(
        std::io::stderr(),
        "SKIPPED: {what} missing (run scripts/sync-services)"
    );
    None
}

fn find_binaries() -> Option<Binaries> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let miniflux = std::env::var_os("TIDINGS_MINIFLUX")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target/miniflux/bin/miniflux.app"));
    if !miniflux.is_file() {
        return skip(&format!("Miniflux ({})", miniflux.display()));
    }
    let pg_bin = std::env::var_os("TIDINGS_PG_BIN")
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("PATH")
                .and_then(|p| std::env::split_paths(&p).find(|d| has_postgres(d)))
        })
        .or_else(|| {
            let mut dirs: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
                .ok()?
                .filter_map(|e| e.ok().map(|e| e.path().join("bin")))
                .filter(|d| has_postgres(d))
                .collect();
            dirs.sort_by_key(|d| {
                d.parent()
                    .and_then(|v| v.file_name())
                    .and_then(|v| v.to_str())
                    .and_then(|v| v.parse::<u32>().ok())
                    .unwrap_or(0)
            });
            dirs.pop()
        });
    match pg_bin {
        Some(pg_bin) => Some(Binaries { miniflux, pg_bin }),
        None => skip("PostgreSQL (initdb)"),
    }
}

/// Whether `dir` holds every PostgreSQL program the tests run.
fn has_postgres(dir: &Path) -> bool {
    ["initdb", "pg_ctl", "createdb", "psql"]
        .iter()
        .all(|p| dir.join(p).is_file())
}

/// The user PostgreSQL runs as: `None` when this process is not root (it runs as us).
fn unprivileged() -> Option<(u32, u32)> {
    // SAFETY: getuid has no preconditions.
    if unsafe { libc::getuid() } != 0 {
        return None;
    }
    for name in ["postgres", "nobody"] {
        let cname = std::ffi::CString::new(name).unwrap();
        // SAFETY: a valid C string; the result is read at once, before any other getpw call.
        let pw = unsafe { libc::getpwnam(cname.as_ptr()) };
        if !pw.is_null() {
            // SAFETY: checked non-null above.
            let (uid, gid) = unsafe { ((*pw).pw_uid, (*pw).pw_gid) };
            return Some((uid, gid));
        }
    }
    panic!("running as root and neither a postgres nor a nobody user exists");
}

/// A command run as the unprivileged user (through `setpriv`) when we are root.
fn as_user(user: Option<(u32, u32)>, program: &Path) -> Command {
    match user {
        Some((uid, gid)) => {
            let mut c = Command::new("setpriv");
            c.arg(format!("--reuid={uid}"))
                .arg(format!("--regid={gid}"))
                .arg("--clear-groups")
                .arg(program);
            c
        }
        None => Command::new(program),
    }
}

fn chown(path: &Path, user: Option<(u32, u32)>) {
    if let Some((uid, gid)) = user {
        std::os::unix::fs::chown(path, Some(uid), Some(gid)).expect("chown the PostgreSQL dir");
    }
}

fn run_ok(mut c: Command, what: &str) {
    let out = c
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("{what}: {e}"));
    assert!(
        out.status.success(),
        "{what} failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A PostgreSQL cluster in a temporary directory, listening only on a unix socket there.
struct Postgres {
    dir: tempfile::TempDir,
    pg_bin: PathBuf,
    user: Option<(u32, u32)>,
}

impl Postgres {
    fn start(pg_bin: &Path) -> Postgres {
        let user = unprivileged();
        let dir = tempfile::Builder::new()
            .prefix("tidings-pg")
            .tempdir()
            .unwrap();
        chown(dir.path(), user);
        let pg = Postgres {
            dir,
            pg_bin: pg_bin.to_path_buf(),
            user,
        };
        let data = pg.dir.path().join("data");
        let mut init = as_user(user, &pg_bin.join("initdb"));
        init.current_dir(pg.dir.path())
            .args([
                "-U",
                "miniflux",
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--no-sync",
                "-D",
            ])
            .arg(&data);
        run_ok(init, "initdb");
        let mut start = as_user(user, &pg_bin.join("pg_ctl"));
        let opts = format!(
            "-k {} -c listen_addresses='' -F -c full_page_writes=off -c synchronous_commit=off",
            pg.dir.path().display()
        );
        start
            .current_dir(pg.dir.path())
            .args(["-w", "-t", "60", "-D"])
            .arg(&data)
            .args(["-o", &opts, "-l"])
            .arg(pg.dir.path().join("postgres.log"))
            .arg("start");
        run_ok(start, "pg_ctl start");
        pg
    }

    /// Creates a database owned by the cluster's superuser.
    fn create_db(&self, name: &str) {
        let mut c = as_user(self.user, &self.pg_bin.join("createdb"));
        c.current_dir(self.dir.path()).args([
            "-h",
            &self.dir.path().display().to_string(),
            "-U",
            "miniflux",
            name,
        ]);
        run_ok(c, "createdb");
    }

    /// Runs one SQL statement in `db`.
    fn sql(&self, db: &str, statement: &str) -> String {
        let mut c = as_user(self.user, &self.pg_bin.join("psql"));
        c.current_dir(self.dir.path()).args([
            "-h",
            &self.dir.path().display().to_string(),
            "-U",
            "miniflux",
            "-d",
            db,
            "-v",
            "ON_ERROR_STOP=1",
            "-tAc",
            statement,
        ]);
        let out = c.stdin(Stdio::null()).output().expect("psql");
        assert!(
            out.status.success(),
            "psql {statement}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    fn url(&self, db: &str) -> String {
        format!(
            "postgres://miniflux@/{db}?host={}&sslmode=disable",
            self.dir.path().display()
        )
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        let mut stop = as_user(self.user, &self.pg_bin.join("pg_ctl"));
        stop.current_dir(self.dir.path())
            .args(["-D"])
            .arg(self.dir.path().join("data"))
            .args(["-m", "immediate", "stop"])
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        let _ = stop.status();
    }
}

/// A running Miniflux with an admin user, on its own PostgreSQL.
pub struct Miniflux {
    pg: Postgres,
    binary: PathBuf,
    child: Option<Child>,
    port: u16,
}

impl Miniflux {
    /// Starts PostgreSQL and Miniflux, or prints `SKIPPED` and returns `None` when either is not
    /// installed (a failure instead under CI).
    pub fn start() -> Option<Miniflux> {
        let bins = find_binaries()?;
        let pg = Postgres::start(&bins.pg_bin);
        pg.create_db("miniflux");
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let mut mf = Miniflux {
            pg,
            binary: bins.miniflux,
            child: None,
            port,
        };
        mf.launch();
        Some(mf)
    }

    fn launch(&mut self) {
        let log = std::fs::File::create(self.pg.dir.path().join("miniflux.log")).unwrap();
        let child = Command::new(&self.binary)
            .env_clear()
            .env("DATABASE_URL", self.pg.url("miniflux"))
            .env("RUN_MIGRATIONS", "1")
            .env("CREATE_ADMIN", "1")
            .env("ADMIN_USERNAME", USER)
            .env("ADMIN_PASSWORD", PASSWORD)
            .env("LISTEN_ADDR", format!("127.0.0.1:{}", self.port))
            // Feeds are refreshed on demand (when added, or through the API), never by a timer.
            .env("DISABLE_SCHEDULER_SERVICE", "1")
            .env("POLLING_FREQUENCY", "525600")
            // The tests' feeds are served on loopback.
            .env("FETCHER_ALLOW_PRIVATE_NETWORKS", "1")
            .env("WORKER_POOL_SIZE", "2")
            .env("DATABASE_MAX_CONNS", "8")
            .env("LOG_LEVEL", "info")
            .current_dir(self.pg.dir.path())
            .stdin(Stdio::null())
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .expect("start miniflux");
        self.child = Some(child);
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Ok((200, _)) = self.request("GET", "/healthcheck", None, false) {
                break;
            }
            if let Some(Ok(Some(status))) = self.child.as_mut().map(Child::try_wait) {
                panic!("miniflux exited with {status}: {}", self.log());
            }
            assert!(
                Instant::now() < deadline,
                "miniflux did not answer: {}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Miniflux's log so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.pg.dir.path().join("miniflux.log")).unwrap_or_default()
    }

    /// The base URL, as tidings' `[sync] url` takes it.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Stops Miniflux (PostgreSQL keeps running), as a server that went down.
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Starts Miniflux again on the same port and database.
    pub fn restart(&mut self) {
        self.stop();
        self.launch();
    }

    /// Enables the Google Reader API for the admin user, with the admin's password.
    pub fn enable_google_reader(&self) {
        self.pg.sql(
            "miniflux",
            &format!(
                "UPDATE integrations SET googlereader_enabled = 't', googlereader_username = '{USER}', \
                 googlereader_password = (SELECT password FROM users WHERE username = '{USER}') \
                 WHERE user_id = (SELECT id FROM users WHERE username = '{USER}')"
            ),
        );
    }

    /// Runs one SQL statement in Miniflux's database and returns its output (`psql -tA`).
    pub fn sql(&self, statement: &str) -> String {
        self.pg.sql("miniflux", statement)
    }

    /// Calls the REST API as the admin; panics unless the status is 2xx. Returns the body.
    pub fn api(&self, method: &str, path: &str, body: Option<&str>) -> String {
        let (status, text) = self
            .request(method, path, body, true)
            .unwrap_or_else(|e| panic!("{method} {path}: {e}"));
        assert!(
            (200..300).contains(&status),
            "{method} {path}: {status} {text}"
        );
        text
    }

    /// Calls the REST API as the admin and returns the status, whatever it is.
    pub fn request_status(&self, method: &str, path: &str) -> u16 {
        self.request(method, path, None, true)
            .unwrap_or_else(|e| panic!("{method} {path}: {e}"))
            .0
    }

    /// The API's JSON answer to `GET path`.
    pub fn get_json(&self, path: &str) -> serde_json::Value {
        serde_json::from_str(&self.api("GET", path, None)).unwrap()
    }

    /// Makes an API key for the admin (for `token_command`) and returns it.
    pub fn api_key(&self) -> String {
        let made = self.api(
            "POST",
            "/v1/api-keys",
            Some(
                &serde_json::json!({ "description": format!("tidings {}", self.port) }).to_string(),
            ),
        );
        serde_json::from_str::<serde_json::Value>(&made).unwrap()["token"]
            .as_str()
            .unwrap()
            .to_string()
    }

    /// Subscribes to `feed_url` (Miniflux fetches it at once) in the category `category` (made
    /// when missing) and returns the feed's id.
    pub fn subscribe(&self, feed_url: &str, category: &str) -> i64 {
        let categories = self.get_json("/v1/categories");
        let existing = categories
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["title"] == category)
            .map(|c| c["id"].as_i64().unwrap());
        let category_id = existing.unwrap_or_else(|| {
            let made = self.api(
                "POST",
                "/v1/categories",
                Some(&serde_json::json!({ "title": category }).to_string()),
            );
            serde_json::from_str::<serde_json::Value>(&made).unwrap()["id"]
                .as_i64()
                .unwrap()
        });
        let made = self.api(
            "POST",
            "/v1/feeds",
            Some(
                &serde_json::json!({ "feed_url": feed_url, "category_id": category_id })
                    .to_string(),
            ),
        );
        serde_json::from_str::<serde_json::Value>(&made).unwrap()["feed_id"]
            .as_i64()
            .unwrap()
    }

    /// Has Miniflux fetch one feed again now.
    pub fn refresh_feed(&self, feed_id: i64) {
        self.api("PUT", &format!("/v1/feeds/{feed_id}/refresh"), None);
    }

    /// Every entry the server has, as `(id, title, status, starred)`, by id.
    pub fn entries(&self) -> Vec<(i64, String, String, bool)> {
        let v = self.get_json("/v1/entries?limit=1000&order=id&direction=asc");
        v["entries"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                (
                    e["id"].as_i64().unwrap(),
                    e["title"].as_str().unwrap().to_string(),
                    e["status"].as_str().unwrap().to_string(),
                    e["starred"].as_bool().unwrap(),
                )
            })
            .collect()
    }

    /// Sets entries' status (`read`, `unread`) on the server.
    pub fn set_status(&self, ids: &[i64], status: &str) {
        self.api(
            "PUT",
            "/v1/entries",
            Some(&serde_json::json!({ "entry_ids": ids, "status": status }).to_string()),
        );
    }

    /// Stars or unstars entries on the server.
    pub fn set_starred(&self, ids: &[i64], starred: bool) {
        self.api(
            "PUT",
            "/v1/entries",
            Some(&serde_json::json!({ "entry_ids": ids, "starred": starred }).to_string()),
        );
    }

    /// One HTTP/1.0 request (so the answer is never chunked) to Miniflux; `auth` adds the admin's
    /// basic credentials. Returns the status and the body.
    fn request(
        &self,
        method: &str,
        path: &str,
        body: Option<&str>,
        auth: bool,
    ) -> std::io::Result<(u16, String)> {
        let mut s = TcpStream::connect(("127.0.0.1", self.port))?;
        s.set_read_timeout(Some(Duration::from_secs(60)))?;
        let body = body.unwrap_or("");
        let mut head = format!(
            "{method} {path} HTTP/1.0\r\nHost: 127.0.0.1:{}\r\nContent-Length: {}\r\n",
            self.port,
            body.len()
        );
        if !body.is_empty() {
            head.push_str("Content-Type: application/json\r\n");
        }
        if auth {
            use base64::Engine;
            let token =
                base64::engine::general_purpose::STANDARD.encode(format!("{USER}:{PASSWORD}"));
            head.push_str(&format!("Authorization: Basic {token}\r\n"));
        }
        head.push_str("\r\n");
        s.write_all(head.as_bytes())?;
        s.write_all(body.as_bytes())?;
        let mut raw = Vec::new();
        s.read_to_end(&mut raw)?;
        let text = String::from_utf8_lossy(&raw).into_owned();
        let status = text
            .split_whitespace()
            .nth(1)
            .and_then(|c| c.parse().ok())
            .unwrap_or(0);
        let body = text
            .split_once("\r\n\r\n")
            .map(|(_, b)| b.to_string())
            .unwrap_or_default();
        Ok((status, body))
    }
}

impl Drop for Miniflux {
    fn drop(&mut self) {
        self.stop();
    }
}

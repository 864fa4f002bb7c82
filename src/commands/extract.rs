//! `tidings extract SOURCE`: the article of a web page, as the reader would show it.
//!
//! The page is read like any input: a URL through the fetcher (http(s) only, capped, timed out,
//! at most five redirects), a local file only when it is a regular file, within the size cap,
//! `-` from standard input within the same cap. Its bytes are decoded by the header's charset,
//! else the page's `<meta>`, else UTF-8.

use std::process::ExitCode;

use serde::Serialize;
use url::Url;

use super::Context;
use crate::cli::ExtractArgs;
use crate::content::extract::{Article, decode_page, extract};
use crate::content::{self, sanitize_line};
use crate::fetch::{FetchError, Source, classify, read_local_file, read_stdin};

/// What `--json` prints.
#[derive(Serialize)]
struct ArticleJson {
    title: Option<String>,
    author: Option<String>,
    published: Option<String>,
    /// The article's plain text: paragraphs separated by blank lines, no link list.
    text: String,
    /// The article as displayed (wrapped, with its numbered links).
    body: String,
}

/// Prints the article of `args.source`.
pub async fn run(ctx: &Context, args: ExtractArgs) -> anyhow::Result<ExitCode> {
    let (bytes, content_type, url) = read(ctx, &args.source).await?;
    let source = sanitize_line(&args.source).into_owned();
    if let Some(ct) = &content_type
        && !is_html_type(ct)
    {
        anyhow::bail!("{source}: not an HTML page ({})", sanitize_line(ct));
    }
    let page = decode_page(&bytes, content_type.as_deref());
    drop(bytes);
    let base = url.as_deref().and_then(|u| Url::parse(u).ok());
    let article = extract(&page, base.as_ref(), args.selector.as_deref())
        .map_err(|e| anyhow::anyhow!("{source}: {e}"))?;
    let width = args
        .width
        .map(usize::from)
        .unwrap_or_else(super::show::default_width);
    // The blocks came with the extraction's own walk of the page: nothing is parsed again.
    let body = content::render_document(&article.doc, width);
    let mut out = super::output::stdout();
    if args.json {
        out.json(&to_json(article, body))?;
    } else {
        if let Some(title) = &article.title {
            for line in textwrap::wrap(title, width) {
                out.line(line)?;
            }
        }
        let mut meta = Vec::new();
        if let Some(a) = &article.author {
            meta.push(a.clone());
        }
        if let Some(p) = article.published {
            meta.push(p.format("%Y-%m-%d %H:%M").to_string());
        }
        meta.push(format!("{} words", article.words));
        out.line(meta.join(" · "))?;
        out.line("")?;
        out.text(&body)?;
        if !body.ends_with('\n') {
            out.line("")?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn to_json(a: Article, body: String) -> ArticleJson {
    ArticleJson {
        title: a.title,
        author: a.author,
        published: a
            .published
            .map(|p| p.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
        text: a.text,
        body,
    }
}

/// Whether a `Content-Type` names an HTML (or XHTML, or unlabelled text) page.
fn is_html_type(ct: &str) -> bool {
    let mime = ct
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    matches!(
        mime.as_str(),
        "text/html" | "application/xhtml+xml" | "text/plain" | "" | "application/octet-stream"
    )
}

/// The page's bytes, its `Content-Type` when fetched, and its address (for relative links).
async fn read(
    ctx: &Context,
    source: &str,
) -> anyhow::Result<(Vec<u8>, Option<String>, Option<String>)> {
    let limits = ctx.config.fetch_config();
    if source == "-" {
        let bytes = read_stdin(limits.max_body)
            .map_err(|e| anyhow::anyhow!("cannot read standard input: {e}"))?;
        return Ok((bytes, None, None));
    }
    match classify(source) {
        Ok(Source::File(path)) => {
            let bytes = read_local_file(&path, limits.max_body, limits.request_timeout)
                .map_err(|e| FetchError::from_local(path.clone(), e))?;
            let url = std::path::absolute(&path)
                .ok()
                .and_then(|p| Url::from_file_path(p).ok())
                .map(String::from);
            Ok((bytes, None, url))
        }
        Ok(Source::Http(_)) => {
            let (body, content_type, final_url) = super::fetch_once(limits, source).await?;
            Ok((body, content_type, Some(final_url)))
        }
        Ok(Source::Demo(_)) => {
            anyhow::bail!("{}: a demo feed is not a web page", sanitize_line(source))
        }
        Err(e) => anyhow::bail!("{}: not a URL or an HTML file ({e})", sanitize_line(source)),
    }
}

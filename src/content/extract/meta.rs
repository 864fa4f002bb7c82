//! A page's metadata: title, author, date and lead image from its `<meta>` tags (Open Graph,
//! Twitter, Dublin Core), its JSON-LD and its `<title>`; and the article body the JSON-LD may
//! carry, a hint for finding the article's element.

use chrono::{DateTime, NaiveDate, Utc};
use scraper::{ElementRef, Html};
use serde_json::Value;
use url::Url;

use crate::content::sanitize_line;

/// What a page says about its article.
#[derive(Debug, Clone, Default)]
pub struct Meta {
    /// The title.
    pub title: Option<String>,
    /// The author.
    pub author: Option<String>,
    /// When it was published.
    pub published: Option<DateTime<Utc>>,
    /// The lead image, absolute when the page's address is known.
    pub lead_image: Option<String>,
    /// The article's text as the page's JSON-LD gives it (`articleBody`).
    pub body_hint: Option<String>,
}

/// Reads a page's metadata.
pub fn read(doc: &Html, base: Option<&Url>) -> Meta {
    let mut metas: Vec<(String, String)> = Vec::new();
    let mut ld = Vec::new();
    let mut title_tag = None;
    let mut h1 = None;
    let mut author_link = None;
    for node in doc.tree.root().descendants() {
        let Some(el) = ElementRef::wrap(node) else {
            continue;
        };
        let e = el.value();
        match e.name() {
            "meta" => {
                let key = e.attr("property").or(e.attr("name")).or(e.attr("itemprop"));
                if let (Some(k), Some(v)) = (key, e.attr("content")) {
                    metas.push((k.to_ascii_lowercase(), v.to_string()));
                }
            }
            "script" if e.attr("type").is_some_and(|t| t.contains("ld+json")) => {
                let text: String = el.text().collect();
                if let Ok(v) = serde_json::from_str::<Value>(&text) {
                    ld.push(v);
                }
            }
            "title" if title_tag.is_none() => title_tag = Some(el.text().collect::<String>()),
            "h1" if h1.is_none() => h1 = Some(el.text().collect::<String>()),
            "a" if author_link.is_none() && e.attr("rel") == Some("author") => {
                author_link = Some(el.text().collect::<String>())
            }
            _ => {}
        }
    }
    let meta = |keys: &[&str]| {
        keys.iter().find_map(|k| {
            metas
                .iter()
                .find(|(mk, v)| mk == k && !v.trim().is_empty())
                .map(|(_, v)| v.clone())
        })
    };
    let article = ld.iter().find_map(find_article);
    let ld_str = |key: &str| article.and_then(|a| a.get(key)).and_then(as_text);

    let title = meta(&["og:title", "twitter:title"])
        .or_else(|| ld_str("headline"))
        .or(h1)
        .or(title_tag);
    let author = article
        .and_then(|a| a.get("author"))
        .and_then(author_name)
        .or_else(|| {
            meta(&["author", "article:author", "dc.creator", "byl"])
                .filter(|a| !a.starts_with("http"))
        })
        .or(author_link)
        .map(|a| {
            a.trim_start_matches("By ")
                .trim_start_matches("by ")
                .to_string()
        });
    let published = ld_str("datePublished")
        .and_then(|d| parse_date(&d))
        .or_else(|| {
            meta(&[
                "article:published_time",
                "datepublished",
                "pubdate",
                "publishdate",
                "date",
                "dc.date",
                "dc.date.issued",
                "sailthru.date",
                "parsely-pub-date",
            ])
            .and_then(|d| parse_date(&d))
        });
    let lead_image = meta(&[
        "og:image",
        "og:image:url",
        "twitter:image",
        "twitter:image:src",
    ])
    .or_else(|| article.and_then(|a| a.get("image")).and_then(image_url))
    .and_then(|src| match base {
        Some(b) => b.join(src.trim()).ok().map(|u| u.to_string()),
        None => Url::parse(src.trim()).ok().map(|u| u.to_string()),
    });
    Meta {
        title: clean(title),
        author: clean(author),
        published,
        lead_image,
        body_hint: ld_str("articleBody"),
    }
}

/// One line of text, sanitised, or nothing when empty.
fn clean(s: Option<String>) -> Option<String> {
    let s = s?;
    let s = sanitize_line(&s)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    (!s.is_empty()).then_some(s)
}

/// The JSON-LD object that describes an article, searched through arrays and `@graph`.
fn find_article(v: &Value) -> Option<&Value> {
    match v {
        Value::Array(items) => items.iter().find_map(find_article),
        Value::Object(o) => {
            let is_article = match o.get("@type") {
                Some(Value::String(t)) => is_article_type(t),
                Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).any(is_article_type),
                _ => false,
            };
            if is_article {
                return Some(v);
            }
            o.get("@graph").and_then(find_article)
        }
        _ => None,
    }
}

fn is_article_type(t: &str) -> bool {
    t.ends_with("Article") || matches!(t, "BlogPosting" | "Report" | "LiveBlogPosting" | "Review")
}

fn as_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) if !s.trim().is_empty() => Some(s.clone()),
        Value::Array(a) => a.iter().find_map(as_text),
        _ => None,
    }
}

/// The names of a JSON-LD author (a string, a Person, or a list of them).
fn author_name(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Object(o) => o.get("name").and_then(as_text),
        Value::Array(a) => {
            let names: Vec<String> = a.iter().filter_map(author_name).collect();
            (!names.is_empty()).then(|| names.join(", "))
        }
        _ => None,
    }
}

/// The address of a JSON-LD image (a string, an ImageObject, or a list of them).
fn image_url(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Object(o) => o.get("url").and_then(as_text),
        Value::Array(a) => a.iter().find_map(image_url),
        _ => None,
    }
}

/// Parses the dates pages write: RFC 3339, RFC 2822, and a bare date.
pub fn parse_date(s: &str) -> Option<DateTime<Utc>> {
    let s = s.trim();
    if let Ok(d) = DateTime::parse_from_rfc3339(s) {
        return Some(d.with_timezone(&Utc));
    }
    if let Ok(d) = DateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f%z") {
        return Some(d.with_timezone(&Utc));
    }
    if let Ok(d) = DateTime::parse_from_rfc2822(s) {
        return Some(d.with_timezone(&Utc));
    }
    if let Ok(d) = chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S") {
        return Some(d.and_utc());
    }
    let day = s.get(..10)?;
    NaiveDate::parse_from_str(day, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|d| d.and_utc())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_the_shapes_pages_write_them() {
        let want = "2019-11-18T16:18:00+00:00";
        for s in [
            "2019-11-18T16:18:00Z",
            "2019-11-18T17:18:00+0100",
            "Mon, 18 Nov 2019 16:18:00 GMT",
            "2019-11-18T16:18:00",
        ] {
            assert_eq!(
                parse_date(s).map(|d| d.to_rfc3339()).as_deref(),
                Some(want),
                "{s}"
            );
        }
        assert_eq!(
            parse_date("2019-11-18").map(|d| d.to_rfc3339()).as_deref(),
            Some("2019-11-18T00:00:00+00:00")
        );
        assert_eq!(parse_date("yesterday"), None);
    }

    #[test]
    fn json_ld_article_is_found_in_a_graph_and_its_authors_joined() {
        let v: Value = serde_json::from_str(
            r#"{"@graph":[{"@type":"WebPage"},{"@type":["NewsArticle"],"author":[{"name":"A"},{"name":"B"}]}]}"#,
        )
        .unwrap();
        let a = find_article(&v).unwrap();
        assert_eq!(author_name(&a["author"]).as_deref(), Some("A, B"));
    }
}

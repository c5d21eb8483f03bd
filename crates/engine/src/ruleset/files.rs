//! Reading rule, definitions and calendar files from disk: a file's text
//! (refusing pipes, sockets, folders, files too large and text that is not
//! UTF-8), the calendar files a rule file may name, and the folders that
//! hold rulesets.

use crate::calendar::Calendar;
use crate::diagnostic::LoadError;
use judgement_syntax::MAX_SOURCE_BYTES;
use std::io::Read as _;
use std::path::{Path, PathBuf};

/// What a path is that reading could wait on for ever: a named pipe or a
/// socket; `None` for a file, a folder or a device (a device that never
/// ends is refused at the size limit).
fn not_a_file(meta: &std::fs::Metadata) -> Option<&'static str> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let kind = meta.file_type();
        if kind.is_fifo() {
            return Some("a named pipe");
        }
        if kind.is_socket() {
            return Some("a socket");
        }
    }
    #[cfg(not(unix))]
    let _ = meta;
    None
}

/// A rule, definitions or calendar file's text, without the byte-order mark
/// that Notepad and Word write (spans and snippets then match what an editor
/// shows). At most `MAX_SOURCE_BYTES` are read: a larger file, or a device
/// that never ends, is refused without reading the rest.
pub fn read_source(path: &Path) -> Result<String, LoadError> {
    let io = |message: String| LoadError::Io {
        path: path.to_path_buf(),
        message,
    };
    // Opening a named pipe waits for a writer that may never come: it is
    // refused before it is opened, as a socket is (which cannot be), and
    // as a folder is.
    let meta = std::fs::metadata(path).map_err(|e| io(e.to_string()))?;
    if let Some(what) = not_a_file(&meta) {
        return Err(io(format!("it is {what}, not a file")));
    }
    if meta.is_dir() {
        return Err(io("it is a folder".into()));
    }
    let file = std::fs::File::open(path).map_err(|e| io(e.to_string()))?;
    let cap = u64::try_from(MAX_SOURCE_BYTES).unwrap_or(u64::MAX) + 1;
    let mut bytes = Vec::new();
    file.take(cap)
        .read_to_end(&mut bytes)
        .map_err(|e| io(e.to_string()))?;
    if bytes.len() > MAX_SOURCE_BYTES {
        return Err(io(format!(
            "it is larger than {MAX_SOURCE_BYTES} bytes, the most a rule or calendar file may be"
        )));
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let good = e.as_bytes().get(..at).unwrap_or_default();
        let before = std::str::from_utf8(good).unwrap_or_default();
        let (line, column) = judgement_syntax::line_col(before, before.len());
        LoadError::NotText {
            path: path.to_path_buf(),
            line,
            column,
            byte: at.saturating_add(1),
        }
    })?;
    Ok(match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_string(),
        None => text,
    })
}

/// The calendar files that a rule file at `path` (or a folder of them) may
/// name, nearest first: each `calendars/*.calendar` of its folder and of
/// every folder above, in name order within a folder. `calendar NAME` is
/// the first of them whose `calendar` line declares `NAME`, whatever the
/// file is called, as [`Ruleset::load`](crate::Ruleset::load) reads them; it refuses two that
/// declare one name in one folder.
pub fn calendar_files(path: &Path) -> Result<Vec<PathBuf>, LoadError> {
    crate::definitions::files_in_ancestors(path, "calendars", "calendar")
}

/// The folders directly in `path` that hold a ruleset's rule files, each
/// named in backticks, sorted (`rulesets/` holds one a ruleset, and one of
/// definitions, which is not named): what to name instead of `path` when
/// `path` holds no rule file itself. Empty where it holds none, or cannot
/// be read.
pub fn rulesets_within(path: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(path) else {
        return Vec::new();
    };
    let mut found: Vec<String> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            std::fs::read_dir(p).is_ok_and(|files| {
                files.filter_map(Result::ok).any(|f| {
                    let f = f.path();
                    f.extension().is_some_and(|x| x == "rules")
                        && readable(&f)
                        && read_source(&f).is_ok_and(|t| {
                            judgement_syntax::file_kind(&t)
                                == judgement_syntax::ast::FileKind::Ruleset
                        })
                })
            })
        })
        .map(|p| format!("`{}`", p.display()))
        .collect();
    found.sort();
    found
}

/// Whether a file found in a folder is one to read: a regular file, or a
/// link to nothing (read, to report that it cannot be). A named pipe, a
/// socket or a device is passed by: reading a pipe waits for a writer that
/// may never come.
pub(crate) fn readable(path: &Path) -> bool {
    std::fs::metadata(path).map_or(true, |m| m.is_file())
}

/// Calendars in `calendars/` in the folder of `path` or any folder above,
/// the nearest of each name; two of one name in one folder are refused.
pub(crate) fn find_calendars(path: &Path) -> Result<Vec<Calendar>, LoadError> {
    let mut found = Vec::new();
    // Each name taken, and the file that took it.
    let mut taken: Vec<(String, PathBuf)> = Vec::new();
    for file in calendar_files(path)? {
        let text = read_source(&file)?;
        let cal = Calendar::parse(&text).map_err(|errors| LoadError::Calendar {
            path: file.clone(),
            text: text.clone(),
            errors,
        })?;
        match taken.iter().find(|(name, _)| name == cal.name()) {
            None => {
                taken.push((cal.name().to_string(), file));
                found.push(cal);
            }
            // Two of a name in one folder: refused, not chosen between by
            // the files' names.
            Some((name, first)) if first.parent() == file.parent() => {
                let (line, column) = Calendar::name_at(&text).unwrap_or((1, 1));
                let first = first
                    .file_name()
                    .map_or_else(String::new, |f| f.to_string_lossy().into_owned());
                let name = name.clone();
                return Err(LoadError::Calendar {
                    path: file,
                    text,
                    errors: vec![crate::calendar::CalendarError::NameTaken {
                        line,
                        column,
                        name,
                        first,
                    }],
                });
            }
            // A nearer folder's calendar of this name is the one meant.
            Some(_) => {}
        }
    }
    Ok(found)
}

//! Finding the rule files named on the command line, and the files below a
//! folder.

use crate::Failure;
use std::path::{Path, PathBuf};

/// Every rule file in `paths`: a file is taken as named, a folder is searched
/// (recursively, in name order) for `*.rules` files.
pub fn rule_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, Failure> {
    let mut found = Vec::new();
    for path in paths {
        let meta = std::fs::metadata(path).map_err(|e| cannot_read(path, &e))?;
        if meta.is_dir() {
            let before = found.len();
            walk(path, &["rules"], &mut found)?;
            if found.len() == before {
                return Err(Failure::Usage(format!(
                    "no rule files (`*.rules`) in `{}`",
                    path.display()
                )));
            }
        } else {
            found.push(path.clone());
        }
    }
    // A file named twice (`a.rules a.rules`, or a file and its folder) is
    // one file: the first naming of it is kept.
    let mut seen = std::collections::HashSet::new();
    found.retain(|p| seen.insert(std::fs::canonicalize(p).unwrap_or_else(|_| p.clone())));
    Ok(found)
}

/// Every file below `dir` whose extension is one of `extensions`, found
/// recursively and in name order.
pub(crate) fn walk(
    dir: &Path,
    extensions: &[&str],
    found: &mut Vec<PathBuf>,
) -> Result<(), Failure> {
    let entries = std::fs::read_dir(dir).map_err(|e| cannot_read(dir, &e))?;
    let mut entries: Vec<_> = entries.filter_map(Result::ok).collect();
    entries.sort_by_key(std::fs::DirEntry::file_name);
    for entry in entries {
        let path = entry.path();
        // Symbolic links to folders are not followed: no loops.
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() {
            walk(&path, extensions, found)?;
        } else if path
            .extension()
            .is_some_and(|x| extensions.iter().any(|e| x == *e))
            && !special(&path)
        {
            found.push(path);
        }
    }
    Ok(())
}

/// A named pipe, socket or device (or a link to one) found in a folder:
/// no file to read, and reading a pipe waits for a writer that may never
/// come, so a search passes it by, as `grep -r` does. A link to nothing
/// is kept, to be reported as a file that cannot be read.
fn special(path: &Path) -> bool {
    // `metadata` follows a link, and fails on one to nothing.
    std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir())
}

pub fn cannot_read(path: &Path, e: &std::io::Error) -> Failure {
    Failure::Io(format!(
        "cannot read `{}`: {e}{}",
        path.display(),
        near_miss(path)
    ))
}

/// Where `path` names nothing, the file or folder beside it whose name is
/// nearest (`2015-04.rules` for `2015-04.rule`), as "; did you mean
/// `...`?"; empty otherwise. Only the folder it names is looked in, and
/// only its first 10,000 entries.
pub fn near_miss(path: &Path) -> String {
    if std::fs::symlink_metadata(path).is_ok() {
        return String::new();
    }
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return String::new();
    };
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let Ok(entries) = std::fs::read_dir(folder) else {
        return String::new();
    };
    let names: Vec<String> = entries
        .take(10_000)
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .collect();
    match judgement_syntax::suggest::nearest(name, names.iter().map(String::as_str)) {
        Some(near) => format!("; did you mean `{}`?", path.with_file_name(near).display()),
        None => String::new(),
    }
}

/// Replace the file at `path` with `text` whole or not at all: the text is
/// written to a new file beside it, which then takes its name. A full disk
/// or a file-size limit leaves the old file as it was, never cut short. The
/// file keeps its permissions. A symbolic link is followed: the file it
/// names is replaced, and the link stays a link.
pub fn write_atomically(path: &Path, text: &str) -> Result<(), Failure> {
    let cannot = |e: std::io::Error| Failure::Io(format!("cannot write `{}`: {e}", path.display()));
    let linked = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    let resolved;
    let path = if linked {
        resolved = std::fs::canonicalize(path).map_err(cannot)?;
        resolved.as_path()
    } else {
        path
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    let temp = path.with_file_name(format!(".{name}.{}.tmp", std::process::id()));
    let written = (|| {
        let mut file = std::fs::File::create(&temp)?;
        std::io::Write::write_all(&mut file, text.as_bytes())?;
        if let Ok(meta) = std::fs::metadata(path) {
            file.set_permissions(meta.permissions())?;
        }
        file.sync_all()?;
        std::fs::rename(&temp, path)
    })();
    if let Err(e) = written {
        let _ = std::fs::remove_file(&temp);
        return Err(cannot(e));
    }
    Ok(())
}

//! Watching the site's folders: which changes need a reload, and what kind.

use super::*;

/// Waits for changes, lets a burst of saves settle, then rebuilds.
/// `watch_again` is called with content/ or themes/ when that folder itself has
/// appeared, gone or moved, to watch inside it afresh (before the rebuild reads it).
pub(super) fn watch_loop(
    shared: &Shared,
    events: &Receiver<notify::Result<notify::Event>>,
    watch_again: &mut dyn FnMut(&Path),
) {
    let content = shared.root.join("content");
    let themes = shared.root.join("themes");
    let mut rewatch = |event: &notify::Result<notify::Event>| {
        for dir in [&content, &themes] {
            if folder_itself_changed(event, dir) {
                watch_again(dir);
            }
        }
    };
    while let Ok(first) = events.recv() {
        if !is_relevant(&first, &content, &themes) {
            continue;
        }
        rewatch(&first);
        let started = Instant::now();
        let mut change = classify(&first, &themes);
        loop {
            match events.recv_timeout(QUIET) {
                Ok(event) if started.elapsed() < MAX_WAIT => {
                    rewatch(&event);
                    change = merge(change, classify(&event, &themes));
                }
                Ok(event) => {
                    rewatch(&event);
                    change = merge(change, classify(&event, &themes));
                    break;
                }
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => return,
            }
        }
        let theme_changed = matches!(change, Change::Theme);
        rebuild(shared, &change, theme_changed);
    }
}

/// Whether an event is `dir` itself being created, removed or renamed (either way).
pub(super) fn folder_itself_changed(event: &notify::Result<notify::Event>, dir: &Path) -> bool {
    use notify::EventKind;
    use notify::event::ModifyKind;
    event.as_ref().is_ok_and(|event| {
        matches!(
            event.kind,
            EventKind::Create(_) | EventKind::Remove(_) | EventKind::Modify(ModifyKind::Name(_))
        ) && event.paths.iter().any(|p| p == dir)
    })
}

/// What one watcher event changed: the contents of some files only, the
/// theme, or anything (a file added, removed or renamed).
pub(super) fn classify(event: &notify::Result<notify::Event>, themes: &Path) -> Change {
    use notify::EventKind;
    use notify::event::ModifyKind;
    // A lost event may have been anything, the theme included.
    let Ok(event) = event else {
        return Change::Theme;
    };
    if event.paths.iter().any(|p| p.starts_with(themes)) {
        return Change::Theme;
    }
    match event.kind {
        EventKind::Modify(ModifyKind::Data(_) | ModifyKind::Any) => {
            Change::Contents(event.paths.iter().cloned().collect())
        }
        EventKind::Access(_) => Change::Contents(Default::default()),
        _ => Change::Anything,
    }
}

pub(super) fn merge(a: Change, b: Change) -> Change {
    match (a, b) {
        (Change::Theme, _) | (_, Change::Theme) => Change::Theme,
        (Change::Anything, _) | (_, Change::Anything) => Change::Anything,
        (Change::Contents(mut a), Change::Contents(b)) => {
            a.extend(b);
            Change::Contents(a)
        }
    }
}

/// Only changes under content/ or themes/ count, and changes to editors' swap and
/// backup files alone do not trigger a rebuild.
pub(super) fn is_relevant(
    event: &notify::Result<notify::Event>,
    content: &Path,
    themes: &Path,
) -> bool {
    match event {
        // Reading the content (as a reload does) is not a change: counting it
        // made every reload set off the next one.
        Ok(event) if matches!(event.kind, notify::EventKind::Access(_)) => false,
        Ok(event) => event.paths.iter().any(|p| {
            (p.starts_with(content) || p.starts_with(themes))
                && !p
                    .file_name()
                    .is_some_and(|n| is_ignored(&n.to_string_lossy()))
        }),
        Err(_) => true,
    }
}

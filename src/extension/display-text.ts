import { displayText as visibleText } from '../core/format/display-text';

/**
 * Log values shown in native UI (tree labels, tooltips, quick picks, notifications). VS Code renders
 * these strings as text, but bidi overrides and control characters could still disguise a value and a
 * megabyte-long name would swamp the layout: they get the results view's visible markers and a length cap.
 */
export function displayText(value: string, maxLength = 200): string {
  const visible = visibleText(value);
  return visible.length > maxLength ? `${visible.slice(0, maxLength - 1)}…` : visible;
}

/**
 * A notification's text. VS Code turns `[label](target)` in a notification into a link, `command:`
 * targets included; case titles, query names, paths and service messages can come from someone else's
 * file or from a log. Parting `]` from `(` keeps every character readable and no link.
 */
export function noticeText(message: string): string {
  return message.replaceAll('](', '] (');
}

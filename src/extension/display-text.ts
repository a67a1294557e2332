import { displayText as visibleText } from '../core/format/display-text';

/**
 * Log values shown in native UI (tree labels, tooltips, quick picks, notifications). VS Code renders
 * these strings as text, but bidi overrides and control characters could still disguise a value and a
 * megabyte-long name would swamp the layout: they get the results view's visible markers and a length cap.
 * Quick picks, CodeLens titles and status bar items draw `$(name)` as an icon (`$(pass-filled) verified`
 * would pass for a check mark): a zero-width space after the `$` leaves it text.
 */
export function displayText(value: string, maxLength = 200): string {
  return capped(shown(value), maxLength);
}

/**
 * A tooltip of several lines, each shown as displayText shows a value: a line break inside a value stays
 * a marker, so a log value cannot add a line that passes for another.
 */
export function tooltipText(lines: ReadonlyArray<string | false | undefined>, maxLength = 2000): string {
  return capped(lines.filter((line): line is string => typeof line === 'string' && line !== '').map(shown).join('\n'), maxLength);
}

function shown(value: string): string {
  return visibleText(value).replace(/\$\(/g, '$\u200b(');
}

function capped(text: string, maxLength: number): string {
  if (text.length <= maxLength) return text;
  // Never half a surrogate pair: a lone one shows as a replacement character.
  const end = /[\ud800-\udbff]/.test(text[maxLength - 2]) ? maxLength - 2 : maxLength - 1;
  return `${text.slice(0, end)}…`;
}

/**
 * A notification's text. VS Code turns `[label](target)` in a notification into a link, `command:`
 * targets included; case titles, query names, paths and service messages can come from someone else's
 * file or from a log. Parting `]` from `(` keeps every character readable and no link.
 */
export function noticeText(message: string): string {
  return message.replaceAll('](', '] (');
}

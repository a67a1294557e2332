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

/**
 * The sign-in command an expired SSO session calls for, written by credentialError (accounts.ts) and
 * found again by the editor's "Copy Command" button. Kept apart from accounts.ts so the button does not
 * load the SDK at activation.
 */

/** `aws sso login --profile NAME`, the name single-quoted for a POSIX shell unless it is a plain word. */
export function ssoLoginCommand(profile: string): string {
  const word = /^[\w.@+-]+$/.test(profile) ? profile : `'${profile.replace(/'/g, `'\\''`)}'`;
  return `aws sso login --profile ${word}`;
}

/** That command inside a message, profile and all. */
export const SSO_LOGIN_COMMAND = /aws sso login --profile (?:[\w.@+-]+|'(?:[^']|'\\'')*')/;

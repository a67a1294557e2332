import * as vscode from 'vscode';
import { SAVED_ROWS } from '../core/notebook/notebook-file';
import { noticeText } from './display-text';

/** The trailscope.* settings (declared in package.json contributes.configuration), read fresh on each use. */
export interface Settings {
  evidenceStores: string[];
  regions: string[];
  endpointUrl: string;
  relatedWindowMinutes: number;
  maxResults: number;
  notebookSavedRows: number;
}

/**
 * VS Code does not enforce a setting's declared type, minimum or maximum when the extension reads it (a
 * hand-edited settings.json can hold `"evidenceStores": "cases/x.duckdb"`): a value out of range is
 * brought to the nearest allowed one, and a value of the wrong type is ignored for the default, which
 * the user is told once (the setting, what it should be, what was found).
 */
export function settings(): Settings {
  const config = vscode.workspace.getConfiguration('trailscope');
  const value = (key: string): unknown => config.get<unknown>(key);
  const endpointUrl = text(value('endpointUrl'), 'endpointUrl', 'no demo account').trim();
  return {
    evidenceStores: strings(value('evidenceStores'), 'evidenceStores', [], 'a list of paths, such as ["cases/incident.duckdb"]', 'only the workspace\'s *.duckdb files are shown'),
    regions: strings(value('regions'), 'regions', ['us-east-1'], 'a list of region names, such as ["us-east-1", "eu-west-1"]', 'us-east-1 is used', true),
    // `npm start` hands the demo endpoint it started to the extension host through the environment. Only
    // an http(s) URL is one: anything else would send the demo account's requests nowhere.
    endpointUrl: /^https?:\/\/[^\s/]+/.test(endpointUrl) ? endpointUrl : (process.env.TRAILSCOPE_ENDPOINT_URL ?? ''),
    relatedWindowMinutes: bounded(value('relatedWindowMinutes'), 'relatedWindowMinutes', 15, 1, 1440),
    maxResults: bounded(value('maxResults'), 'maxResults', 10_000, 1, 10_000),
    notebookSavedRows: bounded(value('notebook.savedRows'), 'notebook.savedRows', SAVED_ROWS, 0, Number.MAX_SAFE_INTEGER),
  };
}

function bounded(value: unknown, key: string, fallback: number, min: number, max: number): number {
  if (typeof value === 'number' && Number.isFinite(value)) return Math.min(max, Math.max(min, Math.round(value)));
  if (value !== undefined) ignored(key, 'a number', value, `${fallback.toLocaleString('en-US')} is used`);
  return fallback;
}

function strings(value: unknown, key: string, fallback: string[], expected: string, instead: string, nonEmpty = false): string[] {
  if (Array.isArray(value) && value.every((v) => typeof v === 'string') && (!nonEmpty || value.length > 0)) return value;
  if (value !== undefined) ignored(key, expected, value, instead);
  return fallback;
}

function text(value: unknown, key: string, instead: string): string {
  if (typeof value === 'string') return value;
  if (value !== undefined && value !== null) ignored(key, 'a URL in quotes, such as "http://127.0.0.1:4599"', value, instead);
  return '';
}

/** Each wrong setting is named once a session (again only if it goes wrong another way). */
const told = new Set<string>();

function ignored(key: string, expected: string, value: unknown, instead: string): void {
  const found = kindOf(value);
  if (told.has(`${key}\n${found}`)) return;
  told.add(`${key}\n${found}`);
  const message = `The setting trailscope.${key} is ignored: it should be ${expected}, but it is ${found}; ${instead}.`;
  void vscode.window.showWarningMessage(noticeText(`Trailscope: ${message}`), 'Open Settings').then((action) => {
    if (action) void vscode.commands.executeCommand('workbench.action.openSettings', `trailscope.${key}`);
  });
}

/** What a setting's value is, in words; never the value itself. */
function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) {
    if (value.length === 0) return 'an empty list';
    const other = value.find((v) => typeof v !== 'string');
    return `a list holding ${kindOf(other)}`;
  }
  switch (typeof value) {
    case 'string':
      return 'a string';
    case 'number':
      return Number.isFinite(value) ? 'a number' : 'not a finite number';
    case 'boolean':
      return `${value}`;
    case 'object':
      return 'an object';
    default:
      return typeof value;
  }
}

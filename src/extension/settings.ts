import * as vscode from 'vscode';
import { SAVED_ROWS } from '../core/notebook/notebook-file';

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
 * VS Code does not enforce a setting's declared minimum or maximum when the extension reads it: a value
 * out of range is brought to the nearest allowed one, a value of the wrong type to the default.
 */
function bounded(value: unknown, fallback: number, min: number, max: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? Math.min(max, Math.max(min, Math.round(value))) : fallback;
}

export function settings(): Settings {
  const config = vscode.workspace.getConfiguration('trailscope');
  const regions = config.get<unknown>('regions');
  const endpointUrl = (config.get<string>('endpointUrl', '') || '').trim();
  return {
    evidenceStores: config.get<string[]>('evidenceStores', []),
    regions: Array.isArray(regions) && regions.length > 0 && regions.every((r) => typeof r === 'string') ? regions : ['us-east-1'],
    // `npm start` hands the demo endpoint it started to the extension host through the environment. Only
    // an http(s) URL is one: anything else would send the demo account's requests nowhere.
    endpointUrl: /^https?:\/\/[^\s/]+/.test(endpointUrl) ? endpointUrl : (process.env.TRAILSCOPE_ENDPOINT_URL ?? ''),
    relatedWindowMinutes: bounded(config.get('relatedWindowMinutes'), 15, 1, 1440),
    maxResults: bounded(config.get('maxResults'), 10_000, 1, 10_000),
    notebookSavedRows: bounded(config.get('notebook.savedRows'), SAVED_ROWS, 0, Number.MAX_SAFE_INTEGER),
  };
}

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

export function settings(): Settings {
  const config = vscode.workspace.getConfiguration('trailscope');
  return {
    evidenceStores: config.get<string[]>('evidenceStores', []),
    regions: config.get<string[]>('regions', ['us-east-1']),
    // `npm start` hands the demo endpoint it started to the extension host through the environment.
    endpointUrl: config.get<string>('endpointUrl', '').trim() || (process.env.TRAILSCOPE_ENDPOINT_URL ?? ''),
    relatedWindowMinutes: config.get<number>('relatedWindowMinutes', 15),
    maxResults: config.get<number>('maxResults', 10_000),
    notebookSavedRows: config.get<number>('notebook.savedRows', SAVED_ROWS),
  };
}

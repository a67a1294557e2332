import * as vscode from 'vscode';
import type { TrailSource } from '../sources/source';
import type { Services } from './services/ports';
import { settings } from './settings';
import type { Target } from '../core/target';
import { DEMO_PROFILE } from './wizards/target';

/** Everything a wizard can offer as a target: the evidence stores, every AWS profile, and the demo account. */
export async function availableTargets(services: Services): Promise<Target[]> {
  const { regions, endpointUrl } = settings();
  const stores: Target[] = (await evidenceStorePaths()).map((path) => ({ kind: 'evidence', path }));
  const profiles = await services.live.profiles().catch(() => []);
  const live: Target[] = profiles.map((p) => ({ kind: 'live', profile: p.name, regions: p.region && !regions.includes(p.region) ? [p.region, ...regions] : regions }));
  if (endpointUrl) live.push({ kind: 'live', profile: DEMO_PROFILE, regions });
  return [...stores, ...live];
}

export async function sourceFor(services: Services, target: Target): Promise<TrailSource> {
  return target.kind === 'evidence' ? (await services.evidence.open(target.path)).source : services.live.source(target.profile, target.regions);
}

/** Stores named in trailscope.evidenceStores (relative to the first workspace folder) and *.duckdb files in the workspace. */
export async function evidenceStorePaths(): Promise<string[]> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  const root = folders[0]?.uri;
  const configured = settings().evidenceStores.map((p) => (/^([a-z]:)?[\\/]/i.test(p) || !root ? p : vscode.Uri.joinPath(root, p).fsPath));
  const found = (await Promise.all(folders.map((f) => findStores(f.uri, STORE_SEARCH_DEPTH)))).flat();
  return [...new Set([...configured, ...found])].sort();
}

/**
 * A bounded walk rather than workspace.findFiles: the search service honours .gitignore, and evidence
 * stores are exactly the kind of large binary file a repository ignores (samples/*.duckdb here).
 */
const STORE_SEARCH_DEPTH = 4;
const SKIPPED_FOLDERS = new Set(['node_modules', 'dist', 'out', '.git']);

async function findStores(folder: vscode.Uri, depth: number): Promise<string[]> {
  let entries: Array<[string, vscode.FileType]>;
  try {
    entries = await vscode.workspace.fs.readDirectory(folder);
  } catch {
    return [];
  }
  const stores = entries.filter(([name, type]) => type === vscode.FileType.File && name.endsWith('.duckdb')).map(([name]) => vscode.Uri.joinPath(folder, name).fsPath);
  if (depth === 0) return stores;
  const folders = entries.filter(([name, type]) => type === vscode.FileType.Directory && !name.startsWith('.') && !SKIPPED_FOLDERS.has(name));
  const nested = await Promise.all(folders.map(([name]) => findStores(vscode.Uri.joinPath(folder, name), depth - 1)));
  return [...stores, ...nested.flat()];
}

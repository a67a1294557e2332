import * as vscode from 'vscode';
import type { TrailSource } from '../sources/source';
import type { Services } from './services/ports';
import { settings } from './settings';
import type { Target } from '../core/target';
import { DEMO_PROFILE } from './wizards/target';

/**
 * The regions a profile is read in: its own region (its `region =`, where its resources most likely are)
 * first, then trailscope.regions; the same from the palette and from the tree.
 */
export function profileRegions(own: string | undefined): string[] {
  const { regions } = settings();
  return own && !regions.includes(own) ? [own, ...regions] : regions;
}

/** Everything a wizard can offer as a target: the evidence stores, every AWS profile, and the demo account. */
export async function availableTargets(services: Services): Promise<Target[]> {
  const stores: Target[] = (await evidenceStorePaths()).map((path) => ({ kind: 'evidence', path }));
  const profiles = await services.live.profiles().catch(() => []);
  const live: Target[] = profiles.map((p) => ({ kind: 'live', profile: p.name, regions: profileRegions(p.region) }));
  if (settings().endpointUrl) live.push({ kind: 'live', profile: DEMO_PROFILE, regions: profileRegions(undefined) });
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
  return [...new Set([...configured, ...(await workspaceFiles('.duckdb'))])].sort();
}

/**
 * The files of the workspace folders whose names end with `suffix` (evidence stores, case files), by a
 * bounded walk rather than workspace.findFiles: the search service honours .gitignore, and evidence is
 * exactly what a repository ignores (samples/*.duckdb and the sample's case file here).
 */
export async function workspaceFiles(suffix: string): Promise<string[]> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  return (await Promise.all(folders.map((f) => findFiles(f.uri, suffix, SEARCH_DEPTH)))).flat();
}

const SEARCH_DEPTH = 4;
const SKIPPED_FOLDERS = new Set(['node_modules', 'dist', 'out', '.git']);

async function findFiles(folder: vscode.Uri, suffix: string, depth: number): Promise<string[]> {
  let entries: Array<[string, vscode.FileType]>;
  try {
    entries = await vscode.workspace.fs.readDirectory(folder);
  } catch {
    return [];
  }
  const files = entries.filter(([name, type]) => type === vscode.FileType.File && name.endsWith(suffix)).map(([name]) => vscode.Uri.joinPath(folder, name).fsPath);
  if (depth === 0) return files;
  const folders = entries.filter(([name, type]) => type === vscode.FileType.Directory && !name.startsWith('.') && !SKIPPED_FOLDERS.has(name));
  const nested = await Promise.all(folders.map(([name]) => findFiles(vscode.Uri.joinPath(folder, name), suffix, depth - 1)));
  return [...files, ...nested.flat()];
}

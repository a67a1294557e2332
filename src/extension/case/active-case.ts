import { basename, dirname } from 'node:path';
import * as vscode from 'vscode';
import { newCase, readCase, type InvestigationCase } from '../../core/case/case-file';
import { changeCaseFile, writeCaseFile } from '../../core/case/save';
import { decodeText } from '../../core/text-bytes';

/** The case as last read: its content and the entries left out, or why it could not be read at all. */
export type CaseState = { uri: vscode.Uri; investigation: InvestigationCase; problems: string[] } | { uri: vscode.Uri; error: string };

const MEMORY_KEY = 'trailscope.case';

async function readState(uri: vscode.Uri): Promise<CaseState> {
  try {
    const content = decodeText(await vscode.workspace.fs.readFile(uri));
    const read = readCase(content, basename(uri.fsPath), dirname(uri.fsPath));
    return { uri, investigation: read.case, problems: read.problems };
  } catch (error) {
    const message = error instanceof vscode.FileSystemError ? `${basename(uri.fsPath)}: ${error.message}` : error instanceof Error ? error.message : String(error);
    return { uri, error: message };
  }
}

/** Cases are saved on disk (core/case/save.ts); one on another file system is only read. */
function onDisk(uri: vscode.Uri): string {
  if (uri.scheme !== 'file') throw new Error(`${basename(uri.path)} is not on this machine's disk (${uri.scheme}:), where Trailscope saves investigation cases`);
  return uri.fsPath;
}

/**
 * The investigation case the workspace works on: remembered per workspace, read on first use, read again
 * whenever its file changes (an edit by hand, a git pull). Every change is applied to the file's latest
 * content and written at once, so nothing is held only in memory.
 */
export class ActiveCase implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private state: Promise<CaseState | undefined> | undefined;
  private watcher: vscode.Disposable | undefined;
  /** Changes one after another: two pins at once must both land, each on the file the other wrote. */
  private updates: Promise<unknown> = Promise.resolve();

  constructor(private readonly memory: vscode.Memento) {}

  dispose(): void {
    this.watcher?.dispose();
    this.changed.dispose();
  }

  current(): Promise<CaseState | undefined> {
    this.state ??= this.remembered();
    return this.state;
  }

  /** Makes a case file the active case. */
  async open(uri: vscode.Uri): Promise<CaseState> {
    await this.memory.update(MEMORY_KEY, uri.toString());
    const state = this.reload(uri);
    this.watch(uri);
    return state;
  }

  /** Writes a new, empty case and makes it the active one; never over a file that is already there. */
  async create(uri: vscode.Uri, title: string): Promise<CaseState> {
    const exists = await vscode.workspace.fs.stat(uri).then(
      () => true,
      () => false,
    );
    if (exists) throw new Error(`${basename(uri.fsPath)} already exists: open it (Open Investigation Case…), or choose another name`);
    await writeCaseFile(onDisk(uri), newCase(title, new Date()));
    return this.open(uri);
  }

  /**
   * Applies a change to the case file's latest content and writes the result (`changeCaseFile`: under the
   * file's lock, refused while entries of the file are not valid).
   */
  update(change: (investigation: InvestigationCase) => InvestigationCase): Promise<InvestigationCase> {
    const next = this.updates.then(() => this.applyNow(change));
    this.updates = next.catch(() => undefined);
    return next;
  }

  private async applyNow(change: (investigation: InvestigationCase) => InvestigationCase): Promise<InvestigationCase> {
    const known = await this.current();
    if (!known) throw new Error('no investigation case is open: run "Trailscope: New Investigation Case…" or "Open Investigation Case…" first');
    const next = await changeCaseFile(onDisk(known.uri), change);
    this.state = Promise.resolve({ uri: known.uri, investigation: next, problems: [] });
    this.changed.fire();
    return next;
  }

  private async remembered(): Promise<CaseState | undefined> {
    const remembered = this.memory.get<string>(MEMORY_KEY);
    if (!remembered) return undefined;
    const uri = vscode.Uri.parse(remembered);
    this.watch(uri);
    return readState(uri);
  }

  private reload(uri: vscode.Uri): Promise<CaseState> {
    const state = readState(uri);
    this.state = state;
    void state.then(() => this.changed.fire());
    return state;
  }

  private watch(uri: vscode.Uri): void {
    this.watcher?.dispose();
    const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(dirname(uri.fsPath)), basename(uri.fsPath)));
    const again = () => void this.reload(uri);
    this.watcher = vscode.Disposable.from(watcher, watcher.onDidChange(again), watcher.onDidCreate(again), watcher.onDidDelete(again));
  }
}

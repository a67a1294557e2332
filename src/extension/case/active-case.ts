import { constants } from 'node:fs';
import { access, realpath, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import * as vscode from 'vscode';
import { newCase, readCase, serializeCase, type InvestigationCase } from '../../core/case/case-file';
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
    await this.write(uri, newCase(title, new Date()));
    return this.open(uri);
  }

  /**
   * Applies a change to the case file's latest content and writes the result. Refused while entries of
   * the file are not valid: writing would drop them.
   */
  update(change: (investigation: InvestigationCase) => InvestigationCase): Promise<InvestigationCase> {
    const next = this.updates.then(() => this.applyNow(change));
    this.updates = next.catch(() => undefined);
    return next;
  }

  private async applyNow(change: (investigation: InvestigationCase) => InvestigationCase): Promise<InvestigationCase> {
    const known = await this.current();
    if (!known) throw new Error('no investigation case is open: run "Trailscope: New Investigation Case…" or "Open Investigation Case…" first');
    const fresh = await readState(known.uri);
    if ('error' in fresh) throw new Error(fresh.error);
    if (fresh.problems.length > 0) {
      throw new Error(`the case file has ${fresh.problems.length} entries that are not valid (${fresh.problems[0]}); fix them in the file first, so that saving does not drop them`);
    }
    const next = change(fresh.investigation);
    if (next !== fresh.investigation) await this.write(fresh.uri, next);
    this.state = Promise.resolve({ ...fresh, investigation: next });
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

  /**
   * Whole or not at all: on disk the text goes to a file beside the case (the file a symlink points at),
   * which then takes its name in one rename. A case file made read-only stays as it is.
   */
  private async write(uri: vscode.Uri, investigation: InvestigationCase): Promise<void> {
    const text = serializeCase(investigation, dirname(uri.fsPath));
    if (uri.scheme !== 'file') return vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
    const target = await realpath(uri.fsPath).catch(() => uri.fsPath);
    await access(target, constants.W_OK).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw new Error(`${basename(target)} cannot be written (${error.code ?? error.message})`, { cause: error });
    });
    const temporary = `${target}.${process.pid}.${Date.now()}.tmp`;
    try {
      await writeFile(temporary, text);
      await rename(temporary, target);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
  }
}

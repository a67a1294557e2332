import * as vscode from 'vscode';
import { CASE_FILE_SUFFIX, evidenceLabel, type Evidence, type InvestigationCase, type JournalEntry, type QuerySpec } from '../../core/case/case-file';
import { addFinding, addJournalEntry, changeJournalEntry, pinnedFinding, removeFinding, removeQuery as remove, saveQuery as save, setNote } from '../../core/case/edit';
import { LookupParseError, parseTime } from '../../core/lookup/parse';
import { caseTimeline } from '../../core/case/timeline';
import { targetLabel, type Target } from '../../core/target';
import type { CaseNode } from '../case/case-tree';
import { displayText, noticeText } from '../display-text';
import { sourceFor, workspaceFiles } from '../targets';
import type { Investigation } from './context';
import { runInsights } from './insights';
import { runLookup } from './lookup';

/** A new case given directly (tests): skips the prompts. */
export interface NewCaseArgs {
  file: vscode.Uri;
  title: string;
}

function isNewCaseArgs(value: unknown): value is NewCaseArgs {
  return typeof value === 'object' && value !== null && 'file' in value && 'title' in value;
}

/** "Trailscope: New Investigation Case…": a title, then where to keep the case file. */
export async function newCase(app: Investigation, arg?: NewCaseArgs): Promise<boolean> {
  let args = isNewCaseArgs(arg) ? arg : undefined;
  if (!args) {
    const title = await vscode.window.showInputBox({ title: 'New investigation case', prompt: 'A title for the case, e.g. the ticket and what happened', placeHolder: 'IR-2041: access key used from an unknown network', ignoreFocusOut: true, validateInput: (t) => (t.trim() ? undefined : 'Enter a title') });
    if (!title) return false;
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const name = `${title.trim().replace(/[^\w.-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'case'}${CASE_FILE_SUFFIX}`;
    const file = await vscode.window.showSaveDialog({ title: 'Keep the case file at', defaultUri: folder ? vscode.Uri.joinPath(folder, name) : undefined, filters: { 'Trailscope case': ['json'] } });
    if (!file) return false;
    args = { file: file.path.endsWith(CASE_FILE_SUFFIX) ? file : file.with({ path: file.path.replace(/(\.json)?$/, CASE_FILE_SUFFIX) }), title: title.trim() };
  }
  await app.cases.create(args.file, args.title);
  await vscode.commands.executeCommand('trailscope.case.focus');
  return true;
}

/** "Trailscope: Open Investigation Case…": a case file of the workspace, another one, or the one given (explorer menu). */
export async function openCase(app: Investigation, arg?: vscode.Uri): Promise<void> {
  let file = arg instanceof vscode.Uri ? arg : undefined;
  if (!file) {
    const found = (await workspaceFiles(CASE_FILE_SUFFIX)).sort().map((path) => vscode.Uri.file(path));
    const browse = { label: '$(folder-opened) Browse…', uri: undefined };
    const picked = await vscode.window.showQuickPick([...found.map((uri) => ({ label: vscode.workspace.asRelativePath(uri), uri })), browse], { title: 'Open investigation case' });
    if (!picked) return;
    file = picked.uri ?? (await vscode.window.showOpenDialog({ title: 'Open investigation case', canSelectMany: false, filters: { 'Trailscope case': ['json'] } }))?.[0];
    if (!file) return;
  }
  const state = await app.cases.open(file);
  if ('error' in state) throw new Error(state.error);
  await vscode.commands.executeCommand('trailscope.case.focus');
}

/** Whether a case is open, after offering to start or open one when none is; false when the responder declined. */
async function ensureCase(app: Investigation): Promise<boolean> {
  if (await app.cases.current()) return true;
  const choice = await vscode.window.showInformationMessage('No investigation case is open.', 'New Case…', 'Open Case…');
  if (choice === 'New Case…') return newCase(app);
  if (choice === 'Open Case…') await openCase(app);
  return (await app.cases.current()) !== undefined;
}

/**
 * "Pin Event to Case": what the active results panel's event view shows becomes a finding: an event, or
 * an Insights row (a flow record, a log line) with the query that returned it.
 */
export async function pinEvent(app: Investigation): Promise<void> {
  const event = app.panels.selectedEvent();
  const record = app.panels.selectedRecord();
  const selected: { evidence: Evidence; target: Target } | undefined = event
    ? { evidence: { event: event.event }, target: event.target }
    : record && { evidence: { record: record.record, query: record.query }, target: record.target };
  if (!selected) {
    void vscode.window.showInformationMessage('Open an event or a row in a results panel first (select it and press Enter), then pin it to the case.');
    return;
  }
  if (!(await ensureCase(app))) return;
  let added = false;
  const investigation = await app.cases.update((c) => {
    const result = addFinding(c, selected.evidence, selected.target, new Date());
    added = result.added;
    return result.case;
  });
  const what = displayText(evidenceLabel(selected.evidence), 120);
  void vscode.window.showInformationMessage(noticeText(added ? `Pinned ${what} to "${displayText(investigation.title, 80)}".` : `${what} is already pinned to this case.`));
}

/** "Save Query to Case": the lookup or Insights query behind the active results panel, under a name. */
export async function saveQuery(app: Investigation, givenName?: string): Promise<void> {
  const description = app.panels.activeDescription();
  if (!description?.spec) {
    void vscode.window.showInformationMessage('Save a query from the results panel of a lookup or an Insights query (related events and result files cannot be run again).');
    return;
  }
  await saveSpec(app, description.spec, description.title, givenName);
}

/** Saves a lookup or query to the case (opening or starting one if need be) under a name the responder confirms. */
export async function saveSpec(app: Investigation, spec: QuerySpec, suggested: string, givenName?: string): Promise<void> {
  if (!(await ensureCase(app))) return;
  const name = typeof givenName === 'string' ? givenName : await vscode.window.showInputBox({ title: 'Save query to the case', prompt: 'A name for the query; a saved query of the same name is replaced', value: suggested, ignoreFocusOut: true, validateInput: (t) => (t.trim() ? undefined : 'Enter a name') });
  if (!name) return;
  await app.cases.update((c) => save(c, spec, name.trim(), new Date()));
  void vscode.window.showInformationMessage(noticeText(`Saved "${displayText(name.trim(), 80)}" to the case.`));
}

/** A finding in a results panel, as pinned; an event's related-event links are followed where it was found. */
export async function openFinding(app: Investigation, node: CaseNode & { type: 'finding' }): Promise<void> {
  const { finding } = node;
  const source = await sourceFor(await app.services(), finding.target);
  const description = { title: `Finding: ${displayText(evidenceLabel(finding), 60)}`, query: `pinned ${finding.pinnedAt} from ${targetLabel(finding.target)}`, source, target: finding.target };
  if ('event' in finding) {
    app.panels.show({ ...description, openEventId: finding.event.EventId }, { kind: 'events', run: async (sink) => sink.page([finding.event]) });
  } else {
    const statistics = { recordsMatched: 1, recordsScanned: 0, bytesScanned: 0 };
    app.panels.show({ ...description, query: `${description.query} · ${finding.query}` }, { kind: 'insights', run: async () => ({ status: 'Complete', results: [finding.record], statistics }) });
  }
}

/**
 * Applies the responder's edit of one entry to the case as the file has it now. The tree showed the entry
 * as it was: when it was changed or removed meanwhile (another window, a git pull), `edit` gives
 * undefined, the case is left as it is and the answer is false, for the caller to say what was not saved.
 */
async function applyEdit(app: Investigation, edit: (investigation: InvestigationCase) => InvestigationCase | undefined): Promise<boolean> {
  let applied = false;
  await app.cases.update((c) => {
    const next = edit(c);
    applied = next !== undefined;
    return next ?? c;
  });
  return applied;
}

export async function editNote(app: Investigation, node: CaseNode & { type: 'finding' }): Promise<void> {
  const { finding } = node;
  const label = displayText(evidenceLabel(finding), 60);
  const text = await vscode.window.showInputBox({ title: `Note on ${label}`, prompt: 'What this shows; empty removes the note', value: finding.note, ignoreFocusOut: true });
  if (text === undefined) return;
  const note = text.trim();
  const saved = await applyEdit(app, (c) => (pinnedFinding(c, finding) ? setNote(c, finding, note) : undefined));
  // Emptying the note of a finding that is gone loses nothing; a note written for it must not vanish.
  if (saved || !note) return;
  const choice = await vscode.window.showWarningMessage(noticeText(`Your note on ${label} was not saved: the finding is no longer pinned to the case (it was unpinned meanwhile, in another window or by a git pull).`), 'Copy Note');
  if (choice) await vscode.env.clipboard.writeText(note);
}

export async function unpin(app: Investigation, node: CaseNode & { type: 'finding' }): Promise<void> {
  await app.cases.update((c) => removeFinding(c, node.finding));
}

export async function runSavedQuery(app: Investigation, node: CaseNode & { type: 'query' }): Promise<void> {
  const { query } = node;
  if (query.kind === 'insights') return runInsights(app, query, query.name);
  runLookup(app, await sourceFor(await app.services(), query.target), query.request, query.name, query.target);
}

export async function removeQuery(app: Investigation, node: CaseNode & { type: 'query' }): Promise<void> {
  await app.cases.update((c) => remove(c, node.query.name));
}

/** Asks for a journal entry's time and text, starting from `entry` (or now). */
async function askForEntry(entry?: JournalEntry): Promise<JournalEntry | undefined> {
  const check = (text: string): string | undefined => {
    try {
      parseTime(text);
      return undefined;
    } catch (error) {
      return error instanceof LookupParseError ? error.message : String(error);
    }
  };
  const when = await vscode.window.showInputBox({ title: 'Journal: when (UTC)', prompt: 'ISO 8601 (UTC unless a zone is given), `now`, or how long ago (`15m`, `2h`)', value: entry?.at ?? new Date().toISOString().slice(0, 16), ignoreFocusOut: true, validateInput: check });
  if (when === undefined) return undefined;
  const text = await vscode.window.showInputBox({ title: 'Journal: what was done or learnt', prompt: 'e.g. "Deactivated AKIA… (ticket IR-2041)"', value: entry?.text, ignoreFocusOut: true, validateInput: (t) => (t.trim() ? undefined : 'Enter the entry') });
  return text === undefined ? undefined : { at: parseTime(when), text: text.trim() };
}

function isJournalEntry(value: unknown): value is JournalEntry {
  return typeof value === 'object' && value !== null && typeof (value as JournalEntry).at === 'string' && typeof (value as JournalEntry).text === 'string';
}

/** "Add Journal Entry…": what the responders did or learnt, at a time they give (an entry given directly in tests). */
export async function addJournal(app: Investigation, given?: JournalEntry): Promise<void> {
  if (!(await ensureCase(app))) return;
  const entry = isJournalEntry(given) ? { at: parseTime(given.at), text: given.text } : await askForEntry();
  if (entry) await app.cases.update((c) => addJournalEntry(c, entry));
}

export async function editJournal(app: Investigation, node: CaseNode & { type: 'entry' }): Promise<void> {
  const { entry } = node;
  const next = await askForEntry(entry);
  if (!next || (await applyEdit(app, (c) => changeJournalEntry(c, entry, next)))) return;
  const add = 'Add as New Entry';
  const choice = await vscode.window.showWarningMessage(noticeText(`Your edit of the journal entry "${displayText(entry.text, 80)}" (${entry.at}) was not saved: the entry was changed or removed in the case file meanwhile (in another window or by a git pull).`), add, 'Copy Text');
  if (choice === add) await app.cases.update((c) => addJournalEntry(c, next));
  else if (choice) await vscode.env.clipboard.writeText(next.text);
}

export async function removeJournal(app: Investigation, node: CaseNode & { type: 'entry' }): Promise<void> {
  if (await applyEdit(app, (c) => changeJournalEntry(c, node.entry))) return;
  // Changed meanwhile: what it says now is not what the responder chose to remove.
  void vscode.window.showWarningMessage(noticeText(`The journal entry of ${node.entry.at} was not removed: it was changed or removed meanwhile (in another window or by a git pull); see it as it is now in the case view.`));
}

/** "Export Case Timeline": the report in a new Markdown editor, to preview, save or paste into the ticket. */
export async function exportTimeline(app: Investigation): Promise<void> {
  const state = await app.cases.current();
  if (!state) throw new Error('no investigation case is open');
  if ('error' in state) throw new Error(state.error);
  const document = await vscode.workspace.openTextDocument({ language: 'markdown', content: caseTimeline(state.investigation, new Date()) });
  await vscode.window.showTextDocument(document, { preview: false });
  const [first] = state.problems;
  if (first) void vscode.window.showWarningMessage(noticeText(`The report leaves out ${state.problems.length} entries of the case file that are not valid (${first}).`));
}

export async function openCaseFile(app: Investigation): Promise<void> {
  const state = await app.cases.current();
  if (state) await vscode.window.showTextDocument(state.uri);
}

// Investigation notebooks inside the real VS Code: lookup and Insights cells run over an evidence store,
// a new cell runs where the cell above ran, results are saved with the notebook and read back, and a bad
// lookup line or a tampered output shows at its cell without costing the others.
import * as assert from 'node:assert/strict';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { readNotebook } from '../../src/core/notebook/notebook-file';
import { evidenceBackend } from '../../src/endpoint/evidence-backend';
import type { FaultConfig } from '../../src/endpoint/faults';
import { startEndpoint, type RunningEndpoint } from '../../src/endpoint/server';
import { DEMO_PROFILE } from '../../src/extension/wizards/target';
import { EvidenceSource } from '../../src/sources/evidence/source';
import { PlaceStatusBar } from '../../src/extension/notebook/place';
import { RESULT_MIME, type CellResult } from '../../src/webview/notebook-protocol';
import { fixture, OTRF, otrfStore, testEnvironment, waitFor } from './environment';

const RANGE = { start: '2020-09-01T00:00:00.000Z', end: '2020-10-01T00:00:00.000Z' };
const ERROR_MIME = 'application/vnd.code.notebook.error';

function decoded(cell: vscode.NotebookCell, mime: string): unknown {
  const item = cell.outputs[0]?.items.find((i) => i.mime === mime);
  return item && JSON.parse(new TextDecoder().decode(item.data));
}

/** Writes a notebook file of these cells, as the editor would save it. */
function writeNotebook(file: string, cells: object[]): void {
  writeFileSync(file, JSON.stringify({ trailscopeNotebook: 1, cells }));
}

async function openAndRun(file: string): Promise<vscode.NotebookDocument> {
  const notebook = await vscode.workspace.openNotebookDocument(vscode.Uri.file(file));
  await vscode.window.showNotebookDocument(notebook);
  await vscode.commands.executeCommand('notebook.selectKernel', { id: 'trailscope.notebook.kernel', extension: 'trailscope.trailscope' });
  await vscode.commands.executeCommand('notebook.execute');
  const code = notebook.getCells().filter((c) => c.kind === vscode.NotebookCellKind.Code);
  await waitFor(() => (code.every((c) => c.executionSummary?.success !== undefined) ? true : undefined), 'every query cell to finish', 30_000);
  return notebook;
}

describe('investigation notebook', function () {
  const folder = join(testEnvironment().workspace, 'nb-2041');
  const storePath = join(folder, 'evidence', 'otrf.duckdb');
  const records = () => readFileSync(fixture(...OTRF), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { eventName: string; sourceIPAddress: string });
  const place = (logGroups: string[] = []) => ({ target: { kind: 'evidence', path: 'evidence/otrf.duckdb' }, logGroups, ...RANGE });

  before(async function () {
    this.timeout(60_000);
    await otrfStore(folder);
  });

  type SavedOutput = { ranAt: string; result: { Events: Array<Record<string, unknown>> } };

  /**
   * The answered lookup cell of the sample notebook (altered by `alter`), alone in a notebook of its own
   * whose store has moved away, run: its run fails.
   */
  async function runAnswerOfMovedStore(name: string, alter?: (output: SavedOutput) => void) {
    const saved = JSON.parse(readFileSync(join(folder, 'ir-2041.trailscope-notebook'), 'utf8')) as { cells: Array<{ place?: { target: { path: string } }; output?: SavedOutput }> };
    const answered = saved.cells[1]!;
    alter?.(answered.output!);
    answered.place!.target.path = 'evidence/moved-away.duckdb';
    const file = join(folder, `${name}.trailscope-notebook`);
    writeFileSync(file, JSON.stringify({ ...saved, cells: [answered] }));
    const notebook = await openAndRun(file);
    const cell = notebook.cellAt(0);
    assert.equal(cell.executionSummary?.success, false, 'the run failed');
    return { answered, file, notebook, cell };
  }

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    await vscode.window.tabGroups.close(vscode.window.tabGroups.all.flatMap((g) => g.tabs));
  });

  it('runs lookup and Insights cells over a store, a new cell where the one above ran, and saves what they returned', async function () {
    this.timeout(90_000);
    const file = join(folder, 'ir-2041.trailscope-notebook');
    writeNotebook(file, [
      { kind: 'markdown', source: '# What did the proxy read?' },
      { kind: 'lookup', source: '# objects read\nEventName=GetObject', place: place() },
      { kind: 'insights', source: 'stats count(*) as calls by eventName | sort calls desc | limit 3', place: place(['cloudtrail']) },
      { kind: 'lookup', source: 'EventName=ListBuckets' },
    ]);
    const statusBar = new PlaceStatusBar();
    let changes = 0;
    statusBar.onDidChangeCellStatusBarItems(() => changes++);
    const before = await vscode.workspace.openNotebookDocument(vscode.Uri.file(file));
    const shown = (cell: vscode.NotebookCell) => statusBar.provideCellStatusBarItems(cell).map((i) => i.text);
    assert.deepEqual(shown(before.cellAt(3)), ['$(gear) Choose where it runs…']);
    assert.deepEqual(shown(before.cellAt(0)), [], 'nothing under Markdown');
    const notebook = await openAndRun(file);
    const [, lookup, insights, inherited] = notebook.getCells();
    assert.deepEqual(shown(inherited!), ['$(database) otrf.duckdb · 2020-09-01T00:00:00Z → 2020-10-01T00:00:00Z'], 'the inherited place in the status bar');
    assert.deepEqual(shown(insights!), ['$(database) otrf.duckdb · cloudtrail · 2020-09-01T00:00:00Z → 2020-10-01T00:00:00Z']);
    assert.ok(changes > 0, 'the status bar was told the place changed');
    statusBar.dispose();
    const expected = (name: string) => records().filter((r) => r.eventName === name).length;

    assert.equal(lookup!.executionSummary?.success, true);
    const events = decoded(lookup!, RESULT_MIME) as CellResult;
    assert.equal(events.payload.kind, 'events');
    assert.equal(events.payload.kind === 'events' && events.payload.result.Events.length, expected('GetObject'));

    const stats = decoded(insights!, RESULT_MIME) as CellResult;
    assert.ok(stats.payload.kind === 'insights');
    const counts = new Map<string, number>();
    for (const r of records()) counts.set(r.eventName, (counts.get(r.eventName) ?? 0) + 1);
    const top = [...counts].sort((a, b) => b[1] - a[1])[0]!;
    assert.deepEqual(stats.payload.result.results[0], [{ field: 'eventName', value: top[0] }, { field: 'calls', value: String(top[1]) }], 'the most frequent event first');

    assert.equal(inherited!.executionSummary?.success, true, 'the new cell ran without asking');
    assert.deepEqual(inherited!.metadata.place, place(), 'where the lookup cell above ran, kept in the cell');
    const listed = decoded(inherited!, RESULT_MIME) as CellResult;
    assert.equal(listed.payload.kind === 'events' && listed.payload.result.Events.length, expected('ListBuckets'));

    await notebook.save();
    const { notebook: saved, problems } = readNotebook(readFileSync(file, 'utf8'), 'saved');
    assert.deepEqual(problems, []);
    assert.deepEqual(saved.cells.map((c) => c.kind), ['markdown', 'lookup', 'insights', 'lookup']);
    assert.deepEqual(saved.cells[3]!.place, place(), 'the store written relative to the notebook');
    const savedEvents = saved.cells[1]!.output;
    assert.ok(savedEvents && 'result' in savedEvents && savedEvents.result.kind === 'events');
    assert.equal(savedEvents.result.result.Events.length, expected('GetObject'));
    assert.match(savedEvents.ranAt, /^\d{4}-\d\d-\d\dT/);
    assert.equal((JSON.parse(readFileSync(file, 'utf8')) as { cells: Array<{ output?: { result?: { Events?: unknown[] } } }> }).cells[1]!.output!.result!.Events!.length, expected('GetObject'), 'kept as `trailscope lookup --format json` prints it');
    // Each answer keeps the text and place it was asked with, the inherited place too.
    assert.deepEqual(savedEvents.asked, { source: '# objects read\nEventName=GetObject', place: place() });
    assert.deepEqual(saved.cells[3]!.output!.asked, { source: 'EventName=ListBuckets', place: place() });
  });

  it('says, for a cell edited after it ran, what its answer was asked with', async function () {
    this.timeout(30_000);
    const file = join(folder, 'edited.trailscope-notebook');
    copyFileSync(join(folder, 'ir-2041.trailscope-notebook'), file);
    const notebook = await vscode.workspace.openNotebookDocument(vscode.Uri.file(file));
    await vscode.window.showNotebookDocument(notebook);
    const cell = notebook.cellAt(1);
    const edit = new vscode.WorkspaceEdit();
    edit.replace(cell.document.uri, new vscode.Range(0, 0, cell.document.lineCount, 0), 'EventName=ConsoleLogin');
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.equal((decoded(cell, RESULT_MIME) as CellResult).asked?.source, '# objects read\nEventName=GetObject', 'the answer keeps its own text');
    await vscode.commands.executeCommand('trailscope.notebook.exportReport');
    const text = vscode.window.activeTextEditor!.document.getText();
    assert.ok(text.includes('```\nEventName=ConsoleLogin\n```\n\nThe answer below was asked with other text:\n\n```\n# objects read\nEventName=GetObject\n```'), text.slice(0, 1200));
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    await vscode.window.showNotebookDocument(notebook);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('keeps the first rows of a large answer when saved, as trailscope.notebook.savedRows says, and shows why after reopening', async function () {
    this.timeout(60_000);
    const file = join(folder, 'everything.trailscope-notebook');
    writeNotebook(file, [{ kind: 'lookup', source: '# every event of the day', place: place() }]);
    const config = () => vscode.workspace.getConfiguration('trailscope');
    await config().update('notebook.savedRows', 5, vscode.ConfigurationTarget.Workspace);
    try {
      const notebook = await openAndRun(file);
      const all = decoded(notebook.cellAt(0), RESULT_MIME) as CellResult;
      assert.ok(all.payload.kind === 'events');
      assert.equal(all.payload.result.Events.length, records().length, 'the run shows every event');
      await notebook.save();
      const saved = readNotebook(readFileSync(file, 'utf8'), 'saved').notebook.cells[0]!.output;
      assert.ok(saved && 'result' in saved && saved.result.kind === 'events');
      assert.equal(saved.result.result.Events.length, 5);
      // What opening the file shows (a copy: the open document would keep the outputs it has).
      const copy = join(folder, 'everything-copy.trailscope-notebook');
      copyFileSync(file, copy);
      const reopened = decoded((await vscode.workspace.openNotebookDocument(vscode.Uri.file(copy))).cellAt(0), RESULT_MIME) as CellResult;
      assert.ok(reopened.payload.kind === 'events');
      const ids = (events: Array<{ EventId: string }>) => events.map((e) => e.EventId);
      assert.deepEqual(ids(reopened.payload.result.Events), ids(all.payload.result.Events.slice(0, 5)), 'the newest five');
      assert.equal(reopened.note, `The file keeps the first 5 events of ${records().length}; run the cell again for all of them.`);
    } finally {
      await config().update('notebook.savedRows', undefined, vscode.ConfigurationTarget.Workspace);
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    }
  });

  it('exports the notebook on screen, answers included, as a Markdown report', async function () {
    this.timeout(30_000);
    await vscode.window.showNotebookDocument(await vscode.workspace.openNotebookDocument(vscode.Uri.file(join(folder, 'ir-2041.trailscope-notebook'))));
    await vscode.commands.executeCommand('trailscope.notebook.exportReport');
    const report = vscode.window.activeTextEditor?.document;
    assert.equal(report?.languageId, 'markdown');
    const text = report!.getText();
    assert.match(text, /^# ir-2041\\\.trailscope-notebook\n/);
    assert.ok(text.includes('# What did the proxy read?'), 'the narrative');
    assert.ok(text.includes(`**Cell 2, lookup** on \`otrf.duckdb · 2020-09-01T00:00:00Z → 2020-10-01T00:00:00Z\``), text.slice(0, 800));
    assert.match(text, /\*\*Cell 4, lookup\*\* on `otrf\.duckdb · [^`]+`:\n\n```\nEventName=ListBuckets\n```\n\n\d+ events? \(ran `/, 'the inherited place and the answer');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('saves a cell\'s lookup to the investigation case, with where the cell runs', async function () {
    this.timeout(30_000);
    const caseFile = join(folder, 'nb-2041.trailscope-case.json');
    await vscode.commands.executeCommand('trailscope.newCase', { file: vscode.Uri.file(caseFile), title: 'IR-2041 from the notebook' });
    const notebook = await vscode.workspace.openNotebookDocument(vscode.Uri.file(join(folder, 'ir-2041.trailscope-notebook')));
    await vscode.commands.executeCommand('trailscope.notebook.saveQueryToCase', notebook.cellAt(1), 'Objects read');
    const { queries } = JSON.parse(readFileSync(caseFile, 'utf8')) as { queries: Array<{ name: string; kind: string; target: unknown; request: unknown }> };
    assert.deepEqual(queries.map((q) => [q.name, q.kind, q.target, q.request]), [[
      'Objects read', 'lookup', { kind: 'evidence', path: 'evidence/otrf.duckdb' },
      { attributes: [{ AttributeKey: 'EventName', AttributeValue: 'GetObject' }], filters: [], ...RANGE },
    ]]);
  });

  it('shows a lookup line it cannot read as the cell\'s error, naming the line, and runs the other cells', async function () {
    this.timeout(60_000);
    const file = join(folder, 'typo.trailscope-notebook');
    writeNotebook(file, [
      { kind: 'lookup', source: 'EventName=GetObject\nsourceIP=203.0.113.7', place: place() },
      { kind: 'lookup', source: 'EventName=GetObject', place: place() },
    ]);
    const notebook = await openAndRun(file);
    const [typo, fine] = notebook.getCells();
    assert.equal(typo!.executionSummary?.success, false);
    const error = decoded(typo!, ERROR_MIME) as { message: string };
    assert.match(error.message, /^line 2: unknown key 'sourceIP': a LookupEvents attribute/);
    assert.equal(fine!.executionSummary?.success, true);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('writes back an answer the file had whole, whatever trailscope.notebook.savedRows says: only answers of cells that ran are cut', async function () {
    this.timeout(60_000);
    // Every event of the day, as `trailscope notebook --saved-rows 0` keeps them.
    const file = join(folder, 'kept-whole.trailscope-notebook');
    writeNotebook(file, [{ kind: 'lookup', source: '# every event of the day', place: place() }]);
    await (await openAndRun(file)).save();
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    const before = readFileSync(file, 'utf8');
    const config = () => vscode.workspace.getConfiguration('trailscope');
    await config().update('notebook.savedRows', 5, vscode.ConfigurationTarget.Workspace);
    try {
      const copy = join(folder, 'kept-whole-copy.trailscope-notebook');
      writeFileSync(copy, before);
      const notebook = await vscode.workspace.openNotebookDocument(vscode.Uri.file(copy));
      const edit = new vscode.WorkspaceEdit();
      edit.set(notebook.uri, [vscode.NotebookEdit.insertCells(0, [new vscode.NotebookCellData(vscode.NotebookCellKind.Markup, '# Triage', 'markdown')])]);
      assert.ok(await vscode.workspace.applyEdit(edit));
      await notebook.save();
      const saved = readNotebook(readFileSync(copy, 'utf8'), 'saved').notebook.cells[1]!.output;
      assert.ok(saved && 'result' in saved && saved.result.kind === 'events');
      assert.equal(saved.result.result.Events.length, records().length, 'the answer the file had, every event of it');
    } finally {
      await config().update('notebook.savedRows', undefined, vscode.ConfigurationTarget.Workspace);
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    }
  });

  it('keeps a saved answer it cannot read when running its cell fails, saying so, and saves it as the file had it', async function () {
    this.timeout(60_000);
    const { answered, file, notebook, cell } = await runAnswerOfMovedStore('unreadable-moved', (output) => {
      output.result.Events[0]!.CloudTrailEvent = { not: 'a string' };
    });
    const error = decoded(cell, ERROR_MIME) as { message: string };
    assert.match(error.message, /^The saved output could not be read \(This notebook: .*should be a string\); the run of \S+ failed: .*moved-away\.duckdb.*; the file keeps the saved output as it is\.$/);
    await notebook.save();
    assert.deepEqual((JSON.parse(readFileSync(file, 'utf8')) as { cells: Array<{ output?: unknown }> }).cells[0]!.output, answered.output);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('keeps a cell\'s answer when running it again fails (the store moved), and says so with the answer', async function () {
    this.timeout(60_000);
    const { answered, cell } = await runAnswerOfMovedStore('moved');
    const kept = decoded(cell, RESULT_MIME) as CellResult;
    assert.equal(kept.payload.kind, 'events', 'the answer is still shown');
    assert.equal(kept.ranAt, answered.output!.ranAt);
    assert.match(kept.note ?? '', /^The run of \S+ failed: .*moved-away\.duckdb.* \(the answer shown is from \S+\)\./);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('opens a notebook whose saved output was tampered with, saying so at that cell, and keeps the rest', async function () {
    this.timeout(30_000);
    const saved = JSON.parse(readFileSync(join(folder, 'ir-2041.trailscope-notebook'), 'utf8')) as { cells: Array<{ output?: { result: { Events: Array<Record<string, unknown>> } } }> };
    saved.cells[1]!.output!.result.Events[0]!.CloudTrailEvent = { not: 'a string' };
    // Keys added by hand, to the notebook and to a cell, go back into the file as they were.
    Object.assign(saved, { owner: 'sam', ticket: 'IR-2041' });
    Object.assign(saved.cells[2]!, { id: 'top-events', tags: ['triage'] });
    // A failed run with a responder's note on why: shown with its note, saved with it.
    const failed = { ranAt: '2026-03-04T03:00:00.000Z', note: 'the profile had expired; see ticket IR-7', error: 'ExpiredToken: the security token included in the request is expired' };
    (saved.cells as object[]).push({ kind: 'lookup', source: 'EventName=StopLogging', output: failed });
    const file = join(folder, 'tampered.trailscope-notebook');
    writeFileSync(file, JSON.stringify(saved));
    const notebook = await vscode.workspace.openNotebookDocument(vscode.Uri.file(file));
    const [, tampered, insights] = notebook.getCells();
    const error = decoded(tampered!, ERROR_MIME) as { message: string };
    assert.match(error.message, /^The saved output could not be read \(This notebook: cells\[1\]\.output\.result: Events\[0\]\.CloudTrailEvent should be a string\); run the cell again\.$/);
    assert.equal(tampered!.document.getText(), '# objects read\nEventName=GetObject', 'the cell itself is kept');
    assert.equal((decoded(insights!, RESULT_MIME) as CellResult).payload.kind, 'insights', 'the other outputs are kept');
    assert.match((decoded(notebook.cellAt(notebook.cellCount - 1), ERROR_MIME) as { message: string }).message, /^ExpiredToken: .*\n\nthe profile had expired; see ticket IR-7$/);
    // Saved after an edit elsewhere, the answer is written back as the file had it, not as a failed run.
    const edit = new vscode.WorkspaceEdit();
    edit.set(notebook.uri, [vscode.NotebookEdit.replaceCells(new vscode.NotebookRange(0, 1), [new vscode.NotebookCellData(vscode.NotebookCellKind.Markup, '# Edited', 'markdown')])]);
    assert.ok(await vscode.workspace.applyEdit(edit));
    await notebook.save();
    const written = JSON.parse(readFileSync(file, 'utf8')) as typeof saved;
    assert.equal((written.cells[0] as { source?: string }).source, '# Edited');
    assert.deepEqual(written.cells[1]!.output, saved.cells[1]!.output);
    assert.deepEqual((written.cells.at(-1) as { output?: object }).output, failed, 'the failed run and its note, as the file had them');
    const extras = written as unknown as { owner: string; ticket: string; cells: Array<{ id?: string; tags?: string[] }> };
    assert.deepEqual([extras.owner, extras.ticket, extras.cells[2]!.id, extras.cells[2]!.tags], ['sam', 'IR-2041', 'top-events', ['triage']]);
  });

  it('shows hostile store and log group names in a cell\'s status bar as text: hidden characters visible, no icons', async function () {
    this.timeout(30_000);
    const file = join(folder, 'hostile.trailscope-notebook');
    const hostile = { ...place(['$(alert) group\u202egpj.exe', '/aws/lambda/x\n$(zap)']), target: { kind: 'evidence', path: 'evidence/$(flame)\u200bstore.duckdb' } };
    writeNotebook(file, [
      { kind: 'insights', source: 'fields @message', place: { ...hostile, logGroups: [hostile.logGroups[0]] } },
      { kind: 'insights', source: 'fields @message', place: hostile },
      { kind: 'lookup', source: 'EventName=GetObject', place: { target: 'not a place' } },
    ]);
    const notebook = await vscode.workspace.openNotebookDocument(vscode.Uri.file(file));
    const statusBar = new PlaceStatusBar();
    try {
      const [one, two, broken] = notebook.getCells().map((cell) => statusBar.provideCellStatusBarItems(cell)[0]!);
      assert.equal(one!.text, '$(database) $\u200b(flame)⟨U+200B⟩store.duckdb · $\u200b(alert) group⟨U+202E⟩gpj.exe · 2020-09-01T00:00:00Z → 2020-10-01T00:00:00Z');
      assert.equal(two!.text, '$(database) $\u200b(flame)⟨U+200B⟩store.duckdb · 2 log groups · 2020-09-01T00:00:00Z → 2020-10-01T00:00:00Z');
      assert.equal(broken!.text, '$(warning) Where it runs cannot be read');
      assert.match(String(broken!.tooltip), /place.target should be an object/);
    } finally {
      statusBar.dispose();
    }
  });

  it('opens a notebook saved as UTF-16 (PowerShell\'s >), as the CLI reads it', async function () {
    const file = join(folder, 'utf16.trailscope-notebook');
    const text = JSON.stringify({ trailscopeNotebook: 1, cells: [{ kind: 'markdown', source: '# Proxy — what it read' }, { kind: 'lookup', source: 'EventName=GetObject' }] });
    writeFileSync(file, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
    const notebook = await vscode.workspace.openNotebookDocument(vscode.Uri.file(file));
    assert.deepEqual(notebook.getCells().map((c) => c.document.getText()), ['# Proxy — what it read', 'EventName=GetObject']);
  });

  it('starts a new notebook with a note, a lookup cell and an Insights cell', async function () {
    this.timeout(30_000);
    await vscode.commands.executeCommand('trailscope.newNotebook');
    const notebook = await waitFor(() => vscode.window.activeNotebookEditor?.notebook, 'the new notebook');
    assert.equal(notebook.notebookType, 'trailscope-notebook');
    assert.deepEqual(notebook.getCells().map((c) => [c.kind, c.document.languageId]), [
      [vscode.NotebookCellKind.Markup, 'markdown'],
      [vscode.NotebookCellKind.Code, 'trailscope-lookup'],
      [vscode.NotebookCellKind.Code, 'logs-insights'],
    ]);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('underlines a lookup line that is not a condition as it is typed, and offers the keys at the start of a line', async function () {
    this.timeout(30_000);
    const document = await vscode.workspace.openTextDocument({ language: 'trailscope-lookup', content: '# typo below\nEventName=GetObject\n  EventNme=PutObject\n' });
    const [problem] = await waitFor(() => {
      const found = vscode.languages.getDiagnostics(document.uri);
      return found.length > 0 ? found : undefined;
    }, 'the diagnostic');
    assert.equal(problem!.range.start.line, 2);
    assert.equal(problem!.range.start.character, 2, 'from the condition, not the indent');
    assert.match(problem!.message, /^unknown key 'EventNme'/);
    const completions = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', document.uri, new vscode.Position(3, 0));
    const inserted = new Map(completions.items.map((i) => [typeof i.label === 'string' ? i.label : i.label.label, i.insertText]));
    assert.equal(inserted.get('EventName'), 'EventName=');
    assert.equal(inserted.get('userAgent'), 'userAgent~', 'substring filters offered with ~');
    assert.equal(inserted.get('sourceIPAddress'), 'sourceIPAddress=');
  });

  /**
   * Runs a notebook on the demo account, served from the store by a local endpoint with these faults: the
   * cell, then a lookup over the store. Stops the cell once `running` says what it shows is far enough,
   * checks that the stop also kept the cell below from running (as a Jupyter interrupt clears the queue),
   * and hands the stopped cell and the endpoint to `check`.
   */
  async function stopLiveCell(
    cell: { kind: string; source: string; logGroups?: string[] },
    faults: Partial<FaultConfig>,
    running: (shown: CellResult) => boolean,
    check: (stopped: vscode.NotebookCell, endpoint: RunningEndpoint, before: CellResult) => Promise<void>,
    whileRunning?: (notebook: vscode.NotebookDocument, file: string) => Promise<void>,
  ): Promise<void> {
    const data = await EvidenceSource.open(storePath, { readOnly: true });
    // Closing the endpoint closes its data too.
    const endpoint = await startEndpoint({ backend: evidenceBackend(data), faults: { lookupRatePerSecond: 0, ...faults } });
    const settings = vscode.workspace.getConfiguration('trailscope');
    try {
      await settings.update('endpointUrl', endpoint.url, vscode.ConfigurationTarget.Workspace);
      const file = join(folder, `live-${cell.kind}.trailscope-notebook`);
      const live = { kind: 'live', profile: DEMO_PROFILE, regions: ['us-east-1'] };
      writeNotebook(file, [{ kind: cell.kind, source: cell.source, place: { ...place(cell.logGroups), target: live } }, { kind: 'lookup', source: 'EventName=GetObject', place: place() }]);
      const notebook = await vscode.workspace.openNotebookDocument(vscode.Uri.file(file));
      await vscode.window.showNotebookDocument(notebook);
      await vscode.commands.executeCommand('notebook.selectKernel', { id: 'trailscope.notebook.kernel', extension: 'trailscope.trailscope' });
      // Settles once the kernel has handled every cell it was given.
      const ran = vscode.commands.executeCommand('notebook.execute');
      const stopped = notebook.cellAt(0);
      const before = await waitFor(() => {
        const shown = decoded(stopped, RESULT_MIME) as CellResult | undefined;
        return shown?.running && running(shown) ? shown : undefined;
      }, 'the cell to show what came back so far', 20_000);
      await whileRunning?.(notebook, file);
      await vscode.commands.executeCommand('notebook.cancelExecution');
      await waitFor(() => (stopped.executionSummary?.success === false ? true : undefined), 'the cell to stop', 20_000);
      await ran;
      assert.equal(notebook.cellAt(1).outputs.length, 0, 'the cell below did not run');
      assert.equal(notebook.cellAt(1).executionSummary?.success, undefined);
      await check(stopped, endpoint, before);
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    } finally {
      await settings.update('endpointUrl', undefined, vscode.ConfigurationTarget.Workspace);
      await endpoint.close();
    }
  }

  it('goes on to the next cell when a running cell is deleted', async function () {
    this.timeout(60_000);
    const data = await EvidenceSource.open(storePath, { readOnly: true });
    const endpoint = await startEndpoint({ backend: evidenceBackend(data), faults: { lookupRatePerSecond: 0, delayMs: 1500 } });
    const settings = vscode.workspace.getConfiguration('trailscope');
    try {
      await settings.update('endpointUrl', endpoint.url, vscode.ConfigurationTarget.Workspace);
      const file = join(folder, 'deleted-cell.trailscope-notebook');
      const live = { kind: 'live', profile: DEMO_PROFILE, regions: ['us-east-1'] };
      writeNotebook(file, [{ kind: 'lookup', source: '# every event', place: { ...place(), target: live } }, { kind: 'lookup', source: 'EventName=GetObject', place: place() }]);
      const notebook = await vscode.workspace.openNotebookDocument(vscode.Uri.file(file));
      await vscode.window.showNotebookDocument(notebook);
      await vscode.commands.executeCommand('notebook.selectKernel', { id: 'trailscope.notebook.kernel', extension: 'trailscope.trailscope' });
      const ran = vscode.commands.executeCommand('notebook.execute');
      await waitFor(() => (decoded(notebook.cellAt(0), RESULT_MIME) as CellResult | undefined)?.running, 'the live cell to show its first page', 20_000);
      const edit = new vscode.WorkspaceEdit();
      edit.set(notebook.uri, [vscode.NotebookEdit.deleteCells(new vscode.NotebookRange(0, 1))]);
      assert.ok(await vscode.workspace.applyEdit(edit));
      const next = notebook.cellAt(0);
      assert.equal(next.document.getText(), 'EventName=GetObject');
      await waitFor(() => (next.executionSummary?.success !== undefined ? true : undefined), 'the next cell to run', 20_000);
      assert.equal(next.executionSummary?.success, true);
      await ran;
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    } finally {
      await settings.update('endpointUrl', undefined, vscode.ConfigurationTarget.Workspace);
      await endpoint.close();
    }
  });

  it('stops a live Insights cell on the service (StopQuery) and keeps what it had returned', async function () {
    this.timeout(60_000);
    await stopLiveCell({ kind: 'insights', source: 'stats count(*) by eventName', logGroups: ['cloudtrail'] }, { queryRunningPolls: 1000 }, () => true, async (cell, endpoint) => {
      await waitFor(() => (endpoint.requests.some((r) => r.operation === 'StopQuery') ? true : undefined), 'StopQuery', 10_000);
      const kept = decoded(cell, RESULT_MIME) as CellResult;
      assert.equal(kept.running, undefined);
      assert.equal(kept.payload.kind === 'insights' && kept.payload.result.status, 'Cancelled');
      assert.match(kept.note ?? '', /^Cancelled: the rows returned before the query was stopped/);
    });
  });

  it('shows a slow live lookup\'s events as its pages arrive, and keeps them when the cell is stopped', async function () {
    this.timeout(60_000);
    // The first page takes 1.5 s and shows while the cell runs; every later page takes a minute more, so
    // it is still on its way at the stop however long the save below takes on a slow machine.
    const hasEvents = (shown: CellResult) => shown.payload.kind === 'events' && shown.payload.result.Events.length > 0;
    await stopLiveCell({ kind: 'lookup', source: '# every event' }, { delayMs: 1500, laterPageDelayMs: 60_000 }, hasEvents, async (cell, _endpoint, before) => {
      const kept = decoded(cell, RESULT_MIME) as CellResult;
      assert.equal(kept.running, undefined);
      assert.equal(kept.note, 'Cancelled: the events found before the lookup was stopped.');
      assert.ok(kept.payload.kind === 'events' && before.payload.kind === 'events');
      assert.ok(kept.payload.result.Events.length >= before.payload.result.Events.length, 'the events found so far');
      assert.ok(kept.payload.result.Events.length < records().length, 'not all of them');
    }, async (notebook, file) => {
      // An autosave while it runs keeps what has come back, saying so.
      await notebook.save();
      const saved = readNotebook(readFileSync(file, 'utf8'), 'saved').notebook.cells[0]!.output;
      assert.ok(saved && 'result' in saved && saved.result.kind === 'events' && saved.result.result.Events.length > 0);
      assert.equal(saved.note, 'Saved while the cell was running: what had come back by then.');
    });
  });
});

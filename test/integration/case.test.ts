// Investigation cases inside the real VS Code: a new case file, an event pinned from a results panel,
// a lookup saved and run again from the case, the timeline report, and a case file edited by hand.
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { newCase, serializeCase } from '../../src/core/case/case-file';
import { addFinding, setNote } from '../../src/core/case/edit';
import { toLookupEvent } from '../../src/core/cloudtrail/lookup-event';
import { ActiveCase } from '../../src/extension/case/active-case';
import { CaseTree } from '../../src/extension/case/case-tree';
import { fixture, OTRF, otrfStore, testEnvironment, waitFor } from './environment';


interface CaseOnDisk {
  title: string;
  findings: Array<{ event: { EventId: string; CloudTrailEvent: string }; target: { kind: string; path: string }; note: string }>;
  queries: Array<{ name: string; kind: string; target: { path: string } }>;
}

const tabLabels = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).map((t) => t.label);

/** Polls a command until the case file shows its effect (the results app must first load and open the event). */
async function untilCaseShows(file: string, act: () => Thenable<unknown>, done: (c: CaseOnDisk) => boolean, what: string): Promise<CaseOnDisk> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    await act();
    const written = JSON.parse(readFileSync(file, 'utf8')) as CaseOnDisk;
    if (done(written)) return written;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe('investigation case', function () {
  const folder = join(testEnvironment().workspace, 'ir-2041');
  const storePath = join(folder, 'evidence', 'otrf.duckdb');
  const caseFile = join(folder, 'ir-2041.trailscope-case.json');
  const lines = () => readFileSync(fixture(...OTRF), 'utf8').trim().split('\n');

  before(async function () {
    this.timeout(60_000);
    await otrfStore(folder);
  });

  // Leave the workbench as it was: the reports are untitled documents (reverted, so no save prompt) and
  // the results panels are tabs; the suites after this one expect their own tabs in front.
  after(async () => {
    for (const tab of vscode.window.tabGroups.all.flatMap((g) => g.tabs)) {
      if (tab.input instanceof vscode.TabInputText && tab.input.uri.scheme === 'untitled') {
        await vscode.window.showTextDocument(tab.input.uri);
        await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
      }
    }
    await vscode.window.tabGroups.close(vscode.window.tabGroups.all.flatMap((g) => g.tabs));
  });

  it('creates the case file and pins the event open in a results panel, with where it was found', async function () {
    this.timeout(60_000);
    await vscode.commands.executeCommand('trailscope.newCase', { file: vscode.Uri.file(caseFile), title: 'IR-2041: proxy on an EC2 role' });
    assert.ok(existsSync(caseFile));
    const record = JSON.parse(lines()[5]!) as { eventID: string; eventName: string };
    await vscode.commands.executeCommand('trailscope.lookupEvents', {
      target: { kind: 'evidence', path: storePath },
      request: { attributes: [{ AttributeKey: 'EventId', AttributeValue: record.eventID }], filters: [] },
      title: 'The event to pin',
      openEventId: record.eventID,
    });
    await waitFor(() => tabLabels().find((l) => l === 'The event to pin'), 'the results panel', 10_000);
    const written = await untilCaseShows(caseFile, () => vscode.commands.executeCommand('trailscope.pinEvent'), (c) => c.findings.length > 0, 'the pinned event');
    assert.equal(written.title, 'IR-2041: proxy on an EC2 role');
    assert.equal(written.findings.length, 1);
    assert.equal(written.findings[0]!.event.EventId, record.eventID);
    assert.deepEqual(JSON.parse(written.findings[0]!.event.CloudTrailEvent), JSON.parse(lines()[5]!), 'the record as stored');
    assert.deepEqual(written.findings[0]!.target, { kind: 'evidence', path: 'evidence/otrf.duckdb' }, 'the store, relative to the case folder');
    await vscode.commands.executeCommand('trailscope.pinEvent');
    assert.equal((JSON.parse(readFileSync(caseFile, 'utf8')) as CaseOnDisk).findings.length, 1, 'pinned once');
  });

  it('saves the lookup behind the active panel and runs it again from the case', async function () {
    this.timeout(60_000);
    await vscode.commands.executeCommand('trailscope.lookupEvents', {
      target: { kind: 'evidence', path: storePath },
      request: { attributes: [{ AttributeKey: 'EventName', AttributeValue: 'GetObject' }], filters: [] },
      title: 'GetObject calls',
    });
    await waitFor(() => tabLabels().find((l) => l === 'GetObject calls'), 'the lookup panel', 10_000);
    await vscode.commands.executeCommand('trailscope.saveQueryToCase', 'Objects read');
    const written = JSON.parse(readFileSync(caseFile, 'utf8')) as CaseOnDisk & { queries: Array<{ request: unknown }> };
    assert.deepEqual(written.queries.map((q) => [q.name, q.kind, q.target.path]), [['Objects read', 'lookup', 'evidence/otrf.duckdb']]);
    assert.deepEqual(written.queries[0]!.request, { attributes: [{ AttributeKey: 'EventName', AttributeValue: 'GetObject' }], filters: [] });
    const query = { ...written.queries[0]!, target: { kind: 'evidence', path: storePath } };
    await vscode.commands.executeCommand('trailscope.runSavedQuery', { type: 'query', query });
    await waitFor(() => tabLabels().find((l) => l === 'Objects read'), 'the saved query run again', 10_000);
  });

  it('keeps the journal: what was done when, in time order', async function () {
    this.timeout(30_000);
    await vscode.commands.executeCommand('trailscope.addJournalEntry', { at: '2026-11-24T03:10', text: 'Deactivated the instance role session' });
    await vscode.commands.executeCommand('trailscope.addJournalEntry', { at: '2026-11-24T02:55', text: 'Alert from GuardDuty' });
    const written = JSON.parse(readFileSync(caseFile, 'utf8')) as { journal: Array<{ at: string; text: string }> };
    assert.deepEqual(written.journal, [
      { at: '2026-11-24T02:55:00.000Z', text: 'Alert from GuardDuty' },
      { at: '2026-11-24T03:10:00.000Z', text: 'Deactivated the instance role session' },
    ]);
    // Changes made at the same moment (two clicks, two commands) each land on what the other wrote.
    const at = (minute: number) => `2026-11-24T04:${String(minute).padStart(2, '0')}`;
    await Promise.all([1, 2, 3].map((m) => vscode.commands.executeCommand('trailscope.addJournalEntry', { at: at(m), text: `entry ${m}` })));
    const after = JSON.parse(readFileSync(caseFile, 'utf8')) as { journal: Array<{ at: string; text: string }> };
    assert.deepEqual(after.journal.map((e) => e.text), ['Alert from GuardDuty', 'Deactivated the instance role session', 'entry 1', 'entry 2', 'entry 3']);
  });

  it('never starts a new case over a file that is already there', async function () {
    this.timeout(30_000);
    const before = readFileSync(caseFile, 'utf8');
    await vscode.commands.executeCommand('trailscope.newCase', { file: vscode.Uri.file(caseFile), title: 'Oops' });
    assert.equal(readFileSync(caseFile, 'utf8'), before, 'the case and its findings are still there');
  });

  it('writes the timeline report, and reads the case again when its file is edited by hand', async function () {
    this.timeout(60_000);
    const edited = JSON.parse(readFileSync(caseFile, 'utf8')) as CaseOnDisk;
    edited.findings[0]!.note = 'role credentials used from the proxy <b>host</b>';
    writeFileSync(caseFile, JSON.stringify(edited, null, 2));
    // The file watcher reports the edit a moment later; until then the report shows the case as it was.
    let report = '';
    for (let attempt = 0; attempt < 30 && !report.includes('role credentials used from the proxy'); attempt++) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 500));
      await vscode.commands.executeCommand('trailscope.exportCaseTimeline');
      report = vscode.window.activeTextEditor?.document.getText() ?? '';
    }
    assert.ok(report.includes('role credentials used from the proxy'), 'the report has the note written in the file');
    assert.equal(vscode.window.activeTextEditor?.document.languageId, 'markdown');
    assert.match(report, /^# IR-2041\\: proxy on an EC2 role\n/);
    assert.ok(report.includes('\\<b\\>host\\</b\\>'), 'the note escaped, not markup');
    assert.match(report, /1 finding, 1 saved query/);
    assert.match(report, /## Journal\n\n\| Time \| Entry \|\n\| --- \| --- \|\n\| `2026-11-24T02:55:00Z` \| Alert from GuardDuty \|/);
  });

  it('leaves a case file with an entry it cannot read untouched, instead of dropping the entry', async function () {
    this.timeout(30_000);
    const broken = JSON.parse(readFileSync(caseFile, 'utf8')) as { findings: Array<{ pinnedAt: string }> };
    broken.findings[0]!.pinnedAt = 'when the pager went off';
    const text = JSON.stringify(broken, null, 2);
    writeFileSync(caseFile, text);
    // A lookup panel in front, so that saving its query would write the file if the case allowed it.
    const [query] = (JSON.parse(text) as CaseOnDisk).queries;
    await vscode.commands.executeCommand('trailscope.runSavedQuery', { type: 'query', query: { ...query, name: 'Objects read again', target: { kind: 'evidence', path: storePath } } });
    await waitFor(() => tabLabels().find((l) => l === 'Objects read again'), 'the lookup panel', 10_000);
    await vscode.commands.executeCommand('trailscope.saveQueryToCase', 'Another query');
    assert.equal(readFileSync(caseFile, 'utf8'), text);
  });

  it('shows hostile event values and notes in the case view as plain text, hidden characters made visible', async function () {
    this.timeout(30_000);
    const hostile = 'Get<img src=x onerror=alert(1)>\u202eTxt.exe';
    const record = { ...(JSON.parse(lines()[0]!) as Record<string, unknown>), eventName: hostile, sourceIPAddress: '[click](command:workbench.action.terminal.new)' };
    const event = toLookupEvent(JSON.stringify(record));
    const store = { kind: 'evidence', path: storePath } as const;
    let investigation = addFinding(newCase('hostile\u202ecase', new Date()), { event }, store, new Date()).case;
    investigation = setNote(investigation, { event, target: store }, 'line one\nline two \u200b');
    const flowRecord = [{ field: '@timestamp', value: '2099-01-01 00:00:00.000' }, { field: 'srcAddr', value: hostile }];
    investigation = addFinding(investigation, { record: flowRecord, query: 'fields srcAddr' }, store, new Date()).case;
    const file = join(folder, 'hostile.trailscope-case.json');
    writeFileSync(file, serializeCase(investigation, folder));
    const memory = new Map<string, unknown>();
    const cases = new ActiveCase({ get: (key: string) => memory.get(key), update: async (key: string, value: unknown) => void memory.set(key, value), keys: () => [...memory.keys()] } as vscode.Memento);
    const tree = new CaseTree(cases);
    try {
      await cases.open(vscode.Uri.file(file));
      const [findings] = await tree.getChildren();
      const [finding, flow] = await tree.getChildren(findings);
      const item = tree.getTreeItem(finding!);
      const flowItem = tree.getTreeItem(flow!);
      assert.equal(flowItem.label, 'srcAddr=Get<img src=x onerror=alert(1)>⟨U+202E⟩Txt.exe', 'a record\'s fields the same way');
      assert.equal(typeof flowItem.tooltip, 'string');
      assert.equal(item.label, 'Get<img src=x onerror=alert(1)>⟨U+202E⟩Txt.exe', 'markup as text, the bidi override as a marker');
      assert.equal(typeof item.tooltip, 'string', 'a plain tooltip, never a MarkdownString');
      assert.ok(!String(item.tooltip).includes('\u202e') && String(item.tooltip).includes('[click](command:workbench.action.terminal.new)'));
      assert.match(String(item.description), /line one␊line two ⟨U\+200B⟩$/, 'the note on one line, its newline and zero-width space visible');
    } finally {
      tree.dispose();
      cases.dispose();
    }
  });
});


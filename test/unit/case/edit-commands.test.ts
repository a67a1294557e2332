// Edit Note and Edit Journal Entry in the case view, run on a case file that a colleague (another window,
// a git pull) changes while the responder types: what they typed is saved, or they are told it was not.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
// First: the `vscode` module the editor's code below loads.
import { screen, Uri } from './vscode-stand-in';
import { newCase, readCase, serializeCase, type InvestigationCase, type JournalEntry } from '../../../src/core/case/case-file';
import { addFinding, addJournalEntry, changeJournalEntry, removeFinding, setNote } from '../../../src/core/case/edit';
import { toLookupEvent } from '../../../src/core/cloudtrail/lookup-event';
import type { Target } from '../../../src/core/target';
import { ActiveCase } from '../../../src/extension/case/active-case';
import { editJournal, editNote, removeJournal } from '../../../src/extension/commands/case';

const OTRF = join(__dirname, '..', '..', 'fixtures', 'otrf-ec2-proxy-s3-exfiltration', 'ec2_proxy_s3_exfiltration_2020-09-14011940.json');
const event = toLookupEvent(readFileSync(OTRF, 'utf8').split('\n')[0]!);
const NOW = new Date('2026-11-24T02:00:00Z');
const seen: JournalEntry = { at: '2026-11-24T03:10:00.000Z', text: 'Deactivated AKIAQ3EXAMPLELEAK7Q2' };

/** A case file with one pinned event and one journal entry, open in the editor as the responder sees it. */
async function openCase() {
  const folder = mkdtempSync(join(tmpdir(), 'trailscope-case-'));
  const file = join(folder, 'ir.trailscope-case.json');
  const store: Target = { kind: 'evidence', path: join(folder, 'incident.duckdb') };
  writeFileSync(file, serializeCase(addJournalEntry(addFinding(newCase('IR-9', NOW), { event }, store, NOW).case, seen), folder));
  const memory = new Map<string, unknown>();
  const cases = new ActiveCase({ get: (key: string) => memory.get(key), update: async (key: string, value: unknown) => void memory.set(key, value), keys: () => [...memory.keys()] } as never);
  const state = await cases.open(Uri.file(file) as never);
  assert.ok('investigation' in state);
  const onDisk = () => readCase(readFileSync(file, 'utf8'), 'c', folder).case;
  /** A colleague's change to the file. */
  const change = (edit: (c: InvestigationCase) => InvestigationCase) => () => writeFileSync(file, serializeCase(edit(onDisk()), folder));
  return { app: { cases } as never, finding: state.investigation.findings[0]!, onDisk, change };
}

describe('editing a case entry that changed meanwhile', () => {
  it('tells the responder their journal edit was not saved when the entry was changed meanwhile, and adds it as a new entry if asked', async () => {
    const { app, onDisk, change } = await openCase();
    const theirs = 'Deactivated AKIAQ3EXAMPLELEAK7Q2 and its twin key';
    const mine = 'Deactivated AKIAQ3EXAMPLELEAK7Q2 (ticket IR-2041)';
    Object.assign(screen, { answers: [seen.at, mine], meanwhile: change((c) => changeJournalEntry(c, seen, { ...seen, text: theirs })!), choose: 'Add as New Entry', warnings: [] });
    await editJournal(app, { type: 'entry', entry: seen });
    assert.deepEqual(screen.warnings, [
      {
        message: 'Your edit of the journal entry "Deactivated AKIAQ3EXAMPLELEAK7Q2" (2026-11-24T03:10:00.000Z) was not saved: the entry was changed or removed in the case file meanwhile (in another window or by a git pull).',
        actions: ['Add as New Entry', 'Copy Text'],
      },
    ]);
    assert.deepEqual(onDisk().journal.map((e) => e.text), [theirs, mine], "the colleague's entry and the responder's, both kept");
  });

  it('offers the text of a journal edit to copy when the entry was removed meanwhile', async () => {
    const { app, onDisk, change } = await openCase();
    Object.assign(screen, { answers: [seen.at, 'Deactivated the key'], meanwhile: change((c) => changeJournalEntry(c, seen)!), choose: 'Copy Text', warnings: [], clipboard: undefined });
    await editJournal(app, { type: 'entry', entry: seen });
    assert.equal(screen.warnings.length, 1);
    assert.equal(screen.clipboard, 'Deactivated the key');
    assert.deepEqual(onDisk().journal, []);
  });

  it('tells the responder their note was not saved when the finding was unpinned meanwhile, and copies it if asked', async () => {
    const { app, finding, onDisk, change } = await openCase();
    Object.assign(screen, { answers: ['first use of the key from the proxy'], meanwhile: change((c) => removeFinding(c, finding)), choose: 'Copy Note', warnings: [], clipboard: undefined });
    await editNote(app, { type: 'finding', finding });
    assert.deepEqual(screen.warnings, [
      {
        message: `Your note on ${event.EventName} was not saved: the finding is no longer pinned to the case (it was unpinned meanwhile, in another window or by a git pull).`,
        actions: ['Copy Note'],
      },
    ]);
    assert.equal(screen.clipboard, 'first use of the key from the proxy');
    assert.deepEqual(onDisk().findings, []);
  });

  it('removes a journal entry as shown, and says so instead when it was changed meanwhile', async () => {
    const { app, onDisk, change } = await openCase();
    change((c) => changeJournalEntry(c, seen, { ...seen, text: 'Deactivated both keys' })!)();
    Object.assign(screen, { answers: [], meanwhile: undefined, warnings: [] });
    await removeJournal(app, { type: 'entry', entry: seen });
    assert.deepEqual(onDisk().journal.map((e) => e.text), ['Deactivated both keys'], 'what it says now was not what the responder chose to remove');
    assert.match(screen.warnings[0]?.message ?? '', /^The journal entry of 2026-11-24T03:10:00\.000Z was not removed: it was changed or removed meanwhile/);
    const fresh = await openCase();
    await removeJournal(fresh.app, { type: 'entry', entry: seen });
    assert.deepEqual(fresh.onDisk().journal, []);
  });

  it('saves a note on a finding still pinned, whatever its note says now', async () => {
    const { app, finding, onDisk, change } = await openCase();
    Object.assign(screen, { answers: ['first use of the key from the proxy'], meanwhile: change((c) => setNote(c, finding, 'a colleague: recon')), warnings: [] });
    await editNote(app, { type: 'finding', finding });
    assert.deepEqual(screen.warnings, []);
    assert.equal(onDisk().findings[0]!.note, 'first use of the key from the proxy');
  });
});

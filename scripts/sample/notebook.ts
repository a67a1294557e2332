import { dirname } from 'node:path';
import { writeFileSync } from 'node:fs';
import { serializeNotebook, type CellKind, type NotebookCellEntry } from '../../src/core/notebook/notebook-file';
import { cellQuery, storedPlace, type CellPlace } from '../../src/core/notebook/place';
import { runCellQuery } from '../../src/core/notebook/run-cell';
import { QUERY_LIBRARY } from '../../src/core/insights/library';
import type { Target } from '../../src/core/target';
import { EvidenceSource } from '../../src/sources/evidence/source';
import { STORY } from '../sample-story';

/**
 * The sample incident's investigation notebook: the questions a responder asks of it, in order, each with
 * the lookup or query that answers it and the answer, run over the sample store as the kernel runs them
 * (src/core/notebook/run-cell.ts).
 * `npm start` puts it beside the store, so opening it shows a worked investigation at once.
 */
type Step = { note: string } | { kind: Exclude<CellKind, 'markdown'>; source: string; logKind?: 'cloudtrail' | 'vpc-flow' };

const library = (id: string): string => {
  const query = QUERY_LIBRARY.find((q) => q.id === id)?.query;
  if (!query) throw new Error(`the query library has no ${id}`);
  return query;
};

const STEPS: Step[] = [
  { note: `# Sample incident: ${STORY.leakedUser}'s access key\n\nA walk through the sample evidence, one question a cell. Each query cell says under it where it runs; click that to change the store, the log groups or the time range, and run the cell again. **Open in Results Panel** under an answer, or a click on one of its events, opens it in a results panel, with the records and related events.` },
  { note: `## What did the leaked key do?\n\nEverything signed with \`${STORY.leakedAccessKeyId}\`, newest first.` },
  { kind: 'lookup', source: `AccessKeyId=${STORY.leakedAccessKeyId}` },
  { note: `## Who called from the attacker's address?\n\nEvery principal that made calls from \`${STORY.attackerIp}\`, and what it called.` },
  { kind: 'insights', logKind: 'cloudtrail', source: `filter sourceIPAddress = "${STORY.attackerIp}"\n| stats count(*) as calls by userIdentity.arn, eventName\n| sort calls desc` },
  { note: '## Did they make themselves at home?\n\nNew users, access keys and console passwords, from that address.' },
  { kind: 'lookup', source: `# Persistence from the attacker's address\nsourceIPAddress=${STORY.attackerIp}\nEventName=CreateAccessKey` },
  { note: '## What left the account?\n\nThe source and destination pairs that moved the most bytes, in the VPC flow logs.' },
  { kind: 'insights', logKind: 'vpc-flow', source: library('flows-top-byte-pairs') },
  { note: '## Did they cover their tracks?' },
  { kind: 'lookup', source: 'EventName=StopLogging' },
];

export async function writeSampleNotebook(db: string, file: string): Promise<void> {
  const source = await EvidenceSource.open(db, { readOnly: true });
  const target: Target = { kind: 'evidence', path: db };
  const groups = await source.logGroups();
  try {
    const cells: NotebookCellEntry[] = [];
    for (const step of STEPS) {
      if ('note' in step) {
        cells.push({ kind: 'markdown', source: step.note });
        continue;
      }
      const logGroups = groups.filter((g) => g.kind === step.logKind).map((g) => g.name);
      const place: CellPlace = { target, logGroups, start: STORY.start, end: STORY.end };
      const { payload } = await runCellQuery(source, cellQuery(step.kind, step.source, place), { max: 10_000 });
      const stored = storedPlace(place, dirname(file));
      cells.push({ kind: step.kind, source: step.source, place: stored, output: { ranAt: STORY.end, asked: { source: step.source, place: stored }, result: payload } });
    }
    writeFileSync(file, serializeNotebook({ trailscopeNotebook: 1, cells }));
  } finally {
    source.close();
  }
}

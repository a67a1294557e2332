import { dirname } from 'node:path';
import { writeFileSync } from 'node:fs';
import { newCase, serializeCase, type InvestigationCase } from '../../src/core/case/case-file';
import { addFinding, saveQuery, setNote } from '../../src/core/case/edit';
import { QUERY_LIBRARY } from '../../src/core/insights/library';
import type { LookupAttribute, FieldFilter } from '../../src/core/lookup/request';
import type { Target } from '../../src/core/target';
import { EvidenceSource } from '../../src/sources/evidence/source';
import { STORY } from '../sample-story';

/**
 * The sample incident's investigation case, as a responder would have left it: the story's turning points
 * pinned with notes, and the lookup and the flow-log query that found them. `npm start` opens it, so the
 * Investigation Case view has something to show; the events are read from the store, as a pin would.
 */
interface Step {
  attributes: LookupAttribute[];
  filters?: FieldFilter[];
  at: string;
  note: string;
}

const leakedKey: LookupAttribute = { AttributeKey: 'AccessKeyId', AttributeValue: STORY.leakedAccessKeyId };

const STEPS: Step[] = [
  { attributes: [leakedKey], at: STORY.firstUse, note: `First use of ${STORY.leakedUser}'s key, from ${STORY.attackerIp} with a Kali user agent: the start of the intrusion.` },
  { attributes: [leakedKey, { AttributeKey: 'EventName', AttributeValue: 'AttachUserPolicy' }], at: STORY.escalation.attachAdministratorAccess, note: 'Privilege escalation: the key attaches AdministratorAccess to its own user.' },
  { attributes: [{ AttributeKey: 'EventName', AttributeValue: 'CreateAccessKey' }], filters: [{ field: 'sourceIPAddress', op: 'equals', value: STORY.attackerIp }], at: STORY.persistence.createAccessKey, note: `Persistence: a key for the new user ${STORY.persistence.user} (${STORY.persistence.newAccessKeyId}). Deactivate it.` },
  { attributes: [{ AttributeKey: 'EventName', AttributeValue: 'AssumeRole' }], filters: [{ field: 'sourceIPAddress', op: 'equals', value: STORY.attackerIp }], at: STORY.crossAccount.assumeRole, note: `Into account ${STORY.secondAccount}: the session key ${STORY.crossAccount.mintedAccessKeyId} was minted here.` },
  { attributes: [{ AttributeKey: 'EventName', AttributeValue: 'StopLogging' }], at: STORY.tampering.stopLogging, note: `The trail ${STORY.tampering.trailName} stopped: nothing after this is in CloudTrail for that account and region.` },
];

export async function writeSampleCase(db: string, file: string): Promise<InvestigationCase> {
  const source = await EvidenceSource.open(db, { readOnly: true });
  const store: Target = { kind: 'evidence', path: db };
  const when = new Date(STORY.end);
  try {
    let investigation = newCase(`Sample incident: ${STORY.leakedUser}'s access key used from ${STORY.attackerIp}`, when);
    for (const step of STEPS) {
      const [event] = await source.lookupEvents({ attributes: step.attributes, filters: step.filters ?? [], start: step.at, end: step.at });
      if (!event) throw new Error(`the sample store has no event for ${JSON.stringify(step.attributes)} at ${step.at}`);
      investigation = setNote(addFinding(investigation, { event }, store, when).case, { event, target: store }, step.note);
    }
    investigation = saveQuery(investigation, { kind: 'lookup', target: store, request: { attributes: [leakedKey], filters: [], start: STORY.start, end: STORY.end } }, 'Everything the leaked key did', when);
    const flows = (await source.logGroups()).find((g) => g.kind === 'vpc-flow');
    const topBytes = QUERY_LIBRARY.find((q) => q.id === 'flows-top-byte-pairs');
    if (!flows || !topBytes) throw new Error('the sample store has no flow log group, or the library no top byte pairs query');
    investigation = saveQuery(investigation, { kind: 'insights', target: store, logGroups: [flows.name], query: topBytes.query, start: STORY.start, end: STORY.end }, 'Where the bytes went', when);
    writeFileSync(file, serializeCase(investigation, dirname(file)));
    return investigation;
  } finally {
    source.close();
  }
}

import type { FieldFilter } from '../core/lookup/request';
import { evidenceLogRecord } from '../sources/evidence/insights';
import { EvidenceSource } from '../sources/evidence/source';
import type { EndpointBackend } from './backend';

/**
 * The endpoint's data from an evidence store: the local endpoint serves exactly what the offline
 * engine answers, so live and offline paths can be compared on the same evidence.
 */
export function evidenceBackend(source: EvidenceSource): EndpointBackend {
  return {
    lookupEvents(query) {
      const filters: FieldFilter[] = [{ field: 'awsRegion', op: 'equals', value: query.region }];
      if (query.accountId !== undefined) filters.push({ field: 'recipientAccountId', op: 'equals', value: query.accountId });
      return source.lookupEvents({ attributes: query.attribute ? [query.attribute] : [], filters, start: query.start, end: query.end, eventCategory: query.eventCategory });
    },
    runInsights: (request) => source.runInsights(request),
    logRecord: (ptr) => evidenceLogRecord(source.store, ptr),
    async logGroups() {
      // DescribeLogGroups reports storedBytes; the size of the raw events is the honest local equivalent.
      const sizes = await source.store.all<{ name: string; bytes: bigint | number | null }>(
        `SELECT log_group AS name, sum(strlen(CAST(raw AS VARCHAR))) AS bytes FROM cloudtrail GROUP BY 1
         UNION ALL SELECT log_group, sum(strlen(raw)) FROM flows GROUP BY 1
         UNION ALL SELECT log_group, sum(strlen(message)) FROM logs GROUP BY 1`,
      );
      const bytes = new Map(sizes.map((r) => [r.name, Number(r.bytes ?? 0)]));
      return (await source.logGroups()).map((g) => ({ ...g, storedBytes: bytes.get(g.name) ?? 0 }));
    },
    async sampleMessage(name) {
      const rows = await source.store.all<{ message: string }>(
        `SELECT message FROM (
           (SELECT CAST(raw AS VARCHAR) AS message FROM cloudtrail WHERE log_group = ? LIMIT 1)
           UNION ALL (SELECT raw FROM flows WHERE log_group = ? LIMIT 1)
           UNION ALL (SELECT message FROM logs WHERE log_group = ? LIMIT 1)) LIMIT 1`,
        [name, name, name],
      );
      return rows[0]?.message;
    },
    async defaultAccountId() {
      const { accounts } = await source.summary();
      return accounts.length === 1 ? accounts[0] : undefined;
    },
    close: () => source.close(),
  };
}

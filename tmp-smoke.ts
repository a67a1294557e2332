import { openFixtureStore } from './test/unit/insights/fixture-store';
import { runEvidenceInsights } from './src/sources/evidence/insights';
(async () => {
  const { store, dispose } = await openFixtureStore();
  const qs = process.argv.slice(2);
  for (const q of qs) {
    try {
      const r = await runEvidenceInsights(store, { query: q, logGroups: [], start: '', end: '' });
      console.log(q, '\n', JSON.stringify(r.results.map(row => Object.fromEntries(row.map(c => [c.field, c.value])))), JSON.stringify(r.statistics));
    } catch (e) { console.log(q, 'ERR', (e as Error).message); }
  }
  dispose();
})();

import { DuckDBInstance } from '@duckdb/node-api';
const i = await DuckDBInstance.create(':memory:'); const c = await i.connect();
const q = async (s: string) => { const t=Date.now(); try { const r = await c.runAndReadAll(s); console.log(Date.now()-t,'ms', s.slice(0,70), JSON.stringify(r.getRowObjectsJS(), (k,v)=> typeof v==='bigint'? v.toString()+'n': v).slice(0,300)); } catch(e) { console.log(s.slice(0,80), 'ERR', (e as Error).message.slice(0,300)); } };
await q(`select TRY_CAST('0xff' AS BIGINT) h`);
await q(`create temp macro ts_let_test(s) as list_transform([upper(s)], n -> n || s)[1]`);
await q(`select ts_let_test('ab') x`);
await q(`select list_transform(['a:b'], n -> list_transform(string_split(n, ':'), g -> g || n))[1] x`);

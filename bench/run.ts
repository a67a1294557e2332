import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import os from 'node:os';
import type { BenchContext, BenchFigure, BenchSection } from './report';
import { evidenceSection } from './sections/evidence';
import { activationSection } from './sections/activation';
import { liveSection } from './sections/live';
import { insightsSection } from './sections/insights';
import { webviewSection } from './sections/webview';

/**
 * `npm run bench`: every section measured in one run on this machine, so ratios compare like with like.
 * Sections live in bench/sections/ and are listed here in the order they run.
 */
const SECTIONS: Array<[string, BenchSection]> = [['evidence', evidenceSection], ['activation', activationSection], ['live', liveSection], ['insights', insightsSection], ['webview', webviewSection]];

function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? undefined : process.argv[i + 1];
}

async function main(): Promise<void> {
  const only = argValue('only');
  const ctx: BenchContext = {
    dataDir: join(__dirname, '.data'),
    events: Number(argValue('events') ?? 1_000_000),
    log: (line) => console.log(line),
  };
  mkdirSync(ctx.dataDir, { recursive: true });
  console.log(`trailscope bench: ${new Date().toISOString()}, ${os.cpus().length} x ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}`);
  const figures: BenchFigure[] = [];
  for (const [name, section] of SECTIONS) {
    if (only && !only.split(',').includes(name)) continue;
    console.log(`\n## ${name}`);
    const results = await section(ctx);
    for (const f of results) {
      const verdict = f.ok === undefined ? '' : f.ok ? '  ok' : '  MISSED';
      console.log(`${f.name.padEnd(56)} ${String(f.value).padStart(12)} ${f.unit.padEnd(10)} ${f.target ? `target ${f.target}` : ''}${verdict}`);
    }
    figures.push(...results);
  }
  const missed = figures.filter((f) => f.ok === false).length;
  console.log(`\n${figures.length} figures, ${missed} missed their targets`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});

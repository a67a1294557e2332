import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * Trailscope is read-only against AWS by construction: this scans every source file for the SDK
 * commands it imports or constructs and fails on anything that could change an account.
 */
const ROOT = join(__dirname, '..', '..', '..');
const READ_PREFIX = /^(Describe|List|Get)[A-Za-z]*Command$/;
const READ_COMMANDS = new Set(['LookupEventsCommand', 'StartQueryCommand', 'StopQueryCommand', 'FilterLogEventsCommand']);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(ts|tsx|js|mjs|cjs)$/.test(entry.name) ? [path] : [];
  });
}

/** The problems in one file's text: commands that are not reads, and SDK imports that hide what is called. */
export function violations(file: string, text: string): string[] {
  const found: string[] = [];
  // Only the service clients carry commands; credential providers and types may be imported any way.
  const sdkImport = /import\s+(type\s+)?(\*\s+as\s+\w+|\{[^}]*\}|\w+)\s+from\s+['"](@aws-sdk\/client-[^'"]+)['"]/g;
  for (const match of text.matchAll(sdkImport)) {
    if (match[1]) continue;
    if (match[2].startsWith('*') || !match[2].startsWith('{')) found.push(`${file}: namespace/default import of ${match[3]}`);
  }
  if (/require\(\s*['"]@aws-sdk\/client-/.test(text)) found.push(`${file}: require() of an AWS SDK client`);
  if (/import\(\s*['"]@aws-sdk\/client-/.test(text)) found.push(`${file}: dynamic import of an AWS SDK client`);
  const usesSdk = /from\s+['"]@aws-sdk\/client-/.test(text);
  for (const [, name] of text.matchAll(/\b([A-Z][A-Za-z0-9]*Command)\b/g)) {
    if (!usesSdk) break;
    if (READ_PREFIX.test(name) || READ_COMMANDS.has(name)) continue;
    found.push(`${file}: ${name}`);
  }
  return [...new Set(found)];
}

test('every AWS SDK command in src/ is a read', () => {
  const files = sourceFiles(join(ROOT, 'src'));
  assert.ok(files.length > 10);
  const problems = files.flatMap((path) => violations(relative(ROOT, path).split('\\').join('/'), readFileSync(path, 'utf8')));
  assert.deepEqual(problems, []);
  // The scan does see the commands we use.
  const runner = readFileSync(join(ROOT, 'src/sources/aws/insights-runner.ts'), 'utf8');
  assert.match(runner, /StopQueryCommand/);
});

test('the scan catches writes and imports that hide command names', () => {
  const fake = (body: string): string => `import { CloudTrailClient, ${body} } from '@aws-sdk/client-cloudtrail';\n`;
  assert.deepEqual(violations('src/x.ts', fake('StopLoggingCommand')), ['src/x.ts: StopLoggingCommand']);
  assert.deepEqual(violations('src/x.ts', fake('DeleteTrailCommand')), ['src/x.ts: DeleteTrailCommand']);
  assert.deepEqual(violations('src/x.ts', fake('PutQueryDefinitionCommand')), ['src/x.ts: PutQueryDefinitionCommand']);
  assert.deepEqual(violations('src/x.ts', fake('LookupEventsCommand, GetTrailStatusCommand')), []);
  assert.equal(violations('src/x.ts', "import * as ct from '@aws-sdk/client-cloudtrail';").length, 1);
  assert.equal(violations('src/x.ts', "const ct = require('@aws-sdk/client-cloudtrail');").length, 1);
});

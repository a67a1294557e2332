import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { after } from 'node:test';
import { EvidenceStore } from '../../../src/sources/evidence/store';
import { runCli } from '../../../src/cli/main';

export const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'evidence');
export const fixture = (...parts: string[]): string => join(FIXTURES, ...parts);
export const OTRF = join(__dirname, '..', '..', 'fixtures', 'otrf-ec2-proxy-s3-exfiltration', 'ec2_proxy_s3_exfiltration_2020-09-14011940.json');

/** A fresh folder removed when the test file ends. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'trailscope-evidence-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export async function openStore(dir: string, name = 'store.duckdb'): Promise<EvidenceStore> {
  return EvidenceStore.open(join(dir, name));
}

/** Runs the CLI in-process and captures what it writes. */
export async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(argv, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

/**
 * A zip of deflated members, each entry declaring `declaredSize` (a bomb declares less than it holds)
 * and the CRC of `content` when given (zero otherwise: the reader checks it only once a member is whole).
 */
export function zipOf(members: Array<{ name: string; deflated: Buffer; declaredSize: number; content?: Buffer }>): Buffer {
  const header = (member: (typeof members)[number], signature: number, localOffset?: number): Buffer => {
    const name = Buffer.from(member.name);
    const central = localOffset !== undefined;
    const fields = Buffer.alloc(central ? 46 : 30);
    fields.writeUInt32LE(signature, 0);
    const at = central ? 6 : 4; // the central entry has "version made by" first
    fields.writeUInt16LE(20, at);
    fields.writeUInt16LE(8, at + 4); // deflate
    fields.writeUInt32LE(member.content ? crc32(member.content) : 0, at + 10);
    fields.writeUInt32LE(member.deflated.length, at + 14);
    fields.writeUInt32LE(member.declaredSize, at + 18);
    fields.writeUInt16LE(name.length, at + 22);
    if (central) fields.writeUInt32LE(localOffset, 42);
    return Buffer.concat([fields, name]);
  };
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const member of members) {
    centrals.push(header(member, 0x02014b50, offset));
    locals.push(header(member, 0x04034b50), member.deflated);
    offset += locals.at(-2)!.length + member.deflated.length;
  }
  const central = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(members.length, 8);
  end.writeUInt16LE(members.length, 10);
  end.writeUInt32LE(central.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, central, end]);
}

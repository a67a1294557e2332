import { open, readFile, rm, stat } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { decodeText } from '../text-bytes';
import { cannotWrite, realFile, writeWholeFile } from '../whole-file';
import type { StoreSpellings } from '../stored-target';
import { readCase, serializeCase, type InvestigationCase } from './case-file';

/**
 * Saving a case file on disk (the editor's side; the CLI only reads cases). Every change is applied to
 * the file's latest content while holding a lock beside it, so neither a hand edit or git pull made
 * meanwhile nor another editor saving at the same moment (a second VS Code window, a colleague on a
 * shared folder) is lost.
 */

/**
 * A save holds the lock for milliseconds; one this old (by its modification time) was left by a process
 * that stopped mid-save (a crashed extension host, a machine that lost power) and is broken.
 */
const STALE_LOCK_MS = 10_000;
/** How long to wait for other saves: longer than a left-behind lock takes to count as stale. */
const LOCK_WAIT_MS = 15_000;


/** Runs `work` while holding `<file>.lock`, created exclusively ('wx'), so one save at a time in any process. */
async function locked<T>(file: string, work: () => Promise<T>): Promise<T> {
  const lock = `${file}.lock`;
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    const created = await open(lock, 'wx').then(
      (handle) => handle.close().then(() => true),
      (error: NodeJS.ErrnoException) => {
        if (error.code !== 'EEXIST') throw cannotWrite(file, error);
        return false;
      },
    );
    if (created) break;
    const since = await stat(lock).then((s) => s.mtimeMs, () => undefined);
    if (since !== undefined && Date.now() - since > STALE_LOCK_MS) {
      await rm(lock, { force: true });
    } else if (Date.now() > deadline) {
      throw new Error(`${basename(file)} is being saved by another window (${basename(lock)} exists); if no Trailscope is saving this case, delete that file`);
    } else {
      await sleep(5 + Math.random() * 20);
    }
  }
  try {
    return await work();
  } finally {
    await rm(lock, { force: true });
  }
}

/**
 * Applies a change to the case file's content as it is now and writes the result, one save at a time
 * across processes. Refused while entries of the file are not valid: writing would drop them.
 */
export async function changeCaseFile(path: string, change: (investigation: InvestigationCase) => InvestigationCase): Promise<InvestigationCase> {
  return locked(await realFile(path), async () => {
    const bytes = await readFile(path).catch((error: NodeJS.ErrnoException) => {
      throw new Error(`${basename(path)} cannot be read (${error.code ?? error.message})`, { cause: error });
    });
    const fresh = readCase(decodeText(bytes), basename(path), dirname(path));
    if (fresh.problems.length > 0) {
      throw new Error(`the case file has ${fresh.problems.length} entries that are not valid (${fresh.problems[0]}); fix them in the file first, so that saving does not drop them`);
    }
    const next = change(fresh.case);
    if (next !== fresh.case) await writeCaseFile(path, next, fresh.storeSpellings);
    return next;
  });
}

/**
 * Whole or not at all, keeping the case file's permissions (a case kept private stays private) and the
 * spelling of the stores it names relative to itself.
 */
export async function writeCaseFile(path: string, investigation: InvestigationCase, storeSpellings?: StoreSpellings): Promise<void> {
  await writeWholeFile(path, serializeCase(investigation, dirname(path), storeSpellings));
}

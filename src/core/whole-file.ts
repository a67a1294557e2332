import { constants } from 'node:fs';
import { access, chmod, realpath, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';

/** The file itself when the path is a symlink: what is written beside it goes beside the file. */
export const realFile = (path: string): Promise<string> => realpath(path).catch(() => path);

export const cannotWrite = (path: string, error: NodeJS.ErrnoException): Error =>
  new Error(`${basename(path)} cannot be written (${error.code ?? error.message})`, { cause: error });

/**
 * Writes `text` whole or not at all: it goes to a file beside the target, which then takes its name in
 * one rename, so a full disk or a killed process leaves the old file as it was. The new file gets the old
 * one's permissions, so a file kept private stays private; a file made read-only is refused.
 */
export async function writeWholeFile(path: string, text: string): Promise<void> {
  const target = await realFile(path);
  await access(target, constants.W_OK).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw cannotWrite(target, error);
  });
  const mode = await stat(target).then((s) => s.mode & 0o7777, () => undefined);
  const temporary = `${target}.${process.pid}.${Date.now()}.tmp`;
  try {
    // Created no wider than the old file (the umask may narrow it), then given exactly its mode.
    await writeFile(temporary, text, { mode });
    if (mode !== undefined) await chmod(temporary, mode);
    await rename(temporary, target);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

import { readFileSync } from 'node:fs';
import { decodeText } from '../core/text-bytes';
import { UsageError } from './args';

/**
 * The text of a file a command reads (`-`: standard input), UTF-8 or UTF-16 as saved by PowerShell. A file
 * that cannot be read is a usage error (exit 2), named with the system's reason, in every command.
 */
export function readInputText(path: string): string {
  try {
    return decodeText(path === '-' ? readFileSync(0) : readFileSync(path));
  } catch (error) {
    throw new UsageError(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
}

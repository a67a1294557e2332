// How a stage runner hands its counts to scripts/test.mjs: one line on stdout, read back by the parent.
export const RESULT_PREFIX = 'TRAILSCOPE-RESULT';

/** @param {{ passed: number, failed: number }} counts */
export function reportResult(counts) {
  console.log(`${RESULT_PREFIX} ${JSON.stringify(counts)}`);
}

/** @param {string} line @returns {{ passed: number, failed: number } | undefined} */
export function parseResult(line) {
  if (!line.startsWith(`${RESULT_PREFIX} `)) return undefined;
  const { passed, failed } = JSON.parse(line.slice(RESULT_PREFIX.length + 1));
  return { passed: Number(passed), failed: Number(failed) };
}

// How a stage runner hands its counts to scripts/test.mjs: one line on stdout, read back by the parent.
// A runner may also say which test or hook it starts (a RUNNING line, kept out of the log), so that a
// stage stopped at its time limit names what it was doing.
export const RESULT_PREFIX = 'TRAILSCOPE-RESULT';
export const RUNNING_PREFIX = 'TRAILSCOPE-RUNNING';

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

/** @param {string} title the full title of the test or hook now starting */
export function reportRunning(title) {
  console.log(`${RUNNING_PREFIX} ${JSON.stringify(title)}`);
}

/** @param {string} line @returns {string | undefined} */
export function parseRunning(line) {
  if (!line.startsWith(`${RUNNING_PREFIX} `)) return undefined;
  const text = line.slice(RUNNING_PREFIX.length + 1);
  try {
    return String(JSON.parse(text));
  } catch {
    return text;
  }
}

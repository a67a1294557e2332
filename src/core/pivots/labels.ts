import type { PivotName } from '../results';

/** What each related-event link is called, in the results view, panel titles and the CLI alike. */
export const PIVOT_LABELS: Record<PivotName, string> = {
  principal: 'Same principal',
  'access-key': 'Same access key',
  session: 'Same role session',
  'minted-by': 'Call that minted the key',
  'minted-key': 'Signed with the key it minted',
  'source-ip': 'Same source IP',
  resource: 'Same resource',
  'instance-role': "What the instance's role did",
  instance: 'Calls on this instance',
  request: 'Same request',
  'time-window': 'Same principal around this time',
  flows: 'Flow records of this IP',
};

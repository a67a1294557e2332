import { findRelated } from '../../core/pivots/related';
import type { PivotPort } from './ports';

/** Related events through the core pivots, the same for live and evidence sources. */
export const pivotPort: PivotPort = {
  related: (source, event, options) => findRelated(source, event, options),
  async follow(source, event, pivot, value, options) {
    // Several resource pivots share a name; the value picks the one the user clicked.
    const result = await findRelated(source, event, { ...options, pivots: [pivot] });
    return result.pivots.find((p) => p.pivot === pivot && p.value === value);
  },
};

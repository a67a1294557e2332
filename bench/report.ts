/** One measured figure, printed by `npm run bench` next to its target. */
export interface BenchFigure {
  name: string;
  value: number;
  unit: string;
  /** e.g. '<= 1.0', '< 50 ms'; absent when the figure is informational. */
  target?: string;
  /** Whether the figure meets its target; absent when there is none. */
  ok?: boolean;
}

export interface BenchContext {
  /** Scratch folder for generated data, git-ignored. */
  dataDir: string;
  /** Scale factor from the command line (`npm run bench -- --events 200000`). */
  events: number;
  log: (line: string) => void;
}

export type BenchSection = (ctx: BenchContext) => Promise<BenchFigure[]>;

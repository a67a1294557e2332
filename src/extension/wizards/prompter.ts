/**
 * The questions a wizard asks, behind an interface: VS Code's quick picks and input boxes in the
 * editor, a scripted prompter in tests. Every method resolves undefined when the user backs out.
 */
export interface PickItem<T> {
  label: string;
  description?: string;
  detail?: string;
  picked?: boolean;
  value: T;
}

export interface InputOptions {
  prompt?: string;
  value?: string;
  placeholder?: string;
  /** Returns an error message for invalid text, undefined when it is acceptable. */
  validate?: (text: string) => string | undefined;
}

export interface Prompter {
  pick<T>(title: string, items: PickItem<T>[], placeholder?: string): Promise<T | undefined>;
  pickMany<T>(title: string, items: PickItem<T>[], placeholder?: string): Promise<T[] | undefined>;
  input(title: string, options: InputOptions): Promise<string | undefined>;
  /**
   * Work a wizard waits for between questions (listing log groups), shown as cancellable progress
   * titled `title`: its result, or undefined as soon as the user cancels (`work`'s signal is then aborted).
   */
  busy<T>(title: string, work: (signal: AbortSignal) => Promise<T>): Promise<T | undefined>;
}

/** Where wizards remember the last choices (the workspace state in the editor). */
export interface Memory {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): Thenable<void> | Promise<void>;
}

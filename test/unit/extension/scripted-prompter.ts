import assert from 'node:assert/strict';
import type { InputOptions, Memory, PickItem, Prompter } from '../../../src/extension/wizards/prompter';

/**
 * A prompter that answers from a script, recording every question, so a test states what the user
 * chooses at each step and sees what the wizard offered. `undefined` stands for Escape.
 */
export type Answer =
  | { pick: (items: PickItem<unknown>[]) => unknown }
  | { pickMany: (items: PickItem<unknown>[]) => unknown[] | undefined }
  | { input: (options: InputOptions) => string | undefined };

export interface Question {
  kind: 'pick' | 'pickMany' | 'input';
  title: string;
  items?: PickItem<unknown>[];
  placeholder?: string;
  options?: InputOptions;
}

/**
 * `busy` work runs at once and is not a question: its titles are kept in `progress`, each with the signal
 * it was given in `signals`. With `cancelBusy`, the user presses Cancel as soon as such work starts.
 */
export function scriptedPrompter(answers: Answer[], script: { cancelBusy?: boolean } = {}): Prompter & { asked: Question[]; progress: string[]; signals: AbortSignal[] } {
  const asked: Question[] = [];
  const progress: string[] = [];
  const signals: AbortSignal[] = [];
  const next = (kind: Question['kind'], title: string): Answer => {
    const answer = answers.shift();
    assert.ok(answer, `the wizard asked "${title}" (${kind}) after the script ended`);
    assert.ok(kind in answer, `the wizard asked "${title}" with ${kind}, the script expected ${Object.keys(answer)[0]}`);
    return answer;
  };
  return {
    asked,
    progress,
    signals,
    async pick<T>(title: string, items: PickItem<T>[], placeholder?: string) {
      asked.push({ kind: 'pick', title, items, placeholder });
      return (next('pick', title) as { pick: (items: PickItem<unknown>[]) => unknown }).pick(items) as T | undefined;
    },
    async pickMany<T>(title: string, items: PickItem<T>[], placeholder?: string) {
      asked.push({ kind: 'pickMany', title, items, placeholder });
      return (next('pickMany', title) as { pickMany: (items: PickItem<unknown>[]) => unknown[] | undefined }).pickMany(items) as T[] | undefined;
    },
    async input(title: string, options: InputOptions) {
      asked.push({ kind: 'input', title, options });
      return (next('input', title) as { input: (options: InputOptions) => string | undefined }).input(options);
    },
    async busy<T>(title: string, work: (signal: AbortSignal) => Promise<T>) {
      progress.push(title);
      const abort = new AbortController();
      signals.push(abort.signal);
      const running = work(abort.signal);
      if (!script.cancelBusy) return running;
      abort.abort();
      return running.then(
        () => undefined,
        () => undefined,
      );
    },
  };
}

/** Picks the item whose label contains the text (the way a user types into a quick pick). */
export const pickLabel = (text: string): Answer => ({
  pick: (items) => {
    const found = items.find((i) => i.label.includes(text));
    assert.ok(found, `no item "${text}" among ${items.map((i) => i.label).join(' | ')}`);
    return found.value;
  },
});

export const pickManyLabels = (...texts: string[]): Answer => ({
  pickMany: (items) => texts.map((text) => {
    const found = items.find((i) => i.label.includes(text) || i.description === text);
    assert.ok(found, `no item "${text}"`);
    return found.value;
  }),
});

/** Accepts what is preselected, as pressing Enter does. */
export const acceptPicked: Answer = { pickMany: (items) => items.filter((i) => i.picked).map((i) => i.value) };

export const type = (text: string): Answer => ({
  input: (options) => {
    const error = options.validate?.(text);
    assert.equal(error, undefined, `the wizard rejected "${text}": ${error}`);
    return text;
  },
});

export const escape: Answer = { pick: () => undefined };

export function memory(): Memory & { data: Map<string, unknown> } {
  const data = new Map<string, unknown>();
  return {
    data,
    get: <T>(key: string) => structuredClone(data.get(key)) as T | undefined,
    update: async (key: string, value: unknown) => void data.set(key, structuredClone(value)),
  };
}

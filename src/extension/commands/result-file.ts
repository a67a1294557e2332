import * as vscode from 'vscode';
import { parseResultFile, resultTitle } from '../../core/result-file';
import { baseName, targetLabel, type Target } from '../../core/target';
import { replayJob } from '../results/controller';
import { availableTargets, sourceFor } from '../targets';
import type { Investigation } from './context';
import { decodeText } from '../../core/text-bytes';

/** A saved result given directly (tests): the file and where its related-event links are followed. */
export interface ResultFileArgs {
  file: vscode.Uri;
  target: Target;
}

function isResultFileArgs(value: unknown): value is ResultFileArgs {
  return typeof value === 'object' && value !== null && 'file' in value && 'target' in value;
}

/**
 * "Trailscope: Open Result File…": a result saved as JSON (the results view's Export JSON, or what
 * `trailscope lookup`, `insights` and `related` print with --format json) in a results panel again, from
 * the palette or a .json file's context menu. Its related-event links are followed in the store or
 * account the responder picks, since a file does not say where its events came from.
 */
export async function openResultFile(app: Investigation, arg?: vscode.Uri | ResultFileArgs): Promise<void> {
  const given = isResultFileArgs(arg) ? arg : undefined;
  const file = given?.file ?? (arg instanceof vscode.Uri ? arg : await askForFile());
  if (!file) return;
  const name = baseName(file.path);
  const payload = parseResultFile(decodeText(await vscode.workspace.fs.readFile(file)), name);
  const services = await app.services();
  const target = given?.target ?? (await askForTarget(await availableTargets(services)));
  if (!target) return;
  const source = await sourceFor(services, target);
  app.panels.show({ title: resultTitle(payload, name), query: `${name} · related events in ${targetLabel(target)}`, source, target }, replayJob(payload));
}

async function askForFile(): Promise<vscode.Uri | undefined> {
  const picked = await vscode.window.showOpenDialog({
    title: 'Open a saved Trailscope result',
    canSelectMany: false,
    filters: { 'Trailscope result (JSON)': ['json'] },
  });
  return picked?.[0];
}

async function askForTarget(targets: Target[]): Promise<Target | undefined> {
  if (targets.length === 0) {
    throw new Error('related events are followed in an evidence store or an AWS account, and none was found: ingest evidence or configure a profile first');
  }
  const picked = await vscode.window.showQuickPick(
    targets.map((target) => ({ label: targetLabel(target), description: target.kind === 'evidence' ? 'evidence store' : 'AWS account', target })),
    { title: 'Follow related events in', placeHolder: 'Where the events of this result came from' },
  );
  return picked?.target;
}

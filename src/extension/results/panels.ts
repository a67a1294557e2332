import * as vscode from 'vscode';
import { displayText, noticeText } from '../display-text';
import type { LookupEvent } from '../../core/cloudtrail/event';
import { PIVOT_LABELS } from '../../core/pivots/labels';
import type { PivotName, ResultField } from '../../core/results';
import type { Target } from '../../core/target';
import type { TrailSource } from '../../sources/source';
import { newNonce, panelHtml } from '../../webview/html';
import type { ExportFormat } from '../../webview/protocol';
import { describeFailure } from '../errors';
import { RELATED_COUNT_LIMIT, type Services } from '../services/ports';
import { settings } from '../settings';
import { ResultController, type PanelEffects, type ResultDescription, type ResultJob } from './controller';


/** Results that arrive sooner need no notification: the panel's own progress is enough. */
const NOTIFY_AFTER_MS = 1500;

/**
 * True while the active results panel holds a lookup or Insights query that can be saved to the case (its
 * `spec`): Save Query to Case… shows on the panel's title bar only then (package.json's editor/title).
 */
export const CAN_SAVE_QUERY_CONTEXT = 'trailscope.results.canSaveQuery';

interface OpenPanel {
  panel: vscode.WebviewPanel;
  controller: ResultController;
}

/**
 * The results panels: each lookup, query or followed link opens its own tab, so a responder can compare
 * results side by side. The panel that was last active is the one "Show Related Events" acts on.
 */
export class ResultsPanels implements vscode.Disposable {
  private readonly open = new Set<OpenPanel>();
  private active: OpenPanel | undefined;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly services: () => Promise<Services>,
  ) {}

  /** The event open in the active panel's event view, with where it came from. */
  selectedEvent(): { source: TrailSource; target: Target; event: LookupEvent } | undefined {
    const controller = this.active?.controller;
    const id = controller?.selectedEventId;
    const event = id ? controller.findEvent(id) : undefined;
    return controller && event ? { source: controller.description.source, target: controller.description.target, event } : undefined;
  }

  /** The Insights row open in the active panel's event view, with where it came from and the query that returned it. */
  selectedRecord(): { target: Target; record: ResultField[]; query: string } | undefined {
    const controller = this.active?.controller;
    const record = controller?.selectedRow;
    return controller && record ? { target: controller.description.target, record, query: controller.description.query ?? controller.description.title } : undefined;
  }

  /** What the active panel shows and how it was produced. */
  activeDescription(): ResultDescription | undefined {
    return this.active?.controller.description;
  }

  /** Opens a panel and runs the job, with a cancellable notification beside the panel's own progress when it takes a while. */
  show(description: ResultDescription, job: ResultJob): ResultController {
    const mediaRoot = vscode.Uri.joinPath(this.extensionUri, 'dist', 'media');
    // Titles carry log values (an event name, a pivot's value) and names from shared case files.
    const title = displayText(description.title, 80);
    const panel = vscode.window.createWebviewPanel('trailscope.results', title, vscode.ViewColumn.Active, {
      enableScripts: true,
      localResourceRoots: [mediaRoot],
      // Kept alive while hidden: responders flip between result tabs, and rebuilding a 10,000-row table
      // with its sort, filter, scroll position and open event on every switch would lose their place.
      retainContextWhenHidden: true,
    });
    panel.webview.html = panelHtml({
      nonce: newNonce(),
      cspSource: panel.webview.cspSource,
      scriptUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(mediaRoot, 'results.js')).toString(),
      styleUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(mediaRoot, 'results.css')).toString(),
      title: description.title,
    });
    const controller = new ResultController(description, this.effects(panel), job.kind);
    const entry: OpenPanel = { panel, controller };
    this.open.add(entry);
    this.activate(entry);
    const subscriptions = [
      panel.webview.onDidReceiveMessage((raw: unknown) => controller.handle(raw)),
      panel.onDidChangeViewState(() => {
        if (panel.active) this.activate(entry);
      }),
    ];
    panel.onDidDispose(() => {
      controller.dispose();
      subscriptions.forEach((s) => s.dispose());
      this.open.delete(entry);
      if (this.active === entry) this.activate(undefined);
    });
    const finished = controller.start(job);
    // Work that outlasts a glance also gets a cancellable notification, visible from any tab.
    const notify = setTimeout(() => {
      void vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: noticeText(`Trailscope: ${title}`), cancellable: true },
        (_progress, token) => {
          token.onCancellationRequested(() => controller.cancel());
          return finished;
        },
      );
    }, NOTIFY_AFTER_MS);
    void finished.finally(() => clearTimeout(notify));
    return controller;
  }

  dispose(): void {
    for (const { panel } of [...this.open]) panel.dispose();
  }

  /** The panel now in front, and what its title bar offers. */
  private activate(entry: OpenPanel | undefined): void {
    this.active = entry;
    void vscode.commands.executeCommand('setContext', CAN_SAVE_QUERY_CONTEXT, entry?.controller.description.spec !== undefined);
  }

  private effects(panel: vscode.WebviewPanel): PanelEffects {
    return {
      post: (message) => void panel.webview.postMessage(message),
      copy: (text) => Promise.resolve(vscode.env.clipboard.writeText(text)),
      openJsonDocument: async (content) => {
        const document = await vscode.workspace.openTextDocument({ language: 'json', content });
        await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.Beside, preview: false });
      },
      save: (format, content, suggestedName) => saveExport(format, content, suggestedName),
      related: async (source, event, signal) =>
        (await this.services()).pivots.related(source, event, { windowMinutes: settings().relatedWindowMinutes, limit: RELATED_COUNT_LIMIT, signal }),
      followPivot: (origin, event, pivot, value) => this.followPivot(origin, event, pivot, value),
    };
  }

  /** A related-event link: the events (or, from an IP, the flow records) behind one pivot, in a new panel. */
  followPivot(origin: ResultDescription, event: LookupEvent, pivot: PivotName, value: string): void {
    const { source, target } = origin;
    const title = `${PIVOT_LABELS[pivot]}: ${value.length > 60 ? `${value.slice(0, 59)}…` : value}`;
    const follow = async (signal: AbortSignal) => {
      const options = { windowMinutes: settings().relatedWindowMinutes, limit: settings().maxResults, signal };
      const result = await (await this.services()).pivots.follow(source, event, pivot, value, options);
      if (!result) throw new Error(`The event no longer has the link ${PIVOT_LABELS[pivot]} = ${value}.`);
      return result;
    };
    const description = { title, query: `${pivot} = ${value}`, source, target };
    if (pivot === 'flows') {
      this.show(description, {
        kind: 'insights',
        run: async (_sink, signal) => {
          const result = await follow(signal);
          return { status: 'Complete', results: result.rows ?? [], statistics: { recordsMatched: result.count, recordsScanned: 0, bytesScanned: 0 } };
        },
      });
    } else {
      this.show(description, { kind: 'events', run: async (sink, signal) => sink.page((await follow(signal)).events ?? []) });
    }
  }
}

async function saveExport(format: ExportFormat, content: string, suggestedName: string): Promise<string | undefined> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const uri = await vscode.window.showSaveDialog({
    title: 'Export result',
    defaultUri: folder ? vscode.Uri.joinPath(folder, suggestedName) : undefined,
    filters: format === 'csv' ? { CSV: ['csv'] } : { JSON: ['json'] },
  });
  if (!uri) return undefined;
  try {
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(content));
    void vscode.window.showInformationMessage(noticeText(`Exported to ${vscode.workspace.asRelativePath(uri)}`));
    return uri.fsPath;
  } catch (error) {
    void vscode.window.showErrorMessage(noticeText(`Export failed: ${describeFailure(error).detail}`));
    return undefined;
  }
}

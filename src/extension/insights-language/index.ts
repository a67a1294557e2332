import * as vscode from 'vscode';
import { completionsAt, diagnosticsFor, hoverAt, type CompletionKind, type Severity } from '../../core/insights/language';
import { editorLogKinds } from '../commands/insights';

/**
 * The `logs-insights` language mode (.insights and .cwlq files, and untitled editors set to it):
 * colouring comes from the TextMate grammar in syntaxes/; completion, hovers and diagnostics from the same core
 * parser and compiler that run queries, so the editor never disagrees with the engine.
 */
export const LANGUAGE_ID = 'logs-insights';

const DIAGNOSTIC_DELAY_MS = 150;

const SEVERITY: Record<Severity, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  information: vscode.DiagnosticSeverity.Information,
};

const ITEM_KIND: Record<CompletionKind, vscode.CompletionItemKind> = {
  command: vscode.CompletionItemKind.Keyword,
  keyword: vscode.CompletionItemKind.Operator,
  function: vscode.CompletionItemKind.Function,
  field: vscode.CompletionItemKind.Field,
};

/**
 * What a language feature gives, or undefined when it throws. A query the core mishandles must cost that
 * document its diagnostics, completions or hover (the failure is logged), never fail activation (the
 * open documents are checked in it) or a provider.
 */
function guarded<T>(feature: string, run: () => T): T | undefined {
  try {
    return run();
  } catch (error) {
    console.error(`Trailscope: Logs Insights ${feature} failed`, error);
    return undefined;
  }
}

export function registerInsightsLanguage(context: vscode.ExtensionContext): void {
  const collection = vscode.languages.createDiagnosticCollection(LANGUAGE_ID);
  const pending = new Map<string, ReturnType<typeof setTimeout>>();

  const check = (document: vscode.TextDocument) => {
    if (document.languageId !== LANGUAGE_ID) return;
    const diagnostics = guarded('diagnostics', () =>
      diagnosticsFor(document.getText()).map((d) => {
        const range = new vscode.Range(document.positionAt(d.start), document.positionAt(d.end));
        const diagnostic = new vscode.Diagnostic(range, d.message, SEVERITY[d.severity]);
        diagnostic.source = 'Logs Insights';
        return diagnostic;
      }),
    );
    collection.set(document.uri, diagnostics ?? []);
  };
  // Typing fires a change per keystroke; checking once the burst settles keeps the editor responsive.
  const schedule = (document: vscode.TextDocument) => {
    const key = document.uri.toString();
    clearTimeout(pending.get(key));
    pending.set(key, setTimeout(() => {
      pending.delete(key);
      check(document);
    }, DIAGNOSTIC_DELAY_MS));
  };

  context.subscriptions.push(
    collection,
    vscode.workspace.onDidOpenTextDocument(check),
    vscode.workspace.onDidChangeTextDocument((e) => schedule(e.document)),
    vscode.workspace.onDidCloseTextDocument((document) => {
      clearTimeout(pending.get(document.uri.toString()));
      collection.delete(document.uri);
    }),
    vscode.languages.registerCompletionItemProvider(
      LANGUAGE_ID,
      {
        provideCompletionItems(document, position) {
          return guarded('completion', () =>
            completionsAt(document.getText(), document.offsetAt(position), editorLogKinds(document.uri)).map((c, i) => {
              const item = new vscode.CompletionItem(c.label, ITEM_KIND[c.kind]);
              item.detail = c.detail;
              if (c.insertText) item.insertText = c.insertText;
              // Keep the order core chose (defined names first, aggregations first in stats).
              item.sortText = String(i).padStart(4, '0');
              return item;
            }),
          );
        },
      },
      '|', ' ', '@', '.', '(',
    ),
    vscode.languages.registerHoverProvider(LANGUAGE_ID, {
      provideHover(document, position) {
        const hover = guarded('hover', () => hoverAt(document.getText(), document.offsetAt(position)));
        if (!hover) return undefined;
        return new vscode.Hover(new vscode.MarkdownString(hover.markdown), new vscode.Range(document.positionAt(hover.start), document.positionAt(hover.end)));
      },
    }),
  );
  for (const document of vscode.workspace.textDocuments) check(document);
}

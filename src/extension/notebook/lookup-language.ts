import * as vscode from 'vscode';
import { LookupCellError, parseLookupCell } from '../../core/notebook/lookup-cell';
import { ALL_CONDITION_KEYS, conditionHint, conditionId, conditionLabel, conditionSeparator } from '../wizards/conditions';
import { LOOKUP_LANGUAGE } from './serializer';

/**
 * Help for writing lookup cells: a line that is not a condition is underlined as it is typed (the same
 * parser the kernel runs), and at the start of a line the attributes and field filters are offered with
 * what each matches.
 */
export function registerLookupLanguage(): vscode.Disposable[] {
  const diagnostics = vscode.languages.createDiagnosticCollection(LOOKUP_LANGUAGE);
  const check = (document: vscode.TextDocument) => {
    if (document.languageId !== LOOKUP_LANGUAGE) return;
    diagnostics.set(document.uri, lineProblems(document));
  };
  vscode.workspace.textDocuments.forEach(check);
  return [
    diagnostics,
    vscode.workspace.onDidOpenTextDocument(check),
    vscode.workspace.onDidChangeTextDocument((e) => check(e.document)),
    vscode.workspace.onDidCloseTextDocument((document) => diagnostics.delete(document.uri)),
    vscode.languages.registerCompletionItemProvider(LOOKUP_LANGUAGE, { provideCompletionItems: keyCompletions }),
  ];
}

function lineProblems(document: vscode.TextDocument): vscode.Diagnostic[] {
  try {
    parseLookupCell(document.getText());
    return [];
  } catch (error) {
    if (!(error instanceof LookupCellError)) throw error;
    const line = document.lineAt(error.line - 1);
    return [new vscode.Diagnostic(line.range.with(line.range.start.translate(0, line.firstNonWhitespaceCharacterIndex)), error.reason, vscode.DiagnosticSeverity.Error)];
  }
}

function keyCompletions(document: vscode.TextDocument, position: vscode.Position): vscode.CompletionItem[] {
  const before = document.lineAt(position.line).text.slice(0, position.character);
  if (/[=~#]/.test(before)) return [];
  return ALL_CONDITION_KEYS.map((key, i) => {
    const id = conditionId(key);
    const item = new vscode.CompletionItem({ label: id, description: conditionLabel(key) }, 'attribute' in key ? vscode.CompletionItemKind.Property : vscode.CompletionItemKind.Field);
    item.insertText = `${id}${conditionSeparator(key)}`;
    item.detail = 'attribute' in key ? 'LookupEvents attribute (exact match)' : conditionSeparator(key) === '~' ? 'Field filter (case-insensitive substring)' : 'Field filter (exact match)';
    item.documentation = conditionHint(key);
    // Attributes first, in the wizard's order.
    item.sortText = String(i).padStart(2, '0');
    return item;
  });
}

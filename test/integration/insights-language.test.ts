// The Logs Insights language mode inside a real VS Code: an untitled logs-insights document gets
// diagnostics from the query parser as it is edited, and completion offers commands, functions and fields.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { waitFor } from './environment';

async function openQuery(content: string): Promise<vscode.TextDocument> {
  const document = await vscode.workspace.openTextDocument({ language: 'logs-insights', content });
  await vscode.window.showTextDocument(document);
  return document;
}

/** The document's diagnostics, once the extension has published some. */
function diagnosticsOf(document: vscode.TextDocument, what: string): Promise<vscode.Diagnostic[]> {
  return waitFor(() => {
    const found = vscode.languages.getDiagnostics(document.uri);
    return found.length > 0 ? found : undefined;
  }, what);
}

async function completionLabels(document: vscode.TextDocument, offset: number): Promise<string[]> {
  const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', document.uri, document.positionAt(offset));
  return list.items.map((item) => (typeof item.label === 'string' ? item.label : item.label.label));
}

describe('Logs Insights language mode', () => {
  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('is a known language for .insights files', async () => {
    const languages = await vscode.languages.getLanguages();
    assert.ok(languages.includes('logs-insights'));
  });

  it('reports a syntax error with its position and clears it once fixed', async () => {
    const document = await openQuery('filter action = "REJECT"\n| stats count(*) by\n| sort srcAddr');
    const [problem] = await diagnosticsOf(document, 'a diagnostic on the query');
    assert.equal(problem.severity, vscode.DiagnosticSeverity.Error);
    assert.deepEqual([problem.range.start.line, problem.range.start.character], [2, 0]);
    assert.match(problem.message, /expected a field, a value or a function call/);

    const edit = new vscode.WorkspaceEdit();
    edit.insert(document.uri, new vscode.Position(1, 19), ' srcAddr');
    assert.ok(await vscode.workspace.applyEdit(edit));
    await waitFor(() => (vscode.languages.getDiagnostics(document.uri).length === 0 ? true : undefined), 'the diagnostic to clear');
  });

  it('warns that a live-only command does not run offline', async () => {
    const document = await openQuery('fields @message | pattern @message');
    const [problem] = await diagnosticsOf(document, 'a warning');
    assert.equal(problem.severity, vscode.DiagnosticSeverity.Warning);
    assert.equal(problem.range.start.character, 18);
  });

  it('explains a function on hover', async () => {
    const document = await openQuery('filter isIpv4InSubnet(srcAddr, "10.0.0.0/8")');
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, document.positionAt(10));
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(text, /isIpv4InSubnet\(field, "a\.b\.c\.d\/n"\)/);
  });

  it('checks a query naming fields constructor and __proto__ as any other', async () => {
    const document = await openQuery('filter __proto__ = 1\n| stats count(*) by constructor | fields strlenn(constructor)');
    const [problem] = await diagnosticsOf(document, 'the diagnostic after those names');
    assert.match(problem.message, /unknown function 'strlenn'/);
  });

  it('completes commands after a pipe and fields and functions inside a command', async () => {
    const document = await openQuery('filter isIpv4InSubnet(srcAddr, "10.0.0.0/8") | ');
    const commands = await completionLabels(document, document.getText().length);
    assert.ok(commands.includes('stats') && commands.includes('filter'), commands.join(', '));
    const inFilter = await completionLabels(document, 'filter '.length);
    assert.ok(inFilter.includes('srcAddr') && inFilter.includes('isIpv4InSubnet') && inFilter.includes('@timestamp'));
    // Inside the CIDR string: none of ours, only the editor's own words of the document, if any.
    const inString = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', document.uri, document.positionAt(document.getText().indexOf('0.0/8')));
    const ours = inString.items.filter((item) => item.kind !== vscode.CompletionItemKind.Text);
    assert.deepEqual(ours.map((item) => item.label), []);
  });

  it('warns at a bin() period the service caps, saying what to write', async () => {
    const document = await openQuery('filter action = "REJECT"\n| stats count(*) by bin(300s)');
    const [problem] = await diagnosticsOf(document, 'a warning on bin(300s)');
    assert.equal(problem.severity, vscode.DiagnosticSeverity.Warning);
    assert.deepEqual([problem.range.start.line, problem.range.start.character, problem.range.end.character], [1, 24, 28]);
    assert.match(problem.message, /bin\(300s\) runs as bin\(60s\).*write bin\(5m\)/);
  });
});

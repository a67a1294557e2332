import { ResultsApp } from './app';
import { connect } from './bridge';

/** Entry point of the results webview app (bundled to dist/media/results.js). */
const root = document.getElementById('app') ?? document.body;
let app: ResultsApp | undefined;
const bridge = connect((message) => app?.handle(message));
app = new ResultsApp(root, bridge);
bridge.post({ type: 'ready' });

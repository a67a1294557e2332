import { ResultsApp } from './app';
import { connect } from './bridge';

/** Entry point of the results webview app (bundled to dist/media/results.js). */
const bridge = connect();
const app = new ResultsApp(document.getElementById('app') ?? document.body, bridge);
bridge.listen((message) => app.handle(message));
bridge.post({ type: 'ready' });

/** The console's entry: styles and the app, mounted on #app of index.html (no inline script: the CSP forbids it). */
import { render } from 'preact';
import { App } from './app';
import './styles.css';

const root = document.getElementById('app');
if (root) render(<App />, root);

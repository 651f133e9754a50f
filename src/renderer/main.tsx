import { render } from 'preact';
import { App } from './app';

const root = document.getElementById('app');
if (root) {
  if ('dialler' in window) render(<App api={window.dialler} />, root);
  else
    root.textContent =
      'Dialler Bridge could not start its window (the bridge API is missing). Restart the app.';
}

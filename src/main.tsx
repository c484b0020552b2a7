import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './ui/App';
import { BenchPage, benchSizes } from './ui/bench/BenchPage';
import { AppBoundary } from './ui/common/ErrorBoundary';
import { readQuery } from './ui/state/settings';
import './ui/styles.css';
import { connectEngine, pageBackends } from './worker/client';
import { registerServiceWorker } from './worker/registerServiceWorker';

// The link is read defensively (a malformed % escape is text, never an exception): whatever a
// shared link holds, the page opens. TensorFlow.js never loads on this thread (it would parse the
// URL itself); it lives in the engine worker, whose own URL has no query.
const query = readQuery(location.search);

// One engine worker for the page's whole life, made outside React so StrictMode's double effects
// cannot start a second one.
// Only known backend names from the link's `?backend=` reach the worker (pageBackends).
const connection = connectEngine({ backends: pageBackends(query.get('backend')) });

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <AppBoundary>
      {query.has('bench') ? (
        <BenchPage connection={connection} sizes={benchSizes(location.search)} />
      ) : (
        <App connection={connection} />
      )}
    </AppBoundary>
  </StrictMode>,
);

// Offline use in production builds; never throws, and does nothing in development.
void registerServiceWorker();

import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './ui/App';
import { BenchPage, benchSizes } from './ui/bench/BenchPage';
import './ui/styles.css';
import { connectEngine } from './worker/client';
import { registerServiceWorker } from './worker/registerServiceWorker';

// One engine worker for the page's whole life, made outside React so StrictMode's double effects
// cannot start a second one.
const connection = connectEngine(new URLSearchParams(location.search).get('backend'));


const query = new URLSearchParams(location.search);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    {query.has('bench') ? <BenchPage connection={connection} sizes={benchSizes(location.search)} /> : <App connection={connection} />}
  </StrictMode>,
);

// Offline use in production builds; never throws, and does nothing in development.
void registerServiceWorker();

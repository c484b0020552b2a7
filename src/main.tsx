import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ComingSoon } from './ui/ComingSoon';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ComingSoon />
  </StrictMode>,
);

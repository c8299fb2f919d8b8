import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { browserClient } from '../api/recourse';
import { ok } from '@recourse/client';

function Probe() {
  return <h1>申诉</h1>;
}
void ok;
void browserClient;
createRoot(document.getElementById('root') as HTMLElement).render(<StrictMode><Probe /></StrictMode>);

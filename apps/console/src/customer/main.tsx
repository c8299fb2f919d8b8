import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { CustomerApp } from './CustomerApp';
import { takeToken } from './session';
import './customer.css';

// Before the first render: the token leaves the URL before anything could record it.
const session = takeToken();

createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <CustomerApp session={session} />
  </StrictMode>,
);

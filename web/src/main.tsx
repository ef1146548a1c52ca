import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { ApiError } from './api/client';
import { initI18n } from './i18n';
import { SessionProvider } from './auth/session';
import { ToastProvider } from './ui/toast';
import { App } from './app';
import './styles.css';

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // Retry what can succeed on a second try (network, 5xx); a 4xx answer will not change.
      retry: (count, err) => count < 2 && (!(err instanceof ApiError) || err.retryable),
      retryDelay: (n) => Math.min(4000, 500 * 2 ** n),
    },
    mutations: { retry: false },
  },
});

void initI18n().then(() => {
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <QueryClientProvider client={queryClient}>
        <ToastProvider>
          <SessionProvider>
            <App />
          </SessionProvider>
        </ToastProvider>
      </QueryClientProvider>
    </StrictMode>,
  );
});

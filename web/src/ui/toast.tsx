import { createContext, useCallback, useContext, useMemo, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { IconX } from './icons';

/**
 * Short messages about what just happened ("3 conversations resolved", "could not save — retry"). Errors stay
 * until dismissed and can offer a retry; confirmations fade after a few seconds. Announced politely to screen
 * readers.
 */
interface Toast {
  id: number;
  kind: 'info' | 'error';
  text: string;
  action?: { label: string; run(): void };
}

const Ctx = createContext<{ show(t: Omit<Toast, 'id'>): void } | null>(null);

export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const next = useRef(1);
  const { t } = useTranslation();
  const dismiss = useCallback((id: number) => setToasts((all) => all.filter((x) => x.id !== id)), []);
  const show = useCallback(
    (toast: Omit<Toast, 'id'>) => {
      const id = next.current++;
      setToasts((all) => [...all.slice(-3), { ...toast, id }]);
      if (toast.kind === 'info') setTimeout(() => dismiss(id), 4000);
    },
    [dismiss],
  );
  const value = useMemo(() => ({ show }), [show]);
  return (
    <Ctx.Provider value={value}>
      {children}
      <div className="toasts" aria-live="polite">
        {toasts.map((x) => (
          <div key={x.id} className={`toast toast-${x.kind}`} role={x.kind === 'error' ? 'alert' : 'status'}>
            <span>{x.text}</span>
            {x.action ? (
              <button
                type="button"
                className="btn btn-small"
                onClick={() => {
                  dismiss(x.id);
                  x.action!.run();
                }}
              >
                {x.action.label}
              </button>
            ) : null}
            <button type="button" className="icon-btn" aria-label={t('common.close')} onClick={() => dismiss(x.id)}>
              <IconX />
            </button>
          </div>
        ))}
      </div>
    </Ctx.Provider>
  );
}

export function useToast() {
  const v = useContext(Ctx);
  if (!v) throw new Error('useToast outside ToastProvider');
  return v.show;
}

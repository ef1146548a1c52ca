import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import './i18n';
import { api } from '../api/client';
import { useInboxes } from '../api/queries';
import { number } from '../i18n/format';
import { Link, useLocation } from '../router';
import { IconPhone } from '../ui/icons';
import type { CallbackItem, } from './types';

/** The sidebar's phone entry (when the workspace has a phone line), with the number of open callback requests. */
export function PhoneNav({ onNavigate }: { onNavigate?: () => void }) {
  const { t } = useTranslation();
  const loc = useLocation();
  const hasLine = (useInboxes().data ?? []).some((i) => i.kind === 'voice');
  const open = useQuery({
    queryKey: ['callbacks', 'nav-count'],
    queryFn: () => api.get<{ items: CallbackItem[]; nextCursor: string | null }>('/api/v1/callbacks?status=open&limit=100'),
    enabled: hasLine,
    staleTime: 30_000,
  });
  if (!hasLine) return null;
  const active = loc.pathname.startsWith('/calls');
  const n = open.data?.items.length;
  return (
    <ul className="nav-list">
      <li>
        <Link to="/calls" className={`nav-item${active ? ' active' : ''}`} aria-current={active ? 'page' : undefined} onClick={onNavigate}>
          <span className="nav-icon">
            <IconPhone />
          </span>
          <span className="nav-label">{t('voice.nav')}</span>
          {n ? <span className="nav-count" aria-label={t('voice.page.callbacks')}>{open.data?.nextCursor ? `${number(n)}+` : number(n)}</span> : null}
        </Link>
      </li>
    </ul>
  );
}

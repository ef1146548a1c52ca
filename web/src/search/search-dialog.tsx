import { useEffect, useId, useMemo, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearch } from '../api/queries';
import { navigate } from '../router';
import { shortTime } from '../i18n/format';
import { Dialog } from '../ui/dialog';
import { ErrorState, Spinner } from '../ui/feedback';
import { ChannelIcon, IconUser } from '../ui/icons';
import { Highlight } from './highlight';

interface Option {
  id: string;
  group: 'conversations' | 'contacts' | 'messages';
  href: string;
  render: React.ReactNode;
}

/** Ctrl+K: one box for case numbers, customers and anything anyone wrote, Dutch or English. */
export function SearchDialog({ open, onClose, viewSegment }: { open: boolean; onClose(): void; viewSegment: string }) {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const [debounced, setDebounced] = useState('');
  const [active, setActive] = useState(0);
  const listId = useId();
  useEffect(() => {
    const h = setTimeout(() => setDebounced(q.trim()), 150);
    return () => clearTimeout(h);
  }, [q]);
  useEffect(() => {
    if (open) {
      setQ('');
      setDebounced('');
    }
  }, [open]);
  const s = useSearch(debounced);
  const r = debounced ? s.data : undefined;
  const unknown = t('contact.unknown');

  const options = useMemo<Option[]>(() => {
    if (!r) return [];
    const conv = (id: string) => `/inbox/${viewSegment}/${id}`;
    return [
      ...r.conversations.map((c) => ({
        id: `c-${c.id}`,
        group: 'conversations' as const,
        href: conv(c.id),
        render: (
          <>
            <ChannelIcon kind={c.channel} />
            <span className="grow">
              <strong dir="auto">
                #{c.number} · {c.contact.name || c.contact.email || unknown}
              </strong>
              <span className="muted small block" dir="auto">
                {c.highlight ? <Highlight text={c.highlight} /> : c.subject ?? c.preview}
              </span>
            </span>
            <span className={`status-badge status-${c.status}`}>{t(`status.${c.status}`)}</span>
          </>
        ),
      })),
      ...r.contacts.map((c) => ({
        id: `p-${c.id}`,
        group: 'contacts' as const,
        href: `/contacts/${c.id}`,
        render: (
          <>
            <IconUser />
            <span className="grow" dir="auto">
              <Highlight text={c.highlight} />
            </span>
          </>
        ),
      })),
      ...r.messages.map((m) => ({
        id: `m-${m.message.id}`,
        group: 'messages' as const,
        href: conv(m.conversation.id),
        render: (
          <>
            <ChannelIcon kind={m.conversation.channel} />
            <span className="grow">
              <span className="small block">
                <strong dir="auto">{m.message.senderName ?? unknown}</strong>
                <span className="muted">
                  {' '}
                  · #{m.conversation.number} · {m.conversation.contactName || unknown} · {shortTime(m.message.createdAt)}
                  {m.message.kind === 'note' ? ` · ${t('message.note')}` : ''}
                </span>
              </span>
              <span className="search-snippet" dir="auto">
                <Highlight text={m.highlight} />
              </span>
            </span>
          </>
        ),
      })),
    ];
  }, [r, t, unknown, viewSegment]);

  useEffect(() => setActive(0), [options]);

  const go = (o: Option | undefined) => {
    if (!o) return;
    onClose();
    navigate(o.href);
  };
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      if (!options.length) return;
      setActive((a) => (a + (e.key === 'ArrowDown' ? 1 : options.length - 1)) % options.length);
    } else if (e.key === 'Enter') {
      e.preventDefault();
      go(options[active]);
    }
  };
  const activeId = options[active] ? `${listId}-${options[active]!.id}` : undefined;
  let lastGroup = '';

  return (
    <Dialog open={open} onClose={onClose} title={t('search.title')} wide className="search-dialog">
      <input
        className="input search-input"
        type="search"
        role="combobox"
        aria-expanded={options.length > 0}
        aria-controls={listId}
        aria-activedescendant={activeId}
        aria-autocomplete="list"
        aria-label={t('search.title')}
        placeholder={t('search.placeholder')}
        value={q}
        onChange={(e) => setQ(e.target.value)}
        onKeyDown={onKeyDown}
        autoFocus
      />
      <div className="search-results">
        {s.isFetching && !r ? <Spinner /> : null}
        {s.isError ? <ErrorState error={s.error} onRetry={() => void s.refetch()} compact /> : null}
        {r && options.length === 0 ? <p className="muted pad">{t('search.none', { q: debounced })}</p> : null}
        {!debounced ? <p className="muted pad">{t('search.help')}</p> : null}
        <ul id={listId} role="listbox" aria-label={t('search.results')}>
          {options.map((o, i) => {
            const heading = o.group !== lastGroup ? t(`search.groups.${o.group}`) : null;
            lastGroup = o.group;
            return (
              <li key={o.id} role="presentation">
                {heading ? (
                  <p className="menu-heading" role="presentation">
                    {heading}
                  </p>
                ) : null}
                <div
                  id={`${listId}-${o.id}`}
                  role="option"
                  aria-selected={i === active}
                  className={`search-option${i === active ? ' active' : ''}`}
                  onMouseEnter={() => setActive(i)}
                  onClick={() => go(o)}
                >
                  {o.render}
                </div>
              </li>
            );
          })}
        </ul>
      </div>
    </Dialog>
  );
}

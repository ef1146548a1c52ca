import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConversationListItem, Status } from '../api/types';
import type { LiveContext } from '../api/live-updates';
import { navigate } from '../router';
import { ConversationList } from './conversation-list';
import { viewPath, type ListFilter, type ListFilters, type Sort, type View } from './view';
import { ConversationPane } from '../conversation/conversation-pane';
import { CustomerPanel } from '../customer/customer-panel';
import { useConversation } from '../api/queries';
import { runCommand } from '../shell/commands';
import { useKeys } from '../shell/hotkeys';
import { Empty } from '../ui/feedback';
import { ScreenBoundary } from '../ui/screen-boundary';
import { IconInbox } from '../ui/icons';

const PANEL_KEY = 'balie.customerPanel';

/** List, conversation and customer side by side; on a tablet the list gives way to the open conversation. */
export function InboxPage({ view, conversationId, status, sort, filters, live }: { view: View; conversationId?: string; status: Status | 'all'; sort: Sort; filters: ListFilters; live: () => LiveContext }) {
  const { t } = useTranslation();
  const filter = useMemo<ListFilter>(() => ({ view, status, sort, filters }), [view, status, sort, filters]);
  const [selection, setSelection] = useState<Set<string>>(new Set());
  const items = useRef<ConversationListItem[]>([]);
  const onItems = useCallback((list: ConversationListItem[]) => {
    items.current = list;
  }, []);
  // On narrow screens the panel covers the conversation, so it starts closed there.
  const [panelOpen, setPanelOpen] = useState(() => localStorage.getItem(PANEL_KEY) !== 'closed' && window.innerWidth > 1100);
  const togglePanel = () => {
    setPanelOpen((o) => {
      localStorage.setItem(PANEL_KEY, o ? 'closed' : 'open');
      return !o;
    });
  };
  const conv = useConversation(conversationId);

  useEffect(() => setSelection(new Set()), [view.kind, view.inboxId, view.label, status]);

  const move = useCallback(
    (delta: number) => {
      const list = items.current;
      if (!list.length) return;
      const at = list.findIndex((c) => c.id === conversationId);
      const next = list[Math.max(0, Math.min(list.length - 1, at < 0 ? 0 : at + delta))];
      if (next) navigate(viewPath(view, next.id, { status, sort, filters }));
    },
    [conversationId, view, status, sort, filters],
  );
  const keys = useMemo(
    () => ({
      j: () => move(1),
      k: () => move(-1),
      x: () => {
        if (!conversationId) return;
        const next = new Set(selection);
        if (next.has(conversationId)) next.delete(conversationId);
        else next.add(conversationId);
        setSelection(next);
      },
      r: () => runCommand({ type: 'reply' }),
      n: () => runCommand({ type: 'note' }),
      e: () => runCommand({ type: 'resolve' }),
      a: () => runCommand({ type: 'assign' }),
      l: () => runCommand({ type: 'labels' }),
      s: () => runCommand({ type: 'snooze' }),
      p: () => runCommand({ type: 'priority' }),
      Escape: () => (selection.size ? setSelection(new Set()) : undefined),
    }),
    [move, conversationId, selection],
  );
  useKeys(keys);

  return (
    <div className={`inbox${conversationId ? ' has-conversation' : ''}${panelOpen && conversationId ? ' has-panel' : ''}`}>
      {/* Each part fails on its own: a broken conversation leaves the list and the panel usable, and the other way round. */}
      <ScreenBoundary className="list-pane">
        <ConversationList filter={filter} openId={conversationId} selection={selection} setSelection={setSelection} onItems={onItems} />
      </ScreenBoundary>
      {conversationId ? (
        <ScreenBoundary resetKey={conversationId} className="conv-pane">
          <ConversationPane id={conversationId} live={live} onBack={() => navigate(viewPath(view, undefined, { status, sort, filters }))} panelOpen={panelOpen} onTogglePanel={togglePanel} />
        </ScreenBoundary>
      ) : (
        <section className="conv-pane conv-empty">
          <Empty title={t('inbox.pick')}>
            <IconInbox className="empty-icon" />
            <p className="muted">{t('inbox.pickHint')}</p>
          </Empty>
        </section>
      )}
      {conversationId && panelOpen && conv.data && !conv.isPlaceholderData ? (
        <ScreenBoundary resetKey={conv.data.contact.id} className="customer-panel">
          <CustomerPanel
            contactId={conv.data.contact.id}
            currentConversationId={conversationId}
            conversationHref={(id) => viewPath(view, id, { status, sort, filters })}
            onClose={togglePanel}
          />
        </ScreenBoundary>
      ) : null}
    </div>
  );
}

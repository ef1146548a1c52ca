import { useTranslation } from 'react-i18next';
import { useSession } from '../auth/session';
import { Link } from '../router';
import { ScreenBoundary } from '../ui/screen-boundary';
import { ProfileSettings } from './profile-settings';
import { WorkspaceSettings } from './workspace-settings';
import { InboxesSettings } from './inboxes-settings';
import { TeamsSettings } from './teams-settings';
import { AgentsSettings } from './agents-settings';
import { LabelsSettings } from './labels-settings';
import { WebhooksSettings } from './webhooks-settings';
import { InboundEventsSettings } from './inbound-events-settings';
import { TokensSettings } from './tokens-settings';
import { KnowledgeBaseSettings } from '../widget-admin/knowledge-base-settings';
import { CertaintySettings } from '../certainty/certainty-settings';

const sections = [
  { id: 'profile', admin: false, C: ProfileSettings },
  { id: 'workspace', admin: true, C: WorkspaceSettings },
  { id: 'inboxes', admin: true, C: InboxesSettings },
  { id: 'agents', admin: true, C: AgentsSettings },
  { id: 'teams', admin: true, C: TeamsSettings },
  { id: 'labels', admin: true, C: LabelsSettings },
  { id: 'knowledge', admin: true, C: KnowledgeBaseSettings },
  { id: 'certainty', admin: true, C: CertaintySettings },
  { id: 'webhooks', admin: true, C: WebhooksSettings },
  { id: 'inbound', admin: true, C: InboundEventsSettings },
  { id: 'tokens', admin: false, C: TokensSettings },
] as const;

/** Settings (loaded on demand): personal preferences for everyone, the workspace set-up for admins. */
export default function SettingsPage({ section }: { section?: string }) {
  const { t } = useTranslation();
  const { isAdmin } = useSession();
  const visible = sections.filter((s) => isAdmin || !s.admin);
  const current = visible.find((s) => s.id === section) ?? visible[0]!;
  const C = current.C;
  return (
    <div className="settings">
      <nav className="settings-nav" aria-label={t('settings.nav')}>
        <h2 className="nav-heading">{t('shell.settings')}</h2>
        <ul>
          {visible.map((s) => (
            <li key={s.id}>
              <Link to={`/settings/${s.id}`} className={`nav-item${s.id === current.id ? ' active' : ''}`} aria-current={s.id === current.id ? 'page' : undefined}>
                {t(`settings.sections.${s.id}`)}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <div className="settings-body">
        {/* A section that fails keeps the settings menu usable: the admin can go on elsewhere. */}
        <ScreenBoundary resetKey={current.id}>
          <C />
        </ScreenBoundary>
      </div>
    </div>
  );
}

import { useTranslation } from 'react-i18next';
import { usePresence } from '../api/realtime';
import { Avatar } from '../ui/avatar';

/** Collision detection: who else has this conversation open, and who is writing in it right now. */
export function PresenceBar({ conversationId }: { conversationId: string }) {
  const { t } = useTranslation();
  const others = usePresence(conversationId);
  if (others.length === 0) return null;
  const typing = others.filter((o) => o.state === 'typing');
  const names = (list: typeof others) => list.map((o) => o.userName).join(', ');
  return (
    <div className="presence" role="status" aria-live="polite">
      <span className="presence-avatars" aria-hidden="true">
        {others.slice(0, 3).map((o) => (
          <span key={o.userId} className={`presence-avatar${o.state === 'typing' ? ' typing' : ''}`} title={o.userName}>
            <Avatar name={o.userName} id={o.userId} size={24} />
          </span>
        ))}
      </span>
      <span className={`presence-text${typing.length ? ' typing' : ''}`}>
        {typing.length ? t('presence.typing', { names: names(typing), count: typing.length }) : t('presence.viewing', { names: names(others), count: others.length })}
      </span>
    </div>
  );
}

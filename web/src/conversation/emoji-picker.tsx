import { useTranslation } from 'react-i18next';

/** The emoji agents actually use in service conversations; a full emoji library would outweigh the app. */
const EMOJI = [
  '🙂', '😊', '😀', '😉', '🙏', '👍', '👋', '👏', '🎉', '✅', '❤️', '💙',
  '😅', '😔', '😢', '😮', '🤔', '🙌', '💪', '👌', '🤝', '⭐', '🔥', '💡',
  '📦', '🚚', '📞', '📧', '💬', '📅', '⏰', '🔧', '💳', '🧾', '🏠', '📍',
  '⚠️', '❗', '❓', '➡️', '☀️', '🌧️', '🎂', '🎁', '☕', '🍀', '🇳🇱', '🇧🇪',
];

export function EmojiPicker({ onPick }: { onPick(e: string): void }) {
  const { t } = useTranslation();
  return (
    <div className="emoji-grid" role="menu" aria-label={t('composer.emoji')}>
      {EMOJI.map((e) => (
        <button key={e} type="button" role="menuitem" className="emoji" onClick={() => onPick(e)}>
          {e}
        </button>
      ))}
    </div>
  );
}

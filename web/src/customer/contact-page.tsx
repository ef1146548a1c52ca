import { useTranslation } from 'react-i18next';
import { Link } from '../router';
import { IconChevronLeft } from '../ui/icons';
import { CustomerPanel } from './customer-panel';
import { ScreenBoundary } from '../ui/screen-boundary';

/** A customer on their own (from search): card, whole history, merge. */
export function ContactPage({ id, viewSegment }: { id: string; viewSegment: string }) {
  const { t } = useTranslation();
  return (
    <div className="contact-page">
      <Link to={`/inbox/${viewSegment}`} className="link-btn back-link">
        <IconChevronLeft /> {t('customer.backToInbox')}
      </Link>
      <ScreenBoundary resetKey={id} className="customer-panel">
        <CustomerPanel key={id} contactId={id} conversationHref={(c) => `/inbox/${viewSegment}/${c}`} />
      </ScreenBoundary>
    </div>
  );
}
